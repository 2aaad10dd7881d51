/* SPDX-License-Identifier: GPL-2.0-or-later */
/* caps.h: capability sets, read from a process and imposed on ourselves:
 * the set a container keeps, and no more for a process joining one. */
#ifndef CFS_CAPS_H
#define CFS_CAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "capget.h" /* cfs_capget, cfs_caps_effective */
#include "core/err.h"

/* A process's sets, as /proc/PID/status shows them: bit N is capability
 * N; and what else bounds what it may do. */
struct cfs_caps {
	uint64_t bounding, permitted, effective, inheritable, ambient;
	bool no_new_privs;
	int seccomp;	/* Seccomp: 0 none, 1 strict, 2 filter */
};

/* What docker, podman and crun leave a container: CHOWN DAC_OVERRIDE
 * FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP
 * NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE. */
extern const uint64_t cfs_caps_default;

/* NAME as capabilities(7) spells it, with or without CAP_, in any case,
 * or ALL: 0 and *MASK set, or -EINVAL. */
int cfs_caps_parse(const char *name, uint64_t *mask);

/* Keep only KEEP of every capability set (bounding included; inheritable
 * and ambient emptied), and with CHANGE_ID become UID:GID with the
 * supplementary GROUPS (none when N_GROUPS is 0). A UID other than 0
 * keeps KEEP through exec as ambient capabilities, and so does any with
 * AMBIENT. With libcap-ng; needs CAP_SETPCAP, CAP_SETUID, CAP_SETGID. */
int cfs_caps_keep_only(uint64_t keep, bool change_id, bool ambient, uid_t uid,
		       gid_t gid, const gid_t *groups, size_t n_groups,
		       struct cfs_err *e);

/* Read CapBnd, CapPrm, CapEff, CapInh, CapAmb, NoNewPrivs and Seccomp of
 * PID. */
int cfs_caps_read(pid_t pid, struct cfs_caps *c, struct cfs_err *e);

/* The same of ours, with capget(2) and prctl(2): no /proc needed. A call
 * answered "success" without being made (a seccomp filter can answer so)
 * reads as every capability held. */
int cfs_caps_read_self(struct cfs_caps *c, struct cfs_err *e);

/* Drop from our bounding set what C's lacks. Needs CAP_SETPCAP: call it
 * before a uid switch takes our capabilities. Without it (a user who
 * joins no user namespace) and something to drop, set no_new_privs
 * instead: no set-uid program can then give us what C lacks. */
int cfs_caps_limit_bounding(const struct cfs_caps *c, struct cfs_err *e);

/* Drop from our effective, permitted and inheritable sets what C's lack,
 * clear our ambient set, and set no_new_privs when C has it. Only ever
 * takes away: what we lack already stays lacking. */
int cfs_caps_limit(const struct cfs_caps *c, struct cfs_err *e);

/* Check that the drops above took: our effective, permitted,
 * inheritable and ambient sets within MAX's, our bounding set within
 * MAX's (or, where it could not be cut, no_new_privs set), no_new_privs
 * set when MAX has it. 0, or -EINVAL naming the first that holds more.
 * A drop answered "success" without being made fails here. */
int cfs_caps_check(const struct cfs_caps *max, struct cfs_err *e);

#endif
