/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountinfo.h: the mounts of our mount namespace, from
 * /proc/self/mountinfo (proc(5)), one at a time. */
#ifndef CFS_MOUNTINFO_H
#define CFS_MOUNTINFO_H

#include <stdio.h>
#include <sys/types.h>

#include "core/err.h"

/* A mount, its fields pointing into the line last read: valid until the
 * next call. No field has a size limit of its own. */
struct cfs_mountinfo {
	dev_t dev;		/* the filesystem's device number */
	const char *root;	/* what of the filesystem is mounted */
	const char *target;	/* where */
	const char *fstype;	/* "cgroup2" */
	const char *options;	/* the filesystem's own: "rw,cpu,cpuacct" */
	char *line;		/* ours: free with cfs_mountinfo_done */
	size_t cap;
};

/* Open /proc/self/mountinfo, or fill *E and return NULL. */
FILE *cfs_mountinfo_open(struct cfs_err *e);

/* Read the next mount into *M (zeroed before the first call): 1, 0 at the
 * end, or -errno when the file cannot be read. */
int cfs_mountinfo_next(FILE *f, struct cfs_mountinfo *m, struct cfs_err *e);

/* Free what cfs_mountinfo_next kept in *M. */
void cfs_mountinfo_done(struct cfs_mountinfo *m);

#endif
