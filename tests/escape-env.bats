#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 15, item 9: what of the caller reaches the container. An fd of a
# host directory left open by whoever started the chain is a way out of
# any root (openat(fd, "..") walks the host: the CVE-2024-21626 class, a
# runc leak of its own cgroup directory fd); its environment holds tokens,
# agent sockets and proxies (an information leak, CWE-526). By default, as
# with runc and docker, only fds 0, 1, 2 and a clean environment get in.
load common
load helpers/escape

# The same chain as a command, for env(1): "${chain[@]}" [OPTION...] "$ROOTFS" -- ...
chain=(cfs-unshare --uts --pid --mount --ipc --net --cgroup --fork
	--hostname box -- cfs-pivot --bind "$ESCAPE:/escape:ro")

# A sanitizer build's options, through env -i (make check-asan turns leak
# checks off: LeakSanitizer cannot stop the world under a seccomp filter).
sanitizer=(${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS}
	${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS})

fd_numbers() { cut -d' ' -f1 <<<"$output" | tr '\n' ' '; }

# ---- fds (CVE-2024-21626 class)

@test "an fd of a host directory the caller left open does not reach PROGRAM" {
	exec 7</etc 8>"$BATS_TEST_TMPDIR/log"
	run -0 --separate-stderr box -- /escape fds </dev/null
	exec 7<&- 8>&-
	echo "$output"
	[ "$(fd_numbers)" = "0 1 2 " ]
}

@test "--preserve-fds N keeps fds 3 to 3+N-1, and no more" {
	run -0 --separate-stderr box --preserve-fds 2 -- /escape fds \
		</dev/null 3</dev/null 4</etc 5</etc
	echo "$output"
	[ "$(fd_numbers)" = "0 1 2 3 4 " ]
	run -125 --separate-stderr box --preserve-fds x -- true
	[[ "$stderr" == *"--preserve-fds x"* ]]
}

@test "--listen-fds: socket activation's fds pass, LISTEN_PID is PROGRAM's own" {
	# systemd's protocol: LISTEN_FDS fds from 3 on, for the process LISTEN_PID
	run -0 --separate-stderr env LISTEN_FDS=2 LISTEN_PID=$$ LISTEN_FDNAMES=a:b \
		cfs-unshare --uts --pid --mount --fork -- \
		cfs-pivot --bind "$ESCAPE:/escape:ro" --listen-fds "$ROOTFS" -- \
		sh -c 'echo "$LISTEN_FDS $LISTEN_PID $$ $LISTEN_FDNAMES"; exec /escape fds' \
		</dev/null 3</dev/null 4</dev/null 5</dev/null
	echo "$output"
	[ "${lines[0]}" = "2 1 1 a:b" ]
	output=$(tail -n +2 <<<"$output")
	[ "$(fd_numbers)" = "0 1 2 3 4 " ]
	# not asked for: neither the fds nor the variables
	run -0 --separate-stderr env LISTEN_FDS=2 LISTEN_PID=$$ "${chain[@]}" \
		"$ROOTFS" -- sh -c 'echo "[$LISTEN_FDS$LISTEN_PID]"; exec /escape fds' \
		</dev/null 3</dev/null 4</dev/null
	[ "${lines[0]}" = "[]" ]
	output=$(tail -n +2 <<<"$output")
	[ "$(fd_numbers)" = "0 1 2 " ]
}

@test "--pidfile and --info-fd of cfs-unshare do not reach PROGRAM" {
	run -0 --separate-stderr cfs-unshare --uts --pid --mount --fork \
		--pidfile "$BATS_TEST_TMPDIR/pid" --info-fd 3 -- \
		cfs-pivot --bind "$ESCAPE:/escape:ro" "$ROOTFS" -- /escape fds \
		</dev/null 3>"$BATS_TEST_TMPDIR/info"
	echo "$output"
	[ "$(fd_numbers)" = "0 1 2 " ]
	grep -q '"child-pid"' "$BATS_TEST_TMPDIR/info"
	[ -s "$BATS_TEST_TMPDIR/pid" ]
}

@test "cfs-enter: an fd the caller left open does not reach PROGRAM; --preserve-fds keeps N" {
	start_box
	exec 7</etc
	run -0 --separate-stderr cfs-enter -t "$pid" --all -- /escape fds </dev/null
	exec 7<&-
	echo "$output"
	[ "$(fd_numbers)" = "0 1 2 " ]
	run -0 --separate-stderr cfs-enter -t "$pid" --all --preserve-fds 1 -- \
		/escape fds </dev/null 3</dev/null 4</dev/null
	[ "$(fd_numbers)" = "0 1 2 3 " ]
}

# ---- the environment

@test "the default environment: PATH, HOSTNAME, HOME and nothing of the caller's" {
	run -0 --separate-stderr env -i SECRET_TOKEN=hunter2 SSH_AUTH_SOCK=/x "${sanitizer[@]}" \
		PATH="$PATH" TERM=xterm "${chain[@]}" "$ROOTFS" -- env </dev/null
	echo "$output"
	[ "$(sort <<<"$output" | tr '\n' ' ')" = \
		"HOME=/root HOSTNAME=box PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin " ]
}

@test "HOME is the user's from the new root's passwd, / for a user it lacks" {
	run -0 --separate-stderr box --user nobody -- env
	grep -qx 'HOME=/nonexistent' <<<"$output"
	run -0 --separate-stderr box --user 1234 -- env
	grep -qx 'HOME=/' <<<"$output"
	run -0 --separate-stderr box --setenv HOME=/home/x -- env
	grep -qx 'HOME=/home/x' <<<"$output"
}

@test "--setenv, --unsetenv and --env-file, in command-line order, over the defaults" {
	printf '%s\n' '# a comment' '' 'FROM_FILE=one two' 'QUOTED="kept"' \
		'CALLERS' 'NOT_SET_ANYWHERE' 'A=file' >"$BATS_TEST_TMPDIR/env"
	run -0 --separate-stderr env CALLERS=yes SECRET=no "${chain[@]}" \
		--setenv A=first --env-file "$BATS_TEST_TMPDIR/env" \
		--setenv CALLERS --unsetenv HOSTNAME --setenv PATH=/usr/bin:/bin \
		"$ROOTFS" -- env
	echo "$output"
	grep -qx 'FROM_FILE=one two' <<<"$output"
	grep -qx 'QUOTED="kept"' <<<"$output"
	grep -qx 'CALLERS=yes' <<<"$output"
	grep -qx 'A=file' <<<"$output"
	grep -qx "PATH=/usr/bin:/bin" <<<"$output"
	run ! grep -qE '^(HOSTNAME|SECRET|NOT_SET_ANYWHERE)=' <<<"$output"
}

@test "--setenv NAME without a value of the caller's, a bad --env-file: clear errors, 125" {
	run -125 --separate-stderr env -u NOPE "${chain[@]}" --setenv NOPE \
		"$ROOTFS" -- true
	[ "$stderr" = "cfs-pivot: --setenv NOPE: not in our environment" ]
	printf 'OK=1\nBAD NAME=2\n' >"$BATS_TEST_TMPDIR/env"
	run -125 --separate-stderr box --env-file "$BATS_TEST_TMPDIR/env" -- true
	[ "$stderr" = "cfs-pivot: --env-file $BATS_TEST_TMPDIR/env:2: variable 'BAD NAME' contains blanks" ]
	run -125 --separate-stderr box --env-file "$BATS_TEST_TMPDIR/none" -- true
	[ "$stderr" = "cfs-pivot: --env-file open $BATS_TEST_TMPDIR/none: No such file or directory" ]
	run -125 --separate-stderr box --setenv =x -- true
	[[ "$stderr" == "cfs-pivot: --setenv =x"* ]]
}

@test "--keep-env: the caller's environment, as before" {
	SECRET_TOKEN=hunter2 run -0 --separate-stderr box --keep-env -- env
	grep -qx 'SECRET_TOKEN=hunter2' <<<"$output"
}

@test "cfs-enter: a clean environment by default, --setenv and --env-file on top, -e the target's" {
	start_box
	run -0 --separate-stderr env -i SECRET_TOKEN=hunter2 PATH="$PATH" "${sanitizer[@]}" \
		cfs-enter -t "$pid" --all -- env
	echo "$output"
	[ "$(sort <<<"$output" | tr '\n' ' ')" = \
		"HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin " ]
	echo 'B=file' >"$BATS_TEST_TMPDIR/env"
	run -0 --separate-stderr env SECRET_TOKEN=hunter2 cfs-enter -t "$pid" --all \
		--setenv A=1 --env-file "$BATS_TEST_TMPDIR/env" --unsetenv HOME -- env
	grep -qx 'A=1' <<<"$output"
	grep -qx 'B=file' <<<"$output"
	run ! grep -qE '^(SECRET_TOKEN|HOME)=' <<<"$output"
	# the target's: sleep's, PID 1's, which cfs-pivot gave it
	run -0 --separate-stderr env SECRET_TOKEN=hunter2 cfs-enter -t "$pid" --all -e -- env
	grep -qx 'HOSTNAME=box' <<<"$output"
	run ! grep -q SECRET_TOKEN <<<"$output"
	run -0 --separate-stderr env SECRET_TOKEN=hunter2 cfs-enter -t "$pid" --all --keep-env -- env
	grep -qx 'SECRET_TOKEN=hunter2' <<<"$output"
}
