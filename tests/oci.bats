#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-oci: runc's command line over the chain, with bundles written here
# (config from `cfs-oci spec`, edited with python3; root.path the test
# rootfs, read-only) and state under the test's directory.
load common

load helpers/oci
load helpers/console

@test "--help, --version, unknown option, command or field: 125" {
	run -0 cfs-oci --help
	[[ "$output" == *"--root=DIR"* ]]
	run -0 cfs-oci --version
	run -125 --separate-stderr cfs-oci --bogus list
	run -125 --separate-stderr cfs-oci frobnicate
	[ "${stderr_lines[0]}" = "cfs-oci: frobnicate: not a command" ]
	run -125 --separate-stderr cfs-oci
	[ "${stderr_lines[0]}" = "cfs-oci: no COMMAND given" ]
	run -125 --separate-stderr cfs-oci --systemd-cgroup list
	[ "$stderr" = "cfs-oci: --systemd-cgroup: cfs-oci drives cgroupfs (cfs-cgroup), not systemd" ]
	# runc's global options engines pass are accepted
	run -0 cfs-oci --root "$R" --log "$T/log" --log-format json --debug list
	[ -f "$T/log" ]
	run -125 --separate-stderr oci state 'a/b'
	[[ "$stderr" == "cfs-oci: container ID a/b: 1 to 200 of"* ]]
	run -125 --separate-stderr oci state nosuch
	[ "$stderr" = "cfs-oci: container nosuch does not exist" ]
}

@test "spec writes runc's default as cfs-oci maps it, once; features" {
	run -0 python3 -c "import json; c = json.load(open('$B/config.json'))
print(c['ociVersion'], c['process']['args'], c['process']['terminal'], c['root']['readonly'])
print(sorted(n['type'] for n in c['linux']['namespaces']))"
	[ "${lines[0]}" = "1.1.0 ['sh'] False True" ]
	[ "${lines[1]}" = "['cgroup', 'ipc', 'mount', 'network', 'pid', 'uts']" ]
	run -125 --separate-stderr cfs-oci spec --bundle "$B"
	[ "$stderr" = "cfs-oci: write $B/config.json: File exists" ]
	mkdir "$T/rl"
	cfs-oci spec --rootless --bundle "$T/rl"
	run -0 python3 -c "import json; c = json.load(open('$T/rl/config.json'))
print(c['linux']['uidMappings'][0]['hostID'], 'user' in [n['type'] for n in c['linux']['namespaces']])"
	[ "$output" = "$(id -u) True" ]
	run -0 cfs-oci features
	run -0 python3 -c "import json, sys; f = json.loads(sys.argv[1])
print(f['ociVersionMax'], f['linux']['cgroup']['systemd'], 'time' in f['linux']['namespaces'])" "$output"
	[ "$output" = "1.1.0 False True" ]
}

@test "chain prints the chain; run makes the same container and passes its status" {
	edit "c['process']['args'] = ['/bin/sh', '-c', 'hostname; cat /proc/self/uid_map; grep -E \"^(CapEff|NoNewPrivs|Seccomp):\" /proc/self/status; ulimit -n; exit 3']
c['hostname'] = 'oci-box'"
	run -0 cfs-oci chain "$B" c1
	[ "$output" = "cfs-cgroup oci-c1 -- cfs-unshare --pid --net --ipc --uts --mount --cgroup --hostname=oci-box -- cfs-pivot --no-seccomp --wd=/ --setenv=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --setenv=TERM=xterm --cap-drop=ALL --cap-add=CAP_AUDIT_WRITE --cap-add=CAP_KILL --cap-add=CAP_NET_BIND_SERVICE --rlimit=RLIMIT_NOFILE=1024:1024 --read-only $ROOTFS -- /bin/sh -c 'hostname; cat /proc/self/uid_map; grep -E \"^(CapEff|NoNewPrivs|Seccomp):\" /proc/self/status; ulimit -n; exit 3'" ]
	# the printed chain, run by the shell, and cfs-oci run: the same
	chain=$output
	run -3 bash -c "PATH=$CFS_BUILD:\$PATH; $chain"
	from_chain=$output
	cfs-cgroup --delete oci-c1
	run -3 oci run --bundle "$B" c1
	[ "$output" = "$from_chain" ]
	[ "${lines[0]}" = oci-box ]
	[[ "${lines[1]}" == *"0          0 4294967295" ]]
	[ "${lines[2]}" = "CapEff:	0000000020000420" ]
	[ "${lines[3]}" = "NoNewPrivs:	1" ]
	[ "${lines[5]}" = 1024 ]
	gone c1
}

@test "create leaves the init blocked before its program, a child of the subreaper; start runs it" {
	edit "c['process']['args'] = ['/bin/sh', '-c', 'echo started >/proc/1/fd/1; exit 5']"
	run -0 "$REAPER" bash -c "
		cfs-oci --root $R create --bundle $B --pid-file $T/pid c2 || exit 1
		pid=\$(cat $T/pid)
		echo parent \$(awk '{print \$4}' /proc/\$pid/stat) self \$PPID
		cfs-oci --root $R state c2 | grep -E '\"(status|pid)\"' | tr -d ' ,'
		cfs-oci --root $R start c2
		sleep 0.3"
	pid=$(cat "$T/pid")
	# no cfs process between the init and the subreaper, its parent
	[[ "${lines[0]}" =~ ^parent\ ([0-9]+)\ self\ ([0-9]+)$ ]]
	[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
	[ "${lines[1]}" = '"status":"created"' ]
	[ "${lines[2]}" = "\"pid\":$pid" ]
	[ "${lines[3]}" = started ]
	[ "${lines[4]}" = "program 0" ]
	# and the subreaper gets its exit status
	[ "${lines[5]}" = "reaped $pid 5" ]
	run -0 oci state c2
	[[ "$output" == *'"status": "stopped"'* ]]
	oci delete c2
	gone c2
}

@test "kill: names and numbers, --all; delete refuses a running one without --force" {
	edit "c['process']['args'] = ['/bin/sleep', '100']"
	oci create --bundle "$B" k1
	run -125 --separate-stderr oci create --bundle "$B" k1
	[ "$stderr" = "cfs-oci: container k1 exists" ]
	run -125 --separate-stderr oci start nosuch
	oci start k1
	run -0 oci list
	[[ "${lines[1]}" == "k1	"*"	running	$B	"* ]]
	run -0 oci list --format json
	[[ "$output" == *'"status": "running"'* ]]
	run -125 --separate-stderr oci start k1
	[ "$stderr" = "cfs-oci: container k1 is running, not created" ]
	run -125 --separate-stderr oci delete k1
	[ "$stderr" = "cfs-oci: container k1 is running: stop it (cfs-oci kill) or add --force" ]

	run -125 --separate-stderr oci kill k1 NOSUCH
	[ "$stderr" = "cfs-oci: kill k1: unknown signal NOSUCH" ]
	# sleep as PID 1 ignores TERM; KILL by number
	oci kill k1 SIGTERM
	oci kill k1 9
	for i in $(seq 50); do oci state k1 | grep -q stopped && break; sleep 0.1; done
	run -0 oci state k1
	[[ "$output" == *'"status": "stopped"'* ]]
	run -125 --separate-stderr oci kill k1 KILL
	[ "$stderr" = "cfs-oci: kill k1: container not running (it is stopped)" ]
	oci delete k1
	gone k1
	# --all, then delete --force of a running one
	oci create --bundle "$B" k2
	oci start k2
	oci kill --all k2 KILL
	for i in $(seq 50); do oci state k2 | grep -q stopped && break; sleep 0.1; done
	oci state k2 | grep -q stopped
	oci delete k2
	oci run -d --bundle "$B" k3
	oci state k3 | grep -q running
	oci delete --force k3
	gone k3
}

@test "delete of a created container, and of one whose create was killed" {
	edit "c['process']['args'] = ['/bin/true']"
	oci create --bundle "$B" d1
	run -125 --separate-stderr oci delete d1
	[ "$stderr" = "cfs-oci: container d1 is created: stop it (cfs-oci kill) or add --force" ]
	oci delete --force d1
	gone d1
	# a create killed midway: state without a pid, a delete removes it
	mkdir -p "$R/d2"
	run -0 oci state d2
	[[ "$output" == *'"status": "creating"'* ]]
	oci delete d2
	gone d2
	# one that does not exist: an error, but done with --force (runc's)
	run -125 --separate-stderr oci delete d3
	[ "$stderr" = "cfs-oci: container d3 does not exist" ]
	run -0 oci delete --force d3
	[ -z "$output" ]
}

@test "a relative cgroupsPath a/b: made under cfs-cgroup's parent, gone with its parent after delete" {
	cg=oci-test-$$
	edit "c['linux']['cgroupsPath'] = '$cg/inner'; c['process']['args'] = ['sleep', '100']"
	oci create --bundle "$B" p1
	cfs-cgroup --list | grep -qx "$cg/inner"
	oci delete --force p1
	gone p1
	! cfs-cgroup --list | grep -q "^$cg" || { cfs-cgroup --list; false; }
}

@test "fields not mapped are errors naming them; nothing is left" {
	check() {
		cp "$B/config.json" "$T/saved.json"
		edit "$1"
		run -125 --separate-stderr oci create --bundle "$B" f1
		[ "$stderr" = "${3-cfs-oci: }$2" ] || { echo "$stderr"; false; }
		gone f1
		cp "$T/saved.json" "$B/config.json"
	}
	check "c['process']['ioPriority'] = {'class': 'IOPRIO_CLASS_IDLE'}" "process.ioPriority: not mapped by cfs-oci"
	check "c['process']['terminal'] = True" "process.terminal: true needs --console-socket"
	check "c['process']['terminal'] = True
c['process']['consoleSize'] = {'height': '31', 'width': 97}" "process.consoleSize.height: not an integer from 0 to 65535"
	check "c['process']['terminal'] = True
c['process']['consoleSize'] = {'height': 31, 'width': 65536}" "process.consoleSize.width: not an integer from 0 to 65535"
	check "c['process']['terminal'] = True
c['process']['consoleSize'] = {'height': 31}" "process.consoleSize.width: missing"
	check "c['process']['terminal'] = True
c['process']['consoleSize'] = [31, 97]" "process.consoleSize: not an object"
	check "c['linux']['sysctl'] = {'kernel.pid_max': '5'}" "linux.sysctl.kernel.pid_max: not kept apart by a namespace: it is the host's"
	check "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'network']
c['linux']['sysctl'] = {'net.ipv4.ip_forward': '1'}" "linux.sysctl.net.ipv4.ip_forward: without a new network namespace, it is the host's"
	check "c['hooks'] = {'createContainer': [{'path': 'true'}]}" "hooks.createContainer[0].path: missing or not absolute"
	check "c['mounts'].append({'destination': '/cg', 'type': 'cgroup', 'source': 'cgroup'})" "mounts[6]: a cgroup mount on /cg is not mapped by cfs-oci (only on /sys/fs/cgroup)"
	check "c['process']['capabilities']['effective'] = []" "process.capabilities.effective: not mapped by cfs-oci: it differs from process.capabilities.bounding (cfs-pivot keeps one set)"
	check "c['solaris'] = {'milestone': 'x'}" "solaris: not mapped by cfs-oci"
	check "c['linux']['maskedPaths'] = ['proc/kcore']" "linux.maskedPaths[0]: proc/kcore: not an absolute path"
	check "c['linux']['devices'] = [{'path': '/dev/x', 'type': 'c'}]" "linux.devices[0]: major and minor are needed"
	check "c['linux']['resources']['memory'] = {'reservation': 1}" "linux.resources.memory.reservation: not mapped by cfs-oci"
	# wrong types
	check "c['process']['args'] = 'sh'" "process.args: not an array"
	check "c['hostname'] = 5" "hostname: not a string"
	check "c['process']['user']['uid'] = -1" "process.user.uid: not an integer from 0 to 4294967294"
	check "c['root']['readonly'] = 'yes'" "root.readonly: not true or false"
	check "c['linux']['namespaces'] = [{'type': 'pid'}, {'type': 'pid'}]" "linux.namespaces[1]: a second pid namespace"
	# the mapped ones reach the tools
	check "c['linux']['resources']['memory'] = {'limit': 1}" "cfs-cgroup: --memory 1: below 6M, the least a process starts in" ""
	[ -z "$(ls "$R")" ]
}

@test "hostile bundles: non-JSON, 100 MB, a symlinked config, a rootfs whose /proc is a symlink" {
	echo '{"ociVersion": ' >"$B/config.json"
	run -125 --separate-stderr oci create --bundle "$B" h1
	[[ "$stderr" == "cfs-oci: read $B/config.json: not JSON: line 2: "* ]]
	head -c 100M /dev/zero | tr '\0' ' ' >"$B/config.json"
	run -125 --separate-stderr oci create --bundle "$B" h1
	[[ "$stderr" == "cfs-oci: "*"config.json"*"larger than"* ]]
	echo '[1]' >"$B/config.json"
	run -125 --separate-stderr oci create --bundle "$B" h1
	[ "$stderr" = "cfs-oci: read $B/config.json: not a JSON object" ]
	rm "$B/config.json"
	ln -s /etc/hostname "$B/config.json"
	run -125 --separate-stderr oci create --bundle "$B" h1
	[[ "$stderr" == "cfs-oci: "*"config.json"* ]]
	rm "$B/config.json"
	cfs-oci spec --bundle "$B"
	mkdir -p "$B/rootfs/bin" "$B/rootfs/sys" "$B/rootfs/dev"
	ln -s /etc "$B/rootfs/proc"
	run -125 --separate-stderr oci create --bundle "$B" h1
	[[ "$stderr" == "cfs-pivot: "*"/proc"* ]]
	gone h1
	[ -z "$(ls "$R")" ]
	[ "$(readlink "$B/rootfs/proc")" = /etc ]
}

@test "runtime-tools' process fields: five equal capability sets, umask, oomScoreAdj, a user" {
	edit "caps = c['process']['capabilities']['bounding']
for s in ('inheritable', 'ambient'):
    c['process']['capabilities'][s] = caps
c['process']['user'] = {'uid': 0, 'gid': 0, 'umask': 18}
c['process']['oomScoreAdj'] = 100
c['process']['args'] = ['/bin/sh', '-c', 'grep -E \"^Cap(Inh|Amb):\" /proc/self/status; umask; cat /proc/self/oom_score_adj']"
	run -0 cfs-oci chain "$B"
	[[ "$output" == *" --umask=22 "* ]]
	[[ "$output" == *" --oom-score-adj=100 "* ]]
	[[ "$output" == *" --cap-ambient "* ]]
	run -0 oci run --bundle "$B" p1
	[ "$output" = "CapInh:	0000000020000420
CapAmb:	0000000020000420
0022
100" ]
	# another user, and an ambient set without the inheritable one
	edit "c['process']['user'] = {'uid': 1000, 'gid': 1000, 'additionalGids': [5, 6]}"
	run -0 cfs-oci chain "$B"
	[[ "$output" == *" --groups=5,6 --user=1000:1000 "* ]]
	edit "c['process']['capabilities']['inheritable'] = []"
	run -125 --separate-stderr cfs-oci chain "$B"
	[ "$stderr" = "cfs-oci: process.capabilities.ambient: not mapped by cfs-oci: it must be as process.capabilities.inheritable (cfs-pivot --cap-ambient does both or none)" ]
	gone p1
}

@test "a user namespace: the init is its root, and reaches its state dir" {
	userns_bundle
	edit "c['process']['args'] = ['/bin/sh', '-c', 'id -u; cat /proc/self/uid_map']"
	run -0 cfs-oci chain "$B" u1
	[[ "$output" == *" --user --setuid=0 --setgid=0 "*" --map-users=0:100000:65536 --map-groups=0:100000:65536 -- "* ]]
	run -0 oci run --bundle "$B" u1
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" =~ ^\ +0\ +100000\ +65536$ ]]
	gone u1
}

@test "process.terminal: the pty's master goes to --console-socket; a printed chain relays" {
	receiver "$T/console"
	edit "c['process']['terminal'] = True
c['process']['args'] = ['/bin/sh', '-c', 'tty; echo hi']"
	run -125 --separate-stderr oci create --bundle "$B" t1
	[ "$stderr" = "cfs-oci: process.terminal: true needs --console-socket" ]
	run -0 cfs-oci chain "$B"
	[[ "$output" == *" --tty -- cfs-pivot "*" --tty "* ]]
	oci create --bundle "$B" --console-socket "$T/console" t1
	oci start t1
	wait "$receiver_pid"
	[ "$(cat "$T/received")" = "listening
name /dev/pts/0 fds 1 tty True
/dev/pts/0
hi" ]
	oci delete --force t1
	gone t1
	edit "c['process']['terminal'] = False"
	run -125 --separate-stderr oci create --bundle "$B" --console-socket "$T/console" t1
	[ "$stderr" = "cfs-oci: --console-socket $T/console: process.terminal is false" ]
}

@test "process.consoleSize: the pty has that size before its master is sent, for run and create+start" {
	edit "c['process']['terminal'] = True
c['process']['consoleSize'] = {'height': 31, 'width': 97}
c['process']['args'] = ['stty', 'size']"
	run -0 cfs-oci chain "$B"
	[[ "$output" == *" cfs-pivot "*" --console-size=31x97 "* ]]
	receiver "$T/console"
	oci create --bundle "$B" --console-socket "$T/console" consize1
	oci start consize1
	wait "$receiver_pid"
	[ "$(cat "$T/received")" = "listening
name /dev/pts/0 fds 1 tty True
31 97" ]
	oci delete --force consize1
	gone consize1
	receiver "$T/console2"
	run -0 oci run --bundle "$B" --console-socket "$T/console2" consize2
	wait "$receiver_pid"
	[ "$(cat "$T/received")" = "listening
name /dev/pts/0 fds 1 tty True
31 97" ]
	gone consize2
	# a height or width of 0 sets nothing, as runc; without a terminal,
	# ignored (the spec)
	edit "c['process']['consoleSize'] = {'height': 0, 'width': 97}"
	run -0 cfs-oci chain "$B"
	[[ "$output" != *--console-size* ]]
	edit "c['process']['terminal'] = False
c['process']['consoleSize'] = 'big'"
	run -0 cfs-oci chain "$B"
	[[ "$output" != *--console-size* ]]
}

@test "engines' mounts: binds nosuid,noexec on files and dirs, a strictatime tmpfs, a read-only cgroup mount, a root dir made with its parents" {
	mkdir "$T/shm" "$T/vol"
	echo myhost >"$T/hostname"
	# the last mount on each path: the bind on /dev/shm hides cfs-pivot's
	cat >"$T/vol/check" <<-'END'
		cat /etc/hostname
		for m in /etc/hostname /dev/shm /vol /run /sys/fs/cgroup; do
			awk -v m=$m '$5 == m {o = m " " $6} END {print o}' /proc/self/mountinfo
		done
		touch /sys/fs/cgroup/x 2>/dev/null || echo cgroup read-only
	END
	edit "c['mounts'] += [
  {'destination': '/etc/hostname', 'type': 'bind', 'source': '$T/hostname', 'options': ['bind', 'rprivate']},
  {'destination': '/dev/shm', 'type': 'bind', 'source': '$T/shm', 'options': ['bind', 'rprivate', 'nosuid', 'noexec', 'nodev']},
  {'destination': '/vol', 'type': 'bind', 'source': '$T/vol', 'options': ['ro', 'rprivate', 'nosuid', 'nodev', 'rbind']},
  {'destination': '/run', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['nosuid', 'strictatime', 'mode=755', 'size=65536k']},
  {'destination': '/sys/fs/cgroup', 'type': 'cgroup', 'source': 'cgroup', 'options': ['rprivate', 'nosuid', 'noexec', 'nodev', 'relatime', 'ro']}]
c['process']['args'] = ['/bin/sh', '/vol/check']"
	run -0 cfs-oci chain "$B"
	[[ "$output" == *" --bind=$T/shm:/dev/shm:rprivate,nosuid,noexec "* ]]
	[[ "$output" == *" --tmpfs=/run:strictatime,mode=755,size=65536k "* ]]
	# the container's own cgroups, read-only (cfs-pivot --cgroupfs)
	[[ "$output" == *" --cgroupfs=oci-"* ]]
	[[ "$output" != *"--cgroupfs-rw"* ]]
	# containerd's shim gives a --root whose parents are not there yet
	run -0 --separate-stderr cfs-oci --root "$R/ns/default" run --bundle "$B" m1
	rmdir "$R/ns/default" "$R/ns"
	[ "$output" = "myhost
/etc/hostname rw,nodev,relatime
/dev/shm rw,nosuid,nodev,noexec,relatime
/vol ro,nosuid,nodev,relatime
/run rw,nosuid,nodev
/sys/fs/cgroup ro,nosuid,nodev,noexec,relatime
cgroup read-only" ] || { echo "$output"; false; }
	# one not read-only: the container's own cgroups writable, as runc
	edit "c['mounts'][-1]['options'] = ['nosuid']"
	run -0 cfs-oci chain "$B"
	[[ "$output" == *" --cgroupfs=oci-"*" --cgroupfs-rw "* ]]
}

@test "--log FILE: our messages there too, a JSON object a line with --log-format json" {
	edit "c['solaris'] = {'milestone': 'x'}"
	run -125 --separate-stderr oci --log "$T/log" --log-format json create --bundle "$B" l1
	[ "$stderr" = "cfs-oci: solaris: not mapped by cfs-oci" ]
	run -0 python3 -c "import json, sys
for line in open(sys.argv[1]):
    j = json.loads(line)
    print(j['level'], j['msg'], j['time'][:2])" "$T/log"
	[ "$output" = "error cfs-oci: solaris: not mapped by cfs-oci 20" ]
	# the chain's own message is on stderr; the log says where
	edit "del c['solaris']
c['linux']['resources'] = {'memory': {'limit': 1}}"
	run -125 --separate-stderr oci --log "$T/log" create --bundle "$B" l1
	[ "$stderr" = "cfs-cgroup: --memory 1: below 6M, the least a process starts in" ]
	[ "$(tail -n 1 "$T/log")" = "cfs-oci: create l1: the chain failed (exit status 125): its message is on the container's stderr" ]
	gone l1
}

@test "another user with only a bounding set (podman run -u 1000): no capability at all" {
	edit "c['process']['user'] = {'uid': 1000, 'gid': 1000}
for s in ('effective', 'permitted'):
    c['process']['capabilities'][s] = []
c['process']['args'] = ['/bin/sh', '-c', 'id -u; grep -E \"^Cap(Eff|Bnd):\" /proc/self/status']"
	run -0 cfs-oci chain "$B"
	[[ "$output" == *" --user=1000:1000 --cap-drop=ALL "* ]]
	[[ "$output" != *"--cap-add"* ]]
	run -0 oci run --bundle "$B" u2
	[ "$output" = "1000
CapEff:	0000000000000000
CapBnd:	0000000000000000" ]
	gone u2
}

@test "the default --root of another user than root is \$XDG_RUNTIME_DIR/cfs-oci, as runc's" {
	# outside the test's dir, whose parents are 0700
	local xdg
	xdg=$(mktemp -d /tmp/cfs-xdg.XXXXXX)
	echo "$xdg" >>"$T/rm"
	# a container whose create was killed before it wrote its state
	mkdir -p "$xdg/cfs-oci/c1"
	chown -R 1000:1000 "$xdg"
	run -0 setpriv --reuid 1000 --regid 1000 --clear-groups \
		env XDG_RUNTIME_DIR="$xdg" cfs-oci state c1
	[[ "$output" == *'"id": "c1"'* ]]
	# root's stays /run/cfs-oci, whatever XDG_RUNTIME_DIR says
	run -125 --separate-stderr env XDG_RUNTIME_DIR="$xdg" cfs-oci state c1
	[ "$stderr" = "cfs-oci: container c1 does not exist" ]
}
