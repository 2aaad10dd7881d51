/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tools/oci/hooks.c: config.json's hooks, run by cfs-oci (hooks.h), with
 * lib/process/hooks.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oci/hooks.h"
#include "process/hooks.h"

/* The spec's kinds, in the order of the lifecycle */
static const char *const kinds[] = { "prestart", "createRuntime",
				     "createContainer", "startContainer",
				     "poststart", "poststop", NULL };

int cfs_oci_hooks_check(json_t *hooks, struct cfs_err *e)
{
	const char *kind;
	json_t *list;
	char what[64];
	int rc;

	if (!hooks || json_is_null(hooks))
		return 0;
	if (!json_is_object(hooks))
		return cfs_fail(e, 0, "hooks: not an object");
	json_object_foreach(hooks, kind, list) {
		bool known = false;

		for (int k = 0; kinds[k]; k++)
			known |= !strcmp(kind, kinds[k]);
		/* not the spec's: ignored, as config.md says */
		if (!known)
			continue;
		snprintf(what, sizeof(what), "hooks.%s", kind);
		if ((rc = cfs_hooks_check(list, what, e)))
			return rc;
	}
	return 0;
}

int cfs_oci_hooks_run(json_t *hooks, const char *kind, json_t *state,
		      struct cfs_err *e)
{
	json_t *list = json_object_get(hooks, kind);
	char what[64], *data;
	int rc;

	if (!json_array_size(list))
		return 0;
	if (!(data = json_dumps(state, JSON_COMPACT)))
		return cfs_fail(e, ENOMEM, "hooks.%s", kind);
	snprintf(what, sizeof(what), "hooks.%s", kind);
	rc = cfs_hooks_run(list, what, data, e);
	free(data);
	return rc;
}

int cfs_oci_hooks_save(int dirfd, const char *dir, json_t *hooks,
		       struct cfs_err *e)
{
	int fd;

	if (!hooks || !json_is_object(hooks) || !json_object_size(hooks))
		return 0;
	fd = openat(dirfd, "hooks.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0600);
	if (fd < 0)
		return cfs_fail(e, errno, "create %s/hooks.json", dir);
	if (json_dumpfd(hooks, fd, JSON_COMPACT) < 0) {
		close(fd);
		return cfs_fail(e, EIO, "write %s/hooks.json", dir);
	}
	if (close(fd) < 0)
		return cfs_fail(e, errno, "write %s/hooks.json", dir);
	return 0;
}

json_t *cfs_oci_hooks_load(int dirfd)
{
	int fd = openat(dirfd, "hooks.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	json_t *hooks;

	if (fd < 0)
		return NULL;
	hooks = json_loadfd(fd, 0, NULL);
	close(fd);
	return hooks;
}

int cfs_oci_hooks_has(json_t *hooks, const char *kind)
{
	static const char *const at_create[] = { "prestart", "createRuntime",
						 "createContainer",
						 "startContainer", NULL };

	if (kind)
		return json_array_size(json_object_get(hooks, kind)) > 0;
	for (int k = 0; at_create[k]; k++)
		if (json_array_size(json_object_get(hooks, at_create[k])))
			return 1;
	return 0;
}

int cfs_oci_hooks_save_pivot(int dirfd, const char *dir, json_t *hooks,
			     json_t *state, struct cfs_err *e)
{
	json_t *j = json_pack("{sOsOsO}", "state", state, "createContainer",
			      json_object_get(hooks, "createContainer") ?:
			      json_null(), "startContainer",
			      json_object_get(hooks, "startContainer") ?:
			      json_null());
	int fd, rc = 0;

	if (!j)
		return cfs_fail(e, ENOMEM, "%s/pivot-hooks.json", dir);
	fd = openat(dirfd, "pivot-hooks.json",
		    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || fchmod(fd, 0644) < 0)
		rc = cfs_fail(e, errno, "create %s/pivot-hooks.json", dir);
	else if (json_dumpfd(j, fd, JSON_COMPACT) < 0)
		rc = cfs_fail(e, EIO, "write %s/pivot-hooks.json", dir);
	if (fd >= 0 && close(fd) < 0 && !rc)
		rc = cfs_fail(e, errno, "write %s/pivot-hooks.json", dir);
	json_decref(j);
	return rc;
}
