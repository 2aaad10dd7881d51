#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/vm/run: the VM that tests what needs a pure cgroup v2 host. One boot
# for the whole file: the job prints facts, the tests check them here.
load common
load vm

setup_file() {
	cat >"$BATS_FILE_TMPDIR/job" <<'EOF'
cg=/sys/fs/cgroup
echo "fstype $(stat -f -c %T $cg)"
echo "cgroup mounts: $(awk '$3 ~ /^cgroup/ { printf "%s %s;", $2, $3 }' /proc/self/mounts)"
echo "controllers: $(cat $cg/cgroup.controllers)"

# A process that grows beyond memory.max is killed by the OOM killer: dd
# fills a 64M buffer in one read (quick, where a pipe takes seconds).
echo +memory >$cg/cgroup.subtree_control
mkdir $cg/small
echo 16M >$cg/small/memory.max
sh -c "echo \$\$ >$cg/small/cgroup.procs &&
	exec dd if=/dev/zero of=/dev/null bs=64M count=1 status=none" 2>/dev/null
echo "hog status $?"
echo "hog $(grep oom_kill $cg/small/memory.events | tr '\n' ' ')"

echo "unshare: $("$CFS_BUILD/cfs-unshare" --uts --hostname vmtest hostname 2>&1)"
echo "guest hostname: $(hostname)"
exit 3
EOF
	vm_boot 180
}

@test "the job's exit status comes back" {
	vm
	[ "$status" = 3 ]
}

@test "cgroup v2 is the guest's only cgroup mount, with memory, pids, cpu" {
	vm
	[[ "$output" == *"fstype cgroup2fs"* ]]
	[[ "$output" == *"cgroup mounts: /sys/fs/cgroup cgroup2;"$'\n'* ]]
	[[ "$output" =~ controllers:.*\ memory ]]
	[[ "$output" =~ controllers:.*\ pids ]]
	[[ "$output" =~ controllers:\ (.*\ )?cpu\  ]]
}

@test "memory.max holds: a process beyond it is OOM-killed" {
	vm
	[[ "$output" == *"hog status 137"* ]]
	[[ "$output" == *"hog oom_kill 1 "* ]]
}

@test "the project's build runs in the guest" {
	vm
	[[ "$output" == *"unshare: vmtest"* ]]
	[[ "$output" == *"guest hostname: cfs-vm"* ]]
}
