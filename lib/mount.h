/* mount.h: every mount and umount of cfs goes through here, and through
 * libmount where libmount can do it. */
#ifndef CFS_MOUNT_H
#define CFS_MOUNT_H

#include "err.h"

/* mount(8) in one call: SOURCE on TARGET, TYPE (NULL for a bind or a
 * propagation change) and OPTIONS as mount(8) takes them ("bind,ro",
 * "nosuid,nodev,noexec", "rprivate"). TARGET is used as given, never
 * canonicalized, so it may be a /proc/self/fd/N of a resolved target.
 * NAME says what is mounted in a message ("proc", "/dev/null"). */
int cfs_mount(const char *source, const char *target, const char *type,
	      const char *options, const char *name, struct cfs_err *e);

/* mount --move SOURCE TARGET. */
int cfs_move_mount(const char *source, const char *target, struct cfs_err *e);

/* umount2(TARGET, MNT_DETACH). */
int cfs_umount_lazy(const char *target, struct cfs_err *e);

/* Make every mount below TARGET read-only, submounts too
 * (mount_setattr(2) with AT_RECURSIVE: libmount 2.38 cannot). */
int cfs_make_readonly_recursive(const char *target, struct cfs_err *e);

#endif
