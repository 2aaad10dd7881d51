/* imageconf.h: the image config file, what cfs-mkrootfs keeps of an OCI
 * image's config (Env, Entrypoint, Cmd, WorkingDir, User) for cfs-pivot
 * --image-config to apply.
 *
 * Plain text, one "KEY VALUE" a line, VALUE the rest of the line after
 * the first space, verbatim; '#' lines and empty lines ignored. Keys:
 * workdir DIR, user USER (once each); env NAME=VALUE, entrypoint ARG and
 * cmd ARG (one line per element, in order). A missing key is "not set". */
#ifndef CFS_IMAGECONF_H
#define CFS_IMAGECONF_H

#include <stdio.h>

#include "err.h"

/* Where cfs-mkrootfs writes it, inside the rootfs. */
#define CFS_IMAGE_CONFIG "/etc/cfs/image.conf"

struct cfs_image_config {
	char *workdir, *user;	     /* NULL: not set */
	char **env, **entrypoint, **cmd; /* NULL-terminated; NULL: none */
};

/* Parse F, named NAME in messages ("NAME:LINE: unknown key 'x'"). On
 * failure -errno and nothing to free. */
int cfs_image_config_parse(FILE *f, const char *name,
			   struct cfs_image_config *c, struct cfs_err *e);

/* Read PATH inside the root ROOTFD (ROOTNAME in messages), safely: a
 * regular file of at most 4 MiB, resolved in the root (lib/readfile.h). */
int cfs_image_config_read(int rootfd, const char *rootname, const char *path,
			  struct cfs_image_config *c, struct cfs_err *e);

/* The program, as docker run makes it: the entrypoint, then ARGV when it
 * has a program, else the image's cmd. NULL-terminated, possibly empty;
 * NULL when out of memory. */
const char **cfs_image_config_argv(const struct cfs_image_config *c,
				   const char **argv);

void cfs_image_config_free(struct cfs_image_config *c);

#endif
