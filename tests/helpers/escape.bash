# SPDX-License-Identifier: GPL-2.0-or-later
# The containers of the escape suite (tests/escape*.bats): every
# namespace, cfs-pivot's defaults, the escape helper (tests/helpers/
# escape.c) bound in at /escape.

ESCAPE="$CFS_BUILD/escape"

# box_at [PIVOT_OPTION...] -- NEWROOT PROGRAM [ARG...]: such a container.
box_at() {
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	cfs-unshare --uts --pid --mount --ipc --net --cgroup --fork \
		--hostname box -- \
		cfs-pivot --bind "$ESCAPE:/escape:ro" "${opts[@]}" "$@"
}

# box [PIVOT_OPTION...] -- PROGRAM [ARG...]: the same on the test rootfs.
box() {
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	box_at "${opts[@]}" -- "$ROOTFS" "$@"
}

# start_box: one in the background running sleep, cleaned up by
# teardown (common.bash); its PID 1, as the host sees it, in $pid. The
# test's own fds 7 to 9 stay outside.
start_box() {
	(exec cfs-unshare --uts --pid --mount --ipc --net --fork --hostname box -- \
		cfs-pivot --bind "$ESCAPE:/escape:ro" "$ROOTFS" -- sleep 1000 \
		>/dev/null 2>&1 7>&- 8>&- 9>&-) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	for i in $(seq 100); do
		pid=$(pgrep -P $!) &&
			[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sleep ] && return 0
		sleep 0.05
	done
	return 1
}
