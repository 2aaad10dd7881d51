#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The first container, end to end: the README's lines, and what a user
# checks inside them.
load common

@test "the design's line: cfs-unshare --uts --pid -- cfs-pivot ROOTFS -- sh gives PID 1 in its own mount namespace" {
	host_mnt=$(readlink /proc/self/ns/mnt)
	run -0 --separate-stderr cfs-unshare --uts --pid -- cfs-pivot "$ROOTFS" -- sh -c 'echo $$; readlink /proc/self/ns/mnt' </dev/null
	[ "${lines[0]}" = 1 ]
	[ -n "${lines[1]}" ] && [ "${lines[1]}" != "$host_mnt" ]
}

@test "every namespace: PID 1, ps sees only the container, hostname box" {
	run -0 --separate-stderr container sh -c 'echo $$; hostname; ps -o pid,comm >/tmp/ps; cat /tmp/ps; rm /tmp/ps'
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" = box ]
	# the header, sh as PID 1, ps itself: nothing of the host's
	[ "${#lines[@]}" = 5 ]
	[[ "${lines[3]}" =~ ^\ *1\ sh$ ]]
	[[ "${lines[4]}" =~ ^\ *[0-9]+\ ps$ ]]
}

@test "every namespace is new" {
	run -0 --separate-stderr container /probe ns
	for t in cgroup ipc mnt net pid uts; do
		inside=$(printf '%s\n' "${lines[@]}" | awk -v t=$t '$1 == t {print $2}')
		host=$(stat -L -c %i /proc/self/ns/$t)
		[ -n "$inside" ] && [ "$inside" != "$host" ] || { echo "$t: $inside = $host"; false; }
	done
}

@test "no host path is reachable: old root gone, /proc/1/root is the rootfs" {
	marker=$(mktemp /tmp/cfs-host-marker.XXXXXX)
	run -0 --separate-stderr container sh -c "
		test -e '$marker' && echo host-visible
		readlink /proc/1/root
		ls /
		cat /proc/self/mountinfo"
	rm -f "$marker"
	[[ "$output" != *host-visible* ]]
	[ "${lines[0]}" = / ]
	# only the rootfs's own top-level entries
	diff <(ls "$ROOTFS") <(printf '%s\n' "${lines[@]:1}" | sed -n '1,/^[0-9]/p' | grep -v '^[0-9]')
	# no mount of the host's root tree is left in the container
	! grep -E '^[0-9]+ [0-9]+ [^ ]+ [^ ]+ /(work|root|home|var)( |/)' <<<"$output" || false
}

@test "/proc /sys /dev /tmp work inside" {
	run -0 --separate-stderr container sh -c '
		cat /proc/self/stat >/dev/null && echo proc
		test -d /sys/kernel && echo sys
		echo hi >/dev/null && head -c 4 /dev/zero | wc -c && head -c 4 /dev/urandom | wc -c
		echo x >/dev/full 2>/dev/null || echo full-refuses
		test -c /dev/random && test -c /dev/tty && echo random-tty
		test -L /dev/ptmx && test -c /dev/pts/ptmx && echo pts
		for l in fd stdin stdout stderr; do readlink /dev/$l; done
		touch /dev/shm/x && echo shm
		grep -q " /dev/mqueue .* - mqueue " /proc/self/mountinfo && echo mqueue
		touch /tmp/x && stat -c %a /tmp; rm /tmp/x'
	[ "$output" = "proc
sys
4
4
full-refuses
random-tty
pts
/proc/self/fd
/proc/self/fd/0
/proc/self/fd/1
/proc/self/fd/2
shm
mqueue
1777" ]
}

@test "/sys is read-only" {
	run -0 --separate-stderr container sh -c 'touch /sys/kernel/x 2>/dev/null || echo refused; grep " /sys " /proc/self/mountinfo'
	[ "${lines[0]}" = refused ]
	[[ "${lines[1]}" == *" /sys ro,"* ]]
}

@test "a new network namespace has loopback up and nothing else" {
	run -0 --separate-stderr container sh -c 'ls /sys/class/net; cat /sys/class/net/lo/operstate /sys/class/net/lo/flags'
	[ "${lines[0]}" = lo ]
	[ "${#lines[@]}" = 3 ]
	[ $(( ${lines[2]} & 1 )) = 1 ] # IFF_UP
}

@test "only stdin, stdout and stderr reach the program" {
	# whatever else the caller (bats) holds open stays outside
	run -0 --separate-stderr container /probe fds
	[ "$(tr '\n' ' ' <<<"$output")" = "0 1 2 " ]
}

@test "exit status travels back through the chain" {
	run -7 container sh -c 'exit 7'
	run -0 container true
	run -1 container false
}

@test "the container's PID 1 killed with SIGKILL from the host gives 137" {
	(exec cfs-unshare --uts --pid --mount --fork -- \
		cfs-pivot "$ROOTFS" -- sleep 100) &
	chain=$!
	echo "$chain" >>"$BATS_TEST_TMPDIR/pids"
	for i in $(seq 50); do
		init=$(pgrep -P "$chain" -x sleep) && break
		sleep 0.1
	done
	[ -n "$init" ]
	kill -KILL "$init"
	rc=0; wait "$chain" || rc=$?
	[ "$rc" = 137 ]
}

@test "the host's hostname is unchanged and the host's mounts untouched" {
	before=$(hostname)
	# CAP_SYS_ADMIN: the default set lacks it
	PIVOT_OPTS="--cap-add SYS_ADMIN" run -0 container sh -c 'hostname inside; hostname'
	[ "$output" = inside ]
	[ "$(hostname)" = "$before" ]
}
