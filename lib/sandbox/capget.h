/* SPDX-License-Identifier: GPL-2.0-or-later */
/* capget.h: our own capability sets, from capget(2) itself. No library
 * (a tool that links no libcap-ng can ask) and no /proc (libcap-ng reads
 * /proc/self/status for them, twice). Inline: it is one system call. */
#ifndef CFS_CAPGET_H
#define CFS_CAPGET_H

#include <linux/capability.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Our effective, permitted and inheritable sets: capabilities 0-31 in
 * D[0], 32-63 in D[1]. 0, or -1 with errno set. */
static inline int cfs_capget(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return (int)syscall(SYS_capget, &head, d);
}

/* Whether capability CAP is in our effective set. */
static inline bool cfs_caps_effective(int cap)
{
	struct __user_cap_data_struct d[2];

	return cfs_capget(d) == 0 && (d[cap / 32].effective >> (cap % 32)) & 1;
}

#endif
