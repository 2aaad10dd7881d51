/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup-files.c: reading, writing and walking the files of cgroups, for
 * the other lib/cgroup-*.c files. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

const char *const cfs_cg_known[] = {
	"cpu",	   "cpuacct",  "cpuset", "memory",     "devices",
	"freezer", "net_cls",  "net_prio", "blkio",    "perf_event",
	"hugetlb", "pids",     "rdma",	 "misc",       "io",
	NULL,
};

bool cfs_cg_has_word(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += len)
		if ((p == list || p[-1] == ',' || p[-1] == ' ') &&
		    (!p[len] || p[len] == ',' || p[len] == ' ' ||
		     p[len] == '\n'))
			return true;
	return false;
}

int cfs_cg_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	ssize_t n;
	char more;

	if (fd < 0)
		return -errno;
	if ((n = read(fd, buf, size - 1)) < 0)
		rc = -errno;
	else if ((size_t)n == size - 1 && read(fd, &more, 1) > 0)
		rc = -E2BIG;
	else
		buf[n] = '\0';
	close(fd);
	return rc;
}

int cfs_cg_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

bool cfs_cg_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int cfs_cg_append(char *buf, size_t size, const char *sep, const char *word)
{
	size_t len = strlen(buf);

	if ((size_t)snprintf(buf + len, size - len, "%s%s", len ? sep : "",
			     word) >= size - len) {
		buf[len] = '\0';
		return -E2BIG;
	}
	return 0;
}

bool cfs_cg_writable(const char *dir)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir); /* checked: */
	return strlen(dir) < PATH_MAX &&
	       faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) == 0 &&
	       faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0;
}

_Static_assert(sizeof(((struct cfs_cgroup *)0)->hier[0].mount) +
			       sizeof("/" CFS_CGROUP_PARENT "/") +
			       sizeof(((struct cfs_cgroup *)0)->name) + 64 <
		       PATH_MAX,
	       "a cgroup's directory and a file in it fit in PATH_MAX");

void cfs_cg_dir_of(const struct cfs_cgroup *cg, int i, size_t len, char *dir)
{
	snprintf(dir, PATH_MAX, "%s%s%s%.*s", cg->hier[i].mount,
		 cg->absolute ? "" : "/" CFS_CGROUP_PARENT, len ? "/" : "",
		 (int)len, cg->name);
}

int cfs_cg_walk(const char *dir, int (*fn)(const char *, void *), void *arg,
		struct cfs_err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (!d)
		return cfs_cg_fail_at(e, errno, "open", dir);
	while (!rc && (de = readdir(d))) {
		char *sub; /* on the heap: a container may nest deep */

		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") ||
		    !strcmp(de->d_name, ".."))
			continue;
		if (asprintf(&sub, "%s/%s", dir, de->d_name) < 0) {
			rc = cfs_cg_fail_at(e, ENOMEM, "open", dir);
			break;
		}
		if ((rc = cfs_cg_walk(sub, fn, arg, e)) == -ENOENT)
			rc = 0;
		free(sub);
	}
	closedir(d);
	return rc ? rc : fn(dir, arg);
}

int cfs_cg_hier_of(const struct cfs_cgroup *cg, const char *controller)
{
	for (int i = 0; i < cg->n; i++)
		if (!cg->hier[i].v2 &&
		    cfs_cg_has_word(cg->hier[i].controllers, controller))
			return i;
	if (cg->v2 >= 0 &&
	    cfs_cg_has_word(cg->hier[cg->v2].controllers, controller))
		return cg->v2;
	return -1;
}

/* On v1 tasks, which moves the calling thread: a write to cgroup.procs
 * takes cgroup_threadgroup_rwsem for writing, which waits for an RCU
 * grace period, 8 to 27 ms on the bench machine, for a move that
 * otherwise takes 0.07 ms. v2 moves a process by cgroup.procs only. */
const char *cfs_cg_self_file(bool v2)
{
	return v2 ? "/cgroup.procs" : "/tasks";
}
