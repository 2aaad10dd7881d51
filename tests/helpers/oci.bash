# SPDX-License-Identifier: GPL-2.0-or-later
# The set-up of the cfs-oci tests (oci.bats, oci-exec.bats,
# oci-config.bats): a bundle written here (config from `cfs-oci spec`, edited with python3; root.path
# the test rootfs, read-only) and state under the test's directory; every
# container a test made is deleted after it, with what it left checked.

REAPER="$CFS_BUILD/reaper"

# oci_setup: a bundle in $B whose root is the test rootfs (read-only),
# state in $R, and what the teardown compares taken before.
oci_setup() {
	T=$BATS_TEST_TMPDIR
	R=$T/state
	B=$T/bundle
	mkdir -p "$B"
	cfs-oci spec --bundle "$B"
	edit "c['root']['path'] = '$ROOTFS'"
	host_mounts >"$T/mounts.before"
	host_namespaces >"$T/ns.before"
	hostname >"$T/hostname.before"
	ls -A "$ROOTFS/tmp" >"$T/rootfs-tmp.before"
	oci_cgroups >"$T/cgroups.before"
}

# oci_teardown: every container a test made is gone, its cgroup and state
# too; processes in $T/pids (and their children) killed, the paths in
# $T/rm removed, the absolute cgroups in $T/rm-cgroups deleted. A cgroup
# a failed chain left is removed, and the test fails.
oci_teardown() {
	local id p
	for p in $(cat "$T/pids" 2>/dev/null); do
		pkill -KILL -P "$p" 2>/dev/null || true
		kill -KILL "$p" 2>/dev/null || true
	done
	for id in $(ls "$R" 2>/dev/null); do
		cfs-oci --root "$R" delete --force "$id" || true
	done
	oci_cgroups >"$T/cgroups.after"
	for id in $(comm -13 "$T/cgroups.before" "$T/cgroups.after"); do
		cfs-cgroup --delete "$id" || true
	done
	diff "$T/cgroups.before" "$T/cgroups.after"
	for p in $(cat "$T/rm-cgroups" 2>/dev/null); do
		cfs-cgroup --absolute --delete "${p#/}" 2>/dev/null || true
		rmdir /sys/fs/cgroup/*/"${p%/*}" 2>/dev/null || true
		! ls -d /sys/fs/cgroup/*/"${p%/*}" 2>/dev/null || false
	done
	rmdir "$R" 2>/dev/null || true
	[ ! -f "$T/rm" ] || xargs rm -rf -- <"$T/rm"
	[ ! -e "$R" ] || { ls -la "$R"; false; }
	# common.bash's: mounts, hostname, namespaces
	host_mounts >"$T/mounts.after"
	diff "$T/mounts.before" "$T/mounts.after"
	hostname | diff "$T/hostname.before" -
	ls -A "$ROOTFS/tmp" | diff "$T/rootfs-tmp.before" -
	for i in $(seq 10); do
		host_namespaces | comm -13 "$T/ns.before" - |
			not_another_runs >"$T/ns.new"
		[ ! -s "$T/ns.new" ] && return 0
		sleep 0.2
	done
	cat "$T/ns.new" >&2
	return 1
}

setup() { oci_setup; }
teardown() { oci_teardown; }

# The cgroups of this file's containers: oci-$OCI_PREFIX*, as other runs
# on the machine make others.
oci_cgroups() {
	ls /sys/fs/cgroup/*/cfs 2>/dev/null | grep "^oci-${OCI_PREFIX-}" | sort || true
}

# edit PYTHON: change the bundle's config c, a dict.
edit() {
	python3 -c "import json, sys
c = json.load(open('$B/config.json'))
$1
json.dump(c, open('$B/config.json', 'w'))"
}

oci() { cfs-oci --root "$R" "$@"; }

# userns_bundle: the bundle's container gets a user namespace (host uids
# 100000 up) and a copy of the rootfs that its root can reach; the state
# goes with it (the fifo and the profile the init opens).
userns_bundle() {
	local root
	root=$(mktemp -d /tmp/cfs-oci-userns.XXXXXX)
	echo "$root" >>"$T/rm"
	chmod 755 "$root"
	cp -a "$ROOTFS" "$root/rootfs"
	R=$root/state
	edit "c['root']['path'] = '$root/rootfs'
c['linux']['namespaces'].append({'type': 'user'})
c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]
c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW'}"
}

# Nothing of container ID is left: no state dir, no cgroup.
gone() {
	[ ! -e "$R/$1" ]
	[ ! -e "/sys/fs/cgroup/unified/cfs/oci-$1" ]
	[ ! -e "/sys/fs/cgroup/pids/cfs/oci-$1" ]
}
