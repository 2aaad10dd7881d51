#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The escape suite: from inside a container made with every namespace and
# cfs-pivot's defaults, as root in it, each way out a container runtime
# must close is tried with the raw syscall (tests/helpers/escape.c), and
# must fail, with the errno expected, leaving the host as it was. A test
# per opt-out shows that the default is what stops the attempt (only with
# harmless attempts: never without the protections against reboot, kexec,
# sysrq, clock setting, modules or block devices).
#
# The suite goes on in tests/escape-*.bats, a file per area of the second
# security round (issue 15), each naming its items and the CVE class it
# covers (they need set-ups and teardowns of their own): escape-enter
# (a lying filter and cfs-enter's drops), escape-mounts (symlinked /proc
# and /sys, bind flags, host device nodes, overlays of /), escape-images
# (hostile rootfs files and archives, whiteouts), escape-cgroup (names),
# escape-env (fds and the environment), escape-seccomp (the JSON
# profiles, against crun), escape-props (exit statuses of a session
# leader, runc's read-only list).
load common
load helpers/escape

# The attempts that would harm the machine if they worked (reboot,
# kexec, modules, the clock) are made only in a container whose seccomp
# filter is on and whose no_new_privs is set; the helper also refuses
# while it holds the capability the call needs. One attempt a line.
hardened() {
	box -- sh -c '
		grep -q "^Seccomp:[[:space:]]*2$" /proc/self/status &&
		grep -q "^NoNewPrivs:[[:space:]]*1$" /proc/self/status ||
			{ echo "not hardened: not trying"; exit 4; }
		for a; do /escape $a; done' sh "$@"
}

# A marker file on the host, outside the rootfs.
make_marker() {
	marker=$BATS_TEST_TMPDIR/host-marker
	echo host >"$marker"
}
marker_unchanged() { [ "$(cat "$marker")" = host ]; }

# The host's root disk, MAJOR:MINOR: the device of / where it is one, else
# the first disk in /sys/block.
root_disk() {
	local d b
	d=$(awk '$5 == "/" { print $3; exit }' /proc/self/mountinfo)
	[ "${d%%:*}" != 0 ] && { echo "$d"; return; }
	for b in /sys/block/*; do
		case ${b##*/} in loop* | ram* | zram*) continue ;; esac
		cat "$b/dev"
		return
	done
}

# ---- what the container got

@test "the default: docker's capabilities, no_new_privs, a seccomp filter; --print-config says so" {
	keys='^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):'
	run -0 --separate-stderr box -- grep -E "$keys" /proc/self/status
	status_lines=$output
	# CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
	# NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP
	for k in CapPrm CapEff CapBnd; do
		grep -qx "$k:	00000000a80425fb" <<<"$status_lines"
	done
	for k in CapInh CapAmb; do
		grep -qxE "$k:	(0000000000000000|00000000a80425fb)" <<<"$status_lines"
	done
	grep -qx "NoNewPrivs:	1" <<<"$status_lines"
	grep -qx "Seccomp:	2" <<<"$status_lines"
	run -0 --separate-stderr box --print-config -- true
	echo "$output"
	while IFS=$'\t' read -r k v; do
		grep -qE "^${k%:}[:=][[:space:]]*$v([[:space:]]|$)" <<<"$output" ||
			{ echo "--print-config lacks $k $v"; false; }
	done <<<"$status_lines"
}

# ---- reaching a host file

@test "--no-pivot: a chroot break-out stays in the container too" {
	make_marker
	run -1 --separate-stderr box --no-pivot -- /escape chroot-break "$marker"
	[ "$output" = "chroot x OK
chroot . OK
open ERR ENOENT" ]
	run -1 --separate-stderr box --no-pivot -- /escape dotdot "$marker"
	[ "$output" = "open ERR ENOENT" ]
	marker_unchanged
}

@test "a host file is not reachable through /proc/1/root or /proc/self/root" {
	make_marker
	run -1 --separate-stderr box -- sh -c "
		/escape write /proc/1/root$marker pwned
		/escape write /proc/self/root$marker pwned
		/escape write $marker pwned"
	[ "$output" = "ERR ENOENT
ERR ENOENT
ERR ENOENT" ]
	marker_unchanged
}

@test "the old root is gone: one mount on /, which cannot be unmounted" {
	make_marker
	run -0 --separate-stderr box -- sh -c "
		awk '\$5 == \"/\"' /proc/self/mountinfo | wc -l
		/escape umount /
		/escape open $marker r
		true"
	[ "$output" = "1
ERR EPERM
ERR ENOENT" ]
	marker_unchanged
}

@test "a .. walk from / stays in the container" {
	make_marker
	run -1 --separate-stderr box -- /escape dotdot "$marker"
	[ "$output" = "open ERR ENOENT" ]
	run -0 --separate-stderr box -- /escape dotdot /escape
	[ "$output" = "open OK" ]	# the walk ends at the container's /
}

@test "a chroot break-out (mkdir x; chroot x; cd ../../..; chroot .) stays in the container" {
	make_marker
	run -1 --separate-stderr box -- /escape chroot-break "$marker"
	[ "$output" = "chroot x OK
chroot . OK
open ERR ENOENT" ]
	# where the break-out lands: the container's own /
	run -0 --separate-stderr box -- /escape chroot-break /escape
	[ "${lines[2]}" = "open OK" ]
	! ls "$ROOTFS/tmp" | grep escape-chroot || false
	marker_unchanged
}

# Run "$@" with only fds 0 1 2 open (bats and its caller hold others).
only_012() {
	local fd
	for fd in $(ls /proc/$BASHPID/fd); do
		[ "$fd" -gt 2 ] && eval "exec $fd>&-"
	done
	"$@"
}

@test "no fd of the tools reaches PROGRAM: only 0 1 2 at exec" {
	run -0 --separate-stderr only_012 box -- /escape fds </dev/null
	echo "$output"
	[ "$(cut -d' ' -f1 <<<"$output" | tr '\n' ' ')" = "0 1 2 " ]
	[ "${lines[0]}" = "0 /dev/null" ]
	[[ "${lines[1]}" == "1 pipe:["* ]]
}

# ---- mounts, devices, the machine

@test "no mount the container can write to lets a block device be made and opened" {
	disk=$(root_disk)
	[ -n "$disk" ] || skip "no block device to try"
	run -0 --separate-stderr box -- sh -c "
		awk '\$6 !~ /(^|,)(ro|nodev)(,|\$)/ { print \$5 }' /proc/self/mountinfo |
		while read -r m; do
			echo \"\$m \$(/escape mknod-read \$m/escape-disk ${disk%%:*} ${disk##*:} | tr '\n' ' ')\"
		done"
	echo "$output"
	[ -n "$output" ]
	! grep -E "open OK|read OK" <<<"$output" || false
}

@test "mount of a tmpfs is refused, with the new mount API too" {
	run -1 --separate-stderr box -- sh -c '
		/escape mount /tmp; /escape fsopen; /escape open-tree'
	[ "$output" = "ERR EPERM
ERR EPERM
ERR EPERM" ]
}

@test "umount of /proc is refused, and /proc stays" {
	run -0 --separate-stderr box -- sh -c '
		/escape umount /proc
		awk "\$5 == \"/proc\"" /proc/self/mountinfo | wc -l'
	[ "$output" = "ERR EPERM
1" ]
}

@test "pivot_root is refused" {
	run -1 --separate-stderr box -- /escape pivot-root
	[ "$output" = "ERR EPERM" ]
}

@test "a block device made with mknod (the host's root disk) cannot be opened" {
	disk=$(root_disk)
	[ -n "$disk" ] || skip "no block device to try"
	run -1 --separate-stderr box -- sh -c "
		/escape mknod-read /dev/escape-disk ${disk%%:*} ${disk##*:}
		/escape mknod-read /tmp/escape-disk ${disk%%:*} ${disk##*:}"
	echo "disk $disk"
	# CAP_MKNOD is in the default set: the node is made, but / and /dev
	# are nodev
	[ "$output" = "mknod OK
open ERR EACCES
mknod OK
open ERR EACCES" ]
	[ ! -e "$ROOTFS/tmp/escape-disk" ]
}

@test "loading a module is refused: init_module, finit_module" {
	run -1 --separate-stderr hardened init-module finit-module
	[ "$output" = "ERR EPERM
ERR EPERM" ]
}

@test "kexec_load is refused" {
	run -1 --separate-stderr hardened kexec
	[ "$output" = "ERR EPERM" ]
}

@test "reboot is refused" {
	run -1 --separate-stderr hardened reboot
	[ "$output" = "ERR EPERM" ]
}

@test "sethostname and setdomainname are refused; the host's names unchanged" {
	domain=$(cat /proc/sys/kernel/domainname)
	run -1 --separate-stderr box -- sh -c '
		/escape sethostname escaped; /escape setdomainname escaped'
	[ "$output" = "ERR EPERM
ERR EPERM" ]
	[ "$(cat /proc/sys/kernel/domainname)" = "$domain" ]
	# teardown compares the host's hostname
}

@test "settimeofday and clock_settime are refused; the host's clock unchanged" {
	before=$(date +%s)
	run -1 --separate-stderr hardened settimeofday clock-settime
	after=$(date +%s)
	[ "$output" = "ERR EPERM
ERR EPERM" ]
	[ $((after - before)) -ge 0 ] && [ $((after - before)) -lt 60 ]
}

@test "swapon and the kernel log are refused" {
	run -1 --separate-stderr box -- sh -c '/escape swapon; /escape syslog'
	[ "$output" = "ERR EPERM
ERR EPERM" ]
}

# ---- /proc and /sys

@test "/proc/sys is read-only: hostname, domainname, core_pattern" {
	core=$(cat /proc/sys/kernel/core_pattern)
	domain=$(cat /proc/sys/kernel/domainname)
	# the names are the container's own (its UTS namespace); core_pattern
	# is the host's: opened only, never written
	run -1 --separate-stderr box -- sh -c '
		/escape write /proc/sys/kernel/hostname escaped
		/escape write /proc/sys/kernel/domainname escaped
		/escape open /proc/sys/kernel/core_pattern w
		/escape open /proc/sys/kernel/panic w'
	[ "$output" = "ERR EROFS
ERR EROFS
ERR EROFS
ERR EROFS" ]
	[ "$(cat /proc/sys/kernel/core_pattern)" = "$core" ]
	[ "$(cat /proc/sys/kernel/domainname)" = "$domain" ]
}

@test "/proc/sysrq-trigger cannot be opened for writing" {
	[ -e /proc/sysrq-trigger ] || skip "no /proc/sysrq-trigger (CONFIG_MAGIC_SYSRQ is off)"
	# opened only: nothing is ever written to it
	run -1 --separate-stderr box -- /escape open /proc/sysrq-trigger w
	[ "$output" = "ERR EROFS" ]
}

@test "/sys cannot be written" {
	# lo's mtu is the container's own; /sys/power/state is opened only
	run -1 --separate-stderr box -- sh -c '
		/escape write /sys/class/net/lo/mtu 1280
		/escape open /sys/power/state w
		/escape open /sys/kernel/mm/transparent_hugepage/enabled w'
	[ "$output" = "ERR EROFS
ERR EROFS
ERR EROFS" ]
}

@test "/proc/kcore and /proc/keys read empty; runc's other masked paths too" {
	run -0 --separate-stderr box -- sh -c '
		for f in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug \
			/proc/latency_stats /proc/timer_stats; do
			[ -e $f ] && echo "$f $(/escape read $f)"
		done
		for d in /proc/acpi /proc/scsi /sys/firmware \
			/sys/devices/virtual/powercap; do
			[ -e $d ] && echo "$d $(ls -A $d | wc -l)"
		done
		true'
	echo "$output"
	# no /proc/kcore on a kernel without CONFIG_PROC_KCORE
	[ ! -e /proc/kcore ] || [[ "$output" == *"/proc/kcore OK 0"* ]]
	[[ "$output" == *"/proc/keys OK 0"* ]]
	! grep -vE ' (OK 0|0)$' <<<"$output" || false
}

# ---- host processes

@test "a host process cannot be signalled or ptraced, and is not in ps" {
	sleep 3517 3>&- &
	host=$!
	echo "$host" >>"$BATS_TEST_TMPDIR/pids"
	run -0 --separate-stderr box -- sh -c "
		/escape kill $host
		/escape ptrace-attach $host
		/escape ptrace-seize $host
		/escape pidfd-open $host
		ps -o pid,args | grep -c '[s]leep 3517'
		ls /proc | grep -cx $host
		true"
	[ "$output" = "ERR ESRCH
ERR ESRCH
ERR ESRCH
ERR ESRCH
0
0" ]
	kill -0 "$host"
	[[ "$(grep State: /proc/$host/status)" == *"(sleeping)"* ]]
	grep -q "TracerPid:[[:space:]]0$" /proc/$host/status
}

# cfs-enter brings in a process with the container's capabilities and
# no_new_privs, but not its seccomp filter. Root in the container may
# trace it (same ids, no more capabilities, dumpable once it has run
# PROGRAM) and have it make the calls the filter denies the container:
# keyctl reaches root's user keyring, which is the host's (keys are not
# namespaced).
@test "a process cfs-enter brings in cannot be made, by ptrace from inside, to make the calls the filter denies" {
	host_keyring=$("$ESCAPE" keyctl user)
	start cfs-unshare --uts --pid --mount --ipc --net --cgroup --fork -- \
		cfs-pivot --bind "$ESCAPE:/escape:ro" "$ROOTFS" -- \
		sh -c 'echo ready; exec /escape ptrace-keyctl sh 20'
	init=$(pgrep -P "$chain")
	(exec cfs-enter -t "$init" --all -- sh -c 'while :; do sleep 0.2; done' \
		>/dev/null 2>&1 3>&-) &
	echo "$!" >>"$BATS_TEST_TMPDIR/pids"
	wait "$chain" || true
	output=$(cat "$BATS_TEST_TMPDIR/out")
	echo "$output; the host's: $host_keyring"
	[[ "$output" == *"ERR EPERM"* ]]
	[[ "$output" != *"$host_keyring"* ]]
}

# The same, with TIOCSTI: what cfs-enter runs keeps the terminal it was
# started from as its controlling terminal (no new session), so what root
# inside makes it do can type into the host's shell.
@test "TIOCSTI through a process cfs-enter brings in: root inside cannot type into the terminal cfs-enter was run from" {
	start cfs-unshare --uts --pid --mount --ipc --net --cgroup --fork -- \
		cfs-pivot --bind "$ESCAPE:/escape:ro" "$ROOTFS" -- \
		sh -c 'echo ready; exec /escape ptrace-tiocsti sleep 20 "echo INJECTED
"'
	init=$(pgrep -P "$chain")
	run --separate-stderr "$ESCAPE" pty-run cfs-enter -t "$init" --all -- sleep 3
	wait "$chain" || true
	cat "$BATS_TEST_TMPDIR/out"
	echo "$output"
	[[ "$(cat "$BATS_TEST_TMPDIR/out")" == *"seize OK"* ]]	# it tried
	[[ "$output" == *"host read nothing" ]]
}

# ---- namespaces

@test "a host System V shared memory segment is not reachable" {
	id=$(ipcmk -M 4096 | awk '{ print $NF }')
	key=$(awk -v id="$id" '$2 == id { print $1 }' /proc/sysvipc/shm)
	key=$(printf %x $((key & 0xffffffff)))
	host=$("$ESCAPE" shmget "$key" || true)	# found from the host
	run --separate-stderr box -- sh -c "
		/escape shmget $key
		awk 'NR > 1' /proc/sysvipc/shm | wc -l"
	ipcrm -m "$id"
	[ "$host" = OK ]
	[ "$output" = "ERR ENOENT
0" ]
}

@test "unshare(CLONE_NEWUSER) is refused" {
	run -1 --separate-stderr box -- /escape unshare-user
	[ "$output" = "unshare ERR EPERM" ]
}

@test "clone and clone3 with CLONE_NEWUSER are refused" {
	run -1 --separate-stderr box -- sh -c '
		/escape clone-user; /escape clone3-user'
	[ "${lines[0]}" = "ERR EPERM" ]
	# docker's profile answers clone3 ENOSYS, for libc to fall back on
	# clone, whose flags it can check
	[[ "${lines[1]}" =~ ^ERR\ (ENOSYS|EPERM)$ ]]
}

@test "setns is refused, and no host namespace is in the container's /proc" {
	run -1 --separate-stderr box -- sh -c '
		/escape setns /proc/1/ns/mnt; /escape setns /proc/1/ns/net'
	[ "$output" = "setns ERR EPERM
setns ERR EPERM" ]
	run -0 --separate-stderr box -- /escape ns-scan
	for t in mnt pid net ipc uts cgroup; do
		host=$(readlink /proc/self/ns/$t)
		! grep -xF "$host" <<<"$output" || false
	done
}

# ---- the terminal

# The chain runs on a new pty, its controlling terminal, as it would on
# the terminal of a host shell; after it, the helper reads that terminal
# as the shell would.
# Where the kernel keeps TIOCSTI (legacy_tiocsti 1), only a terminal that
# is not the caller's controlling one refuses it (EPERM); else the kernel
# refuses every caller without CAP_SYS_ADMIN (EIO).
legacy_tiocsti() { [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 1 ]; }

@test "TIOCSTI cannot type into the host's terminal" {
	echo "# /proc/sys/dev/tty/legacy_tiocsti: $(cat /proc/sys/dev/tty/legacy_tiocsti 2>&1)" >&3
	errno=EPERM
	legacy_tiocsti || errno=EIO
	run -0 --separate-stderr "$ESCAPE" pty-run cfs-unshare --uts --pid \
		--mount --ipc --net --cgroup --fork -- \
		cfs-pivot --bind "$ESCAPE:/escape:ro" "$ROOTFS" -- sh -c '
			/escape tiocsti "echo INJECTED
"; /escape open /dev/tty r; /escape sctty; true'
	# nor can it make the terminal its own: it is the host session's
	[ "$output" = "ERR $errno
ERR ENXIO
sctty ERR EPERM
host read nothing" ]
}

# Without --fork, cfs-pivot is what the terminal's session leader execs:
# `ssh -t HOST cfs-unshare ... -- cfs-pivot ...` and `script -c` run a
# single command that way (bash -c execs it). It must neither hang up its
# own process group (TIOCNOTTY in a session leader sends SIGHUP to the
# terminal's foreground group) nor leave PROGRAM, the leader of a session
# whose terminal was released, free to take it back (TIOCSCTTY needs no
# capability for a terminal of no session) and type into it.
leader_chain=(cfs-unshare --uts --mount --ipc --net --cgroup --
	cfs-pivot --bind "$ESCAPE:/escape:ro" "$ROOTFS" --
	/escape sctty tiocsti INJECTED)

@test "cfs-pivot execed by the terminal's session leader (ssh -t, script -c) is not killed by its own SIGHUP" {
	run --separate-stderr "$ESCAPE" pty-run "${leader_chain[@]}"
	echo "status $status: $output"
	[ "$status" != 129 ]
	[[ "$output" == *"host read nothing" ]]
}

@test "TIOCSTI: cfs-pivot execed by the terminal's session leader, SIGHUP ignored: PROGRAM cannot take the terminal back" {
	# ignored as under nohup, or after trap '' HUP
	run --separate-stderr "$ESCAPE" pty-run sh -c 'trap "" HUP; exec "$@"' \
		sh "${leader_chain[@]}"
	echo "status $status: $output"
	[[ "$output" == *"host read nothing" ]]
}

# ---- an unprivileged user

@test "--user 1000: no capability in any set, no_new_privs, ids 1000" {
	run -0 --separate-stderr box --user 1000 -- sh -c '
		grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs):" /proc/self/status
		/escape ids'
	# the group is 0 where the new root's passwd has no user 1000 (as in
	# docker and podman): no capability comes with it
	[[ "$output" == "CapInh:	0000000000000000
CapPrm:	0000000000000000
CapEff:	0000000000000000
CapBnd:	0000000000000000
CapAmb:	0000000000000000
NoNewPrivs:	1
uid 1000 1000 1000 gid "* ]]
}

# A setuid-root copy of the helper, bound in at /suid.
suid_copy() {
	cp "$ESCAPE" "$BATS_TEST_TMPDIR/suid"
	chmod 4755 "$BATS_TEST_TMPDIR/suid"
}

@test "--user 1000: setuid(0) and a setuid-root binary do not give root back" {
	suid_copy
	run -1 --separate-stderr box --user 1000 \
		--bind "$BATS_TEST_TMPDIR/suid:/suid:ro" -- sh -c '
		/suid ids; /escape setuid0'
	[[ "${lines[0]}" == "uid 1000 1000 1000 "* ]]
	[ "${lines[1]}" = "ERR EPERM" ]
}

# Root in the container owns its rootfs, which is a directory of the host:
# a setuid-root program it leaves there is one for any host user who can
# reach that directory. Docker keeps its layers under a 0700 directory,
# and so does this suite (tests/run); cfs-pivot warns when the directory
# the container writes to is open to every host user.
@test "a setuid-root program made inside the rootfs gives no host user root" {
	run -0 --separate-stderr box -- sh -c '
		cp /escape /tmp/planted && chmod 4755 /tmp/planted && echo planted'
	[ "$output" = planted ]
	# a host user's shell runs it (setpriv itself would look the path up
	# before it drops root)
	run --separate-stderr setpriv --reuid 65534 --regid 65534 --clear-groups \
		sh -c 'exec "$0" ids' "$ROOTFS/tmp/planted"
	rm -f "$ROOTFS/tmp/planted"
	echo "status $status: $output $stderr"
	[[ "$output" != "uid 65534 0 "* ]]
	[[ "$stderr" == *"Permission denied"* ]]
}

@test "cfs-pivot warns when the rootfs it writes to is open to every host user" {
	local open=/tmp/cfs-escape-open.$$
	echo "$open" >>"$BATS_TEST_TMPDIR/rm"
	mkdir -m 755 "$open"
	cp -a "$ROOTFS" "$open/rootfs"
	run -0 --separate-stderr cfs-pivot "$open/rootfs" -- true
	[ "$stderr" = "cfs-pivot: warning: $open/rootfs can be reached by every host user: a setuid file that root in the container leaves there would run as root for any of them (keep it under a 0700 directory)" ]
	# read-only, or in a user namespace of its own: nothing to say
	run -0 --separate-stderr cfs-pivot --read-only "$open/rootfs" -- true
	[ -z "$stderr" ]
	run -0 --separate-stderr cfs-unshare -r -mpf -- cfs-pivot "$open/rootfs" -- true
	[ -z "$stderr" ]
	chmod 711 "$open"
	run -0 --separate-stderr cfs-pivot "$open/rootfs" -- true
	[ -n "$stderr" ]
	chmod 700 "$open"
	run -0 --separate-stderr cfs-pivot "$open/rootfs" -- true
	[ -z "$stderr" ]
}

# ---- more of docker's list

@test "open_by_handle_at (the shocker escape) is refused" {
	run -1 --separate-stderr box -- /escape open-by-handle
	[ "$output" = "ERR EPERM" ]
}

@test "bpf, perf_event_open and userfaultfd are refused" {
	run -1 --separate-stderr box -- sh -c '
		/escape bpf; /escape perf; /escape userfaultfd'
	[ "$output" = "ERR EPERM
ERR EPERM
ERR EPERM" ]
}

@test "keyctl and add_key are refused" {
	run -1 --separate-stderr box -- sh -c '/escape keyctl; /escape add-key'
	[ "$output" = "ERR EPERM
ERR EPERM" ]
}

@test "writing through /proc/self/exe, a host binary, fails" {
	sum=$(sha256sum <"$ESCAPE")
	run -1 --separate-stderr box -- /escape exe-write
	[ "$output" = "ERR ETXTBSY" ]
	# and the bind is read-only
	run -1 --separate-stderr box -- sh -c 'echo x >>/escape'
	[[ "$stderr" == *"Read-only file system"* ]]
	[ "$(sha256sum <"$ESCAPE")" = "$sum" ]
}

# Some kernels (and hypervisors) run no i386 system call at all: int $0x80
# is then a SIGSEGV outside any container too, and there is no filter to
# go around.
i386_abi() {
	[ "$(uname -m)" = x86_64 ] || return 1
	"$ESCAPE" i386-keyctl >/dev/null 2>&1
}

@test "the i386 ABI (int \$0x80) does not go around the filter" {
	i386_abi || skip "no i386 system calls here (int \$0x80 fails on the host too)"
	run --separate-stderr box -- /escape i386-keyctl
	echo "status $status"
	# killed by the architecture check (SIGSYS, 128+31), or refused
	[ "$status" = 159 ] || [[ "$output" =~ ^ERR\ (EPERM|ENOSYS)$ ]]
}

# ---- the opt-outs: each default is what stops the attempt

@test "--no-seccomp: keyctl works, on a session keyring that is not the host's" {
	run -0 --separate-stderr box --no-seccomp -- /escape keyctl
	[[ "$output" =~ ^OK\ [0-9]+$ ]]
	host=$("$ESCAPE" keyctl)
	[ "$output" != "$host" ]
}

@test "--no-seccomp: the i386 ABI's keyctl works (so the test above can fail)" {
	i386_abi || skip "no i386 system calls here (int \$0x80 fails on the host too)"
	run -0 --separate-stderr box --no-seccomp -- /escape i386-keyctl
	[[ "$output" =~ ^OK\ [0-9]+$ ]]
}

@test "--cap-add SYS_ADMIN --no-seccomp: a tmpfs mount and sethostname work, in the container's own namespaces" {
	run -0 --separate-stderr box --cap-add SYS_ADMIN --no-seccomp -- sh -c '
		/escape mount /tmp && /escape sethostname inside && hostname'
	[ "$output" = "OK
OK
inside" ]
	# teardown: the host's hostname and mounts are unchanged
}

@test "--no-mask-paths: /proc/timer_list can be read" {
	[ -e /proc/timer_list ] || skip "no /proc/timer_list"
	run -0 --separate-stderr box --no-mask-paths -- /escape read /proc/timer_list
	[[ "$output" =~ ^OK\ [1-9][0-9]*$ ]]
}

@test "--keep-session: TIOCSTI reaches the terminal (what the default prevents)" {
	legacy_tiocsti || skip "this kernel refuses TIOCSTI to everyone (legacy_tiocsti 0)"
	run -0 --separate-stderr "$ESCAPE" pty-run cfs-unshare --uts --pid \
		--mount --ipc --net --cgroup --fork -- \
		cfs-pivot --keep-session --bind "$ESCAPE:/escape:ro" "$ROOTFS" -- \
		/escape tiocsti INJECTED
	[ "$output" = "OK
host read: INJECTED" ]
}

@test "--allow-new-privs: the setuid-root binary gives euid 0 (so the test above can fail)" {
	suid_copy
	run -0 --separate-stderr box --user 1000 --allow-new-privs \
		--bind "$BATS_TEST_TMPDIR/suid:/suid:ro" -- /suid ids
	[[ "$output" == "uid 1000 0 0 "* ]]
}

@test "--no-seccomp: a new user namespace's capabilities reach nothing of the container's" {
	run --separate-stderr box --no-seccomp -- /escape unshare-user
	[ "$status" != 125 ]
	[[ "${lines[0]}" != "unshare ERR "* ]] ||
		skip "no user namespace without CAP_SYS_ADMIN here: ${lines[0]}"
	[[ "${lines[1]}" =~ ^caps\ 0*1f+$ ]]	# every capability, in it
	[ "${lines[2]}" = "sethostname ERR EPERM" ]
	[ "${lines[3]}" = "mount ERR EPERM" ]
}
