# SPDX-License-Identifier: GPL-2.0-or-later
# tmux.bash: a real terminal for a test: bash in a tmux pane of a fixed
# size, on a server of the test file's own (TMUX_NAME, which the file
# sets); send-keys types, capture-pane reads the screen. Waits poll the
# screen, bounded.

tm() { tmux -L "$TMUX_NAME" "$@"; }

# The caller: bash in a pane of $1 columns and $2 rows (80x24), its
# prompt "$ "; its PID in pane, its terminal in caller_tty.
start_term() {
	tm -f /dev/null new-session -d -x "${1:-80}" -y "${2:-24}" -s t \
		env -i PATH="$PATH" TERM=screen HOME="$BATS_TEST_TMPDIR" \
		PS1='$ ' bash --norc --noprofile
	pane=$(tm display-message -p -t t '#{pane_pid}')
	caller_tty=$(tm display-message -p -t t '#{pane_tty}')
	wait_for '^\$ ?$'
}

# The pane as it shows now (capture-pane's options after: -J -S - for
# all of its history, lines joined).
screen() { tm capture-pane -p -t t "$@"; }

# Until the screen has a line matching the regex $1: at most $2 s (10).
wait_for() {
	local i
	for i in $(seq $((${2:-10} * 20))); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.05
	done
	echo "never came: $1; the screen:"
	screen
	return 1
}

type_line() {
	tm send-keys -t t -l -- "$1"
	tm send-keys -t t Enter
}

# The server gone, and its socket.
stop_term() {
	tm kill-server 2>/dev/null || true
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TMUX_NAME"
}
