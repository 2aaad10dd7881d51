/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ns.h: namespace types and where we stand in them. */
#ifndef CFS_NS_H
#define CFS_NS_H

#include <stdbool.h>
#include <sys/types.h>

#include "core/err.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define CFS_NS_COUNT 8 /* the entries of cfs_ns_types */

/* A namespace type, as the kernel, /proc and our options name it. */
struct cfs_ns_type {
	int flag;	     /* CLONE_NEWUTS */
	const char *name;    /* "uts": /proc/PID/ns/uts, a kept file's name */
	const char *option;  /* "mount": util-linux's long option for it */
};

/* Every type, in the order setns(2) takes them best: the user namespace
 * first (it gives the rights to join the others), the mount namespace
 * last (it changes what paths mean). Ends with a zero flag. */
extern const struct cfs_ns_type cfs_ns_types[];

/* The type of FLAG (one CLONE_NEW* bit), or NULL. */
const struct cfs_ns_type *cfs_ns_type(int flag);

/* Open PATH (a /proc/PID/ns/TYPE or a bind-mounted ns file) and check
 * that it is a namespace of type T (ioctl NS_GET_NSTYPE). Returns an
 * O_RDONLY|O_CLOEXEC fd, or -errno with the path and what is wrong. */
int cfs_ns_open(const char *path, const struct cfs_ns_type *t,
		struct cfs_err *e);

/* Is our TYPE namespace ("mnt", "net", ...) the host's: PID 1's as our
 * /proc sees it, or where PID 1's cannot be read (a non-dumpable init in
 * a sandbox), kthreadd's? When neither can be read: yes, the safe answer. */
bool cfs_ns_is_hosts(const char *type);

/* Whether we are in the initial user namespace, where root is the host's:
 * its uid_map maps every id to itself ("0 0 4294967295"). Needs no access
 * to any other process. */
bool cfs_in_initial_userns(void);

/* A process forked before unshare(2) that stays in our namespaces, to
 * act on the new ones from outside (write their id maps, bind their
 * files), as unshare(1) does: it waits to be told a PID, runs its job
 * with it, and reports the job's failure back. */
struct cfs_ns_helper {
	pid_t pid; /* 0: none */
	int go;	   /* pipe to it: the PID */
	int report; /* pipe from it: a struct cfs_err when the job failed */
};

typedef int cfs_ns_job(void *arg, pid_t target, struct cfs_err *e);

/* Fork the helper; it runs JOB(ARG, PID) once told PID, or nothing if we
 * close H->go first (or die). */
int cfs_ns_helper_start(struct cfs_ns_helper *h, cfs_ns_job *job, void *arg,
			struct cfs_err *e);

/* Tell the helper TARGET and wait for it: 0, or its job's failure in E.
 * A helper that ended otherwise than with 0 and no report failed; with
 * STATUS not NULL, *STATUS gets its wait status instead, for a caller
 * whose helper became a command to say how that command ended. */
int cfs_ns_helper_finish(struct cfs_ns_helper *h, pid_t target, int *status,
			 struct cfs_err *e);

/* Bring up the loopback interface of our network namespace. */
int cfs_loopback_up(struct cfs_err *e);

#endif
