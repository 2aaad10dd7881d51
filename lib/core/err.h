/* SPDX-License-Identifier: GPL-2.0-or-later */
/* err.h: the one error contract of lib/, and the exit codes shared by
 * every cfs tool.
 *
 * The contract: a lib function that fails returns a negative errno
 * (-EINVAL where no errno tells why) and fills the struct cfs_err its
 * caller passed: errnum (the errno, or 0 when the message says it all) and msg,
 * "OPERATION PATH" without the reason ("mount proc on /x/proc"). It never
 * prints, never exits, and names no tool and no option. A lib caller
 * passes the same struct up, or fills it anew with more context. Only a
 * tool prints it, once, in one shape:  TOOL: OPERATION PATH: REASON
 * (cfs_die_err, or cfs_die_in with the tool's own words for the step),
 * and exits 125: tools/common/msg.h is the tools' side of the contract. */
#ifndef CFS_ERR_H
#define CFS_ERR_H

#include <stdarg.h>

/* The codes env(1), chroot(1) and timeout(1) use, so that a chained
 * program's own status stays distinguishable from ours. */
enum {
	CFS_EXIT_FAILURE = 125,	 /* the tool itself failed, usage errors too */
	CFS_EXIT_CANNOT_RUN = 126, /* PROGRAM found but could not be executed */
	CFS_EXIT_NOT_FOUND = 127,  /* PROGRAM not found */
};

struct cfs_err {
	int errnum;     /* errno value, 0 when the message says it all */
	char msg[512];  /* "operation path", without the reason */
};

/* Fill *e and return -errnum (or -EINVAL when errnum is 0), so that a lib
 * function can end with `return cfs_fail(e, errno, "mount %s", path);`. */
int cfs_fail(struct cfs_err *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* cfs_fail for a failed system call CALL that older kernels lack (the
 * new mount API, openat2, close_range...): its ENOSYS becomes the one
 * line "needs Linux VERSION or later for CALL"; any other error is as
 * cfs_fail gives it. cfs(7), KERNEL, lists the calls. */
int cfs_fail_call(struct cfs_err *e, int errnum, const char *call,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The start of cfs_fail_call's message for a kernel without CALL. */
extern const char cfs_needs_linux[];

#endif
