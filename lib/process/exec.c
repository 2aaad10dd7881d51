/* SPDX-License-Identifier: GPL-2.0-or-later */
/* exec.c: exec the rest of the chain, and wait for it when we forked. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec.h"
#include "core/err.h"

static const int forwarded[] = { SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,
				 SIGUSR1, SIGUSR2, SIGWINCH };

/* A failed exec of PROGRAM as E says it: -errno, -ENOENT when not found. */
static int fail_exec(const char *where, const char *program, int errnum,
		     struct cfs_err *e)
{
	const char *sep = program[0] == '/' ? "" : "/";

	if (!where)
		return cfs_fail(e, errnum, "failed to execute %s", program);
	if (errnum != ENOENT)
		return cfs_fail(e, errnum, "failed to execute %s%s%s", where,
				sep, program);
	if (strchr(program, '/'))
		cfs_fail(e, 0, "%s%s%s: not found in the new root", where, sep,
			 program);
	else
		cfs_fail(e, 0, "%s: not found in the new root's PATH (%s)",
			 program, getenv("PATH") ? getenv("PATH") : "unset");
	return -ENOENT;
}

int cfs_execvp(const char *where, const char **argv, struct cfs_err *e)
{
	execvp(argv[0], (char *const *)argv);
	return fail_exec(where, argv[0], errno, e);
}

int cfs_exec_keep_fds(unsigned first, struct cfs_err *e)
{
	if (syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return cfs_fail_call(e, errno, "close_range", "close_range %u",
				     first);
	return 0;
}

const char **cfs_program_or_shell(const char **argv)
{
	static const char *shell[2];

	if (argv && argv[0])
		return argv;
	shell[0] = getenv("SHELL");
	if (!shell[0] || !*shell[0])
		shell[0] = "/bin/sh";
	return shell;
}

static sigset_t forwarded_set(void)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(*forwarded); i++)
		sigaddset(&set, forwarded[i]);
	sigaddset(&set, SIGCHLD);
	return set;
}

/* TEXT written to PATH: 0, or -1 with errno. */
__attribute__((no_sanitize_address)) static int write_file(const char *path,
							   const char *text)
{
	size_t len = strlen(text);
	int fd, err;
	ssize_t n;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	n = write(fd, text, len);
	err = n < 0 ? errno : (size_t)n != len ? EIO : 0;
	if (close(fd) < 0 && !err)
		err = errno;
	errno = err;
	return err ? -1 : 0;
}

/* Run STEPS until one fails: its index, with its errno in *ERRNUM (0
 * for a check that did not hold) and what it read in *VALUE; else the
 * index of CFS_STEP_END. System calls only: a spawned child runs it. */
__attribute__((no_sanitize_address)) static int
walk(const struct cfs_step *steps, int *errnum, long *value)
{
	int i;

	for (i = 0; steps[i].op != CFS_STEP_END; i++) {
		const struct cfs_step *s = &steps[i];
		int rc = -1;

		errno = 0;
		*value = 0;
		switch (s->op) {
		case CFS_STEP_PRCTL:
			rc = prctl(s->num[0], s->num[1], 0, 0, 0);
			break;
		case CFS_STEP_PPID_IS:
			*value = getppid();
			rc = *value == s->num[0] || *value == 0 ? 0 : -1;
			break;
		case CFS_STEP_MOUNT:
			rc = mount(s->source, s->path, s->type, s->flags, NULL);
			break;
		case CFS_STEP_SETSID:
			rc = setsid() < 0 ? -1 : 0;
			break;
		case CFS_STEP_SID_IS_PID:
			*value = getsid(0);
			rc = *value > 0 && *value == getpid() ? 0 : -1;
			break;
		case CFS_STEP_WRITE_FILE:
			rc = write_file(s->path, s->text);
			break;
		case CFS_STEP_END:
			break;
		}
		if (rc < 0) {
			*errnum = errno;
			return i;
		}
	}
	return i;
}

/* Step S failed with ERRNUM, having read VALUE: E says so. */
static int step_failed(const struct cfs_step *s, int errnum, long value,
		       struct cfs_err *e)
{
	if (s->op == CFS_STEP_SID_IS_PID)
		return cfs_fail(e, 0, "%s: not done: the session is %ld",
				s->msg, value);
	return cfs_fail(e, errnum, "%s", s->msg);
}

int cfs_steps_run(const struct cfs_step *steps, struct cfs_err *e)
{
	int errnum = 0, i;
	long value;

	i = walk(steps, &errnum, &value);
	if (steps[i].op == CFS_STEP_END)
		return 0;
	return step_failed(&steps[i], errnum, value, e);
}

struct spawn {
	const char **argv;
	sigset_t mask;	/* the child's signal mask */
	const struct cfs_step *steps;
	int fd;		/* where the child says what failed */
};

/* What a spawned child says through the pipe when it fails. */
struct report {
	int index;	/* the step, or CFS_STEP_END's index: the exec */
	int errnum;
	long value;
};

/* cfs_spawn_forwarding's child, on a stack of its own, in its parent's
 * memory until the exec: it walks the steps, makes system calls and
 * nothing else, so that it cannot change the parent's state (no malloc,
 * no stdio, no exit(3)). What failed goes through a pipe, not that
 * memory, so that a fork in its place (valgrind makes one) says it too.
 * Its stack is none AddressSanitizer knows of: it would warn at its
 * end. */
__attribute__((no_sanitize_address)) static int spawned(void *arg)
{
	struct spawn *s = arg;
	struct report r = { 0 };
	ssize_t said;

	sigprocmask(SIG_SETMASK, &s->mask, NULL);
	r.index = walk(s->steps, &r.errnum, &r.value);
	if (s->steps[r.index].op == CFS_STEP_END) {
		execvp(s->argv[0], (char *const *)s->argv);
		r.errnum = errno;
	}
	said = write(s->fd, &r, sizeof(r)); /* if not, our status says it */
	(void)said;
	return CFS_EXIT_FAILURE; /* clone(2)'s wrapper exits with it */
}

pid_t cfs_spawn_forwarding(const char **argv, const struct cfs_step *steps,
			   int *failed, struct cfs_err *e)
{
	static const struct cfs_step none[] = { { .op = CFS_STEP_END } };
	sigset_t set = forwarded_set();
	struct spawn s = { .argv = argv, .steps = steps ? steps : none };
	size_t argc = 0, size;
	struct report r;
	int pipe[2], errnum;
	char *stack;
	pid_t pid;

	*failed = -1;
	while (argv[argc])
		argc++;
	/* execvp puts argv on the stack to run a file without #! with sh */
	size = (65536 + (argc + 2) * sizeof(*argv) + 4095) & ~(size_t)4095;
	stack = mmap(NULL, size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return cfs_fail(e, errno, "fork");
	if (pipe2(pipe, O_CLOEXEC) < 0) {
		errnum = errno;
		munmap(stack, size);
		return cfs_fail(e, errnum, "fork");
	}
	s.fd = pipe[1];
	sigprocmask(SIG_BLOCK, &set, &s.mask);
	pid = clone(spawned, stack + size, CLONE_VM | CLONE_VFORK | SIGCHLD, &s);
	errnum = errno;
	munmap(stack, size);
	close(pipe[1]);
	if (pid < 0) {
		close(pipe[0]);
		return cfs_fail(e, errnum, "fork");
	}
	/* nothing to read once the exec has closed the child's end */
	if (read(pipe[0], &r, sizeof(r)) != sizeof(r)) {
		close(pipe[0]);
		return pid;
	}
	close(pipe[0]);
	waitpid(pid, NULL, 0);
	*failed = r.index;
	if (s.steps[r.index].op == CFS_STEP_END)
		return fail_exec(NULL, argv[0], r.errnum, e);
	return step_failed(&s.steps[r.index], r.errnum, r.value, e);
}

pid_t cfs_fork_forwarding_into(int cgroup_fd)
{
	struct clone_args args = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = cgroup_fd,
	};
	sigset_t set = forwarded_set(), old;
	pid_t pid;

	sigprocmask(SIG_BLOCK, &set, &old);
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid <= 0) /* the child, or no child */
		sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

pid_t cfs_fork_forwarding(void)
{
	sigset_t set = forwarded_set(), old;
	pid_t pid;

	sigprocmask(SIG_BLOCK, &set, &old);
	pid = fork();
	if (pid == 0)
		sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

int cfs_exit_code(int wstatus)
{
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return WEXITSTATUS(wstatus);
}

int cfs_wait_forwarding(pid_t child)
{
	sigset_t set = forwarded_set();

	for (;;) {
		siginfo_t si;
		int wstatus;
		pid_t pid;

		while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0)
			if (pid == child)
				return wstatus;
		if (pid < 0 && errno == ECHILD)
			return W_EXITCODE(CFS_EXIT_FAILURE, 0);

		if (sigwaitinfo(&set, &si) < 0 || si.si_signo == SIGCHLD)
			continue;
		/* A key pressed on our terminal signals its whole foreground
		 * process group: the child already has it when it is ours. */
		if (si.si_code == SI_KERNEL && getpgid(child) == getpgrp())
			continue;
		kill(child, si.si_signo);
	}
}

pid_t cfs_setsid_forking(struct cfs_err *e)
{
	pid_t child;

	if (setsid() >= 0)
		return 0;
	if (errno != EPERM)
		return cfs_fail(e, errno, "start a new session");
	child = cfs_fork_forwarding();
	if (child < 0)
		return cfs_fail(e, errno, "fork");
	if (child == 0 && setsid() < 0)
		return cfs_fail(e, errno, "start a new session");
	return child;
}
