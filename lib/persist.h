/* SPDX-License-Identifier: GPL-2.0-or-later */
/* persist.h: namespaces kept as bind-mounted files, so that they outlive
 * their last process, and a directory of them that is a container. */
#ifndef CFS_PERSIST_H
#define CFS_PERSIST_H

#include <sys/types.h>

#include "err.h"
#include "ns.h"

struct cfs_persist {
	const char *file[CFS_NS_COUNT]; /* by index in cfs_ns_types; or NULL */
	const char *dir;		/* a directory of them, or NULL */
	const char *advice; /* added to ours when a mount namespace file is
			     * not on a private mount; or NULL */
	struct cfs_ns_helper helper;
};

/* Before unshare(2): fork the helper that will bind the new namespaces
 * to their files. It stays in our namespaces, the host's, where the
 * files must be mounted (which needs CAP_SYS_ADMIN there). A file's
 * missing directories are made. With P->dir, it makes DIR (0700, parents
 * too; -ENOTEMPTY, E naming DIR, when it holds anything), and files
 * DIR/TYPE for every type in FLAGS that has no file of its own. */
int cfs_persist_start(struct cfs_persist *p, unsigned int flags,
		      struct cfs_err *e);

/* Once TARGET is in the new namespaces (a new PID namespace has a process
 * only once we fork): let the helper bind /proc/TARGET/ns/TYPE on each
 * file, and wait for it. On failure it has undone what it did. */
int cfs_persist_finish(struct cfs_persist *p, pid_t target,
		       struct cfs_err *e);

/* Is DIR a directory of kept namespaces: files named for their type, each
 * a namespace (or empty: what a half-done removal leaves), and nothing
 * else? 1 if so; 0 if not, E saying why ("uts is not a namespace file",
 * "no namespace file in it"); -errno when DIR is no directory we can
 * read (E names DIR). */
int cfs_persist_is_dir(const char *dir, struct cfs_err *e);

/* Unmount and delete every namespace file in DIR, and DIR, if
 * cfs_persist_is_dir says it is one (else -EINVAL). */
int cfs_persist_remove(const char *dir, struct cfs_err *e);

#endif
