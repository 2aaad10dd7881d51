#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-net: containers on a bridge, NAT out, published ports, and nothing
# left behind. Every test makes its own host and outside namespaces
# (tests/helpers/net.bash): the machine's network is never touched.
load common
load helpers/net

eval "common_$(declare -f setup)"

setup() {
	common_setup
	net_setup
}

@test "cfs-net --help, an unknown option, no command" {
	run -0 cfs-net --help
	[[ "$output" == *"attach|detach"* ]]
	run -125 --separate-stderr cfs-net --frobnicate
	run -125 --separate-stderr cfs-net
	[[ "$stderr" == *"no command"* ]]
	run -125 --separate-stderr cfs-net attach --publish 80
	[[ "$stderr" == *"--publish 80: not"* ]]
	# the host's own namespace is no container's
	run -125 --separate-stderr H cfs-net attach "$HOST"
	[ "$stderr" = "cfs-net: /proc/$HOST/ns/net: our own network namespace, not a container's" ]
	net_clean
}

@test "a container reaches its gateway, and the outside through NAT" {
	outside_httpd
	net_container a sh -c 'ping -c 1 -W 2 10.73.0.1 >/dev/null && echo gateway ok;
		timeout 2 wget -q -O - http://192.0.2.2:8000/cgi-bin/ip; echo done'
	for _ in $(seq 100); do grep -q done "$BATS_TEST_TMPDIR/a.out" && break; sleep 0.05; done
	cat "$BATS_TEST_TMPDIR/a.out"
	grep -qx "gateway ok" "$BATS_TEST_TMPDIR/a.out"
	# the outside saw the host's address, not the container's
	grep -qx "192.0.2.1" "$BATS_TEST_TMPDIR/a.out"
	net_clean
}

# The PIDs of cfs-net's watchers in the test's host: cfs-net processes in
# its network namespace, each the leader of a session of its own.
watchers() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/net" 2>/dev/null)" = "$NET_BASE" ] &&
			[ "$(cat "$p/comm" 2>/dev/null)" = cfs-net ] &&
			[ "$(ps -o sid= -p "${p#/proc/}" | tr -d ' ')" = "${p#/proc/}" ] &&
			echo "${p#/proc/}"
	done 2>/dev/null || true
}

# Run a command in the test's LAN namespace (a device on the bridge).
L() { nsenter -t "$LAN" -n -- "$@"; }

@test "masquerading is our subnet's only: another device on the bridge keeps its address" {
	outside_httpd
	O ip route add 10.99.0.0/24 via 192.0.2.1
	net_container c sleep 60
	lease_of c
	# a device of the host's LAN on the bridge, outside our subnet,
	# routed by the host as the bridge's other devices are
	HOLD="ip link set lo up" holder lan unshare --net
	LAN=$(tail -1 "$BATS_TEST_TMPDIR/pids")
	H ip link add vlan type veth peer name eth0 netns "/proc/$LAN/ns/net"
	H ip link set vlan master cfs0 up
	H ip addr add 10.99.0.1/24 dev cfs0
	L ip addr add 10.99.0.2/24 dev eth0
	L ip link set eth0 up
	L ip route add default via 10.99.0.1
	run -0 fetch L http://192.0.2.2:8000/cgi-bin/ip
	[ "$output" = "10.99.0.2" ]
	# the container's own traffic is masqueraded still
	run -0 nsenter -t "$LEASE_PID" -n timeout 2 busybox wget -q -O - \
		http://192.0.2.2:8000/cgi-bin/ip
	[ "$output" = "192.0.2.1" ]
	kill -KILL "$LEASE_PID"
	kill "$LAN"
	net_clean
}

@test "two containers on the bridge reach each other" {
	httpd_container a
	lease_of a
	a_ip=$LEASE_IP
	net_container b sh -c "timeout 2 wget -q -O - http://$a_ip/; echo done"
	for _ in $(seq 100); do grep -q done "$BATS_TEST_TMPDIR/b.out" && break; sleep 0.05; done
	cat "$BATS_TEST_TMPDIR/b.out"
	grep -qx "page of a" "$BATS_TEST_TMPDIR/b.out"
	kill -KILL "$LEASE_PID"
	net_clean
}

@test "--publish: from the outside, the host and its 127.0.0.1" {
	NET_OPTS="-p 8080:80" httpd_container web
	lease_of web
	run -0 fetch O http://192.0.2.1:8080/
	[ "$output" = "page of web" ]
	run -0 fetch H http://192.0.2.1:8080/
	[ "$output" = "page of web" ]
	run -0 fetch H http://127.0.0.1:8080/
	[ "$output" = "page of web" ]
	# a port not published is not reachable
	run ! O timeout 2 busybox wget -q -O - http://192.0.2.1:8081/
	kill -KILL "$LEASE_PID"
	net_clean
}

@test "--publish a udp range" {
	# busybox's nc has no -u: python's socket on the host's root
	(exec nsenter -t "$HOST" -n -m -- cfs-unshare --net --uts --hostname u \
		--setup "cfs-net attach -p 9000-9001:90-91/udp" --teardown "cfs-net detach" -- \
		python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 91)); print(s.recvfrom(100)[0].decode(), flush=True)' \
		</dev/null >"$BATS_TEST_TMPDIR/u.out" 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	lease_of u
	for _ in $(seq 20); do
		O bash -c 'echo hello-udp >/dev/udp/192.0.2.1/9001' || true
		sleep 0.1
		grep -q hello-udp "$BATS_TEST_TMPDIR/u.out" && break
	done
	cat "$BATS_TEST_TMPDIR/u.out"
	grep -q hello-udp "$BATS_TEST_TMPDIR/u.out"
	net_clean
}

@test "two containers started at once get different addresses" {
	for n in c1 c2 c3; do
		(exec nsenter -t "$HOST" -n -m -- cfs-unshare --net --setup "cfs-net attach" \
			--teardown "cfs-net detach" -- sh -c "ip -4 -o addr show eth0
			for i in \$(seq 100); do [ -e $BATS_TEST_TMPDIR/go ] && break; sleep 0.05; done" \
			>"$BATS_TEST_TMPDIR/$n.out" 2>&1) &
		echo $! >>"$BATS_TEST_TMPDIR/pids"
		pids="${pids:-} $!"
	done
	# all three live at once: none gives its address back before the others
	for _ in $(seq 100); do
		[ "$(cat "$BATS_TEST_TMPDIR"/c?.out 2>/dev/null | grep -c inet)" = 3 ] && break
		sleep 0.05
	done
	touch "$BATS_TEST_TMPDIR/go"
	wait $pids
	cat "$BATS_TEST_TMPDIR"/c?.out
	run -0 awk '{print $4}' "$BATS_TEST_TMPDIR/c1.out" "$BATS_TEST_TMPDIR/c2.out" \
		"$BATS_TEST_TMPDIR/c3.out"
	[ "${#lines[@]}" = 3 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort -u | wc -l)" = 3 ]
	net_clean
}

@test "a host port taken is a clear error" {
	# by a program of the host
	(exec nsenter -t "$HOST" -n -- busybox nc -l -p 8080 </dev/null >/dev/null 2>&1) &
	nc=$!
	echo $nc >>"$BATS_TEST_TMPDIR/pids"
	for _ in $(seq 50); do H ss -Hltn | grep -q ':8080 ' && break; sleep 0.05; done
	run -125 --separate-stderr H cfs-unshare --net --setup "cfs-net attach -p 8080:80" -- true
	[[ "$stderr" == *"cfs-net: publish tcp 0.0.0.0 8080 80: host port taken: a program on the host uses tcp port 8080"* ]]
	kill "$nc"
	# by another container
	NET_OPTS="-p 8080:80" httpd_container web
	lease_of web
	run -125 --separate-stderr H cfs-unshare --net --setup "cfs-net attach -p 127.0.0.1:8080:80" -- true
	[[ "$stderr" == *"host port taken: published already for the container at $LEASE_IP, PID $LEASE_PID"* ]]
	kill -KILL "$LEASE_PID"
	net_clean
}

@test "an element nftables refuses is a clear error, and the attach is undone" {
	NET_OPTS="-p 9999:99" net_container first sleep 60
	lease_of first
	# port 8080 mapped in our table by hand, in no lease
	H nft add element inet cfs pub4 '{ tcp . 8080 : 10.73.0.99 . 80 }'
	run -125 --separate-stderr H cfs-unshare --net --setup "cfs-net attach -p 8080:80" -- true
	[[ "$stderr" == *"cfs-net: nft: add an element of set pub4 of table cfs: File exists"* ]]
	# of the second container, no lease, veth or element
	run -0 H ls /run/cfs/net/leases
	[ "$output" = "$LEASE_IP" ]
	[ "$(H ip -o link show master cfs0 | wc -l)" = 1 ]
	run -0 H nft list map inet cfs pub6
	[[ "$output" != *8080* ]]
	kill -KILL "$LEASE_PID"
	net_clean
}

@test "hosts and resolv.conf for the container, from --etc" {
	H sh -c 'mkdir -p /run/etc-test'
	NET_OPTS="--etc /run/box-etc --dns 192.0.2.53" net_container named sleep 60
	lease_of named
	run -0 H cat /run/box-etc/hosts
	[[ "$output" == *"127.0.0.1	localhost"* ]]
	[[ "$output" == *"$LEASE_IP	named"* ]]
	run -0 H cat /run/box-etc/resolv.conf
	[ "$output" = "nameserver 192.0.2.53" ]
	kill -KILL "$LEASE_PID"
	net_clean
	run ! H test -e /run/box-etc/hosts
}

@test "nothing left after SIGKILL of the container's init" {
	NET_OPTS="-p 8080:80" httpd_container web
	lease_of web
	fetch O http://192.0.2.1:8080/
	kill -KILL "$LEASE_PID"
	net_clean
}

@test "no teardown needed: attach's watcher releases a container when it ends" {
	(exec nsenter -t "$HOST" -n -m -- cfs-unshare --pid --mount --net --uts \
		--hostname w --fork --setup "cfs-net attach -p 8080:80" -- \
		cfs-pivot --tmpfs /tmp "$ROOTFS" -- sh -c "mkdir /tmp/www &&
		echo 'page of w' >/tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www" \
		</dev/null >"$BATS_TEST_TMPDIR/w.out" 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	lease_of w
	run -0 fetch O http://192.0.2.1:8080/
	[ "$output" = "page of w" ]
	# one process of cfs-net's waits, in a session of its own, on /,
	# holding /dev/null and a pidfd of the container: not its namespace
	run -0 watchers
	[ "${#lines[@]}" = 1 ]
	w=${lines[0]}
	[ "$(readlink "/proc/$w/cwd")" = / ]
	run -0 sh -c "ls -l /proc/$w/fd | awk 'NR > 1 { print \$NF }' | sort -u"
	[ "$output" = "$(printf '/dev/null\nanon_inode:[pidfd]')" ]
	# the container ends: its port, veth, lease and table go, and the
	# watcher with them
	kill -KILL "$LEASE_PID"
	net_clean
}

@test "nothing left after SIGKILL of cfs-unshare or of the teardown" {
	# cfs-unshare: its child goes (--kill-child), the teardown runs
	(exec nsenter -t "$HOST" -n -m -- cfs-unshare --net --kill-child \
		--setup "cfs-net attach -p 8080:80" --teardown "cfs-net detach" -- sleep 60 \
		</dev/null >/dev/null 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	chain=$!
	for _ in $(seq 100); do H sh -c 'ls /run/cfs/net/leases/* 2>/dev/null' && break; sleep 0.05; done
	kill -KILL "$chain"
	net_clean
	# the teardown's process, then the container: the next call collects
	(exec nsenter -t "$HOST" -n -m -- cfs-unshare --net --kill-child \
		--setup "cfs-net attach -p 8080:80" --teardown "cfs-net detach" -- sleep 60 \
		</dev/null >/dev/null 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	chain=$!
	for _ in $(seq 100); do H sh -c 'ls /run/cfs/net/leases/* 2>/dev/null' && break; sleep 0.05; done
	# the teardown waits in a process of cfs-unshare's, in a session of
	# its own, made before the setup runs
	for _ in $(seq 100); do
		watcher=$(for p in /proc/[0-9]*; do
			[ "$(readlink "$p/ns/net")" = "$NET_BASE" ] &&
				[ "$(cat "$p/comm")" = cfs-unshare ] && [ "${p#/proc/}" != "$chain" ] &&
				[ "$(ps -o sid= -p "${p#/proc/}" | tr -d ' ')" = "${p#/proc/}" ] &&
				echo "${p#/proc/}"
		done 2>/dev/null || true)
		[ -n "$watcher" ] && break
		sleep 0.05
	done
	[ -n "$watcher" ]
	# and attach's own watcher (the test above): with both gone, no
	# process is left to release the container
	for _ in $(seq 100); do [ -n "$(watchers)" ] && break; sleep 0.05; done
	[ -n "$(watchers)" ]
	kill -KILL $watcher $(watchers)
	kill -KILL "$chain"
	sleep 0.3
	run -0 H sh -c 'ls /run/cfs/net/leases'
	[ -n "$output" ]
	H cfs-net --gc
	net_clean
}

@test "attach removes what a gone container left, its veth by a process of its own" {
	(exec nsenter -t "$HOST" -n -m -- cfs-unshare --net -- sleep 60 </dev/null >/dev/null 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	gone=$!
	sleep 0.2
	H cfs-net attach -p 8080:80 "$gone"
	run -0 H ip -o link show vcfs0a490002
	# named on the command line, not watched: gone with no detach, the
	# next attach finds its lease
	[ -z "$(watchers)" ]
	kill -KILL "$gone"
	wait "$gone" || true
	(exec nsenter -t "$HOST" -n -m -- cfs-unshare --net -- sleep 60 </dev/null >/dev/null 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	box=$!
	sleep 0.2
	# its port is free again, its address still held while its veth goes
	H cfs-net attach -p 8080:80 "$box"
	run -0 H cat /run/cfs/net/leases/10.73.0.3
	[[ "$output" == *"pid=$box"* ]]
	for _ in $(seq 50); do
		H test -e /run/cfs/net/leases/10.73.0.2 || break
		sleep 0.1
	done
	run -1 H test -e /run/cfs/net/leases/10.73.0.2
	run -1 H ip -o link show vcfs0a490002
	H cfs-net detach "$box"
	kill -KILL "$box"
	net_clean
}

@test "nothing left after SIGKILL of cfs-net" {
	(exec nsenter -t "$HOST" -n -m -- cfs-unshare --net -- sleep 60 </dev/null >/dev/null 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	box=$!
	sleep 0.2
	# killed at a few points of its work: whatever it left, --gc removes
	for t in 0.002 0.005 0.01 0.02 0.05; do
		H timeout -s KILL "$t" cfs-net attach -p 8080:80 "$box" || true
		H cfs-net detach "$box"
	done
	H timeout -s KILL 0.01 cfs-net attach -p 8080:80 "$box" || true
	kill -KILL "$box"
	# gone, not dying: --gc keeps the lease of a process still in its
	# namespace (CI saw it run first, once in 682 tests)
	wait "$box" || true
	H cfs-net --gc
	net_clean
}

@test "a table of an older cfs-net, its containers running, is brought up to date" {
	# the table as cfs-net made it before the bridges' masquerading
	# chains and IPv6 publishing: no map masq, pub6 or pubip6
	cat >"$BATS_TEST_TMPDIR/old.nft" <<-'EOF'
	table inet cfs {
		set bridges { type ifname; }
		map pub4 { type inet_proto . inet_service : ipv4_addr . inet_service; }
		map pubip4 { type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service; }
		chain publish {
			dnat ip to ip daddr . meta l4proto . th dport map @pubip4
			dnat ip to meta l4proto . th dport map @pub4
		}
		chain prerouting {
			type nat hook prerouting priority dstnat; policy accept;
			fib daddr type local jump publish
		}
		chain output {
			type nat hook output priority -100; policy accept;
			fib daddr type local jump publish
		}
		chain postrouting {
			type nat hook postrouting priority srcnat; policy accept;
			oifname @bridges ip saddr 127.0.0.0/8 masquerade
			iifname @bridges oifname != @bridges masquerade
		}
		chain forward {
			type filter hook forward priority filter; policy accept;
			iifname @bridges accept
			oifname @bridges accept
		}
	}
	EOF
	H nft -f "$BATS_TEST_TMPDIR/old.nft"
	outside_httpd
	NET_OPTS="-p 8080:80" httpd_container web
	lease_of web
	run -0 fetch O http://192.0.2.1:8080/
	[ "$output" = "page of web" ]
	run -0 nsenter -t "$LEASE_PID" -n timeout 2 busybox wget -q -O - \
		http://192.0.2.2:8000/cgi-bin/ip
	[ "$output" = "192.0.2.1" ]
	run -0 H nft list map inet cfs masq
	[[ "$output" == *'"cfs0" : jump masq-cfs0'* ]]
	# with the last lease, the table goes
	kill -KILL "$LEASE_PID"
	net_clean
}

@test "IPv6: a ULA address and route; --no-ipv6 leaves IPv6 forwarding off" {
	run -0 H cfs-unshare --net --setup "cfs-net attach" --teardown "cfs-net detach" -- \
		sh -c 'ip -6 -o addr show eth0 scope global
			busybox ping -6 -c 1 -W 2 fd73:cf5:cf5::1 >/dev/null && echo gw6 ok'
	[[ "$output" == *"inet6 fd73:cf5:cf5::2/64"* ]]
	[[ "$output" == *"gw6 ok"* ]]
	net_clean
	# with IPv6 forwarding on, every link ignores router advertisements
	run -0 H sysctl -n net.ipv6.conf.all.forwarding
	[ "$output" = 0 ]
	run -0 H cfs-unshare --net --teardown "cfs-net detach" --setup "cfs-net attach --no-ipv6 &&
		sysctl -n net.ipv6.conf.all.forwarding net.ipv4.ip_forward" -- \
		sh -c 'ip -6 -o addr show eth0 scope global | wc -l'
	[ "$output" = "$(printf '0\n1\n0')" ]
	net_clean
	run -0 H sysctl -n net.ipv4.ip_forward
	[ "$output" = 0 ]
}
