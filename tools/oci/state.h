/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tools/oci/state.h, cfs-oci's own: a container's state directory,
 * ROOT/ID, as cfs-oci keeps it: state.json (what create learnt),
 * exec.fifo (there while the container is created and not started),
 * init.pid, seccomp.json. */
#ifndef CFS_OCI_STATE_H
#define CFS_OCI_STATE_H

#include <jansson.h>
#include <limits.h>
#include <sys/types.h>

#include "core/err.h"

#define CFS_OCI_VERSION "1.1.0"

struct cfs_oci_state {
	char id[256];
	pid_t pid;			/* 0 while creating */
	unsigned long long starttime;	/* of PID, against its reuse */
	char bundle[PATH_MAX];
	char cgroup[200];		/* cfs-cgroup's NAME */
	char created[40];		/* RFC 3339, UTC */
	json_t *annotations;		/* owned, or NULL */
};

/* A container ID: 1 to 200 bytes of A-Z a-z 0-9 _ + - . :, not "." or
 * "..", not starting with a dot (runc's rule, and a cgroup NAME's). */
int cfs_oci_check_id(const char *id, struct cfs_err *e);

/* state.json in the directory DIRFD (PATH in messages). */
int cfs_oci_state_read(int dirfd, const char *path, struct cfs_oci_state *s,
		       struct cfs_err *e);
/* Written whole (a temporary file renamed over it). */
int cfs_oci_state_write(int dirfd, const char *path,
			const struct cfs_oci_state *s, struct cfs_err *e);
void cfs_oci_state_free(struct cfs_oci_state *s);

/* The start time of PID (/proc/PID/stat), or 0 when it is gone. */
unsigned long long cfs_oci_starttime(pid_t pid);

/* creating, created, running, paused (its cgroup frozen) or stopped,
 * the spec's words. */
const char *cfs_oci_status(int dirfd, const struct cfs_oci_state *s);

/* 1 when the container's cgroup is frozen (cfs-oci pause), else 0. */
int cfs_oci_frozen(const struct cfs_oci_state *s);

/* The OCI state of S: ociVersion, id, status, pid, bundle, annotations. */
json_t *cfs_oci_state_json(const struct cfs_oci_state *s, const char *status);

#endif
