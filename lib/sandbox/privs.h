/* SPDX-License-Identifier: GPL-2.0-or-later */
/* privs.h: what a container keeps of our privilege, and the last step
 * before exec, which leaves this process only that (cfs-pivot(1),
 * PRIVILEGE): a new session keyring, resource limits, no_new_privs, a
 * seccomp filter, a user, capabilities. */
#ifndef CFS_PRIVS_H
#define CFS_PRIVS_H

#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "syscall-filter.h"
#include "core/err.h"

struct cfs_privs {
	uint64_t caps;		  /* docker's default, with those added and
				     dropped */
	uint64_t caps_added;	  /* those added alone: all another user keeps */
	int allow_new_privs;	  /* no no_new_privs */
	int ambient;		  /* keep caps inheritable and ambient too */
	const char *profile;	  /* the seccomp profile's text; NULL: none */
	const char *profile_name; /* its file, for messages */
	const char *user, *groups; /* USER[:GROUP], G1,G2; NULL: root, none */
	struct {
		int resource;
		struct rlimit limit;
		const char *arg;  /* as given, for messages */
	} rlimits[RLIM_NLIMITS];
	size_t n_rlimits;
	struct cfs_seccomp seccomp; /* the filter loaded */
	int resolved;		  /* USER looked up already: */
	uid_t uid;		  /* its ids */
	gid_t gid;
};

/* What a container keeps by default: docker's capabilities, the default
 * seccomp profile, no_new_privs. */
void cfs_privs_init(struct cfs_privs *p);

/* Add (ADD) or drop capability NAME, in the order asked: 0 or
 * -EINVAL. */
int cfs_privs_cap(struct cfs_privs *p, int add, const char *name);

/* A resource limit, NAME=SOFT[:HARD]: 0, or -EINVAL with a message in
 * ERR (128). */
int cfs_privs_rlimit(struct cfs_privs *p, const char *arg, char *err);

/* The seccomp profile FILE instead of the default, read now (a host path)
 * and checked; NULL FILE: none at all. */
int cfs_privs_profile(struct cfs_privs *p, const char *file,
		      struct cfs_err *e);

/* Look USER up in the current root's /etc/passwd (and /etc/group) once,
 * into P's uid and gid: root's 0 when P has no user. cfs_privs_drop does
 * it when it has not been done. */
int cfs_privs_resolve(struct cfs_privs *p, struct cfs_err *e);

/* Leave this process only what P keeps, in the order each step still has
 * what it needs: the keyring (keyctl is filtered), the limits,
 * no_new_privs, the user and the capabilities (switching ids needs
 * CAP_SETUID), then the filter; without no_new_privs the filter comes
 * before the user and the capabilities, while we may still load one.
 * USER and GROUPS are looked up in the current root's /etc/passwd and
 * /etc/group. */
int cfs_privs_drop(struct cfs_privs *p, struct cfs_err *e);

/* What this process has, after cfs_privs_drop, with the keys of
 * /proc/self/status where it has them. */
int cfs_privs_print(const struct cfs_privs *p, FILE *f, struct cfs_err *e);

#endif
