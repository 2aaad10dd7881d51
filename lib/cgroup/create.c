/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup-create.c: make a cgroup where its plan says (the cfs parent and
 * NAME, controllers enabled on the way down on v2), write its limits,
 * and delete it again, its processes killed first. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Every path made here is a directory of cfs_cg_dir_of and a file name
 * shorter than 64 bytes: it fits its buffer (cgroup-files.c's assert). */

/* Every hierarchy NAME lives in must be ours to write, or nothing is
 * made: one line that says why not. */
static int check_delegated(struct cfs_cgroup *cg, struct cfs_err *e)
{
	for (int i = 0; i < cg->n; i++) {
		const struct cfs_cgroup_hier *h = &cg->hier[i];

		if (!(cg->use & (1u << i)) || cfs_cg_writable(h->mount))
			continue;
		if (!h->v2) {
			cg->fault.kind = CFS_CGROUP_FAULT_V1_NOT_OURS;
			return cfs_fail(e, 0, "cgroup v1 %s is not writable by "
					"uid %u: cgroups are not delegated",
					h->mount, (unsigned)geteuid());
		}
		cg->fault.kind = CFS_CGROUP_FAULT_V2_NOT_OURS;
		return cfs_fail(e, 0,
				"cgroup v2 %s is not writable by uid %u, nor is "
				"our own cgroup: no subtree is delegated to us",
				h->mount, (unsigned)geteuid());
	}
	return 0;
}

int cfs_cgroup_check_delegated(struct cfs_cgroup *cg, struct cfs_err *e)
{
	memset(&cg->fault, 0, sizeof(cg->fault));
	return check_delegated(cg, e);
}

/* Enable the planned controllers in DIR/cgroup.subtree_control. */
static int enable(const struct cfs_cgroup *cg, const char *dir,
		  struct cfs_err *e)
{
	char path[PATH_MAX + 32];
	int rc;

	if (!*cg->enable)
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	if ((rc = cfs_cg_write(path, cg->enable)) == -EBUSY)
		return cfs_fail(e, 0, "write \"%s\" to %s: %s (it has processes "
				"of its own, and cgroup v2 gives controllers "
				"only to the children of cgroups without any)",
				cg->enable, path, strerror(EBUSY));
	if (rc)
		return cfs_fail(e, -rc, "write \"%s\" to %s", cg->enable, path);
	return 0;
}

/* A new v1 cpuset takes no process until it has CPUs and memory nodes:
 * give it its parent's. */
static int cpuset_inherit(const char *dir, struct cfs_err *e)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	char path[PATH_MAX + 32], value[4096];
	int rc;

	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/../%s", dir, files[k]);
		if ((rc = cfs_cg_read(path, value, sizeof(value))) == -E2BIG)
			return cfs_fail(e, E2BIG, "read %s: more than %zu bytes",
					path, sizeof(value) - 1);
		if (rc)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, files[k]);
		if ((rc = cfs_cg_write(path, value)) < 0)
			return cfs_fail(e, -rc, "write %s", path);
	}
	return 0;
}

/* Remove what create made: NAME's directories up to the first one it made
 * (MADE_FROM[i]: that one's length in NAME, -1 none), and the parent. */
static void undo(struct cfs_cgroup *cg, const int *made_from)
{
	char dir[PATH_MAX];

	for (int i = 0; i < cg->n; i++) {
		for (size_t len = strlen(cg->name);
		     made_from[i] >= 0 && len >= (size_t)made_from[i];) {
			const char *slash = memrchr(cg->name, '/', len);

			cfs_cg_dir_of(cg, i, len, dir);
			rmdir(dir);
			if (!slash)
				break;
			len = slash - cg->name;
		}
		if (cg->made_parent & (1u << i)) {
			cfs_cg_dir_of(cg, i, 0, dir);
			rmdir(dir);
		}
	}
}

static int make_dir(const char *dir, int *made, bool cpuset, struct cfs_err *e)
{
	if (mkdir(dir, 0755) == 0) {
		*made = 1;
		return cpuset ? cpuset_inherit(dir, e) : 0;
	}
	if (errno != EEXIST)
		return cfs_fail(e, errno, "mkdir %s", dir);
	if (!cfs_cg_is_dir(dir))
		return cfs_fail(e, 0, "mkdir %s: a file of that name is there, "
				"not a cgroup", dir);
	return 0;
}

/* Each process of DIR: counted in *N, and killed with KILL_THEM. */
static int members(const char *dir, int *n, bool kill_them)
{
	char *path, line[32];
	FILE *f;

	if (asprintf(&path, "%s/cgroup.procs", dir) < 0)
		return 0; /* counted as none: the rmdir after will say */
	f = fopen(path, "re");
	free(path);
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (kill_them)
			kill(atoi(line), SIGKILL);
		++*n;
	}
	fclose(f);
	return 0;
}

static int count_members(const char *dir, void *arg)
{
	return members(dir, arg, false);
}

/* EXCLUSIVE and NAME exists: say how many processes it and its children
 * have, in the hierarchy that has most (a process may have left one). */
static int exists(struct cfs_cgroup *cg, struct cfs_err *e)
{
	char dir[PATH_MAX];
	struct cfs_err ignored;
	int most = 0;

	for (int i = 0; i < cg->n; i++) {
		int n = 0;

		if (!(cg->use & (1u << i)))
			continue;
		cfs_cg_dir_of(cg, i, strlen(cg->name), dir);
		cfs_cg_walk(dir, count_members, &n, &ignored);
		most = n > most ? n : most;
	}
	cg->fault.kind = CFS_CGROUP_FAULT_EXISTS;
	return cfs_fail(e, EEXIST, "%s: exists, has %d process%s", cg->name,
			most, most == 1 ? "" : "es");
}

/* Make the cfs parent and NAME in hierarchy I, enabling the controllers
 * on the way on v2; *MADE_FROM as undo takes it. With EXCLUSIVE, NAME
 * itself must be new: of two runs that make it at once, one fails. */
static int make_path(struct cfs_cgroup *cg, int i, bool exclusive,
		     int *made_from, struct cfs_err *e)
{
	bool cpuset = !cg->hier[i].v2 &&
		      cfs_cg_has_word(cg->hier[i].controllers, "cpuset");
	size_t len = strlen(cg->name);
	char dir[PATH_MAX];
	int made = 0, rc;

	if (cg->hier[i].v2 && (rc = enable(cg, cg->hier[i].mount, e)))
		return rc;
	cfs_cg_dir_of(cg, i, 0, dir);
	if ((rc = make_dir(dir, &made, cpuset, e)))
		return rc;
	cg->made_parent |= made ? 1u << i : 0;
	for (size_t end = 0; !rc && end < len;) {
		if (cg->hier[i].v2)
			rc = enable(cg, dir, e);
		end += strcspn(cg->name + end, "/");
		cfs_cg_dir_of(cg, i, end, dir);
		made = 0;
		if (!rc)
			rc = make_dir(dir, &made, cpuset, e);
		if (made && *made_from < 0)
			*made_from = (int)end;
		if (made && end == len)
			cg->made_name |= 1u << i;
		if (!rc && !made && end == len && exclusive)
			rc = exists(cg, e);
		end += !!cg->name[end];
	}
	return rc;
}

/* make_path; again when a directory of the path vanished between its
 * mkdir and its child's: the delete of a sibling that also removes the
 * empty cgroups above its own can remove it then. */
static int make_in(struct cfs_cgroup *cg, int i, bool exclusive,
		   int *made_from, struct cfs_err *e)
{
	int rc, tries = 0;

	while ((rc = make_path(cg, i, exclusive, made_from, e)) == -ENOENT &&
	       ++tries < 10)
		;
	return rc;
}

int cfs_cgroup_create(struct cfs_cgroup *cg, bool exclusive, struct cfs_err *e)
{
	int made_from[CFS_CGROUP_MAX_HIER], rc = 0;
	char dir[PATH_MAX], path[PATH_MAX + 64];
	size_t len = strlen(cg->name);

	memset(&cg->fault, 0, sizeof(cg->fault));
	if ((rc = check_delegated(cg, e)))
		return rc;
	for (int i = 0; i < cg->n; i++) {
		made_from[i] = -1;
		cfs_cg_dir_of(cg, i, len, dir);
		if (exclusive && (cg->use & (1u << i)) && cfs_cg_is_dir(dir))
			return exists(cg, e);
	}
	for (int i = 0; !rc && i < cg->n; i++)
		if (cg->use & (1u << i))
			rc = make_in(cg, i, exclusive, &made_from[i], e);
	for (int k = 0; !rc && k < cg->nw; k++) {
		cfs_cg_dir_of(cg, cg->w[k].hier, len, dir);
		snprintf(path, sizeof(path), "%s/%s", dir, cg->w[k].file);
		if ((rc = cfs_cg_write(path, cg->w[k].value)))
			cfs_fail(e, -rc, "write %s to %s", cg->w[k].value, path);
	}
	if (rc)
		undo(cg, made_from);
	return rc;
}

/* Kill every process of DIR (v1: one by one); count those left in *ARG. */
static int kill_members(const char *dir, void *arg)
{
	return members(dir, arg, true);
}

static int remove_dir(const char *dir, void *arg)
{
	struct cfs_err *e = arg;

	if (rmdir(dir) < 0 && errno != ENOENT)
		return cfs_cg_fail_at(e, errno, "rmdir", dir);
	return 0;
}

/* rmdir NAME in each hierarchy, and the cfs parent when left empty; the
 * hierarchies where NAME is still there (it has processes or children)
 * in *HAS. Returns whether NAME was found. */
static bool remove_empty(struct cfs_cgroup *cg, unsigned *has)
{
	char dir[PATH_MAX];
	bool found = false;

	*has = 0;
	for (int i = 0; i < cg->n; i++) {
		cfs_cg_dir_of(cg, i, strlen(cg->name), dir);
		if (rmdir(dir) == 0) {
			found = true;
			cfs_cg_dir_of(cg, i, 0, dir);
			rmdir(dir); /* the cfs parent, when left empty */
		} else if (errno != ENOENT) {
			*has |= 1u << i;
		}
	}
	return found || *has;
}

int cfs_cgroup_remove_empty(struct cfs_cgroup *cg, struct cfs_err *e)
{
	unsigned has;

	remove_empty(cg, &has);
	if (has)
		return cfs_fail(e, EBUSY, "cgroup " CFS_CGROUP_PARENT "/%s: "
				"kept, it has processes or children",
				cg->name);
	return 0;
}

int cfs_cgroup_delete(struct cfs_cgroup *cg, struct cfs_err *e)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	struct cfs_err ignored;
	unsigned has;
	int left = 1, rc = 0;

	/* The usual case first, NAME with no process and no child left
	 * (a program run in it has ended): a plain rmdir. What it leaves has
	 * processes or children, and goes the long way. */
	if (!remove_empty(cg, &has))
		return cfs_fail(e, ENOENT, "cgroup " CFS_CGROUP_PARENT "/%s",
				cg->name);
	/* cgroup.kill ends every process below at once, even forking ones;
	 * v1 has to signal them one by one until none is left. */
	for (int tries = 0; left && tries < 200; tries++) {
		if (tries)
			usleep(50000);
		left = 0;
		for (int i = 0; i < cg->n; i++) {
			if (!(has & (1u << i)))
				continue;
			cfs_cg_dir_of(cg, i, strlen(cg->name), dir);
			snprintf(path, sizeof(path), "%s/cgroup.kill", dir);
			if (cg->hier[i].v2 && cfs_cg_write(path, "1") == 0 &&
			    !tries)
				continue;
			cfs_cg_walk(dir, kill_members, &left, &ignored);
		}
	}
	if (left)
		return cfs_fail(e, 0, "cgroup " CFS_CGROUP_PARENT "/%s: %d "
				"processes still in it after 10 s of SIGKILL",
				cg->name, left);
	for (int i = 0; !rc && i < cg->n; i++) {
		if (!(has & (1u << i)))
			continue;
		cfs_cg_dir_of(cg, i, strlen(cg->name), dir);
		/* an exiting process may hold it a moment longer */
		for (int tries = 0; tries < 100; tries++) {
			if ((rc = cfs_cg_walk(dir, remove_dir, e, e)) == -ENOENT)
				rc = 0; /* gone already */
			if (!rc || e->errnum != EBUSY)
				break;
			usleep(20000);
		}
		cfs_cg_dir_of(cg, i, 0, dir);
		rmdir(dir); /* the cfs parent, when left empty */
	}
	return rc;
}
