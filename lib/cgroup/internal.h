/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup-internal.h: what the lib/cgroup-*.c files share, not for tools. */
#ifndef CFS_CGROUP_INTERNAL_H
#define CFS_CGROUP_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "cgroup.h"

/* The v1 controllers we know, NULL-terminated. */
extern const char *const cfs_cg_known[];

/* Is WORD one of LIST's words (separated by commas or spaces)? */
bool cfs_cg_has_word(const char *list, const char *word);

/* The text of the file PATH in BUF: 0, -errno, or -E2BIG when it does not
 * fit in SIZE bytes with its NUL. */
int cfs_cg_read(const char *path, char *buf, size_t size);

/* Write TEXT to the file PATH (it must exist): 0 or -errno. */
int cfs_cg_write(const char *path, const char *text);

bool cfs_cg_is_dir(const char *path);

/* Append SEP (when BUF is not empty) and WORD to BUF of SIZE bytes: 0, or
 * -E2BIG, BUF unchanged, when they do not fit. */
int cfs_cg_append(char *buf, size_t size, const char *sep, const char *word);

/* May we, with our effective IDs, make cgroups in DIR and move processes
 * there? */
bool cfs_cg_writable(const char *dir);

/* The directory of hierarchy I: its mount, the cfs parent, NAME (or its
 * first LEN bytes, or none for len 0), in DIR of PATH_MAX bytes. It always
 * fits: a mount is shorter than 256 bytes and NAME than 200. */
void cfs_cg_dir_of(const struct cfs_cgroup *cg, int i, size_t len, char *dir);

/* Call FN on DIR and each cgroup below it, children first: every one,
 * ".x" too (a container may make children in a cgroup delegated to it).
 * A child gone meanwhile is skipped; DIR gone is -ENOENT. */
int cfs_cg_walk(const char *dir, int (*fn)(const char *, void *), void *arg,
		struct cfs_err *e);

/* The hierarchy of CONTROLLER: its v1 one, else v2's when it lists it;
 * -1 none. */
int cfs_cg_hier_of(const struct cfs_cgroup *cg, const char *controller);

/* NAME as a message shows it: bytes outside the NAME rule (and /) as
 * \xHH, so that one message stays one line; cut at SIZE (a message). */
const char *cfs_cg_shown(const char *name, char *buf, size_t size);

/* cfs_fail for "OPERATION PATH", PATH as shown. */
int cfs_cg_fail_at(struct cfs_err *e, int errnum, const char *op,
		   const char *path);

/* The NAME rule, lib/cgroup/name.c. */
int cfs_cg_check_name(const char *name, struct cfs_err *e);

/* The file of a cgroup that moves us, a process of one thread, when "0"
 * is written to it: "/tasks" on v1, "/cgroup.procs" on v2. */
const char *cfs_cg_self_file(bool v2);

#endif
