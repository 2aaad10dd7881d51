/* SPDX-License-Identifier: GPL-2.0-or-later */
/* imageconf.c: the image config file, see imageconf.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imageconf.h"
#include "core/path.h"
#include "core/readfile.h"

static size_t count(char **v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

static int push(char ***v, const char *s)
{
	size_t n = count(*v);
	char **nv = realloc(*v, (n + 2) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	if (!(nv[n] = strdup(s)))
		return -ENOMEM;
	nv[n + 1] = NULL;
	return 0;
}

bool cfs_image_config_fits(const char *value)
{
	return !strchr(value, '\n');
}

bool cfs_image_config_env_ok(const char *s)
{
	return s[0] != '=' && strchr(s, '=');
}

/* KEY VALUE, a line each: 0, or -EINVAL for a value that does not fit. */
static int put(FILE *f, const char *key, char *const *values, size_t n,
	       struct cfs_err *e)
{
	for (size_t i = 0; i < n && values[i]; i++) {
		if (!cfs_image_config_fits(values[i]))
			return cfs_fail(e, 0, "%s: a value with a newline cannot be written to %s",
					key, CFS_IMAGE_CONFIG);
		fprintf(f, "%s %s\n", key, values[i]);
	}
	return 0;
}

int cfs_image_config_format(FILE *f, const char *comment,
			    const struct cfs_image_config *c,
			    struct cfs_err *e)
{
	fprintf(f, "# %s\n", comment);
	return put(f, "workdir", &c->workdir, 1, e) ?:
	       put(f, "user", &c->user, 1, e) ?:
	       put(f, "env", c->env, count(c->env), e) ?:
	       put(f, "entrypoint", c->entrypoint, count(c->entrypoint), e) ?:
	       put(f, "cmd", c->cmd, count(c->cmd), e);
}

int cfs_image_config_write(int rootfd, const char *rootname,
			   const char *comment,
			   const struct cfs_image_config *c, struct cfs_err *e)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int dir = -1, fd = -1, r;

	if (!f)
		return cfs_fail(e, ENOMEM, "%s%s", rootname, CFS_IMAGE_CONFIG);
	r = cfs_image_config_format(f, comment, c, e);
	if (fclose(f) && !r)
		r = cfs_fail(e, ENOMEM, "%s%s", rootname, CFS_IMAGE_CONFIG);
	if (!r)
		r = cfs_mkdir_in_root(rootfd, rootname, "/etc/cfs", 0755, e);
	if (!r && (dir = cfs_openat_in_root(rootfd, "/etc/cfs", O_PATH | O_DIRECTORY)) < 0)
		r = cfs_fail(e, -dir, "open %s/etc/cfs", rootname);
	if (!r && unlinkat(dir, "image.conf", 0) < 0 && errno != ENOENT)
		r = cfs_fail(e, errno, "replace %s%s", rootname, CFS_IMAGE_CONFIG);
	if (!r && (fd = openat(dir, "image.conf",
			       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				       O_CLOEXEC,
			       0644)) < 0)
		r = cfs_fail(e, errno, "create %s%s", rootname, CFS_IMAGE_CONFIG);
	if (!r && write(fd, text, len) != (ssize_t)len)
		r = cfs_fail(e, errno, "write %s%s", rootname, CFS_IMAGE_CONFIG);
	if (fd >= 0 && close(fd) < 0 && !r)
		r = cfs_fail(e, errno, "write %s%s", rootname, CFS_IMAGE_CONFIG);
	if (dir >= 0)
		close(dir);
	free(text);
	return r;
}

static int set_once(char **field, const char *key, const char *value,
		    const char *where, struct cfs_err *e)
{
	if (*field)
		return cfs_fail(e, 0, "%s: %s given twice", where, key);
	if (!(*field = strdup(value)))
		return cfs_fail(e, ENOMEM, "%s", where);
	return 0;
}

/* One "KEY VALUE" line; WHERE is "NAME:LINE". */
static int parse_line(struct cfs_image_config *c, char *key,
		      const char *where, struct cfs_err *e)
{
	char *value = strchr(key, ' ');
	char ***list = NULL;

	if (!value)
		return cfs_fail(e, 0, "%s: '%s' is not KEY VALUE", where, key);
	*value++ = '\0';
	if (!strcmp(key, "workdir"))
		return set_once(&c->workdir, key, value, where, e);
	if (!strcmp(key, "user"))
		return set_once(&c->user, key, value, where, e);
	if (!strcmp(key, "env")) {
		if (!cfs_image_config_env_ok(value))
			return cfs_fail(e, 0, "%s: env '%s' is not NAME=VALUE",
					where, value);
		list = &c->env;
	} else if (!strcmp(key, "entrypoint")) {
		list = &c->entrypoint;
	} else if (!strcmp(key, "cmd")) {
		list = &c->cmd;
	} else {
		return cfs_fail(e, 0, "%s: unknown key '%s'", where, key);
	}
	return push(list, value) ? cfs_fail(e, ENOMEM, "%s", where) : 0;
}

int cfs_image_config_parse(FILE *f, const char *name,
			   struct cfs_image_config *c, struct cfs_err *e)
{
	char *line = NULL, where[4200];
	size_t cap = 0;
	ssize_t len;
	int rc = 0;

	*c = (struct cfs_image_config){ 0 };
	for (int n = 1; !rc && (len = getline(&line, &cap, f)) >= 0; n++) {
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		snprintf(where, sizeof(where), "%s:%d", name, n);
		rc = parse_line(c, line, where, e);
	}
	if (!rc && ferror(f))
		rc = cfs_fail(e, errno, "read %s", name);
	free(line);
	if (rc)
		cfs_image_config_free(c);
	return rc;
}

int cfs_image_config_read(int rootfd, const char *rootname, const char *path,
			  struct cfs_image_config *c, struct cfs_err *e)
{
	char name[4200], *text;
	size_t len;
	FILE *f;
	int rc = cfs_read_file_in_root(rootfd, rootname, path,
				       CFS_IMAGE_CONFIG_MAX, &text, &len, e);

	if (rc)
		return rc;
	snprintf(name, sizeof(name), "%s%s", rootname, path);
	if (!(f = fmemopen(text, len, "r"))) {
		free(text);
		return cfs_fail(e, errno, "read %s", name);
	}
	rc = cfs_image_config_parse(f, name, c, e);
	fclose(f);
	free(text);
	return rc;
}

const char **cfs_image_config_argv(const struct cfs_image_config *c,
				   const char **argv)
{
	const char **rest = argv && argv[0] ? argv : (const char **)c->cmd;
	size_t n = count(c->entrypoint), m = count((char **)rest);
	const char **v = calloc(n + m + 1, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = c->entrypoint[i];
	for (size_t i = 0; i < m; i++)
		v[n + i] = rest[i];
	return v;
}

static void free_list(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void cfs_image_config_free(struct cfs_image_config *c)
{
	free(c->workdir);
	free(c->user);
	free_list(c->env);
	free_list(c->entrypoint);
	free_list(c->cmd);
	*c = (struct cfs_image_config){ 0 };
}
