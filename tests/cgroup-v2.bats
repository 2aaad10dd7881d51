#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
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
# Rootless: uid 65534 with no delegated cgroup, then with a subtree
# delegated as systemd does (the directory, cgroup.procs, .threads and
# .subtree_control chowned), its shell in a leaf of it.
nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }
nobody cfs-cgroup --pids 5 test.rl true 2>&1
echo "undelegated status $?"
D=/sys/fs/cgroup/deleg
echo +pids >/sys/fs/cgroup/cgroup.subtree_control
mkdir -p $D/shell
chown 65534 $D $D/cgroup.procs $D/cgroup.threads $D/cgroup.subtree_control \
	$D/shell $D/shell/cgroup.procs
cat >/tmp/rootless.sh <<EOF_RL
cfs-cgroup --pids 7 --rm test.rl -- cfs-unshare -r --uts --pid --mount --fork \\
	-- cfs-pivot $R -- sh -c 'echo delegated: \$(cat /proc/self/cgroup)'
echo "delegated status \$?"
cfs-cgroup --pids 7 test.rl2 cat $D/cfs/test.rl2/pids.max
cfs-cgroup --delete test.rl2 && echo deleted
EOF_RL
sh -c "echo \$\$ >$D/shell/cgroup.procs; exec setpriv --reuid 65534 \
	--regid 65534 --clear-groups sh /tmp/rootless.sh" 2>&1
echo "delegated left: $(find $D -name "*cfs*" -type d | wc -l)"
rmdir $D/shell $D
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
	! grep -qE '^not ok ' <<<"$output" || false
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

@test "v2 rootless: a delegated subtree is used by a user, with its limits; undelegated, one line" {
	vm
	[[ "$output" == *"cfs-cgroup: cgroup v2 /sys/fs/cgroup is not writable by uid 65534, nor is our own cgroup: no subtree is delegated to us; run as root or in a delegated one (systemd-run --user --scope -p Delegate=yes)"$'\n'"undelegated status 125"* ]]
	[[ "$output" == *"delegated: 0::/deleg/cfs/test.rl"$'\n'"delegated status 0"$'\n'"7"$'\n'"deleted"* ]]
	[[ "$output" == *"delegated left: 0"* ]]
}
