/* exec.h: the end of every tool, exec the rest of the command line, and
 * the parent's side when a tool forks: wait, forward signals, pass the
 * status back. */
#ifndef CFS_EXEC_H
#define CFS_EXEC_H

#include <sys/types.h>

#include "err.h"

/* execvp(argv[0]); on failure print "TOOL: failed to execute PROGRAM:
 * REASON" and exit 127 (not found) or 126 (found, cannot run). */
void cfs_exec(const char **argv) __attribute__((noreturn));

/* Like cfs_exec, but a failure names the program as WHERE/PATH (the new
 * root it was looked for in), for tools that exec inside a new root. */
void cfs_exec_in(const char *where, const char **argv)
	__attribute__((noreturn));

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

/* cfs_fork_forwarding and the child's cfs_exec(ARGV) in one, for a child
 * that does little else: it shares our memory until its exec, as vfork(2)
 * and posix_spawn(3) do, where a fork would copy our page tables for it
 * and leave both of us a page fault for each page written after (0.7 ms
 * a container start on the bench machine). Unlike posix_spawnp, execvp(3)
 * itself: a file without #! runs with /bin/sh. BEFORE, when not NULL,
 * runs first in the child, with ARG: in our memory, so system calls and
 * cfs_fail only (no malloc, no stdio, no exit); 0 or -errno. Returns the
 * child, or -1 with errno when none could be made; when BEFORE fails or
 * PROGRAM cannot be executed, says so and exits as the child would have
 * (cfs_die_err, cfs_exec). */
pid_t cfs_spawn_forwarding(const char **argv,
			   int (*before)(void *arg, struct cfs_err *e),
			   void *arg);

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
 * setsid(1) does, it forks, the child goes on in a new session, and the
 * parent waits, forwarding signals, and exits with the child's status.
 * Dies on failure. */
void cfs_new_session(void);

/* A wait status as an exit code: the code, or 128+N for signal N. */
int cfs_exit_code(int wstatus);

#endif
