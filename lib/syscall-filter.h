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

#include <stdint.h>

#include "err.h"

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

/* Parse PROFILE only, to report its mistakes before anything is done. */
int cfs_seccomp_check(const char *profile, const char *name,
		      struct cfs_err *e);

#endif
