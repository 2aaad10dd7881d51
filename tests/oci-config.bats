#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-oci: config.json's fields, each group as the container sees it,
# through cfs-oci run and through the chain cfs-oci chain prints; and
# bundles that try to mislead it. Bundles are written here (config from
# `cfs-oci spec`, edited with python3; root.path a copy of the test
# rootfs, since these containers write to it), state under the test's
# directory.
load common

setup() {
	T=$BATS_TEST_TMPDIR
	R=$T/state
	B=$T/bundle
	mkdir -p "$B"
	chmod 700 "$T"
	cp -a "$ROOTFS" "$B/rootfs"
	cfs-oci spec --bundle "$B"
	edit "c['root']['readonly'] = False"
	host_mounts >"$T/mounts.before"
	host_namespaces >"$T/ns.before"
	hostname >"$T/hostname.before"
	oci_cgroups >"$T/cgroups.before"
}

# Every container a test made is gone, its cgroup and state too.
teardown() {
	local id
	for id in $(ls "$R" 2>/dev/null); do
		cfs-oci --root "$R" delete --force "$id" || true
	done
	oci_cgroups | diff "$T/cgroups.before" -
	rmdir "$R" 2>/dev/null || true
	[ ! -e "$R" ] || { ls -la "$R"; false; }
	host_mounts >"$T/mounts.after"
	diff "$T/mounts.before" "$T/mounts.after"
	hostname | diff "$T/hostname.before" -
	for i in $(seq 10); do
		host_namespaces | comm -13 "$T/ns.before" - |
			not_another_runs >"$T/ns.new"
		[ ! -s "$T/ns.new" ] && return 0
		sleep 0.2
	done
	cat "$T/ns.new" >&2
	return 1
}

# this file's containers are cfg-*: other runs on the machine make others
oci_cgroups() { ls /sys/fs/cgroup/*/cfs 2>/dev/null | grep '^oci-cfg-' | sort || true; }

# edit PYTHON: change the bundle's config c, a dict.
edit() {
	python3 -c "import json, sys
c = json.load(open('$B/config.json'))
$1
json.dump(c, open('$B/config.json', 'w'))"
}

oci() { cfs-oci --root "$R" "$@"; }

# script COMMANDS: the container runs the shell COMMANDS (/t.sh)
script() {
	printf '%s\n' "$1" >"$B/rootfs/t.sh"
	edit "c['process']['args'] = ['/bin/sh', '/t.sh']"
}

# same ID STATUS: run the bundle as ID with cfs-oci run and with the chain
# cfs-oci chain prints; both exit STATUS and print the same: $output.
same() {
	local chain from_chain
	run -0 cfs-oci chain "$B" "$1"
	chain=$output
	run -"$2" bash -c "PATH=$CFS_BUILD:\$PATH; $chain"
	from_chain=$output
	cfs-cgroup --delete "oci-$1"
	run -"$2" oci run --bundle "$B" "$1"
	[ "$output" = "$from_chain" ] || { echo "chain: $chain"; echo "$from_chain"; false; }
	[ ! -e "$R/$1" ]
}

@test "maskedPaths and readonlyPaths: the config's lists, anywhere in the root" {
	mkdir -p "$B/rootfs/secret" "$B/rootfs/ro"
	echo hidden >"$B/rootfs/secret/f"
	echo hidden >"$B/rootfs/etc/secret"
	mknod "$B/rootfs/node" p
	edit "c['linux']['maskedPaths'] = ['/secret', '/etc/secret', '/node', '/missing', '/proc/kcore']
c['linux']['readonlyPaths'] = ['/ro', '/proc/sys']
c['process']['args'] = ['/bin/sh', '-c', 'ls /secret; cat /etc/secret; test -p /node || echo node masked; touch /ro/x || echo ro; touch /tmp/x && echo rw; rm /tmp/x; grep -c . /proc/timer_list >/dev/null && echo timer_list open']"
	run -0 cfs-oci chain "$B" cfg-m1
	[[ "$output" == *" --mask-path=/secret --mask-path=/etc/secret --mask-path=/node --mask-path=/missing --mask-path=/proc/kcore --readonly-path=/ro --readonly-path=/proc/sys "* ]]
	same cfg-m1 0
	[ "${lines[0]}" = "node masked" ]
	[[ "${lines[1]}" == *"Read-only file system" ]]
	[ "${lines[2]}" = ro ]
	[ "${lines[3]}" = rw ]
	# runc's list is not applied on top of the config's
	[ "${lines[4]}" = "timer_list open" ]
	[ ! -e "$B/rootfs/missing" ]
	# both empty: nothing masked
	edit "c['linux']['maskedPaths'] = []
c['linux']['readonlyPaths'] = []"
	run -0 cfs-oci chain "$B" cfg-m1
	[[ "$output" == *" --no-mask-paths "* ]]
}

@test "maskedPaths: a symlink that loops, a relative path: errors, nothing left" {
	ln -s ../loop "$B/rootfs/loop"
	edit "c['linux']['maskedPaths'] = ['/loop']
c['process']['args'] = ['true']"
	run -125 --separate-stderr oci run --bundle "$B" cfg-m2
	[ "$stderr" = "cfs-pivot: mask $B/rootfs/loop: Too many levels of symbolic links" ]
	[ ! -e "$R/cfg-m2" ]
	edit "c['linux']['maskedPaths'] = ['etc']"
	run -125 --separate-stderr oci run --bundle "$B" cfg-m2
	[ "$stderr" = "cfs-oci: linux.maskedPaths[0]: etc: not an absolute path" ]
}

@test "linux.sysctl: written in the container's namespaces only" {
	edit "c['linux']['sysctl'] = {'net.ipv4.ip_forward': '1', 'kernel.shmmax': '12345', 'fs.mqueue.msg_max': '20'}
c['process']['args'] = ['/bin/sh', '-c', 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax /proc/sys/fs/mqueue/msg_max']"
	host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
	host_shm=$(cat /proc/sys/kernel/shmmax)
	same cfg-s1 0
	[ "$output" = "$(printf '1\n12345\n20')" ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_fwd" ]
	[ "$(cat /proc/sys/kernel/shmmax)" = "$host_shm" ]
	# the host's: refused before anything is made
	for kv in "kernel.pid_max:not kept apart by a namespace: it is the host's" \
		  "vm.swappiness:not kept apart by a namespace: it is the host's"; do
		edit "c['linux']['sysctl'] = {'${kv%%:*}': '1'}"
		run -125 --separate-stderr oci run --bundle "$B" cfg-s1
		[ "$stderr" = "cfs-oci: linux.sysctl.${kv%%:*}: ${kv#*:}" ]
	done
	edit "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'ipc']
c['linux']['sysctl'] = {'kernel.shmmax': '1'}"
	run -125 --separate-stderr oci run --bundle "$B" cfg-s1
	[ "$stderr" = "cfs-oci: linux.sysctl.kernel.shmmax: without a new ipc namespace, it is the host's" ]
	# cfs-pivot checks again, where it runs: a name that climbs out
	run -125 --separate-stderr cfs-pivot --sysctl 'net.ipv4/../../kernel/pid_max=5' "$B/rootfs" true
	[ "${stderr_lines[0]}" = "cfs-pivot: --sysctl net.ipv4/../../kernel/pid_max=5: .. in its name" ]
	run -125 --separate-stderr cfs-unshare --mount --fork -- cfs-pivot --sysctl net.ipv4.ip_forward=1 "$B/rootfs" true
	[ "$stderr" = "cfs-pivot: --sysctl net.ipv4.ip_forward=1: our net namespace is the host's: the value would be the host's" ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_fwd" ]
}

@test "linux.devices: nodes made with the spec's defaults, usable" {
	edit "c['linux']['devices'] = [{'path': '/dev/mynull', 'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 0o640, 'uid': 0, 'gid': 5},
	{'path': '/dev/sub/fifo', 'type': 'p'}, {'path': '/dev/myzero', 'type': 'u', 'major': 1, 'minor': 5}]
c['process']['args'] = ['/bin/sh', '-c', 'ls -ln /dev/mynull /dev/sub/fifo /dev/myzero | cut -c1-10,34-49; echo x >/dev/mynull && head -c 3 /dev/myzero | od -An -tx1']"
	run -0 cfs-oci chain "$B" cfg-d1
	[[ "$output" == *" --device=/dev/mynull:c:1:3:0640:0:5 --device=/dev/sub/fifo:p:0:0:0666:0:0 --device=/dev/myzero:c:1:5:0666:0:0 "* ]]
	same cfg-d1 0
	[ "${lines[0]}" = "crw-r-----          0        5 " ] || [[ "${lines[0]}" == "crw-r-----"* ]]
	[[ "${lines[1]}" == "crw-rw-rw-"* ]]
	[[ "${lines[2]}" == "prw-rw-rw-"* ]]
	[ "${lines[3]}" = " 00 00 00" ]
	[ ! -e "$B/rootfs/dev/mynull" ]
	edit "c['linux']['devices'] = [{'path': '/dev/x', 'type': 'q', 'major': 1, 'minor': 3}]"
	run -125 --separate-stderr oci run --bundle "$B" cfg-d1
	[ "$stderr" = "cfs-oci: linux.devices[0].type: q: not c, b, u or p" ]
}

@test "rootfsPropagation: the container's root mount, shared or unbindable" {
	edit "c['linux']['rootfsPropagation'] = 'unbindable'
c['process']['capabilities'] = {k: ['CAP_SYS_ADMIN'] for k in ('bounding', 'effective', 'permitted')}"
	script 'awk "\$5 == \"/\"" /proc/self/mountinfo | grep -o unbindable
mkdir -p /tmp/t; mount --bind / /tmp/t || echo refused'
	run -0 cfs-oci chain "$B" cfg-p1
	[[ "$output" == *" --propagation=unbindable "* ]]
	same cfg-p1 0
	[ "${lines[0]}" = unbindable ]
	[ "${lines[-1]}" = refused ]
	edit "c['linux']['rootfsPropagation'] = 'rshared'"
	script 'awk "\$5 == \"/\"" /proc/self/mountinfo | grep -o "shared:[0-9]*" | cut -d: -f1'
	same cfg-p2 0
	[ "$output" = shared ]
	edit "c['linux']['rootfsPropagation'] = 'sideways'"
	run -125 --separate-stderr oci run --bundle "$B" cfg-p3
	[ "$stderr" = "cfs-oci: linux.rootfsPropagation: sideways: not a propagation" ]
}

@test "unknown properties are ignored, as the spec says; known ones not done are refused" {
	edit "c['notInTheSpec'] = {'x': 1}
c['process']['alsoNot'] = 1
c['linux']['resources']['nor'] = 'this'
c['process']['args'] = ['true']"
	run -0 oci run --bundle "$B" cfg-u1
	edit "c['process']['ioPriority'] = {'class': 'IOPRIO_CLASS_IDLE'}"
	run -125 --separate-stderr oci run --bundle "$B" cfg-u1
	[ "$stderr" = "cfs-oci: process.ioPriority: not mapped by cfs-oci" ]
	[ ! -e "$R/cfg-u1" ]
}

@test "hooks: state on stdin, args, env, timeout; the spec's failure rules" {
	# each hook appends its name, args, env and the state it got
	cat >"$T/hook" <<-HOOK
	#!/bin/sh
	echo "\$1 \$2 \$HOOKENV \$(python3 -c 'import json, sys; s = json.load(sys.stdin); print(s["status"], s["id"], s["pid"] > 0, s["bundle"], s["annotations"]["a"])')" >>"$T/log"
	HOOK
	chmod +x "$T/hook"
	edit "h = lambda kind: {'path': '$T/hook', 'args': ['hook', kind, 'x'], 'env': ['HOOKENV=e-' + kind, 'PATH=/usr/bin:/bin'], 'timeout': 5}
c['hooks'] = {k: [h(k)] for k in ('prestart', 'createRuntime', 'poststart', 'poststop')}
c['annotations'] = {'a': 'b'}
c['process']['args'] = ['sleep', '100']"
	oci create --bundle "$B" cfg-h1
	[ "$(cat "$T/log")" = "$(printf '%s\n' "prestart x e-prestart created cfg-h1 True $B b" "createRuntime x e-createRuntime created cfg-h1 True $B b")" ]
	oci start cfg-h1
	[ "$(sed -n 3p "$T/log")" = "poststart x e-poststart running cfg-h1 True $B b" ]
	oci kill cfg-h1 KILL
	for _ in $(seq 50); do oci state cfg-h1 | grep -q stopped && break; sleep 0.1; done
	# what create read is what runs, whatever config.json says later
	edit "c['hooks'] = {}"
	oci delete cfg-h1
	[ "$(sed -n 4p "$T/log")" = "poststop x e-poststop stopped cfg-h1 False $B b" ]
	[ "$(wc -l <"$T/log")" = 4 ]

	# prestart failing: an error, the container stopped and deleted
	edit "c['hooks'] = {'prestart': [{'path': '/bin/false'}], 'poststart': [{'path': '/bin/true'}]}"
	run -125 --separate-stderr oci create --bundle "$B" cfg-h2
	[ "$stderr" = "cfs-oci: hooks.prestart[0] /bin/false: exited 1" ]
	[ ! -e "$R/cfg-h2" ]
	# a timeout kills the hook: an error too
	edit "c['hooks'] = {'createRuntime': [{'path': '/bin/sleep', 'args': ['sleep', '60'], 'timeout': 1}]}"
	SECONDS=0
	run -125 --separate-stderr oci create --bundle "$B" cfg-h2
	[ "$stderr" = "cfs-oci: hooks.createRuntime[0] /bin/sleep: killed after its timeout of 1s" ]
	[ "$SECONDS" -lt 10 ]
	[ ! -e "$R/cfg-h2" ]
	# poststart and poststop failing: a warning, the lifecycle goes on
	edit "c['hooks'] = {'poststart': [{'path': '/bin/false'}], 'poststop': [{'path': '/nonexistent'}]}
c['process']['args'] = ['true']"
	run -0 --separate-stderr oci run --bundle "$B" cfg-h3
	[ "${stderr_lines[0]}" = "cfs-oci: warning: hooks.poststart[0] /bin/false: exited 1" ]
	[ "${stderr_lines[1]}" = "cfs-oci: warning: hooks.poststop[0] /nonexistent: exited 127 (not found)" ]
	[ ! -e "$R/cfg-h3" ]
	# checked before anything is made; the container's own are refused
	edit "c['hooks'] = {'poststop': [{'path': 'relative'}]}"
	run -125 --separate-stderr oci create --bundle "$B" cfg-h4
	[ "$stderr" = "cfs-oci: hooks.poststop[0].path: missing or not absolute" ]
	edit "c['hooks'] = {'startContainer': [{'path': '/bin/true'}]}"
	run -125 --separate-stderr oci create --bundle "$B" cfg-h4
	[ "$stderr" = "cfs-oci: hooks.startContainer: not mapped by cfs-oci" ]
	[ ! -e "$R/cfg-h4" ]
}
