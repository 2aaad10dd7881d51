#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# --tty: a terminal that behaves as `docker run -it` gives one. A real
# terminal drives the chain: tmux, on a server of the test's own, with a
# pane of a fixed size running bash (the caller); send-keys types,
# capture-pane reads the screen. Waits poll the screen, bounded.
load common
load helpers/console
load helpers/tmux
# common.bash's teardown, which ours calls once tmux is gone
eval "common_$(declare -f teardown)"

ESCAPE="$CFS_BUILD/escape"
TMUX_NAME="cfs-test-$$"
CHAIN="cfs-unshare --tty --uts --pid --mount --ipc --net --fork --"
PIVOT="cfs-pivot --tty --setenv PS1=box#"

# The chain the caller runs: its relay (a child of bash) in $relay,
# listed for teardown, and the container's init in $init.
find_chain() {
	local i
	relay="" init=""
	for i in $(seq 200); do
		relay=$(pgrep -P "$pane") &&
			init=$(pgrep -P "$relay") && break
		sleep 0.05
	done
	[ -n "$init" ] || { ps -ef --forest; false; }
	echo "$relay" >>"$BATS_TEST_TMPDIR/pids"
}

# Until process $1 has a child named $2 (a foreground job started).
wait_child() {
	local i
	for i in $(seq 200); do
		pgrep -P "$1" -x "$2" >/dev/null && return 0
		sleep 0.05
	done
	return 1
}

teardown() {
	local p
	for p in $(cat "$BATS_TEST_TMPDIR/pids" 2>/dev/null); do
		pkill -KILL -P "$p" 2>/dev/null || true
	done
	stop_term
	# the containers cfs-oci made under the test's state directory
	for p in $(ls "$BATS_TEST_TMPDIR/oci" 2>/dev/null); do
		cfs-oci --root "$BATS_TEST_TMPDIR/oci" delete --force "$p" || true
	done
	common_teardown
}

@test "--tty: PROGRAM's terminal is /dev/pts/0 of the container's devpts, PROGRAM is PID 1 and leads its session" {
	start_term
	type_line "$CHAIN $PIVOT $ROOTFS -- sh"
	wait_for '^box#'
	find_chain
	type_line 'tty; echo pid=$$ sid=$(cut -d" " -f6 /proc/1/stat); ls /dev/pts | tr "\n" " "; echo'
	wait_for '^pid='
	screen
	screen | grep -qx '/dev/pts/0'
	screen | grep -qx 'pid=1 sid=1'
	screen | grep -qx '0 ptmx *'
	type_line exit
	wait_for '^\$ ?$'
}

@test "--tty --user: the pty is PROGRAM's user's, which can open it by its name" {
	run -0 script -qec "cfs-unshare --tty --pid --mount -- cfs-pivot --tty --user 1000 $ROOTFS -- sh -c 'stat -c \"%u %g %a\" \$(tty); echo hi >\$(tty)'" /dev/null </dev/null
	[ "$(tr -d '\r' <<<"$output")" = "1000 5 620
hi" ]
}

@test "--tty: ^C stops the foreground job, the shell survives and runs the next command" {
	start_term
	type_line "$CHAIN $PIVOT $ROOTFS -- sh"
	wait_for '^box#'
	find_chain
	type_line 'sleep 30'
	wait_child "$init" sleep
	tm send-keys -t t C-c
	type_line 'echo next=$((6*7)) pid=$$'
	wait_for '^next=42 pid=1$'
	run ! pgrep -P "$init" -x sleep
	type_line exit
	wait_for '^\$ ?$'
}

@test "--tty: job control: ^Z stops the job, jobs shows it Stopped, fg and ^C end it, sleep & runs" {
	start_term
	type_line "$CHAIN $PIVOT $ROOTFS -- sh"
	wait_for '^box#'
	find_chain
	type_line 'sleep 30'
	wait_child "$init" sleep
	tm send-keys -t t C-z
	wait_for 'Stopped'
	type_line 'jobs; echo jobs-done'
	wait_for '^jobs-done'
	screen | grep -E '^\[1\]\+? +Stopped +sleep 30'
	grep -q '^State:.*T' "/proc/$(pgrep -P "$init" -x sleep)/status"
	type_line fg
	sleep 0.2
	grep -q '^State:.*S' "/proc/$(pgrep -P "$init" -x sleep)/status"
	tm send-keys -t t C-c
	type_line 'sleep 31 & echo bg-$((1+1))'
	wait_for '^bg-2'
	wait_child "$init" sleep
	type_line 'kill %1; wait; exit'
	wait_for '^\$ ?$'
}

@test "--tty: resizing the caller's terminal resizes PROGRAM's (SIGWINCH)" {
	start_term
	type_line "$CHAIN $PIVOT $ROOTFS -- sh"
	wait_for '^box#'
	find_chain
	type_line 'echo size=$(stty size)'
	wait_for '^size=24 80$'
	tm resize-window -t t -x 100 -y 30
	type_line 'echo size=$(stty size)'
	wait_for '^size=30 100$'
	type_line exit
	wait_for '^\$ ?$'
}

# The caller's terminal is raw while the container runs, as it is under
# docker run -it, and as it was after, whichever way the chain ends: the
# relay forwards every signal it can catch and ends with its child.
@test "--tty: the caller's stty -a is the same after exit, after SIGKILL of the container's init, after SIGTERM or SIGALRM to the relay" {
	start_term
	type_line "stty -a >$BATS_TEST_TMPDIR/before"
	wait_for '^\$ ?$'
	for end in exit kill-init signal-relay; do
		tm send-keys -t t C-l
		# an interactive sh ignores SIGTERM: the relay's signals go to
		# sleep, through an init that forwards them
		case $end in
		*-relay) type_line "cfs-unshare --tty --init --pid --mount -- $PIVOT $ROOTFS -- sleep 100; echo status=\$?"
			find_chain
			wait_child "$init" cfs-pivot || wait_child "$init" sleep ;;
		*) type_line "$CHAIN $PIVOT $ROOTFS -- sh; echo status=\$?"
			wait_for '^box#'
			find_chain ;;
		esac
		stty -a -F "$caller_tty" >"$BATS_TEST_TMPDIR/during"
		grep -q -- '-icanon' "$BATS_TEST_TMPDIR/during"
		grep -q -- '-echo ' "$BATS_TEST_TMPDIR/during"
		case $end in
		exit) type_line 'exit 3'; wait_for '^status=3$' ;;
		kill-init) kill -KILL "$init"; wait_for 'status=137$' ;;
		signal-relay)
			# one that would end it, with the terminal raw: the
			# relay forwards it (init ignores it) and goes on
			kill -ALRM "$relay"
			sleep 0.2
			kill -0 "$relay"
			kill -TERM "$relay"
			wait_for 'status=143$' ;;
		esac
		type_line "stty -a >$BATS_TEST_TMPDIR/after"
		wait_for '^\$ ?$'
		diff "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
	done
}

# kill -TSTP, as a job control shell sends it: the relay stops as a job,
# with the terminal as it was, and takes it back raw when continued
@test "--tty: the relay stopped as a job gives the caller its terminal back, fg resumes the container" {
	start_term
	type_line "stty -a >$BATS_TEST_TMPDIR/before"
	type_line "$CHAIN $PIVOT $ROOTFS -- sh"
	wait_for '^box#'
	find_chain
	kill -TSTP "$relay"
	wait_for 'Stopped'
	type_line "stty -a >$BATS_TEST_TMPDIR/stopped; echo saved"
	wait_for '^saved$'
	diff "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/stopped"
	type_line fg
	type_line 'echo back=$((3*3))'
	wait_for '^back=9$'
	grep -q -- '-icanon' <(stty -a -F "$caller_tty")
	type_line exit
	wait_for '^\$ ?$'
}

# as ssh's or a closed window's: the shell inside ends as it would on it
@test "--tty: when the caller's terminal hangs up, the container's shell gets its hangup and the chain ends" {
	start_term
	type_line "$CHAIN $PIVOT $ROOTFS -- sh"
	wait_for '^box#'
	find_chain
	tm kill-server
	for i in $(seq 100); do
		kill -0 "$relay" 2>/dev/null || kill -0 "$init" 2>/dev/null || break
		sleep 0.05
	done
	run ! kill -0 "$init"
	run ! kill -0 "$relay"
}

@test "--tty with no terminal is a clear error; cfs-pivot --tty with nothing to relay too" {
	run -125 --separate-stderr cfs-unshare --tty --pid --mount -- cfs-pivot --tty "$ROOTFS" -- true </dev/null
	[ "$stderr" = "cfs-unshare: --tty: the standard input is not a terminal" ]
	run -125 --separate-stderr cfs-pivot --tty "$ROOTFS" -- true
	[ "$stderr" = "cfs-pivot: --tty: nothing relays the terminal: start the chain with cfs-unshare --tty, or give --console-socket PATH" ]
	run -125 --separate-stderr cfs-enter --tty -t $$ -m -- true </dev/null
	[ "$stderr" = "cfs-enter: --tty: the standard input is not a terminal" ]
	# a chain whose cfs-pivot was not given --tty: it runs, and says so
	run -0 script -qec "cfs-unshare --tty --pid --mount -- cfs-pivot $ROOTFS -- echo ran" /dev/null </dev/null
	[ "$(tr -d '\r' <<<"$output")" = "ran
cfs-unshare: --tty: no terminal came back from the chain (cfs-pivot --tty sends it)" ]
	run -125 --separate-stderr cfs-pivot --tty --keep-session "$ROOTFS" -- true
	[[ "$stderr" == "cfs-pivot: --tty makes a new session with a pty of the container's /dev/pts: not with --keep-session"* ]]
}

@test "--console-socket: the pty's master goes to the socket (runc's protocol), no relay" {
	receiver "$BATS_TEST_TMPDIR/console"
	run -0 --separate-stderr cfs-unshare --pid --mount --fork -- \
		cfs-pivot --console-socket "$BATS_TEST_TMPDIR/console" "$ROOTFS" -- \
		sh -c 'tty; echo pid=$$' </dev/null
	wait "$receiver_pid"
	cat "$BATS_TEST_TMPDIR/received"
	[ "$output" = "" ]
	[ "$(cat "$BATS_TEST_TMPDIR/received")" = "listening
name /dev/pts/0 fds 1 tty True
/dev/pts/0
pid=1" ]
	run -125 --separate-stderr cfs-pivot --console-socket "$BATS_TEST_TMPDIR/none" "$ROOTFS" -- true
	[ "$stderr" = "cfs-pivot: connect to $BATS_TEST_TMPDIR/none: No such file or directory" ]
}

@test "cfs-enter --console-socket: the same for a process brought into a container" {
	start cfs-unshare --uts --pid --mount --ipc --net --fork -- \
		cfs-pivot "$ROOTFS" -- sh -c 'echo ready; exec sleep 100'
	init=$(pgrep -P "$chain")
	receiver "$BATS_TEST_TMPDIR/console"
	run -0 --separate-stderr cfs-enter --console-socket "$BATS_TEST_TMPDIR/console" \
		-t "$init" --all -- sh -c 'tty; echo pid=$$' </dev/null
	wait "$receiver_pid"
	[ "$(cat "$BATS_TEST_TMPDIR/received")" = "listening
name /dev/pts/0 fds 1 tty True
/dev/pts/0
pid=2" ]
}

@test "cfs-oci exec --tty: a pty of the container's, relayed to our terminal" {
	local b=$BATS_TEST_TMPDIR/bundle r=$BATS_TEST_TMPDIR/oci
	mkdir "$b"
	cfs-oci spec --bundle "$b"
	python3 -c "import json
c = json.load(open('$b/config.json'))
c['root']['path'] = '$ROOTFS'
c['process']['args'] = ['/bin/sleep', '1000']
json.dump(c, open('$b/config.json', 'w'))"
	cfs-oci --root "$r" run -d --bundle "$b" xt1 </dev/null >/dev/null 2>&1
	start_term
	type_line "cfs-oci --root $r exec -t xt1 sh -c 'tty; [ -t 0 ] && echo in=tty; exit 4'; echo status=\$?"
	wait_for '^status=4$'
	screen | grep -qx '/dev/pts/0'
	screen | grep -qx 'in=tty'
	# and the caller's terminal is as it was: not raw
	type_line 'stty -a | tr " " "\n" | grep -qx icanon && echo cooked'
	wait_for '^cooked$'
}

# Root inside types into its own terminal, the pty, which is all it
# holds: the caller's terminal is the relay's alone, outside.
@test "--tty: TIOCSTI from inside types into the container's pty, never the caller's terminal" {
	start_term
	type_line "$CHAIN cfs-pivot --tty --bind $ESCAPE:/escape:ro $ROOTFS -- sh -c '/escape tiocsti \"touch $BATS_TEST_TMPDIR/injected
\"; sleep 0.2; exit 5'; echo status=\$?"
	wait_for '^status=5$'
	type_line 'echo end-$((2*2))'
	wait_for '^end-4$'
	screen
	screen | grep -qx OK
	[ ! -e "$BATS_TEST_TMPDIR/injected" ]
}

@test "cfs-enter --tty into a running container: its pty, ^C, the caller's terminal restored" {
	start cfs-unshare --uts --pid --mount --ipc --net --fork -- \
		cfs-pivot "$ROOTFS" -- sh -c 'echo ready; exec sleep 100'
	target=$(pgrep -P "$chain")
	start_term
	type_line "stty -a >$BATS_TEST_TMPDIR/before"
	wait_for '^\$ ?$'
	type_line "cfs-enter --tty --setenv PS1=in# -t $target --all -- sh; echo status=\$?"
	wait_for '^in#'
	type_line 'tty; echo pid=$$; ps -o pid,comm | grep -c cfs-enter'
	wait_for '^pid='
	screen | grep -qx '/dev/pts/0'
	screen | grep -qx '0'
	inner=$(pgrep -P "$(pgrep -P "$pane")" -x sh)
	type_line 'sleep 30'
	wait_child "$inner" sleep
	tm send-keys -t t C-c
	type_line 'echo next=$((6*7))'
	wait_for '^next=42$'
	type_line 'exit 4'
	wait_for '^status=4$'
	type_line "stty -a >$BATS_TEST_TMPDIR/after"
	wait_for '^\$ ?$'
	diff "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
}

# The one line README.md and the man pages give for `docker run -it`,
# each the same, typed as pasted in a directory with ./rootfs.
@test "the docker run -it line of README.md and the man pages works as pasted" {
	local src=${BATS_TEST_DIRNAME%/tests} line
	line=$(grep -o '^ *cfs-unshare --tty .*' "$src/README.md" | sed 's/^ *//')
	[ -n "$line" ]
	for page in cfs-pivot.1 cfs-unshare.1 cfs.7; do
		grep '^cfs-unshare \\-\\-tty' "$src/man/$page" | sed 's/\\-/-/g' |
			diff - <(echo "$line")
	done
	mkdir "$BATS_TEST_TMPDIR/box"
	ln -s "$ROOTFS" "$BATS_TEST_TMPDIR/box/rootfs"
	start_term
	type_line "cd $BATS_TEST_TMPDIR/box"
	type_line "$line"
	wait_for '^/ #'
	find_chain
	type_line 'echo $$ $(tty)'
	wait_for '^1 /dev/pts/0$'
	type_line exit
	wait_for '^\$ ?$'
}
