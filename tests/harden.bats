#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-pivot's defaults that keep a container in (issue 5), and the option
# that turns each off. tests/escape.bats tries to get out.

load common

# "KEY VALUE" of a status-like text on stdin, for the keys a container's
# privilege is made of; Uid and Gid by their real id only.
privs() {
	awk -F'\t' '/^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp|Groups):/ {
			sub(/ +$/, "", $2); print $1, $2 }
		/^(Uid|Gid):/ { print $1, $2 }'
}

@test "by default: docker's capability set, none inheritable, no_new_privs, a filter" {
	run -0 container cat /proc/self/status
	[[ "$output" =~ CapInh:.0000000000000000 ]]
	[[ "$output" =~ CapPrm:.00000000a80425fb ]]
	[[ "$output" =~ CapEff:.00000000a80425fb ]]
	[[ "$output" =~ CapBnd:.00000000a80425fb ]]
	[[ "$output" =~ CapAmb:.0000000000000000 ]]
	[[ "$output" =~ NoNewPrivs:.1 ]]
	[[ "$output" =~ Seccomp:.2 ]]
}

@test "--print-config shows what the program then gets, for each way of setting it" {
	local opts
	for opts in "" "--cap-drop ALL" "--cap-drop all --cap-add cap_net_admin --cap-add Kill" \
		"--user 1000 --cap-add NET_BIND_SERVICE" "--user nobody --groups tty,0" \
		"--allow-new-privs --no-seccomp" "--cap-add ALL"; do
		PIVOT_OPTS="$opts --print-config" run -0 container false
		privs <<<"$output" >"$BATS_TEST_TMPDIR/printed"
		PIVOT_OPTS="$opts" run -0 container cat /proc/self/status
		privs <<<"$output" >"$BATS_TEST_TMPDIR/got"
		echo "options: $opts"
		diff "$BATS_TEST_TMPDIR/printed" "$BATS_TEST_TMPDIR/got"
		[ "$(wc -l <"$BATS_TEST_TMPDIR/got")" = 10 ]
	done
}

@test "--print-config needs no /proc (--no-proc)" {
	PIVOT_OPTS="--cap-drop ALL --cap-add KILL --print-config" run -0 container
	privs <<<"$output" >"$BATS_TEST_TMPDIR/with"
	PIVOT_OPTS="--cap-drop ALL --cap-add KILL --no-proc --print-config" run -0 container
	privs <<<"$output" >"$BATS_TEST_TMPDIR/without"
	diff "$BATS_TEST_TMPDIR/with" "$BATS_TEST_TMPDIR/without"
	grep -q "CapBnd:.0000000000000020" "$BATS_TEST_TMPDIR/without"
}

@test "--cap-add and --cap-drop: in command-line order, any spelling, ALL" {
	PIVOT_OPTS="--cap-drop ALL --cap-add cap_net_admin --cap-add Kill" \
		run -0 container grep -E 'Cap(Eff|Bnd)' /proc/self/status
	[ "$output" = "$(printf 'CapEff:\t0000000000001020\nCapBnd:\t0000000000001020')" ]
	PIVOT_OPTS="--cap-add NET_ADMIN --cap-drop all" \
		run -0 container grep CapEff /proc/self/status
	[ "$output" = "$(printf 'CapEff:\t0000000000000000')" ]
	# a capability the default set lacks, at work
	run -1 container hostname inside
	PIVOT_OPTS="--cap-add SYS_ADMIN" run -0 container sh -c 'hostname inside; hostname'
	[ "$output" = inside ]
}

@test "a capability name that is not one is refused, naming it" {
	run -125 cfs-pivot --cap-add CAP_NOPE "$ROOTFS" true
	[[ "$output" == *"--cap-add CAP_NOPE: not a capability"* ]]
	run -125 cfs-pivot --cap-drop 12 "$ROOTFS" true
	[[ "$output" == *"--cap-drop 12: not a capability"* ]]
}

@test "--user: no capability left, but those added, which survive exec" {
	PIVOT_OPTS="--user 1000" run -0 container cat /proc/self/status
	[[ "$output" =~ Uid:.1000 ]]
	[[ "$output" =~ Gid:.0 ]]
	for set in Inh Prm Eff Bnd Amb; do
		[[ "$output" =~ Cap$set:.0000000000000000 ]]
	done
	PIVOT_OPTS="--user 1000:1000 --cap-add NET_BIND_SERVICE" \
		run -0 container cat /proc/self/status
	[[ "$output" =~ Gid:.1000 ]]
	for set in Inh Prm Eff Bnd Amb; do
		[[ "$output" =~ Cap$set:.0000000000000400 ]]
	done
}

@test "--user and --groups by name, from the container's own /etc/passwd and /etc/group" {
	PIVOT_OPTS="--user nobody --groups tty,root" run -0 container id
	[ "$output" = "uid=65534(nobody) gid=65534(nogroup) groups=0(root),5(tty)" ]
	PIVOT_OPTS="--user nobody:tty" run -0 container id -g
	[ "$output" = 5 ]
	PIVOT_OPTS="--user nosuch" run -125 container true
	[[ "$output" == *"user nosuch: not in the container's /etc/passwd"* ]]
	PIVOT_OPTS="--user 1000 --groups nosuch" run -125 container true
	[[ "$output" == *"group nosuch: not in the container's /etc/group"* ]]
}

@test "--rlimit sets soft and hard limits; a bad one is refused before anything" {
	PIVOT_OPTS="--rlimit nofile=64:128 --rlimit RLIMIT_CORE=0" \
		run -0 container sh -c 'ulimit -n; ulimit -Hn; ulimit -c'
	[ "$output" = "$(printf '64\n128\n0')" ]
	PIVOT_OPTS="--rlimit NPROC=10" run -0 container sh -c 'ulimit -u; ulimit -Hu'
	[ "$output" = "$(printf '10\n10')" ]
	run -125 cfs-pivot --rlimit nofile "$ROOTFS" true
	[[ "$output" == *"--rlimit nofile: not NAME=SOFT[:HARD]"* ]]
	run -125 cfs-pivot --rlimit files=1 "$ROOTFS" true
	run -125 cfs-pivot --rlimit nofile=10:5 "$ROOTFS" true
	[[ "$output" == *"soft limit is above the hard one"* ]]
	run -125 cfs-pivot --rlimit nofile=ten "$ROOTFS" true
}

@test "--seccomp FILE: its rules, excludes.caps following the capabilities kept" {
	cat >"$BATS_TEST_TMPDIR/profile" <<-'END'
	{
		"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [
			{ "comment": "mkdir denied", "names": ["mkdir", "mkdirat"],
			  "action": "SCMP_ACT_ERRNO" },
			{ "comment": "chmod only with CAP_FOWNER",
			  "names": ["fchmodat", "chmod"], "action": "SCMP_ACT_ERRNO",
			  "excludes": { "caps": ["CAP_FOWNER"] } }
		]
	}
	END
	PIVOT_OPTS="--seccomp $BATS_TEST_TMPDIR/profile" \
		run -1 container mkdir /tmp/d
	[[ "$output" == *"Operation not permitted"* ]]
	PIVOT_OPTS="--seccomp $BATS_TEST_TMPDIR/profile" \
		run -0 container sh -c 'f=/tmp/f.$$; touch $f && chmod 600 $f; rc=$?; rm -f $f; exit $rc'
	PIVOT_OPTS="--seccomp $BATS_TEST_TMPDIR/profile --cap-drop FOWNER" \
		run -1 container sh -c 'f=/tmp/f.$$; touch $f && chmod 600 $f; rc=$?; rm -f $f; exit $rc'
	[[ "$output" == *"Operation not permitted"* ]]
	PIVOT_OPTS="--seccomp $BATS_TEST_TMPDIR/profile --print-config" run -0 container true
	[[ "$output" =~ Seccomp_rules:.2 ]]
	PIVOT_OPTS="--seccomp $BATS_TEST_TMPDIR/profile --cap-drop FOWNER --print-config" \
		run -0 container true
	[[ "$output" =~ Seccomp_rules:.4 ]]
	PIVOT_OPTS="--seccomp $BATS_TEST_TMPDIR/profile --cap-add ALL --print-config" \
		run -0 container true
	[[ "$output" =~ Seccomp_rules:.2 ]]
}

@test "a profile's mistakes are named by file and place, before anything is mounted" {
	local p=$BATS_TEST_TMPDIR/bad
	printf '{"defaultAction": "SCMP_ACT_ALLOW",\n "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_FORBID"}]}\n' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: syscalls[0].action: unknown action 'SCMP_ACT_FORBID': Invalid argument" ]
	printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["clone"],\n "action": "SCMP_ACT_ERRNO", "args": [{"index": 9, "value": 1, "op": "SCMP_CMP_EQ"}]}]}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[[ "$output" == *"$p: syscalls[0].args[0].index: 9 is out of range (0 to 5)"* ]]
	printf '{"syscalls": []}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[[ "$output" == *"$p: defaultAction: missing"* ]]
	printf 'default allow\ndeny mkdir\n' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: not a JSON object: a profile is JSON, as docker's and podman's are: Invalid argument" ]
	run -125 cfs-pivot --seccomp "$BATS_TEST_TMPDIR/none" "$ROOTFS" true
	[[ "$output" == *"open $BATS_TEST_TMPDIR/none: No such file or directory"* ]]
	run -125 cfs-pivot --seccomp "$p" --no-seccomp "$ROOTFS" true
}

@test "the default profile denies what docker's does, and is the file in the tree" {
	run -1 container /probe keyring
	[ "$output" = "keyctl: Operation not permitted" ]
	PIVOT_OPTS="--no-seccomp" run -0 container /probe keyring
	[[ "$output" =~ ^[0-9]+$ ]]
	# the same file given by name loads the same rules
	PIVOT_OPTS="--print-config" run -0 container true
	default=$(grep Seccomp_rules <<<"$output")
	PIVOT_OPTS="--seccomp $BATS_TEST_DIRNAME/../profiles/default.json --print-config" \
		run -0 container true
	[ "$(grep Seccomp_rules <<<"$output")" = "$default" ]
}

@test "a fresh session keyring, and a new session: the program leads it" {
	host=$("$PROBE" keyring)
	PIVOT_OPTS="--no-seccomp" run -0 container /probe keyring
	[[ "$output" =~ ^[0-9]+$ ]]
	[ "$output" != "$host" ]
	run -0 container /probe sid
	[ "$output" = 1 ]
	PIVOT_OPTS="--keep-session" run -0 container /probe sid
	[ "$output" = 0 ]
}

@test "a session leader's cfs-pivot forks for the new session, and passes on the status" {
	# setsid(1) makes cfs-pivot a session leader, which setsid(2) refuses
	run -7 setsid cfs-pivot --bind "$PROBE:/probe:ro" "$ROOTFS" -- \
		sh -c 'echo $$ $(/probe sid) $(cut -d" " -f6 /proc/$PPID/stat); exit 7'
	read -r pid sid parent_sid <<<"$output"
	[ "$pid" = "$sid" ]
	[ "$parent_sid" != "$sid" ]
}

@test "masked paths are empty, read-only paths read-only; --no-mask-paths" {
	run -0 container sh -c 'wc -c </proc/timer_list; ls /sys/firmware | wc -l;
		echo x >/proc/sys/kernel/domainname || echo refused;
		grep -c " /proc/sys ro," /proc/self/mountinfo'
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 0 ]
	[[ "$output" == *"domainname: Read-only file system"* ]]
	[ "${lines[3]}" = refused ]
	[ "${lines[4]}" = 1 ]
	# (this kernel may lack /proc/sysrq-trigger: it is skipped, not made)
	if [ -e /proc/sysrq-trigger ]; then
		run -0 container grep -c " /proc/sysrq-trigger ro," /proc/self/mountinfo
	else
		run -1 container test -e /proc/sysrq-trigger
	fi
	# the container's own UTS namespace: harmless to write once unmasked
	PIVOT_OPTS="--no-mask-paths" run -0 container sh -c \
		'head -c 1 /proc/timer_list | grep -q . && echo listed;
		 echo inside >/proc/sys/kernel/domainname && cat /proc/sys/kernel/domainname'
	[ "$output" = "$(printf 'listed\ninside')" ]
	[ "$(cat /proc/sys/kernel/domainname)" != inside ]
}

@test "--print-config lists the paths masked and made read-only: those this kernel has" {
	local masked readonly
	PIVOT_OPTS="--print-config" run -0 container true
	masked=$(sed -n 's/^Masked:\t//p' <<<"$output")
	readonly=$(sed -n 's/^Readonly:\t//p' <<<"$output")
	PIVOT_OPTS="--no-mask-paths" run -0 container sh -c '
		for p in /proc/acpi /proc/kcore /proc/keys /proc/latency_stats \
			/proc/timer_list /proc/timer_stats /proc/sched_debug \
			/proc/scsi /sys/firmware /sys/devices/virtual/powercap; do
			[ -e $p ] && printf "%s " $p; done; echo
		for p in /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger; do
			[ -e $p ] && printf "%s " $p; done; echo'
	[ "${lines[0]}" = "$masked " ]
	[ "${lines[1]}" = "$readonly " ]
	[[ "$masked" == *"/proc/"* ]]
	# no /proc of ours: none of its paths is masked
	PIVOT_OPTS="--no-proc --print-config" run -0 container true
	[[ "$output" == *"$(printf 'Masked:\t')"* ]]
	[[ "$output" != *"/proc/"* ]]
	PIVOT_OPTS="--no-mask-paths --print-config" run -0 container true
	[[ "$output" == *"$(printf 'Masked:\t\nReadonly:\t\n')"* ]]
}

@test "a device node made in the container cannot be opened (nodev); --allow-dev" {
	# (the rootfs is shared by the tests: the node is removed)
	local node=/tmp/null.$BATS_TEST_NUMBER.$$
	run -0 container sh -c "mknod $node c 1 3 && echo made;
		echo x >$node || echo refused; rm $node; echo x >/dev/null && echo bound"
	[ "${lines[0]}" = made ]
	[[ "$output" == *"Permission denied"* ]]
	[[ "$output" == *refused* ]]
	[[ "$output" == *bound* ]]
	PIVOT_OPTS="--allow-dev" run -0 container sh -c \
		"mknod $node c 1 3 && echo x >$node && echo opened; rm $node"
	[ "$output" = opened ]
}

@test "--allow-new-privs leaves no_new_privs unset" {
	PIVOT_OPTS="--allow-new-privs" run -0 container grep NoNewPrivs /proc/self/status
	[ "$output" = "$(printf 'NoNewPrivs:\t0')" ]
}

@test "the default filter, compiled when cfs is built, is the one libseccomp makes at start" {
	local f opts
	sleeper() {
		start cfs-unshare -upf -- cfs-pivot "$@" "$ROOTFS" -- \
			sh -c 'echo ready; exec sleep 100'
		pid=$(pgrep -P "$chain")
	}
	for f in compiled built; do
		[ $f = compiled ] && opts=() ||
			opts=(--seccomp "$BATS_TEST_DIRNAME/../profiles/default.json")
		sleeper "${opts[@]}"
		run -0 "$PROBE" filter "$pid"
		echo "$output" >"$BATS_TEST_TMPDIR/$f"
		[ "$(wc -l <"$BATS_TEST_TMPDIR/$f")" -gt 60 ]
		kill -KILL "$pid" "$chain"
		wait "$chain" || true
	done
	diff "$BATS_TEST_TMPDIR/compiled" "$BATS_TEST_TMPDIR/built"
	# another capability set: another filter, built at start
	sleeper --cap-add SYS_ADMIN
	run -0 "$PROBE" filter "$pid"
	[ "$output" != "$(cat "$BATS_TEST_TMPDIR/built")" ]
}
