#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The OCI's conformance suite, runtime-tools' validation programs
# (../shared/oci-validation: built offline, once, into the build dir,
# about a minute), run against cfs-oci (about 5 minutes). Issue 19 asks
# for crun's 33 of 58 here (runc passes 29): this guards what passes,
# every program in PASSING must pass, and the count is printed.
# pidfile and killsig pass too, but depend on timing (pidfile kills a
# container whose "true" may have ended already, which the spec makes an
# error; killsig waits 5 s for a trap in a busy machine), so they are left
# out of the guard. What fails, and why:
# - no ok line whatever the runtime does (the program prints a plan of
#   0): hooks, prestart, prestart_fail, poststart, poststart_fail,
#   poststop, poststop_fail, process_capabilities_fail,
#   process_rlimits_fail; prestart also wants prestart run by start, where
#   runtime-spec 1.1 has it run by create (cfs-oci follows the spec).
# - this host: process_capabilities (CAP_SYS_RESOURCE is not in the
#   host's bounding set), process_rlimits (runtimetest, Go >= 1.19, raises
#   its own soft RLIMIT_NOFILE to the hard one),
#   linux_process_apparmor_profile (no AppArmor: refused by name, as the
#   issue asks). These stop at a field cfs-oci refuses by name, which this
#   host could not apply either: linux_cgroups_memory and _relative_memory
#   (memory.reservation, with kernel and kernelTCP limits, gone from
#   kernel 6.x), _hugetlb and _relative_hugetlb (no hugetlb controller),
#   _network and _relative_network (no net_cls, net_prio), _blkio and
#   _relative_blkio (blockIO.leafWeight; this VM's blkio has no weight
#   files, only bfq and throttle ones).
# - ours, by choice: linux_mount_label (no SELinux here: refused by name,
#   not ignored as crun does), linux_ns_itype (a config without a mount
#   namespace: cfs-pivot never pivots in the host's, it makes one),
#   start (wants start to succeed for a config without process, which
#   the spec makes an error; runc and crun fail it too).
load common

SUITE="$BATS_TEST_DIRNAME/../../shared/oci-validation"
PASSING="config_updates_without_affect create default delete
	delete_only_create_resources delete_resources hooks_stdin hostname
	kill kill_no_effect linux_cgroups_cpus linux_cgroups_devices
	linux_cgroups_pids linux_cgroups_relative_cpus
	linux_cgroups_relative_devices linux_cgroups_relative_pids
	linux_devices linux_masked_paths linux_ns_nopath linux_ns_path
	linux_ns_path_type linux_readonly_paths linux_rootfs_propagation
	linux_seccomp linux_sysctl linux_uid_mappings misc_props mounts
	process process_oom_score_adj process_user root_readonly_true state"

setup_file() {
	[ -x "$SUITE/build" ] || { echo "no $SUITE: the suite is in ../shared" >&2; return 1; }
	[ -x "$CFS_BUILD/oci-validation/runtimetest" ] ||
		"$SUITE/build" "$CFS_BUILD/oci-validation" >&3 2>&1
	[ ! -e /run/cfs-oci ] || touch "$BATS_FILE_TMPDIR/had-root"
}

teardown_file() {
	# the state directory cfs-oci made with its default --root, once a
	# program's last delete has emptied it
	[ ! -e "$BATS_FILE_TMPDIR/had-root" ] || return 0
	for _ in $(seq 50); do
		rmdir /run/cfs-oci 2>/dev/null || [ ! -e /run/cfs-oci ] || { sleep 0.1; continue; }
		return 0
	done
	echo "left in /run/cfs-oci:" >&2
	ls -la /run/cfs-oci >&2
	return 1
}

@test "runtime-tools validation: what passed still passes" {
	cfs-cgroup --list >"$BATS_TEST_TMPDIR/cgroups.before" 2>/dev/null || true
	cp -a "$ROOTFS" "$BATS_TEST_TMPDIR/rootfs"
	run "$SUITE/run" "$CFS_BUILD/cfs-oci" "$BATS_TEST_TMPDIR/rootfs" \
		"$CFS_BUILD/oci-validation" "$BATS_TEST_TMPDIR/out"
	echo "$output" | tail -1 >&3
	echo "$output"
	for p in $PASSING; do
		grep -q "^$p  *pass " "$BATS_TEST_TMPDIR/out/summary.txt" ||
			{ echo "$p: no longer passes"; cat "$BATS_TEST_TMPDIR/out/$p.tap"; false; }
	done
	# what the programs made, their deletes removed
	cfs-cgroup --list 2>/dev/null | diff "$BATS_TEST_TMPDIR/cgroups.before" -
}
