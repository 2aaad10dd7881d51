/* SPDX-License-Identifier: GPL-2.0-or-later */
/* readfile.h: read a file of a root the container controls (its
 * /etc/passwd, /etc/group, the image config) without trusting it: the
 * path is resolved inside the root (lib/core/path.h), the file is opened
 * O_NONBLOCK (a FIFO cannot block us) and must be a regular file (a link
 * to /dev/zero cannot feed us forever) no larger than a limit the caller
 * gives (a huge file cannot exhaust our memory). */
#ifndef CFS_READFILE_H
#define CFS_READFILE_H

#include <stddef.h>

#include "err.h"

/* The limits the tools use, documented in cfs(7). */
#define CFS_USERDB_MAX (1 << 20)       /* /etc/passwd, /etc/group: 1 MiB */
#define CFS_IMAGE_CONFIG_MAX (4 << 20) /* the image config: 4 MiB */

/* Read PATH in the root ROOTFD (ROOTNAME in messages: ROOTNAME PATH), at
 * most MAX bytes: *BUF gets its content, NUL-terminated (free() it), and
 * *LEN its length. 0, or -errno with a message naming the path; -ENOENT
 * when it is missing. */
int cfs_read_file_in_root(int rootfd, const char *rootname, const char *path,
			  size_t max, char **buf, size_t *len,
			  struct cfs_err *e);

#endif
