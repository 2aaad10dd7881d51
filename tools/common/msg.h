/* SPDX-License-Identifier: GPL-2.0-or-later */
/* msg.h: the tools' side of the error contract of lib/core/err.h: print
 * a message, or a filled struct cfs_err, once, and exit. */
#ifndef CFS_MSG_H
#define CFS_MSG_H

#include "core/err.h"

/* Called with each message printed, as printed, without the newline:
 * a tool that also logs its messages (cfs-oci --log) sets it. */
extern void (*cfs_msg_hook)(const char *line);

/* Print "TOOL: MESSAGE[: strerror(errnum)]" on stderr. */
void cfs_warn(int errnum, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* cfs_warn, then exit(status). */
void cfs_die(int status, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

/* Print a filled struct cfs_err and exit 125. */
void cfs_die_err(const struct cfs_err *e) __attribute__((noreturn));

/* Print "TOOL: CONTEXT: REASON" and exit 125, for a tool that names the
 * step itself: REASON is E's message where it says more than errno
 * (a kernel too old for a call), else strerror(E's errno). */
void cfs_die_in(const struct cfs_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

#endif
