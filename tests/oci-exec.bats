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
	running e1
	run -7 --separate-stderr oci exec e1 sh -c 'hostname; cat /proc/1/cmdline | tr "\0" " "; echo; exit 7'
	[ "${lines[0]}" = cfs ]
	[ "${lines[1]}" = "/bin/sleep 1000 " ]
	for ns in pid mnt uts ipc net cgroup; do
		run -0 oci exec e1 readlink /proc/self/ns/$ns
		[ "$output" = "$(readlink /proc/$pid/ns/$ns)" ]
	done
	# the same cgroups as the init, as the container's cgroup namespace
	# shows them
	run -0 oci exec e1 sh -c 'cat /proc/self/cgroup; echo; cat /proc/1/cgroup'
	[[ "$output" == *:/* ]]
	[ "${output%%$'\n\n'*}" = "${output#*$'\n\n'}" ]
	# -- before the command, as engines write it; not found: 127
	run -0 oci exec e1 -- sh -c 'echo two words'
	[ "$output" = "two words" ]
	run -127 --separate-stderr oci exec e1 /no/such
}

@test "exec: config.json's caps, user, cwd, env and no_new_privs; --cap, -u, --cwd, -e" {
	edit "c['process']['env'].append('FROM=config')"
	running e2
	status_of() { grep -E '^(CapBnd|CapEff|CapPrm|CapAmb|NoNewPrivs|Seccomp):' "$@"; }
	run -0 oci exec e2 cat /proc/self/status
	init=$(status_of /proc/$pid/status)
	[ "$(status_of <<<"$output")" = "$init" ]
	[[ "$init" == *"CapBnd:	0000000020000420"* ]]
	run -0 oci exec e2 sh -c 'id -u; id -g; pwd; echo $FROM $TERM'
	[ "$output" = "0
0
/
config xterm" ]
	run -0 oci exec -u 1000:1001 -g 5 --cwd /tmp -e FOO=bar --cap CAP_NET_ADMIN e2 \
		sh -c 'id -u; id -g; id -G; pwd; echo $FOO $FROM; grep -E "^Cap(Bnd|Eff|Amb)" /proc/self/status'
	[ "$output" = "1000
1001
1001 5
/tmp
bar config
CapEff:	0000000020001420
CapBnd:	0000000020001420
CapAmb:	0000000020001420" ]
	run -125 --separate-stderr oci exec -u nobody e2 true
	[ "${stderr_lines[0]}" = "cfs-oci: --user nobody: not UID[:GID]" ]
	run -125 --separate-stderr oci exec --cap CAP_NOPE e2 true
	[ "${stderr_lines[0]}" = "cfs-enter: --cap-add CAP_NOPE: not a capability" ]
	run -125 --separate-stderr oci exec --apparmor unconfined e2 true
	[ "$stderr" = "cfs-oci: process.apparmorProfile: not mapped by cfs-oci" ]
	run -125 --separate-stderr oci exec --cgroup sub e2 true
	[[ "$stderr" == "cfs-oci: --cgroup sub: "* ]]
}

@test "exec: no_new_privs as the process says, not as the init has it" {
	edit "c['process']['noNewPrivileges'] = False"
	running e3
	grep -q '^NoNewPrivs:	0' /proc/$pid/status
	run -0 oci exec e3 grep NoNewPrivs /proc/self/status
	[ "$output" = "NoNewPrivs:	0" ]
	run -0 oci exec --no-new-privs e3 grep NoNewPrivs /proc/self/status
	[ "$output" = "NoNewPrivs:	1" ]
}

@test "exec: the container's own seccomp profile" {
	edit "c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['chdir'], 'action': 'SCMP_ACT_ERRNO'}]}"
	running e4
	run -0 oci exec e4 grep Seccomp: /proc/self/status
	[ "$output" = "Seccomp:	2" ]
	run -2 --separate-stderr oci exec e4 sh -c 'cd /tmp'
	[[ "$stderr" == *"can't cd to /tmp: Operation not permitted" ]]
	# and none when the config has none
	oci delete -f e4
	edit "del c['linux']['seccomp']"
	running e5
	run -0 oci exec e5 sh -c 'cd /tmp && pwd'
	[ "$output" = /tmp ]
}

@test "exec --process FILE: an OCI process object, as containerd and conmon pass it" {
	running e6
	cat >"$T/process.json" <<-'EOF2'
	{"args": ["/bin/sh", "-c", "id -u; pwd; echo $A; grep -E '^(CapEff|NoNewPrivs)' /proc/self/status"],
	 "env": ["A=from-process", "PATH=/bin"], "cwd": "/proc",
	 "user": {"uid": 7, "gid": 8}, "noNewPrivileges": true,
	 "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]},
	 "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 77, "hard": 77}]}
	EOF2
	run -0 --separate-stderr oci exec --process "$T/process.json" e6
	[ "$output" = "7
/proc
from-process
CapEff:	0000000000000020
NoNewPrivs:	1" ]
	sed -i 's|"args": \[[^]]*\]|"args": ["/bin/sh", "-c", "ulimit -n"]|' "$T/process.json"
	run -0 oci exec --process "$T/process.json" e6
	[ "$output" = 77 ]
	run -125 --separate-stderr oci exec --process "$T/process.json" e6 true
	[ "${stderr_lines[0]}" = "cfs-oci: exec: --process or a COMMAND, not both" ]
	echo '{"args": ["true"], "cwd": "/", "selinuxLabel": "x"}' >"$T/process.json"
	run -125 --separate-stderr oci exec --process "$T/process.json" e6
	[ "$stderr" = "cfs-oci: process.selinuxLabel: not mapped by cfs-oci" ]
	echo '[' >"$T/process.json"
	run -125 --separate-stderr oci exec --process "$T/process.json" e6
	[[ "$stderr" == "cfs-oci: --process $T/process.json: not JSON: "* ]]
}

@test "exec --tty --console-socket: a pty of the container's, its master to the socket" {
	running e7
	receiver "$T/console"
	run -0 --separate-stderr oci exec --tty --console-socket "$T/console" e7 \
		sh -c 'tty; echo hi' </dev/null
	wait "$receiver_pid"
	[ "$(cat "$T/received")" = "listening
name /dev/pts/0 fds 1 tty True
/dev/pts/0
hi" ]
	run -125 --separate-stderr oci exec --console-socket "$T/console" e7 true
	[ "$stderr" = "cfs-oci: --console-socket $T/console: the process has no terminal (--tty)" ]
}

@test "exec --detach --pid-file: the process is the subreaper's child, with no cfs process between" {
	running e8
	echo '{"args": ["/bin/sh", "-c", "sleep 0.5; exit 3"], "cwd": "/", "terminal": true}' >"$T/p.json"
	receiver "$T/console"
	# as conmon calls it
	run -0 "$REAPER" bash -c "
		cfs-oci --root $R exec --process $T/p.json --detach --pid-file $T/pid \
			--console-socket $T/console --tty e8 || exit 1
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
	run -0 "$REAPER" cfs-oci --root "$R" exec --process "$T/p.json" --detach --pid-file "$T/pid" e8
	[ "${lines[0]}" = "program 0" ]
	[ "${lines[1]}" = "reaped $(cat "$T/pid") 0" ]
}

@test "exec --preserve-fds: fd 3 on" {
	running e9
	echo through >"$T/f"
	run -0 oci exec --preserve-fds 1 e9 sh -c 'cat <&3' 3<"$T/f"
	[ "$output" = through ]
	run -1 oci exec e9 sh -c 'cat <&3' 3<"$T/f"
}

@test "exec: refused into a stopped container, and into an ID that is a path" {
	run -125 --separate-stderr oci exec ../e10 true
	[[ "$stderr" == "cfs-oci: container ID ../e10: "* ]]
	run -125 --separate-stderr oci exec nosuch true
	[ "$stderr" = "cfs-oci: container nosuch does not exist" ]
	edit "c['process']['args'] = ['/bin/true']"
	oci create --bundle "$B" e10
	oci start e10
	for i in $(seq 50); do oci state e10 | grep -q stopped && break; sleep 0.1; done
	run -125 --separate-stderr oci exec e10 true
	[ "$stderr" = "cfs-oci: exec e10: the container is stopped" ]
	run -125 --separate-stderr oci exec
}
