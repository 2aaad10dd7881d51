/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rmtree.c: rm -r relative to a directory fd, never following links. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rmtree.h"

static int remove_at(int dirfd, const char *name, const char *path,
		     dev_t dev, struct cfs_err *e);

/* Remove FD's entries: those on device DEV only. */
static int clear(int fd, const char *path, dev_t dev, struct cfs_err *e)
{
	int dup_fd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *d;
	DIR *dp;
	int r = 0;

	if (dup_fd < 0 || !(dp = fdopendir(dup_fd))) {
		r = cfs_fail(e, errno, "open %s", path);
		if (dup_fd >= 0)
			close(dup_fd);
		return r;
	}
	while (!r && (d = readdir(dp))) {
		char *sub;

		if (d->d_name[0] == '.' &&
		    (!d->d_name[1] || (d->d_name[1] == '.' && !d->d_name[2])))
			continue;
		if (asprintf(&sub, "%s/%s", path, d->d_name) < 0)
			r = cfs_fail(e, ENOMEM, "remove %s", path);
		else
			r = remove_at(fd, d->d_name, sub, dev, e);
		free(sub);
	}
	closedir(dp);
	return r;
}

int cfs_clear_dir(int fd, const char *path, struct cfs_err *e)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return cfs_fail(e, errno, "stat %s", path);
	return clear(fd, path, st.st_dev, e);
}

/* DEV: the device NAME must be on (0: any, for the top). */
static int remove_at(int dirfd, const char *name, const char *path,
		     dev_t dev, struct cfs_err *e)
{
	struct stat st;
	int fd, r;

	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR)
		return cfs_fail(e, errno, "remove %s", path);

	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EACCES && !fchmodat(dirfd, name, 0700, 0))
		fd = openat(dirfd, name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return cfs_fail(e, errno, "open %s", path);
	if (fstat(fd, &st) < 0) {
		r = cfs_fail(e, errno, "stat %s", path);
	} else if (dev && st.st_dev != dev) {
		r = cfs_fail(e, EBUSY, "remove %s", path); /* a mount point */
	} else {
		if ((st.st_mode & 0700) != 0700 && geteuid() == st.st_uid)
			fchmod(fd, 0700);
		r = clear(fd, path, st.st_dev, e);
	}
	close(fd);
	if (!r && unlinkat(dirfd, name, AT_REMOVEDIR) < 0)
		r = cfs_fail(e, errno, "remove %s", path);
	return r;
}

int cfs_remove_at(int dirfd, const char *name, const char *path,
		  struct cfs_err *e)
{
	return remove_at(dirfd, name, path, 0, e);
}
