/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountinfo.h: the mounts of our mount namespace, from
 * /proc/self/mountinfo (proc(5)), one at a time. */
#ifndef CFS_MOUNTINFO_H
#define CFS_MOUNTINFO_H

#include <limits.h>
#include <stdio.h>
#include <sys/types.h>

#include "core/err.h"

struct cfs_mountinfo {
	dev_t dev;		 /* the filesystem's device number */
	char root[PATH_MAX];	 /* what of the filesystem is mounted */
	char target[PATH_MAX];	 /* where */
	char fstype[64];	 /* "cgroup2" */
	char options[1024];	 /* the filesystem's own: "rw,cpu,cpuacct" */
};

/* Open /proc/self/mountinfo, or fill *E and return NULL. */
FILE *cfs_mountinfo_open(struct cfs_err *e);

/* Read the next mount into *M: 1, or 0 at the end. */
int cfs_mountinfo_next(FILE *f, struct cfs_mountinfo *m);

#endif
