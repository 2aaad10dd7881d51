/* SPDX-License-Identifier: GPL-2.0-or-later */
/* elfdeps.h: the files a dynamically linked program needs, read from its ELF
 * headers (no ldd: running the loader on a file runs part of it): its
 * program interpreter (PT_INTERP) and the shared libraries of its dynamic
 * section (DT_NEEDED), and theirs, found as ld.so(8) finds them: the
 * object's DT_RPATH (unless it has a DT_RUNPATH) and the program's, then
 * its DT_RUNPATH ($ORIGIN expanded), then the directories /etc/ld.so.conf
 * lists (those ld.so.cache is built from), then /lib64, /usr/lib64, /lib,
 * /usr/lib. A candidate of another class or machine is passed over, as
 * the loader does. Read with elfutils' libelf. */
#ifndef CFS_ELFDEPS_H
#define CFS_ELFDEPS_H

#include "core/err.h"
#include "core/strv.h"

/* The program interpreter (PT_INTERP) of the ELF object open as FD (NAME
 * in messages) into INTERP, "" when it has none: a static program.
 * -ENOEXEC when FD is not an ELF object of this byte order. */
int cfs_elf_interp(int fd, const char *name, char *interp, size_t size,
		   struct cfs_err *e);

/* Append PATH, its interpreter and every library it needs, recursively, to
 * FILES (host paths, each once). A static program adds itself alone. */
int cfs_elf_deps(const char *path, struct cfs_strv *files, struct cfs_err *e);

#endif
