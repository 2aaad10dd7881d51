#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# podman drives cfs-oci: the real podman 4.3 and conmon, as root, with
# runtime = "cfs" in a containers.conf of ours (CONTAINERS_CONF). All of
# podman's state is under the file's temp dir: --root, --runroot, its
# tmp dir and events file, and /run itself, which is $PT/run bound on
# /run in a mount namespace of ours that every podman call enters (conmon
# too): podman runs its exit command without --runtime-flag, so cfs-oci's
# state stays at its default /run/cfs-oci, and podman 4.3 makes
# /run/containers/networks whatever it is told. netns = "none": podman's
# default network sets up netavark's bridge and rules in the network
# namespace podman runs in, which its test makes of its own (PM_NET).
#
# Rootless (the end of the file): RL_USER's own podman, with its storage,
# runroot, XDG_RUNTIME_DIR (cfs-oci's state) and HOME in its RL_WORK;
# podman makes the user namespace (newuidmap, RL_SUB's ids) and runs
# cfs-oci as its root. This host's cgroups are v1 (hybrid), not
# delegated to the user: cfs-oci runs such a container without a cgroup.
# The user's podman runs in a network namespace of the file's (its
# slirp4netns too) and a mount namespace where /dev/net/tun is a node of
# ours, 0666 as udev makes it (this host's is 0600, which slirp4netns,
# opening it as the user, cannot).
load common
load helpers/engines
load helpers/net
load helpers/tmux
RL_USER=cfs-test-pmrl
RL_SUB=3900000 # its 65536 subordinate ids: nothing else here uses them
load helpers/rootless
eval "common_$(declare -f setup)"
eval "common_$(declare -f teardown)"

IMAGE=localhost/cfs-busybox:test
TMUX_NAME="cfs-podman-$$"

setup_file() {
	command -v podman conmon >/dev/null || {
		echo "podman or conmon missing: ./setup check installs them" >&2
		return 1
	}
	podman_setup_file
	rl_setup
}

teardown_file() {
	PT=$BATS_FILE_TMPDIR
	rl_cleanup
	podman_teardown_file
}

setup() {
	PT=$BATS_FILE_TMPDIR
	common_setup
	engine_cgroups >"$BATS_TEST_TMPDIR/cgroups.before"
}

# Every container of the test removed (by podman), then whatever is
# left of them killed and unmounted; no cgroup, no state of cfs-oci
# may be left.
teardown() {
	stop_term
	pm rm -a -f -t 0 >/dev/null 2>&1 || true
	pmu rm -a -f -t 0 >/dev/null 2>&1 || true
	kill_under "$PT/storage"
	[ -z "$(ls -A "$PT/run/cfs-oci" 2>/dev/null)" ] || {
		ls -l "$PT/run/cfs-oci"; false; }
	engine_cgroups | diff "$BATS_TEST_TMPDIR/cgroups.before" -
	common_teardown
}

# podman inspect's field $2 of container $1
field() { pm inspect -f "{{$2}}" "$1"; }

# A program not found, one not executable, one not in PATH: the
# container ends at once, its status 127 or 126, and cfs-pivot's message
# naming the program is on podman's stderr. runc fails
# the create instead (its create-time lookup, which cfs-oci leaves to the
# exec: the validation suite's misc_props creates such a container), with
# the same status; checked when asked ($2).
not_runnable() {
	local pm=$1 rt p st
	for rt in cfs ${2:-}; do
		for p in /nonexistent:127 /etc/passwd:126 nosuch:127; do
			IFS=: read -r p st <<<"$p"
			run -"$st" --separate-stderr "$pm" --runtime "$rt" run --rm "$IMAGE" "$p"
			[ -z "$output" ]
			echo "$stderr"
			if [ "$rt" = runc ]; then
				grep -q "^Error: runc: runc create failed: .*\"$p\"" <<<"$stderr"
				continue
			fi
			[[ "$stderr" == "cfs-pivot: "*"$p"* ]]
		done
	done
}

# A container NAME of $1's (pm, pmu) that ignores SIGTERM, started with
# run -d: its log says so, podman says it runs.
detached() {
	"$1" run -d --name "$2" "$IMAGE" sh -c 'trap "" TERM; echo started; while :; do sleep 1; done'
	for i in $(seq 50); do [ -n "$("$1" logs "$2")" ] && break; sleep 0.1; done
	[ "$("$1" logs "$2")" = started ]
	[ "$("$1" inspect -f '{{.State.Status}}' "$2")" = running ]
}

# exec in detached()'s NAME: in its PID namespace, the program's exit
# status, another user; top lists its init.
exec_checks() {
	run -0 "$1" exec "$2" sh -c 'echo $$; ls /proc | grep "^[0-9]" | sort -n | head -n 1; tr "\\0" " " </proc/1/cmdline'
	[ "${lines[1]}" = 1 ]
	[[ "${lines[2]}" == "sh -c trap"* ]]
	run -5 "$1" exec "$2" sh -c 'exit 5'
	run -0 "$1" exec -u 1000 "$2" id -u
	[ "$output" = 1000 ]
	run -0 "$1" top "$2" pid comm
	[[ "$output" == *"1 "*"sh"* ]]
}

# podman stop -t 1 of detached()'s NAME: TERM, ignored, then KILL after
# 1 s: exited, 137.
stop_kills() {
	SECONDS=0
	"$1" stop -t 1 "$2"
	[ "$SECONDS" -ge 1 ]
	[ "$("$1" inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$2")" = "exited 137" ]
}

# run -it through $1 (pm, pmu), as a script tmux's shell runs, in a
# terminal of 80x24: the container's shell on /dev/pts/0 of that size,
# ^C to its foreground job, its exit status back.
terminal() {
	{
		echo "#!/bin/bash"
		declare -p PT BATS_FILE_TMPDIR RL_USER IMAGE
		declare -f rl_work pm pmu
		echo "$1 \"\$@\""
	} >"$BATS_TEST_TMPDIR/$1"
	chmod 755 "$BATS_TEST_TMPDIR/$1"
	start_term
	type_line "$BATS_TEST_TMPDIR/$1 run -it --rm -e PS1=box# $IMAGE sh"
	wait_for '^box#'
	type_line 'tty; stty size'
	wait_for '^24 80'
	screen | grep -qx '/dev/pts/0'
	type_line 'sleep 30'
	sleep 0.5
	tm send-keys -t t C-c
	type_line 'echo after=$((6*7))'
	wait_for '^after=42'
	type_line 'exit 5'
	wait_for '^\$ ?$'
	type_line 'echo status=$?'
	wait_for '^status=5'
}

@test "run --rm: the program's output and exit status; runtime cfs from containers.conf and --runtime" {
	run -0 pm info -f '{{.Host.OCIRuntime.Path}}'
	[ "$output" = "$CFS_BUILD/cfs-oci" ]
	run -0 --separate-stderr pm run --rm "$IMAGE" sh -c 'echo hello from $(hostname); cat /proc/1/cmdline | tr "\0" " "'
	[[ "$output" == "hello from "????????????"
sh -c echo hello from"* ]]
	run -7 pm run --rm "$IMAGE" sh -c 'exit 7' || { echo "$output"; false; }
	run -0 pm --runtime "$CFS_BUILD/cfs-oci" run --rm --network none "$IMAGE" true
	not_runnable pm runc
	# a chain tool's failure in the create: its message is podman's
	# error (conmon reads the runtime's stderr), as runc's is; 126
	run -126 --separate-stderr pm run --rm --sysctl kernel.msgmax=abc "$IMAGE" true
	[ "$stderr" = "Error: OCI runtime error: cfs: cfs-pivot: write abc to /proc/sys/kernel/msgmax: Invalid argument" ]
	run -126 --separate-stderr pm --runtime runc run --rm --sysctl kernel.msgmax=abc "$IMAGE" true
	[[ "$stderr" == "Error: OCI runtime error: runc: "*"msgmax: invalid argument" ]]
	[ -z "$(pm ps -aq)" ]
}

@test "run -d, logs, inspect, stop -t N (TERM ignored, then KILL), start, restart, kill (137), rm" {
	detached pm d1
	pid=$(field d1 .State.Pid)
	[ "$(cat /proc/$pid/comm)" = sh ]
	stop_kills pm d1
	pm start d1
	[ "$(field d1 .State.Status)" = running ]
	old=$(field d1 .State.Pid)
	pm restart -t 0 d1
	[ "$(field d1 .State.Status)" = running ]
	[ "$(field d1 .State.Pid)" != "$old" ]
	pm kill d1
	[ "$(field d1 .State.ExitCode)" = 137 ]
	[ "$(field d1 .State.OOMKilled)" = false ]
	# a program that ends by itself: its own status
	pm run -d --name d2 "$IMAGE" sh -c 'exit 3'
	run -0 pm wait d2
	[ "$output" = 3 ]
	[ "$(field d2 .State.ExitCode)" = 3 ]
	pm rm d1 d2
	[ -z "$(pm ps -aq)" ]
}

@test "exec, exec -u 1000, exec -i, -e, -w, top, exec in a stopped container; run -u" {
	detached pm x1
	exec_checks pm x1
	run -0 pm exec -i x1 cat <<<"from stdin"
	[ "$output" = "from stdin" ]
	run -0 pm exec -e FOO=bar -w /tmp x1 sh -c 'echo $FOO $PWD'
	[ "$output" = "bar /tmp" ]
	pm kill x1
	# podman's own refusal, before cfs-oci is asked
	run -255 pm exec x1 true
	[[ "$output" == *"container state improper"* ]]
	pm rm x1
	run -0 pm run --rm -u 1000:1000 "$IMAGE" sh -c 'id -u; id -g; grep CapEff /proc/self/status'
	[ "$output" = "1000
1000
CapEff:	0000000000000000" ]
}

@test "--memory, --pids-limit, --cpus: the container's cgroup has them" {
	# as with runc: /sys/fs/cgroup/CONTROLLER is the container's own cgroup
	run -0 pm run --rm --memory 64m --pids-limit 50 --cpus 0.5 "$IMAGE" sh -c '
		cat /sys/fs/cgroup/pids/pids.max
		cat /sys/fs/cgroup/memory/memory.limit_in_bytes
		cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us'
	[ "$output" = "50
67108864
50000" ]
}

# conmon 2.1.6 (Debian 12) watches the memory cgroup it reads in the
# container's /proc/PID/cgroup (memory.oom_control, an eventfd through
# cgroup.event_control, cgroup v1) and, on an OOM kill, makes a file
# "oom" in its working directory, which is podman's; podman 4.3 looks for
# it in the container's bundle (its userdata): OOMKilled is true only
# when podman runs there, whatever the runtime (runc, crun the same).
# conmon 2.1.13 makes it in the bundle (containers/conmon#504).
@test "--memory 32m: an OOM kill is 137; OOMKilled with conmon in the bundle, as with runc" {
	local rt id PM_WD
	for rt in cfs runc; do
		id=$(pm create --runtime "$rt" --name "oom-$rt" --memory 32m "$IMAGE" \
			sh -c 'x=0123456789abcdef; while :; do x=$x$x; done')
		PM_WD=$(field "$id" .StaticDir)
		run -137 pm start -a "oom-$rt"
		PM_WD=
		[ "$(pm inspect -f '{{.State.ExitCode}} {{.State.OOMKilled}}' "oom-$rt")" = "137 true" ]
		pm rm "oom-$rt"
	done
	# from elsewhere: conmon's file is where podman ran, not looked at
	run -137 pm run --name oom-cwd --memory 32m "$IMAGE" sh -c 'x=0123456789abcdef; while :; do x=$x$x; done'
	[ -e "$PT/oom" ]
	rm "$PT/oom"
	[ "$(field oom-cwd .State.OOMKilled)" = false ]
	pm rm oom-cwd
}

@test "--read-only, --cap-add/--cap-drop, -e/--env-file, -v HOST:CTR:ro, --network none" {
	# podman's tmpfs on /tmp, /var/tmp and /run are tmpcopyup
	run -1 pm run --rm --read-only "$IMAGE" touch /x
	[[ "$output" == *"Read-only file system"* ]]
	run -0 pm run --rm --read-only "$IMAGE" sh -c 'touch /tmp/x /var/tmp/x /run/x && ls /etc/passwd'
	run -0 pm run --rm --tmpfs /etc "$IMAGE" cat /etc/passwd || { echo "$output"; false; }
	[[ "$output" == "root:x:0:0:"* ]]
	# podman's default set has CAP_CHOWN (bit 0), not CAP_SYS_TIME (25)
	run -0 pm run --rm --cap-drop CHOWN --cap-add SYS_TIME "$IMAGE" \
		sh -c 'grep CapEff /proc/self/status'
	eff=$((0x${output##*:	}))
	[ $((eff & 1)) = 0 ]
	[ $((eff >> 25 & 1)) = 1 ]
	printf 'FROMFILE=yes\n# a comment\n' >"$BATS_TEST_TMPDIR/env"
	run -0 pm run --rm -e GREETING='hi  there' --env-file "$BATS_TEST_TMPDIR/env" \
		"$IMAGE" sh -c 'echo "$GREETING/$FROMFILE"'
	[ "$output" = "hi  there/yes" ]
	mkdir "$BATS_TEST_TMPDIR/vol"
	echo data >"$BATS_TEST_TMPDIR/vol/f"
	run -0 pm run --rm -v "$BATS_TEST_TMPDIR/vol:/vol:ro" "$IMAGE" \
		sh -c 'cat /vol/f; (echo x >/vol/g) 2>&1 || echo refused'
	[[ "$output" == "data"*"Read-only file system"*"refused" ]]
	[ ! -e "$BATS_TEST_TMPDIR/vol/g" ]
	run -0 pm run --rm --network none "$IMAGE" cat /proc/net/dev
	[ "$(grep -c : <<<"$output")" = 1 ]
	[[ "$output" == *" lo:"* ]]
}

# The machine's own network namespace as a user lists it: links,
# addresses, routes, nft (iptables-nft's too) ruleset, forwarding.
machine_net() {
	ip -o link | awk -F': ' '{print $2}'
	ip -o addr | awk '{print $2, $3, $4}'
	ip route
	nft list ruleset
	sysctl net.ipv4.ip_forward
}

@test "podman's default network (netavark) in a host namespace of the test's: its address, the gateway, the outside through NAT, -p 8080:80; nothing left after rm" {
	machine_net >"$BATS_TEST_TMPDIR/machine.before"
	net_setup
	outside_httpd
	# every podman call of the test, and teardown's, in its host
	PM_NET=/proc/$HOST/ns/net
	[ "$(pm info -f '{{.Host.NetworkBackend}}')" = netavark ]
	run -0 pm network inspect -f '{{.Driver}} {{range .Subnets}}{{.Subnet}} {{.Gateway}}{{end}}' podman
	[ "$output" = "bridge 10.88.0.0/16 10.88.0.1" ]
	pm run -d --name web --network bridge -p 8080:80 "$IMAGE" sh -c \
		'mkdir /tmp/www && echo page of web >/tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www'
	[ "$(field web .HostConfig.NetworkMode)" = bridge ]
	run -0 pm exec web ip -4 -o addr show eth0
	[[ "$output" =~ " inet 10.88."[0-9]+"."[0-9]+"/16 " ]]
	ip=$(field web .NetworkSettings.IPAddress)
	[[ "$output" == *" inet $ip/16 "* ]]
	run -0 pm exec web ip route
	[[ "$output" == "default via 10.88.0.1 dev eth0"* ]]
	pm exec web ping -c 1 -W 2 10.88.0.1
	# the outside sees the host's address, not the container's
	run -0 pm exec web timeout 2 wget -q -O - http://192.0.2.2:8000/cgi-bin/ip
	[ "$output" = 192.0.2.1 ]
	run -0 fetch H http://192.0.2.1:8080/
	[ "$output" = "page of web" ]
	run -0 fetch O http://192.0.2.1:8080/
	[ "$output" = "page of web" ]
	H nft list ruleset | grep -q "dnat to $ip:80"
	pm rm -f -t 0 web
	# nothing of it left in the test's host: no link but lo and vh, no
	# rule naming its address or port or a chain of its network
	# (netavark's shared chains, empty, stay: on any host they do), no
	# network namespace file, no process but the holder
	run -0 H ip -o link
	[ "$(awk -F': ' '{print $2}' <<<"$output" | sed 's/@.*//' | sort | xargs)" = "lo vh" ]
	run -0 H nft list ruleset
	[[ "$output" == *NETAVARK_FORWARD* ]]
	run ! grep -E "10\.88\.|8080|dport 80|NETAVARK-[0-9A-F]{6,}" <<<"$output"
	[ -z "$(ls "$PT/run/netns" | grep -v '\.lock$')" ]
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$HOST" ] && continue
		[ "$(readlink "$p/ns/net" 2>/dev/null)" != "$NET_BASE" ] ||
			{ echo "left: $(tr '\0' ' ' <"$p/cmdline")"; false; }
	done
	machine_net | diff "$BATS_TEST_TMPDIR/machine.before" -
}

@test "--security-opt seccomp=FILE: the profile is loaded" {
	cat >"$BATS_TEST_TMPDIR/seccomp.json" <<-'EOF'
		{"defaultAction": "SCMP_ACT_ALLOW",
		 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
	EOF
	run -1 pm run --rm --security-opt seccomp="$BATS_TEST_TMPDIR/seccomp.json" \
		"$IMAGE" mkdir /tmp/d
	[[ "$output" == *"Operation not permitted"* ]]
	run -0 pm run --rm "$IMAGE" sh -c 'grep Seccomp: /proc/self/status; mkdir /tmp/d'
	[ "$output" = "Seccomp:	2" ]
}

@test "run -it: a terminal through conmon's console socket; ^C; the exit status" {
	terminal pm
}

# --- rootless ---

# The user, its containers.conf (the root one's, with paths of its own)
# and the image in its storage.
rl_setup() {
	local w
	rl_add
	w=$(rl_work)
	touch "$PT/rl-mnt" "$PT/rl-net"
	mkdir "$PT/rl-tun"
	cfs-unshare --mount="$PT/rl-mnt" --net="$PT/rl-net" -- sh -ec "
		mount -t tmpfs -o mode=755 tmpfs $PT/rl-tun
		mknod -m 666 $PT/rl-tun/tun c 10 200
		mount --bind $PT/rl-tun/tun /dev/net/tun
		ip link set lo up"
	mkdir -p "$w/home" "$w/run" "$w/tmp" "$w/storage" "$w/runroot"
	sed "s|$PT/|$w/|" "$PT/containers.conf" >"$w/containers.conf"
	cp "$PT/rootfs.tar" "$w/"
	chown -R "$RL_USER:" "$w"
	chmod 700 "$w/run"
	pmu import -q "$w/rootfs.tar" "$IMAGE" >/dev/null
}

# Every process of the user's (podman's pause process, conmon, a
# container's) killed by PID, then the user and its files removed.
rl_cleanup() {
	local w p
	w=$(rl_work 2>/dev/null) || true
	if [ -n "$w" ]; then
		pmu rm -a -f -t 0 >/dev/null 2>&1 || true
	fi
	if id "$RL_USER" >/dev/null 2>&1; then
		for p in $(pgrep -u "$RL_USER"); do
			kill -KILL "$p" 2>/dev/null || true
		done
	fi
	rl_teardown
}

# The user's podman, in its own dirs and the file's namespaces; what
# follows runs as RL_USER, with nothing of root's environment.
pmu() {
	local w
	w=$(rl_work)
	(cd "$w" && nsenter --mount="$BATS_FILE_TMPDIR/rl-mnt" \
		--net="$BATS_FILE_TMPDIR/rl-net" \
		setpriv --reuid "$RL_USER" --regid "$RL_USER" --init-groups \
		env -i PATH="$PATH" HOME="$w/home" XDG_RUNTIME_DIR="$w/run" \
		CONTAINERS_CONF="$w/containers.conf" \
		podman --root "$w/storage" --runroot "$w/runroot" \
		--storage-driver vfs "$@")
}

# The cfs-oci cgroups (relative ones, of the cfs parent) there are now.
oci_cgroups_now() { ls -d /sys/fs/cgroup/*/cfs/oci-* 2>/dev/null || true; }

@test "rootless: run --rm: output and exit status through cfs-oci, in the user's namespace, no cgroup made" {
	oci_cgroups_now >"$BATS_TEST_TMPDIR/oci.before"
	run -0 pmu info -f '{{.Host.Security.Rootless}} {{.Host.OCIRuntime.Path}}'
	[ "$output" = "true $CFS_BUILD/cfs-oci" ]
	run -0 --separate-stderr pmu run --rm "$IMAGE" sh -c 'id -u; cat /proc/self/uid_map'
	uid=$(id -u "$RL_USER")
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" =~ ^\ +0\ +$uid\ +1$ ]]
	[[ "${lines[2]}" =~ ^\ +1\ +$RL_SUB\ +65536$ ]]
	run -7 pmu run --rm "$IMAGE" sh -c 'exit 7'
	not_runnable pmu
	[ -z "$(pmu ps -aq)" ]
	[ -z "$(ls -A "$(rl_work)/run/cfs-oci")" ]
	oci_cgroups_now | diff "$BATS_TEST_TMPDIR/oci.before" -
}

@test "rootless: run -d, logs, exec, exec -u 1000, top, stop -t 1 (TERM ignored, 137), rm" {
	detached pmu r1
	exec_checks pmu r1
	stop_kills pmu r1
	pmu rm r1
	[ -z "$(pmu ps -aq)" ]
	[ -z "$(ls -A "$(rl_work)/run/cfs-oci")" ]
}

@test "rootless: cfs-oci without a cgroup: said once in --log; a limit refused naming it; state, ps, kill --all, pause, delete; ps refused without a PID namespace" {
	local w b
	w=$(rl_work)
	b=$w/bundle
	mkdir "$b"
	cfs-oci spec --bundle "$b"
	python3 - "$b/config.json" "$w/rootfs" <<-'PY'
		import json, sys
		c = json.load(open(sys.argv[1]))
		c['root']['path'] = sys.argv[2]
		c['process']['args'] = ['sh', '-c', 'sleep 1000 & wait']
		json.dump(c, open(sys.argv[1], 'w'))
		c['linux']['resources'] = {'memory': {'limit': 67108864}}
		json.dump(c, open(sys.argv[1] + '.mem', 'w'))
		c['linux']['resources'] = {}
		# its only process the init: delete kills it, nothing else
		c['process']['args'] = ['sleep', '1000']
		c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'pid']
		# a new proc needs a PID namespace of ours: the host's, bound
		c['mounts'] = [m if m['destination'] != '/proc' else
		               {'destination': '/proc', 'type': 'bind', 'source': '/proc',
		                'options': ['rbind', 'nosuid', 'noexec', 'nodev']}
		               for m in c['mounts']]
		json.dump(c, open(sys.argv[1] + '.nopid', 'w'))
	PY
	chown -R "$RL_USER:" "$b"
	# as root of the user's podman namespace, as podman runs cfs-oci
	run -0 pmu unshare "$CFS_BUILD/reaper" bash -c "
		o() { cfs-oci --root $w/run/t \"\$@\"; }
		o --log $w/log --log-format json create --bundle $b t1 || exit 1
		o start t1
		pid=\$(o state t1 | sed -n 's/.*\"pid\": \([0-9]*\).*/\1/p')
		echo pid \$pid
		for i in \$(seq 50); do [ \$(o ps --format json t1 | tr , '\n' | wc -l) = 2 ] && break; sleep 0.1; done
		echo ps \$(o ps --format json t1 | tr -c '0-9\n' ' ' | wc -w)
		o ps --format json t1 | grep -q \"\$pid\" && echo init listed
		o pause t1 2>&1
		o kill --all t1 KILL
		for i in \$(seq 50); do o state t1 | grep -q stopped && break; sleep 0.1; done
		o state t1 | grep '\"status\"' | tr -d ' ,'
		o delete t1
		mv $b/config.json $b/config.json.none; mv $b/config.json.mem $b/config.json
		o create --bundle $b t2 2>&1
		echo status \$?
		mv $b/config.json.nopid $b/config.json
		o create --bundle $b t3 2>&1 && o start t3 || exit 1
		o ps t3 2>&1 | sed 's/PID [0-9]*/PID N/'
		o kill --all t3 KILL 2>&1 | sed 's/PID [0-9]*/PID N/'
		o delete --force t3
		echo left \$(ls -A $w/run/t)"
	echo "$output"
	[[ "${lines[0]}" == "pid "[0-9]* ]]
	[ "${lines[1]}" = "ps 2" ]
	[ "${lines[2]}" = "init listed" ]
	[ "${lines[3]}" = "cfs-oci: pause t1: the container has no cgroup (made rootless where cgroups are not delegated)" ]
	[ "${lines[4]}" = '"status":"stopped"' ]
	[[ "${lines[5]}" == "cfs-oci: create t2: linux.resources.memory: a limit needs a cgroup, and cgroup v1 /sys/fs/cgroup/"*" is not writable by uid 0: cgroups are not delegated" ]]
	[ "${lines[6]}" = "status 125" ]
	# without a PID namespace either: refused
	[ "${lines[7]}" = "cfs-oci: container t3: list the processes of PID N: it has no cgroup and no PID namespace of its own" ]
	[ "${lines[8]}" = "${lines[7]}" ]
	[ "${lines[9]}" = left ]
	# the log: one warning, said once
	run -0 python3 -c "import json, sys
for line in open(sys.argv[1]):
    j = json.loads(line)
    print(j['level'], j['msg'])" "$w/log"
	[[ "$output" == "warning cfs-oci: create t1: no cgroup: cgroup v1 /sys/fs/cgroup/"*" is not writable by uid 0: cgroups are not delegated; no limit is asked, so the container runs in its caller's cgroups" ]]
	[ "${#lines[@]}" = 1 ]
}

@test "rootless: podman's default network (slirp4netns): the network namespace it hands cfs-oci" {
	run -0 pmu run -d --name n1 --network slirp4netns "$IMAGE" sleep 1000
	[ "$(pmu inspect -f '{{.HostConfig.NetworkMode}}' n1)" = slirp4netns ]
	run -0 pmu exec n1 ip -4 -o addr show tap0
	[[ "$output" == *" inet 10.0.2.100/24 "* ]]
	run -0 pmu exec n1 ip route
	[[ "$output" == "default via 10.0.2.2 dev tap0"* ]]
	pmu rm -f -t 0 n1
}

@test "rootless: run -it: a terminal through conmon's console socket; ^C; the exit status" {
	terminal pmu
}
