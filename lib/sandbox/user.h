/* SPDX-License-Identifier: GPL-2.0-or-later */
/* user.h: users and groups of a container, by name or number, looked up
 * in the /etc/passwd and /etc/group of the current root: read as files,
 * never through NSS, which would load the host's modules into it, and
 * read safely (lib/core/readfile.h: resolved in the root, regular files of at
 * most 1 MiB), as the container controls them. */
#ifndef CFS_USER_H
#define CFS_USER_H

#include <sys/types.h>

#include "core/err.h"

/* SPEC is USER[:GROUP], each a name or a number. Without GROUP, USER's
 * primary group from /etc/passwd, or 0 for a number passwd lacks (as
 * docker does). 0 or -errno. */
int cfs_user_parse(const char *spec, uid_t *uid, gid_t *gid,
		   struct cfs_err *e);

/* A group name or number: 0 and *gid, or -errno. */
int cfs_group_parse(const char *name, gid_t *gid, struct cfs_err *e);

/* The home directory of UID in /etc/passwd, or "/" where it has none or
 * we may not read it (as docker does), in *HOME, to free. 0 or -errno. */
int cfs_user_home(uid_t uid, char **home, struct cfs_err *e);

#endif
