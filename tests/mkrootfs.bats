#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-mkrootfs: the tree it builds, its refusals, its options (its man
# page is checked with the others in man.bats).
# cfs-mkrootfs is found on PATH; each test works in a directory of its own
# $BATS_TEST_TMPDIR (removed by bats, which keeps files of its own there),
# or in $work for the tests that run as nobody (removed in teardown).

bats_require_minimum_version 1.5.0

setup() {
	mkdir "$BATS_TEST_TMPDIR/w" && cd "$BATS_TEST_TMPDIR/w" || return
	work=
}

# The unprivileged user of the issue-6 tests, made by as_user.
USER_NAME=cfs-test-mkr

teardown() {
	if getent passwd "$USER_NAME" >/dev/null; then
		userdel "$USER_NAME" || echo "teardown: userdel $USER_NAME failed" >&2
	fi
	if [ -n "$work" ]; then rm -rf "$work"; fi
}

# A real unprivileged user (removed by teardown, pass or fail) with a
# home in $work, a directory it owns; run "$@" as that user.
make_user() {
	need_root
	command -v useradd >/dev/null && command -v setpriv >/dev/null ||
		skip "no useradd or setpriv"
	work=$(mktemp -d /tmp/cfs-mkrootfs-test.XXXXXX)
	chmod 755 "$work"
	useradd --no-create-home --home-dir "$work/home" --shell /bin/sh "$USER_NAME"
	mkdir "$work/home"
	chown "$USER_NAME:" "$work/home"
	as_user test -x "$(command -v cfs-mkrootfs)" ||
		skip "$USER_NAME cannot run cfs-mkrootfs"
}
as_user() {
	setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --init-groups \
		env HOME="$work/home" "$@"
}

need_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

# The entries of directory $1, sorted, on one line.
entries() {
	(cd "$1" && LC_ALL=C ls -A | tr '\n' ' ')
}

# Nothing but $2... was left in directory $1 (no DIR.XXXXXX).
only_left() {
	local dir=$1
	shift
	[ "$(entries "$dir")" = "$*${*:+ }" ]
}

# rootfs is the tree cfs-mkrootfs documents, and nothing else.
is_rootfs() {
	local r=$1 bb
	bb=$(realpath "$r/bin/busybox")

	[ "$(entries "$r")" = "bin dev etc home proc root run sbin sys tmp usr var " ]
	[ "$(entries "$r/usr")" = "bin sbin " ]
	[ "$(stat -c %a "$r")" = 755 ]
	[ "$(stat -c %a "$r/tmp")" = 1777 ]
	[ "$(stat -c %a "$r/root")" = 700 ]
	[ "$(stat -c %a "$r/proc")" = 555 ]
	[ "$(stat -c %a "$r/sys")" = 555 ]
	for d in bin sbin usr usr/bin usr/sbin etc dev home var run; do
		[ "$(stat -c %a "$r/$d")" = 755 ]
	done
	# regular files: busybox and the four in /etc, no more
	[ "$(cd "$r" && find . -type f | LC_ALL=C sort | tr '\n' ' ')" = \
	  "./bin/busybox ./etc/group ./etc/hostname ./etc/hosts ./etc/passwd " ]
	[ "$(stat -c %a "$r/bin/busybox")" = 755 ]
	# empty directories stay empty
	for d in dev home proc root run sys tmp var; do
		[ -z "$(entries "$r/$d")" ]
	done
	# every other entry is a link to busybox
	[ -z "$(cd "$r" && find . ! -type d ! -type l ! -path ./bin/busybox ! -path './etc/*')" ]
	while read -r link; do
		[ "$(realpath "$link")" = "$bb" ]
	done < <(find "$r" -type l)
}

@test "builds the documented tree, and nothing else" {
	run -0 --separate-stderr cfs-mkrootfs ./rootfs
	[ -z "$output" ]
	is_rootfs rootfs
	only_left . rootfs
}

@test "installs the busybox found on PATH, unchanged" {
	run -0 cfs-mkrootfs rootfs
	cmp rootfs/bin/busybox "$(command -v busybox)"
}

@test "links every applet of bin, sbin, usr/bin, usr/sbin with a relative target" {
	run -0 cfs-mkrootfs rootfs
	[ "$(readlink rootfs/bin/sh)" = busybox ]
	[ "$(readlink rootfs/bin/ps)" = busybox ]
	[ "$(readlink rootfs/bin/mount)" = busybox ]
	[ "$(readlink rootfs/sbin/ifconfig)" = ../bin/busybox ]
	[ "$(readlink rootfs/usr/bin/env)" = ../../bin/busybox ]
	[ "$(readlink rootfs/usr/sbin/chroot)" = ../../bin/busybox ]
	# every applet listed there, but bin/busybox itself (a file)
	want=$(busybox --list-full | grep -E '^(bin|sbin|usr/bin|usr/sbin)/[^/]+$' |
	       grep -cvx bin/busybox)
	[ "$(find rootfs -type l | wc -l)" -eq "$want" ]
	# a link works from the host too
	[ "$(rootfs/usr/bin/env -i rootfs/bin/echo hi)" = hi ]
	[ ! -e rootfs/linuxrc ]
}

@test "writes /etc/passwd, group, hostname, hosts" {
	run -0 cfs-mkrootfs rootfs
	[ "$(cat rootfs/etc/passwd)" = "root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false" ]
	[ "$(cat rootfs/etc/group)" = "root:x:0:
tty:x:5:
nogroup:x:65534:" ]
	[ "$(cat rootfs/etc/hostname)" = cfs ]
	grep -qE '^127\.0\.0\.1[[:space:]]+localhost$' rootfs/etc/hosts
	grep -qE '^::1[[:space:]]+localhost( |$)' rootfs/etc/hosts
	[ "$(wc -l < rootfs/etc/hosts)" -eq 2 ]
	for f in passwd group hostname hosts; do
		[ "$(stat -c %a "rootfs/etc/$f")" = 644 ]
	done
}

@test "the result runs a shell under chroot" {
	need_root
	run -0 cfs-mkrootfs rootfs
	run -0 --separate-stderr chroot rootfs /bin/sh -c 'echo ok'
	[ "$output" = ok ]
	run -0 chroot rootfs /bin/sh -c 'id -un; cat /etc/hostname; ls /usr/bin/env'
	[ "${lines[*]}" = "root cfs /usr/bin/env" ]
}

@test "an empty DIR, and DIR/ with a slash, are accepted" {
	mkdir empty
	run -0 cfs-mkrootfs empty/
	is_rootfs empty
	only_left . empty
}

@test "refuses a non-empty DIR without --force, and leaves it alone" {
	mkdir rootfs
	echo mine > rootfs/file
	run -125 --separate-stderr cfs-mkrootfs ./rootfs
	[ "$stderr" = "cfs-mkrootfs: ./rootfs: directory not empty (use --force)" ]
	[ -z "$output" ]
	[ "$(entries rootfs)" = "file " ]
	[ "$(cat rootfs/file)" = mine ]
	only_left . rootfs
}

@test "--force replaces the whole content of DIR" {
	mkdir -p rootfs/sub rootfs/bin
	echo mine > rootfs/file
	echo old > rootfs/bin/sh
	ln -s /etc/passwd rootfs/sub/link
	run -0 --separate-stderr cfs-mkrootfs --force rootfs
	is_rootfs rootfs
	only_left . rootfs
	[ -e /etc/passwd ] # links are removed, not followed
	# again, over a root it built, and with -f
	run -0 --separate-stderr cfs-mkrootfs -f rootfs
	is_rootfs rootfs
	only_left . rootfs
}

@test "--force with a missing DIR creates it" {
	run -0 cfs-mkrootfs --force rootfs
	is_rootfs rootfs
}

@test "refuses a DIR whose parent does not exist" {
	run -125 --separate-stderr cfs-mkrootfs no/such/rootfs
	[ "$stderr" = "cfs-mkrootfs: no/such/rootfs: parent directory no/such: No such file or directory" ]
	only_left .
}

@test "refuses a DIR that is a file, and . or .." {
	echo mine > file
	run -125 --separate-stderr cfs-mkrootfs --force file
	[ "$stderr" = "cfs-mkrootfs: file: Not a directory" ]
	[ "$(cat file)" = mine ]
	mkdir d
	run -125 --separate-stderr cfs-mkrootfs d/.
	[[ "$stderr" == "cfs-mkrootfs: d/.: "* ]]
	run -125 --separate-stderr cfs-mkrootfs ..
	[[ "$stderr" == "cfs-mkrootfs: ..: "* ]]
	only_left . d file
	[ -z "$(entries d)" ]
}

@test "--busybox FILE installs that file" {
	cp "$(command -v busybox)" bb
	run -0 cfs-mkrootfs --busybox ./bb rootfs
	cmp bb rootfs/bin/busybox
	run -0 cfs-mkrootfs -b ./bb --force rootfs
	is_rootfs rootfs
}

@test "--busybox with a missing file" {
	run -125 --separate-stderr cfs-mkrootfs --busybox ./nope rootfs
	[ "$stderr" = "cfs-mkrootfs: open ./nope: No such file or directory" ]
	only_left .
}

@test "--busybox with a dynamic executable: refused, nothing left" {
	run -125 --separate-stderr cfs-mkrootfs --busybox /bin/ls rootfs
	[[ "$stderr" == "cfs-mkrootfs: /bin/ls: dynamically linked (needs /lib"*"): a static busybox is needed (Debian: busybox-static)" ]]
	only_left .
}

@test "--busybox with a file that is not ELF" {
	echo '#!/bin/sh' > script
	chmod +x script
	run -125 --separate-stderr cfs-mkrootfs --busybox ./script rootfs
	[ "$stderr" = "cfs-mkrootfs: ./script: not an ELF executable (a static busybox is needed)" ]
	only_left . script
}

@test "--busybox with a static program that is not busybox: nothing left" {
	[ -x /sbin/ldconfig ] || skip "no /sbin/ldconfig"
	mkdir parent
	run -125 --separate-stderr cfs-mkrootfs --busybox /sbin/ldconfig parent/rootfs
	[[ "$stderr" == *"cfs-mkrootfs: "*busybox* ]]
	[ -z "$(entries parent)" ]
}

@test "busybox not on PATH" {
	tool=$(command -v cfs-mkrootfs)
	run -125 --separate-stderr env PATH=/nonexistent "$tool" rootfs
	[ "$stderr" = "cfs-mkrootfs: busybox: not found in PATH (install busybox-static, or use --busybox FILE)" ]
	only_left .
}

@test "a failure in the middle of the build leaves nothing behind" {
	need_root
	command -v unshare > /dev/null || skip "no unshare"
	mkdir mnt
	# busybox cannot run from a noexec file system: --list-full fails
	# after the temporary tree has been half built
	run -0 --separate-stderr unshare --mount sh -c '
		mount -t tmpfs -o noexec tmpfs mnt || exit 99
		cfs-mkrootfs mnt/rootfs; echo "rc=$?"; ls -A mnt'
	[ "$output" = "rc=125" ]
	[[ "$stderr" == "cfs-mkrootfs: run mnt/rootfs."??????"/bin/busybox --list-full: Permission denied" ]]
}

@test "as non-root: builds, and checks in a user namespace" {
	need_root
	command -v setpriv > /dev/null || skip "no setpriv"
	work=$(mktemp -d /tmp/cfs-mkrootfs-test.XXXXXX)
	chmod 755 "$work"
	chown 65534:65534 "$work"
	tool=$(command -v cfs-mkrootfs)
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$tool" ||
		skip "nobody cannot run $tool"
	run -0 --separate-stderr setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$tool" "$work/rootfs"
	# the check runs, or is skipped with a note when user namespaces
	# are not allowed here
	[[ -z "$stderr" || "$stderr" == *"rootfs not checked: unshare user namespace: "* ]]
	is_rootfs "$work/rootfs"
	[ "$(stat -c %u:%g "$work/rootfs/bin/busybox")" = 65534:65534 ]
	only_left "$work" rootfs
}

@test "as non-root without user namespaces: the check is skipped with a note" {
	need_root
	command -v setpriv > /dev/null || skip "no setpriv"
	command -v unshare > /dev/null || skip "no unshare"
	work=$(mktemp -d /tmp/cfs-mkrootfs-test.XXXXXX)
	chmod 755 "$work"
	mkdir "$work/root" "$work/out"
	chown 65534:65534 "$work/out"
	tool=$(command -v cfs-mkrootfs)
	# a chrooted process may not create a user namespace
	run -0 --separate-stderr unshare --mount sh -c '
		mount --make-rprivate / && mount --rbind / "$1/root" || exit 99
		exec chroot "$1/root" setpriv --reuid=65534 --regid=65534 \
			--clear-groups "$2" "$1/out/rootfs"' sh "$work" "$tool"
	[[ "$stderr" == "cfs-mkrootfs: $work/out/rootfs not checked: unshare user namespace: Operation not permitted" ]]
	is_rootfs "$work/out/rootfs"
}

@test "as a real unprivileged user: a busybox root that works" {
	make_user
	run -0 --separate-stderr as_user cfs-mkrootfs "$work/home/rootfs"
	# nothing is skipped (no mknod, no chown: /dev is cfs-pivot's), but
	# the check where user namespaces are not allowed, said on one line
	[[ -z "$stderr" || "$stderr" == *"rootfs not checked: unshare user namespace: "* ]]
	is_rootfs "$work/home/rootfs"
	[ -z "$(find "$work/home/rootfs" ! -user "$USER_NAME")" ]
	run -0 chroot "$work/home/rootfs" /bin/sh -c 'echo ok'
	[ "$output" = ok ]
	only_left "$work/home" rootfs
}

@test "as a real unprivileged user: an image without device nodes or owners, one line each" {
	make_user
	mkdir -p src/dev src/etc src/ro
	mknod src/dev/null c 1 3
	mknod src/dev/zero c 1 5
	echo mine >src/etc/file
	chown 1234:1234 src/etc/file
	echo s >src/etc/suid
	chmod 4755 src/etc/suid
	echo r >src/ro/file
	chmod 555 src/ro
	tar -C src --numeric-owner -cf "$work/img.tar" .
	chmod 644 "$work/img.tar"
	run -0 --separate-stderr as_user cfs-mkrootfs --from-tar "$work/img.tar" "$work/home/r"
	echo "$stderr"
	[ "$stderr" = "cfs-mkrootfs: $work/home/r: device nodes not made (mknod needs the host's root): 2
cfs-mkrootfs: $work/home/r: owners not kept (chown needs root, and ids mapped in its user namespace): 7 entries made yours" ]
	r=$work/home/r
	[ "$(entries "$r/dev")" = "" ]
	[ "$(cat "$r/etc/file")" = mine ]
	[ -z "$(find "$r" ! -user "$USER_NAME")" ]
	[ "$(stat -c %a "$r/etc/suid")" = 755 ]   # no set-user-ID for the wrong owner
	[ "$(stat -c %a "$r/ro")" = 555 ]
	# and --force removes it, read-only directory included
	run -0 --separate-stderr as_user cfs-mkrootfs --force "$r"
	is_rootfs "$r"
	only_left "$work/home" r
}

@test "as a real unprivileged user, root in a user namespace: mapped owners kept, no device nodes" {
	make_user
	command -v unshare >/dev/null || skip "no unshare"
	as_user unshare --user --map-root-user true || skip "no user namespaces here"
	mkdir -p src/dev src/etc
	mknod src/dev/null c 1 3
	echo mine >src/etc/mine
	echo other >src/etc/other
	chown 1234:1234 src/etc/other
	tar -C src --numeric-owner -cf "$work/img.tar" .
	chmod 644 "$work/img.tar"
	# root of a user namespace where only root (the user outside) is mapped
	run -0 --separate-stderr as_user unshare --user --map-root-user \
		cfs-mkrootfs --from-tar "$work/img.tar" "$work/home/r"
	[ "$stderr" = "cfs-mkrootfs: $work/home/r: device nodes not made (mknod needs the host's root): 1
cfs-mkrootfs: $work/home/r: owners not kept (chown needs root, and ids mapped in its user namespace): 1 entry made yours" ]
	[ -z "$(find "$work/home/r" ! -user "$USER_NAME")" ]
	[ "$(entries "$work/home/r/dev")" = "" ]
	[ "$(cat "$work/home/r/etc/other")" = other ]
}

@test "as a real unprivileged user: a failure leaves nothing, read-only directories included" {
	make_user
	mkdir -p src/ro
	head -c 200000 /dev/urandom >src/ro/big
	echo x >src/ro/small
	chmod 555 src/ro
	tar -C src --sort=name -cf full.tar .
	head -c 150000 full.tar >"$work/trunc.tar"
	chmod 644 "$work/trunc.tar"
	run -125 --separate-stderr as_user cfs-mkrootfs --from-tar "$work/trunc.tar" "$work/home/r"
	[ "$stderr" = "cfs-mkrootfs: $work/trunc.tar: entry ./ro/small: Truncated tar archive" ] ||
	[ "$stderr" = "cfs-mkrootfs: $work/trunc.tar: entry ./ro/big: Truncated tar archive" ]
	only_left "$work/home"
	chmod -R u+w src
}

@test "an unknown option fails with 125" {
	run -125 --separate-stderr cfs-mkrootfs --bogus rootfs
	[[ "$stderr" == *"--bogus"* ]]
	[[ "$stderr" == *"Try 'cfs-mkrootfs --help'"* ]]
	only_left .
}

@test "no DIR, or two, fail with 125" {
	run -125 --separate-stderr cfs-mkrootfs
	[[ "${stderr}" == "cfs-mkrootfs: no DIR given"* ]]
	run -125 --separate-stderr cfs-mkrootfs a b
	[[ "$stderr" == "cfs-mkrootfs: unexpected argument: b"* ]]
	only_left .
}

@test "--help and --usage exit 0" {
	run -0 --separate-stderr cfs-mkrootfs --help
	[[ "$output" == "Usage: cfs-mkrootfs [OPTION...] DIR"* ]]
	[[ "$output" == *--busybox=FILE* ]]
	[ -z "$stderr" ]
	run -0 --separate-stderr cfs-mkrootfs --usage
	[[ "$output" == *"Usage: cfs-mkrootfs"* ]]
	only_left .
}

@test "--version" {
	run -0 --separate-stderr cfs-mkrootfs --version
	[[ "$output" == "cfs-mkrootfs (cfs) "[0-9]* ]]
	run -0 cfs-mkrootfs -V
	only_left .
}

