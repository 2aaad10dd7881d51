/* SPDX-License-Identifier: GPL-2.0-or-later */
/* strv.h: a growing NULL-terminated list of strings, each its own copy. */
#ifndef CFS_STRV_H
#define CFS_STRV_H

#include <stdbool.h>
#include <stddef.h>

struct cfs_strv {
	char **v; /* NULL-terminated once anything was pushed */
	size_t n;
};

/* Append a copy of s. Returns 0 or -ENOMEM. */
int cfs_strv_push(struct cfs_strv *l, const char *s);
bool cfs_strv_has(const struct cfs_strv *l, const char *s);
void cfs_strv_free(struct cfs_strv *l);

#endif
