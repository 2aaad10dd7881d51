#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-enter: entering a running container, the exit codes, signals, the
# privileges it brings in, and every bad input refused before anything.
load common

# Test cgroups are named cfs-test.*, and always removed: after common's
# teardown, once the processes in them are gone.
CGROUP=/sys/fs/cgroup/pids/cfs-test.enter.$$
eval "common_$(declare -f teardown)"
teardown() {
	local rc=0 i
	common_teardown || rc=$?
	for i in $(seq 25); do
		[ -d "$CGROUP" ] || break
		rmdir "$CGROUP" 2>/dev/null || sleep 0.2
	done
	[ ! -d "$CGROUP" ] || { echo "$CGROUP left behind" >&2; rc=1; }
	return $rc
}

nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }

# Start a container in the background, cleaned up by teardown: every
# namespace but user and cgroup, hostname box, /probe, working directory
# /tmp, extra cfs-unshare options "$@", and PID 1 $INIT (sleep 1000). Its
# PID 1 as the host sees it, once it runs $INIT's last program, in $pid.
# (start, from common, starts any other chain.)
start_container() {
	local init=(${INIT:-sleep 1000}) i
	(exec cfs-unshare --uts --pid --mount --ipc --net --fork --hostname box "$@" -- \
		cfs-pivot ${PIVOT_OPTS:-} --bind "$PROBE:/probe:ro" --wd /tmp "$ROOTFS" -- \
		"${init[@]}" >"$BATS_TEST_TMPDIR/container" 2>&1) &
	chain=$!
	echo "$chain" >>"$BATS_TEST_TMPDIR/pids"
	for i in $(seq 100); do
		pid=$(pgrep -P "$chain") &&
			[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sleep ] && return 0
		sleep 0.05
	done
	cat "$BATS_TEST_TMPDIR/container"
	return 1
}

caps_of() { grep -E '^(Cap(Bnd|Prm|Eff|Inh|Amb)|NoNewPrivs):' "$1"; }

@test "--help and --usage exit 0 and list the options; --version" {
	run -0 cfs-enter --help
	[[ "$output" == *"--mount[=FILE]"* ]]
	[[ "$output" == *"--root[=DIR]"* ]]
	[[ "$output" == *"--join-cgroup"* ]]
	run -0 cfs-enter --usage
	run -0 cfs-enter --version
	[[ "$output" == "cfs-enter (cfs) "* ]]
}

@test "an unknown option is refused with 125" {
	run -125 --separate-stderr cfs-enter --bogus true
	[[ "$stderr" == *"cfs-enter: --bogus: unknown option"* ]]
}

@test "PROGRAM's own options are left alone; -u takes no value, --uts=FILE does" {
	start_container
	run -0 cfs-enter -t "$pid" -u sh -c 'echo "$@"' sh -u --mount
	[ "$output" = "-u --mount" ]
	run -0 cfs-enter -t "$pid" -u -- echo -m
	[ "$output" = "-m" ]
	run -0 cfs-enter -t "$pid" -u hostname
	[ "$output" = box ]
	run -0 cfs-enter --uts="/proc/$pid/ns/uts" hostname
	[ "$output" = box ]
	run -126 --separate-stderr cfs-enter -t "$pid" --uts "/proc/$pid/ns/uts"
	[[ "$stderr" == "cfs-enter: failed to execute /proc/$pid/ns/uts: "* ]]
}

@test "no PROGRAM runs \$SHELL of PROGRAM's environment, else /bin/sh (the container's)" {
	start_container
	# a clean environment has no SHELL: ours is not taken
	SHELL=/bin/false run -5 cfs-enter -t "$pid" --all <<<'exit 5'
	SHELL=/bin/false run -1 cfs-enter -t "$pid" -u --keep-env </dev/null
	run -1 cfs-enter -t "$pid" -u --setenv SHELL=/bin/false </dev/null
	run -5 env -u SHELL cfs-enter -t "$pid" --all --keep-env <<<'exit 5'
}

@test "PROGRAM not found gives 127, not executable 126, inside the container" {
	start_container
	run -127 --separate-stderr cfs-enter -t "$pid" --all /no/such/program
	[ "$stderr" = "cfs-enter: failed to execute /no/such/program: No such file or directory" ]
	run -126 --separate-stderr cfs-enter -t "$pid" --all /etc/passwd
	[[ "$stderr" == *"Permission denied"* ]]
	run -127 cfs-enter -t "$pid" -u /no/such/program # no fork
}

@test "--all: its hostname, its processes as it numbers them, its root and mounts" {
	start_container
	marker=$(mktemp /tmp/cfs-host-marker.XXXXXX)
	run -0 --separate-stderr cfs-enter -t "$pid" --all -- sh -c "
		hostname
		test -e '$marker' && echo host-visible
		ps -o pid,comm
		ls /"
	rm -f "$marker"
	[ "${lines[0]}" = box ]
	[[ "$output" != *host-visible* ]]
	# the header, sleep as PID 1, sh, ps: nothing of the host's
	[[ "${lines[2]}" =~ ^\ *1\ sleep$ ]]
	[[ "${lines[3]}" =~ ^\ *[0-9]+\ sh$ ]]
	[[ "${lines[4]}" =~ ^\ *[0-9]+\ ps$ ]]
	diff <(ls "$ROOTFS") <(printf '%s\n' "${lines[@]:5}")
	# the mount table is the container's
	run -0 cfs-enter -t "$pid" --all -- cat /proc/self/mountinfo
	diff <(awk '{print $5}' "/proc/$pid/mountinfo") <(awk '{print $5}' <<<"$output")
}

@test "--all joins every namespace of the target that differs, and only those" {
	start_container
	run -0 cfs-enter -t "$pid" --all /probe ns
	for t in ipc mnt net pid uts cgroup user; do
		inside=$(awk -v t=$t '$1 == t {print $2}' <<<"$output")
		[ "$inside" = "$(stat -L -c %i "/proc/$pid/ns/$t")" ] || { echo "$t"; false; }
	done
	# a target in some of ours: the others are left alone
	start cfs-unshare --uts sh -c 'hostname other; echo ready; exec sleep 1000'
	run -0 cfs-enter -t "$chain" --all sh -c 'hostname; readlink /proc/self/ns/mnt'
	[ "${lines[0]}" = other ]
	[ "${lines[1]}" = "$(readlink /proc/self/ns/mnt)" ]
}

@test "one namespace at a time, from the target or a FILE" {
	start_container
	for f in mnt:-m uts:-u ipc:-i net:-n pid:-p mnt:--mount uts:--uts \
		 ipc:--ipc net:--net pid:--pid; do
		t=${f%%:*}
		# the container's /proc shows only its PID namespace's processes
		if [ $t = mnt ]; then
			run -0 cfs-enter -t "$pid" "${f#*:}" -p /probe ns
		else
			run -0 cfs-enter -t "$pid" "${f#*:}" "$PROBE" ns
		fi
		inside=$(awk -v t=$t '$1 == t {print $2}' <<<"$output")
		[ "$inside" = "$(stat -L -c %i "/proc/$pid/ns/$t")" ] || { echo "$f"; false; }
		other=$([ $t = uts ] && echo net || echo uts)
		inside=$(awk -v t=$other '$1 == t {print $2}' <<<"$output")
		[ "$inside" = "$(stat -L -c %i "/proc/self/ns/$other")" ] || { echo "$f"; false; }
	done
	run -0 cfs-enter --net="/proc/$pid/ns/net" ip -o link
	[ "${#lines[@]}" = 1 ]
	[[ "$output" == *" lo: "* ]]
}

@test "--join-cgroup: PROGRAM is in the target's cgroups" {
	start_container
	mkdir "$CGROUP"
	echo "$pid" >"$CGROUP/cgroup.procs"
	run -0 cfs-enter -t "$pid" --all --join-cgroup cat /proc/self/cgroup
	[[ "$output" == *":pids:/${CGROUP##*/}"* ]]
	diff <(cat "/proc/$pid/cgroup") <(printf '%s\n' "${lines[@]}")
	run -0 cfs-enter -t "$pid" --all cat /proc/self/cgroup
	[[ "$output" != *"cfs-test"* ]]
	run -0 cfs-enter -t "$pid" -c true # a cgroup alone is something to enter
}

@test "-S and -G set the ids; a switch from root drops the capabilities" {
	start_container
	run -0 cfs-enter -t "$pid" --all -S 1000 -G 1001 sh -c 'id -u; id -g; id -G; grep CapEff /proc/self/status'
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1001 ]
	[ "${lines[2]}" = 1001 ]
	[[ "${lines[3]}" =~ CapEff:.0+$ ]]
	run -0 cfs-enter -t "$pid" --all --setuid=1000 id -u
	[ "$output" = 1000 ]
	run -125 --separate-stderr cfs-enter -t "$pid" --all -S nobody true
	[[ "$stderr" == *"--setuid nobody: not a UID"* ]]
	run -125 --separate-stderr cfs-enter -t "$pid" --all -G -1 true
	[[ "$stderr" == *"--setgid -1: not a GID"* ]]
}

@test "a user namespace: joined first, root of it by default, --preserve-credentials" {
	start_container --user --map-root-user
	run -0 cfs-enter -t "$pid" --all sh -c 'readlink /proc/self/ns/user; id -u; hostname'
	[ "${lines[0]}" = "$(readlink "/proc/$pid/ns/user")" ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = box ]
	run -0 cfs-enter -t "$pid" --all --preserve-credentials id -u
	[ "$output" = 0 ]
	run -125 --separate-stderr cfs-enter -t "$pid" --all -S 1000 true
	[ "$stderr" = "cfs-enter: setuid 1000: not mapped in the user namespace" ]
}

@test "--env: the target's environment, not ours" {
	PIVOT_OPTS="--setenv CFS_TEST_VAR=inside" start_container
	CFS_OURS=1 run -0 cfs-enter -t "$pid" --all --env sh -c 'echo $CFS_TEST_VAR ${CFS_OURS-unset}'
	[ "$output" = "inside unset" ]
	# by default a clean one; ours with --keep-env
	CFS_OURS=1 run -0 cfs-enter -t "$pid" --all sh -c 'echo ${CFS_TEST_VAR-unset} ${CFS_OURS-unset}'
	[ "$output" = "unset unset" ]
	CFS_OURS=1 run -0 cfs-enter -t "$pid" --all --keep-env sh -c 'echo ${CFS_TEST_VAR-unset} $CFS_OURS'
	[ "$output" = "unset 1" ]
	run -125 --separate-stderr cfs-enter -t "$pid" --all --env --keep-env true
	[ "$stderr" = "cfs-enter: --env and --keep-env: choose one" ]
}

@test "-r and -w: the target's root and directory by default, DIR in the container" {
	start_container
	run -0 cfs-enter -t "$pid" --all pwd
	[ "$output" = /tmp ]
	run -0 cfs-enter -t "$pid" --all -w pwd
	[ "$output" = /tmp ]
	run -0 cfs-enter -t "$pid" --all --wd=/etc pwd
	[ "$output" = /etc ]
	run -0 cfs-enter -t "$pid" --all -r -w pwd
	[ "$output" = /tmp ]
	# --root=DIR is a path in the container: its /bin holds busybox
	run -0 cfs-enter -t "$pid" --all --root=/bin /sh -c 'pwd; test -x /busybox && echo chrooted'
	[ "$output" = "/
chrooted" ]
	run -125 --separate-stderr cfs-enter -t "$pid" --all --wd=/no/such pwd
	[ "$stderr" = "cfs-enter: chdir /no/such: No such file or directory" ]
	# without the mount namespace, only when asked
	run -0 cfs-enter -t "$pid" -u pwd
	[ "$output" = "$PWD" ]
}

@test "-F: PROGRAM itself stays out of the PID namespace, its children are in" {
	start_container
	run -0 cfs-enter -t "$pid" -p -F sh -c 'readlink /proc/$$/ns/pid /proc/$$/ns/pid_for_children'
	[ "${lines[0]}" = "$(readlink /proc/self/ns/pid)" ]
	[ "${lines[1]}" = "$(readlink "/proc/$pid/ns/pid")" ]
	run -0 cfs-enter -t "$pid" -p readlink /proc/self/ns/pid
	[ "$output" = "$(readlink "/proc/$pid/ns/pid")" ]
}

@test "PROGRAM's status comes back, through the fork and without" {
	start_container
	run -7 cfs-enter -t "$pid" --all sh -c 'exit 7'
	run -7 cfs-enter -t "$pid" --all -F sh -c 'exit 7'
	run -7 cfs-enter -t "$pid" -u sh -c 'exit 7'
	run -137 cfs-enter -t "$pid" --all sh -c 'kill -KILL $$'
}

@test "signals reach PROGRAM in the container" {
	start_container
	start cfs-enter -t "$pid" --all -- sh -c 'trap "exit 3" TERM; echo ready; while :; do sleep 0.1; done'
	kill -TERM "$chain"
	rc=0; wait "$chain" || rc=$?
	[ "$rc" = 3 ]
	start cfs-enter -t "$pid" --all -- sh -c 'echo ready; exec sleep 100'
	kill -HUP "$chain"
	rc=0; wait "$chain" || rc=$?
	[ "$rc" = 129 ]
}

@test "no more privilege than the target: its capability sets and no_new_privs" {
	INIT="/probe dropcaps sleep 1000" start_container
	caps_of "/proc/$pid/status" >"$BATS_TEST_TMPDIR/target"
	grep -q 'NoNewPrivs:.1' "$BATS_TEST_TMPDIR/target"
	[ "$(grep CapBnd "/proc/$pid/status")" != "$(grep CapBnd /proc/self/status)" ]
	run -0 cfs-enter -t "$pid" --all cat /proc/self/status
	diff "$BATS_TEST_TMPDIR/target" <(caps_of /dev/stdin <<<"$output")
	# a container with every capability: nothing dropped, no no_new_privs
	PIVOT_OPTS="--cap-add ALL --allow-new-privs --no-seccomp" start_container
	run -0 cfs-enter -t "$pid" --all cat /proc/self/status
	diff <(caps_of "/proc/$pid/status") <(caps_of /dev/stdin <<<"$output")
	[[ "$output" =~ NoNewPrivs:.0 ]]
}

# CVE-2019-5736: a process of the container opens /proc/N/exe of the
# entering tool while it is inside, before it executes PROGRAM. strace
# holds cfs-enter's child there for 2 s (its one execve delayed: give a
# path, a PATH search is delayed at each try); a probe entered the same
# way, with the same capabilities (not CAP_SYS_PTRACE: PID 1 dropped it),
# looks for it. Only non-dumpability stops the probe.
@test "a process inside cannot open /proc/PID/exe of cfs-enter" {
	command -v strace >/dev/null || { echo "strace is not installed: ./setup check installs it"; false; }
	strace -o /dev/null -e inject=execve:delay_enter=1000 true ||
		skip "strace cannot delay a syscall (inject=...:delay_enter)"
	INIT="/probe dropcaps sleep 1000" start_container
	(exec strace -f -o /dev/null -e inject=execve:delay_enter=2000000 \
		cfs-enter -t "$pid" --all -- /bin/true) &
	tracer=$!
	echo "$tracer" >>"$BATS_TEST_TMPDIR/pids"
	run -0 cfs-enter -t "$pid" --all /probe open-exe cfs-enter 10
	wait "$tracer"
	echo "$output"
	[[ "$output" == *"seen "* ]]	# the race was run
	[[ "$output" != *"opened "* ]]
	[[ "$output" =~ open\ [0-9]+\ O_RDONLY:\ (Permission\ denied|Operation\ not\ permitted) ]]
	[[ "$output" =~ open\ [0-9]+\ O_PATH:\ (Permission\ denied|Operation\ not\ permitted) ]]
}

# Namespaces kept by bind mounts, the way cfs-unshare --persist keeps
# them, all inside a mount namespace and a PID namespace of the test's own:
# the mounts and the container vanish with its sh. Not the mount
# namespace: its file can be bound only from a namespace with a smaller
# id, and on 6.18 ids are handed out per CPU, not in order of creation
# (persist.bats tests it, bound from the host's).
persisted() {
	cfs-unshare --mount --pid --fork --mount-proc sh -c '
		set -e
		rootfs=$1 dir=$2; shift 2
		cfs-unshare --uts --pid --mount --ipc --net --fork --hostname box -- \
			cfs-pivot "$rootfs" -- sleep 1000 &
		chain=$!
		for i in $(seq 100); do
			pid=$(pgrep -P $chain) && [ "$(cat /proc/$pid/comm)" = sleep ] && break
			sleep 0.05
		done
		mkdir -p "$dir"
		for t in uts ipc net pid; do
			touch "$dir/$t"
			mount --bind /proc/$pid/ns/$t "$dir/$t"
		done
		"$@"' sh "$ROOTFS" "$@"
}

@test "--persist DIR: the namespaces kept there, all or some" {
	dir="$BATS_TEST_TMPDIR/box"
	run -0 persisted "$dir" sh -c '
		cfs-enter --persist "$1" --all sh -c "hostname; echo \$\$; ip -o link | wc -l"
		cfs-enter --persist "$1" --uts hostname
		cfs-enter --persist "$1" --uts --pid --net sh -c "echo \$\$; ip -o link | wc -l"' sh "$dir"
	[ "${lines[0]}" = box ]
	[ "${lines[1]}" -gt 1 ] && [ "${lines[1]}" -lt 10 ] # the container's PIDs
	[ "${lines[2]}" = 1 ]
	[ "${lines[3]}" = box ]
	[ "${lines[4]}" -gt 1 ] && [ "${lines[4]}" -lt 10 ]
	[ "${lines[5]}" = 1 ]
	! mountpoint -q "$dir/uts" || false
}

@test "a PID namespace whose init has exited: said so, 125, no hang" {
	dir="$BATS_TEST_TMPDIR/box"
	run -0 persisted "$dir" sh -c '
		kill -KILL $(pgrep -x sleep)
		for i in $(seq 50); do pgrep -x sleep >/dev/null || break; sleep 0.1; done
		rc=0; timeout 10 cfs-enter --persist "$1" --all true 2>&1 || rc=$?
		echo "rc $rc"' sh "$dir"
	[ "${lines[0]}" = "cfs-enter: fork into the PID namespace of $dir/pid: its init has exited" ]
	[ "${lines[1]}" = "rc 125" ]
}

@test "bad targets are refused with 125 before anything" {
	start_container
	run -125 --separate-stderr cfs-enter -t 999999999 --all true
	[ "$stderr" = "cfs-enter: --target 999999999: no such process" ]
	run -125 --separate-stderr cfs-enter -t 12x --all true
	[ "$stderr" = "cfs-enter: --target 12x: not a PID" ]
	run -125 --separate-stderr cfs-enter -t 0 --all true
	[ "$stderr" = "cfs-enter: --target 0: not a PID" ]
	run -125 --separate-stderr nobody cfs-enter -t "$pid" --all true
	[ "$stderr" = "cfs-enter: open /proc/$pid/ns/user: Permission denied" ]
	run -125 --separate-stderr nobody cfs-enter -t "$pid" -u true
	[ "$stderr" = "cfs-enter: open /proc/$pid/ns/uts: Permission denied" ]
}

@test "bad namespace files and directories are refused with 125 before anything" {
	start_container
	touch "$BATS_TEST_TMPDIR/plain"
	run -125 --separate-stderr cfs-enter --uts="$BATS_TEST_TMPDIR/plain" true
	[ "$stderr" = "cfs-enter: $BATS_TEST_TMPDIR/plain: not a namespace file" ]
	run -125 --separate-stderr cfs-enter --uts="/proc/$pid/ns/net" true
	[ "$stderr" = "cfs-enter: /proc/$pid/ns/net: a net namespace, not uts" ]
	run -125 --separate-stderr cfs-enter -t "$pid" --all --mount=/proc/$pid/ns/pid true
	[ "$stderr" = "cfs-enter: /proc/$pid/ns/pid: a pid namespace, not mnt" ]
	run -125 --separate-stderr cfs-enter --uts=/no/such true
	[ "$stderr" = "cfs-enter: open /no/such: No such file or directory" ]
	mkdir "$BATS_TEST_TMPDIR/empty"
	run -125 --separate-stderr cfs-enter --persist "$BATS_TEST_TMPDIR/empty" --all true
	[ "$stderr" = "cfs-enter: --persist $BATS_TEST_TMPDIR/empty: no namespace files: not a directory made by cfs-unshare --persist" ]
	run -125 --separate-stderr cfs-enter --persist "$BATS_TEST_TMPDIR/empty" --uts true
	[ "$stderr" = "cfs-enter: open $BATS_TEST_TMPDIR/empty/uts: No such file or directory" ]
	cp "$BATS_TEST_TMPDIR/plain" "$BATS_TEST_TMPDIR/empty/uts"
	run -125 --separate-stderr cfs-enter --persist "$BATS_TEST_TMPDIR/empty" --all true
	[ "$stderr" = "cfs-enter: $BATS_TEST_TMPDIR/empty/uts: not a namespace file" ]
	run -125 --separate-stderr cfs-enter --persist "$BATS_TEST_TMPDIR/plain" --all true
	[ "$stderr" = "cfs-enter: --persist $BATS_TEST_TMPDIR/plain: Not a directory" ]
	run -125 --separate-stderr cfs-enter --persist /no/such --all true
	[ "$stderr" = "cfs-enter: --persist /no/such: No such file or directory" ]
}

@test "options that conflict or ask for nothing are refused with 125" {
	start_container
	run -125 --separate-stderr cfs-enter -t "$pid" --persist /tmp --all true
	[ "$stderr" = "cfs-enter: --target and --persist exclude each other" ]
	run -125 --separate-stderr cfs-enter --all true
	[ "$stderr" = "cfs-enter: --all needs --target or --persist" ]
	run -125 --separate-stderr cfs-enter true
	[[ "$stderr" == "cfs-enter: nothing to enter: "* ]]
	run -125 --separate-stderr cfs-enter -t "$pid" true
	[[ "$stderr" == "cfs-enter: nothing to enter: "* ]]
	run -125 --separate-stderr cfs-enter -u true
	[ "$stderr" = "cfs-enter: --uts needs a FILE (--uts=FILE), --target or --persist" ]
	for o in --env --join-cgroup -r -w; do
		run -125 --separate-stderr cfs-enter --uts="/proc/$pid/ns/uts" $o true
		[[ "$stderr" == *" needs --target" ]] || { echo "$o: $stderr"; false; }
	done
	run -125 --separate-stderr cfs-enter -t
	[[ "$stderr" == *"-t: missing argument"* ]]
}

@test "what it runs gets the container's seccomp profile, and a session of its own" {
	start_container
	run -0 cfs-enter -t "$pid" --all -- grep -E '^Seccomp' /proc/self/status
	[ "$output" = "$(grep -E '^Seccomp' "/proc/$pid/status")" ]
	[[ "$output" == *"Seccomp:"*2* ]]
	run -1 cfs-enter -t "$pid" --all -- /probe keyring
	[ "$output" = "keyctl: Operation not permitted" ]
	run -0 cfs-enter -t "$pid" --all --no-seccomp -- grep '^Seccomp:' /proc/self/status
	[ "$output" = "$(printf 'Seccomp:\t0')" ]
	# the target is never traced nor stopped
	grep -q "TracerPid:[[:space:]]0$" "/proc/$pid/status"
	[[ "$(grep State: "/proc/$pid/status")" == *"(sleeping)"* ]]
	# a new session: PROGRAM leads it; --keep-session keeps ours
	run -0 cfs-enter -t "$pid" --all -- sh -c 'echo $$ $(/probe sid)'
	read -r me sid <<<"$output"
	[ "$me" = "$sid" ]
	run -0 cfs-enter -t "$pid" --all --keep-session -- /probe sid
	[ "$output" = 0 ]
	# a container without a filter: none loaded, the target untouched
	PIVOT_OPTS=--no-seccomp start_container
	run -0 cfs-enter -t "$pid" --all -- grep '^Seccomp:' /proc/self/status
	[ "$output" = "$(printf 'Seccomp:\t0')" ]
}

@test "a target that another tracer holds is entered all the same: its filter is not read" {
	start_container
	strace -p "$pid" -o /dev/null &
	tracer=$!
	echo "$tracer" >>"$BATS_TEST_TMPDIR/pids"
	for i in $(seq 50); do
		grep -q "TracerPid:[[:space:]]$tracer$" "/proc/$pid/status" && break
		sleep 0.1
	done
	run -0 cfs-enter -t "$pid" --all -- grep '^Seccomp:' /proc/self/status
	[ "$output" = "$(printf 'Seccomp:\t2')" ]
	run -0 cfs-enter -t "$pid" --all --no-seccomp -- true
	kill "$tracer"
}

# On a kernel without pidfd_open (Linux 5.3), one line says so
# (tests/helpers/nosys.c answers the call with ENOSYS).
@test "a kernel without pidfd_open: --target says which call and release" {
	run -125 --separate-stderr "$CFS_BUILD/nosys" pidfd_open -- cfs-enter -t $$ --uts true
	[ "$stderr" = "cfs-enter: --target $$: needs Linux 5.3 or later for pidfd_open" ]
}
