/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hook.c: see hook.h. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hook.h"
#include "process/detach.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
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

/* Become CMD, with CFS_PID=TARGET: the program itself when CMD is plain
 * words, else /bin/sh -c CMD. Returns only when neither can be run. */
static void exec_hook(const char *cmd, pid_t target)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", (int)target);
	signal(SIGPIPE, SIG_DFL);
	if (setenv("CFS_PID", pid, 1) == 0) {
		exec_plain(cmd);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	}
}

/* Wait until process PIDFD (-1: none, then PID, looked at every 0.1 s,
 * Linux before 5.3) has ended. */
static void wait_end(int pidfd, pid_t pid)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	while (pidfd >= 0 && poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	while (pidfd < 0 && (kill(pid, 0) == 0 || errno == EPERM))
		usleep(100000);
}

/* The teardown's process, forked by the helper before it becomes the
 * setup command: it leaves our session (a ^C to the chain's process
 * group does not reach it) and every fd but 0-2 and the pidfds it
 * waits on, so that nobody waits on a pipe it holds, then waits for
 * TARGET (TARGET_FD, its pidfd) to end and for the setup command, its
 * parent HELPER, to end, and becomes the teardown command. */
static void watch(const struct cfs_hook *h, int target_fd, pid_t target,
		  pid_t helper)
{
	struct cfs_err e;
	int helper_fd;

	if (fork() != 0)
		return;
	/* the target's pidfd, if any, becomes fd 3 */
	if (cfs_detach(&target_fd, target_fd >= 0, 0, &e) < 0)
		_exit(127);
	target_fd = target_fd >= 0 ? 3 : -1;
	/* the helper's pidfd, while it is our parent: once it has ended,
	 * we have another, and the setup is over */
	helper_fd = syscall(SYS_pidfd_open, helper, 0);
	if (getppid() != helper) {
		if (helper_fd >= 0)
			close(helper_fd);
		helper_fd = -2;
	}
	wait_end(target_fd, target);
	if (helper_fd >= 0)
		wait_end(helper_fd, helper);
	while (helper_fd == -1 && getppid() == helper)
		usleep(100000);
	exec_hook(h->teardown, target);
	_exit(127);
}

/* In the helper, once TARGET exists: the teardown's process forked,
 * then the helper becomes the setup command, which the caller waits
 * for (its exit status is the command's). A failure before that is
 * reported as the helper's. */
static int job(void *arg, pid_t target, struct cfs_err *e)
{
	const struct cfs_hook *h = arg;
	int pidfd;

	(void)e;
	if (h->teardown) {
		/* taken now, while TARGET waits for us: it cannot be
		 * another's PID */
		pidfd = syscall(SYS_pidfd_open, target, 0);
		watch(h, pidfd, target, getpid());
		if (pidfd >= 0)
			close(pidfd);
	}
	if (!h->setup)
		return 0;
	exec_hook(h->setup, target);
	_exit(127);
}

int cfs_hook_start(struct cfs_hook *h, struct cfs_err *e)
{
	h->helper.pid = 0;
	if (!h->setup && !h->teardown)
		return 0;
	return cfs_ns_helper_start(&h->helper, job, h, e);
}

/* The helper's wait status is the setup command's, unless it said a
 * failure of its own before it became the command. */
int cfs_hook_finish(struct cfs_hook *h, pid_t target, struct cfs_err *e)
{
	int status, rc;

	if (!h->helper.pid)
		return 0;
	if ((rc = cfs_ns_helper_finish(&h->helper, target, &status, e)))
		return rc;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	return cfs_fail(e, 0, "%s command '%s' %s %d", h->setup ? "setup" : "teardown",
			h->setup ? h->setup : h->teardown,
			WIFEXITED(status) ? "exited with status" : "killed by signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}
