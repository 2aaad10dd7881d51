/* SPDX-License-Identifier: GPL-2.0-or-later */
/* exec.h: the end of every tool, exec the rest of the command line, and
 * the parent's side when a tool forks: wait, forward signals, pass the
 * status back. Failures are -errno with a struct cfs_err (err.h); the
 * front ends' dying forms (cfs_exec, cfs_spawn...) are in opts.h. */
#ifndef CFS_EXEC_H
#define CFS_EXEC_H

#include <sys/types.h>

#include "core/err.h"

/* execvp(argv[0]). Returns only on failure: -errno, with E saying
 * "failed to execute PROGRAM"; -ENOENT when it was not found (the chain
 * passes on 127 then, else 126). WHERE, when not NULL, is the new root
 * PROGRAM was looked for in: a failure names it WHERE/PROGRAM, and
 * one not found says "not found in the new root" (or "in the new
 * root's PATH (PATH)"), errnum 0. */
int cfs_execvp(const char *where, const char **argv, struct cfs_err *e);

/* Mark every fd from FIRST up close-on-exec (close_range(2) with
 * CLOSE_RANGE_CLOEXEC, Linux 5.11), so that PROGRAM gets 0, 1, 2 and the
 * FIRST - 3 after them, and nothing else a caller left open: an fd of a
 * host directory is a way out of any root (CVE-2024-21626). The fds stay
 * usable until the exec. 0 or -errno. */
int cfs_exec_keep_fds(unsigned first, struct cfs_err *e);

/* The program's argv: argv when it has one, else $SHELL, else /bin/sh. */
const char **cfs_program_or_shell(const char **argv);

/* Block the signals a parent forwards (and SIGCHLD), fork, and in the
 * child restore the signal mask. Returns fork()'s value. */
pid_t cfs_fork_forwarding(void);

/* What a spawned child does between its clone and its exec, as data: it
 * shares our memory until the exec, so it may make system calls and
 * nothing else (no malloc, no stdio, no lock). Each step is one call
 * whose arguments were prepared before the clone, and MSG is what its
 * failure says ("prctl PR_SET_PDEATHSIG"), with the call's errno as the
 * reason. An array of steps ends with CFS_STEP_END. */
enum cfs_step_op {
	CFS_STEP_END,
	CFS_STEP_PRCTL,      /* prctl(NUM[0], NUM[1], 0, 0, 0) */
	CFS_STEP_PPID_IS,    /* getppid() is NUM[0], or 0 (a parent outside
				our PID namespace); else MSG, errnum 0 */
	CFS_STEP_MOUNT,      /* mount(SOURCE, PATH, TYPE, FLAGS, NULL) */
	CFS_STEP_SETSID,     /* setsid() */
	CFS_STEP_SID_IS_PID, /* getsid(0) is getpid(): we lead our session;
				else "MSG: not done: the session is SID" */
	CFS_STEP_WRITE_FILE, /* TEXT written to PATH (open O_WRONLY, write,
				close) */
};

struct cfs_step {
	enum cfs_step_op op;
	const char *msg;
	long num[2];
	const char *path, *source, *type, *text;
	unsigned long flags;
};

/* Run STEPS in this process, as a spawned child would: 0, or -errno with
 * E saying which failed. */
int cfs_steps_run(const struct cfs_step *steps, struct cfs_err *e);

/* cfs_fork_forwarding, then STEPS (NULL: none) and execvp(ARGV) in the
 * child, for a child that does little else: it shares our memory until
 * its exec, as vfork(2) and posix_spawn(3) do, where a fork would copy
 * our page tables for it and leave both of us a page fault for each page
 * written after (0.7 ms a container start on the bench machine). Unlike
 * posix_spawnp, execvp(3) itself: a file without #! runs with /bin/sh.
 * Returns the child. On failure, -errno with E filled and *FAILED saying
 * what failed: -1 the clone (E "fork"); I, step I (E its message; the
 * child reaped); the index of CFS_STEP_END, the exec (as cfs_execvp
 * says it; the child reaped). */
pid_t cfs_spawn_forwarding(const char **argv, const struct cfs_step *steps,
			   int *failed, struct cfs_err *e);

/* cfs_fork_forwarding, with the child started in the v2 cgroup whose
 * directory CGROUP_FD is (clone3's CLONE_INTO_CGROUP, Linux 5.7): no
 * write to cgroup.procs, which waits for an RCU grace period. -1 with
 * errno where the kernel refuses it; the caller spawns the child and
 * moves it then. glibc does not know of a raw clone3: the child makes
 * system calls, execs or exits, and no more (no threads, no raise). */
pid_t cfs_fork_forwarding_into(int cgroup_fd);

/* The parent's side of cfs_fork_forwarding: forward SIGINT SIGTERM SIGHUP
 * SIGQUIT SIGUSR1 SIGUSR2 SIGWINCH to CHILD until it ends (a terminal's
 * own signal is not sent twice to a child in our process group); reap any
 * other child; return CHILD's wait status (cfs_exit_code() makes it the
 * status to pass on). */
int cfs_wait_forwarding(pid_t child);

/* Go on in a new session, with no controlling terminal: a program that
 * could ioctl(TIOCSTI) on an inherited terminal could type commands into
 * the shell that started the chain. A process group leader (an
 * interactive shell's job, or a session leader) cannot start one: as
 * setsid(1) does, it forks, and the child goes on in a new session.
 * Returns 0 in the process that goes on; in the parent of that fork, the
 * child, for the caller to wait for (cfs_wait_forwarding) and exit with
 * its status; or -errno. */
pid_t cfs_setsid_forking(struct cfs_err *e);

/* A wait status as an exit code: the code, or 128+N for signal N. */
int cfs_exit_code(int wstatus);

#endif
