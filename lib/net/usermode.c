/* SPDX-License-Identifier: GPL-2.0-or-later */
/* usermode.c: pasta or slirp4netns for a container (see usermode.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "usermode.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

#define KEEPER "cfs-usernet"
#define READY_FD CFS_USERNET_READY_FD
/* how long the program may take to set up */
#define READY_MS 20000

int cfs_usernet_find(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH"), *p, *end;

	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = end + 1) {
		end = strchrnul(p, ':');
		if (end > p) {
			snprintf(buf, len, "%.*s/%s", (int)(end - p), p, name);
			if (access(buf, X_OK) == 0)
				return 0;
		}
		if (!*end)
			return -ENOENT;
	}
}

/* The keeper: the program as its child, ended when TARGET (a pidfd)
 * ends; the program ends with it. Never returns. */
static void keeper(const struct cfs_usernet *u, int ready, int target)
{
	struct pollfd p[2] = { { .fd = 4, .events = POLLIN },
			       { .fd = -1, .events = POLLIN } };
	pid_t me = getpid(), prog;
	int null;

	/* a ^C or hang-up of the chain's terminal is the container's to
	 * take, not ours: it ends, and we with it */
	setsid();
	prctl(PR_SET_NAME, KEEPER);
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0 ||
	    dup2(null, 0) < 0 || dup2(null, 1) < 0)
		_exit(1);
	/* ours: 0-2 (the program's errors go where ours go), READY_FD for
	 * the program, 4 the container's pidfd; nothing else */
	ready = fcntl(ready, F_DUPFD_CLOEXEC, 10);
	target = fcntl(target, F_DUPFD_CLOEXEC, 10);
	if (ready < 0 || target < 0 || dup2(ready, READY_FD) < 0 ||
	    dup3(target, 4, O_CLOEXEC) < 0)
		_exit(1);
	syscall(SYS_close_range, 5, ~0U, 0);
	if ((prog = fork()) < 0)
		_exit(1);
	if (prog == 0) {
		/* a SIGKILL of the keeper ends the program */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != me)
			_exit(1);
		execv(u->argv[0], (char *const *)u->argv);
		_exit(127);
	}
	close(READY_FD);
	p[1].fd = syscall(SYS_pidfd_open, prog, 0);
	while (poll(p, p[1].fd < 0 ? 1 : 2, -1) < 0 && errno == EINTR)
		;
	kill(prog, SIGKILL);
	while (waitpid(prog, NULL, 0) < 0 && errno == EINTR)
		;
	_exit(0);
}

/* Wait for the program to say it is up: a line (pasta's PID) or a byte
 * and its end (slirp4netns' "1"). */
static int wait_ready(const struct cfs_usernet *u, int fd, struct cfs_err *e)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[32];
	size_t got = 0;
	ssize_t n;
	int rc;

	while (got < sizeof(buf) - 1) {
		if ((rc = poll(&p, 1, READY_MS)) < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return cfs_fail(e, errno, "wait for %s", u->argv[0]);
		if (rc == 0)
			return cfs_fail(e, ETIMEDOUT, "wait for %s to set up the "
					"network", u->argv[0]);
		if ((n = read(fd, buf + got, sizeof(buf) - 1 - got)) < 0 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
		if (u->ready_byte || memchr(buf, '\n', got))
			return 0;
	}
	return cfs_fail(e, 0, "%s exited before the network was up",
			u->argv[0]);
}

/* One request to slirp4netns' API socket SOCK: add_hostfwd of port P. */
static int hostfwd(const char *sock, const struct cfs_usernet_port *p,
		   struct cfs_err *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char reply[1024], *req;
	json_t *j, *err;
	size_t got = 0;
	ssize_t n;
	int fd, rc = 0;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	j = json_pack("{s:s, s:{s:s, s:s, s:i, s:i}}", "execute", "add_hostfwd",
		      "arguments", "proto", p->udp ? "udp" : "tcp", "host_addr",
		      *p->addr ? p->addr : "0.0.0.0", "host_port", p->host,
		      "guest_port", p->ctr);
	req = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!req)
		return cfs_fail(e, ENOMEM, "slirp4netns request");
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    write(fd, req, strlen(req)) != (ssize_t)strlen(req) ||
	    shutdown(fd, SHUT_WR) < 0)
		rc = cfs_fail(e, errno, "slirp4netns API %s", sock);
	while (!rc && got < sizeof(reply) - 1 &&
	       (n = read(fd, reply + got, sizeof(reply) - 1 - got)) != 0) {
		if (n < 0 && errno != EINTR)
			rc = cfs_fail(e, errno, "slirp4netns API %s", sock);
		got += n > 0 ? n : 0;
	}
	free(req);
	if (fd >= 0)
		close(fd);
	if (rc)
		return rc;
	reply[got] = '\0';
	j = json_loads(reply, 0, NULL);
	if (!j || (err = json_object_get(j, "error")) || !json_object_get(j, "return")) {
		const char *desc = j && err ? json_string_value(json_object_get(err, "desc"))
					    : NULL;
		rc = cfs_fail(e, 0, "publish %s port %u: slirp4netns: %s",
			      p->udp ? "udp" : "tcp", p->host,
			      desc ? desc : reply);
	}
	json_decref(j);
	return rc;
}

int cfs_usernet_start(struct cfs_usernet *u, struct cfs_err *e)
{
	int ready[2], target, rc, status;
	pid_t pid;

	if ((target = syscall(SYS_pidfd_open, u->target, 0)) < 0)
		return cfs_fail_call(e, errno, "pidfd_open", "pidfd_open %d",
				     u->target);
	if (pipe2(ready, O_CLOEXEC) < 0) {
		rc = cfs_fail(e, errno, "pipe");
		close(target);
		return rc;
	}
	if ((pid = fork()) < 0) {
		rc = cfs_fail(e, errno, "fork");
		close(ready[0]);
		close(ready[1]);
		close(target);
		return rc;
	}
	if (pid == 0)
		keeper(u, ready[1], target);
	close(target);
	close(ready[1]);
	rc = wait_ready(u, ready[0], e);
	close(ready[0]);
	for (int i = 0; !rc && u->api_socket && i < u->n_ports; i++)
		rc = hostfwd(u->api_socket, &u->ports[i], e);
	if (rc) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	} else
		u->keeper = pid;
	return rc;
}

/* The container of keeper PID (the pid of its fd 4, a pidfd): its PID,
 * -1 once it is gone (reaped), 0 when PID is no keeper of ours. */
static pid_t target_of(const char *pid)
{
	char path[300], line[128];
	pid_t target = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	if (!(f = fopen(path, "re")))
		return 0;
	if (!fgets(line, sizeof(line), f) || strcmp(line, KEEPER "\n")) {
		fclose(f);
		return 0;
	}
	fclose(f);
	/* another user's is not readable */
	snprintf(path, sizeof(path), "/proc/%s/fdinfo/4", pid);
	if (!(f = fopen(path, "re")))
		return 0;
	while (!target && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Pid:", 4))
			target = atoi(line + 4);
	fclose(f);
	return target;
}

/* Each keeper of ours, and its container's PID (-1: gone), to FN. */
static int keepers(void (*fn)(pid_t keeper, pid_t target, void *arg),
		   void *arg, struct cfs_err *e)
{
	struct dirent *p;
	pid_t target;
	DIR *proc;

	if (!(proc = opendir("/proc")))
		return cfs_fail(e, errno, "opendir /proc");
	while ((p = readdir(proc)))
		if (p->d_name[0] >= '1' && p->d_name[0] <= '9' &&
		    (target = target_of(p->d_name)))
			fn(atoi(p->d_name), target, arg);
	closedir(proc);
	return 0;
}

struct stop {
	pid_t target;
	int found;
};

static void stop(pid_t keeper, pid_t target, void *arg)
{
	struct stop *s = arg;

	if (target == s->target && kill(keeper, SIGKILL) == 0)
		s->found = 1;
}

int cfs_usernet_stop(pid_t target, struct cfs_err *e)
{
	struct stop s = { .target = target };
	int rc = keepers(stop, &s, e);

	return rc ?: s.found;
}

/* A keeper whose container is gone is about to end its program: wait
 * for it (5 s at most). */
static void settle(pid_t keeper, pid_t target, void *arg)
{
	struct pollfd p = { .events = POLLIN };

	(void)arg;
	if (target != -1 || (p.fd = syscall(SYS_pidfd_open, keeper, 0)) < 0)
		return;
	while (poll(&p, 1, 5000) < 0 && errno == EINTR)
		;
	close(p.fd);
}

int cfs_usernet_settle(struct cfs_err *e)
{
	return keepers(settle, NULL, e);
}
