/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ns.c: namespace types and where we stand in them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ns.h"

const struct cfs_ns_type cfs_ns_types[] = {
	{ CLONE_NEWUSER, "user", "user" },     { CLONE_NEWCGROUP, "cgroup", "cgroup" },
	{ CLONE_NEWIPC, "ipc", "ipc" },	       { CLONE_NEWUTS, "uts", "uts" },
	{ CLONE_NEWNET, "net", "net" },	       { CLONE_NEWPID, "pid", "pid" },
	{ CLONE_NEWTIME, "time", "time" },     { CLONE_NEWNS, "mnt", "mount" },
	{ 0, NULL, NULL },
};

const struct cfs_ns_type *cfs_ns_type(int flag)
{
	for (const struct cfs_ns_type *t = cfs_ns_types; t->flag; t++)
		if (t->flag == flag)
			return t;
	return NULL;
}

int cfs_ns_open(const char *path, const struct cfs_ns_type *t,
		struct cfs_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int type;

	if (fd < 0)
		return cfs_fail(e, errno, "open %s", path);
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0 || type != t->flag) {
		const struct cfs_ns_type *is = type < 0 ? NULL : cfs_ns_type(type);
		close(fd);
		if (is)
			return cfs_fail(e, 0, "%s: a %s namespace, not %s", path,
					is->name, t->name);
		return cfs_fail(e, 0, "%s: not a namespace file", path);
	}
	return fd;
}

/* 1 if our TYPE namespace is that of process PID, 0 if not, -1 if we
 * cannot tell. */
static int same_as(const char *type, int pid)
{
	char self[64], other[64];
	struct stat a, b;

	snprintf(self, sizeof(self), "/proc/self/ns/%s", type);
	snprintf(other, sizeof(other), "/proc/%d/ns/%s", pid, type);
	if (stat(self, &a) < 0 || stat(other, &b) < 0)
		return -1;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int is_kthreadd(int pid)
{
	char path[64], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	if (!(f = fopen(path, "re")))
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return !strcmp(comm, "kthreadd\n");
}

bool cfs_ns_is_hosts(const char *type)
{
	int same = same_as(type, 1);

	/* A sandbox's init may hide its namespaces; kthreadd, PID 2 of the
	 * initial PID namespace, lives in the initial ones. */
	if (same < 0 && is_kthreadd(2))
		same = same_as(type, 2);
	return same != 0;
}

int cfs_ns_helper_start(struct cfs_ns_helper *h, cfs_ns_job *job, void *arg,
			struct cfs_err *e)
{
	int go[2], report[2], err;
	ssize_t said;
	pid_t target;

	h->pid = 0;
	if (pipe2(go, O_CLOEXEC) < 0)
		return cfs_fail(e, errno, "pipe");
	if (pipe2(report, O_CLOEXEC) < 0) {
		close(go[0]);
		close(go[1]);
		return cfs_fail(e, errno, "pipe");
	}
	if ((h->pid = fork()) < 0) {
		err = errno;
		h->pid = 0;
		close(go[0]);
		close(go[1]);
		close(report[0]);
		close(report[1]);
		return cfs_fail(e, err, "fork");
	}
	if (h->pid == 0) {
		close(go[1]);
		close(report[0]);
		/* EOF: the parent failed before it had its namespaces */
		if (read(go[0], &target, sizeof(target)) != sizeof(target))
			_exit(0);
		if (job(arg, target, e) == 0)
			_exit(0);
		/* at most PIPE_BUF: written whole; if not, our status says it */
		said = write(report[1], e, sizeof(*e));
		(void)said;
		_exit(CFS_EXIT_FAILURE);
	}
	close(go[0]);
	close(report[1]);
	h->go = go[1];
	h->report = report[0];
	return 0;
}

int cfs_ns_helper_finish(struct cfs_ns_helper *h, pid_t target,
			 int *status, struct cfs_err *e)
{
	ssize_t n = 0;
	int st = 0, r = 0;

	if (write(h->go, &target, sizeof(target)) != sizeof(target))
		r = cfs_fail(e, errno, "start the helper process %d", h->pid);
	close(h->go);
	while (waitpid(h->pid, &st, 0) < 0)
		if (errno != EINTR) {
			r = r ?: cfs_fail(e, errno, "wait for the helper process %d",
					  h->pid);
			break;
		}
	h->pid = 0;
	/* it has ended: its report is whole in the pipe, or was never
	 * written. Read without waiting: a process it forked (a hook's
	 * teardown) may hold the pipe a moment longer. */
	if (!r && fcntl(h->report, F_SETFL, O_NONBLOCK) == 0)
		n = read(h->report, e, sizeof(*e));
	close(h->report);
	if (r)
		return r;
	if (n == sizeof(*e))
		return e->errnum ? -e->errnum : -EINVAL;
	if (status)
		*status = st;
	else if (!WIFEXITED(st) || WEXITSTATUS(st))
		return cfs_fail(e, 0, "the helper process failed (status %d)",
				WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}

int cfs_loopback_up(struct cfs_err *e)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = 0;

	if (fd < 0)
		return cfs_fail(e, errno, "bring up lo: socket");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		rc = cfs_fail(e, errno, "bring up lo: get flags");
	else if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			rc = cfs_fail(e, errno, "bring up lo");
	}
	close(fd);
	return rc;
}

bool cfs_in_initial_userns(void)
{
	unsigned long inner, outer, count;
	FILE *f = fopen("/proc/self/uid_map", "re");
	int n = f ? fscanf(f, "%lu %lu %lu", &inner, &outer, &count) : 0;

	if (f)
		fclose(f);
	return n == 3 && inner == 0 && outer == 0 && count == 4294967295UL;
}
