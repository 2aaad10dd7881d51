#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 15, item 11: properties no other test held (each removed alone,
# the suite stayed green); each test here fails when its property goes.
load common
load helpers/escape

# ---- the exit status of a session leader's chain (ssh -t, script -c)

# setsid -w: cfs-pivot leads its own session, so its new session for
# PROGRAM takes a fork, whose child's death by a signal must come back as
# 128+N, not as a status of the parent's own.
@test "a session leader's cfs-pivot passes on PROGRAM's death by KILL (137) and TERM (143)" {
	run -137 setsid -w cfs-pivot "$ROOTFS" -- sh -c 'kill -KILL $$'
	run -143 setsid -w cfs-pivot "$ROOTFS" -- sh -c 'kill -TERM $$'
	run -7 setsid -w cfs-pivot "$ROOTFS" -- sh -c 'exit 7'
}

@test "a session leader's cfs-enter passes on PROGRAM's death by KILL and TERM, forking into a PID namespace or not" {
	start_box
	# --all joins the PID namespace: a child of cfs-enter runs PROGRAM
	run -137 setsid -w cfs-enter -t "$pid" --all -- sh -c 'kill -KILL $$'
	run -143 setsid -w cfs-enter -t "$pid" --all -- sh -c 'kill -TERM $$'
	# no PID namespace: PROGRAM is cfs-enter's exec, after the fork that
	# its new session takes
	run -137 setsid -w cfs-enter -t "$pid" -m -u -- sh -c 'kill -KILL $$'
	run -143 setsid -w cfs-enter -t "$pid" -m -u -- sh -c 'kill -TERM $$'
}

# ---- every read-only path of runc's list

# runc's readonlyPaths, written here and not taken from cfs-pivot, so
# that a path dropped from its list (or misspelt) fails this test: each
# is a read-only mount of its own in the container, and a write to what
# it holds fails with EROFS, not with EACCES.
@test "every path of runc's read-only list is a read-only mount, and a write in it fails with EROFS" {
	run -0 --separate-stderr box -- sh -c '
		for p in /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger; do
			[ -e $p ] || { echo "$p absent"; continue; }
			o=$(awk -v p=$p "\$5 == p { print \$6 }" /proc/self/mountinfo | tail -1)
			case ,$o, in *,ro,*) ;; *) echo "$p not a read-only mount: [$o]" ;; esac
			if [ -f $p ]; then f=$p
			else f=$(find $p -type f -perm -200 2>/dev/null | head -1); fi
			[ -n "$f" ] && echo "$p $(/escape open $f w)"
		done; true'
	echo "$output"
	! grep -q 'not a read-only mount' <<<"$output" || false
	[[ "$output" == *"/proc/sys ERR EROFS"* ]]
	[[ "$output" == *"/proc/irq ERR EROFS"* ]]
	# every write tried was refused by the mount
	! grep -E '^/proc/[a-z-]+ ' <<<"$output" | grep -v -e ' ERR EROFS$' -e ' absent$' || false
}
