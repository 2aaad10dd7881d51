#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-cgroup: limits that hold (a fork bomb, a memory hog, a busy loop),
# the report of why a program ended, stats, attach, list, delete, and bad
# input refused before anything is made. Runs on this hybrid host (v1
# controllers, a cgroup2 mount beside them) and, unchanged, on a pure
# cgroup v2 guest (tests/cgroup-v2.bats).
load common

# Test cgroups are test.* under the cfs parent, and always removed, with
# the parent when it is left empty: after common's teardown, once the
# processes in them are gone.
eval "common_$(declare -f teardown)"
teardown() {
	local rc=0 n d
	common_teardown || rc=$?
	for n in $(cfs-cgroup --list 2>/dev/null | grep -E '^test\.[^/]*$'); do
		cfs-cgroup --delete "$n" || rc=1
	done
	# --absolute ones, below the hierarchies' roots
	for d in /sys/fs/cgroup/test.abs-* /sys/fs/cgroup/*/test.abs-*; do
		[ -d "$d" ] || continue
		cfs-cgroup --absolute --delete "${d##*/}" 2>/dev/null || true
		[ ! -d "$d" ] || { echo "$d: left" >&2; rc=1; }
	done
	for d in /sys/fs/cgroup/cfs /sys/fs/cgroup/*/cfs; do
		[ -d "$d" ] || continue
		find "$d" -depth -mindepth 1 -type d -name 'test.*' -exec rmdir {} + 2>/dev/null || true
		rmdir "$d" 2>/dev/null || true
		[ ! -d "$d/test."* ] 2>/dev/null || { echo "$d: test cgroups left" >&2; rc=1; }
	done
	return $rc
}

# Where a controller's cgroup NAME is: its v1 hierarchy, else v2's.
V2=/sys/fs/cgroup
[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] || V2=/sys/fs/cgroup/unified
[ -f "$V2/cgroup.controllers" ] || V2=
dir_of() { # CONTROLLER NAME
	if [ -d "/sys/fs/cgroup/$1" ] && [ -z "$V2" -o "$V2" != /sys/fs/cgroup ]; then
		echo "/sys/fs/cgroup/$1/cfs/$2"
	else
		echo "$V2/cfs/$2"
	fi
}
pure_v2() { [ "$V2" = /sys/fs/cgroup ]; }

# Nothing named cfs under any hierarchy (the host had none before).
nothing_made() {
	run find /sys/fs/cgroup -maxdepth 3 -type d -path '*/cfs/test.*'
	[ -z "$output" ]
}

@test "--help and --usage exit 0 and list the options; --version" {
	run -0 cfs-cgroup --help
	[[ "$output" == *"--memory=SIZE"* ]]
	[[ "$output" == *"--rm"* ]]
	run -0 cfs-cgroup --usage
	run -0 cfs-cgroup --version
	[[ "$output" == "cfs-cgroup (cfs) "* ]]
}

@test "an unknown option is refused with 125" {
	run -125 --separate-stderr cfs-cgroup --bogus test.x true
	[[ "$stderr" == *"cfs-cgroup: --bogus: unknown option"* ]]
}

@test "PROGRAM not found gives 127, not executable 126; PROGRAM's options are its own" {
	run -127 --separate-stderr cfs-cgroup --rm test.nf /no/such/program
	[ "$stderr" = "cfs-cgroup: failed to execute /no/such/program: No such file or directory" ]
	run -126 --separate-stderr cfs-cgroup --rm test.nx /etc/passwd
	[[ "$stderr" == *"Permission denied"* ]]
	run -0 cfs-cgroup --rm test.args -- sh -c 'echo "$@"' sh --memory -p
	[ "$output" = "--memory -p" ]
	SHELL=/bin/false run -1 cfs-cgroup --rm test.shell </dev/null
	nothing_made
}

@test "bad input gets one clear line and 125, and creates nothing" {
	bad() { # EXPECTED-MESSAGE ARGS...
		local want=$1
		shift
		run -125 --separate-stderr cfs-cgroup "$@" true
		[[ "$stderr" == "cfs-cgroup: $want"* ]] || { echo "$* -> $stderr"; false; }
		[ "$(wc -l <<<"$stderr")" = 1 ]
		nothing_made
	}
	bad "--memory abc: not a size" --memory abc test.bad
	bad "--memory 0: below 6M" --memory 0 test.bad
	bad "--memory-swap 1X: not a size" --memory-swap 1X test.bad
	bad "--pids -1: not a whole number from 1" --pids -1 test.bad
	bad "--pids 2x: not a whole number" --pids 2x test.bad
	bad "--cpus 0: not a number of CPUs" --cpus 0 test.bad
	bad "--cpus nan: not a number of CPUs" --cpus nan test.bad
	bad "--cpu-weight 0: not a whole number from 1 to 10000" --cpu-weight 0 test.bad
	bad "../x: NAME must stay below the cfs parent" ../x
	bad "test.a/../../x: NAME must stay below" test.a/../../x
	bad "/sys/fs/cgroup/x: NAME must be relative" /sys/fs/cgroup/x
	bad "--set bogus.max=1: unknown controller bogus" --set bogus.max=1 test.bad
	bad "--set pids.max: not CONTROLLER.FILE=VALUE" --set pids.max test.bad
	bad "--io-max sda: not DEV:KEY=VALUE" --io-max sda test.bad
	bad "--io-max 8:0:xbps=1: xbps=1: not rbps" --io-max 8:0:xbps=1 test.bad
	if ! grep -qw rdma /proc/self/mountinfo "${V2:-/dev/null}/cgroup.controllers"; then
		bad "--set: the rdma controller is not available" --set rdma.max=x test.bad
	fi
	if ! pure_v2; then
		bad "--memory-high: needs cgroup v2, and the memory controller is on cgroup v1" \
			--memory-high 16M test.bad
	fi
	# one verb at a time
	bad "-t, --stats, --list and --delete exclude each other" --stats -l
	bad "limits go with a PROGRAM or -t" --stats --pids 3 test.bad
	run -125 --separate-stderr cfs-cgroup --pids 3
	[ "$stderr" = "cfs-cgroup: no NAME given" ]
	run -125 --separate-stderr cfs-cgroup --stats test.none
	[[ "$stderr" == "cfs-cgroup: cgroup cfs/test.none: No such file or directory" ]]
	run -125 --separate-stderr cfs-cgroup --delete test.none
	nothing_made
}

# lib/cgroup/cgroup.h's fixed sizes: what does not fit is refused, naming the
# limit, never cut short (tests/test-cgroup.c tests each on fixture trees).
@test "a value, a file name or a device path too long is refused naming the limit" {
	long() { printf "%${1}s" "" | tr ' ' "$2"; }
	run -125 --separate-stderr cfs-cgroup --cpuset-cpus "$(long 256 0)" test.long true
	[ "$stderr" = "cfs-cgroup: --cpuset-cpus: write cpuset.cpus: a value of more than 255 bytes: Argument list too long" ]
	run -0 cfs-cgroup --cpuset-cpus "0$(long 254 ,)" --rm test.long true
	run -125 --separate-stderr cfs-cgroup --set "pids.$(long 59 x)=1" test.long true
	[ "$stderr" = "cfs-cgroup: --set: write pids.$(long 59 x): a name of more than 63 bytes: File name too long" ]
	run -125 --separate-stderr cfs-cgroup --io-max "/$(long 4095 d):rbps=1" test.long true
	[[ "$stderr" == "cfs-cgroup: --io-max: /ddd"*"...: more than 4095 bytes: File name too long" ]]
	nothing_made
}

@test "PROGRAM runs in NAME, in every hierarchy, with the limits set; its status passes through" {
	run -7 cfs-cgroup --memory 32M --pids 20 --cpus 0.5 --cpu-weight 200 \
		test.run -- sh -c 'cat /proc/self/cgroup; exit 7'
	for c in memory pids cpu; do
		grep -qE ":([^:]*,)?$c(,[^:]*)?:/cfs/test.run\$" <<<"$output" ||
			{ pure_v2 && grep -q "^0::/cfs/test.run$" <<<"$output"; } ||
			{ echo "$c"; false; }
	done
	[ -z "$V2" ] || grep -q "^0::/cfs/test.run$" <<<"$output"
	if pure_v2; then
		[ "$(cat $V2/cfs/test.run/memory.max)" = 33554432 ]
		[ "$(cat $V2/cfs/test.run/pids.max)" = 20 ]
		[ "$(cat $V2/cfs/test.run/cpu.max)" = "50000 100000" ]
		[ "$(cat $V2/cfs/test.run/cpu.weight)" = 200 ]
		# enabled in each ancestor's subtree_control
		grep -qw memory $V2/cgroup.subtree_control
		grep -qw pids $V2/cfs/cgroup.subtree_control
	else
		[ "$(cat "$(dir_of memory test.run)/memory.limit_in_bytes")" = 33554432 ]
		[ "$(cat "$(dir_of pids test.run)/pids.max")" = 20 ]
		[ "$(cat "$(dir_of cpu test.run)/cpu.cfs_quota_us")" = 50000 ]
		[ "$(cat "$(dir_of cpu test.run)/cpu.shares")" = 5219 ]
	fi
	# joined with --reuse, its limits rewritten
	run -0 cfs-cgroup --reuse --pids 30 test.run cat "$(dir_of pids test.run)/pids.max"
	[ "$output" = 30 ]
	run -0 cfs-cgroup --delete test.run
	nothing_made
}

# A write to cgroup.procs takes the kernel's cgroup_threadgroup_rwsem,
# which waits for an RCU grace period (8 to 27 ms here): cfs-cgroup moves
# itself through tasks on v1 instead, and with --rm/--wait starts PROGRAM
# in the v2 cgroup with clone3.
@test "--rm starts PROGRAM in NAME with clone3 into v2 and tasks on v1, never a cgroup.procs write" {
	trace=$BATS_TEST_TMPDIR/trace
	run -0 strace -f -qq -o "$trace" -e trace=openat,clone3 \
		cfs-cgroup --pids 20 --rm test.quick -- cat /proc/self/cgroup
	for c in memory pids; do
		grep -qE ":([^:]*,)?$c(,[^:]*)?:/cfs/test.quick\$" <<<"$output" ||
			{ pure_v2 && grep -q "^0::/cfs/test.quick$" <<<"$output"; } ||
			{ echo "$c"; false; }
	done
	[ -z "$V2" ] || grep -q "^0::/cfs/test.quick$" <<<"$output"
	! grep 'cgroup.procs", O_WRONLY' "$trace" || false
	[ -z "$V2" ] || grep -q 'clone3({flags=CLONE_INTO_CGROUP' "$trace"
	pure_v2 || grep -q '/cfs/test.quick/tasks", O_WRONLY' "$trace"
	nothing_made
}

@test "a fork bomb stops at --pids 20, says so, and the host is unaffected" {
	# bounded whatever happens: 100 sleepers at most, for 10 s at most;
	# the sleepers are told apart from the host's by their argument
	[ -z "$(pgrep -fx 'sleep 10.0271')" ]
	run -2 --separate-stderr cfs-cgroup --pids 20 --wait test.bomb \
		timeout 10 sh -c 'i=0; while [ $i -lt 100 ]; do sleep 10.0271 & i=$((i+1)); done'
	[ "$(pgrep -fx 'sleep 10.0271' | wc -l)" -le 20 ]
	[[ "$stderr" == *"cfs-cgroup: test.bomb: 1 fork failed at the limit of 20 processes"* ]]
	run -0 cfs-cgroup --stats test.bomb
	[[ "$output" == *"pids_max 20"* ]]
	[[ "$output" == *"pids_limit_hits 1"* ]]
	current=$(sed -n 's/^pids_current //p' <<<"$output")
	[ "$current" -ge 15 ] && [ "$current" -le 20 ]
	f=$(dir_of pids test.bomb)/pids.peak
	[ ! -f "$f" ] || [ "$(cat "$f")" = 20 ]
	run -0 cfs-cgroup --delete test.bomb
	nothing_made
	[ -z "$(pgrep -fx 'sleep 10.0271')" ]
}

@test "a memory hog is OOM-killed at --memory 32M, and reported in one line" {
	run -137 --separate-stderr cfs-cgroup --memory 32M --rm test.hog \
		dd if=/dev/zero of=/dev/null bs=64M count=1 status=none
	[ "$stderr" = "cfs-cgroup: test.hog: killed by the OOM killer at the 32M memory limit" ]
	nothing_made
	# one of several processes: counted, the program lives on
	run -0 --separate-stderr cfs-cgroup --memory 32M --rm test.hog \
		sh -c 'dd if=/dev/zero of=/dev/null bs=64M count=1 status=none; true'
	[[ "$stderr" == *"cfs-cgroup: test.hog: 1 process killed by the OOM killer at the 32M memory limit" ]]
	nothing_made
}

@test "a busy loop under --cpus 0.2 gets about 20% of a CPU over 2 s" {
	run -124 cfs-cgroup --cpus 0.2 --wait test.busy timeout 2 sh -c 'while :; do :; done'
	run -0 cfs-cgroup --stats test.busy
	usec=$(sed -n 's/^cpu_usage_usec //p' <<<"$output")
	echo "# cpu share: $((usec / 20000))% of one CPU over 2 s" >&3
	[ "$usec" -gt 200000 ] && [ "$usec" -lt 700000 ]
	[[ "$output" == *"cpu_quota_usec 20000"$'\n'"cpu_period_usec 100000"* ]]
}

@test "a program killed by a signal is reported; exit 128+N" {
	run -143 --separate-stderr cfs-cgroup --rm test.sig sh -c 'kill -TERM $$'
	[ "$stderr" = "cfs-cgroup: test.sig: killed by signal 15 (Terminated)" ]
	run -0 --separate-stderr cfs-cgroup --rm test.sig true
	[ -z "$stderr" ]
	nothing_made
}

# Issue 17: a NAME left from an earlier run is not joined by mistake,
# its limits rewritten under what runs in it.
@test "PROGRAM in a NAME that exists is refused with its process count, unless --reuse" {
	start cfs-cgroup --pids 9 test.reuse sh -c 'echo ready; exec sleep 1000'
	pids=$(dir_of pids test.reuse)
	for verb in "" --wait --rm; do
		run -125 --separate-stderr cfs-cgroup $verb --pids 30 test.reuse true
		[ "$stderr" = "cfs-cgroup: test.reuse: exists, has 1 process; use --reuse or choose another name" ]
		# untouched: its limit, its process
		[ "$(cat "$pids/pids.max")" = 9 ]
		kill -0 "$chain"
	done
	# a child's processes count too (on v2 a cgroup with children has
	# none of its own)
	sleep 1000 &
	echo "$!" >>"$BATS_TEST_TMPDIR/pids"
	run -0 cfs-cgroup -t $! test.reuse2/a
	sleep 1000 &
	echo "$!" >>"$BATS_TEST_TMPDIR/pids"
	run -0 cfs-cgroup -t $! test.reuse2/b
	run -125 --separate-stderr cfs-cgroup test.reuse2 true
	[ "$stderr" = "cfs-cgroup: test.reuse2: exists, has 2 processes; use --reuse or choose another name" ]
	run -0 cfs-cgroup --delete test.reuse2
	# --reuse joins and rewrites, as every run did before
	run -0 cfs-cgroup --reuse --pids 30 test.reuse cat "$pids/pids.max"
	[ "$output" = 30 ]
	run -0 cfs-cgroup --reuse --wait test.reuse true
	# --rm would kill what else runs in it; --reuse is only for a PROGRAM
	run -125 --separate-stderr cfs-cgroup --reuse --rm test.reuse true
	[ "$stderr" = "cfs-cgroup: --rm deletes NAME and kills what runs in it: not with --reuse" ]
	run -125 --separate-stderr cfs-cgroup --reuse --exclusive test.reuse true
	[ "$stderr" = "cfs-cgroup: --reuse and --exclusive exclude each other" ]
	run -125 --separate-stderr cfs-cgroup --reuse --stats test.reuse
	[ "$stderr" = "cfs-cgroup: --reuse goes with a PROGRAM, not -t, --stats, --list or --delete" ]
	run -125 --separate-stderr cfs-cgroup --reuse -t "$chain" test.reuse
	# -t, --stats, --list, --delete work on an existing NAME as before
	run -0 cfs-cgroup -t "$chain" --pids 12 test.reuse
	[ "$(cat "$pids/pids.max")" = 12 ]
	run -125 --separate-stderr cfs-cgroup -x -t "$chain" test.reuse
	[ "$stderr" = "cfs-cgroup: --exclusive: test.reuse: exists, has 1 process" ]
	run -0 cfs-cgroup --stats test.reuse
	run -0 cfs-cgroup --list
	[[ "$output" == *test.reuse* ]]
	run -0 cfs-cgroup --delete test.reuse
	# an empty one, left by a killed run, is refused too: 0 processes
	mkdir -p "$(dir_of pids test.reuse)"
	run -125 --separate-stderr cfs-cgroup --rm test.reuse true
	[ "$stderr" = "cfs-cgroup: test.reuse: exists, has 0 processes; use --reuse or choose another name" ]
	run -0 cfs-cgroup --delete test.reuse
	run -0 cfs-cgroup --rm test.reuse true
	nothing_made
}

# The floor: the chain of EXAMPLES (cfs-unshare -umnipf, cfs-pivot, busybox
# sh -c true) started in 640K on this host 10 runs of 10 (552K: 8 of 10);
# docker's 6M is taken, above it.
@test "--memory and --memory-high below 6M are refused naming the floor; --pids 0" {
	for m in 1 6143K; do
		for o in --memory --memory-high; do
			run -125 --separate-stderr cfs-cgroup $o $m --rm test.floor true
			[ "$stderr" = "cfs-cgroup: $o $m: below 6M, the least a process starts in" ]
		done
	done
	run -125 --separate-stderr cfs-cgroup --pids 0 --rm test.floor true
	[ "$stderr" = "cfs-cgroup: --pids 0: not a whole number from 1 to 2147483647" ]
	nothing_made
	run -0 cfs-cgroup --memory 6M --pids 2 --rm test.floor -- \
		cfs-unshare -umnipf -- cfs-pivot "$ROOTFS" -- sh -c true
	# one process runs in --pids 1; the chain, with cfs-unshare's fork, needs 2
	run -0 cfs-cgroup --pids 1 --rm test.floor sh -c 'exec true'
	run -125 --separate-stderr cfs-cgroup --pids 1 --rm test.floor -- \
		cfs-unshare -umnipf -- cfs-pivot "$ROOTFS" -- sh -c true
	[[ "$stderr" == *"cfs-cgroup: test.floor: 1 fork failed at the limit of 1 process" ]]
	nothing_made
}

@test "--stats matches the kernel's files; --json is JSON with the same numbers" {
	start cfs-cgroup --memory 48M --pids 9 test.stats sh -c 'echo ready; exec sleep 1000'
	run -0 cfs-cgroup --stats test.stats
	mem=$(dir_of memory test.stats) pids=$(dir_of pids test.stats)
	[[ "$output" == *"memory_max 50331648"* ]]
	[[ "$output" == *"pids_max 9"$'\n'* ]]
	[[ "$output" == *"pids_current $(cat "$pids/pids.current")"$'\n'* ]]
	[[ "$output" == *"oom_kills 0"* ]]
	if pure_v2; then
		[[ "$output" == *"pids_limit_hits $(awk '$1 == "max" {print $2}' "$pids/pids.events")"* ]]
		kernel=$(cat "$mem/memory.current")
	else
		kernel=$(cat "$mem/memory.usage_in_bytes")
	fi
	ours=$(sed -n 's/^memory_current //p' <<<"$output")
	[ "$ours" -gt 0 ] && [ "$((ours - kernel))" -lt 1048576 ] && [ "$((kernel - ours))" -lt 1048576 ]
	run -0 cfs-cgroup --stats --json test.stats
	[ "$(jq .memory_max <<<"$output")" = 50331648 ]
	[ "$(jq .pids_max <<<"$output")" = 9 ]
	[ "$(jq .pids_current <<<"$output")" = 1 ]
	[ "$(jq -r .cpu_quota_usec <<<"$output")" = max ]
	run -0 cfs-cgroup --delete test.stats
	nothing_made
}

@test "-t attaches running processes; --list; --delete kills them and removes children first" {
	sleep 1000 &
	s1=$!
	sleep 1000 &
	s2=$!
	echo "$s1 $s2" >>"$BATS_TEST_TMPDIR/pids"
	run -0 cfs-cgroup -t "$s1" -t "$s2" --pids 5 test.att/inner
	grep -q ":/cfs/test.att/inner$" "/proc/$s1/cgroup"
	grep -q ":/cfs/test.att/inner$" "/proc/$s2/cgroup"
	[ "$(cat "$(dir_of pids test.att/inner)/pids.max")" = 5 ]
	run -0 cfs-cgroup --list
	[[ "$output" == *"test.att"$'\n'"test.att/inner"* ]]
	run -125 --separate-stderr cfs-cgroup -t 999999999 test.att
	[[ "$stderr" == *"no such process"* ]]
	run -125 --separate-stderr cfs-cgroup -t abc test.att
	[[ "$stderr" == "cfs-cgroup: -t abc: not a whole number"* ]]
	run -0 cfs-cgroup --delete test.att
	# killed (a zombie until reaped, so kill -0 would still find it)
	rc=0; wait "$s1" || rc=$?
	[ "$rc" = 137 ]
	rc=0; wait "$s2" || rc=$?
	[ "$rc" = 137 ]
	run -0 cfs-cgroup --list
	[[ "$output" != *test.att* ]]
	nothing_made
}

@test "the full chain: cfs-cgroup, cfs-unshare, cfs-pivot; cfs-enter --join-cgroup joins it" {
	run -3 cfs-cgroup --memory 64M --pids 20 --rm test.chain -- \
		cfs-unshare --uts --pid --mount --ipc --fork -- \
		cfs-pivot "$ROOTFS" -- sh -c 'cat /proc/self/cgroup; exit 3'
	[[ "$output" == *"/cfs/test.chain"* ]]
	nothing_made
	start cfs-cgroup --pids 20 test.chain -- cfs-unshare --uts --pid --fork -- \
		sh -c 'echo ready; exec sleep 1000'
	pid=$(pgrep -x -P "$(pgrep -P "$chain")" sleep || pgrep -x -P "$chain" sleep)
	run -0 cfs-enter -t "$pid" --uts --join-cgroup cat /proc/self/cgroup
	[[ "$output" == *":/cfs/test.chain"* ]]
	for c in pids memory; do
		grep -q "^$pid$" "$(dir_of $c test.chain)/cgroup.procs"
	done
}

@test "--absolute: NAME below each hierarchy's root, the same rules; a leading slash alone refused" {
	local n=test.abs-$$
	run -0 cfs-cgroup --absolute --pids 7 "$n/sub" -- cat /proc/self/cgroup
	[[ "$output" == *"pids:/$n/sub"* ]] || pure_v2
	[[ "$output" == *"0::/$n/sub"* ]] || [ -z "$V2" ]
	local d=/sys/fs/cgroup/pids
	pure_v2 && d=$V2
	[ "$(cat "$d/$n/sub/pids.max")" = 7 ]
	[ ! -e "$d/cfs/$n" ]
	cfs-cgroup --absolute --delete "$n"
	[ ! -e "$d/$n" ]
	run -125 --separate-stderr cfs-cgroup --absolute cfs true
	[ "$stderr" = "cfs-cgroup: /cfs: the cfs parent, not a NAME" ]
	run -125 --separate-stderr cfs-cgroup --absolute ../etc true
	[ "$stderr" = "cfs-cgroup: ../etc: NAME must stay below the cfs parent (no empty, . or .. component)" ]
	run -125 --separate-stderr cfs-cgroup --absolute /x true
	[ "$stderr" = "cfs-cgroup: --absolute /x: NAME without a leading slash" ]
	run -125 --separate-stderr cfs-cgroup /x true
	[[ "$stderr" == "cfs-cgroup: /x: NAME must be relative to the cfs parent"* ]]
	run find /sys/fs/cgroup -maxdepth 2 -name "$n"
	[ -z "$output" ]
}
