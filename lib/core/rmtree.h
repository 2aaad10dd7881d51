/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rmtree.h: remove a tree as rm -r does, relative to a directory fd:
 * symbolic links are removed, never followed, and no mount point is
 * crossed. A directory we may not write (0555, as images have) is made
 * writable first, so that an unprivileged user can remove what it made. */
#ifndef CFS_RMTREE_H
#define CFS_RMTREE_H

#include "err.h"

/* Remove NAME in DIRFD, whatever it is; a missing NAME is not an error.
 * PATH names DIRFD/NAME in messages. */
int cfs_remove_at(int dirfd, const char *name, const char *path,
		  struct cfs_err *e);

/* Remove everything in the directory FD, keeping it. */
int cfs_clear_dir(int fd, const char *path, struct cfs_err *e);

#endif
