/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sysprobe: makes each system call of a fixed list, with fixed arguments,
 * each in a child of its own, and prints one line a call: "LABEL ok",
 * "LABEL ENAME" (the errno it failed with) or "LABEL killed SIGNAME".
 * tests/escape-seccomp.bats runs it in a cfs container and in a crun
 * container with the same seccomp profile and compares the lists.
 *
 * The arguments are chosen so that the kernel's answer, once a filter
 * lets a call through, is one the filter never gives (EBADF, EFAULT,
 * EINVAL...) wherever the kernel checks them before any capability, and
 * so that nothing is changed outside the child: bad pointers, fd -1, bad
 * magic numbers. Even so the calls that could harm the machine are only
 * made without the capabilities they need: with CAP_SYS_BOOT,
 * CAP_SYS_MODULE, CAP_SYS_TIME or CAP_SYS_RAWIO effective it prints
 * "UNSAFE" and exits 3 having called nothing.
 *
 *   sysprobe          every call of the list
 *   sysprobe LABEL... those calls only */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/keyctl.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BAD ((long)1)	/* a pointer the kernel cannot read: EFAULT */

#ifndef __NR_cachestat
#define __NR_cachestat 451
#endif
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
#ifndef __NR_futex_wake
#define __NR_futex_wake 454
#endif
#ifndef __NR_mseal
#define __NR_mseal 462
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

static const struct call {
	const char *label;
	long nr;
	long a[6];
} calls[] = {
	/* what every program does */
	{ "getpid", __NR_getpid, { 0 } },
	{ "read", __NR_read, { -1, 0, 0 } },
	{ "write", __NR_write, { -1, 0, 0 } },
	{ "openat", __NR_openat, { AT_FDCWD, BAD, 0 } },
	{ "openat2", __NR_openat2, { AT_FDCWD, BAD, BAD, 24 } },
	{ "close", __NR_close, { -1 } },
	{ "dup", __NR_dup, { -1 } },
	{ "fcntl", __NR_fcntl, { -1, F_GETFD } },
	{ "ioctl", __NR_ioctl, { -1, 0 } },
	{ "mkdirat", __NR_mkdirat, { AT_FDCWD, BAD, 0 } },
	{ "fchmodat", __NR_fchmodat, { AT_FDCWD, BAD, 0 } },
	{ "fchownat", __NR_fchownat, { AT_FDCWD, BAD, 0, 0, 0 } },
	{ "uname", __NR_uname, { BAD } },
	{ "statx", __NR_statx, { AT_FDCWD, BAD, 0, 0, BAD } },
	{ "execveat", __NR_execveat, { -1, BAD, 0, 0, 0 } },
	{ "kill", __NR_kill, { 0, 0 } },
	{ "tgkill", __NR_tgkill, { -1, -1, 0 } },
	{ "getrandom", __NR_getrandom, { BAD, 1, 0 } },
	{ "close_range", __NR_close_range, { ~0U, ~0U, 0 } },
	{ "memfd_create", __NR_memfd_create, { BAD, 0 } },
	{ "pidfd_send_signal", __NR_pidfd_send_signal, { -1, 0, 0, 0 } },
	{ "prctl", __NR_prctl, { PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0 } },
	{ "seccomp", __NR_seccomp, { 2 /* GET_ACTION_AVAIL */, 0, BAD } },
	{ "arch_prctl", __NR_arch_prctl, { 0x1003 /* ARCH_GET_FS */, BAD } },
	{ "modify_ldt", __NR_modify_ldt, { 0, BAD, 1 } },
	{ "vmsplice", __NR_vmsplice, { -1, BAD, 1, 0 } },
	{ "splice", __NR_splice, { -1, 0, -1, 0, 1, 0 } },
	{ "futex_waitv", __NR_futex_waitv, { 0, 0, 0, 0, 0 } },
	{ "landlock_create_ruleset", __NR_landlock_create_ruleset, { 0, 0, 1 } },
	{ "memfd_secret", __NR_memfd_secret, { ~0U } },
	/* sockets */
	{ "socket(AF_UNIX)", __NR_socket, { AF_UNIX, SOCK_STREAM, 0 } },
	{ "socket(AF_INET)", __NR_socket, { AF_INET, SOCK_DGRAM, 0 } },
	{ "socket(AF_VSOCK)", __NR_socket, { AF_VSOCK, SOCK_STREAM, 0 } },
	{ "socket(AF_NETLINK,NETLINK_AUDIT)", __NR_socket,
	  { AF_NETLINK, SOCK_RAW, 9 } },
	{ "socketpair", __NR_socketpair, { AF_UNIX, SOCK_STREAM, 0, BAD } },
	{ "bind", __NR_bind, { -1, BAD, 16 } },
	{ "setsockopt", __NR_setsockopt, { -1, 0, 0, BAD, 4 } },
	/* mounts */
	{ "mount", __NR_mount, { 0, BAD, 0, 0, 0 } },
	{ "umount2", __NR_umount2, { BAD, ~0 } },
	{ "pivot_root", __NR_pivot_root, { BAD, BAD } },
	{ "fsopen", __NR_fsopen, { BAD, 0 } },
	{ "fspick", __NR_fspick, { -1, BAD, 0 } },
	{ "open_tree", __NR_open_tree, { -1, BAD, 0 } },
	{ "move_mount", __NR_move_mount, { -1, BAD, -1, BAD, 0 } },
	{ "mount_setattr", __NR_mount_setattr, { -1, BAD, 0, BAD, 0 } },
	{ "chroot", __NR_chroot, { BAD } },
	{ "quotactl", __NR_quotactl, { 0, BAD, 0, BAD } },
	/* namespaces */
	{ "unshare(0)", __NR_unshare, { 0 } },
	{ "unshare(CLONE_NEWUSER)", __NR_unshare, { CLONE_NEWUSER } },
	{ "unshare(CLONE_NEWNS)", __NR_unshare, { CLONE_NEWNS } },
	{ "unshare(CLONE_NEWNET)", __NR_unshare, { CLONE_NEWNET } },
	{ "setns", __NR_setns, { -1, 0 } },
	{ "clone(SIGCHLD)", __NR_clone, { SIGCHLD, 0, 0, 0, 0 } },
	{ "clone(CLONE_NEWUSER)", __NR_clone,
	  { CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0 } },
	{ "clone(CLONE_NEWNS)", __NR_clone, { CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0 } },
	{ "clone(CLONE_NEWPID)", __NR_clone,
	  { CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0 } },
	{ "clone(CLONE_NEWCGROUP)", __NR_clone,
	  { CLONE_NEWCGROUP | SIGCHLD, 0, 0, 0, 0 } },
	{ "clone3", __NR_clone3, { 0 } },	/* made by clone3() below */
	{ "clone3(CLONE_NEWUSER)", __NR_clone3, { 0 } },
	/* host names, the clock */
	{ "sethostname", __NR_sethostname, { BAD, 1 } },
	{ "setdomainname", __NR_setdomainname, { BAD, 1 } },
	{ "settimeofday", __NR_settimeofday, { BAD, 0 } },
	{ "clock_settime", __NR_clock_settime, { CLOCK_REALTIME, BAD } },
	{ "clock_adjtime", __NR_clock_adjtime, { CLOCK_REALTIME, BAD } },
	{ "adjtimex", __NR_adjtimex, { BAD } },
	/* keys */
	{ "keyctl", __NR_keyctl,
	  { KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0 } },
	{ "add_key", __NR_add_key, { BAD, BAD, 0, 0, 0 } },
	{ "request_key", __NR_request_key, { BAD, BAD, 0, 0 } },
	/* other processes */
	{ "ptrace", __NR_ptrace, { PTRACE_PEEKDATA, -1, 0, 0 } },
	{ "process_vm_readv", __NR_process_vm_readv, { -1, 0, 0, 0, 0, 0 } },
	{ "kcmp", __NR_kcmp, { -1, -1, 0, 0, 0 } },
	{ "pidfd_getfd", __NR_pidfd_getfd, { -1, 0, 0 } },
	{ "process_madvise", __NR_process_madvise, { -1, 0, 0, 0, 0 } },
	{ "open_by_handle_at", __NR_open_by_handle_at, { -1, BAD, 0 } },
	{ "name_to_handle_at", __NR_name_to_handle_at,
	  { AT_FDCWD, BAD, BAD, BAD, 0 } },
	/* the kernel's windows and switches */
	{ "bpf", __NR_bpf, { ~0U, 0, 0 } },
	{ "perf_event_open", __NR_perf_event_open, { BAD, 0, -1, -1, 0 } },
	{ "userfaultfd", __NR_userfaultfd, { ~0U } },
	{ "fanotify_init", __NR_fanotify_init, { ~0U, 0 } },
	{ "syslog", __NR_syslog, { 10 /* SIZE_BUFFER */, 0, 0 } },
	{ "io_uring_setup", __NR_io_uring_setup, { 1, BAD } },
	{ "io_uring_enter", __NR_io_uring_enter, { -1, 0, 0, 0, 0, 0 } },
	{ "io_uring_register", __NR_io_uring_register, { -1, 0, 0, 0 } },
	{ "init_module", __NR_init_module, { BAD, 0, BAD } },
	{ "finit_module", __NR_finit_module, { -1, BAD, 0 } },
	{ "delete_module", __NR_delete_module, { BAD, 0 } },
	{ "kexec_load", __NR_kexec_load, { 0, ~0U, 0, 0 } },
	{ "reboot", __NR_reboot, { 0, 0, 0, 0 } },
	{ "swapon", __NR_swapon, { BAD, 0 } },
	{ "acct", __NR_acct, { BAD } },
	{ "ioperm", __NR_ioperm, { 0, 0, 0 } },
	{ "iopl", __NR_iopl, { 4 } },
	{ "mbind", __NR_mbind, { 0, 0, ~0U, 0, 0, 0 } },
	{ "set_mempolicy", __NR_set_mempolicy, { ~0U, 0, 0 } },
	{ "move_pages", __NR_move_pages, { -1, 0, 0, 0, 0, 0 } },
	{ "migrate_pages", __NR_migrate_pages, { -1, 0, 0, 0 } },
	{ "sysfs", __NR_sysfs, { 1, BAD } },
	{ "ustat", __NR_ustat, { 0, BAD } },
	{ "uselib", __NR_uselib, { BAD } },
	{ "nfsservctl", __NR_nfsservctl, { 0 } },
	{ "lookup_dcookie", __NR_lookup_dcookie, { 0, BAD, 1 } },
	/* personality: the query and the values docker allows, one it does
	 * not (ADDR_NO_RANDOMIZE) */
	{ "personality(0xffffffff)", __NR_personality, { 0xffffffffL } },
	{ "personality(PER_LINUX)", __NR_personality, { 0 } },
	{ "personality(ADDR_NO_RANDOMIZE)", __NR_personality,
	  { ADDR_NO_RANDOMIZE } },
	/* newer than docker's list, or than libseccomp */
	{ "cachestat", __NR_cachestat, { -1, BAD, BAD, 0 } },
	{ "fchmodat2", __NR_fchmodat2, { AT_FDCWD, BAD, 0, 0 } },
	{ "futex_wake", __NR_futex_wake, { BAD, 0, 1, ~0U } },
	{ "mseal", __NR_mseal, { 0, 0, ~0U } },
};

/* clone3 with FLAGS, exit_signal SIGCHLD, no stack: a fork */
static long clone3(uint64_t flags)
{
	struct clone_args args = { .flags = flags, .exit_signal = SIGCHLD };

	return syscall(__NR_clone3, &args, sizeof(args));
}

static int make(const struct call *c)
{
	long rc;

	if (!strcmp(c->label, "clone3"))
		rc = clone3(0);
	else if (!strcmp(c->label, "clone3(CLONE_NEWUSER)"))
		rc = clone3(CLONE_NEWUSER);
	else
		rc = syscall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3],
			     c->a[4], c->a[5]);
	if (rc == 0 && (c->nr == __NR_clone || c->nr == __NR_clone3))
		_exit(0);	/* the new child */
	if (rc > 0 && (c->nr == __NR_clone || c->nr == __NR_clone3))
		waitpid(rc, NULL, 0);
	if (rc < 0) {
		printf("%s %s\n", c->label, strerrorname_np(errno) ?
		       strerrorname_np(errno) : "?");
		return 1;
	}
	printf("%s ok\n", c->label);
	return 0;
}

/* Run C in a child; its line, or "killed" when the filter killed it */
static void try(const struct call *c)
{
	pid_t pid;
	int status;

	fflush(stdout);
	if ((pid = fork()) < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0)
		exit(make(c));
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		exit(2);
	}
	if (WIFSIGNALED(status))
		printf("%s killed %s\n", c->label,
		       sigabbrev_np(WTERMSIG(status)) ?
		       sigabbrev_np(WTERMSIG(status)) : "?");
}

static int unsafe(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	uint64_t eff;

	if (syscall(__NR_capget, &h, d) < 0)
		return 1;
	eff = d[0].effective | (uint64_t)d[1].effective << 32;
	return !!(eff & (1ULL << CAP_SYS_BOOT | 1ULL << CAP_SYS_MODULE |
			 1ULL << CAP_SYS_TIME | 1ULL << CAP_SYS_RAWIO));
}

int main(int argc, char **argv)
{
	size_t i, n = sizeof(calls) / sizeof(*calls);

	if (unsafe()) {
		printf("UNSAFE: a capability to change the machine\n");
		return 3;
	}
	if (argc == 1)
		for (i = 0; i < n; i++)
			try(&calls[i]);
	for (int k = 1; k < argc; k++) {
		for (i = 0; i < n && strcmp(calls[i].label, argv[k]); i++)
			;
		if (i == n) {
			fprintf(stderr, "sysprobe: %s: not in the list\n",
				argv[k]);
			return 2;
		}
		try(&calls[i]);
	}
	return fflush(stdout) ? 2 : 0;
}
