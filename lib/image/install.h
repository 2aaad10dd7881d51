/* SPDX-License-Identifier: GPL-2.0-or-later */
/* install.h: host programs, found on PATH, and host files copied into a
 * root, each to the same path in the root as on the host. */
#ifndef CFS_INSTALL_H
#define CFS_INSTALL_H

#include "core/err.h"
#include "core/strv.h"

/* NAME, which has no slash, as execvp(3) finds it: the first regular file
 * we may execute in a directory of $PATH (unset: /usr/bin:/bin), an empty
 * entry meaning the current directory. The path to free, DIR/NAME
 * (relative where DIR is); NULL with errno ENOENT when it is in none,
 * ENOMEM. */
char *cfs_find_program(const char *name);

/* Copy each of FILES (absolute host paths of regular files) into the root
 * ROOTPATH, to the same path, replacing what is there, directories made
 * as needed (never through a link out of the root: openat2
 * RESOLVE_IN_ROOT). */
int cfs_install_files(const struct cfs_strv *files, const char *rootpath,
		      struct cfs_err *e);

#endif
