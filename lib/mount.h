/* mount.h: every mount and umount of cfs, with mount(2) itself.
 *
 * Our mounts have fixed flags, so we pass MS_* flags and the filesystem's
 * data string as mount(2) takes them, rather than a mount(8) option string
 * for libmount to parse: libmount and what it pulls in (blkid, selinux,
 * pcre2) cost every exec of a chain about 0.6 ms to load (make bench), and
 * its fstab, helpers, mtab and canonicalization are all things we turned
 * off. lib/mountinfo.c reads /proc/self/mountinfo. */
#ifndef CFS_MOUNT_H
#define CFS_MOUNT_H

#include <linux/mount.h>
#include <sys/mount.h>

#include "err.h"

/* mount(2) SOURCE on TARGET, TYPE (NULL for a bind, a move or a
 * propagation change), FLAGS (MS_*), DATA (the filesystem's options, or
 * NULL); WHAT names it in a message ("proc", "/dev/null"). TARGET may be
 * a /proc/self/fd/N of a target resolved in a new root. */
int cfs_mount(const char *source, const char *target, const char *type,
	      unsigned long flags, const char *data, const char *what,
	      struct cfs_err *e);

/* Set ATTRS (MOUNT_ATTR_RDONLY, MOUNT_ATTR_NODEV...) on the mount at
 * TARGET, and with RECURSIVE on every mount below it too, keeping its
 * other flags (mount_setattr(2)). */
int cfs_mount_setattr(const char *target, int recursive, unsigned attrs,
		      struct cfs_err *e);

/* umount2(TARGET, MNT_DETACH). */
int cfs_umount_lazy(const char *target, struct cfs_err *e);

#endif
