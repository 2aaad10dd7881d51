/* cgroup.c: cgroups found through /proc/self/mountinfo, v1 and v2 alike. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cgroup.h"
#include "mountinfo.h"
#include "parse.h"

/* Is WORD one of LIST's words (separated by commas or spaces)? */
static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += len)
		if ((p == list || p[-1] == ',' || p[-1] == ' ') &&
		    (!p[len] || p[len] == ',' || p[len] == ' ' ||
		     p[len] == '\n'))
			return true;
	return false;
}

/* Is M a mount of HIERARCHY: cgroup2 for "", else a v1 cgroup with
 * every controller (or name=NAME) of the comma-separated list? */
static bool is_hierarchy(const struct cfs_mountinfo *m, const char *hierarchy)
{
	const char *type = m->fstype;
	char list[256], *save, *c;

	if (!*hierarchy)
		return !strcmp(type, "cgroup2");
	if (strcmp(type, "cgroup"))
		return false;
	snprintf(list, sizeof(list), "%s", hierarchy);
	for (c = strtok_r(list, ",", &save); c; c = strtok_r(NULL, ",", &save))
		if (!has_word(m->options, c))
			return false;
	return true;
}

/* PATH as seen from a mount whose root is ROOT, or NULL when the mount
 * does not show it. */
static const char *below(const char *root, const char *path)
{
	size_t len = strlen(root);

	if (!strcmp(root, "/"))
		return path;
	if (strncmp(path, root, len) || (path[len] && path[len] != '/'))
		return NULL;
	return path + len;
}

int cfs_cgroup_dir(const char *hierarchy, const char *path, char *dir,
		   size_t size, struct cfs_err *e)
{
	struct cfs_mountinfo m;
	FILE *f = cfs_mountinfo_open(e);
	int rc = -ENOENT;

	if (!f)
		return -1;
	while (rc && cfs_mountinfo_next(f, &m)) {
		const char *rest;

		if (!is_hierarchy(&m, hierarchy) || !(rest = below(m.root, path)))
			continue;
		if ((size_t)snprintf(dir, size, "%s%s", m.target, rest) >= size)
			rc = cfs_fail(e, ENAMETOOLONG, "cgroup %s", path);
		else
			rc = 0;
	}
	fclose(f);
	if (rc == -ENOENT)
		cfs_fail(e, 0, "cgroup %s:%s: no mount of %s shows it here",
			 *hierarchy ? hierarchy : "(v2)", path,
			 *hierarchy ? "that hierarchy" : "cgroup2");
	return rc;
}

enum { MAX_HIERARCHIES = 32 };

/* The file of a cgroup that moves us, a process of one thread, when "0"
 * is written to it. On v1 tasks, which moves the calling thread: a write
 * to cgroup.procs takes cgroup_threadgroup_rwsem for writing, which waits
 * for an RCU grace period, 8 to 27 ms on the bench machine, for a move
 * that otherwise takes 0.07 ms. v2 moves a process by cgroup.procs only. */
static const char *self_file(bool v2)
{
	return v2 ? "/cgroup.procs" : "/tasks";
}

/* The files that move us into TARGET's cgroups, from /proc/TARGET/cgroup
 * ("ID:CONTROLLERS:PATH" a line, v2's "0::PATH"). */
static int procs_files(pid_t target, char (*files)[4096], int *n,
		       struct cfs_err *e)
{
	char path[64], line[4096 + 256];
	int rc = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)target);
	if (!(f = fopen(path, "re")))
		return cfs_fail(e, errno, "open %s", path);
	*n = 0;
	while (!rc && fgets(line, sizeof(line), f)) {
		char *ctrl = strchr(line, ':'), *cg = ctrl ? strchr(ctrl + 1, ':')
							   : NULL;
		if (!cg) {
			rc = cfs_fail(e, 0, "read %s: bad line %s", path, line);
			break;
		}
		*ctrl++ = *cg++ = '\0';
		cg[strcspn(cg, "\n")] = '\0';
		if (*n == MAX_HIERARCHIES)
			rc = cfs_fail(e, E2BIG, "read %s", path);
		else if ((rc = cfs_cgroup_dir(ctrl, cg, files[*n], 4096 - 14,
					      e)) == -ENOENT &&
			 !*ctrl && !strcmp(cg, "/"))
			rc = 0;	/* v2 unused: nothing mounted, nothing to join */
		else if (!rc)
			strcat(files[(*n)++], self_file(!*ctrl));
	}
	fclose(f);
	return rc;
}

int cfs_cgroup_join_of(pid_t target, struct cfs_err *e)
{
	char (*files)[4096] = calloc(MAX_HIERARCHIES, sizeof(*files));
	int n, rc;

	if (!files)
		return cfs_fail(e, ENOMEM, "join the cgroups of %d", (int)target);
	rc = procs_files(target, files, &n, e);
	for (int i = 0; !rc && i < n; i++) {
		int fd = open(files[i], O_WRONLY | O_CLOEXEC);

		if (fd < 0 || write(fd, "0\n", 2) < 0)
			rc = cfs_fail(e, errno, "write %s", files[i]);
		if (fd >= 0)
			close(fd);
	}
	free(files);
	return rc;
}

/* What follows is cfs-cgroup's: one interface over the v1 and v2
 * backends. */

/* The bytes of a NAME component (systemd's for unit names). */
#define NAME_CHARS                                                         \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-"

static const char *const known[] = {
	"cpu",	     "cpuacct", "cpuset", "memory",  "devices", "freezer",
	"net_cls",   "net_prio", "blkio", "perf_event", "hugetlb", "pids",
	"rdma",	     "misc",	 "io",	  NULL,
};

static int read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* DIR of hierarchy I: its mount, the cfs parent, NAME (or its first LEN
 * bytes, or none for len 0). */
static void dir_of(const struct cfs_cgroup *cg, int i, size_t len, char *dir)
{
	snprintf(dir, PATH_MAX, "%s/" CFS_CGROUP_PARENT "%s%.*s",
		 cg->hier[i].mount, len ? "/" : "", (int)len, cg->name);
}

/* NAME as a message shows it: bytes outside the NAME rule (and /) as
 * \xHH, so that one message stays one line. */
static const char *shown(const char *name, char *buf, size_t size)
{
	size_t n = 0;

	for (const unsigned char *c = (const unsigned char *)name;
	     *c && n + 5 < size; c++) {
		bool plain = strchr(NAME_CHARS "/", *c);

		n += snprintf(buf + n, size - n, plain ? "%c" : "\\x%02x", *c);
	}
	buf[n] = '\0';
	return buf;
}

/* cfs_fail for "OPERATION PATH", PATH as shown. */
static int fail_at(struct cfs_err *e, int errnum, const char *op,
		   const char *path)
{
	char buf[sizeof(e->msg)];

	return cfs_fail(e, errnum, "%s %s", op, shown(path, buf, sizeof(buf)));
}

/* Is the component C, LEN bytes, the name of a cgroup control file: one
 * of v1's three without a dot, or PREFIX.anything for a controller, cgroup.
 * or v2's irq.pressure? The whole PREFIX. space is refused, not today's
 * files alone: kernels add files (memory.peak in 5.19, irq.pressure in
 * 6.1) and controllers (dmem in 6.14). */
static bool is_control_file(const char *c, size_t len)
{
	static const char *const plain[] = { "tasks", "notify_on_release",
					     "release_agent", NULL };
	static const char *const more[] = { "cgroup", "irq", "dmem", NULL };
	const char *dot = memchr(c, '.', len);
	size_t pre = dot ? (size_t)(dot - c) : 0;

	for (int k = 0; plain[k]; k++)
		if (len == strlen(plain[k]) && !strncmp(c, plain[k], len))
			return true;
	for (int k = 0; dot && known[k]; k++)
		if (pre == strlen(known[k]) && !strncmp(c, known[k], pre))
			return true;
	for (int k = 0; dot && more[k]; k++)
		if (pre == strlen(more[k]) && !strncmp(c, more[k], pre))
			return true;
	return false;
}

/* The NAME rule, systemd's for unit names: components of A-Z a-z 0-9 _ .
 * : -, none starting with a dot, none a control file's name. */
static int check_name(const char *name, struct cfs_err *e)
{
	char buf[1024];
	const char *c = name;

	if (!*name || strlen(name) >= 200)
		return cfs_fail(e, 0, "%s: a NAME is 1 to 199 characters",
				shown(name, buf, sizeof(buf)));
	if (*name == '/')
		return cfs_fail(e, 0,
				"%s: NAME must be relative to the cfs parent, "
				"not absolute", shown(name, buf, sizeof(buf)));
	for (; *c; c += strcspn(c, "/"), c += !!*c) {
		size_t len = strcspn(c, "/");

		if (!len || (len == 1 && c[0] == '.') ||
		    (len == 2 && !strncmp(c, "..", 2)))
			return cfs_fail(e, 0,
					"%s: NAME must stay below the cfs "
					"parent (no empty, . or .. component)",
					shown(name, buf, sizeof(buf)));
		if (strspn(c, NAME_CHARS) < len)
			return cfs_fail(e, 0, "%s: NAME components are made "
					"of A-Z a-z 0-9 _ . : -",
					shown(name, buf, sizeof(buf)));
		if (*c == '.')
			return cfs_fail(e, 0, "%s: a NAME component may not "
					"start with .",
					shown(name, buf, sizeof(buf)));
		if (is_control_file(c, len))
			return cfs_fail(e, 0, "%s: a NAME component may not be "
					"a cgroup control file's name (tasks, "
					"notify_on_release, release_agent, "
					"CONTROLLER.*, cgroup.*)",
					shown(name, buf, sizeof(buf)));
	}
	return 0;
}

/* May we, with our effective IDs, make cgroups in DIR and move processes
 * there? */
static bool writable(const char *dir)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	return faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) == 0 &&
	       faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0;
}

/* Where the root of v2 is not ours (a user, or root in a user namespace):
 * the subtree delegated to us (systemd's Delegate=yes, or chown by an
 * admin), the highest writable ancestor of our own cgroup, which H then
 * stands for. Unchanged when our own cgroup is not writable. */
static void delegated(struct cfs_cgroup_hier *h)
{
	char self[PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 32], line[PATH_MAX];
	FILE *f = fopen("/proc/self/cgroup", "re");
	struct cfs_err ignored;
	size_t root = strlen(h->mount);
	char *slash;

	*self = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3))
			snprintf(self, sizeof(self), "%.*s", (int)strcspn(line + 3, "\n"),
				 line + 3);
	if (f)
		fclose(f);
	if (!*self || cfs_cgroup_dir("", self, dir, sizeof(dir), &ignored) ||
	    strncmp(dir, h->mount, root) || !writable(dir))
		return;
	while ((slash = strrchr(dir, '/')) && (size_t)(slash - dir) > root) {
		*slash = '\0';
		if (!writable(dir)) {
			*slash = '/';
			break;
		}
	}
	if (strlen(dir) >= sizeof(h->mount))
		return;
	memcpy(h->mount, dir, strlen(dir) + 1);
	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	if (read_text(path, h->controllers, sizeof(h->controllers)) < 0)
		*h->controllers = '\0';
}

/* Every hierarchy NAME lives in must be ours to write, or nothing is
 * made: one line that says why not. */
static int check_delegated(const struct cfs_cgroup *cg, struct cfs_err *e)
{
	for (int i = 0; i < cg->n; i++) {
		const struct cfs_cgroup_hier *h = &cg->hier[i];

		if (!(cg->use & (1u << i)) || writable(h->mount))
			continue;
		if (!h->v2)
			return cfs_fail(e, 0,
					"cgroup v1 %s is not writable by uid %u: "
					"cgroups are not delegated; run as root or "
					"use cgroup v2 with systemd delegation",
					h->mount, (unsigned)geteuid());
		return cfs_fail(e, 0,
				"cgroup v2 %s is not writable by uid %u, nor is "
				"our own cgroup: no subtree is delegated to us; "
				"run as root or in a delegated one (systemd-run "
				"--user --scope -p Delegate=yes)",
				h->mount, (unsigned)geteuid());
	}
	return 0;
}

int cfs_cgroup_open(struct cfs_cgroup *cg, const char *name,
		    struct cfs_err *e)
{
	dev_t seen[CFS_CGROUP_MAX_HIER];
	struct cfs_mountinfo m;
	FILE *f;
	int rc = 0;

	memset(cg, 0, sizeof(*cg));
	cg->v2 = -1;
	if (name && (rc = check_name(name, e)))
		return rc;
	snprintf(cg->name, sizeof(cg->name), "%s", name ? name : "");
	if (!(f = cfs_mountinfo_open(e)))
		return -1;
	while (cfs_mountinfo_next(f, &m) && cg->n < CFS_CGROUP_MAX_HIER) {
		struct cfs_cgroup_hier *h = &cg->hier[cg->n];
		bool dup = false;
		char path[PATH_MAX];

		if (strcmp(m.root, "/") ||
		    (strcmp(m.fstype, "cgroup") && strcmp(m.fstype, "cgroup2")))
			continue;
		for (int i = 0; i < cg->n; i++)
			dup |= seen[i] == m.dev;
		if (dup || (cg->v2 >= 0 && !strcmp(m.fstype, "cgroup2")))
			continue;
		if (strlen(m.target) >= sizeof(h->mount))
			continue; /* no cgroup mount of ours is that deep */
		seen[cg->n] = m.dev;
		memcpy(h->mount, m.target, strlen(m.target) + 1);
		if ((h->v2 = !strcmp(m.fstype, "cgroup2"))) {
			snprintf(path, sizeof(path), "%s/cgroup.controllers",
				 h->mount);
			if (read_text(path, h->controllers,
				      sizeof(h->controllers)) < 0)
				continue;
			cg->v2 = cg->n;
		} else {
			for (int k = 0; known[k]; k++)
				if (has_word(m.options, known[k]))
					snprintf(h->controllers + strlen(h->controllers),
						 sizeof(h->controllers) -
							 strlen(h->controllers),
						 "%s%s", *h->controllers ? "," : "",
						 known[k]);
			if (!*h->controllers)
				continue; /* name=systemd and the like */
		}
		cg->n++;
	}
	fclose(f);
	if (!cg->n)
		rc = cfs_fail(e, 0, "no cgroup file system is mounted here "
				    "(see /proc/self/mountinfo)");
	if (!rc && cg->v2 >= 0 && !writable(cg->hier[cg->v2].mount))
		delegated(&cg->hier[cg->v2]);
	return rc;
}

/* The hierarchy of CONTROLLER: its v1 one, else v2's when it lists it. */
static int hier_of(const struct cfs_cgroup *cg, const char *controller)
{
	for (int i = 0; i < cg->n; i++)
		if (!cg->hier[i].v2 && has_word(cg->hier[i].controllers, controller))
			return i;
	if (cg->v2 >= 0 && has_word(cg->hier[cg->v2].controllers, controller))
		return cg->v2;
	return -1;
}

static void use(struct cfs_cgroup *cg, int i, const char *controller)
{
	char plus[32];

	cg->use |= 1u << i;
	snprintf(plus, sizeof(plus), "+%s", controller);
	if (cg->hier[i].v2 && *controller && !has_word(cg->enable, plus))
		snprintf(cg->enable + strlen(cg->enable),
			 sizeof(cg->enable) - strlen(cg->enable), "%s%s",
			 *cg->enable ? " " : "", plus);
}

/* The hierarchy of CONTROLLER for option WHAT, or a message saying why
 * there is none. V2_ONLY: WHAT exists on cgroup v2 only. */
static int need(struct cfs_cgroup *cg, const char *what, const char *controller,
		bool v2_only, struct cfs_err *e)
{
	int i = hier_of(cg, controller);

	if (i >= 0 && v2_only && !cg->hier[i].v2)
		return cfs_fail(e, 0,
				"%s: needs cgroup v2, and the %s controller is "
				"on cgroup v1 here (%s)", what, controller,
				cg->hier[i].mount);
	if (i >= 0)
		use(cg, i, controller);
	else if (cg->v2 >= 0)
		return cfs_fail(e, 0,
				"%s: the %s controller is not available: it is "
				"not in %s/cgroup.controllers and no cgroup v1 "
				"hierarchy has it (enable it in the kernel, or "
				"free it from v1)", what, controller,
				cg->hier[cg->v2].mount);
	else
		return cfs_fail(e, 0,
				"%s: the %s controller is not available: no "
				"cgroup v1 hierarchy has it (mount one: mount -t "
				"cgroup -o %s cgroup /sys/fs/cgroup/%s)", what,
				controller, controller, controller);
	return i;
}

static int add(struct cfs_cgroup *cg, int i, const char *file,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int add(struct cfs_cgroup *cg, int i, const char *file,
	       const char *fmt, ...)
{
	va_list ap;

	if (cg->nw == CFS_CGROUP_MAX_WRITES) {
		cg->too_many = true; /* said by cfs_cgroup_plan */
		return 0;
	}
	cg->w[cg->nw].hier = i;
	snprintf(cg->w[cg->nw].file, sizeof(cg->w[0].file), "%s", file);
	va_start(ap, fmt);
	vsnprintf(cg->w[cg->nw].value, sizeof(cg->w[0].value), fmt, ap);
	va_end(ap);
	cg->nw++;
	return 0;
}

/* --io-max DEV:rbps=N,wbps=N,riops=N,wiops=N: v2's io.max, or v1's
 * blkio.throttle files. DEV is MAJ:MIN or a block device's path. */
static int plan_io_max(struct cfs_cgroup *cg, const char *arg,
		       struct cfs_err *e)
{
	static const char *const keys[] = { "rbps", "wbps", "riops", "wiops" };
	static const char *const v1[] = { "read_bps", "write_bps", "read_iops",
					  "write_iops" };
	char dev[64], list[256], *save, *kv, file[64], v2[256] = "";
	unsigned maj, min;
	int i, n = 0, colon;
	struct stat st;

	for (colon = (int)strlen(arg) - 1; colon > 0 && arg[colon] != ':';
	     colon--)
		;
	snprintf(dev, sizeof(dev), "%.*s", colon, arg);
	snprintf(list, sizeof(list), "%s", arg + colon + 1);
	if (colon <= 0 || !*list)
		return cfs_fail(e, 0, "--io-max %s: not DEV:KEY=VALUE,...", arg);
	if (*dev == '/') {
		if (stat(dev, &st) < 0)
			return cfs_fail(e, errno, "--io-max: stat %s", dev);
		if (!S_ISBLK(st.st_mode))
			return cfs_fail(e, 0, "--io-max: %s: not a block device",
					dev);
		maj = major(st.st_rdev), min = minor(st.st_rdev);
	} else if (sscanf(dev, "%u:%u%n", &maj, &min, &n) != 2 || dev[n]) {
		return cfs_fail(e, 0, "--io-max %s: %s is neither MAJ:MIN nor "
				"a device path", arg, dev);
	}
	if ((i = need(cg, "--io-max", hier_of(cg, "io") >= 0 ? "io" : "blkio",
		      false, e)) < 0)
		return i;
	for (kv = strtok_r(list, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		long long v;
		int k;

		for (k = 0; k < 4; k++)
			if (eq && (size_t)(eq - kv) == strlen(keys[k]) &&
			    !strncmp(kv, keys[k], eq - kv))
				break;
		if (k == 4 || cfs_parse_size(eq + 1, LLONG_MAX, &v))
			return cfs_fail(e, 0, "--io-max %s: %s: not rbps, wbps, "
					"riops or wiops =SIZE", arg, kv);
		if (cg->hier[i].v2) {
			snprintf(v2 + strlen(v2), sizeof(v2) - strlen(v2),
				 " %s=%lld", keys[k], v);
			continue;
		}
		snprintf(file, sizeof(file), "blkio.throttle.%s_device", v1[k]);
		add(cg, i, file, "%u:%u %lld", maj, min, v);
	}
	if (cg->hier[i].v2)
		add(cg, i, "io.max", "%u:%u%s", maj, min, v2);
	return 0;
}

/* --set FILE=VALUE: the controller is FILE's prefix; cgroup.* files are
 * v2's own. */
static int plan_set(struct cfs_cgroup *cg, const char *arg, struct cfs_err *e)
{
	const char *eq = strchr(arg, '='), *dot = strchr(arg, '.');
	char ctrl[32], file[64];
	int i, k;

	if (!eq || !dot || dot > eq || eq - arg >= (int)sizeof(file) ||
	    memchr(arg, '/', eq - arg))
		return cfs_fail(e, 0, "--set %s: not CONTROLLER.FILE=VALUE", arg);
	snprintf(ctrl, sizeof(ctrl), "%.*s", (int)(dot - arg), arg);
	snprintf(file, sizeof(file), "%.*s", (int)(eq - arg), arg);
	if (!strcmp(ctrl, "cgroup")) {
		if (cg->v2 < 0)
			return cfs_fail(e, 0, "--set %s: cgroup.* files need "
					"cgroup v2, not mounted here", arg);
		return add(cg, cg->v2, file, "%s", eq + 1);
	}
	for (k = 0; known[k] && strcmp(known[k], ctrl); k++)
		;
	if (!known[k])
		return cfs_fail(e, 0, "--set %s: unknown controller %s", arg,
				ctrl);
	if ((i = need(cg, "--set", ctrl, false, e)) < 0)
		return i;
	return add(cg, i, file, "%s", eq + 1);
}

int cfs_cgroup_plan(struct cfs_cgroup *cg, const struct cfs_cgroup_limits *l,
		    struct cfs_err *e)
{
	static const char *const base[] = { "memory", "pids", "cpu", "cpuacct" };
	long long sum;
	int i;

	if (cg->v2 >= 0)
		use(cg, cg->v2, "");
	for (size_t k = 0; k < sizeof(base) / sizeof(*base); k++)
		if ((i = hier_of(cg, base[k])) >= 0)
			use(cg, i, base[k]);
#define NEED(what, ctrl, v2_only)                                          \
	do {                                                               \
		if ((i = need(cg, what, ctrl, v2_only, e)) < 0)            \
			return i;                                          \
	} while (0)
#define V(v2file, v1file, ...)                                             \
	add(cg, i, cg->hier[i].v2 ? v2file : v1file, __VA_ARGS__)
	if (l->memory >= 0) {
		NEED("--memory", "memory", false);
		V("memory.max", "memory.limit_in_bytes", "%lld", l->memory);
	}
	if (l->memory_swap >= 0) {
		NEED("--memory-swap", "memory", false);
		if (cg->hier[i].v2) {
			add(cg, i, "memory.swap.max", "%lld", l->memory_swap);
		} else if (l->memory < 0) {
			return cfs_fail(e, 0, "--memory-swap: needs --memory "
					"on cgroup v1 (memory.memsw counts both)");
		} else if (__builtin_add_overflow(l->memory, l->memory_swap,
						  &sum)) {
			return cfs_fail(e, 0,
					"cgroup " CFS_CGROUP_PARENT "/%s: "
					"--memory plus --memory-swap is more "
					"than 2^63-1 bytes", cg->name);
		} else {
			add(cg, i, "memory.memsw.limit_in_bytes", "%lld", sum);
		}
	}
	if (l->memory_high >= 0) {
		NEED("--memory-high", "memory", true);
		add(cg, i, "memory.high", "%lld", l->memory_high);
	}
	if (l->pids >= 0) {
		NEED("--pids", "pids", false);
		add(cg, i, "pids.max", "%ld", l->pids);
	}
	if (l->cpus > 0) {
		long quota = (long)(l->cpus * 100000 + 0.5);

		NEED("--cpus", "cpu", false);
		if (quota < 1000)
			quota = 1000;
		if (cg->hier[i].v2) {
			add(cg, i, "cpu.max", "%ld 100000", quota);
		} else {
			add(cg, i, "cpu.cfs_period_us", "100000");
			add(cg, i, "cpu.cfs_quota_us", "%ld", quota);
		}
	}
	if (l->cpu_weight > 0) {
		NEED("--cpu-weight", "cpu", false);
		/* the inverse of the shares-to-weight mapping runc and crun use */
		V("cpu.weight", "cpu.shares", "%ld",
		  cg->hier[i].v2 ? l->cpu_weight
				 : 2 + (l->cpu_weight - 1) * 262142 / 9999);
	}
	if (l->cpuset_cpus) {
		NEED("--cpuset-cpus", "cpuset", false);
		add(cg, i, "cpuset.cpus", "%s", l->cpuset_cpus);
	}
	if (l->cpuset_mems) {
		NEED("--cpuset-mems", "cpuset", false);
		add(cg, i, "cpuset.mems", "%s", l->cpuset_mems);
	}
	if (l->io_weight > 0) {
		NEED("--io-weight", hier_of(cg, "io") >= 0 ? "io" : "blkio", false);
		if (cg->hier[i].v2)
			add(cg, i, "io.weight", "default %ld", l->io_weight);
		else
			add(cg, i, "blkio.weight", "%ld",
			    l->io_weight < 10 ? 10 : l->io_weight > 1000 ? 1000
								      : l->io_weight);
	}
#undef NEED
#undef V
	for (const char **a = l->io_max; a && *a; a++)
		if ((i = plan_io_max(cg, *a, e)) < 0)
			return i;
	for (const char **a = l->set; a && *a; a++)
		if ((i = plan_set(cg, *a, e)) < 0)
			return i;
	if (cg->too_many)
		return cfs_fail(e, 0, "cgroup " CFS_CGROUP_PARENT "/%s: more "
				"than %d files to write", cg->name,
				CFS_CGROUP_MAX_WRITES);
	return 0;
}

/* Enable the planned controllers in DIR/cgroup.subtree_control. */
static int enable(const struct cfs_cgroup *cg, const char *dir,
		  struct cfs_err *e)
{
	char path[PATH_MAX + 32];
	int rc;

	if (!*cg->enable)
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	if ((rc = write_text(path, cg->enable)) == -EBUSY)
		return cfs_fail(e, 0, "write \"%s\" to %s: %s (it has processes "
				"of its own, and cgroup v2 gives controllers "
				"only to the children of cgroups without any)",
				cg->enable, path, strerror(EBUSY));
	if (rc)
		return cfs_fail(e, -rc, "write \"%s\" to %s", cg->enable, path);
	return 0;
}

/* A new v1 cpuset takes no process until it has CPUs and memory nodes:
 * give it its parent's. */
static int cpuset_inherit(const char *dir, struct cfs_err *e)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	char path[PATH_MAX + 32], value[4096];
	int rc;

	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/../%s", dir, files[k]);
		if (read_text(path, value, sizeof(value)) < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, files[k]);
		if ((rc = write_text(path, value)) < 0)
			return cfs_fail(e, -rc, "write %s", path);
	}
	return 0;
}

/* Remove what create made: NAME's directories up to the first one it made
 * (MADE_FROM[i]: that one's length in NAME, -1 none), and the parent. */
static void undo(struct cfs_cgroup *cg, const int *made_from)
{
	char dir[PATH_MAX];

	for (int i = 0; i < cg->n; i++) {
		for (size_t len = strlen(cg->name);
		     made_from[i] >= 0 && len >= (size_t)made_from[i];) {
			const char *slash = memrchr(cg->name, '/', len);

			dir_of(cg, i, len, dir);
			rmdir(dir);
			if (!slash)
				break;
			len = slash - cg->name;
		}
		if (cg->made_parent & (1u << i)) {
			dir_of(cg, i, 0, dir);
			rmdir(dir);
		}
	}
}

static int make_dir(const char *dir, int *made, bool cpuset, struct cfs_err *e)
{
	if (mkdir(dir, 0755) == 0) {
		*made = 1;
		return cpuset ? cpuset_inherit(dir, e) : 0;
	}
	if (errno != EEXIST)
		return cfs_fail(e, errno, "mkdir %s", dir);
	if (!is_dir(dir))
		return cfs_fail(e, 0, "mkdir %s: a file of that name is there, "
				"not a cgroup", dir);
	return 0;
}

int cfs_cgroup_create(struct cfs_cgroup *cg, int exclusive, struct cfs_err *e)
{
	int made_from[CFS_CGROUP_MAX_HIER], rc = 0;
	char dir[PATH_MAX], path[PATH_MAX + 64];
	size_t len = strlen(cg->name);

	if ((rc = check_delegated(cg, e)))
		return rc;
	for (int i = 0; i < cg->n; i++) {
		made_from[i] = -1;
		dir_of(cg, i, len, dir);
		if (exclusive && (cg->use & (1u << i)) && is_dir(dir))
			return cfs_fail(e, EEXIST, "--exclusive: %s", dir);
	}
	for (int i = 0; !rc && i < cg->n; i++) {
		bool cpuset = !cg->hier[i].v2 &&
			      has_word(cg->hier[i].controllers, "cpuset");
		int made = 0;

		if (!(cg->use & (1u << i)))
			continue;
		if (cg->hier[i].v2 && (rc = enable(cg, cg->hier[i].mount, e)))
			break;
		dir_of(cg, i, 0, dir);
		if ((rc = make_dir(dir, &made, cpuset, e)))
			break;
		cg->made_parent |= made ? 1u << i : 0;
		for (size_t end = 0; !rc && end < len;) {
			if (cg->hier[i].v2)
				rc = enable(cg, dir, e);
			end += strcspn(cg->name + end, "/");
			dir_of(cg, i, end, dir);
			made = 0;
			if (!rc)
				rc = make_dir(dir, &made, cpuset, e);
			if (made && made_from[i] < 0)
				made_from[i] = (int)end;
			if (made && end == len)
				cg->made_name |= 1u << i;
			end += !!cg->name[end];
		}
	}
	for (int k = 0; !rc && k < cg->nw; k++) {
		dir_of(cg, cg->w[k].hier, len, dir);
		snprintf(path, sizeof(path), "%s/%s", dir, cg->w[k].file);
		if ((rc = write_text(path, cg->w[k].value)))
			cfs_fail(e, -rc, "write %s to %s", cg->w[k].value, path);
	}
	if (rc)
		undo(cg, made_from);
	return rc;
}

int cfs_cgroup_attach(struct cfs_cgroup *cg, pid_t pid, bool v1_only,
		      struct cfs_err *e)
{
	char path[PATH_MAX + 32], text[32];
	int rc;

	snprintf(text, sizeof(text), "%d\n", (int)pid);
	for (int i = 0; i < cg->n; i++) {
		if (!(cg->use & (1u << i)) || (v1_only && cg->hier[i].v2))
			continue;
		dir_of(cg, i, strlen(cg->name), path);
		strcat(path, pid == 0 ? self_file(cg->hier[i].v2)
				      : "/cgroup.procs");
		if ((rc = write_text(path, text)) == -ESRCH)
			return cfs_fail(e, 0, "write %d to %s: no such process",
					(int)pid, path);
		if (rc)
			return cfs_fail(e, -rc, "write %d to %s", (int)pid, path);
	}
	return 0;
}

int cfs_cgroup_open_v2(struct cfs_cgroup *cg)
{
	char dir[PATH_MAX];

	if (cg->v2 < 0 || !(cg->use & (1u << cg->v2)))
		return -1;
	dir_of(cg, cg->v2, strlen(cg->name), dir);
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Call FN on DIR and each cgroup below it, children first: every one,
 * ".x" too (a container may make children in a cgroup delegated to it).
 * A child gone meanwhile is skipped; DIR gone is -ENOENT. */
static int walk(const char *dir, int (*fn)(const char *, void *), void *arg,
		struct cfs_err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (!d)
		return fail_at(e, errno, "open", dir);
	while (!rc && (de = readdir(d))) {
		char *sub; /* on the heap: a container may nest deep */

		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") ||
		    !strcmp(de->d_name, ".."))
			continue;
		if (asprintf(&sub, "%s/%s", dir, de->d_name) < 0) {
			rc = fail_at(e, ENOMEM, "open", dir);
			break;
		}
		if ((rc = walk(sub, fn, arg, e)) == -ENOENT)
			rc = 0;
		free(sub);
	}
	closedir(d);
	return rc ? rc : fn(dir, arg);
}

/* Kill every process of DIR (v1: one by one); count those left in *ARG. */
static int kill_members(const char *dir, void *arg)
{
	char path[PATH_MAX + 32], line[32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	if (!(f = fopen(path, "re")))
		return 0;
	while (fgets(line, sizeof(line), f)) {
		kill(atoi(line), SIGKILL);
		++*(int *)arg;
	}
	fclose(f);
	return 0;
}

static int remove_dir(const char *dir, void *arg)
{
	struct cfs_err *e = arg;

	if (rmdir(dir) < 0 && errno != ENOENT)
		return fail_at(e, errno, "rmdir", dir);
	return 0;
}

int cfs_cgroup_delete(struct cfs_cgroup *cg, struct cfs_err *e)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	struct cfs_err ignored;
	unsigned has = 0;
	int left = 1, rc = 0, found = 0;

	/* The usual case first, NAME with no process and no child left
	 * (--rm's program has ended): a plain rmdir. What it leaves has
	 * processes or children, and goes the long way. */
	for (int i = 0; i < cg->n; i++) {
		dir_of(cg, i, strlen(cg->name), dir);
		if (rmdir(dir) == 0) {
			found = 1;
			dir_of(cg, i, 0, dir);
			rmdir(dir); /* the cfs parent, when left empty */
		} else if (errno != ENOENT) {
			has |= 1u << i;
		}
	}
	if (!found && !has)
		return cfs_fail(e, ENOENT, "cgroup " CFS_CGROUP_PARENT "/%s",
				cg->name);
	/* cgroup.kill ends every process below at once, even forking ones;
	 * v1 has to signal them one by one until none is left. */
	for (int tries = 0; left && tries < 200; tries++) {
		if (tries)
			usleep(50000);
		left = 0;
		for (int i = 0; i < cg->n; i++) {
			if (!(has & (1u << i)))
				continue;
			dir_of(cg, i, strlen(cg->name), dir);
			snprintf(path, sizeof(path), "%s/cgroup.kill", dir);
			if (cg->hier[i].v2 && write_text(path, "1") == 0 &&
			    !tries)
				continue;
			walk(dir, kill_members, &left, &ignored);
		}
	}
	if (left)
		return cfs_fail(e, 0, "cgroup " CFS_CGROUP_PARENT "/%s: %d "
				"processes still in it after 10 s of SIGKILL",
				cg->name, left);
	for (int i = 0; !rc && i < cg->n; i++) {
		if (!(has & (1u << i)))
			continue;
		dir_of(cg, i, strlen(cg->name), dir);
		/* an exiting process may hold it a moment longer */
		for (int tries = 0; tries < 100; tries++) {
			if ((rc = walk(dir, remove_dir, e, e)) == -ENOENT)
				rc = 0; /* gone already */
			if (!rc || e->errnum != EBUSY)
				break;
			usleep(20000);
		}
		dir_of(cg, i, 0, dir);
		rmdir(dir); /* the cfs parent, when left empty */
	}
	return rc;
}

/* A number from a file, or the number after KEY in a "key value" file;
 * "max" and v1's near-2^63 "unlimited" as CFS_CGROUP_UNLIMITED. */
static long long number(const struct cfs_cgroup *cg, int i, const char *file,
			const char *key)
{
	char path[PATH_MAX + 64], text[4096], *p = text;
	long long v;

	if (i < 0)
		return -1;
	dir_of(cg, i, strlen(cg->name), path);
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "/%s", file);
	if (read_text(path, text, sizeof(text)) < 0)
		return -1;
	if (key) {
		size_t len = strlen(key);

		for (p = text; p && (strncmp(p, key, len) || p[len] != ' ');
		     p = strchr(p, '\n'), p = p ? p + 1 : NULL)
			;
		if (!p)
			return -1;
		p += len + 1;
	}
	if (!strncmp(p, "max", 3))
		return CFS_CGROUP_UNLIMITED;
	if (sscanf(p, "%lld", &v) != 1)
		return -1;
	return v >= (1LL << 62) || (v == -1 && !key) ? CFS_CGROUP_UNLIMITED : v;
}

int cfs_cgroup_stats(struct cfs_cgroup *cg, struct cfs_cgroup_stats *s,
		     struct cfs_err *e)
{
	int mem = hier_of(cg, "memory"), pids = hier_of(cg, "pids"),
	    cpu = hier_of(cg, "cpu"), acct = hier_of(cg, "cpuacct");
	char dir[PATH_MAX];
	bool any = false;

	for (int i = 0; i < cg->n; i++) {
		dir_of(cg, i, strlen(cg->name), dir);
		any |= is_dir(dir);
	}
	if (!any)
		return cfs_fail(e, ENOENT, "cgroup " CFS_CGROUP_PARENT "/%s",
				cg->name);
	if (mem >= 0 && cg->hier[mem].v2) {
		s->memory_current = number(cg, mem, "memory.current", NULL);
		s->memory_peak = number(cg, mem, "memory.peak", NULL);
		s->memory_max = number(cg, mem, "memory.max", NULL);
		s->oom_kills = number(cg, mem, "memory.events", "oom_kill");
	} else {
		s->memory_current = number(cg, mem, "memory.usage_in_bytes", NULL);
		s->memory_peak = number(cg, mem, "memory.max_usage_in_bytes", NULL);
		s->memory_max = number(cg, mem, "memory.limit_in_bytes", NULL);
		s->oom_kills = number(cg, mem, "memory.oom_control", "oom_kill");
	}
	s->pids_current = number(cg, pids, "pids.current", NULL);
	s->pids_max = number(cg, pids, "pids.max", NULL);
	s->pids_limit_hits = number(cg, pids, "pids.events", "max");
	if (acct >= 0 && !cg->hier[acct].v2) {
		s->cpu_usage_usec = number(cg, acct, "cpuacct.usage", NULL);
		if (s->cpu_usage_usec >= 0)
			s->cpu_usage_usec /= 1000;
	} else {
		s->cpu_usage_usec = number(cg, cg->v2, "cpu.stat", "usage_usec");
	}
	if (cpu >= 0 && cg->hier[cpu].v2) {
		char path[PATH_MAX + 16], text[64];
		long long q;

		dir_of(cg, cpu, strlen(cg->name), path);
		strcat(path, "/cpu.max");
		s->cpu_quota_usec = s->cpu_period_usec = -1;
		if (read_text(path, text, sizeof(text)) == 0) {
			s->cpu_quota_usec = sscanf(text, "%lld", &q) == 1
						    ? q : CFS_CGROUP_UNLIMITED;
			sscanf(strchr(text, ' ') ? strchr(text, ' ') : "",
			       "%lld", &s->cpu_period_usec);
		}
	} else {
		s->cpu_quota_usec = number(cg, cpu, "cpu.cfs_quota_us", NULL);
		s->cpu_period_usec = number(cg, cpu, "cpu.cfs_period_us", NULL);
	}
	return 0;
}

struct names {
	char **v;
	int n, cap;
	size_t skip; /* the cfs parent's path and its slash */
	struct cfs_err *e;
};

/* The name of DIR below the cfs parent, as shown (one a line, whatever
 * a container named it). */
static int add_name(const char *dir, void *arg)
{
	struct names *l = arg;
	char name[PATH_MAX * 4];

	if (strlen(dir) < l->skip)
		return 0; /* the cfs parent itself */
	shown(dir + l->skip, name, sizeof(name));
	for (int k = 0; k < l->n; k++)
		if (!strcmp(l->v[k], name))
			return 0;
	if (l->n == l->cap) {
		char **v = realloc(l->v, (l->cap = 2 * l->cap + 16) * sizeof(*v));
		if (!v)
			return fail_at(l->e, ENOMEM, "list", dir);
		l->v = v;
	}
	if (!(l->v[l->n] = strdup(name)))
		return fail_at(l->e, ENOMEM, "list", dir);
	l->n++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cfs_cgroup_list(struct cfs_cgroup *cg, char ***names, int *n,
		    struct cfs_err *e)
{
	struct names l = { .e = e };
	char dir[PATH_MAX];
	int rc = 0;

	for (int i = 0; !rc && i < cg->n; i++) {
		dir_of(cg, i, 0, dir);
		l.skip = strlen(dir) + 1;
		if ((rc = walk(dir, add_name, &l, e)) == -ENOENT)
			rc = 0; /* no cfs parent in that hierarchy */
	}
	if (l.n) /* qsort(NULL, 0) is undefined */
		qsort(l.v, l.n, sizeof(*l.v), by_name);
	*names = l.v;
	*n = l.n;
	return rc;
}
