# SPDX-License-Identifier: GPL-2.0-or-later
# Loaded by every bats file: the tools on PATH, a rootfs, and a check that
# each test leaves the host as it found it: the same mount points, and no
# namespace of ours still held by a process.
bats_require_minimum_version 1.5.0

ROOTFS=${CFS_TEST_ROOTFS:?run the tests with tests/run or make check}
PROBE="$CFS_BUILD/probe"

host_mounts() { awk '{print $5}' /proc/self/mountinfo | sort; }

# Every namespace some process is in: one left over means a container
# process (or a bind-mounted ns file's holder) of ours outlived its test.
host_namespaces() {
	for p in /proc/[0-9]*/ns; do
		readlink "$p/mnt" "$p/pid" "$p/net" "$p/ipc" "$p/uts" \
			"$p/cgroup" 2>/dev/null || true
	done | sort -u
}

# Of the namespaces on stdin, those not held only by another bats run's
# processes (a helper's tests on the same machine): a holder is another
# run's when it, or a process above it, has another BATS_RUN_TMPDIR in its
# environment. One with no bats run above (an orphan) counts as ours.
not_another_runs() {
	local new ns p q env
	local -A mine=() theirs=()
	new=$(cat)
	[ -n "$new" ] || return 0
	for p in /proc/[0-9]*; do
		for ns in $(readlink "$p/ns/mnt" "$p/ns/pid" "$p/ns/net" \
			"$p/ns/ipc" "$p/ns/uts" "$p/ns/cgroup" 2>/dev/null); do
			[[ $'\n'$new$'\n' == *$'\n'"$ns"$'\n'* ]] || continue
			q=${p#/proc/} env=
			while [ -n "$q" ] && [ "$q" -gt 1 ] && [ -z "$env" ]; do
				env=$(tr '\0' '\n' <"/proc/$q/environ" 2>/dev/null |
					sed -n 's/^BATS_RUN_TMPDIR=//p')
				q=$(sed 's/.*) //' "/proc/$q/stat" 2>/dev/null | cut -d' ' -f2)
			done
			if [ -z "$env" ] || [ "$env" = "$BATS_RUN_TMPDIR" ]; then
				mine[$ns]=1
			else
				theirs[$ns]=1
			fi
		done
	done
	for ns in $new; do
		[ -z "${theirs[$ns]:-}" ] || [ -n "${mine[$ns]:-}" ] && echo "$ns"
	done
	return 0
}

setup() {
	host_mounts >"$BATS_TEST_TMPDIR/mounts.before"
	host_namespaces >"$BATS_TEST_TMPDIR/ns.before"
	hostname >"$BATS_TEST_TMPDIR/hostname.before"
	ls -A "$ROOTFS/tmp" >"$BATS_TEST_TMPDIR/rootfs-tmp.before"
}

# Tests that start a chain in the background list its PID in
# $BATS_TEST_TMPDIR/pids: it is ended, pass or fail; so is every mount
# (a namespace file) a test left in its directory, after the comparison
# has seen it.
teardown() {
	local i p m
	if [ -f "$BATS_TEST_TMPDIR/pids" ]; then
		for p in $(cat "$BATS_TEST_TMPDIR/pids"); do
			pkill -KILL -P "$p" 2>/dev/null || true
			kill -KILL "$p" 2>/dev/null || true
		done
	fi
	# and every path a test made outside its directory, listed in "rm"
	if [ -f "$BATS_TEST_TMPDIR/rm" ]; then
		while read -r p; do rm -rf -- "$p"; done <"$BATS_TEST_TMPDIR/rm"
	fi
	host_mounts >"$BATS_TEST_TMPDIR/mounts.after"
	for m in $(grep "^$BATS_TEST_TMPDIR/" "$BATS_TEST_TMPDIR/mounts.after" | sort -r); do
		umount -l "$m" || true
	done
	diff "$BATS_TEST_TMPDIR/mounts.before" "$BATS_TEST_TMPDIR/mounts.after"
	hostname | diff "$BATS_TEST_TMPDIR/hostname.before" -
	# the tests share one rootfs: what one leaves in it, the next sees
	ls -A "$ROOTFS/tmp" | diff "$BATS_TEST_TMPDIR/rootfs-tmp.before" -
	# a killed container may take a moment to be reaped
	for i in 1 2 3 4 5 6 7 8 9 10; do
		host_namespaces >"$BATS_TEST_TMPDIR/ns.after"
		comm -13 "$BATS_TEST_TMPDIR/ns.before" "$BATS_TEST_TMPDIR/ns.after" \
			>"$BATS_TEST_TMPDIR/ns.new"
		[ ! -s "$BATS_TEST_TMPDIR/ns.new" ] && return 0
		sleep 0.2
	done
	not_another_runs <"$BATS_TEST_TMPDIR/ns.new" >"$BATS_TEST_TMPDIR/ns.ours"
	mv "$BATS_TEST_TMPDIR/ns.ours" "$BATS_TEST_TMPDIR/ns.new"
	[ ! -s "$BATS_TEST_TMPDIR/ns.new" ] && return 0
	echo "namespaces left behind:" >&2
	cat "$BATS_TEST_TMPDIR/ns.new" >&2
	return 1
}

# Start a chain in the background with PID $chain, cleaned up by teardown;
# wait until it prints "ready" in $BATS_TEST_TMPDIR/out.
start() {
	(exec "$@" >"$BATS_TEST_TMPDIR/out" 2>&1) &
	chain=$!
	echo "$chain" >>"$BATS_TEST_TMPDIR/pids"
	for i in $(seq 100); do
		grep -q ready "$BATS_TEST_TMPDIR/out" 2>/dev/null && return 0
		sleep 0.05
	done
	cat "$BATS_TEST_TMPDIR/out"
	return 1
}

# A container with every namespace, the probe bound in, running "$@";
# $PIVOT_OPTS are more options of cfs-pivot.
container() {
	cfs-unshare --uts --pid --mount --ipc --net --cgroup --fork \
		--hostname box -- \
		cfs-pivot ${PIVOT_OPTS:-} --bind "$PROBE:/probe:ro" "$ROOTFS" -- "$@"
}

# The options of a --help text, and of a man page's OPTIONS (the tag line
# after each .TP), one per line: -x and --name.
help_options() {
	"$1" --help | grep -oE -- '(^|[ ,])(-[[:alnum:]?]|--[a-z][a-z-]*)' |
		tr -d ' ,' | LC_ALL=C sort -u
}
man_options() {
	awk '/^\.SH OPTIONS/ { f = 1; next } /^\.SH / { f = 0 }
	     f && prev == ".TP" { print } { prev = $0 }' "$1" |
		sed 's/\\-/-/g; s/\\f[BIR]//g' |
		grep -oE -- '(^|[ ,"])(-[[:alnum:]?]|--[a-z][a-z-]*)' |
		tr -d ' ,"' | LC_ALL=C sort -u
}
