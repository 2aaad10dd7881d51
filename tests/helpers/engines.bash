# SPDX-License-Identifier: GPL-2.0-or-later
# The real engines driving cfs-oci, with everything of theirs under the
# test file's temp dir: podman with --root, --runroot, a containers.conf
# of ours (CONTAINERS_CONF) and cfs-oci's state (--runtime-flag root=);
# containerd started here on its own socket, root and state. Nothing
# listens on a host socket; nothing of the host's /etc is changed.

# Our busybox rootfs as a one-layer OCI image archive (umoci), for
# `ctr image import`; podman imports a plain tar of it.
image_archive() {
	local dir=$1
	umoci init --layout "$dir/layout"
	umoci new --image "$dir/layout:test"
	umoci unpack --image "$dir/layout:test" "$dir/bundle" >/dev/null
	cp -a "$ROOTFS/." "$dir/bundle/rootfs/"
	umoci repack --image "$dir/layout:test" "$dir/bundle"
	umoci config --image "$dir/layout:test" --config.cmd /bin/sh
	rm -rf "$dir/bundle"
	tar -C "$dir/layout" -cf "$dir/image.tar" .
}

# The paths the engines make whatever they are told, listed before the
# file's tests: what was not there is removed after, if empty (podman's
# conmon cgroups, containerd's shim sockets).
RUN_LEFTOVERS="/run/containerd/s /run/containerd/fifo /run/containerd
	$(for h in /sys/fs/cgroup/*/; do
		echo "${h}libpod_parent/conmon ${h}libpod_parent ${h}cfstest"
	done)"

run_leftovers_before() {
	local p
	for p in $RUN_LEFTOVERS; do
		[ ! -e "$p" ] || echo "$p"
	done >"$BATS_FILE_TMPDIR/run.before"
}

run_leftovers_remove() {
	local p
	for p in $RUN_LEFTOVERS; do
		grep -qx "$p" "$BATS_FILE_TMPDIR/run.before" || rmdir "$p" 2>/dev/null || true
	done
}

# Every process whose command line names DIR, killed by PID: conmon,
# containerd, its shims, a container's init left by a failed test.
kill_under() {
	local p
	for p in $(pgrep -f -- "$1"); do
		[ "$p" != $$ ] && kill -KILL "$p" 2>/dev/null || true
	done
}

# Every mount under DIR, lazily unmounted (podman's shm, containerd's
# rootfs of a task a failed test left).
umount_under() {
	local m
	for m in $(awk -v d="$1/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
		umount -l "$m" || true
	done
}

# cfs-oci's cgroups of engines' containers (their cgroupsPath is
# absolute: /libpod_parent/libpod-ID, /cfstest/ID), in every hierarchy.
engine_cgroups() {
	find /sys/fs/cgroup/*/libpod_parent /sys/fs/cgroup/*/cfstest \
		-mindepth 1 -maxdepth 1 -type d 2>/dev/null | grep -v /conmon$ |
		sort || true
}

# podman as root, all its state under PT (the file's temp dir): a
# containers.conf of ours with runtime = "cfs", and /run bound from
# $PT/run in a mount namespace of ours ($PT/mnt) that every pm call
# enters; our busybox rootfs imported as IMAGE. The host's nofile and
# nproc limits are below podman's defaults (1048576), which root without
# CAP_SYS_RESOURCE may not set: default_ulimits.
podman_setup_file() {
	PT=$BATS_FILE_TMPDIR
	run_leftovers_before
	mkdir -p "$PT/run" "$PT/tmp" "$PT/storage" "$PT/runroot"
	cat >"$PT/containers.conf" <<-EOF
		[containers]
		default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
		log_driver = "k8s-file"
		netns = "none"
		[engine]
		runtime = "cfs"
		cgroup_manager = "cgroupfs"
		events_logger = "file"
		events_logfile_path = "$PT/events.log"
		tmp_dir = "$PT/tmp"
		volume_path = "$PT/volumes"
		static_dir = "$PT/static"
		[engine.runtimes]
		cfs = ["$CFS_BUILD/cfs-oci"]
		[network]
		network_config_dir = "$PT/net"
	EOF
	touch "$PT/mnt"
	cfs-unshare --mount="$PT/mnt" -- mount --bind "$PT/run" /run
	tar -C "$ROOTFS" -cf "$PT/rootfs.tar" .
	pm import -q "$PT/rootfs.tar" "$IMAGE" >/dev/null
}

# podman in the file's mount namespace (and, with PM_NET set, a network
# namespace of a test's), in $PT or PM_WD: conmon, its child, keeps
# podman's working directory and, at 2.1.6, makes its "oom" file there
# (nsenter's default would be /, the host's).
pm() {
	CONTAINERS_CONF=$PT/containers.conf nsenter --mount="$PT/mnt" \
		${PM_NET:+--net="$PM_NET"} --wd="${PM_WD:-$PT}" \
		podman --root "$PT/storage" --runroot "$PT/runroot" \
		--storage-driver vfs "$@"
}

# Every container and image of podman_setup_file's podman gone, then
# whatever is left of them killed and unmounted.
podman_teardown_file() {
	PT=$BATS_FILE_TMPDIR
	pm rm -a -f -t 0 >/dev/null 2>&1 || true
	pm rmi -a -f >/dev/null 2>&1 || true
	kill_under "$PT"
	umount_under "$PT"
	run_leftovers_remove
}
