/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup-report.c: what a cgroup tells: its numbers (memory, OOM kills,
 * pids and forks refused, CPU time and quota) on either backend, from
 * which a front end says why a program ended, and the list of the
 * cgroups under the cfs parent. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A number from a file, or the number after KEY in a "key value" file;
 * "max" and v1's near-2^63 "unlimited" as CFS_CGROUP_UNLIMITED. */
static long long number(const struct cfs_cgroup *cg, int i, const char *file,
			const char *key)
{
	char path[PATH_MAX], text[4096], *p = text;
	long long v;

	if (i < 0)
		return -1;
	/* fits: see cfs_cg_dir_of */
	cfs_cg_dir_of(cg, i, strlen(cg->name), path);
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "/%s", file);
	if (cfs_cg_read(path, text, sizeof(text)) < 0)
		return -1;
	if (key) {
		size_t len = strlen(key);

		for (p = text; p && (strncmp(p, key, len) || p[len] != ' ');
		     p = strchr(p, '\n'), p = p ? p + 1 : NULL)
			;
		if (!p)
			return -1;
		p += len + 1;
	}
	if (!strncmp(p, "max", 3))
		return CFS_CGROUP_UNLIMITED;
	if (sscanf(p, "%lld", &v) != 1)
		return -1;
	return v >= (1LL << 62) || (v == -1 && !key) ? CFS_CGROUP_UNLIMITED : v;
}

int cfs_cgroup_stats(struct cfs_cgroup *cg, struct cfs_cgroup_stats *s,
		     struct cfs_err *e)
{
	int mem = cfs_cg_hier_of(cg, "memory"), pids = cfs_cg_hier_of(cg, "pids"),
	    cpu = cfs_cg_hier_of(cg, "cpu"), acct = cfs_cg_hier_of(cg, "cpuacct");
	char dir[PATH_MAX];
	bool any = false;

	for (int i = 0; i < cg->n; i++) {
		cfs_cg_dir_of(cg, i, strlen(cg->name), dir);
		any |= cfs_cg_is_dir(dir);
	}
	if (!any)
		return cfs_fail(e, ENOENT, "cgroup " CFS_CGROUP_PARENT "/%s",
				cg->name);
	if (mem >= 0 && cg->hier[mem].v2) {
		s->memory_current = number(cg, mem, "memory.current", NULL);
		s->memory_peak = number(cg, mem, "memory.peak", NULL);
		s->memory_max = number(cg, mem, "memory.max", NULL);
		s->oom_kills = number(cg, mem, "memory.events", "oom_kill");
	} else {
		s->memory_current = number(cg, mem, "memory.usage_in_bytes", NULL);
		s->memory_peak = number(cg, mem, "memory.max_usage_in_bytes", NULL);
		s->memory_max = number(cg, mem, "memory.limit_in_bytes", NULL);
		s->oom_kills = number(cg, mem, "memory.oom_control", "oom_kill");
	}
	s->pids_current = number(cg, pids, "pids.current", NULL);
	s->pids_max = number(cg, pids, "pids.max", NULL);
	s->pids_limit_hits = number(cg, pids, "pids.events", "max");
	if (acct >= 0 && !cg->hier[acct].v2) {
		s->cpu_usage_usec = number(cg, acct, "cpuacct.usage", NULL);
		if (s->cpu_usage_usec >= 0)
			s->cpu_usage_usec /= 1000;
	} else {
		s->cpu_usage_usec = number(cg, cg->v2, "cpu.stat", "usage_usec");
	}
	if (cpu >= 0 && cg->hier[cpu].v2) {
		char text[64];
		long long q;

		cfs_cg_dir_of(cg, cpu, strlen(cg->name), dir);
		strcat(dir, "/cpu.max"); /* fits: see cfs_cg_dir_of */
		s->cpu_quota_usec = s->cpu_period_usec = -1;
		if (cfs_cg_read(dir, text, sizeof(text)) == 0) {
			s->cpu_quota_usec = sscanf(text, "%lld", &q) == 1
						    ? q : CFS_CGROUP_UNLIMITED;
			sscanf(strchr(text, ' ') ? strchr(text, ' ') : "",
			       "%lld", &s->cpu_period_usec);
		}
	} else {
		s->cpu_quota_usec = number(cg, cpu, "cpu.cfs_quota_us", NULL);
		s->cpu_period_usec = number(cg, cpu, "cpu.cfs_period_us", NULL);
	}
	return 0;
}

struct names {
	char **v;
	int n, cap;
	size_t skip; /* the cfs parent's path and its slash */
	struct cfs_err *e;
};

/* The name of DIR below the cfs parent, as shown (one a line, whatever
 * a container named it). */
static int add_name(const char *dir, void *arg)
{
	struct names *l = arg;
	size_t size;
	char *name;

	if (strlen(dir) < l->skip)
		return 0; /* the cfs parent itself */
	size = 4 * strlen(dir + l->skip) + 6; /* each byte as \xHH at most */
	if (!(name = malloc(size)))
		return cfs_cg_fail_at(l->e, ENOMEM, "list", dir);
	cfs_cg_shown(dir + l->skip, name, size);
	for (int k = 0; k < l->n; k++)
		if (!strcmp(l->v[k], name)) {
			free(name);
			return 0;
		}
	if (l->n == l->cap) {
		char **v = realloc(l->v, (l->cap = 2 * l->cap + 16) * sizeof(*v));

		if (!v) {
			free(name);
			return cfs_cg_fail_at(l->e, ENOMEM, "list", dir);
		}
		l->v = v;
	}
	l->v[l->n++] = name;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cfs_cgroup_list(struct cfs_cgroup *cg, char ***names, int *n,
		    struct cfs_err *e)
{
	struct names l = { .e = e };
	char dir[PATH_MAX];
	int rc = 0;

	for (int i = 0; !rc && i < cg->n; i++) {
		cfs_cg_dir_of(cg, i, 0, dir);
		l.skip = strlen(dir) + 1;
		if ((rc = cfs_cg_walk(dir, add_name, &l, e)) == -ENOENT)
			rc = 0; /* no cfs parent in that hierarchy */
	}
	if (l.n) /* qsort(NULL, 0) is undefined */
		qsort(l.v, l.n, sizeof(*l.v), by_name);
	*names = l.v;
	*n = l.n;
	return rc;
}
