#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages: lint-free, and each lists exactly the options its tool has.
load common

MAN="$BATS_TEST_DIRNAME/../man"

@test "every page renders with no warning (groff -ww, mandoc -T lint)" {
	for page in "$MAN"/*.[17]; do
		run -0 groff -man -ww -z "$page"
		[ -z "$output" ] || { echo "$page: $output"; false; }
		run -0 mandoc -T lint -W warning "$page"
		[ -z "$output" ] || { echo "$page: $output"; false; }
	done
}

@test "every tool has its page, and cfs(7) names every tool" {
	for tool in "$CFS_BUILD"/cfs-*; do
		t=$(basename "$tool")
		[ -f "$MAN/$t.1" ] || { echo "no man/$t.1"; false; }
		grep -q "^\.BR $t (1)" "$MAN/cfs.7" || { echo "cfs.7 lacks $t"; false; }
	done
}

@test "every tool's page lists exactly the options of its --help" {
	for tool in "$CFS_BUILD"/cfs-*; do
		t=$(basename "$tool")
		help_options "$t" >"$BATS_TEST_TMPDIR/help"
		[ "$(wc -l <"$BATS_TEST_TMPDIR/help")" -gt 4 ] || { echo "$t: no options?"; false; }
		diff "$BATS_TEST_TMPDIR/help" <(man_options "$MAN/$t.1") ||
			{ echo "$t: --help (<) and $t.1 (>) differ"; false; }
	done
}
