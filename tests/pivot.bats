#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-pivot: each option, each bad input, and that the host is never
# mounted on.
load common

pivot() { cfs-pivot "$@"; }

@test "--help, --usage, --version; unknown option 125" {
	run -0 cfs-pivot --help
	[[ "$output" == *"--bind=SRC:DST[:FLAGS]"* ]]
	run -0 cfs-pivot --usage
	run -0 cfs-pivot --version
	[[ "$output" == "cfs-pivot (cfs) "* ]]
	run -125 --separate-stderr cfs-pivot --bogus "$ROOTFS" true
	[[ "$stderr" == *"cfs-pivot: --bogus: unknown option"* ]]
}

@test "run from the host's mount namespace, it makes its own and leaves the host's alone" {
	run -0 cfs-pivot "$ROOTFS" -- readlink /proc/self/ns/mnt
	[ "$output" != "$(readlink /proc/self/ns/mnt)" ]
	# teardown compares the host's mount table too
}

@test "no PROGRAM runs the new root's /bin/sh; the -- is optional" {
	run -4 cfs-pivot "$ROOTFS" <<<'exit 4'
	run -0 cfs-pivot "$ROOTFS" echo no dashes
	[ "$output" = "no dashes" ]
}

@test "bad NEWROOT: missing, a file, empty, none given" {
	run -125 --separate-stderr cfs-pivot /no/such/root true
	[ "$stderr" = "cfs-pivot: /no/such/root: No such file or directory" ]
	run -125 --separate-stderr cfs-pivot /etc/hostname true
	[ "$stderr" = "cfs-pivot: /etc/hostname: Not a directory" ]
	mkdir "$BATS_TEST_TMPDIR/empty"
	run -125 --separate-stderr cfs-pivot "$BATS_TEST_TMPDIR/empty" true
	[[ "$stderr" == "cfs-pivot: $BATS_TEST_TMPDIR/empty: is empty"* ]]
	run -125 --separate-stderr cfs-pivot
	[[ "$stderr" == *"no NEWROOT given"* ]]
}

@test "PROGRAM missing from the new root gives 127, not executable 126" {
	run -127 --separate-stderr cfs-pivot "$ROOTFS" -- /bin/nosuch
	[ "$stderr" = "cfs-pivot: $ROOTFS/bin/nosuch: not found in the new root" ]
	run -127 --separate-stderr cfs-pivot "$ROOTFS" -- nosuch
	[[ "$stderr" == "cfs-pivot: nosuch: not found in the new root's PATH"* ]]
	run -126 --separate-stderr cfs-pivot "$ROOTFS" -- /etc/hostname
	[ "$stderr" = "cfs-pivot: failed to execute $ROOTFS/etc/hostname: Permission denied" ]
}

@test "as a user without CAP_SYS_ADMIN: 125 and why" {
	run -125 --separate-stderr setpriv --reuid 65534 --regid 65534 --clear-groups cfs-pivot "$ROOTFS" true
	[[ "$stderr" == "cfs-pivot: mounting needs CAP_SYS_ADMIN"* ]]
}

@test "in a user namespace (cfs-unshare -r) as nobody, the container still works" {
	# the suite's rootfs is in a 0700 directory: a copy nobody can reach
	# (bats removes the test's directory; the run's is made private again
	# at once, for the tests after this one)
	cp -a "$ROOTFS" "$BATS_TEST_TMPDIR/rootfs"
	chmod o+x "$BATS_RUN_TMPDIR" "$(dirname "$BATS_TEST_TMPDIR")" "$BATS_TEST_TMPDIR"
	run setpriv --reuid 65534 --regid 65534 --clear-groups \
		cfs-unshare -r --mount --pid --ipc --net --uts -- \
		cfs-pivot "$BATS_TEST_TMPDIR/rootfs" -- sh -c 'id -u; echo $$; ls /sys/class/net'
	chmod o-x "$BATS_RUN_TMPDIR" "$(dirname "$BATS_TEST_TMPDIR")"
	[ "$status" = 0 ]
	[ "$output" = "0
1
lo" ]
}

@test "--read-only: the root refuses writes, a --tmpfs still takes them" {
	run -0 cfs-pivot --read-only --tmpfs /tmp "$ROOTFS" sh -c '
		touch /x 2>/dev/null || echo root-ro
		touch /tmp/x && echo tmp-rw
		touch /dev/shm/x && echo shm-rw'
	[ "$output" = "root-ro
tmp-rw
shm-rw" ]
	[ ! -e "$ROOTFS/x" ]
}

@test "--bind SRC:DST, :ro, a file, and mounts kept in their order" {
	src="$BATS_TEST_TMPDIR/src"
	mkdir "$src"
	echo hello >"$src/f"
	run -0 cfs-pivot --tmpfs /mnt --bind "$src:/mnt/rw" --bind "$src:/mnt/ro:ro" \
		--bind "$src/f:/mnt/file" "$ROOTFS" sh -c '
		cat /mnt/rw/f /mnt/file
		echo new >/mnt/rw/g && echo rw-written
		{ echo no >/mnt/ro/h; } 2>/dev/null || echo ro-refused'
	[ "$output" = "hello
hello
rw-written
ro-refused" ]
	[ "$(cat "$src/g")" = new ]
	[ ! -e "$src/h" ]
}

@test "bad --bind specs are refused before anything is mounted" {
	run -125 --separate-stderr cfs-pivot --bind nocolon "$ROOTFS" true
	[ "$stderr" = "cfs-pivot: --bind nocolon: not SRC:DST[:ro]" ]
	run -125 --separate-stderr cfs-pivot --bind /etc:/x:rx "$ROOTFS" true
	[ "$stderr" = "cfs-pivot: --bind /etc:/x:rx: rx: not a flag (ro, rw, nosuid, noexec, strictatime, [r]private, [r]slave, [r]shared, [r]unbindable)" ]
	run -125 --separate-stderr cfs-pivot --bind /no/such:/x "$ROOTFS" true
	[ "$stderr" = "cfs-pivot: --bind /no/such: No such file or directory" ]
	run -125 --separate-stderr cfs-pivot --bind /etc:relative "$ROOTFS" true
	[[ "$stderr" == *"relative: not an absolute path in the new root" ]]
}

@test "a relative NEWROOT and --bind source are taken from where cfs-pivot starts" {
	mkdir "$BATS_TEST_TMPDIR/src"
	echo hi >"$BATS_TEST_TMPDIR/src/f"
	cd "$(dirname "$ROOTFS")"
	src=$(realpath --relative-to=. "$BATS_TEST_TMPDIR/src")
	run -0 cfs-pivot --bind "$src:/mnt:ro" "$(basename "$ROOTFS")" cat /mnt/f
	[ "$output" = hi ]
	run -125 --separate-stderr cfs-pivot --bind nosuch:/mnt "$(basename "$ROOTFS")" true
	[ "$stderr" = "cfs-pivot: --bind nosuch: No such file or directory" ]
	run -125 --separate-stderr cfs-pivot nosuch true
	[[ "$stderr" == "cfs-pivot: "*"nosuch"*"No such file or directory" ]]
}

@test "--wd sets the working directory inside; a missing one is an error" {
	run -0 cfs-pivot --wd /etc "$ROOTFS" pwd
	[ "$output" = /etc ]
	run -125 --separate-stderr cfs-pivot --wd /nowhere "$ROOTFS" pwd
	[ "$stderr" = "cfs-pivot: chdir /nowhere (in $ROOTFS): No such file or directory" ]
}

@test "--no-proc, --no-sys, --no-dev leave those alone" {
	run -0 cfs-pivot --no-proc --no-sys --no-dev "$ROOTFS" sh -c '
		ls /proc | wc -l; ls /sys | wc -l; ls /dev | wc -l'
	[ "$output" = "0
0
0" ]
}

@test "--no-pivot: MS_MOVE and chroot give the same root" {
	run -0 cfs-pivot --no-pivot "$ROOTFS" sh -c 'ls / | wc -l; echo $(cat /proc/self/mountinfo | wc -l)'
	[ "${lines[0]}" = "$(ls "$ROOTFS" | wc -l)" ]
}

@test "a rootfs whose /proc and /dev are symlinks to host paths cannot make us mount on the host" {
	evil="$BATS_TEST_TMPDIR/evil"
	host="$BATS_TEST_TMPDIR/host-target"
	mkdir -p "$evil/bin" "$host"
	cp "$ROOTFS/bin/busybox" "$evil/bin/"
	ln -s busybox "$evil/bin/sh"
	ln -s "$host" "$evil/proc"
	ln -s ../../../../../../../.."$host" "$evil/dev"
	run -125 --separate-stderr cfs-pivot --no-sys "$evil" /bin/sh -c 'echo inside'
	[ "$stderr" = "cfs-pivot: mount proc on $evil/proc: not an ordinary directory (a symlink): refused" ]
	run -125 --separate-stderr cfs-pivot --no-sys --no-proc "$evil" /bin/sh -c 'echo inside'
	[ "$stderr" = "cfs-pivot: mount tmpfs on $evil/dev: not an ordinary directory (a symlink): refused" ]
	# the host directory was never mounted on, nothing was made in it
	! grep -q " $host " /proc/self/mountinfo || false
	[ -z "$(ls -A "$host")" ]
	# nor is a link that stays inside the root followed: the kernel's
	# filesystems go on ordinary directories (tests/escape-mounts.bats)
	mkdir -p "$evil/real"
	ln -sfn /real "$evil/proc"
	run -125 --separate-stderr cfs-pivot --no-sys --no-dev "$evil" /bin/sh -c 'echo inside'
	[ "$stderr" = "cfs-pivot: mount proc on $evil/proc: not an ordinary directory (a symlink): refused" ]
	# but a --bind or --tmpfs target may be reached through one
	run -0 cfs-pivot --no-sys --no-dev --no-proc --tmpfs /proc/x "$evil" \
		/bin/sh -c 'echo x >/proc/x/y && read v </real/x/y && echo $v'
	[ "$output" = x ]
}

@test "fds opened by cfs-pivot, or left open by its caller, do not reach PROGRAM" {
	run -0 cfs-pivot --bind "$PROBE:/probe:ro" "$ROOTFS" /probe fds
	[ "$(tr '\n' ' ' <<<"$output")" = "0 1 2 " ]
}

# On a kernel older than a call cfs-pivot makes, one line says which call
# and which release (tests/helpers/nosys.c answers the call with ENOSYS,
# as such a kernel does).
@test "a kernel without a call it needs: one line naming the call and the Linux release" {
	NOSYS="$CFS_BUILD/nosys"
	run -125 --separate-stderr "$NOSYS" mount_setattr -- cfs-pivot "$ROOTFS" true
	[ "$stderr" = "cfs-pivot: bind $ROOTFS on itself: needs Linux 5.12 or later for mount_setattr" ]
	run -125 --separate-stderr "$NOSYS" openat2 -- cfs-pivot "$ROOTFS" true
	[ "$stderr" = "cfs-pivot: needs Linux 5.6 or later for openat2" ]
	run -125 --separate-stderr "$NOSYS" fsopen -- cfs-pivot "$ROOTFS" true
	[ "$stderr" = "cfs-pivot: mount proc on $ROOTFS/proc: needs Linux 5.2 or later for fsopen" ]
	for call in open_tree move_mount; do
		run -125 --separate-stderr "$NOSYS" $call -- cfs-pivot "$ROOTFS" true
		[ "$stderr" = "cfs-pivot: bind $ROOTFS on itself: needs Linux 5.2 or later for $call" ]
	done
}

@test "--tmpfs DST:OPTIONS: docker's size, mode, uid, gid, nr_inodes, noexec, ro; others refused" {
	run -0 --separate-stderr cfs-unshare -m -- cfs-pivot \
		--tmpfs /tmp:size=1m,mode=1777 \
		--tmpfs /mnt:uid=1000,gid=1000,mode=700,nr_inodes=10,noexec,ro \
		"$ROOTFS" -- sh -c 'stat -c %a /tmp; df -k /tmp | tail -1
			stat -c "%u %g %a" /mnt; grep " /mnt " /proc/self/mountinfo'
	echo "$output"
	[ "${lines[0]}" = 1777 ]
	[ "$(awk '{print $2}' <<<"${lines[1]}")" = 1024 ]
	[ "${lines[2]}" = "1000 1000 700" ]
	[[ "${lines[3]}" == *" /mnt ro,nosuid,nodev,noexec,"*"nr_inodes=10"* ]]
	# the old form: a directory named "tmp:size=1m" is no longer made
	[ ! -e "$ROOTFS/tmp:size=1m" ]
	run -125 --separate-stderr cfs-pivot --tmpfs /tmp:size=1m,foo=2 "$ROOTFS" true
	[ "${stderr_lines[0]}" = "cfs-pivot: --tmpfs /tmp:size=1m,foo=2: foo=2: not an option of a tmpfs here (size=, mode=, uid=, gid=, nr_inodes=, noexec, exec, ro, relatime, strictatime, noatime, tmpcopyup, [r]shared...)" ]
	run -125 --separate-stderr cfs-pivot --tmpfs /tmp:mode=8 "$ROOTFS" true
	[[ "${stderr_lines[0]}" == "cfs-pivot: --tmpfs /tmp:mode=8: mode=8: not an option"* ]]
	run -125 --separate-stderr cfs-pivot --tmpfs /tmp:size=lots "$ROOTFS" true
	[[ "${stderr_lines[0]}" == "cfs-pivot: --tmpfs /tmp:size=lots: size=lots: not an option"* ]]
}

@test "what a newcomer types: an option after NEWROOT, a --bind flag that is not one" {
	run -125 --separate-stderr cfs-pivot "$ROOTFS" --bind /tmp:/x sh
	[ "${stderr_lines[0]}" = "cfs-pivot: --bind after NEWROOT is passed to the command; put options before $ROOTFS (or -- before a command of that name)" ]
	# after --, it is the command's
	run -127 --separate-stderr cfs-pivot "$ROOTFS" -- --bind
	run -125 --separate-stderr cfs-pivot --bind /tmp:/x:rx "$ROOTFS" true
	[ "$stderr" = "cfs-pivot: --bind /tmp:/x:rx: rx: not a flag (ro, rw, nosuid, noexec, strictatime, [r]private, [r]slave, [r]shared, [r]unbindable)" ]
}

@test "--exec-fifo: PROGRAM waits until the fifo is read; --ready-fd says when the rest is done" {
	local T=$BATS_TEST_TMPDIR i
	mkfifo -m 622 "$T/fifo"
	(exec cfs-unshare --pid --mount --fork -- cfs-pivot --exec-fifo "$T/fifo" \
		--ready-fd 3 "$ROOTFS" -- /bin/echo ran >"$T/out" 2>&1 3>"$T/ready") &
	echo $! >>"$T/pids"
	for i in $(seq 100); do [ -s "$T/ready" ] && break; sleep 0.05; done
	[ "$(cat "$T/ready")" = r ]
	sleep 0.2
	# ready, and blocked before the exec
	[ ! -s "$T/out" ]
	[ "$(cat "$T/fifo")" = 0 ]
	wait $!
	[ "$(cat "$T/out")" = ran ]
	run -125 --separate-stderr cfs-pivot --exec-fifo "$T/ready" "$ROOTFS" true
	[ "$stderr" = "cfs-pivot: --exec-fifo $T/ready: not a fifo" ]
}

@test "--cap-ambient: the capabilities kept are inheritable and ambient too" {
	run -0 cfs-pivot --cap-drop ALL --cap-add KILL --cap-add CHOWN --cap-ambient \
		"$ROOTFS" -- grep -E '^Cap(Inh|Eff|Amb):' /proc/self/status
	[ "${lines[0]}" = "CapInh:	0000000000000021" ]
	[ "${lines[1]}" = "CapEff:	0000000000000021" ]
	[ "${lines[2]}" = "CapAmb:	0000000000000021" ]
	# and with a user switch to root: CAP_SETPCAP of the default set
	# kept too (libcap-ng's capng_change_id would drop it)
	run -0 cfs-pivot --cap-ambient --user 0:0 "$ROOTFS" -- grep -E '^Cap(Inh|Amb):' /proc/self/status
	[ "${lines[0]}" = "CapInh:	00000000a80425fb" ]
	[ "${lines[1]}" = "CapAmb:	00000000a80425fb" ]
	# without it, none
	run -0 cfs-pivot --cap-drop ALL --cap-add KILL "$ROOTFS" -- grep -E '^CapAmb:' /proc/self/status
	[ "$output" = "CapAmb:	0000000000000000" ]
}

@test "the mounts come in the order of runc's default config, /dev/shm's source is shm" {
	run -0 cfs-unshare -m -- cfs-pivot "$ROOTFS" -- cat /proc/self/mountinfo
	run -0 awk '$5 ~ /^\/(proc|sys|dev|dev\/pts|dev\/shm|dev\/mqueue)$/ { print $5, $(NF-1) }' <<<"$output"
	[ "$output" = "/proc proc
/dev tmpfs
/dev/pts devpts
/dev/shm shm
/dev/mqueue mqueue
/sys sysfs" ]
}

@test "--oom-score-adj and --umask reach PROGRAM; bad values are refused first" {
	# raised only: lowering it needs CAP_SYS_RESOURCE, which this host may lack
	run -0 cfs-pivot --oom-score-adj=500 --umask 027 "$ROOTFS" -- sh -c 'cat /proc/self/oom_score_adj; umask'
	[ "$output" = "500
0027" ]
	run -125 --separate-stderr cfs-pivot --oom-score-adj 1001 "$ROOTFS" true
	[ "${stderr_lines[0]}" = "cfs-pivot: --oom-score-adj 1001: not -1000 to 1000" ]
	run -125 --separate-stderr cfs-pivot --umask 0800 "$ROOTFS" true
	[ "${stderr_lines[0]}" = "cfs-pivot: --umask 0800: not an octal mode 0 to 0777" ]
}

@test "--tmpfs DST:tmpcopyup: the tmpfs holds a copy of what DST held (owners, modes, links, fifos), then read-only with ro" {
	local s=$BATS_TEST_TMPDIR/src
	mkdir -p "$s/d/e"
	echo hi >"$s/d/f"
	ln -s ../elsewhere "$s/d/l"
	mkfifo "$s/p"
	chown 123:45 "$s/d/f"
	chmod 640 "$s/d/f"
	chmod 711 "$s/d"
	touch -d 2001-02-03 "$s/d/f"
	run -0 --separate-stderr cfs-pivot --bind "$s:/src" --tmpfs /src:tmpcopyup,ro "$ROOTFS" -- sh -c '
		cd /src && find . | sort | while read -r f; do stat -c "%n %A %u:%g" "$f"; done
		cat d/f; readlink d/l; date -r d/f +%F
		touch x 2>/dev/null || echo read-only
		awk "\$5 == \"/src\" {print \$6}" /proc/self/mountinfo | tail -n 1'
	[ "$output" = ". drwxr-xr-x 0:0
./d drwx--x--x 0:0
./d/e drwxr-xr-x 0:0
./d/f -rw-r----- 123:45
./d/l lrwxrwxrwx 0:0
./p prw-r--r-- 0:0
hi
../elsewhere
2001-02-03
read-only
ro,nosuid,nodev,relatime" ] || { echo "$output"; false; }
	# the host's directory is untouched
	[ ! -e "$s/x" ]
	# a socket is not copied: an error naming it
	python3 -c "import socket; socket.socket(socket.AF_UNIX).bind('$s/sock')"
	run -125 --separate-stderr cfs-pivot --bind "$s:/src" --tmpfs /src:tmpcopyup "$ROOTFS" -- true
	[ "$stderr" = "cfs-pivot: copy $ROOTFS/src/sock: not a directory, file, link or fifo" ] || { echo "$stderr"; false; }
}

@test "--cgroupfs: the cgroup NAME of each hierarchy, read-only; --cgroupfs-rw; bad names refused" {
	local cg=pivot-ocicg-$$
	# a cgroup of another, which must not show
	cfs-cgroup -p 7 --rm "$cg-other" -- sleep 30 &
	echo $! >"$BATS_TEST_TMPDIR/other"
	run -0 --separate-stderr cfs-cgroup -p 9 --rm "$cg" -- cfs-pivot --cgroupfs="$cg" "$ROOTFS" -- sh -c '
		cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max
		find /sys/fs/cgroup -name "*-other" | wc -l
		awk "\$5 == \"/sys/fs/cgroup\" {print \$6}" /proc/self/mountinfo
		echo 5 >/sys/fs/cgroup/pids/pids.max 2>/dev/null || echo 5 >/sys/fs/cgroup/pids.max || echo refused'
	[ "$output" = "9
0
ro,nosuid,nodev,noexec,relatime
refused" ] || { echo "$output"; false; }
	run -0 --separate-stderr cfs-cgroup -p 9 --rm "$cg" -- cfs-pivot --cgroupfs="$cg" --cgroupfs-rw "$ROOTFS" -- sh -c '
		f=/sys/fs/cgroup/pids/pids.max; [ -e $f ] || f=/sys/fs/cgroup/pids.max
		echo 5 >$f && cat $f'
	[ "$output" = 5 ]
	kill "$(cat "$BATS_TEST_TMPDIR/other")"
	wait
	for n in ../x .x a//b /cfs/.. ""; do
		run -125 --separate-stderr cfs-pivot --cgroupfs="$n" "$ROOTFS" -- true
		[[ "$stderr" == "cfs-pivot: --cgroupfs $n: not a cgroup name"* ]] || { echo "$n: $stderr"; false; }
	done
	run -125 --separate-stderr cfs-pivot --cgroupfs-rw "$ROOTFS" -- true
	[ "${stderr_lines[0]}" = "cfs-pivot: --cgroupfs-rw needs --cgroupfs" ]
}
