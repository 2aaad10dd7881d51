/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe: prints, from inside a container, what a test asserts on.
 * Static, so that any rootfs runs it (bind it in: --bind PROBE:/probe).
 *
 *   probe fds    the open file descriptors, one number a line
 *   probe ns     TYPE INODE a line, for our namespaces
 *   probe pid    our PID and our parent's, as this PID namespace sees them
 *   probe dropcaps PROGRAM [ARG...]
 *                drop CAP_SYS_PTRACE and CAP_SYS_ADMIN from every set (the
 *                bounding one too), set no_new_privs, exec PROGRAM: a
 *                container's PID 1 that cannot trace what enters it
 *   probe open-exe COMM SECONDS
 *                for up to SECONDS, look for processes named COMM; for
 *                each, print "seen N", then try to open /proc/N/exe
 *                (O_RDONLY, then O_PATH): "opened N FLAGS" or "open N
 *                FLAGS: REASON". Stops once it has tried one.
 *   probe filter PID
 *                  PID's newest seccomp filter, an instruction a line
 *                  (PTRACE_SECCOMP_GET_FILTER: run it on the host)
 *   probe keyring  the serial of our session keyring
 *   probe sid      our session ID, as this PID namespace sees it (0: a
 *                  session led from outside it)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
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

/* Raw syscalls: the probe is static, without libcap-ng. */
static int dropcaps(char **argv)
{
	static const int drop[] = { CAP_SYS_PTRACE, CAP_SYS_ADMIN };
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return perror("capget"), 1;
	for (size_t i = 0; i < sizeof(drop) / sizeof(*drop); i++) {
		unsigned w = drop[i] / 32, bit = 1u << (drop[i] % 32);

		if (prctl(PR_CAPBSET_DROP, drop[i], 0, 0, 0) < 0)
			return perror("PR_CAPBSET_DROP"), 1;
		d[w].effective &= ~bit;
		d[w].permitted &= ~bit;
		d[w].inheritable &= ~bit;
	}
	if (syscall(SYS_capset, &h, d) < 0)
		return perror("capset"), 1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return perror("PR_SET_NO_NEW_PRIVS"), 1;
	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
}

static void try_open(const char *pid, int flags, const char *name)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/exe", pid);
	fd = open(path, flags | O_CLOEXEC);
	if (fd >= 0) {
		printf("opened %s %s\n", pid, name);
		close(fd);
	} else {
		printf("open %s %s: %s\n", pid, name, strerror(errno));
	}
}

static int open_exe(const char *comm, int seconds)
{
	time_t end = time(NULL) + seconds;
	int tried = 0;

	while (!tried && time(NULL) < end) {
		DIR *d = opendir("/proc");
		struct dirent *e;

		if (!d)
			return perror("/proc"), 1;
		while ((e = readdir(d))) {
			char path[300], name[64] = "";
			FILE *f;

			if (e->d_name[0] < '1' || e->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
			if (!(f = fopen(path, "re")))
				continue;
			if (fgets(name, sizeof(name), f))
				name[strcspn(name, "\n")] = '\0';
			fclose(f);
			if (strcmp(name, comm))
				continue;
			printf("seen %s\n", e->d_name);
			try_open(e->d_name, O_RDONLY, "O_RDONLY");
			try_open(e->d_name, O_PATH, "O_PATH");
			tried = 1;
		}
		closedir(d);
		fflush(stdout);
		usleep(10000);
	}
	return 0;
}

static int filter(pid_t pid)
{
	struct sock_filter insn[4096];
	long n;
	int st;

	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0 ||
	    ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0 ||
	    waitpid(pid, &st, __WALL) < 0)
		return perror("attach"), 1;
	n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, insn);
	ptrace(PTRACE_DETACH, pid, 0, 0);
	if (n < 0)
		return perror("PTRACE_SECCOMP_GET_FILTER"), 1;
	for (long i = 0; i < n; i++)
		printf("%04x %u %u %08x\n", insn[i].code, insn[i].jt, insn[i].jf,
		       insn[i].k);
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
	if (argc > 2 && !strcmp(argv[1], "dropcaps"))
		return dropcaps(argv + 2);
	if (argc == 3 && !strcmp(argv[1], "filter"))
		return filter(atoi(argv[2]));
	if (argc == 2 && !strcmp(argv[1], "keyring")) {
		long id = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
				  KEY_SPEC_SESSION_KEYRING, 0);
		if (id < 0)
			perror("keyctl");
		return id < 0 || printf("%ld\n", id) < 0;
	}
	if (argc == 2 && !strcmp(argv[1], "sid"))
		return printf("%d\n", getsid(0)) < 0;
	if (argc == 4 && !strcmp(argv[1], "open-exe"))
		return open_exe(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: probe fds|ns|pid|dropcaps PROGRAM...|"
			"open-exe COMM SECONDS|keyring|sid|filter PID\n");
	return 2;
}
