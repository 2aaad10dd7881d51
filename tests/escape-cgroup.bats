#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 15, item 7: cfs-cgroup names and errors (the CWE-20/CWE-190/
# CWE-457 class: a NAME that is a control file, hidden or multi-line; a
# signed sum that wraps; an error printed from an uninitialised struct).
# A container given a writable (delegated) cgroup can make children of its
# own: one named ".x" hid from --list and made --delete fail; a NAME equal
# to a control file wrote there or left cgroups behind.
load common

# The cgroup hierarchies mounted here, one mount point a line.
hierarchies() {
	awk '$4 == "/" { for (i = 7; $i != "-"; i++); if ($(i+1) ~ /^cgroup2?$/) print $5 }' \
		/proc/self/mountinfo
}

# The names these tests use directly under the cfs parent.
NAMES=(tasks notify_on_release release_agent cpu.shares memory.max
	cgroup.procs pids.max io.max irq.pressure .esc esc.nl $'esc\nnl' 'esc nl'
	'esc*' 'esc\nl' esc.dot esc.set esc.swap esc.file)

# Is NAME a directory below the cfs parent of any hierarchy?
made() {
	local h
	for h in $(hierarchies); do
		[ -d "$h/cfs/$1" ] && { echo "$h/cfs/$1 made"; return 0; }
	done
	return 1
}

# After common's teardown (which kills the processes the test started):
# every cgroup of NAMES removed, children first, in every hierarchy, with
# the cfs parent when left empty.
eval "common_$(declare -f teardown)"
teardown() {
	local rc=0 h n d i
	common_teardown || rc=$?
	for h in $(hierarchies); do
		for n in "${NAMES[@]}"; do
			[ -d "$h/cfs/$n" ] || continue
			for i in $(seq 50); do
				find "$h/cfs/$n" -depth -type d -exec rmdir {} + 2>/dev/null || true
				[ -d "$h/cfs/$n" ] || break
				sleep 0.1
			done
			[ ! -d "$h/cfs/$n" ] || { echo "$h/cfs/$n left" >&2; rc=1; }
		done
		rmdir "$h/cfs" 2>/dev/null || true
	done
	return $rc
}

# ---- item 7: NAME follows one rule

@test "a NAME outside the rule is refused in one line naming it, and nothing is made" {
	refused() { # REASON NAME NAME-AS-SHOWN
		run -125 --separate-stderr cfs-cgroup --pids 5 "$2" true
		[ "${#lines[@]}" = 0 ] && [ "$(wc -l <<<"$stderr")" = 1 ] &&
			[[ "$stderr" == "cfs-cgroup: $3: $1"* ]] ||
			{ echo "$(printf %q "$2") -> $stderr"; false; }
		! made "${2%%/*}" || false
	}
	file="a NAME component may not be a cgroup control file's name"
	refused "$file" tasks tasks
	refused "$file" notify_on_release notify_on_release
	refused "$file" release_agent release_agent
	refused "$file" cpu.shares cpu.shares
	refused "$file" memory.max memory.max
	refused "$file" pids.max pids.max
	refused "$file" io.max io.max
	refused "$file" irq.pressure irq.pressure
	refused "$file" esc.nl/tasks esc.nl/tasks
	refused "$file" esc.nl/memory.max esc.nl/memory.max
	chars="NAME components are made of A-Z a-z 0-9 _ . : -"
	refused "$chars" $'esc\nnl' 'esc\x0anl'
	refused "$chars" 'esc nl' 'esc\x20nl'
	refused "$chars" 'esc*' 'esc\x2a'
	refused "$chars" 'esc\nl' 'esc\x5cnl'
	refused "a NAME component may not start with ." .esc .esc
	refused "a NAME component may not start with ." esc.nl/.x esc.nl/.x
	# and the names of the rule are taken: letters, digits, _ . : -
	run -0 cfs-cgroup --rm esc.nl/A-z_0:9.x true
	run -0 cfs-cgroup --delete esc.nl
	! made esc.nl || false
}

# ---- item 7: children made by hand are seen and deleted

# A child named ".hidden" (made by a container with a delegated cgroup, or
# by hand) with a process in it, and one with a tab in its name (the
# kernel refuses a newline): --list shows them, one a line; --delete of
# the parent kills the process and removes all.
@test "a dot-named child with a process is listed, and --delete removes it with its parent" {
	run -0 cfs-cgroup --pids 5 esc.dot true
	sleep 1000 &
	s=$!
	echo "$s" >>"$BATS_TEST_TMPDIR/pids"
	for h in $(hierarchies); do
		[ -d "$h/cfs/esc.dot" ] || continue
		mkdir "$h/cfs/esc.dot/.hidden" "$h/cfs/esc.dot/"$'x\ty'
		echo "$s" >"$h/cfs/esc.dot/.hidden/cgroup.procs"
	done
	grep -q ':/cfs/esc.dot/.hidden$' "/proc/$s/cgroup"
	# one name a line, whatever the name
	run -0 cfs-cgroup --list
	[[ "$output" == *"esc.dot"$'\n'"esc.dot/.hidden"$'\n''esc.dot/x\x09y'* ]]
	run -0 --separate-stderr cfs-cgroup --delete esc.dot
	[ -z "$stderr" ]
	rc=0; wait "$s" || rc=$?
	[ "$rc" = 137 ]
	! made esc.dot || false
}

# A directory "tasks" made by hand where it is no control file (v2): not
# a cgroup of ours to delete, and the error says so, never an empty line.
@test "--delete of a NAME that is a control file says why in one line" {
	# the cfs parent, with its own "tasks" file on v1
	run -0 cfs-cgroup --pids 5 esc.file true
	V2=$(awk '$4 == "/" && / - cgroup2 / { print $5; exit }' /proc/self/mountinfo)
	[ -z "$V2" ] || mkdir "$V2/cfs/tasks"
	run -125 --separate-stderr cfs-cgroup --delete tasks
	echo "stderr: $stderr"
	[[ "$stderr" == "cfs-cgroup: tasks: a NAME component may not be a cgroup control file's name"* ]]
	run -125 --separate-stderr cfs-cgroup --delete esc.file/cpu.shares
	[[ "$stderr" == "cfs-cgroup: esc.file/cpu.shares: a NAME component may not be"* ]]
}

# ---- item 7: every error message filled

@test "--set 64 times is taken; 65 times is refused naming the group, nothing made" {
	args=()
	for i in $(seq 64); do args+=(--set "pids.max=$i"); done
	run --separate-stderr cfs-cgroup "${args[@]}" --rm esc.set \
		sh -c 'cat /sys/fs/cgroup/pids/cfs/esc.set/pids.max 2>/dev/null ||
			cat /sys/fs/cgroup/cfs/esc.set/pids.max'
	echo "status $status, stderr: $stderr"
	[ "$status" = 0 ]
	[ "$output" = 64 ]
	args+=(--set pids.max=65)
	run -125 --separate-stderr cfs-cgroup "${args[@]}" esc.set true
	echo "stderr: $stderr"
	[ "$stderr" = "cfs-cgroup: cgroup cfs/esc.set: more than 64 files to write" ]
	! made esc.set || false
}

# ---- item 7: checked arithmetic

# v1's memory.memsw.limit_in_bytes counts memory and swap together: their
# sum must not wrap to a negative number.
@test "--memory plus --memory-swap above 2^63-1 is refused, not wrapped" {
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] ||
		[ ! -f /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then
		skip "no v1 memory controller with swap accounting here"
	fi
	run -125 --separate-stderr cfs-cgroup --memory 5000000T --memory-swap 5000000T esc.swap true
	echo "stderr: $stderr"
	[ "$stderr" = "cfs-cgroup: cgroup cfs/esc.swap: --memory plus --memory-swap is more than 2^63-1 bytes" ]
	! made esc.swap || false
	run -125 --separate-stderr cfs-cgroup --memory 9223372036854775807 --memory-swap 1 esc.swap true
	[[ "$stderr" == *"is more than 2^63-1 bytes" ]]
	# the largest sum is taken
	run -0 cfs-cgroup --memory 4611686018427387904 --memory-swap 4611686018427387903 --rm esc.swap \
		cat /sys/fs/cgroup/memory/cfs/esc.swap/memory.memsw.limit_in_bytes
	! made esc.swap || false
}
