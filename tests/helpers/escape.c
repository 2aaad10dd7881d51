/* SPDX-License-Identifier: GPL-2.0-or-later */
/* escape: tries, from inside a container, one way out per subcommand, with
 * the raw syscall, and says what the kernel answered: "OK" (exit 0) or
 * "ERR ENAME" (exit 1); a step of several is named first ("chroot x OK").
 * Static, so that any rootfs runs it (bind it in: --bind ESCAPE:/escape).
 * tests/escape.bats asserts on each answer.
 *
 * The calls that could harm the machine (reboot, kexec, module loading,
 * clock setting) are made only when the kernel must refuse them whatever
 * any seccomp filter does: without the capability they need in our
 * effective and permitted sets. Otherwise they print "UNSAFE CAP_..." and
 * exit 3 without calling anything: run as root on the host, they do
 * nothing. Their arguments are harmless besides (a bad magic number, too
 * many segments, an empty module). Never add one without both guards.
 *
 *   open PATH r|w        open PATH for reading or writing, write nothing
 *   read PATH            read PATH to its end (at most 64 KiB): "OK BYTES"
 *   write PATH TEXT      write TEXT at the start of PATH (no O_CREAT)
 *   dotdot PATH          chdir("..") 64 times from /, then open PATH
 *                        relative to where that ends
 *   chroot-break PATH    mkdir x; chroot x; chdir ../../..; chroot .; open
 *                        PATH
 *   fds                  "FD TARGET" for each open fd
 *   ns-scan              every namespace any visible process is in
 *   mount DIR            mount a tmpfs on DIR
 *   umount DIR           unmount DIR (MNT_DETACH)
 *   pivot-root           pivot_root(".", ".") in /
 *   fsopen, open-tree    the new mount API: a tmpfs context, a clone of /
 *   mknod-read PATH MAJOR MINOR
 *                        make a block device node, open it, read 512
 *                        bytes, remove it
 *   init-module, finit-module, kexec, reboot, settimeofday, clock-settime
 *                        guarded as said above
 *   sethostname NAME, setdomainname NAME
 *   swapon, syslog       swapon of a missing file; the kernel log's size
 *   shmget KEY           the System V shared memory segment KEY (hex)
 *   kill PID             SIGKILL
 *   ptrace-attach PID, ptrace-seize PID (detached at once)
 *   pidfd-open PID
 *   unshare-user         unshare(CLONE_NEWUSER), then with its capabilities
 *                        sethostname and a mount (neither is its to do)
 *   clone-user, clone3-user
 *                        a child in a new user namespace
 *   setns PATH           join the namespace of the file PATH
 *   tiocsti TEXT         push TEXT into the input of the terminal on fd 0
 *   sctty [SUBCOMMAND [ARG...]]
 *                        make the terminal on fd 0 our controlling one, then
 *                        (whatever the answer) run SUBCOMMAND in this process
 *   pty-run PROGRAM...   (on the host) run PROGRAM with a new pty as its
 *                        controlling terminal, copy what it writes there,
 *                        then say what a shell reading that terminal next
 *                        would read: "host read: TEXT" or "host read
 *                        nothing"
 *   ids                  "uid R E S gid R E S"
 *   setuid0              setuid(0)
 *   open-by-handle       open_by_handle_at of inode 2 of /'s filesystem
 *                        (the "shocker" escape)
 *   bpf, perf, userfaultfd, add-key
 *   keyctl [user]        the id of our session (or user) keyring: "OK ID"
 *   ptrace-keyctl COMM SECONDS
 *                        wait up to SECONDS for another process named COMM,
 *                        trace it, and turn its next syscall into
 *                        keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING):
 *                        its seccomp filter, not ours, decides: "OK ID" or
 *                        "ERR ENAME"
 *   ptrace-tiocsti COMM SECONDS TEXT
 *                        the same, with ioctl(0, TIOCSTI) for each character
 *                        of TEXT: its terminal, not ours (x86_64 only)
 *   i386-keyctl          keyctl through the i386 ABI (int $0x80)
 *   exe-write            open /proc/self/exe for writing (CVE-2019-5736)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* Print what the call just made answered; 0 if it succeeded, else 1. */
static int report(const char *step, long rc)
{
	int e = errno;

	if (step)
		printf("%s ", step);
	if (rc >= 0)
		printf("OK\n");
	else
		printf("ERR %s\n", strerrorname_np(e) ? strerrorname_np(e) : "?");
	fflush(stdout);
	return rc < 0;
}

static void need_no_cap(int cap, const char *name)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0) {
		perror("capget");
		exit(2);
	}
	if ((d[cap / 32].effective | d[cap / 32].permitted) & (1u << cap % 32)) {
		printf("UNSAFE %s\n", name);
		exit(3);
	}
}

static int open_path(const char *path, const char *mode)
{
	int fd = open(path, (*mode == 'w' ? O_WRONLY : O_RDONLY) | O_CLOEXEC);

	return report(NULL, fd);
}

static int read_path(const char *path)
{
	char buf[4096];
	long total = 0, n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return report(NULL, fd);
	while (total < 65536 && (n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	if (n < 0)
		return report(NULL, n);
	printf("OK %ld\n", total);
	return 0;
}

static int write_path(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return report(NULL, fd);
	return report(NULL, write(fd, text, strlen(text)));
}

static int dotdot(const char *path)
{
	if (chdir("/") < 0)
		return report("chdir /", -1);
	for (int i = 0; i < 64; i++)
		if (chdir("..") < 0)
			return report("chdir ..", -1);
	return report("open", open(path + (*path == '/'), O_RDONLY | O_CLOEXEC));
}

/* Cleaned up through fds, which work from whichever root we end in. */
static int chroot_break(const char *path)
{
	char dir[] = "/tmp/escape-chroot.XXXXXX";
	int tmp = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC), d, rc;

	if (tmp < 0 || !mkdtemp(dir))
		return report("mkdtemp", -1);
	d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d < 0 || fchdir(d) < 0 || mkdir("x", 0700) < 0)
		return report("mkdir", -1);
	/* our working directory stays outside the new root */
	if (!report("chroot x", chroot("x"))) {
		for (int i = 0; i < 64; i++)
			if (chdir("..") < 0)
				break;
		report("chroot .", chroot("."));
	}
	rc = report("open", open(path, O_RDONLY | O_CLOEXEC));
	unlinkat(d, "x", AT_REMOVEDIR);
	unlinkat(tmp, dir + strlen("/tmp/"), AT_REMOVEDIR);
	return rc;
}

static int fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d)
		return report("opendir", -1);
	while ((e = readdir(d))) {
		char path[300], target[4096] = "";

		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		if (readlink(path, target, sizeof(target) - 1) < 0)
			strcpy(target, "?");
		printf("%s %s\n", e->d_name, target);
	}
	closedir(d);
	return 0;
}

static int ns_scan(void)
{
	DIR *p = opendir("/proc");
	struct dirent *e, *n;

	if (!p)
		return report("opendir", -1);
	while ((e = readdir(p))) {
		char path[300], file[600], target[64];
		ssize_t len;
		DIR *d;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns", e->d_name);
		if (!(d = opendir(path)))
			continue;
		while ((n = readdir(d))) {
			snprintf(file, sizeof(file), "%s/%s", path, n->d_name);
			len = readlink(file, target, sizeof(target) - 1);
			if (len > 0)
				printf("%.*s\n", (int)len, target);
		}
		closedir(d);
	}
	closedir(p);
	return 0;
}

static int mknod_read(const char *path, const char *major, const char *minor)
{
	char buf[512];
	int fd, rc;

	if (report("mknod", mknod(path, S_IFBLK | 0600,
				  makedev(atoi(major), atoi(minor)))))
		return 1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	rc = report("open", fd);
	if (!rc)
		rc = report("read", read(fd, buf, sizeof(buf)));
	unlink(path);
	return rc;
}

static int set_time(int clock)
{
	struct timespec ts;
	struct timeval tv;
	long rc;

	need_no_cap(CAP_SYS_TIME, "CAP_SYS_TIME");
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 3600;
	tv = (struct timeval){ ts.tv_sec, ts.tv_nsec / 1000 };
	rc = clock ? syscall(SYS_clock_settime, CLOCK_REALTIME, &ts)
		   : syscall(SYS_settimeofday, &tv, NULL);
	if (rc == 0) { /* cannot happen: put the hour back */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec -= 3600;
		syscall(SYS_clock_settime, CLOCK_REALTIME, &ts);
	}
	return report(NULL, rc);
}

static int dangerous(const char *what)
{
	static const char empty[64];

	if (!strcmp(what, "reboot")) {
		need_no_cap(CAP_SYS_BOOT, "CAP_SYS_BOOT");
		/* a wrong second magic number: EINVAL even where allowed */
		return report(NULL, syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, 0,
					    LINUX_REBOOT_CMD_CAD_OFF, NULL));
	}
	if (!strcmp(what, "kexec")) {
		need_no_cap(CAP_SYS_BOOT, "CAP_SYS_BOOT");
		/* an unknown flag and too many segments: EINVAL */
		return report(NULL, syscall(SYS_kexec_load, 0, 1000, NULL,
					    0x8000));
	}
	need_no_cap(CAP_SYS_MODULE, "CAP_SYS_MODULE");
	if (!strcmp(what, "init-module")) /* too short: ENOEXEC */
		return report(NULL, syscall(SYS_init_module, empty, 0, ""));
	/* no such fd, unknown flags: EBADF or EINVAL */
	return report(NULL, syscall(SYS_finit_module, -1, "", 0x4000));
}

static int ptrace_host(const char *how, pid_t pid)
{
	long rc = ptrace(strcmp(how, "seize") ? PTRACE_ATTACH : PTRACE_SEIZE,
			 pid, NULL, NULL);
	int e = errno;

	if (rc == 0) { /* let it go at once */
		if (strcmp(how, "seize"))
			waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
	}
	errno = e;
	return report(NULL, rc);
}

static void print_caps(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			printf("caps %s", line + 8);
	if (f)
		fclose(f);
}

/* A new user namespace hands us every capability, over what it owns:
 * nothing the container had. */
static int unshare_user(void)
{
	if (report("unshare", unshare(CLONE_NEWUSER)))
		return 1;
	print_caps();
	report("sethostname", sethostname("escaped", 7));
	return report("mount", mount("tmpfs", "/tmp", "tmpfs", 0, NULL));
}

struct clone_args0 { /* struct clone_args, CLONE_ARGS_SIZE_VER0 */
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack,
		stack_size, tls;
};

static int clone_user(int v3)
{
	struct clone_args0 a = { .flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };
	long pid = v3 ? syscall(SYS_clone3, &a, sizeof(a))
		      : syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL,
				NULL, NULL);

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return report(NULL, pid);
}

static int setns_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return report("open", fd);
	return report("setns", setns(fd, 0));
}

static int tiocsti(const char *text)
{
	for (const char *c = text; *c; c++)
		if (ioctl(0, TIOCSTI, c) < 0)
			return report(NULL, -1);
	return report(NULL, 0);
}

static void copy(int from)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(from, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	fflush(stdout);
}

static int pty_run(char **argv)
{
	struct termios t;
	struct pollfd p;
	char buf[256];
	int m, s, status;
	ssize_t n;
	pid_t pid;

	m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
		return perror("pty"), 2;
	s = open(ptsname(m), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0 || tcgetattr(s, &t) < 0)
		return perror("pty"), 2;
	cfmakeraw(&t); /* no echo: only what is typed stays in the input */
	tcsetattr(s, TCSANOW, &t);
	if ((pid = fork()) < 0)
		return perror("fork"), 2;
	if (pid == 0) {
		if (setsid() < 0 || ioctl(s, TIOCSCTTY, 0) < 0 ||
		    dup2(s, 0) < 0 || dup2(s, 1) < 0 || dup2(s, 2) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	fcntl(m, F_SETFL, O_NONBLOCK);
	p = (struct pollfd){ .fd = m, .events = POLLIN };
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (poll(&p, 1, 100) > 0)
			copy(m);
	}
	copy(m);
	fcntl(s, F_SETFL, O_NONBLOCK);
	n = read(s, buf, sizeof(buf));
	if (n > 0)
		printf("host read: %.*s\n", (int)n, buf);
	else
		printf("host read nothing\n");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int ids(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	printf("uid %u %u %u gid %u %u %u\n", r, e, s, gr, ge, gs);
	return 0;
}

static int open_by_handle(void)
{
	struct file_handle *h = calloc(1, sizeof(*h) + 8);
	uint32_t ino_gen[2] = { 2, 0 }; /* FILEID_INO32_GEN: the fs root */
	int root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (!h || root < 0)
		return report("open /", -1);
	h->handle_bytes = 8;
	h->handle_type = 1;
	memcpy(h->f_handle, ino_gen, 8);
	return report(NULL, open_by_handle_at(root, h, O_RDONLY | O_CLOEXEC));
}

static int perf(void)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(a),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.disabled = 1,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};

	return report(NULL, syscall(SYS_perf_event_open, &a, 0, -1, -1, 0));
}

static int bpf(void)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a)); /* no map type: EINVAL where allowed */
	return report(NULL, syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a)));
}

static int keyctl(int user)
{
	long id = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
			  user ? KEY_SPEC_USER_KEYRING : KEY_SPEC_SESSION_KEYRING,
			  0);

	if (id < 0)
		return report(NULL, id);
	printf("OK %ld\n", id);
	return 0;
}

#ifdef __x86_64__
static pid_t find_comm(const char *comm, int seconds)
{
	time_t end = time(NULL) + seconds;

	do {
		DIR *d = opendir("/proc");
		struct dirent *e;
		pid_t found = 0;

		while (d && !found && (e = readdir(d))) {
			char path[300], name[64] = "";
			FILE *f;

			if (atoi(e->d_name) <= 0 || atoi(e->d_name) == getpid())
				continue;
			snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
			if (!(f = fopen(path, "re")))
				continue;
			if (fgets(name, sizeof(name), f))
				name[strcspn(name, "\n")] = '\0';
			fclose(f);
			if (!strcmp(name, comm))
				found = atoi(e->d_name);
		}
		if (d)
			closedir(d);
		if (found)
			return found;
		usleep(50000);
	} while (time(NULL) < end);
	return 0;
}

/* Resume PID to its next syscall entry or exit; its registers there. */
static int next_syscall_stop(pid_t pid, struct user_regs_struct *r)
{
	int st;

	do {
		if (ptrace(PTRACE_SYSCALL, pid, NULL, NULL) < 0 ||
		    waitpid(pid, &st, __WALL) < 0 || !WIFSTOPPED(st))
			return -1;
	} while (WSTOPSIG(st) != (SIGTRAP | 0x80));
	return ptrace(PTRACE_GETREGS, pid, NULL, r);
}

/* Trace the first other process named COMM, up to SECONDS from now, and
 * stop it at its next syscall entry, with registers AT; 0 if none. */
static pid_t trace(const char *comm, int seconds, struct user_regs_struct *at)
{
	pid_t pid = find_comm(comm, seconds);
	int st;

	if (!pid)
		return printf("no %s\n", comm), 0;
	if (report("seize", ptrace(PTRACE_SEIZE, pid, NULL,
				   PTRACE_O_TRACESYSGOOD)))
		return 0;
	if (ptrace(PTRACE_INTERRUPT, pid, NULL, NULL) < 0 ||
	    waitpid(pid, &st, __WALL) < 0 || next_syscall_stop(pid, at) < 0)
		return report("stop", -1), 0;
	return pid;
}

/* PID, stopped at the syscall entry AT, makes NR(A, B, C) instead, then
 * is rewound to make its own call again: stopped at that entry once
 * more. 0 and the result of NR in *RC (-EPERM is a result), or -1 with
 * errno for a failed ptrace. */
static int inject(pid_t pid, const struct user_regs_struct *at, long *rc,
		  long nr, long a, long b, long c)
{
	struct user_regs_struct r = *at;

	r.orig_rax = nr;
	r.rdi = a;
	r.rsi = b;
	r.rdx = c;
	if (ptrace(PTRACE_SETREGS, pid, NULL, &r) < 0 ||
	    next_syscall_stop(pid, &r) < 0)
		return -1;
	*rc = r.rax;
	r = *at;
	r.rip -= 2; /* the syscall instruction */
	r.rax = at->orig_rax;
	if (ptrace(PTRACE_SETREGS, pid, NULL, &r) < 0 ||
	    next_syscall_stop(pid, &r) < 0)
		return -1;
	return 0;
}

/* The answer of an injected call: "OK [VALUE]" or "ERR ENAME". */
static int injected(long rc, int value)
{
	if (rc < 0) {
		errno = -rc;
		return report(NULL, -1);
	}
	if (value)
		printf("OK %ld\n", rc);
	else
		printf("OK\n");
	return 0;
}

static int ptrace_keyctl(const char *comm, int seconds)
{
	struct user_regs_struct at;
	pid_t pid = trace(comm, seconds, &at);
	long rc;

	if (!pid)
		return 1;
	if (inject(pid, &at, &rc, SYS_keyctl, KEYCTL_GET_KEYRING_ID,
		   KEY_SPEC_USER_KEYRING, 0) < 0)
		return report("inject", -1);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return injected(rc, 1);
}

/* Each character of TEXT, written below the tracee's stack pointer,
 * pushed by ioctl(0, TIOCSTI) made by the tracee. */
static int ptrace_tiocsti(const char *comm, int seconds, const char *text)
{
	struct user_regs_struct at;
	pid_t pid = trace(comm, seconds, &at);
	unsigned long addr = (at.rsp - 1024) & ~7UL;
	long rc = 0;

	if (!pid)
		return 1;
	for (const char *c = text; *c && rc == 0; c++) {
		if (ptrace(PTRACE_POKEDATA, pid, addr, (long)*c) < 0)
			return report("poke", -1);
		if (inject(pid, &at, &rc, SYS_ioctl, 0, TIOCSTI, addr) < 0)
			return report("inject", -1);
	}
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return injected(rc, 0);
}
#else
static int ptrace_keyctl(const char *comm, int seconds)
{
	(void)comm, (void)seconds;
	errno = ENOSYS;
	return report(NULL, -1);
}

static int ptrace_tiocsti(const char *comm, int seconds, const char *text)
{
	(void)text;
	return ptrace_keyctl(comm, seconds);
}
#endif

static int i386_keyctl(void)
{
#ifdef __x86_64__
	long rc;

	/* i386's keyctl is 288; its arguments fit in 32 bits */
	__asm__ volatile("int $0x80"
			 : "=a"(rc)
			 : "a"(288L), "b"((long)KEYCTL_GET_KEYRING_ID),
			   "c"((long)KEY_SPEC_SESSION_KEYRING), "d"(0L)
			 : "memory", "r8", "r9", "r10", "r11");
	if (rc < 0 && rc > -4096) {
		errno = -rc;
		return report(NULL, -1);
	}
	printf("OK %ld\n", rc);
	return 0;
#else
	errno = ENOSYS;
	return report(NULL, -1);
#endif
}

static int run(int argc, char **argv)
{
	const char *c = argv[1], *a = argv[2], *b = argc > 3 ? argv[3] : NULL;

	if (argc == 4 && !strcmp(c, "open"))
		return open_path(a, b);
	if (argc == 3 && !strcmp(c, "read"))
		return read_path(a);
	if (argc == 4 && !strcmp(c, "write"))
		return write_path(a, b);
	if (argc == 3 && !strcmp(c, "dotdot"))
		return dotdot(a);
	if (argc == 3 && !strcmp(c, "chroot-break"))
		return chroot_break(a);
	if (argc == 2 && !strcmp(c, "fds"))
		return fds();
	if (argc == 2 && !strcmp(c, "ns-scan"))
		return ns_scan();
	if (argc == 3 && !strcmp(c, "mount"))
		return report(NULL, mount("tmpfs", a, "tmpfs", 0, "size=64k"));
	if (argc == 3 && !strcmp(c, "umount"))
		return report(NULL, umount2(a, MNT_DETACH));
	if (argc == 2 && !strcmp(c, "pivot-root"))
		return chdir("/") < 0 ? report("chdir", -1)
				      : report(NULL, syscall(SYS_pivot_root,
							     ".", "."));
	if (argc == 2 && !strcmp(c, "fsopen"))
		return report(NULL, syscall(SYS_fsopen, "tmpfs", 0));
	if (argc == 2 && !strcmp(c, "open-tree"))
		return report(NULL, syscall(SYS_open_tree, AT_FDCWD, "/",
					    OPEN_TREE_CLONE));
	if (argc == 5 && !strcmp(c, "mknod-read"))
		return mknod_read(a, b, argv[4]);
	if (argc == 2 && (!strcmp(c, "reboot") || !strcmp(c, "kexec") ||
			  !strcmp(c, "init-module") ||
			  !strcmp(c, "finit-module")))
		return dangerous(c);
	if (argc == 2 && !strcmp(c, "settimeofday"))
		return set_time(0);
	if (argc == 2 && !strcmp(c, "clock-settime"))
		return set_time(1);
	if (argc == 3 && !strcmp(c, "sethostname"))
		return report(NULL, sethostname(a, strlen(a)));
	if (argc == 3 && !strcmp(c, "setdomainname"))
		return report(NULL, setdomainname(a, strlen(a)));
	if (argc == 2 && !strcmp(c, "swapon"))
		return report(NULL, syscall(SYS_swapon, "/no-such-swap", 0));
	if (argc == 2 && !strcmp(c, "syslog")) /* SYSLOG_ACTION_SIZE_BUFFER */
		return report(NULL, syscall(SYS_syslog, 10, NULL, 0));
	if (argc == 3 && !strcmp(c, "shmget"))
		return report(NULL, shmget(strtol(a, NULL, 16), 0, 0));
	if (argc == 3 && !strcmp(c, "kill"))
		return report(NULL, kill(atoi(a), SIGKILL));
	if (argc == 3 && !strcmp(c, "ptrace-attach"))
		return ptrace_host("attach", atoi(a));
	if (argc == 3 && !strcmp(c, "ptrace-seize"))
		return ptrace_host("seize", atoi(a));
	if (argc == 3 && !strcmp(c, "pidfd-open"))
		return report(NULL, syscall(SYS_pidfd_open, atoi(a), 0));
	if (argc == 2 && !strcmp(c, "unshare-user"))
		return unshare_user();
	if (argc == 2 && !strcmp(c, "clone-user"))
		return clone_user(0);
	if (argc == 2 && !strcmp(c, "clone3-user"))
		return clone_user(1);
	if (argc == 3 && !strcmp(c, "setns"))
		return setns_path(a);
	if (argc == 3 && !strcmp(c, "tiocsti"))
		return tiocsti(a);
	if (argc >= 2 && !strcmp(c, "sctty")) {
		int rc = report("sctty", ioctl(0, TIOCSCTTY, 0));
		return argc > 2 ? run(argc - 1, argv + 1) : rc;
	}
	if (argc > 2 && !strcmp(c, "pty-run"))
		return pty_run(argv + 2);
	if (argc == 2 && !strcmp(c, "ids"))
		return ids();
	if (argc == 2 && !strcmp(c, "setuid0"))
		return report(NULL, syscall(SYS_setuid, 0));
	if (argc == 2 && !strcmp(c, "open-by-handle"))
		return open_by_handle();
	if (argc == 2 && !strcmp(c, "bpf"))
		return bpf();
	if (argc == 2 && !strcmp(c, "perf"))
		return perf();
	if (argc == 2 && !strcmp(c, "userfaultfd"))
		return report(NULL, syscall(SYS_userfaultfd, O_CLOEXEC));
	if (argc == 2 && !strcmp(c, "keyctl"))
		return keyctl(0);
	if (argc == 3 && !strcmp(c, "keyctl") && !strcmp(a, "user"))
		return keyctl(1);
	if (argc == 4 && !strcmp(c, "ptrace-keyctl"))
		return ptrace_keyctl(a, atoi(b));
	if (argc == 5 && !strcmp(c, "ptrace-tiocsti"))
		return ptrace_tiocsti(a, atoi(b), argv[4]);
	if (argc == 2 && !strcmp(c, "add-key"))
		return report(NULL, syscall(SYS_add_key, "user", "cfs-escape",
					    "x", 1, KEY_SPEC_SESSION_KEYRING));
	if (argc == 2 && !strcmp(c, "i386-keyctl"))
		return i386_keyctl();
	if (argc == 2 && !strcmp(c, "exe-write"))
		return open_path("/proc/self/exe", "w");
	return -1;
}

int main(int argc, char **argv)
{
	int rc = argc > 1 ? run(argc, argv) : -1;

	if (rc < 0) {
		fprintf(stderr, "usage: escape SUBCOMMAND [ARG...] "
				"(see tests/helpers/escape.c)\n");
		return 2;
	}
	return rc;
}
