/* SPDX-License-Identifier: GPL-2.0-or-later */
/* freeze.c: every process of a cgroup stopped, and let go again, as
 * runc's pause and resume do: cgroup.freeze on v2 (where NAME lives in
 * the v2 hierarchy, a hybrid host's too), freezer.state on v1 (where NAME
 * is in a freezer hierarchy). Children freeze with their parent on both. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* The freezer file of NAME: cgroup.freeze in its v2 directory, else
 * freezer.state in a v1 freezer hierarchy it is in; *V2 which. */
static int freezer_file(struct cfs_cgroup *cg, char *path, bool *v2,
			struct cfs_err *e)
{
	int v1 = -1;

	for (int i = 0; i < cg->n; i++)
		if (!cg->hier[i].v2 &&
		    cfs_cg_has_word(cg->hier[i].controllers, "freezer"))
			v1 = i;
	if (cg->v2 >= 0) {
		cfs_cg_dir_of(cg, cg->v2, strlen(cg->name), path);
		if (cfs_cg_is_dir(path)) {
			*v2 = true;
			strcat(path, "/cgroup.freeze"); /* fits: cfs_cg_dir_of */
			return 0;
		}
	}
	if (v1 >= 0) {
		cfs_cg_dir_of(cg, v1, strlen(cg->name), path);
		if (cfs_cg_is_dir(path)) {
			*v2 = false;
			strcat(path, "/freezer.state"); /* fits: cfs_cg_dir_of */
			return 0;
		}
	}
	return cfs_fail(e, ENOENT, "freeze %s: in no cgroup v2 hierarchy and no "
			"v1 freezer one", cg->name);
}

int cfs_cgroup_frozen(struct cfs_cgroup *cg, struct cfs_err *e)
{
	char path[PATH_MAX], text[64];
	bool v2;
	int rc;

	if ((rc = freezer_file(cg, path, &v2, e)))
		return rc;
	if ((rc = cfs_cg_read(path, text, sizeof(text))) < 0)
		return cfs_cg_fail_at(e, -rc, "read", path);
	return v2 ? text[0] == '1' : strncmp(text, "THAWED", 6) != 0;
}

/* Is the change done: v2's cgroup.events says "frozen 1" (or 0), v1's
 * freezer.state FROZEN (or THAWED), not FREEZING? */
static int settled(const char *path, bool v2, bool freeze)
{
	char file[PATH_MAX], text[512], *line;

	if (!v2) {
		if (cfs_cg_read(path, text, sizeof(text)) < 0)
			return 0;
		return !strncmp(text, freeze ? "FROZEN" : "THAWED", 6);
	}
	/* as long as "/cgroup.freeze" */
	strcpy(file, path);
	strcpy(strrchr(file, '/'), "/cgroup.events");
	if (cfs_cg_read(file, text, sizeof(text)) < 0 ||
	    !(line = strstr(text, "frozen ")))
		return 0;
	return line[7] == (freeze ? '1' : '0');
}

int cfs_cgroup_freeze(struct cfs_cgroup *cg, bool freeze, struct cfs_err *e)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	char path[PATH_MAX];
	bool v2;
	int rc;

	if ((rc = freezer_file(cg, path, &v2, e)))
		return rc;
	/* v1 may stay FREEZING while a task is busy in the kernel: runc
	 * writes FROZEN again until it takes; 10 s in all, as it waits */
	for (int i = 0; i < 1000; i++) {
		if ((i == 0 || (!v2 && i % 10 == 0)) &&
		    (rc = cfs_cg_write(path, v2 ? (freeze ? "1" : "0")
						: (freeze ? "FROZEN" : "THAWED"))))
			return cfs_cg_fail_at(e, -rc, "write", path);
		if (settled(path, v2, freeze))
			return 0;
		nanosleep(&pause, NULL);
	}
	if (freeze)
		cfs_cg_write(path, v2 ? "0" : "THAWED");
	return cfs_fail(e, EBUSY, "%s %s: not done after 10 s",
			freeze ? "freeze" : "thaw", path);
}
