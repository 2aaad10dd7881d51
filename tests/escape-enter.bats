#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 15, item 1: cfs-enter trusted the target's seccomp filters before
# it dropped privilege. The runc exec class (CVE-2016-9962: a process
# joining a container meets what the container controls before it has
# given up what the host gave it), with TIOCSTI on the host's terminal
# (CVE-2016-7545, CVE-2017-5226) as the way out.
#
# A process of the container installs a filter that answers capset,
# prctl, the set*id calls, setgroups and setsid with "success" without
# making them (tests/helpers/liar.c). cfs-enter copied it from the
# target and loaded it before its drops: what it ran had the host's
# capabilities, in the host's session. Now the entered process gets the
# container's profile (cfs-pivot's default, or --seccomp FILE), loaded
# after every drop, and cfs-enter checks the drops before it executes
# anything.
load common

LIAR="$CFS_BUILD/liar"

# liar_box [CFS-UNSHARE-OPTION...]: a container in the background (every
# namespace but user and time, $PIVOT_OPTS more options of cfs-pivot)
# whose PID 1 is the liar, its filter on; its PID as the host sees it in
# $pid.
liar_box() {
	start cfs-unshare --uts --pid --mount --ipc --net --cgroup --fork \
		--hostname box "$@" -- \
		cfs-pivot --bind "$LIAR:/liar:ro" --bind "$PROBE:/probe:ro" \
		${PIVOT_OPTS:-} "$ROOTFS" -- /liar
	pid=$(pgrep -P "$chain")
	# the cfs-pivot filter and the liar's
	grep -q "^Seccomp_filters:[[:space:]]*2$" "/proc/$pid/status"
}

# The capability lines and no_new_privs of a status file.
privs_of() { grep -E '^(Cap(Bnd|Prm|Eff|Inh|Amb)|NoNewPrivs):' "$1"; }

# The session of PID, as the host numbers it.
sid_of() { ps -o sid= -p "$1" | tr -d ' '; }

# Run cfs-enter "$@" -- sleep 30 in the background; the host PID of that
# sleep in $entered, once it runs.
enter_sleep() {
	local enter i
	(exec cfs-enter "$@" -- sleep 30 </dev/null >/dev/null 2>&1) &
	enter=$!
	echo "$enter" >>"$BATS_TEST_TMPDIR/pids"
	for i in $(seq 100); do
		entered=$(pgrep -P "$enter" -x sleep) && return 0
		[ "$(cat "/proc/$enter/comm" 2>/dev/null)" = sleep ] &&
			{ entered=$enter; return 0; }
		sleep 0.05
	done
	return 1
}

# lie CALL CFS-ENTER-OPTION...: cfs-enter run with CALL answered 0 and not
# made (strace's fault injection: what a lying filter does, from
# outside) must refuse, 125, and run nothing.
lie() {
	local call=$1
	shift
	run -125 --separate-stderr strace -f -qq -o /dev/null \
		-e inject="$call":retval=0 cfs-enter "$@" -- sh -c 'echo RAN'
	echo "$call: $stderr"
	[ -z "$output" ]
	[[ "$stderr" == "cfs-enter: "* ]]
}

# A profile in cfs-pivot's format that denies mkdir.
profile_denying_mkdir() {
	cat >"$1" <<-'END'
	{
		"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [
			{ "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO" }
		]
	}
	END
}

@test "a lying filter in the target: --all brings in the container's capabilities, not the host's" {
	liar_box
	run -0 --separate-stderr cfs-enter -t "$pid" --all -- cat /proc/self/status
	echo "$output" | grep -E '^(Cap|NoNewPrivs|Seccomp)'
	diff <(privs_of "/proc/$pid/status") <(privs_of /dev/stdin <<<"$output")
	[ "$(grep CapEff "/proc/$pid/status")" != "$(grep CapEff /proc/self/status)" ]
	# ids asked are ids had
	run -0 --separate-stderr cfs-enter -t "$pid" --all -S 1000 -G 1001 -- \
		sh -c 'id -u; id -g; id -G; grep CapEff /proc/self/status'
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1001 ]
	[ "${lines[2]}" = 1001 ]
	[[ "${lines[3]}" =~ CapEff:.0+$ ]]
}

@test "a lying filter in the target: --all runs the program in a session of its own" {
	liar_box
	run -0 --separate-stderr cfs-enter -t "$pid" --all -- sh -c 'echo $$; exec /probe sid'
	echo "$output"
	[ "${lines[0]}" = "${lines[1]}" ]	# it leads its session
	enter_sleep -t "$pid" --all
	[ "$(sid_of "$entered")" = "$entered" ]
	[ "$(sid_of "$entered")" != "$(sid_of $$)" ]
}

@test "a lying filter in the target: without a fork (-m -u -i -n), the same" {
	liar_box
	run -0 --separate-stderr cfs-enter -t "$pid" -m -u -i -n -- sh -c 'echo $$; /probe sid'
	[ "${lines[0]}" = "${lines[1]}" ]
	[ "${lines[1]}" != "$(sid_of $$)" ]
	# the container's /proc does not show it: the host's does
	enter_sleep -t "$pid" -m -u -i -n
	[ "$(sid_of "$entered")" = "$entered" ]
	[ "$(sid_of "$entered")" != "$(sid_of $$)" ]
	diff <(privs_of "/proc/$pid/status") <(privs_of "/proc/$entered/status")
}

@test "a lying filter in a container with a user namespace: its root, its capabilities, its session" {
	liar_box --user --map-root-user
	run -0 --separate-stderr cfs-enter -t "$pid" --all -- \
		sh -c 'readlink /proc/self/ns/user; echo $$; /probe sid; cat /proc/self/status'
	[ "${lines[0]}" = "$(readlink "/proc/$pid/ns/user")" ]
	[ "${lines[1]}" = "${lines[2]}" ]
	diff <(privs_of "/proc/$pid/status") <(privs_of /dev/stdin <<<"$output")
	enter_sleep -t "$pid" --all
	[ "$(sid_of "$entered")" != "$(sid_of $$)" ]
}

@test "the filter is the container's profile: cfs-pivot's default, or --seccomp FILE, or none" {
	liar_box
	# one filter, the default profile: keyctl denied, not the liar's lies
	run -0 --separate-stderr cfs-enter -t "$pid" --all -- grep '^Seccomp' /proc/self/status
	[ "$output" = "$(printf 'Seccomp:\t2\nSeccomp_filters:\t1')" ]
	run -1 cfs-enter -t "$pid" --all -- /probe keyring
	[ "$output" = "keyctl: Operation not permitted" ]
	# --seccomp FILE, read in the host before anything is joined
	profile_denying_mkdir "$BATS_TEST_TMPDIR/profile"
	run -1 --separate-stderr cfs-enter -t "$pid" --all \
		--seccomp "$BATS_TEST_TMPDIR/profile" -- mkdir /tmp/d
	[[ "$stderr" == *"Operation not permitted"* ]]
	run -0 --separate-stderr cfs-enter -t "$pid" --all \
		--seccomp "$BATS_TEST_TMPDIR/profile" -- /probe keyring
	run -125 --separate-stderr cfs-enter -t "$pid" --all \
		--seccomp "$BATS_TEST_TMPDIR/none" -- true
	[ "$stderr" = "cfs-enter: open $BATS_TEST_TMPDIR/none: No such file or directory" ]
	run -125 --separate-stderr cfs-enter -t "$pid" --all \
		--seccomp "$BATS_TEST_TMPDIR/profile" --no-seccomp -- true
	[ "$stderr" = "cfs-enter: --seccomp and --no-seccomp: choose one" ]
	# --no-seccomp: none at all, and still the container's privileges
	run -0 --separate-stderr cfs-enter -t "$pid" --all --no-seccomp -- cat /proc/self/status
	[[ "$output" == *"$(printf 'Seccomp:\t0')"* ]]
	diff <(privs_of "/proc/$pid/status") <(privs_of /dev/stdin <<<"$output")
	# the target is never attached
	grep -q "TracerPid:[[:space:]]0$" "/proc/$pid/status"
}

# Each drop, made to answer "success" without being made (strace's fault
# injection does what a lying filter does, from outside): cfs-enter
# refuses to execute anything, and says which.
@test "a drop that did not happen is caught: nothing runs, 125, the check named" {
	liar_box
	lie capset -t "$pid" --all
	[[ "$stderr" == *"effective set"* ]]
	lie prctl -t "$pid" --all
	[[ "$stderr" == *"bounding set"* || "$stderr" == *"no_new_privs"* ]]
	lie setuid -t "$pid" --all -S 1000
	[[ "$stderr" == *"setuid 1000"* ]]
	lie setgid -t "$pid" --all -G 1000
	[[ "$stderr" == *"setgid 1000"* ]]
	lie setsid -t "$pid" --all
	[[ "$stderr" == *"new session"* ]]
	lie setsid -t "$pid" -m -u
	[[ "$stderr" == *"new session"* ]]
}

@test "a target without a filter: none is loaded, and the drops hold" {
	start cfs-unshare --uts --pid --mount --ipc \
		--net --fork -- cfs-pivot --no-seccomp "$ROOTFS" -- \
		sh -c 'echo ready; exec sleep 1000'
	pid=$(pgrep -P "$chain")
	run -0 --separate-stderr cfs-enter -t "$pid" --all -- cat /proc/self/status
	[[ "$output" == *"$(printf 'Seccomp:\t0')"* ]]
	diff <(privs_of "/proc/$pid/status") <(privs_of /dev/stdin <<<"$output")
}

@test "a target without no_new_privs: the filter loaded before the drops, as runc exec does; the drops checked all the same" {
	start cfs-unshare --uts --pid --mount --ipc --net --fork -- \
		cfs-pivot --allow-new-privs "$ROOTFS" -- \
		sh -c 'echo ready; exec sleep 1000'
	pid=$(pgrep -P "$chain")
	grep -q "^NoNewPrivs:[[:space:]]*0$" "/proc/$pid/status"
	run -0 --separate-stderr cfs-enter -t "$pid" --all -- cat /proc/self/status
	[[ "$output" == *"$(printf 'Seccomp:\t2\nSeccomp_filters:\t1')"* ]]
	diff <(privs_of "/proc/$pid/status") <(privs_of /dev/stdin <<<"$output")
	lie capset -t "$pid" --all
	[[ "$stderr" == *"effective set"* ]]
	lie prctl -t "$pid" --all
	[[ "$stderr" == *"bounding set"* ]]
}

# ---- rootless: an ordinary user's chain, entered by the same user

RL_USER=cfs-test-rle
load helpers/rootless

setup_file() {
	rl_add
	# the helpers, where it can reach them
	cp "$LIAR" "$PROBE" "$RL_WORK/"
}

teardown_file() { rl_teardown; }

@test "rootless: a lying filter in a user's container; the user enters with its capabilities, in a session of its own" {
	work=$(rl_work)
	start setpriv --reuid "$RL_USER" --regid "$RL_USER" --init-groups \
		cfs-unshare --map-root-user --uts --pid --mount --ipc \
		--net --fork --hostname box -- \
		cfs-pivot --bind "$work/liar:/liar:ro" --bind "$work/probe:/probe:ro" \
		"$work/rootfs" -- /liar
	pid=$(pgrep -P "$chain")
	[ "$(stat -c %U "/proc/$pid")" = "$RL_USER" ]
	grep -q "^Seccomp_filters:[[:space:]]*2$" "/proc/$pid/status"
	run -0 --separate-stderr as_user cfs-enter -t "$pid" --all -- \
		sh -c 'echo $$; /probe sid; cat /proc/self/status'
	[ "${lines[0]}" = "${lines[1]}" ]
	diff <(privs_of "/proc/$pid/status") <(privs_of /dev/stdin <<<"$output")
	[[ "$output" == *"$(printf 'Seccomp_filters:\t1')"* ]]
	(exec setpriv --reuid "$RL_USER" --regid "$RL_USER" --init-groups \
		cfs-enter -t "$pid" --all -- sleep 30 </dev/null >/dev/null 2>&1) &
	enter=$!
	echo "$enter" >>"$BATS_TEST_TMPDIR/pids"
	for i in $(seq 100); do
		entered=$(pgrep -P "$enter" -x sleep) && break
		sleep 0.05
	done
	[ "$(sid_of "$entered")" = "$entered" ]
	[ "$(sid_of "$entered")" != "$(sid_of $$)" ]
}
