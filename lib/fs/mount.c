/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mount.c: every mount and umount of cfs, see mount.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
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

int cfs_fs_new(const char *type, const char *data, unsigned attrs,
	       struct cfs_err *e)
{
	char opts[256], *key, *next;
	int fs = fsopen(type, FSOPEN_CLOEXEC), mnt = -1, err = 0;

	if (fs < 0)
		return cfs_fail_call(e, errno, "fsopen", "mount %s", type);
	/* the source mountinfo shows, as mount(8) gives it, unless DATA
	 * has one */
	if ((!data || !strstr(data, "source=")) &&
	    fsconfig(fs, FSCONFIG_SET_STRING, "source", type, 0) < 0)
		err = errno;
	else if (snprintf(opts, sizeof(opts), "%s", data ? data : "") >=
	    (int)sizeof(opts))
		err = E2BIG;
	for (key = *opts ? opts : NULL; !err && key; key = next) {
		char *value;

		if ((next = strchr(key, ',')))
			*next++ = '\0';
		if ((value = strchr(key, '=')))
			*value++ = '\0';
		if (fsconfig(fs, value ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG,
			     key, value, 0) < 0)
			err = errno;
	}
	if (!err && (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0 ||
		     (mnt = fsmount(fs, FSMOUNT_CLOEXEC, attrs)) < 0))
		err = errno;
	close(fs);
	return err ? cfs_fail_call(e, err, "fsmount", "mount %s", type) : mnt;
}

int cfs_mount_clone(int dirfd, const char *path, int recursive,
		    unsigned attrs, struct cfs_err *e)
{
	int mnt = open_tree(dirfd, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
				    (*path ? 0 : AT_EMPTY_PATH) |
				    (recursive ? AT_RECURSIVE : 0));
	int rc;

	if (mnt < 0)
		return cfs_fail_call(e, errno, "open_tree", "bind %s",
				     *path ? path : "a mount");
	if (attrs && (rc = cfs_mount_setattr(mnt, recursive, attrs, 0, e))) {
		close(mnt);
		return rc;
	}
	return mnt;
}

int cfs_mount_setattr(int mnt, int recursive, unsigned set, unsigned clear,
		      struct cfs_err *e)
{
	struct mount_attr attr = { .attr_set = set, .attr_clr = clear };

	if (mount_setattr(mnt, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0),
			  &attr, sizeof(attr)) < 0)
		return cfs_fail_call(e, errno, "mount_setattr",
				     "make a mount%s%s%s",
				set & MOUNT_ATTR_RDONLY ? " read-only" : "",
				set & MOUNT_ATTR_NODEV ? " nodev" : "",
				clear & MOUNT_ATTR_NODEV ? " dev" : "");
	return 0;
}

int cfs_mount_propagate(int mnt, int recursive, unsigned long propagation,
			struct cfs_err *e)
{
	struct mount_attr attr = { .propagation = propagation };

	if (mount_setattr(mnt, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0),
			  &attr, sizeof(attr)) < 0)
		return cfs_fail_call(e, errno, "mount_setattr",
				     "change a mount's propagation");
	return 0;
}

int cfs_mount_move(int mnt, int target, struct cfs_err *e)
{
	if (move_mount(mnt, "", target, "",
		       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return cfs_fail_call(e, errno, "move_mount", "attach a mount");
	return 0;
}

int cfs_umount_lazy(const char *target, struct cfs_err *e)
{
	if (umount2(target, MNT_DETACH) < 0)
		return cfs_fail(e, errno, "unmount %s", target);
	return 0;
}
