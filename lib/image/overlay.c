/* SPDX-License-Identifier: GPL-2.0-or-later */
/* overlay.c: an overlayfs root, see overlay.h.
 *
 * Every layer is opened first and handed to overlayfs as /proc/self/fd/N:
 * nothing in a path (',' ':' '\') then needs escaping in its options, and
 * the ephemeral upper's tmpfs can be mounted on the top lower's path, where
 * the overlay itself then goes, without hiding that lower from it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "overlay.h"
#include "fs/mount.h"
#include "ns/ns.h"

/* The layers, open: the lowers top first, the upper and its work dir. */
struct layers {
	int *lower;
	size_t n;
	int upper, work;
};

int cfs_overlay_split(const char *arg, char ***lowers, struct cfs_err *e)
{
	size_t n = 1, len = strlen(arg);
	char **v, *s;

	for (const char *c = arg; *c; c++)
		n += *c == ':';
	v = malloc((n + 1) * sizeof(*v) + len + 1);
	if (!v)
		return cfs_fail(e, ENOMEM, "overlay %s", arg);
	s = (char *)(v + n + 1);
	n = 0;
	v[n++] = s;
	for (const char *c = arg; *c; c++) {
		if (*c == '\\' && (c[1] == ':' || c[1] == '\\'))
			*s++ = *++c;
		else if (*c == ':')
			*s++ = '\0', v[n++] = s;
		else
			*s++ = *c;
	}
	*s = '\0';
	v[n] = NULL;
	for (size_t i = 0; i < n; i++)
		if (!*v[i]) {
			free(v);
			return cfs_fail(e, 0, "overlay '%s': an empty layer",
					arg);
		}
	*lowers = v;
	return n;
}

const char *cfs_overlay_workdir(const char *upper, char *buf)
{
	char dir[PATH_MAX], base[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", upper);
	snprintf(base, sizeof(base), "%s", upper);
	snprintf(buf, PATH_MAX, "%s/.%s.cfs-work", dirname(dir),
		 basename(base));
	return buf;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Is directory FD DIR, or below it? Walks up ".." to the root. */
static bool within(int fd, const struct stat *dir)
{
	struct stat st, prev = { 0 };
	int cur = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	bool found = false;

	while (cur >= 0 && fstat(cur, &st) == 0) {
		if ((found = same_file(&st, dir)) || same_file(&st, &prev))
			break; /* DIR, or "/", whose ".." is itself */
		prev = st;
		int up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		close(cur);
		cur = up;
	}
	if (cur >= 0)
		close(cur);
	return found;
}

static int open_dir(const char *path)
{
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* Open each lower. The root directory (ours, by whatever name) is
 * refused: the top lower's path takes the upper's tmpfs and the overlay,
 * and "/" opened after that would still be the host's, where the upper
 * would be made. */
static int open_lowers(char **lowers, struct layers *l, struct cfs_err *e)
{
	struct stat root, st;

	if (stat("/", &root) < 0)
		return cfs_fail(e, errno, "overlay: stat /");
	for (l->n = 0; lowers[l->n]; l->n++) {
		int fd = open_dir(lowers[l->n]), rc = 0;

		if (fd < 0)
			return cfs_fail(e, -fd, "overlay lower %s", lowers[l->n]);
		if (fstat(fd, &st) < 0)
			rc = cfs_fail(e, errno, "overlay lower %s", lowers[l->n]);
		else if (same_file(&st, &root))
			rc = cfs_fail(e, 0, "overlay lower %s: the root directory "
				      "(an overlay of / would write in it): "
				      "refused", lowers[l->n]);
		if (rc) {
			close(fd);
			return rc;
		}
		l->lower[l->n] = fd;
	}
	return 0;
}

/* Refuse an upper (or, when it does not exist yet, its parent: FD) inside
 * a lower, and a lower inside the upper. */
static int check_overlap(const struct cfs_overlay *o, const struct layers *l,
			 int fd, bool exists, struct cfs_err *e)
{
	struct stat up, low;

	if (fstat(fd, &up) < 0)
		return cfs_fail(e, errno, "overlay upper %s", o->upper);
	for (size_t i = 0; i < l->n; i++) {
		if (fstat(l->lower[i], &low) < 0)
			return cfs_fail(e, errno, "overlay lower %s",
					o->lowers[i]);
		if (within(fd, &low))
			return cfs_fail(e, 0,
					"overlay upper %s: inside the lower %s "
					"(the layers must not overlap)",
					o->upper, o->lowers[i]);
		if (exists && within(l->lower[i], &up))
			return cfs_fail(e, 0,
					"overlay lower %s: inside the upper %s "
					"(the layers must not overlap)",
					o->lowers[i], o->upper);
	}
	return 0;
}

/* Make directory NAME in DIRFD, the upper layer whose attributes the new
 * root's "/" takes, like the top lower TOP's: its mode, and its owner
 * where our user namespace maps it. 0 or -errno. */
static int make_root_dir(int dirfd, const char *name, int top)
{
	struct stat st;

	if (fstat(top, &st) < 0 || mkdirat(dirfd, name, 0700) < 0 ||
	    fchmodat(dirfd, name, st.st_mode & 07777, 0) < 0)
		return -errno;
	if (fchownat(dirfd, name, st.st_uid, st.st_gid, 0) < 0 &&
	    errno != EINVAL)
		return -errno;
	return 0;
}

/* The upper directory: made if missing, with its work dir beside it (on the same
 * file system: overlayfs renames between the two). */
static int open_upper(const struct cfs_overlay *o, struct layers *l,
		      struct cfs_err *e)
{
	char work[PATH_MAX], dir[PATH_MAX];
	struct stat up, parent_st;
	int parent, rc;

	cfs_overlay_workdir(o->upper, work);
	snprintf(dir, sizeof(dir), "%s", o->upper);
	if ((parent = open_dir(dirname(dir))) < 0)
		return cfs_fail(e, -parent, "overlay upper %s", o->upper);
	l->upper = open_dir(o->upper);
	rc = check_overlap(o, l, l->upper >= 0 ? l->upper : parent,
			   l->upper >= 0, e);
	if (!rc && l->upper == -ENOENT &&
	    !(l->upper = make_root_dir(AT_FDCWD, o->upper, l->lower[0])))
		l->upper = open_dir(o->upper);
	if (!rc && l->upper < 0)
		rc = cfs_fail(e, -l->upper, "overlay upper %s", o->upper);
	if (!rc && (fstat(l->upper, &up) < 0 || fstat(parent, &parent_st) < 0))
		rc = cfs_fail(e, errno, "overlay upper %s", o->upper);
	if (!rc && up.st_dev != parent_st.st_dev)
		rc = cfs_fail(e, 0,
			      "overlay upper %s: not on the file system of its "
			      "work dir %s (give a directory inside that mount)",
			      o->upper, work);
	close(parent);
	if (rc)
		return rc;
	if (mkdir(work, 0700) < 0 && errno != EEXIST)
		return cfs_fail(e, errno, "create overlay work dir %s", work);
	if ((l->work = open_dir(work)) < 0)
		return cfs_fail(e, -l->work, "overlay work dir %s", work);
	return 0;
}

/* No upper directory: a tmpfs on the top lower's path, holding upper/ and work/.
 * It goes with the mount namespace. */
static int tmpfs_upper(const struct cfs_overlay *o, struct layers *l,
		       struct cfs_err *e)
{
	char data[64];
	int tmp, rc;
	int len = snprintf(data, sizeof(data), "mode=0755");

	if (o->size)
		snprintf(data + len, sizeof(data) - len, ",size=%lld", o->size);
	if ((rc = cfs_mount("tmpfs", o->lowers[0], "tmpfs", 0, data, "tmpfs",
			    e)))
		return rc;
	if ((tmp = open_dir(o->lowers[0])) < 0)
		return cfs_fail(e, -tmp, "open the tmpfs on %s", o->lowers[0]);
	rc = make_root_dir(tmp, "upper", l->lower[0]);
	if (!rc && mkdirat(tmp, "work", 0700) < 0)
		rc = -errno;
	if (!rc && ((l->upper = openat(tmp, "upper", O_PATH | O_CLOEXEC)) < 0 ||
		    (l->work = openat(tmp, "work", O_PATH | O_CLOEXEC)) < 0))
		rc = -errno;
	close(tmp);
	if (rc)
		return cfs_fail(e, -rc, "make the overlay's upper on the tmpfs "
				"on %s", o->lowers[0]);
	return 0;
}

static int overlay_fail(struct cfs_err *e, int errnum, const char *target,
			const char *kernel_msg)
{
	if (errnum == ENODEV)
		return cfs_fail(e, 0, "overlay: not supported by this kernel "
				"(modprobe overlay)");
	if (*kernel_msg)
		return cfs_fail(e, errnum, "mount overlay on %s (%s)", target,
				kernel_msg);
	return cfs_fail(e, errnum, "mount overlay on %s", target);
}

/* The last error the kernel logged on filesystem context FS, or "". */
static void kernel_error(int fs, char *buf, size_t size)
{
	char m[512];
	ssize_t n;

	*buf = '\0';
	while ((n = read(fs, m, sizeof(m) - 1)) > 0) {
		m[n] = '\0';
		if (m[0] == 'e' && m[1] == ' ')
			snprintf(buf, size, "%.200s", m + 2);
	}
}

static int set_fd(int fs, const char *key, int fd)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return fsconfig(fs, FSCONFIG_SET_STRING, key, path, 0);
}

/* Configure the overlay on fs context FS, one layer per lowerdir+. */
static int configure(int fs, const struct layers *l, bool userxattr)
{
	if (fsconfig(fs, FSCONFIG_SET_STRING, "source", "overlay", 0) < 0)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		if (set_fd(fs, "lowerdir+", l->lower[i]) < 0)
			return -1;
	if (set_fd(fs, "upperdir", l->upper) < 0 ||
	    set_fd(fs, "workdir", l->work) < 0)
		return -1;
	if (userxattr && fsconfig(fs, FSCONFIG_SET_FLAG, "userxattr", NULL, 0))
		return -1;
	return fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
}

/* The new mount API: 0, -errno, or 1 when this kernel needs mount(2):
 * fsopen(2) missing (before 5.2), or an EINVAL that the kernel did not
 * explain, or explained as no lowerdir+ (before 6.8). */
static int mount_fsopen(const struct layers *l, const char *target,
			bool userxattr, struct cfs_err *e)
{
	char msg[256];
	int fs = fsopen("overlay", FSOPEN_CLOEXEC), mnt = -1, err;

	if (fs < 0)
		return errno == ENOSYS ? 1 : overlay_fail(e, errno, target, "");
	if (configure(fs, l, userxattr) == 0 &&
	    (mnt = fsmount(fs, FSMOUNT_CLOEXEC, 0)) >= 0 &&
	    move_mount(mnt, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) == 0)
		err = 0;
	else
		err = errno;
	kernel_error(fs, msg, sizeof(msg));
	if (mnt >= 0)
		close(mnt);
	close(fs);
	if (err == EINVAL && (!*msg || strstr(msg, "lowerdir+")))
		return 1;
	return err ? overlay_fail(e, err, target, msg) : 0;
}

/* mount(2), one option string of /proc/self/fd/N paths: no escaping. */
static int mount_legacy(const struct layers *l, const char *target,
			bool userxattr, struct cfs_err *e)
{
	char data[4096];
	size_t len = snprintf(data, sizeof(data), "lowerdir=");

	for (size_t i = 0; i < l->n && len < sizeof(data); i++)
		len += snprintf(data + len, sizeof(data) - len,
				"%s/proc/self/fd/%d", i ? ":" : "", l->lower[i]);
	if (len < sizeof(data))
		len += snprintf(data + len, sizeof(data) - len,
				",upperdir=/proc/self/fd/%d,workdir=/proc/self/"
				"fd/%d%s", l->upper, l->work,
				userxattr ? ",userxattr" : "");
	if (len >= sizeof(data))
		return cfs_fail(e, E2BIG, "mount overlay on %s: %zu layers",
				target, l->n);
	if (mount("overlay", target, "overlay", 0, data) < 0)
		return overlay_fail(e, errno, target, "");
	return 0;
}

int cfs_overlay_mount(const struct cfs_overlay *o, struct cfs_err *e)
{
	struct layers l = { .upper = -1, .work = -1 };
	/* trusted.* xattrs are for the initial user namespace only */
	bool userxattr = !cfs_in_initial_userns();
	size_t n = 0;
	int rc;

	while (o->lowers[n])
		n++;
	if (!(l.lower = malloc(n * sizeof(*l.lower))))
		return cfs_fail(e, ENOMEM, "mount overlay");
	rc = open_lowers(o->lowers, &l, e);
	if (!rc)
		rc = o->upper ? open_upper(o, &l, e) : tmpfs_upper(o, &l, e);
	if (!rc)
		rc = mount_fsopen(&l, o->lowers[0], userxattr, e);
	if (rc == 1)
		rc = mount_legacy(&l, o->lowers[0], userxattr, e);
	for (size_t i = 0; i < l.n; i++)
		close(l.lower[i]);
	if (l.upper >= 0)
		close(l.upper);
	if (l.work >= 0)
		close(l.work);
	free(l.lower);
	return rc;
}
