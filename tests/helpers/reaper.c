/* SPDX-License-Identifier: GPL-2.0-or-later */
/* reaper: a subreaper, as conmon and containerd-shim are, for the tests.
 *
 *   reaper PROGRAM [ARG...]
 *
 * Set PR_SET_CHILD_SUBREAPER, run PROGRAM and wait for it, then reap
 * every process reparented to us, until none is left. Prints on stdout
 * "program STATUS" and, for each orphan reaped, "reaped PID STATUS",
 * STATUS being an exit code or 128+signal. Exits with PROGRAM's status. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int code(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	int st, ret;
	pid_t pid, p;

	if (argc < 2 || prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		fprintf(stderr, "usage: reaper PROGRAM [ARG...]\n");
		return 125;
	}
	if ((pid = fork()) < 0)
		return 125;
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	while ((p = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	ret = code(st);
	printf("program %d\n", ret);
	fflush(stdout);
	while ((p = wait(&st)) > 0 || errno == EINTR)
		if (p > 0) {
			printf("reaped %d %d\n", p, code(st));
			fflush(stdout);
		}
	return ret;
}
