# SPDX-License-Identifier: GPL-2.0-or-later
# receiver SOCKET: the receiving end of a console socket (runc's
# protocol), tests/helpers/recvtty -v, in the background with PID
# $receiver_pid (ended by teardown through $BATS_TEST_TMPDIR/pids), its
# output in $BATS_TEST_TMPDIR/received: "listening", "name NAME fds N
# tty True", then what the pty's slave wrote, without carriage returns.
receiver() {
	"$CFS_BUILD/recvtty" -v "$1" >"$BATS_TEST_TMPDIR/received" 2>&1 &
	receiver_pid=$!
	echo "$receiver_pid" >>"$BATS_TEST_TMPDIR/pids"
	for i in $(seq 100); do
		grep -q listening "$BATS_TEST_TMPDIR/received" && return 0
		sleep 0.05
	done
	return 1
}
