/* SPDX-License-Identifier: GPL-2.0-or-later */
/* syscall-filter.h: a seccomp filter from a JSON profile, with jansson and
 * libseccomp.
 *
 * The profile is the format runc, crun, podman and docker read (moby's
 * profiles/seccomp/default.json, containers' seccomp.json, the OCI
 * runtime spec's linux.seccomp): defaultAction, defaultErrnoRet,
 * architectures or archMap, flags, and syscalls[] with names, action,
 * errnoRet, args (index, value, valueTwo, op) and includes/excludes (caps,
 * arches, minKernel). A key the reader does not know is an error naming
 * it. See cfs-pivot(1), SECCOMP PROFILES. Without an architectures list
 * or an archMap entry for this one, the filter is for this architecture
 * only: a syscall made through another ABI (i386's int $0x80, x32) kills
 * the process. */
#ifndef CFS_SYSCALL_FILTER_H
#define CFS_SYSCALL_FILTER_H

#include <linux/filter.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/err.h"

/* profiles/default.json of the source tree, compiled in. */
extern const char cfs_seccomp_default[];

struct cfs_seccomp {
	unsigned rules;		/* syscall rules in the loaded filter */
	char fallback[48];	/* the default action, "SCMP_ACT_ERRNO(EPERM)" */
};

/* Build the filter PROFILE describes (NAME is its file, for messages)
 * for a process that keeps the capabilities CAPS (bit N is capability
 * N: they decide the rules' includes.caps and excludes.caps), and load
 * it into this process; fill OUT. Loading needs no_new_privs or
 * CAP_SYS_ADMIN. */
int cfs_seccomp_load(const char *profile, const char *name, uint64_t caps,
		     struct cfs_seccomp *out, struct cfs_err *e);

/* Write the filter cfs_seccomp_load would load to FD, as BPF (for
 * build/seccomp-compile). */
int cfs_seccomp_export(const char *profile, const char *name, uint64_t caps,
		       int fd, struct cfs_seccomp *out, struct cfs_err *e);

/* Parse PROFILE only, to report its mistakes before anything is done. */
int cfs_seccomp_check(const char *profile, const char *name,
		      struct cfs_err *e);

#endif
