/* SPDX-License-Identifier: GPL-2.0-or-later */
/* msg.c: the one place that prints our messages: a tool's side of the
 * error contract (lib/core/err.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

void (*cfs_msg_hook)(const char *line);

static void vwarn(int errnum, const char *fmt, va_list ap)
{
	char msg[1024], line[1280];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errnum == ENOSYS && strstr(msg, cfs_needs_linux))
		snprintf(line, sizeof(line), "%s: %s",
			 program_invocation_short_name, msg);
	else if (errnum == ENOSYS)
		snprintf(line, sizeof(line),
			 "%s: %s: %s (cfs needs Linux 5.12 or later)",
			 program_invocation_short_name, msg, strerror(errnum));
	else if (errnum)
		snprintf(line, sizeof(line), "%s: %s: %s",
			 program_invocation_short_name, msg, strerror(errnum));
	else
		snprintf(line, sizeof(line), "%s: %s",
			 program_invocation_short_name, msg);
	fprintf(stderr, "%s\n", line);
	if (cfs_msg_hook)
		cfs_msg_hook(line);
}

void cfs_warn(int errnum, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vwarn(errnum, fmt, ap);
	va_end(ap);
	errno = saved;
}

void cfs_die(int status, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(errnum, fmt, ap);
	va_end(ap);
	exit(status);
}

void cfs_die_err(const struct cfs_err *e)
{
	cfs_die(CFS_EXIT_FAILURE, e->errnum, "%s", e->msg);
}

void cfs_die_in(const struct cfs_err *e, const char *fmt, ...)
{
	char ctx[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	if (e->errnum == ENOSYS && !strncmp(e->msg, cfs_needs_linux,
					    strlen(cfs_needs_linux)))
		cfs_die(CFS_EXIT_FAILURE, 0, "%s: %s", ctx, e->msg);
	cfs_die(CFS_EXIT_FAILURE, e->errnum, "%s", ctx);
}
