/* SPDX-License-Identifier: GPL-2.0-or-later */
/* persist.c: namespaces kept as bind-mounted files, a pidfile, and a
 * directory of them that is a container: recorded, stopped, removed.
 *
 * A namespace file must be mounted in the namespaces we start in, so the
 * binding is done by a helper forked before unshare(2), as unshare(1)
 * does: it waits until we have our new namespaces, binds them from
 * /proc/OUR-PID/ns, and exits with the result. The pidfile is written by
 * the same helper: from the host's namespaces, with the host's ids, where
 * a user namespace could not write it and a pivot_root(2) could not move
 * its path. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "ns.h"
#include "persist.h"
#include "core/parse.h"
#include "fs/mount.h"

/* What DIR records besides its namespace files: the PID of its init, and
 * the path of the pidfile written for it. */
#define INIT_PID "init.pid"
/* the longest name of a file in DIR: a record's, or a namespace type's */
#define LONGEST_NAME sizeof(INIT_PID)
#define PIDFILE "pidfile"

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

/* mkdir -p the directories PATH is in: 0755, the one PATH is in
 * directly LAST_MODE. */
static int make_parents(const char *path, mode_t last_mode,
			struct cfs_err *e)
{
	char dir[PATH_MAX];
	struct stat st;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return cfs_fail(e, ENAMETOOLONG, "create %s", path);
	for (char *s = strchr(dir + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(dir, strchr(s + 1, '/') ? 0755 : last_mode) < 0 &&
		    (errno != EEXIST || stat(dir, &st) < 0 ||
		     (!S_ISDIR(st.st_mode) && (errno = ENOTDIR))))
			return cfs_fail(e, errno, "create %s", dir);
		*s = '/';
	}
	return 0;
}

/* Write TEXT to PATH (mode 0644) as a new file renamed over it: a reader
 * finds the old file, or none, or all of TEXT, never a part. */
static int write_atomic(const char *path, const char *text, struct cfs_err *e)
{
	const char *base = strrchr(path, '/');
	int n = base ? (int)(base - path) + 1 : 0, fd, rc = 0;
	ssize_t len = strlen(text);
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%.*s.%s.XXXXXX", n, path,
		     path + n) >= (int)sizeof(tmp))
		return cfs_fail(e, ENAMETOOLONG, "create %s", path);
	/* a new name (O_EXCL): not a link someone left there */
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		return cfs_fail(e, errno, "create %s", tmp);
	if (fchmod(fd, 0644) < 0 || write(fd, text, len) != len)
		rc = cfs_fail(e, errno ?: EIO, "write %s", tmp);
	if (close(fd) < 0 && !rc)
		rc = cfs_fail(e, errno, "write %s", tmp);
	if (!rc && rename(tmp, path) < 0)
		rc = cfs_fail(e, errno, "rename %s to %s", tmp, path);
	if (rc)
		unlink(tmp);
	return rc;
}

static int write_pid(const char *path, pid_t pid, struct cfs_err *e)
{
	char text[16];

	snprintf(text, sizeof(text), "%d\n", pid);
	return write_atomic(path, text, e);
}

/* PATH's first line, at most N - 1 bytes: 0, or -errno (-ENOENT when
 * it is missing), E naming it. */
static int read_line(const char *path, char *buf, size_t n, struct cfs_err *e)
{
	ssize_t len;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0)
		return cfs_fail(e, errno, "open %s", path);
	len = read(fd, buf, n - 1);
	close(fd);
	if (len < 0)
		return cfs_fail(e, errno, "read %s", path);
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* DIR and a name of ours in it fit in PATH_MAX: then every DIR/NAME below
 * does, which each public function checks first. */
static int dir_fits(const char *dir, struct cfs_err *e)
{
	if (strlen(dir) + 1 + LONGEST_NAME > PATH_MAX)
		return cfs_fail(e, ENAMETOOLONG, "%.64s...: longer than %zu "
				"bytes", dir, PATH_MAX - 1 - LONGEST_NAME);
	return 0;
}

static int read_record(const char *dir, const char *name, char *buf,
		       size_t n, struct cfs_err *e)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return read_line(path, buf, n, e);
}

static void remove_record(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

/* The names of D's first three entries, sorted, in BUF ("a, b, c and 9
 * more"), each cut at 63 bytes: a message's; returns how many entries it
 * has. */
static int list_some(DIR *d, char *buf, size_t size)
{
	char name[3][64];
	int n = 0;

	for (struct dirent *ent; (ent = readdir(d));)
		if (strcmp(ent->d_name, ".") && strcmp(ent->d_name, "..") &&
		    n++ < 3)
			snprintf(name[n - 1], sizeof(name[0]), "%.63s",
				 ent->d_name);
	qsort(name, n < 3 ? n : 3, sizeof(name[0]),
	      (int (*)(const void *, const void *))strcmp);
	*buf = '\0';
	for (int i = 0; i < n && i < 3; i++)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
			 i ? ", " : "", name[i]);
	if (n > 3)
		snprintf(buf + strlen(buf), size - strlen(buf), " and %d more",
			 n - 3);
	return n;
}

/* DIR (0700) and its parents: DIR must be new or empty. Sets *made when
 * DIR is new. */
static int make_dir(const char *dir, int *made, struct cfs_err *e)
{
	char list[256];
	DIR *d;
	int rc = make_parents(dir, 0755, e);

	if (rc)
		return rc;
	if (mkdir(dir, 0700) == 0)
		return *made = 1, 0;
	if (errno != EEXIST || !(d = opendir(dir)))
		return cfs_fail(e, errno, "create %s", dir);
	rc = list_some(d, list, sizeof(list));
	closedir(d);
	if (rc)	/* what is in it, so that the user sees what was meant */
		return cfs_fail(e, ENOTEMPTY, "%s (it holds %s)", dir, list);
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
	if ((rc = make_parents(file, 0755, e)))
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

/* Record in DIR what stopping the container needs: the pidfile's path,
 * then the PID. */
static int record(const struct cfs_persist *p, pid_t pid, struct cfs_err *e)
{
	char path[PATH_MAX], text[PATH_MAX + 1];
	int rc = 0;

	if (p->pidfile) {
		snprintf(path, sizeof(path), "%s/" PIDFILE, p->dir);
		snprintf(text, sizeof(text), "%s\n", p->pidfile);
		rc = write_atomic(path, text, e);
	}
	snprintf(path, sizeof(path), "%s/" INIT_PID, p->dir);
	return rc ?: write_pid(path, pid, e);
}

/* The helper's job: bind each new namespace of PID on its file, record
 * PID in DIR, write the pidfile last; on a failure, undo it all. */
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
	if (!rc && p->dir)
		rc = record(p, pid, e);
	if (!rc && p->pidfile)
		rc = write_pid(p->pidfile, pid, e);
	if (!rc)
		return 0;

	if (p->dir) {
		remove_record(p->dir, INIT_PID);
		remove_record(p->dir, PIDFILE);
	}
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

/* The pidfile's directory, made (0700) if missing, and its absolute path
 * in P->pidfile: written later by the helper, recorded in DIR. */
static int prepare_pidfile(struct cfs_persist *p, struct cfs_err *e)
{
	static char path[PATH_MAX];
	const char *base = strrchr(p->pidfile, '/');
	char dir[PATH_MAX], real[PATH_MAX];
	int rc;

	base = base ? base + 1 : p->pidfile;
	if (!*base)
		return cfs_fail(e, EISDIR, "%s", p->pidfile);
	if ((rc = make_parents(p->pidfile, 0700, e)))
		return rc;
	if (base == p->pidfile)
		strcpy(dir, ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(base - p->pidfile),
			 p->pidfile);
	if (!realpath(dir, real))
		return cfs_fail(e, errno, "%s", dir);
	if (snprintf(path, sizeof(path), "%s/%s", strcmp(real, "/") ? real : "",
		     base) >= (int)sizeof(path))
		return cfs_fail(e, ENAMETOOLONG, "%s", p->pidfile);
	p->pidfile = path;
	return 0;
}

int cfs_persist_start(struct cfs_persist *p, unsigned int flags,
		      struct cfs_err *e)
{
	static char files[CFS_NS_COUNT][4096];
	int any = p->pidfile != NULL, rc;

	p->helper.pid = 0;
	if (p->dir && (rc = dir_fits(p->dir, e)))
		return rc;
	if (p->pidfile && (rc = prepare_pidfile(p, e)))
		return rc;
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
	return p->helper.pid ? cfs_ns_helper_finish(&p->helper, target, NULL, e) : 0;
}

int cfs_persist_is_dir(const char *dir, struct cfs_err *e)
{
	struct stat st;
	char path[4096];
	int found = 0, rc;
	DIR *d;

	if ((rc = dir_fits(dir, e)))
		return rc;
	if (lstat(dir, &st) < 0)
		return cfs_fail(e, errno, "%s", dir);
	if (!S_ISDIR(st.st_mode) || !(d = opendir(dir)))
		return cfs_fail(e, ENOTDIR, "%s", dir);
	for (struct dirent *ent; (ent = readdir(d));) {
		bool ns = false, rec;

		if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
			continue;
		for (int i = 0; i < CFS_NS_COUNT; i++)
			ns |= !strcmp(ent->d_name, cfs_ns_types[i].name);
		rec = !strcmp(ent->d_name, INIT_PID) ||
		      !strcmp(ent->d_name, PIDFILE);
		snprintf(path, sizeof(path), "%s/%s", dir, ent->d_name);
		if (!(ns || rec) || lstat(path, &st) < 0 ||
		    !S_ISREG(st.st_mode) ||
		    (ns && !is_ns_file(path) && st.st_size)) {
			cfs_fail(e, 0, "%s is not a namespace file", ent->d_name);
			closedir(d); /* ENT was in it */
			return 0;
		}
		found += ns;
	}
	closedir(d);
	if (!found)
		cfs_fail(e, 0, "no namespace file in it");
	return found > 0;
}

/* Is the process PID in the namespace kept at DIR/TYPE? */
static bool in_ns(const char *dir, const char *type, pid_t pid)
{
	char kept[PATH_MAX], proc[64];
	struct stat a, b;

	snprintf(kept, sizeof(kept), "%s/%s", dir, type);
	snprintf(proc, sizeof(proc), "/proc/%d/ns/%s", pid, type);
	return is_ns_file(kept) && stat(kept, &a) == 0 &&
	       stat(proc, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* Is PID DIR's init: in its PID namespace (a process cannot leave one),
 * else in its mount namespace, else in every namespace DIR keeps? */
static bool is_init(const char *dir, pid_t pid)
{
	char path[PATH_MAX];
	bool all = true;

	for (const char *const *t = (const char *[]){ "pid", "mnt", NULL }; *t;
	     t++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *t);
		if (access(path, F_OK) == 0)
			return in_ns(dir, *t, pid);
	}
	for (int i = 0; i < CFS_NS_COUNT; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, cfs_ns_types[i].name);
		if (access(path, F_OK) == 0)
			all &= in_ns(dir, cfs_ns_types[i].name, pid);
	}
	return all;
}

int cfs_persist_init(const char *dir, pid_t *pid, int *pidfd,
		     struct cfs_err *e)
{
	char text[32];
	long n;
	int fd, rc;

	*pid = 0;
	if ((rc = dir_fits(dir, e)) ||
	    (rc = read_record(dir, INIT_PID, text, sizeof(text), e)))
		return rc;
	if (cfs_parse_long(text, 1, INT_MAX, &n))
		return cfs_fail(e, EINVAL, "%s/" INIT_PID ": not a PID", dir);
	/* pins the process: if it lives once we have checked /proc/PID,
	 * what we checked was it, not another that got its PID */
	if ((fd = syscall(SYS_pidfd_open, (pid_t)n, 0)) < 0)
		return errno == ESRCH ? 0 :
		       cfs_fail_call(e, errno, "pidfd_open", "pidfd_open %ld", n);
	if (!is_init(dir, n)) {
		close(fd);
		return 0;
	}
	if (syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) < 0) {
		rc = errno;
		close(fd);
		return rc == ESRCH ? 0 :
		       cfs_fail_call(e, rc, "pidfd_send_signal",
				     "pidfd_send_signal %ld", n);
	}
	*pid = n;
	*pidfd = fd;
	return 1;
}

/* Wait up to MS milliseconds (-1: for ever) for PIDFD's process to end:
 * 1 when it has, 0 when not yet, or -errno. */
static int wait_end(int pidfd, int ms, struct cfs_err *e)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int n;

	while ((n = poll(&pfd, 1, ms)) < 0)
		if (errno != EINTR)
			return cfs_fail(e, errno, "wait for the container's init");
	return n > 0;
}

int cfs_persist_stop(int pidfd, int sig, int timeout_ms, struct cfs_err *e)
{
	int rc = 0;

	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0 &&
	    errno != ESRCH)
		return cfs_fail_call(e, errno, "pidfd_send_signal",
				     "send signal %d to the container's init", sig);
	if ((rc = wait_end(pidfd, timeout_ms, e)))
		return rc < 0 ? rc : 0;
	if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0 &&
	    errno != ESRCH)
		return cfs_fail(e, errno, "kill the container's init");
	return (rc = wait_end(pidfd, -1, e)) < 0 ? rc : 1;
}

int cfs_persist_remove(const char *dir, struct cfs_err *e)
{
	char path[4096], pid[32], pidfile[PATH_MAX], found[32];
	int r = cfs_persist_is_dir(dir, e);
	struct cfs_err ignored;

	if (r == 0) {
		snprintf(path, sizeof(path), "%s", e->msg);
		return cfs_fail(e, 0, "%s: %s", dir, path);
	}
	if (r < 0)
		return r;
	/* the pidfile, if it still names the init of DIR (no newer one's) */
	if (!read_record(dir, INIT_PID, pid, sizeof(pid), &ignored) &&
	    !read_record(dir, PIDFILE, pidfile, sizeof(pidfile), &ignored) &&
	    !read_line(pidfile, found, sizeof(found), &ignored) &&
	    !strcmp(found, pid) && unlink(pidfile) < 0 && errno != ENOENT)
		return cfs_fail(e, errno, "remove %s", pidfile);
	for (const char *const *rec = (const char *[]){ PIDFILE, INIT_PID, NULL };
	     *rec; rec++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *rec);
		if (unlink(path) < 0 && errno != ENOENT)
			return cfs_fail(e, errno, "remove %s", path);
	}
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
