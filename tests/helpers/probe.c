/* probe: prints, from inside a container, what a test asserts on.
 * Static, so that any rootfs runs it (bind it in: --bind PROBE:/probe).
 *
 *   probe fds    the open file descriptors, one number a line
 *   probe ns     TYPE INODE a line, for our namespaces
 *   probe pid    our PID and our parent's, as this PID namespace sees them
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d)
		return perror("/proc/self/fd"), 1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
			printf("%s\n", e->d_name);
	closedir(d);
	return 0;
}

static int ns(void)
{
	static const char *types[] = { "cgroup", "ipc", "mnt", "net",
				       "pid",	 "time", "user", "uts" };
	char path[64];
	struct stat st;

	for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", types[i]);
		if (stat(path, &st) == 0)
			printf("%s %lu\n", types[i], (unsigned long)st.st_ino);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "fds"))
		return fds();
	if (argc == 2 && !strcmp(argv[1], "ns"))
		return ns();
	if (argc == 2 && !strcmp(argv[1], "pid"))
		return printf("%d %d\n", getpid(), getppid()) < 0;
	fprintf(stderr, "usage: probe fds|ns|pid\n");
	return 2;
}
