/* SPDX-License-Identifier: GPL-2.0-or-later */
/* image.h: container images: an OCI image layout (oci-layout, index.json,
 * blobs/sha256) or an unpacked `docker save` archive (manifest.json, a
 * config, layer tars). Every blob is checked against its sha256 digest
 * before it is used; JSON is read with jansson, sha256 with nettle.
 *
 * The image config's Env, Entrypoint, Cmd, WorkingDir and User are what
 * the image config file keeps (lib/image/imageconf.h). */
#ifndef CFS_IMAGE_H
#define CFS_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "tarx.h"
#include "core/err.h"
#include "imageconf.h" /* struct cfs_image_config, the file */

struct cfs_layer {
	char *path;	 /* the layer's file, in the image directory */
	char digest[72]; /* "sha256:HEX" its content must have */
	long long size;	 /* the size it must have; -1 when not given */
};

struct cfs_image {
	int dirfd;		  /* the image directory */
	const char *name;	  /* for messages: as the user gave it */
	struct json_t *config;	  /* the image config */
	struct cfs_layer *layers; /* bottom first */
	size_t nlayers;
};

/* Read the OCI layout DIR: the manifest tagged TAG (its
 * org.opencontainers.image.ref.name), or the only one when TAG is NULL. */
int cfs_image_oci(const char *dir, const char *tag, struct cfs_image *img,
		  struct cfs_err *e);

/* Read a `docker save` archive unpacked in DIRFD (NAME in messages),
 * which must hold one image (DIRFD is then the image's: closed by
 * cfs_image_free). Layers are checked against the config's
 * rootfs.diff_ids, the config against its file name. */
int cfs_image_docker(int dirfd, const char *name, struct cfs_image *img,
		     struct cfs_err *e);

/* Open layer I, read-only, its digest checked: an fd at offset 0. */
int cfs_image_open_layer(const struct cfs_image *img, size_t i,
			 struct cfs_err *e);

/* Unpack the layers in order into ROOTFD, flat, whiteouts applied; or,
 * with LAYERS, each in ROOTFD/layers/HEX (HEX: its digest) with overlayfs
 * whiteouts. ST counts what was left out (see tarx.h). */
int cfs_image_unpack(const struct cfs_image *img, int rootfd, bool layers,
		     struct cfs_tar_stats *st, struct cfs_err *e);

/* For a root unpacked with LAYERS in DIR: the lowerdir list for overlayfs
 * (overlay(5) order), topmost first: DIR/config, then the layers.
 * NULL when out of memory. */
char *cfs_image_lowerdirs(const struct cfs_image *img, const char *dir);

/* The image config's WorkingDir, User, Env, Entrypoint and Cmd, in C
 * (cfs_image_config_free it). A value that is not what the key holds, or
 * that the image config file cannot hold (a newline), is refused. */
int cfs_image_get_config(const struct cfs_image *img,
			 struct cfs_image_config *c, struct cfs_err *e);

/* Free it all, and close its directory. */
void cfs_image_free(struct cfs_image *img);

#endif
