/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nosys: run a program as on a kernel that lacks some system calls.
 *
 *   nosys CALL... -- PROGRAM [ARG...]
 *
 * Loads a seccomp filter that answers each CALL (its name, from the table
 * below) with ENOSYS, as a kernel older than the call does, sets
 * no_new_privs (which a filter needs without CAP_SYS_ADMIN; it takes no
 * capability from root), and executes PROGRAM. For the tests of what the
 * tools say on an old kernel (tests/pivot.bats). Static, like probe. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#else
#error "nosys: add this architecture's AUDIT_ARCH"
#endif

static const struct {
	const char *name;
	int nr;
} calls[] = {
	{ "open_tree", SYS_open_tree },	    { "move_mount", SYS_move_mount },
	{ "fsopen", SYS_fsopen },	    { "fsconfig", SYS_fsconfig },
	{ "fsmount", SYS_fsmount },	    { "pidfd_open", SYS_pidfd_open },
	{ "clone3", SYS_clone3 },	    { "close_range", SYS_close_range },
	{ "openat2", SYS_openat2 },	    { "mount_setattr", SYS_mount_setattr },
};

int main(int argc, char **argv)
{
	struct sock_filter f[64] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
	};
	unsigned n = 4;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		size_t c = 0;

		while (c < sizeof(calls) / sizeof(*calls) &&
		       strcmp(calls[c].name, argv[i]))
			c++;
		if (c == sizeof(calls) / sizeof(*calls) || n > 60) {
			fprintf(stderr, "nosys: %s: not a call of the table\n",
				argv[i]);
			return 2;
		}
		f[n++] = (struct sock_filter)BPF_JUMP(
			BPF_JMP | BPF_JEQ | BPF_K, calls[c].nr, 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(
			BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					      SECCOMP_RET_ALLOW);
	if (i + 1 >= argc) {
		fprintf(stderr, "usage: nosys CALL... -- PROGRAM [ARG...]\n");
		return 2;
	}
	struct sock_fprog prog = { .len = n, .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		perror("nosys: seccomp");
		return 2;
	}
	execvp(argv[i + 1], argv + i + 1);
	perror(argv[i + 1]);
	return 127;
}
