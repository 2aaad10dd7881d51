#!/usr/bin/env bats
# cfs-cgroup on a pure cgroup v2 host: tests/cgroup.bats run unchanged in
# the VM of tests/vm/run (Debian's kernel, cgroup2 alone at
# /sys/fs/cgroup, every controller). One boot for the file; its TAP comes
# back and is checked here, with facts only v2 has. Where no VM can run,
# every test says "skipped: no VM", never passes.
load common
load vm

setup_file() {
	cat >"$BATS_FILE_TMPDIR/job" <<'EOF_JOB'
cd "$CFS_SRC"
export PATH="$CFS_BUILD:$PATH"
echo "fstype $(stat -f -c %T /sys/fs/cgroup)"
R=/tmp/rootfs
cfs-mkrootfs "$R" >/dev/null || exit 125
CFS_TEST_ROOTFS=$R bats --tap tests/cgroup.bats
rc=$?
echo "bats status $rc"
# What only v2 does: memory.high, and the controllers enabled on the way.
cfs-cgroup --memory-high 16M --pids 5 --rm test.v2 sh -c '
	cat /sys/fs/cgroup/cfs/test.v2/memory.high
	echo "subtree: $(cat /sys/fs/cgroup/cfs/cgroup.subtree_control)"'
echo "left: $(find /sys/fs/cgroup -name "*cfs*" -type d | wc -l)"
exit $rc
EOF_JOB
	vm_boot 480
}

@test "v2: the guest has cgroup2 alone" {
	vm
	[[ "$output" == *"fstype cgroup2fs"* ]]
}

@test "v2: every test of cgroup.bats passes on cgroup v2 controllers" {
	vm
	plan=$(grep -cE '^@test ' "$BATS_TEST_DIRNAME/cgroup.bats")
	[[ "$output" == *"1..$plan"* ]]
	[ "$(grep -cE '^ok [0-9]+ ' <<<"$output")" = "$plan" ]
	! grep -qE '^not ok ' <<<"$output"
	grep -E '^# cpu share' <<<"$output" >&3 || true
	[[ "$output" == *"bats status 0"* ]]
	[ "$status" = 0 ]
}

@test "v2: --memory-high is set, controllers are enabled in the parents, nothing is left" {
	vm
	[[ "$output" == *$'\n'"16777216"$'\n'* ]]
	[[ "$output" =~ subtree:.*memory ]]
	[[ "$output" =~ subtree:.*pids ]]
	[[ "$output" == *"left: 0"* ]]
}
