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
