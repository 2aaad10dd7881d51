/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tarx.h: unpack a tar archive (plain, gzip, xz, zstd, bzip2) into a
 * directory with libarchive, safely: entries with an absolute path or a
 * ".." component are refused, and so is any entry whose path goes through
 * a symbolic link already on disk (libarchive's ARCHIVE_EXTRACT_SECURE_*
 * flags, as bsdtar does without -P), so nothing is ever written outside
 * the directory, whatever links the archive makes. An entry "/" is the
 * root itself, as "./" is.
 *
 * As root (of the initial user namespace), owners (numeric ids: the host's
 * user database is never consulted), modes, times, ACLs and extended
 * attributes are kept, and device nodes are made. As root of another user
 * namespace, owners mapped in it are kept, the others become root's, and
 * device nodes are skipped; as another user, device nodes are skipped and
 * every file is the caller's. struct cfs_tar_stats counts what was left
 * out. FIFOs and device nodes are made as what they are: no data is ever
 * read from or written to them, nor to anything but a regular file.
 *
 * Image layers (cfs_tar_layer) carry whiteouts: .wh.NAME deletes NAME from
 * the layers below, .wh..wh..opq hides everything below in its directory.
 * CFS_WH_APPLY applies them to a flat tree (all whiteouts of a layer
 * first, then its content, as the OCI image spec orders it); CFS_WH_OVERLAY
 * turns them into overlayfs whiteouts (a 0/0 character device) and opaque
 * directories (the trusted.overlay.opaque xattr, user.overlay.opaque when
 * not root of the initial user namespace) in a directory of the layer's
 * own. */
#ifndef CFS_TARX_H
#define CFS_TARX_H

#include <stdbool.h>

#include "core/err.h"
#include "core/strv.h"

enum cfs_whiteouts { CFS_WH_NONE, CFS_WH_APPLY, CFS_WH_OVERLAY };

struct cfs_tar_stats {
	unsigned long devices;	/* device nodes not made: not root */
	unsigned long owners;	/* entries of ids we may not give, now ours */
	unsigned long xattrs;	/* entries whose xattrs were not kept */
	struct cfs_strv notes;	/* a line each: whiteouts that hide nothing
				   (ignored, as umoci and containerd do),
				   libarchive's warnings */
};

struct cfs_tar_opts {
	enum cfs_whiteouts whiteouts;
	bool files_only;  /* refuse FIFOs, devices, sockets: an archive of
			     files to read (a docker archive) has none */
	const int *lower; /* CFS_WH_OVERLAY: the layers below, top first, */
	int nlower;	  /* to tell whether a whiteout hides anything */
};

/* Unpack the archive read from FD (NAME in messages) into DIRFD. With
 * CFS_WH_APPLY, FD must be seekable (it is read twice). Returns 0 or
 * -errno, with a message naming the entry. Changes and restores the
 * working directory: libarchive writes relative to it. */
int cfs_tar_extract(int dirfd, int fd, const char *name,
		    const struct cfs_tar_opts *o, struct cfs_tar_stats *st,
		    struct cfs_err *e);

#endif
