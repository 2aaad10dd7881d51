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

static void vwarn(int errnum, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errnum)
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
