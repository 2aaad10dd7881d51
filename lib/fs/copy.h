/* SPDX-License-Identifier: GPL-2.0-or-later */
/* copy.h: a directory's tree copied into another, as runc's and crun's
 * tmpcopyup fill a new tmpfs with what the directory it hides held. */
#ifndef CFS_COPY_H
#define CFS_COPY_H

#include "core/err.h"

/* Copy the entries of directory FROM into directory TO (both fds), each
 * with its owner, mode and times: directories, regular files, symlinks
 * (as links) and fifos; no link is followed, a device or socket is an
 * error, and so is a tree deeper than 64. PATH names FROM in messages.
 * 0 or -errno. */
int cfs_copy_tree(int from, int to, const char *path, struct cfs_err *e);

#endif
