/* install.c: host programs copied into a root, with what they need. */
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

#include "elfdeps.h"
#include "install.h"
#include "path.h"
#include "strv.h"

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

/* PROGRAM as given, or found on PATH when it has no slash. */
static int find_program(const char *prog, char **path, struct cfs_err *e)
{
	const char *dirs = getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin";

	if (prog[0] == '/')
		return (*path = strdup(prog)) ? 0 : cfs_fail(e, ENOMEM, "%s", prog);
	if (strchr(prog, '/'))
		return cfs_fail(e, 0, "--add %s: give an absolute path (it is copied to the same path in the root)",
				prog);
	for (const char *d = dirs; *d; d += strcspn(d, ":") + !!d[strcspn(d, ":")]) {
		int len = strcspn(d, ":");

		if (!len)
			continue;
		if (asprintf(path, "%.*s/%s", len, d, prog) < 0)
			return cfs_fail(e, ENOMEM, "%s", prog);
		if (!access(*path, X_OK))
			return 0;
		free(*path);
	}
	*path = NULL;
	return cfs_fail(e, 0, "--add %s: not found in PATH", prog);
}

int cfs_install_programs(const char **progs, const char *rootpath,
			 struct cfs_err *e)
{
	struct cfs_strv files = { 0 };
	int root, r = 0;

	if ((root = open(rootpath, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return cfs_fail(e, errno, "open %s", rootpath);
	for (; !r && progs && *progs; progs++) {
		char *path = NULL;

		r = find_program(*progs, &path, e);
		if (!r)
			r = cfs_elf_deps(path, &files, e);
		free(path);
	}
	for (size_t i = 0; !r && i < files.n; i++)
		r = copy_in(root, rootpath, files.v[i], e);
	cfs_strv_free(&files);
	close(root);
	return r;
}
