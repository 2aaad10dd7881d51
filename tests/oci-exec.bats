#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-oci exec, ps, pause, resume, update, events: runc's commands on a
# running container, each made of the suite's tools (exec is cfs-enter).
load common
load helpers/oci
load helpers/console

# A container ID running sleep, started.
running() {
	edit "c['process']['args'] = ['/bin/sleep', '1000']"
	oci create --bundle "$B" "$1"
	oci start "$1"
	pid=$(oci state "$1" | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
	[ -n "$pid" ]
}

@test "exec: in the container's namespaces and cgroup, its status back" {
	running xe1
	run -7 --separate-stderr oci exec xe1 sh -c 'hostname; cat /proc/1/cmdline | tr "\0" " "; echo; exit 7'
	[ "${lines[0]}" = cfs ]
	[ "${lines[1]}" = "/bin/sleep 1000 " ]
	for ns in pid mnt uts ipc net cgroup; do
		run -0 oci exec xe1 readlink /proc/self/ns/$ns
		[ "$output" = "$(readlink /proc/$pid/ns/$ns)" ]
	done
	# the same cgroups as the init, as the container's cgroup namespace
	# shows them
	run -0 oci exec xe1 sh -c 'cat /proc/self/cgroup; echo; cat /proc/1/cgroup'
	[[ "$output" == *:/* ]]
	[ "${output%%$'\n\n'*}" = "${output#*$'\n\n'}" ]
	# -- before the command, as engines write it; not found: 127
	run -0 oci exec xe1 -- sh -c 'echo two words'
	[ "$output" = "two words" ]
	run -127 --separate-stderr oci exec xe1 /no/such
}

@test "exec: config.json's caps, user, cwd, env and no_new_privs; --cap, -u, --cwd, -e" {
	edit "c['process']['env'].append('FROM=config')"
	running xe2
	status_of() { grep -E '^(CapBnd|CapEff|CapPrm|CapAmb|NoNewPrivs|Seccomp):' "$@"; }
	run -0 oci exec xe2 cat /proc/self/status
	init=$(status_of /proc/$pid/status)
	[ "$(status_of <<<"$output")" = "$init" ]
	[[ "$init" == *"CapBnd:	0000000020000420"* ]]
	run -0 oci exec xe2 sh -c 'id -u; id -g; pwd; echo $FROM $TERM'
	[ "$output" = "0
0
/
config xterm" ]
	run -0 oci exec -u 1000:1001 -g 5 --cwd /tmp -e FOO=bar --cap CAP_NET_ADMIN xe2 \
		sh -c 'id -u; id -g; id -G; pwd; echo $FOO $FROM; grep -E "^Cap(Bnd|Eff|Amb)" /proc/self/status'
	[ "$output" = "1000
1001
1001 5
/tmp
bar config
CapEff:	0000000020001420
CapBnd:	0000000020001420
CapAmb:	0000000020001420" ]
	run -125 --separate-stderr oci exec -u nobody xe2 true
	[ "${stderr_lines[0]}" = "cfs-oci: --user nobody: not UID[:GID]" ]
	run -125 --separate-stderr oci exec --cap CAP_NOPE xe2 true
	[ "${stderr_lines[0]}" = "cfs-enter: --cap-add CAP_NOPE: not a capability" ]
	run -125 --separate-stderr oci exec --apparmor unconfined xe2 true
	[ "$stderr" = "cfs-oci: process.apparmorProfile: not mapped by cfs-oci" ]
	run -125 --separate-stderr oci exec --cgroup sub xe2 true
	[[ "$stderr" == "cfs-oci: --cgroup sub: "* ]]
}

@test "exec: into a container with a user namespace, as its root, with config's caps" {
	userns_bundle
	running xn1
	run -0 oci exec xn1 sh -c 'id -u; cat /proc/self/uid_map; grep -E "^Cap(Eff|Bnd)" /proc/self/status'
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" =~ ^\ +0\ +100000\ +65536$ ]]
	[ "${lines[2]}" = "CapEff:	0000000020000420" ]
	[ "${lines[3]}" = "CapBnd:	0000000020000420" ]
	[ "$(readlink /proc/$pid/ns/user)" != "$(readlink /proc/self/ns/user)" ]
	run -0 oci exec -u 1000:1000 xn1 grep -E '^(Uid|Gid):' /proc/self/status
	[ "$output" = "Uid:	1000	1000	1000	1000
Gid:	1000	1000	1000	1000" ]
	oci delete -f xn1
}

@test "exec: no_new_privs as the process says, not as the init has it" {
	edit "c['process']['noNewPrivileges'] = False"
	running xe3
	grep -q '^NoNewPrivs:	0' /proc/$pid/status
	run -0 oci exec xe3 grep NoNewPrivs /proc/self/status
	[ "$output" = "NoNewPrivs:	0" ]
	run -0 oci exec --no-new-privs xe3 grep NoNewPrivs /proc/self/status
	[ "$output" = "NoNewPrivs:	1" ]
}

@test "exec: the container's own seccomp profile" {
	edit "c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['chdir'], 'action': 'SCMP_ACT_ERRNO'}]}"
	running xe4
	run -0 oci exec xe4 grep Seccomp: /proc/self/status
	[ "$output" = "Seccomp:	2" ]
	run -2 --separate-stderr oci exec xe4 sh -c 'cd /tmp'
	[[ "$stderr" == *"can't cd to /tmp: Operation not permitted" ]]
	# and none when the config has none
	oci delete -f xe4
	edit "del c['linux']['seccomp']"
	running xe5
	run -0 oci exec xe5 sh -c 'cd /tmp && pwd'
	[ "$output" = /tmp ]
}

@test "exec --process FILE: an OCI process object, as containerd and conmon pass it" {
	running xe6
	cat >"$T/process.json" <<-'EOF2'
	{"args": ["/bin/sh", "-c", "id -u; pwd; echo $A; grep -E '^(CapEff|NoNewPrivs)' /proc/self/status"],
	 "env": ["A=from-process", "PATH=/bin"], "cwd": "/proc",
	 "user": {"uid": 7, "gid": 8}, "noNewPrivileges": true,
	 "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]},
	 "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 77, "hard": 77}]}
	EOF2
	run -0 --separate-stderr oci exec --process "$T/process.json" xe6
	[ "$output" = "7
/proc
from-process
CapEff:	0000000000000020
NoNewPrivs:	1" ]
	sed -i 's|"args": \[[^]]*\]|"args": ["/bin/sh", "-c", "ulimit -n"]|' "$T/process.json"
	run -0 oci exec --process "$T/process.json" xe6
	[ "$output" = 77 ]
	run -125 --separate-stderr oci exec --process "$T/process.json" xe6 true
	[ "${stderr_lines[0]}" = "cfs-oci: exec: --process or a COMMAND, not both" ]
	echo '{"args": ["true"], "cwd": "/", "selinuxLabel": "x"}' >"$T/process.json"
	run -125 --separate-stderr oci exec --process "$T/process.json" xe6
	[ "$stderr" = "cfs-oci: process.selinuxLabel: not mapped by cfs-oci" ]
	echo '[' >"$T/process.json"
	run -125 --separate-stderr oci exec --process "$T/process.json" xe6
	[[ "$stderr" == "cfs-oci: --process $T/process.json: not JSON: "* ]]
}

@test "exec --tty --console-socket: a pty of the container's, its master to the socket" {
	running xe7
	receiver "$T/console"
	run -0 --separate-stderr oci exec --tty --console-socket "$T/console" xe7 \
		sh -c 'tty; echo hi' </dev/null
	wait "$receiver_pid"
	[ "$(cat "$T/received")" = "listening
name /dev/pts/0 fds 1 tty True
/dev/pts/0
hi" ]
	run -125 --separate-stderr oci exec --console-socket "$T/console" xe7 true
	[ "$stderr" = "cfs-oci: --console-socket $T/console: the process has no terminal (--tty)" ]
}

@test "exec --process: process.consoleSize is the pty's size, no engine's resize needed" {
	running consize3
	echo '{"args": ["stty", "size"], "cwd": "/", "terminal": true,
	       "consoleSize": {"height": 31, "width": 97}}' >"$T/p.json"
	receiver "$T/console"
	run -0 --separate-stderr oci exec --process "$T/p.json" \
		--console-socket "$T/console" consize3 </dev/null
	wait "$receiver_pid"
	[ "$(cat "$T/received")" = "listening
name /dev/pts/0 fds 1 tty True
31 97" ]
	echo '{"args": ["true"], "cwd": "/", "terminal": true,
	       "consoleSize": {"height": -1, "width": 97}}' >"$T/p.json"
	run -125 --separate-stderr oci exec --process "$T/p.json" \
		--console-socket "$T/console" consize3
	[ "$stderr" = "cfs-oci: process.consoleSize.height: not an integer from 0 to 65535" ]
}

# sizer SOCKET [after-exit]: an engine's end of a console socket as
# conmon is for podman exec: it reads the master (after SOCKET.go
# appears with after-exit, as containerd-shim reads it once the runtime
# has exited; else 0.3 s after the connection), sets the pty's size
# 20 ms later, and prints what comes out of it; in the background, PID
# $sizer_pid, its output in $T/sized.
sizer() {
	cat >"$T/sizer.py" <<-'EOF'
		import fcntl, os, socket, struct, sys, termios, time
		path = sys.argv[1]
		s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
		s.bind(path)
		s.listen(1)
		print("listening", flush=True)
		while len(sys.argv) > 2 and not os.path.exists(path + ".go"):
		    time.sleep(0.01)
		c, _ = s.accept()
		if len(sys.argv) == 2:
		    time.sleep(0.3)
		_, fds, _, _ = socket.recv_fds(c, 4096, 1)
		time.sleep(0.02)
		fcntl.ioctl(fds[0], termios.TIOCSWINSZ, struct.pack("4H", 33, 77, 0, 0))
		while True:
		    try:
		        b = os.read(fds[0], 4096)
		    except OSError:
		        break
		    if not b:
		        break
		    print(b.decode().replace("\r", ""), end="", flush=True)
	EOF
	python3 "$T/sizer.py" "$@" >"$T/sized" 2>&1 &
	sizer_pid=$!
	echo "$sizer_pid" >>"$BATS_TEST_TMPDIR/pids"
	for i in $(seq 100); do
		grep -q listening "$T/sized" && return 0
		sleep 0.05
	done
	return 1
}

@test "exec --console-socket: the process starts once the engine has the master and has sized the pty" {
	running xe11
	# conmon's order: the master read while exec runs, then the size
	sizer "$T/c1"
	run -0 --separate-stderr oci exec --tty --console-socket "$T/c1" xe11 \
		stty size </dev/null
	wait "$sizer_pid"
	[ "$(cat "$T/sized")" = "listening
33 77" ]
	# containerd-shim's: the master read once exec --detach has exited
	sizer "$T/c2" after-exit
	echo '{"args": ["stty", "size"], "cwd": "/", "terminal": true}' >"$T/p.json"
	run -0 "$REAPER" sh -c "cfs-oci --root $R exec --process $T/p.json \
		--detach --console-socket $T/c2 --tty xe11 && touch $T/c2.go"
	wait "$sizer_pid"
	[ "$(cat "$T/sized")" = "listening
33 77" ]
}

@test "exec --detach --pid-file: the process is the subreaper's child, with no cfs process between" {
	running xe8
	echo '{"args": ["/bin/sh", "-c", "sleep 0.5; exit 3"], "cwd": "/", "terminal": true}' >"$T/p.json"
	receiver "$T/console"
	# as conmon calls it
	run -0 "$REAPER" bash -c "
		cfs-oci --root $R exec --process $T/p.json --detach --pid-file $T/pid \
			--console-socket $T/console --tty xe8 || exit 1
		pid=\$(cat $T/pid)
		echo parent \$(awk '{print \$4}' /proc/\$pid/stat) self \$PPID
		ls $T | grep -c pid.tmp || true"
	pid=$(cat "$T/pid")
	[[ "${lines[0]}" =~ ^parent\ ([0-9]+)\ self\ ([0-9]+)$ ]]
	[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = "program 0" ]
	# the subreaper gets its exit status
	[ "${lines[3]}" = "reaped $pid 3" ]
	wait "$receiver_pid"
	# as containerd-shim calls it, no terminal
	echo '{"args": ["/bin/sleep", "0.3"], "cwd": "/"}' >"$T/p.json"
	run -0 "$REAPER" cfs-oci --root "$R" exec --process "$T/p.json" --detach --pid-file "$T/pid" xe8
	[ "${lines[0]}" = "program 0" ]
	[ "${lines[1]}" = "reaped $(cat "$T/pid") 0" ]
}

@test "exec --preserve-fds: fd 3 on" {
	running xe9
	echo through >"$T/f"
	run -0 oci exec --preserve-fds 1 xe9 sh -c 'cat <&3' 3<"$T/f"
	[ "$output" = through ]
	run -1 oci exec xe9 sh -c 'cat <&3' 3<"$T/f"
}

@test "exec: refused into a stopped container, and into an ID that is a path" {
	run -125 --separate-stderr oci exec ../xe10 true
	[[ "$stderr" == "cfs-oci: container ID ../xe10: "* ]]
	run -125 --separate-stderr oci exec nosuch true
	[ "$stderr" = "cfs-oci: container nosuch does not exist" ]
	edit "c['process']['args'] = ['/bin/true']"
	oci create --bundle "$B" xe10
	oci start xe10
	for i in $(seq 50); do oci state xe10 | grep -q stopped && break; sleep 0.1; done
	run -125 --separate-stderr oci exec xe10 true
	[ "$stderr" = "cfs-oci: exec xe10: the container is stopped" ]
	run -125 --separate-stderr oci exec
}

@test "ps: the container's PIDs, as JSON (containerd's) or ps(1)'s lines" {
	running xp1
	oci exec -d --pid-file "$T/pid" xp1 sleep 1000
	run -0 oci ps --format json xp1
	[ "$output" = "[$pid,$(cat "$T/pid")]" ] || [ "$output" = "[$(cat "$T/pid"),$pid]" ]
	run -0 oci ps xp1
	[[ "${lines[0]}" == "UID "*" PID "* ]]
	[ "${#lines[@]}" = 3 ]
	[[ "${lines[1]}${lines[2]}" == *" $pid "*"/bin/sleep 1000"* ]]
	run -0 oci ps xp1 -o pid,comm
	[ "${lines[0]}" = "  PID COMMAND" ]
	[ "$(printf '%s\n' "${lines[@]:1}" | awk '{print $1}' | sort)" = "$(printf '%s\n' "$pid" "$(cat "$T/pid")" | sort)" ]
	run -125 --separate-stderr oci ps --format yaml xp1
	[ "${stderr_lines[0]}" = "cfs-oci: --format yaml: not table or json" ]
}

@test "pause, resume: the container stops progressing, state says paused, then it goes on" {
	edit "c['process']['args'] = ['/bin/sh', '-c', 'i=0; while :; do i=\$((i+1)); echo \$i >/dev/shm/n; sleep 0.05; done']"
	oci create --bundle "$B" xf1
	oci start xf1
	pid=$(oci state xf1 | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
	n() { cat /proc/$pid/root/dev/shm/n; }
	for i in $(seq 50); do [ -s /proc/$pid/root/dev/shm/n ] && break; sleep 0.1; done
	oci pause xf1
	run -0 oci state xf1
	[[ "$output" == *'"status": "paused"'* ]]
	a=$(n); sleep 0.5; b=$(n)
	[ "$a" = "$b" ]
	run -125 --separate-stderr oci pause xf1
	[ "$stderr" = "cfs-oci: pause xf1: the container is paused, not running" ]
	run -125 --separate-stderr oci exec xf1 true
	[ "$stderr" = "cfs-oci: exec xf1: the container is paused (--ignore-paused to exec all the same)" ]
	run -125 --separate-stderr oci delete xf1
	[ "$stderr" = "cfs-oci: container xf1 is paused: stop it (cfs-oci kill) or add --force" ]
	oci resume xf1
	run -0 oci state xf1
	[[ "$output" == *'"status": "running"'* ]]
	sleep 0.5
	[ "$(n)" -gt "$b" ]
	run -125 --separate-stderr oci resume xf1
	[ "$stderr" = "cfs-oci: resume xf1: the container is running, not paused" ]
	# a paused container deleted with --force: nothing left
	oci pause xf1
	oci delete --force xf1
	gone xf1
}

@test "cgroup v1's freezer: pause and resume where no cgroup2 is mounted" {
	[ -d /sys/fs/cgroup/freezer ] ||
		{ echo "no v1 freezer hierarchy: this test needs a hybrid or v1 host"; false; }
	edit "c['process']['args'] = ['/bin/sleep', '1000']"
	# a mount namespace of the test's own, without the hybrid host's
	# cgroup2 mount: what a v1-only host has. The init's stdio is not
	# what run reads, and it is deleted whatever fails.
	run -0 unshare --mount --propagation private sh -c "
		umount /sys/fs/cgroup/unified 2>/dev/null || umount /sys/fs/cgroup/unified/
		cfs-oci --root $R create --bundle $B xz1 </dev/null >/dev/null 2>&1 &&
		cfs-oci --root $R start xz1 &&
		cfs-oci --root $R pause xz1 &&
		cat /sys/fs/cgroup/freezer/cfs/oci-xz1/freezer.state &&
		cfs-oci --root $R state xz1 | grep status &&
		cfs-oci --root $R resume xz1 &&
		cat /sys/fs/cgroup/freezer/cfs/oci-xz1/freezer.state &&
		cfs-oci --root $R pause xz1
		cfs-oci --root $R delete --force xz1
		echo deleted \$?
		ls /sys/fs/cgroup/freezer/cfs/oci-xz1 2>&1 | wc -l"
	[ "$output" = 'FROZEN
  "status": "paused",
THAWED
deleted 0
1' ]
}

@test "update: memory and pids limits of a running container, in its cgroup's files" {
	edit "c['linux']['resources']['memory'] = {'limit': 64 << 20}"
	running xu1
	# v1 (this host: hybrid, controllers on v1) or v2 (tests/oci-v2.bats)
	if [ -d /sys/fs/cgroup/memory/cfs ]; then
		mem=/sys/fs/cgroup/memory/cfs/oci-xu1/memory.limit_in_bytes
		pids=/sys/fs/cgroup/pids/cfs/oci-xu1/pids.max
	else
		mem=/sys/fs/cgroup/cfs/oci-xu1/memory.max
		pids=/sys/fs/cgroup/cfs/oci-xu1/pids.max
	fi
	[ "$(cat $mem)" = $((64 << 20)) ]
	oci update --memory 128M xu1
	[ "$(cat $mem)" = $((128 << 20)) ]
	oci update --memory 32M --pids-limit 20 xu1
	[ "$(cat $mem)" = $((32 << 20)) ]
	[ "$(cat $pids)" = 20 ]
	echo '{"memory": {"limit": 50331648}, "pids": {"limit": 30}}' | oci update -r - xu1
	[ "$(cat $mem)" = 50331648 ]
	[ "$(cat $pids)" = 30 ]
	# the same reader as config.json's: a field not mapped is named
	echo '{"memory": {"reservation": 1}}' >"$T/r.json"
	run -125 --separate-stderr oci update -r "$T/r.json" xu1
	[ "$stderr" = "cfs-oci: linux.resources.memory.reservation: not mapped by cfs-oci" ]
	run -125 --separate-stderr oci update --kernel-memory 1M xu1
	[ "$stderr" = "cfs-oci: update --kernel-memory: not mapped by cfs-oci" ]
	run -125 --separate-stderr oci update --memory lots xu1
	[ "${stderr_lines[0]}" = "cfs-oci: --memory lots: not a size (bytes, with K, M, G or T)" ]
	[ "$(cat $mem)" = 50331648 ]
}

@test "events --stats: one JSON line of the cgroup's numbers; events every --interval" {
	edit "c['linux']['resources']['memory'] = {'limit': 64 << 20}"
	running xv1
	run -0 --separate-stderr oci events --stats xv1
	[ "${#lines[@]}" = 1 ]
	run -0 python3 -c "import json, sys
e = json.loads(sys.argv[1])
print(e['type'], e['id'], e['data']['memory']['usage']['limit'], e['data']['pids']['current'] >= 1,
      e['data']['cpu']['usage']['total'] >= 0)" "$output"
	[ "$output" = "stats xv1 $((64 << 20)) True True" ]
	run -124 timeout 1 cfs-oci --root "$R" events --interval 300ms xv1
	[ "${#lines[@]}" -ge 3 ]
	[[ "${lines[2]}" == '{"type":"stats","id":"xv1",'* ]]
}

@test "events: an oom event when the OOM killer kills in the container" {
	edit "c['linux']['resources']['memory'] = {'limit': 8 << 20}"
	running xo1
	timeout 5 cfs-oci --root "$R" events --interval 100ms xo1 >"$T/events" &
	echo $! >>"$T/pids"
	sleep 0.3
	run oci exec xo1 sh -c 'x=y; while :; do x=$x$x; done'
	wait
	grep -qx '{"type":"oom","id":"xo1"}' "$T/events"
}

@test "checkpoint, restore: refused, naming CRIU" {
	for c in checkpoint restore; do
		run -125 --separate-stderr cfs-oci $c x
		[ "$stderr" = "cfs-oci: $c: not done by cfs-oci: it needs CRIU (checkpoint/restore in userspace), which cfs does not drive" ]
	done
}

@test "ps, pause, resume, update, events: an ID that is a path, or none, is refused" {
	for c in ps pause resume update events; do
		run -125 --separate-stderr oci $c ../x
		[[ "$stderr" == "cfs-oci: container ID ../x: "* ]]
		run -125 --separate-stderr oci $c nosuch
		[ "$stderr" = "cfs-oci: container nosuch does not exist" ]
	done
}
