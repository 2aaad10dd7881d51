/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mount.h: every mount and umount of cfs, with mount(2) and the new mount
 * API (fsopen, open_tree, mount_setattr, move_mount).
 *
 * Our mounts have fixed flags, so we pass MS_* flags and the filesystem's
 * data string as mount(2) takes them, rather than a mount(8) option string
 * for libmount to parse: libmount and what it pulls in (blkid, selinux,
 * pcre2) cost every exec of a chain about 0.6 ms to load (make bench), and
 * its fstab, helpers, mtab and canonicalization are all things we turned
 * off. lib/fs/mountinfo.c reads /proc/self/mountinfo.
 *
 * In a new root, a mount is made detached (cfs_fs_new, cfs_mount_clone),
 * given its flags there, and attached on a target opened once
 * (cfs_mount_move): no path is looked up twice, so nothing swapped in at
 * the target between two lookups (a symlink) can send a flag elsewhere. */
#ifndef CFS_MOUNT_H
#define CFS_MOUNT_H

#include <linux/mount.h>
#include <sys/mount.h>

#include "core/err.h"

/* mount(2) SOURCE on TARGET, TYPE (NULL for a bind, a move or a
 * propagation change), FLAGS (MS_*), DATA (the filesystem's options, or
 * NULL); WHAT names it in a message ("proc", "/dev/null"). */
int cfs_mount(const char *source, const char *target, const char *type,
	      unsigned long flags, const char *data, const char *what,
	      struct cfs_err *e);

/* A new TYPE filesystem, detached, with DATA ("mode=755,size=64k": each
 * KEY=VALUE or KEY given to fsconfig(2)) and ATTRS (MOUNT_ATTR_*) on its
 * mount: that mount's fd, or -errno. Its source in mountinfo is TYPE,
 * unless DATA has a source=NAME. */
int cfs_fs_new(const char *type, const char *data, unsigned attrs,
	       struct cfs_err *e);

/* A detached copy of the mount at PATH in DIRFD ("" for DIRFD itself),
 * with RECURSIVE the mounts below it too,
 * and ATTRS set on every mount of the copy: its fd, or -errno. */
int cfs_mount_clone(int dirfd, const char *path, int recursive,
		    unsigned attrs, struct cfs_err *e);

/* Set attributes SET and clear CLEAR (MOUNT_ATTR_RDONLY, _NODEV...) on
 * the mount MNT (an fd of its root), with RECURSIVE on every mount below
 * it too, keeping its other flags (mount_setattr(2)). */
int cfs_mount_setattr(int mnt, int recursive, unsigned set, unsigned clear,
		      struct cfs_err *e);

/* Make the attached mount MNT (an fd of its root) PROPAGATION
 * (MS_PRIVATE, MS_SLAVE, MS_SHARED or MS_UNBINDABLE), with RECURSIVE
 * every mount below it too (mount_setattr(2)). */
int cfs_mount_propagate(int mnt, int recursive, unsigned long propagation,
			struct cfs_err *e);

/* Attach the detached mount MNT on TARGET, an fd (O_PATH) of a directory
 * or, for a mount of a file, of a file. MNT then names the mount there. */
int cfs_mount_move(int mnt, int target, struct cfs_err *e);

/* umount2(TARGET, MNT_DETACH). */
int cfs_umount_lazy(const char *target, struct cfs_err *e);

#endif
