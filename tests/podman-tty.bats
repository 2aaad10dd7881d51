#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# podman exec -it through cfs-oci: the program finds the terminal's size
# at once. podman 4.3 puts no consoleSize in exec's process.json: it
# writes the size to conmon's control fifo before it lets conmon run
# `cfs-oci exec --tty --console-socket`, and conmon sets it on the
# master cfs-enter sends it. A program that reads its size at its start
# sees it only if it starts after conmon took the master; a size of 0 0
# is a lost race. Like podman.bats (whose setup this follows): real
# podman 4.3 and conmon as root, all their state under the file's temp
# dir, /run bound from it in a mount namespace of ours.
load common
load helpers/engines
load helpers/tmux
eval "common_$(declare -f setup)"
eval "common_$(declare -f teardown)"

IMAGE=localhost/cfs-busybox:test
TMUX_NAME="cfs-podman-tty-$$"
CTR=tty-ocitty

setup_file() {
	command -v podman conmon tmux >/dev/null || {
		echo "podman, conmon or tmux missing: ./setup check installs them" >&2
		return 1
	}
	podman_setup_file
}

teardown_file() {
	podman_teardown_file
}

setup() {
	PT=$BATS_FILE_TMPDIR
	common_setup
}

teardown() {
	stop_term
	pm rm -a -f -t 0 >/dev/null 2>&1 || true
	kill_under "$PT/storage"
	[ -z "$(ls -A "$PT/run/cfs-oci" 2>/dev/null)" ] || {
		ls -l "$PT/run/cfs-oci"; false; }
	# this test's container's cgroups alone: another file's podman
	# may run meanwhile, under the same libpod_parent
	[ ! -s "$BATS_TEST_TMPDIR/id" ] ||
		! engine_cgroups | grep -F "/libpod-$(cat "$BATS_TEST_TMPDIR/id")" || false
	common_teardown
}

@test "exec -it: the program sees the terminal's size at its start, 20 times in 20" {
	local runs=20
	pm run -d --name "$CTR" "$IMAGE" sleep 1000 >"$BATS_TEST_TMPDIR/id"
	# the loop, as a script the shell in tmux runs: one line a run
	cat >"$BATS_TEST_TMPDIR/loop" <<-EOF
		#!/bin/sh
		for i in \$(seq $runs); do
			CONTAINERS_CONF=$PT/containers.conf nsenter --mount=$PT/mnt \\
				podman --root $PT/storage --runroot $PT/runroot \\
				--storage-driver vfs exec -it $CTR sh -c 'echo "size \$(stty size 2>&1)"'
		done
		echo "loop done"
	EOF
	chmod +x "$BATS_TEST_TMPDIR/loop"
	start_term 97 31
	tm set-option -t t history-limit 1000
	type_line "$BATS_TEST_TMPDIR/loop"
	wait_for '^loop done' 60
	screen -J -S - | grep '^size' | sort | uniq -c
	[ "$(screen -J -S - | grep -c '^size')" = "$runs" ]
	[ "$(screen -J -S - | grep -cx 'size 31 97')" = "$runs" ]
}
