/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hook.h: host-side commands around a container's start, as OCI's
 * createRuntime and poststop hooks: a setup command run once the new
 * namespaces exist and before PROGRAM goes on, and a teardown command run
 * once PROGRAM's process has ended. Both run from a helper forked before
 * unshare(2), so in the caller's own namespaces (the host's), with
 * CFS_PID set to the container's PID as the host sees it: the helper
 * becomes the setup command, and a process of its forks the teardown. */
#ifndef CFS_HOOK_H
#define CFS_HOOK_H

#include <sys/types.h>

#include "core/err.h"
#include "ns.h"

struct cfs_hook {
	const char *setup;    /* a /bin/sh -c command, or NULL */
	const char *teardown; /* the same, or NULL */
	struct cfs_ns_helper helper;
};

/* Before unshare(2): fork the helper if there is a command. */
int cfs_hook_start(struct cfs_hook *h, struct cfs_err *e);

/* Once TARGET exists and before it goes on: the helper becomes the
 * setup command and we wait for it (0, or E saying how it failed). With
 * a teardown command, a process of the helper's, forked before it
 * becomes the setup command, in a session of its own and holding no fd
 * of ours, waits for TARGET to end and for the setup command to end, and
 * runs it, even when the setup failed or the caller is gone. */
int cfs_hook_finish(struct cfs_hook *h, pid_t target, struct cfs_err *e);

#endif
