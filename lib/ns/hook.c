/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hook.c: see hook.h. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hook.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/* Exec CMD without a shell when it is plain words, as make(1) does: no
 * character the shell would act on, and no assignment in front. The
 * result is the shell's, one exec sooner (about a millisecond, on the
 * path of every container start). Returns only when CMD is not such a
 * command or cannot be executed so (a builtin, say): then the shell
 * runs it. */
static void exec_plain(const char *cmd)
{
	char buf[1024], *argv[64], *p;
	int n = 0;

	if (strlen(cmd) >= sizeof(buf) || !cmd[strspn(cmd, " \t")])
		return;
	for (const char *c = cmd; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr(" \t-_./:,+@%=", *c))
			return;
	strcpy(buf, cmd);
	for (p = strtok(buf, " \t"); p; p = strtok(NULL, " \t")) {
		if (n == 63 || (n == 0 && strchr(p, '=')))
			return;
		argv[n++] = p;
	}
	argv[n] = NULL;
	execvp(argv[0], argv);
}

/* /bin/sh -c CMD with CFS_PID=TARGET; 0 when it exits 0. */
static int run(const char *what, const char *cmd, pid_t target,
	       struct cfs_err *e)
{
	char pid[16];
	int status;
	pid_t child;

	snprintf(pid, sizeof(pid), "%d", (int)target);
	if ((child = fork()) < 0)
		return cfs_fail(e, errno, "fork for the %s command", what);
	if (child == 0) {
		signal(SIGPIPE, SIG_DFL);
		if (setenv("CFS_PID", pid, 1) == 0) {
			exec_plain(cmd);
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		}
		_exit(127);
	}
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return cfs_fail(e, errno, "wait for the %s command", what);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	return cfs_fail(e, 0, "%s command '%s' %s %d", what, cmd,
			WIFEXITED(status) ? "exited with status" : "killed by signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

/* The teardown's process, forked before the setup command runs: it
 * leaves our session (a ^C to the chain's process group does not reach
 * it) and every fd but 0-2, the pidfd and DONE, so that nobody waits on
 * a pipe it holds (the caller waits for the EOF of our report: forked
 * after the setup, a watcher not yet scheduled kept it open for
 * milliseconds on a busy machine), then waits for TARGET to end and for
 * the setup to be over (DONE's EOF: the helper has exited). */
static void watch(const struct cfs_hook *h, int pidfd, pid_t target, int done)
{
	struct pollfd p = { .fd = 3, .events = POLLIN };
	struct cfs_err e;
	char c;

	if (fork() != 0)
		return;
	setsid();
	if ((pidfd >= 0 && dup2(pidfd, 3) < 0) || dup2(done, 4) < 0)
		_exit(1);
	if (pidfd < 0)
		close(3);
	syscall(SYS_close_range, 5, ~0U, 0);
	while (pidfd >= 0 && poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	/* no pidfd (Linux before 5.3): look every 0.1 s */
	while (pidfd < 0 && (kill(target, 0) == 0 || errno == EPERM))
		usleep(100000);
	while (read(4, &c, 1) < 0 && errno == EINTR)
		;
	_exit(run("teardown", h->teardown, target, &e) ? 1 : 0);
}

static int job(void *arg, pid_t target, struct cfs_err *e)
{
	const struct cfs_hook *h = arg;
	/* taken now, while TARGET waits for us: it cannot be another's PID */
	int pidfd = syscall(SYS_pidfd_open, target, 0);
	int done[2];

	if (h->teardown) {
		if (pipe2(done, O_CLOEXEC) < 0)
			return cfs_fail(e, errno, "pipe");
		watch(h, pidfd, target, done[0]);
		close(done[0]);
		/* done[1] stays open until we exit, after the setup */
	}
	return h->setup ? run("setup", h->setup, target, e) : 0;
}

int cfs_hook_start(struct cfs_hook *h, struct cfs_err *e)
{
	h->helper.pid = 0;
	if (!h->setup && !h->teardown)
		return 0;
	return cfs_ns_helper_start(&h->helper, job, h, e);
}

int cfs_hook_finish(struct cfs_hook *h, pid_t target, struct cfs_err *e)
{
	return h->helper.pid ? cfs_ns_helper_finish(&h->helper, target, e) : 0;
}
