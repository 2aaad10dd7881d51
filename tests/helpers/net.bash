# SPDX-License-Identifier: GPL-2.0-or-later
# For tests/net.bats: a "host" network namespace of the test's own (with
# a private /run, so the lease store is the test's), and an "outside" one
# joined to it by a veth, standing for the internet. Every address lives
# in them; the machine's own network namespace is never touched. Their
# holders are listed in $BATS_TEST_TMPDIR/pids: teardown ends them, and
# with them the namespaces and all that was made there.
#   host  192.0.2.1/24 on vh      outside  192.0.2.2/24 on vo
# (TEST-NET-1, RFC 5737: an address no real network uses)

# Run a command in the test's host (H) or outside (O) namespace.
H() { nsenter -t "$HOST" -n -m -- "$@"; }
O() { nsenter -t "$OUTSIDE" -n -- "$@"; }

holder() {
	local ready=$BATS_TEST_TMPDIR/$1.ready
	shift
	(exec "$@" sh -c "$HOLD && touch $ready && exec sleep 600" </dev/null >/dev/null 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	for _ in $(seq 100); do
		[ -e "$ready" ] && break
		sleep 0.05
	done
	[ -e "$ready" ]
}

net_setup() {
	HOLD="mount -t tmpfs tmpfs /run && ip link set lo up" \
		holder host unshare --net --mount --propagation private
	HOST=$(tail -1 "$BATS_TEST_TMPDIR/pids")
	HOLD="ip link set lo up" holder outside unshare --net
	OUTSIDE=$(tail -1 "$BATS_TEST_TMPDIR/pids")
	H ip link add vh type veth peer name vo netns "/proc/$OUTSIDE/ns/net"
	H ip addr add 192.0.2.1/24 dev vh
	H ip link set vh up
	O ip addr add 192.0.2.2/24 dev vo
	O ip link set vo up
	NET_BASE=$(H readlink /proc/self/ns/net)
}

# A page for busybox httpd on the outside, that says who asked.
outside_httpd() {
	mkdir -p "$BATS_TEST_TMPDIR/out-www/cgi-bin"
	printf '#!/bin/sh\necho "Content-Type: text/plain"\necho\necho "$REMOTE_ADDR"\n' \
		>"$BATS_TEST_TMPDIR/out-www/cgi-bin/ip"
	chmod +x "$BATS_TEST_TMPDIR/out-www/cgi-bin/ip"
	(exec nsenter -t "$OUTSIDE" -n -- busybox httpd -f -p 192.0.2.2:8000 -h "$BATS_TEST_TMPDIR/out-www" \
		</dev/null >/dev/null 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
}

# A networked container in the test's host, in the background, running
# "$@" in the test rootfs (a tmpfs on /tmp); $NET_OPTS are cfs-net's.
# Its output goes to $BATS_TEST_TMPDIR/$NAME.out.
net_container() {
	local name=$1
	shift
	(exec nsenter -t "$HOST" -n -m -- cfs-unshare --pid --mount --net --uts --hostname "$name" --fork \
		--setup "cfs-net attach ${NET_OPTS:-}" --teardown "cfs-net detach" -- \
		cfs-pivot --tmpfs /tmp "$ROOTFS" -- "$@" \
		</dev/null >"$BATS_TEST_TMPDIR/$name.out" 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
}

# busybox httpd on port 80 in a container, serving "page of NAME".
httpd_container() {
	net_container "$1" sh -c "mkdir /tmp/www && echo 'page of $1' >/tmp/www/index.html &&
		exec httpd -f -p 80 -h /tmp/www"
}

# The lease of the container whose chain wrote $1.out: wait for it (5 s),
# then set LEASE_IP to its address (IPv4) and LEASE_PID to its init.
lease_of() {
	local f
	for _ in $(seq 100); do
		for f in $(H sh -c 'ls /run/cfs/net/leases/* 2>/dev/null'); do
			local pid
			pid=$(H sed -n 's/^pid=//p' "$f")
			[ -n "$pid" ] || continue
			if [ "$(nsenter -t "$pid" -u hostname 2>/dev/null)" = "$1" ]; then
				LEASE_PID=$pid
				LEASE_IP=$(basename "$f")
				return 0
			fi
		done
		sleep 0.05
	done
	return 1
}

# Fetch URL with wget in namespace runner $1 (H, O), up to 5 s.
fetch() {
	local out
	for _ in $(seq 50); do
		# (busybox 1.35's wget -T crashes: timeout(1) instead)
		out=$("$1" timeout 2 busybox wget -q -O - "$2" 2>/dev/null) && { echo "$out"; return 0; }
		sleep 0.1
	done
	return 1
}

# What of ours is left in the test's host: links but lo and vh, nft
# rules, leases, CNI caches and kept namespaces, processes but the
# holder. In a CNI test ($CNI_IPAM: host-local's data directory), what
# CNI keeps for every container stays, as with any CNI runtime: the
# bridge plugin's cni0, portmap's CNI-HOSTPORT-* chains (and so
# iptables' tables); no other CNI- chain, no host-local address, and no
# table of ours.
net_left() {
	H ip -o link | awk -F': ' '{print $2}' | sed 's/@.*//' |
		grep -vx -e lo -e vh ${CNI_IPAM:+-e cni0}
	if [ -n "${CNI_IPAM:-}" ]; then
		H iptables -t nat -S | grep -E '^-N CNI-' | grep -v -e '^-N CNI-HOSTPORT-'
		find "$CNI_IPAM" -type f ! -name lock ! -name 'last_reserved_ip.*'
		H nft list table inet cfs
	else
		H nft list ruleset
	fi
	H find /run/cfs/net/leases /run/cfs/net/results /run/cfs/net/netns -mindepth 1
	H grep /run/cfs/net /proc/self/mountinfo
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$HOST" ] && continue
		[ "$(readlink "$p/ns/net" 2>/dev/null)" = "$NET_BASE" ] &&
			echo "process ${p#/proc/}: $(tr '\0' ' ' <"$p/cmdline")"
	done
}

# Nothing of ours left in the test's host (net_left), 5 s for a teardown
# to run.
net_clean() {
	local left
	for _ in $(seq 50); do
		left=$(net_left 2>/dev/null || true)
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	echo "left behind in the test's host:" >&2
	echo "$left" >&2
	return 1
}
