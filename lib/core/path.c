/* SPDX-License-Identifier: GPL-2.0-or-later */
/* path.c: paths inside a new root, resolved with openat2(RESOLVE_IN_ROOT)
 * so that a rootfs whose /proc or /dev is a symlink to a host path cannot
 * make us mount over the host. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "path.h"

/* openat2(ROOTFD, PATH, FLAGS|O_CLOEXEC) resolved inside the root, with
 * the RESOLVE_ flags MORE too: an fd or -errno. */
static int open_resolved(int rootfd, const char *path, int flags,
			 unsigned long long more)
{
	struct open_how how = {
		.flags = flags | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | more,
	};
	int fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : fd;
}

int cfs_openat_in_root(int rootfd, const char *path, int flags)
{
	return open_resolved(rootfd, path, flags, RESOLVE_NO_MAGICLINKS);
}

int cfs_open_in_root(int rootfd, const char *rootname, const char *path,
		     int flags, struct cfs_err *e)
{
	int fd = cfs_openat_in_root(rootfd, path, flags);

	if (fd == -ENOENT) /* a symlink may have led elsewhere in the root */
		return cfs_fail(e, ENOENT, "open %s%s (resolved inside it)",
				rootname, path);
	if (fd < 0)
		return cfs_fail_call(e, -fd, "openat2", "open %s%s", rootname,
				     path);
	return fd;
}

/* Make the last component of PATH in the root: a directory, or with
 * FILE an empty regular file; -ENOENT when its parent is missing. */
static int make_last(int rootfd, const char *rootname, const char *path,
		     int file, mode_t mode, struct cfs_err *e)
{
	char dir[4096], base[4096];
	int parent, rc;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return cfs_fail(e, ENAMETOOLONG, "create %s%s", rootname, path);
	snprintf(base, sizeof(base), "%s", path);
	parent = cfs_openat_in_root(rootfd, dirname(dir), O_PATH | O_DIRECTORY);
	if (parent < 0)
		return cfs_fail(e, -parent, "create %s%s", rootname, path);
	if (file)
		rc = mknodat(parent, basename(base), S_IFREG | 0644, 0);
	else
		rc = mkdirat(parent, basename(base), mode);
	rc = rc < 0 && errno != EEXIST ? -errno : 0;
	close(parent);
	if (rc)
		return cfs_fail(e, -rc, "create %s%s", rootname, path);
	return 0;
}

/* PATH, and its missing parents as directories of MODE: the whole path
 * first, its parent only when that is missing (one openat2 and one
 * mkdirat where the parents exist). */
static int make_path(int rootfd, const char *rootname, const char *path,
		     int file, mode_t mode, struct cfs_err *e)
{
	char dir[4096];
	int rc = make_last(rootfd, rootname, path, file, mode, e);

	if (rc != -ENOENT)
		return rc;
	snprintf(dir, sizeof(dir), "%s", path); /* make_last checked its size */
	if (!strcmp(dirname(dir), path))
		return rc;
	rc = make_path(rootfd, rootname, dir, 0, mode, e);
	return rc ? rc : make_last(rootfd, rootname, path, file, mode, e);
}

int cfs_mkdir_in_root(int rootfd, const char *rootname, const char *path,
		      mode_t mode, struct cfs_err *e)
{
	return make_path(rootfd, rootname, path, 0, mode, e);
}

int cfs_open_mountpoint_in_root(int rootfd, const char *rootname,
				const char *path, int file, struct cfs_err *e)
{
	int fd = cfs_openat_in_root(rootfd, path, O_PATH), rc;

	if (fd >= 0)
		return fd;
	if (fd != -ENOENT)
		return cfs_fail(e, -fd, "open %s%s", rootname, path);
	if ((rc = make_path(rootfd, rootname, path, file, 0755, e)))
		return rc;
	return cfs_open_in_root(rootfd, rootname, path, O_PATH, e);
}

int cfs_open_no_symlinks(int rootfd, const char *path, int flags)
{
	return open_resolved(rootfd, path, flags, RESOLVE_NO_SYMLINKS);
}

int cfs_open_dir_in_root(int rootfd, const char *rootname, const char *path,
			 struct cfs_err *e)
{
	char dir[4096], base[4096];
	int fd = cfs_open_no_symlinks(rootfd, path, O_PATH | O_DIRECTORY), parent;

	if (fd == -ENOENT &&
	    snprintf(dir, sizeof(dir), "%s", path) < (int)sizeof(dir)) {
		snprintf(base, sizeof(base), "%s", path);
		parent = cfs_open_no_symlinks(rootfd, dirname(dir),
					  O_PATH | O_DIRECTORY);
		if (parent >= 0) {
			if (mkdirat(parent, basename(base), 0755) < 0 &&
			    errno != EEXIST)
				fd = -errno;
			else
				fd = cfs_open_no_symlinks(parent, basename(base),
						      O_PATH | O_DIRECTORY);
			close(parent);
		}
	}
	if (fd == -ELOOP || fd == -ENOTDIR) {
		cfs_fail(e, 0, "%s%s: not an ordinary directory%s", rootname,
			 path, fd == -ELOOP ? " (a symlink)" : "");
		return fd;
	}
	if (fd < 0)
		return cfs_fail_call(e, -fd, "openat2", "open %s%s", rootname,
				     path);
	return fd;
}

int cfs_path_open_to_all(const char *path)
{
	char *real = realpath(path, NULL), *slash;
	struct stat st;
	int rc = 1;

	if (!real)
		return -errno;
	/* PATH, then each parent up to / */
	for (slash = real + strlen(real); rc == 1 && slash; ) {
		*slash = '\0';
		if (stat(*real ? real : "/", &st) < 0)
			rc = -errno;
		else if (!(st.st_mode & S_IXOTH))
			rc = 0;
		slash = slash > real ? strrchr(real, '/') : NULL;
	}
	free(real);
	return rc;
}
