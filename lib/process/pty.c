/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pty.c: a container's terminal: make it, hand its master over, relay. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sockios.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "core/parse.h"
#include "pty.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif
#define DEVPTS_SUPER_MAGIC 0x1cd1

int cfs_pty_open(int dirfd, const char *path, const char *where,
		 struct cfs_pty *p, struct cfs_err *e)
{
	unsigned int n;
	struct statfs sf;
	struct stat st;
	int unlock = 0;

	/* O_NONBLOCK: a FIFO put there does not hang us */
	p->master = openat(dirfd, path, O_RDWR | O_NOCTTY | O_CLOEXEC |
					   O_NOFOLLOW | O_NONBLOCK);
	if (p->master < 0)
		return cfs_fail(e, errno, "open %s%s", where, path);
	if (fstat(p->master, &st) < 0 || fstatfs(p->master, &sf) < 0)
		goto fail;
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2) ||
	    sf.f_type != DEVPTS_SUPER_MAGIC) {
		close(p->master);
		return cfs_fail(e, 0, "open %s%s: not the ptmx of a devpts",
				where, path);
	}
	if (fcntl(p->master, F_SETFL, O_RDWR) < 0 ||
	    ioctl(p->master, TIOCSPTLCK, &unlock) < 0 ||
	    ioctl(p->master, TIOCGPTN, &n) < 0)
		goto fail;
	snprintf(p->name, sizeof(p->name), "/dev/pts/%u", n);
	p->slave = ioctl(p->master, TIOCGPTPEER,
			 O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->slave < 0)
		goto fail;
	return 0;
fail:
	n = errno;
	close(p->master);
	return cfs_fail(e, n, "make a pty from %s%s", where, path);
}

int cfs_pty_copy_size(int from, int to, struct cfs_err *e)
{
	struct winsize ws;

	if (ioctl(from, TIOCGWINSZ, &ws) < 0)
		return 0;
	if (ioctl(to, TIOCSWINSZ, &ws) < 0)
		return cfs_fail(e, errno, "set the window size of the pty");
	return 0;
}

int cfs_pty_parse_size(const char *s, struct cfs_pty_size *size)
{
	const char *x = strchr(s, 'x');
	char rows[8];
	long r, c;

	if (!x || (size_t)(x - s) >= sizeof(rows))
		return -EINVAL;
	memcpy(rows, s, x - s);
	rows[x - s] = '\0';
	if (cfs_parse_long(rows, 1, USHRT_MAX, &r) ||
	    cfs_parse_long(x + 1, 1, USHRT_MAX, &c))
		return -EINVAL;
	size->rows = r;
	size->cols = c;
	return 0;
}

int cfs_pty_set_size(int fd, const struct cfs_pty_size *size,
		     struct cfs_err *e)
{
	struct winsize ws = { .ws_row = size->rows, .ws_col = size->cols };

	if (ioctl(fd, TIOCSWINSZ, &ws) < 0)
		return cfs_fail(e, errno, "set the window size of the pty");
	return 0;
}

int cfs_pty_take(int slave, struct cfs_err *e)
{
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return cfs_fail(e, errno, "make the pty the controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return cfs_fail(e, errno, "make the pty fd %d", fd);
	if (slave > 2)
		close(slave);
	return 0;
}

int cfs_pty_connect(const char *path, struct cfs_err *e)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(addr.sun_path))
		return cfs_fail(e, ENAMETOOLONG, "connect to %s", path);
	strcpy(addr.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return cfs_fail(e, errno, "connect to %s", path);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		err = errno;
		close(fd);
		return cfs_fail(e, err, "connect to %s", path);
	}
	return fd;
}

int cfs_pty_inherited_socket(struct cfs_err *e)
{
	const char *s = getenv(CFS_PTY_SOCKET_ENV);
	int domain, err = 0;
	socklen_t len = sizeof(domain);
	long fd;

	if (!s)
		return cfs_fail(e, ENOENT, "find the terminal's relay");
	if (cfs_parse_long(s, 3, INT_MAX, &fd))
		return cfs_fail(e, 0, "%s=%s: not an fd", CFS_PTY_SOCKET_ENV, s);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
		err = errno;
	else if (domain != AF_UNIX)
		err = EPROTOTYPE;
	if (err || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return cfs_fail(e, err ? err : errno,
				"%s=%s: not the socket of a relay",
				CFS_PTY_SOCKET_ENV, s);
	unsetenv(CFS_PTY_SOCKET_ENV);
	return fd;
}

int cfs_pty_send(int sock, const struct cfs_pty *p, struct cfs_err *e)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control = { 0 };
	struct iovec iov = { .iov_base = (void *)p->name,
			     .iov_len = strlen(p->name) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &p->master, sizeof(int));
	while (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return cfs_fail(e, errno, "send the pty's master");
	return 0;
}

int cfs_pty_wait_received(int sock, struct cfs_err *e)
{
	struct pollfd p = { .fd = sock, .events = POLLRDHUP };
	int queued, ms = 1;

	/* SIOCOUTQ: the bytes we sent that the peer has not read; there is
	 * no event for "read", so look after 1 ms, then twice as long each
	 * time up to 64 ms (a shim reads it after the runtime's exit); the
	 * peer's close (which drops what it did not read) ends the wait at
	 * once */
	for (;; ms = ms < 64 ? ms * 2 : ms) {
		if (ioctl(sock, SIOCOUTQ, &queued) < 0)
			return cfs_fail(e, errno, "wait for the pty's master "
					"to be received");
		if (queued == 0)
			return 0;
		if (poll(&p, 1, ms) < 0 && errno != EINTR)
			return cfs_fail(e, errno, "wait for the pty's master "
					"to be received");
		if (p.revents & (POLLRDHUP | POLLHUP | POLLERR))
			return 0;
	}
}

int cfs_pty_wait_size(int tty, int ms, struct cfs_err *e)
{
	struct timespec t = { ms / 1000, ms % 1000 * 1000000L };
	struct winsize ws;
	sigset_t winch, old;
	int rc = 0;

	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	if (sigprocmask(SIG_BLOCK, &winch, &old) < 0)
		return cfs_fail(e, errno, "wait for the terminal's size");
	/* blocked first: a resize from now on is pending, not lost */
	if (ioctl(tty, TIOCGWINSZ, &ws) < 0)
		rc = cfs_fail(e, errno, "read the terminal's size");
	else if (!ws.ws_row && !ws.ws_col)
		sigtimedwait(&winch, NULL, &t);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* The fd a message on SOCK carries: >= 0; 0 and -1 when the socket
 * closed without one (-1: read nothing at all); -errno. */
static int receive(int sock)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	char name[4096];
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *c;
	ssize_t n;
	int fd = -1;

	if ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0)
		return errno == EINTR || errno == EAGAIN ? -EAGAIN : -errno;
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (fd >= 0 && !isatty(fd)) {
		close(fd);
		fd = -1;
	}
	return fd >= 0 ? fd : n == 0 ? -1 : -ENOTTY;
}

/* All of BUF to FD, a blocking fd (the caller's): 0, or -1 with errno. */
static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

struct relay_state {
	struct termios saved, raw_mode;
	int raw;
	int out_open, master_open;
	char in[4096];
	size_t in_len, in_off;
	char out[65536];
};

/* The master has come: its size, raw mode on IN, and it nonblocking
 * (ours alone; IN and OUT are the caller's, shared with its shell,
 * and stay as they are). */
static int start_relay(struct cfs_relay *r, struct relay_state *s,
		       struct cfs_err *e)
{
	int rc;

	r->got_master = 1;
	if ((rc = cfs_pty_copy_size(r->in, r->master, e)) < 0)
		return rc;
	if (fcntl(r->master, F_SETFL, O_RDWR | O_NONBLOCK) < 0)
		return cfs_fail(e, errno, "relay the pty");
	if (tcgetattr(r->in, &s->saved) < 0)
		return cfs_fail(e, errno, "read the terminal's mode");
	s->raw_mode = s->saved;
	cfmakeraw(&s->raw_mode);
	if (tcsetattr(r->in, TCSADRAIN, &s->raw_mode) < 0)
		return cfs_fail(e, errno, "set the terminal raw");
	s->raw = 1;
	return 0;
}

/* What the master has, to OUT; at its end (EIO: no slave open, and
 * nothing left) it is closed. Output OUT no longer takes is dropped. */
static void from_master(struct cfs_relay *r, struct relay_state *s)
{
	ssize_t n = read(r->master, s->out, sizeof(s->out));

	if (n > 0 && s->out_open && write_all(r->out, s->out, n) < 0)
		s->out_open = 0;
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		s->master_open = 0;
}

/* After CHILD's end: what its last writes left in the pty, until no
 * slave is open (a process of the container may keep one: then until
 * 50 ms pass with nothing). */
static void drain(struct cfs_relay *r, struct relay_state *s)
{
	struct pollfd p = { .fd = r->master, .events = POLLIN };

	while (s->master_open && poll(&p, 1, 50) > 0)
		from_master(r, s);
}

static void handle_signal(struct cfs_relay *r, struct relay_state *s,
			  const struct signalfd_siginfo *si, int *wstatus)
{
	int status;
	pid_t pid;

	if (si->ssi_signo == SIGCHLD) {
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			if (pid == r->child)
				*wstatus = status;
		return;
	}
	/* stopped as a job (kill -TSTP; ^Z goes to the pty): the terminal
	 * as it was meanwhile, raw again once continued in the foreground
	 * (in the background, tcsetattr stops us with SIGTTOU until then) */
	if (si->ssi_signo == SIGTSTP) {
		if (s->raw)
			tcsetattr(r->in, TCSADRAIN, &s->saved);
		kill(getpid(), SIGSTOP);
		if (s->raw)
			tcsetattr(r->in, TCSADRAIN, &s->raw_mode);
		return;
	}
	if (si->ssi_signo == SIGWINCH && r->master >= 0) {
		struct cfs_err ignored;
		cfs_pty_copy_size(r->in, r->master, &ignored);
		return;
	}
	/* a key on our terminal signals its foreground group: the child has
	 * it already when it is in ours */
	if (si->ssi_code == SI_KERNEL && getpgid(r->child) == getpgrp())
		return;
	kill(r->child, si->ssi_signo);
}

/* One round: wait for what is ready, and do it. 0 to go on, or -errno. */
static int relay_once(struct cfs_relay *r, struct relay_state *s, int sfd,
		      int *wstatus, struct cfs_err *e)
{
	struct pollfd p[3] = { { .fd = sfd, .events = POLLIN },
			       { .fd = -1 }, { .fd = -1 } };
	struct signalfd_siginfo si;
	ssize_t n;
	int fd;

	if (r->master < 0) {
		p[1] = (struct pollfd){ .fd = r->sock, .events = POLLIN };
	} else {
		if (!s->in_len)
			p[1] = (struct pollfd){ .fd = r->in, .events = POLLIN };
		p[2] = (struct pollfd){
			.fd = r->master,
			.events = (s->master_open ? POLLIN : 0) |
				  (s->in_len ? POLLOUT : 0) };
		if (!p[2].events)
			p[2].fd = -1;
	}
	if (poll(p, 3, -1) < 0)
		return errno == EINTR ? 0 : cfs_fail(e, errno, "relay the pty");
	while (p[0].revents && read(sfd, &si, sizeof(si)) == sizeof(si))
		handle_signal(r, s, &si, wstatus);
	if (r->master < 0 && p[1].revents) {
		if ((fd = receive(r->sock)) == -EAGAIN)
			return 0;
		close(r->sock);
		r->sock = -1;
		if (fd < 0 && fd != -1)
			return cfs_fail(e, -fd == ENOTTY ? 0 : -fd,
					"receive the pty's master%s",
					-fd == ENOTTY ? ": not a terminal" : "");
		if (fd >= 0) {
			r->master = fd;
			return start_relay(r, s, e);
		}
		return 0;
	}
	if (r->master < 0)
		return 0;
	if (p[1].revents) {
		n = read(r->in, s->in, sizeof(s->in));
		if (n > 0) {
			s->in_len = n, s->in_off = 0;
		} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
			/* our terminal hung up: so does the pty, whose
			 * session leader gets SIGHUP and reads its end */
			close(r->master);
			r->master = -1;
			return 0;
		}
	}
	if (s->in_len) {
		n = write(r->master, s->in + s->in_off, s->in_len - s->in_off);
		if (n > 0 && (s->in_off += n) == s->in_len)
			s->in_len = 0;
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			s->in_len = 0; /* nothing reads the pty any more */
	}
	if (p[2].revents & (POLLIN | POLLHUP | POLLERR))
		from_master(r, s);
	return 0;
}

/* What the relay takes through its signalfd: every signal that would
 * end it, so that none leaves the caller's terminal raw (those are
 * forwarded to the child, which the relay ends with), SIGTSTP (the
 * terminal restored while we are stopped), but a fault's and job
 * control's. SIGPIPE is blocked apart: OUT closed by its reader makes
 * write fail with EPIPE, and no one else's. */
static sigset_t relayed_signals(void)
{
	static const int left[] = { SIGKILL, SIGSTOP, SIGTTIN,
				    SIGTTOU, SIGCONT, SIGSEGV, SIGBUS,
				    SIGFPE,  SIGILL,  SIGTRAP, SIGABRT,
				    SIGSYS,  SIGPIPE };
	sigset_t set;

	sigfillset(&set);
	for (size_t i = 0; i < sizeof(left) / sizeof(*left); i++)
		sigdelset(&set, left[i]);
	return set;
}

int cfs_pty_relay(struct cfs_relay *r, struct cfs_err *e)
{
	sigset_t set = relayed_signals(), pipe;
	struct relay_state *s = calloc(1, sizeof(*s));
	int sfd, wstatus = -1, rc = 0;

	if (!s)
		return cfs_fail(e, ENOMEM, "relay the pty");
	s->out_open = s->master_open = 1;
	r->got_master = 0;
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigprocmask(SIG_BLOCK, &pipe, NULL);
	if ((sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		free(s);
		return cfs_fail(e, errno, "relay the pty");
	}
	if (r->master >= 0)
		rc = start_relay(r, s, e);
	while (!rc && wstatus < 0)
		rc = relay_once(r, s, sfd, &wstatus, e);
	if (r->master >= 0 && !rc)
		drain(r, s);
	/* fails only for a terminal that is gone, with nothing to restore */
	if (s->raw)
		tcsetattr(r->in, TCSADRAIN, &s->saved);
	if (r->master >= 0)
		close(r->master);
	if (r->sock >= 0)
		close(r->sock);
	r->master = r->sock = -1;
	close(sfd);
	free(s);
	return rc ? rc : wstatus;
}
