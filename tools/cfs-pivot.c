/* cfs-pivot: make a directory the root of a container, and run a program
 * in it.
 *
 *   cfs-pivot [options] NEWROOT [--] [PROGRAM [ARG...]]
 *
 * What runc and crun do, in this order: a mount namespace of our own when
 * we are still in the host's; / made recursively private so that nothing
 * propagates back; NEWROOT bind-mounted on itself; proc, sysfs, a small
 * /dev, the user's --bind and --tmpfs mounts, all with their targets
 * resolved inside NEWROOT; pivot_root(".", "."), a lazy unmount of the old
 * root; exec PROGRAM (default /bin/sh of the new root). */
#define _GNU_SOURCE
#include <cap-ng.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "err.h"
#include "exec.h"
#include "mount.h"
#include "ns.h"
#include "opts.h"
#include "path.h"

enum { OPT_BIND = 1, OPT_TMPFS };

struct user_mount {
	int kind;	   /* OPT_BIND or OPT_TMPFS */
	char *src, *dst;   /* dst inside the new root */
	int ro, file;	   /* read-only; src is not a directory */
};

struct options {
	int no_proc, no_sys, no_dev, read_only, no_pivot;
	const char *wd;
	struct user_mount *mounts;  /* --bind and --tmpfs, in their order */
	size_t n_mounts;
};

struct root {
	const char *name;  /* NEWROOT as given, for messages */
	int fd;	           /* O_PATH of the bind mount of NEWROOT */
};

/* Open TARGET in the new root, creating it as a directory (or, with FILE,
 * an empty file) if missing; return a path mount(2) can take. */
static int open_target(const struct root *r, const char *target, int file,
		       char path[32])
{
	struct cfs_err e;
	int fd;

	if (cfs_mountpoint_in_root(r->fd, r->name, target, file, &e))
		cfs_die_err(&e);
	fd = cfs_open_in_root(r->fd, r->name, target, O_PATH, &e);
	if (fd < 0)
		cfs_die_err(&e);
	cfs_fd_path(fd, path);
	return fd;
}

/* Mount SOURCE (a host path to bind), or a new TYPE filesystem, on TARGET
 * in the new root, with FLAGS (MS_*) and the filesystem's DATA. */
static void mount_in_root(const struct root *r, const char *source,
			  const char *target, const char *type,
			  unsigned long flags, const char *data, int file)
{
	struct cfs_err e;
	char path[32], name[4096];
	int fd = open_target(r, target, file, path);

	snprintf(name, sizeof(name), "%s%s", r->name, target);
	if (cfs_mount(source ? source : type, path, type, flags, data, name,
		      &e))
		cfs_die(CFS_EXIT_FAILURE, e.errnum, "mount %s on %s",
			source ? source : type, name);
	close(fd);
}

static void symlink_in_root(const struct root *r, const char *to,
			    const char *link)
{
	struct cfs_err e;
	int dev = cfs_open_in_root(r->fd, r->name, "/dev", O_PATH | O_DIRECTORY,
				   &e);

	if (dev < 0)
		cfs_die_err(&e);
	if (symlinkat(to, dev, link) < 0 && errno != EEXIST)
		cfs_die(CFS_EXIT_FAILURE, errno, "symlink %s/dev/%s", r->name,
			link);
	close(dev);
}

/* Bind host path SOURCE (recursively) on TARGET in the new root; with RO
 * every mount of it read-only, submounts too. */
static void bind_in_root(const struct root *r, const char *source,
			 const char *target, int ro, int file)
{
	struct cfs_err e;
	char path[32];
	int fd;

	mount_in_root(r, source, target, NULL, MS_BIND | MS_REC, NULL, file);
	if (!ro)
		return;
	fd = open_target(r, target, file, path); /* now the bind mount */
	if (cfs_make_readonly(path, 1, &e))
		cfs_die(CFS_EXIT_FAILURE, e.errnum, "make %s%s read-only",
			r->name, target);
	close(fd);
}

/* Mount a new TYPE filesystem on TARGET in the new root: 0 or -errno,
 * for the caller to decide on. */
static int try_mount_in_root(const struct root *r, const char *target,
			     const char *type, unsigned long flags,
			     const char *data)
{
	struct cfs_err e;
	char path[32];
	int fd = open_target(r, target, 0, path);
	int rc = cfs_mount(type, path, type, flags, data, type, &e);

	close(fd);
	return rc;
}

static void die_mount(const struct root *r, const char *what,
		      const char *target, int rc)
{
	cfs_die(CFS_EXIT_FAILURE, -rc, "mount %s on %s%s", what, r->name,
		target);
}

/* sysfs read-only: a fresh one, which shows our own network namespace's
 * devices; where the kernel refuses one (a user namespace that does not
 * own our network namespace), a recursive read-only bind of the host's. */
static void mount_sys(const struct root *r)
{
	int rc = try_mount_in_root(r, "/sys", "sysfs",
				   MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
				   NULL);

	if (rc == -EPERM)
		bind_in_root(r, "/sys", "/sys", 1, 0);
	else if (rc)
		die_mount(r, "sysfs", "/sys", rc);
}

/* A small /dev: a tmpfs with the host's harmless devices bound in, a
 * devpts of our own, shm, the message queues of our IPC namespace, and
 * the fd links. */
static void mount_dev(const struct root *r)
{
	static const char *const devices[] = { "null",	  "zero", "full",
					       "random", "urandom", "tty" };
	static const char *const links[][2] = {
		{ "pts/ptmx", "ptmx" },		 { "/proc/self/fd", "fd" },
		{ "/proc/self/fd/0", "stdin" },	 { "/proc/self/fd/1", "stdout" },
		{ "/proc/self/fd/2", "stderr" },
	};
	char host[64];
	int rc;

	mount_in_root(r, NULL, "/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME,
		      "mode=755,size=65536k", 0);
	for (size_t i = 0; i < sizeof(devices) / sizeof(*devices); i++) {
		snprintf(host, sizeof(host), "/dev/%s", devices[i]);
		mount_in_root(r, host, host, NULL, MS_BIND, NULL, 1);
	}
	/* ptys of group tty (5), where our user namespace maps that group */
	rc = try_mount_in_root(r, "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
			       "newinstance,ptmxmode=0666,mode=0620,gid=5");
	if (rc == -EINVAL)
		rc = try_mount_in_root(r, "/dev/pts", "devpts",
				       MS_NOSUID | MS_NOEXEC,
				       "newinstance,ptmxmode=0666,mode=0620");
	if (rc)
		die_mount(r, "devpts", "/dev/pts", rc);
	mount_in_root(r, NULL, "/dev/shm", "tmpfs",
		      MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k",
		      0);
	/* our IPC namespace's queues; none when it is not ours to mount
	 * (a user namespace without --ipc) */
	rc = try_mount_in_root(r, "/dev/mqueue", "mqueue",
			       MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (rc && rc != -EPERM)
		die_mount(r, "mqueue", "/dev/mqueue", rc);
	for (size_t i = 0; i < sizeof(links) / sizeof(*links); i++)
		symlink_in_root(r, links[i][0], links[i][1]);
}

static void mount_user(const struct root *r, const struct user_mount *m)
{
	if (m->kind == OPT_TMPFS)
		mount_in_root(r, NULL, m->dst, "tmpfs", MS_NOSUID | MS_NODEV,
			      "mode=755", 0);
	else
		bind_in_root(r, m->src, m->dst, m->ro, m->file);
}

/* SRC:DST[:ro] or SRC:DST:rw; checked before anything is mounted. */
static void add_mount(struct options *o, int kind, char *arg)
{
	struct user_mount m = { .kind = kind, .dst = arg };
	struct stat st;

	if (kind == OPT_BIND) {
		char *mode;
		m.src = arg;
		m.dst = strchr(arg, ':');
		if (m.dst)
			*m.dst++ = '\0';
		mode = m.dst ? strchr(m.dst, ':') : NULL;
		if (mode)
			*mode++ = '\0';
		if (!*m.src || !m.dst || !*m.dst ||
		    (mode && strcmp(mode, "ro") && strcmp(mode, "rw")))
			cfs_die(CFS_EXIT_FAILURE, 0,
				"--bind %s: not SRC:DST[:ro]", arg);
		m.ro = mode && !strcmp(mode, "ro");
		if (stat(m.src, &st) < 0)
			cfs_die(CFS_EXIT_FAILURE, errno, "--bind %s", m.src);
		m.file = !S_ISDIR(st.st_mode);
	}
	if (m.dst[0] != '/')
		cfs_die(CFS_EXIT_FAILURE, 0,
			"%s: not an absolute path in the new root", m.dst);
	o->mounts = realloc(o->mounts, (o->n_mounts + 1) * sizeof(m));
	if (!o->mounts)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "parse options");
	o->mounts[o->n_mounts++] = m;
}

static void check_newroot(const char *newroot)
{
	struct dirent *ent;
	struct stat st;
	int entries = 0;
	DIR *d;

	if (stat(newroot, &st) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "%s", newroot);
	if (!S_ISDIR(st.st_mode))
		cfs_die(CFS_EXIT_FAILURE, ENOTDIR, "%s", newroot);
	if (!(d = opendir(newroot)))
		cfs_die(CFS_EXIT_FAILURE, errno, "open %s", newroot);
	while (!entries && (ent = readdir(d)))
		entries = strcmp(ent->d_name, ".") && strcmp(ent->d_name, "..");
	closedir(d);
	if (!entries)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"%s: is empty (make one with cfs-mkrootfs %s)", newroot,
			newroot);
}

static void enter_root(const struct options *o, const struct root *r)
{
	struct cfs_err e;

	if (fchdir(r->fd) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "chdir %s", r->name);
	if (o->no_pivot) {
		if (cfs_mount(".", "/", NULL, MS_MOVE, NULL, r->name, &e))
			cfs_die_err(&e);
		if (chroot(".") < 0)
			cfs_die(CFS_EXIT_FAILURE, errno, "chroot %s", r->name);
	} else {
		/* The old root ends up stacked on the new one, at "." */
		if (syscall(SYS_pivot_root, ".", ".") < 0)
			cfs_die(CFS_EXIT_FAILURE, errno, "pivot_root %s",
				r->name);
		if (cfs_umount_lazy(".", &e))
			cfs_die(CFS_EXIT_FAILURE, e.errnum,
				"unmount the old root");
	}
	if (chdir("/") < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "chdir / in %s", r->name);
	if (o->wd && chdir(o->wd) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "chdir %s (in %s)", o->wd,
			r->name);
}

int main(int argc, const char **argv)
{
	struct options o = { 0 };
	struct poptOption options[] = {
		{ "no-proc", 0, POPT_ARG_NONE, &o.no_proc, 0,
		  "do not mount a new proc on /proc", NULL },
		{ "no-sys", 0, POPT_ARG_NONE, &o.no_sys, 0,
		  "do not mount sysfs on /sys", NULL },
		{ "no-dev", 0, POPT_ARG_NONE, &o.no_dev, 0,
		  "do not mount a new /dev", NULL },
		{ "read-only", 0, POPT_ARG_NONE, &o.read_only, 0,
		  "mount the new root read-only", NULL },
		{ "bind", 0, POPT_ARG_STRING, NULL, OPT_BIND,
		  "bind-mount host path SRC on DST in the new root "
		  "(read-only with :ro); repeatable", "SRC:DST[:ro]" },
		{ "tmpfs", 0, POPT_ARG_STRING, NULL, OPT_TMPFS,
		  "mount a new tmpfs on DST in the new root; repeatable", "DST" },
		{ "wd", 0, POPT_ARG_STRING, &o.wd, 0,
		  "working directory in the new root (default /)", "DIR" },
		{ "no-pivot", 0, POPT_ARG_NONE, &o.no_pivot, 0,
		  "move the root with MS_MOVE and chroot instead of "
		  "pivot_root (for an initramfs root)", NULL },
		CFS_OPTS_VERSION,
		POPT_AUTOHELP POPT_TABLEEND
	};
	poptContext ctx = cfs_popt_context(argc, argv, options);
	static const char *sh[] = { "/bin/sh", NULL };
	struct root r;
	struct cfs_err e;
	const char **args;
	int rc;

	poptSetOtherOptionHelp(ctx, "[OPTION...] NEWROOT [--] [PROGRAM [ARG...]]");
	while ((rc = poptGetNextOpt(ctx)) > 0) {
		if (rc == CFS_OPT_VERSION)
			cfs_print_version();
		add_mount(&o, rc, poptGetOptArg(ctx));
	}
	cfs_popt_check(ctx, rc);
	args = cfs_popt_args(ctx);
	if (!args[0])
		cfs_usage_error("no NEWROOT given");
	r.name = *args++;
	if (args[0] && !strcmp(args[0], "--"))
		args++;
	if (!args[0])
		args = sh;

	capng_get_caps_process();
	if (!capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_ADMIN))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"mounting needs CAP_SYS_ADMIN: run as root, or in a user "
			"namespace (cfs-unshare --user --map-root-user)");
	check_newroot(r.name);

	/* Never pivot, mount over or change propagation in the host's. */
	if (cfs_ns_is_hosts("mnt") && unshare(CLONE_NEWNS) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "unshare mount");
	if (cfs_mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL, "propagation",
		      &e))
		cfs_die_err(&e);
	if (cfs_mount(r.name, r.name, NULL, MS_BIND | MS_REC, NULL, r.name, &e))
		cfs_die_err(&e);
	r.fd = open(r.name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r.fd < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "open %s", r.name);

	if (!o.no_proc)
		mount_in_root(&r, NULL, "/proc", "proc",
			      MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0);
	if (!o.no_sys)
		mount_sys(&r);
	if (!o.no_dev)
		mount_dev(&r);
	for (size_t i = 0; i < o.n_mounts; i++)
		mount_user(&r, &o.mounts[i]);
	if (o.read_only) {
		char path[32];
		if (cfs_make_readonly(cfs_fd_path(r.fd, path), 0, &e))
			cfs_die(CFS_EXIT_FAILURE, e.errnum,
				"remount %s read-only", r.name);
	}

	enter_root(&o, &r);
	close(r.fd);
	cfs_exec_in(r.name, args);
}
