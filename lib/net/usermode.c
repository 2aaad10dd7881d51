/* SPDX-License-Identifier: GPL-2.0-or-later */
/* usermode.c: pasta or slirp4netns for a container (see usermode.h). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <jansson.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "usermode.h"
#include "process/detach.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define KEEPER "cfs-usernet"
#define READY_FD CFS_USERNET_READY_FD
/* the keeper's, after READY_FD, in the order it hands them to
 * cfs_detach: the container (a pidfd, or its network namespace for a
 * file), and the user namespace owning a file's network namespace */
#define TARGET_FD 4
#define USERNS_FD 5
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

/* Is FD the namespace of PATH ("/proc/self/ns/user": ours)? */
static int same_file(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
	       a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

int cfs_usernet_needed(void)
{
	struct stat me;
	int net, owner, needed, err;

	if (geteuid() != 0)
		return 1;
	/* the initial user namespace's inode (PROC_USER_INIT_INO) */
	if (stat("/proc/self/ns/user", &me) == 0 && me.st_ino == 0xEFFFFFFDU)
		return 0;
	if ((net = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	owner = ioctl(net, NS_GET_USERNS);
	err = errno;
	close(net);
	/* EPERM: its owner is an ancestor of ours, out of our reach */
	if (owner < 0)
		return err == EPERM;
	needed = !same_file(owner, "/proc/self/ns/user");
	close(owner);
	return needed;
}

/* The directory of FILE, into DIR. */
static void dir_of(const char *file, char *dir, size_t len)
{
	char *slash;

	snprintf(dir, len, "%s", file);
	if ((slash = strrchr(dir, '/')))
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		snprintf(dir, len, ".");
}

int cfs_usernet_target(struct cfs_usernet_target *t, pid_t pid,
		       const char *file, int netns_fd, struct cfs_err *e)
{
	char dir[4096];
	struct statfs fs;
	struct stat st;
	int user;

	*t = (struct cfs_usernet_target){ .pid = pid, .file = file,
					  .netns_fd = -1, .userns_fd = -1 };
	if (pid) {
		snprintf(t->netns, sizeof(t->netns), "/proc/%d/ns/net", pid);
		snprintf(t->userns, sizeof(t->userns), "/proc/%d/ns/user", pid);
		return 0;
	}
	t->netns_fd = netns_fd;
	if (fstat(netns_fd, &st) < 0)
		return cfs_fail(e, errno, "stat %s", file);
	t->ino = st.st_ino;
	/* its removal is the container's end: a file in /proc is never
	 * removed, it goes with its process */
	dir_of(file, dir, sizeof(dir));
	if (statfs(dir, &fs) < 0)
		return cfs_fail(e, errno, "statfs %s", dir);
	if (fs.f_type == PROC_SUPER_MAGIC)
		return cfs_fail(e, 0, "%s: a file of /proc, which is never "
				"removed: name the container by its PID", file);
	if ((user = ioctl(netns_fd, NS_GET_USERNS)) < 0)
		return cfs_fail(e, errno, "the user namespace of %s", file);
	/* the program cannot enter the user namespace it is in */
	if (same_file(user, "/proc/self/ns/user"))
		close(user);
	else {
		t->userns_fd = user;
		snprintf(t->userns, sizeof(t->userns), "/proc/self/fd/%d",
			 USERNS_FD);
	}
	snprintf(t->netns, sizeof(t->netns), "/proc/self/fd/%d", TARGET_FD);
	return 0;
}

/* Is FILE still the network namespace that is our TARGET_FD? */
static int still_there(const char *file)
{
	return same_file(TARGET_FD, file);
}

/* An inotify fd watching the directory of FILE for its removal, or -1. */
static int watch_file(const char *file)
{
	char dir[4096];
	int fd;

	dir_of(file, dir, sizeof(dir));
	if ((fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0)
		return -1;
	if (inotify_add_watch(fd, dir, IN_DELETE | IN_MOVED_FROM | IN_CREATE |
			      IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |
			      IN_UNMOUNT) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The container's name files in DIR, and DIR, gone. */
static void remove_etc(const char *dir)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/hosts", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/resolv.conf", dir);
	unlink(path);
	rmdir(dir);
}

/* Wait until the container ends (P[0]), the program does (P[1]), or a
 * SIGTERM comes (P[2]). A file's directory that changed (P[0]) is the
 * container's end only when FILE is no longer its namespace. */
static void wait_end(struct pollfd *p, const char *file)
{
	char events[4096];

	for (;;) {
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (!file || !(p[0].revents & POLLIN) || (p[1].revents | p[2].revents))
			return;
		while (read(p[0].fd, events, sizeof(events)) > 0)
			;
		if (!still_there(file))
			return;
	}
}

/* The keeper: the program as its child, ended when the container ends
 * (TARGET a pidfd, or for a file a network namespace whose file we
 * watch), or at a SIGTERM (cfs_usernet_stop); the program ends with it,
 * and then the container's name files. Never returns. */
static void keeper(const struct cfs_usernet *u, int ready, int target)
{
	struct pollfd p[3] = { { .fd = -1, .events = POLLIN },
			       { .fd = -1, .events = POLLIN },
			       { .fd = -1, .events = POLLIN } };
	const char *file = u->target.pid ? NULL : u->target.file;
	int user = u->target.userns_fd;
	int fds[] = { ready, target, user };
	pid_t me = getpid(), prog;
	struct cfs_err e;
	sigset_t term;

	/* a ^C or hang-up of the chain's terminal is the container's to
	 * take, not ours: it ends, and we with it. Ours: 0-2 (the
	 * program's errors go where ours go), READY_FD for the program,
	 * TARGET_FD the container, USERNS_FD a file's user namespace;
	 * nothing else */
	if (cfs_detach(fds, 2 + (user >= 0), CFS_DETACH_NULL_IN_OUT, &e) < 0)
		_exit(1);
	prctl(PR_SET_NAME, KEEPER);
	/* a file: watched from now, and still the namespace now */
	if (file && ((p[0].fd = watch_file(file)) < 0 || !still_there(file)))
		_exit(1);
	if (!file)
		p[0].fd = TARGET_FD;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &term, NULL) < 0 ||
	    (p[2].fd = signalfd(-1, &term, SFD_CLOEXEC)) < 0)
		_exit(1);
	if ((prog = fork()) < 0)
		_exit(1);
	if (prog == 0) {
		/* a SIGKILL of the keeper ends the program; READY_FD is
		 * its to say it is up, a file's namespaces its by
		 * /proc/self/fd */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != me ||
		    sigprocmask(SIG_UNBLOCK, &term, NULL) < 0 ||
		    fcntl(READY_FD, F_SETFD, 0) < 0 ||
		    (file && fcntl(TARGET_FD, F_SETFD, 0) < 0) ||
		    (user >= 0 && fcntl(USERNS_FD, F_SETFD, 0) < 0))
			_exit(1);
		execv(u->argv[0], (char *const *)u->argv);
		_exit(127);
	}
	close(READY_FD);
	if ((p[1].fd = syscall(SYS_pidfd_open, prog, 0)) < 0)
		p[1] = p[2];
	wait_end(p, file);
	kill(prog, SIGKILL);
	while (waitpid(prog, NULL, 0) < 0 && errno == EINTR)
		;
	if (u->etc)
		remove_etc(u->etc);
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

	if (!u->target.pid)
		target = u->target.netns_fd;
	else if ((target = syscall(SYS_pidfd_open, u->target.pid, 0)) < 0)
		return cfs_fail_call(e, errno, "pidfd_open", "pidfd_open %d",
				     u->target.pid);
	if (pipe2(ready, O_CLOEXEC) < 0) {
		rc = cfs_fail(e, errno, "pipe");
		if (u->target.pid)
			close(target);
		return rc;
	}
	if ((pid = fork()) < 0) {
		rc = cfs_fail(e, errno, "fork");
		close(ready[0]);
		close(ready[1]);
		if (u->target.pid)
			close(target);
		return rc;
	}
	if (pid == 0)
		keeper(u, ready[1], target);
	if (u->target.pid)
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

/* What a keeper of ours keeps: its container's PID (-1 once it is
 * gone, reaped), or for a file (PID 0) its network namespace's inode. */
struct kept {
	pid_t pid;
	unsigned long ino;
};

/* Is PID a keeper of ours? Its TARGET_FD, into K: a pidfd (its Pid:),
 * or a network namespace (its inode; the link names the file). */
static int keeper_of(const char *pid, struct kept *k)
{
	char path[300], line[128];
	struct stat st;
	ssize_t n;
	FILE *f;

	*k = (struct kept){ 0 };
	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	if (!(f = fopen(path, "re")))
		return 0;
	if (!fgets(line, sizeof(line), f) || strcmp(line, KEEPER "\n")) {
		fclose(f);
		return 0;
	}
	fclose(f);
	/* another user's is not readable */
	snprintf(path, sizeof(path), "/proc/%s/fd/%d", pid, TARGET_FD);
	if ((n = readlink(path, line, sizeof(line) - 1)) < 0)
		return 0;
	line[n] = '\0';
	if (strcmp(line, "anon_inode:[pidfd]")) {
		k->ino = stat(path, &st) == 0 ? st.st_ino : 0;
		return k->ino != 0;
	}
	snprintf(path, sizeof(path), "/proc/%s/fdinfo/%d", pid, TARGET_FD);
	if (!(f = fopen(path, "re")))
		return 0;
	while (!k->pid && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Pid:", 4))
			k->pid = atoi(line + 4);
	fclose(f);
	return k->pid != 0;
}

/* Each keeper of ours, and what it keeps, to FN. */
static int keepers(void (*fn)(pid_t keeper, const struct kept *k, void *arg),
		   void *arg, struct cfs_err *e)
{
	struct dirent *p;
	struct kept k;
	DIR *proc;

	if (!(proc = opendir("/proc")))
		return cfs_fail(e, errno, "opendir /proc");
	while ((p = readdir(proc)))
		if (p->d_name[0] >= '1' && p->d_name[0] <= '9' &&
		    keeper_of(p->d_name, &k))
			fn(atoi(p->d_name), &k, arg);
	closedir(proc);
	return 0;
}

struct stop {
	struct kept want;
	int found;
};

static void stop(pid_t keeper, const struct kept *k, void *arg)
{
	struct pollfd p = { .events = POLLIN };
	struct stop *s = arg;

	if (k->pid != s->want.pid || (!k->pid && k->ino != s->want.ino))
		return;
	p.fd = syscall(SYS_pidfd_open, keeper, 0);
	if (kill(keeper, SIGTERM) == 0)
		s->found = 1;
	while (p.fd >= 0 && poll(&p, 1, 5000) < 0 && errno == EINTR)
		;
	if (p.fd >= 0)
		close(p.fd);
}

int cfs_usernet_stop(pid_t pid, unsigned long ino, struct cfs_err *e)
{
	struct stop s = { .want = { .pid = pid, .ino = pid ? 0 : ino } };
	int rc = keepers(stop, &s, e);

	return rc ?: s.found;
}

/* A keeper whose container is gone is about to end its program: wait
 * for it (5 s at most). */
static void settle(pid_t keeper, const struct kept *k, void *arg)
{
	struct pollfd p = { .events = POLLIN };

	(void)arg;
	if (k->pid != -1 || (p.fd = syscall(SYS_pidfd_open, keeper, 0)) < 0)
		return;
	while (poll(&p, 1, 5000) < 0 && errno == EINTR)
		;
	close(p.fd);
}

int cfs_usernet_settle(struct cfs_err *e)
{
	return keepers(settle, NULL, e);
}

/* Is namespace TYPE of PID our own? */
static int same_ns(pid_t pid, const char *type)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", type);
	if (stat(path, &a) < 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, type);
	return stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

/* A file's: its user namespace (unless ours), then the network one;
 * no UTS namespace. */
static void enter_file(const struct cfs_usernet_target *t)
{
	if ((t->userns_fd >= 0 && setns(t->userns_fd, CLONE_NEWUSER) < 0) ||
	    setns(t->netns_fd, CLONE_NEWNET) < 0)
		_exit(10);
}

/* In a child, which may enter the namespaces and not come back: the
 * container's user namespace first (an ordinary user owns it, and so
 * may enter its network and UTS namespaces from there), then those;
 * "IP4\nIP6\nNAME\n" written to OUT (NAME "" for a file). */
static void look_inside(const struct cfs_usernet_target *t, int out)
{
	pid_t target = t->pid;
	static const char *const types[] = { "user", "net", "uts" };
	static const int flags[] = { CLONE_NEWUSER, CLONE_NEWNET, CLONE_NEWUTS };
	char ip4[INET6_ADDRSTRLEN] = "", ip6[INET6_ADDRSTRLEN] = "", path[64];
	struct ifaddrs *ifa, *i;
	struct utsname u;
	FILE *f;
	int fd;

	if (!target)
		enter_file(t);
	for (int k = 0; target && k < 3; k++) {
		if (same_ns(target, types[k]))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", target, types[k]);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
		    setns(fd, flags[k]) < 0)
			_exit(10 + k);
		close(fd);
	}
	if (getifaddrs(&ifa) < 0 || uname(&u) < 0)
		_exit(13);
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || strcmp(i->ifa_name, "eth0"))
			continue;
		if (i->ifa_addr->sa_family == AF_INET && !*ip4)
			inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr,
				  ip4, sizeof(ip4));
		if (i->ifa_addr->sa_family == AF_INET6 && !*ip6 &&
		    !IN6_IS_ADDR_LINKLOCAL(&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr))
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr,
				  ip6, sizeof(ip6));
	}
	freeifaddrs(ifa);
	if (!(f = fdopen(out, "w")))
		_exit(14);
	fprintf(f, "%s\n%s\n%s\n", ip4, ip6, target ? u.nodename : "");
	_exit(fclose(f) ? 14 : 0);
}

int cfs_usernet_inside(const struct cfs_usernet_target *t, char *ip4,
		       char *ip6, char *name, struct cfs_err *e)
{
	char buf[2 * INET6_ADDRSTRLEN + 70], *line[3];
	int out[2], status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) < 0)
		return cfs_fail(e, errno, "pipe");
	if ((pid = fork()) < 0) {
		close(out[0]);
		close(out[1]);
		return cfs_fail(e, errno, "fork");
	}
	if (pid == 0) {
		close(out[0]);
		look_inside(t, out[1]);
	}
	close(out[1]);
	while (got < sizeof(buf) - 1 &&
	       ((n = read(out[0], buf + got, sizeof(buf) - 1 - got)) > 0 ||
		(n < 0 && errno == EINTR)))
		got += n > 0 ? n : 0;
	buf[got] = '\0';
	close(out[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	line[0] = buf;
	for (int k = 1; k < 3 && line[k - 1]; k++)
		if ((line[k] = strchr(line[k - 1], '\n')))
			*line[k]++ = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status) || !line[1] || !line[2])
		return t->pid ? cfs_fail(e, EPERM, "enter the namespaces of %d", t->pid)
			      : cfs_fail(e, EPERM, "enter the namespaces of %s", t->file);
	line[2][strcspn(line[2], "\n")] = '\0';
	snprintf(ip4, INET6_ADDRSTRLEN, "%.45s", line[0]);
	snprintf(ip6, INET6_ADDRSTRLEN, "%.45s", line[1]);
	snprintf(name, 65, "%.64s", line[2]);
	return 0;
}
