/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfs-enter: run a program in the namespaces of a container.
 *
 *   cfs-enter [options] [--] [PROGRAM [ARG...]]
 *
 * The nsenter(1) of cfs. Open every namespace to join (/proc/PID/ns/TYPE
 * of a target process, files given one by one, or those of a directory
 * made by cfs-unshare --persist), the target's root, working directory
 * and environment; make ourselves non-dumpable; join its cgroups; setns(2)
 * the user namespace first, the mount namespace last; change root and
 * directory; cut our capabilities to the target's, switching ids on the
 * way, and check that each cut took; start a new session and load the
 * container's seccomp profile, last; exec PROGRAM, in a child when a PID
 * or time namespace was joined (only children enter those), waiting for
 * it and passing its status back.
 *
 * What PROGRAM keeps is the target's by default; --cap-add, --cap-drop,
 * --groups and their kind set it as an OCI process object asks (cfs-oci
 * exec): cfs-pivot's options, with the same meaning. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "common/msg.h"
#include "common/opts-env.h"
#include "common/opts.h"
#include "core/parse.h"
#include "ns/ns.h"
#include "process/env.h"
#include "process/exec.h"
#include "process/pty.h"
#include "sandbox/caps.h"
#include "sandbox/syscall-filter.h"
#include "sandbox/user.h"

struct options {
	const char *target;        /* -t PID, as given */
	const char *file[CFS_NS_COUNT]; /* by cfs_ns_types index: NULL not asked,
				      "" asked without FILE, else FILE */
	const char *persist;       /* --persist DIR */
	int all, env, preserve, no_fork, join_cgroup, keep_session, no_seccomp;
	const char *seccomp;       /* --seccomp FILE */
	const char *root, *wd;     /* NULL no, "" the target's, else DIR */
	const char *uid, *gid;     /* -S, -G */
	int tty;                   /* --tty, or --console-socket */
	const char *console_socket;
	const char *console_size;  /* --console-size ROWSxCOLS, or NULL */
	struct cfs_pty_size size;  /* it parsed: 0x0 copy ours */
	struct cfs_opts_env envopts; /* --setenv... --preserve-fds */
	struct cfs_strv cap_ops;   /* "+CAP" or "-CAP", in order */
	int cap_ambient, no_new_privs, allow_new_privs, no_wait, pid_fd;
	const char *groups, *umask, *oom_score_adj;
	struct { int resource; struct rlimit limit; const char *arg; }
		rlimits[RLIM_NLIMITS];
	size_t n_rlimits;
};

/* What we hold before the first setns: all of it opened in the host. */
struct plan {
	pid_t pid;                 /* the target, 0 without -t */
	int pidfd;
	char path[CFS_NS_COUNT][PATH_MAX];
	int fd[CFS_NS_COUNT];           /* -1: not joined */
	int root, cwd;             /* the target's, O_PATH, or -1 */
	struct cfs_caps caps;      /* the target's; without, ours once joined */
	const char *profile;       /* the seccomp profile to load, or NULL */
	const char *profile_name;  /* its file, for messages */
	char *environ;             /* the target's, NUL-separated */
	size_t environ_len;
	long uid, gid;             /* -1: unchanged */
	bool no_groups;            /* supplementary groups dropped */
	pid_t sid;                 /* the session we were started in */
	int tty_sock;              /* --console-socket, connected */
	bool explicit_caps;        /* --cap-add, --cap-drop, --groups... */
	gid_t groups[NGROUPS_MAX]; /* --groups */
	size_t n_groups;
};

static int type_index(int flag)
{
	return (int)(cfs_ns_type(flag) - cfs_ns_types);
}

static bool joins(const struct plan *p, int flag)
{
	return p->fd[type_index(flag)] >= 0;
}

static void check_options(const struct options *o, struct plan *p)
{
	bool any = o->all || o->join_cgroup;
	long n;

	for (int i = 0; i < CFS_NS_COUNT; i++)
		if (o->file[i])
			any = true;
	if (o->target && o->persist)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--target and --persist exclude each other");
	if (o->env && o->envopts.keep_env)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--env and --keep-env: choose one");
	if (o->seccomp && o->no_seccomp)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--seccomp and --no-seccomp: choose one");
	if (o->all && !o->target && !o->persist)
		cfs_die(CFS_EXIT_FAILURE, 0, "--all needs --target or --persist");
	if (!any)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"nothing to enter: name namespaces (-m -u -i -n -p -U -C "
			"-T), or --all with --target or --persist");
	if (o->target) {
		if (cfs_parse_long(o->target, 1, INT_MAX, &n))
			cfs_die(CFS_EXIT_FAILURE, 0, "--target %s: not a PID",
				o->target);
		p->pid = n;
		/* pins the process: it is the one we read if it still lives
		 * once we have read it (see check_target) */
		if ((p->pidfd = syscall(SYS_pidfd_open, p->pid, 0)) < 0 &&
		    errno == ESRCH)
			cfs_die(CFS_EXIT_FAILURE, 0, "--target %s: no such "
				"process", o->target);
		if (p->pidfd < 0) {
			struct cfs_err e;

			cfs_fail_call(&e, errno, "pidfd_open", "pidfd_open");
			cfs_die_in(&e, "--target %s", o->target);
		}
	}
	for (int i = 0; i < CFS_NS_COUNT; i++)
		if (o->file[i] && !*o->file[i] && !o->target && !o->persist)
			cfs_die(CFS_EXIT_FAILURE, 0,
				"--%s needs a FILE (--%s=FILE), --target or "
				"--persist", cfs_ns_types[i].option,
				cfs_ns_types[i].option);
	if (!o->target && (o->env || o->join_cgroup ||
			   (o->root && !*o->root) || (o->wd && !*o->wd)))
		cfs_die(CFS_EXIT_FAILURE, 0, "%s needs --target",
			o->env ? "--env" : o->join_cgroup ? "--join-cgroup"
			: o->root && !*o->root ? "--root without DIR"
					       : "--wd without DIR");
	if (o->tty && o->keep_session)
		cfs_die(CFS_EXIT_FAILURE, 0, "--tty makes a new session: not "
			"with --keep-session");
	if (o->tty && !o->console_socket && o->no_fork)
		cfs_die(CFS_EXIT_FAILURE, 0, "--tty is relayed by our parent "
			"process: not with --no-fork");
	if (o->tty && !o->console_socket && !isatty(STDIN_FILENO))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--tty: the standard input is not a terminal");
	p->uid = p->gid = -1;
	if (o->uid && cfs_parse_long(o->uid, 0, UINT32_MAX - 1, &p->uid))
		cfs_die(CFS_EXIT_FAILURE, 0, "--setuid %s: not a UID", o->uid);
	if (o->gid && cfs_parse_long(o->gid, 0, UINT32_MAX - 1, &p->gid))
		cfs_die(CFS_EXIT_FAILURE, 0, "--setgid %s: not a GID", o->gid);
}

/* Is the namespace open on FD the one we are in? */
static bool is_ours(int fd, const struct cfs_ns_type *t)
{
	struct stat a, b;
	char self[64];

	snprintf(self, sizeof(self), "/proc/self/ns/%s", t->name);
	return fstat(fd, &a) == 0 && stat(self, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Open the namespaces to join: a FILE given, else the target's or the
 * persisted one. With --all, the target's that differ from ours, or every
 * file --persist DIR has. setns(2) to our own user namespace fails: that
 * one is skipped whenever it is ours. */
static void open_namespaces(const struct options *o, struct plan *p)
{
	struct cfs_err e;
	struct stat st;
	int found = 0;

	if (o->persist && stat(o->persist, &st) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "--persist %s", o->persist);
	if (o->persist && !S_ISDIR(st.st_mode))
		cfs_die(CFS_EXIT_FAILURE, ENOTDIR, "--persist %s", o->persist);
	for (int i = 0; i < CFS_NS_COUNT; i++) {
		const struct cfs_ns_type *t = &cfs_ns_types[i];
		const char *f = o->file[i];

		p->fd[i] = -1;
		if (!f && !o->all)
			continue;
		if (f && *f)
			snprintf(p->path[i], PATH_MAX, "%s", f);
		else if (o->target)
			snprintf(p->path[i], PATH_MAX, "/proc/%d/ns/%s", p->pid,
				 t->name);
		else
			snprintf(p->path[i], PATH_MAX, "%s/%s", o->persist,
				 t->name);
		if (o->persist && !f && lstat(p->path[i], &st) < 0 &&
		    errno == ENOENT)
			continue; /* --all: what DIR has */
		if ((p->fd[i] = cfs_ns_open(p->path[i], t, &e)) < 0)
			cfs_die_err(&e);
		found++;
		if ((t->flag == CLONE_NEWUSER || (o->all && !f)) &&
		    is_ours(p->fd[i], t)) {
			close(p->fd[i]);
			p->fd[i] = -1;
		}
	}
	if (o->persist && !found)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--persist %s: no namespace files: not a directory made "
			"by cfs-unshare --persist", o->persist);
}

static char *read_all(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t size = 4096;
	char *buf = malloc(size + 1);
	ssize_t n;

	if (fd < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "open %s", path);
	if (!buf)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "read %s", path);
	*len = 0;
	while ((n = read(fd, buf + *len, size - *len)) > 0)
		if ((*len += n) == size && !(buf = realloc(buf, (size *= 2) + 1)))
			cfs_die(CFS_EXIT_FAILURE, ENOMEM, "read %s", path);
	if (n < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "read %s", path);
	buf[*len] = '\0';
	close(fd);
	return buf;
}

static int open_path(pid_t pid, const char *what)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, what);
	if ((fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "open %s", path);
	return fd;
}

/* --seccomp FILE, read and checked in the host before we join anything:
 * the name is the host's, and a mistake in it changes nothing. */
static void read_profile(const struct options *o, struct plan *p)
{
	struct cfs_err e;
	size_t len;

	if (!o->seccomp)
		return;
	p->profile = read_all(o->seccomp, &len);
	p->profile_name = o->seccomp;
	if (cfs_seccomp_check(p->profile, p->profile_name, &e))
		cfs_die_err(&e);
}

/* The filter of what we run is the container's profile: never one read
 * from a process of the container, which may have added a filter of its
 * own that answers our drops with "success" without making them
 * (cfs-enter(1), Seccomp). --seccomp FILE, else, when the target has a
 * filter, cfs-pivot's default profile, for the target's bounding set.
 * A target with none (cfs-pivot --no-seccomp) gets none: a process
 * cannot take its own filter off, so the container was made without. */
static void choose_filter(const struct options *o, struct plan *p)
{
	if (o->no_seccomp || o->seccomp || !p->caps.seccomp)
		return;
	p->profile = cfs_seccomp_default;
	p->profile_name = "default.json";
}

static void load_filter(const struct plan *p)
{
	struct cfs_seccomp sc;
	struct cfs_err e;

	if (p->profile && cfs_seccomp_load(p->profile, p->profile_name,
					   p->caps.bounding, &sc, &e))
		cfs_die_err(&e);
}

/* What else of the target's we need, read while it is in reach: its
 * capabilities and seccomp mode, environment, root and working
 * directory. The last two by default when we join its mount namespace. */
static void open_target(struct options *o, struct plan *p)
{
	int mnt = type_index(CLONE_NEWNS);
	struct cfs_err e;
	char path[64];

	p->root = p->cwd = -1;
	if (!p->pid)
		return;
	if (cfs_caps_read(p->pid, &p->caps, &e))
		cfs_die_err(&e);
	choose_filter(o, p);
	if (o->env) {
		snprintf(path, sizeof(path), "/proc/%d/environ", p->pid);
		p->environ = read_all(path, &p->environ_len);
	}
	if (p->fd[mnt] >= 0 && !(o->file[mnt] && *o->file[mnt])) {
		if (!o->wd && !o->root)
			o->wd = "";
		if (!o->root)
			o->root = "";
	}
	if (o->root && !*o->root)
		p->root = open_path(p->pid, "root");
	if (o->wd && !*o->wd)
		p->cwd = open_path(p->pid, "cwd");
}

/* Every /proc/PID file we opened was the target's if it lives yet: its
 * PID cannot have been reused. */
static void check_target(const struct plan *p)
{
	if (p->pid && syscall(SYS_pidfd_send_signal, p->pidfd, 0, NULL, 0) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno == ESRCH ? 0 : errno,
			"--target %d%s", p->pid,
			errno == ESRCH ? ": exited while we read it" : "");
}

/* setns(2) wants CAP_SYS_ADMIN in our user namespace and in the one that
 * owns the namespace: a user has it only after joining the container's
 * (as its owner, who made it). */
static void join_namespaces(struct plan *p)
{
	bool user = joins(p, CLONE_NEWUSER);

	for (int i = 0; i < CFS_NS_COUNT; i++) {
		if (p->fd[i] < 0)
			continue;
		if (setns(p->fd[i], cfs_ns_types[i].flag) < 0)
			cfs_die(CFS_EXIT_FAILURE, 0, "setns %s: %s%s", p->path[i],
				strerror(errno),
				errno == EPERM && !user && geteuid()
					? " (as a user, join the container's "
					  "user namespace too: -U)"
					: "");
		close(p->fd[i]);
	}
}

/* The root, then the working directory: the target's (opened before we
 * joined), or a DIR as seen in the namespaces joined. */
static void change_dirs(const struct options *o, const struct plan *p)
{
	if (p->root >= 0 && (fchdir(p->root) < 0 || chroot(".") < 0))
		cfs_die(CFS_EXIT_FAILURE, errno, "chroot /proc/%d/root", p->pid);
	if (o->root && *o->root && chroot(o->root) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "chroot %s", o->root);
	if (o->root && chdir("/") < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "chdir / in the new root");
	if (p->cwd >= 0 && fchdir(p->cwd) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "chdir /proc/%d/cwd", p->pid);
	if (o->wd && *o->wd && chdir(o->wd) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "chdir %s", o->wd);
	if (p->root >= 0)
		close(p->root);
	if (p->cwd >= 0)
		close(p->cwd);
}

static void die_id(const char *call, long id)
{
	if (errno == EINVAL)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"%s %ld: not mapped in the user namespace", call, id);
	cfs_die(CFS_EXIT_FAILURE, errno, "%s %ld", call, id);
}

/* -S and -G; in a joined user namespace root of it by default, as
 * nsenter(1) does, unless --preserve-credentials. There, with all of its
 * capabilities, setgroups(2) fails only when the namespace denies it
 * (cfs-unshare -r): our groups are the ones it allows then. */
static void default_ids(const struct options *o, struct plan *p)
{
	if (joins(p, CLONE_NEWUSER) && !o->preserve) {
		if (!o->uid)
			p->uid = 0;
		if (!o->gid)
			p->gid = 0;
	}
}

static void switch_ids(const struct options *o, struct plan *p)
{
	default_ids(o, p);
	if (p->gid >= 0) {
		if (setgroups(0, NULL) == 0)
			p->no_groups = true;
		else if (!(errno == EPERM && joins(p, CLONE_NEWUSER)))
			cfs_die(CFS_EXIT_FAILURE, errno, "setgroups");
		if (setgid(p->gid) < 0)
			die_id("setgid", p->gid);
	}
	if (p->uid >= 0 && setuid(p->uid) < 0)
		die_id("setuid", p->uid);
}

/* --cap-add, --cap-drop, --groups, --cap-ambient: PROGRAM keeps the
 * target's bounding set changed in the order asked (ALL included), as
 * cfs-pivot's init keeps its set: bounding, permitted and effective;
 * inheritable and ambient too for --cap-ambient or a uid other than 0.
 * --no-new-privs and --allow-new-privs set no_new_privs or not, the
 * target's otherwise. What P's caps say is what check_privileges then
 * holds us to. */
static void set_process_privs(const struct options *o, struct plan *p)
{
	uint64_t keep = p->caps.bounding, mask;
	bool ambient;

	if (o->no_new_privs || o->allow_new_privs)
		p->caps.no_new_privs = o->no_new_privs;
	if (!p->explicit_caps)
		return;
	for (size_t i = 0; i < o->cap_ops.n; i++) {
		cfs_caps_parse(o->cap_ops.v[i] + 1, &mask); /* checked */
		keep = o->cap_ops.v[i][0] == '+' ? keep | mask : keep & ~mask;
	}
	default_ids(o, p);
	if (p->uid < 0)
		p->uid = getuid();
	if (p->gid < 0)
		p->gid = getgid();
	ambient = o->cap_ambient || p->uid != 0;
	p->caps.bounding = p->caps.permitted = p->caps.effective = keep;
	p->caps.inheritable = p->caps.ambient = ambient ? keep : 0;
	p->no_groups = !p->n_groups;
}

/* The explicit set: the ids and groups, the capabilities kept through
 * exec (cfs_caps_keep_only, as cfs-pivot), no_new_privs. */
static void keep_explicit(const struct options *o, struct plan *p)
{
	struct cfs_err e;

	if (cfs_caps_keep_only(p->caps.bounding, true, o->cap_ambient,
			       (uid_t)p->uid, (gid_t)p->gid, p->groups,
			       p->n_groups, &e))
		cfs_die_err(&e);
	if (p->caps.no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "set no_new_privs");
}

/* --rlimit, --oom-score-adj, --umask: while we may still raise them
 * (CAP_SYS_RESOURCE), before the drops. */
static void set_limits(const struct options *o)
{
	long n;
	int fd;

	for (size_t i = 0; i < o->n_rlimits; i++)
		if (setrlimit(o->rlimits[i].resource, &o->rlimits[i].limit) < 0)
			cfs_die(CFS_EXIT_FAILURE, errno, "set the limit %s",
				o->rlimits[i].arg);
	if (o->oom_score_adj) {
		cfs_parse_long(o->oom_score_adj, -1000, 1000, &n); /* checked */
		if ((fd = open("/proc/self/oom_score_adj",
			       O_WRONLY | O_CLOEXEC)) < 0 ||
		    dprintf(fd, "%ld", n) < 0 || close(fd) < 0)
			cfs_die(CFS_EXIT_FAILURE, errno,
				"write /proc/self/oom_score_adj");
	}
	if (o->umask)
		umask((mode_t)strtoul(o->umask, NULL, 8)); /* checked */
}

/* No more privilege in than the target has: its bounding set while we
 * still have CAP_SETPCAP, the id switch, then its other sets and
 * no_new_privs. Without a target there is nothing to copy. */
static void limit_privileges(const struct options *o, struct plan *p)
{
	struct cfs_err e;

	if (p->explicit_caps) {
		keep_explicit(o, p);
		return;
	}
	if (p->pid && cfs_caps_limit_bounding(&p->caps, &e))
		cfs_die_err(&e);
	switch_ids(o, p);
	if (p->pid && cfs_caps_limit(&p->caps, &e))
		cfs_die_err(&e);
}

/* Each id asked for is the one we have, read from ids that start as none
 * (-1, which no --setuid takes): a call answered "success" without being
 * made shows. */
static void check_ids(const struct plan *p)
{
	uid_t ru = -1, eu = -1, su = -1;
	gid_t rg = -1, eg = -1, sg = -1;

	if (p->uid >= 0 && (getresuid(&ru, &eu, &su) < 0 || ru != p->uid ||
			    eu != p->uid || su != p->uid))
		cfs_die(CFS_EXIT_FAILURE, 0, "setuid %ld: not done: the uids are "
			"%d %d %d", p->uid, (int)ru, (int)eu, (int)su);
	if (p->gid >= 0 && (getresgid(&rg, &eg, &sg) < 0 || rg != p->gid ||
			    eg != p->gid || sg != p->gid))
		cfs_die(CFS_EXIT_FAILURE, 0, "setgid %ld: not done: the gids are "
			"%d %d %d", p->gid, (int)rg, (int)eg, (int)sg);
	if (p->no_groups && getgroups(0, NULL) != 0)
		cfs_die(CFS_EXIT_FAILURE, 0, "setgroups: not done: %d "
			"supplementary groups left", getgroups(0, NULL));
}

/* The drops, checked before anything of the container's runs as us:
 * what we run may not keep more than the target has because a call said
 * "success" without being made. */
static void check_privileges(const struct plan *p)
{
	struct cfs_err e;

	if (cfs_caps_check(&p->caps, &e))
		cfs_die_err(&e);
	check_ids(p);
}

/* The target's environment (-e), as "NAME=VALUE" entries. */
static char **target_environ(const struct plan *p)
{
	size_t n = 0, i = 0;
	char **v;

	for (char *s = p->environ; s < p->environ + p->environ_len;
	     s += strlen(s) + 1)
		n++;
	if (!(v = calloc(n + 1, sizeof(*v))))
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "--env");
	for (char *s = p->environ; s < p->environ + p->environ_len;
	     s += strlen(s) + 1)
		if (strchr(s, '=') && s[0] != '=')
			v[i++] = s;
	return v;
}

/* What PROGRAM starts with: the target's environment with -e, ours with
 * --keep-env, else a clean one, PATH, TERM when our stdin is a terminal,
 * and HOME from the passwd of the root we are in; then --setenv,
 * --unsetenv, --env-file. Only fds 0, 1, 2 and --preserve-fds more. */
static void set_environment(const struct options *o, const struct plan *p)
{
	const char *defaults[3] = { "PATH=" CFS_ENV_DEFAULT_PATH };
	uid_t uid = p->uid >= 0 ? (uid_t)p->uid : geteuid();
	const char *term = getenv("TERM");
	char *term_entry = NULL, *home;
	struct cfs_err e;

	if (term && isatty(STDIN_FILENO) &&
	    asprintf(&term_entry, "TERM=%s", term) > 0)
		defaults[1] = term_entry;
	if (cfs_user_home(uid, &home, &e))
		cfs_die_err(&e);
	cfs_opts_env_apply(&o->envopts, o->env ? NULL : defaults,
			   o->env ? target_environ(p) : NULL, home, 0);
}

/* --pid-fd: PROGRAM's PID, as our PID namespace numbers it. */
static void tell_pid(const struct options *o, pid_t pid)
{
	if (o->pid_fd >= 0 &&
	    (dprintf(o->pid_fd, "%d\n", (int)pid) < 0 || close(o->pid_fd) < 0))
		cfs_die(CFS_EXIT_FAILURE, errno, "--pid-fd %d", o->pid_fd);
}

/* cfs_new_session, for a child of ours: it leads no process group, so
 * setsid(2) cannot but work. It must lead the session then (a call
 * answered "success" without being made would leave it in ours); ours
 * is the caller's, whose leader is another process. Steps of the
 * spawned child: system calls only. */
static const struct cfs_step new_session[] = {
	{ .op = CFS_STEP_SETSID, .msg = "start a new session" },
	{ .op = CFS_STEP_SID_IS_PID, .msg = "start a new session" },
	{ .op = CFS_STEP_END },
};

/* The same, in this process: the session is ours, not the caller's. */
static void start_session(const struct plan *p)
{
	pid_t sid;

	cfs_new_session();
	if ((sid = getsid(0)) <= 0 || sid != getpid() || sid == p->sid)
		cfs_die(CFS_EXIT_FAILURE, 0, "start a new session: not done: "
			"the session is %d", (int)sid);
}

/* --tty: the pty's slave PROGRAM's terminal, in a new session: in a
 * forked child, or in this process. */
static void take_tty(const struct plan *p, struct cfs_pty *pty)
{
	struct cfs_err e;

	if (pty->master >= 0)
		close(pty->master);
	start_session(p);
	if (cfs_pty_take(pty->slave, &e))
		cfs_die_err(&e);
}

/* --console-socket: the pty's master sent to the engine, which sets
 * the pty's size on it; ours closed: nothing of ours is between the
 * engine and the container's terminal. */
static void send_master(const struct plan *p, struct cfs_pty *pty)
{
	struct cfs_err e;

	if (cfs_pty_send(p->tty_sock, pty, &e))
		cfs_die_err(&e);
	close(pty->master);
	pty->master = -1;
}

/* How long PROGRAM waits, once the engine has the master, for the
 * engine's first resize of a pty that has no size yet: conmon's came
 * within 0.7 ms of its read in 100 podman execs on a loaded machine. */
enum { ENGINE_RESIZE_MS = 100 };

/* --console-socket, in the process that is to be PROGRAM, the pty's
 * slave its terminal: not before the engine has received the master,
 * and the pty has a size, or ENGINE_RESIZE_MS pass with none (an
 * engine that sizes it later, or never: ctr). podman 4.3 gives the
 * size to conmon before the exec, and conmon sets it on the master
 * right after it has read it, unless it is not scheduled then: the pty
 * had no size yet in 5 of 100 execs when the read was seen, and stty
 * size saw 0 0 in 2 of 400 without this wait. When we cannot tell,
 * PROGRAM goes all the same. */
static void wait_for_engine(const struct plan *p)
{
	struct cfs_err ignored;

	if (!cfs_pty_wait_received(p->tty_sock, &ignored))
		cfs_pty_wait_size(STDIN_FILENO, ENGINE_RESIZE_MS, &ignored);
	close(p->tty_sock);
}

/* --tty: a pty from the /dev/pts of the root we are in, the container's,
 * made as the user PROGRAM runs as. Its master is relayed by us, the
 * parent, outside the container's PID namespace when we joined one (and
 * never dumpable), or sent to the --console-socket before PROGRAM is
 * made, as runc does; PROGRAM starts once the engine has it (which may
 * be after we have exited: containerd's shim reads it then). */
static void run_tty(const char **argv, const struct plan *p,
		    const struct options *o)
{
	bool spawn = !o->no_fork &&
		     (joins(p, CLONE_NEWPID) || joins(p, CLONE_NEWTIME));
	struct cfs_relay r = { .sock = -1, .in = STDIN_FILENO,
			       .out = STDOUT_FILENO };
	struct cfs_pty pty;
	struct cfs_err e;
	int wstatus;

	if (cfs_pty_open(AT_FDCWD, "/dev/pts/ptmx", "", &pty, &e) ||
	    (o->size.rows ? cfs_pty_set_size(pty.slave, &o->size, &e)
			  : cfs_pty_copy_size(STDIN_FILENO, pty.slave, &e)))
		cfs_die_err(&e);
	if (p->caps.no_new_privs)
		load_filter(p);
	if (o->console_socket)
		send_master(p, &pty);
	if (o->console_socket && !spawn) {
		take_tty(p, &pty);
		tell_pid(o, getpid());
		wait_for_engine(p);
		cfs_exec(argv);
	}
	if ((r.child = cfs_fork_forwarding()) < 0 && errno == ENOMEM &&
	    joins(p, CLONE_NEWPID))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"fork into the PID namespace of %s: its init has exited",
			p->path[type_index(CLONE_NEWPID)]);
	if (r.child < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "fork");
	if (r.child == 0) {
		take_tty(p, &pty);
		/* our caller reads --pid-fd to its end: not ours to hold
		 * while we wait (containerd-shim reads the master only
		 * once cfs-oci exec has exited) */
		if (o->pid_fd >= 0)
			close(o->pid_fd);
		if (o->console_socket)
			wait_for_engine(p);
		cfs_exec(argv);
	}
	close(pty.slave);
	tell_pid(o, r.child);
	if (o->console_socket) {
		close(p->tty_sock);
		if (o->no_wait)
			exit(0);
		exit(cfs_exit_code(cfs_wait_forwarding(r.child)));
	}
	r.master = pty.master;
	if ((wstatus = cfs_pty_relay(&r, &e)) < 0)
		cfs_die_err(&e);
	exit(cfs_exit_code(wstatus));
}

/* In a joined PID or time namespace only a child is: spawn it, wait, pass
 * its status on. A PID namespace whose init has exited takes no new
 * process: clone(2) fails with ENOMEM then. The seccomp filter, with
 * no_new_privs, comes last: after the new session, right before the exec;
 * with a child, before it is spawned (its step may only make system
 * calls, and libseccomp allocates), so the parent that waits is filtered
 * too. */
static void run(const char **argv, const struct plan *p,
		const struct options *o)
{
	bool spawn = !o->no_fork &&
		     (joins(p, CLONE_NEWPID) || joins(p, CLONE_NEWTIME));
	int pid_ns = type_index(CLONE_NEWPID);
	pid_t child;

	if (o->tty)
		run_tty(argv, p, o);
	if (!spawn && !o->keep_session)
		start_session(p);
	if (p->caps.no_new_privs)
		load_filter(p);
	if (!spawn) {
		tell_pid(o, getpid());
		cfs_exec(argv);
	}
	child = cfs_spawn(argv, o->keep_session ? NULL : new_session);
	if (child < 0 && errno == ENOMEM && joins(p, CLONE_NEWPID))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"fork into the PID namespace of %s: its init has exited",
			p->path[pid_ns]);
	if (child < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "fork");
	tell_pid(o, child);
	if (o->no_wait)
		exit(0);
	exit(cfs_exit_code(cfs_wait_forwarding(child)));
}

enum { OPT_CAP_ADD = 0x7f00, OPT_CAP_DROP, OPT_RLIMIT };

/* --cap-add, --cap-drop, --rlimit: checked as they come */
static bool take_process_option(struct options *o, int rc, const char *arg)
{
	char err[128], *op;
	uint64_t mask;

	if (rc == OPT_RLIMIT) {
		if (o->n_rlimits == RLIM_NLIMITS)
			cfs_usage_error("--rlimit %s: one too many", arg);
		if (cfs_parse_rlimit(arg, &o->rlimits[o->n_rlimits].resource,
				     &o->rlimits[o->n_rlimits].limit, err))
			cfs_usage_error("--rlimit %s", err);
		o->rlimits[o->n_rlimits++].arg = arg;
		return true;
	}
	if (rc != OPT_CAP_ADD && rc != OPT_CAP_DROP)
		return false;
	if (cfs_caps_parse(arg, &mask))
		cfs_usage_error("--cap-%s %s: not a capability",
				rc == OPT_CAP_ADD ? "add" : "drop", arg);
	if (asprintf(&op, "%c%s", rc == OPT_CAP_ADD ? '+' : '-', arg) < 0 ||
	    cfs_strv_push(&o->cap_ops, op))
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "--cap-add");
	free(op);
	return true;
}

/* The options of what PROGRAM keeps, and --pid-fd, checked before
 * anything is joined. */
static void check_process_options(struct options *o, struct plan *p)
{
	char *end;
	long n;

	if (o->no_new_privs && o->allow_new_privs)
		cfs_usage_error("--no-new-privs and --allow-new-privs: choose "
				"one");
	if (o->oom_score_adj && cfs_parse_long(o->oom_score_adj, -1000, 1000,
					       &n))
		cfs_usage_error("--oom-score-adj %s: not -1000 to 1000",
				o->oom_score_adj);
	errno = 0;
	if (o->umask && (strtoul(o->umask, &end, 8), errno || !*o->umask ||
			 *end || strtoul(o->umask, NULL, 8) > 0777))
		cfs_usage_error("--umask %s: not an octal mode 0 to 0777",
				o->umask);
	if (o->pid_fd >= 0 && fcntl(o->pid_fd, F_SETFD, FD_CLOEXEC) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "--pid-fd %d", o->pid_fd);
	for (const char *g = o->groups; g && *g; g = end + (*end == ',')) {
		if (p->n_groups == NGROUPS_MAX)
			cfs_usage_error("--groups: more than %d", NGROUPS_MAX);
		errno = 0;
		n = strtol(g, &end, 10);
		if (errno || end == g || (*end && *end != ',') || n < 0 ||
		    n >= (long)UINT32_MAX || (*end == ',' && !end[1]))
			cfs_usage_error("--groups %s: not GID,GID...", o->groups);
		p->groups[p->n_groups++] = n;
	}
	if (o->no_wait && o->tty && !o->console_socket)
		cfs_usage_error("--no-wait: not with --tty, which we relay");
	p->explicit_caps = o->cap_ops.n || o->groups || o->cap_ambient;
	if (p->explicit_caps && !o->target)
		cfs_usage_error("--cap-add, --cap-drop, --groups and "
				"--cap-ambient need --target");
}

#define NS_OPTION(long_, short_, flag, what)                               \
	{ long_, short_, POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL, flag, \
	  "enter the " what " namespace (of FILE if given)", "FILE" }

int main(int argc, const char **argv)
{
	struct options o = { .pid_fd = -1 };
	struct poptOption options[] = {
		{ "target", 't', POPT_ARG_STRING, &o.target, 0,
		  "enter the namespaces of process PID", "PID" },
		{ "persist", 0, POPT_ARG_STRING, &o.persist, 0,
		  "enter the namespaces kept in DIR by cfs-unshare --persist",
		  "DIR" },
		{ "all", 'a', POPT_ARG_NONE, &o.all, 0,
		  "enter every namespace of the target that differs from ours, "
		  "or every one DIR has", NULL },
		NS_OPTION("mount", 'm', CLONE_NEWNS, "mount"),
		NS_OPTION("uts", 'u', CLONE_NEWUTS, "UTS"),
		NS_OPTION("ipc", 'i', CLONE_NEWIPC, "IPC"),
		NS_OPTION("net", 'n', CLONE_NEWNET, "network"),
		NS_OPTION("pid", 'p', CLONE_NEWPID, "PID"),
		NS_OPTION("user", 'U', CLONE_NEWUSER, "user"),
		NS_OPTION("cgroup", 'C', CLONE_NEWCGROUP, "cgroup"),
		NS_OPTION("time", 'T', CLONE_NEWTIME, "time"),
		{ "join-cgroup", 'c', POPT_ARG_NONE, &o.join_cgroup, 0,
		  "join the cgroups of the target too", NULL },
		{ "root", 'r', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, &o.root, 0,
		  "root directory: DIR in the container, else the target's",
		  "DIR" },
		{ "wd", 'w', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, &o.wd, 0,
		  "working directory: DIR in the container, else the target's",
		  "DIR" },
		{ "env", 'e', POPT_ARG_NONE, &o.env, 0,
		  "use the target's environment instead of ours", NULL },
		CFS_OPTS_ENV(o.envopts),
		{ "setuid", 'S', POPT_ARG_STRING, &o.uid, 0,
		  "set the user ID (default 0 in a joined user namespace)",
		  "UID" },
		{ "setgid", 'G', POPT_ARG_STRING, &o.gid, 0,
		  "set the group ID and drop supplementary groups (default 0 "
		  "in a joined user namespace)", "GID" },
		{ "preserve-credentials", 0, POPT_ARG_NONE, &o.preserve, 0,
		  "keep our IDs in a joined user namespace", NULL },
		{ "keep-session", 0, POPT_ARG_NONE, &o.keep_session, 0,
		  "run PROGRAM in our session, with our terminal (a process "
		  "of the container could type into it)", NULL },
		{ "tty", 0, POPT_ARG_NONE, &o.tty, 0,
		  "give PROGRAM a pty of the container's /dev/pts as its "
		  "controlling terminal, relayed to ours", NULL },
		{ "console-socket", 0, POPT_ARG_STRING, &o.console_socket, 0,
		  "--tty, with the pty's master sent to the AF_UNIX socket "
		  "PATH (runc's protocol) instead of relayed", "PATH" },
		{ "console-size", 0, POPT_ARG_STRING, &o.console_size, 0,
		  "with --tty, the pty made ROWS high and COLS wide (OCI's "
		  "process.consoleSize) instead of the size of ours",
		  "ROWSxCOLS" },
		{ "seccomp", 0, POPT_ARG_STRING, &o.seccomp, 0,
		  "load the seccomp profile FILE (as cfs-pivot --seccomp) "
		  "instead of cfs-pivot's default", "FILE" },
		{ "no-seccomp", 0, POPT_ARG_NONE, &o.no_seccomp, 0,
		  "load no seccomp filter", NULL },
		{ "no-fork", 'F', POPT_ARG_NONE, &o.no_fork, 0,
		  "exec PROGRAM in this process even when joining a PID or "
		  "time namespace", NULL },
		{ "cap-add", 0, POPT_ARG_STRING, NULL, OPT_CAP_ADD,
		  "keep capability CAP too (or ALL), beyond the target's; "
		  "repeatable", "CAP" },
		{ "cap-drop", 0, POPT_ARG_STRING, NULL, OPT_CAP_DROP,
		  "drop capability CAP (or ALL) of the target's; repeatable",
		  "CAP" },
		{ "cap-ambient", 0, POPT_ARG_NONE, &o.cap_ambient, 0,
		  "make the capabilities kept inheritable and ambient too, "
		  "for root as well", NULL },
		{ "groups", 0, POPT_ARG_STRING, &o.groups, 0,
		  "supplementary groups of PROGRAM, by number (default none)",
		  "G1,G2..." },
		{ "no-new-privs", 0, POPT_ARG_NONE, &o.no_new_privs, 0,
		  "set no_new_privs, whether the target has it or not", NULL },
		{ "allow-new-privs", 0, POPT_ARG_NONE, &o.allow_new_privs, 0,
		  "do not set no_new_privs, even when the target has it",
		  NULL },
		{ "rlimit", 0, POPT_ARG_STRING, NULL, OPT_RLIMIT,
		  "set a resource limit (setrlimit(2)); repeatable",
		  "NAME=SOFT[:HARD]" },
		{ "umask", 0, POPT_ARG_STRING, &o.umask, 0,
		  "set PROGRAM's umask (octal; default: ours)", "MODE" },
		{ "oom-score-adj", 0, POPT_ARG_STRING, &o.oom_score_adj, 0,
		  "set PROGRAM's oom_score_adj (proc(5)), N in [-1000, 1000]",
		  "N" },
		{ "pid-fd", 0, POPT_ARG_INT, &o.pid_fd, 0,
		  "write PROGRAM's PID to FD, then close it", "FD" },
		{ "no-wait", 0, POPT_ARG_NONE, &o.no_wait, 0,
		  "exit once PROGRAM is started in a joined PID namespace, "
		  "leaving it to our parent's subreaper", NULL },
		CFS_OPTS_VERSION,
		POPT_AUTOHELP POPT_TABLEEND
	};
	poptContext ctx = cfs_popt_context(argc, argv, options);
	static struct plan p;
	struct cfs_err e;
	int rc;

	poptSetOtherOptionHelp(ctx, "[OPTION...] [--] [PROGRAM [ARG...]]");
	while ((rc = poptGetNextOpt(ctx)) > 0) {
		const struct cfs_ns_type *t = cfs_ns_type(rc);
		const char *arg = poptGetOptArg(ctx);

		if (rc == CFS_OPT_VERSION)
			cfs_print_version();
		if (cfs_opts_env_take(&o.envopts, argc, rc, arg) ||
		    take_process_option(&o, rc, arg))
			continue;
		if (t)
			o.file[t - cfs_ns_types] = arg;
	}
	cfs_popt_check(ctx, rc);
	o.tty |= !!o.console_socket;
	if (o.console_size && !o.tty)
		cfs_usage_error("--console-size needs --tty or --console-socket");
	if (o.console_size && cfs_pty_parse_size(o.console_size, &o.size))
		cfs_usage_error("--console-size %s: not ROWSxCOLS (numbers "
				"from 1 to 65535)", o.console_size);
	check_options(&o, &p);
	check_process_options(&o, &p);
	/* a path of the host: before we join anything */
	if (o.console_socket &&
	    (p.tty_sock = cfs_pty_connect(o.console_socket, &e)) < 0)
		cfs_die_err(&e);
	cfs_opts_env_check(&o.envopts);
	read_profile(&o, &p);
	p.sid = getsid(0);

	open_namespaces(&o, &p);
	open_target(&o, &p);
	set_process_privs(&o, &p);
	check_target(&p);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "prctl PR_SET_DUMPABLE");
	if (o.join_cgroup && cfs_cgroup_join_of("", p.pid, &e))
		cfs_die_err(&e);
	join_namespaces(&p);
	change_dirs(&o, &p);
	/* without a target, no more than we have in what we joined */
	if (!p.pid && cfs_caps_read_self(&p.caps, &e))
		cfs_die_err(&e);
	/* Without no_new_privs, loading a filter takes CAP_SYS_ADMIN, which
	 * the drops may take away: load it first then, as runc exec does
	 * (it is the container's profile, which answers no call falsely);
	 * else last of all (run). */
	if (!p.caps.no_new_privs)
		load_filter(&p);
	set_limits(&o);
	limit_privileges(&o, &p);
	check_privileges(&p);
	set_environment(&o, &p);
	run(cfs_program_or_shell(cfs_popt_args(ctx)), &p, &o);
}
