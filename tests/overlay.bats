#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-pivot --overlay: image layers shared read-only, each container's
# writes its own, kept with --upper, gone without; every bad input.
load common

# A lower of our own, a copy of the test rootfs: a bug that writes into
# it must not spoil the rootfs of the other tests.
mklower() {
	lower="$BATS_TEST_TMPDIR/${1:-lower}"
	cp -a "$ROOTFS" "$lower"
}

# Names, types, modes, owners, sizes, mtimes, link targets and contents.
tree_sum() {
	(cd "$1" && find . -printf '%p %y %m %U:%G %s %T@ %l\n' | LC_ALL=C sort &&
		find . -type f -exec sha256sum {} + | LC_ALL=C sort) | sha256sum
}

@test "without --upper the writes vanish with the container; the lower is never changed" {
	mklower
	before=$(tree_sum "$lower")
	run -0 cfs-pivot --overlay "$lower" -- sh -c '
		echo new >/new; echo changed >/etc/hostname; rm /etc/hosts
		rm -r /home 2>/dev/null; mkdir -p /home/x; chmod 700 /etc
		cat /new /etc/hostname; ls /etc/hosts 2>/dev/null || echo gone
		awk "\$5 == \"/\" { print \$9 }" /proc/self/mountinfo'
	[ "$output" = "new
changed
gone
overlay" ]
	[ "$(tree_sum "$lower")" = "$before" ]
	[ ! -e "$lower/new" ]
	run -0 cfs-pivot --overlay "$lower" -- sh -c 'ls /new 2>/dev/null || echo no-new; cat /etc/hostname'
	[ "$output" = "no-new
$(cat "$ROOTFS/etc/hostname")" ]
	# no overlay, no tmpfs left on the lower's path (teardown compares all)
	! grep -q " $lower " /proc/self/mountinfo || false
}

@test "two containers over one lower at once never see each other's writes" {
	mklower
	sync="$BATS_TEST_TMPDIR/sync"
	mkdir "$sync"
	start cfs-pivot --overlay "$lower" --bind "$sync:/sync" -- sh -c '
		echo a >/a; echo ready
		while [ ! -e /sync/b-wrote ]; do sleep 0.05; done
		ls /b 2>/dev/null || echo a-sees-no-b; cat /a'
	run -0 cfs-pivot --overlay "$lower" --bind "$sync:/sync" -- sh -c '
		ls /a 2>/dev/null || echo b-sees-no-a
		echo b >/b; touch /sync/b-wrote; cat /b'
	[ "$output" = "b-sees-no-a
b" ]
	wait "$chain"
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = "ready
a-sees-no-b
a" ]
	[ ! -e "$lower/a" ] && [ ! -e "$lower/b" ]
}

@test "--upper DIR keeps the writes for the next run; the lower is unchanged" {
	mklower
	before=$(tree_sum "$lower")
	up="$BATS_TEST_TMPDIR/c1"
	run -0 cfs-pivot --overlay "$lower" --upper "$up" -- sh -c '
		echo kept >/kept; rm /etc/hostname; rm -r /home; mkdir /home'
	[ "$(cat "$up/kept")" = kept ]
	[ "$(tree_sum "$lower")" = "$before" ]
	run -0 cfs-pivot --overlay "$lower" --upper "$up" -- sh -c '
		cat /kept; ls /etc/hostname 2>/dev/null || echo no-hostname
		ls -A /home | wc -l'
	[ "$output" = "kept
no-hostname
0" ]
	# and without the upper, the image as it was
	run -0 cfs-pivot --overlay "$lower" -- sh -c 'ls /kept 2>/dev/null || echo image'
	[ "$output" = image ]
	[ "$(tree_sum "$lower")" = "$before" ]
}

@test "--upper: the work dir is made beside DIR, kept, and emptied by each mount" {
	mklower
	up="$BATS_TEST_TMPDIR/c1"
	work="$BATS_TEST_TMPDIR/.c1.cfs-work"
	run -0 cfs-pivot --overlay "$lower" --upper "$up" -- true
	[ -d "$up" ]
	[ "$(stat -c %a "$work")" = 700 ]
	# what a killed container may leave there is cleaned at the next start
	touch "$work/work/stale"
	run -0 cfs-pivot --overlay "$lower" --upper "$up" -- true
	[ ! -e "$work/work/stale" ]
	[ "$(ls -A "$work")" = work ]
	# a relative DIR, as the README gives it
	cd "$BATS_TEST_TMPDIR"
	run -0 cfs-pivot --overlay ./lower --upper ./c2 -- sh -c 'echo x >/x'
	[ -f c2/x ] && [ -d .c2.cfs-work ]
}

@test "the new root's / has the top lower's mode and owner, with or without --upper" {
	mklower
	chmod 750 "$lower"
	chown 12:34 "$lower"
	run -0 cfs-pivot --overlay "$lower" -- stat -c '%a %u:%g' /
	[ "$output" = "750 12:34" ]
	run -0 sh -c "umask 077; cfs-pivot --overlay '$lower' --upper '$BATS_TEST_TMPDIR/up' -- stat -c '%a %u:%g' /"
	[ "$output" = "750 12:34" ]
}

@test "--overlay-size bounds the writes: ENOSPC inside, the rest still works" {
	mklower
	run -0 cfs-pivot --overlay "$lower" --overlay-size 1M -- sh -c '
		dd if=/dev/zero of=/small bs=1k count=256 2>/dev/null && echo small-ok
		dd if=/dev/zero of=/big bs=1k count=2048 2>&1 | grep -o "No space left on device"
		df -k / | awk "NR == 2 { print \$2 }"'
	[ "$output" = "small-ok
No space left on device
1024" ]
}

@test "several lowers: the leftmost on top; names with , : and \\ " {
	mklower bottom
	top="$BATS_TEST_TMPDIR/top,1:x\\y"
	mkdir -p "$top/etc" "$BATS_TEST_TMPDIR/mid"
	echo top >"$top/etc/hostname"
	echo top >"$top/layer"
	echo mid >"$BATS_TEST_TMPDIR/mid/layer"
	echo mid >"$BATS_TEST_TMPDIR/mid/only-mid"
	arg="$BATS_TEST_TMPDIR/top,1\\:x\\\\y:$BATS_TEST_TMPDIR/mid:$lower"
	run -0 cfs-pivot --overlay "$arg" -- sh -c 'cat /etc/hostname /layer /only-mid; ls /bin/sh'
	[ "$output" = "top
top
mid
/bin/sh" ]
}

@test "the mount(2) path, for a kernel without fsopen, gives the same overlay" {
	command -v strace >/dev/null || skip "no strace"
	mklower
	before=$(tree_sum "$lower")
	mkdir "$BATS_TEST_TMPDIR/top,a:b"
	echo top >"$BATS_TEST_TMPDIR/top,a:b/layer"
	# the overlay's fsopen is cfs-pivot's first; the others (proc, tmpfs)
	# need the new mount API
	run -0 strace -f -qq -o /dev/null -e trace=fsopen \
		-e inject=fsopen:error=ENOSYS:when=1 \
		cfs-pivot --overlay "$BATS_TEST_TMPDIR/top,a\\:b:$lower" \
		--upper "$BATS_TEST_TMPDIR/u,1" -- sh -c '
		cat /layer; echo w >/w
		grep -o "lowerdir=[^,]*" /proc/self/mountinfo'
	[ "${lines[0]}" = top ]
	[[ "${lines[1]}" =~ ^lowerdir=/proc/self/fd/[0-9]+:/proc/self/fd/[0-9]+$ ]]
	[ "$(cat "$BATS_TEST_TMPDIR/u,1/w")" = w ]
	[ "$(tree_sum "$lower")" = "$before" ]
}

@test "in a user namespace as nobody: userxattr, and a removed directory stays removed" {
	mklower
	chown -R 65534:65534 "$lower"
	up="$BATS_TEST_TMPDIR/n/up"
	mkdir "$BATS_TEST_TMPDIR/n" && chown 65534:65534 "$BATS_TEST_TMPDIR/n"
	# nobody must reach the test directory
	d="$BATS_TEST_TMPDIR"
	while [ "$d" != /tmp ]; do chmod o+x "$d"; d=$(dirname "$d"); done
	nobody() {
		setpriv --reuid 65534 --regid 65534 --clear-groups \
			cfs-unshare -r --mount --pid --fork -- \
			cfs-pivot --overlay "$lower" --upper "$up" -- sh -c "$1"
	}
	run -0 nobody 'rm -r /etc; mkdir /etc; echo x >/etc/new; ls /etc
		grep -o userxattr /proc/self/mountinfo'
	[ "$output" = "new
userxattr" ]
	run -0 nobody 'ls /etc'
	[ "$output" = new ]
	[ -f "$lower/etc/passwd" ]
}

@test "bad lowers: missing, a file, an empty layer; --upper and --overlay-size misused" {
	mklower
	run -125 --separate-stderr cfs-pivot --overlay "$lower:/no/such" true
	[ "$stderr" = "cfs-pivot: overlay lower /no/such: No such file or directory" ]
	run -125 --separate-stderr cfs-pivot --overlay "/etc/hostname:$lower" true
	[ "$stderr" = "cfs-pivot: overlay lower /etc/hostname: Not a directory" ]
	run -125 --separate-stderr cfs-pivot --overlay "$lower::$lower" true
	[ "${stderr_lines[0]}" = "cfs-pivot: --overlay $lower::$lower: an empty layer" ]
	run -125 --separate-stderr cfs-pivot --overlay "" true
	[[ "$stderr" == *"an empty layer"* ]]
	run -125 --separate-stderr cfs-pivot --upper "$BATS_TEST_TMPDIR/u" "$lower" true
	[[ "$stderr" == "cfs-pivot: --upper and --overlay-size need --overlay"* ]]
	run -125 --separate-stderr cfs-pivot --overlay "$lower" --upper "$BATS_TEST_TMPDIR/u" --overlay-size 1M true
	[[ "$stderr" == "cfs-pivot: --overlay-size bounds the tmpfs used without --upper"* ]]
	run -125 --separate-stderr cfs-pivot --overlay "$lower" --overlay-size 12Q true
	[[ "$stderr" == "cfs-pivot: --overlay-size 12Q: not a size"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/u" ]
}

@test "overlapping layers are refused, and nothing is made in the lower" {
	mklower
	before=$(tree_sum "$lower")
	run -125 --separate-stderr cfs-pivot --overlay "$lower" --upper "$lower/up" true
	[ "$stderr" = "cfs-pivot: overlay upper $lower/up: inside the lower $lower (the layers must not overlap)" ]
	run -125 --separate-stderr cfs-pivot --overlay "$lower" --upper "$lower/etc" true
	[ "$stderr" = "cfs-pivot: overlay upper $lower/etc: inside the lower $lower (the layers must not overlap)" ]
	run -125 --separate-stderr cfs-pivot --overlay "$lower" --upper "$lower" true
	[[ "$stderr" == *"inside the lower"* ]]
	[ "$(tree_sum "$lower")" = "$before" ]
	up="$BATS_TEST_TMPDIR/up"
	mkdir -p "$up/layer"
	run -125 --separate-stderr cfs-pivot --overlay "$up/layer:$lower" --upper "$up" true
	[ "$stderr" = "cfs-pivot: overlay lower $up/layer: inside the upper $up (the layers must not overlap)" ]
	[ ! -e "$BATS_TEST_TMPDIR/.up.cfs-work" ]
}

@test "an upper that is a mount point (not on its work dir's file system) is refused" {
	mklower
	up="$BATS_TEST_TMPDIR/mnt"
	mkdir "$up"
	run -125 --separate-stderr cfs-unshare --mount -- sh -c '
		mount -t tmpfs tmpfs "$1" && exec cfs-pivot --overlay "$2" --upper "$1" true' \
		sh "$up" "$lower"
	[ "$stderr" = "cfs-pivot: overlay upper $up: not on the file system of its work dir $BATS_TEST_TMPDIR/.mnt.cfs-work (give a directory inside that mount)" ]
	[ ! -e "$BATS_TEST_TMPDIR/.mnt.cfs-work" ]
}

@test "a kernel without overlayfs: what to do" {
	command -v strace >/dev/null || skip "no strace"
	mklower
	run -125 --separate-stderr strace -f -qq -o /dev/null -e trace=fsopen \
		-e inject=fsopen:error=ENODEV cfs-pivot --overlay "$lower" true
	[ "$stderr" = "cfs-pivot: overlay: not supported by this kernel (modprobe overlay)" ]
	run -125 --separate-stderr strace -f -qq -o /dev/null -e trace=fsopen,mount \
		-e inject=fsopen:error=ENOSYS -e inject=mount:error=ENODEV:when=3 \
		cfs-pivot --overlay "$lower" true
	[ "$stderr" = "cfs-pivot: overlay: not supported by this kernel (modprobe overlay)" ]
}
