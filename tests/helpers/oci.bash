# SPDX-License-Identifier: GPL-2.0-or-later
# The set-up of the cfs-oci tests (oci.bats, oci-exec.bats): a bundle
# written here (config from `cfs-oci spec`, edited with python3; root.path
# the test rootfs, read-only) and state under the test's directory; every
# container a test made is deleted after it, with what it left checked.

REAPER="$CFS_BUILD/reaper"

setup() {
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

# Every container a test made is gone, its cgroup and state too.
teardown() {
	local id
	for id in $(ls "$R" 2>/dev/null); do
		cfs-oci --root "$R" delete --force "$id" || true
	done
	oci_cgroups | diff "$T/cgroups.before" -
	rmdir "$R" 2>/dev/null || true
	[ ! -f "$T/pids" ] || xargs kill -KILL <"$T/pids" 2>/dev/null || true
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

oci_cgroups() { ls /sys/fs/cgroup/*/cfs 2>/dev/null | grep '^oci-' | sort || true; }

# edit PYTHON: change the bundle's config c, a dict.
edit() {
	python3 -c "import json, sys
c = json.load(open('$B/config.json'))
$1
json.dump(c, open('$B/config.json', 'w'))"
}

oci() { cfs-oci --root "$R" "$@"; }

# Nothing of container ID is left: no state dir, no cgroup.
gone() {
	[ ! -e "$R/$1" ]
	[ ! -e "/sys/fs/cgroup/unified/cfs/oci-$1" ]
	[ ! -e "/sys/fs/cgroup/pids/cfs/oci-$1" ]
}
