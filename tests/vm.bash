# SPDX-License-Identifier: GPL-2.0-or-later
# Loaded by the bats files that run a job in the VM of tests/vm/run: one
# boot for the whole file (setup_file calls vm_boot), the tests check what
# the job printed.

# vm_boot SECONDS: run $BATS_FILE_TMPDIR/job in the VM; keep its output,
# its errors and its status for vm.
vm_boot() {
	local rc=0
	"$BATS_TEST_DIRNAME/vm/run" --timeout "$1" "$BATS_FILE_TMPDIR/job" \
		>"$BATS_FILE_TMPDIR/out" 2>"$BATS_FILE_TMPDIR/err" || rc=$?
	echo "$rc" >"$BATS_FILE_TMPDIR/status"
}

# The job's output in $output, its status in $status; a skip, said loudly,
# when there is no VM here.
vm() {
	status=$(cat "$BATS_FILE_TMPDIR/status")
	output=$(cat "$BATS_FILE_TMPDIR/out")
	if [ "$status" = 77 ]; then
		local why
		why=$(sed -n 's/^skipped: no VM: //p' "$BATS_FILE_TMPDIR/err" | head -n 1)
		echo "# skipped: no VM: $why" >&3
		skip "no VM: $why"
	fi
	# shown if the test fails
	echo "tests/vm/run exited $status; the job printed:"
	echo "$output"
	cat "$BATS_FILE_TMPDIR/err"
}
