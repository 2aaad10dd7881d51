/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup-hier.c: where the cgroup hierarchies are, v1, v2 or both (a
 * hybrid host), from mountinfo; which cgroups a process is in, from
 * /proc/PID/cgroup; and, where the v2 root is not ours, the subtree
 * delegated to us. Read under a ROOT (cgroup.h), so that tests can give
 * a fixture tree. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "internal.h"
#include "fs/mountinfo.h"

/* Open ROOT/FILE ("/proc/self/mountinfo"), or fill *E and return NULL. */
static FILE *open_under(const char *root, const char *file, struct cfs_err *e)
{
	char path[PATH_MAX];
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s%s", root, file) >=
	    sizeof(path)) {
		cfs_fail(e, ENAMETOOLONG, "open %s%s", root, file);
		return NULL;
	}
	if (!(f = fopen(path, "re")))
		cfs_fail(e, errno, "open %s", path);
	return f;
}

/* Is M a mount of HIERARCHY: cgroup2 for "", else a v1 cgroup with
 * every controller (or name=NAME) of the comma-separated list? */
static bool is_hierarchy(const struct cfs_mountinfo *m, const char *hierarchy)
{
	const char *type = m->fstype;

	if (!*hierarchy)
		return !strcmp(type, "cgroup2");
	if (strcmp(type, "cgroup"))
		return false;
	for (const char *c = hierarchy; *c; c += strcspn(c, ","), c += !!*c) {
		/* no option is that long: a v1 name= has 64 bytes at most */
		char word[256];
		size_t len = strcspn(c, ",");

		if (len >= sizeof(word))
			return false;
		memcpy(word, c, len);
		word[len] = '\0';
		if (!cfs_cg_has_word(m->options, word))
			return false;
	}
	return true;
}

/* PATH as seen from a mount whose root is ROOT, or NULL when the mount
 * does not show it. */
static const char *below(const char *root, const char *path)
{
	size_t len = strlen(root);

	if (!strcmp(root, "/"))
		return path;
	if (strncmp(path, root, len) || (path[len] && path[len] != '/'))
		return NULL;
	return path + len;
}

int cfs_cgroup_dir(const char *root, const char *hierarchy, const char *path,
		   char *dir, size_t size, struct cfs_err *e)
{
	FILE *f = open_under(root, "/proc/self/mountinfo", e);
	struct cfs_mountinfo m = { 0 };
	int rc = -ENOENT, more;

	if (!f)
		return -e->errnum;
	while (rc == -ENOENT && (more = cfs_mountinfo_next(f, &m, e)) > 0) {
		const char *rest;

		if (!is_hierarchy(&m, hierarchy) || !(rest = below(m.root, path)))
			continue;
		if ((size_t)snprintf(dir, size, "%s%s%s", root, m.target, rest) >=
		    size)
			rc = cfs_fail(e, ENAMETOOLONG,
				      "cgroup %s: more than %zu bytes", path,
				      size - 1);
		else
			rc = 0;
	}
	fclose(f);
	cfs_mountinfo_done(&m);
	if (rc == -ENOENT && more < 0)
		return more;
	if (rc == -ENOENT)
		cfs_fail(e, 0, "cgroup %s:%s: no mount of %s shows it here",
			 *hierarchy ? hierarchy : "(v2)", path,
			 *hierarchy ? "that hierarchy" : "cgroup2");
	return rc;
}

/* Where the root of v2 is not ours (a user, or root in a user namespace):
 * the subtree delegated to us (systemd's Delegate=yes, or chown by an
 * admin), the highest writable ancestor of our own cgroup, which H then
 * stands for. Unchanged when our own cgroup is not writable. */
static int delegated(const char *root, struct cfs_cgroup_hier *h,
		     struct cfs_err *e)
{
	char self[PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 32], line[PATH_MAX];
	FILE *f = open_under(root, "/proc/self/cgroup", e);
	struct cfs_err ignored;
	size_t top = strlen(h->mount);
	char *slash;
	int rc;

	*self = '\0';
	while (f && fgets(line, sizeof(line), f)) /* self fits: as long */
		if (!strncmp(line, "0::", 3))
			snprintf(self, sizeof(self), "%.*s",
				 (int)strcspn(line + 3, "\n"), line + 3);
	if (f)
		fclose(f);
	if (!*self || cfs_cgroup_dir(root, "", self, dir, sizeof(dir), &ignored) ||
	    strncmp(dir, h->mount, top) || !cfs_cg_writable(dir))
		return 0;
	while ((slash = strrchr(dir, '/')) && (size_t)(slash - dir) > top) {
		*slash = '\0';
		if (!cfs_cg_writable(dir)) {
			*slash = '/';
			break;
		}
	}
	if (strlen(dir) >= sizeof(h->mount))
		return cfs_fail(e, ENAMETOOLONG,
				"cgroup %s: more than %zu bytes", dir,
				sizeof(h->mount) - 1);
	memcpy(h->mount, dir, strlen(dir) + 1);
	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir); /* fits */
	if ((rc = cfs_cg_read(path, h->controllers, sizeof(h->controllers))) ==
	    -E2BIG)
		return cfs_fail(e, E2BIG, "read %s: more than %zu bytes", path,
				sizeof(h->controllers) - 1);
	if (rc)
		*h->controllers = '\0';
	return 0;
}

/* Take mount M as hierarchy cg->n: a cgroup2 one with its
 * cgroup.controllers, or a v1 one with the controllers we know. Returns
 * 1 when taken, 0 when not (a v1 name=systemd, an unreadable v2), or
 * -errno when it does not fit. */
static int take(struct cfs_cgroup *cg, const char *root,
		const struct cfs_mountinfo *m, struct cfs_err *e)
{
	struct cfs_cgroup_hier *h = &cg->hier[cg->n];
	char path[PATH_MAX + 32];
	int rc;

	if ((size_t)snprintf(h->mount, sizeof(h->mount), "%s%s", root,
			     m->target) >= sizeof(h->mount))
		return cfs_fail(e, ENAMETOOLONG,
				"cgroup mount %s%s: more than %zu bytes", root,
				m->target, sizeof(h->mount) - 1);
	if ((h->v2 = !strcmp(m->fstype, "cgroup2"))) {
		snprintf(path, sizeof(path), "%s/cgroup.controllers",
			 h->mount); /* fits: a mount has 255 bytes at most */
		if ((rc = cfs_cg_read(path, h->controllers,
				      sizeof(h->controllers))) == -E2BIG)
			return cfs_fail(e, E2BIG, "read %s: more than %zu bytes",
					path, sizeof(h->controllers) - 1);
		return rc == 0;
	}
	*h->controllers = '\0';
	for (int k = 0; cfs_cg_known[k]; k++)
		if (cfs_cg_has_word(m->options, cfs_cg_known[k]) &&
		    cfs_cg_append(h->controllers, sizeof(h->controllers), ",",
				  cfs_cg_known[k]))
			return cfs_fail(e, E2BIG, "cgroup mount %s: more than "
					"%zu bytes of controllers", h->mount,
					sizeof(h->controllers) - 1);
	return !!*h->controllers;
}

int cfs_cgroup_check_name(const char *name, struct cfs_err *e)
{
	if (*name == '/') {
		name++;
		if (!strcmp(name, CFS_CGROUP_PARENT) ||
		    !strncmp(name, CFS_CGROUP_PARENT "/",
			     strlen(CFS_CGROUP_PARENT) + 1))
			return cfs_fail(e, 0, "/%s: the cfs parent, not a NAME",
					name);
	}
	return cfs_cg_check_name(name, e);
}

int cfs_cgroup_open(struct cfs_cgroup *cg, const char *name, const char *root,
		    struct cfs_err *e)
{
	dev_t seen[CFS_CGROUP_MAX_HIER];
	struct cfs_mountinfo m = { 0 };
	FILE *f;
	int rc = 0, more;

	memset(cg, 0, sizeof(*cg));
	cg->v2 = -1;
	if (name && (rc = cfs_cgroup_check_name(name, e)))
		return rc;
	if (name && *name == '/') {
		cg->absolute = true;
		name++;
	}
	if (name)
		memcpy(cg->name, name, strlen(name) + 1);
	if (!(f = open_under(root, "/proc/self/mountinfo", e)))
		return -e->errnum;
	while (!rc && (more = cfs_mountinfo_next(f, &m, e)) > 0) {
		bool dup = false;

		if (strcmp(m.root, "/") ||
		    (strcmp(m.fstype, "cgroup") && strcmp(m.fstype, "cgroup2")))
			continue;
		for (int i = 0; i < cg->n; i++)
			dup |= seen[i] == m.dev;
		if (dup || (cg->v2 >= 0 && !strcmp(m.fstype, "cgroup2")))
			continue;
		if (cg->n == CFS_CGROUP_MAX_HIER) {
			rc = cfs_fail(e, E2BIG, "cgroup mount %s%s: more than %d "
				      "cgroup hierarchies", root, m.target,
				      CFS_CGROUP_MAX_HIER);
			break;
		}
		if ((rc = take(cg, root, &m, e)) <= 0)
			continue;
		rc = 0;
		seen[cg->n] = m.dev;
		if (cg->hier[cg->n].v2)
			cg->v2 = cg->n;
		cg->n++;
	}
	fclose(f);
	cfs_mountinfo_done(&m);
	if (!rc && more < 0)
		rc = more;
	if (!rc && !cg->n)
		rc = cfs_fail(e, 0, "no cgroup file system is mounted here "
				    "(see /proc/self/mountinfo)");
	if (!rc && cg->v2 >= 0 && !cfs_cg_writable(cg->hier[cg->v2].mount))
		rc = delegated(root, &cg->hier[cg->v2], e);
	return rc;
}
