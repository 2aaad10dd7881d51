/* SPDX-License-Identifier: GPL-2.0-or-later */
/* user.c: users and groups from the container's own files, see user.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "user.h"
#include "core/parse.h"
#include "core/readfile.h"

static int parse_id(const char *s, unsigned *id)
{
	long v;

	if (cfs_parse_long(s, 0, 0xfffffffe, &v))
		return -1;
	*id = v;
	return 0;
}

/* FILE (/etc/passwd or /etc/group) of the current root, as a stream:
 * read whole, safely (lib/core/readfile.h), then parsed from memory. NULL with
 * *RC -ENOENT when it is missing, or another -errno. */
static FILE *open_db(const char *file, char **buf, int *rc, struct cfs_err *e)
{
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	size_t len;
	FILE *f;

	*buf = NULL;
	if (root < 0) {
		*rc = cfs_fail(e, errno, "open /");
		return NULL;
	}
	*rc = cfs_read_file_in_root(root, "", file, CFS_USERDB_MAX, buf, &len,
				    e);
	close(root);
	if (*rc)
		return NULL;
	if (!(f = fmemopen(*buf, len, "r"))) {
		*rc = cfs_fail(e, errno, "read %s", file);
		free(*buf);
		*buf = NULL;
	}
	return f;
}

static void close_db(FILE *f, char *buf)
{
	fclose(f);
	free(buf);
}

/* The /etc/passwd entry of NAME (or, with NAME NULL, of UID): 1 found,
 * 0 not (or no /etc/passwd), -errno. */
static int find_user(const char *name, uid_t uid, uid_t *uid_out,
		     gid_t *gid_out, struct cfs_err *e)
{
	struct passwd *pw;
	int found = 0;
	char *buf;
	FILE *f = open_db("/etc/passwd", &buf, &found, e);

	if (!f)
		return found == -ENOENT ? 0 : found;
	while (!found && (pw = fgetpwent(f)))
		if (name ? !strcmp(pw->pw_name, name) : pw->pw_uid == uid) {
			*uid_out = pw->pw_uid;
			*gid_out = pw->pw_gid;
			found = 1;
		}
	close_db(f, buf);
	return found;
}

int cfs_group_parse(const char *name, gid_t *gid, struct cfs_err *e)
{
	struct group *gr;
	unsigned id;
	char *buf;
	FILE *f;
	int rc;

	if (!parse_id(name, &id)) {
		*gid = id;
		return 0;
	}
	if (!(f = open_db("/etc/group", &buf, &rc, e)))
		return rc;
	while ((gr = fgetgrent(f)) && strcmp(gr->gr_name, name))
		;
	if (gr)
		*gid = gr->gr_gid;
	close_db(f, buf);
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
		found = find_user(NULL, id, uid, gid, e);
	} else {
		found = find_user(user, 0, uid, gid, e);
		if (found == 0)
			rc = cfs_fail(e, ENOENT, "user %s: not in the "
				      "container's /etc/passwd", user);
	}
	if (found < 0)
		rc = found; /* the message names /etc/passwd */
	if (!rc && group)
		rc = *group ? cfs_group_parse(group, gid, e)
			    : cfs_fail(e, EINVAL, "user %s: empty group", spec);
	free(user);
	return rc;
}

int cfs_user_home(uid_t uid, char **home, struct cfs_err *e)
{
	struct passwd *pw;
	int rc = 0;
	char *buf;
	FILE *f = open_db("/etc/passwd", &buf, &rc, e);

	*home = NULL;
	if (!f && rc != -ENOENT && rc != -EACCES)
		return rc;
	while (f && (pw = fgetpwent(f)))
		if (pw->pw_uid == uid) {
			*home = strdup(*pw->pw_dir ? pw->pw_dir : "/");
			break;
		}
	if (f)
		close_db(f, buf);
	if (!*home && !(*home = strdup("/")))
		return cfs_fail(e, ENOMEM, "read /etc/passwd");
	return 0;
}
