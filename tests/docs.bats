#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Every example in README.md and in cfs(7)'s EXAMPLES, run as pasted: a
# doc that lies fails make check.
#
# README's ```sh blocks, and the .EX/.EE blocks of cfs.7's EXAMPLES, are
# run in order, each document's in one bash as a user pastes them into
# one terminal, in a temp dir, stdin from /dev/null (an interactive `sh`
# of an example reads its end and exits 0). Nothing of the text is
# changed but /run/cfs, which becomes a directory in the temp dir (and
# cfs-oci's state directory, given there with --root). What an
# example takes from outside is made beforehand: box/alpine-oci:latest,
# an OCI layout of our busybox rootfs (the README says where one comes
# from).
# Root's blocks run in a network namespace of their own (the networking
# example makes a bridge, rules and a published port there).
# A block that uses ~/ is an ordinary user's: it runs as a test user with
# subordinate ids, in that user's home. Not run: a block starting with
# ./setup (CI runs it: .ci/run), one whose first line is "# needs
# network" (tests/registry.bats runs its local variant), and one whose
# first line is "# needs a terminal" (tests/tty.bats types it into tmux).
# Every command that fails is reported; the ones a document says fail
# (README: `exit 7`, then `echo $?  # 7`) are expected by name below.
load common
load helpers/image

RL_USER=cfs-test-docs
RL_SUB=3500000 # its 65536 subordinate ids: nothing else here uses them
load helpers/rootless

setup_file() {
	rl_add
}

teardown_file() { rl_teardown; }

eval "common_$(declare -f teardown)"
teardown() {
	local rc=0
	common_teardown || rc=$?
	# the examples' cgroup, had one failed half-way
	if [ -e "$BATS_TEST_TMPDIR/made-demo" ] && cfs-cgroup --list | grep -qx demo; then
		cfs-cgroup --delete demo || rc=1
	fi
	return $rc
}

DOCS="$BATS_TEST_DIRNAME/.."

# The ```sh blocks of README.md, each followed by a line "#--".
readme_blocks() {
	awk '/^```sh$/ { on = 1; n = 0; next }
	     on && /^```$/ { on = 0; print "#--"; next }
	     on { print }' "$DOCS/README.md"
}

# The .EX/.EE blocks of cfs.7's EXAMPLES, unescaped as man shows them.
man_blocks() {
	awk '/^\.SH EXAMPLES/ { in_ex = 1; next }
	     /^\.SH / { in_ex = 0 }
	     in_ex && /^\.EX/ { on = 1; next }
	     in_ex && /^\.EE/ { on = 0; print "#--"; next }
	     on { print }' "$DOCS/man/cfs.7" |
		sed -e 's/\\-/-/g' -e 's/\\e/\\/g' -e "s/\\\\(aq/'/g" -e 's/\\&//g'
}

# Split blocks (on "#--") into the root ones and the user ones (~/), in
# $1.root and $1.user, as scripts that report each failing command.
scripts() {
	local out=$1 block="" line
	for f in root user; do
		printf '%s\n' 'trap '\''echo "failed ($?): $BASH_COMMAND" >>"$FAILED"'\'' ERR' >"$out.$f"
	done
	while IFS= read -r line; do
		if [ "$line" != "#--" ]; then
			block+="$line"$'\n'
			continue
		fi
		case $block in
		./setup*) ;;
		"# needs network"*) ;;
		"# needs a terminal"*) ;;
		*"~/"*) printf '%s' "$block" >>"$out.user" ;;
		*) printf '%s' "$block" >>"$out.root" ;;
		esac
		block=""
	done
	for f in root user; do
		# /run/cfs: the only path outside the temp dir an example names;
		# cfs-oci's state, in /run/cfs-oci unless --root says, goes there too
		sed -i -e "s|/run/cfs|$BATS_TEST_TMPDIR/run/cfs|g" \
			-e "s|\bcfs-oci |cfs-oci --root $BATS_TEST_TMPDIR/run/cfs-oci |g" "$out.$f"
		echo wait >>"$out.$f"
	done
}

# Run the scripts of a document: root's in $BATS_TEST_TMPDIR/work, the
# user's in its home; the failures in $BATS_TEST_TMPDIR/failed.
run_doc() {
	local work="$BATS_TEST_TMPDIR/work" home
	home=$(rl_work)/home
	mkdir -p "$work" "$home"
	chown "$RL_USER:" "$home"
	# what the image example takes from outside, where the tour's
	# `cd box` leaves it
	mkdir -p -m 700 "$work/box"
	CONFIG_JSON='{"Cmd":["sh"]}' make_oci "$work/box/alpine-oci" latest "$ROOTFS"
	# the cgroup example's NAME must be free, and is removed if left
	! cfs-cgroup --list | grep -qx demo || { echo "a cgroup named demo exists"; false; }
	touch "$BATS_TEST_TMPDIR/made-demo"
	[ ! -e /run/cfs ] || touch "$BATS_TEST_TMPDIR/had-run-cfs"
	export FAILED="$BATS_TEST_TMPDIR/failed"
	: >"$FAILED"
	# root's in a network namespace of its own, loopback up: the
	# networking example builds a bridge and rules, which a test makes
	# only in a "host" of its own, never the machine's. (Not a mount
	# namespace: cfs-pivot would take it for the chain's and pivot it.)
	(cd "$work" && timeout 300 unshare --net sh -c \
		'ip link set lo up && exec bash "$0"' \
		"$1.root" </dev/null >"$1.root.out" 2>&1) ||
		echo "failed ($?): the root script" >>"$FAILED"
	# cfs-net's store, when the examples made it: no lease may be left
	if [ ! -e "$BATS_TEST_TMPDIR/had-run-cfs" ] && [ -d /run/cfs ]; then
		! find /run/cfs/net -path '*leases/*' | grep . >>"$FAILED" ||
			echo "failed: a lease left in /run/cfs/net" >>"$FAILED"
		rm -rf /run/cfs
	fi
	# the user's, from where the user can read and write, in a network
	# namespace of the test's with a route out (a veth to nowhere: pasta
	# copies the host's address and gateway), and in a mount namespace
	# where /dev/net/tun is a 0666 node of the test's own, bound over
	# the machine's: pasta needs it usable by the user, as Debian's udev
	# makes it, and this machine's may be 0600. The machine's node and
	# network are not touched.
	cp "$1.user" "$home/script"
	mkdir -p "$BATS_TEST_TMPDIR/tun"
	(cd "$home" && timeout 300 unshare --net --mount --propagation private sh -c '
		ip link set lo up && ip link add vh type veth peer name vo &&
		ip addr add 192.0.2.1/24 dev vh && ip link set vh up &&
		ip link set vo up && ip route add default via 192.0.2.2 &&
		mount -t tmpfs -o mode=755 tmpfs "$0" &&
		mknod -m 666 "$0/tun" c 10 200 && mount --bind "$0/tun" /dev/net/tun &&
		exec "$@"' "$BATS_TEST_TMPDIR/tun" \
		setpriv --reuid "$RL_USER" --regid "$RL_USER" \
		--init-groups env HOME="$home" PATH="$PATH" FAILED="$home/failed" \
		bash "$home/script" </dev/null >"$1.user.out" 2>&1) ||
		echo "failed ($?): the user script" >>"$FAILED"
	[ ! -e "$home/failed" ] || cat "$home/failed" >>"$FAILED"
	rm -rf "${home:?}"/* "${home:?}"/.[!.]* 2>/dev/null || true
	cat "$1.root.out" "$1.user.out" "$FAILED"
}

@test "README.md: every example runs as pasted" {
	readme_blocks | scripts "$BATS_TEST_TMPDIR/readme"
	# the blocks that run: the tour on, and the user's
	grep -q "^cfs-mkrootfs ./rootfs" "$BATS_TEST_TMPDIR/readme.root"
	grep -q "^cfs-unshare --user --map-auto" "$BATS_TEST_TMPDIR/readme.user"
	grep -q "cfs-net attach -p 8080:80' -- cfs-pivot ~/rootfs -- httpd" \
		"$BATS_TEST_TMPDIR/readme.user"
	run_doc "$BATS_TEST_TMPDIR/readme"
	# the one failure README shows: `exit 7`, and `echo $?` prints it
	[ "$(grep -c . "$FAILED")" = 1 ]
	# the user's container served its page through pasta
	grep -qx cfs "$BATS_TEST_TMPDIR/readme.user.out"
	grep -q "^failed (7): cfs-unshare .*exit 7'$" "$FAILED"
	grep -qx 7 "$BATS_TEST_TMPDIR/readme.root.out"
	# the kept container was stopped, as the example says
	[ ! -e "$BATS_TEST_TMPDIR/run/cfs/demo" ]
	! cfs-cgroup --list | grep -qx demo || false
}

@test "cfs(7) EXAMPLES: every example runs as pasted" {
	man_blocks | scripts "$BATS_TEST_TMPDIR/man"
	grep -q "^cfs-unshare --map-auto" "$BATS_TEST_TMPDIR/man.user"
	run_doc "$BATS_TEST_TMPDIR/man"
	[ ! -s "$FAILED" ]
	[ ! -e "$BATS_TEST_TMPDIR/run/cfs/demo" ]
	! cfs-cgroup --list | grep -qx demo || false
}

@test "a doc that lies fails: a wrong option in an example is reported" {
	printf '%s\n' 'cfs-unshare --uts --no-such-option -- true' '#--' \
		'cfs-unshare --uts -- true' '#--' |
		scripts "$BATS_TEST_TMPDIR/lie"
	run_doc "$BATS_TEST_TMPDIR/lie"
	[ "$(grep -c . "$FAILED")" = 1 ]
	grep -q "^failed (125): cfs-unshare --uts --no-such-option" "$FAILED"
}
