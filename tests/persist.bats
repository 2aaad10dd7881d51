#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Namespaces kept as files: --uts=FILE and the others, --persist DIR and
# --remove DIR, --stop DIR, --pidfile, --info-fd. util-linux's nsenter checks that
# what we keep are real namespace files; cfs-enter is tested on them in
# enter.bats and here for the seed's own lines.
load common

fs_type() { stat -f -c %T "$1"; }

# A test's cgroup, test.persist-PID, is removed after common's teardown.
eval "common_$(declare -f teardown)"
teardown() {
	local rc=0
	common_teardown || rc=$?
	if cfs-cgroup --list 2>/dev/null | grep -qx "test.persist-$$"; then
		cfs-cgroup --delete "test.persist-$$" || rc=1
	fi
	return $rc
}

@test "the seed's line: --uts=FILE outlives its command, cfs-enter --uts=FILE sees it" {
	f="$BATS_TEST_TMPDIR/run/cfs/demo/uts"
	run -0 cfs-unshare --uts="$f" -- hostname foo
	[ "$(fs_type "$f")" = nsfs ]
	run -0 cfs-enter --uts="$f" -- hostname
	[ "$output" = foo ]
	run -0 nsenter --uts="$f" hostname
	[ "$output" = foo ]
	umount "$f"
}

@test "every type can be kept with --TYPE=FILE, and -u takes no FILE" {
	d="$BATS_TEST_TMPDIR/ns"
	run -0 cfs-unshare --mount="$d/mnt" --uts="$d/uts" --ipc="$d/ipc" \
		--net="$d/net" --pid="$d/pid" --user="$d/user" \
		--cgroup="$d/cgroup" --time="$d/time" -- true
	for t in mnt uts ipc net pid user cgroup time; do
		[ "$(fs_type "$d/$t")" = nsfs ] || { echo "$t"; false; }
		[ "$(stat -L -c %i "$d/$t")" != "$(stat -L -c %i /proc/self/ns/$t)" ]
		umount "$d/$t"
	done
	run -0 cfs-unshare -u hostname # the word after -u is the program
	[ "$output" = "$(hostname)" ]
}

@test "--persist DIR: one file per new namespace, DIR 0700; --remove leaves nothing" {
	d="$BATS_TEST_TMPDIR/run/cfs/box"
	run -0 cfs-unshare --persist "$d" --uts --pid --mount --ipc --net --fork \
		--hostname box -- cfs-pivot "$ROOTFS" -- true
	[ "$(stat -c %a "$d")" = 700 ]
	[ "$(ls "$d" | tr '\n' ' ')" = "init.pid ipc mnt net pid uts " ]
	# DIR is a private mount of its own, where a mount namespace file can
	# be kept even when / is shared
	line=$(awk -v d="$d" '$5 == d' /proc/self/mountinfo)
	[ -n "$line" ] && [[ "$line" != *shared:* ]]
	run -0 nsenter --uts="$d/uts" hostname
	[ "$output" = box ]
	# the kept mount namespace is the container's: its root is the rootfs
	run -0 nsenter --mount="$d/mnt" ls /
	[ "$output" = "$(ls "$ROOTFS")" ]
	run -0 cfs-unshare --remove "$d"
	[ ! -e "$d" ]
	! grep -q " $d" /proc/self/mountinfo || false
}

@test "--remove refuses what is not a --persist DIR, and leaves it alone" {
	d="$BATS_TEST_TMPDIR/notours"
	mkdir -p "$d"
	run -125 --separate-stderr cfs-unshare --remove "$d"
	[[ "$stderr" == *"not a container made with --persist (no namespace file in it)" ]]
	echo data >"$d/uts"
	run -125 --separate-stderr cfs-unshare --remove "$d"
	[[ "$stderr" == *"not a container made with --persist (uts is not a namespace file)" ]]
	rm "$d/uts"; touch "$d/notes"
	run -125 --separate-stderr cfs-unshare --remove "$d"
	[[ "$stderr" == *"(notes is not a namespace file)" ]]
	[ -f "$d/notes" ]
	run -125 --separate-stderr cfs-unshare --remove /etc/hostname
	[ "$stderr" = "cfs-unshare: --remove /etc/hostname: Not a directory" ]
	run -125 --separate-stderr cfs-unshare --remove "$BATS_TEST_TMPDIR/none"
	[[ "$stderr" == *"No such file or directory" ]]
	run -125 --separate-stderr cfs-unshare --remove "$d" --uts true
	[[ "$stderr" == *"--remove takes no option but --force, and no program" ]]
}

@test "--persist refuses a non-empty DIR, and an empty ask" {
	d="$BATS_TEST_TMPDIR/full"
	mkdir "$d"; touch "$d/x"
	run -125 --separate-stderr cfs-unshare --persist "$d" --uts true
	[ "$stderr" = "cfs-unshare: --persist $d (it holds x): Directory not empty" ]
	[ "$(ls "$d")" = x ]
	# what is in it, three names at most
	touch "$d/w" "$d/y" "$d/z" "$d/v"
	run -125 --separate-stderr cfs-unshare --persist "$d" --uts true
	[[ "$stderr" == "cfs-unshare: --persist $d (it holds "?", "?", "?" and 2 more): Directory not empty" ]]
	run -125 --separate-stderr cfs-unshare --persist "$BATS_TEST_TMPDIR/e" true
	[[ "$stderr" == *"no namespace asked for" ]]
	[ ! -e "$BATS_TEST_TMPDIR/e" ]
}

@test "a failure half-way undoes the files, mounts and DIR it made" {
	d="$BATS_TEST_TMPDIR/half"
	# uts binds, then the net file's directory cannot be made: a file is there
	touch "$BATS_TEST_TMPDIR/blocker"
	run -125 --separate-stderr cfs-unshare --uts="$d/uts" \
		--net="$BATS_TEST_TMPDIR/blocker/net" -- true
	[[ "$stderr" == *"create $BATS_TEST_TMPDIR/blocker"* ]]
	[ ! -e "$d/uts" ]
	! grep -q " $d/uts " /proc/self/mountinfo || false
}

@test "a file already holding a namespace is refused" {
	f="$BATS_TEST_TMPDIR/uts"
	run -0 cfs-unshare --uts="$f" -- true
	run -125 --separate-stderr cfs-unshare --uts="$f" -- true
	[ "$stderr" = "cfs-unshare: $f: already a namespace file: Device or resource busy" ]
	umount "$f"
}

@test "a mount namespace file on a shared mount: a clear error" {
	# a systemd-like host, inside a mount namespace of this test: / shared,
	# with a slave copy in another namespace for the bind to propagate to.
	# (--persist, which makes its DIR a private mount, is not tried here:
	# on this kernel a mount namespace file kept from a namespace other
	# than the host's fails at random, the namespaces' ids not being in
	# the order they were made; the test above keeps one from the host's.)
	d="$BATS_TEST_TMPDIR"
	run -0 --separate-stderr cfs-unshare --mount --propagation shared -- sh -c "
		cfs-unshare --mount --propagation slave -- sleep 100 & slave=\$!
		sleep 0.2
		cfs-unshare --mount='$d/mnt' -- true; echo file=\$?
		kill \$slave"
	[ "${lines[0]}" = file=125 ]
	[[ "$stderr" == *"only in a file on a mount with private propagation"* ]]
	[ ! -e "$d/mnt" ]
}

@test "--pidfile has PROGRAM's PID as the host sees it" {
	start cfs-unshare --pid --pidfile "$BATS_TEST_TMPDIR/pid" -- sh -c 'echo ready; exec sleep 100'
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$(pgrep -P "$chain")" ]
	start cfs-unshare --uts --no-fork --pidfile "$BATS_TEST_TMPDIR/pid2" -- sh -c 'echo ready; exec sleep 100'
	[ "$(cat "$BATS_TEST_TMPDIR/pid2")" = "$chain" ]
	# written on the host even when the container pivots at once
	run -0 cfs-unshare --pid --mount --pidfile "$BATS_TEST_TMPDIR/pid3" -- \
		cfs-pivot "$ROOTFS" -- true
	[ -s "$BATS_TEST_TMPDIR/pid3" ] && [ ! -e "$ROOTFS$BATS_TEST_TMPDIR/pid3" ]
}

@test "--info-fd gives the PID and each new namespace's inode, as JSON" {
	start cfs-unshare --pid --uts --net --info-fd 3 -- sh -c 'echo ready; exec sleep 100' 3>"$BATS_TEST_TMPDIR/info"
	pid=$(pgrep -P "$chain")
	info=$(cat "$BATS_TEST_TMPDIR/info")
	[[ "$info" == *"\"child-pid\": $pid"* ]]
	for t in pid uts net; do
		[[ "$info" == *"\"$t-namespace\": $(stat -L -c %i /proc/$pid/ns/$t)"* ]] || { echo "$t: $info"; false; }
	done
	[[ "$info" != *mnt-namespace* ]]
	run -125 --separate-stderr cfs-unshare --uts --info-fd 9 true
	[ "$stderr" = "cfs-unshare: --info-fd 9: Bad file descriptor" ]
}

@test "a kept PID namespace: entered while its init lives; once it is gone, an error, not a hang" {
	d="$BATS_TEST_TMPDIR/box"
	start cfs-unshare --persist "$d" --pid --mount -- cfs-pivot "$ROOTFS" -- sh -c 'echo ready; exec sleep 100'
	run -0 cfs-enter --persist "$d" --all -- ps -o pid,comm
	[[ "${lines[1]}" =~ ^\ *1\ sleep$ ]]
	kill -KILL "$(pgrep -P "$chain")"
	wait "$chain" || true
	run -125 --separate-stderr timeout 10 cfs-enter --pid="$d/pid" -- true
	[[ "$stderr" == *"its init has exited"* ]]
	run -0 cfs-unshare --remove "$d"
}

@test "--no-fork cannot keep a PID namespace" {
	run -125 --separate-stderr cfs-unshare --pid="$BATS_TEST_TMPDIR/pid" --no-fork true
	[[ "$stderr" == *"not with --no-fork" ]]
	[ ! -e "$BATS_TEST_TMPDIR/pid" ]
}

# issue 17, 2: a persisted container you can stop and trust.

# The namespaces of process $1 of type $2 (pid, mnt...) still have a
# process in them: none is left.
no_process_in() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" != "$1" ] ||
			{ echo "left in $1: ${p#/proc/}"; return 1; }
	done
}

@test "--pidfile is whole before PROGRAM runs, never seen empty; its directory made 0700" {
	f="$BATS_TEST_TMPDIR/run/cfs/c.pid"
	# PROGRAM finds it, whole, with its own PID (as the host sees it)
	run -0 cfs-unshare --pid --pidfile "$f" -- sh -c 'cat "$1"; echo $$' sh "$f"
	[ "${lines[0]}" = "$(cat "$f")" ] && [ "${lines[1]}" = 1 ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/run/cfs")" = 700 ]
	# a reader racing the start finds no file, or the whole PID
	g="$BATS_TEST_TMPDIR/race.pid"
	for i in $(seq 20); do
		rm -f "$g"
		cfs-unshare --pid --net --pidfile "$g" -- true &
		chain=$!
		echo "$chain" >>"$BATS_TEST_TMPDIR/pids"
		seen= j=0
		while [ $((j += 1)) -le 20000 ]; do # builtins only: no fork
			[ -e "$g" ] || continue
			read -r seen <"$g" || true
			[ -n "$seen" ] || { echo "start $i: read empty"; false; }
			break
		done
		wait "$chain"
		[ -n "$seen" ] && [ "$seen" = "$(cat "$g")" ] || { echo "start $i: '$seen'"; false; }
	done
	# a pidfile that cannot be written stops the chain before PROGRAM
	touch "$BATS_TEST_TMPDIR/file"
	run -125 --separate-stderr cfs-unshare --pid --pidfile "$BATS_TEST_TMPDIR/file/x.pid" -- echo ran
	[[ "$stderr" == "cfs-unshare: create $BATS_TEST_TMPDIR/file: "* ]] && [ -z "$output" ]
}

@test "--stop DIR: TERM to the container's init, exit 0, its files and pidfile gone, no process left" {
	d="$BATS_TEST_TMPDIR/run/box" p="$BATS_TEST_TMPDIR/run/box.pid"
	start cfs-unshare --persist "$d" --pid --mount --uts --init --pidfile "$p" -- \
		cfs-pivot "$ROOTFS" -- sh -c 'echo ready; exec sleep 1000'
	init=$(cat "$p")
	[ "$(cat "$d/init.pid")" = "$init" ]
	ns=$(readlink "/proc/$init/ns/pid")
	SECONDS=0
	run -0 --separate-stderr cfs-unshare --stop "$d"
	[ "$SECONDS" -lt 5 ] && [ -z "$stderr" ]
	[ ! -e "$d" ] && [ ! -e "$p" ]
	! grep -q " $d" /proc/self/mountinfo || false
	rc=0; wait "$chain" || rc=$?
	[ "$rc" = 143 ]	# the init forwarded TERM to sleep
	no_process_in "$ns"
}

@test "--stop DIR of a container that ignores TERM: KILL after --timeout, exit 1" {
	d="$BATS_TEST_TMPDIR/box"
	start cfs-unshare --persist "$d" --pid --mount -- \
		cfs-pivot "$ROOTFS" -- sh -c 'trap "" TERM; echo ready; sleep 1000'
	init=$(cat "$d/init.pid")
	ns=$(readlink "/proc/$init/ns/pid")
	SECONDS=0
	run -1 --separate-stderr cfs-unshare --stop "$d" --timeout 1
	[ "$SECONDS" -ge 1 ] && [ "$SECONDS" -lt 5 ]
	[ ! -e "$d" ]
	rc=0; wait "$chain" || rc=$?
	[ "$rc" = 137 ]
	no_process_in "$ns"
}

@test "--stop --signal: the signal the container's init handles" {
	d="$BATS_TEST_TMPDIR/box"
	start cfs-unshare --persist "$d" --pid --mount -- \
		cfs-pivot "$ROOTFS" -- sh -c 'trap "exit 7" USR1; echo ready; sleep 1000 & wait'
	run -0 --separate-stderr cfs-unshare --stop "$d" --signal USR1 --timeout 30
	rc=0; wait "$chain" || rc=$?
	[ "$rc" = 7 ] && [ ! -e "$d" ]
	run -125 --separate-stderr cfs-unshare --stop "$d" --signal NOPE
	[ "$stderr" = "cfs-unshare: --signal NOPE: unknown signal" ]
	run -125 --separate-stderr cfs-unshare --stop "$d" --timeout 1s
	[ "$stderr" = "cfs-unshare: --timeout 1s: not a number of seconds" ]
	run -125 --separate-stderr cfs-unshare --timeout 1 --uts true
	[ "$stderr" = "cfs-unshare: --signal and --timeout go with --stop" ]
	run -125 --separate-stderr cfs-unshare --force --uts true
	[ "$stderr" = "cfs-unshare: --force goes with --remove" ]
	run -125 --separate-stderr cfs-unshare --stop "$d" --uts
	[ "$stderr" = "cfs-unshare: --stop takes no option but --signal and --timeout, and no program" ]
}

@test "--stop DIR of a container not running: exit 2, its files removed; a reused PID is not signalled" {
	d="$BATS_TEST_TMPDIR/box"
	run -0 cfs-unshare --persist "$d" --uts --pid -- true
	run -2 --separate-stderr cfs-unshare --stop "$d"
	[ ! -e "$d" ]
	# the init's PID now names another process, outside the container
	start cfs-unshare --persist "$d" --uts --pid -- sh -c 'echo ready; exec sleep 1000'
	kill -KILL "$(cat "$d/init.pid")"
	wait "$chain" || true
	sleep 1000 &
	other=$!
	echo "$other" >>"$BATS_TEST_TMPDIR/pids"
	echo "$other" >"$d/init.pid"
	run -2 --separate-stderr cfs-unshare --stop "$d" --signal KILL
	[ ! -e "$d" ]
	kill -0 "$other"
	kill "$other"
	run -125 --separate-stderr cfs-unshare --stop "$BATS_TEST_TMPDIR/none"
	[[ "$stderr" == "cfs-unshare: --stop $BATS_TEST_TMPDIR/none: No such file or directory" ]]
}

@test "--remove DIR of a running container refuses; --remove --force kills it, then removes" {
	d="$BATS_TEST_TMPDIR/box"
	start cfs-unshare --persist "$d" --pid --mount -- \
		cfs-pivot "$ROOTFS" -- sh -c 'echo ready; exec sleep 1000'
	init=$(cat "$d/init.pid")
	ns=$(readlink "/proc/$init/ns/pid")
	run -125 --separate-stderr cfs-unshare --remove "$d"
	[ "$stderr" = "cfs-unshare: --remove $d: the container is running (PID $init): stop it with --stop, or add --force" ]
	[ "$(fs_type "$d/pid")" = nsfs ] && kill -0 "$init"
	run -0 --separate-stderr cfs-unshare --remove "$d" --force
	[ ! -e "$d" ]
	rc=0; wait "$chain" || rc=$?
	[ "$rc" = 137 ]
	no_process_in "$ns"
}

@test "--stop DIR removes the cgroup cfs-cgroup made for the container; one still in use is kept" {
	cg="test.persist-$$" d="$BATS_TEST_TMPDIR/box"
	start cfs-cgroup --pids 64 "$cg" -- cfs-unshare --persist "$d" --pid --mount --init -- \
		cfs-pivot "$ROOTFS" -- sh -c 'echo ready; exec sleep 1000'
	cfs-cgroup --list | grep -qx "$cg"
	run -0 --separate-stderr cfs-unshare --stop "$d"
	[ -z "$stderr" ] && [ ! -e "$d" ]
	wait "$chain" || true
	run ! --separate-stderr cfs-cgroup --stats "$cg"
	! cfs-cgroup --list | grep -qx "$cg" || false
	# another process of the cgroup keeps it, with a warning
	start cfs-cgroup --pids 64 "$cg" -- cfs-unshare --persist "$d" --pid --mount --init -- \
		cfs-pivot "$ROOTFS" -- sh -c 'echo ready; exec sleep 1000'
	first=$chain
	cfs-cgroup --reuse "$cg" -- sleep 1000 &
	other=$!
	echo "$other" >>"$BATS_TEST_TMPDIR/pids"
	for i in $(seq 100); do
		grep -q "/cfs/$cg\$" "/proc/$other/cgroup" && break
		sleep 0.05
	done
	run -0 --separate-stderr cfs-unshare --stop "$d"
	[ "$stderr" = "cfs-unshare: cgroup cfs/$cg: kept, it has processes or children: Device or resource busy" ]
	kill "$other"; wait "$other" || true
	wait "$first" || true
	cfs-cgroup --delete "$cg"
	! cfs-cgroup --list | grep -qx "$cg" || false
}

@test "a DIR too long for its files is refused before anything is made" {
	d=/tmp/$(printf 'x%.0s' $(seq 250))
	while [ ${#d} -lt 4080 ]; do d="$d/$(printf 'y%.0s' $(seq 200))"; done
	d=${d:0:4090}
	run -125 --separate-stderr cfs-unshare --persist "$d" --uts true
	[ "$stderr" = "cfs-unshare: ${d:0:64}...: longer than 4086 bytes: File name too long" ]
	[ ! -e "${d:0:251}" ]
	run -125 --separate-stderr cfs-unshare --stop "$d"
	[[ "$stderr" == *"${d:0:64}...: longer than 4086 bytes: File name too long" ]]
}
