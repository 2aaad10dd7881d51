#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-net(1), "Other modes": none (lo only) and join (two containers on
# one localhost, as a pod's), made of cfs-unshare and cfs-enter alone.
# Each container has a network namespace of its own making: the
# machine's network is never touched.
load common

# Container a: busybox httpd on 127.0.0.1:80 of its own network
# namespace, serving "page of a"; $A its PID as the host sees it.
httpd_a() {
	start cfs-unshare --net --pid --mount --uts --fork -- \
		cfs-pivot --tmpfs /tmp "$ROOTFS" -- sh -c \
		'mkdir /tmp/www && echo "page of a" >/tmp/www/index.html &&
		 echo ready && exec httpd -f -p 127.0.0.1:80 -h /tmp/www'
	A=$(pgrep -P "$chain")
	[ -n "$A" ]
}

@test "none: a new network namespace has lo only, up" {
	run -0 cfs-unshare --net -- ip -o link
	[ "${#lines[@]}" = 1 ]
	[[ "$output" == "1: lo: <LOOPBACK,UP,LOWER_UP>"* ]]
}

@test "join: two containers share one localhost (by PID, and by file)" {
	httpd_a
	for _ in $(seq 50); do
		nsenter -t "$A" -n ss -Hltn | grep -q '127.0.0.1:80 ' && break
		sleep 0.05
	done
	# b joins a's network namespace, and makes the others of its own
	run -0 cfs-enter --net="/proc/$A/ns/net" --keep-env -- \
		cfs-unshare --pid --mount --uts --ipc --fork -- \
		cfs-pivot "$ROOTFS" -- sh -c 'wget -q -O - http://127.0.0.1/;
			readlink /proc/1/ns/pid'
	[ "${lines[0]}" = "page of a" ]
	# its own PID namespace, not a's
	[ "${lines[1]}" != "$(readlink "/proc/$A/ns/pid")" ]
	# by a kept namespace file: cfs-unshare --persist's
	start cfs-unshare --persist "$BATS_TEST_TMPDIR/kept" --net -- \
		sh -c 'echo ready; exec busybox httpd -f -p 127.0.0.1:81 -h /etc'
	for _ in $(seq 50); do
		cfs-enter --net="$BATS_TEST_TMPDIR/kept/net" -- /bin/ss -Hltn |
			grep -q '127.0.0.1:81 ' && break
		sleep 0.05
	done
	run -0 cfs-enter --net="$BATS_TEST_TMPDIR/kept/net" --keep-env -- \
		cfs-unshare --pid --mount --fork -- \
		cfs-pivot "$ROOTFS" -- wget -q -O - http://127.0.0.1:81/hostname
	[ "$output" = "$(cat /etc/hostname)" ]
	kill "$chain"
	wait "$chain" || true
	cfs-unshare --remove "$BATS_TEST_TMPDIR/kept"
}
