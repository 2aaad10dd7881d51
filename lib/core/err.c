/* SPDX-License-Identifier: GPL-2.0-or-later */
/* err.c: how lib/ fails: struct cfs_err filled, a negative errno returned
 * (err.h). What prints it is the tools' (tools/common/msg.c). */
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

const char cfs_needs_linux[] = "needs Linux ";

int cfs_fail_call(struct cfs_err *e, int errnum, const char *call,
		  const char *fmt, ...)
{
	va_list ap;

	for (size_t i = 0; errnum == ENOSYS &&
			   i < sizeof(kernel_calls) / sizeof(*kernel_calls); i++)
		if (!strcmp(kernel_calls[i].call, call))
			return cfs_fail(e, ENOSYS, "%s%s or later for %s",
					cfs_needs_linux, kernel_calls[i].release,
					call);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->errnum = errnum;
	return errnum ? -errnum : -EINVAL;
}
