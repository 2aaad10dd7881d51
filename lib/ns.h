/* ns.h: namespace types and where we stand in them. */
#ifndef CFS_NS_H
#define CFS_NS_H

#include <stdbool.h>

#include "err.h"

/* Is our TYPE namespace ("mnt", "net", "ipc", ...) the one PID 1 (as our
 * /proc sees it) is in? When PID 1's cannot be read (a non-dumpable init
 * in a sandbox, say), the answer is yes: the safe one. */
bool cfs_ns_is_pid1s(const char *type);

/* Bring up the loopback interface of our network namespace. */
int cfs_loopback_up(struct cfs_err *e);

#endif
