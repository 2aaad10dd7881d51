/* SPDX-License-Identifier: GPL-2.0-or-later */
/* detach.h: a process of ours that outlives the chain's start, to act
 * once a container has ended (a teardown command, pasta's keeper):
 * in a session of its own, so that a ^C or hang-up of the chain's
 * terminal is not its to take, and holding none of its parent's fds but
 * those it names, so that nobody waits on a pipe it keeps open. */
#ifndef CFS_DETACH_H
#define CFS_DETACH_H

#include "core/err.h"

enum {
	CFS_DETACH_ROOT_DIR = 1,    /* chdir("/"): keep no directory busy */
	CFS_DETACH_NULL_IN_OUT = 2, /* fds 0 and 1 on /dev/null */
	CFS_DETACH_NULL_ERR = 4,    /* fd 2 on /dev/null */
	CFS_DETACH_MAX_FDS = 8,
};

/* In a process just forked: setsid(), what FLAGS ask, then FDS (N of
 * them, at most CFS_DETACH_MAX_FDS) moved to fds 3, 4, ... 2 + N, all
 * close-on-exec, and every other fd from 3 up closed. Fds 0-2 stay as
 * they are unless FLAGS say otherwise. 0 or -errno; on failure, the fds
 * may be half moved: the process can only end. */
int cfs_detach(const int *fds, int n, unsigned flags, struct cfs_err *e);

#endif
