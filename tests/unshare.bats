#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-unshare: each option, the exit codes, signals.
load common

nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }

@test "--help and --usage exit 0 and list the options; --version" {
	run -0 cfs-unshare --help
	[[ "$output" == *"--mount-proc[=DIR]"* ]]
	[[ "$output" == *"--kill-child[=SIGNAL]"* ]]
	run -0 cfs-unshare --usage
	run -0 cfs-unshare --version
	[[ "$output" == "cfs-unshare (cfs) "* ]]
}

@test "an unknown option is refused with 125" {
	run -125 --separate-stderr cfs-unshare --bogus true
	[[ "$stderr" == *"cfs-unshare: --bogus: unknown option"* ]]
}

@test "PROGRAM's own options are left alone" {
	run -0 cfs-unshare -u sh -c 'echo "$@"' sh -u --mount
	[ "$output" = "-u --mount" ]
	run -0 cfs-unshare -u -- echo -m
	[ "$output" = "-m" ]
}

@test "no PROGRAM runs \$SHELL, else /bin/sh" {
	SHELL=/bin/false run -1 cfs-unshare -u </dev/null
	run -5 env -u SHELL cfs-unshare -u <<<'exit 5'
}

@test "PROGRAM not found gives 127, not executable 126" {
	run -127 --separate-stderr cfs-unshare -u /no/such/program
	[[ "$stderr" == "cfs-unshare: failed to execute /no/such/program: No such file or directory" ]]
	touch "$BATS_TEST_TMPDIR/plain"
	run -126 --separate-stderr cfs-unshare -u "$BATS_TEST_TMPDIR/plain"
	[[ "$stderr" == *"Permission denied"* ]]
	run -127 cfs-unshare --pid /no/such/program # through the fork too
	run -127 cfs-unshare --pid --kill-child /no/such/program
}

# A child that only execs is spawned, sharing our memory until its exec
# (CLONE_VM|CLONE_VFORK), not forked; it still is execvp's exec.
@test "--fork spawns PROGRAM without a copy of our memory, execvp's way" {
	run -0 strace -f -qq -e trace=clone,clone3 -o "$BATS_TEST_TMPDIR/trace" \
		cfs-unshare --pid true
	grep -q "CLONE_VM|CLONE_VFORK" "$BATS_TEST_TMPDIR/trace"
	# a file without #! runs with /bin/sh, as execvp runs it
	printf 'echo "$$ $0"\n' >"$BATS_TEST_TMPDIR/script"
	chmod +x "$BATS_TEST_TMPDIR/script"
	run -0 cfs-unshare --pid "$BATS_TEST_TMPDIR/script"
	[ "$output" = "1 $BATS_TEST_TMPDIR/script" ]
	# --kill-child and --mount-proc are the spawned child's steps
	run -0 strace -f -qq -e trace=clone,clone3 -o "$BATS_TEST_TMPDIR/trace" \
		cfs-unshare --pid --kill-child --mount-proc true
	grep -q "CLONE_VM|CLONE_VFORK" "$BATS_TEST_TMPDIR/trace"
	# --init stays as PID 1: a fork
	run -0 strace -f -qq -e trace=clone,clone3 -o "$BATS_TEST_TMPDIR/trace" \
		cfs-unshare --pid --init true
	! grep -q "CLONE_VM" "$BATS_TEST_TMPDIR/trace" || false
}

@test "a spawned child's step that fails: its message, and no PROGRAM run" {
	run -125 --separate-stderr cfs-unshare --pid --mount-proc=/no/such/dir \
		touch "$BATS_TEST_TMPDIR/ran"
	[ "$stderr" = "cfs-unshare: mount proc on /no/such/dir: No such file or directory" ]
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

@test "each namespace flag makes a new namespace of its type" {
	for f in mnt:-m uts:-u ipc:-i net:-n pid:-p cgroup:-C time:-T user:-U \
		 mnt:--mount uts:--uts ipc:--ipc net:--net pid:--pid \
		 cgroup:--cgroup time:--time user:--user; do
		t=${f%%:*}
		run -0 cfs-unshare "${f#*:}" "$PROBE" ns
		inside=$(awk -v t=$t '$1 == t {print $2}' <<<"$output")
		[ "$inside" != "$(stat -L -c %i /proc/self/ns/$t)" ] || { echo "$f"; false; }
	done
}

@test "--uts --hostname names the new UTS namespace only" {
	run -0 cfs-unshare --uts --hostname foo hostname
	[ "$output" = foo ]
	run -0 cfs-unshare --uts sh -c 'hostname bar; hostname'
	[ "$output" = bar ]
}

@test "--hostname without --uts, or too long, is refused before anything" {
	run -125 --separate-stderr cfs-unshare --hostname foo true
	[[ "$stderr" == *"--hostname needs --uts"* ]]
	long=$(printf 'x%.0s' $(seq 65))
	run -125 --separate-stderr cfs-unshare --uts --hostname "$long" true
	[[ "$stderr" == *"longer than 64 characters"* ]]
}

@test "--pid implies --fork: PROGRAM is PID 1; --no-fork opts out" {
	run -0 cfs-unshare --pid sh -c 'echo $$'
	[ "$output" = 1 ]
	run -0 cfs-unshare --pid --no-fork sh -c 'echo $$; sh -c "echo \$\$"'
	[ "${lines[0]}" != 1 ]
	[ "${lines[1]}" = 1 ]
}

@test "--mount-proc shows only the new PID namespace; a bare --mount-proc takes no word" {
	run -0 cfs-unshare --pid --mount-proc sh -c 'ls /proc | grep -c "^[0-9]"; readlink /proc/self'
	[ "${lines[0]}" -le 3 ]
	run -0 cfs-unshare --pid --mount-proc ps -o pid,comm
	[ "${#lines[@]}" = 2 ]
	[[ "${lines[1]}" =~ ^\ *1\ ps$ ]]
	dir="$BATS_TEST_TMPDIR/p"
	mkdir "$dir"
	run -0 cfs-unshare --pid --mount-proc="$dir" cat "$dir/1/comm"
	[ "$output" = cat ]
}

@test "--mount: a mount inside is not seen outside" {
	dir="$BATS_TEST_TMPDIR/m"
	mkdir "$dir"
	run -0 cfs-unshare --mount sh -c "mount -t tmpfs cfs-test '$dir' && grep -c ' $dir ' /proc/self/mountinfo"
	[ "$output" = 1 ]
	! grep -q " $dir " /proc/self/mountinfo || false
}

@test "--propagation: private by default, shared when asked, bad value refused" {
	run -0 cfs-unshare --mount awk '$5 == "/" {print}' /proc/self/mountinfo
	[[ "$output" != *shared:* ]]
	run -0 cfs-unshare --mount --propagation shared awk '$5 == "/" {print}' /proc/self/mountinfo
	[[ "$output" == *shared:* ]]
	run -125 --separate-stderr cfs-unshare --mount --propagation bogus true
	[[ "$stderr" == *"--propagation bogus"* ]]
}

@test "--net: loopback is up and alone" {
	run -0 cfs-unshare --net ip -o link
	[ "${#lines[@]}" = 1 ]
	[[ "$output" == *" lo: <LOOPBACK,UP,LOWER_UP>"* ]]
	run -0 cfs-unshare --net busybox ping -c 1 -W 1 127.0.0.1
}

@test "--map-root-user: root inside, the caller outside, even for nobody" {
	run -0 nobody cfs-unshare --map-root-user sh -c 'id -u; cat /proc/self/uid_map; cat /proc/self/setgroups'
	[ "${lines[0]}" = 0 ]
	[ "$(echo ${lines[1]})" = "0 65534 1" ]
	[ "${lines[2]}" = deny ]
	run -0 nobody cfs-unshare --map-current-user id -u
	[ "$output" = 65534 ]
	run -0 cfs-unshare --user --setgroups deny cat /proc/self/setgroups
	[ "$output" = deny ]
	run -125 --separate-stderr cfs-unshare -r --setgroups allow true
	[[ "$stderr" == *"--setgroups allow and --map-root-user exclude each other"* ]]
	run -125 cfs-unshare --setgroups maybe -r true
	run -125 cfs-unshare --setgroups deny true
	run -125 cfs-unshare -r --map-current-user true
}

@test "an unprivileged unshare fails with 125, says why and what to try" {
	run -125 --separate-stderr nobody cfs-unshare --uts true
	[ "$stderr" = "cfs-unshare: unshare uts: Operation not permitted; as an ordinary user, try --user --map-root-user" ]
	# which works
	run -0 --separate-stderr nobody cfs-unshare --user --map-root-user --uts id -u
	[ "$output" = 0 ]
}

@test "signals reach PROGRAM; its status comes back" {
	start cfs-unshare --fork -- sh -c 'trap "exit 3" TERM; echo ready; while :; do sleep 0.1; done'
	kill -TERM "$chain"
	rc=0; wait "$chain" || rc=$?
	[ "$rc" = 3 ]
	start cfs-unshare --fork -- sh -c 'echo ready; exec sleep 100'
	kill -HUP "$chain"
	rc=0; wait "$chain" || rc=$?
	[ "$rc" = 129 ]
}

@test "--kill-child: PROGRAM dies with cfs-unshare" {
	start cfs-unshare --kill-child -- sh -c 'echo ready; exec sleep 100'
	child=$(pgrep -P "$chain")
	[ -n "$child" ]
	kill -KILL "$chain"
	for i in $(seq 50); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$child" 2>/dev/null || false
	run -125 --separate-stderr cfs-unshare --kill-child=BOGUS true
	[[ "$stderr" == *"--kill-child=BOGUS: unknown signal"* ]]
	run -0 cfs-unshare --kill-child=TERM true
	run -0 cfs-unshare --pid --kill-child sh -c 'echo $$'
	[ "$output" = 1 ]
}

@test "--init: PID 1 reaps orphans and forwards signals; PROGRAM's status comes back" {
	run -0 cfs-unshare --pid --init --mount-proc sh -c 'echo $$; cat /proc/1/comm'
	[ "${lines[0]}" = 2 ]
	[ "${lines[1]}" = cfs-unshare ]
	# an orphan whose parent exited is reaped by our PID 1: no zombie
	run -0 cfs-unshare --pid --init --mount-proc sh -c '
		sh -c "sleep 0.2 & exit"; sleep 0.6; ps -o stat | grep -c "^Z" || true'
	[ "$output" = 0 ]
	run -9 cfs-unshare --pid --init sh -c 'exit 9'
	start cfs-unshare --pid --init -- sh -c 'echo ready; exec sleep 100'
	kill -TERM "$chain"
	rc=0; wait "$chain" || rc=$?
	[ "$rc" = 143 ]
	run -125 --separate-stderr cfs-unshare --init true
	[[ "$stderr" == *"--init needs --pid"* ]]
}

@test "without --init, PID 1 killed with SIGKILL gives 137" {
	start cfs-unshare --pid -- sh -c 'echo ready; exec sleep 100'
	kill -KILL "$(pgrep -P "$chain")"
	rc=0; wait "$chain" || rc=$?
	[ "$rc" = 137 ]
}

@test "--no-wait: cfs-unshare exits, PROGRAM goes to the subreaper with its status" {
	local T=$BATS_TEST_TMPDIR
	run -0 "$CFS_BUILD/reaper" cfs-unshare --pid --mount --no-wait \
		--pidfile "$T/pid" -- sh -c 'sleep 0.3; exit 7'
	[ "${lines[0]}" = "program 0" ]
	[ "${lines[1]}" = "reaped $(cat "$T/pid") 7" ]
	[ "${#lines[@]}" = 2 ]
	run -125 --separate-stderr cfs-unshare --pid --init --no-wait true
	[ "$stderr" = "cfs-unshare: --no-wait needs a fork (--fork, --pid), and not --init, --kill-child or --tty" ]
}

@test "--setuid, --setgid: the root of a user namespace that maps our uid away" {
	local maps="--user --map-users 0:100000:65536 --map-groups 0:100000:65536"
	run -0 cfs-unshare $maps --setuid 0 --setgid 0 -- sh -c 'id -u; id -g; id -G; grep CapEff /proc/self/status'
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = 0 ]
	[ "${lines[3]}" != "CapEff:	0000000000000000" ]
	run -0 cfs-unshare $maps --pid --fork --setuid 0 -- id -u
	[ "$output" = 0 ]
	# without them, we are nobody there, with nothing
	run -0 cfs-unshare $maps -- sh -c 'id -u; grep CapEff /proc/self/status'
	[ "${lines[0]}" = 65534 ]
	[ "${lines[1]}" = "CapEff:	0000000000000000" ]
	run -125 --separate-stderr cfs-unshare --setuid x true
	[ "$stderr" = "cfs-unshare: --setuid x: not a uid" ]
}

@test "--setup runs on the host side before PROGRAM, --teardown after it" {
	host_net=$(readlink /proc/self/ns/net)
	log=$BATS_TEST_TMPDIR/hooks
	run -0 cfs-unshare --net \
		--setup "echo setup \$CFS_PID \$(readlink /proc/self/ns/net) \$(readlink /proc/\$CFS_PID/ns/net) >>$log" \
		--teardown "echo teardown \$CFS_PID >>$log" \
		-- sh -c "echo program \$\$ \$(readlink /proc/self/ns/net) >>$log"
	for _ in $(seq 50); do grep -q teardown "$log" && break; sleep 0.05; done
	cat "$log"
	run -0 cat "$log"
	[ "${#lines[@]}" = 3 ]
	read -r _ pid hooks_net ctr_net <<<"${lines[0]}"
	# the hook is in the host's namespace, PROGRAM waits for it in its own
	[ "$hooks_net" = "$host_net" ]
	[ "$ctr_net" != "$host_net" ]
	[ "${lines[1]}" = "program $pid $ctr_net" ]
	[ "${lines[2]}" = "teardown $pid" ]
	# a failed setup: PROGRAM does not run, the teardown still does
	rm "$log"
	run -125 --separate-stderr cfs-unshare --net --setup 'exit 3' \
		--teardown "echo teardown >>$log" -- sh -c "echo program >>$log"
	[ "$stderr" = "cfs-unshare: setup command 'exit 3' exited with status 3" ]
	for _ in $(seq 50); do grep -q teardown "$log" && break; sleep 0.05; done
	run -0 cat "$log"
	[ "$output" = teardown ]
	run -125 --separate-stderr cfs-unshare --net --no-fork --setup true -- true
	[[ "$stderr" == *"--no-fork contradicts --setup"* ]]
}

@test "--teardown waits for the setup to end, even when PROGRAM ends first" {
	local log=$BATS_TEST_TMPDIR/log
	# the setup kills PROGRAM and goes on: the teardown comes after it
	run cfs-unshare --net --setup "kill -KILL \$CFS_PID; sleep 0.3; echo setup >>$log" \
		--teardown "echo teardown >>$log" -- true
	for _ in $(seq 50); do grep -q teardown "$log" && break; sleep 0.05; done
	run -0 cat "$log"
	[ "${lines[0]}" = setup ]
	[ "${lines[1]}" = teardown ]
	[ "${#lines[@]}" = 2 ]
}

@test "--setup of plain words: run without the shell, with the shell's result" {
	# found in PATH, given CFS_PID, its output ours
	run -0 cfs-unshare --net --setup "printenv CFS_PID" -- sh -c 'echo $$'
	[ "${#lines[@]}" = 2 ]
	[ "${lines[0]}" = "${lines[1]}" ]
	# no shell in between: ps's parent is the hook's process
	run -0 cfs-unshare --net --setup "ps -eo pid=,ppid=,comm=" -- true
	parent=$(awk '$3 == "ps" { print $2 }' <<<"$output")
	[ "$(awk -v p="$parent" '$1 == p { print $3 }' <<<"$output")" = cfs-unshare ]
	# the same command through the shell for what it needs: a builtin,
	# a command not found (the shell's message and 127), an assignment
	run -125 --separate-stderr cfs-unshare --net --setup "exit 4" -- true
	[ "$stderr" = "cfs-unshare: setup command 'exit 4' exited with status 4" ]
	run -125 --separate-stderr cfs-unshare --net --setup "no-such-cfs-command x" -- true
	[[ "$stderr" == *"not found"* ]]
	[[ "$stderr" == *"cfs-unshare: setup command 'no-such-cfs-command x' exited with status 127" ]]
	run -0 cfs-unshare --net --setup "CFS_X=1 printenv CFS_X" -- true
	[ "$output" = 1 ]
}
