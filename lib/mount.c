/* mount.c: every mount and umount of cfs, see mount.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mount.h"

int cfs_mount(const char *source, const char *target, const char *type,
	      unsigned long flags, const char *data, const char *what,
	      struct cfs_err *e)
{
	if (mount(source, target, type, flags, data) < 0)
		return cfs_fail(e, errno, "mount %s on %s", what, target);
	return 0;
}

int cfs_mount_setattr(const char *target, int recursive, unsigned attrs,
		      struct cfs_err *e)
{
	struct mount_attr attr = { .attr_set = attrs };

	if (syscall(SYS_mount_setattr, AT_FDCWD, target,
		    recursive ? AT_RECURSIVE : 0, &attr, sizeof(attr)) < 0)
		return cfs_fail(e, errno, "make %s%s%s", target,
				attrs & MOUNT_ATTR_RDONLY ? " read-only" : "",
				attrs & MOUNT_ATTR_NODEV ? " nodev" : "");
	return 0;
}

int cfs_umount_lazy(const char *target, struct cfs_err *e)
{
	if (umount2(target, MNT_DETACH) < 0)
		return cfs_fail(e, errno, "unmount %s", target);
	return 0;
}
