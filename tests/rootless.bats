#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Rootless containers: the chain run by a real unprivileged user, made
# here with subordinate ranges of its own and removed after the file, pass
# or fail (its /etc/subuid and /etc/subgid lines too).
load common

RL_USER=cfs-test-rl
RL_SUB=3300000 # its range, 65536 ids: nothing else here uses it

load helpers/rootless

nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }

setup_file() {
	rl_add
	# a directory to share with its containers, and a host file they must
	# not see
	mkdir "$RL_WORK/share"
	chown "$RL_USER:" "$RL_WORK/share"
	echo secret >"$RL_WORK/host-file"
	chown "$RL_USER:" "$RL_WORK/host-file"
}

teardown_file() { rl_teardown; }

eval "common_$(declare -f setup)"
setup() {
	common_setup
	RL_WORK=$(rl_work)
	RL_UID=$(id -u "$RL_USER")
	RL_GID=$(id -g "$RL_USER")
	rm -rf "$RL_WORK/share/"*
}

# The chain of the first container, as the user, with cfs-unshare options
# "$@" first; its program after a --; cfs-pivot options in $PIVOT_OPTS.
rootless() {
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	as_user cfs-unshare "${opts[@]}" --uts --pid --mount --ipc --net --fork \
		--hostname box -- \
		cfs-pivot --bind "$PROBE:/probe:ro" --bind "$RL_WORK/share:/share" \
		$PIVOT_OPTS "$RL_WORK/rootfs" -- "$@"
}

@test "the user exists with its own ranges, and no other" {
	run -0 grep "^$RL_USER:" /etc/subuid /etc/subgid
	[ "${#lines[@]}" = 2 ]
	[[ "${lines[0]}" == *":$RL_USER:$RL_SUB:65536" ]]
	run -0 as_user id -u
	[ "$output" = "$RL_UID" ]
	[ "$RL_UID" != 0 ]
}

@test "--map-root-user as a user: root inside, the user outside" {
	run -0 rootless -r -- sh -c 'whoami; cat /proc/self/uid_map; touch /share/f'
	[ "${lines[0]}" = root ]
	[ "$(echo ${lines[1]})" = "0 $RL_UID 1" ]
	[ "$(stat -c %u:%g "$RL_WORK/share/f")" = "$RL_UID:$RL_GID" ]
}

@test "--map-auto: root is the user, 1-65536 its subordinate ids, and files show them outside" {
	run -0 rootless --map-auto -- sh -c 'whoami; cat /proc/self/uid_map /proc/self/gid_map
		touch /share/root /share/one /share/thousand
		chown 1:1 /share/one; chown 1000:1000 /share/thousand'
	[ "${lines[0]}" = root ]
	[ "$(echo ${lines[1]})" = "0 $RL_UID 1" ]
	[ "$(echo ${lines[2]})" = "1 $RL_SUB 65536" ]
	[ "$(echo ${lines[3]})" = "0 $RL_GID 1" ]
	[ "$(echo ${lines[4]})" = "1 $RL_SUB 65536" ]
	[ "$(stat -c %u:%g "$RL_WORK/share/root")" = "$RL_UID:$RL_GID" ]
	[ "$(stat -c %u:%g "$RL_WORK/share/one")" = "$RL_SUB:$RL_SUB" ]
	[ "$(stat -c %u:%g "$RL_WORK/share/thousand")" = "$((RL_SUB + 999)):$((RL_SUB + 999))" ]
	# an id outside the map cannot be given
	run -1 rootless --map-auto -- chown 65537 /share/root
}

@test "--map-users and --map-groups by hand, repeatable, both spellings" {
	run -0 as_user cfs-unshare --map-users "0:$RL_UID:1" --map-users=1:$((RL_SUB + 10)):100 \
		--map-groups "0:$RL_GID:1" --map-groups=5:$RL_SUB:3 \
		sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u'
	[ "$(echo ${lines[0]})" = "0 $RL_UID 1" ]
	[ "$(echo ${lines[1]})" = "1 $((RL_SUB + 10)) 100" ]
	[ "$(echo ${lines[2]})" = "0 $RL_GID 1" ]
	[ "$(echo ${lines[3]})" = "5 $RL_SUB 3" ]
	[ "${lines[4]}" = 0 ]
	run -0 as_user cfs-unshare --map-users=auto id -u
	[ "$output" = 0 ]
}

@test "the first container, rootless: PID 1, its own hostname, no host file, the exit status" {
	# CAP_SYS_ADMIN (of the container's user namespace): cfs-pivot's
	# default set lacks it
	PIVOT_OPTS="--cap-add SYS_ADMIN" run -7 rootless --map-auto -- sh -c "
		echo \$\$; hostname; hostname other; hostname
		ls $RL_WORK/host-file /share; exit 7"
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" = box ]
	[ "${lines[2]}" = other ]
	[[ "$output" == *"$RL_WORK/host-file: No such file or directory"* ]]
	[ "$(hostname)" = "$(cat "$BATS_TEST_TMPDIR/hostname.before")" ]
	# hardened as root's is: a seccomp filter, no_new_privs, no SYS_ADMIN
	run -0 rootless --map-auto -- sh -c 'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status
		hostname x 2>/dev/null || echo refused'
	[ "$(echo ${lines[0]})" = "NoNewPrivs: 1" ]
	[ "$(echo ${lines[1]})" = "Seccomp: 2" ]
	[ "${lines[2]}" = refused ]
	# another user inside is a subordinate id outside
	PIVOT_OPTS="--user 1000" run -0 rootless --map-auto -- sh -c 'id -u; touch /tmp/f'
	[ "$output" = 1000 ]
	[ "$(stat -c %u "$RL_WORK/rootfs/tmp/f")" = $((RL_SUB + 999)) ]
	rm "$RL_WORK/rootfs/tmp/f"
	run -0 rootless -r -- sh -c 'ps -o pid,comm; ls /dev'
	[ "${lines[1]}" = "    1 sh" ]
	[ "${lines[2]}" = "    2 ps" ]
	[[ "$output" == *null*zero* ]]
}

@test "cfs-enter re-enters a rootless container as the same user" {
	start setpriv --reuid "$RL_USER" --regid "$RL_USER" --init-groups cfs-unshare --map-auto --uts --pid --mount --ipc --net --fork \
		--hostname box -- cfs-pivot "$RL_WORK/rootfs" -- \
		sh -c 'echo ready; exec sleep 1000'
	pid=$(pgrep -P "$chain")
	[ "$(stat -c %u /proc/$pid)" = "$RL_UID" ]
	run -0 as_user cfs-enter -t "$pid" --all sh -c 'whoami; hostname; readlink /proc/self/ns/pid; ps -o pid,comm'
	[ "${lines[0]}" = root ]
	[ "${lines[1]}" = box ]
	[ "${lines[2]}" = "$(readlink "/proc/$pid/ns/pid")" ]
	[[ "${lines[4]}" =~ ^\ *1\ sleep$ ]]
	# as ordinary users, nsenter too: the namespaces are the user's own
	run -0 as_user cfs-enter -t "$pid" -U -u -S 1000 -G 1000 sh -c 'id -u; hostname'
	[ "$output" = "1000
box" ]
	# without its user namespace a user may join none of the others
	run -125 --separate-stderr as_user cfs-enter -t "$pid" -u hostname
	[ "$stderr" = "cfs-enter: setns /proc/$pid/ns/uts: Operation not permitted (as a user, join the container's user namespace too: -U)" ]
	# another user may not enter it at all
	run -125 --separate-stderr nobody cfs-enter -t "$pid" --all true
	[ "$stderr" = "cfs-enter: open /proc/$pid/ns/user: Permission denied" ]
}

@test "bad maps are refused with 125 before anything, each with its reason" {
	run -125 --separate-stderr as_user cfs-unshare --map-users "0:$RL_UID:1" --map-users 0:$RL_SUB:10 true
	[ "$stderr" = "cfs-unshare: --map-users 0:$RL_UID:1 and --map-users 0:$RL_SUB:10: overlapping maps (both map the same inner uids)" ]
	run -125 --separate-stderr as_user cfs-unshare --map-groups 1:$RL_SUB:10 --map-groups 100:$((RL_SUB + 5)):10 true
	[ "$stderr" = "cfs-unshare: --map-groups 1:$RL_SUB:10 and --map-groups 100:$((RL_SUB + 5)):10: overlapping maps (both map onto the same gids)" ]
	run -125 --separate-stderr as_user cfs-unshare -r --map-auto true
	[[ "$stderr" == *"overlapping maps"* ]]
	run -125 --separate-stderr as_user cfs-unshare --map-users 1:$RL_SUB:65537 true
	[ "$stderr" = "cfs-unshare: --map-users 1:$RL_SUB:65537: larger than the range $RL_SUB:65536 of $RL_USER (uid $RL_UID) in /etc/subuid" ]
	run -125 --separate-stderr as_user cfs-unshare --map-groups 1:$((RL_SUB - 1)):2 true
	[ "$stderr" = "cfs-unshare: --map-groups 1:$((RL_SUB - 1)):2: larger than the range $RL_SUB:65536 of $RL_USER (uid $RL_UID) in /etc/subgid" ]
	run -125 --separate-stderr as_user cfs-unshare --map-users 1:1:1 true
	[ "$stderr" = "cfs-unshare: --map-users 1:1:1: uids 1-1 are not in the ranges of $RL_USER (uid $RL_UID) in /etc/subuid ($RL_SUB:65536)" ]
	for bad in 1:2 1:2:0 a:1:1 1:2:3:4 -1:5:5 1:2:4294967295 ""; do
		run -125 --separate-stderr as_user cfs-unshare --map-users "$bad" true
		[ "$stderr" = "cfs-unshare: --map-users $bad: not INNER:OUTER:COUNT (IDs below 4294967295, COUNT above 0) or auto" ] ||
			{ echo "$bad: $stderr"; false; }
	done
}

@test "no entry in /etc/subuid or /etc/subgid: the file is named" {
	run -125 --separate-stderr nobody cfs-unshare --map-auto true
	[ "$stderr" = "cfs-unshare: --map-auto: no entry for nobody (uid 65534) in /etc/subuid: ask for a range of subordinate IDs (usermod --add-subuids)" ]
	run -125 --separate-stderr nobody cfs-unshare --map-groups 1:$RL_SUB:1 true
	[ "$stderr" = "cfs-unshare: --map-groups 1:$RL_SUB:1: no entry for nobody (uid 65534) in /etc/subgid: ask for a range of subordinate IDs (usermod --add-subgids)" ]
	# its own id alone needs no entry
	run -0 nobody cfs-unshare --map-users 0:65534:1 id -u
	[ "$output" = 0 ]
}

@test "newuidmap not installed: the uidmap package is named, and nothing is left" {
	# newuidmap is looked up in PATH: one without it
	run -125 --separate-stderr as_user env PATH=/nonexistent \
		"$CFS_BUILD/cfs-unshare" --map-auto --uts /bin/true
	[ "$stderr" = "cfs-unshare: run newuidmap: not found in \$PATH: install the uidmap package" ]
	# a single map of our own id needs no helper
	run -0 as_user env PATH=/nonexistent "$CFS_BUILD/cfs-unshare" -r /bin/true
}

@test "--setgroups: denied with a single map, allowed with a range, deny on request" {
	run -0 as_user cfs-unshare -r cat /proc/self/setgroups
	[ "$output" = deny ]
	run -0 as_user cfs-unshare --map-auto sh -c 'cat /proc/self/setgroups; id -G'
	[ "${lines[0]}" = allow ]
	run -0 as_user cfs-unshare --map-auto --setgroups deny cat /proc/self/setgroups
	[ "$output" = deny ]
	run -125 --separate-stderr as_user cfs-unshare -r --setgroups allow true
	[ "$stderr" = "cfs-unshare: --setgroups allow and --map-root-user exclude each other" ]
	run -125 --separate-stderr as_user cfs-unshare --map-groups "0:$RL_GID:1" --setgroups allow true
	[ "$stderr" = "cfs-unshare: --setgroups allow: a user that maps only its own gid gets setgroups denied; map a range of /etc/subgid too (--map-groups, --map-auto)" ]
	run -0 as_user cfs-unshare --map-users "0:$RL_UID:1" --map-groups "0:$RL_GID:1" \
		--map-groups 1:$RL_SUB:5 --setgroups allow cat /proc/self/setgroups
	[ "$output" = allow ]
}

@test "as root, --map-users maps any range, written from outside the namespace" {
	run -0 cfs-unshare --map-users 0:0:1 --map-users 1:5000:100 \
		--map-groups 0:0:1 --map-groups 1:5000:100 \
		sh -c 'cat /proc/self/uid_map; id -u; cat /proc/self/setgroups; chown 7 /proc/self/fd/1 2>&1'
	[ "$(echo ${lines[0]})" = "0 0 1" ]
	[ "$(echo ${lines[1]})" = "1 5000 100" ]
	[ "${lines[2]}" = 0 ]
	[ "${lines[3]}" = allow ]
	# root outside unmapped: nobody inside, with no capability left
	run -0 cfs-unshare --map-users 0:5000:100 sh -c 'id -u; grep CapEff /proc/self/status'
	[ "${lines[0]}" = 65534 ]
	[[ "${lines[1]}" =~ CapEff:.0+$ ]]
}

@test "--persist as a user: refused before anything, saying why" {
	run -125 --separate-stderr as_user cfs-unshare -r --uts --persist "$RL_WORK/share/c" true
	[ "$stderr" = "cfs-unshare: --persist $RL_WORK/share/c: a namespace is kept by a bind mount here, which needs CAP_SYS_ADMIN (root); as a user, enter by PID instead (cfs-enter -t PID; --pidfile)" ]
	run -125 --separate-stderr as_user cfs-unshare -r --uts="$RL_WORK/share/uts" true
	[[ "$stderr" == "cfs-unshare: --uts=$RL_WORK/share/uts: a namespace is kept"* ]]
	[ -z "$(ls "$RL_WORK/share")" ]
}

@test "cfs-cgroup as a user where cgroups are not delegated: one line, 125, nothing made; the chain runs without it" {
	[ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] || skip "cgroup v2 here: see cgroup-v2.bats"
	before=$(ls -d /sys/fs/cgroup/*/cfs 2>/dev/null || true)
	run -125 --separate-stderr as_user cfs-cgroup --pids 10 --rm rl-test -- true
	[[ "$stderr" =~ ^cfs-cgroup:\ cgroup\ v1\ /sys/fs/cgroup/[a-z,]+\ is\ not\ writable\ by\ uid\ $RL_UID:\ cgroups\ are\ not\ delegated\;\ run\ as\ root\ or\ use\ cgroup\ v2\ with\ systemd\ delegation$ ]]
	run -125 --separate-stderr as_user cfs-cgroup -t $$ rl-test
	[[ "$stderr" == *"is not writable by uid $RL_UID: cgroups are not delegated"* ]]
	[ "$(ls -d /sys/fs/cgroup/*/cfs 2>/dev/null || true)" = "$before" ]
	run -0 rootless -r -- true
}
