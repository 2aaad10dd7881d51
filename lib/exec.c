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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "exec.h"

static const int forwarded[] = { SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,
				 SIGUSR1, SIGUSR2, SIGWINCH };

static void die_exec(const char *where, const char *program, int errnum)
{
	int status = errnum == ENOENT ? CFS_EXIT_NOT_FOUND
				      : CFS_EXIT_CANNOT_RUN;
	const char *sep = program[0] == '/' ? "" : "/";

	if (!where)
		cfs_die(status, errnum, "failed to execute %s", program);
	if (errnum == ENOENT && strchr(program, '/'))
		cfs_die(status, 0, "%s%s%s: not found in the new root", where,
			sep, program);
	if (errnum == ENOENT)
		cfs_die(status, 0, "%s: not found in the new root's PATH (%s)",
			program, getenv("PATH") ? getenv("PATH") : "unset");
	cfs_die(status, errnum, "failed to execute %s%s%s", where, sep,
		program);
}

void cfs_exec_in(const char *where, const char **argv)
{
	execvp(argv[0], (char *const *)argv);
	die_exec(where, argv[0], errno);
	abort();
}

void cfs_exec(const char **argv)
{
	cfs_exec_in(NULL, argv);
}

int cfs_exec_keep_fds(unsigned first, struct cfs_err *e)
{
	if (syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return cfs_fail(e, errno, "close_range %u", first);
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

struct spawn {
	const char **argv;
	sigset_t mask;	/* the child's signal mask */
	int (*before)(void *arg, struct cfs_err *e);
	void *arg;
	int fd;		/* where the child says why it failed */
};

/* cfs_spawn_forwarding's child, on a stack of its own, in its parent's
 * memory until the exec: nothing here may change the parent's state (no
 * malloc, no stdio, _exit only). Why it failed goes through a pipe, not
 * that memory, so that a fork in its place (valgrind makes one) says it
 * too: BEFORE's message, or an exec's errno with no message. Its stack
 * is none AddressSanitizer knows of: it would warn at the _exit. */
__attribute__((no_sanitize_address)) static int spawned(void *arg)
{
	struct spawn *s = arg;
	struct cfs_err e = { 0 };
	ssize_t said;

	sigprocmask(SIG_SETMASK, &s->mask, NULL);
	if (!s->before || s->before(s->arg, &e) == 0) {
		execvp(s->argv[0], (char *const *)s->argv);
		e.errnum = errno;
	}
	said = write(s->fd, &e, sizeof(e)); /* if not, our status says it */
	(void)said;
	_exit(CFS_EXIT_FAILURE);
}

pid_t cfs_spawn_forwarding(const char **argv,
			   int (*before)(void *arg, struct cfs_err *e),
			   void *arg)
{
	sigset_t set = forwarded_set();
	struct spawn s = { .argv = argv, .before = before, .arg = arg };
	size_t argc = 0, size;
	struct cfs_err e;
	int pipe[2], errnum;
	char *stack;
	pid_t pid;

	while (argv[argc])
		argc++;
	/* execvp puts argv on the stack to run a file without #! with sh */
	size = (65536 + (argc + 2) * sizeof(*argv) + 4095) & ~(size_t)4095;
	stack = mmap(NULL, size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return -1;
	if (pipe2(pipe, O_CLOEXEC) < 0) {
		munmap(stack, size);
		return -1;
	}
	s.fd = pipe[1];
	sigprocmask(SIG_BLOCK, &set, &s.mask);
	pid = clone(spawned, stack + size, CLONE_VM | CLONE_VFORK | SIGCHLD, &s);
	errnum = errno;
	munmap(stack, size);
	close(pipe[1]);
	/* nothing to read once the exec has closed the child's end */
	if (pid > 0 && read(pipe[0], &e, sizeof(e)) == sizeof(e)) {
		waitpid(pid, NULL, 0);
		if (*e.msg)
			cfs_die_err(&e);
		die_exec(NULL, argv[0], e.errnum);
	}
	close(pipe[0]);
	errno = errnum;
	return pid;
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

void cfs_new_session(void)
{
	pid_t child;

	if (setsid() >= 0)
		return;
	if (errno != EPERM)
		cfs_die(CFS_EXIT_FAILURE, errno, "start a new session");
	child = cfs_fork_forwarding();
	if (child < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "fork");
	if (child > 0)
		exit(cfs_exit_code(cfs_wait_forwarding(child)));
	if (setsid() < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "start a new session");
}
