/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tools/oci/hooks.h, cfs-oci's own: config.json's hooks (runtime-spec
 * 1.1, config.md "POSIX-platform Hooks"), run by cfs-oci on the host
 * side: prestart and createRuntime once the container's namespaces exist
 * and before cfs-pivot goes on (cfs-unshare --setup runs "cfs-oci hook"),
 * poststart once start has let it go, poststop once delete has removed
 * it; and by cfs-pivot --hooks in the container, from the file
 * cfs_oci_hooks_save_pivot writes: createContainer before the pivot,
 * startContainer after the exec fifo. The runner, lib/process/hooks.h,
 * gives each hook the container's state on its stdin, its args and env
 * (the runner's environment when env is absent, as runc gives), and
 * kills it after its timeout. */
#ifndef CFS_OCI_HOOKS_H
#define CFS_OCI_HOOKS_H

#include <jansson.h>

#include "core/err.h"

/* config.json's hooks (NULL: none) checked: the spec's kinds, each an
 * array of {path (absolute), args, env, timeout > 0}. 0, or -EINVAL
 * with E naming the field. */
int cfs_oci_hooks_check(json_t *hooks, struct cfs_err *e);

/* Run hooks.KIND in their order, each with STATE (the OCI state JSON)
 * on its stdin, waiting for it up to its timeout. 0 when each exited 0;
 * else -errno with E naming the hook (hooks.KIND[i] PATH) and how it
 * failed, the hooks after it not run. */
int cfs_oci_hooks_run(json_t *hooks, const char *kind, json_t *state,
		      struct cfs_err *e);

/* hooks.json in the state directory DIRFD (DIR in messages): the hooks
 * as create read them, for start and delete, whatever config.json says
 * later. Nothing is written for no hooks. */
int cfs_oci_hooks_save(int dirfd, const char *dir, json_t *hooks,
		       struct cfs_err *e);
/* The hooks saved, or NULL (none, or unreadable). */
json_t *cfs_oci_hooks_load(int dirfd);

/* 1 when HOOKS has one of KIND or of the kinds run while create makes
 * the container (prestart, createRuntime, createContainer,
 * startContainer) for KIND NULL. */
int cfs_oci_hooks_has(json_t *hooks, const char *kind);

/* pivot-hooks.json in DIRFD (DIR in messages), for cfs-pivot --hooks:
 * {"state": STATE, "createContainer": [...], "startContainer": [...]},
 * 0644 (the init, maybe the root of a user namespace, reads it). */
int cfs_oci_hooks_save_pivot(int dirfd, const char *dir, json_t *hooks,
			     json_t *state, struct cfs_err *e);

#endif
