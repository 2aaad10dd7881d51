/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-cgroup: unit tests of lib/cgroup-*.c that need no root, in TAP for
 * prove. Each fixture is a tree in a temporary directory given as ROOT
 * (lib/cgroup/cgroup.h): proc/self/mountinfo, proc/self/cgroup and the cgroup
 * directories they name, for a pure v1 host, a pure v2 one, a hybrid one
 * and a user's delegated v2 subtree; then one test for each limit of
 * struct cfs_cgroup, that it fails naming the limit.
 *
 * Run as an ordinary user: as root, it becomes nobody first, as whether
 * a cgroup is ours to write is asked of the kernel (faccessat), which
 * lets root write anything. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup/cgroup.h"

#include "tap.h"

static char base[64]; /* the temporary directory of every fixture */
static char root[256]; /* the fixture of the test at hand */
static struct cfs_cgroup cg;
static struct cfs_err e;

static void bail(const char *what)
{
	printf("Bail out! %s: %s\n", what, strerror(errno));
	exit(1);
}

/* ROOT/PATH, PATH made from FMT. */
static const char *at(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *at(const char *fmt, ...)
{
	static char buf[8][8192];
	static int k;
	char *p = buf[k++ % 8];
	va_list ap;
	int n = snprintf(p, sizeof(buf[0]), "%s/", root);

	va_start(ap, fmt);
	vsnprintf(p + n, sizeof(buf[0]) - n, fmt, ap);
	va_end(ap);
	return p;
}

/* mkdir -p ROOT/DIR, mode MODE for the last one. */
static void dir(const char *d, mode_t mode)
{
	char path[8192];

	snprintf(path, sizeof(path), "%s", at("%s", d));
	for (char *s = path + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			bail(path);
		*s = '/';
	}
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		bail(path);
	chmod(path, mode);
}

/* ROOT/PATH holding TEXT, mode MODE, its directories made. */
static void file(const char *path, const char *text, mode_t mode)
{
	char d[8192];
	FILE *f;

	snprintf(d, sizeof(d), "%s", path);
	if (strrchr(d, '/')) {
		*strrchr(d, '/') = '\0';
		dir(d, 0755);
	}
	unlink(at("%s", path));
	if (!(f = fopen(at("%s", path), "we")) || fputs(text, f) < 0 || fclose(f))
		bail(path);
	chmod(at("%s", path), mode);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

/* A new fixture NAME: its mountinfo, and the cgroups of proc/self. */
static void fixture(const char *name, const char *mountinfo, const char *self)
{
	snprintf(root, sizeof(root), "%s/%s", base, name);
	if (mkdir(root, 0755) < 0)
		bail(root);
	file("proc/self/mountinfo", mountinfo, 0644);
	file("proc/self/cgroup", self, 0644);
	printf("# fixture %s\n", name);
}

/* A v2 directory as the kernel shows it, with its files. */
static void v2_dir(const char *d, const char *controllers, mode_t mode)
{
	char path[1024];

	dir(d, 0755);
	snprintf(path, sizeof(path), "%s/cgroup.controllers", d);
	file(path, controllers, 0444);
	snprintf(path, sizeof(path), "%s/cgroup.procs", d);
	file(path, "", mode & 0200 ? 0644 : 0444);
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", d);
	file(path, "", mode & 0200 ? 0644 : 0444);
	chmod(at("%s", d), mode);
}

static struct cfs_cgroup_limits none(void)
{
	return (struct cfs_cgroup_limits){ .memory = -1, .memory_swap = -1,
					   .memory_high = -1, .pids = -1 };
}

/* The value planned for FILE, or NULL. */
static const char *planned(const char *f)
{
	for (int k = 0; k < cg.nw; k++)
		if (!strcmp(cg.w[k].file, f))
			return cg.w[k].value;
	return NULL;
}

static bool is(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* A long message's end, for a test's name. */
static const char *tail(const char *msg)
{
	return strlen(msg) > 60 ? msg + strlen(msg) - 60 : msg;
}

static const char *mount_of(int i)
{
	const char *m = cg.hier[i].mount;

	return strncmp(m, root, strlen(root)) ? m : m + strlen(root);
}

static void test_v2(void)
{
	struct cfs_cgroup_limits l = none();
	const char *io[] = { "8:0:rbps=1M,,wiops=100", NULL };
	const char *set[] = { "cgroup.max.depth=2", NULL };

	fixture("v2", "25 1 0:23 / /sys rw - sysfs sysfs rw\n"
		      "30 25 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 "
		      "rw,nsdelegate\n"
		      "31 30 0:26 / /mnt/again rw - cgroup2 cgroup2 rw\n",
		"0::/init.scope\n");
	v2_dir("sys/fs/cgroup", "cpuset cpu io memory hugetlb pids rdma misc\n",
	       0755);
	ok(cfs_cgroup_open(&cg, "demo", root, &e) == 0, "v2: open");
	ok(cg.n == 1 && cg.v2 == 0 && cg.hier[0].v2, "v2: one hierarchy, v2");
	ok(is(mount_of(0), "/sys/fs/cgroup"), "v2: at %s", mount_of(0));
	ok(strstr(cg.hier[0].controllers, "memory") != NULL, "v2: its controllers");
	l.memory = 32 << 20, l.memory_swap = 0, l.memory_high = 16 << 20;
	l.pids = 20, l.cpus = 0.5, l.cpu_weight = 200, l.io_weight = 300;
	l.io_max = io, l.set = set;
	ok(cfs_cgroup_plan(&cg, &l, &e) == 0, "v2: plan");
	ok(is(planned("memory.max"), "33554432") &&
		   is(planned("memory.swap.max"), "0") &&
		   is(planned("memory.high"), "16777216") &&
		   is(planned("pids.max"), "20") &&
		   is(planned("cpu.max"), "50000 100000") &&
		   is(planned("cpu.weight"), "200") &&
		   is(planned("io.weight"), "default 300") &&
		   is(planned("cgroup.max.depth"), "2"),
	   "v2: the v2 files of each limit");
	ok(is(planned("io.max"), "8:0 rbps=1048576 wiops=100"),
	   "v2: io.max is %s", planned("io.max"));
	ok(is(cg.enable, "+memory +pids +cpu +io"), "v2: enables %s", cg.enable);
	/* made as far as the fixture allows, then undone */
	ok(cfs_cgroup_create(&cg, false, &e) < 0 &&
		   strstr(e.msg, "/cfs/cgroup.subtree_control"),
	   "v2: create fails below the cfs parent: %s", e.msg);
	ok(access(at("sys/fs/cgroup/cfs"), F_OK) < 0 && errno == ENOENT,
	   "v2: what create made is removed");
	/* cfs-enter --join-cgroup's parsing */
	file("proc/42/cgroup", "0::/a/b\n", 0644);
	file("sys/fs/cgroup/a/b/cgroup.procs", "", 0644);
	ok(cfs_cgroup_join_of(root, 42, &e) == 0, "v2: join_of");
	ok(is(slurp(at("sys/fs/cgroup/a/b/cgroup.procs")), "0\n"),
	   "v2: join_of writes 0 to a/b/cgroup.procs");
	ok(cfs_cgroup_join_of(root, 43, &e) == -ENOENT &&
		   strstr(e.msg, "/proc/43/cgroup"),
	   "v2: join_of of no process: %s", e.msg);
}

static void test_v1(void)
{
	struct cfs_cgroup_limits l = none();
	const char *set[] = { "rdma.max=1", NULL };
	char dir[PATH_MAX];

	fixture("v1", "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
		      "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup "
		      "rw,cpu,cpuacct\n"
		      "33 31 0:30 / /sys/fs/cgroup/memory rw - cgroup cgroup "
		      "rw,memory\n"
		      "34 31 0:31 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
		      "35 31 0:32 / /sys/fs/cgroup/systemd rw - cgroup cgroup "
		      "rw,xattr,name=systemd\n"
		      "36 31 0:33 / /sys/fs/cgroup/blkio rw - cgroup cgroup rw,blkio\n"
		      "37 31 0:33 /sub /mnt/blkio-sub rw - cgroup cgroup rw,blkio\n",
		"4:memory:/\n3:pids:/\n2:cpu,cpuacct:/\n1:name=systemd:/\n");
	ok(cfs_cgroup_open(&cg, "a/b", root, &e) == 0, "v1: open");
	ok(cg.n == 4 && cg.v2 == -1, "v1: 4 hierarchies (not name=systemd), "
	   "no v2: %d", cg.n);
	ok(is(mount_of(0), "/sys/fs/cgroup/cpu,cpuacct") &&
		   is(cg.hier[0].controllers, "cpu,cpuacct") && !cg.hier[0].v2,
	   "v1: cpu,cpuacct in one");
	l.memory = 1 << 20, l.memory_swap = 1 << 20, l.cpus = 0.5;
	l.cpu_weight = 200;
	ok(cfs_cgroup_plan(&cg, &l, &e) == 0, "v1: plan");
	ok(is(planned("memory.limit_in_bytes"), "1048576") &&
		   is(planned("memory.memsw.limit_in_bytes"), "2097152") &&
		   is(planned("cpu.cfs_period_us"), "100000") &&
		   is(planned("cpu.cfs_quota_us"), "50000") &&
		   is(planned("cpu.shares"), "5219"),
	   "v1: the v1 files of each limit");
	ok(cg.use == 0x7 && !*cg.enable, "v1: lives in cpu, memory, pids");

	cfs_cgroup_open(&cg, "x", root, &e);
	l = none(), l.memory_high = 1;
	ok(cfs_cgroup_plan(&cg, &l, &e) < 0 && strstr(e.msg, "needs cgroup v2") &&
		   cg.fault.limit == CFS_CGROUP_MEMORY_HIGH && !strstr(e.msg, "--"),
	   "v1: memory.high needs v2, said without an option: %s", e.msg);
	l = none(), l.memory_swap = 1;
	ok(cfs_cgroup_plan(&cg, &l, &e) < 0 &&
		   cg.fault.kind == CFS_CGROUP_FAULT_SWAP_ALONE &&
		   cg.fault.limit == CFS_CGROUP_MEMORY_SWAP,
	   "v1: swap needs memory: %s", e.msg);
	l.memory = 1LL << 62, l.memory_swap = 1LL << 62;
	ok(cfs_cgroup_plan(&cg, &l, &e) < 0 &&
		   cg.fault.kind == CFS_CGROUP_FAULT_SWAP_SUM,
	   "v1: memory plus swap above 2^63-1: %s", e.msg);
	l = none(), l.set = set;
	ok(cfs_cgroup_plan(&cg, &l, &e) < 0 &&
		   cg.fault.kind == CFS_CGROUP_FAULT_NO_V1_CONTROLLER &&
		   is(cg.fault.controller, "rdma") && cg.fault.limit == CFS_CGROUP_SET,
	   "v1: no rdma hierarchy: %s", e.msg);
	set[0] = "cgroup.max.depth=1";
	ok(cfs_cgroup_plan(&cg, &l, &e) < 0 && is(cg.fault.arg, set[0]) &&
		   strstr(e.msg, "need cgroup v2"),
	   "v1: cgroup.* files need v2: %s", e.msg);

	ok(cfs_cgroup_dir(root, "cpuacct,cpu", "/x", dir, sizeof(dir), &e) == 0 &&
		   is(dir + strlen(root), "/sys/fs/cgroup/cpu,cpuacct/x"),
	   "v1: cgroup dir of cpuacct,cpu /x");
	ok(cfs_cgroup_dir(root, "blkio", "/sub/y", dir, sizeof(dir), &e) == 0 &&
		   is(dir + strlen(root), "/sys/fs/cgroup/blkio/sub/y"),
	   "v1: the first mount that shows it: %s", dir + strlen(root));
	ok(cfs_cgroup_dir(root, "", "/", dir, sizeof(dir), &e) == -ENOENT &&
		   strstr(e.msg, "no mount of cgroup2"),
	   "v1: no v2 dir: %s", e.msg);

	file("proc/7/cgroup", "4:memory:/m\n2:cpu,cpuacct:/c\n"
			      "1:name=systemd:/s\n0::/\n", 0644);
	file("sys/fs/cgroup/memory/m/tasks", "", 0644);
	file("sys/fs/cgroup/cpu,cpuacct/c/tasks", "", 0644);
	file("sys/fs/cgroup/systemd/s/tasks", "", 0644);
	ok(cfs_cgroup_join_of(root, 7, &e) == 0, "v1: join_of");
	ok(is(slurp(at("sys/fs/cgroup/memory/m/tasks")), "0\n") &&
		   is(slurp(at("sys/fs/cgroup/cpu,cpuacct/c/tasks")), "0\n") &&
		   is(slurp(at("sys/fs/cgroup/systemd/s/tasks")), "0\n"),
	   "v1: join_of writes 0 to each tasks; 0::/ with no cgroup2 skipped");
}

static void test_hybrid(void)
{
	struct cfs_cgroup_limits l = none();
	const char *set[] = { "rdma.max=1", NULL };

	fixture("hybrid",
		"31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755\n"
		"32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
		"33 31 0:30 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct\n"
		"35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		"39 31 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
		"40 31 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup "
		"rw,name=systemd\n"
		"41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"
		"42 31 0:32 / /mnt/memory-again rw - cgroup cgroup rw,memory\n",
		"4:memory:/\n0::/\n");
	v2_dir("sys/fs/cgroup/unified", "\n", 0755);
	ok(cfs_cgroup_open(&cg, "h", root, &e) == 0, "hybrid: open");
	ok(cg.n == 5 && cg.v2 == 4 && is(mount_of(4), "/sys/fs/cgroup/unified"),
	   "hybrid: 4 v1 hierarchies and v2, a mount seen twice once");
	l.pids = 5;
	ok(cfs_cgroup_plan(&cg, &l, &e) == 0 && cg.use == 0x1f &&
		   cg.nw == 1 && cg.w[0].hier == 3 && !*cg.enable,
	   "hybrid: pids.max on v1; lives in v2 and 4 v1");
	l = none(), l.memory_high = 1;
	ok(cfs_cgroup_plan(&cg, &l, &e) < 0 &&
		   strstr(e.msg, "on cgroup v1 here (") &&
		   strstr(e.msg, "/sys/fs/cgroup/memory)"),
	   "hybrid: memory.high with v1 memory: %s", e.msg + strlen(root));
	l = none(), l.set = set;
	ok(cfs_cgroup_plan(&cg, &l, &e) < 0 &&
		   cg.fault.kind == CFS_CGROUP_FAULT_NO_CONTROLLER &&
		   strstr(e.msg, "/sys/fs/cgroup/unified/cgroup.controllers"),
	   "hybrid: rdma nowhere: %s", e.msg + strlen(root));
}

/* A user's shell in a subtree systemd delegated to it (user@UID.service),
 * the root and the slices above read-only. */
static void test_delegated(void)
{
	const char *svc = "sys/fs/cgroup/user.slice/user-1000.slice/"
			  "user@1000.service";
	struct cfs_cgroup_limits l = none();

	fixture("delegated",
		"30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		"0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
		"shell.scope\n");
	v2_dir("sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/"
	       "app.slice/shell.scope", "memory pids\n", 0755);
	v2_dir("sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/"
	       "app.slice", "memory pids\n", 0755);
	v2_dir(svc, "memory pids\n", 0755);
	v2_dir("sys/fs/cgroup/user.slice/user-1000.slice", "memory pids\n", 0555);
	v2_dir("sys/fs/cgroup/user.slice", "cpu memory pids\n", 0555);
	v2_dir("sys/fs/cgroup", "cpuset cpu io memory pids\n", 0555);
	ok(cfs_cgroup_open(&cg, "d", root, &e) == 0, "delegated: open");
	ok(is(mount_of(0) + 1, svc),
	   "delegated: v2 is the delegated subtree, %s", mount_of(0));
	ok(is(cg.hier[0].controllers, "memory pids\n"),
	   "delegated: with its controllers");
	l.pids = 3;
	ok(cfs_cgroup_plan(&cg, &l, &e) == 0 && is(cg.enable, "+memory +pids"),
	   "delegated: plan: %s", cg.enable);

	/* our own cgroup not writable: nothing is delegated */
	chmod(at("%s/app.slice/shell.scope/cgroup.procs", svc), 0444);
	ok(cfs_cgroup_open(&cg, "d", root, &e) == 0 &&
		   is(mount_of(0), "/sys/fs/cgroup"),
	   "undelegated: v2 stays the root");
	l = none();
	cfs_cgroup_plan(&cg, &l, &e);
	ok(cfs_cgroup_create(&cg, false, &e) < 0 &&
		   cg.fault.kind == CFS_CGROUP_FAULT_V2_NOT_OURS &&
		   strstr(e.msg, "no subtree is delegated to us") &&
		   !strstr(e.msg, "systemd-run"),
	   "undelegated: create refused: %s", e.msg + strlen(root));
	chmod(at("%s/app.slice/shell.scope/cgroup.procs", svc), 0644);
}

/* The limits of struct cfs_cgroup, each refused, naming it. */
static void test_limits(void)
{
	struct cfs_cgroup_limits l = none();
	char mountinfo[8192] = "", line[512], name[300], dir[PATH_MAX];
	const char *long_set[80];
	const char *set[2] = { NULL, NULL }, *io[2] = { NULL, NULL };
	static char big[PATH_MAX + 64];

	memset(name, 'n', 200);
	name[200] = '\0';
	fixture("limits", "30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		"0::/\n");
	v2_dir("sys/fs/cgroup", "cpuset cpu io memory pids\n", 0755);
	ok(cfs_cgroup_open(&cg, name, root, &e) < 0 &&
		   strstr(e.msg, "1 to 199 characters"),
	   "a NAME of 200 bytes: ...%s", e.msg + 200);

	/* 64 writes */
	cfs_cgroup_open(&cg, "w", root, &e);
	for (int k = 0; k < 65; k++)
		long_set[k] = "pids.max=1";
	long_set[65] = NULL;
	l.set = long_set;
	ok(cfs_cgroup_plan(&cg, &l, &e) == -E2BIG &&
		   strstr(e.msg, "more than 64 files to write"),
	   "65 writes: %s", e.msg);
	long_set[64] = NULL;
	cfs_cgroup_open(&cg, "w", root, &e);
	ok(cfs_cgroup_plan(&cg, &l, &e) == 0 && cg.nw == 64, "64 writes: taken");

	/* a file's name, 63 bytes */
	cfs_cgroup_open(&cg, "w", root, &e);
	snprintf(line, sizeof(line), "pids.%064d=1", 0);
	set[0] = line, l.set = set;
	ok(cfs_cgroup_plan(&cg, &l, &e) == -ENAMETOOLONG &&
		   e.errnum == ENAMETOOLONG && strstr(e.msg, "more than 63 bytes"),
	   "a file name of 69 bytes: %s", e.msg);

	/* a value, 255 bytes */
	memset(big, '0', 256);
	big[256] = '\0';
	l = none(), l.cpuset_cpus = big;
	cfs_cgroup_open(&cg, "w", root, &e);
	ok(cfs_cgroup_plan(&cg, &l, &e) == -E2BIG &&
		   strstr(e.msg, "cpuset.cpus: a value of more than 255 bytes") &&
		   cg.fault.limit == CFS_CGROUP_CPUSET_CPUS,
	   "a value of 256 bytes: %s", e.msg);
	big[255] = '\0';
	cfs_cgroup_open(&cg, "w", root, &e);
	ok(cfs_cgroup_plan(&cg, &l, &e) == 0 &&
		   strlen(planned("cpuset.cpus")) == 255,
	   "a value of 255 bytes: taken whole");

	/* io.max's value, built of repeated keys */
	strcpy(big, "8:0:");
	for (int k = 0; k < 30; k++)
		strcat(big, "rbps=1048576,");
	io[0] = big;
	l = none(), l.io_max = io;
	cfs_cgroup_open(&cg, "w", root, &e);
	ok(cfs_cgroup_plan(&cg, &l, &e) == -E2BIG &&
		   strstr(e.msg, "io.max: a value of more than 255 bytes"),
	   "io.max above 255 bytes: %s", e.msg);
	/* a device path, PATH_MAX */
	memset(big, 'd', sizeof(big) - 1);
	big[0] = '/';
	strcpy(big + PATH_MAX, ":rbps=1");
	cfs_cgroup_open(&cg, "w", root, &e);
	ok(cfs_cgroup_plan(&cg, &l, &e) == -ENAMETOOLONG &&
		   strstr(e.msg, "more than 4095 bytes"),
	   "a device path of 4096 bytes: %s", tail(e.msg));

	/* the controllers to enable, 127 bytes */
	cfs_cgroup_open(&cg, "w", root, &e);
	memset(cg.enable, 'x', 124);
	l = none(), l.pids = 1;
	ok(cfs_cgroup_plan(&cg, &l, &e) == -E2BIG &&
		   strstr(e.msg, "more than 127 bytes of controllers to enable"),
	   "controllers to enable above 127 bytes: %s", e.msg);

	/* a v2 root's cgroup.controllers, 255 bytes */
	memset(big, 'c', 300);
	big[300] = '\0';
	file("sys/fs/cgroup/cgroup.controllers", big, 0444);
	ok(cfs_cgroup_open(&cg, "w", root, &e) == -E2BIG &&
		   strstr(e.msg, "cgroup.controllers: more than 255 bytes"),
	   "cgroup.controllers of 300 bytes: %s", tail(e.msg));

	/* a mount point, 255 bytes */
	memset(big, 'm', 250);
	big[250] = '\0';
	snprintf(mountinfo, sizeof(mountinfo),
		 "30 25 0:26 / /sys/fs/cgroup/%s rw - cgroup cgroup rw,pids\n",
		 big);
	file("proc/self/mountinfo", mountinfo, 0644);
	ok(cfs_cgroup_open(&cg, "w", root, &e) == -ENAMETOOLONG &&
		   strstr(e.msg, "more than 255 bytes"),
	   "a mount point above 255 bytes: %s", tail(e.msg));

	/* 16 hierarchies */
	*mountinfo = '\0';
	for (int k = 0; k < 17; k++) {
		snprintf(line, sizeof(line), "%d 25 0:%d / /cg/%d rw - cgroup "
			 "cgroup rw,pids\n", 30 + k, 40 + k, k);
		strcat(mountinfo, line);
	}
	file("proc/self/mountinfo", mountinfo, 0644);
	ok(cfs_cgroup_open(&cg, "w", root, &e) == -E2BIG &&
		   strstr(e.msg, "more than 16 cgroup hierarchies"),
	   "17 hierarchies: %s", tail(e.msg));
	*strstr(mountinfo, "46 25") = '\0';
	file("proc/self/mountinfo", mountinfo, 0644);
	ok(cfs_cgroup_open(&cg, "w", root, &e) == 0 && cg.n == 16,
	   "16 hierarchies: taken");

	/* cfs_cgroup_dir's SIZE */
	ok(cfs_cgroup_dir(root, "pids", "/a/b/c", dir, 10, &e) == -ENAMETOOLONG &&
		   strstr(e.msg, "more than 9 bytes"),
	   "a cgroup dir above its buffer: %s", e.msg);

	/* join_of, 32 cgroups */
	*mountinfo = '\0';
	for (int k = 0; k < 33; k++) {
		snprintf(line, sizeof(line), "%d:pids:/\n", k + 1);
		strcat(mountinfo, line);
	}
	file("proc/9/cgroup", mountinfo, 0644);
	ok(cfs_cgroup_join_of(root, 9, &e) == -E2BIG &&
		   strstr(e.msg, "more than 32 cgroups"),
	   "join_of of 33 cgroups: %s", tail(e.msg));
}

/* A delegated subtree deeper than a hierarchy's mount may be. */
/* A NAME that exists: refused when EXCLUSIVE, its processes and its
 * children's counted (issue 17); joined otherwise. */
static void test_exists(void)
{
	struct cfs_cgroup_limits l = none();

	fixture("exists", "30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		"0::/\n");
	v2_dir("sys/fs/cgroup", "memory pids\n", 0755);
	v2_dir("sys/fs/cgroup/cfs", "memory pids\n", 0755);
	v2_dir("sys/fs/cgroup/cfs/web", "memory pids\n", 0755);
	file("sys/fs/cgroup/cfs/web/cgroup.procs", "7\n8\n", 0644);
	v2_dir("sys/fs/cgroup/cfs/web/inner", "memory pids\n", 0755);
	file("sys/fs/cgroup/cfs/web/inner/cgroup.procs", "9\n", 0644);
	v2_dir("sys/fs/cgroup/cfs/web/.x", "memory pids\n", 0755);
	file("sys/fs/cgroup/cfs/web/.x/cgroup.procs", "10\n", 0644);
	v2_dir("sys/fs/cgroup/cfs/one", "memory pids\n", 0755);
	file("sys/fs/cgroup/cfs/one/cgroup.procs", "7\n", 0644);
	v2_dir("sys/fs/cgroup/cfs/empty", "memory pids\n", 0755);

	ok(cfs_cgroup_open(&cg, "web", root, &e) == 0 &&
		   cfs_cgroup_plan(&cg, &l, &e) == 0, "exists: open, plan");
	ok(cfs_cgroup_create(&cg, true, &e) == -EEXIST &&
		   cg.fault.kind == CFS_CGROUP_FAULT_EXISTS &&
		   e.errnum == EEXIST && is(e.msg, "web: exists, has 4 processes"),
	   "exists: refused, its children's processes counted: %s", e.msg);
	ok(access(at("sys/fs/cgroup/cfs/web/cgroup.procs"), F_OK) == 0,
	   "exists: left as it was");
	ok(cfs_cgroup_create(&cg, false, &e) == 0, "exists: joined without "
	   "EXCLUSIVE");
	cfs_cgroup_open(&cg, "one", root, &e);
	cfs_cgroup_plan(&cg, &l, &e);
	ok(cfs_cgroup_create(&cg, true, &e) == -EEXIST &&
		   is(e.msg, "one: exists, has 1 process"), "exists: %s", e.msg);
	cfs_cgroup_open(&cg, "empty", root, &e);
	cfs_cgroup_plan(&cg, &l, &e);
	ok(cfs_cgroup_create(&cg, true, &e) == -EEXIST &&
		   is(e.msg, "empty: exists, has 0 processes"), "exists: %s", e.msg);
	cfs_cgroup_open(&cg, "new", root, &e);
	cfs_cgroup_plan(&cg, &l, &e);
	ok(cfs_cgroup_create(&cg, true, &e) == 0 &&
		   cfs_cgroup_create(&cg, true, &e) == -EEXIST,
	   "exists: made, then refused: %s", e.msg);
}

static void test_deep_delegation(void)
{
	char a[130], b[130], self[300], path[600];

	memset(a, 'a', 128), a[128] = '\0';
	memset(b, 'b', 128), b[128] = '\0';
	snprintf(self, sizeof(self), "0::/%s/%s\n", a, b);
	fixture("deep", "30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		self);
	snprintf(path, sizeof(path), "sys/fs/cgroup/%s/%s", a, b);
	v2_dir(path, "pids\n", 0755);
	snprintf(path, sizeof(path), "sys/fs/cgroup/%s", a);
	v2_dir(path, "pids\n", 0555);
	v2_dir("sys/fs/cgroup", "pids\n", 0555);
	ok(cfs_cgroup_open(&cg, "w", root, &e) == -ENAMETOOLONG &&
		   strstr(e.msg, "more than 255 bytes"),
	   "a delegated subtree above 255 bytes: %s", tail(e.msg));
}

/* As root, nobody: see the top. */
static void become_nobody(void)
{
	if (geteuid() != 0)
		return;
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		bail("become nobody");
	printf("# as uid 65534\n");
}

int main(void)
{
	char cmd[sizeof(base) * 2 + 64];

	setvbuf(stdout, NULL, _IOLBF, 0);
	become_nobody();
	snprintf(base, sizeof(base), "%s", "/tmp/test-cgroup.XXXXXX");
	if (!mkdtemp(base))
		bail("mkdtemp");
	test_v2();
	test_v1();
	test_hybrid();
	test_delegated();
	test_deep_delegation();
	test_exists();
	test_limits();
	snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s' && rm -rf '%s'", base, base);
	if (system(cmd))
		printf("# could not remove %s\n", base);
	printf("1..%d\n", n_tests);
	return n_failed ? 1 : 0;
}
