/* SPDX-License-Identifier: GPL-2.0-or-later */
/* env.c: a container's environment (env.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"

/* The index of NAME's entry in ENV (NAME ends at its '=' or NUL), or -1. */
static ssize_t find(const struct cfs_strv *env, const char *name)
{
	size_t len = strcspn(name, "=");

	for (size_t i = 0; i < env->n; i++)
		if (!strncmp(env->v[i], name, len) && env->v[i][len] == '=')
			return (ssize_t)i;
	return -1;
}

int cfs_env_set(struct cfs_strv *env, const char *entry, struct cfs_err *e)
{
	const char *eq = strchr(entry, '=');
	ssize_t i;
	char *copy;

	if (!eq || eq == entry)
		return cfs_fail(e, 0, "%s: not NAME=VALUE", entry);
	if ((i = find(env, entry)) < 0)
		return cfs_strv_push(env, entry) ? cfs_fail(e, ENOMEM, "set %s",
							    entry)
						 : 0;
	if (!(copy = strdup(entry)))
		return cfs_fail(e, ENOMEM, "set %s", entry);
	free(env->v[i]);
	env->v[i] = copy;
	return 0;
}

const char *cfs_env_get(const struct cfs_strv *env, const char *name)
{
	ssize_t i = find(env, name);

	return i < 0 ? NULL : env->v[i] + strlen(name) + 1;
}

void cfs_env_unset(struct cfs_strv *env, const char *name)
{
	ssize_t i = find(env, name);

	if (i < 0)
		return;
	free(env->v[i]);
	memmove(env->v + i, env->v + i + 1, (env->n - i) * sizeof(*env->v));
	env->n--;
}

/* One line of an env file, its newline gone: 0 or -errno. */
static int read_line(struct cfs_strv *env, char *line, const char *path,
		     unsigned n, struct cfs_err *e)
{
	const char *blanks = " \t\n\v\f\r";
	char *value, *entry;
	size_t len;
	int rc;

	line += strspn(line, blanks);
	if (!*line || *line == '#')
		return 0;
	if (!(len = strcspn(line, "=")))
		return cfs_fail(e, 0, "%s:%u: no variable name", path, n);
	if (strcspn(line, blanks) < len)
		return cfs_fail(e, 0, "%s:%u: variable '%.*s' contains blanks",
				path, n, (int)len, line);
	if (line[len] == '=')
		return cfs_env_set(env, line, e);
	if (!(value = getenv(line)))
		return 0;
	if (asprintf(&entry, "%s=%s", line, value) < 0)
		return cfs_fail(e, ENOMEM, "%s:%u", path, n);
	rc = cfs_env_set(env, entry, e);
	free(entry);
	return rc;
}

int cfs_env_read_file(struct cfs_strv *env, const char *path,
		      struct cfs_err *e)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	unsigned n = 0;
	int rc = 0;

	if (!f)
		return cfs_fail(e, errno, "open %s", path);
	while (!rc && (len = getline(&line, &size, f)) >= 0) {
		char *s = line;

		if (++n == 1 && !strncmp(s, "\xef\xbb\xbf", 3))
			s += 3; /* a UTF-8 byte order mark */
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (strlen(s) != (size_t)(len - (s - line)))
			rc = cfs_fail(e, 0, "%s:%u: a NUL byte", path, n);
		else
			rc = read_line(env, s, path, n, e);
	}
	if (!rc && ferror(f))
		rc = cfs_fail(e, errno, "read %s", path);
	free(line);
	fclose(f);
	return rc;
}

int cfs_env_copy_ours(struct cfs_strv *env, struct cfs_err *e)
{
	extern char **environ;

	for (char **s = environ; s && *s; s++)
		if (strchr(*s, '=') && cfs_strv_push(env, *s))
			return cfs_fail(e, ENOMEM, "copy the environment");
	return 0;
}

int cfs_env_apply(const struct cfs_strv *env, struct cfs_err *e)
{
	if (clearenv())
		return cfs_fail(e, ENOMEM, "clear the environment");
	for (size_t i = 0; i < env->n; i++)
		if (putenv(env->v[i]))
			return cfs_fail(e, errno, "set %s", env->v[i]);
	return 0;
}
