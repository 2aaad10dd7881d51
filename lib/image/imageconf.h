/* SPDX-License-Identifier: GPL-2.0-or-later */
/* imageconf.h: the image config file, written and read: what is kept of
 * an OCI image's config (Env, Entrypoint, Cmd, WorkingDir, User) in the
 * root unpacked from it, for the container's program to be started as the
 * image says.
 *
 * Plain text, one "KEY VALUE" a line, VALUE the rest of the line after
 * the first space, verbatim; '#' lines and empty lines ignored. Keys:
 * workdir DIR, user USER (once each); env NAME=VALUE, entrypoint ARG and
 * cmd ARG (one line per element, in order). A missing key is "not set". */
#ifndef CFS_IMAGECONF_H
#define CFS_IMAGECONF_H

#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"

/* Where it is written, inside the root. */
#define CFS_IMAGE_CONFIG "/etc/cfs/image.conf"

struct cfs_image_config {
	char *workdir, *user;	     /* NULL: not set */
	char **env, **entrypoint, **cmd; /* NULL-terminated; NULL: none */
};

/* Whether VALUE can be written: a line holds it, so it has no newline. */
bool cfs_image_config_fits(const char *value);

/* Whether S is NAME=VALUE, NAME not empty: what an env entry must be. */
bool cfs_image_config_env_ok(const char *s);

/* Write C to F, after COMMENT (one line) as a '#' line: -EINVAL if a
 * value does not fit. */
int cfs_image_config_format(FILE *f, const char *comment,
			    const struct cfs_image_config *c,
			    struct cfs_err *e);

/* Write C as CFS_IMAGE_CONFIG in the root ROOTFD (ROOTNAME in messages),
 * replacing it, its directory made if missing (never through a link out
 * of the root: lib/core/path.h). */
int cfs_image_config_write(int rootfd, const char *rootname,
			   const char *comment,
			   const struct cfs_image_config *c, struct cfs_err *e);

/* Parse F, named NAME in messages ("NAME:LINE: unknown key 'x'"). On
 * failure -errno and nothing to free. */
int cfs_image_config_parse(FILE *f, const char *name,
			   struct cfs_image_config *c, struct cfs_err *e);

/* Read PATH inside the root ROOTFD (ROOTNAME in messages), safely: a
 * regular file of at most 4 MiB, resolved in the root (lib/core/readfile.h). */
int cfs_image_config_read(int rootfd, const char *rootname, const char *path,
			  struct cfs_image_config *c, struct cfs_err *e);

/* The program, as docker run makes it: the entrypoint, then ARGV when it
 * has a program, else the image's cmd. NULL-terminated, possibly empty;
 * NULL when out of memory. */
const char **cfs_image_config_argv(const struct cfs_image_config *c,
				   const char **argv);

void cfs_image_config_free(struct cfs_image_config *c);

#endif
