#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 15, item 10 (POLICY): the default seccomp profile was a deny list,
# and a deny list allows every system call added to the kernel after it
# was written: the class of the io_uring escapes (CVE-2022-29582,
# CVE-2023-2598) and of every new mount, key or BPF interface reached
# before a list catches up. The default is now an allowlist, read from
# profiles/default.json in the format runc, crun and podman read; the
# same system calls are made (tests/helpers/sysprobe.c) in a cfs container
# and in a crun container given the same profile, and must get the same
# answers.
load common

SYSPROBE="$CFS_BUILD/sysprobe"
CONTAINERS_PROFILE=/usr/share/containers/seccomp.json
DEFAULT_PROFILE="$BATS_TEST_DIRNAME/../profiles/default.json"

# docker's, podman's and cfs-pivot's default capability set
DEFAULT_CAPS="CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL
	CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_NET_RAW
	CAP_SYS_CHROOT CAP_MKNOD CAP_AUDIT_WRITE CAP_SETFCAP"

# sysbox [PIVOT_OPTION...] -- [SYSPROBE_ARG...]: the probe's answers in a
# container with every namespace
sysbox() {
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	cfs-unshare --uts --pid --mount --ipc --net --cgroup --fork \
		--hostname box -- \
		cfs-pivot --bind "$SYSPROBE:/sysprobe:ro" "${opts[@]}" "$ROOTFS" \
		-- /sysprobe "$@"
}

# json FILE: FILE from stdin (a profile the test writes)
json() { cat >"$BATS_TEST_TMPDIR/$1"; }

need_crun() {
	command -v crun >/dev/null && [ -f "$CONTAINERS_PROFILE" ] || {
		echo "crun and $CONTAINERS_PROFILE are needed (./setup check installs crun and golang-github-containers-common)"
		return 1
	}
}

# oci_config PROFILE CAP...: a crun bundle's config.json on stdout, that
# runs the probe with the capabilities CAP... and the filter PROFILE
# gives them, resolved as podman resolves it for crun (containers/common:
# the rules whose includes hold and whose excludes do not, for amd64 and
# this kernel; the archMap entry of x86_64).
oci_config() {
	local profile=$1
	shift
	(cd "$BATS_TEST_TMPDIR" && rm -f config.json && crun spec)
	python3 - "$profile" "$BATS_TEST_TMPDIR/config.json" "$ROOTFS" \
		"$SYSPROBE" "$@" <<-'END'
	import errno, json, os, sys
	profile, template, rootfs, probe, caps = sys.argv[1:5] + [sys.argv[5:]]
	p = json.load(open(profile))
	spec = json.load(open(template))
	kernel = tuple(int(x) for x in os.uname().release.split(".")[:2])
	version = lambda s: tuple(int(x) for x in s.split("."))
	def errno_of(o, ret, name):
	    return getattr(errno, o[name]) if o.get(name) else o.get(ret)
	def applies(s):
	    inc, exc = s.get("includes") or {}, s.get("excludes") or {}
	    return (all(c in caps for c in inc.get("caps") or [])
	            and (not inc.get("arches") or "amd64" in inc["arches"])
	            and (not inc.get("minKernel") or kernel >= version(inc["minKernel"]))
	            and not any(c in caps for c in exc.get("caps") or [])
	            and "amd64" not in (exc.get("arches") or [])
	            and not (exc.get("minKernel") and kernel >= version(exc["minKernel"])))
	sec = {"defaultAction": p["defaultAction"], "syscalls": []}
	e = errno_of(p, "defaultErrnoRet", "defaultErrno")
	if e is not None:
	    sec["defaultErrnoRet"] = e
	arches = list(p.get("architectures") or [])
	for m in p.get("archMap") or []:
	    if m["architecture"] == "SCMP_ARCH_X86_64":
	        arches = [m["architecture"]] + (m.get("subArchitectures") or [])
	if arches:
	    sec["architectures"] = arches
	for s in p.get("syscalls") or []:
	    if applies(s):
	        r = {"names": s.get("names") or [s["name"]], "action": s["action"]}
	        e = errno_of(s, "errnoRet", "errno")
	        if e is not None:
	            r["errnoRet"] = e
	        if s.get("args"):
	            r["args"] = s["args"]
	        sec["syscalls"].append(r)
	spec["linux"]["seccomp"] = sec
	spec["linux"].pop("resources", None)
	spec["root"] = {"path": rootfs, "readonly": True}
	spec["mounts"].append({"destination": "/sysprobe", "type": "bind",
	                       "source": probe, "options": ["bind", "ro"]})
	spec["process"].update(args=["/sysprobe"], terminal=False,
	                       noNewPrivileges=True)
	spec["process"]["capabilities"] = {"bounding": caps, "effective": caps,
	    "permitted": caps, "inheritable": [], "ambient": []}
	json.dump(spec, sys.stdout, indent=1)
	END
}

# crunbox PROFILE CAP...: the probe's answers in a crun container. crun
# 1.8 refuses a host whose cgroups are hybrid, as this one's may be: it
# runs in a mount namespace of its own without the cgroup2 mount, and
# makes no cgroup.
crunbox() {
	local bundle=$BATS_TEST_TMPDIR/bundle
	mkdir -p "$bundle"
	oci_config "$@" >"$bundle/config.json.new"
	mv "$bundle/config.json.new" "$bundle/config.json"
	unshare -m --propagation private sh -c '
		umount /sys/fs/cgroup/unified 2>/dev/null; exec crun "$@"' crun \
		--cgroup-manager=disabled --root "$BATS_TEST_TMPDIR/crun-state" run \
		--bundle "$bundle" "cfs-sysprobe-$$-$BATS_TEST_NUMBER"
}

# compare CFS CRUN: the two lists side by side, each difference marked,
# in the test's output and in the TAP stream (bats shows it on success
# too)
compare() {
	local table
	table=$(paste "$1" "$2" | awk -F'\t' '{ split($1, a, " ");
		split($2, b, " ");
		printf "%-34s %-8s %-8s %s\n", a[1], substr($1, length(a[1]) + 2),
			substr($2, length(b[1]) + 2),
			$1 == $2 ? "" : "DIFFERENT" }')
	echo "$table"
	sed 's/^/# /' <<<"$table" >&3
}

# ---- the JSON reader: what a user sees for each mistake

@test "--seccomp FILE: malformed JSON is refused with the file, line and column" {
	printf '{\n  "defaultAction": "SCMP_ACT_ALLOW",\n  "syscalls": [ }\n' |
		json bad.json
	run -125 cfs-pivot --seccomp "$BATS_TEST_TMPDIR/bad.json" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $BATS_TEST_TMPDIR/bad.json:3:17: unexpected token near '}': Invalid argument" ]
}

@test "--seccomp FILE: a field the reader does not know is an error naming it, never ignored" {
	local p=$BATS_TEST_TMPDIR/p.json
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "defaultActoin": "SCMP_ACT_KILL"}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: defaultActoin: unknown field: Invalid argument" ]
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["read"], "action": "SCMP_ACT_ALLOW"},
		{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "foo": 1}]}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: syscalls[1].foo: unknown field: Invalid argument" ]
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["socket"], "action": "SCMP_ACT_ERRNO",
		 "args": [{"index": 0, "value": 40, "op": "SCMP_CMP_EQ", "mask": 1}]}]}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: syscalls[0].args[0].mask: unknown field: Invalid argument" ]
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",
		 "includes": {"capabilities": ["CAP_SYS_ADMIN"]}}]}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: syscalls[0].includes.capabilities: unknown field: Invalid argument" ]
	# what the OCI format has and cfs cannot do is named too
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock"}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: listenerPath: not supported (no seccomp agent: SCMP_ACT_NOTIFY is not): Invalid argument" ]
	# and a value of the wrong type
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": "mkdir", "action": "SCMP_ACT_ERRNO"}]}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: syscalls[0].names: not an array: Invalid argument" ]
}

@test "--seccomp FILE: an unknown action, errno name or operator is refused" {
	local p=$BATS_TEST_TMPDIR/p.json
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_FORBID"}]}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: syscalls[0].action: unknown action 'SCMP_ACT_FORBID': Invalid argument" ]
	echo '{"defaultAction": "SCMP_ACT_NOTIFY"}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: defaultAction: SCMP_ACT_NOTIFY is not supported (no seccomp agent): Invalid argument" ]
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrno": "ENOSUCH"}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: defaultErrno: unknown errno name 'ENOSUCH': Invalid argument" ]
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "defaultErrno": "ENOSYS"}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: defaultErrno: ENOSYS is not defaultErrnoRet 1: Invalid argument" ]
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ERRNO",
		"args": [{"index": 6, "value": 40, "op": "SCMP_CMP_EQ"}]}]}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: syscalls[0].args[0].index: 6 is out of range (0 to 5): Invalid argument" ]
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ERRNO",
		"args": [{"index": 0, "value": 40, "op": "SCMP_CMP_SAME"}]}]}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: syscalls[0].args[0].op: unknown operator 'SCMP_CMP_SAME': Invalid argument" ]
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",
		"excludes": {"caps": ["CAP_NOPE"]}}]}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: syscalls[0].excludes.caps: unknown capability 'CAP_NOPE': Invalid argument" ]
	run -125 cfs-pivot --seccomp "$BATS_TEST_TMPDIR/none.json" "$ROOTFS" true
	[ "$output" = "cfs-pivot: open $BATS_TEST_TMPDIR/none.json: No such file or directory" ]
}

@test "--seccomp FILE: an args rule filters on the argument, with the errno it names" {
	json p.json <<-'END'
	{
		"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [
			{ "names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
			  "args": [ { "index": 0, "value": 40, "op": "SCMP_CMP_EQ" } ] },
			{ "names": ["clone"], "action": "SCMP_ACT_ERRNO", "errno": "EACCES",
			  "args": [ { "index": 0, "value": 268435456, "valueTwo": 268435456,
				      "op": "SCMP_CMP_MASKED_EQ" } ] }
		]
	}
	END
	run -0 sysbox --seccomp "$BATS_TEST_TMPDIR/p.json" -- "socket(AF_VSOCK)" \
		"socket(AF_UNIX)" "clone(CLONE_NEWUSER)" "clone(SIGCHLD)"
	[ "$output" = "socket(AF_VSOCK) EACCES
socket(AF_UNIX) ok
clone(CLONE_NEWUSER) EACCES
clone(SIGCHLD) ok" ]
}

@test "--seccomp FILE: includes and excludes by capability follow the capabilities kept" {
	json p.json <<-'END'
	{
		"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [
			{ "names": ["mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
			  "comment": "only with CAP_SYS_ADMIN",
			  "includes": { "caps": ["CAP_SYS_ADMIN"] } },
			{ "names": ["fchmodat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
			  "comment": "unless CAP_FOWNER",
			  "excludes": { "caps": ["CAP_FOWNER"] } }
		]
	}
	END
	local p=$BATS_TEST_TMPDIR/p.json
	run -0 sysbox --seccomp "$p" -- mkdirat fchmodat
	[ "$output" = "$(printf 'mkdirat EFAULT\nfchmodat EFAULT')" ]
	run -0 sysbox --seccomp "$p" --cap-add SYS_ADMIN -- mkdirat fchmodat
	[ "$output" = "$(printf 'mkdirat EACCES\nfchmodat EFAULT')" ]
	run -0 sysbox --seccomp "$p" --cap-drop FOWNER -- mkdirat fchmodat
	[ "$output" = "$(printf 'mkdirat EFAULT\nfchmodat EACCES')" ]
	PIVOT_OPTS="--seccomp $p --cap-drop FOWNER --print-config" run -0 container true
	[[ "$output" == *"$(printf 'Seccomp_rules:\t1\nSeccomp_default:\tSCMP_ACT_ALLOW')"* ]]
}

@test "--seccomp FILE: a minKernel rule applies from that kernel on" {
	json p.json <<-'END'
	{
		"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [
			{ "names": ["dup"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
			  "includes": { "minKernel": "3.10" } },
			{ "names": ["close"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
			  "includes": { "minKernel": "999.0" } },
			{ "names": ["fcntl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
			  "excludes": { "minKernel": "3.10" } }
		]
	}
	END
	run -0 sysbox --seccomp "$BATS_TEST_TMPDIR/p.json" -- dup close fcntl
	[ "$output" = "$(printf 'dup EACCES\nclose EBADF\nfcntl EBADF')" ]
	local p=$BATS_TEST_TMPDIR/p.json
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["dup"], "action": "SCMP_ACT_ERRNO",
		"includes": {"minKernel": "6"}}]}' >"$p"
	run -125 cfs-pivot --seccomp "$p" "$ROOTFS" true
	[ "$output" = "cfs-pivot: $p: syscalls[0].includes.minKernel: not MAJOR.MINOR: '6': Invalid argument" ]
}

@test "--seccomp FILE: docker's and podman's own profiles are read, every field of them" {
	need_crun
	run -0 cfs-pivot --seccomp "$CONTAINERS_PROFILE" --print-config "$ROOTFS" true
	[[ "$output" == *"$(printf 'Seccomp_default:\tSCMP_ACT_ERRNO(ENOSYS)')"* ]]
	run -0 cfs-pivot --seccomp "$DEFAULT_PROFILE" --print-config "$ROOTFS" true
	[[ "$output" == *"$(printf 'Seccomp_default:\tSCMP_ACT_ERRNO(EPERM)')"* ]]
}

@test "--seccomp FILE: the profile need allow only what the program calls: it is loaded after the ids and capabilities change" {
	# as runc and crun load it: no capset, prctl, gettid or setresuid here
	json p.json <<-'END'
	{ "defaultAction": "SCMP_ACT_ERRNO",
	  "syscalls": [ { "names": [ "execve", "arch_prctl", "brk", "capget",
		"exit_group", "exit", "getrandom", "ioctl", "mprotect", "newfstatat",
		"prlimit64", "readlink", "rseq", "set_robust_list", "set_tid_address",
		"write", "clone", "wait4", "getpid", "rt_sigprocmask", "rt_sigaction" ],
		"action": "SCMP_ACT_ALLOW" } ] }
	END
	run -0 --separate-stderr sysbox --seccomp "$BATS_TEST_TMPDIR/p.json" -- getpid uname
	[ "$output" = "$(printf 'getpid ok\nuname EPERM')" ]
	run -0 --separate-stderr sysbox --seccomp "$BATS_TEST_TMPDIR/p.json" --user 1000 -- getpid
	[ "$output" = "getpid ok" ]
	# without no_new_privs it must come first, while it may be loaded
	run -125 --separate-stderr sysbox --seccomp "$BATS_TEST_TMPDIR/p.json" --allow-new-privs -- getpid
	[ "$stderr" = "cfs-pivot: drop capabilities: libcap-ng failed" ]
}

@test "a FIFO at the rootfs's /dev/urandom does not hang cfs-pivot when it reads a profile in the container (hostile image)" {
	# the filter for other capabilities than the default is built after
	# the pivot; jansson would seed its hash tables from /dev/urandom there
	local root=$BATS_TEST_TMPDIR/root
	mkdir -p "$root/dev" "$root/proc" "$root/sys"
	cp "$SYSPROBE" "$root/sysprobe"
	mkfifo "$root/dev/urandom"
	run -0 --separate-stderr timeout 10 cfs-unshare -m --fork -- cfs-pivot \
		--no-proc --no-sys --no-dev --cap-add SYS_ADMIN "$root" /sysprobe getpid
	[ "$output" = "getpid ok" ]
}

# ---- the same profile, the same answers as crun

@test "containers' seccomp.json: the same answer in cfs and in crun, for each probe" {
	need_crun
	local caps
	for caps in "" "SYS_ADMIN SYS_PTRACE"; do
		local opts=() c extra=()
		for c in $caps; do opts+=(--cap-add "$c"); extra+=("CAP_$c"); done
		run -0 --separate-stderr sysbox --seccomp "$CONTAINERS_PROFILE" "${opts[@]}" --
		echo "$output" >"$BATS_TEST_TMPDIR/cfs"
		run -0 --separate-stderr crunbox "$CONTAINERS_PROFILE" $DEFAULT_CAPS "${extra[@]}"
		echo "$output" >"$BATS_TEST_TMPDIR/crun"
		echo "# $CONTAINERS_PROFILE, default capabilities${caps:+ + $caps}" >&3
		echo "# probe                              cfs      crun" >&3
		compare "$BATS_TEST_TMPDIR/cfs" "$BATS_TEST_TMPDIR/crun"
		[ "$(wc -l <"$BATS_TEST_TMPDIR/cfs")" -ge 60 ]
		diff "$BATS_TEST_TMPDIR/cfs" "$BATS_TEST_TMPDIR/crun"
	done
}

@test "profiles/default.json: the same answer in cfs and in crun, for each probe" {
	need_crun
	run -0 --separate-stderr sysbox --
	echo "$output" >"$BATS_TEST_TMPDIR/cfs"
	run -0 --separate-stderr crunbox "$DEFAULT_PROFILE" $DEFAULT_CAPS
	echo "$output" >"$BATS_TEST_TMPDIR/crun"
	compare "$BATS_TEST_TMPDIR/cfs" "$BATS_TEST_TMPDIR/crun"
	diff "$BATS_TEST_TMPDIR/cfs" "$BATS_TEST_TMPDIR/crun"
}

@test "the default against crun's (containers' seccomp.json): each difference is in profiles/README with its reason" {
	need_crun
	local readme=$BATS_TEST_DIRNAME/../profiles/README label ours theirs row
	run -0 --separate-stderr sysbox --
	echo "$output" >"$BATS_TEST_TMPDIR/cfs"
	run -0 --separate-stderr crunbox "$CONTAINERS_PROFILE" $DEFAULT_CAPS
	echo "$output" >"$BATS_TEST_TMPDIR/crun"
	compare "$BATS_TEST_TMPDIR/cfs" "$BATS_TEST_TMPDIR/crun"
	# each row of the README's table: | probe | cfs | crun | reason |
	paste "$BATS_TEST_TMPDIR/cfs" "$BATS_TEST_TMPDIR/crun" |
		while IFS=$'\t' read -r ours theirs; do
			[ "$ours" = "$theirs" ] && continue
			label=${ours%% *} ours=${ours#* } theirs=${theirs#* }
			row=$(grep -F "| $label | $ours | $theirs | " "$readme") || {
				echo "not in profiles/README: | $label | $ours | $theirs | (reason) |"
				return 1
			}
			[[ "$row" =~ \|\ [^|]*[a-z][^|]*\ \|$ ]] || {
				echo "no reason: $row"
				return 1
			}
		done
}

# ---- the default is an allowlist

@test "the default profile refuses what it does not list: new syscalls, io_uring, user namespaces" {
	run -0 --separate-stderr sysbox -- mseal io_uring_setup "unshare(CLONE_NEWUSER)" \
		"clone(CLONE_NEWUSER)" clone3 "personality(ADDR_NO_RANDOMIZE)" \
		"personality(0xffffffff)" "socket(AF_VSOCK)" keyctl bpf ptrace mount
	[ "$output" = "mseal EPERM
io_uring_setup EPERM
unshare(CLONE_NEWUSER) EPERM
clone(CLONE_NEWUSER) EPERM
clone3 ENOSYS
personality(ADDR_NO_RANDOMIZE) EPERM
personality(0xffffffff) ok
socket(AF_VSOCK) EPERM
keyctl EPERM
bpf EPERM
ptrace ESRCH
mount EPERM" ]
	# with CAP_SYS_ADMIN the namespace and mount calls reach the kernel
	run -0 --separate-stderr sysbox --cap-add SYS_ADMIN -- mount clone3 "unshare(CLONE_NEWNS)"
	[ "$output" = "$(printf 'mount EFAULT\nclone3 ok\nunshare(CLONE_NEWNS) ok')" ]
}

@test "the default profile is the JSON file in the tree, compiled in: the same rules" {
	PIVOT_OPTS="--print-config" run -0 container true
	[[ "$output" == *"$(printf 'Seccomp_profile:\tdefault.json\n')"* ]]
	default=$(grep -E '^Seccomp_(rules|default)' <<<"$output")
	PIVOT_OPTS="--seccomp $DEFAULT_PROFILE --print-config" run -0 container true
	[ "$(grep -E '^Seccomp_(rules|default)' <<<"$output")" = "$default" ]
	[[ "$default" == *"SCMP_ACT_ERRNO(EPERM)"* ]]
}
