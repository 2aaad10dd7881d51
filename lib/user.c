/* user.c: users and groups from the container's own files, see user.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "user.h"

static int parse_id(const char *s, unsigned *id)
{
	long v;

	if (cfs_parse_long(s, 0, 0xfffffffe, &v))
		return -1;
	*id = v;
	return 0;
}

/* The /etc/passwd entry of NAME (or, with NAME NULL, of UID): 1 found,
 * 0 not, -errno. */
static int find_user(const char *name, uid_t uid, uid_t *uid_out,
		     gid_t *gid_out)
{
	FILE *f = fopen("/etc/passwd", "re");
	struct passwd *pw;
	int found = 0;

	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (!found && (pw = fgetpwent(f)))
		if (name ? !strcmp(pw->pw_name, name) : pw->pw_uid == uid) {
			*uid_out = pw->pw_uid;
			*gid_out = pw->pw_gid;
			found = 1;
		}
	fclose(f);
	return found;
}

int cfs_group_parse(const char *name, gid_t *gid, struct cfs_err *e)
{
	struct group *gr;
	unsigned id;
	FILE *f;

	if (!parse_id(name, &id)) {
		*gid = id;
		return 0;
	}
	if (!(f = fopen("/etc/group", "re")))
		return cfs_fail(e, errno, "group %s: open /etc/group", name);
	while ((gr = fgetgrent(f)) && strcmp(gr->gr_name, name))
		;
	if (gr)
		*gid = gr->gr_gid;
	fclose(f);
	if (!gr)
		return cfs_fail(e, ENOENT, "group %s: not in the container's "
				"/etc/group", name);
	return 0;
}

int cfs_user_parse(const char *spec, uid_t *uid, gid_t *gid,
		   struct cfs_err *e)
{
	char *user = strdup(spec), *group;
	unsigned id;
	int rc = 0, found;

	if (!user)
		return cfs_fail(e, ENOMEM, "user %s", spec);
	if ((group = strchr(user, ':')))
		*group++ = '\0';
	if (!parse_id(user, &id)) {
		*uid = id;
		*gid = 0;
		found = find_user(NULL, id, uid, gid);
	} else {
		found = find_user(user, 0, uid, gid);
		if (found == 0)
			rc = cfs_fail(e, ENOENT, "user %s: not in the "
				      "container's /etc/passwd", user);
	}
	if (found < 0)
		rc = cfs_fail(e, -found, "user %s: open /etc/passwd", user);
	if (!rc && group)
		rc = *group ? cfs_group_parse(group, gid, e)
			    : cfs_fail(e, EINVAL, "user %s: empty group", spec);
	free(user);
	return rc;
}
