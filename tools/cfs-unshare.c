/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfs-unshare: run a program in new namespaces.
 *
 *   cfs-unshare [options] [--] [PROGRAM [ARG...]]
 *
 * unshare(2) the namespaces asked for, set them up (id maps, propagation,
 * hostname, loopback), then exec PROGRAM; with --fork (implied by --pid and
 * --time, whose namespaces only a child enters) PROGRAM runs in a child that
 * we wait for, forwarding signals, and whose status we exit with.
 *
 *   cfs-unshare --stop DIR [--signal SIG] [--timeout S]
 *   cfs-unshare --remove DIR [--force]
 *
 * end the container kept in DIR by --persist, and remove DIR. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "common/msg.h"
#include "common/opts.h"
#include "core/parse.h"
#include "fs/mount.h"
#include "ns/hook.h"
#include "ns/idmap.h"
#include "ns/ns.h"
#include "ns/persist.h"
#include "process/exec.h"
#include "process/pty.h"
#include "sandbox/capget.h"


struct options {
	unsigned int flags;        /* CLONE_NEW* */
	int fork, no_fork, init, no_wait;
	const char *mount_proc;    /* NULL: no; "": /proc */
	const char *propagation;   /* private slave shared unchanged */
	unsigned long propagation_flag; /* MS_PRIVATE...; 0: unchanged */
	const char *hostname;
	int map_root, map_current, map_auto;
	const char **map_users, **map_groups; /* INNER:OUTER:COUNT or auto */
	struct cfs_idmaps maps;    /* and --setgroups */
	const char *kill_child;    /* NULL: no; "": SIGKILL */
	struct cfs_persist persist; /* --uts=FILE ..., --persist, --pidfile */
	const char *remove;        /* --remove DIR */
	const char *stop;          /* --stop DIR */
	const char *signal, *timeout; /* of --stop */
	int force;                 /* of --remove */
	int info_fd;
	const char *setuid, *setgid; /* as given, or NULL */
	uid_t uid;
	gid_t gid;
	int tty, tty_sock[2];       /* --tty: the relay's end, the chain's */
	struct cfs_hook hook;      /* --setup, --teardown */
	const char **join;         /* --join TYPE:PATH */
	int join_fd[CFS_NS_COUNT]; /* their files, by cfs_ns_types' index */
};

/* The uid and gid maps the options ask for, checked before anything. */
static void plan_maps(struct options *o)
{
	struct cfs_idmaps *m = &o->maps;
	const char *map = o->map_root ? "--map-root-user" : "--map-current-user";
	struct cfs_err e;
	char from[80];
	int rc = 0;

	m->uid = (struct cfs_idmap){ .name = "uid", .own = geteuid(),
				     .subid_file = "/etc/subuid" };
	m->gid = (struct cfs_idmap){ .name = "gid", .own = getegid(),
				     .subid_file = "/etc/subgid" };
	if (o->map_root || o->map_current)
		rc = cfs_idmap_add(&m->uid, map, o->map_root ? 0 : m->uid.own,
				   m->uid.own, 1, &e) ?:
		     cfs_idmap_add(&m->gid, map, o->map_root ? 0 : m->gid.own,
				   m->gid.own, 1, &e);
	if (!rc && o->map_auto)
		rc = cfs_idmap_parse(&m->uid, "--map-auto", "auto", &e) ?:
		     cfs_idmap_parse(&m->gid, "--map-auto", "auto", &e);
	for (const char **u = o->map_users; !rc && u && *u; u++) {
		snprintf(from, sizeof(from), "--map-users %s", *u);
		rc = cfs_idmap_parse(&m->uid, from, *u, &e);
	}
	for (const char **g = o->map_groups; !rc && g && *g; g++) {
		snprintf(from, sizeof(from), "--map-groups %s", *g);
		rc = cfs_idmap_parse(&m->gid, from, *g, &e);
	}
	if (rc || cfs_idmap_check(&m->uid, &e) || cfs_idmap_check(&m->gid, &e))
		cfs_die_err(&e);
	if (m->uid.n || m->gid.n)
		o->flags |= CLONE_NEWUSER;
}

static void die_unshare(unsigned int flags)
{
	char names[128] = "";
	int err = errno;

	for (const struct cfs_ns_type *t = cfs_ns_types; t->flag; t++)
		if (flags & t->flag) {
			strcat(names, " ");
			strcat(names, t->option);
		}
	/* what a newcomer meets first: namespaces need privilege, or a user
	 * namespace made with them (user_namespaces(7)) */
	if (err == EPERM && geteuid() != 0 && !(flags & CLONE_NEWUSER))
		cfs_die(CFS_EXIT_FAILURE, 0, "unshare%s: %s; as an ordinary "
			"user, try --user --map-root-user", names, strerror(err));
	cfs_die(CFS_EXIT_FAILURE, err, "unshare%s", names);
}

/* --info-fd: where to find PROGRAM (PID, as the host sees it) and its
 * namespaces, for admin scripts (bwrap's --info-fd format). The pidfile
 * is lib/ns/persist's: written before PROGRAM goes on. */
static void tell_where(const struct options *o, pid_t pid)
{
	const char *self = pid == getpid() ? "_for_children" : "";
	char path[64];	/* without a fork, our new pid and time namespaces are
			   our children's */
	struct stat st;
	FILE *f;

	if (o->info_fd < 0)
		return;
	if (!(f = fdopen(o->info_fd, "w")))
		cfs_die(CFS_EXIT_FAILURE, errno, "--info-fd %d", o->info_fd);
	fprintf(f, "{\n    \"child-pid\": %d", pid);
	for (const struct cfs_ns_type *t = cfs_ns_types; t->flag; t++) {
		if (!(o->flags & t->flag))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s%s", pid, t->name,
			 t->flag & (CLONE_NEWPID | CLONE_NEWTIME) ? self : "");
		if (stat(path, &st) == 0)
			fprintf(f, ",\n    \"%s-namespace\": %lu", t->name,
				(unsigned long)st.st_ino);
	}
	if (fprintf(f, "\n}\n") < 0 || fclose(f))
		cfs_die(CFS_EXIT_FAILURE, errno, "--info-fd %d", o->info_fd);
}

/* PID 1 of the new pid namespace with --init: run PROGRAM as our child,
 * reap every orphan, forward signals, and end with PROGRAM's status. */
static int run_init(const char **argv, int tty_sock)
{
	pid_t pid = cfs_fork_forwarding();

	if (pid < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "fork");
	if (pid == 0)
		cfs_exec(argv);
	if (tty_sock >= 0)	/* the relay's socket is PROGRAM's alone */
		close(tty_sock);
	/* With our cwd at the old root too, pivot_root(2) in PROGRAM moves
	 * our root and cwd into the new root: no host path stays open in
	 * the container's PID 1. */
	if (chdir("/") < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "chdir /");
	return cfs_exit_code(cfs_wait_forwarding(pid));
}

/* What the child does before it execs PROGRAM, --kill-child and
 * --mount-proc, as steps prepared here: a spawned child, in our memory,
 * may make system calls and nothing else. PARENT is our PID, as the
 * child sees it before the exec. */
struct before {
	struct cfs_step step[4];
	char *mount;	/* "mount proc on DIR" */
};

static void plan_before(const struct options *o, pid_t parent,
			struct before *b)
{
	struct cfs_step *s = b->step;

	if (o->kill_child) {
		int sig = *o->kill_child ? cfs_parse_signal(o->kill_child)
					 : SIGKILL;
		*s++ = (struct cfs_step){ .op = CFS_STEP_PRCTL,
					  .num = { PR_SET_PDEATHSIG, sig },
					  .msg = "prctl PR_SET_PDEATHSIG" };
		/* cfs-unshare died before that: we are an orphan already (in
		 * a new PID namespace our parent is outside it, PID 0) */
		*s++ = (struct cfs_step){
			.op = CFS_STEP_PPID_IS, .num = { parent },
			.msg = "--kill-child: cfs-unshare has exited" };
	}
	if (o->mount_proc) {
		const char *dir = *o->mount_proc ? o->mount_proc : "/proc";

		if (asprintf(&b->mount, "mount proc on %s", dir) < 0)
			cfs_die(CFS_EXIT_FAILURE, ENOMEM, "mount proc on %s", dir);
		*s++ = (struct cfs_step){ .op = CFS_STEP_MOUNT, .source = "proc",
					  .path = dir, .type = "proc",
					  .flags = MS_NOSUID | MS_NODEV |
						   MS_NOEXEC,
					  .msg = b->mount };
	}
	*s = (struct cfs_step){ .op = CFS_STEP_END };
}

/* What runs PROGRAM, in the namespaces, when it is not spawned: with
 * no --fork, under --init, or after the namespaces are kept. */
static void run_program(const struct options *o, const char **argv,
			const struct before *b)
{
	struct cfs_err e;

	if (cfs_steps_run(b->step, &e))
		cfs_die_err(&e);
	/* util-linux unshare's --setgid drops the supplementary groups too,
	 * where setgroups is allowed */
	if (o->setgid && ((setgroups(0, NULL) < 0 && errno != EPERM) ||
			  setgid(o->gid) < 0))
		cfs_die(CFS_EXIT_FAILURE, errno, "setgid %u", (unsigned)o->gid);
	if (o->setuid && setuid(o->uid) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "setuid %u", (unsigned)o->uid);
	if (o->init)
		exit(run_init(argv, o->tty ? o->tty_sock[1] : -1));
	cfs_exec(argv);
}

/* --join TYPE:PATH: each file opened and checked before anything is
 * made; a type joined is not made new too. Joining a PID or time
 * namespace, like making one, takes a fork. */
static void open_joins(struct options *o)
{
	struct cfs_err e;

	for (int i = 0; i < CFS_NS_COUNT; i++)
		o->join_fd[i] = -1;
	for (int i = 0; o->join && o->join[i]; i++) {
		const char *arg = o->join[i], *colon = strchr(arg, ':');
		const struct cfs_ns_type *t = cfs_ns_types;
		size_t len = colon ? (size_t)(colon - arg) : 0;

		for (; t->flag; t++)
			if ((strlen(t->name) == len && !strncmp(arg, t->name, len)) ||
			    (strlen(t->option) == len &&
			     !strncmp(arg, t->option, len)))
				break;
		if (!colon || !t->flag || !colon[1])
			cfs_usage_error("--join %s: not TYPE:PATH (TYPE user, "
					"cgroup, ipc, uts, net, pid, time, "
					"mount)", arg);
		if (o->flags & t->flag || o->join_fd[t - cfs_ns_types] >= 0)
			cfs_usage_error("--join %s: a %s namespace is already "
					"asked for", arg, t->option);
		if ((o->join_fd[t - cfs_ns_types] = cfs_ns_open(colon + 1, t,
								  &e)) < 0)
			cfs_die_err(&e);
		if (t->flag & (CLONE_NEWPID | CLONE_NEWTIME))
			o->fork = 1;
	}
}

/* setns(2) into each --join namespace, the user one first (it gives the
 * rights to join the others), the mount one last. */
static void enter_joins(struct options *o)
{
	for (int i = 0; i < CFS_NS_COUNT; i++) {
		if (o->join_fd[i] < 0)
			continue;
		if (setns(o->join_fd[i], cfs_ns_types[i].flag) < 0)
			cfs_die(CFS_EXIT_FAILURE, errno, "setns %s namespace",
				cfs_ns_types[i].option);
		close(o->join_fd[i]);
	}
}

static void check_options(struct options *o)
{
	const char *sg = o->maps.setgroups;
	long id;

	if (o->mount_proc || o->init)
		o->flags |= CLONE_NEWNS;
	if (o->map_root && o->map_current)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--map-root-user and --map-current-user exclude each other");
	if (sg && strcmp(sg, "allow") && strcmp(sg, "deny"))
		cfs_die(CFS_EXIT_FAILURE, 0, "--setgroups %s: not allow or deny",
			sg);
	/* The kernel takes a one-id gid map written in the namespace only
	 * with setgroups denied (user_namespaces(7)). */
	if (sg && !strcmp(sg, "allow") && (o->map_root || o->map_current))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--setgroups allow and --map-%s-user exclude each other",
			o->map_root ? "root" : "current");
	plan_maps(o);
	/* newgidmap denies it too when it maps our own gid alone */
	if (sg && !strcmp(sg, "allow") && geteuid() &&
	    cfs_idmap_is_own(&o->maps.gid))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--setgroups allow: a user that maps only its own gid "
			"gets setgroups denied; map a range of /etc/subgid too "
			"(--map-groups, --map-auto)");
	if (sg && !(o->flags & CLONE_NEWUSER))
		cfs_die(CFS_EXIT_FAILURE, 0, "--setgroups needs --user");
	if (!strcmp(o->propagation, "private"))
		o->propagation_flag = MS_PRIVATE;
	else if (!strcmp(o->propagation, "slave"))
		o->propagation_flag = MS_SLAVE;
	else if (!strcmp(o->propagation, "shared"))
		o->propagation_flag = MS_SHARED;
	else if (strcmp(o->propagation, "unchanged"))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--propagation %s: not private, slave, shared or unchanged",
			o->propagation);
	if (o->hostname && !(o->flags & CLONE_NEWUTS) &&
	    o->join_fd[cfs_ns_type(CLONE_NEWUTS) - cfs_ns_types] < 0)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--hostname needs --uts: it would rename the host");
	if (o->hostname && strlen(o->hostname) > HOST_NAME_MAX)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--hostname %s: longer than %d characters", o->hostname,
			HOST_NAME_MAX);
	if (o->kill_child && *o->kill_child &&
	    cfs_parse_signal(o->kill_child) < 0)
		cfs_die(CFS_EXIT_FAILURE, 0, "--kill-child=%s: unknown signal",
			o->kill_child);
	if (o->info_fd >= 0 && fcntl(o->info_fd, F_SETFD, FD_CLOEXEC) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "--info-fd %d", o->info_fd);
	if (o->persist.dir && !o->flags)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--persist %s: no namespace asked for", o->persist.dir);
	/* A namespace is kept by a bind mount in our mount namespace, the
	 * host's: a user may not mount there (mount_namespaces(7)). */
	for (int i = 0; i < CFS_NS_COUNT; i++)
		if ((o->persist.dir || o->persist.file[i]) &&
		    !cfs_caps_effective(CAP_SYS_ADMIN))
			cfs_die(CFS_EXIT_FAILURE, 0,
				"--%s%s%s: a namespace is kept by a bind mount "
				"here, which needs CAP_SYS_ADMIN (root); as a "
				"user, enter by PID instead (cfs-enter -t PID; "
				"--pidfile)",
				o->persist.dir ? "persist " : cfs_ns_types[i].option,
				o->persist.dir ? "" : "=",
				o->persist.dir ? o->persist.dir : o->persist.file[i]);
	if (o->init && !(o->flags & CLONE_NEWPID))
		cfs_die(CFS_EXIT_FAILURE, 0, "--init needs --pid");
	if (o->tty && !isatty(STDIN_FILENO))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--tty: the standard input is not a terminal");

	if ((o->hook.setup || o->hook.teardown) && o->no_fork)
		cfs_die(CFS_EXIT_FAILURE, 0, "--no-fork contradicts --%s: the "
			"hook needs PROGRAM's PID before it runs",
			o->hook.setup ? "setup" : "teardown");

	/* A new pid or time namespace is entered by children only: without
	 * a fork PROGRAM would not be in it (util-linux's usual pitfall).
	 * A hook needs a PROGRAM that waits for it. */
	if (o->flags & (CLONE_NEWPID | CLONE_NEWTIME) || o->init ||
	    o->kill_child || o->tty || o->hook.setup || o->hook.teardown)
		o->fork = 1;
	if (o->no_fork && o->flags & CLONE_NEWPID &&
	    (o->persist.dir ||
	     o->persist.file[cfs_ns_type(CLONE_NEWPID) - cfs_ns_types]))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"keeping a PID namespace needs a process in it: not "
			"with --no-fork");
	if (o->no_fork && (o->init || o->kill_child || o->tty))
		cfs_die(CFS_EXIT_FAILURE, 0, "--no-fork contradicts %s",
			o->init ? "--init" : o->tty ? "--tty" : "--kill-child");
	if (o->no_fork)
		o->fork = 0;
	if (o->setuid && cfs_parse_long(o->setuid, 0, UINT32_MAX - 1, &id) == 0)
		o->uid = (uid_t)id;
	else if (o->setuid)
		cfs_die(CFS_EXIT_FAILURE, 0, "--setuid %s: not a uid", o->setuid);
	if (o->setgid && cfs_parse_long(o->setgid, 0, UINT32_MAX - 1, &id) == 0)
		o->gid = (gid_t)id;
	else if (o->setgid)
		cfs_die(CFS_EXIT_FAILURE, 0, "--setgid %s: not a gid", o->setgid);
	if (o->no_wait && (!o->fork || o->init || o->kill_child || o->tty))
		cfs_die(CFS_EXIT_FAILURE, 0, "--no-wait needs a fork (--fork, "
			"--pid), and not --init, --kill-child or --tty");
}

/* Remove cfs-cgroup's cgroup NAME that a stopped container was in, unless
 * other processes are still there (--reuse): a warning then. Its last
 * processes may take a moment to leave it. */
static void remove_cgroup(const char *name)
{
	struct cfs_cgroup cg;
	struct cfs_err e;
	int rc;

	if ((rc = cfs_cgroup_open(&cg, name, "", &e)) == 0)
		for (int tries = 0; tries < 50; tries++) {
			if ((rc = cfs_cgroup_remove_empty(&cg, &e)) != -EBUSY)
				break;
			usleep(20000);
		}
	if (rc)
		cfs_warn(e.errnum, "%s", e.msg);
}

/* --stop DIR and --remove DIR: end the container kept in DIR if its init
 * runs (--remove only with --force, and by SIGKILL at once), then remove
 * DIR. Returns the exit status: 0 it stopped within the time (or it was
 * removed), 1 it had to be killed, 2 it was not running. */
static int stop(const struct options *o, const char **args)
{
	const char *dir = o->stop ? o->stop : o->remove;
	const char *opt = o->stop ? "--stop" : "--remove";
	int sig = SIGKILL, timeout = 0, status = 2, pidfd, rc;
	char cgroup[CFS_CGROUP_NAME_MAX + 1];
	struct cfs_err e;
	long n;
	pid_t pid;

	if (o->stop && o->remove)
		cfs_die(CFS_EXIT_FAILURE, 0, "--stop and --remove exclude each other");
	if (o->flags || o->persist.dir || o->persist.pidfile || o->info_fd >= 0 ||
	    args[0])
		cfs_die(CFS_EXIT_FAILURE, 0, "%s takes no option but %s, and no "
			"program", opt, o->stop ? "--signal and --timeout" : "--force");
	if (o->stop) {
		if ((sig = o->signal ? cfs_parse_signal(o->signal) : SIGTERM) < 0)
			cfs_die(CFS_EXIT_FAILURE, 0, "--signal %s: unknown signal",
				o->signal);
		if (cfs_parse_long(o->timeout ? o->timeout : "10", 0,
				   INT_MAX / 1000, &n))
			cfs_die(CFS_EXIT_FAILURE, 0,
				"--timeout %s: not a number of seconds", o->timeout);
		timeout = n * 1000;
	}
	if ((rc = cfs_persist_is_dir(dir, &e)) < 0)
		cfs_die(CFS_EXIT_FAILURE, e.errnum, "%s %s", opt, e.msg);
	if (!rc)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"%s %s: not a container made with --persist (%s)", opt,
			dir, e.msg);
	/* a DIR of an older cfs-unshare has no init.pid: --remove as then */
	if ((rc = cfs_persist_init(dir, &pid, &pidfd, &e)) == -ENOENT && o->remove)
		rc = 0;
	if (rc < 0)
		cfs_die_err(&e);
	if (rc && o->remove && !o->force)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--remove %s: the container is running (PID %d): stop it "
			"with --stop, or add --force", dir, pid);
	/* the cgroup cfs-cgroup made for it goes with it, once empty */
	if (rc && cfs_cgroup_name_of("", pid, cgroup, sizeof(cgroup), &e) != 1)
		cgroup[0] = '\0';
	if (rc && (status = cfs_persist_stop(pidfd, sig, timeout, &e)) < 0)
		cfs_die_err(&e);
	if (cfs_persist_remove(dir, &e))
		cfs_die_err(&e);
	if (cgroup[0])
		remove_cgroup(cgroup);
	return o->stop ? status : 0;
}

/* --tty: the socket the chain's cfs-pivot --tty sends the pty's master
 * through, its end inherited by the child alone, named in the
 * environment (pty.h); the parent relays it to our terminal. */
static void tty_socket(struct options *o)
{
	char fd[16];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, o->tty_sock) < 0 ||
	    fcntl(o->tty_sock[0], F_SETFD, FD_CLOEXEC) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "--tty: socketpair");
	snprintf(fd, sizeof(fd), "%d", o->tty_sock[1]);
	if (setenv(CFS_PTY_SOCKET_ENV, fd, 1) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "--tty: setenv");
}

static int relay(struct options *o, pid_t child)
{
	struct cfs_relay r = { .child = child, .sock = o->tty_sock[0],
			       .master = -1, .in = STDIN_FILENO,
			       .out = STDOUT_FILENO };
	struct cfs_err e;
	int wstatus, code;

	close(o->tty_sock[1]);
	if ((wstatus = cfs_pty_relay(&r, &e)) < 0)
		cfs_die_err(&e);
	code = cfs_exit_code(wstatus);
	if (!r.got_master && code < CFS_EXIT_FAILURE)
		cfs_warn(0, "--tty: no terminal came back from the chain "
			 "(cfs-pivot --tty sends it)");
	return code;
}

/* lib/ns/persist names DIR; we name the option that gave it. */
static void die_persist(const struct options *o, const struct cfs_err *e)
{
	if (e->errnum == ENOTEMPTY && o->persist.dir)
		cfs_die(CFS_EXIT_FAILURE, ENOTEMPTY, "--persist %s", e->msg);
	cfs_die_err(e);
}

int main(int argc, const char **argv)
{
	struct options o = { .propagation = "private", .info_fd = -1,
			     .persist.advice = "or use --persist, which does that" };
	struct poptOption options[] = {
		{ "mount", 'm', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL,
		  CLONE_NEWNS, "new mount namespace, kept at FILE if given",
		  "FILE" },
		{ "uts", 'u', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL,
		  CLONE_NEWUTS,
		  "new UTS namespace (hostname and domain name), kept at FILE "
		  "if given", "FILE" },
		{ "ipc", 'i', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL,
		  CLONE_NEWIPC, "new IPC namespace, kept at FILE if given",
		  "FILE" },
		{ "net", 'n', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL,
		  CLONE_NEWNET,
		  "new network namespace, with loopback up, kept at FILE if "
		  "given", "FILE" },
		{ "pid", 'p', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL,
		  CLONE_NEWPID,
		  "new PID namespace (implies --fork), kept at FILE if given",
		  "FILE" },
		{ "user", 'U', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL,
		  CLONE_NEWUSER, "new user namespace, kept at FILE if given",
		  "FILE" },
		{ "cgroup", 'C', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL,
		  CLONE_NEWCGROUP, "new cgroup namespace, kept at FILE if given",
		  "FILE" },
		{ "time", 'T', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL,
		  CLONE_NEWTIME,
		  "new time namespace (implies --fork), kept at FILE if given",
		  "FILE" },
		{ "persist", 0, POPT_ARG_STRING, &o.persist.dir, 0,
		  "keep every new namespace as a file DIR/TYPE (DIR made 0700)",
		  "DIR" },
		{ "remove", 0, POPT_ARG_STRING, &o.remove, 0,
		  "unmount and delete the namespace files of a --persist DIR, "
		  "and DIR, then exit; refused while the container runs",
		  "DIR" },
		{ "force", 0, POPT_ARG_NONE, &o.force, 0,
		  "with --remove: SIGKILL a running container first", NULL },
		{ "stop", 0, POPT_ARG_STRING, &o.stop, 0,
		  "stop the container of a --persist DIR: SIGTERM to its init, "
		  "SIGKILL after --timeout, then remove DIR as --remove does; "
		  "exit 0 stopped, 1 killed, 2 not running", "DIR" },
		{ "signal", 0, POPT_ARG_STRING, &o.signal, 0,
		  "with --stop: the signal to send first (default TERM)",
		  "SIGNAL" },
		{ "timeout", 0, POPT_ARG_STRING, &o.timeout, 0,
		  "with --stop: the seconds to wait before SIGKILL (default 10)",
		  "SECONDS" },
		{ "pidfile", 0, POPT_ARG_STRING, &o.persist.pidfile, 0,
		  "write PROGRAM's PID to FILE, whole, before PROGRAM runs (its "
		  "directory made 0700 if missing)", "FILE" },
		{ "info-fd", 0, POPT_ARG_INT, &o.info_fd, 0,
		  "write PROGRAM's PID and namespaces as JSON to FD", "FD" },
		{ "join", 0, POPT_ARG_ARGV, &o.join, 0,
		  "join the namespace of file PATH (/proc/PID/ns/TYPE, or a "
		  "kept one) instead of making it new; repeatable",
		  "TYPE:PATH" },
		{ "setup", 0, POPT_ARG_STRING, &o.hook.setup, 0,
		  "run the shell command CMD on the host side, with CFS_PID "
		  "set to PROGRAM's PID, once the namespaces exist and before "
		  "PROGRAM goes on; fail if it fails (cfs-net attach); implies "
		  "--fork", "CMD" },
		{ "teardown", 0, POPT_ARG_STRING, &o.hook.teardown, 0,
		  "run the shell command CMD the same way once PROGRAM has "
		  "ended, even if cfs-unshare is gone (cfs-net detach); "
		  "implies --fork", "CMD" },
		{ "fork", 'f', POPT_ARG_NONE, &o.fork, 0,
		  "run PROGRAM as a child and wait for it", NULL },
		{ "no-fork", 0, POPT_ARG_NONE, &o.no_fork, 0,
		  "exec PROGRAM in this process even with --pid or --time", NULL },
		{ "setuid", 'S', POPT_ARG_STRING, &o.setuid, 0,
		  "become UID (in the new user namespace) before PROGRAM",
		  "UID" },
		{ "setgid", 'G', POPT_ARG_STRING, &o.setgid, 0,
		  "become GID before PROGRAM, with no supplementary group",
		  "GID" },
		{ "no-wait", 0, POPT_ARG_NONE, &o.no_wait, 0,
		  "exit once PROGRAM is started instead of waiting: it is "
		  "left to our parent's subreaper (runc create's way)", NULL },
		{ "init", 0, POPT_ARG_NONE, &o.init, 0,
		  "with --pid: PID 1 is a tiny init that reaps orphans and "
		  "forwards signals to PROGRAM", NULL },
		{ "mount-proc", 0, POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL,
		  &o.mount_proc, 0,
		  "mount a new proc on DIR (default /proc); implies --mount",
		  "DIR" },
		{ "propagation", 0, POPT_ARG_STRING, &o.propagation, 0,
		  "propagation of / in the new mount namespace: private "
		  "(default), slave, shared or unchanged", "MODE" },
		{ "hostname", 0, POPT_ARG_STRING, &o.hostname, 0,
		  "set the hostname in the new UTS namespace", "NAME" },
		{ "map-root-user", 'r', POPT_ARG_NONE, &o.map_root, 0,
		  "map root in the new user namespace to the current user; "
		  "implies --user", NULL },
		{ "map-current-user", 0, POPT_ARG_NONE, &o.map_current, 0,
		  "map the current user to itself; implies --user", NULL },
		{ "map-users", 0, POPT_ARG_ARGV, &o.map_users, 0,
		  "map COUNT uids from INNER in the new user namespace to "
		  "OUTER on; auto: 0 to ours and 1 on to our first range in "
		  "/etc/subuid (newuidmap); repeatable; implies --user",
		  "INNER:OUTER:COUNT|auto" },
		{ "map-groups", 0, POPT_ARG_ARGV, &o.map_groups, 0,
		  "the same for gids, /etc/subgid and newgidmap",
		  "INNER:OUTER:COUNT|auto" },
		{ "map-auto", 0, POPT_ARG_NONE, &o.map_auto, 0,
		  "--map-users auto --map-groups auto: root is us, 1-65536 "
		  "(or as many as our range has) our subordinate IDs", NULL },
		{ "setgroups", 0, POPT_ARG_STRING, &o.maps.setgroups, 0,
		  "allow or deny setgroups(2) in the new user namespace",
		  "allow|deny" },
		{ "tty", 't', POPT_ARG_NONE, &o.tty, 0,
		  "relay our terminal to the pty that cfs-pivot --tty down "
		  "the chain makes; implies --fork", NULL },
		{ "kill-child", 0, POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL,
		  &o.kill_child, 0,
		  "send SIGNAL (default SIGKILL) to PROGRAM when cfs-unshare "
		  "dies; implies --fork", "SIGNAL" },
		CFS_OPTS_VERSION,
		POPT_AUTOHELP POPT_TABLEEND
	};
	poptContext ctx = cfs_popt_context(argc, argv, options);
	struct cfs_err e;
	struct before before;
	pid_t parent = getpid(), pid;
	int persisted[2], rc;

	poptSetOtherOptionHelp(ctx, "[OPTION...] [--] [PROGRAM [ARG...]]");
	while ((rc = poptGetNextOpt(ctx)) > 0) {
		const struct cfs_ns_type *t = cfs_ns_type(rc);
		char *file = poptGetOptArg(ctx);

		if (rc == CFS_OPT_VERSION)
			cfs_print_version();
		o.flags |= t->flag;
		if (file && *file)
			o.persist.file[t - cfs_ns_types] = file;
	}
	cfs_popt_check(ctx, rc);
	if ((o.signal || o.timeout) && !o.stop)
		cfs_die(CFS_EXIT_FAILURE, 0, "--signal and --timeout go with --stop");
	if (o.force && !o.remove)
		cfs_die(CFS_EXIT_FAILURE, 0, "--force goes with --remove");
	if (o.stop || o.remove)
		exit(stop(&o, cfs_popt_args(ctx)));
	open_joins(&o);
	check_options(&o);
	plan_before(&o, parent, &before);
	argv = cfs_program_or_shell(cfs_popt_args(ctx));

	if (cfs_persist_start(&o.persist, o.flags, &e) ||
	    cfs_idmaps_start(&o.maps, &e) || cfs_hook_start(&o.hook, &e))
		cfs_die_err(&e);
	enter_joins(&o);
	if (o.hostname && !(o.flags & CLONE_NEWUTS) && cfs_ns_is_hosts("uts"))
		cfs_die(CFS_EXIT_FAILURE, 0, "--hostname with --join uts:...: "
			"that namespace is the host's: it would rename the host");
	if (unshare(o.flags) < 0)
		die_unshare(o.flags);

	/* With a helper, it has said why it failed */
	if (o.flags & CLONE_NEWUSER && cfs_idmaps_finish(&o.maps, &e))
		*e.msg ? cfs_die_err(&e) : exit(CFS_EXIT_FAILURE);
	if (o.flags & CLONE_NEWNS && o.propagation_flag &&
	    cfs_mount(NULL, "/", NULL, MS_REC | o.propagation_flag, NULL,
		      "propagation", &e))
		cfs_die_err(&e);
	if (o.hostname && sethostname(o.hostname, strlen(o.hostname)) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "sethostname %s", o.hostname);
	if (o.flags & CLONE_NEWNET && cfs_loopback_up(&e))
		cfs_die_err(&e);

	if (!o.fork) {
		if (cfs_persist_finish(&o.persist, getpid(), &e))
			die_persist(&o, &e);
		tell_where(&o, getpid());
		run_program(&o, argv, &before);
	}
	/* When keeping namespaces or writing a pidfile, PROGRAM waits until
	 * they are kept (a PID namespace whose init had already exited could
	 * not be) and the pidfile is whole: whoever reads it, or DIR, finds
	 * the container there. */
	if ((o.persist.helper.pid || o.hook.helper.pid) &&
	    pipe2(persisted, O_CLOEXEC) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "pipe");
	if (o.tty)
		tty_socket(&o);
	/* The child is spawned, with no copy of our memory: its steps are
	 * system calls only. Under --init it stays, as PID 1, and with
	 * namespaces to keep or a pidfile it waits: those fork. */
	if (!o.persist.helper.pid && !o.hook.helper.pid && !o.init &&
	    !o.setuid && !o.setgid)
		pid = cfs_spawn(argv, before.step);
	else
		pid = cfs_fork_forwarding();
	if (pid < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "fork");
	if (pid == 0) {
		char ok;
		/* our copy of the write end closed: cfs-unshare's death
		 * is an EOF here, not a wait for ever */
		if ((o.persist.helper.pid || o.hook.helper.pid) &&
		    (close(persisted[1]), read(persisted[0], &ok, 1) != 1))
			_exit(CFS_EXIT_FAILURE);
		run_program(&o, argv, &before);
	}
	if (o.persist.helper.pid || o.hook.helper.pid) {
		if (cfs_persist_finish(&o.persist, pid, &e)) {
			kill(pid, SIGKILL);
			die_persist(&o, &e);
		}
		if (cfs_hook_finish(&o.hook, pid, &e)) {
			kill(pid, SIGKILL);
			cfs_die_err(&e);
		}
		if (write(persisted[1], "y", 1) != 1)
			cfs_die(CFS_EXIT_FAILURE, errno, "start %s", argv[0]);
		close(persisted[1]);
	}
	tell_where(&o, pid);
	if (o.no_wait)
		exit(0);
	rc = o.tty ? relay(&o, pid) : cfs_exit_code(cfs_wait_forwarding(pid));
	cfs_popt_free(ctx);
	exit(rc);
}
