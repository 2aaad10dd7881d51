/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tools/oci/nocgroup.h: a container without a cgroup. A rootless caller
 * (an ordinary user, or root of a user namespace as under rootless
 * podman) on cgroups not delegated to it, cgroup v1 of a hybrid host,
 * cannot make one: as runc's rootless cgroup manager and crun do, the
 * container then runs in its caller's cgroups when it asks no limits.
 * Its processes are then those of its PID namespace. */
#ifndef CFS_OCI_NOCGROUP_H
#define CFS_OCI_NOCGROUP_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "core/err.h"

/* Are we other than root of the initial user namespace (runc's test:
 * an euid not 0, or a uid_map not the identity of all ids)? */
bool cfs_oci_rootless(void);

/* Could we make the cgroup NAME (cfs-cgroup's NAME: "oci-ID", or
 * "/path" below the hierarchies' roots) in every hierarchy it lives in?
 * 0; -EACCES when a hierarchy is not ours to write (E says which), or
 * another -errno with E filled. */
int cfs_oci_cgroup_ours(const char *name, struct cfs_err *e);

/* Append to PIDS the PIDs (as /proc shows them to us) of the processes
 * in the PID namespace of INIT, the container's init. 0, or -errno with
 * E filled: -EPERM when INIT shares our PID namespace (its processes are
 * then not told apart from ours). */
int cfs_oci_ns_pids(pid_t init, json_t *pids, struct cfs_err *e);

#endif
