/* cgroup.h: cgroups, v1 hierarchies and the v2 one side by side (a
 * hybrid host), each found where it is mounted in our mount namespace. */
#ifndef CFS_CGROUP_H
#define CFS_CGROUP_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* The directory of cgroup PATH ("/a/b", as /proc/PID/cgroup shows it) of
 * HIERARCHY: "" for the v2 one, else v1 controllers as /proc/PID/cgroup
 * lists them ("pids", "cpu,cpuacct", "name=systemd"). Found in
 * /proc/self/mountinfo with libmount: a cgroup2 mount, or a cgroup mount
 * with every one of those options, whose root holds PATH. Returns 0, or
 * -ENOENT when no mount of that hierarchy shows PATH. */
int cfs_cgroup_dir(const char *hierarchy, const char *path, char *dir,
		   size_t size, struct cfs_err *e);

/* Move us into every cgroup TARGET is in: for each line of
 * /proc/TARGET/cgroup, our PID written to DIR/cgroup.procs. Every
 * directory is found before the first write. A v2 line "0::/" with no
 * cgroup2 mounted (a v1-only host) is skipped. */
int cfs_cgroup_join_of(pid_t target, struct cfs_err *e);

#endif
