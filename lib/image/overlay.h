/* SPDX-License-Identifier: GPL-2.0-or-later */
/* overlay.h: an overlayfs root over read-only lower layers, with its
 * writes on a tmpfs that vanishes with the mount namespace, or kept in an
 * upper directory. */
#ifndef CFS_OVERLAY_H
#define CFS_OVERLAY_H

#include "core/err.h"

struct cfs_overlay {
	char **lowers;	   /* top first, as overlay(5) orders lowerdir */
	const char *upper; /* writes kept here; NULL: an ephemeral tmpfs */
	long long size;	   /* that tmpfs's size in bytes; 0: its default */
};

/* Split LOWER[:LOWER...] into a NULL-terminated array (in *LOWERS, one
 * allocation): ':' separates, "\:" and "\\" stand for ':' and '\'.
 * Returns the number of layers, or -EINVAL for an empty one. */
int cfs_overlay_split(const char *arg, char ***lowers, struct cfs_err *e);

/* The work directory cfs keeps for UPPER: ".NAME.cfs-work" beside it.
 * BUF of PATH_MAX. */
const char *cfs_overlay_workdir(const char *upper, char *buf);

/* Mount the overlay on the top lower's path, in the current mount
 * namespace (which must be a private one of ours): the lowers must be
 * directories, none of them our root directory; the upper (made if
 * missing) and its work dir (likewise) on one file system, neither
 * inside a lower nor holding one. Uses the new mount API where the kernel has lowerdir+ (6.8), else mount(2). */
int cfs_overlay_mount(const struct cfs_overlay *o, struct cfs_err *e);

#endif
