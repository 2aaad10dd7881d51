#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-net as an ordinary user: pasta, or slirp4netns where pasta is
# missing, runs for the container as long as it lives, and nothing is
# left after it. The user's chain runs in the test's own host and
# outside namespaces (tests/helpers/net.bash), never the machine's.
#
# pasta and slirp4netns open /dev/net/tun as the user. Debian's udev
# makes it 0666; on a machine where it is 0600 (no udev rule applied),
# the test does not change the machine's node: in the mount namespace of
# its host it bind-mounts a node of its own, 0666, from a tmpfs over
# /dev/net/tun, as udev would have made it.
load common
load helpers/net

RL_USER=cfs-test-netrl
RL_SUB=3700000 # its 65536 subordinate ids: nothing else here uses them
load helpers/rootless

setup_file() { rl_add; }
teardown_file() { rl_teardown; }

eval "common_$(declare -f setup)"
eval "common_$(declare -f teardown)"

setup() {
	common_setup
	net_setup
	# the host's route out is the outside: pasta takes its gateway
	H ip route add default via 192.0.2.2
	mkdir "$BATS_TEST_TMPDIR/tun"
	H mount -t tmpfs -o mode=755 tmpfs "$BATS_TEST_TMPDIR/tun"
	H mknod -m 666 "$BATS_TEST_TMPDIR/tun/tun" c 10 200
	H mount --bind "$BATS_TEST_TMPDIR/tun/tun" /dev/net/tun
	WORK=$(rl_work)
}

teardown() {
	local rc=0
	common_teardown || rc=$?
	# no process of the user's left: pasta, slirp4netns, the keeper
	for _ in $(seq 20); do pgrep -u "$RL_USER" >/dev/null || break; sleep 0.1; done
	if pgrep -u "$RL_USER" -a >&2; then
		pkill -KILL -u "$RL_USER" || true
		rc=1
	fi
	return $rc
}

# The user's own processes, by name, now.
user_procs() { pgrep -u "$RL_USER" -a | grep -E "$1" || true; }

# The user's container in the test's host, in the background: busybox
# httpd on port 80 serving "page of NAME", after fetching the outside's
# page into /tmp/www/outside; $NET_OPTS are cfs-net's, $USER_PATH the
# user's PATH.
user_httpd() {
	local name=$1
	(exec nsenter -t "$HOST" -n -m -- setpriv --reuid "$RL_USER" --regid "$RL_USER" \
		--init-groups env PATH="${USER_PATH:-$PATH}" \
		cfs-unshare --user --map-auto --uts --pid --mount --ipc --net --fork \
		--hostname "$name" --setup "cfs-net attach ${NET_OPTS:-}" \
		--teardown "cfs-net detach" -- \
		cfs-pivot --tmpfs /tmp "$WORK/rootfs" -- sh -c "mkdir /tmp/www &&
		echo 'page of $name' >/tmp/www/index.html &&
		ip -4 -o addr show eth0 >/tmp/www/addr;
		timeout 2 wget -q -O /tmp/www/outside http://192.0.2.2:8000/cgi-bin/ip;
		exec httpd -f -p 80 -h /tmp/www" \
		</dev/null >"$BATS_TEST_TMPDIR/$name.out" 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	chain=$!
}

# The PID of the container's httpd, as the host sees it.
httpd_pid() {
	local p
	for _ in $(seq 100); do
		p=$(pgrep -u "$RL_USER" -x httpd) && { echo "$p"; return 0; }
		sleep 0.05
	done
	return 1
}

@test "pasta: a user's container reaches the outside, and -p 8080:80 reaches it" {
	outside_httpd
	NET_OPTS="-p 8080:80" user_httpd web
	# from the outside, the test's host and its 127.0.0.1
	run -0 fetch O http://192.0.2.1:8080/
	[ "$output" = "page of web" ]
	run -0 fetch H http://192.0.2.1:8080/
	[ "$output" = "page of web" ]
	run -0 fetch H http://127.0.0.1:8080/
	[ "$output" = "page of web" ]
	# the outside saw the host's address
	run -0 fetch O http://192.0.2.1:8080/outside
	[ "$output" = "192.0.2.1" ]
	run -0 fetch H http://127.0.0.1:8080/addr
	[[ "$output" == *"eth0"*"inet 192.0.2.1/24"* ]]
	# pasta runs as the user, in the foreground, kept by cfs-net's keeper
	run -0 user_procs 'pasta|cfs-usernet'
	[[ "$output" == *"pasta --foreground"*"--tcp-ports 8080:80"* ]]
	# a port not published is not reachable
	run ! O timeout 2 busybox wget -q -O - http://192.0.2.1:8081/
	# SIGKILL of the container's init: pasta and its keeper go, and the
	# port is free at once for the next container (cfs-net waits for a
	# keeper whose container is gone)
	kill -KILL "$(httpd_pid)"
	wait "$chain" || true
	run H setpriv --reuid "$RL_USER" --regid "$RL_USER" --init-groups \
		cfs-unshare --user --map-root-user --net \
		--setup "cfs-net attach -p 8080:80" -- true
	[ "$status" = 0 ] || { echo "status $status: $output"; user_procs . ; false; }
	for _ in $(seq 50); do [ -z "$(user_procs .)" ] && break; sleep 0.1; done
	run -0 user_procs .
	[ -z "$output" ]
	net_clean
}

@test "slirp4netns where pasta is missing: outside, and a published port" {
	outside_httpd
	# a PATH without pasta: the chain's tools, newuidmap, slirp4netns
	# (in the user's directory: it cannot reach the test's)
	mkdir -p "$WORK/bin"
	ln -sf /usr/bin/slirp4netns /usr/bin/newuidmap /usr/bin/newgidmap "$WORK/bin"
	USER_PATH="$CFS_BUILD:$WORK/bin" NET_OPTS="-p 8080:80" user_httpd web
	run -0 fetch O http://192.0.2.1:8080/
	[ "$output" = "page of web" ]
	run -0 fetch H http://127.0.0.1:8080/
	[ "$output" = "page of web" ]
	run -0 fetch O http://192.0.2.1:8080/outside
	[ "$output" = "192.0.2.1" ]
	run -0 fetch H http://127.0.0.1:8080/addr
	[[ "$output" == *"eth0"*"inet 10.0.2.100/24"* ]]
	run -0 user_procs 'slirp4netns|pasta'
	[[ "$output" == *"slirp4netns --configure"* ]]
	[[ "$output" != *pasta* ]]
	kill -KILL "$(httpd_pid)"
	wait "$chain" || true
	for _ in $(seq 50); do [ -z "$(user_procs .)" ] && break; sleep 0.1; done
	run -0 user_procs .
	[ -z "$output" ]
	net_clean
}

@test "nothing left after SIGKILL of the keeper, or of cfs-unshare" {
	NET_OPTS="-p 8080:80" user_httpd web
	fetch H http://127.0.0.1:8080/
	# the keeper killed: pasta goes with it (PR_SET_PDEATHSIG)
	kill -KILL "$(pgrep -u "$RL_USER" -x cfs-usernet)"
	for _ in $(seq 50); do [ -z "$(user_procs pasta)" ] && break; sleep 0.1; done
	run -0 user_procs pasta
	[ -z "$output" ]
	run ! H timeout 2 busybox wget -q -O - http://127.0.0.1:8080/
	kill -KILL "$(httpd_pid)"
	wait "$chain" || true
	# cfs-unshare killed: its container goes (--kill-child), and pasta
	(exec nsenter -t "$HOST" -n -m -- setpriv --reuid "$RL_USER" --regid "$RL_USER" \
		--init-groups cfs-unshare --user --map-root-user --net --kill-child \
		--setup "cfs-net attach -p 8080:80" -- sleep 60 </dev/null >"$BATS_TEST_TMPDIR/2.out" 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	chain=$!
	for _ in $(seq 200); do [ -n "$(user_procs pasta)" ] && break; sleep 0.05; done
	cat "$BATS_TEST_TMPDIR/2.out"
	[ -n "$(user_procs pasta)" ]
	kill -KILL "$chain"
	for _ in $(seq 50); do [ -z "$(user_procs .)" ] && break; sleep 0.1; done
	run -0 user_procs .
	[ -z "$output" ]
	net_clean
}

@test "a user's cfs-net detach ends pasta; errors are clear" {
	(exec nsenter -t "$HOST" -n -m -- setpriv --reuid "$RL_USER" --regid "$RL_USER" \
		--init-groups cfs-unshare --user --map-root-user --net \
		--setup "cfs-net attach --etc $WORK/etc" -- sleep 60 </dev/null >/dev/null 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	for _ in $(seq 100); do box=$(pgrep -u "$RL_USER" -x sleep) && break; sleep 0.05; done
	[ -n "$(user_procs pasta)" ]
	[ -e "$WORK/etc/hosts" ]
	run -0 H setpriv --reuid "$RL_USER" --regid "$RL_USER" --init-groups cfs-net detach "$box"
	# its --etc goes with it (the keeper ends at SIGTERM and removes it)
	run ! test -e "$WORK/etc"
	for _ in $(seq 50); do [ -z "$(user_procs pasta)" ] && break; sleep 0.1; done
	run -0 user_procs pasta
	[ -z "$output" ]
	# the container lives on, without a network; a second detach, with
	# neither program in PATH, has nothing to do
	kill -0 "$box"
	run -0 H setpriv --reuid "$RL_USER" --regid "$RL_USER" --init-groups \
		env PATH="$CFS_BUILD" cfs-net detach "$box"
	run -125 --separate-stderr H cfs-net attach --mode frob "$box"
	[ "$stderr" = "cfs-net: --mode frob: not bridge, pasta or slirp4netns" ]
	# a file of /proc: no removal ends it, its PID does
	run -125 --separate-stderr H setpriv --reuid "$RL_USER" --regid "$RL_USER" \
		--init-groups cfs-net attach "/proc/$box/ns/net"
	[ "$stderr" = "cfs-net: /proc/$box/ns/net: a file of /proc, which is never removed: name the container by its PID" ]
	# --mode pasta where there is none
	run -125 --separate-stderr H setpriv --reuid "$RL_USER" --regid "$RL_USER" \
		--init-groups env PATH="$CFS_BUILD" cfs-net attach --mode pasta "$box"
	[ "$stderr" = "cfs-net: pasta not found in PATH (Debian packages passt and slirp4netns)" ]
	kill -KILL "$box"
	# a host port taken: said as root's is, and nothing is left
	(exec nsenter -t "$HOST" -n -- busybox nc -l -p 8080 </dev/null >/dev/null 2>&1) &
	nc=$!
	echo $nc >>"$BATS_TEST_TMPDIR/pids"
	for _ in $(seq 50); do H ss -Hltn | grep -q ':8080 ' && break; sleep 0.05; done
	for mode in pasta slirp4netns; do
		run -125 --separate-stderr H setpriv --reuid "$RL_USER" --regid "$RL_USER" \
			--init-groups cfs-unshare --user --map-root-user --net \
			--setup "cfs-net attach --mode $mode -p 8080:80" -- true
		[[ "$stderr" == *"cfs-net: publish tcp 0.0.0.0 8080 80: host port taken: a program on the host uses tcp port 8080"* ]]
	done
	kill "$nc"
	net_clean
}

@test "join as a user: two containers share one localhost" {
	(exec nsenter -t "$HOST" -n -m -- setpriv --reuid "$RL_USER" --regid "$RL_USER" \
		--init-groups cfs-unshare --user --map-auto --net --pid --mount --fork -- \
		cfs-pivot --tmpfs /tmp "$WORK/rootfs" -- sh -c \
		'mkdir /tmp/www && echo "page of a" >/tmp/www/index.html &&
		 exec httpd -f -p 127.0.0.1:80 -h /tmp/www' </dev/null >/dev/null 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	a=$(httpd_pid)
	# b joins a's user and network namespaces, and makes its own others
	for _ in $(seq 20); do
		run H setpriv --reuid "$RL_USER" --regid "$RL_USER" --init-groups \
			cfs-enter --user="/proc/$a/ns/user" --net="/proc/$a/ns/net" --keep-env -- \
			cfs-unshare --pid --mount --fork -- \
			cfs-pivot "$WORK/rootfs" -- wget -q -O - http://127.0.0.1/
		[ "$output" = "page of a" ] && break
		sleep 0.1
	done
	[ "$status" = 0 ]
	[ "$output" = "page of a" ]
	kill -KILL "$a"
	net_clean
}

@test "a user's check, or detach --cni, leaves pasta alone" {
	NET_OPTS="-p 8080:80" user_httpd web
	run -0 fetch H http://127.0.0.1:8080/
	[ "$output" = "page of web" ]
	box=$(httpd_pid)
	# CNI's: no CNI network to check, none to detach from, and nothing
	# of the user's ended
	run -125 --separate-stderr H setpriv --reuid "$RL_USER" --regid "$RL_USER" \
		--init-groups cfs-net check "$box"
	[ "$stderr" = "cfs-net: /proc/$box/ns/net: on no CNI network" ]
	run -0 H setpriv --reuid "$RL_USER" --regid "$RL_USER" --init-groups \
		cfs-net detach --cni t "$box"
	run -0 fetch H http://127.0.0.1:8080/
	[ "$output" = "page of web" ]
	run -0 user_procs pasta
	[ -n "$output" ]
	kill -KILL "$box"
	wait "$chain" || true
	for _ in $(seq 50); do [ -z "$(user_procs .)" ] && break; sleep 0.1; done
	run -0 user_procs .
	[ -z "$output" ]
	net_clean
}

# The user's container with --etc DIR, DIR in the user's own directory:
# it prints its hosts and resolv.conf, then asks its resolver for a
# name. The test's host has its resolver on 127.0.0.53, as
# systemd-resolved has: the question must reach it, through the
# program's DNS forwarder. $1: the forwarder, as resolv.conf names it.
user_names() {
	local forwarder=$1 dir=$WORK/etc
	echo "nameserver 127.0.0.53" >"$BATS_TEST_TMPDIR/resolv.conf"
	H mount --bind "$BATS_TEST_TMPDIR/resolv.conf" /etc/resolv.conf
	H ip addr add 127.0.0.53/8 dev lo
	H nft -f - <<-'NFT'
	table inet dnstest {
		chain out { type filter hook output priority 0; udp dport 53 ip daddr 127.0.0.53 counter; }
	}
	NFT
	run -0 H setpriv --reuid "$RL_USER" --regid "$RL_USER" --init-groups \
		env PATH="${USER_PATH:-$PATH}" \
		cfs-unshare --user --map-auto --uts --pid --mount --net --fork \
		--hostname named --setup "cfs-net attach --etc $dir" -- \
		cfs-pivot --tmpfs /tmp --bind "$dir/hosts:/etc/hosts" \
		--bind "$dir/resolv.conf:/etc/resolv.conf" "$WORK/rootfs" -- \
		sh -c 'cat /etc/hosts /etc/resolv.conf; ls -ln /etc/hosts;
		timeout 3 nslookup example.test >/dev/null 2>&1; true'
	[[ "$output" == *"127.0.0.1	localhost"* ]]
	[[ "$output" == *"$2	named"* ]]
	[[ "$output" == *"nameserver $forwarder"* ]]
	[[ "$output" != *"127.0.0.53"* ]]
	# written by the user (root in the container is the user)
	[[ "$output" == *" 0 "*" 0 "*"/etc/hosts"* ]]
	run -0 H nft list table inet dnstest
	[[ "$output" =~ counter\ packets\ [1-9] ]]
	# gone with the container
	run ! test -e "$dir"
	# a DIR that others may write is refused
	mkdir -m 777 "$WORK/open"
	chown "$RL_USER:" "$WORK/open"
	run -125 --separate-stderr H setpriv --reuid "$RL_USER" --regid "$RL_USER" \
		--init-groups env PATH="${USER_PATH:-$PATH}" cfs-unshare --user \
		--map-root-user --net --setup "cfs-net attach --etc $WORK/open" -- true
	[[ "$stderr" == "cfs-net: use $WORK/open: writable by others"* ]]
	rmdir "$WORK/open"
	for _ in $(seq 50); do [ -z "$(user_procs .)" ] && break; sleep 0.1; done
	run -0 user_procs .
	echo "$output"
	[ -z "$output" ]
}

@test "pasta: --etc names for a user's container, its resolver reachable" {
	user_names 169.254.1.1 192.0.2.1
}

@test "slirp4netns: --etc names for a user's container, its resolver reachable" {
	mkdir -p "$WORK/bin"
	ln -sf /usr/bin/slirp4netns /usr/bin/newuidmap /usr/bin/newgidmap "$WORK/bin"
	USER_PATH="$CFS_BUILD:$WORK/bin" user_names 10.0.2.3 10.0.2.100
}

# Wait (10 s) for the file $1.
wait_file() {
	for _ in $(seq 200); do [ -e "$1" ] && return 0; sleep 0.05; done
	return 1
}

# The user's pasta, slirp4netns and keepers, by their command line or
# (the keeper) name: not a shell whose script names them.
user_net() {
	user_procs "^[0-9]+ ([^ ]*/)?(${1:-pasta|slirp4netns}) "
	pgrep -u "$RL_USER" -a -x cfs-usernet || true
}

# Wait (5 s) until none of them is left.
wait_gone() {
	for _ in $(seq 50); do [ -z "$(user_net)" ] && return 0; sleep 0.1; done
	user_net >&2
	return 1
}

@test "a user's container named by its namespace file: the file's removal, or detach, ends the program" {
	# The user keeps containers in a user and mount namespace of its
	# own (as podman's rootless processes do), where it may bind a
	# namespace on a file: cfs-unshare --persist. In it, the user is
	# root, but not of the host's network: pasta is the default. The steps wait for the test's
	# go-ahead ($W/f/STEP.go) and say they are done ($W/f/STEP).
	F=$WORK/f
	mkdir -p "$F" "$WORK/www"
	echo "page of kept" >"$WORK/www/index.html"
	chown -R "$RL_USER:" "$F" "$WORK/www"
	(exec nsenter -t "$HOST" -n -m -- setpriv --reuid "$RL_USER" --regid "$RL_USER" \
		--init-groups env PATH="$PATH" W="$WORK" \
		cfs-unshare --user --map-root-user --mount -- sh -euxc '
		step() { touch "$W/f/$1"; for i in $(seq 300); do
			[ -e "$W/f/$1.go" ] && return 0; sleep 0.05; done; exit 1; }
		# pasta; the container in our user namespace: pasta is
		# given no other
		cfs-unshare --persist "$W/kept" --net -- \
			busybox httpd -f -p 80 -h "$W/www" &
		for i in $(seq 100); do [ -e "$W/kept/init.pid" ] && break; sleep 0.05; done
		cfs-net attach -p 8080:80 --etc "$W/etc" \
			--hostname kept "$W/kept/net"
		step pasta
		# removed (its init stopped first): the program ends
		cfs-unshare --stop "$W/kept"
		wait
		step removed
		# slirp4netns; the container in a user namespace of its own
		cfs-unshare --persist "$W/kept" --user --map-root-user --net -- \
			busybox httpd -f -p 80 -h "$W/www" &
		for i in $(seq 100); do [ -e "$W/kept/init.pid" ] && break; sleep 0.05; done
		cfs-net attach --mode slirp4netns -p 8080:80 "$W/kept/net"
		step slirp4netns
		cfs-net detach --mode slirp4netns "$W/kept/net"
		step detached
		cfs-unshare --stop "$W/kept"
		wait' </dev/null >"$BATS_TEST_TMPDIR/session.out" 2>&1) &
	echo $! >>"$BATS_TEST_TMPDIR/pids"
	session=$!
	wait_file "$F/pasta" || { cat "$BATS_TEST_TMPDIR/session.out"; false; }
	run -0 fetch O http://192.0.2.1:8080/
	[ "$output" = "page of kept" ]
	# pasta joined the namespace by its keeper's fd
	run -0 user_net pasta
	[[ "$output" == *"--netns /proc/self/fd/4"* && "$output" != *--userns* ]]
	# a file has no hostname: --hostname names it
	run -0 cat "$WORK/etc/hosts"
	[[ "$output" == *"192.0.2.1	kept"* ]]
	touch "$F/pasta.go"
	wait_file "$F/removed"
	wait_gone
	run ! O timeout 2 busybox wget -q -O - http://192.0.2.1:8080/
	run ! test -e "$WORK/etc"
	touch "$F/removed.go"
	wait_file "$F/slirp4netns" || { cat "$BATS_TEST_TMPDIR/session.out"; false; }
	run -0 fetch O http://192.0.2.1:8080/
	[ "$output" = "page of kept" ]
	run -0 user_net slirp4netns
	[[ "$output" == *"--netns-type=path --userns-path=/proc/self/fd/5 /proc/self/fd/4 eth0"* ]]
	touch "$F/slirp4netns.go"
	wait_file "$F/detached" || { cat "$BATS_TEST_TMPDIR/session.out"; false; }
	# detach ended it; the container lives on
	wait_gone
	run ! O timeout 2 busybox wget -q -O - http://192.0.2.1:8080/
	run -0 user_procs '^[0-9]+ busybox httpd'
	[ -n "$output" ]
	touch "$F/detached.go"
	wait "$session" || { cat "$BATS_TEST_TMPDIR/session.out"; false; }
	for _ in $(seq 50); do [ -z "$(user_procs .)" ] && break; sleep 0.1; done
	run -0 user_procs .
	[ -z "$output" ]
	net_clean
}
