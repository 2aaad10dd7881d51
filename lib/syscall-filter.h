/* syscall-filter.h: a syscall filter from a small text profile, with libseccomp.
 *
 * The profile format, one rule per line (cfs-pivot(1), SECCOMP PROFILES):
 *
 *   default ACTION
 *   ACTION SYSCALL [argN&MASK | argN==VALUE]... [unless CAP]
 *
 * ACTION is allow, deny (EPERM), enosys (ENOSYS) or kill. '#' starts a
 * comment. The filter is for this architecture only: a syscall made
 * through another ABI (i386's int $0x80, x32) kills the process. */
#ifndef CFS_SYSCALL_FILTER_H
#define CFS_SYSCALL_FILTER_H

#include <linux/filter.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

/* profiles/default.seccomp of the source tree, compiled in. */
extern const char cfs_seccomp_default[];

struct cfs_seccomp {
	unsigned rules;		/* rules in the loaded filter */
	const char *fallback;	/* the default action's name */
};

/* Build the filter PROFILE describes (NAME is its file, for messages),
 * leaving out each "unless CAP" rule whose CAP is in CAPS (bit N is
 * capability N), and load it into this process; fill OUT. Loading needs
 * no_new_privs or CAP_SYS_ADMIN. */
int cfs_seccomp_load(const char *profile, const char *name, uint64_t caps,
		     struct cfs_seccomp *out, struct cfs_err *e);

/* Write the filter cfs_seccomp_load would load to FD, as BPF (for
 * build/seccomp-compile). */
int cfs_seccomp_export(const char *profile, const char *name, uint64_t caps,
		       int fd, struct cfs_seccomp *out, struct cfs_err *e);

/* Parse PROFILE only, to report its mistakes before anything is done. */
int cfs_seccomp_check(const char *profile, const char *name,
		      struct cfs_err *e);

/* The seccomp filters of a process, read to be loaded into another. */
struct cfs_seccomp_copy {
	struct sock_fprog *filters;	/* newest first, as the kernel reads */
	unsigned n;
};

/* Read the seccomp filters of PID with PTRACE_SECCOMP_GET_FILTER: PID
 * is attached (PTRACE_SEIZE), stopped for the time that takes and
 * detached. None (n = 0, PID untouched) when its Seccomp is 0. Needs
 * CAP_SYS_ADMIN and leave to trace PID. */
int cfs_seccomp_read(pid_t pid, struct cfs_seccomp_copy *c, struct cfs_err *e);

/* Load the filters of C into this process, oldest first, so that it is
 * filtered as the process they were read from. */
int cfs_seccomp_load_copy(const struct cfs_seccomp_copy *c, struct cfs_err *e);

#endif
