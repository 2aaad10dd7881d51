/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfs-oci: an OCI runtime with runc's command line, made of the chain.
 *
 *   cfs-oci [--root DIR] COMMAND [OPTION...] ID
 *
 * create reads BUNDLE/config.json, maps every field to an option of
 * cfs-cgroup, cfs-unshare or cfs-pivot (tools/oci/chain.c; `cfs-oci chain`
 * prints that chain), and runs the chain with the lifecycle's options:
 * cfs-unshare --no-wait leaves the container's init to the caller's
 * subreaper, cfs-pivot --exec-fifo blocks it before the user's program
 * until start reads the fifo, --ready-fd says when it got there. The
 * state is ROOT/ID (tools/oci/state.c), locked with flock. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "core/err.h"
#include "process/exec.h"
#include "oci/chain.h"
#include "oci/hooks.h"
#include "oci/nocgroup.h"
#include "oci/state.h"
#include "common/opts.h"
#include "common/msg.h"
#include "core/parse.h"

struct global {
	const char *root, *log, *log_format;
	int debug, systemd_cgroup;
};

/* The options of create and run; run's --detach. */
struct create_opts {
	const char *bundle, *pid_file, *console_socket;
	int no_pivot, no_new_keyring, preserve_fds, detach;
};

static char *state_path(const struct global *g, const char *id)
{
	struct cfs_err e;
	char *p;

	if (cfs_oci_check_id(id, &e))
		cfs_die_err(&e);
	if (asprintf(&p, "%s/%s", g->root, id) < 0)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "state of %s", id);
	return p;
}

/* ROOT/ID opened and flock()ed (LOCK_EX or LOCK_SH), and its state. */
static int open_locked(const char *dir, const char *id, int how,
		       struct cfs_oci_state *s)
{
	struct cfs_err e;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		cfs_die(CFS_EXIT_FAILURE, 0, "container %s does not exist", id);
	if (fd < 0 || flock(fd, how) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "lock %s", dir);
	if (s && cfs_oci_state_read(fd, dir, s, &e)) {
		/* a create killed before its first write: no state */
		if (e.errnum != ENOENT)
			cfs_die_err(&e);
		memset(s, 0, sizeof(*s));
		snprintf(s->id, sizeof(s->id), "%s", id);
	}
	return fd;
}

/* The directory of our own executable: the chain's tools are there. */
static const char *tool_path(const char *name)
{
	static char dir[PATH_MAX];
	char *path;
	ssize_t n;

	if (!*dir) {
		if ((n = readlink("/proc/self/exe", dir, sizeof(dir) - 1)) < 0)
			cfs_die(CFS_EXIT_FAILURE, errno, "readlink /proc/self/exe");
		dir[n] = '\0';
		*strrchr(dir, '/') = '\0';
	}
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "%s", name);
	return path;
}

static size_t strv_len(const char **v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

/* LIFE's setup and pivot_hooks are dropped when config.json has no hook
 * that create runs: the chain then costs no "cfs-oci hook". */
static void load_chain(const char *bundle, const char *id, const char *dir,
		       struct cfs_oci_life *life, json_t **config,
		       struct cfs_oci_chain *c)
{
	struct cfs_err e;
	char *seccomp;

	if (asprintf(&seccomp, "%s/seccomp.json", dir) < 0)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "%s", dir);
	if (cfs_oci_load(bundle, config, &e))
		cfs_die_err(&e);
	if (life && !cfs_oci_hooks_has(json_object_get(*config, "hooks"), NULL))
		life->setup = life->pivot_hooks = NULL;
	if (cfs_oci_chain(*config, bundle, id, seccomp, life, c, &e))
		cfs_die_err(&e);
	free(seccomp); /* the chain has its copy */
}

/* Remove what create made: the init and the cgroup, the state dir. */
static void destroy(const char *dir, int dirfd, const struct cfs_oci_state *s)
{
	static const char *const files[] = { "exec.fifo", "init.pid",
					     "seccomp.json", "state.json",
					     "state.json.tmp", "hooks.json",
					     "pivot-hooks.json", NULL };
	char name[sizeof(s->cgroup)];
	struct cfs_cgroup cg;
	struct cfs_err e;
	int rc;

	if (s->pid && cfs_oci_starttime(s->pid) == s->starttime)
		kill(s->pid, SIGKILL);
	if (s->cgroup[0] && (rc = cfs_cgroup_open(&cg, s->cgroup, "", &e)) == 0)
		rc = cfs_cgroup_delete(&cg, &e);
	else
		rc = 0;
	if (rc && rc != -ENOENT)
		cfs_warn(e.errnum, "%s", e.msg);
	/* and the cgroups above it that a relative cgroupsPath ("a/b") made,
	 * where nothing else is left in them */
	snprintf(name, sizeof(name), "%s", s->cgroup);
	for (char *slash; !rc && name[0] != '/' &&
			  (slash = strrchr(name, '/'));) {
		*slash = '\0';
		if (cfs_cgroup_open(&cg, name, "", &e) ||
		    cfs_cgroup_remove_empty(&cg, &e))
			break;
	}
	for (int i = 0; files[i]; i++)
		unlinkat(dirfd, files[i], 0);
	if (rmdir(dir) < 0 && errno != ENOENT)
		cfs_die(CFS_EXIT_FAILURE, errno, "remove %s", dir);
}

static void now_rfc3339(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), size - strlen(buf), ".%09ldZ", ts.tv_nsec);
}

static void write_pid_file(const char *file, pid_t pid)
{
	char *tmp;
	FILE *f;

	if (asprintf(&tmp, "%s.tmp", file) < 0)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "--pid-file %s", file);
	if (!(f = fopen(tmp, "we")) || fprintf(f, "%d", pid) < 0 || fclose(f) ||
	    rename(tmp, file) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "--pid-file %s", file);
	free(tmp);
}

/* --log FILE: our messages also go there, as runc writes its own: a
 * JSON object a line with --log-format json (containerd's shim reads the
 * last "error" of it into the error it reports), else the line. */
static int log_fd = -1;
static bool log_json;

static void log_at(const char *level, const char *line)
{
	char now[64];
	json_t *j;
	char *s;

	if (!log_json) {
		dprintf(log_fd, "%s\n", line);
		return;
	}
	now_rfc3339(now, sizeof(now));
	j = json_pack("{s:s, s:s, s:s}", "level", level, "msg", line, "time",
		      now);
	if (j && (s = json_dumps(j, JSON_COMPACT))) {
		dprintf(log_fd, "%s\n", s);
		free(s);
	}
	json_decref(j);
}

static void log_line(const char *line)
{
	log_at("error", line);
}

/* In the log, a create whose chain failed: its tool's message went to
 * stderr, which is the container's (an engine may not show it). */
static void log_chain_failed(const char *id, int status)
{
	char line[256];

	snprintf(line, sizeof(line), "%s: create %s: the chain failed (exit "
		 "status %d): its message is on the container's stderr",
		 program_invocation_short_name, id, cfs_exit_code(status));
	log_line(line);
}

static void open_log(const char *file, bool json)
{
	log_fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (log_fd < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "--log %s", file);
	log_json = json;
	cfs_msg_hook = log_line;
}

/* The chain of TOOLS tools (3, or 2 without cfs-cgroup) with its tools
 * at their full paths: after each "--" but the last comes the next tool. */
static void exec_chain(char **argv, int tools)
{
	int err;

	for (int i = 0, tool = 0; argv[i] && tool < tools; i++)
		if (i == 0 || !strcmp(argv[i - 1], "--")) {
			argv[i] = (char *)tool_path(argv[i]);
			tool++;
		}
	execv(argv[0], argv);
	err = errno;
	cfs_warn(err, "execute %s", argv[0]);
	_exit(err == ENOENT ? CFS_EXIT_NOT_FOUND : CFS_EXIT_CANNOT_RUN);
}

/* --root DIR, made 0711 with its missing parents (0700), as runc makes
 * it: containerd's shim gives ROOT/NAMESPACE under a root not made yet. */
static void make_root(const char *root)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s", root) >= (int)sizeof(path))
		cfs_die(CFS_EXIT_FAILURE, ENAMETOOLONG, "mkdir %s", root);
	for (char *s = path + 1; (s = strchr(s, '/')); *s++ = '/') {
		*s = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			cfs_die(CFS_EXIT_FAILURE, errno, "mkdir %s", path);
	}
	if (mkdir(root, 0711) < 0 && errno != EEXIST)
		cfs_die(CFS_EXIT_FAILURE, errno, "mkdir %s", root);
}

static json_t *config_hooks(json_t *config)
{
	return json_object_get(config, "hooks");
}

/* hooks.KIND of HOOKS with the state of S, STATUS, on their stdin */
static int run_hooks(json_t *hooks, const char *kind,
		     const struct cfs_oci_state *s, const char *status,
		     struct cfs_err *e)
{
	json_t *state = cfs_oci_state_json(s, status);
	int rc;

	if (!state)
		return cfs_fail(e, ENOMEM, "hooks.%s", kind);
	rc = cfs_oci_hooks_run(hooks, kind, state, e);
	json_decref(state);
	return rc;
}

/* The spec's rule for poststart and poststop: a failure is a warning */
static void run_hooks_warn(json_t *hooks, const char *kind,
			   const struct cfs_oci_state *s, const char *status)
{
	struct cfs_err e;

	if (run_hooks(hooks, kind, s, status, &e))
		cfs_warn(e.errnum, "warning: %s", e.msg);
}

/* WORD as one word of sh(1): as it is when plain, else in quotes */
static void shell_word(FILE *f, const char *word)
{
	if (*word && !word[strspn(word, "abcdefghijklmnopqrstuvwxyz"
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				  "-_./:,+@%=")]) {
		fputs(word, f);
		return;
	}
	fputc('\'', f);
	for (; *word; word++)
		fputs(*word == '\'' ? "'\\''" : (char[]){ *word, 0 }, f);
	fputc('\'', f);
}

/* The --setup command of cfs-unshare that runs prestart and createRuntime
 * on the host side while the container waits: "cfs-oci hook ID", this
 * very program, with our --root. */
static char *setup_command(const struct global *g, const char *id)
{
	char exe[PATH_MAX], *cmd = NULL;
	size_t size = 0;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *f;

	if (n < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "readlink /proc/self/exe");
	exe[n] = '\0';
	if (!(f = open_memstream(&cmd, &size)))
		cfs_die(CFS_EXIT_FAILURE, errno, "setup command");
	shell_word(f, exe);
	fputs(" --root ", f);
	shell_word(f, g->root);
	fputs(" hook ", f);
	shell_word(f, id);
	if (fclose(f))
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "setup command");
	return cmd;
}

/* A rootless caller (rootless podman runs us as root of its user
 * namespace) on cgroups not delegated to it, as cgroup v1 is: runc's
 * rootless cgroup manager goes on without the cgroup it cannot make
 * when no limit is asked, and fails naming the limit when one is; so
 * does create, saying so once in the --log. */
static void cgroup_or_none(const char *id, struct cfs_oci_chain *c)
{
	char line[sizeof(c->no_cgroup) + 512];

	if (!c->no_cgroup[0])
		return; /* cfs-cgroup makes it, or says why not */
	if (c->asked)
		cfs_die(CFS_EXIT_FAILURE, 0, "create %s: %s: a limit needs a "
			"cgroup, and %s", id, c->asked, c->no_cgroup);
	if (log_fd < 0)
		return;
	snprintf(line, sizeof(line), "%s: create %s: no cgroup: %s; no limit "
		 "is asked, so the container runs in its caller's cgroups",
		 program_invocation_short_name, id, c->no_cgroup);
	log_at("warning", line);
}

/* create: the container made, its init blocked before the program.
 * Returns the init's PID. */
static pid_t create(const struct global *g, const struct create_opts *o,
		    const char *id)
{
	char *dir = state_path(g, id), bundle[PATH_MAX], *fifo, *pidfile;
	char *seccomp, *pivot_hooks;
	struct cfs_oci_life life = { .no_wait = true, .no_pivot = o->no_pivot,
				     .preserve_fds = o->preserve_fds };
	struct cfs_oci_state s = { 0 };
	struct cfs_oci_chain c = { 0 };
	struct cfs_err e;
	json_t *config;
	int dirfd, ready[2], status;
	char byte = 0;
	FILE *f;
	pid_t child;

	if (o->preserve_fds < 0 || o->preserve_fds > 1000)
		cfs_usage_error("--preserve-fds %d: not 0 to 1000",
				o->preserve_fds);
	if (!realpath(o->bundle ? o->bundle : ".", bundle))
		cfs_die(CFS_EXIT_FAILURE, errno, "bundle %s",
			o->bundle ? o->bundle : ".");
	if (asprintf(&fifo, "%s/exec.fifo", dir) < 0 ||
	    asprintf(&pidfile, "%s/init.pid", dir) < 0 ||
	    asprintf(&seccomp, "%s/seccomp.json", dir) < 0 ||
	    asprintf(&pivot_hooks, "%s/pivot-hooks.json", dir) < 0)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "%s", dir);
	life.exec_fifo = fifo;
	life.setup = setup_command(g, id);
	life.pivot_hooks = pivot_hooks;
	life.pidfile = pidfile;
	life.ready_fd = 3 + o->preserve_fds;
	life.console_socket = o->console_socket;
	/* every field is checked before anything is made */
	load_chain(bundle, id, dir, &life, &config, &c);
	cgroup_or_none(id, &c);
	if (o->no_new_keyring)
		cfs_die(CFS_EXIT_FAILURE, 0, "--no-new-keyring: cfs-pivot always "
			"joins a new session keyring");
	if (o->console_socket &&
	    !json_is_true(json_object_get(json_object_get(config, "process"),
					  "terminal")))
		cfs_die(CFS_EXIT_FAILURE, 0, "--console-socket %s: "
			"process.terminal is false", o->console_socket);

	/* 0711: the init, root of a user namespace, opens exec.fifo and
	 * reads seccomp.json there, and lists nothing */
	make_root(g->root);
	if (mkdir(dir, 0711) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno == EEXIST ? 0 : errno,
			"container %s%s", id, errno == EEXIST ? " exists" : "");
	dirfd = open_locked(dir, id, LOCK_EX, NULL);
	snprintf(s.id, sizeof(s.id), "%s", id);
	snprintf(s.bundle, sizeof(s.bundle), "%s", bundle);
	snprintf(s.cgroup, sizeof(s.cgroup), "%s", c.cgroup);
	now_rfc3339(s.created, sizeof(s.created));
	s.annotations = json_incref(json_object_get(config, "annotations"));
	if (cfs_oci_state_write(dirfd, dir, &s, &e) ||
	    cfs_oci_write_seccomp(&c, seccomp, &e))
		goto fail_msg;
	/* 0622, whatever our umask: writable by a user namespace's root */
	if (mkfifoat(dirfd, "exec.fifo", 0622) < 0 ||
	    fchmodat(dirfd, "exec.fifo", 0622, 0) < 0) {
		cfs_fail(&e, errno, "mkfifo %s", fifo);
		goto fail_msg;
	}
	if (pipe2(ready, O_CLOEXEC) < 0) {
		cfs_fail(&e, errno, "pipe");
		goto fail_msg;
	}
	/* for "cfs-oci hook" (prestart, createRuntime), and start, delete */
	if (cfs_oci_hooks_save(dirfd, dir, config_hooks(config), &e))
		goto fail_msg;
	/* a hook may ask for the state (cfs-oci state): shared meanwhile */
	if (life.setup)
		flock(dirfd, LOCK_SH);
	if ((child = cfs_fork_forwarding()) < 0) {
		cfs_fail(&e, errno, "fork");
		goto fail_msg;
	}
	if (child == 0) {
		if (dup2(ready[1], life.ready_fd) < 0 ||
		    fcntl(life.ready_fd, F_SETFD, 0) < 0)
			_exit(CFS_EXIT_FAILURE);
		exec_chain(c.argv.v, c.cgroup[0] ? 3 : 2);
	}
	close(ready[1]);
	/* cfs-unshare exits once the init is started (--no-wait) */
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	flock(dirfd, LOCK_EX);
	if (status || read(ready[0], &byte, 1) != 1 || byte != 'r') {
		/* the chain said why on stderr; the log says where */
		if (log_fd >= 0)
			log_chain_failed(id, status);
		goto fail;
	}
	close(ready[0]);
	if (!(f = fopen(pidfile, "re")) || fscanf(f, "%d", &s.pid) != 1 ||
	    s.pid <= 0) {
		cfs_fail(&e, errno, "read %s", pidfile);
		goto fail_msg;
	}
	fclose(f);
	s.starttime = cfs_oci_starttime(s.pid);
	if (cfs_oci_state_write(dirfd, dir, &s, &e))
		goto fail_msg;
	if (o->pid_file)
		write_pid_file(o->pid_file, s.pid);
	close(dirfd);
	cfs_oci_chain_free(&c);
	json_decref(config);
	free((char *)life.setup);
	free(pivot_hooks);
	return s.pid;
fail_msg:
	cfs_warn(e.errnum, "%s", e.msg);
fail:
	if (!s.pid) {
		FILE *p = fopen(pidfile, "re");

		if (p && fscanf(p, "%d", &s.pid) == 1)
			s.starttime = cfs_oci_starttime(s.pid);
		if (p)
			fclose(p);
	}
	destroy(dir, dirfd, &s);
	exit(CFS_EXIT_FAILURE);
}

/* hook ID, run by create's cfs-unshare --setup, on the host side, once
 * the namespaces exist and while the init (CFS_PID) waits, before
 * cfs-pivot: the state learns the PID, cfs-pivot --hooks gets its file
 * (createContainer, startContainer), prestart and createRuntime run.
 * create holds the lock, shared, meanwhile. A failure ends the create. */
static void hook_cmd(const struct global *g, const char *id)
{
	char *dir = state_path(g, id);
	const char *pid = getenv("CFS_PID");
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct cfs_oci_state s;
	struct cfs_err e;
	json_t *hooks, *state;
	long n;

	if (dirfd < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "open %s", dir);
	if (!pid || cfs_parse_long(pid, 1, INT_MAX, &n))
		cfs_die(CFS_EXIT_FAILURE, 0, "hook: no CFS_PID: it is run by "
			"cfs-unshare --setup");
	if (cfs_oci_state_read(dirfd, dir, &s, &e))
		cfs_die_err(&e);
	if (!(hooks = cfs_oci_hooks_load(dirfd)))
		cfs_die(CFS_EXIT_FAILURE, 0, "read %s/hooks.json", dir);
	s.pid = n;
	s.starttime = cfs_oci_starttime(s.pid);
	if (!(state = cfs_oci_state_json(&s, "created")))
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "state of %s", id);
	if (cfs_oci_state_write(dirfd, dir, &s, &e) ||
	    cfs_oci_hooks_save_pivot(dirfd, dir, hooks, state, &e) ||
	    cfs_oci_hooks_run(hooks, "prestart", state, &e) ||
	    cfs_oci_hooks_run(hooks, "createRuntime", state, &e))
		cfs_die_err(&e);
	json_decref(state);
	json_decref(hooks);
	cfs_oci_state_free(&s);
	close(dirfd);
}

/* After the exec fifo's first byte: cfs-pivot keeps it open through the
 * startContainer hooks and says 'f' when one fails; the exec (or its
 * end) closes it. 1 when a hook failed. */
static bool start_hooks_failed(int fifo)
{
	struct pollfd p = { .fd = fifo, .events = POLLIN };
	char byte;
	ssize_t n;

	for (;;) {
		if ((n = read(fifo, &byte, 1)) == 1)
			return byte == 'f';
		if (n == 0 || errno != EAGAIN)
			return false;
		while (poll(&p, 1, -1) < 0 && errno == EINTR)
			;
	}
}

/* start: read the exec fifo, which lets the init exec the program.
 * 0, or -1 when the init ended before (said). */
static int start(const struct global *g, const char *id)
{
	char *dir = state_path(g, id);
	struct cfs_oci_state s;
	int dirfd = open_locked(dir, id, LOCK_EX, &s), fifo, pidfd;
	const char *status = cfs_oci_status(dirfd, &s);
	struct pollfd p[2];
	json_t *hooks;
	char byte;

	if (strcmp(status, "created"))
		cfs_die(CFS_EXIT_FAILURE, 0, "container %s is %s, not created",
			id, status);
	/* the pidfd first: opening the fifo lets the init go on, and a
	 * short program can be gone (reaped by the caller) right after */
	if ((pidfd = syscall(SYS_pidfd_open, s.pid, 0)) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "pidfd_open %d", s.pid);
	if ((fifo = openat(dirfd, "exec.fifo",
			   O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "open %s/exec.fifo", dir);
	p[0] = (struct pollfd){ .fd = fifo, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	while (poll(p, 2, -1) < 0)
		if (errno != EINTR)
			cfs_die(CFS_EXIT_FAILURE, errno, "poll %s/exec.fifo", dir);
	if (!(p[0].revents & POLLIN) || read(fifo, &byte, 1) != 1) {
		cfs_warn(0, "start %s: the container's init ended before its "
			 "program ran", id);
		byte = 0;
	} else if (start_hooks_failed(fifo)) {
		cfs_warn(0, "start %s: a startContainer hook failed: the "
			 "container is stopped", id);
		byte = 0;
	} else {
		unlinkat(dirfd, "exec.fifo", 0);
		flock(dirfd, LOCK_SH); /* for a hook's cfs-oci state */
		hooks = cfs_oci_hooks_load(dirfd);
		run_hooks_warn(hooks, "poststart", &s, "running");
		json_decref(hooks);
	}
	cfs_oci_state_free(&s);
	close(fifo);
	close(pidfd);
	close(dirfd);
	return byte ? 0 : -1;
}

/* Kill the init and wait (up to 10 s) until it is gone. */
static void kill_wait(pid_t pid)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	if (pidfd < 0)
		return;
	syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	poll(&p, 1, 10000);
	close(pidfd);
}

/* A paused container let go, for its processes to take a SIGKILL. */
static void thaw(const struct cfs_oci_state *s)
{
	struct cfs_cgroup cg;
	struct cfs_err e;

	if (cfs_cgroup_open(&cg, s->cgroup, "", &e) ||
	    cfs_cgroup_freeze(&cg, false, &e))
		cfs_warn(e.errnum, "%s", e.msg);
}

static void delete(const struct global *g, const char *id, int force)
{
	char *dir = state_path(g, id);
	struct cfs_oci_state s;
	int dirfd;
	const char *status;

	/* --force of one that is not there: done, as runc says (an engine
	 * cleaning up after a failed create asks it) */
	if (force && access(dir, F_OK) < 0 && errno == ENOENT)
		exit(0);
	dirfd = open_locked(dir, id, LOCK_EX, &s);
	status = cfs_oci_status(dirfd, &s);

	/* the spec: deleting a container not stopped is an error */
	if ((!strcmp(status, "running") || !strcmp(status, "created") ||
	     !strcmp(status, "paused")) && !force)
		cfs_die(CFS_EXIT_FAILURE, 0, "container %s is %s: stop it "
			"(cfs-oci kill) or add --force", id, status);
	json_t *hooks = cfs_oci_hooks_load(dirfd);

	if (!strcmp(status, "paused"))
		thaw(&s);
	if (strcmp(status, "stopped") && s.pid)
		kill_wait(s.pid);
	destroy(dir, dirfd, &s);
	run_hooks_warn(hooks, "poststop", &s, "stopped");
	json_decref(hooks);
	cfs_oci_state_free(&s);
}

/* run: create and start; unless --detach, wait for the init as its
 * subreaper, as runc run waits for its child, then delete. */
static int run(const struct global *g, const struct create_opts *o,
	       const char *id)
{
	pid_t pid;
	int status;

	if (!o->detach && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "prctl PR_SET_CHILD_SUBREAPER");
	pid = create(g, o, id);
	if (start(g, id)) {
		delete(g, id, 1);
		return CFS_EXIT_FAILURE;
	}
	if (o->detach)
		return 0;
	status = cfs_wait_forwarding(pid);
	delete(g, id, 1);
	return cfs_exit_code(status);
}

/* exec's options: runc's. */
struct exec_opts {
	const char *process, *console_socket, *pid_file, *cwd, *user;
	const char *process_label, *apparmor, *cgroup, *pidfd_socket;
	const char **env, **caps, **gids;
	int tty, detach, no_new_privs, preserve_fds, ignore_paused;
};

/* --process FILE: an OCI process object, at most CFS_OCI_CONFIG_MAX
 * bytes. */
static json_t *load_process(const char *file)
{
	json_error_t je;
	struct stat st;
	json_t *p;
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "--process %s", file);
	if (!S_ISREG(st.st_mode) || st.st_size > CFS_OCI_CONFIG_MAX)
		cfs_die(CFS_EXIT_FAILURE, 0, "--process %s: not a file of at "
			"most %d bytes", file, CFS_OCI_CONFIG_MAX);
	p = json_loadfd(fd, JSON_REJECT_DUPLICATES, &je);
	close(fd);
	if (!p)
		cfs_die(CFS_EXIT_FAILURE, 0, "--process %s: not JSON: line %d: "
			"%s", file, je.line, je.text);
	if (!json_is_object(p))
		cfs_die(CFS_EXIT_FAILURE, 0, "--process %s: not a JSON object",
			file);
	return p;
}

/* Append the strings LIST to the array KEY of OBJ (made if missing). */
static void append_strings(json_t *obj, const char *key, const char **list)
{
	json_t *arr = json_object_get(obj, key);

	if (!json_is_array(arr))
		json_object_set_new(obj, key, arr = json_array());
	for (; list && *list; list++)
		json_array_append_new(arr, json_string(*list));
}

/* Without --process, runc's: config.json's process, with ARGS, and the
 * flags over it. */
static json_t *flags_process(const struct exec_opts *o, const char *bundle,
			     const char **args)
{
	json_t *config, *p, *user, *caps;
	struct cfs_err e;
	long uid, gid;
	char *colon;

	if (cfs_oci_load(bundle, &config, &e))
		cfs_die_err(&e);
	p = json_object_get(config, "process");
	if (!json_is_object(p))
		cfs_die(CFS_EXIT_FAILURE, 0, "%s/config.json: process: not an "
			"object", bundle);
	p = json_deep_copy(p);
	json_decref(config);
	json_object_set_new(p, "args", json_array());
	append_strings(p, "args", args);
	if (o->cwd)
		json_object_set_new(p, "cwd", json_string(o->cwd));
	append_strings(p, "env", o->env);
	json_object_set_new(p, "terminal", json_boolean(o->tty));
	if (o->no_new_privs)
		json_object_set_new(p, "noNewPrivileges", json_true());
	if (o->apparmor)
		json_object_set_new(p, "apparmorProfile", json_string(o->apparmor));
	if (o->process_label)
		json_object_set_new(p, "selinuxLabel",
				    json_string(o->process_label));
	if (!json_is_object(user = json_object_get(p, "user")))
		json_object_set_new(p, "user", user = json_object());
	if (o->user) {
		char *u = strdupa(o->user);

		colon = strchr(u, ':');
		if (colon && cfs_parse_long(colon + 1, 0, UINT32_MAX - 1, &gid))
			cfs_usage_error("--user %s: not UID[:GID]", o->user);
		if (colon)
			*colon = '\0';
		if (cfs_parse_long(u, 0, UINT32_MAX - 1, &uid))
			cfs_usage_error("--user %s: not UID[:GID]", o->user);
		json_object_set_new(user, "uid", json_integer(uid));
		if (colon)
			json_object_set_new(user, "gid", json_integer(gid));
	}
	for (const char **g = o->gids; g && *g; g++) {
		if (cfs_parse_long(*g, 0, UINT32_MAX - 1, &gid))
			cfs_usage_error("--additional-gids %s: not a GID", *g);
		append_strings(user, "additionalGids", NULL);
		json_array_append_new(json_object_get(user, "additionalGids"),
				      json_integer(gid));
	}
	/* --cap: to bounding, effective, permitted; to inheritable and
	 * ambient where the process has some (cfs-pivot keeps one set) */
	if (o->caps) {
		if (!json_is_object(caps = json_object_get(p, "capabilities")))
			json_object_set_new(p, "capabilities",
					    caps = json_object());
		append_strings(caps, "bounding", o->caps);
		append_strings(caps, "effective", o->caps);
		append_strings(caps, "permitted", o->caps);
		if (json_array_size(json_object_get(caps, "inheritable"))) {
			append_strings(caps, "inheritable", o->caps);
			append_strings(caps, "ambient", o->caps);
		}
	}
	return p;
}

/* exec: the process in the container, by cfs-enter: its namespaces,
 * cgroup, the container's seccomp profile; the process's user, caps,
 * cwd, env, limits. Without --detach, cfs-enter's status; with it, 0
 * once the process runs, a child of our caller's subreaper. */
static int exec_cmd(const struct global *g, struct exec_opts *o,
		    const char *id, const char **args)
{
	char *dir = state_path(g, id), *seccomp, buf[32];
	struct cfs_oci_state s;
	int dirfd = open_locked(dir, id, LOCK_SH, &s), pipefd[2], status;
	const char *st = cfs_oci_status(dirfd, &s);
	struct cfs_oci_exec x = { .pid = s.pid, .console_socket =
				  o->console_socket, .preserve_fds =
				  o->preserve_fds, .pid_fd = 3 + o->preserve_fds,
				  .no_wait = o->detach,
				  .no_cgroup = !s.cgroup[0] };
	struct cfs_strv argv = { 0 };
	struct cfs_err e;
	json_t *p;
	pid_t child, pid = 0;
	size_t len = 0;
	ssize_t n;

	if (o->preserve_fds < 0 || o->preserve_fds > 1000)
		cfs_usage_error("--preserve-fds %d: not 0 to 1000",
				o->preserve_fds);
	if (o->cgroup)
		cfs_die(CFS_EXIT_FAILURE, 0, "--cgroup %s: a sub-cgroup is not "
			"done by cfs-oci: the process joins the container's",
			o->cgroup);
	if (o->pidfd_socket)
		cfs_die(CFS_EXIT_FAILURE, 0, "--pidfd-socket: not done by "
			"cfs-oci: use --pid-file");
	if (!strcmp(st, "paused") && !o->ignore_paused)
		cfs_die(CFS_EXIT_FAILURE, 0, "exec %s: the container is paused "
			"(--ignore-paused to exec all the same)", id);
	if (strcmp(st, "running") && strcmp(st, "created") &&
	    strcmp(st, "paused"))
		cfs_die(CFS_EXIT_FAILURE, 0, "exec %s: the container is %s", id,
			st);
	if (o->process) {
		if (args[0])
			cfs_usage_error("exec: --process or a COMMAND, not both");
		if (o->cwd || o->env || o->user || o->caps || o->gids ||
		    o->no_new_privs || o->apparmor || o->process_label)
			cfs_usage_error("exec --process: the process's fields "
					"come from the file, not options");
		p = load_process(o->process);
		if (o->tty && !json_is_true(json_object_get(p, "terminal")))
			cfs_usage_error("--tty: the --process file's terminal "
					"is false");
	} else {
		if (!args[0])
			cfs_usage_error("exec: no COMMAND given (or --process)");
		p = flags_process(o, s.bundle, args);
	}
	if (o->console_socket && !json_is_true(json_object_get(p, "terminal")))
		cfs_die(CFS_EXIT_FAILURE, 0, "--console-socket %s: the process "
			"has no terminal (--tty)", o->console_socket);
	if (json_is_true(json_object_get(p, "terminal")) && o->detach &&
	    !o->console_socket)
		cfs_die(CFS_EXIT_FAILURE, 0, "--tty with --detach needs "
			"--console-socket");
	if (asprintf(&seccomp, "%s/seccomp.json", dir) < 0)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "%s", dir);
	if (faccessat(dirfd, "seccomp.json", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		x.seccomp_file = seccomp;
	if (cfs_oci_exec_chain(p, &x, &argv, &e))
		cfs_die_err(&e);
	json_decref(p);
	if (pipe2(pipefd, O_CLOEXEC) < 0 || (child = cfs_fork_forwarding()) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "exec %s: fork", id);
	if (child == 0) {
		if (dup2(pipefd[1], x.pid_fd) < 0 ||
		    fcntl(x.pid_fd, F_SETFD, 0) < 0)
			_exit(CFS_EXIT_FAILURE);
		argv.v[0] = (char *)tool_path("cfs-enter");
		execv(argv.v[0], argv.v);
		cfs_warn(errno, "execute %s", argv.v[0]);
		_exit(CFS_EXIT_FAILURE);
	}
	close(pipefd[1]);
	close(dirfd); /* and its lock: the process runs unlocked */
	while ((n = read(pipefd[0], buf + len, sizeof(buf) - 1 - len)) > 0 ||
	       (n < 0 && errno == EINTR))
		len += n > 0 ? n : 0;
	buf[len] = '\0';
	close(pipefd[0]);
	if (len && sscanf(buf, "%d", &pid) == 1 && pid > 0 && o->pid_file)
		write_pid_file(o->pid_file, pid);
	/* --detach: cfs-enter exits once the process is started; when it
	 * joined no PID namespace, it is the process */
	if (o->detach && pid == child)
		return 0;
	status = cfs_wait_forwarding(child);
	cfs_strv_free(&argv);
	cfs_oci_state_free(&s);
	return cfs_exit_code(status);
}

/* Append the PIDs of the cgroup DIR and of the cgroups below it (a
 * container may make its own) to PIDS. */
static void add_pids(const char *dir, json_t *pids, int depth)
{
	char path[PATH_MAX];
	struct dirent *d;
	FILE *f;
	DIR *sub;
	int pid;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	if (!(f = fopen(path, "re")))
		cfs_die(CFS_EXIT_FAILURE, errno, "read %s", path);
	while (fscanf(f, "%d", &pid) == 1)
		json_array_append_new(pids, json_integer(pid));
	fclose(f);
	if (depth > 32 || !(sub = opendir(dir)))
		return;
	while ((d = readdir(sub)))
		if (d->d_type == DT_DIR && d->d_name[0] != '.' &&
		    snprintf(path, sizeof(path), "%s/%s", dir, d->d_name) <
			    (int)sizeof(path))
			add_pids(path, pids, depth + 1);
	closedir(sub);
}

/* The container's PIDs: those of its cgroup in the v2 hierarchy, or in
 * v1's pids one (a host without cgroup2); without a cgroup, those of its
 * PID namespace. */
static json_t *container_pids(const struct cfs_oci_state *s)
{
	static const char *const hiers[] = { "", "pids", "memory", NULL };
	char path[512], dir[PATH_MAX];
	json_t *pids = json_array();
	struct cfs_err e;
	int rc = -ENOENT;

	if (!s->cgroup[0]) {
		if (cfs_oci_ns_pids(s->pid, pids, &e))
			cfs_die(CFS_EXIT_FAILURE, e.errnum, "container %s: %s",
				s->id, e.msg);
		return pids;
	}
	/* an absolute cgroupsPath is under the hierarchies' roots */
	snprintf(path, sizeof(path), "%s%s", s->cgroup[0] == '/' ? "" :
		 "/" CFS_CGROUP_PARENT "/", s->cgroup);
	for (int i = 0; hiers[i] && rc; i++)
		rc = cfs_cgroup_dir("", hiers[i], path, dir, sizeof(dir), &e);
	if (rc)
		cfs_die_err(&e);
	add_pids(dir, pids, 0);
	return pids;
}

/* ps: runc's: the PIDs as JSON, or the lines of ps(1) (ARGS, default
 * -ef) whose PID column is one of them. */
static int ps_cmd(const struct global *g, const char *id, const char *format,
		  const char **args)
{
	char *dir = state_path(g, id), *line = NULL;
	static const char *ef[] = { "-ef", NULL };
	struct cfs_oci_state s;
	int dirfd = open_locked(dir, id, LOCK_SH, &s), fd[2], col = -1;
	const char *st = cfs_oci_status(dirfd, &s);
	json_t *pids;
	size_t size = 0;
	FILE *out;
	pid_t child;

	if (format && strcmp(format, "json") && strcmp(format, "table"))
		cfs_usage_error("--format %s: not table or json", format);
	if (!strcmp(st, "stopped") || !strcmp(st, "creating"))
		cfs_die(CFS_EXIT_FAILURE, 0, "ps %s: the container is %s", id, st);
	pids = container_pids(&s);
	close(dirfd);
	if (format && !strcmp(format, "json")) {
		if (json_dumpf(pids, stdout, JSON_COMPACT) < 0)
			cfs_die(CFS_EXIT_FAILURE, ENOMEM, "print JSON");
		putchar('\n');
		return 0;
	}
	if (!args[0])
		args = ef;
	if (pipe2(fd, O_CLOEXEC) < 0 || (child = cfs_fork_forwarding()) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "ps");
	if (child == 0) {
		const char **argv = calloc(strv_len(args) + 2, sizeof(*argv));

		dup2(fd[1], STDOUT_FILENO);
		argv[0] = "ps";
		memcpy(argv + 1, args, strv_len(args) * sizeof(*argv));
		execvp("ps", (char **)argv);
		cfs_warn(errno, "execute ps");
		_exit(errno == ENOENT ? CFS_EXIT_NOT_FOUND : CFS_EXIT_CANNOT_RUN);
	}
	close(fd[1]);
	out = fdopen(fd[0], "re");
	for (int n = 0; out && getline(&line, &size, out) > 0; n++) {
		char *copy = strdupa(line), *w, *save;
		int i = 0;
		bool keep = false;

		for (w = strtok_r(copy, " \t\n", &save); w;
		     w = strtok_r(NULL, " \t\n", &save), i++) {
			if (n == 0 && !strcmp(w, "PID"))
				col = i;
			if (n > 0 && i == col) {
				for (size_t k = 0; k < json_array_size(pids); k++)
					keep |= atoll(w) == json_integer_value(
						json_array_get(pids, k));
				break;
			}
		}
		if (n == 0 && col < 0)
			cfs_die(CFS_EXIT_FAILURE, 0, "ps %s: ps printed no PID "
				"column", id);
		if (n == 0 || keep)
			fputs(line, stdout);
	}
	return cfs_exit_code(cfs_wait_forwarding(child));
}

/* What only a cgroup does, refused for a container made without one. */
static void need_cgroup(const char *cmd, const struct cfs_oci_state *s)
{
	if (!s->cgroup[0])
		cfs_die(CFS_EXIT_FAILURE, 0, "%s %s: the container has no cgroup "
			"(made rootless where cgroups are not delegated)", cmd,
			s->id);
}

/* pause, resume: the container's cgroup frozen or thawed. */
static void freeze_cmd(const struct global *g, const char *id, bool freeze)
{
	char *dir = state_path(g, id);
	struct cfs_oci_state s;
	int dirfd = open_locked(dir, id, LOCK_EX, &s);
	const char *st = cfs_oci_status(dirfd, &s);
	struct cfs_cgroup cg;
	struct cfs_err e;

	if (strcmp(st, freeze ? "running" : "paused"))
		cfs_die(CFS_EXIT_FAILURE, 0, "%s %s: the container is %s, not %s",
			freeze ? "pause" : "resume", id, st,
			freeze ? "running" : "paused");
	need_cgroup(freeze ? "pause" : "resume", &s);
	if (cfs_cgroup_open(&cg, s.cgroup, "", &e) ||
	    cfs_cgroup_freeze(&cg, freeze, &e))
		cfs_die_err(&e);
	close(dirfd);
}

/* update's options: runc's. */
struct update_opts {
	const char *resources, *memory, *memory_swap, *cpu_shares, *cpu_quota,
		*cpu_period, *cpuset_cpus, *cpuset_mems, *pids_limit,
		*blkio_weight, *refused[7];
};

static json_t *sub_object(json_t *obj, const char *key)
{
	json_t *o = json_object_get(obj, key);

	if (!json_is_object(o))
		json_object_set_new(obj, key, o = json_object());
	return o;
}

/* A runc update flag's number into OBJ.KEY; sizes take K, M, G, T. */
static void set_number(json_t *obj, const char *key, const char *option,
		       const char *arg, bool size)
{
	long long n;
	long l;

	if (!arg)
		return;
	if (size ? cfs_parse_size(arg, LLONG_MAX, &n)
		 : cfs_parse_long(arg, 0, LONG_MAX, &l))
		cfs_usage_error("--%s %s: not %s", option, arg,
				size ? "a size (bytes, with K, M, G or T)"
				     : "a whole number from 0");
	json_object_set_new(obj, key, json_integer(size ? n : l));
}

/* update: new limits for a running container's cgroup, from -r FILE (a
 * linux.resources object, "-" stdin) or runc's flags, mapped as create
 * maps config.json's, and written by cfs-cgroup. */
static int update_cmd(const struct global *g, const struct update_opts *o,
		      const char *id)
{
	static const char *const refused[] = {
		"memory-reservation", "kernel-memory", "kernel-memory-tcp",
		"cpu-rt-period", "cpu-rt-runtime", "l3-cache-schema",
		"mem-bw-schema" };
	char *dir = state_path(g, id);
	struct cfs_oci_state s;
	int dirfd = open_locked(dir, id, LOCK_EX, &s), status;
	const char *st = cfs_oci_status(dirfd, &s);
	struct cfs_strv argv = { 0 };
	json_error_t je;
	struct cfs_err e;
	json_t *r;
	pid_t child;

	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++)
		if (o->refused[i])
			cfs_die(CFS_EXIT_FAILURE, 0, "update --%s: not mapped by "
				"cfs-oci", refused[i]);
	if (strcmp(st, "running") && strcmp(st, "paused") &&
	    strcmp(st, "created"))
		cfs_die(CFS_EXIT_FAILURE, 0, "update %s: the container is %s",
			id, st);
	need_cgroup("update", &s);
	if (o->resources) {
		FILE *f = strcmp(o->resources, "-") ? fopen(o->resources, "re")
						     : stdin;

		if (!f)
			cfs_die(CFS_EXIT_FAILURE, errno, "-r %s", o->resources);
		r = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
		if (!r || !json_is_object(r))
			cfs_die(CFS_EXIT_FAILURE, 0, "-r %s: not a JSON object%s%s",
				o->resources, r ? "" : ": ", r ? "" : je.text);
	} else {
		r = json_object();
		set_number(sub_object(r, "memory"), "limit", "memory", o->memory,
			   true);
		if (o->memory_swap) {
			json_t *m = sub_object(r, "memory");

			set_number(m, "swap", "memory-swap", o->memory_swap, true);
			if (!json_object_get(m, "limit"))
				cfs_usage_error("--memory-swap: needs --memory "
						"(the total of both)");
		}
		set_number(sub_object(r, "cpu"), "shares", "cpu-shares",
			   o->cpu_shares, false);
		set_number(sub_object(r, "cpu"), "quota", "cpu-quota",
			   o->cpu_quota, false);
		set_number(sub_object(r, "cpu"), "period", "cpu-period",
			   o->cpu_period, false);
		if (o->cpuset_cpus)
			json_object_set_new(sub_object(r, "cpu"), "cpus",
					    json_string(o->cpuset_cpus));
		if (o->cpuset_mems)
			json_object_set_new(sub_object(r, "cpu"), "mems",
					    json_string(o->cpuset_mems));
		set_number(sub_object(r, "pids"), "limit", "pids-limit",
			   o->pids_limit, false);
		set_number(sub_object(r, "blockIO"), "weight", "blkio-weight",
			   o->blkio_weight, false);
	}
	if (cfs_oci_update_chain(r, s.cgroup, s.pid, &argv, &e))
		cfs_die_err(&e);
	json_decref(r);
	if ((child = cfs_fork_forwarding()) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "update %s: fork", id);
	if (child == 0) {
		argv.v[0] = (char *)tool_path("cfs-cgroup");
		execv(argv.v[0], argv.v);
		cfs_warn(errno, "execute %s", argv.v[0]);
		_exit(CFS_EXIT_FAILURE);
	}
	status = cfs_wait_forwarding(child);
	close(dirfd);
	return cfs_exit_code(status) ? CFS_EXIT_FAILURE : 0;
}

/* --interval: a Go duration, as runc takes it ("5s", "100ms", "1m"), or
 * seconds. */
static double parse_interval(const char *arg)
{
	static const struct { const char *unit; double s; } units[] = {
		{ "ns", 1e-9 }, { "us", 1e-6 }, { "ms", 1e-3 }, { "s", 1 },
		{ "m", 60 }, { "h", 3600 }, { "", 1 } };
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	for (size_t i = 0; !errno && v > 0 && end != arg &&
			   i < sizeof(units) / sizeof(*units); i++)
		if (!strcmp(end, units[i].unit))
			return v * units[i].s;
	cfs_usage_error("--interval %s: not a duration (5s, 100ms)", arg);
}

/* One value of the stats, or nothing when unknown. */
static void set_stat(json_t *obj, const char *key, long long v)
{
	if (v >= 0)
		json_object_set_new(obj, key, json_integer(v));
	else if (v == CFS_CGROUP_UNLIMITED)
		json_object_set_new(obj, key, json_integer(0));
}

static json_t *stats_event(const char *id, const struct cfs_cgroup_stats *st)
{
	json_t *cpu = json_object(), *usage = json_object(),
	       *mem = json_object(), *pids = json_object();

	set_stat(usage, "total", st->cpu_usage_usec < 0 ? -1
			: st->cpu_usage_usec * 1000);
	json_object_set_new(cpu, "usage", usage);
	usage = json_object();
	set_stat(usage, "usage", st->memory_current);
	set_stat(usage, "max", st->memory_peak);
	set_stat(usage, "limit", st->memory_max);
	json_object_set_new(mem, "usage", usage);
	set_stat(mem, "oom_kills", st->oom_kills);
	set_stat(pids, "current", st->pids_current);
	set_stat(pids, "limit", st->pids_max);
	return json_pack("{s:s, s:s, s:{s:o, s:o, s:o}}", "type", "stats", "id",
			 id, "data", "cpu", cpu, "memory", mem, "pids", pids);
}

static void print_line(json_t *j)
{
	if (!j || json_dumpf(j, stdout, JSON_COMPACT) < 0)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "print JSON");
	putchar('\n');
	if (fflush(stdout))
		exit(CFS_EXIT_FAILURE);
	json_decref(j);
}

/* events: runc's JSON lines: with --stats, the cgroup's numbers once;
 * else those every --interval, and an "oom" event whenever the OOM
 * killer killed in it since, until the container stops. */
static int events_cmd(const struct global *g, const char *id, int stats_only,
		      const char *interval)
{
	double every = interval ? parse_interval(interval) : 5;
	struct timespec pause = { (time_t)every,
				  (long)((every - (time_t)every) * 1e9) };
	char *dir = state_path(g, id);
	long long ooms = -1;

	for (;;) {
		struct cfs_oci_state s;
		struct cfs_cgroup_stats st;
		struct cfs_cgroup cg;
		struct cfs_err e;
		int dirfd = open_locked(dir, id, LOCK_SH, &s);
		const char *status = cfs_oci_status(dirfd, &s);

		if (!strcmp(status, "stopped") || !strcmp(status, "creating")) {
			if (ooms < 0)
				cfs_die(CFS_EXIT_FAILURE, 0, "events %s: the "
					"container is %s", id, status);
			return 0;
		}
		need_cgroup("events", &s);
		if (cfs_cgroup_open(&cg, s.cgroup, "", &e) ||
		    cfs_cgroup_stats(&cg, &st, &e))
			cfs_die_err(&e);
		close(dirfd);
		cfs_oci_state_free(&s);
		if (ooms >= 0 && st.oom_kills > ooms)
			print_line(json_pack("{s:s, s:s}", "type", "oom", "id",
					     id));
		ooms = st.oom_kills < 0 ? 0 : st.oom_kills;
		print_line(stats_event(id, &st));
		if (stats_only)
			return 0;
		nanosleep(&pause, NULL);
	}
}

static void print_json(json_t *j)
{
	if (!j || json_dumpf(j, stdout, JSON_INDENT(2)) < 0)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "print JSON");
	putchar('\n');
	json_decref(j);
}

static void state(const struct global *g, const char *id)
{
	char *dir = state_path(g, id);
	struct cfs_oci_state s;
	int dirfd = open_locked(dir, id, LOCK_SH, &s);

	print_json(cfs_oci_state_json(&s, cfs_oci_status(dirfd, &s)));
	cfs_oci_state_free(&s);
	close(dirfd);
}

/* kill --all: every process of the container's v2 cgroup; without a
 * cgroup, of its PID namespace. */
static void kill_all(const struct cfs_oci_state *s, int sig)
{
	char path[512], dir[512];
	struct cfs_err e;
	FILE *f;
	int pid;

	if (!s->cgroup[0]) {
		json_t *pids = container_pids(s);

		for (size_t i = 0; i < json_array_size(pids); i++)
			kill(json_integer_value(json_array_get(pids, i)), sig);
		json_decref(pids);
		return;
	}
	snprintf(path, sizeof(path), "%s%s", s->cgroup[0] == '/' ? "" :
		 "/" CFS_CGROUP_PARENT "/", s->cgroup);
	if (cfs_cgroup_dir("", "", path, dir, sizeof(dir) - 16, &e))
		cfs_die_err(&e);
	strcat(dir, "/cgroup.procs");
	if (!(f = fopen(dir, "re")))
		cfs_die(CFS_EXIT_FAILURE, errno, "read %s", dir);
	while (fscanf(f, "%d", &pid) == 1)
		kill(pid, sig);
	fclose(f);
}

static void kill_cmd(const struct global *g, const char *id, const char *sig,
		     int all)
{
	char *dir = state_path(g, id);
	struct cfs_oci_state s;
	int dirfd = open_locked(dir, id, LOCK_SH, &s), pidfd;
	const char *status = cfs_oci_status(dirfd, &s);
	int n = cfs_parse_signal(sig ? sig : "TERM");

	if (n < 0)
		cfs_die(CFS_EXIT_FAILURE, 0, "kill %s: unknown signal %s", id, sig);
	if (strcmp(status, "created") && strcmp(status, "running") &&
	    strcmp(status, "paused"))
		/* runc's words, which containerd's shim and podman match to
		 * take it as "already gone" */
		cfs_die(CFS_EXIT_FAILURE, 0, "kill %s: container not running "
			"(it is %s)", id, status);
	if (all) {
		kill_all(&s, n);
		return;
	}
	if ((pidfd = syscall(SYS_pidfd_open, s.pid, 0)) < 0 ||
	    syscall(SYS_pidfd_send_signal, pidfd, n, NULL, 0) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "kill %s (PID %d)", id, s.pid);
	close(pidfd);
	cfs_oci_state_free(&s);
	close(dirfd);
}

static void list(const struct global *g, const char *format, int quiet)
{
	json_t *all = json_array();
	struct dirent *d;
	DIR *root = opendir(g->root);
	int json = format && !strcmp(format, "json");

	if (format && !json && strcmp(format, "table"))
		cfs_usage_error("--format %s: not table or json", format);
	if (!json && !quiet)
		printf("ID\tPID\tSTATUS\tBUNDLE\tCREATED\n");
	while (root && (d = readdir(root))) {
		struct cfs_oci_state s;
		struct cfs_err e;
		const char *status;
		int fd;

		if (d->d_name[0] == '.' ||
		    (fd = openat(dirfd(root), d->d_name,
				 O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			continue;
		if (cfs_oci_state_read(fd, d->d_name, &s, &e)) {
			close(fd);
			continue;
		}
		status = cfs_oci_status(fd, &s);
		if (quiet)
			printf("%s\n", s.id);
		else if (json)
			json_array_append_new(all, json_pack(
				"{s:s, s:s, s:i, s:s, s:s, s:O?}", "id", s.id,
				"status", status, "pid", (int)s.pid, "bundle",
				s.bundle, "created", s.created, "annotations",
				s.annotations));
		else
			printf("%s\t%d\t%s\t%s\t%s\n", s.id, s.pid, status,
			       s.bundle, s.created);
		cfs_oci_state_free(&s);
		close(fd);
	}
	if (root)
		closedir(root);
	if (json && !quiet)
		print_json(all);
	else
		json_decref(all);
}

/* spec: runc's default config.json, as cfs-oci maps it (no terminal,
 * which would need a console socket; cfs-pivot's masked and read-only
 * paths). */
static void spec(const char *bundle, int rootless)
{
	static const char *const masked[] = {
		"/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
		"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
		"/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
		NULL };
	static const char *const readonly[] = {
		"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
		"/proc/sysrq-trigger", NULL };
	json_t *caps = json_pack("[sss]", "CAP_AUDIT_WRITE", "CAP_KILL",
				 "CAP_NET_BIND_SERVICE");
	json_t *m = json_array(), *r = json_array(), *ns, *linux_, *config;
	char path[PATH_MAX];
	int fd;

	for (int i = 0; masked[i]; i++)
		json_array_append_new(m, json_string(masked[i]));
	for (int i = 0; readonly[i]; i++)
		json_array_append_new(r, json_string(readonly[i]));
	ns = json_pack("[{s:s}, {s:s}, {s:s}, {s:s}, {s:s}, {s:s}]", "type",
		       "pid", "type", "network", "type", "ipc", "type", "uts",
		       "type", "mount", "type", "cgroup");
	if (rootless)
		json_array_append_new(ns, json_pack("{s:s}", "type", "user"));
	linux_ = json_pack("{s:o, s:o, s:o, s:{s:[{s:b, s:s}]}}", "namespaces",
			   ns, "maskedPaths", m, "readonlyPaths", r, "resources",
			   "devices", "allow", 0, "access", "rwm");
	if (rootless) {
		json_object_set_new(linux_, "uidMappings", json_pack(
			"[{s:i, s:i, s:i}]", "containerID", 0, "hostID",
			(int)getuid(), "size", 1));
		json_object_set_new(linux_, "gidMappings", json_pack(
			"[{s:i, s:i, s:i}]", "containerID", 0, "hostID",
			(int)getgid(), "size", 1));
	}
	config = json_pack(
		"{s:s, s:{s:b, s:{s:i, s:i}, s:[s], s:[ss], s:s, "
		"s:{s:O, s:O, s:O}, s:[{s:s, s:i, s:i}], s:b}, "
		"s:{s:s, s:b}, s:s, "
		"s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s}, "
		"{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s}], s:o}",
		"ociVersion", CFS_OCI_VERSION,
		"process", "terminal", 0, "user", "uid", 0, "gid", 0,
		"args", "sh", "env",
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"TERM=xterm", "cwd", "/", "capabilities", "bounding", caps,
		"effective", caps, "permitted", caps, "rlimits", "type",
		"RLIMIT_NOFILE", "hard", 1024, "soft", 1024, "noNewPrivileges", 1,
		"root", "path", "rootfs", "readonly", 1, "hostname", "cfs",
		"mounts", "destination", "/proc", "type", "proc", "source", "proc",
		"destination", "/dev", "type", "tmpfs", "source", "tmpfs",
		"destination", "/dev/pts", "type", "devpts", "source", "devpts",
		"destination", "/dev/shm", "type", "tmpfs", "source", "shm",
		"destination", "/dev/mqueue", "type", "mqueue", "source", "mqueue",
		"destination", "/sys", "type", "sysfs", "source", "sysfs",
		"linux", linux_);
	json_decref(caps);
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	if (!config)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "write %s", path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "write %s", path);
	if (json_dumpfd(config, fd, JSON_INDENT(2)) < 0 || write(fd, "\n", 1) != 1 ||
	    close(fd) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "write %s", path);
	json_decref(config);
}

/* features: runtime-spec's features.json, what the chain maps. */
static void features(void)
{
	print_json(json_pack(
		"{s:s, s:s, s:[], s:[sssssssssss], s:{s:[ssssssss], "
		"s:{s:b, s:b, s:b, s:b}, s:{s:b}, s:{s:b}, s:{s:b}}, "
		"s:{s:s}}",
		"ociVersionMin", "1.0.0", "ociVersionMax", CFS_OCI_VERSION,
		"hooks", "mountOptions", "bind", "rbind", "ro", "rw", "nosuid",
		"nodev", "noexec", "exec", "private", "rprivate", "size",
		"linux", "namespaces", "pid", "network", "ipc", "uts", "mount",
		"user", "cgroup", "time", "cgroup", "v1", 1, "v2", 1, "systemd", 0,
		"systemdUser", 0, "seccomp", "enabled", 1, "apparmor", "enabled",
		0, "selinux", "enabled", 0, "annotations", "org.cfs.chain",
		"cfs-cgroup -- cfs-unshare -- cfs-pivot"));
}

/* The chain as a shell line: each word quoted when it needs it. */
static void print_chain(char **argv)
{
	for (int i = 0; argv[i]; i++) {
		const char *w = argv[i];
		bool plain = *w && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh"
					  "ijklmnopqrstuvwxyz0123456789_-+=:,./@%")
				   == strlen(w);

		fputs(i ? " " : "", stdout);
		if (plain) {
			fputs(w, stdout);
			continue;
		}
		putchar('\'');
		for (; *w; w++)
			*w == '\'' ? fputs("'\\''", stdout) : putchar(*w);
		putchar('\'');
	}
	putchar('\n');
}

static void chain(const struct global *g, const char *bundle_arg,
		  const char *id)
{
	struct cfs_oci_chain c = { 0 };
	char bundle[PATH_MAX], *dir = state_path(g, id ? id : "ID");
	json_t *config;

	if (!realpath(bundle_arg, bundle))
		cfs_die(CFS_EXIT_FAILURE, errno, "bundle %s", bundle_arg);
	load_chain(bundle, id ? id : "ID", dir, NULL, &config, &c);
	print_chain(c.argv.v);
	cfs_oci_chain_free(&c);
	json_decref(config);
}

/* Is this process in a user namespace other than the initial one? */
static bool in_user_ns(void)
{
	unsigned a, b, c;
	FILE *f = fopen("/proc/self/uid_map", "re");
	bool initial = f && fscanf(f, "%u %u %u", &a, &b, &c) == 3 &&
		       a == 0 && b == 0 && c == 4294967295u;

	if (f)
		fclose(f);
	return !initial;
}

/* The default --root: /run/cfs-oci, or $XDG_RUNTIME_DIR/cfs-oci where
 * runc takes $XDG_RUNTIME_DIR/runc: not root, or root of a user
 * namespace (rootless podman's) whose USER is not root. */
static const char *default_root(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR"), *user = getenv("USER");
	char *root;

	if (!xdg || !*xdg ||
	    (geteuid() == 0 && (!in_user_ns() || (user && !strcmp(user, "root")))))
		return "/run/cfs-oci";
	if (asprintf(&root, "%s/cfs-oci", xdg) < 0)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "--root");
	return root;
}

/* Parse a command's options; returns its arguments. */
static const char **command_args(int argc, const char **argv,
				 struct poptOption *options, const char *usage,
				 int min, int max)
{
	poptContext ctx = cfs_popt_context(argc, argv, options);
	const char **args;
	int rc, n = 0;

	poptSetOtherOptionHelp(ctx, usage);
	while ((rc = poptGetNextOpt(ctx)) > 0)
		if (rc == CFS_OPT_VERSION)
			cfs_print_version();
	cfs_popt_check(ctx, rc);
	args = cfs_popt_args(ctx);
	while (args[n])
		n++;
	if (n < min || n > max)
		cfs_usage_error("%s: %s", argv[0], usage);
	return args;
}

int main(int argc, const char **argv)
{
	struct global g = { .root = default_root() };
	struct create_opts co = { 0 };
	const char *format = NULL, *bundle = NULL;
	int force = 0, all = 0, quiet = 0, rootless = 0;
	struct poptOption global[] = {
		{ "root", 0, POPT_ARG_STRING, &g.root, 0,
		  "keep containers' state in DIR (default /run/cfs-oci; "
		  "rootless, $XDG_RUNTIME_DIR/cfs-oci)", "DIR" },
		{ "log", 0, POPT_ARG_STRING, &g.log, 0,
		  "write our messages to FILE too (runc's callers read it)",
		  "FILE" },
		{ "log-format", 0, POPT_ARG_STRING, &g.log_format, 0,
		  "--log's format: text (default) or json, a JSON object a "
		  "line", "FORMAT" },
		{ "debug", 0, POPT_ARG_NONE, &g.debug, 0,
		  "accepted, for runc's callers", NULL },
		{ "systemd-cgroup", 0, POPT_ARG_NONE, &g.systemd_cgroup, 0,
		  "refused: cfs-oci drives cgroupfs (cfs-cgroup)", NULL },
		CFS_OPTS_VERSION,
		POPT_AUTOHELP POPT_TABLEEND
	};
	struct poptOption create_opts[] = {
		{ "bundle", 'b', POPT_ARG_STRING, &co.bundle, 0,
		  "the bundle directory (default: the current one)", "DIR" },
		{ "pid-file", 0, POPT_ARG_STRING, &co.pid_file, 0,
		  "write the container init's PID to FILE", "FILE" },
		{ "console-socket", 0, POPT_ARG_STRING, &co.console_socket, 0,
		  "with process.terminal: send the pty's master to the "
		  "AF_UNIX socket SOCKET (runc's protocol)", "SOCKET" },
		{ "no-pivot", 0, POPT_ARG_NONE, &co.no_pivot, 0,
		  "move the root and chroot instead of pivot_root", NULL },
		{ "no-new-keyring", 0, POPT_ARG_NONE, &co.no_new_keyring, 0,
		  "refused: cfs-pivot always joins a new session keyring",
		  NULL },
		{ "preserve-fds", 0, POPT_ARG_INT, &co.preserve_fds, 0,
		  "pass N fds more than 0, 1, 2 to the program", "N" },
		{ "detach", 'd', POPT_ARG_NONE, &co.detach, 0,
		  "run: return once the program runs", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	struct exec_opts eo = { 0 };
	struct poptOption exec_opts[] = {
		{ "process", 'p', POPT_ARG_STRING, &eo.process, 0,
		  "the process: an OCI process object (JSON) in FILE", "FILE" },
		{ "tty", 't', POPT_ARG_NONE, &eo.tty, 0,
		  "give the process a pty of the container's", NULL },
		{ "console-socket", 0, POPT_ARG_STRING, &eo.console_socket, 0,
		  "with --tty: send the pty's master to the AF_UNIX socket "
		  "SOCKET", "SOCKET" },
		{ "detach", 'd', POPT_ARG_NONE, &eo.detach, 0,
		  "return once the process runs, leaving it to our caller's "
		  "subreaper", NULL },
		{ "pid-file", 0, POPT_ARG_STRING, &eo.pid_file, 0,
		  "write the process's PID to FILE", "FILE" },
		{ "cwd", 0, POPT_ARG_STRING, &eo.cwd, 0,
		  "the working directory in the container", "DIR" },
		{ "env", 'e', POPT_ARG_ARGV, &eo.env, 0,
		  "set NAME to VALUE as well; repeatable", "NAME=VALUE" },
		{ "user", 'u', POPT_ARG_STRING, &eo.user, 0,
		  "run as UID (and GID)", "UID[:GID]" },
		{ "additional-gids", 'g', POPT_ARG_ARGV, &eo.gids, 0,
		  "a supplementary group too; repeatable", "GID" },
		{ "cap", 'c', POPT_ARG_ARGV, &eo.caps, 0,
		  "a capability too, beyond config.json's; repeatable", "CAP" },
		{ "no-new-privs", 0, POPT_ARG_NONE, &eo.no_new_privs, 0,
		  "set no_new_privs", NULL },
		{ "preserve-fds", 0, POPT_ARG_INT, &eo.preserve_fds, 0,
		  "pass N fds more than 0, 1, 2 to the process", "N" },
		{ "process-label", 0, POPT_ARG_STRING, &eo.process_label, 0,
		  "refused: no SELinux label is set", "LABEL" },
		{ "apparmor", 0, POPT_ARG_STRING, &eo.apparmor, 0,
		  "refused: no AppArmor profile is set", "PROFILE" },
		{ "ignore-paused", 0, POPT_ARG_NONE, &eo.ignore_paused, 0,
		  "exec in a paused container too", NULL },
		{ "cgroup", 0, POPT_ARG_STRING, &eo.cgroup, 0,
		  "refused: the process joins the container's cgroup",
		  "CGROUP" },
		{ "pidfd-socket", 0, POPT_ARG_STRING, &eo.pidfd_socket, 0,
		  "refused: use --pid-file", "SOCKET" },
		POPT_AUTOHELP POPT_TABLEEND
	};
	struct poptOption ps_opts[] = {
		{ "format", 'f', POPT_ARG_STRING, &format, 0,
		  "table (default: ps -ef's lines) or json (the PIDs)",
		  "FORMAT" },
		POPT_AUTOHELP POPT_TABLEEND
	};
	struct update_opts uo = { 0 };
	struct poptOption update_opts[] = {
		{ "resources", 'r', POPT_ARG_STRING, &uo.resources, 0,
		  "a linux.resources object (JSON) in FILE, - for stdin",
		  "FILE" },
		{ "memory", 'm', POPT_ARG_STRING, &uo.memory, 0,
		  "memory limit", "SIZE" },
		{ "memory-swap", 0, POPT_ARG_STRING, &uo.memory_swap, 0,
		  "memory plus swap limit", "SIZE" },
		{ "cpu-shares", 0, POPT_ARG_STRING, &uo.cpu_shares, 0,
		  "CPU shares (a relative weight)", "N" },
		{ "cpu-quota", 0, POPT_ARG_STRING, &uo.cpu_quota, 0,
		  "CPU time per period, in microseconds", "N" },
		{ "cpu-period", 0, POPT_ARG_STRING, &uo.cpu_period, 0,
		  "the CPU period, in microseconds", "N" },
		{ "cpuset-cpus", 0, POPT_ARG_STRING, &uo.cpuset_cpus, 0,
		  "the CPUs allowed", "LIST" },
		{ "cpuset-mems", 0, POPT_ARG_STRING, &uo.cpuset_mems, 0,
		  "the memory nodes allowed", "LIST" },
		{ "pids-limit", 0, POPT_ARG_STRING, &uo.pids_limit, 0,
		  "the most processes", "N" },
		{ "blkio-weight", 0, POPT_ARG_STRING, &uo.blkio_weight, 0,
		  "block I/O weight, 10 to 1000", "N" },
		{ "memory-reservation", 0, POPT_ARG_STRING, &uo.refused[0], 0,
		  "refused", "SIZE" },
		{ "kernel-memory", 0, POPT_ARG_STRING, &uo.refused[1], 0,
		  "refused", "SIZE" },
		{ "kernel-memory-tcp", 0, POPT_ARG_STRING, &uo.refused[2], 0,
		  "refused", "SIZE" },
		{ "cpu-rt-period", 0, POPT_ARG_STRING, &uo.refused[3], 0,
		  "refused", "N" },
		{ "cpu-rt-runtime", 0, POPT_ARG_STRING, &uo.refused[4], 0,
		  "refused", "N" },
		{ "l3-cache-schema", 0, POPT_ARG_STRING, &uo.refused[5], 0,
		  "refused", "S" },
		{ "mem-bw-schema", 0, POPT_ARG_STRING, &uo.refused[6], 0,
		  "refused", "S" },
		POPT_AUTOHELP POPT_TABLEEND
	};
	const char *interval = NULL;
	int stats_only = 0;
	struct poptOption events_opts[] = {
		{ "stats", 0, POPT_ARG_NONE, &stats_only, 0,
		  "print the cgroup's numbers once", NULL },
		{ "interval", 0, POPT_ARG_STRING, &interval, 0,
		  "how often to print them (default 5s)", "DURATION" },
		POPT_AUTOHELP POPT_TABLEEND
	};
	struct poptOption no_opts[] = { POPT_AUTOHELP POPT_TABLEEND };
	struct poptOption delete_opts[] = {
		{ "force", 'f', POPT_ARG_NONE, &force, 0,
		  "kill a running container first", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	struct poptOption kill_opts[] = {
		{ "all", 'a', POPT_ARG_NONE, &all, 0,
		  "signal every process of the container's cgroup", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	struct poptOption list_opts[] = {
		{ "format", 'f', POPT_ARG_STRING, &format, 0,
		  "table (default) or json", "FORMAT" },
		{ "quiet", 'q', POPT_ARG_NONE, &quiet, 0, "IDs only", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	struct poptOption spec_opts[] = {
		{ "bundle", 'b', POPT_ARG_STRING, &bundle, 0,
		  "write DIR/config.json (default: the current directory)",
		  "DIR" },
		{ "rootless", 0, POPT_ARG_NONE, &rootless, 0,
		  "a config for a user namespace mapping root to us", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	poptContext ctx = cfs_popt_context(argc, argv, global);
	const char **args, *cmd;
	int rc, n;

	poptSetOtherOptionHelp(ctx, "[OPTION...] COMMAND [OPTION...] [ID]\n"
			       "Commands: create start run state kill delete "
			       "list spec features chain exec ps pause resume update events");
	while ((rc = poptGetNextOpt(ctx)) > 0)
		if (rc == CFS_OPT_VERSION)
			cfs_print_version();
	cfs_popt_check(ctx, rc);
	args = cfs_popt_args(ctx);
	if (g.systemd_cgroup)
		cfs_die(CFS_EXIT_FAILURE, 0, "--systemd-cgroup: cfs-oci drives "
			"cgroupfs (cfs-cgroup), not systemd");
	if (g.log_format && strcmp(g.log_format, "text") &&
	    strcmp(g.log_format, "json"))
		cfs_usage_error("--log-format %s: not text or json", g.log_format);
	if (g.log)
		open_log(g.log, g.log_format && !strcmp(g.log_format, "json"));
	if (!(cmd = args[0]))
		cfs_usage_error("no COMMAND given");
	for (n = 0; args[n]; n++)
		;
	if (!strcmp(cmd, "create") || !strcmp(cmd, "run")) {
		args = command_args(n, args, create_opts,
				    "[OPTION...] ID", 1, 1);
		if (!strcmp(cmd, "create")) {
			if (co.detach)
				cfs_usage_error("create: --detach goes with run");
			create(&g, &co, args[0]);
			return 0;
		}
		return run(&g, &co, args[0]);
	}
	if (!strcmp(cmd, "start")) {
		if (start(&g, command_args(n, args, no_opts, "ID", 1, 1)[0]))
			return CFS_EXIT_FAILURE;
	} else if (!strcmp(cmd, "state")) {
		state(&g, command_args(n, args, no_opts, "ID", 1, 1)[0]);
	} else if (!strcmp(cmd, "kill")) {
		args = command_args(n, args, kill_opts, "[--all] ID [SIGNAL]", 1, 2);
		kill_cmd(&g, args[0], args[1], all);
	} else if (!strcmp(cmd, "delete")) {
		args = command_args(n, args, delete_opts, "[--force] ID", 1, 1);
		delete(&g, args[0], force);
	} else if (!strcmp(cmd, "list")) {
		command_args(n, args, list_opts, "[--format table|json]", 0, 0);
		list(&g, format, quiet);
	} else if (!strcmp(cmd, "spec")) {
		command_args(n, args, spec_opts, "[--bundle DIR] [--rootless]", 0,
			     0);
		spec(bundle ? bundle : ".", rootless);
	} else if (!strcmp(cmd, "features")) {
		command_args(n, args, no_opts, "", 0, 0);
		features();
	} else if (!strcmp(cmd, "chain")) {
		args = command_args(n, args, no_opts, "BUNDLE [ID]", 1, 2);
		chain(&g, args[0], args[1]);
	} else if (!strcmp(cmd, "exec")) {
		args = command_args(n, args, exec_opts,
				    "[OPTION...] ID [COMMAND [ARG...]]", 1, INT_MAX);
		if (args[1] && !strcmp(args[1], "--"))
			return exec_cmd(&g, &eo, args[0], args + 2);
		return exec_cmd(&g, &eo, args[0], args + 1);
	} else if (!strcmp(cmd, "ps")) {
		args = command_args(n, args, ps_opts,
				    "[--format table|json] ID [PS-OPTION...]", 1,
				    INT_MAX);
		return ps_cmd(&g, args[0], format, args + 1);
	} else if (!strcmp(cmd, "pause") || !strcmp(cmd, "resume")) {
		freeze_cmd(&g, command_args(n, args, no_opts, "ID", 1, 1)[0],
			   !strcmp(cmd, "pause"));
	} else if (!strcmp(cmd, "update")) {
		args = command_args(n, args, update_opts, "[OPTION...] ID", 1, 1);
		return update_cmd(&g, &uo, args[0]);
	} else if (!strcmp(cmd, "events")) {
		args = command_args(n, args, events_opts,
				    "[--stats] [--interval DURATION] ID", 1, 1);
		return events_cmd(&g, args[0], stats_only, interval);
	} else if (!strcmp(cmd, "hook")) {
		hook_cmd(&g, command_args(n, args, no_opts, "ID", 1, 1)[0]);
	} else if (!strcmp(cmd, "checkpoint") || !strcmp(cmd, "restore")) {
		cfs_die(CFS_EXIT_FAILURE, 0, "%s: not done by cfs-oci: it needs "
			"CRIU (checkpoint/restore in userspace), which cfs does "
			"not drive", cmd);
	} else {
		cfs_usage_error("%s: not a command", cmd);
	}
	return 0;
}
