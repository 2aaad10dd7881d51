/* SPDX-License-Identifier: GPL-2.0-or-later */
/* persist.h: namespaces kept as bind-mounted files, so that they outlive
 * their last process, a pidfile, and a directory of them that is a
 * container: it records its init's PID, is stopped and removed. */
#ifndef CFS_PERSIST_H
#define CFS_PERSIST_H

#include <sys/types.h>

#include "ns.h"
#include "core/err.h"

struct cfs_persist {
	const char *file[CFS_NS_COUNT]; /* by index in cfs_ns_types; or NULL */
	const char *dir;		/* a directory of them, or NULL */
	const char *pidfile;	/* where to write the target's PID, or NULL */
	const char *advice; /* added to ours when a mount namespace file is
			     * not on a private mount; or NULL */
	struct cfs_ns_helper helper;
};

/* Before unshare(2): fork the helper that will bind the new namespaces
 * to their files and write the pidfile. It stays in our namespaces, the
 * host's, where the files must be mounted (which needs CAP_SYS_ADMIN
 * there). A file's missing directories are made. With P->dir, it makes
 * DIR (0700, parents too; -ENOTEMPTY, E naming DIR, when it holds
 * anything), and files DIR/TYPE for every type in FLAGS that has no file
 * of its own. With P->pidfile, its directory is made now if missing
 * (0700, parents 0755), and P->pidfile becomes its absolute path. */
int cfs_persist_start(struct cfs_persist *p, unsigned int flags,
		      struct cfs_err *e);

/* Once TARGET is in the new namespaces (a new PID namespace has a process
 * only once we fork): let the helper bind /proc/TARGET/ns/TYPE on each
 * file, record TARGET (DIR/init.pid) and the pidfile's path
 * (DIR/pidfile) in DIR, then write TARGET to the pidfile, each file
 * whole or not at all (a new file renamed over the path); and wait for
 * it. On failure it has undone what it did. */
int cfs_persist_finish(struct cfs_persist *p, pid_t target,
		       struct cfs_err *e);

/* Is DIR a directory of kept namespaces: files named for their type, each
 * a namespace (or empty: what a half-done removal leaves), at least one,
 * and nothing else but the regular files init.pid and pidfile? 1 if so;
 * 0 if not, E saying why ("uts is not a namespace file", "no namespace
 * file in it"); -errno when DIR is no directory we can read (E names
 * DIR). */
int cfs_persist_is_dir(const char *dir, struct cfs_err *e);

/* The init of the container kept in DIR (a cfs_persist_is_dir), the PID
 * in DIR/init.pid, if that process still lives and is the container's:
 * in the PID namespace DIR keeps, else in its mount namespace, else in
 * every namespace it keeps; a PID reused by another process is never
 * taken for it. 1, with *PID and *PIDFD (a pidfd of it, O_CLOEXEC: close
 * it); 0 when it is not running; -errno (-ENOENT: no DIR/init.pid). */
int cfs_persist_init(const char *dir, pid_t *pid, int *pidfd,
		     struct cfs_err *e);

/* Send SIG to PIDFD's process (a container's init), wait up to TIMEOUT_MS
 * milliseconds for it to end, else SIGKILL it; return once it has ended
 * (poll(2) on the pidfd): 0 it ended within TIMEOUT_MS, 1 it had to be
 * killed, or -errno. */
int cfs_persist_stop(int pidfd, int sig, int timeout_ms, struct cfs_err *e);

/* Unmount and delete every namespace file in DIR, its records, the
 * pidfile DIR/pidfile names if it still holds the PID of DIR/init.pid,
 * and DIR, if cfs_persist_is_dir says it is one (else -EINVAL). It does
 * not look whether the container runs: cfs_persist_init does. */
int cfs_persist_remove(const char *dir, struct cfs_err *e);

#endif
