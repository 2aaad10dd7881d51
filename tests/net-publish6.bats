#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-net --publish over IPv6: a port published on every address is
# reached at the host's IPv6 addresses too, DNAT to the container's ULA;
# [ADDR]:HOSTPORT:CTRPORT publishes on one IPv6 address. In the test's
# own host and outside namespaces (tests/helpers/net.bash), with
# documentation addresses (2001:db8::/32, RFC 3849).
load common
load helpers/net

eval "common_$(declare -f setup)"

setup() {
	common_setup
	net_setup
	H ip -6 addr add 2001:db8::1/64 dev vh nodad
	O ip -6 addr add 2001:db8::2/64 dev vo nodad
}

@test "-p 8080:80 and -p [2001:db8::1]:8081:80 reach the container's ULA" {
	NET_OPTS="-p 8080:80 -p [2001:db8::1]:8081:80" httpd_container web
	lease_of web
	# from the outside and from the host, at the host's IPv6 address
	run -0 fetch O "http://[2001:db8::1]:8080/"
	[ "$output" = "page of web" ]
	run -0 fetch H "http://[2001:db8::1]:8080/"
	[ "$output" = "page of web" ]
	run -0 fetch O "http://[2001:db8::1]:8081/"
	[ "$output" = "page of web" ]
	# IPv4 still, and 8081 on IPv6 only
	run -0 fetch O http://192.0.2.1:8080/
	[ "$output" = "page of web" ]
	run ! O timeout 2 busybox wget -q -O - http://192.0.2.1:8081/
	# the rules are gone with the container
	kill -KILL "$LEASE_PID"
	net_clean
}

@test "-p [::1]:... is refused: IPv6 has no route_localnet" {
	run -125 --separate-stderr H cfs-net attach -p '[::1]:8080:80' 1
	[[ "$stderr" == *"--publish [::1]:8080:80: not"* ]]
	# and --no-ipv6 publishes on IPv4 alone
	NET_OPTS="--no-ipv6 -p 8080:80" httpd_container web
	lease_of web
	run -0 fetch O http://192.0.2.1:8080/
	run ! O timeout 2 busybox wget -q -O - "http://[2001:db8::1]:8080/"
	kill -KILL "$LEASE_PID"
	net_clean
}
