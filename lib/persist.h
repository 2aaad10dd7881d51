/* persist.h: namespaces kept as bind-mounted files, so that they outlive
 * their last process, and a directory of them that is a container. */
#ifndef CFS_PERSIST_H
#define CFS_PERSIST_H

#include <sys/types.h>

#include "err.h"
#include "ns.h"

struct cfs_persist {
	const char *file[CFS_NS_COUNT]; /* by index in cfs_ns_types; or NULL */
	const char *dir;		/* --persist DIR, or NULL */
	pid_t helper;
	int go;				/* pipe to the helper */
};

/* Before unshare(2): fork the helper that will bind the new namespaces
 * to their files. It stays in our namespaces, the host's, where the
 * files must be mounted. A file's missing directories are made. With
 * P->dir, it makes DIR (0700, parents too), and files DIR/TYPE for every
 * type in FLAGS that has no file of its own. */
int cfs_persist_start(struct cfs_persist *p, unsigned int flags,
		      struct cfs_err *e);

/* Once TARGET is in the new namespaces (a new PID namespace has a process
 * only once we fork): let the helper bind /proc/TARGET/ns/TYPE on each
 * file, and wait for it. On failure it has said why and undone what it
 * did: returns -1. */
int cfs_persist_finish(struct cfs_persist *p, pid_t target);

/* Undo --persist DIR: unmount and delete every namespace file in DIR, and
 * DIR. Refuses a DIR that holds anything else. */
int cfs_persist_remove(const char *dir, struct cfs_err *e);

#endif
