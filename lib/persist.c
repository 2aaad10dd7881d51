/* SPDX-License-Identifier: GPL-2.0-or-later */
/* persist.c: namespaces kept as bind-mounted files.
 *
 * A namespace file must be mounted in the namespaces we start in, so the
 * binding is done by a helper forked before unshare(2), as unshare(1)
 * does: it waits until we have our new namespaces, binds them from
 * /proc/OUR-PID/ns, and exits with the result. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "mount.h"
#include "ns.h"
#include "persist.h"

static int is_ns_file(const char *path)
{
	struct statfs fs;

	return statfs(path, &fs) == 0 && fs.f_type == NSFS_MAGIC;
}

static int is_mount_root(const char *path)
{
	struct statx stx;

	return statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, 0, &stx) == 0 &&
	       (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

/* mkdir -p the directories PATH is in (0755). */
static int make_parents(const char *path, struct cfs_err *e)
{
	char dir[4096];

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return cfs_fail(e, ENAMETOOLONG, "create %s", path);
	for (char *s = strchr(dir + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return cfs_fail(e, errno, "create %s", dir);
		*s = '/';
	}
	return 0;
}

/* DIR (0700) and its parents: DIR must be new or empty. Sets *made when
 * DIR is new. */
static int make_dir(const char *dir, int *made, struct cfs_err *e)
{
	DIR *d;
	int rc = make_parents(dir, e);

	if (rc)
		return rc;
	if (mkdir(dir, 0700) == 0)
		return *made = 1, 0;
	if (errno != EEXIST || !(d = opendir(dir)))
		return cfs_fail(e, errno, "create %s", dir);
	for (struct dirent *ent; (ent = readdir(d));)
		if (strcmp(ent->d_name, ".") && strcmp(ent->d_name, "..")) {
			closedir(d);
			return cfs_fail(e, ENOTEMPTY, "%s", dir);
		}
	closedir(d);
	return 0;
}

/* Bind namespace type I of process PID on its file, made if missing. */
static int bind_one(struct cfs_persist *p, int i, pid_t pid, int *made,
		    struct cfs_err *e)
{
	const struct cfs_ns_type *t = &cfs_ns_types[i];
	const char *file = p->file[i];
	char src[64];
	int fd, rc;

	if (is_ns_file(file))
		return cfs_fail(e, EBUSY, "%s: already a namespace file", file);
	if ((rc = make_parents(file, e)))
		return rc;
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST)
		return cfs_fail(e, errno, "create %s", file);
	if (fd >= 0)
		*made = 1, close(fd);
	snprintf(src, sizeof(src), "/proc/%d/ns/%s", pid, t->name);
	rc = cfs_mount(src, file, NULL, MS_BIND, NULL, src, e);
	if (rc == -EINVAL && t->flag == CLONE_NEWNS)
		return cfs_fail(e, EINVAL,
				"bind %s on %s: the kernel keeps a mount namespace "
				"only in a file on a mount with private propagation "
				"(mount --bind DIR DIR; mount --make-private DIR%s%s), "
				"from an older mount namespace", src, file,
				p->advice ? ", " : "", p->advice ? p->advice : "");
	return rc;
}

/* The helper's job: bind each new namespace of PID on its file; on a
 * failure, undo it all. */
static int bind_all(void *arg, pid_t pid, struct cfs_err *e)
{
	struct cfs_persist *p = arg;
	int made[CFS_NS_COUNT] = { 0 }, bound[CFS_NS_COUNT] = { 0 };
	int made_dir = 0, rc = 0;
	struct cfs_err ignored;

	if (p->dir && (rc = make_dir(p->dir, &made_dir, e)))
		return rc;
	/* DIR on a private mount of its own: a mount namespace file cannot
	 * sit on a shared mount (the bind would propagate into the very
	 * namespace it holds), and systemd makes / shared. */
	if (p->dir)
		rc = cfs_mount(p->dir, p->dir, NULL, MS_BIND, NULL, p->dir, e) ?:
		     cfs_mount(NULL, p->dir, NULL, MS_PRIVATE, NULL, p->dir, e);
	for (int i = 0; !rc && i < CFS_NS_COUNT; i++)
		if (p->file[i])
			bound[i] = !(rc = bind_one(p, i, pid, &made[i], e));
	if (!rc)
		return 0;

	for (int i = 0; i < CFS_NS_COUNT; i++) {
		if (bound[i])
			cfs_umount_lazy(p->file[i], &ignored);
		if (made[i])
			unlink(p->file[i]);
	}
	if (p->dir && is_mount_root(p->dir))
		cfs_umount_lazy(p->dir, &ignored);
	if (made_dir)
		rmdir(p->dir);
	return rc;
}

int cfs_persist_start(struct cfs_persist *p, unsigned int flags,
		      struct cfs_err *e)
{
	static char files[CFS_NS_COUNT][4096];
	int any = 0;

	p->helper.pid = 0;
	for (int i = 0; i < CFS_NS_COUNT; i++) {
		if (p->dir && flags & cfs_ns_types[i].flag && !p->file[i]) {
			snprintf(files[i], sizeof(files[i]), "%s/%s", p->dir,
				 cfs_ns_types[i].name);
			p->file[i] = files[i];
		}
		any |= p->file[i] != NULL;
	}
	return any ? cfs_ns_helper_start(&p->helper, bind_all, p, e) : 0;
}

int cfs_persist_finish(struct cfs_persist *p, pid_t target,
		       struct cfs_err *e)
{
	return p->helper.pid ? cfs_ns_helper_finish(&p->helper, target, e) : 0;
}

int cfs_persist_is_dir(const char *dir, struct cfs_err *e)
{
	struct stat st;
	char path[4096];
	int found = 0;
	DIR *d;

	if (lstat(dir, &st) < 0)
		return cfs_fail(e, errno, "%s", dir);
	if (!S_ISDIR(st.st_mode) || !(d = opendir(dir)))
		return cfs_fail(e, ENOTDIR, "%s", dir);
	for (struct dirent *ent; (ent = readdir(d));) {
		int known = 0;
		if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
			continue;
		for (int i = 0; i < CFS_NS_COUNT; i++)
			known |= !strcmp(ent->d_name, cfs_ns_types[i].name);
		snprintf(path, sizeof(path), "%s/%s", dir, ent->d_name);
		if (!known || lstat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
		    (!is_ns_file(path) && st.st_size)) {
			cfs_fail(e, 0, "%s is not a namespace file", ent->d_name);
			closedir(d); /* ENT was in it */
			return 0;
		}
		found++;
	}
	closedir(d);
	if (!found)
		cfs_fail(e, 0, "no namespace file in it");
	return found > 0;
}

int cfs_persist_remove(const char *dir, struct cfs_err *e)
{
	char path[4096];
	int r = cfs_persist_is_dir(dir, e);

	if (r == 0) {
		snprintf(path, sizeof(path), "%s", e->msg);
		return cfs_fail(e, 0, "%s: %s", dir, path);
	}
	if (r < 0)
		return r;
	for (int i = 0; i < CFS_NS_COUNT; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, cfs_ns_types[i].name);
		if (is_ns_file(path) && (r = cfs_umount_lazy(path, e)))
			return r;
		if (unlink(path) < 0 && errno != ENOENT)
			return cfs_fail(e, errno, "remove %s", path);
	}
	if (is_mount_root(dir) && (r = cfs_umount_lazy(dir, e)))
		return r;
	if (rmdir(dir) < 0)
		return cfs_fail(e, errno, "remove %s", dir);
	return 0;
}
