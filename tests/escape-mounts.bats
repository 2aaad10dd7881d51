#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 15, items 2, 3, 4 and 8 (overlay): how cfs-pivot makes its mounts.
#
# 2. A rootfs whose /proc or /sys is a symlink (a chain of them, a file, a
#    FIFO) must not move the kernel's mounts where the masks are not
#    applied: the CVE-2019-16884 / CVE-2019-19921 class (runc's mounts on
#    a symlinked /proc). Refused, naming the path, as runc refuses.
# 3. --bind SRC:DST:ro set its flags by path after the mount: a symlink
#    swapped in at DST in between sent the remount elsewhere and left the
#    bind writable (the CVE-2021-30465 class: runc's symlink-exchange race
#    on mount targets).
# 4. The container's /dev/null, and the masks, were binds of the host's
#    nodes: root in the container could chmod the host's /dev/null (host
#    files changed through a container's bind mounts; runc makes its
#    nodes with mknod, and binds the host's only in a user namespace).
# 8. --overlay / mounted a tmpfs on the host's / and made /upper in the
#    host's root.
#
# Test copies of the rootfs go under $BATS_TEST_TMPDIR: $ROOTFS is shared.
load common
load helpers/escape

# The same chain as nobody, root in a user namespace of its own (the
# rootless case: no CAP_MKNOD, the host's root unmapped). NEWROOT ($root)
# and the helper must be reachable by nobody: see open_to_nobody.
nobody_box() {
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	setpriv --reuid 65534 --regid 65534 --clear-groups \
		cfs-unshare -r --uts --pid --mount --ipc --net --fork -- \
		cfs-pivot --bind "$BATS_TEST_TMPDIR/escape:/escape:ro" \
		"${opts[@]}" "$@"
}

# The test's directory searchable by nobody (bats makes its parents 0700:
# they are made private again in teardown), with a copy of the helper
# and its mount point in $root.
open_to_nobody() {
	cp "$ESCAPE" "$BATS_TEST_TMPDIR/escape"
	touch "${root:?}/escape" # its mount point: nobody cannot make it
	chmod o+x "$BATS_RUN_TMPDIR" "$(dirname "$BATS_TEST_TMPDIR")" \
		"$BATS_TEST_TMPDIR"
	echo yes >"$BATS_TEST_TMPDIR/opened"
}

# A copy of the rootfs, in $root.
copy_root() {
	root=$BATS_TEST_TMPDIR/${1:-root}
	cp -a "$ROOTFS" "$root"
}

eval "common_$(declare -f teardown)"
teardown() {
	# the host's /dev/null as it was, whatever the test did
	if [ -f "$BATS_TEST_TMPDIR/null.mode" ]; then
		chmod "$(cat "$BATS_TEST_TMPDIR/null.mode")" /dev/null
		chown "$(cat "$BATS_TEST_TMPDIR/null.owner")" /dev/null
	fi
	if [ -f "$BATS_TEST_TMPDIR/opened" ]; then
		chmod o-x "$BATS_RUN_TMPDIR" "$(dirname "$BATS_TEST_TMPDIR")"
	fi
	common_teardown
}

save_null() {
	stat -c %a /dev/null >"$BATS_TEST_TMPDIR/null.mode"
	stat -c %u:%g /dev/null >"$BATS_TEST_TMPDIR/null.owner"
	null_before=$(stat -c '%a %u %g %t %T' /dev/null)
}
null_unchanged() { [ "$(stat -c '%a %u %g %t %T' /dev/null)" = "$null_before" ]; }

# ---- 2. a symlinked /proc or /sys (CVE-2019-16884 / CVE-2019-19921 class)

# In $root: DIR -> dev/p -> /real (a chain of two links, the second one
# into /dev, which our tmpfs then hides).
link_chain() {
	rm -rf "${root:?}/$1"
	ln -s dev/p "$root/$1"
	ln -s /real "$root/dev/p"
	mkdir "$root/real"
}

# What each proc mount the container can reach lets it do with its
# core_pattern: "MOUNTPOINT OK" would be a host root at the next crash.
check_core_pattern() {
	run --separate-stderr "$@" sh -c '
		for m in $(awk "\$9 == \"proc\" { print \$5 }" /proc/self/mountinfo \
				2>/dev/null) /proc /real /dev/p; do
			[ -e $m/sys/kernel/core_pattern ] || continue
			echo "$m $(/escape open $m/sys/kernel/core_pattern w)"
		done | sort -u; echo done'
	echo "status $status: $output; $stderr"
}

@test "2: /proc -> dev/p -> /real: refused, naming it; no proc without a read-only /proc/sys" {
	copy_root
	link_chain proc
	check_core_pattern box_at -- "$root"
	[ "$status" = 125 ]
	[ "$stderr" = "cfs-pivot: mount proc on $root/proc: not an ordinary directory (a symlink): refused" ]
	[ -z "$(ls -A "$root/real")" ]
}

@test "2: /sys -> dev/p -> /real: refused, naming it" {
	copy_root
	link_chain sys
	run --separate-stderr box_at -- "$root" sh -c 'grep -c " /real " /proc/self/mountinfo; /escape open /real/firmware r'
	echo "status $status: $output; $stderr"
	[ "$status" = 125 ]
	[ "$stderr" = "cfs-pivot: mount sysfs on $root/sys: not an ordinary directory (a symlink): refused" ]
}

@test "2: /proc or /sys a file, a FIFO, a link to a directory inside: refused" {
	copy_root
	rmdir "$root/proc"
	mkfifo "$root/proc"
	run -125 --separate-stderr box_at -- "$root" true
	[ "$stderr" = "cfs-pivot: mount proc on $root/proc: not an ordinary directory: refused" ]
	rm "$root/proc"
	ln -s real "$root/proc"
	mkdir "$root/real"
	run -125 --separate-stderr box_at -- "$root" true
	[ "$stderr" = "cfs-pivot: mount proc on $root/proc: not an ordinary directory (a symlink): refused" ]
	rm "$root/proc"
	mkdir "$root/proc"
	rmdir "$root/sys"
	echo x >"$root/sys"
	run -125 --separate-stderr box_at -- "$root" true
	[ "$stderr" = "cfs-pivot: mount sysfs on $root/sys: not an ordinary directory: refused" ]
	# a missing one is made
	rm "$root/sys"
	rmdir "$root/proc"
	run -0 --separate-stderr box_at -- "$root" sh -c 'ls -d /proc/self /sys/kernel'
	[ -d "$root/proc" ] && [ -d "$root/sys" ]
}

@test "2: /dev a symlink: refused, naming it" {
	copy_root
	rm -rf "$root/dev"
	mkdir "$root/realdev"
	ln -s realdev "$root/dev"
	run -125 --separate-stderr box_at -- "$root" true
	[ "$stderr" = "cfs-pivot: mount tmpfs on $root/dev: not an ordinary directory (a symlink): refused" ]
}

@test "2: rootless: /proc and /sys -> dev/p -> /real refused" {
	copy_root
	link_chain proc
	open_to_nobody
	check_core_pattern nobody_box -- "$root"
	[ "$status" = 125 ]
	[ "$stderr" = "cfs-pivot: mount proc on $root/proc: not an ordinary directory (a symlink): refused" ]
	rm "$root/proc" "$root/dev/p"
	mkdir "$root/proc"
	rmdir "$root/real"
	link_chain sys
	run --separate-stderr nobody_box -- "$root" true
	echo "status $status: $stderr"
	[ "$status" = 125 ]
	[ "$stderr" = "cfs-pivot: mount sysfs on $root/sys: not an ordinary directory (a symlink): refused" ]
}

@test "2: an image imported with --from-tar, proc -> dev/p: refused, root and rootless" {
	copy_root src
	root=$BATS_TEST_TMPDIR/src
	link_chain proc
	tar -C "$root" -cf "$BATS_TEST_TMPDIR/image.tar" .
	run -0 --separate-stderr cfs-mkrootfs --from-tar "$BATS_TEST_TMPDIR/image.tar" \
		"$BATS_TEST_TMPDIR/imported"
	root=$BATS_TEST_TMPDIR/imported
	[ "$(readlink "$root/proc")" = dev/p ]
	check_core_pattern box_at -- "$root"
	[ "$status" = 125 ]
	[ "$stderr" = "cfs-pivot: mount proc on $root/proc: not an ordinary directory (a symlink): refused" ]
	open_to_nobody
	check_core_pattern nobody_box -- "$root"
	[ "$status" = 125 ]
	[[ "$stderr" == *"mount proc on $root/proc: not an ordinary directory"* ]]
}

@test "2: every mask and read-only path is on the proc and sysfs the container gets; --print-config says so" {
	run -0 --separate-stderr box_at --print-config -- "$ROOTFS" true
	readonly=$(sed -n 's/^Readonly:\t//p' <<<"$output")
	[[ " $readonly " == *" /proc/sys "* ]]
	check_core_pattern box_at -- "$ROOTFS"
	[ "$status" = 0 ]
	[ "$output" = "/proc ERR EROFS
done" ]
	copy_root
	open_to_nobody
	check_core_pattern nobody_box -- "$root"
	[ "$status" = 0 ]
	# not the host's root: the file's mode refuses first
	[[ "$output" =~ ^"/proc ERR E"(ROFS|ACCES)$'\n'done$ ]]
	run -0 --separate-stderr nobody_box -- "$root" \
		awk '$5 == "/proc/sys" { print $5, substr($6, 1, 3) }' /proc/self/mountinfo
	[ "$output" = "/proc/sys ro," ]
}

# ---- 3. --bind flags set on the mount itself (CVE-2021-30465 class)

@test "3: --bind SRC:DST:ro through a symlinked DST: EROFS inside, SRC untouched; rootless too" {
	copy_root
	mkdir "$root/real" "$BATS_TEST_TMPDIR/src"
	chmod 777 "$BATS_TEST_TMPDIR/src"
	ln -s /real "$root/link"
	for chain in box_at nobody_box; do
		[ $chain = box_at ] || open_to_nobody
		run --separate-stderr $chain --bind "$BATS_TEST_TMPDIR/src:/link/data:ro" -- \
			"$root" sh -c 'for f in /link/data/x /real/data/x; do
				touch $f 2>&1 | grep -o "Read-only file system"; done'
		echo "$chain: status $status: $output; $stderr"
		[ "$output" = "Read-only file system
Read-only file system" ]
		[ -z "$(ls -A "$BATS_TEST_TMPDIR/src")" ]
	done
}

# renameat2(RENAME_EXCHANGE) of A and B in a loop, until the file STOP
# exists or 60 s have passed.
swapper() {
	python3 - "$@" <<'EOF'
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
a, b, stop = (s.encode() for s in sys.argv[1:4])
end = time.time() + 60
n = 0
while not os.path.exists(stop) and time.time() < end:
    for _ in range(200):
        libc.renameat2(-100, a, -100, b, 2)
    n += 1
EOF
}

@test "3: --bind SRC:DST:ro with DST swapped with a symlink during the call: always read-only" {
	copy_root
	src=$BATS_TEST_TMPDIR/src
	mkdir "$src" "$root/data"
	# /data is exchanged with /datalink -> dev/shm (our tmpfs): today's
	# second lookup of /data may find the link and make /dev/shm
	# read-only, leaving the bind on the directory writable
	ln -s dev/shm "$root/datalink" # relative: harmless on the host
	swapper "$root/data" "$root/datalink" "$BATS_TEST_TMPDIR/stop" &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	local i wrote=0 runs=0 end=$((SECONDS + 40))
	for i in $(seq 150); do
		[ $SECONDS -lt $end ] || break
		runs=$i
		box_at --bind "$src:/data:ro" -- "$root" sh -c '
			for p in /data /datalink /dev/shm; do
				{ echo x >$p/pwned; } 2>/dev/null && echo "wrote $p"
			done; true' >"$BATS_TEST_TMPDIR/run.out" 2>&1 || true
		if [ -n "$(ls -A "$src")" ]; then
			wrote=$((wrote + 1))
			cat "$BATS_TEST_TMPDIR/run.out"
			rm -f "$src"/*
		fi
		find "$root/data" "$root/datalink" -maxdepth 1 -name pwned -delete \
			2>/dev/null || true
	done
	touch "$BATS_TEST_TMPDIR/stop"
	wait
	echo "$runs runs, $wrote wrote to SRC"
	[ "$runs" -ge 20 ]
	[ "$wrote" = 0 ]
}

@test "3: --read-only, masks, tmpfs options: each on its mount (mountinfo)" {
	run -0 --separate-stderr box_at --read-only --tmpfs /mnt -- "$ROOTFS" sh -c '
		awk "{ print \$5, \$6 }" /proc/self/mountinfo'
	echo "$output"
	grep -qE '^/ ro,' <<<"$output"
	grep -qE '^/proc/sys ro,' <<<"$output"
	grep -qE '^/mnt rw,nosuid,nodev' <<<"$output"
	grep -qE '^/dev/shm rw,nosuid,nodev,noexec' <<<"$output"
	grep -qE '^/sys ro,nosuid,nodev,noexec' <<<"$output"
}

# ---- 4. the host's device nodes

@test "4: chmod of /dev/null and of a masked file inside leaves the host's /dev/null alone" {
	save_null
	run --separate-stderr box_at -- "$ROOTFS" sh -c '
		chmod 600 /dev/null && echo chmod-null
		for f in /proc/kcore /proc/keys /proc/timer_list; do
			[ -e $f ] && { chmod 600 $f 2>/dev/null && echo chmod-$f; }
		done
		chown 1:1 /dev/null /dev/zero /dev/tty 2>/dev/null
		stat -c "%F %t %T" /dev/null; echo x >/dev/null && echo null-works'
	echo "status $status: $output; $stderr"
	null_unchanged
	# the container's own node: its to change
	[[ "$output" == *"character special file 1 3"* ]]
	[[ "$output" == *null-works* ]]
}

@test "4: with privilege, /dev's nodes are made by mknod, none is the host's" {
	run -0 --separate-stderr box_at -- "$ROOTFS" sh -c '
		for d in null zero full random urandom tty; do
			stat -c "%n %F %t:%T %i" /dev/$d
		done'
	echo "$output"
	for d in null zero full random urandom tty; do
		ino=$(stat -c %i /dev/$d)
		grep -q "^/dev/$d character special file " <<<"$output"
		! grep -q "^/dev/$d .* $ino\$" <<<"$output" || false
	done
}

@test "4: rootless: /dev/null is the host's node, which root inside cannot chmod or chown" {
	save_null
	copy_root
	open_to_nobody
	run --separate-stderr nobody_box -- "$root" sh -c '
		chmod 600 /dev/null 2>/dev/null && echo chmod-null
		chown 0:0 /dev/null 2>/dev/null && echo chown-null
		for f in /proc/kcore /proc/keys /proc/timer_list; do
			[ -e $f ] && { chmod 600 $f 2>/dev/null && echo chmod-$f; }
		done
		echo x >/dev/null && echo null-works; true'
	echo "status $status: $output; $stderr"
	null_unchanged
	[ "$output" = null-works ]
}

# ---- 8. overlays of the host's root

@test "8: --overlay / (or a name of it) is refused; nothing made in /" {
	# what today's code made there goes in teardown
	[ -e /upper ] || echo /upper >>"$BATS_TEST_TMPDIR/rm"
	ls -A / >"$BATS_TEST_TMPDIR/root.before"
	for lower in / /. /tmp/.. /proc/self/root "$BATS_TEST_TMPDIR/slash"; do
		ln -sfn / "$BATS_TEST_TMPDIR/slash"
		run -125 --separate-stderr cfs-pivot --overlay "$lower" -- true
		echo "$lower: $stderr"
		[ "$stderr" = "cfs-pivot: overlay lower $lower: the root directory (an overlay of / would write in it): refused" ]
	done
	copy_root
	run -125 --separate-stderr cfs-pivot --overlay "$root:/" -- true
	[ "$stderr" = "cfs-pivot: overlay lower /: the root directory (an overlay of / would write in it): refused" ]
	ls -A / | diff "$BATS_TEST_TMPDIR/root.before" -
}
