/* SPDX-License-Identifier: GPL-2.0-or-later */
/* strv.c: a growing list of strings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"

int cfs_strv_push(struct cfs_strv *l, const char *s)
{
	char **v = realloc(l->v, (l->n + 2) * sizeof(*v));
	char *copy = strdup(s);

	if (v)
		l->v = v;
	if (!v || !copy) {
		free(copy);
		return -ENOMEM;
	}
	l->v[l->n++] = copy;
	l->v[l->n] = NULL;
	return 0;
}

bool cfs_strv_has(const struct cfs_strv *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

void cfs_strv_free(struct cfs_strv *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
