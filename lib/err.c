/* SPDX-License-Identifier: GPL-2.0-or-later */
/* err.c: the one place that prints our messages. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

int cfs_fail(struct cfs_err *e, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->errnum = errnum;
	return errnum ? -errnum : -EINVAL;
}

/* The system calls newer than the oldest kernels, and the release that
 * brought each: cfs needs the newest of them, mount_setattr's 5.12. */
static const struct {
	const char *call, *release;
} kernel_calls[] = {
	{ "pidfd_send_signal", "5.1" }, { "fsopen", "5.2" },
	{ "fsconfig", "5.2" },		{ "fsmount", "5.2" },
	{ "open_tree", "5.2" },		{ "move_mount", "5.2" },
	{ "clone3", "5.3" },		{ "pidfd_open", "5.3" },
	{ "openat2", "5.6" },		{ "close_range", "5.11" },
	{ "mount_setattr", "5.12" },
};

static const char *needs_linux = "needs Linux ";

int cfs_fail_call(struct cfs_err *e, int errnum, const char *call,
		  const char *fmt, ...)
{
	va_list ap;

	for (size_t i = 0; errnum == ENOSYS &&
			   i < sizeof(kernel_calls) / sizeof(*kernel_calls); i++)
		if (!strcmp(kernel_calls[i].call, call))
			return cfs_fail(e, ENOSYS, "%s%s or later for %s",
					needs_linux, kernel_calls[i].release,
					call);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->errnum = errnum;
	return errnum ? -errnum : -EINVAL;
}

static void vwarn(int errnum, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errnum == ENOSYS && strstr(msg, needs_linux))
		fprintf(stderr, "%s: %s\n", program_invocation_short_name, msg);
	else if (errnum == ENOSYS)
		fprintf(stderr, "%s: %s: %s (cfs needs Linux 5.12 or later)\n",
			program_invocation_short_name, msg, strerror(errnum));
	else if (errnum)
		fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name,
			msg, strerror(errnum));
	else
		fprintf(stderr, "%s: %s\n", program_invocation_short_name, msg);
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
	if (e->errnum == ENOSYS && !strncmp(e->msg, needs_linux,
					    strlen(needs_linux)))
		cfs_die(CFS_EXIT_FAILURE, 0, "%s: %s", ctx, e->msg);
	cfs_die(CFS_EXIT_FAILURE, e->errnum, "%s", ctx);
}
