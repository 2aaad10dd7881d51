/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lease.c: the store of address leases, files under a flock (see
 * net.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net.h"

static int mkdirs(const char *dir, struct cfs_err *e)
{
	char path[512];

	snprintf(path, sizeof(path), "%s", dir);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return cfs_fail(e, errno, "mkdir %s", path);
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return cfs_fail(e, errno, "mkdir %s", path);
	return 0;
}

int cfs_lease_lock(const char *dir, struct cfs_err *e)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/leases", dir);
	if (mkdirs(path, e))
		return -e->errnum;
	snprintf(path, sizeof(path), "%s/lock", dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return cfs_fail(e, errno, "open %s", path);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			int err = errno;
			close(fd);
			return cfs_fail(e, err, "lock %s", path);
		}
	return fd;
}

int cfs_lease_take(const char *dir, const char *name, struct cfs_err *e)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/leases/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
		return errno == EEXIST ? -EEXIST : cfs_fail(e, errno, "create %s", path);
	close(fd);
	return 0;
}

int cfs_lease_hold(const char *dir, const char *name, struct cfs_err *e)
{
	char path[512];
	struct stat st;
	int fd, err;

	snprintf(path, sizeof(path), "%s/leases/%s", dir, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? -ENOENT : cfs_fail(e, errno, "open %s", path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		err = errno;
		close(fd);
		return err == EWOULDBLOCK ? -EAGAIN : cfs_fail(e, err, "lock %s", path);
	}
	/* removed by the holder before us, between our open and our lock */
	if (fstat(fd, &st) < 0 || st.st_nlink == 0) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

int cfs_lease_write(const char *dir, const char *name, const char *text,
		    struct cfs_err *e)
{
	char path[512], tmp[520];
	size_t len = strlen(text);
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/leases/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return cfs_fail(e, errno, "create %s", tmp);
	if (write(fd, text, len) != (ssize_t)len)
		err = errno ? errno : EIO;
	if (close(fd) < 0 && !err)
		err = errno;
	if (!err && rename(tmp, path) < 0)
		err = errno;
	if (err) {
		unlink(tmp);
		return cfs_fail(e, err, "write %s", path);
	}
	return 0;
}

int cfs_lease_read(const char *dir, const char *name, char **text,
		   struct cfs_err *e)
{
	char path[512];
	size_t len = 0;
	FILE *f, *m;

	snprintf(path, sizeof(path), "%s/leases/%s", dir, name);
	if (!(f = fopen(path, "re")))
		return cfs_fail(e, errno, "open %s", path);
	if (!(m = open_memstream(text, &len))) {
		fclose(f);
		return cfs_fail(e, errno, "read %s", path);
	}
	for (int c; (c = getc(f)) != EOF;)
		putc(c, m);
	fclose(f);
	fclose(m);
	return 0;
}

int cfs_lease_remove(const char *dir, const char *name, struct cfs_err *e)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/leases/%s", dir, name);
	if (unlink(path) < 0 && errno != ENOENT)
		return cfs_fail(e, errno, "remove %s", path);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cfs_lease_list(const char *dir, char ***names, struct cfs_err *e)
{
	char path[512];
	struct dirent *d;
	size_t n = 0;
	char **v = calloc(1, sizeof(*v)), **nv;
	DIR *dp;

	snprintf(path, sizeof(path), "%s/leases", dir);
	if (!v)
		return cfs_fail(e, ENOMEM, "read %s", path);
	if (!(dp = opendir(path))) {
		free(v);
		return cfs_fail(e, errno, "open %s", path);
	}
	while ((d = readdir(dp))) {
		size_t len = strlen(d->d_name);
		if (d->d_name[0] == '.' || (len > 4 && !strcmp(d->d_name + len - 4, ".new")))
			continue;
		if (!(nv = realloc(v, (n + 2) * sizeof(*v))) ||
		    !(nv[n] = strdup(d->d_name))) {
			v = nv ? nv : v;
			v[n] = NULL;
			closedir(dp);
			cfs_lease_list_free(v);
			return cfs_fail(e, ENOMEM, "read %s", path);
		}
		v = nv;
		v[++n] = NULL;
	}
	closedir(dp);
	qsort(v, n, sizeof(*v), by_name);
	*names = v;
	return 0;
}

void cfs_lease_list_free(char **names)
{
	for (char **p = names; p && *p; p++)
		free(*p);
	free(names);
}

char *cfs_lease_get(const char *text, const char *key, int n)
{
	size_t klen = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		if (strncmp(l, key, klen) || l[klen] != '=' || n-- > 0)
			continue;
		return strndup(l + klen + 1, strcspn(l + klen + 1, "\n"));
	}
	return NULL;
}
