#!/usr/bin/env bats
# tests/vm/run: the VM that tests what needs a pure cgroup v2 host. One boot
# for the whole file: the job prints facts, the tests check them here.
load common

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
	local rc=0
	"$BATS_TEST_DIRNAME/vm/run" --timeout 180 "$BATS_FILE_TMPDIR/job" \
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
