/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup.h: cgroups, v1 hierarchies and the v2 one side by side (a
 * hybrid host), each found where it is mounted in our mount namespace.
 *
 * lib/cgroup/hier.c finds the hierarchies, lib/cgroup/name.c checks a
 * name, lib/cgroup/limits.c turns limits into files to write,
 * lib/cgroup/create.c makes and deletes cgroups, lib/cgroup/attach.c moves
 * processes in, lib/cgroup/report.c reads a cgroup's numbers and lists
 * cgroups; lib/cgroup/files.c has what they share.
 *
 * Every function that reads the host takes ROOT: "" for this process's
 * own view, else a directory that holds proc/self/mountinfo,
 * proc/self/cgroup (proc/PID/cgroup) and the mount points they name, so
 * that a test can give a fixture tree (tests/test-cgroup.c). */
#ifndef CFS_CGROUP_H
#define CFS_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/err.h"

struct cfs_step;

/* The directory of cgroup PATH ("/a/b", as /proc/PID/cgroup shows it) of
 * HIERARCHY: "" for the v2 one, else v1 controllers as /proc/PID/cgroup
 * lists them ("pids", "cpu,cpuacct", "name=systemd"). Found in
 * ROOT/proc/self/mountinfo (lib/fs/mountinfo.c): a cgroup2 mount, or a cgroup
 * mount with every one of those options, whose root holds PATH. Returns 0,
 * -ENOENT when no mount of that hierarchy shows PATH, or -ENAMETOOLONG
 * when the directory is SIZE bytes or more. */
int cfs_cgroup_dir(const char *root, const char *hierarchy, const char *path,
		   char *dir, size_t size, struct cfs_err *e);

/* Move us into every cgroup TARGET is in: for each line of
 * ROOT/proc/TARGET/cgroup, "0" (ourselves, a process of one thread)
 * written to DIR/tasks on v1, DIR/cgroup.procs on v2. Every directory is
 * found before the first write; more than CFS_CGROUP_MAX_JOIN lines is
 * -E2BIG. A v2 line "0::/" with no cgroup2 mounted (a v1-only host) is
 * skipped. */
enum { CFS_CGROUP_MAX_JOIN = 32 };
int cfs_cgroup_join_of(const char *root, pid_t target, struct cfs_err *e);

/* A cgroup NAME under the cfs parent ("cfs" at the root of each hierarchy
 * it uses), with one interface over the two backends, as crun has. The
 * hierarchies come from mountinfo: the cgroup2 mount (v2), and a v1 mount
 * per controller set. A controller is taken from its v1 hierarchy when it
 * has one, else from v2. The cgroup lives in the v2 hierarchy whenever one
 * is mounted (on a hybrid host too: cgroup.kill and cgroup.events work
 * there), and in the v1 hierarchies of memory, pids, cpu and cpuacct plus
 * those a limit needs; without cgroup2, in v1's freezer too (to be
 * frozen). */
#define CFS_CGROUP_PARENT "cfs"

/* The sizes below are limits: what does not fit is refused with -E2BIG
 * or -ENAMETOOLONG and a message naming the limit, never cut short. */
enum {
	CFS_CGROUP_MAX_HIER = 16,   /* hierarchies: 15 v1 controllers, v2 */
	CFS_CGROUP_MAX_WRITES = 64, /* files the limits write */
	CFS_CGROUP_NAME_MAX = 199,  /* bytes of NAME */
};

/* The limits, as parsed; -1 (or NULL) when not asked. */
struct cfs_cgroup_limits {
	long long memory, memory_swap, memory_high; /* bytes */
	long pids;
	double cpus;                /* 0: not asked */
	long cpu_weight, io_weight; /* 1-10000 */
	const char *cpuset_cpus, *cpuset_mems;
	const char **io_max;        /* "DEV:rbps=N,wbps=N,riops=N,wiops=N" */
	const char **set;           /* "FILE=VALUE" */
};

/* Which limit a failure is about, and the kind of failure where a caller
 * may have more to say than the message (a front end's option names, its
 * hints): lib/ knows no option, so its messages leave the limit out and
 * struct cfs_cgroup_fault says which it was. */
enum cfs_cgroup_limit {
	CFS_CGROUP_NO_LIMIT,
	CFS_CGROUP_MEMORY, CFS_CGROUP_MEMORY_SWAP, CFS_CGROUP_MEMORY_HIGH,
	CFS_CGROUP_PIDS, CFS_CGROUP_CPUS, CFS_CGROUP_CPU_WEIGHT,
	CFS_CGROUP_CPUSET_CPUS, CFS_CGROUP_CPUSET_MEMS, CFS_CGROUP_IO_WEIGHT,
	CFS_CGROUP_IO_MAX, CFS_CGROUP_SET,
};

enum cfs_cgroup_fault_kind {
	CFS_CGROUP_FAULT_OTHER,		/* the message says it all */
	CFS_CGROUP_FAULT_NO_CONTROLLER,	/* CONTROLLER is in no hierarchy */
	CFS_CGROUP_FAULT_NO_V1_CONTROLLER, /* ... and no cgroup2 is mounted */
	CFS_CGROUP_FAULT_SWAP_ALONE,	/* v1: a swap limit needs a memory
					   limit (memsw counts both) */
	CFS_CGROUP_FAULT_SWAP_SUM,	/* v1: memory plus swap > LLONG_MAX */
	CFS_CGROUP_FAULT_EXISTS,	/* create, EXCLUSIVE: NAME exists */
	CFS_CGROUP_FAULT_V1_NOT_OURS,	/* create: v1 is not writable */
	CFS_CGROUP_FAULT_V2_NOT_OURS,	/* create: v2 is not, and no
					   subtree is delegated to us */
};

struct cfs_cgroup_fault {
	enum cfs_cgroup_fault_kind kind;
	enum cfs_cgroup_limit limit;
	const char *arg;   /* the io_max or set entry the message is about,
			      or NULL when it is about the limit as a whole */
	char controller[32];
};

struct cfs_cgroup_hier {
	char mount[256];       /* its mount point, showing its root */
	char controllers[256]; /* v1: "cpu,cpuacct"; v2: its root's
				  cgroup.controllers, with spaces */
	int v2;
};

struct cfs_cgroup {
	char name[CFS_CGROUP_NAME_MAX + 1]; /* below the cfs parent: "demo",
					       "a/b" */
	bool absolute;         /* NAME was "/demo": below each hierarchy's
				  root instead */
	struct cfs_cgroup_hier hier[CFS_CGROUP_MAX_HIER];
	int n, v2;             /* how many; the v2 one's index or -1 */
	unsigned use;          /* bit i: NAME lives in hier[i] */
	unsigned made_parent, made_name; /* bit i: create made the cfs
					    parent, NAME, in hier[i] */
	char enable[128];      /* v2 controllers to enable, "+memory +pids" */
	struct {
		int hier;
		char file[64], value[256];
	} w[CFS_CGROUP_MAX_WRITES];
	int nw;
	struct cfs_cgroup_fault fault; /* of the last failed plan or create */
};

/* Read the host's hierarchies (see ROOT above) and check NAME: relative,
 * 1 to CFS_CGROUP_NAME_MAX bytes, each component of A-Z a-z 0-9 _ . : -
 * (systemd's unit name bytes), not starting with a dot, and no control
 * file's name (tasks, notify_on_release, release_agent, cgroup.*,
 * CONTROLLER.*, irq.*). NAME may be NULL (to list). A NAME with a
 * leading slash ("/demo", an OCI absolute cgroupsPath) is below the root
 * of each hierarchy instead of the cfs parent (the absolute field), the
 * rest checked the same way; the cfs parent itself ("/cfs...") is
 * refused. */
int cfs_cgroup_open(struct cfs_cgroup *cg, const char *name, const char *root,
		    struct cfs_err *e);

/* NAME checked as cfs_cgroup_open checks it, without reading the
 * hierarchies (for a caller that only names a cgroup): 0, or -EINVAL. */
int cfs_cgroup_check_name(const char *name, struct cfs_err *e);

/* Turn LIMITS into writes for this host's backends, and pick the
 * hierarchies NAME lives in. Fails, creating nothing, when a controller
 * asked for is not available, saying which and where to enable it, when
 * v1's memory plus swap is above LLONG_MAX, or when a write does not fit
 * (more than CFS_CGROUP_MAX_WRITES files, a file name or value longer
 * than the struct holds). cg->fault says which limit. */
int cfs_cgroup_plan(struct cfs_cgroup *cg, const struct cfs_cgroup_limits *l,
		    struct cfs_err *e);

/* Would create find every hierarchy NAME lives in (as planned) ours to
 * write? 0, or -EINVAL with cg->fault.kind CFS_CGROUP_FAULT_V1_NOT_OURS or
 * CFS_CGROUP_FAULT_V2_NOT_OURS and the message create would give. */
int cfs_cgroup_check_delegated(struct cfs_cgroup *cg, struct cfs_err *e);

/* Make the cfs parent and NAME where missing, enabling on v2 the planned
 * controllers in each ancestor's cgroup.subtree_control, then write the
 * limits. On failure what it made is removed again. With EXCLUSIVE, a
 * NAME that exists in any of its hierarchies, or is made meanwhile by
 * another run, is -EEXIST, cg->fault.kind CFS_CGROUP_FAULT_EXISTS, and the
 * message "NAME: exists, has N processes" (those of NAME and its children
 * in the hierarchy that has most). */
int cfs_cgroup_create(struct cfs_cgroup *cg, bool exclusive,
		      struct cfs_err *e);

/* Move PID (0: ourselves, a process of one thread) into NAME in every
 * hierarchy it lives in; with V1_ONLY, in its v1 ones only (a child
 * started in the v2 one by clone3's CLONE_INTO_CGROUP). After
 * cfs_cgroup_create, which checked that the hierarchies are ours to
 * write. */
int cfs_cgroup_attach(struct cfs_cgroup *cg, pid_t pid, bool v1_only,
		      struct cfs_err *e);

/* The steps (lib/process/exec.h) that move a spawned child, itself ("0"),
 * into NAME in every hierarchy it lives in, before its exec: as
 * cfs_cgroup_attach(cg, 0, false), prepared here because that child,
 * sharing our memory, may make system calls and nothing else. NULL with
 * E filled when out of memory; free with cfs_cgroup_free_steps. */
struct cfs_step *cfs_cgroup_attach_steps(const struct cfs_cgroup *cg,
					 struct cfs_err *e);
void cfs_cgroup_free_steps(struct cfs_step *steps);

/* NAME's v2 directory, opened for clone3's CLONE_INTO_CGROUP (O_CLOEXEC);
 * -1 when NAME has none (a v1-only host) or it cannot be opened. */
int cfs_cgroup_open_v2(struct cfs_cgroup *cg);

/* Kill every process of NAME and of its children (cgroup.kill on v2,
 * SIGKILL to each on v1), wait until they are gone, remove the
 * directories, children first, and the cfs parent when left empty. */
int cfs_cgroup_delete(struct cfs_cgroup *cg, struct cfs_err *e);

/* Remove NAME, and the cfs parent when left empty, where NAME has no
 * process and no child cgroup left; -EBUSY, kept, where it has. NAME
 * that is not there is no error. */
int cfs_cgroup_remove_empty(struct cfs_cgroup *cg, struct cfs_err *e);

/* Stop every process of NAME and of its children (FREEZE), or let them
 * go: cgroup.freeze where NAME is in the v2 hierarchy, else freezer.state
 * in a v1 freezer hierarchy; waits until it is done (up to 10 s, then
 * -EBUSY, a freeze undone). -ENOENT when NAME is in neither. */
int cfs_cgroup_freeze(struct cfs_cgroup *cg, bool freeze, struct cfs_err *e);

/* 1 when NAME is frozen or being frozen, 0 when not, or -errno. */
int cfs_cgroup_frozen(struct cfs_cgroup *cg, struct cfs_err *e);

/* The NAME under the cfs parent that PID is in, from
 * ROOT/proc/PID/cgroup, in NAME of SIZE bytes: 1, or 0 when PID is in no
 * cgroup of ours. */
int cfs_cgroup_name_of(const char *root, pid_t pid, char *name, size_t size,
		       struct cfs_err *e);

/* The numbers of NAME; -1 unknown, CFS_CGROUP_UNLIMITED for "max". */
#define CFS_CGROUP_UNLIMITED (-2LL)
struct cfs_cgroup_stats {
	long long memory_current, memory_peak, memory_max, oom_kills;
	long long pids_current, pids_max, pids_limit_hits;
	long long cpu_usage_usec, cpu_quota_usec, cpu_period_usec;
};
int cfs_cgroup_stats(struct cfs_cgroup *cg, struct cfs_cgroup_stats *s,
		     struct cfs_err *e);

/* Every cgroup under the cfs parent in any hierarchy, parents first, in
 * NAMES (sorted, each once; dot-named ones too, bytes outside the NAME
 * rule as \xHH); *N how many. Free each and the array. */
int cfs_cgroup_list(struct cfs_cgroup *cg, char ***names, int *n,
		    struct cfs_err *e);

#endif
