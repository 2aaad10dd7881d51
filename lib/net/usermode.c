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

#define KEEPER "cfs-net-keeper"
/* the program's fd that says the network is up: pasta writes its PID
 * there (-P), slirp4netns "1" (--ready-fd) */
#define READY_FD 3
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

/* The program's command line, into ARGV (room for 64 + 4 a port);
 * its strings in BUF. */
static void command(const struct cfs_usernet *u, const char *sock,
		    const char **argv, char (*buf)[96])
{
	int n = 0, b = 0, tcp = 0, udp = 0;

	argv[n++] = u->program;
	if (u->slirp4netns) {
		argv[n++] = "--configure";
		argv[n++] = "--mtu=65520";
		/* the host's 127.0.0.1 is not the container's, as with
		 * the bridge (podman's default too) */
		argv[n++] = "--disable-host-loopback";
		snprintf(buf[b], sizeof(*buf), "--ready-fd=%d", READY_FD);
		argv[n++] = buf[b++];
		if (sock) {
			argv[n++] = "--api-socket";
			argv[n++] = sock;
		}
		argv[n++] = "--netns-type=path";
		snprintf(buf[b], sizeof(*buf), "--userns-path=/proc/%d/ns/user",
			 u->target);
		argv[n++] = buf[b++];
		snprintf(buf[b], sizeof(*buf), "/proc/%d/ns/net", u->target);
		argv[n++] = buf[b++];
		argv[n++] = "eth0";
		argv[n] = NULL;
		return;
	}
	/* in the foreground, as our child; quiet but for errors */
	argv[n++] = "--foreground";
	argv[n++] = "--quiet";
	argv[n++] = "--config-net";
	argv[n++] = "--ns-ifname";
	argv[n++] = "eth0";
	/* the gateway is the gateway, not the host (podman's default) */
	argv[n++] = "--no-map-gw";
	snprintf(buf[b], sizeof(*buf), "/dev/fd/%d", READY_FD);
	argv[n++] = "--pid";
	argv[n++] = buf[b++];
	for (int i = 0; i < u->n_ports; i++) {
		const struct cfs_usernet_port *p = &u->ports[i];

		argv[n++] = p->udp ? "--udp-ports" : "--tcp-ports";
		snprintf(buf[b], sizeof(*buf), "%s%s%u:%u", p->addr,
			 *p->addr ? "/" : "", p->host, p->ctr);
		argv[n++] = buf[b++];
		*(p->udp ? &udp : &tcp) = 1;
	}
	/* nothing else forwarded either way: pasta's default, auto,
	 * would forward every port the container binds, and give it the
	 * host's loopback */
	const char *none[][2] = { { "--tcp-ports", tcp ? NULL : "none" },
				  { "--udp-ports", udp ? NULL : "none" },
				  { "--tcp-ns", "none" },
				  { "--udp-ns", "none" } };
	for (int i = 0; i < 4; i++)
		if (none[i][1]) {
			argv[n++] = none[i][0];
			argv[n++] = none[i][1];
		}
	snprintf(buf[b], sizeof(*buf), "/proc/%d/ns/user", u->target);
	argv[n++] = "--userns";
	argv[n++] = buf[b++];
	snprintf(buf[b], sizeof(*buf), "/proc/%d/ns/net", u->target);
	argv[n++] = "--netns";
	argv[n++] = buf[b++];
	argv[n] = NULL;
}

/* The keeper: the program as its child, ended when TARGET (a pidfd)
 * ends; the program ends with it. Never returns. */
static void keeper(const struct cfs_usernet *u, const char **argv,
		   int ready, int target)
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
		execv(u->program, (char *const *)argv);
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
			return cfs_fail(e, errno, "wait for %s", u->program);
		if (rc == 0)
			return cfs_fail(e, ETIMEDOUT, "wait for %s to set up the "
					"network", u->program);
		if ((n = read(fd, buf + got, sizeof(buf) - 1 - got)) < 0 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
		if (u->slirp4netns || memchr(buf, '\n', got))
			return 0;
	}
	return cfs_fail(e, 0, "%s exited before the network was up",
			u->program);
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
	const char *argv[72 + 4 * 64];
	char buf[8 + 2 * 64][96], dir[256] = "", sock[300] = "";
	int ready[2], target, rc = 0, status;
	pid_t pid;

	if (u->n_ports > 64)
		return cfs_fail(e, E2BIG, "publish %d ports: 64 at most",
				u->n_ports);
	if ((target = syscall(SYS_pidfd_open, u->target, 0)) < 0)
		return cfs_fail_call(e, errno, "pidfd_open", "pidfd_open %d",
				     u->target);
	if (u->slirp4netns && u->n_ports) {
		/* the API socket, in a directory of ours alone */
		snprintf(dir, sizeof(dir), "%s/cfs-net.XXXXXX", u->tmpdir);
		if (!mkdtemp(dir)) {
			rc = cfs_fail(e, errno, "mkdtemp %s", dir);
			close(target);
			return rc;
		}
		snprintf(sock, sizeof(sock), "%s/api.sock", dir);
	}
	command(u, *sock ? sock : NULL, argv, buf);
	if (pipe2(ready, O_CLOEXEC) < 0) {
		rc = cfs_fail(e, errno, "pipe");
		goto out;
	}
	if ((pid = fork()) < 0) {
		rc = cfs_fail(e, errno, "fork");
		close(ready[0]);
		close(ready[1]);
		goto out;
	}
	if (pid == 0)
		keeper(u, argv, ready[1], target);
	close(ready[1]);
	rc = wait_ready(u, ready[0], e);
	close(ready[0]);
	for (int i = 0; !rc && *sock && i < u->n_ports; i++)
		rc = hostfwd(sock, &u->ports[i], e);
	if (rc) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	} else
		u->keeper = pid;
out:
	close(target);
	if (*sock)
		unlink(sock);
	if (*dir)
		rmdir(dir);
	return rc;
}

/* Is fd FD of process PID a pidfd of TARGET? */
static int pidfd_of(const char *pid, const char *fd, pid_t target)
{
	char path[600], line[128];
	int rc = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/fdinfo/%s", pid, fd);
	if (!(f = fopen(path, "re")))
		return 0;
	while (!rc && fgets(line, sizeof(line), f))
		rc = !strncmp(line, "Pid:", 4) && atoi(line + 4) == target;
	fclose(f);
	return rc;
}

int cfs_usernet_stop(pid_t target, struct cfs_err *e)
{
	char path[600], comm[32], link[64];
	struct dirent *p, *fd;
	int found = 0;
	DIR *proc, *fds;
	FILE *f;

	if (!(proc = opendir("/proc")))
		return cfs_fail(e, errno, "opendir /proc");
	while ((p = readdir(proc))) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", p->d_name);
		if (!(f = fopen(path, "re")))
			continue;
		if (!fgets(comm, sizeof(comm), f) || strcmp(comm, KEEPER "\n")) {
			fclose(f);
			continue;
		}
		fclose(f);
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		if (!(fds = opendir(path)))
			continue; /* another user's */
		while ((fd = readdir(fds))) {
			ssize_t n;

			snprintf(path, sizeof(path), "/proc/%s/fd/%s", p->d_name,
				 fd->d_name);
			n = readlink(path, link, sizeof(link) - 1);
			if (n <= 0 || (link[n] = '\0', strcmp(link, "anon_inode:[pidfd]")) ||
			    !pidfd_of(p->d_name, fd->d_name, target))
				continue;
			if (kill(atoi(p->d_name), SIGKILL) == 0)
				found = 1;
			break;
		}
		closedir(fds);
	}
	closedir(proc);
	return found;
}
