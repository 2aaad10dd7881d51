/* SPDX-License-Identifier: GPL-2.0-or-later */
/* no-nss.c: no NSS in a statically linked tool.
 *
 * The tools of a chain are linked statically (an exec of a chain is
 * cheaper without the dynamic loader: see the Makefile), and so is
 * libcap-ng's one object file. Its capng_change_id calls getpwuid and
 * initgroups, with CAPNG_INIT_SUPP_GRP only, which we never pass: users
 * and groups are looked up in the container's own files (lib/sandbox/user.c).
 * In a static binary glibc's getpwuid and initgroups would dlopen NSS
 * modules at run time, from whatever root we are in by then: a
 * container's /lib, as root. These definitions take their place in the
 * link, so that glibc's never come in: each fails with ENOSYS. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stddef.h>

struct passwd *getpwuid(uid_t uid)
{
	(void)uid;
	errno = ENOSYS;
	return NULL;
}

int initgroups(const char *user, gid_t group)
{
	(void)user;
	(void)group;
	errno = ENOSYS;
	return -1;
}
