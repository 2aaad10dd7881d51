/* SPDX-License-Identifier: GPL-2.0-or-later */
/* path.h: paths inside a new root, resolved as if it were already /. */
#ifndef CFS_PATH_H
#define CFS_PATH_H

#include <sys/types.h>

#include "err.h"

/* openat2(ROOTFD, PATH, FLAGS|O_CLOEXEC, RESOLVE_IN_ROOT): symlinks and
 * ".." in PATH never lead out of the root. Returns an fd or -errno, with
 * ROOTNAME/PATH in the message. */
int cfs_open_in_root(int rootfd, const char *rootname, const char *path,
		     int flags, struct cfs_err *e);

/* The same without a message: an fd or -errno. */
int cfs_openat_in_root(int rootfd, const char *path, int flags);

/* mkdir -p PATH inside the root, each component resolved in it. */
int cfs_mkdir_in_root(int rootfd, const char *rootname, const char *path,
		      mode_t mode, struct cfs_err *e);

/* PATH inside the root opened O_PATH, to mount on: made first where
 * missing, as a directory, or with FILE an empty regular file (its
 * parents as directories). An fd or -errno. */
int cfs_open_mountpoint_in_root(int rootfd, const char *rootname,
				const char *path, int file, struct cfs_err *e);

/* openat2(ROOTFD, PATH, FLAGS|O_CLOEXEC) with no symlink followed
 * anywhere in PATH, not even one that stays inside the root (-ELOOP),
 * nor ".." out of it: an fd or -errno. */
int cfs_open_no_symlinks(int rootfd, const char *path, int flags);

/* PATH inside the root, a directory, opened O_PATH: made (0755) where
 * missing. No symlink is followed anywhere in PATH, even one that stays
 * in the root: what the kernel's filesystems are mounted on, whose masks
 * must land on them. -ELOOP for a symlink, -ENOTDIR for anything else
 * that is not a directory (a file, a FIFO), with "ROOTNAME/PATH: not an
 * ordinary directory" in the message; or -errno. */
int cfs_open_dir_in_root(int rootfd, const char *rootname, const char *path,
			 struct cfs_err *e);

/* 1 when every directory from / down to PATH (itself included) may be
 * searched by any user (o+x): any host user can reach what is in it;
 * 0 when one may not; -errno. */
int cfs_path_open_to_all(const char *path);

#endif
