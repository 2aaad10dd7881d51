/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup-limits.c: limits turned into the files to write, on the v2 or
 * the v1 backend of each controller, and the hierarchies NAME then lives
 * in. Nothing is written here: cfs_cgroup_create does. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "internal.h"
#include "core/parse.h"

/* NAME lives in hierarchy I; on v2, CONTROLLER is enabled on the way. */
static int use(struct cfs_cgroup *cg, int i, const char *controller,
	       struct cfs_err *e)
{
	char plus[32];

	cg->use |= 1u << i;
	snprintf(plus, sizeof(plus), "+%s", controller); /* a known one */
	if (!cg->hier[i].v2 || !*controller || cfs_cg_has_word(cg->enable, plus))
		return 0;
	if (cfs_cg_append(cg->enable, sizeof(cg->enable), " ", plus))
		return cfs_fail(e, E2BIG, "cgroup " CFS_CGROUP_PARENT "/%s: "
				"more than %zu bytes of controllers to enable",
				cg->name, sizeof(cg->enable) - 1);
	return 0;
}

/* The hierarchy of CONTROLLER, or a message saying why there is none.
 * V2_ONLY: what is asked exists on cgroup v2 only. */
static int need(struct cfs_cgroup *cg, const char *controller, bool v2_only,
		struct cfs_err *e)
{
	int i = cfs_cg_hier_of(cg, controller), rc;

	snprintf(cg->fault.controller, sizeof(cg->fault.controller), "%s",
		 controller); /* a known one */
	if (i >= 0 && v2_only && !cg->hier[i].v2)
		return cfs_fail(e, 0,
				"needs cgroup v2, and the %s controller is on "
				"cgroup v1 here (%s)", controller,
				cg->hier[i].mount);
	if (i >= 0)
		return (rc = use(cg, i, controller, e)) ? rc : i;
	cg->fault.kind = cg->v2 >= 0 ? CFS_CGROUP_FAULT_NO_CONTROLLER
				     : CFS_CGROUP_FAULT_NO_V1_CONTROLLER;
	if (cg->v2 >= 0)
		return cfs_fail(e, 0,
				"the %s controller is not available: it is "
				"not in %s/cgroup.controllers and no cgroup v1 "
				"hierarchy has it (enable it in the kernel, or "
				"free it from v1)", controller,
				cg->hier[cg->v2].mount);
	return cfs_fail(e, 0, "the %s controller is not available: no "
			"cgroup v1 hierarchy has it", controller);
}

/* Write FILE of hierarchy I with the value FMT makes. */
static int add(struct cfs_cgroup *cg, int i, const char *file,
	       struct cfs_err *e, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int add(struct cfs_cgroup *cg, int i, const char *file,
	       struct cfs_err *e, const char *fmt, ...)
{
	size_t size = sizeof(cg->w[0].value);
	va_list ap;
	int len;

	if (cg->nw == CFS_CGROUP_MAX_WRITES) {
		/* about all the limits together, not one */
		cg->fault.limit = CFS_CGROUP_NO_LIMIT;
		cfs_fail(e, 0, "cgroup " CFS_CGROUP_PARENT "/%s: more than "
			 "%d files to write", cg->name, CFS_CGROUP_MAX_WRITES);
		return -E2BIG;
	}
	if (strlen(file) >= sizeof(cg->w[0].file))
		return cfs_fail(e, ENAMETOOLONG, "write %s: a name of more "
				"than %zu bytes", file,
				sizeof(cg->w[0].file) - 1);
	va_start(ap, fmt);
	len = vsnprintf(cg->w[cg->nw].value, size, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= size)
		return cfs_fail(e, E2BIG, "write %s: a value of more than %zu "
				"bytes", file, size - 1);
	memcpy(cg->w[cg->nw].file, file, strlen(file) + 1);
	cg->w[cg->nw++].hier = i;
	return 0;
}

/* A message about ARG, the io_max or set entry planned. */
#define bad_arg(cg, arg, e, ...) ((cg)->fault.arg = (arg), cfs_fail(e, 0, __VA_ARGS__))

/* DEV:rbps=N,wbps=N,riops=N,wiops=N: v2's io.max, or v1's blkio.throttle
 * files. DEV is MAJ:MIN or a block device's path. */
static int plan_io_max(struct cfs_cgroup *cg, const char *arg,
		       struct cfs_err *e)
{
	static const char *const keys[] = { "rbps", "wbps", "riops", "wiops" };
	static const char *const v1[] = { "read_bps", "write_bps", "read_iops",
					  "write_iops" };
	const char *colon = strrchr(arg, ':'), *kv, *end;
	char dev[PATH_MAX], v2[sizeof(cg->w[0].value)] = "", file[64];
	unsigned maj, min;
	int i, n = 0, rc;
	struct stat st;

	if (!colon || colon == arg || !colon[1])
		return bad_arg(cg, arg, e, "not DEV:KEY=VALUE,...");
	if ((size_t)(colon - arg) >= sizeof(dev))
		return cfs_fail(e, ENAMETOOLONG, "%.64s...: more than %zu bytes",
				arg, sizeof(dev) - 1);
	memcpy(dev, arg, colon - arg);
	dev[colon - arg] = '\0';
	if (*dev == '/') {
		if (stat(dev, &st) < 0)
			return cfs_fail(e, errno, "stat %s", dev);
		if (!S_ISBLK(st.st_mode))
			return cfs_fail(e, 0, "%s: not a block device", dev);
		maj = major(st.st_rdev), min = minor(st.st_rdev);
	} else if (sscanf(dev, "%u:%u%n", &maj, &min, &n) != 2 || dev[n]) {
		return bad_arg(cg, arg, e, "%s is neither MAJ:MIN nor a device "
			       "path", dev);
	}
	if ((i = need(cg, cfs_cg_hier_of(cg, "io") >= 0 ? "io" : "blkio",
		      false, e)) < 0)
		return i;
	for (kv = colon + 1; *kv; kv = *end ? end + 1 : end) {
		const char *eq = memchr(kv, '=', strcspn(kv, ","));
		char value[64] = "";
		long long v;
		int k;

		end = kv + strcspn(kv, ",");
		if (end == kv)
			continue; /* an empty one, as in "rbps=1,,wbps=2" */
		for (k = 0; k < 4; k++)
			if (eq && (size_t)(eq - kv) == strlen(keys[k]) &&
			    !strncmp(kv, keys[k], eq - kv))
				break;
		if (eq && (size_t)(end - eq) <= sizeof(value))
			memcpy(value, eq + 1, end - eq - 1);
		if (k == 4 || cfs_parse_size(value, LLONG_MAX, &v))
			return bad_arg(cg, arg, e, "%.*s: not rbps, wbps, riops "
				       "or wiops =SIZE", (int)(end - kv), kv);
		if (cg->hier[i].v2) {
			snprintf(value, sizeof(value), "%s=%lld", keys[k],
				 v); /* 26 bytes at most */
			if (cfs_cg_append(v2, sizeof(v2), " ", value))
				return cfs_fail(e, E2BIG, "write io.max: a value "
						"of more than %zu bytes",
						sizeof(v2) - 1);
			continue;
		}
		snprintf(file, sizeof(file), "blkio.throttle.%s_device",
			 v1[k]); /* 33 bytes at most */
		if ((rc = add(cg, i, file, e, "%u:%u %lld", maj, min, v)))
			return rc;
	}
	if (cg->hier[i].v2)
		return add(cg, i, "io.max", e, "%u:%u %s", maj, min, v2);
	return 0;
}

/* FILE=VALUE: the controller is FILE's prefix; cgroup.* files are v2's
 * own. */
static int plan_set(struct cfs_cgroup *cg, const char *arg, struct cfs_err *e)
{
	const char *eq = strchr(arg, '='), *dot = strchr(arg, '.');
	char file[sizeof(cg->w[0].file)];
	size_t len = eq ? (size_t)(eq - arg) : 0;
	int i, k;

	if (!eq || !dot || dot > eq || memchr(arg, '/', len))
		return bad_arg(cg, arg, e, "not CONTROLLER.FILE=VALUE");
	if (len >= sizeof(file))
		return cfs_fail(e, ENAMETOOLONG, "write %.*s: a name of more "
				"than %zu bytes", (int)len, arg,
				sizeof(file) - 1);
	memcpy(file, arg, len);
	file[len] = '\0';
	file[dot - arg] = '\0'; /* the controller, for a moment */
	if (!strcmp(file, "cgroup")) {
		if (cg->v2 < 0)
			return bad_arg(cg, arg, e, "cgroup.* files need cgroup "
				       "v2, not mounted here");
		file[dot - arg] = '.';
		return add(cg, cg->v2, file, e, "%s", eq + 1);
	}
	for (k = 0; cfs_cg_known[k] && strcmp(cfs_cg_known[k], file); k++)
		;
	if (!cfs_cg_known[k])
		return bad_arg(cg, arg, e, "unknown controller %s", file);
	if ((i = need(cg, cfs_cg_known[k], false, e)) < 0)
		return i;
	file[dot - arg] = '.';
	return add(cg, i, file, e, "%s", eq + 1);
}

/* The limits one by one, each with the hierarchy of its controller. */
static int plan(struct cfs_cgroup *cg, const struct cfs_cgroup_limits *l,
		struct cfs_err *e)
{
	struct cfs_cgroup_fault *f = &cg->fault;
	long long sum;
	int i, rc;

#define NEED(which, ctrl, v2_only)                                         \
	do {                                                               \
		f->limit = (which);                                        \
		if ((i = need(cg, ctrl, v2_only, e)) < 0)                  \
			return i;                                          \
	} while (0)
#define ADD(...)                                                           \
	do {                                                               \
		if ((rc = add(cg, i, __VA_ARGS__)))                        \
			return rc;                                         \
	} while (0)
#define V2 (cg->hier[i].v2)
	if (l->memory >= 0) {
		NEED(CFS_CGROUP_MEMORY, "memory", false);
		ADD(V2 ? "memory.max" : "memory.limit_in_bytes", e, "%lld",
		    l->memory);
	}
	if (l->memory_swap >= 0) {
		NEED(CFS_CGROUP_MEMORY_SWAP, "memory", false);
		if (V2) {
			ADD("memory.swap.max", e, "%lld", l->memory_swap);
		} else if (l->memory < 0) {
			f->kind = CFS_CGROUP_FAULT_SWAP_ALONE;
			return cfs_fail(e, 0, "a swap limit needs a memory limit "
					"on cgroup v1 (memory.memsw counts "
					"both)");
		} else if (__builtin_add_overflow(l->memory, l->memory_swap,
						  &sum)) {
			f->kind = CFS_CGROUP_FAULT_SWAP_SUM;
			return cfs_fail(e, 0, "cgroup " CFS_CGROUP_PARENT "/%s: "
					"memory plus swap is more than 2^63-1 "
					"bytes", cg->name);
		} else {
			ADD("memory.memsw.limit_in_bytes", e, "%lld", sum);
		}
	}
	if (l->memory_high >= 0) {
		NEED(CFS_CGROUP_MEMORY_HIGH, "memory", true);
		ADD("memory.high", e, "%lld", l->memory_high);
	}
	if (l->pids >= 0) {
		NEED(CFS_CGROUP_PIDS, "pids", false);
		ADD("pids.max", e, "%ld", l->pids);
	}
	if (l->cpus > 0) {
		long quota = (long)(l->cpus * 100000 + 0.5);

		NEED(CFS_CGROUP_CPUS, "cpu", false);
		if (quota < 1000)
			quota = 1000;
		if (V2) {
			ADD("cpu.max", e, "%ld 100000", quota);
		} else {
			ADD("cpu.cfs_period_us", e, "100000");
			ADD("cpu.cfs_quota_us", e, "%ld", quota);
		}
	}
	if (l->cpu_weight > 0) {
		NEED(CFS_CGROUP_CPU_WEIGHT, "cpu", false);
		/* the inverse of the shares-to-weight mapping runc and crun use */
		ADD(V2 ? "cpu.weight" : "cpu.shares", e, "%ld",
		    V2 ? l->cpu_weight : 2 + (l->cpu_weight - 1) * 262142 / 9999);
	}
	if (l->cpuset_cpus) {
		NEED(CFS_CGROUP_CPUSET_CPUS, "cpuset", false);
		ADD("cpuset.cpus", e, "%s", l->cpuset_cpus);
	}
	if (l->cpuset_mems) {
		NEED(CFS_CGROUP_CPUSET_MEMS, "cpuset", false);
		ADD("cpuset.mems", e, "%s", l->cpuset_mems);
	}
	if (l->io_weight > 0) {
		NEED(CFS_CGROUP_IO_WEIGHT,
		     cfs_cg_hier_of(cg, "io") >= 0 ? "io" : "blkio", false);
		if (V2)
			ADD("io.weight", e, "default %ld", l->io_weight);
		else
			ADD("blkio.weight", e, "%ld",
			    l->io_weight < 10 ? 10 : l->io_weight > 1000 ? 1000
								      : l->io_weight);
	}
#undef NEED
#undef ADD
#undef V2
	f->limit = CFS_CGROUP_IO_MAX;
	for (const char **a = l->io_max; a && *a; a++)
		if ((rc = plan_io_max(cg, *a, e)) < 0)
			return rc;
	f->limit = CFS_CGROUP_SET;
	for (const char **a = l->set; a && *a; a++)
		if ((rc = plan_set(cg, *a, e)) < 0)
			return rc;
	return 0;
}

int cfs_cgroup_plan(struct cfs_cgroup *cg, const struct cfs_cgroup_limits *l,
		    struct cfs_err *e)
{
	static const char *const base[] = { "memory", "pids", "cpu", "cpuacct" };
	int i, rc = 0;

	memset(&cg->fault, 0, sizeof(cg->fault));
	if (cg->v2 >= 0)
		rc = use(cg, cg->v2, "", e);
	for (size_t k = 0; !rc && k < sizeof(base) / sizeof(*base); k++)
		if ((i = cfs_cg_hier_of(cg, base[k])) >= 0)
			rc = use(cg, i, base[k], e);
	/* without cgroup2 (no cgroup.freeze), the v1 freezer, so that NAME
	 * can be frozen (cfs_cgroup_freeze) */
	if (!rc && cg->v2 < 0 && (i = cfs_cg_hier_of(cg, "freezer")) >= 0)
		rc = use(cg, i, "freezer", e);
	if (!rc)
		rc = plan(cg, l, e);
	if (!rc)
		memset(&cg->fault, 0, sizeof(cg->fault));
	return rc;
}
