/* SPDX-License-Identifier: GPL-2.0-or-later */
/* floor: the least a container start can cost: unshare the same five
 * namespaces as the benchmark's chains (uts pid mount ipc net), fork,
 * exec ROOT/bin/true, wait. No mounts, no pivot: a floor, not a container.
 *
 *   floor ROOT */
#define _GNU_SOURCE
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	int status;
	pid_t pid;

	if (argc != 2)
		return 2;
	snprintf(path, sizeof(path), "%s/bin/true", argv[1]);
	if (unshare(CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC |
		    CLONE_NEWNET) < 0)
		return perror("unshare"), 1;
	pid = fork();
	if (pid == 0) {
		execl(path, "true", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
