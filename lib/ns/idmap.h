/* SPDX-License-Identifier: GPL-2.0-or-later */
/* idmap.h: the uid and gid maps of a new user namespace, and the
 * subordinate ranges of /etc/subuid and /etc/subgid through which an
 * unprivileged user maps more than its own ID (newuidmap(1), newgidmap(1)
 * of Debian's uidmap package). */
#ifndef CFS_IDMAP_H
#define CFS_IDMAP_H

#include <stdbool.h>
#include <sys/types.h>

#include "ns.h"
#include "core/err.h"

enum { CFS_IDMAP_MAX = 32 };

/* One map: lines of /proc/PID/uid_map (or gid_map), each with what asked
 * for it, for messages. */
struct cfs_idmap {
	const char *name;       /* "uid", "gid" */
	const char *subid_file; /* "/etc/subuid", "/etc/subgid" */
	unsigned long own;      /* our effective ID */
	struct {
		unsigned long inner, outer, count;
		char from[80]; /* what asked for it, as messages name it */
	} r[CFS_IDMAP_MAX];
	int n;
};

/* Add a line to M; FROM is the option that asked for it. */
int cfs_idmap_add(struct cfs_idmap *m, const char *from, unsigned long inner,
		  unsigned long outer, unsigned long count, struct cfs_err *e);

/* Add what ARG says: "INNER:OUTER:COUNT", or "auto": 0 to our own ID
 * and 1 on to our first subordinate range (as podman does). FROM: what
 * asked for it, as messages name it. */
int cfs_idmap_parse(struct cfs_idmap *m, const char *from, const char *arg,
		    struct cfs_err *e);

/* The map is one line, our own ID: the kernel takes it from ourselves. */
bool cfs_idmap_is_own(const struct cfs_idmap *m);

/* Refuse lines that share an inner or an outer ID, and, when we are not
 * root, lines newuidmap would refuse: neither our own ID alone nor
 * inside one of our ranges in /etc/subuid (subgid). */
int cfs_idmap_check(const struct cfs_idmap *m, struct cfs_err *e);

/* Write M to /proc/PID/uid_map (gid_map); PID 0: ourselves. */
int cfs_idmap_write(pid_t pid, const struct cfs_idmap *m, struct cfs_err *e);

/* Both maps of a new user namespace, and how to write them: ourselves
 * after unshare(2) when each is our own ID alone, else from outside by a
 * helper forked before, as unshare(1) does (map_ids_from_child): root
 * writes them directly, a user through newuidmap and newgidmap. */
struct cfs_idmaps {
	struct cfs_idmap uid, gid;
	const char *setgroups; /* NULL, "allow" or "deny" */
	struct cfs_ns_helper helper;
};

/* No lines yet: names, our own IDs, /etc/subuid and /etc/subgid. */
void cfs_idmaps_init(struct cfs_idmaps *m);

/* Before unshare(2): fork the helper if the maps need one. */
int cfs_idmaps_start(struct cfs_idmaps *m, struct cfs_err *e);

/* After unshare(2) made the user namespace: write the maps (and
 * /proc/self/setgroups), or have the helper write them and wait for it:
 * its failure comes back in E. */
int cfs_idmaps_finish(struct cfs_idmaps *m, struct cfs_err *e);

#endif
