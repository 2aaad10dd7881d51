/* caps.h: capability sets, read from a process and imposed on ourselves,
 * so that a process joining a container has no more than the container. */
#ifndef CFS_CAPS_H
#define CFS_CAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

/* A process's sets, as /proc/PID/status shows them: bit N is capability
 * N. */
struct cfs_caps {
	uint64_t bounding, permitted, effective, inheritable;
	bool no_new_privs;
};

/* Read CapBnd, CapPrm, CapEff, CapInh and NoNewPrivs of PID. */
int cfs_caps_read(pid_t pid, struct cfs_caps *c, struct cfs_err *e);

/* Drop from our bounding set what C's lacks. Needs CAP_SETPCAP: call it
 * before a uid switch takes our capabilities. */
int cfs_caps_limit_bounding(const struct cfs_caps *c, struct cfs_err *e);

/* Drop from our effective, permitted and inheritable sets what C's lack,
 * clear our ambient set, and set no_new_privs when C has it. Only ever
 * takes away: what we lack already stays lacking. */
int cfs_caps_limit(const struct cfs_caps *c, struct cfs_err *e);

#endif
