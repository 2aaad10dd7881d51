/* SPDX-License-Identifier: GPL-2.0-or-later */
/* timeit: run commands interleaved, many times, and print per command the
 * median, 10th and 90th percentile wall time in ms and the peak RSS in KiB
 * of its process tree (wait4's ru_maxrss: the largest process of the tree,
 * over its execs).
 *
 *   timeit RUNS WARMUP NAME CMD [ARG...] ::: NAME CMD [ARG...] ::: ...
 *
 * Interleaving (run 1 of each command, in a shuffled order, then run 2 of
 * each, ...) makes the ratios between commands stable on a shared machine
 * even when the absolute numbers move. Each command's output goes to
 * /dev/null; one that fails stops the run: a failing command's time means
 * nothing.
 * Output: "NAME MEDIAN P10 P90 MAXRSS" a line. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct cmd {
	const char *name;
	char **argv;
	double *ms;
	long maxrss;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double run(struct cmd *c)
{
	struct rusage ru;
	double t0 = now_ms();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		execvp(c->argv[0], c->argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
		perror("timeit: fork");
		exit(2);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "timeit: %s failed (status %d)\n", c->name, status);
		exit(1);
	}
	if (ru.ru_maxrss > c->maxrss)
		c->maxrss = ru.ru_maxrss;
	return now_ms() - t0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct cmd cmds[32];
	int n = 0, runs, warmup;

	if (argc < 5) {
		fprintf(stderr, "usage: timeit RUNS WARMUP NAME CMD... [::: NAME CMD...]\n");
		return 2;
	}
	runs = atoi(argv[1]);
	warmup = atoi(argv[2]);
	for (int i = 3; i < argc && n < 32; n++) {
		cmds[n] = (struct cmd){ .name = argv[i], .argv = &argv[i + 1] };
		cmds[n].ms = calloc(runs, sizeof(double));
		for (i++; i < argc && strcmp(argv[i], ":::"); i++)
			;
		if (i < argc)
			argv[i++] = NULL;
	}
	for (int r = 0; r < warmup; r++)
		for (int c = 0; c < n; c++)
			run(&cmds[c]);
	/* Each round in a new order: a run pays for what the kernel still
	 * does after the one before (a network namespace is freed by a
	 * worker, after the process has gone), so no command may always
	 * follow the same one. The same orders on every run of timeit. */
	srandom(1);
	for (int r = 0; r < runs; r++) {
		int order[32];

		for (int k = 0; k < n; k++)
			order[k] = k;
		for (int k = n - 1; k > 0; k--) {
			int j = random() % (k + 1), t = order[k];

			order[k] = order[j];
			order[j] = t;
		}
		for (int k = 0; k < n; k++)
			cmds[order[k]].ms[r] = run(&cmds[order[k]]);
	}
	for (int c = 0; c < n; c++) {
		qsort(cmds[c].ms, runs, sizeof(double), cmp);
		printf("%s %.3f %.3f %.3f %ld\n", cmds[c].name,
		       cmds[c].ms[runs / 2], cmds[c].ms[runs / 10],
		       cmds[c].ms[runs * 9 / 10], cmds[c].maxrss);
	}
	return 0;
}
