/* install.h: copy host programs into a root, as cfs-mkrootfs --add does:
 * each program, its program interpreter and the shared libraries it needs
 * (lib/elfdeps), each to the same path in the root as on the host,
 * replacing what is there, directories made as needed (never through a
 * link out of the root: openat2 RESOLVE_IN_ROOT). */
#ifndef CFS_INSTALL_H
#define CFS_INSTALL_H

#include "err.h"

/* PROGS: NULL-terminated; a name without a slash is looked for on PATH,
 * one with a slash must be absolute. */
int cfs_install_programs(const char **progs, const char *rootpath,
			 struct cfs_err *e);

#endif
