/* cfs-pivot: make a directory the root of a container, and run a program
 * in it, with no more privilege than docker's default gives one.
 *
 *   cfs-pivot [options] NEWROOT [--] [PROGRAM [ARG...]]
 *   cfs-pivot [options] --overlay LOWER[:LOWER...] [--] [PROGRAM [ARG...]]
 *
 * What runc and crun do, in this order: a mount namespace of our own when
 * we are still in the host's; / made recursively private so that nothing
 * propagates back; NEWROOT bind-mounted on itself, nodev; proc, sysfs, a
 * small /dev, the user's --bind and --tmpfs mounts, all with their targets
 * resolved inside NEWROOT; the kernel's windows in /proc and /sys masked
 * or read-only; a new session; pivot_root(".", "."), a lazy unmount of the
 * old root; then a fresh session keyring, the resource limits,
 * no_new_privs, the seccomp filter, the user and the capability sets; exec
 * PROGRAM (default /bin/sh of the new root). */
#define _GNU_SOURCE
#include <linux/capability.h>
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

#include "caps.h"
#include "err.h"
#include "exec.h"
#include "imageconf.h"
#include "mount.h"
#include "ns.h"
#include "opts.h"
#include "overlay.h"
#include "parse.h"
#include "path.h"
#include "privs.h"

/* runc's lists: what a container may not read, and may not write */
static const char *const masked_paths[] = {
	"/proc/acpi",	      "/proc/kcore",	   "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug",  "/proc/scsi",	   "/sys/firmware",
	"/sys/devices/virtual/powercap",
};
static const char *const readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

enum { OPT_BIND = 1, OPT_TMPFS, OPT_CAP_ADD, OPT_CAP_DROP, OPT_RLIMIT };

struct user_mount {
	int kind;	   /* OPT_BIND or OPT_TMPFS */
	char *src, *dst;   /* dst inside the new root */
	int ro, file;	   /* read-only; src is not a directory */
	int device;	   /* src is a device node */
};

struct options {
	int no_proc, no_sys, no_dev, read_only, no_pivot;
	const char *wd;
	struct user_mount *mounts;  /* --bind and --tmpfs, in their order */
	size_t n_mounts;
	struct cfs_privs privs;	    /* what the container keeps */
	const char *seccomp_file;
	int no_seccomp, no_mask_paths, allow_dev, keep_session, print_config;
	const char *overlay, *overlay_size; /* --overlay LOWER[:LOWER...] */
	struct cfs_overlay ov;		    /* its layers; --upper in .upper */
	const char *image_config; /* --image-config ("": the default file) */
};

struct root {
	const char *name;  /* NEWROOT as given, for messages */
	int fd;	           /* O_PATH of the bind mount of NEWROOT */
	unsigned masked, readonly; /* bit i: masked_paths[i] and
				      readonly_paths[i] done */
};

/* Open TARGET in the new root, creating it as a directory (or, with FILE,
 * an empty file) if missing; return a path mount(2) can take. */
static int open_target(const struct root *r, const char *target, int file,
		       char path[32])
{
	struct cfs_err e;
	int fd = cfs_open_mountpoint_in_root(r->fd, r->name, target, file, &e);

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

/* Set ATTRS (MOUNT_ATTR_RDONLY, MOUNT_ATTR_NODEV) on the mount at TARGET
 * in the new root and every mount below it. */
static void restrict_in_root(const struct root *r, const char *target,
			     unsigned attrs)
{
	struct cfs_err e;
	char path[32];
	int fd = cfs_open_in_root(r->fd, r->name, target, O_PATH, &e);

	if (fd < 0)
		cfs_die_err(&e);
	if (cfs_mount_setattr(cfs_fd_path(fd, path), 1, attrs, &e))
		cfs_die(CFS_EXIT_FAILURE, e.errnum, "restrict %s%s", r->name,
			target);
	close(fd);
}

/* Bind host path SOURCE (recursively) on TARGET in the new root, and set
 * ATTRS on every mount of it. */
static void bind_in_root(const struct root *r, const char *source,
			 const char *target, unsigned attrs, int file)
{
	mount_in_root(r, source, target, NULL, MS_BIND | MS_REC, NULL, file);
	if (attrs)
		restrict_in_root(r, target, attrs);
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
		bind_in_root(r, "/sys", "/sys",
			     MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV, 0);
	else if (rc)
		die_mount(r, "sysfs", "/sys", rc);
}

/* NAME, made in the /dev tmpfs DEV as a file, a directory or a symlink
 * to TO; returns the path to mount on it. The tmpfs is the one we have
 * just mounted: nothing in the container can have put a symlink in it,
 * so it is used through its fd, with no openat2 for each name. */
static const char *make_in_dev(const struct root *r, int dev,
			       const char *name, mode_t type, const char *to,
			       char at[64])
{
	int rc = S_ISDIR(type)	 ? mkdirat(dev, name, 0755)
		 : S_ISLNK(type) ? symlinkat(to, dev, name)
				 : mknodat(dev, name, S_IFREG | 0644, 0);

	if (rc < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "create %s/dev/%s", r->name,
			name);
	snprintf(at, 64, "/proc/self/fd/%d/%s", dev, name);
	return at;
}

/* A small /dev: a tmpfs with the host's harmless devices bound in, a
 * devpts of our own, shm, the message queues of our IPC namespace, and
 * the fd links. The tmpfs is nodev, unless ALLOW_DEV: a node mknod makes
 * in it cannot be opened; the bound devices are mounts of their own. */
static void mount_dev(const struct root *r, int allow_dev)
{
	static const char *const devices[] = { "null",	  "zero", "full",
					       "random", "urandom", "tty" };
	static const char *const links[][2] = {
		{ "pts/ptmx", "ptmx" },		 { "/proc/self/fd", "fd" },
		{ "/proc/self/fd/0", "stdin" },	 { "/proc/self/fd/1", "stdout" },
		{ "/proc/self/fd/2", "stderr" },
	};
	struct cfs_err e;
	char host[64], at[64];
	int dev, rc;

	mount_in_root(r, NULL, "/dev", "tmpfs",
		      MS_NOSUID | MS_STRICTATIME | (allow_dev ? 0 : MS_NODEV),
		      "mode=755,size=65536k", 0);
	dev = cfs_open_in_root(r->fd, r->name, "/dev", O_PATH | O_DIRECTORY, &e);
	if (dev < 0)
		cfs_die_err(&e);
	for (size_t i = 0; i < sizeof(devices) / sizeof(*devices); i++) {
		snprintf(host, sizeof(host), "/dev/%s", devices[i]);
		if ((rc = cfs_mount(host, make_in_dev(r, dev, devices[i],
						      S_IFREG, NULL, at),
				    NULL, MS_BIND, NULL, host, &e)))
			die_mount(r, host, host, rc);
	}
	/* ptys of group tty (5), where our user namespace maps that group */
	make_in_dev(r, dev, "pts", S_IFDIR, NULL, at);
	rc = cfs_mount("devpts", at, "devpts", MS_NOSUID | MS_NOEXEC,
		       "newinstance,ptmxmode=0666,mode=0620,gid=5", "devpts", &e);
	if (rc == -EINVAL)
		rc = cfs_mount("devpts", at, "devpts", MS_NOSUID | MS_NOEXEC,
			       "newinstance,ptmxmode=0666,mode=0620", "devpts",
			       &e);
	if (rc)
		die_mount(r, "devpts", "/dev/pts", rc);
	if ((rc = cfs_mount("tmpfs", make_in_dev(r, dev, "shm", S_IFDIR, NULL, at),
			    "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			    "mode=1777,size=65536k", "tmpfs", &e)))
		die_mount(r, "tmpfs", "/dev/shm", rc);
	/* our IPC namespace's queues; none when it is not ours to mount
	 * (a user namespace without --ipc) */
	rc = cfs_mount("mqueue", make_in_dev(r, dev, "mqueue", S_IFDIR, NULL, at),
		       "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, "mqueue",
		       &e);
	if (rc && rc != -EPERM)
		die_mount(r, "mqueue", "/dev/mqueue", rc);
	for (size_t i = 0; i < sizeof(links) / sizeof(*links); i++)
		make_in_dev(r, dev, links[i][1], S_IFLNK, links[i][0], at);
	close(dev);
}

/* A --tmpfs, or a --bind: nodev unless it binds a device itself (or
 * ALLOW_DEV), read-only with :ro. */
static void mount_user(const struct root *r, const struct user_mount *m,
		       int allow_dev)
{
	if (m->kind == OPT_TMPFS)
		mount_in_root(r, NULL, m->dst, "tmpfs", MS_NOSUID | MS_NODEV,
			      "mode=755", 0);
	else
		bind_in_root(r, m->src, m->dst,
			     (m->ro ? MOUNT_ATTR_RDONLY : 0) |
				     (m->device || allow_dev ? 0
							     : MOUNT_ATTR_NODEV),
			     m->file);
}

/* runc's masked paths: an empty read-only tmpfs on a directory, the
 * host's /dev/null on a file; and its read-only paths, bound read-only on
 * themselves. What the kernel does not have is skipped, never made. */
/* P, a path of /proc or /sys that we mount, opened O_PATH in the new
 * root; -1 where the kernel has no such path (skipped, never made). */
static int open_kernel_path(const struct options *o, const struct root *r,
			    const char *p, struct stat *st)
{
	struct cfs_err e;
	int fd;

	if ((o->no_proc && !strncmp(p, "/proc/", 6)) ||
	    (o->no_sys && !strncmp(p, "/sys/", 5)))
		return -1;
	fd = cfs_open_in_root(r->fd, r->name, p, O_PATH, &e);
	if (fd == -ENOENT)
		return -1;
	if (fd < 0 || fstat(fd, st) < 0)
		cfs_die(CFS_EXIT_FAILURE, fd < 0 ? -fd : errno, "mask %s%s",
			r->name, p);
	return fd;
}

static void mask_paths(const struct options *o, struct root *r)
{
	struct cfs_err e;
	struct stat st;
	char self[32], empty[32];
	int fd, rc, empty_fd = -1;

	/* one empty read-only tmpfs, on the first directory, bound on the
	 * others: a superblock less each */
	for (size_t i = 0; i < sizeof(masked_paths) / sizeof(*masked_paths); i++) {
		const char *p = masked_paths[i];

		if ((fd = open_kernel_path(o, r, p, &st)) < 0)
			continue;
		cfs_fd_path(fd, self);
		if (!S_ISDIR(st.st_mode))
			rc = cfs_mount("/dev/null", self, NULL, MS_BIND, NULL,
				       "/dev/null", &e);
		else if (empty_fd >= 0)
			rc = cfs_mount(empty, self, NULL, MS_BIND, NULL,
				       "an empty tmpfs", &e);
		else
			rc = cfs_mount("tmpfs", self, "tmpfs", MS_RDONLY |
				       MS_NOSUID | MS_NODEV | MS_NOEXEC,
				       "size=0,mode=555", "tmpfs", &e);
		if (rc)
			cfs_die(CFS_EXIT_FAILURE, e.errnum, "mask %s%s",
				r->name, p);
		if (S_ISDIR(st.st_mode) && empty_fd < 0) {
			/* the tmpfs just mounted, for the next directories */
			empty_fd = cfs_open_in_root(r->fd, r->name, p, O_PATH, &e);
			if (empty_fd < 0)
				cfs_die_err(&e);
			cfs_fd_path(empty_fd, empty);
		}
		close(fd);
		r->masked |= 1u << i;
	}
	if (empty_fd >= 0)
		close(empty_fd);
	/* each bound on itself, then made read-only */
	for (size_t i = 0; i < sizeof(readonly_paths) / sizeof(*readonly_paths);
	     i++) {
		const char *p = readonly_paths[i];

		if ((fd = open_kernel_path(o, r, p, &st)) < 0)
			continue;
		cfs_fd_path(fd, self);
		if (cfs_mount(self, self, NULL, MS_BIND | MS_REC, NULL, p, &e))
			cfs_die(CFS_EXIT_FAILURE, e.errnum, "bind %s%s on "
				"itself", r->name, p);
		close(fd);
		restrict_in_root(r, p, MOUNT_ATTR_RDONLY);
		r->readonly |= 1u << i;
	}
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
		m.device = S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode);
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

/* The paths of LIST whose bit is set in DONE, a space between each */
static void print_paths(const char *const *list, size_t n, unsigned done)
{
	const char *sep = "";

	for (size_t i = 0; i < n; i++)
		if (done & 1u << i) {
			printf("%s%s", sep, list[i]);
			sep = " ";
		}
}

/* --print-config: what the program would have got, with the keys of
 * /proc/self/status for what it shows too. */
static void print_config(struct options *o, const struct root *r)
{
	struct cfs_err e;

	if (cfs_privs_print(&o->privs, stdout, &e))
		cfs_die_err(&e);
	printf("Session:\t%s\n", o->keep_session ? "kept" : "new");
	printf("Masked:\t");
	print_paths(masked_paths, sizeof(masked_paths) / sizeof(*masked_paths),
		    r->masked);
	printf("\nReadonly:\t");
	print_paths(readonly_paths,
		    sizeof(readonly_paths) / sizeof(*readonly_paths), r->readonly);
	printf("\nNodev:\t%s\n", o->allow_dev ? "no" : "yes");
	exit(fflush(stdout) ? CFS_EXIT_FAILURE : 0);
}

/* Root in the container owns what it writes to the new root, a host
 * directory: a setuid-root file it leaves there is one for any host user
 * who can reach it. Docker keeps its layers under a 0700 directory; we
 * say so when the directory the container writes to is open to all.
 * Not in a user namespace of our own, where root is not the host's. */
static void warn_if_open_to_all(const struct options *o, const char *newroot)
{
	const char *written = o->overlay ? o->ov.upper : newroot;

	if (!written || (o->read_only && !o->overlay) ||
	    !cfs_in_initial_userns() || cfs_path_open_to_all(written) != 1)
		return;
	cfs_warn(0, "warning: %s can be reached by every host user: a setuid "
		 "file that root in the container leaves there would run as "
		 "root for any of them (keep it under a 0700 directory)",
		 written);
}

/* --cap-add, --cap-drop in their order; --rlimit */
static void add_option(struct options *o, int opt, const char *arg)
{
	char err[128];

	if (opt == OPT_RLIMIT && cfs_privs_rlimit(&o->privs, arg, err))
		cfs_usage_error("--rlimit %s", err);
	if (opt != OPT_RLIMIT &&
	    cfs_privs_cap(&o->privs, opt == OPT_CAP_ADD, arg))
		cfs_usage_error("%s %s: not a capability (capabilities(7): "
				"CAP_NET_ADMIN, net_admin, ALL...)",
				opt == OPT_CAP_ADD ? "--cap-add" : "--cap-drop",
				arg);
}

/* --overlay, --upper, --overlay-size: the layers; the top one's path,
 * where the overlay is mounted, names the new root. */
static const char *overlay_options(struct options *o)
{
	struct cfs_err e;

	if (o->ov.upper && o->overlay_size)
		cfs_usage_error("--overlay-size bounds the tmpfs used without "
				"--upper");
	if (cfs_overlay_split(o->overlay, &o->ov.lowers, &e) < 0)
		cfs_usage_error("--overlay %s: an empty layer", o->overlay);
	if (o->overlay_size && (cfs_parse_size(o->overlay_size, 1LL << 50,
					       &o->ov.size) < 0 ||
				!o->ov.size))
		cfs_usage_error("--overlay-size %s: not a size", o->overlay_size);
	return o->ov.lowers[0];
}

/* --image-config: the image's env on top of ours, its entrypoint and cmd
 * around ARGS, its working directory unless --wd; its user for --user. */
static const char **apply_image_config(struct options *o, const struct root *r,
				       const char **args)
{
	const char *file = *o->image_config ? o->image_config : CFS_IMAGE_CONFIG;
	struct cfs_image_config c;
	struct cfs_err e;

	if (cfs_image_config_read(r->fd, r->name, file, &c, &e))
		cfs_die_err(&e);
	for (size_t i = 0; c.env && c.env[i]; i++)
		if (putenv(c.env[i]) < 0)
			cfs_die(CFS_EXIT_FAILURE, errno, "set %s", c.env[i]);
	if (!o->wd)
		o->wd = c.workdir;
	if (!o->privs.user)
		o->privs.user = c.user;
	if (!(args = cfs_image_config_argv(&c, args)))
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "apply %s%s", r->name, file);
	return args;
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
		{ "cap-add", 0, POPT_ARG_STRING, NULL, OPT_CAP_ADD,
		  "keep capability CAP too (or ALL); repeatable", "CAP" },
		{ "cap-drop", 0, POPT_ARG_STRING, NULL, OPT_CAP_DROP,
		  "drop capability CAP (or ALL); repeatable", "CAP" },
		{ "user", 0, POPT_ARG_STRING, &o.privs.user, 0,
		  "run PROGRAM as USER (a name or number of the new root), "
		  "with no capability but those of --cap-add", "USER[:GROUP]" },
		{ "groups", 0, POPT_ARG_STRING, &o.privs.groups, 0,
		  "supplementary groups of PROGRAM (default none)",
		  "G1,G2..." },
		{ "allow-new-privs", 0, POPT_ARG_NONE, &o.privs.allow_new_privs, 0,
		  "do not set no_new_privs: setuid programs work", NULL },
		{ "seccomp", 0, POPT_ARG_STRING, &o.seccomp_file, 0,
		  "load the seccomp profile FILE instead of the default",
		  "FILE" },
		{ "no-seccomp", 0, POPT_ARG_NONE, &o.no_seccomp, 0,
		  "load no seccomp filter", NULL },
		{ "no-mask-paths", 0, POPT_ARG_NONE, &o.no_mask_paths, 0,
		  "leave /proc and /sys unmasked and writable where the "
		  "kernel allows", NULL },
		{ "allow-dev", 0, POPT_ARG_NONE, &o.allow_dev, 0,
		  "let device nodes in the new root and its mounts be "
		  "opened (they are mounted nodev)", NULL },
		{ "keep-session", 0, POPT_ARG_NONE, &o.keep_session, 0,
		  "run PROGRAM in our session, with our terminal", NULL },
		{ "rlimit", 0, POPT_ARG_STRING, NULL, OPT_RLIMIT,
		  "set a resource limit (setrlimit(2)); repeatable",
		  "NAME=SOFT[:HARD]" },
		{ "print-config", 0, POPT_ARG_NONE, &o.print_config, 0,
		  "do everything but run PROGRAM: print what it would get",
		  NULL },
		{ "overlay", 0, POPT_ARG_STRING, &o.overlay, 0,
		  "the new root: an overlay of these read-only layers (leftmost "
		  "on top), in place of NEWROOT", "LOWER[:LOWER...]" },
		{ "upper", 0, POPT_ARG_STRING, &o.ov.upper, 0,
		  "keep the overlay's writes in DIR (default: a tmpfs that goes "
		  "with the container)", "DIR" },
		{ "overlay-size", 0, POPT_ARG_STRING, &o.overlay_size, 0,
		  "bound the overlay's tmpfs to SIZE bytes (K, M, G suffixes)",
		  "SIZE" },
		{ "image-config", 0, POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL,
		  &o.image_config, 0,
		  "apply the image's env, program and working directory from "
		  "FILE in the new root (default " CFS_IMAGE_CONFIG ")", "FILE" },
		CFS_OPTS_VERSION,
		POPT_AUTOHELP POPT_TABLEEND
	};
	poptContext ctx = cfs_popt_context(argc, argv, options);
	static const char *sh[] = { "/bin/sh", NULL };
	struct root r = { 0 };
	struct cfs_err e;
	const char **args;
	int rc;

	cfs_privs_init(&o.privs);
	poptSetOtherOptionHelp(ctx, "[OPTION...] NEWROOT|--overlay LOWER[:LOWER...] "
				    "[--] [PROGRAM [ARG...]]");
	while ((rc = poptGetNextOpt(ctx)) > 0) {
		if (rc == CFS_OPT_VERSION)
			cfs_print_version();
		else if (rc == OPT_BIND || rc == OPT_TMPFS)
			add_mount(&o, rc, poptGetOptArg(ctx));
		else
			add_option(&o, rc, poptGetOptArg(ctx));
	}
	cfs_popt_check(ctx, rc);
	args = cfs_popt_args(ctx);
	if (!o.overlay && (o.ov.upper || o.overlay_size))
		cfs_usage_error("--upper and --overlay-size need --overlay");
	if (!args[0] && !o.overlay)
		cfs_usage_error("no NEWROOT given");
	if (o.seccomp_file && o.no_seccomp)
		cfs_usage_error("--seccomp and --no-seccomp: choose one");
	r.name = o.overlay ? overlay_options(&o) : *args++;
	if (args[0] && !strcmp(args[0], "--"))
		args++;

	if (!cfs_caps_effective(CAP_SYS_ADMIN))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"mounting needs CAP_SYS_ADMIN: run as root, or in a user "
			"namespace (cfs-unshare --user --map-root-user)");
	if (!o.overlay)
		check_newroot(r.name);
	if ((o.no_seccomp || o.seccomp_file) &&
	    cfs_privs_profile(&o.privs, o.seccomp_file, &e))
		cfs_die_err(&e);

	/* Never pivot, mount over or change propagation in the host's. */
	if (cfs_ns_is_hosts("mnt") && unshare(CLONE_NEWNS) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "unshare mount");
	if (cfs_mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL, "propagation",
		      &e))
		cfs_die_err(&e);
	if (o.overlay && cfs_overlay_mount(&o.ov, &e))
		cfs_die_err(&e);
	if (cfs_mount(r.name, r.name, NULL, MS_BIND | MS_REC, NULL, r.name, &e))
		cfs_die_err(&e);
	r.fd = open(r.name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r.fd < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "open %s", r.name);
	if (!o.allow_dev) {
		char path[32];
		if (cfs_mount_setattr(cfs_fd_path(r.fd, path), 1,
				      MOUNT_ATTR_NODEV, &e))
			cfs_die(CFS_EXIT_FAILURE, e.errnum, "make %s nodev",
				r.name);
	}

	if (!o.no_proc)
		mount_in_root(&r, NULL, "/proc", "proc",
			      MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0);
	if (!o.no_sys)
		mount_sys(&r);
	if (!o.no_dev)
		mount_dev(&r, o.allow_dev);
	for (size_t i = 0; i < o.n_mounts; i++)
		mount_user(&r, &o.mounts[i], o.allow_dev);
	if (!o.no_mask_paths)
		mask_paths(&o, &r);
	if (o.read_only) {
		char path[32];
		if (cfs_mount_setattr(cfs_fd_path(r.fd, path), 0,
				      MOUNT_ATTR_RDONLY, &e))
			cfs_die(CFS_EXIT_FAILURE, e.errnum,
				"remount %s read-only", r.name);
	}
	if (!o.keep_session)
		cfs_new_session();

	if (o.image_config)
		args = apply_image_config(&o, &r, args);
	if (!args[0])
		args = sh;
	warn_if_open_to_all(&o, r.name);
	enter_root(&o, &r);
	close(r.fd);
	if (cfs_privs_drop(&o.privs, &e))
		cfs_die_err(&e);
	if (o.print_config)
		print_config(&o, &r);
	cfs_exec_in(r.name, args);
}
