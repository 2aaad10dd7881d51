/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hooks.h: hooks as the OCI runtime spec gives them (config.md,
 * "POSIX-platform Hooks"): a JSON array of {path (absolute), args, env,
 * timeout (seconds)}, each program run in its order with a text (the
 * container's state) on its stdin, its args (argv[0] included) and env
 * (ours when absent), and killed when its timeout is up. Which hooks run
 * when, and where the lists are kept, is the caller's. */
#ifndef CFS_HOOKS_H
#define CFS_HOOKS_H

#include <jansson.h>

#include "core/err.h"

/* LIST (NULL or JSON null: none) checked: an array of hooks, each an
 * object with an absolute path, args and env arrays of strings, a timeout
 * above 0. 0, or -EINVAL with E naming the field below WHAT
 * ("hooks.prestart[1].timeout: ..."). */
int cfs_hooks_check(json_t *list, const char *what, struct cfs_err *e);

/* Run the hooks of LIST (checked) in their order, each with INPUT on its
 * stdin (as much as it reads of it), waiting for it up to its timeout.
 * 0 when each exited 0; else -errno with E naming the hook (WHAT[i]
 * PATH) and how it failed (could not be started, exited N, killed by a
 * signal, killed after its timeout), the hooks after it not run. */
int cfs_hooks_run(json_t *list, const char *what, const char *input,
		  struct cfs_err *e);

#endif
