#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-oci: config.json's fields, each group as the container sees it,
# through cfs-oci run and through the chain cfs-oci chain prints; and
# bundles that try to mislead it. Bundles are written here (config from
# `cfs-oci spec`, edited with python3; root.path a copy of the test
# rootfs, since these containers write to it), state under the test's
# directory.
load common
load helpers/oci

# this file's containers are cfg-*: their cgroups oci-cfg-*
OCI_PREFIX=cfg-

setup() {
	oci_setup
	chmod 700 "$T"
	cp -a "$ROOTFS" "$B/rootfs"
	edit "c['root']['path'] = 'rootfs'
c['root']['readonly'] = False"
}

# script COMMANDS: the container runs the shell COMMANDS (/t.sh)
script() {
	printf '%s\n' "$1" >"$B/rootfs/t.sh"
	edit "c['process']['args'] = ['/bin/sh', '/t.sh']"
}

# same ID STATUS: run the bundle as ID with cfs-oci run and with the chain
# cfs-oci chain prints; both exit STATUS and print the same: $output.
same() {
	local chain from_chain cg
	run -0 cfs-oci chain "$B" "$1"
	chain=$output
	run -"$2" bash -c "PATH=$CFS_BUILD:\$PATH; $chain"
	from_chain=$output
	# the chain's cgroup: cfs-cgroup's NAME, before the first --
	cg=${chain%% -- *}
	cfs-cgroup $([[ "$cg" != *" --absolute "* ]] || echo --absolute) \
		--delete "${cg##* }"
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
	edit "c['linux']['sysctl'] = {'net.a=b': '1'}"
	run -125 --separate-stderr oci run --bundle "$B" cfg-s1
	[ "$stderr" = "cfs-oci: linux.sysctl.net.a=b: a name with '='" ]
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
	# a file already at the path is left as it is, never chmod'ed
	chmod 600 "$B/rootfs/etc/hostname"
	edit "c['linux']['devices'] = [{'path': '/etc/hostname', 'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 0o666}]"
	script 'ls -l /etc/hostname | cut -c1-10'
	same cfg-d1 0
	[ "$output" = "-rw-------" ]
	edit "c['linux']['devices'] = [{'path': '/dev/x', 'type': 'q', 'major': 1, 'minor': 3}]"
	run -125 --separate-stderr oci run --bundle "$B" cfg-d1
	[ "$stderr" = "cfs-oci: linux.devices[0].type: q: not c, b, u or p" ]
}

@test "linux.devices in a user namespace: the host's node bound, as runc does" {
	userns_bundle
	edit "c['linux']['devices'] = [{'path': '/dev/net/tun', 'type': 'c', 'major': 10, 'minor': 200}]
c['process']['args'] = ['/bin/sh', '-c', 'stat -c %F:%t:%T /dev/net/tun']"
	run -0 oci run --bundle "$B" cfg-du1
	[ "$output" = "character special file:a:c8" ]
	# a node of the host that is not the one the entry names: refused
	edit "c['linux']['devices'][0]['minor'] = 201"
	run -125 --separate-stderr oci run --bundle "$B" cfg-du2
	[[ "$stderr" == *"cfs-pivot: --device /dev/net/tun: no mknod in a user namespace, and the host's node is c 10:200, not c 10:201"* ]] || { echo "$stderr"; false; }
	[ ! -e "$R/cfg-du2" ]
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
	cat >"$T/statehook" <<-HOOK
	#!/bin/sh
	$CFS_BUILD/cfs-oci --root $R state cfg-h1 | grep -o '"status": "[a-z]*"' >>"$T/seen"
	HOOK
	chmod +x "$T/statehook"
	edit "h = lambda kind: {'path': '$T/hook', 'args': ['hook', kind, 'x'], 'env': ['HOOKENV=e-' + kind, 'PATH=/usr/bin:/bin'], 'timeout': 5}
c['hooks'] = {k: [h(k)] for k in ('prestart', 'createRuntime', 'poststart', 'poststop')}
c['hooks']['notASpecHook'] = 'ignored'
# a hook may ask cfs-oci for the state while create and start run
for k in ('createRuntime', 'poststart'):
    c['hooks'][k].append({'path': '$T/statehook', 'timeout': 5})
c['annotations'] = {'a': 'b'}
c['process']['args'] = ['sleep', '100']"
	oci create --bundle "$B" cfg-h1
	[ "$(cat "$T/log")" = "$(printf '%s\n' "prestart x e-prestart created cfg-h1 True $B b" "createRuntime x e-createRuntime created cfg-h1 True $B b")" ]
	oci start cfg-h1
	[ "$(sed -n 3p "$T/log")" = "poststart x e-poststart running cfg-h1 True $B b" ]
	[ "$(cat "$T/seen")" = "$(printf '"status": "created"\n"status": "running"')" ]
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
	# (and cfs-unshare's: its --setup, "cfs-oci hook", failed)
	[ "${stderr_lines[0]}" = "cfs-oci: hooks.prestart[0] /bin/false: exited 1" ]
	[ ! -e "$R/cfg-h2" ]
	# a timeout kills the hook: an error too
	edit "c['hooks'] = {'createRuntime': [{'path': '/bin/sleep', 'args': ['sleep', '60'], 'timeout': 1}]}"
	SECONDS=0
	run -125 --separate-stderr oci create --bundle "$B" cfg-h2
	[ "${stderr_lines[0]}" = "cfs-oci: hooks.createRuntime[0] /bin/sleep: killed after its timeout of 1s" ]
	[ "$SECONDS" -lt 10 ]
	[ ! -e "$R/cfg-h2" ]
	# poststart and poststop failing: a warning, the lifecycle goes on
	edit "c['hooks'] = {'poststart': [{'path': '/bin/false'}], 'poststop': [{'path': '/nonexistent'}]}
c['process']['args'] = ['true']"
	run -0 --separate-stderr oci run --bundle "$B" cfg-h3
	[ "${stderr_lines[0]}" = "cfs-oci: warning: hooks.poststart[0] /bin/false: exited 1" ]
	[ "${stderr_lines[1]}" = "cfs-oci: warning: hooks.poststop[0] /nonexistent: No such file or directory" ]
	[ ! -e "$R/cfg-h3" ]
	# checked before anything is made, the container's own too
	edit "c['hooks'] = {'poststop': [{'path': 'relative'}]}"
	run -125 --separate-stderr oci create --bundle "$B" cfg-h4
	[ "$stderr" = "cfs-oci: hooks.poststop[0].path: missing or not absolute" ]
	edit "c['hooks'] = {'startContainer': [{'path': '/bin/true', 'timeout': 0}]}"
	run -125 --separate-stderr oci create --bundle "$B" cfg-h4
	[ "$stderr" = "cfs-oci: hooks.startContainer[0].timeout: not a number of seconds above 0" ]
	[ ! -e "$R/cfg-h4" ]
}

@test "hooks: all six in the spec's order, each where the spec runs it" {
	# one log for all, the container's hooks write it through /log
	mkdir "$T/log"
	touch "$B/rootfs/in-rootfs"
	host_root=$(stat -c %d:%i /)
	host_mnt=$(readlink /proc/self/ns/mnt)
	# on the host: its mount namespace, the container's another one, and
	# the container's / (croot) not yet its rootfs before poststart;
	# createContainer: the container's namespace, its / still the host's
	cat >"$T/hook" <<-HOOK
	#!/bin/sh
	pid=\$(python3 -c 'import json, sys; s = json.load(sys.stdin); print(s["pid"], s["status"])')
	set -- \$1 \$pid
	mnt=other; [ "\$(readlink /proc/self/ns/mnt)" != "$host_mnt" ] || mnt=host
	[ "\$(readlink /proc/self/ns/mnt)" != "\$(readlink /proc/\$2/ns/mnt)" ] || mnt=container
	root=other; [ "\$(stat -c %d:%i /)" != "$host_root" ] || root=host
	croot=host; [ ! -e /proc/\$2/root/in-rootfs ] || croot=rootfs
	echo "\$1 \$3 mnt=\$mnt root=\$root croot=\$croot" >>"$T/log/log"
	HOOK
	chmod +x "$T/hook"
	# startContainer: a path in the container, / its rootfs
	cat >"$B/rootfs/hook" <<-'HOOK'
	#!/bin/sh
	status=$(grep -o '"status":"[a-z]*"')
	mnt=other; [ "$(readlink /proc/self/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ] || mnt=container
	root=other; [ ! -e /in-rootfs ] || root=rootfs
	echo "$1 ${status#*:} mnt=$mnt root=$root" >>/log/log
	HOOK
	chmod +x "$B/rootfs/hook"
	edit "h = lambda kind: {'path': '$T/hook', 'args': ['hook', kind], 'timeout': 10}
c['hooks'] = {k: [h(k)] for k in ('prestart', 'createRuntime', 'createContainer', 'poststart')}
c['hooks']['startContainer'] = [{'path': '/hook', 'args': ['hook', 'startContainer']}]
c['hooks']['poststop'] = [{'path': '/bin/sh', 'args': ['sh', '-c', 'echo poststop >>$T/log/log']}]
c['mounts'].append({'destination': '/log', 'type': 'bind', 'source': '$T/log', 'options': ['bind']})
c['process']['args'] = ['sleep', '100']"
	oci create --bundle "$B" cfg-h5
	oci start cfg-h5
	oci kill cfg-h5 KILL
	for _ in $(seq 50); do oci state cfg-h5 | grep -q stopped && break; sleep 0.1; done
	oci delete cfg-h5
	diff - "$T/log/log" <<-LOG
	prestart created mnt=host root=host croot=host
	createRuntime created mnt=host root=host croot=host
	createContainer created mnt=container root=host croot=host
	startContainer "created" mnt=container root=rootfs
	poststart running mnt=host root=host croot=rootfs
	poststop
	LOG
}

@test "hooks: createContainer, startContainer failing: nothing started" {
	edit "c['hooks'] = {'createContainer': [{'path': '/bin/false'}], 'poststop': [{'path': '/bin/true'}]}
c['process']['args'] = ['sh', '-c', 'echo ran >/ran']"
	run -125 --separate-stderr oci create --bundle "$B" cfg-h6
	[ "${stderr_lines[0]}" = "cfs-pivot: hooks.createContainer[0] /bin/false: exited 1" ]
	[ ! -e "$R/cfg-h6" ]
	# its timeout kills it: an error too
	edit "c['hooks'] = {'createContainer': [{'path': '/bin/sleep', 'args': ['sleep', '60'], 'timeout': 1}]}"
	SECONDS=0
	run -125 --separate-stderr oci create --bundle "$B" cfg-h6
	[ "${stderr_lines[0]}" = "cfs-pivot: hooks.createContainer[0] /bin/sleep: killed after its timeout of 1s" ]
	[ "$SECONDS" -lt 10 ]
	[ ! -e "$R/cfg-h6" ]
	# startContainer: start fails, the program never runs, delete ends it
	edit "c['hooks'] = {'startContainer': [{'path': '/bin/false'}]}"
	oci create --bundle "$B" cfg-h6
	run -125 --separate-stderr oci start cfg-h6
	[ "$stderr" = "cfs-oci: start cfg-h6: a startContainer hook failed: the container is stopped" ]
	oci state cfg-h6 | grep -q '"status": "stopped"'
	oci delete cfg-h6
	[ ! -e "$B/rootfs/ran" ]
	# run: the same, and nothing left
	run -125 --separate-stderr oci run --bundle "$B" cfg-h7
	[ ! -e "$B/rootfs/ran" ]
	[ ! -e "$R/cfg-h7" ]
}

@test "linux.namespaces[].path: joined (cfs-unshare --join), the others made new" {
	cfs-unshare --uts --ipc --net -- sleep 1000 &
	holder=$!
	echo $holder >>"$T/pids"
	for _ in $(seq 50); do
		[ "$(readlink /proc/$holder/ns/net)" = "$(readlink /proc/self/ns/net)" ] || break
		sleep 0.1
	done
	edit "for n in c['linux']['namespaces']:
    if n['type'] in ('uts', 'network', 'ipc'):
        n['path'] = '/proc/$holder/ns/' + {'network': 'net'}.get(n['type'], n['type'])"
	script 'for n in uts net ipc mnt; do readlink /proc/self/ns/$n; done; hostname'
	run -0 cfs-oci chain "$B" cfg-j1
	[[ "$output" == *"cfs-unshare --pid --join=net:/proc/$holder/ns/net --join=ipc:/proc/$holder/ns/ipc --join=uts:/proc/$holder/ns/uts --mount --cgroup --hostname=cfs -- "* ]]
	same cfg-j1 0
	[ "${lines[0]}" = "$(readlink /proc/$holder/ns/uts)" ]
	[ "${lines[1]}" = "$(readlink /proc/$holder/ns/net)" ]
	[ "${lines[2]}" = "$(readlink /proc/$holder/ns/ipc)" ]
	[ "${lines[3]}" != "$(readlink /proc/$holder/ns/mnt)" ]
	[ "${lines[4]}" = cfs ]
	# a path of another type, or relative: refused before anything
	edit "c['linux']['namespaces'][0]['path'] = '/proc/$holder/ns/net'"
	run -125 --separate-stderr oci run --bundle "$B" cfg-j1
	[ "$stderr" = "cfs-unshare: /proc/$holder/ns/net: a net namespace, not pid" ]
	[ ! -e "$R/cfg-j1" ]
	edit "c['linux']['namespaces'][0]['path'] = 'ns/pid'"
	run -125 --separate-stderr oci run --bundle "$B" cfg-j1
	[ "$stderr" = "cfs-oci: linux.namespaces[0].path: ns/pid: not absolute" ]
	# joining the host's UTS namespace would rename the host
	run -125 --separate-stderr cfs-unshare --join uts:/proc/self/ns/uts --hostname x true
	[ "$stderr" = "cfs-unshare: --hostname with --join uts:...: that namespace is the host's: it would rename the host" ]
}

@test "cgroupsPath absolute: below each hierarchy's root, checked; gone after delete" {
	echo /cfg-abs-$$/box >>"$T/rm-cgroups"
	edit "c['linux']['cgroupsPath'] = '/cfg-abs-$$/box'
c['linux']['resources']['pids'] = {'limit': 42}
c['process']['args'] = ['cat', '/proc/self/cgroup']"
	run -0 cfs-oci chain "$B" cfg-a1
	[[ "$output" == "cfs-cgroup --pids=42 --absolute cfg-abs-$$/box -- "* ]]
	same cfg-a1 0
	# in its own cgroup namespace, the container sees its cgroup as /
	[[ "$output" == *"pids:/"$'\n'* ]]
	oci create --bundle "$B" cfg-a1
	[ "$(cat /sys/fs/cgroup/pids/cfg-abs-$$/box/pids.max)" = 42 ]
	oci delete --force cfg-a1
	[ ! -e /sys/fs/cgroup/pids/cfg-abs-$$/box ]
	# the parent it made is the caller's to remove, as with runc
	rmdir /sys/fs/cgroup/*/cfg-abs-$$
	# what would climb out, or take the cfs parent, is refused
	for p in /../etc /cfg/../x /cfs /cfs/oci-x; do
		edit "c['linux']['cgroupsPath'] = '$p'"
		run -125 --separate-stderr oci create --bundle "$B" cfg-a2
		[[ "$stderr" == "cfs-"*": "*"${p#/}: "* ]] || { echo "$p: $stderr"; false; }
		[ ! -e "$R/cfg-a2" ]
	done
}

@test "resources: cpu shares and a period of v1, device rules in order (v1 devices)" {
	[ -d /sys/fs/cgroup/devices ] || { echo "this test wants the v1 devices and cpu controllers" >&2; false; }
	edit "c['linux']['resources'] = {'cpu': {'shares': 1024, 'quota': 200000, 'period': 500000},
	'devices': [{'allow': False, 'access': 'rwm'}, {'allow': True, 'type': 'c', 'major': 10, 'minor': 229, 'access': 'rwm'}, {'allow': True, 'type': 'b', 'major': 8, 'minor': 20, 'access': 'r'}]}
c['process']['args'] = ['sh', '-c', 'echo ok >/dev/null && cat /dev/null && echo devices work']"
	run -0 cfs-oci chain "$B" cfg-r1
	[[ "$output" == "cfs-cgroup --set=cpu.shares=1024 --set=cpu.cfs_period_us=500000 --set=cpu.cfs_quota_us=200000 --set=devices.deny=a '--set=devices.allow=c 10:229 rwm' '--set=devices.allow=b 8:20 r' '--set=devices.allow=c *:* m' "* ]]
	same cfg-r1 0
	[ "$output" = "devices work" ]
	edit "c['process']['args'] = ['sleep', '100']"
	oci create --bundle "$B" cfg-r1
	d=/sys/fs/cgroup/devices/cfs/oci-cfg-r1
	[ "$(head -2 $d/devices.list)" = "$(printf 'c 10:229 rwm\nb 8:20 r')" ]
	[ "$(cat /sys/fs/cgroup/cpu/cfs/oci-cfg-r1/cpu.shares)" = 1024 ]
	[ "$(cat /sys/fs/cgroup/cpu/cfs/oci-cfg-r1/cpu.cfs_quota_us)" = 200000 ]
	oci delete --force cfg-r1
	edit "c['linux']['resources'] = {'devices': [{'allow': True, 'type': 'x'}]}"
	run -125 --separate-stderr oci create --bundle "$B" cfg-r1
	[ "$stderr" = "cfs-oci: linux.resources.devices[0].type: x: not a, c or b" ]
}

@test "process.user with CAP_SETPCAP in all five sets (runtime-tools' default) keeps it" {
	edit "caps = ['CAP_SETPCAP', 'CAP_KILL']
c['process']['capabilities'] = {k: caps for k in ('bounding', 'effective', 'permitted', 'inheritable', 'ambient')}
c['process']['user'] = {'uid': 10, 'gid': 10, 'additionalGids': [5]}
c['process']['args'] = ['sh', '-c', 'id; grep -E \"^Cap(Eff|Amb)\" /proc/self/status']"
	same cfg-c1 0
	[ "${lines[0]}" = "uid=10 gid=10 groups=5(tty)" ]
	[ "${lines[1]}" = "CapEff:	0000000000000120" ]
	[ "${lines[2]}" = "CapAmb:	0000000000000120" ]
}

@test "mounts: options and propagation of binds and tmpfs; a destination through a symlink stays in the root" {
	mkdir -p "$T/src"
	echo data >"$T/src/f"
	ln -s /etc "$B/rootfs/evil"
	edit "c['mounts'] += [
	{'destination': '/mnt/b', 'source': '$T/src', 'options': ['rbind', 'nosuid', 'noexec', 'strictatime', 'mode=755', 'size=1k', 'rshared', 'ro']},
	{'destination': '/mnt/t', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['nosuid', 'strictatime', 'mode=700', 'size=1k', 'unbindable']},
	{'destination': '/evil/inside', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['private']}]"
	script 'awk "\$5 ~ /^\/(mnt|etc)/ { print \$5, \$6, \$7 }" /proc/self/mountinfo; cat /mnt/b/f'
	run -0 cfs-oci chain "$B" cfg-t1
	[[ "$output" == *" --bind=$T/src:/mnt/b:ro,nosuid,noexec,strictatime,rshared --tmpfs=/mnt/t:strictatime,mode=700,size=1k,unbindable --tmpfs=/evil/inside:private "* ]]
	same cfg-t1 0
	[[ "${lines[0]}" == "/mnt/b ro,nosuid,nodev,noexec shared:"* ]]
	[ "${lines[1]}" = "/mnt/t rw,nosuid,nodev unbindable" ]
	# /evil is /etc of the new root: the mount is there, never on the host's
	[ "${lines[2]}" = "/etc/inside rw,nosuid,nodev,relatime -" ]
	[ "${lines[3]}" = data ]
	[ ! -e /etc/inside ]
	[ -d "$B/rootfs/etc/inside" ]
	edit "c['mounts'][-1]['options'] = ['private', 'dirsync']"
	run -125 --separate-stderr oci run --bundle "$B" cfg-t1
	[ "$stderr" = "cfs-oci: mounts[8].options[1]: dirsync: not mapped by cfs-oci" ]
}

# cgmount [ro|rw]: config.json's mounts get the cgroup mount podman asks
# for (ro: its options with ro, as podman's unprivileged containers have)
cgmount() {
	edit "c['mounts'].append({'destination': '/sys/fs/cgroup', 'type': 'cgroup', 'source': 'cgroup', 'options': ['nosuid', 'noexec', 'nodev', 'relatime'] + (['ro'] if '$1' == 'ro' else ['rw'])})
c['linux']['resources'] = {'memory': {'limit': 67108864}, 'pids': {'limit': 33}, 'cpu': {'quota': 50000, 'period': 100000}}"
}

# what a container shows of /sys/fs/cgroup, v1 (a hybrid host too) or v2;
# the cgroups of these tests are ocicg-* (cgroupsPath), out of the way of
# other trees' oci-exec.bats, whose teardown deletes every new oci-*
CGVIEW='cd /sys/fs/cgroup
if [ -d memory ]; then
	echo $(ls)
	cat memory/memory.limit_in_bytes pids/pids.max cpu/cpu.cfs_quota_us
else
	echo v2
	cat memory.max pids.max cpu.max
fi
grep " /sys/fs/cgroup[/ ]" /proc/self/mountinfo | cut -d" " -f6 | sort -u
find /sys/fs/cgroup -name "ocicg-*" -o -name cfs | wc -l
echo $(find /sys/fs/cgroup -name cgroup.procs | wc -l) cgroups
echo 30 >$(ls -d /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids/pids.max 2>/dev/null) && echo written; true'

@test "mounts: a cgroup mount shows the container its own cgroups, read-only, no other's" {
	# another container, with a cgroup of its own
	edit "c['process']['args'] = ['sleep', '100']
c['linux']['cgroupsPath'] = 'ocicg-cg2'"
	oci create --bundle "$B" cfg-cg2
	cgmount ro
	script "$CGVIEW"
	edit "c['linux']['cgroupsPath'] = 'ocicg-cg1'"
	run -0 cfs-oci chain "$B" cfg-cg1
	[[ "$output" == *" --cgroupfs=ocicg-cg1 "* ]]
	[[ "$output" != *"--cgroupfs-rw"* ]]
	same cfg-cg1 0
	if [ "${lines[0]}" = v2 ]; then
		[ "${lines[1]}" = 67108864 ]
		[ "${lines[3]}" = "50000 100000" ]
	else
		# runc's v1 view: the hierarchies the container has a cgroup
		# in, each its own; not the hybrid host's empty v2 one
		[ "${lines[0]}" = "cpu cpuacct memory pids" ]
		[ "${lines[1]}" = 67108864 ]
		[ "${lines[3]}" = 50000 ]
	fi
	[ "${lines[2]}" = 33 ]
	[ "${lines[4]}" = "ro,nosuid,nodev,noexec,relatime" ]
	# nothing of the other container's, nor the cfs parent
	[ "${lines[5]}" = 0 ]
	# no cgroup below its own: one for each hierarchy shown
	[[ "${lines[6]}" == [1-4]" cgroups" ]]
	[[ "${lines[7]}" == *"Read-only file system" ]]
	[ "${#lines[@]}" = 8 ]
	[ "$(cat /sys/fs/cgroup/pids/cfs/ocicg-cg2/pids.max 2>/dev/null ||
		cat /sys/fs/cgroup/cfs/ocicg-cg2/pids.max)" = max ]
}

@test "mounts: a cgroup mount rw is the container's own cgroup writable, and nothing else" {
	edit "c['process']['args'] = ['sleep', '100']
c['linux']['cgroupsPath'] = 'ocicg-cg4'"
	oci create --bundle "$B" cfg-cg4
	cgmount rw
	# without a cgroup namespace too: the same view
	edit "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'cgroup']"
	script "$CGVIEW"
	edit "c['linux']['cgroupsPath'] = 'ocicg-cg3'"
	run -0 cfs-oci chain "$B" cfg-cg3
	[[ "$output" == *" --cgroupfs=ocicg-cg3 --cgroupfs-rw "* ]]
	[[ "$output" != *" --cgroup "* ]]
	edit "c['process']['args'] = ['/bin/sh', '-c', '/bin/sh /t.sh; sleep 100']"
	oci create --bundle "$B" cfg-cg3
	oci start cfg-cg3
	pids=/sys/fs/cgroup/pids/cfs/ocicg-cg3
	[ -d /sys/fs/cgroup/pids ] || pids=/sys/fs/cgroup/cfs/ocicg-cg3
	for i in $(seq 50); do
		[ "$(cat "$pids/pids.max")" != 33 ] && break
		sleep 0.1
	done
	# what the container wrote is its own cgroup's limit
	[ "$(cat "$pids/pids.max")" = 30 ]
	[ "$(cat /sys/fs/cgroup/pids/cfs/ocicg-cg4/pids.max 2>/dev/null ||
		cat /sys/fs/cgroup/cfs/ocicg-cg4/pids.max)" = max ]
	oci delete --force cfg-cg3
}
