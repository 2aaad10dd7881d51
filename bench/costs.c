/* SPDX-License-Identifier: GPL-2.0-or-later */
/* costs: what the machine charges for the steps a container start is made
 * of, so that a table taken on one machine can be read against another's:
 * an anonymous page fault, a system call, a fork (a copy of our page
 * tables) against a vfork, and a fork, exec and wait of a static program.
 * Each is the median of 200 tries.
 *
 *   costs PROGRAM      (PROGRAM: a static one that exits at once) */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { TRIES = 200 };

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A child that exits at once, made by vfork: our memory is not copied */
static pid_t vfork_exit(void)
{
	pid_t pid = vfork();

	if (pid == 0)
		_exit(0);
	return pid;
}

static double median(double *us)
{
	qsort(us, TRIES, sizeof(*us), cmp);
	return us[TRIES / 2];
}

int main(int argc, char **argv)
{
	double fault[TRIES], call[TRIES], fork_[TRIES], vfork_[TRIES],
		exec[TRIES], t;
	char *page;
	pid_t pid;

	if (argc != 2)
		return 2;
	for (int i = 0; i < TRIES; i++) {
		page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED)
			return 1;
		t = now_us();
		*(volatile char *)page = 1;
		fault[i] = now_us() - t;
		munmap(page, 4096);

		t = now_us();
		syscall(SYS_getppid);
		call[i] = now_us() - t;

		t = now_us();
		if ((pid = fork()) == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
		fork_[i] = now_us() - t;

		t = now_us();
		waitpid(vfork_exit(), NULL, 0);
		vfork_[i] = now_us() - t;

		t = now_us();
		if ((pid = fork()) == 0) {
			execl(argv[1], argv[1], (char *)NULL);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
		exec[i] = now_us() - t;
	}
	printf("a page fault %.1f us, a system call %.2f us, fork and exit "
	       "%.2f ms (vfork %.2f ms), fork, exec and exit of a static "
	       "program %.2f ms\n",
	       median(fault), median(call), median(fork_) / 1e3,
	       median(vfork_) / 1e3, median(exec) / 1e3);
	return 0;
}
