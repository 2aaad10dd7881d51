/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfs-pivot: make a directory the root of a container, and run a program
 * in it, with no more privilege than docker's default gives one.
 *
 *   cfs-pivot [options] NEWROOT [--] [PROGRAM [ARG...]]
 *   cfs-pivot [options] --overlay LOWER[:LOWER...] [--] [PROGRAM [ARG...]]
 *
 * What runc and crun do, in this order: a mount namespace of our own when
 * we are still in the host's; / made recursively private so that nothing
 * propagates back; NEWROOT bind-mounted on itself, nodev; proc and sysfs
 * on ordinary directories, a small /dev of nodes of our own, the user's
 * --bind and --tmpfs mounts, all with their targets resolved inside
 * NEWROOT; the kernel's windows in /proc and /sys masked or read-only,
 * looked up from the proc and sysfs we made. Each mount is made detached,
 * given its flags, then attached on a target opened once. A new session;
 * pivot_root(".", "."), a lazy unmount of the old root; the environment
 * and fds PROGRAM gets; then a fresh session keyring, the resource
 * limits, no_new_privs, the user and the capability sets, and the
 * seccomp filter last (before the user and capabilities without
 * no_new_privs); exec PROGRAM (default /bin/sh of the new root). */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/msg.h"
#include "common/opts-env.h"
#include "common/opts.h"
#include "cgroup/cgroup.h"
#include "core/parse.h"
#include "core/path.h"
#include "fs/copy.h"
#include "fs/mount.h"
#include "fs/mountinfo.h"
#include "image/imageconf.h"
#include "image/overlay.h"
#include "ns/ns.h"
#include "process/env.h"
#include "process/exec.h"
#include "process/hooks.h"
#include "process/pty.h"
#include "sandbox/caps.h"
#include "sandbox/privs.h"
#include "sandbox/user.h"

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

enum { OPT_BIND = 1, OPT_TMPFS, OPT_CAP_ADD, OPT_CAP_DROP, OPT_RLIMIT,
       OPT_MASK, OPT_READONLY, OPT_SYSCTL, OPT_DEVICE };

/* A list of paths to mask or make read-only, and which were done */
struct paths {
	const char **v;
	size_t n;
	unsigned char *done;
};

/* --device: a node made in the new root */
struct device {
	const char *path;
	mode_t type, mode;  /* S_IFCHR, S_IFBLK or S_IFIFO; the permissions */
	dev_t rdev;
	uid_t uid;
	gid_t gid;
};

struct user_mount {
	int kind;	   /* OPT_BIND or OPT_TMPFS */
	char *src, *dst;   /* dst inside the new root */
	int ro, file;	   /* read-only; src is not a directory */
	int device;	   /* src is a device node */
	char data[128];	   /* a tmpfs's options, for fsconfig */
	unsigned attrs;	   /* a tmpfs's or bind's MOUNT_ATTR_* */
	int copyup;	   /* a tmpfs filled with what DST held */
	unsigned long propagation; /* MS_SHARED..., MS_REC: its mounts too */
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
	char **image_env;	  /* its Env, NULL-terminated, or NULL */
	struct cfs_opts_env envopts; /* --setenv... --preserve-fds */
	int listen_fds;
	int tty;		     /* --tty, or --console-socket */
	const char *console_socket;
	const char *console_size;    /* --console-size ROWSxCOLS, or NULL */
	struct cfs_pty_size size;    /* it parsed: 0x0 copy ours */
	int tty_sock;		     /* where the pty's master goes */
	const char *exec_fifo; /* --exec-fifo: opened O_PATH at the start */
	const char *oom_score_adj, *umask; /* as given, or NULL */
	int fifo, ready_fd;    /* its fd, or -1; --ready-fd, or -1 */
	struct paths masked, readonly; /* runc's lists, or --mask-path and
					  --readonly-path */
	int paths_given;
	const char **sysctl;   /* --sysctl NAME=VALUE */
	size_t n_sysctl;
	struct device *devices;
	size_t n_devices;
	const char *propagation; /* --propagation */
	unsigned long prop_flags;
	const char *cgroupfs;	 /* --cgroupfs NAME, or NULL */
	char cgroup_path[CFS_CGROUP_NAME_MAX + 16]; /* its cgroup's path */
	int cgroupfs_rw;
	const char *hooks_file;	 /* --hooks */
	json_t *hooks;		 /* its JSON, or NULL */
	char *state;		 /* its state, the hooks' stdin */
	int fifo_w;		 /* the exec fifo, open for writing through
				    startContainer's hooks, or -1 */
};

struct root {
	const char *name;  /* NEWROOT as given, for messages */
	int fd;	           /* the bind mount of NEWROOT (its mount fd) */
	int proc, sys, dev; /* the fds of our proc, sysfs and /dev tmpfs
			       mounts, or -1 */
	int empty;	   /* the first directory mask, an empty tmpfs, or -1 */
};

/* Attach the detached mount MNT (-errno: the error making it) on TARGET,
 * PATH in the new root, naming WHAT in a message; close TARGET. */
static void attach(const struct root *r, int mnt, int target,
		   const char *what, const char *path, struct cfs_err *e)
{
	if (mnt < 0 || cfs_mount_move(mnt, target, e))
		cfs_die_in(e, "mount %s on %s%s", what, r->name, path);
	close(target);
}

/* TARGET in the new root, opened O_PATH to mount on: made if missing, as
 * a directory, or with FILE an empty file; symlinks in it are followed,
 * inside the new root. */
static int open_target(const struct root *r, const char *target, int file)
{
	struct cfs_err e;
	int fd = cfs_open_mountpoint_in_root(r->fd, r->name, target, file, &e);

	if (fd < 0)
		cfs_die_err(&e);
	return fd;
}

/* /proc, /sys or /dev (PATH) of the new root, to mount TYPE on: an
 * ordinary directory, made if missing; a symlink anywhere in it, a file,
 * a FIFO are refused, as runc refuses them (CVE-2019-16884 and
 * CVE-2019-19921): a symlink would move the mount somewhere the masks
 * and the paths the container expects do not follow. */
static int open_kernel_target(const struct root *r, const char *path,
			      const char *type)
{
	struct cfs_err e;
	int fd = cfs_open_dir_in_root(r->fd, r->name, path, &e);

	if (fd == -ELOOP || fd == -ENOTDIR)
		cfs_die(CFS_EXIT_FAILURE, 0, "mount %s on %s: refused", type,
			e.msg);
	if (fd < 0)
		cfs_die_err(&e);
	return fd;
}

/* A bind of our /dev/null (the host's, read-only, without a /dev of
 * ours) for a mask on a file: read-only, so that chmod or chown through
 * it changes nothing. */
static int null_for_mask(const struct root *r, struct cfs_err *e)
{
	if (r->dev >= 0)
		return cfs_mount_clone(r->dev, "null", 0, MOUNT_ATTR_RDONLY, e);
	return cfs_mount_clone(AT_FDCWD, "/dev/null", 0, MOUNT_ATTR_RDONLY, e);
}

/* PATH of a mask or a read-only path opened O_PATH: under /proc/ or
 * /sys/, looked up from the proc or sysfs we mounted, with no symlink
 * followed (what the kernel's filesystems have is where it is); anywhere
 * else, in the new root, its symlinks followed inside it, as runc's
 * securejoin does. An fd or -errno. */
static int open_to_mask(const struct root *r, const char *p)
{
	if (r->proc >= 0 && !strncmp(p, "/proc/", 6))
		return cfs_open_no_symlinks(r->proc, p + 6, O_PATH);
	if (r->sys >= 0 && !strncmp(p, "/sys/", 5))
		return cfs_open_no_symlinks(r->sys, p + 5, O_PATH);
	return cfs_openat_in_root(r->fd, p, O_PATH);
}

/* The masked and read-only paths (runc's lists, or --mask-path and
 * --readonly-path): what is missing is skipped, never made; what is
 * there is masked, or we fail. A directory is masked by an empty
 * read-only tmpfs (one, bound on the others: a superblock less each),
 * anything else by a read-only bind of /dev/null; a read-only path is
 * bound on itself, read-only. */
static void mask_paths(struct root *r, struct options *o)
{
	struct cfs_err e;
	struct stat st;
	int fd, src;

	for (size_t i = 0; i < o->masked.n; i++) {
		const char *p = o->masked.v[i];

		if ((fd = open_to_mask(r, p)) == -ENOENT)
			continue;
		if (fd < 0 || fstat(fd, &st) < 0)
			cfs_die(CFS_EXIT_FAILURE, fd < 0 ? -fd : errno,
				"mask %s%s", r->name, p);
		if (!S_ISDIR(st.st_mode))
			src = null_for_mask(r, &e);
		else if (r->empty >= 0)
			src = cfs_mount_clone(r->empty, "", 0, 0, &e);
		else
			src = r->empty = cfs_fs_new("tmpfs", "ro,size=0,mode=555",
						    MOUNT_ATTR_RDONLY |
						    MOUNT_ATTR_NOSUID |
						    MOUNT_ATTR_NODEV |
						    MOUNT_ATTR_NOEXEC, &e);
		if (src < 0 || cfs_mount_move(src, fd, &e))
			cfs_die_in(&e, "mask %s%s", r->name, p);
		if (src != r->empty)
			close(src);
		close(fd);
		o->masked.done[i] = 1;
	}
	for (size_t i = 0; i < o->readonly.n; i++) {
		const char *p = o->readonly.v[i];

		if ((fd = open_to_mask(r, p)) == -ENOENT)
			continue;
		if (fd < 0 ||
		    (src = cfs_mount_clone(fd, "", 1, MOUNT_ATTR_RDONLY, &e)) < 0 ||
		    cfs_mount_move(src, fd, &e))
			cfs_die(CFS_EXIT_FAILURE, fd < 0 ? -fd : e.errnum,
				"make %s%s read-only", r->name, p);
		close(src);
		close(fd);
		o->readonly.done[i] = 1;
	}
}

/* --mask-path, --readonly-path: absolute paths; the first one given
 * drops runc's lists, both. */
static void add_path(struct options *o, int opt, const char *arg)
{
	struct paths *l = opt == OPT_MASK ? &o->masked : &o->readonly;

	if (*arg != '/')
		cfs_usage_error("%s %s: not an absolute path in the new root",
				opt == OPT_MASK ? "--mask-path" :
				"--readonly-path", arg);
	if (!o->paths_given) {
		o->masked.n = o->readonly.n = 0;
		o->masked.v = o->readonly.v = NULL;
		o->paths_given = 1;
	}
	if (!(l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v))))
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "parse options");
	l->v[l->n++] = arg;
}

/* The namespace a sysctl NAME belongs to, as runc's validation has it:
 * the System V IPC and message queue ones the IPC namespace's, net.* the
 * network namespace's, the host and domain names the UTS namespace's;
 * NULL for one that is the host's, whatever namespaces we are in. */
static const char *sysctl_namespace(const char *name)
{
	static const char *const ipc[] = {
		"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
		"kernel.shmall", "kernel.shmmax", "kernel.shmmni",
		"kernel.shm_rmid_forced", NULL };

	for (int i = 0; ipc[i]; i++)
		if (!strcmp(name, ipc[i]))
			return "ipc";
	if (!strncmp(name, "fs.mqueue.", 10))
		return "ipc";
	if (!strncmp(name, "net.", 4))
		return "net";
	if (!strcmp(name, "kernel.hostname") ||
	    !strcmp(name, "kernel.domainname"))
		return "uts";
	return NULL;
}

/* --sysctl NAME=VALUE, checked before anything is mounted: NAME dotted
 * (net.ipv4.ip_forward) or with slashes (net/ipv4/conf/eth0.1/forwarding,
 * its dots then part of a name), no empty, "." or ".." part; one that a
 * namespace keeps apart. */
static void add_sysctl(struct options *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char name[256], *part, *save;

	if (!eq || eq == arg || eq - arg >= (int)sizeof(name))
		cfs_usage_error("--sysctl %s: not NAME=VALUE", arg);
	snprintf(name, sizeof(name), "%.*s", (int)(eq - arg), arg);
	if (!sysctl_namespace(name))
		cfs_usage_error("--sysctl %s: %s is not kept apart by a "
				"namespace (net.*, fs.mqueue.*, kernel.shm*, "
				"kernel.msg*, kernel.sem, kernel.hostname and "
				"domainname are)", arg, name);
	if (!strchr(name, '/'))
		for (char *c = name; *c; c++)
			*c = *c == '.' ? '/' : *c;
	if (name[strlen(name) - 1] == '/' || strstr(name, "//"))
		cfs_usage_error("--sysctl %s: an empty part in its name", arg);
	for (part = strtok_r(name, "/", &save); part;
	     part = strtok_r(NULL, "/", &save))
		if (!strcmp(part, ".") || !strcmp(part, ".."))
			cfs_usage_error("--sysctl %s: %s in its name", arg, part);
	if (!(o->sysctl = realloc(o->sysctl, (o->n_sysctl + 1) *
					     sizeof(*o->sysctl))))
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "parse options");
	o->sysctl[o->n_sysctl++] = arg;
}

/* Each --sysctl written in our new proc's /proc/sys, before it is made
 * read-only: the value is the container's own, as long as its namespace
 * is not the host's (checked here, where we are in it). */
static void write_sysctls(const struct options *o, const struct root *r)
{
	for (size_t i = 0; i < o->n_sysctl; i++) {
		const char *arg = o->sysctl[i], *eq = strchr(arg, '=');
		char name[256], path[300];
		const char *ns;
		int fd;
		ssize_t len = strlen(eq + 1);

		snprintf(name, sizeof(name), "%.*s", (int)(eq - arg), arg);
		ns = sysctl_namespace(name);
		if (cfs_ns_is_hosts(ns))
			cfs_die(CFS_EXIT_FAILURE, 0, "--sysctl %s: our %s "
				"namespace is the host's: the value would be "
				"the host's", arg, ns);
		if (r->proc < 0)
			cfs_die(CFS_EXIT_FAILURE, 0, "--sysctl %s: needs the "
				"container's /proc (not --no-proc)", arg);
		if (!strchr(name, '/'))
			for (char *c = name; *c; c++)
				*c = *c == '.' ? '/' : *c;
		snprintf(path, sizeof(path), "sys/%s", name);
		if ((fd = cfs_open_no_symlinks(r->proc, path, O_WRONLY)) < 0)
			cfs_die(CFS_EXIT_FAILURE, -fd, "write /proc/%s", path);
		if (write(fd, eq + 1, len) != len || close(fd) < 0)
			cfs_die(CFS_EXIT_FAILURE, errno, "write %s to /proc/%s",
				eq + 1, path);
	}
}

static bool is_mode(const char *s);
static unsigned long propagation_of(const char *mode);

/* --device PATH:TYPE:MAJOR:MINOR[:MODE[:UID:GID]], an OCI
 * linux.devices entry: TYPE c, b or p; MODE octal (default 0666); UID
 * and GID default 0. Checked before anything is mounted. */
static void add_device(struct options *o, const char *arg)
{
	struct device d = { .mode = 0666 };
	char *copy = strdup(arg), *f[7] = { 0 }, *save = NULL;
	long ma = 0, mi = 0, uid = 0, gid = 0;
	char *end;
	int n = 0;

	if (!copy)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "parse options");
	for (char *t = strtok_r(copy, ":", &save); t && n < 7;
	     t = strtok_r(NULL, ":", &save))
		f[n++] = t;
	if ((n != 4 && n != 5 && n != 7) || strtok_r(NULL, ":", &save) ||
	    *f[0] != '/' || strlen(f[1]) != 1 || !strchr("cbp", *f[1]) ||
	    cfs_parse_long(f[2], 0, 0xfff, &ma) ||
	    cfs_parse_long(f[3], 0, 0xfffff, &mi) ||
	    (n >= 5 && (!is_mode(f[4]) || strtol(f[4], &end, 8) > 0777)) ||
	    (n == 7 && (cfs_parse_long(f[5], 0, 0xfffffffe, &uid) ||
			cfs_parse_long(f[6], 0, 0xfffffffe, &gid))))
		cfs_usage_error("--device %s: not PATH:c|b|p:MAJOR:MINOR"
				"[:MODE[:UID:GID]]", arg);
	d.path = f[0];
	d.type = *f[1] == 'c' ? S_IFCHR : *f[1] == 'b' ? S_IFBLK : S_IFIFO;
	d.rdev = d.type == S_IFIFO ? 0 : makedev(ma, mi);
	if (n >= 5)
		d.mode = strtol(f[4], NULL, 8);
	d.uid = uid;
	d.gid = gid;
	if (!(o->devices = realloc(o->devices, (o->n_devices + 1) *
					       sizeof(d))))
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "parse options");
	o->devices[o->n_devices++] = d;
}

/* Where we may not mknod (a user namespace), the host's node at the
 * same PATH bound on an empty file BASE of PARENT, as runc does: the
 * host's own permissions still apply to it. It must be the node the
 * entry names. */
static void bind_host_device(const struct device *d, const struct root *r,
			     int parent, const char *base)
{
	struct cfs_err e;
	struct stat st;
	int f, src;

	if (stat(d->path, &st) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "--device %s: no mknod in a "
			"user namespace, and the host's node", d->path);
	if ((st.st_mode & S_IFMT) != d->type || st.st_rdev != d->rdev)
		cfs_die(CFS_EXIT_FAILURE, 0, "--device %s: no mknod in a user "
			"namespace, and the host's node is %s %u:%u, not %s %u:%u",
			d->path, S_ISBLK(st.st_mode) ? "b" : S_ISCHR(st.st_mode) ? "c" : "no device",
			major(st.st_rdev), minor(st.st_rdev),
			d->type == S_IFBLK ? "b" : "c", major(d->rdev), minor(d->rdev));
	if ((f = openat(parent, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			O_CLOEXEC, 0644)) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "create %s%s", r->name, d->path);
	close(f);
	if ((f = openat(parent, base, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    (src = cfs_mount_clone(AT_FDCWD, d->path, 0, 0, &e)) < 0 ||
	    cfs_mount_move(src, f, &e))
		cfs_die(CFS_EXIT_FAILURE, f < 0 ? errno : e.errnum,
			"mount %s on %s%s", d->path, r->name, d->path);
	close(src);
	close(f);
}

/* Each --device made in the new root (in our /dev tmpfs for /dev/...),
 * its parents made as directories: mknod, then its owner and mode; a
 * character or block node bound on itself without nodev, as runc makes
 * them. A file already there is left as it is (runc's way), never
 * replaced nor chmod'ed. */
static void make_devices(const struct options *o, const struct root *r)
{
	for (size_t i = 0; i < o->n_devices; i++) {
		const struct device *d = &o->devices[i];
		char dir[PATH_MAX], *slash, *base;
		struct cfs_err e;
		int parent, node, mnt, made;

		snprintf(dir, sizeof(dir), "%s", d->path);
		slash = strrchr(dir, '/');
		*slash = '\0';
		base = slash + 1;
		if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
			cfs_die(CFS_EXIT_FAILURE, 0, "--device %s: not a file "
				"name", d->path);
		if ((*dir && cfs_mkdir_in_root(r->fd, r->name, dir, 0755, &e)) ||
		    (parent = cfs_open_in_root(r->fd, r->name, *dir ? dir : "/",
					       O_PATH | O_DIRECTORY, &e)) < 0)
			cfs_die_err(&e);
		/* one already there is left as it is, as runc leaves it */
		made = mknodat(parent, base, d->type | (d->mode & 0777), d->rdev);
		if (made < 0 && errno == EEXIST) {
			close(parent);
			continue;
		}
		if (made < 0 && errno == EPERM && d->type != S_IFIFO) {
			bind_host_device(d, r, parent, base);
			close(parent);
			continue;
		}
		if (made < 0 ||
		    fchownat(parent, base, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0 ||
		    fchmodat(parent, base, d->mode & 0777, 0) < 0)
			cfs_die(CFS_EXIT_FAILURE, errno, "create %s%s", r->name,
				d->path);
		if (d->type != S_IFIFO && !o->allow_dev) {
			node = openat(parent, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
			mnt = cfs_mount_clone(parent, base, 0, 0, &e);
			if (node < 0 || mnt < 0 ||
			    cfs_mount_setattr(mnt, 0, 0, MOUNT_ATTR_NODEV, &e) ||
			    cfs_mount_move(mnt, node, &e))
				cfs_die(CFS_EXIT_FAILURE, node < 0 ? errno : e.errnum,
					"mount %s%s", r->name, d->path);
			close(mnt);
			close(node);
		}
		close(parent);
	}
}

static void mount_proc(struct root *r)
{
	struct cfs_err e;
	int target = open_kernel_target(r, "/proc", "proc");

	r->proc = cfs_fs_new("proc", NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
				   MOUNT_ATTR_NOEXEC, &e);
	attach(r, r->proc, target, "proc", "/proc", &e);
}

/* sysfs read-only: a fresh one, which shows our own network namespace's
 * devices; where the kernel refuses one (a user namespace that does not
 * own our network namespace), a recursive read-only bind of the host's. */
static void mount_sys(struct root *r)
{
	unsigned attrs = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
			 MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
	struct cfs_err e;
	int target = open_kernel_target(r, "/sys", "sysfs");

	r->sys = cfs_fs_new("sysfs", "ro", attrs, &e);
	if (r->sys == -EPERM)
		r->sys = cfs_mount_clone(AT_FDCWD, "/sys", 1,
					 MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV, &e);
	attach(r, r->sys, target, "sysfs", "/sys", &e);
}

/* --cgroupfs NAME: NAME as cfs-cgroup takes it ("demo" below the cfs
 * parent, "/demo" below each hierarchy's root), checked by its rules:
 * the path of its cgroup in a hierarchy, "/cfs/demo" or "/demo", into
 * PATH. */
static void cgroupfs_path(const char *name, char *path, size_t size)
{
	struct cfs_err e;

	if (cfs_cgroup_check_name(name, &e))
		cfs_usage_error("--cgroupfs %s: not a cgroup name (%s)", name,
				e.msg);
	snprintf(path, size, "%s%s", *name == '/' ? "" : "/" CFS_CGROUP_PARENT "/",
		 name);
}

/* Bind DIR, NAME's cgroup in a v1 hierarchy mounted on MNT_TARGET, on a
 * directory of the tmpfs TMP named for that mount ("cpu,cpuacct", with
 * a symlink for each of its controllers, as runc and crun make them).
 * 0, or -ENOENT when the hierarchy has no such cgroup. */
static int bind_cgroup_v1(const struct root *r, int tmp, const char *dir,
			  const char *mnt_target, unsigned attrs)
{
	const char *base = strrchr(mnt_target, '/');
	char at[PATH_MAX];
	struct cfs_err e;
	int mnt, sub;

	base = base ? base + 1 : mnt_target;
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return -ENOENT;
	mnt = cfs_mount_clone(AT_FDCWD, dir, 0, attrs, &e);
	if (mnt == -ENOENT)
		return -ENOENT;
	snprintf(at, sizeof(at), "/sys/fs/cgroup/%s", base);
	if (mkdirat(tmp, base, 0755) < 0 && errno != EEXIST)
		cfs_die(CFS_EXIT_FAILURE, errno, "mkdir %s%s", r->name, at);
	sub = openat(tmp, base, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "open %s%s", r->name, at);
	attach(r, mnt, sub, dir, at, &e);
	close(mnt);
	for (const char *c = base; strchr(base, ',') && *c;
	     c += strcspn(c, ","), c += !!*c) {
		char one[256];

		snprintf(one, sizeof(one), "%.*s", (int)strcspn(c, ","), c);
		if (symlinkat(base, tmp, one) < 0 && errno != EEXIST)
			cfs_die(CFS_EXIT_FAILURE, errno, "symlink %s%s/%s",
				r->name, "/sys/fs/cgroup", one);
	}
	return 0;
}

/* Is ROOT, a cgroup mount's root in mountinfo, the root of its
 * hierarchy: "/", or "/.." repeated (our cgroup namespace's root below
 * it)? */
static bool cgroup_root_shown(const char *root)
{
	if (!strcmp(root, "/"))
		return true;
	for (; *root; root += 3)
		if (strncmp(root, "/..", 3))
			return false;
	return true;
}

/* v1 (a hybrid host too): a tmpfs on TARGET with, for each v1
 * hierarchy, NAME's cgroup there (PATH) bound on a directory named for
 * it. A hierarchy where NAME has no cgroup is left out: the container's
 * cgroup there is its caller's or the root, with other containers'
 * below. The v2 one of a hybrid host is left out, as runc and crun
 * leave it out. Returns 0, or -ENOENT when this host has no v1
 * hierarchy (TARGET left open). */
static int mount_cgroupfs_v1(const struct root *r, int target,
			     const char *path, unsigned attrs, bool ro)
{
	FILE *f;
	struct cfs_mountinfo m = { 0 };
	struct cfs_err e;
	dev_t seen[CFS_CGROUP_MAX_HIER];
	int n = 0, more, tmp = -1;

	if (!(f = cfs_mountinfo_open(&e)))
		cfs_die_err(&e);
	while ((more = cfs_mountinfo_next(f, &m, &e)) > 0) {
		char dir[PATH_MAX];
		int k;

		if (strcmp(m.fstype, "cgroup") || !cgroup_root_shown(m.root))
			continue;
		for (k = 0; k < n && seen[k] != m.dev; k++)
			;
		if (k < n || n == CFS_CGROUP_MAX_HIER)
			continue;
		seen[n++] = m.dev;
		if (tmp < 0) {
			tmp = cfs_fs_new("tmpfs", "mode=755,size=64k",
					 MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
						 MOUNT_ATTR_NOEXEC, &e);
			attach(r, tmp, target, "tmpfs", "/sys/fs/cgroup", &e);
		}
		if ((size_t)snprintf(dir, sizeof(dir), "%s%s", m.target, path) <
		    sizeof(dir))
			bind_cgroup_v1(r, tmp, dir, m.target, attrs);
	}
	fclose(f);
	cfs_mountinfo_done(&m);
	if (more < 0)
		cfs_die_err(&e);
	if (tmp < 0)
		return -ENOENT;
	if (ro && cfs_mount_setattr(tmp, 0, MOUNT_ATTR_RDONLY, 0, &e))
		cfs_die_in(&e, "remount %s/sys/fs/cgroup read-only", r->name);
	close(tmp);
	return 0;
}

/* v2 alone: the container's own cgroup on TARGET, as runc mounts it: in
 * a cgroup namespace of its own, a new cgroup2 mount (its root is the
 * namespace's, the cgroup we were in when it was made); else a bind of
 * the cgroup we are in, which must be NAME's (PATH). */
static void mount_cgroupfs_v2(const struct root *r, int target,
			      const char *path, unsigned attrs)
{
	char self[PATH_MAX] = "", line[PATH_MAX], dir[PATH_MAX];
	size_t len = strlen(path), slen;
	struct cfs_err e;
	struct stat ns;
	FILE *f = fopen("/proc/self/cgroup", "re");
	int mnt;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3))
			snprintf(self, sizeof(self), "%.*s",
				 (int)strcspn(line + 3, "\n"), line + 3);
	if (f)
		fclose(f);
	slen = strlen(self);
	/* the initial cgroup namespace's inode (PROC_CGROUP_INIT_INO) */
	if (!strcmp(self, "/") && !stat("/proc/self/ns/cgroup", &ns) &&
	    ns.st_ino != 0xEFFFFFFBU) {
		mnt = cfs_fs_new("cgroup2", NULL, attrs, &e);
		attach(r, mnt, target, "cgroup2", "/sys/fs/cgroup", &e);
		close(mnt);
		return;
	}
	/* NAME's: "/cfs/demo" or "/demo", below a subtree delegated to
	 * us (cfs-cgroup's root there) */
	if (slen < len || strcmp(self + slen - len, path))
		cfs_die(CFS_EXIT_FAILURE, 0, "mount cgroup2 on %s/sys/fs/cgroup: "
			"we are in cgroup %s, not %s's", r->name,
			*self ? self : "(none)", path);
	if (cfs_cgroup_dir("", "", self, dir, sizeof(dir), &e))
		cfs_die_err(&e);
	mnt = cfs_mount_clone(AT_FDCWD, dir, 0, attrs, &e);
	attach(r, mnt, target, dir, "/sys/fs/cgroup", &e);
	close(mnt);
}

/* --cgroupfs: /sys/fs/cgroup as runc and crun show a container its
 * cgroups, read-only unless --cgroupfs-rw */
static void mount_cgroupfs(const struct options *o, const struct root *r)
{
	unsigned attrs = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			 MOUNT_ATTR_NOEXEC |
			 (o->cgroupfs_rw ? 0 : MOUNT_ATTR_RDONLY);
	int target = open_kernel_target(r, "/sys/fs/cgroup", "cgroup");

	if (mount_cgroupfs_v1(r, target, o->cgroup_path, attrs,
			      !o->cgroupfs_rw))
		mount_cgroupfs_v2(r, target, o->cgroup_path, attrs);
}

/* NAME, made in our /dev tmpfs as a directory (opened O_PATH to mount
 * on: its fd returned) or a symlink to TO. The tmpfs is the one we have
 * just mounted: nothing in the container can have put a symlink in it,
 * and none is followed. */
static int make_in_dev(const struct root *r, const char *name, mode_t type,
		       const char *to)
{
	int rc = S_ISDIR(type) ? mkdirat(r->dev, name, 0755)
			       : symlinkat(to, r->dev, name);

	if (rc < 0 || (S_ISDIR(type) &&
		       (rc = openat(r->dev, name, O_PATH | O_DIRECTORY |
						  O_NOFOLLOW | O_CLOEXEC)) < 0))
		cfs_die(CFS_EXIT_FAILURE, errno, "create %s/dev/%s", r->name,
			name);
	return rc;
}

/* /dev/NAME, the character device RDEV: a node of our own, made with
 * mknod, and bound on itself to be a mount without the tmpfs's nodev, as
 * runc makes them; the container may chmod it, the host's is not it.
 * Where we may not mknod (a user namespace), the host's node bound on an
 * empty file, read-only: not even root inside, were it the host's, could
 * then chmod or chown it. */
static void make_device(const struct root *r, const char *name, dev_t rdev,
			int allow_dev)
{
	char host[64];
	struct cfs_err e;
	int src, target;

	snprintf(host, sizeof(host), "/dev/%s", name);
	if (!mknodat(r->dev, name, S_IFCHR | 0666, rdev)) {
		if (allow_dev)
			return;
		src = cfs_mount_clone(r->dev, name, 0, 0, &e);
		if (src >= 0 && cfs_mount_setattr(src, 0, 0, MOUNT_ATTR_NODEV, &e)) {
			close(src);
			src = -1;
		}
	} else if (errno != EPERM ||
		   mknodat(r->dev, name, S_IFREG | 0644, 0) < 0) {
		cfs_die(CFS_EXIT_FAILURE, errno, "create %s/dev/%s", r->name,
			name);
	} else {
		src = cfs_mount_clone(AT_FDCWD, host, 0, MOUNT_ATTR_RDONLY, &e);
	}
	target = openat(r->dev, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (target < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "open %s/dev/%s", r->name, name);
	attach(r, src, target, host, host, &e);
	close(src);
}

/* A new TYPE filesystem with DATA and ATTRS on the directory NAME we make
 * in /dev: 0, or -errno for the caller to decide on. */
static int mount_in_dev(const struct root *r, const char *name,
			const char *type, const char *data, unsigned attrs)
{
	char path[32];
	struct cfs_err e;
	int target = make_in_dev(r, name, S_IFDIR, NULL);
	int mnt = cfs_fs_new(type, data, attrs, &e);

	if (mnt < 0) {
		close(target);
		return mnt;
	}
	snprintf(path, sizeof(path), "/dev/%s", name);
	attach(r, mnt, target, type, path, &e);
	close(mnt);
	return 0;
}

/* A small /dev: a tmpfs with the harmless devices, a devpts of our own,
 * shm, the message queues of our IPC namespace, and the fd links. The
 * tmpfs is nodev, unless ALLOW_DEV: a node that root in the container
 * makes in it cannot be opened; ours are mounts of their own. */
static void mount_dev(struct root *r, int allow_dev)
{
	static const struct {
		const char *name;
		unsigned major, minor;
	} devices[] = { { "null", 1, 3 },    { "zero", 1, 5 }, { "full", 1, 7 },
			{ "random", 1, 8 },  { "urandom", 1, 9 },
			{ "tty", 5, 0 } };
	static const char *const links[][2] = {
		{ "pts/ptmx", "ptmx" },		 { "/proc/self/fd", "fd" },
		{ "/proc/self/fd/0", "stdin" },	 { "/proc/self/fd/1", "stdout" },
		{ "/proc/self/fd/2", "stderr" },
	};
	unsigned nodev = allow_dev ? 0 : MOUNT_ATTR_NODEV;
	struct cfs_err e;
	int target = open_kernel_target(r, "/dev", "tmpfs"), rc;
	mode_t mask = umask(0); /* the nodes' modes as given */

	r->dev = cfs_fs_new("tmpfs", "mode=755,size=65536k",
			    MOUNT_ATTR_NOSUID | MOUNT_ATTR_STRICTATIME | nodev,
			    &e);
	attach(r, r->dev, target, "tmpfs", "/dev", &e);
	for (size_t i = 0; i < sizeof(devices) / sizeof(*devices); i++)
		make_device(r, devices[i].name,
			    makedev(devices[i].major, devices[i].minor),
			    allow_dev);
	umask(mask);
	/* ptys of group tty (5), where our user namespace maps that group */
	rc = mount_in_dev(r, "pts", "devpts",
			  "newinstance,ptmxmode=0666,mode=0620,gid=5",
			  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	if (rc == -EINVAL) {
		unlinkat(r->dev, "pts", AT_REMOVEDIR);
		rc = mount_in_dev(r, "pts", "devpts",
				  "newinstance,ptmxmode=0666,mode=0620",
				  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	}
	if (rc)
		cfs_die(CFS_EXIT_FAILURE, -rc, "mount devpts on %s/dev/pts",
			r->name);
	if ((rc = mount_in_dev(r, "shm", "tmpfs",
			       "source=shm,mode=1777,size=65536k",
			       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
				       MOUNT_ATTR_NOEXEC)))
		cfs_die(CFS_EXIT_FAILURE, -rc, "mount tmpfs on %s/dev/shm",
			r->name);
	/* our IPC namespace's queues; none when it is not ours to mount
	 * (a user namespace without --ipc) */
	rc = mount_in_dev(r, "mqueue", "mqueue", NULL,
			  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	if (rc && rc != -EPERM)
		cfs_die(CFS_EXIT_FAILURE, -rc, "mount mqueue on %s/dev/mqueue",
			r->name);
	for (size_t i = 0; i < sizeof(links) / sizeof(*links); i++)
		make_in_dev(r, links[i][1], S_IFLNK, links[i][0]);
}

/* --tmpfs DST:tmpcopyup: what DST held copied into the new tmpfs MNT,
 * still detached (runc's and crun's tmpcopyup, podman's --tmpfs). A
 * read-only tmpfs is copied into before it is made read-only. */
static void copy_up(const struct root *r, const struct user_mount *m,
		    int target, int mnt)
{
	char path[PATH_MAX];
	struct cfs_err e;
	int from = openat(target, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	snprintf(path, sizeof(path), "%s%s", r->name, m->dst);
	if (from < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "tmpcopyup %s", path);
	if (cfs_copy_tree(from, mnt, path, &e))
		cfs_die_err(&e);
	if ((m->attrs & MOUNT_ATTR_RDONLY) &&
	    cfs_mount_setattr(mnt, 0, MOUNT_ATTR_RDONLY, 0, &e))
		cfs_die_in(&e, "tmpcopyup %s: make it read-only", path);
	close(from);
}

/* A --tmpfs, or a --bind: nodev unless it binds a device itself (or
 * ALLOW_DEV), read-only with :ro; the flags set on the mount before it
 * is attached, never by a second lookup of its target. */
static void mount_user(const struct root *r, const struct user_mount *m,
		       int allow_dev)
{
	unsigned nodev = m->device || allow_dev ? 0 : MOUNT_ATTR_NODEV;
	struct cfs_err e;
	int mnt;

	int target = open_target(r, m->dst, m->file);

	if (m->kind == OPT_TMPFS)
		mnt = cfs_fs_new("tmpfs", m->data,
				 m->copyup ? m->attrs & ~MOUNT_ATTR_RDONLY
					   : m->attrs,
				 &e);
	else
		mnt = cfs_mount_clone(AT_FDCWD, m->src, 1,
				      (m->ro ? MOUNT_ATTR_RDONLY : 0) | nodev,
				      &e);
	if (m->kind == OPT_BIND && m->attrs && mnt >= 0 &&
	    cfs_mount_setattr(mnt, 1, m->attrs, m->attrs & MOUNT_ATTR_STRICTATIME ?
			      MOUNT_ATTR__ATIME : 0, &e))
		cfs_die_in(&e, "mount %s on %s%s", m->src, r->name, m->dst);
	if (mnt >= 0 && m->copyup)
		copy_up(r, m, target, mnt);
	attach(r, mnt, target, m->kind == OPT_TMPFS ? "tmpfs" : m->src, m->dst,
	       &e);
	/* attached: its propagation is now ours to change */
	if (m->propagation &&
	    cfs_mount_propagate(mnt, !!(m->propagation & MS_REC),
				m->propagation & ~MS_REC, &e))
		cfs_die_in(&e, "mount %s on %s%s", m->kind == OPT_TMPFS ? "tmpfs" :
			   m->src, r->name, m->dst);
	close(mnt);
}

static bool is_mode(const char *s)
{
	return *s && strspn(s, "01234567") == strlen(s) && strlen(s) <= 5 &&
	       strtol(s, NULL, 8) <= 07777;
}

/* --tmpfs DST:OPTIONS, docker's: size, mode, uid, gid and nr_inodes for
 * the tmpfs, noexec, exec and ro for its mount (always nosuid, nodev),
 * each checked here, so that a mistake is refused before anything is
 * mounted, naming it. */
static void tmpfs_options(struct user_mount *m, char *opts, const char *arg)
{
	char *next, *value, mode[8] = "755", more[96] = "";
	size_t len;
	long long n;
	long id;

	m->attrs = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
	for (char *o = opts; o; o = next) {
		if ((next = strchr(o, ',')))
			*next++ = '\0';
		if ((value = strchr(o, '=')))
			*value++ = '\0';
		len = strlen(more);
		if (!value && !strcmp(o, "noexec"))
			m->attrs |= MOUNT_ATTR_NOEXEC;
		else if (!value && !strcmp(o, "exec"))
			m->attrs &= ~MOUNT_ATTR_NOEXEC;
		else if (!value && !strcmp(o, "ro"))
			m->attrs |= MOUNT_ATTR_RDONLY;
		else if (!value && !strcmp(o, "tmpcopyup"))
			m->copyup = 1;
		else if (!value && propagation_of(o))
			m->propagation = propagation_of(o);
		else if (!value && (!strcmp(o, "rw") || !strcmp(o, "nosuid") ||
				    !strcmp(o, "nodev")))
			continue;
		else if (!value && (!strcmp(o, "relatime") ||
				    !strcmp(o, "strictatime") ||
				    !strcmp(o, "noatime")))
			m->attrs = (m->attrs & ~MOUNT_ATTR__ATIME) |
				   (o[0] == 's' ? MOUNT_ATTR_STRICTATIME :
				    o[0] == 'n' ? MOUNT_ATTR_NOATIME : 0);
		else if (value && !strcmp(o, "mode") && is_mode(value))
			snprintf(mode, sizeof(mode), "%s", value);
		else if (value && (!strcmp(o, "size") ||
				   !strcmp(o, "nr_inodes")) &&
			 !cfs_parse_size(value, 1LL << 50, &n))
			snprintf(more + len, sizeof(more) - len, ",%s=%lld", o,
				 n);
		else if (value && (!strcmp(o, "uid") || !strcmp(o, "gid")) &&
			 !cfs_parse_long(value, 0, 0xfffffffe, &id))
			snprintf(more + len, sizeof(more) - len, ",%s=%ld", o,
				 id);
		else
			cfs_usage_error("--tmpfs %s: %s%s%s: not an option of a "
					"tmpfs here (size=, mode=, uid=, gid=, "
					"nr_inodes=, noexec, exec, ro, "
					"relatime, strictatime, noatime, "
					"tmpcopyup, [r]shared...)",
					arg, o, value ? "=" : "",
					value ? value : "");
	}
	/* 96 bytes hold each of the four once; more is a repeat */
	if (snprintf(m->data, sizeof(m->data), "mode=%s%s", mode, more) >=
	    (int)sizeof(m->data) || strlen(more) >= sizeof(more) - 1)
		cfs_usage_error("--tmpfs %s: too many options", arg);
}

/* SRC:DST[:FLAGS], DST[:OPTIONS]; checked before anything is mounted. */
static void add_mount(struct options *o, int kind, char *arg)
{
	char *given = strdup(arg), *opts;
	struct user_mount m = { .kind = kind, .dst = arg };
	struct stat st;

	if (kind == OPT_TMPFS) {
		if ((opts = strchr(arg, ':')))
			*opts++ = '\0';
		tmpfs_options(&m, opts, given);
	}
	if (kind == OPT_BIND) {
		char *mode;
		m.src = arg;
		m.dst = strchr(arg, ':');
		if (m.dst)
			*m.dst++ = '\0';
		mode = m.dst ? strchr(m.dst, ':') : NULL;
		if (mode)
			*mode++ = '\0';
		if (!*m.src || !m.dst || !*m.dst)
			cfs_die(CFS_EXIT_FAILURE, 0,
				"--bind %s: not SRC:DST[:ro]", given);
		/* FLAGS: ro or rw, strictatime, a propagation */
		for (char *f = mode, *next; f; f = next) {
			if ((next = strchr(f, ',')))
				*next++ = '\0';
			if (!strcmp(f, "ro") || !strcmp(f, "rw"))
				m.ro = !strcmp(f, "ro");
			else if (!strcmp(f, "strictatime"))
				m.attrs |= MOUNT_ATTR_STRICTATIME;
			else if (!strcmp(f, "nosuid"))
				m.attrs |= MOUNT_ATTR_NOSUID;
			else if (!strcmp(f, "noexec"))
				m.attrs |= MOUNT_ATTR_NOEXEC;
			else if (propagation_of(f))
				m.propagation = propagation_of(f);
			else
				cfs_die(CFS_EXIT_FAILURE, 0, "--bind %s: %s: not a "
					"flag (ro, rw, nosuid, noexec, "
					"strictatime, [r]private, [r]slave, "
					"[r]shared, [r]unbindable)", given, f);
		}
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

/* Is ARG one of our options (--name, --name=VALUE or -x)? A newcomer
 * who puts one after NEWROOT gives it to PROGRAM. */
static bool is_option(const struct poptOption *t, const char *arg)
{
	size_t len = strcspn(arg + 2, "=");

	for (; t->longName || t->shortName || t->arg; t++)
		if ((arg[1] == '-' && t->longName &&
		     strlen(t->longName) == len &&
		     !strncmp(t->longName, arg + 2, len)) ||
		    (arg[1] != '-' && t->shortName && arg[1] == t->shortName &&
		     !arg[2]))
			return true;
	return false;
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

/* A propagation word ([r]private, [r]slave, [r]shared, [r]unbindable):
 * its MS_ flags, or 0 for none of them */
static unsigned long propagation_of(const char *mode)
{
	static const struct {
		const char *name;
		unsigned long flags;
	} modes[] = { { "private", MS_PRIVATE },  { "slave", MS_SLAVE },
		      { "shared", MS_SHARED },	  { "unbindable", MS_UNBINDABLE } };
	const char *m = mode + (*mode == 'r');

	for (size_t i = 0; i < sizeof(modes) / sizeof(*modes); i++)
		if (!strcmp(m, modes[i].name))
			return modes[i].flags | (m != mode ? MS_REC : 0);
	return 0;
}

/* --propagation MODE: the MS_ flags of MODE, an OCI rootfsPropagation */
static unsigned long parse_propagation(const char *mode)
{
	unsigned long flags = propagation_of(mode);

	if (!flags)
		cfs_usage_error("--propagation %s: not [r]private, [r]slave, "
				"[r]shared or [r]unbindable", mode);
	return flags;
}

/* The paths of L that were done, a space between each */
static void print_paths(const struct paths *l)
{
	const char *sep = "";

	for (size_t i = 0; i < l->n; i++)
		if (l->done[i]) {
			printf("%s%s", sep, l->v[i]);
			sep = " ";
		}
}

/* --print-config: what the program would have got, with the keys of
 * /proc/self/status for what it shows too. */
static void print_config(struct options *o)
{
	struct cfs_err e;

	if (cfs_privs_print(&o->privs, stdout, &e))
		cfs_die_err(&e);
	printf("Session:\t%s\n", o->keep_session ? "kept" : "new");
	printf("Masked:\t");
	print_paths(&o->masked);
	printf("\nReadonly:\t");
	print_paths(&o->readonly);
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
	o->image_env = c.env;
	if (!o->wd)
		o->wd = c.workdir;
	if (!o->privs.user)
		o->privs.user = c.user;
	if (!(args = cfs_image_config_argv(&c, args)))
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "apply %s%s", r->name, file);
	return args;
}

/* --tty: where the pty's master goes, found before anything is mounted:
 * the --console-socket (a path of the host), or the socket of the relay
 * up the chain, cfs-unshare --tty. Nothing relays for us: we are what
 * PROGRAM replaces, PID 1 of its namespace, and a relay must not be in
 * the container, where its processes could reach it and the caller's
 * terminal it holds. */
static void find_relay(struct options *o)
{
	struct cfs_err e;

	if (o->console_socket)
		o->tty_sock = cfs_pty_connect(o->console_socket, &e);
	else
		o->tty_sock = cfs_pty_inherited_socket(&e);
	if (o->tty_sock == -ENOENT && !o->console_socket)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--tty: nothing relays the terminal: start the chain "
			"with cfs-unshare --tty, or give --console-socket PATH");
	if (o->tty_sock < 0)
		cfs_die_err(&e);
}

/* A pty from the devpts we mounted on /dev/pts, in a new session
 * already: PROGRAM's controlling terminal on fds 0-2, of --console-size
 * or else the size of ours; its master sent to the relay, and no fd of
 * ours left to PROGRAM. */
static void make_tty(const struct options *o, const struct root *r)
{
	struct cfs_pty pty;
	struct cfs_err e;

	if (cfs_pty_open(r->dev, "pts/ptmx", r->name, &pty, &e) ||
	    (o->size.rows ? cfs_pty_set_size(pty.slave, &o->size, &e)
			  : cfs_pty_copy_size(STDIN_FILENO, pty.slave, &e)) ||
	    cfs_pty_take(pty.slave, &e) || cfs_pty_send(o->tty_sock, &pty, &e))
		cfs_die_err(&e);
	close(pty.master);
	close(o->tty_sock);
}

/* --tty with --user: the pty is the user's, as runc makes PID 1's stdio
 * (its group stays tty's), so that PROGRAM can open it by its name. */
static void give_tty(const struct options *o)
{
	struct cfs_err e;
	uid_t uid;
	gid_t gid;

	if (cfs_user_parse(o->privs.user, &uid, &gid, &e))
		cfs_die_err(&e);
	if (fchown(STDIN_FILENO, uid, -1) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "chown the pty to %s",
			o->privs.user);
}

/* What PROGRAM starts with (cfs-pivot(1), ENVIRONMENT): a clean
 * environment, PATH, HOSTNAME, TERM when our stdin is a terminal, HOME
 * of the user from the new root's passwd; the image's Env; --setenv,
 * --unsetenv, --env-file; only fds 0, 1, 2 and those asked for. After
 * the new session, which may fork: LISTEN_PID is PROGRAM's own PID. */
static void set_environment(struct options *o)
{
	const char *defaults[4] = { "PATH=" CFS_ENV_DEFAULT_PATH };
	const char *term = getenv("TERM");
	char host[HOST_NAME_MAX + 1] = "", *entry, *home;
	struct cfs_err e;
	int n = 1;

	if (gethostname(host, sizeof(host)) == 0 &&
	    asprintf(&entry, "HOSTNAME=%s", host) > 0)
		defaults[n++] = entry;
	if (term && isatty(STDIN_FILENO) &&
	    asprintf(&entry, "TERM=%s", term) > 0)
		defaults[n++] = entry;
	if (cfs_privs_resolve(&o->privs, &e) ||
	    cfs_user_home(o->privs.uid, &home, &e))
		cfs_die_err(&e);
	cfs_opts_env_apply(&o->envopts, defaults, o->image_env, home,
			   o->listen_fds ? getpid() : 0);
}

/* --oom-score-adj: -1000 to 1000, in our new proc; with WRITE false,
 * only checked */
static void set_oom_score_adj(const char *arg, bool write)
{
	long n;
	int fd;

	if (cfs_parse_long(arg, -1000, 1000, &n))
		cfs_usage_error("--oom-score-adj %s: not -1000 to 1000", arg);
	if (!write)
		return;
	if ((fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC)) < 0 ||
	    dprintf(fd, "%ld", n) < 0 || close(fd) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "write /proc/self/oom_score_adj");
}

/* --umask: octal, 0 to 0777 */
static mode_t parse_umask(const char *arg)
{
	char *end;
	unsigned long m;

	errno = 0;
	m = strtoul(arg, &end, 8);
	if (errno || !*arg || *end || m > 0777)
		cfs_usage_error("--umask %s: not an octal mode 0 to 0777", arg);
	return (mode_t)m;
}

/* --exec-fifo and --ready-fd: the FIFO, a host path, is opened O_PATH
 * before the pivot and reopened for writing through /proc/self/fd once
 * in the new root, as runc does; the open blocks until a reader comes. */
static void open_exec_fifo(struct options *o)
{
	struct stat st;

	if (o->ready_fd >= 0 && fcntl(o->ready_fd, F_SETFD, FD_CLOEXEC) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "--ready-fd %d", o->ready_fd);
	if (!o->exec_fifo)
		return;
	if ((o->fifo = open(o->exec_fifo, O_PATH | O_CLOEXEC)) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "open %s", o->exec_fifo);
	if (fstat(o->fifo, &st) < 0 || !S_ISFIFO(st.st_mode))
		cfs_die(CFS_EXIT_FAILURE, 0, "--exec-fifo %s: not a fifo",
			o->exec_fifo);
}

/* --hooks FILE, cfs-oci's: read at the start, a host path */
static void read_hooks(struct options *o)
{
	json_error_t je;
	struct cfs_err e;

	if (!o->hooks_file)
		return;
	if (!(o->hooks = json_load_file(o->hooks_file, JSON_REJECT_DUPLICATES,
					&je)))
		cfs_die(CFS_EXIT_FAILURE, 0, "--hooks %s: %s", o->hooks_file,
			je.text);
	if (!json_is_object(json_object_get(o->hooks, "state")))
		cfs_die(CFS_EXIT_FAILURE, 0, "--hooks %s: no state",
			o->hooks_file);
	if (cfs_hooks_check(json_object_get(o->hooks, "createContainer"),
			    "hooks.createContainer", &e) ||
	    cfs_hooks_check(json_object_get(o->hooks, "startContainer"),
			    "hooks.startContainer", &e))
		cfs_die_in(&e, "--hooks %s", o->hooks_file);
	if (!(o->state = json_dumps(json_object_get(o->hooks, "state"),
				    JSON_COMPACT)))
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "--hooks %s", o->hooks_file);
}

/* Has --hooks' file hooks of KIND? */
static bool has_hooks(const struct options *o, const char *kind)
{
	return o->hooks && json_array_size(json_object_get(o->hooks, kind));
}

/* --hooks' KIND, each with the state on its stdin; when one fails, an
 * 'f' to the exec fifo's reader (cfs-oci start) before we die */
static void run_hooks(struct options *o, const char *kind)
{
	struct cfs_err e;
	char what[32];

	snprintf(what, sizeof(what), "hooks.%s", kind);
	if (!has_hooks(o, kind) ||
	    !cfs_hooks_run(json_object_get(o->hooks, kind), what, o->state, &e))
		return;
	if (o->fifo_w >= 0 && write(o->fifo_w, "f", 1) != 1)
		cfs_warn(errno, "write %s", o->exec_fifo);
	cfs_die_err(&e);
}

static void wait_exec_fifo(struct options *o)
{
	char path[64];
	int fd;

	if (o->ready_fd >= 0 && (write(o->ready_fd, "r", 1) != 1 ||
				 close(o->ready_fd) < 0))
		cfs_die(CFS_EXIT_FAILURE, errno, "--ready-fd %d", o->ready_fd);
	if (o->fifo < 0)
		return;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", o->fifo);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0 ||
	    write(fd, "0", 1) != 1)
		cfs_die(CFS_EXIT_FAILURE, errno, "write %s", o->exec_fifo);
	/* kept through startContainer's hooks: the exec closes it */
	if (has_hooks(o, "startContainer"))
		o->fifo_w = fd;
	else
		close(fd);
	close(o->fifo);
}

int main(int argc, const char **argv)
{
	struct options o = { .fifo = -1, .ready_fd = -1, .fifo_w = -1 };
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
		  "(read-only with :ro; flags ro, rw, nosuid, noexec); "
		  "repeatable", "SRC:DST[:FLAGS]" },
		{ "tmpfs", 0, POPT_ARG_STRING, NULL, OPT_TMPFS,
		  "mount a new tmpfs on DST in the new root, with docker's "
		  "OPTIONS (size=64m,mode=1777...); repeatable",
		  "DST[:OPTIONS]" },
		{ "cgroupfs", 0, POPT_ARG_STRING, &o.cgroupfs, 0,
		  "mount on /sys/fs/cgroup the cgroup NAME (cfs-cgroup's) of "
		  "each hierarchy that has it, read-only, as runc shows a "
		  "container its cgroups", "NAME" },
		{ "cgroupfs-rw", 0, POPT_ARG_NONE, &o.cgroupfs_rw, 0,
		  "--cgroupfs writable", NULL },
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
		{ "cap-ambient", 0, POPT_ARG_NONE, &o.privs.ambient, 0,
		  "make the capabilities kept inheritable and ambient too, "
		  "for root as well (an OCI process's inheritable and ambient "
		  "sets)", NULL },
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
		{ "mask-path", 0, POPT_ARG_STRING, NULL, OPT_MASK,
		  "mask PATH (an empty directory, /dev/null for a file) in "
		  "place of the default list; repeatable", "PATH" },
		{ "readonly-path", 0, POPT_ARG_STRING, NULL, OPT_READONLY,
		  "make PATH read-only, in place of the default list; "
		  "repeatable", "PATH" },
		{ "sysctl", 0, POPT_ARG_STRING, NULL, OPT_SYSCTL,
		  "write VALUE to /proc/sys/NAME of the container's own "
		  "namespaces (net.*, fs.mqueue.*, kernel.shm*...); "
		  "repeatable", "NAME=VALUE" },
		{ "propagation", 0, POPT_ARG_STRING, &o.propagation, 0,
		  "make the new root's mount MODE once it is / (private, "
		  "slave, shared, unbindable; rprivate... for its mounts too)",
		  "MODE" },
		{ "device", 0, POPT_ARG_STRING, NULL, OPT_DEVICE,
		  "make the device node PATH (c, b or p) in the new root; "
		  "repeatable", "PATH:TYPE:MAJOR:MINOR[:MODE[:UID:GID]]" },
		{ "allow-dev", 0, POPT_ARG_NONE, &o.allow_dev, 0,
		  "let device nodes in the new root and its mounts be "
		  "opened (they are mounted nodev)", NULL },
		{ "keep-session", 0, POPT_ARG_NONE, &o.keep_session, 0,
		  "run PROGRAM in our session, with our terminal", NULL },
		{ "tty", 't', POPT_ARG_NONE, &o.tty, 0,
		  "give PROGRAM a pty of the container's /dev/pts as its "
		  "controlling terminal, relayed by cfs-unshare --tty up the "
		  "chain", NULL },
		{ "console-socket", 0, POPT_ARG_STRING, &o.console_socket, 0,
		  "--tty, with the pty's master sent to the AF_UNIX socket "
		  "PATH (runc's protocol) instead of a relay", "PATH" },
		{ "console-size", 0, POPT_ARG_STRING, &o.console_size, 0,
		  "with --tty, the pty made ROWS high and COLS wide (OCI's "
		  "process.consoleSize) instead of the size of ours",
		  "ROWSxCOLS" },
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
		CFS_OPTS_ENV(o.envopts),
		{ "listen-fds", 0, POPT_ARG_NONE, &o.listen_fds, 0,
		  "pass socket activation's LISTEN_FDS fds on, with LISTEN_PID "
		  "set to PROGRAM's PID", NULL },
		{ "image-config", 0, POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL,
		  &o.image_config, 0,
		  "apply the image's env, program and working directory from "
		  "FILE in the new root (default " CFS_IMAGE_CONFIG ")", "FILE" },
		{ "oom-score-adj", 0, POPT_ARG_STRING, &o.oom_score_adj, 0,
		  "set PROGRAM's oom_score_adj (proc(5)), N in [-1000, 1000]",
		  "N" },
		{ "umask", 0, POPT_ARG_STRING, &o.umask, 0,
		  "set PROGRAM's umask (octal; default: ours)", "MODE" },
		{ "exec-fifo", 0, POPT_ARG_STRING, &o.exec_fifo, 0,
		  "wait, right before the exec of PROGRAM, until the fifo FIFO "
		  "is opened for reading, then write a byte to it (runc's exec "
		  "fifo)", "FIFO" },
		{ "ready-fd", 0, POPT_ARG_INT, &o.ready_fd, 0,
		  "write a byte to FD and close it when all is done but the "
		  "exec (and --exec-fifo's wait)", "FD" },
		{ "hooks", 0, POPT_ARG_STRING, &o.hooks_file, 0,
		  "run FILE's OCI hooks (cfs-oci's): createContainer before the "
		  "pivot, startContainer before the exec, each with FILE's "
		  "state on its stdin", "FILE" },
		CFS_OPTS_VERSION,
		POPT_AUTOHELP POPT_TABLEEND
	};
	poptContext ctx = cfs_popt_context(argc, argv, options);
	static const char *sh[] = { "/bin/sh", NULL };
	struct root r = { .proc = -1, .sys = -1, .dev = -1, .empty = -1 };
	struct cfs_err e;
	const char **args;
	int rc;

	cfs_privs_init(&o.privs);
	o.masked = (struct paths){ (const char **)masked_paths,
				   sizeof(masked_paths) / sizeof(*masked_paths), NULL };
	o.readonly = (struct paths){ (const char **)readonly_paths,
				     sizeof(readonly_paths) /
					     sizeof(*readonly_paths), NULL };
	poptSetOtherOptionHelp(ctx, "[OPTION...] NEWROOT|--overlay LOWER[:LOWER...] "
				    "[--] [PROGRAM [ARG...]]");
	while ((rc = poptGetNextOpt(ctx)) > 0) {
		char *arg = poptGetOptArg(ctx);

		if (rc == CFS_OPT_VERSION)
			cfs_print_version();
		else if (rc == OPT_BIND || rc == OPT_TMPFS)
			add_mount(&o, rc, arg);
		else if (rc == OPT_MASK || rc == OPT_READONLY)
			add_path(&o, rc, arg);
		else if (rc == OPT_SYSCTL)
			add_sysctl(&o, arg);
		else if (rc == OPT_DEVICE)
			add_device(&o, arg);
		else if (!cfs_opts_env_take(&o.envopts, argc, rc, arg))
			add_option(&o, rc, arg);
	}
	cfs_popt_check(ctx, rc);
	cfs_opts_env_check(&o.envopts);
	if (o.propagation)
		o.prop_flags = parse_propagation(o.propagation);
	if (o.paths_given && o.no_mask_paths)
		cfs_usage_error("--no-mask-paths with --mask-path or "
				"--readonly-path: choose");
	if (!(o.masked.done = calloc(o.masked.n + 1, 1)) ||
	    !(o.readonly.done = calloc(o.readonly.n + 1, 1)))
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "parse options");
	args = cfs_popt_args(ctx);
	if (!o.overlay && (o.ov.upper || o.overlay_size))
		cfs_usage_error("--upper and --overlay-size need --overlay");
	if (!args[0] && !o.overlay)
		cfs_usage_error("no NEWROOT given");
	if (o.seccomp_file && o.no_seccomp)
		cfs_usage_error("--seccomp and --no-seccomp: choose one");
	if (o.cgroupfs_rw && !o.cgroupfs)
		cfs_usage_error("--cgroupfs-rw needs --cgroupfs");
	if (o.cgroupfs)
		cgroupfs_path(o.cgroupfs, o.cgroup_path, sizeof(o.cgroup_path));
	o.tty |= !!o.console_socket;
	if (o.tty && (o.keep_session || o.no_dev))
		cfs_usage_error("--tty makes a new session with a pty of the "
				"container's /dev/pts: not with %s",
				o.keep_session ? "--keep-session" : "--no-dev");
	if (o.console_size && !o.tty)
		cfs_usage_error("--console-size needs --tty or --console-socket");
	if (o.console_size && cfs_pty_parse_size(o.console_size, &o.size))
		cfs_usage_error("--console-size %s: not ROWSxCOLS (numbers "
				"from 1 to 65535)", o.console_size);
	r.name = o.overlay ? overlay_options(&o) : *args++;
	if (args[0] && !strcmp(args[0], "--"))
		args++;
	else if (args[0] && args[0][0] == '-' && is_option(options, args[0]))
		cfs_usage_error("%s after NEWROOT is passed to the command; put "
				"options before %s (or -- before a command of "
				"that name)", args[0], r.name);

	if (!cfs_caps_effective(CAP_SYS_ADMIN))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"mounting needs CAP_SYS_ADMIN: run as root, or in a user "
			"namespace (cfs-unshare --user --map-root-user)");
	if (!o.overlay)
		check_newroot(r.name);
	if (o.tty)
		find_relay(&o);
	open_exec_fifo(&o);
	read_hooks(&o);
	if (o.oom_score_adj)
		set_oom_score_adj(o.oom_score_adj, false);
	if (o.umask)
		parse_umask(o.umask);
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
	/* NEWROOT bound on itself: a mount of ours to pivot to, nodev */
	r.fd = cfs_mount_clone(AT_FDCWD, r.name, 1,
			       o.allow_dev ? 0 : MOUNT_ATTR_NODEV, &e);
	if (r.fd < 0)
		cfs_die_in(&e, "bind %s on itself", r.name);
	if ((rc = open(r.name, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "bind %s on itself", r.name);
	if (cfs_mount_move(r.fd, rc, &e))
		cfs_die_in(&e, "bind %s on itself", r.name);
	close(rc);

	/* in the order of runc's default config.json */
	if (!o.no_proc)
		mount_proc(&r);
	if (!o.no_dev)
		mount_dev(&r, o.allow_dev);
	if (!o.no_sys)
		mount_sys(&r);
	if (o.cgroupfs)
		mount_cgroupfs(&o, &r);
	for (size_t i = 0; i < o.n_mounts; i++)
		mount_user(&r, &o.mounts[i], o.allow_dev);
	make_devices(&o, &r);
	/* runc's place: the mounts and devices made, the root not yet ours */
	run_hooks(&o, "createContainer");
	write_sysctls(&o, &r);
	if (!o.no_mask_paths)
		mask_paths(&r, &o);
	if (r.proc >= 0)
		close(r.proc);
	if (r.sys >= 0)
		close(r.sys);
	if (r.empty >= 0)
		close(r.empty);
	if (o.read_only && cfs_mount_setattr(r.fd, 0, MOUNT_ATTR_RDONLY, 0, &e))
		cfs_die_in(&e, "remount %s read-only", r.name);
	if (!o.keep_session)
		cfs_new_session();
	if (o.tty)
		make_tty(&o, &r);
	if (r.dev >= 0)
		close(r.dev);

	if (o.image_config)
		args = apply_image_config(&o, &r, args);
	if (!args[0])
		args = sh;
	warn_if_open_to_all(&o, r.name);
	enter_root(&o, &r);
	if (o.propagation &&
	    cfs_mount(NULL, "/", NULL, o.prop_flags, NULL, "propagation", &e))
		cfs_die_err(&e);
	set_environment(&o);
	if (o.tty && o.privs.user)
		give_tty(&o);
	close(r.fd);
	/* before the capabilities go: lowering it needs CAP_SYS_RESOURCE */
	if (o.oom_score_adj)
		set_oom_score_adj(o.oom_score_adj, true);
	if (o.umask)
		umask(parse_umask(o.umask));
	if (cfs_privs_drop(&o.privs, &e))
		cfs_die_err(&e);
	if (o.print_config)
		print_config(&o);
	wait_exec_fifo(&o);
	run_hooks(&o, "startContainer");
	cfs_exec_in(r.name, args);
}
