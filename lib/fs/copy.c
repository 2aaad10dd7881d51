/* SPDX-License-Identifier: GPL-2.0-or-later */
/* copy.c: cp -a of a directory's entries, fd to fd, following no link.
 * FROM is in a root the container wrote: every entry is opened with
 * O_NOFOLLOW relative to its directory's fd, never by a path. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "copy.h"

enum { MAX_DEPTH = 64 };

static int copy_dir(int from, int to, const char *path, int depth,
		    struct cfs_err *e);

static int copy_data(int in, int out, const char *path, struct cfs_err *e)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0)
		for (ssize_t done = 0, w; done < n; done += w)
			if ((w = write(out, buf + done, n - done)) < 0)
				return cfs_fail(e, errno, "copy %s", path);
	return n < 0 ? cfs_fail(e, errno, "copy %s", path) : 0;
}

/* The entry NAME of FROM (with status ST) made in TO, without its owner,
 * mode and times: the caller sets them. */
static int copy_one(int from, int to, const char *name, const char *path,
		    const struct stat *st, int depth, struct cfs_err *e)
{
	char target[PATH_MAX];
	ssize_t n;
	int in, out, rc;

	switch (st->st_mode & S_IFMT) {
	case S_IFDIR:
		if (mkdirat(to, name, 0700) < 0)
			return cfs_fail(e, errno, "copy %s", path);
		in = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
						O_CLOEXEC);
		out = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					       O_CLOEXEC);
		rc = in < 0 || out < 0 ? cfs_fail(e, errno, "copy %s", path)
				       : copy_dir(in, out, path, depth + 1, e);
		break;
	case S_IFREG:
		in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY |
						O_NONBLOCK | O_CLOEXEC);
		out = openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					       O_CLOEXEC, 0600);
		rc = in < 0 || out < 0 ? cfs_fail(e, errno, "copy %s", path)
				       : copy_data(in, out, path, e);
		break;
	case S_IFLNK:
		n = readlinkat(from, name, target, sizeof(target) - 1);
		if (n < 0)
			return cfs_fail(e, errno, "copy %s", path);
		target[n] = '\0';
		if (symlinkat(target, to, name) < 0)
			return cfs_fail(e, errno, "copy %s", path);
		return 0;
	case S_IFIFO:
		if (mkfifoat(to, name, 0600) < 0)
			return cfs_fail(e, errno, "copy %s", path);
		return 0;
	default:
		return cfs_fail(e, 0, "copy %s: not a directory, file, link or "
				"fifo", path);
	}
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

static int copy_dir(int from, int to, const char *path, int depth,
		    struct cfs_err *e)
{
	int dup_fd = -1, rc = 0;
	struct dirent *d;
	DIR *dp = NULL;

	if (depth > MAX_DEPTH)
		rc = cfs_fail(e, ELOOP, "copy %s: deeper than %d", path,
			      MAX_DEPTH);
	else if ((dup_fd = openat(from, ".", O_RDONLY | O_DIRECTORY |
						     O_CLOEXEC)) < 0 ||
		 !(dp = fdopendir(dup_fd)))
		rc = cfs_fail(e, errno, "open %s", path);
	while (!rc && (d = readdir(dp))) {
		struct timespec times[2];
		struct stat st;
		char *sub;

		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (asprintf(&sub, "%s/%s", path, d->d_name) < 0)
			return cfs_fail(e, ENOMEM, "copy %s", path);
		if (fstatat(from, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			rc = cfs_fail(e, errno, "copy %s", sub);
		else
			rc = copy_one(from, to, d->d_name, sub, &st, depth, e);
		times[0] = st.st_atim;
		times[1] = st.st_mtim;
		if (!rc && (fchownat(to, d->d_name, st.st_uid, st.st_gid,
				     AT_SYMLINK_NOFOLLOW) < 0 ||
			    (!S_ISLNK(st.st_mode) &&
			     fchmodat(to, d->d_name, st.st_mode & 07777, 0) < 0) ||
			    utimensat(to, d->d_name, times,
				      AT_SYMLINK_NOFOLLOW) < 0))
			rc = cfs_fail(e, errno, "copy %s", sub);
		free(sub);
	}
	if (dp)
		closedir(dp);
	else if (dup_fd >= 0)
		close(dup_fd);
	return rc;
}

int cfs_copy_tree(int from, int to, const char *path, struct cfs_err *e)
{
	return copy_dir(from, to, path, 0, e);
}
