/* SPDX-License-Identifier: GPL-2.0-or-later */
/* detach.c: a process that outlives the chain's start (see detach.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "detach.h"

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

int cfs_detach(const int *fds, int n, unsigned flags, struct cfs_err *e)
{
	int high[CFS_DETACH_MAX_FDS], null;

	if (n < 0 || n > CFS_DETACH_MAX_FDS)
		return cfs_fail(e, EINVAL, "detach with %d fds", n);
	if (setsid() < 0)
		return cfs_fail(e, errno, "setsid");
	if ((flags & CFS_DETACH_ROOT_DIR) && chdir("/") < 0)
		return cfs_fail(e, errno, "chdir /");
	if (flags & (CFS_DETACH_NULL_IN_OUT | CFS_DETACH_NULL_ERR)) {
		if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
			return cfs_fail(e, errno, "open /dev/null");
		if (((flags & CFS_DETACH_NULL_IN_OUT) &&
		     (dup2(null, 0) < 0 || dup2(null, 1) < 0)) ||
		    ((flags & CFS_DETACH_NULL_ERR) && dup2(null, 2) < 0))
			return cfs_fail(e, errno, "dup2 /dev/null");
		if (null > 2)
			close(null);
	}
	/* above 2 + N first, so that no move lands on an fd still to move */
	for (int i = 0; i < n; i++)
		if ((high[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3 + n)) < 0)
			return cfs_fail(e, errno, "dup fd %d", fds[i]);
	for (int i = 0; i < n; i++)
		if (dup3(high[i], 3 + i, O_CLOEXEC) < 0)
			return cfs_fail(e, errno, "dup fd %d to %d", fds[i], 3 + i);
	/* the copies above and every other fd; Linux before 5.9 has no
	 * close_range(2): the others stay open there, as they did before it */
	syscall(SYS_close_range, 3 + n, ~0U, 0);
	return 0;
}
