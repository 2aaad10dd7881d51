/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tools/oci/nocgroup.c: a container without a cgroup (nocgroup.h). */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "oci/nocgroup.h"

bool cfs_oci_rootless(void)
{
	unsigned long inside, outside, count;
	bool identity;
	FILE *f;

	if (geteuid() != 0)
		return true;
	if (!(f = fopen("/proc/self/uid_map", "re")))
		return false; /* no user namespaces at all */
	identity = fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3 &&
		   inside == 0 && outside == 0 && count == 4294967295UL;
	fclose(f);
	return !identity;
}

int cfs_oci_cgroup_ours(const char *name, struct cfs_err *e)
{
	struct cfs_cgroup_limits none = {
		.memory = -1, .memory_swap = -1, .memory_high = -1,
		.pids = -1, .cpu_weight = -1, .io_weight = -1 };
	struct cfs_cgroup cg;
	int rc;

	if ((rc = cfs_cgroup_open(&cg, name, "", e)) ||
	    (rc = cfs_cgroup_plan(&cg, &none, e)))
		return rc;
	return cfs_cgroup_check_delegated(&cg, e) ? -EACCES : 0;
}

/* The identity of PID's PID namespace (PID 0: ours) in *ST */
static int pid_ns(pid_t pid, struct stat *st)
{
	char path[64];

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/ns/pid");
	return stat(path, st);
}

int cfs_oci_ns_pids(pid_t init, json_t *pids, struct cfs_err *e)
{
	struct stat ns, ours, st;
	struct dirent *d;
	DIR *proc;

	if (pid_ns(init, &ns) < 0)
		return cfs_fail(e, errno, "stat /proc/%d/ns/pid", (int)init);
	if (pid_ns(0, &ours) == 0 && ns.st_dev == ours.st_dev &&
	    ns.st_ino == ours.st_ino) {
		cfs_fail(e, 0, "list the processes of PID %d: it has no "
			 "cgroup and no PID namespace of its own", (int)init);
		return -EPERM;
	}
	if (!(proc = opendir("/proc")))
		return cfs_fail(e, errno, "open /proc");
	while ((d = readdir(proc))) {
		char *end;
		long pid = strtol(d->d_name, &end, 10);

		if (!isdigit((unsigned char)d->d_name[0]) || *end)
			continue;
		/* gone meanwhile, or not ours to see: not the container's */
		if (pid_ns(pid, &st) == 0 && st.st_dev == ns.st_dev &&
		    st.st_ino == ns.st_ino)
			json_array_append_new(pids, json_integer(pid));
	}
	closedir(proc);
	return 0;
}
