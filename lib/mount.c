/* mount.c: libmount, configured once: no mtab, no fstab, no
 * /sbin/mount.<type> helpers, no canonicalized paths, no user-mount
 * restrictions; errors turned into our messages. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <linux/mount.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mount.h"

static struct libmnt_context *new_context(void)
{
	struct libmnt_context *cxt = mnt_new_context();

	if (!cxt)
		return NULL;
	mnt_context_disable_mtab(cxt, 1);
	mnt_context_disable_helpers(cxt, 1);
	mnt_context_disable_canonicalize(cxt, 1);
	mnt_context_disable_swapmatch(cxt, 1);
	mnt_context_set_optsmode(cxt, MNT_OMODE_NOTAB); /* never fstab */
	/* We are never setuid: what we may mount is the kernel's to say, not
	 * libmount's guess from our uid (65534 in an unmapped user ns). */
	mnt_context_force_unrestricted(cxt);
	return cxt;
}

/* libmount returns 0, or less than 0: -errno, or -MNT_ERR_* for what it
 * found wrong itself. Fill *e from the syscall's errno when there is one. */
static int context_fail(struct libmnt_context *cxt, int rc, struct cfs_err *e,
			const char *what, const char *target)
{
	int err = mnt_context_get_syscall_errno(cxt);
	const char *why = NULL;

	switch (-rc) {
	case MNT_ERR_NOFSTYPE: why = "no filesystem type"; break;
	case MNT_ERR_NOSOURCE: why = "no source"; break;
	case MNT_ERR_MOUNTOPT: why = "bad mount options"; break;
	case MNT_ERR_APPLYFLAGS: why = "could not apply the mount flags"; break;
	case MNT_ERR_NAMESPACE: why = "could not switch namespace"; break;
	}
	if (err || !why)
		return cfs_fail(e, err ? err : rc < 0 && -rc < 4096 ? -rc : EINVAL,
				"%s %s", what, target);
	return cfs_fail(e, 0, "%s %s: libmount: %s", what, target, why);
}

/* Run the mount with CXT set up, free CXT, and fill *e on failure. */
static int do_mount(struct libmnt_context *cxt, const char *source,
		    const char *target, const char *type, const char *options,
		    const char *what, struct cfs_err *e)
{
	int rc;

	if ((source && mnt_context_set_source(cxt, source)) ||
	    mnt_context_set_target(cxt, target) ||
	    (type && mnt_context_set_fstype(cxt, type)) ||
	    (options && mnt_context_set_options(cxt, options)))
		rc = cfs_fail(e, ENOMEM, "%s %s", what, target);
	else if ((rc = mnt_context_mount(cxt)))
		rc = context_fail(cxt, rc, e, what, target);
	mnt_free_context(cxt);
	return rc;
}

int cfs_mount(const char *source, const char *target, const char *type,
	      const char *options, const char *name, struct cfs_err *e)
{
	struct libmnt_context *cxt = new_context();
	char what[4096];

	snprintf(what, sizeof(what), "mount %s on", name);
	if (!cxt)
		return cfs_fail(e, ENOMEM, "%s %s", what, target);
	return do_mount(cxt, source, target, type, options, what, e);
}

int cfs_move_mount(const char *source, const char *target, struct cfs_err *e)
{
	struct libmnt_context *cxt = new_context();
	char what[4096];

	snprintf(what, sizeof(what), "move mount %s to", source);
	if (!cxt || mnt_context_set_mflags(cxt, MS_MOVE))
		return cfs_fail(e, ENOMEM, "%s %s", what, target);
	return do_mount(cxt, source, target, NULL, NULL, what, e);
}

/* Not through libmount: it looks TARGET up in /proc/self/mountinfo, which
 * a new root just pivoted into has no proc for yet (or at all, --no-proc). */
int cfs_umount_lazy(const char *target, struct cfs_err *e)
{
	if (umount2(target, MNT_DETACH) < 0)
		return cfs_fail(e, errno, "unmount %s", target);
	return 0;
}

int cfs_make_readonly_recursive(const char *target, struct cfs_err *e)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

	if (syscall(SYS_mount_setattr, AT_FDCWD, target, AT_RECURSIVE, &attr,
		    sizeof(attr)) < 0)
		return cfs_fail(e, errno, "make %s read-only", target);
	return 0;
}
