/* ns.h: namespace types and where we stand in them. */
#ifndef CFS_NS_H
#define CFS_NS_H

#include <stdbool.h>

#include "err.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define CFS_NS_COUNT 8 /* the entries of cfs_ns_types */

/* A namespace type, as the kernel, /proc and our options name it. */
struct cfs_ns_type {
	int flag;	     /* CLONE_NEWUTS */
	const char *name;    /* "uts": /proc/PID/ns/uts, --persist DIR/uts */
	const char *option;  /* "uts": --uts */
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

/* Bring up the loopback interface of our network namespace. */
int cfs_loopback_up(struct cfs_err *e);

#endif
