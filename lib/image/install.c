/* SPDX-License-Identifier: GPL-2.0-or-later */
/* install.c: host programs found, host files copied into a root. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "install.h"
#include "core/path.h"

static int copy_data(int in, int out, off_t size, const char *from,
		     const char *to, struct cfs_err *e)
{
	off_t off = 0;

	while (off < size) {
		ssize_t n = sendfile(out, in, &off, size - off);
		if (n <= 0)
			return cfs_fail(e, n < 0 ? errno : EIO, "copy %s to %s",
					from, to);
	}
	return 0;
}

/* Host file FROM to the same path in the root, replacing what is there. */
static int copy_in(int root, const char *rootpath, const char *from,
		   struct cfs_err *e)
{
	char dir[PATH_MAX], to[PATH_MAX * 2];
	const char *slash = strrchr(from, '/'), *base;
	struct stat st;
	int in, parent = -1, out = -1, r;

	if (!slash || from[0] != '/')
		return cfs_fail(e, EINVAL, "copy %s", from);
	base = slash + 1;
	snprintf(to, sizeof(to), "%s%s", rootpath, from);
	snprintf(dir, sizeof(dir), "%.*s", (int)(base - from), from);
	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		return cfs_fail(e, errno, "open %s", from);
	if (fstat(in, &st) < 0)
		r = cfs_fail(e, errno, "stat %s", from);
	else if (!S_ISREG(st.st_mode))
		r = cfs_fail(e, 0, "%s: not a regular file", from);
	else
		r = cfs_mkdir_in_root(root, rootpath, dir, 0755, e);
	if (!r && (parent = cfs_open_in_root(root, rootpath, dir,
					     O_PATH | O_DIRECTORY, e)) < 0)
		r = parent;
	if (!r && unlinkat(parent, base, 0) < 0 && errno != ENOENT)
		r = cfs_fail(e, errno, "replace %s", to);
	if (!r && (out = openat(parent, base,
				O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					O_CLOEXEC,
				st.st_mode & 0755)) < 0)
		r = cfs_fail(e, errno, "create %s", to);
	if (!r)
		r = copy_data(in, out, st.st_size, from, to, e);
	if (out >= 0 && close(out) < 0 && !r)
		r = cfs_fail(e, errno, "write %s", to);
	if (parent >= 0)
		close(parent);
	close(in);
	return r;
}

char *cfs_find_program(const char *name)
{
	const char *dirs = getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin";

	/* strtok would skip empty entries, which mean the current directory */
	for (const char *d = dirs;; d += strcspn(d, ":") + 1) {
		int len = strcspn(d, ":");
		struct stat st;
		char *path;

		if (asprintf(&path, "%.*s/%s", len ? len : 1, len ? d : ".",
			     name) < 0)
			return NULL;
		if (!stat(path, &st) && S_ISREG(st.st_mode) &&
		    !access(path, X_OK))
			return path;
		free(path);
		if (!d[len])
			break;
	}
	errno = ENOENT;
	return NULL;
}

int cfs_install_files(const struct cfs_strv *files, const char *rootpath,
		      struct cfs_err *e)
{
	int root, r = 0;

	if ((root = open(rootpath, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return cfs_fail(e, errno, "open %s", rootpath);
	for (size_t i = 0; !r && i < files->n; i++)
		r = copy_in(root, rootpath, files->v[i], e);
	close(root);
	return r;
}
