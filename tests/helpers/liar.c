/* SPDX-License-Identifier: GPL-2.0-or-later */
/* liar: a process of a container that lies to whoever copies its seccomp
 * filter. It installs one that answers every call a process makes to
 * give up privilege with "success" (SECCOMP_RET_ERRNO with errno 0: the
 * kernel returns 0 and does not make the call), says "ready", and waits
 * for a signal. A tool that loads this filter before it drops
 * capabilities, switches ids and starts a new session keeps the host's
 * capabilities, ids and session: tests/escape-enter.bats.
 *
 * Lied about: capset, prctl (PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS,
 * PR_CAP_AMBIENT...), setuid, setgid, setreuid, setregid, setresuid,
 * setresgid, setfsuid, setfsgid, setgroups, setsid. Not capget or the
 * get*id calls: the tool reads the truth, and acts on it in vain.
 * Static, so that any rootfs runs it (bind it in: --bind LIAR:/liar). */
#define _GNU_SOURCE
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#else
#error "liar: add this architecture's AUDIT_ARCH"
#endif

#define LIE(nr)                                                  \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1),        \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0)

int main(void)
{
	struct sock_filter code[] = {
		/* another ABI's numbers mean other calls: not ours to lie on */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		LIE(SYS_capset),
		LIE(SYS_prctl),
		LIE(SYS_setuid),
		LIE(SYS_setgid),
		LIE(SYS_setreuid),
		LIE(SYS_setregid),
		LIE(SYS_setresuid),
		LIE(SYS_setresgid),
		LIE(SYS_setfsuid),
		LIE(SYS_setfsgid),
		LIE(SYS_setgroups),
		LIE(SYS_setsid),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(code) / sizeof(*code),
		.filter = code,
	};

	/* no CAP_SYS_ADMIN here: a filter needs no_new_privs */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		perror("liar: seccomp");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
