#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-oci's commands on a pure cgroup v2 host: tests/oci-exec.bats's
# tests of what goes through the cgroup (pause and resume on
# cgroup.freeze, update on memory.max and pids.max, ps and events on v2's
# files, exec joining the container's cgroup) run unchanged in the VM of
# tests/vm/run. One boot for the file; its TAP comes back and is checked
# here; and tests/oci-config.bats's tests of the cgroup mount (what a
# container sees of /sys/fs/cgroup: its own cgroup2, nothing else).
# Where no VM can run, every test says "skipped: no VM", never passes.
load common
load vm

FILTER='exec: in the container|ps:|pause, resume|update:|events'
CGFILTER='mounts: a cgroup mount'

setup_file() {
	cat >"$BATS_FILE_TMPDIR/job" <<EOF_JOB
cd "\$CFS_SRC"
export PATH="\$CFS_BUILD:\$PATH"
echo "fstype \$(stat -f -c %T /sys/fs/cgroup)"
R=/tmp/rootfs
cfs-mkrootfs "\$R" >/dev/null || exit 125
CFS_TEST_ROOTFS=\$R bats --tap -f '$FILTER' tests/oci-exec.bats
rc=\$?
echo "bats status \$rc"
echo "== cgroupfs"
CFS_TEST_ROOTFS=\$R bats --tap -f '$CGFILTER' tests/oci-config.bats
rc2=\$?
echo "cgroupfs status \$rc2"
exit \$((rc || rc2))
EOF_JOB
	vm_boot 600
}

@test "v2: the guest has cgroup2 alone" {
	vm
	[[ "$output" == *"fstype cgroup2fs"* ]]
}

@test "v2: exec, ps, pause, resume, update and events pass on cgroup v2" {
	vm
	output=${output%%== cgroupfs*}
	plan=$(grep -E '^@test ' "$BATS_TEST_DIRNAME/oci-exec.bats" | grep -cE "$FILTER")
	[ "$plan" -ge 6 ]
	[[ "$output" == *"1..$plan"* ]]
	[ "$(grep -cE '^ok [0-9]+ ' <<<"$output")" = "$plan" ]
	! grep -qE '^not ok ' <<<"$output" || false
	[[ "$output" == *"bats status 0"* ]]
}

@test "v2: a cgroup mount shows the container its own cgroup2, read-only or rw, nothing else" {
	vm
	[[ "$output" == *"== cgroupfs"* ]]
	output=${output#*== cgroupfs}
	plan=$(grep -E '^@test ' "$BATS_TEST_DIRNAME/oci-config.bats" | grep -cE "$CGFILTER")
	[ "$plan" -ge 2 ]
	[[ "$output" == *"1..$plan"* ]]
	[ "$(grep -cE '^ok [0-9]+ ' <<<"$output")" = "$plan" ]
	! grep -qE '^not ok ' <<<"$output" || false
	[[ "$output" == *"cgroupfs status 0"* ]]
	[ "$status" = 0 ]
}
