/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seccomp-compile: the default profile's filter for the default
 * capability set, as BPF in a C header, made with libseccomp when cfs is
 * built (see lib/sandbox/syscall-filter.c: cfs-pivot loads it with one
 * seccomp(2) instead of building it at each start).
 *
 *   seccomp-compile PROFILE >default-bpf.h */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/msg.h"
#include "sandbox/caps.h"
#include "sandbox/syscall-filter.h"

int main(int argc, char **argv)
{
	struct cfs_seccomp out;
	struct sock_filter insn;
	struct cfs_err e;
	char *text = NULL;
	size_t size = 0;
	FILE *f;
	int fd;

	if (argc != 2 || !(f = fopen(argv[1], "re")) ||
	    getdelim(&text, &size, '\0', f) < 0)
		cfs_die(1, errno, "read %s", argc == 2 ? argv[1] : "PROFILE");
	fd = memfd_create("bpf", MFD_CLOEXEC);
	if (fd < 0 || cfs_seccomp_export(text, argv[1], cfs_caps_default, fd,
					 &out, &e))
		cfs_die(1, fd < 0 ? errno : e.errnum, "%s",
			fd < 0 ? "memfd_create" : e.msg);
	printf("/* made by seccomp-compile from %s: do not edit */\n"
	       "#define CFS_DEFAULT_BPF_CAPS UINT64_C(%#llx)\n"
	       "#define CFS_DEFAULT_BPF_RULES %u\n"
	       "#define CFS_DEFAULT_BPF_FALLBACK \"%s\"\n"
	       "static const struct sock_filter cfs_default_bpf[] = {\n",
	       argv[1], (unsigned long long)cfs_caps_default, out.rules,
	       out.fallback);
	lseek(fd, 0, SEEK_SET);
	while (read(fd, &insn, sizeof(insn)) == sizeof(insn))
		printf("\t{ 0x%04x, %u, %u, 0x%08x },\n", insn.code, insn.jt,
		       insn.jf, insn.k);
	printf("};\n");
	free(text);
	return fflush(stdout) ? 1 : 0;
}
