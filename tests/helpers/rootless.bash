# SPDX-License-Identifier: GPL-2.0-or-later
# A real ordinary user for the rootless tests of a file: made in its
# setup_file, removed in its teardown_file, pass or fail. RL_USER names
# it; RL_SUB, when set, is the first of its 65536 subordinate uids and
# gids (/etc/subuid, /etc/subgid: for --map-auto), which no other test
# file may use. A killed run's user is removed first.

as_user() { setpriv --reuid "$RL_USER" --regid "$RL_USER" --init-groups "$@"; }

rl_remove() {
	if id "$RL_USER" >/dev/null 2>&1; then
		pkill -KILL -u "$RL_USER" || true
		if [ -n "${RL_SUB:-}" ]; then
			usermod --del-subuids "$RL_SUB-$((RL_SUB + 65535))" \
				--del-subgids "$RL_SUB-$((RL_SUB + 65535))" "$RL_USER" || true
		fi
		userdel "$RL_USER"
	fi
	! grep -qs "^$RL_USER:" /etc/subuid /etc/subgid || false
}

# Make the user, with no subordinate range of useradd's choosing (only
# RL_SUB's), and RL_WORK: a directory of its own holding a copy of the
# test rootfs, whose path is kept in $BATS_FILE_TMPDIR/work for the tests
# (rl_work). Files to give it are copied in by the caller.
rl_add() {
	rl_remove
	if [ -n "${RL_SUB:-}" ] &&
		awk -F: -v s="$RL_SUB" '$2 < s + 65536 && $2 + $3 > s' \
			/etc/subuid /etc/subgid 2>/dev/null | grep -q .; then
		echo "subordinate ids $RL_SUB+65536 are used already" >&2
		return 1
	fi
	useradd -M -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 -d /nonexistent \
		-s /bin/sh "$RL_USER"
	if [ -n "${RL_SUB:-}" ]; then
		usermod --add-subuids "$RL_SUB-$((RL_SUB + 65535))" \
			--add-subgids "$RL_SUB-$((RL_SUB + 65535))" "$RL_USER"
	fi
	RL_WORK=$(mktemp -d "/tmp/$RL_USER.XXXXXX")
	echo "$RL_WORK" >"$BATS_FILE_TMPDIR/work"
	cp -a "$ROOTFS" "$RL_WORK/rootfs"
	chown -R "$RL_USER:" "$RL_WORK"
	chmod 755 "$RL_WORK"
}

rl_work() { cat "$BATS_FILE_TMPDIR/work"; }

rl_teardown() {
	local work
	work=$(cat "$BATS_FILE_TMPDIR/work" 2>/dev/null) || true
	[ -z "$work" ] || rm -rf "$work"
	rl_remove
}
