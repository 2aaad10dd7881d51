/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pty.h: a terminal for a container, as runc and crun make one. The pty
 * comes from the container's own devpts instance; its slave becomes the
 * controlling terminal of PROGRAM, in a new session, on fds 0-2; its
 * master goes, with SCM_RIGHTS, to whoever relays it (runc's console
 * socket protocol: one fd, the slave's name as the data), or is relayed
 * here, by a process outside the container, to the caller's terminal,
 * which is in raw mode meanwhile and restored on every way out. Failures
 * are -errno with a struct cfs_err (err.h). */
#ifndef CFS_PTY_H
#define CFS_PTY_H

#include <sys/types.h>

#include "core/err.h"

/* The environment variable naming the inherited fd of the socket a relay
 * waits on for the master: the relay sets it for the chain below, and
 * the step that makes the pty reads it. */
#define CFS_PTY_SOCKET_ENV "CFS_TTY_SOCKET"

struct cfs_pty {
	int master, slave;	/* O_CLOEXEC both */
	char name[32];		/* the slave's path in the container */
};

/* A new pty from the ptmx at PATH under DIRFD (the container's
 * /dev/pts/ptmx): a character device 5:2 on a devpts, opened with no
 * symlink followed in its last component; unlocked; its slave opened
 * through the master (TIOCGPTPEER), never by a path. WHERE names DIRFD
 * in a message. */
int cfs_pty_open(int dirfd, const char *path, const char *where,
		 struct cfs_pty *p, struct cfs_err *e);

/* The window size of FROM (the caller's terminal) given to TO; nothing
 * when FROM is no terminal. */
int cfs_pty_copy_size(int from, int to, struct cfs_err *e);

/* A window size given, not copied: OCI's process.consoleSize. */
struct cfs_pty_size {
	unsigned short rows, cols;
};

/* ROWSxCOLS ("31x97"), each from 1 to 65535, whole string: 0 and SIZE
 * set, or -EINVAL. */
int cfs_pty_parse_size(const char *s, struct cfs_pty_size *size);

/* SIZE given to the pty FD is an end of (TIOCSWINSZ). */
int cfs_pty_set_size(int fd, const struct cfs_pty_size *size,
		     struct cfs_err *e);

/* SLAVE made the controlling terminal of this process, the leader of a
 * session with none (setsid first), and fds 0, 1 and 2; SLAVE closed. */
int cfs_pty_take(int slave, struct cfs_err *e);

/* A stream socket connected to the AF_UNIX socket at PATH (a console
 * socket), O_CLOEXEC. */
int cfs_pty_connect(const char *path, struct cfs_err *e);

/* The inherited socket named by $CFS_PTY_SOCKET_ENV, checked to be an
 * AF_UNIX socket and made O_CLOEXEC; the variable unset. -ENOENT (E
 * filled) when the environment names none. */
int cfs_pty_inherited_socket(struct cfs_err *e);

/* P's master sent over SOCK with SCM_RIGHTS, P's name as the data. */
int cfs_pty_send(int sock, const struct cfs_pty *p, struct cfs_err *e);

/* Until the receiver at the other end of SOCK has read what
 * cfs_pty_send sent (nothing of ours is left queued in the socket), or
 * has gone. An engine sets the pty's size on the master it receives
 * (conmon, from a resize it was given before the exec): a program that
 * starts after this finds that size. Nothing acknowledges the message
 * in the protocol, and an engine may read it only once the runtime has
 * exited (containerd's shim): only a process that may wait, the
 * program-to-be, calls this. */
int cfs_pty_wait_received(int sock, struct cfs_err *e);

/* Until TTY, our controlling terminal (we lead its session, our group
 * in its foreground), has a window size: at once when it has one, else
 * until its first resize (the kernel's SIGWINCH to our group) or MS
 * milliseconds, whichever comes first. SIGWINCH is blocked meanwhile;
 * one that comes is taken. */
int cfs_pty_wait_size(int tty, int ms, struct cfs_err *e);

/* What a relay runs: CHILD, waited for; the pty's master, or a socket
 * it comes through (SOCK, the master -1 until then); the caller's
 * terminal IN (read, set raw, its size followed) and OUT. */
struct cfs_relay {
	pid_t child;
	int sock, master;
	int in, out;
	int got_master;	/* after the relay: a master came */
};

/* Relay until CHILD ends: keys from IN to the master, output from the
 * master to OUT, IN's window size to the master at the start and on
 * SIGWINCH; the master closed when IN hangs up (EOF or an error: it is a
 * terminal); IN in raw mode from the master's arrival to our return; the
 * signals cfs_fork_forwarding blocks are forwarded to CHILD (the
 * terminal's own ones no longer reach it: raw mode); other children are
 * reaped. Returns CHILD's wait status, or -errno. */
int cfs_pty_relay(struct cfs_relay *r, struct cfs_err *e);

#endif
