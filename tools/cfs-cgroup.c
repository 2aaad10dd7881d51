/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfs-cgroup: run a program in a cgroup with limits.
 *
 *   cfs-cgroup [limits] [--reuse] NAME [--] [PROGRAM [ARG...]]  create, exec
 *   cfs-cgroup -t PID [-t PID...] [limits] NAME           attach processes
 *   cfs-cgroup --stats [--json] NAME | --list | --delete NAME
 *
 * Parse every limit first (a bad one creates nothing); find the host's
 * hierarchies (v2, v1 or both); create NAME under the cfs parent in each
 * one it needs (one that exists is refused: it may be another run's,
 * unless --reuse joins it); write the limits; move ourselves in and exec
 * PROGRAM, or with --wait/--rm run it in a child, wait, say why it ended
 * (the OOM killer, the pids limit, a signal), and with --rm delete NAME.
 * The backends are lib/cgroup-*.c's (lib/cgroup/cgroup.h); the option names and
 * the hints in their messages are ours (die_cgroup). */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "common/msg.h"
#include "common/opts.h"
#include "core/parse.h"
#include "process/exec.h"

struct options {
	const char *memory, *memory_swap, *memory_high, *pids, *cpus;
	const char *cpu_weight, *io_weight;
	const char **targets;      /* -t PID, repeatable */
	int exclusive, reuse, wait, rm, stats, json, list, delete;
	int absolute;		   /* NAME below the hierarchies' roots */
	struct cfs_cgroup_limits limits;
};

/* NAME as lib/cgroup takes it: "/NAME" with --absolute. A leading slash
 * without it is refused: a path such as /sys/fs/cgroup/x is a mistake,
 * not a name. */
static const char *lib_name(const struct options *o, const char *name)
{
	char *abs;

	if (!name)
		return NULL;
	if (*name == '/' && !o->absolute)
		cfs_die(CFS_EXIT_FAILURE, 0, "%s: NAME must be relative to the "
			"cfs parent (or below the hierarchies' roots with "
			"--absolute, without the leading slash)", name);
	if (!o->absolute)
		return name;
	if (*name == '/' || asprintf(&abs, "/%s", name) < 0)
		cfs_die(CFS_EXIT_FAILURE, 0, "--absolute %s: NAME without a "
			"leading slash", name);
	return abs;
}

/* The option of each limit of struct cfs_cgroup_limits. */
static const char *const option_of[] = {
	[CFS_CGROUP_MEMORY] = "--memory",
	[CFS_CGROUP_MEMORY_SWAP] = "--memory-swap",
	[CFS_CGROUP_MEMORY_HIGH] = "--memory-high",
	[CFS_CGROUP_PIDS] = "--pids",
	[CFS_CGROUP_CPUS] = "--cpus",
	[CFS_CGROUP_CPU_WEIGHT] = "--cpu-weight",
	[CFS_CGROUP_CPUSET_CPUS] = "--cpuset-cpus",
	[CFS_CGROUP_CPUSET_MEMS] = "--cpuset-mems",
	[CFS_CGROUP_IO_WEIGHT] = "--io-weight",
	[CFS_CGROUP_IO_MAX] = "--io-max",
	[CFS_CGROUP_SET] = "--set",
};

/* A failure of lib/cgroup, said in our words: the option of the limit it
 * is about ("--io-max 8:0:x: ..."), and what to do where we know. */
static void __attribute__((noreturn))
die_cgroup(const struct cfs_cgroup *cg, const struct cfs_err *e)
{
	const struct cfs_cgroup_fault *f = &cg->fault;
	const char *c = f->controller, *option = option_of[f->limit];

	switch (f->kind) {
	case CFS_CGROUP_FAULT_SWAP_ALONE:
		cfs_die(CFS_EXIT_FAILURE, 0, "--memory-swap: needs --memory on "
			"cgroup v1 (memory.memsw counts both)");
	case CFS_CGROUP_FAULT_SWAP_SUM:
		cfs_die(CFS_EXIT_FAILURE, 0, "cgroup " CFS_CGROUP_PARENT "/%s: "
			"--memory plus --memory-swap is more than 2^63-1 bytes",
			cg->name);
	case CFS_CGROUP_FAULT_EXISTS:
		cfs_die(CFS_EXIT_FAILURE, 0, "%s; use --reuse or choose another "
			"name", e->msg);
	case CFS_CGROUP_FAULT_V1_NOT_OURS:
		cfs_die(CFS_EXIT_FAILURE, e->errnum, "%s; run as root or use "
			"cgroup v2 with systemd delegation", e->msg);
	case CFS_CGROUP_FAULT_V2_NOT_OURS:
		cfs_die(CFS_EXIT_FAILURE, e->errnum, "%s; run as root or in a "
			"delegated one (systemd-run --user --scope -p "
			"Delegate=yes)", e->msg);
	case CFS_CGROUP_FAULT_NO_V1_CONTROLLER:
		cfs_die(CFS_EXIT_FAILURE, e->errnum, "%s: %s (mount one: mount -t "
			"cgroup -o %s cgroup /sys/fs/cgroup/%s)", option, e->msg,
			c, c);
	default:
		break;
	}
	if (option && f->arg)
		cfs_die(CFS_EXIT_FAILURE, e->errnum, "%s %s: %s", option, f->arg,
			e->msg);
	if (option)
		cfs_die(CFS_EXIT_FAILURE, e->errnum, "%s: %s", option, e->msg);
	cfs_die_err(e);
}

/* The least memory a process starts in, as docker has it: the chain of
 * EXAMPLES (cfs-unshare -umnipf, cfs-pivot, busybox sh -c true) started
 * in 640K on cgroup v1, 10 runs of 10 (552K: 8 of 10); below, a limit
 * only kills. */
#define MEMORY_FLOOR (6LL << 20)

static long long size_of(const char *option, const char *s, long long floor)
{
	long long v = -1;
	char size[32];

	if (s && cfs_parse_size(s, LLONG_MAX, &v))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"%s %s: not a size (a number of bytes, with an "
			"optional K, M, G or T)", option, s);
	if (s && v < floor)
		cfs_die(CFS_EXIT_FAILURE, 0, "%s %s: below %s, the least a "
			"process starts in", option, s,
			cfs_format_size(floor, size));
	return v;
}

static long number_of(const char *option, const char *s, long min, long max)
{
	long v = -1;

	if (s && cfs_parse_long(s, min, max, &v))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"%s %s: not a whole number from %ld to %ld", option, s,
			min, max);
	return v;
}

/* Every value checked, before anything is made. */
static void parse_limits(struct options *o)
{
	struct cfs_cgroup_limits *l = &o->limits;

	l->memory = size_of("--memory", o->memory, MEMORY_FLOOR);
	l->memory_swap = size_of("--memory-swap", o->memory_swap, 0);
	l->memory_high = size_of("--memory-high", o->memory_high, MEMORY_FLOOR);
	l->pids = number_of("--pids", o->pids, 1, INT_MAX);
	l->cpu_weight = number_of("--cpu-weight", o->cpu_weight, 1, 10000);
	l->io_weight = number_of("--io-weight", o->io_weight, 1, 10000);
	if (o->cpus && cfs_parse_fraction(o->cpus, 4096, &l->cpus))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--cpus %s: not a number of CPUs above 0 (0.5, 2)",
			o->cpus);
}

static bool has_limits(const struct options *o)
{
	const struct cfs_cgroup_limits *l = &o->limits;

	return o->memory || o->memory_swap || o->memory_high || o->pids ||
	       o->cpus || o->cpu_weight || o->io_weight || l->cpuset_cpus ||
	       l->cpuset_mems || l->io_max || l->set || o->exclusive;
}

/* One verb at a time, each with what it takes. */
static void check_verbs(const struct options *o, const char *name,
			const char **program)
{
	int verbs = !!o->targets + o->stats + o->list + o->delete;

	if (verbs > 1)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"-t, --stats, --list and --delete exclude each other");
	if (verbs && (o->wait || o->rm))
		cfs_die(CFS_EXIT_FAILURE, 0, "--%s runs a PROGRAM: not with "
			"-t, --stats, --list or --delete", o->rm ? "rm" : "wait");
	if ((o->stats || o->list || o->delete) && has_limits(o))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"limits go with a PROGRAM or -t, not --stats, --list "
			"or --delete");
	if (o->reuse && o->exclusive)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"--reuse and --exclusive exclude each other");
	if (o->reuse && verbs)
		cfs_die(CFS_EXIT_FAILURE, 0, "--reuse goes with a PROGRAM, not "
			"-t, --stats, --list or --delete");
	/* it would kill the processes of the run that made NAME */
	if (o->reuse && o->rm)
		cfs_die(CFS_EXIT_FAILURE, 0, "--rm deletes NAME and kills what "
			"runs in it: not with --reuse");
	if (o->json && !o->stats)
		cfs_die(CFS_EXIT_FAILURE, 0, "--json goes with --stats");
	if (o->list && name)
		cfs_die(CFS_EXIT_FAILURE, 0, "--list takes no NAME: %s", name);
	if (!o->list && !name)
		cfs_die(CFS_EXIT_FAILURE, 0, "no NAME given");
	if (verbs && *program)
		cfs_die(CFS_EXIT_FAILURE, 0, "%s takes no PROGRAM: %s",
			o->targets ? "-t" : o->stats ? "--stats" : "--delete",
			*program);
}

static void print_stat(const struct options *o, const char *key, long long v,
		       bool *first)
{
	if (o->json)
		printf("%s\n  \"%s\": ", *first ? "{" : ",", key);
	else if (v != -1)
		printf("%s ", key);
	if (v == CFS_CGROUP_UNLIMITED)
		printf(o->json ? "\"max\"" : "max\n");
	else if (v == -1 && o->json)
		printf("null");
	else if (v != -1)
		printf(o->json ? "%lld" : "%lld\n", v);
	*first = false;
}

static int stats(const struct options *o, struct cfs_cgroup *cg)
{
	struct cfs_cgroup_stats s;
	struct cfs_err e;
	bool first = true;

	if (cfs_cgroup_stats(cg, &s, &e))
		cfs_die_err(&e);
	print_stat(o, "memory_current", s.memory_current, &first);
	print_stat(o, "memory_peak", s.memory_peak, &first);
	print_stat(o, "memory_max", s.memory_max, &first);
	print_stat(o, "oom_kills", s.oom_kills, &first);
	print_stat(o, "pids_current", s.pids_current, &first);
	print_stat(o, "pids_max", s.pids_max, &first);
	print_stat(o, "pids_limit_hits", s.pids_limit_hits, &first);
	print_stat(o, "cpu_usage_usec", s.cpu_usage_usec, &first);
	print_stat(o, "cpu_quota_usec", s.cpu_quota_usec, &first);
	print_stat(o, "cpu_period_usec", s.cpu_period_usec, &first);
	if (o->json)
		printf("\n}\n");
	return fflush(stdout) ? CFS_EXIT_FAILURE : 0;
}

static int list(struct cfs_cgroup *cg)
{
	struct cfs_err e;
	char **names;
	int n;

	if (cfs_cgroup_list(cg, &names, &n, &e))
		cfs_die_err(&e);
	for (int i = 0; i < n; i++) {
		puts(names[i]);
		free(names[i]);
	}
	free(names);
	return fflush(stdout) ? CFS_EXIT_FAILURE : 0;
}

static void attach(const struct options *o, struct cfs_cgroup *cg)
{
	struct cfs_err e;

	for (const char **t = o->targets; *t; t++)
		number_of("-t", *t, 1, INT_MAX);
	if (cfs_cgroup_create(cg, o->exclusive, &e)) {
		if (cg->fault.kind == CFS_CGROUP_FAULT_EXISTS)
			cfs_die(CFS_EXIT_FAILURE, 0, "--exclusive: %s", e.msg);
		die_cgroup(cg, &e);
	}
	for (const char **t = o->targets; *t; t++)
		if (cfs_cgroup_attach(cg, atoi(*t), false, &e))
			cfs_die_err(&e);
}

/* Why the program's run ended, in one line, when it was not its own
 * choice: the counters of NAME before and after. */
static void report(const char *name, const struct cfs_cgroup_stats *b,
		   const struct cfs_cgroup_stats *a, int status)
{
	long long ooms = a->oom_kills - b->oom_kills,
		  forks = a->pids_limit_hits - b->pids_limit_hits;
	char size[32];

	if (b->oom_kills >= 0 && ooms > 0) {
		cfs_format_size(a->memory_max, size);
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			cfs_warn(0, "%s: killed by the OOM killer at the %s "
				 "memory limit", name, size);
		else
			cfs_warn(0, "%s: %lld process%s killed by the OOM "
				 "killer at the %s memory limit", name, ooms,
				 ooms > 1 ? "es" : "", size);
	}
	if (b->pids_limit_hits >= 0 && forks > 0)
		cfs_warn(0, "%s: %lld fork%s failed at the limit of %lld "
			 "process%s", name, forks, forks > 1 ? "s" : "",
			 a->pids_max, a->pids_max == 1 ? "" : "es");
	if (WIFSIGNALED(status) && ooms <= 0)
		cfs_warn(0, "%s: killed by signal %d (%s)", name,
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
}

/* --wait and --rm: PROGRAM in a child that moves itself in, then exec;
 * we stay outside, so that --rm can remove NAME once it is empty. */
static int run_and_wait(const struct options *o, struct cfs_cgroup *cg,
			const char **argv)
{
	struct cfs_cgroup_stats before = { 0 }, after = { 0 };
	struct cfs_err e;
	pid_t child = -1;
	int status, v2;

	/* a cgroup we have just made has every counter at 0 */
	if (cg->made_name != cg->use && cfs_cgroup_stats(cg, &before, &e))
		cfs_die_err(&e);
	/* Started in NAME's v2 cgroup where it has one (a write to v2's
	 * cgroup.procs waits for an RCU grace period): a fork, as clone3
	 * is not glibc's. Elsewhere spawned, with no copy of our memory. */
	v2 = cfs_cgroup_open_v2(cg);
	if (v2 >= 0 && (child = cfs_fork_forwarding_into(v2)) == 0) {
		if (cfs_cgroup_attach(cg, 0, true, &e))
			cfs_die_err(&e);
		cfs_exec(argv);
	}
	if (child < 0) {
		struct cfs_step *steps = cfs_cgroup_attach_steps(cg, &e);

		if (!steps)
			cfs_die_err(&e);
		if ((child = cfs_spawn(argv, steps)) < 0)
			cfs_die(CFS_EXIT_FAILURE, errno, "fork");
	}
	if (v2 >= 0)
		close(v2);
	status = cfs_wait_forwarding(child);
	if (cfs_cgroup_stats(cg, &after, &e) == 0)
		report(cg->name, &before, &after, status);
	if (o->rm && cfs_cgroup_delete(cg, &e))
		cfs_die_err(&e);
	return cfs_exit_code(status);
}

int main(int argc, const char **argv)
{
	struct options o = { 0 };
	struct cfs_cgroup_limits *l = &o.limits;
	struct poptOption options[] = {
		{ "memory", 'm', POPT_ARG_STRING, &o.memory, 0,
		  "memory limit (memory.max; v1 memory.limit_in_bytes)", "SIZE" },
		{ "memory-swap", 0, POPT_ARG_STRING, &o.memory_swap, 0,
		  "swap limit (memory.swap.max; v1 memsw, --memory plus SIZE)",
		  "SIZE" },
		{ "memory-high", 0, POPT_ARG_STRING, &o.memory_high, 0,
		  "memory throttling limit (memory.high, v2 only)", "SIZE" },
		{ "pids", 'p', POPT_ARG_STRING, &o.pids, 0,
		  "at most N processes and threads (pids.max)", "N" },
		{ "cpus", 0, POPT_ARG_STRING, &o.cpus, 0,
		  "at most FLOAT CPUs of time (cpu.max; v1 cfs_quota_us)",
		  "FLOAT" },
		{ "cpu-weight", 0, POPT_ARG_STRING, &o.cpu_weight, 0,
		  "CPU share, 1-10000, default 100 (cpu.weight; v1 cpu.shares)",
		  "N" },
		{ "cpuset-cpus", 0, POPT_ARG_STRING, &l->cpuset_cpus, 0,
		  "run on these CPUs only (cpuset.cpus)", "LIST" },
		{ "cpuset-mems", 0, POPT_ARG_STRING, &l->cpuset_mems, 0,
		  "use these memory nodes only (cpuset.mems)", "LIST" },
		{ "io-weight", 0, POPT_ARG_STRING, &o.io_weight, 0,
		  "I/O share, 1-10000 (io.weight; v1 blkio.weight)", "N" },
		{ "io-max", 0, POPT_ARG_ARGV, &l->io_max, 0,
		  "I/O limits of a device, KEY rbps wbps riops wiops (io.max; "
		  "v1 blkio.throttle)", "DEV:KEY=N,..." },
		{ "set", 0, POPT_ARG_ARGV, &l->set, 0,
		  "write VALUE to the cgroup's FILE (controller.name)",
		  "FILE=VALUE" },
		{ "exclusive", 'x', POPT_ARG_NONE, &o.exclusive, 0,
		  "with -t, refuse to join NAME if it exists", NULL },
		{ "reuse", 0, POPT_ARG_NONE, &o.reuse, 0,
		  "run PROGRAM in NAME even if it exists, its limits rewritten",
		  NULL },
		{ "wait", 'w', POPT_ARG_NONE, &o.wait, 0,
		  "run PROGRAM in a child, wait, say why it ended", NULL },
		{ "rm", 0, POPT_ARG_NONE, &o.rm, 0,
		  "like --wait, then delete NAME", NULL },
		{ "target", 't', POPT_ARG_ARGV, &o.targets, 0,
		  "move process PID into NAME instead of running a program",
		  "PID" },
		{ "stats", 0, POPT_ARG_NONE, &o.stats, 0,
		  "print the memory, pids and cpu numbers of NAME", NULL },
		{ "json", 0, POPT_ARG_NONE, &o.json, 0,
		  "print --stats as JSON", NULL },
		{ "list", 'l', POPT_ARG_NONE, &o.list, 0,
		  "list the cgroups under the cfs parent", NULL },
		{ "delete", 'd', POPT_ARG_NONE, &o.delete, 0,
		  "kill every process in NAME and remove it, children first",
		  NULL },
		{ "absolute", 0, POPT_ARG_NONE, &o.absolute, 0,
		  "NAME is below the root of each hierarchy, not the cfs "
		  "parent (an OCI absolute cgroupsPath)", NULL },
		CFS_OPTS_VERSION,
		POPT_AUTOHELP POPT_TABLEEND
	};
	poptContext ctx = cfs_popt_context(argc, argv, options);
	const char **args, *name;
	struct cfs_cgroup *cg = calloc(1, sizeof(*cg));
	struct cfs_err e;
	int rc;

	poptSetOtherOptionHelp(ctx, "[OPTION...] NAME [--] [PROGRAM [ARG...]]");
	while ((rc = poptGetNextOpt(ctx)) > 0)
		if (rc == CFS_OPT_VERSION)
			cfs_print_version();
	cfs_popt_check(ctx, rc);
	args = cfs_popt_args(ctx);
	name = *args ? *args++ : NULL;
	if (*args && !strcmp(*args, "--"))
		args++;
	check_verbs(&o, name, args);
	parse_limits(&o);
	if (!cg)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "start");

	if (cfs_cgroup_open(cg, lib_name(&o, name), "", &e) ||
	    cfs_cgroup_plan(cg, l, &e))
		die_cgroup(cg, &e);
	if (o.stats)
		exit(stats(&o, cg));
	if (o.list)
		exit(list(cg));
	if (o.delete) {
		if (cfs_cgroup_delete(cg, &e))
			cfs_die_err(&e);
		exit(0);
	}
	if (o.targets) {
		attach(&o, cg);
		exit(0);
	}
	if (cfs_cgroup_create(cg, !o.reuse, &e))
		die_cgroup(cg, &e);
	args = cfs_program_or_shell(args);
	if (o.wait || o.rm)
		exit(run_and_wait(&o, cg, args));
	if (cfs_cgroup_attach(cg, 0, false, &e))
		cfs_die_err(&e);
	cfs_exec(args);
}
