#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion (completion/generate): made from each tool's --help,
# the rendering of its popt table, so an option cannot be missing from it.
load common

# complete TOOL WORD...: what bash would offer for the last WORD.
complete_words() {
	local tool=$1
	shift
	bash -c 'source "$1"; shift; cd "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_$(printf %s "$1" | tr - _)
		printf "%s\n" "${COMPREPLY[@]}" | sort -u' \
		sh "$CFS_BUILD/completion/$tool" "$BATS_TEST_TMPDIR/c" "$tool" "$@"
}

@test "every option of every tool completes, and nothing else starting with --" {
	mkdir "$BATS_TEST_TMPDIR/c"
	for tool in cfs-unshare cfs-pivot cfs-enter cfs-cgroup cfs-mkrootfs; do
		[ -f "$CFS_BUILD/completion/$tool" ] || { echo "no completion for $tool"; false; }
		bash -n "$CFS_BUILD/completion/$tool"
		run -0 complete_words $tool --
		diff <(help_options "$CFS_BUILD/$tool" | grep -- '^--') <(echo "$output")
	done
}

@test "cfs-pivot --tm completes to --tmpfs; NEWROOT to directories; then commands" {
	mkdir -p "$BATS_TEST_TMPDIR/c/rootfs" "$BATS_TEST_TMPDIR/c/rootdir"
	touch "$BATS_TEST_TMPDIR/c/rootfile"
	run -0 complete_words cfs-pivot --tm
	[ "$output" = --tmpfs ]
	run -0 complete_words cfs-pivot --read-only root
	[ "$output" = "rootdir
rootfs" ]
	# an option's value: files (--bind SRC:DST), then NEWROOT again
	run -0 complete_words cfs-pivot --bind root
	[ "$output" = "rootdir
rootfile
rootfs" ]
	run -0 complete_words cfs-pivot --bind /a:/b ro
	[ "$output" = "rootdir
rootfs" ]
	# after NEWROOT, the program
	run -0 complete_words cfs-pivot --read-only rootfs -- ech
	[[ "$output" == *echo* ]]
	# cfs-enter -t: a PID
	run -0 complete_words cfs-enter --setenv X=1 -t 1
	grep -qx 1 <<<"$output"
}
