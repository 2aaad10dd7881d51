#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# containerd drives cfs-oci: the real containerd 1.6 started here with a
# config of ours (root, state, sockets under the file's temp dir, no CRI
# plugin), its runc v2 shim told to run cfs-oci (ctr run --runc-binary,
# the shim's BinaryName) with cfs-oci's state under the temp dir too
# (--runc-root, the shim's Root). The image is our busybox rootfs as an
# OCI archive (umoci), imported with ctr. Only the shims' sockets are
# where containerd 1.6 puts them whatever it is told: /run/containerd/s,
# removed after if it was not there.
load common
load helpers/engines
eval "common_$(declare -f setup)"
eval "common_$(declare -f teardown)"

IMAGE=localhost/cfs-busybox:test
NS=cfstest
# the terminal's name and size: ctr sets the size once the task runs,
# so a program may first find none (busybox stty size: an error, or 0 0;
# as with runc)
SIZE='tty; for i in 1 2 3 4 5 6 7 8 9 10; do case "$(stty size 2>/dev/null)" in ""|"0 0") sleep 0.2;; *) break;; esac; done; stty size'

setup_file() {
	CT=$BATS_FILE_TMPDIR
	command -v containerd ctr containerd-shim-runc-v2 >/dev/null || {
		echo "containerd missing: ./setup check installs it" >&2
		return 1
	}
	run_leftovers_before
	cat >"$CT/config.toml" <<-EOF
		version = 2
		root = "$CT/root"
		state = "$CT/state"
		disabled_plugins = ["io.containerd.grpc.v1.cri"]
		[grpc]
		  address = "$CT/containerd.sock"
		[ttrpc]
		  address = "$CT/containerd.sock.ttrpc"
		[plugins."io.containerd.internal.v1.opt"]
		  path = "$CT/opt"
	EOF
	containerd --config "$CT/config.toml" >"$CT/containerd.log" 2>&1 &
	echo $! >"$CT/containerd.pid"
	for i in $(seq 100); do
		[ -S "$CT/containerd.sock" ] && c version >/dev/null 2>&1 && break
		sleep 0.1
	done
	c version >/dev/null
	image_archive "$CT"
	c image import --base-name "${IMAGE%:*}" "$CT/image.tar" >/dev/null
	c image ls -q | grep -qx "$IMAGE"
}

teardown_file() {
	CT=$BATS_FILE_TMPDIR
	for id in $(c task ls -q 2>/dev/null); do
		c task kill -s KILL "$id" 2>/dev/null || true
		c task delete "$id" 2>/dev/null || true
	done
	c container rm $(c container ls -q 2>/dev/null) >/dev/null 2>&1 || true
	c image rm "$IMAGE" >/dev/null 2>&1 || true
	kill -TERM "$(cat "$CT/containerd.pid")" 2>/dev/null || true
	for i in $(seq 50); do
		kill -0 "$(cat "$CT/containerd.pid")" 2>/dev/null || break
		sleep 0.1
	done
	kill_under "$CT"
	umount_under "$CT"
	run_leftovers_remove
}

# ctr on our containerd, in our namespace
c() { ctr -a "$CT/containerd.sock" -n "$NS" "$@"; }
# ctr run with cfs-oci as the shim's runtime, its state under the temp dir
RUNC_OPTS=()

setup() {
	CT=$BATS_FILE_TMPDIR
	RUNC_OPTS=(--runc-binary "$CFS_BUILD/cfs-oci" --runc-root "$CT/oci")
	common_setup
	engine_cgroups >"$BATS_TEST_TMPDIR/cgroups.before"
}

# Every task and container of the test gone (killed, deleted), no state
# of cfs-oci and no cgroup left.
teardown() {
	local id
	for id in $(c task ls -q 2>/dev/null); do
		c task kill -s KILL "$id" 2>/dev/null || true
		for i in $(seq 50); do
			c task delete "$id" >/dev/null 2>&1 && break
			sleep 0.1
		done
	done
	c container rm $(c container ls -q) >/dev/null 2>&1 || true
	[ -z "$(ls -A "$CT/oci/$NS" 2>/dev/null)" ] || {
		ls -l "$CT/oci/$NS"; false; }
	engine_cgroups | diff "$BATS_TEST_TMPDIR/cgroups.before" -
	common_teardown
}

@test "ctr run --rm: the program's output and exit status, through cfs-oci" {
	run -0 --separate-stderr c run --rm "${RUNC_OPTS[@]}" "$IMAGE" r1 \
		sh -c 'echo hello; cat /proc/1/cmdline | tr "\0" " "'
	[ "$output" = "hello
sh -c echo hello; cat /proc/1/cmdline | tr \"\\0\" \" \" " ] || { echo "$output"; false; }
	run -7 c run --rm "${RUNC_OPTS[@]}" "$IMAGE" r2 sh -c 'exit 7'
	# the shim ran cfs-oci: its state was under --runc-root
	[ -d "$CT/oci/$NS" ]
	[ -z "$(c container ls -q)" ]
}

@test "ctr run -d, task exec (and --tty), task ps, task kill, task delete" {
	c run -d "${RUNC_OPTS[@]}" "$IMAGE" d1 sleep 1000
	run -0 c task ls
	[[ "$output" == *"d1 "*"RUNNING"* ]]
	# in the container's PID namespace: its init (1) and the shell
	run -0 c task exec --exec-id e1 d1 sh -c 'echo $$; ls /proc | grep "^[0-9]" | sort -n'
	[ "$(head -n 1 <<<"$output")" != 1 ]
	[ "$(sed -n 2p <<<"$output")" = 1 ]
	run -3 c task exec --exec-id e2 d1 sh -c 'exit 3'
	# --tty: a terminal of the container's devpts (ctr's exec -t never
	# sets its size, with runc neither: stty size fails there)
	run -4 script -qec "ctr -a $CT/containerd.sock -n $NS task exec -t --exec-id e3 d1 sh -c 'tty; exit 4'" /dev/null </dev/null
	[[ "$output" == *"/dev/pts/0"* ]] || { echo "$output"; false; }
	# SIGTERM to PID 1, which has no handler: nothing; KILL ends it
	c task kill d1
	sleep 0.3
	[[ "$(c task ls)" == *"d1 "*"RUNNING"* ]]
	c task kill -s KILL d1
	for i in $(seq 50); do
		[[ "$(c task ls)" == *"d1 "*"STOPPED"* ]] && break
		sleep 0.1
	done
	[[ "$(c task ls)" == *"d1 "*"STOPPED"* ]]
	# cfs-oci says "not running" as runc does: the shim's "not found"
	run -1 c task kill -s KILL d1
	[[ "$output" == *"process already finished: not found"* ]] || { echo "$output"; false; }
	c task delete d1
	c container rm d1
	[ -z "$(c task ls -q)" ]
}

@test "ctr task ps: the container's processes" {
	c run -d "${RUNC_OPTS[@]}" "$IMAGE" p1 sh -c 'sleep 1000 & sleep 1000'
	run -0 c task ps p1
	# sh and its background sleep; the last sleep is sh itself (exec)
	[ "$(grep -c '^[0-9]' <<<"$output")" = 2 ]
	pid=$(c task ls | awk '$1 == "p1" {print $2}')
	grep -q "^$pid " <<<"$output"
}

@test "ctr run -t: a terminal through the shim's console socket; --memory-limit in the cgroup" {
	run -6 script -qec "stty rows 30 cols 100; ctr -a $CT/containerd.sock -n $NS run --rm -t ${RUNC_OPTS[*]} $IMAGE t1 sh -c '$SIZE; exit 6'" /dev/null </dev/null
	[[ "$output" == *"/dev/pts/0"*"30 100"* ]] || { echo "$output"; false; }
	# ctr mounts no cgroup in the container: the host's side of it
	c run -d "${RUNC_OPTS[@]}" --memory-limit 67108864 "$IMAGE" m1 sleep 1000
	pid=$(c task ls | awk '$1 == "m1" {print $2}')
	cg=$(sed -n 's/^[0-9]*:memory://p' "/proc/$pid/cgroup")
	[ "$cg" = /$NS/m1 ]
	[ "$(cat "/sys/fs/cgroup/memory$cg/memory.limit_in_bytes")" = 67108864 ]
}

# The lines of man/cfs-oci.1 between .\" BEGIN $1 and .\" END $1, as
# the page shows them (no requests, \- as -, \e as \).
man_block() {
	awk -v b=".\\\\\" BEGIN $1" -v e=".\\\\\" END $1" '
		$0 == b { f = 1; next } $0 == e { f = 0 } f && !/^\./' \
		"$BATS_TEST_DIRNAME/../man/cfs-oci.1" | sed 's/\\-/-/g; s/\\e/\\/g'
}

@test "the page's Kubernetes example: containerd loads its CRI runtime, the RuntimeClass names it" {
	man_block containerd-cri >"$BATS_TEST_TMPDIR/config.toml"
	[ -s "$BATS_TEST_TMPDIR/config.toml" ]
	run -0 --separate-stderr containerd --config "$BATS_TEST_TMPDIR/config.toml" config dump
	run -0 python3 -c 'import sys, tomllib
c = tomllib.loads(sys.stdin.read())
r = c["plugins"]["io.containerd.grpc.v1.cri"]["containerd"]["runtimes"]
for name, rt in r.items():
    print(name, rt["runtime_type"], rt["options"]["BinaryName"], rt["options"]["Root"])' <<<"$output"
	[ "$output" = "cfs io.containerd.runc.v2 /usr/local/bin/cfs-oci /run/cfs-oci" ]
	man_block runtimeclass >"$BATS_TEST_TMPDIR/runtimeclass.yaml"
	run -0 python3 -c 'import sys, yaml
r = yaml.safe_load(open(sys.argv[1]))
print(r["apiVersion"], r["kind"], r["metadata"]["name"], r["handler"])' "$BATS_TEST_TMPDIR/runtimeclass.yaml"
	[ "$output" = "node.k8s.io/v1 RuntimeClass cfs cfs" ]
}
