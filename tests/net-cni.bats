#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-net --cni: a CNI network run with Debian's plugins (bridge,
# host-local, portmap), in the test's own host and outside namespaces
# (tests/helpers/net.bash); host-local's leases and the CNI cache are
# under the test's temp dir and the host's private /run.
load common
load helpers/net

eval "common_$(declare -f setup)"

setup() {
	common_setup
	net_setup
	CONF=$BATS_TEST_TMPDIR/net.d
	IPAM=$BATS_TEST_TMPDIR/ipam
	mkdir -p "$CONF"
	# as a user has it in /etc/cni/net.d
	cat >"$CONF/10-t.conflist" <<-EOF
	{"cniVersion": "1.0.0", "name": "t", "plugins": [
	  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true,
	   "ipam": {"type": "host-local", "subnet": "10.74.0.0/24",
	            "dataDir": "$IPAM", "routes": [{"dst": "0.0.0.0/0"}]}},
	  {"type": "portmap", "capabilities": {"portMappings": true}}]}
	EOF
	NET_OPTS="--cni t --cni-conf-dir $CONF"
	# net_clean: host-local's addresses too, and what CNI keeps stays
	CNI_IPAM=$IPAM
}

# Run a command in the network namespace of container a or b (for fetch).
in_a() { nsenter -t "${pid[a]}" -n -- "$@"; }
in_b() { nsenter -t "${pid[b]}" -n -- "$@"; }

# A container of our own to attach to by PID, in the test's host.
holder_container() {
	(exec nsenter -t "$HOST" -n -m -- unshare --net sleep 600 </dev/null >/dev/null 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	BOX=$!
	for _ in $(seq 100); do
		[ "$(cat /proc/$BOX/comm 2>/dev/null)" = sleep ] && return 0
		sleep 0.05
	done
	return 1
}

# End it, and wait until it has: a --gc before would find it alive.
kill_box() {
	kill -KILL "$BOX"
	wait "$BOX" 2>/dev/null || true
}

@test "attach --cni: ADD's result printed; the container reaches its gateway and the outside" {
	outside_httpd
	NET_OPTS="$NET_OPTS --etc /run/a-etc --dns 192.0.2.53" net_container a sh -c '
		ip -4 -o addr show eth0; ping -c 1 -W 2 10.74.0.1 >/dev/null && echo gateway ok;
		timeout 2 wget -q -O - http://192.0.2.2:8000/cgi-bin/ip; echo done; sleep 60'
	for _ in $(seq 100); do grep -q done "$BATS_TEST_TMPDIR/a.out" && break; sleep 0.05; done
	# --etc: the container's names, its address from ADD's result
	run -0 H cat /run/a-etc/hosts
	[[ "$output" == *"10.74.0.2	a"* ]]
	run -0 H cat /run/a-etc/resolv.conf
	[ "$output" = "nameserver 192.0.2.53" ]
	cat "$BATS_TEST_TMPDIR/a.out"
	# the result, as JSON, for scripts
	run -0 jq -r '.ips[0].address' < <(sed -n '/^{/,/^}/p' "$BATS_TEST_TMPDIR/a.out")
	[ "$output" = 10.74.0.2/24 ]
	grep -q "inet 10.74.0.2/24" "$BATS_TEST_TMPDIR/a.out"
	grep -qx "gateway ok" "$BATS_TEST_TMPDIR/a.out"
	# out through the bridge plugin's masquerading
	grep -qx "192.0.2.1" "$BATS_TEST_TMPDIR/a.out"
	lease_of a
	kill -KILL "$LEASE_PID"
	net_clean
	run ! H test -e /run/a-etc/hosts
}

@test "attach --cni -p: portmap publishes the port, from the outside, the host and its 127.0.0.1" {
	NET_OPTS="$NET_OPTS -p 8080:80" httpd_container web
	lease_of web
	run -0 fetch O http://192.0.2.1:8080/
	[ "$output" = "page of web" ]
	run -0 fetch H http://192.0.2.1:8080/
	[ "$output" = "page of web" ]
	# by portmap's "snat", on by default (cfs-net(1))
	run -0 fetch H http://127.0.0.1:8080/
	[ "$output" = "page of web" ]
	# portmap's own chains hold it
	run -0 H iptables -t nat -S CNI-HOSTPORT-DNAT
	[[ "$output" == *"--dports 8080"* ]]
	kill -KILL "$LEASE_PID"
	net_clean
	run ! O timeout 2 busybox wget -q -O - http://192.0.2.1:8080/
}

@test "attach --cni: two containers started at once get different addresses and reach each other" {
	# two chains at once, each with its cfs-net attach --cni as setup:
	# the attaches overlap; the store's lock runs one's plugins at a
	# time, and host-local leases under its own lock
	httpd_container a
	httpd_container b
	declare -A pid ip
	for n in a b; do
		lease_of $n
		pid[$n]=$LEASE_PID
		for _ in $(seq 50); do
			ip[$n]=$(nsenter -t "$LEASE_PID" -n ip -4 -o addr show eth0 |
				awk '{sub("/.*", "", $4); print $4}')
			[ -n "${ip[$n]}" ] && break
			sleep 0.05
		done
	done
	echo "a: ${ip[a]}, b: ${ip[b]}"
	[[ "${ip[a]}" == 10.74.0.* && "${ip[b]}" == 10.74.0.* ]]
	[ "${ip[a]}" != "${ip[b]}" ]
	# host-local leased both, one each
	[ "$(find "$IPAM/t" -type f ! -name lock ! -name 'last_reserved_ip.*' | wc -l)" = 2 ]
	for n in a b; do
		other=$([ $n = a ] && echo b || echo a)
		run -0 nsenter -t "${pid[$n]}" -n busybox ping -c 1 -W 2 10.74.0.1
		run -0 fetch "in_$n" "http://${ip[$other]}/"
		[ "$output" = "page of $other" ]
	done
	# both gone: nothing of either left, host-local's leases included
	kill -KILL "${pid[a]}" "${pid[b]}"
	net_clean
}

@test "detach --cni: DEL in reverse with the cached result releases all" {
	holder_container
	run -0 --separate-stderr H cfs-net attach $NET_OPTS -p 8080:80 "$BOX"
	ip=$(jq -r '.ips[0].address' <<<"$output")
	ip=${ip%/*}
	# what ADD made: host-local's lease, the veth, both plugins' chains
	[ -e "$IPAM/t/$ip" ]
	run -0 H ip -o link show master cni0
	[ "${#lines[@]}" = 1 ]
	run -0 H iptables -t nat -S
	grep -qE '^-N CNI-DN-' <<<"$output"
	grep -qE '^-N CNI-[0-9a-f]+$' <<<"$output"
	run -0 H sh -c 'cat /run/cfs/net/results/t-*-eth0'
	[ "$(jq -r .result.ips[0].address <<<"$output")" = "$ip/24" ]
	# the container is still there: only its attachment goes
	H cfs-net detach --cni t "$BOX"
	[ ! -e "$IPAM/t/$ip" ]
	nsenter -t "$BOX" -n ip -o link >"$BATS_TEST_TMPDIR/links"
	run ! grep -q eth0 "$BATS_TEST_TMPDIR/links"
	kill_box
	net_clean
}

@test "check: passes on a live attachment, fails once its veth is gone" {
	holder_container
	# without masquerading: the bridge plugin's DEL finds the addresses
	# whose masquerading it removes on the veth, which is gone here
	jq '.name = "c" | .plugins[0].ipMasq = false' "$CONF/10-t.conflist" >"$CONF/20-c.conflist"
	H cfs-net attach --cni c --cni-conf-dir "$CONF" "$BOX" >/dev/null
	run -0 --separate-stderr H cfs-net check --cni c "$BOX"
	[ -z "$stderr" ]
	nsenter -t "$BOX" -n ip link del eth0
	run -125 --separate-stderr H cfs-net check --cni c "$BOX"
	[ "$stderr" = "cfs-net: CNI plugin bridge: CHECK: error 999: Interface name eth0 not found" ]
	# a network it is not on
	run -125 --separate-stderr H cfs-net check --cni other "$BOX"
	[ "$stderr" = "cfs-net: /proc/$BOX/ns/net: on no CNI network named other" ]
	H cfs-net detach "$BOX"
	kill_box
	net_clean
}

@test "--cni-args reach the plugins as CNI_ARGS" {
	holder_container
	run -0 --separate-stderr H cfs-net attach $NET_OPTS --cni-args 'IgnoreUnknown=1;IP=10.74.0.99' "$BOX"
	[ "$(jq -r '.ips[0].address' <<<"$output")" = 10.74.0.99/24 ]
	run -125 --separate-stderr H cfs-net attach $NET_OPTS --cni-args 'IP' "$BOX"
	[ "$stderr" = "cfs-net: --cni-args IP: not KEY=VALUE;KEY=VALUE..." ]
	# DEL gets them again, from the cache
	run -0 H sh -c 'cat /run/cfs/net/results/t-*-eth0'
	[ "$(jq -c .cniArgs <<<"$output")" = '[["IgnoreUnknown","1"],["IP","10.74.0.99"]]' ]
	kill_box
	H cfs-net --gc
	net_clean
}

@test "a plugin's error is shown with its code and message, and ADD undone" {
	holder_container
	# a CNI version no plugin has: the well-known error 1
	sed 's/"1.0.0"/"9.9.9"/' "$CONF/10-t.conflist" >"$CONF/20-v.conflist"
	sed -i 's/"name": "t"/"name": "v"/' "$CONF/20-v.conflist"
	run -125 --separate-stderr H cfs-net attach --cni v --cni-conf-dir "$CONF" "$BOX"
	[[ "$stderr" == 'cfs-net: CNI plugin bridge: ADD: error 1: incompatible CNI versions; config is "9.9.9", plugin supports ['* ]]
	[ -z "$output" ]
	# the second plugin fails: the first one's ADD is undone by DEL
	cat >"$CONF/30-bad.conflist" <<-EOF
	{"cniVersion": "1.0.0", "name": "bad", "plugins": [
	  {"type": "bridge", "bridge": "cni0", "ipam": {"type": "host-local",
	   "subnet": "10.74.0.0/24", "dataDir": "$IPAM"}},
	  {"type": "tuning", "sysctl": {"net.no.such": "1"}}]}
	EOF
	run -125 --separate-stderr H cfs-net attach --cni bad --cni-conf-dir "$CONF" "$BOX"
	[ "$stderr" = "cfs-net: CNI plugin tuning: ADD: error 999: open /proc/sys/net/no/such: no such file or directory" ]
	[ -z "$(ls "$IPAM/bad" | grep -vx -e lock -e 'last_reserved_ip\..*')" ]
	nsenter -t "$BOX" -n ip -o link >"$BATS_TEST_TMPDIR/links"
	run ! grep -q eth0 "$BATS_TEST_TMPDIR/links"
	kill_box
	net_clean
}

@test "a missing network, plugin or capability is a clear error naming it" {
	holder_container
	run -125 --separate-stderr H cfs-net attach --cni nope --cni-conf-dir "$CONF" "$BOX"
	[ "$stderr" = "cfs-net: find CNI network nope in $CONF (.conflist, .conf, .json): No such file or directory" ]
	run -125 --separate-stderr H cfs-net attach --cni t --cni-conf-dir "$CONF/none" "$BOX"
	[ "$stderr" = "cfs-net: read CNI configuration directory $CONF/none: No such file or directory" ]
	run -125 --separate-stderr H cfs-net attach $NET_OPTS --cni-path /nonexistent "$BOX"
	[ "$stderr" = "cfs-net: find CNI plugin bridge in /nonexistent: No such file or directory" ]
	echo '{"cniVersion": "1.0.0", "name": "solo", "type": "bridge",' >"$CONF/40-solo.conf"
	run -125 --separate-stderr H cfs-net attach --cni solo --cni-conf-dir "$CONF" "$BOX"
	[[ "$stderr" == "cfs-net: read $CONF/40-solo.conf: line "* ]]
	echo '{"name": "solo", "type": "bridge"}' >"$CONF/40-solo.conf"
	run -125 --separate-stderr H cfs-net attach --cni solo --cni-conf-dir "$CONF" "$BOX"
	[ "$stderr" = "cfs-net: $CONF/40-solo.conf: no \"cniVersion\"" ]
	rm "$CONF/40-solo.conf"
	run -125 --separate-stderr H cfs-net attach --cni "../x" "$BOX"
	[[ "$stderr" == "cfs-net: --cni ../x: not a CNI network name ("* ]]
	# an interface of that name there already: refused, not deleted by
	# the DEL that would undo the failed ADD
	nsenter -t "$BOX" -n ip link add eth0 type veth peer name eth1
	run -125 --separate-stderr H cfs-net attach $NET_OPTS "$BOX"
	[ "$stderr" = "cfs-net: /proc/$BOX/ns/net: has an interface eth0 already" ]
	nsenter -t "$BOX" -n ip link del eth0
	# -p needs a plugin that takes portMappings
	jq '.plugins |= .[:1] | .name = "noport"' "$CONF/10-t.conflist" >"$CONF/50-noport.conflist"
	run -125 --separate-stderr H cfs-net attach --cni noport --cni-conf-dir "$CONF" -p 8080:80 "$BOX"
	[ "$stderr" = "cfs-net: --publish: no plugin of CNI network noport has the capability portMappings" ]
	# a single network in a .conf, and a plugin found in the second
	# directory of --cni-path
	jq '.plugins[0] + {cniVersion, name: "single"}' "$CONF/10-t.conflist" >"$CONF/60-single.conf"
	run -0 --separate-stderr H cfs-net attach --cni single --cni-conf-dir "$CONF" \
		--cni-path /nonexistent:/usr/lib/cni "$BOX"
	[ "$(jq -r '.ips[0].address' <<<"$output")" = 10.74.0.2/24 ]
	kill_box
	H cfs-net --gc
	net_clean
}

@test "nothing left after SIGKILL of the container, by the teardown or --gc" {
	# the teardown (cfs-net detach) runs DEL: the namespace kept for it
	NET_OPTS="$NET_OPTS -p 8080:80" httpd_container web
	lease_of web
	fetch O http://192.0.2.1:8080/
	run -0 H grep -c /run/cfs/net/netns /proc/self/mountinfo
	kill -KILL "$LEASE_PID"
	net_clean
	# no teardown: the next call, or --gc, runs DEL
	holder_container
	H cfs-net attach $NET_OPTS -p 8080:80 "$BOX" >/dev/null
	kill_box
	run -0 H sh -c 'ls /run/cfs/net/leases'
	[ -n "$output" ]
	H cfs-net --gc
	net_clean
}

@test "nothing left after SIGKILL of cfs-net attach --cni: its plugin ends its work first" {
	holder_container
	# killed at a few points of its work: the plugin it ran goes on
	# holding the store's lock, so that the detach after (or --gc) runs
	# DEL once its ADD is done, not half done (a DEL of a half-made
	# masquerading fails: the bridge plugin's is not idempotent there)
	for t in 0.02 0.05 0.1 0.15 0.2 0.3; do
		H timeout --foreground -s KILL "$t" cfs-net attach $NET_OPTS -p 8080:80 "$BOX" >/dev/null || true
		H cfs-net detach "$BOX"
	done
	H timeout --foreground -s KILL 0.1 cfs-net attach $NET_OPTS -p 8080:80 "$BOX" >/dev/null || true
	kill_box
	H cfs-net --gc
	net_clean
}

@test "SIGKILL of cfs-net during a plugin's ADD: the DEL after waits for that ADD" {
	holder_container
	# a plugin that takes its time, and marks what its ADD made
	mkdir "$BATS_TEST_TMPDIR/bin"
	cat >"$BATS_TEST_TMPDIR/bin/slow" <<-EOF
	#!/bin/sh
	# SPDX-License-Identifier: GPL-2.0-or-later
	cat >/dev/null
	case \$CNI_COMMAND in
	ADD) sleep 1; touch "$BATS_TEST_TMPDIR/made"; echo '{"cniVersion": "1.0.0"}' ;;
	DEL) rm -f "$BATS_TEST_TMPDIR/made" ;;
	esac
	EOF
	chmod +x "$BATS_TEST_TMPDIR/bin/slow"
	echo '{"cniVersion": "1.0.0", "name": "slow", "plugins": [{"type": "slow"}]}' \
		>"$CONF/70-slow.conflist"
	# (not under run, which would wait for the plugin's stderr to close)
	rc=0
	H timeout --foreground -s KILL 0.3 cfs-net attach --cni slow --cni-conf-dir "$CONF" \
		--cni-path "$BATS_TEST_TMPDIR/bin" "$BOX" >/dev/null 2>&1 || rc=$?
	[ "$rc" = 137 ]
	[ ! -e "$BATS_TEST_TMPDIR/made" ]
	# the plugin goes on, holding the store's lock: the DEL runs after it
	H cfs-net detach "$BOX"
	sleep 1.2
	[ ! -e "$BATS_TEST_TMPDIR/made" ]
	kill_box
	net_clean
}

@test "a bridge attach runs DEL for a gone CNI container; a CNI attach releases a gone bridge one" {
	holder_container
	H cfs-net attach $NET_OPTS -p 8080:80 "$BOX" >/dev/null
	kill_box
	# the CNI container's DEL, by the bridge attach's collection: its
	# host-local address and its host port free, its lease gone
	holder_container
	H cfs-net attach -p 8080:80 "$BOX"
	[ -z "$(find "$IPAM" -type f ! -name lock ! -name 'last_reserved_ip.*')" ]
	run -0 H ls /run/cfs/net/leases
	[ "$output" = 10.73.0.2 ]
	kill_box
	# the bridge container's veth and lease, by the CNI attach's
	holder_container
	H cfs-net attach $NET_OPTS "$BOX" >/dev/null
	run -0 H ls /run/cfs/net/leases
	[[ "$output" = cni-t-* ]]
	run -0 H ip -o link show master cfs0
	[ -z "$output" ]
	H cfs-net detach "$BOX"
	kill_box
	net_clean
	run ! H nft list table inet cfs
}

@test "a DEL that fails for a gone container: warned, and other attaches go on" {
	# a CNI plugin whose DEL fails while the file fail is there
	BIN=$BATS_TEST_TMPDIR/cni-bin
	mkdir -p "$BIN"
	touch "$BATS_TEST_TMPDIR/fail"
	cat >"$BIN/faildel" <<-EOF
	#!/bin/sh
	cat >/dev/null
	case "\$CNI_COMMAND" in
	DEL) if [ -e "$BATS_TEST_TMPDIR/fail" ]; then
		echo '{"cniVersion": "1.0.0", "code": 11, "msg": "DEL always fails"}'
		exit 1
	     fi ;;
	VERSION) echo '{"cniVersion": "1.0.0", "supportedVersions": ["1.0.0"]}' ;;
	ADD) echo '{"cniVersion": "1.0.0"}' ;;
	esac
	EOF
	chmod +x "$BIN/faildel"
	echo '{"cniVersion": "1.0.0", "name": "fd", "plugins": [{"type": "faildel"}]}' \
		>"$CONF/40-fd.conflist"
	FD_OPTS="--cni fd --cni-conf-dir $CONF --cni-path $BIN"
	holder_container
	H cfs-net attach $FD_OPTS "$BOX" >/dev/null
	gone=$(H sh -c 'ls /run/cfs/net/leases')
	kill_box
	# another container's attach, a bridge one: warned once, and done
	holder_container
	run -0 --separate-stderr H cfs-net attach -p 8080:80 "$BOX"
	[ "$stderr" = "cfs-net: release lease /run/cfs/net/leases/$gone of a gone container (kept for the next call): CNI plugin faildel: DEL: error 11: DEL always fails" ]
	bridged=$BOX
	# --gc says it, and fails
	run -125 --separate-stderr H cfs-net --gc
	[ "$stderr" = "cfs-net: release lease /run/cfs/net/leases/$gone of a gone container (kept for the next call): CNI plugin faildel: DEL: error 11: DEL always fails" ]
	# a container's own DEL that fails is its detach's failure
	holder_container
	H cfs-net attach $FD_OPTS "$BOX" >/dev/null
	run -125 --separate-stderr H cfs-net detach --cni fd "$BOX"
	[[ "$stderr" == *"cfs-net: CNI plugin faildel: DEL: error 11: DEL always fails" ]]
	# DEL works again: all goes
	rm "$BATS_TEST_TMPDIR/fail"
	H cfs-net detach --cni fd "$BOX"
	kill_box
	H cfs-net detach "$bridged"
	kill -KILL "$bridged"
	H cfs-net --gc
	run -0 H ls /run/cfs/net/leases
	[ -z "$output" ]
	net_clean
	run ! H nft list table inet cfs
}
