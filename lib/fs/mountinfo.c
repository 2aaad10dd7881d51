/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountinfo.c: /proc/self/mountinfo, a line a mount:
 *
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   ID PARENT MAJ:MIN ROOT TARGET MOUNT-OPTIONS [OPTIONAL...] - TYPE SOURCE OPTIONS
 *
 * with spaces, tabs, newlines and backslashes in paths written as \040,
 * \011, \012, \134. Read here rather than with libmount: it is all we
 * needed libmount for, and loading it (with blkid, selinux, pcre2) cost
 * every exec 0.6 ms. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "mountinfo.h"

FILE *cfs_mountinfo_open(struct cfs_err *e)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		cfs_fail(e, errno, "open /proc/self/mountinfo");
	return f;
}

/* Unescape FIELD in place: an escape is longer than the byte it stands
 * for. */
static char *unescape(char *field)
{
	char *out = field;

	for (const char *p = field; *p; out++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' &&
		    p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			*out = (p[1] - '0') * 64 + (p[2] - '0') * 8 + p[3] - '0';
			p += 4;
		} else {
			*out = *p++;
		}
	}
	*out = '\0';
	return field;
}

int cfs_mountinfo_next(FILE *f, struct cfs_mountinfo *m, struct cfs_err *e)
{
	ssize_t len;

	while ((len = getline(&m->line, &m->cap, f)) > 0) {
		char *save, *field[6], *sep, *type, *options;
		unsigned major, minor;
		int i;

		m->line[strcspn(m->line, "\n")] = '\0';
		for (i = 0; i < 6; i++)
			if (!(field[i] = strtok_r(i ? NULL : m->line, " ", &save)))
				break;
		/* the optional fields end with "-" */
		while (i == 6 && (sep = strtok_r(NULL, " ", &save)) &&
		       strcmp(sep, "-"))
			;
		type = i == 6 ? strtok_r(NULL, " ", &save) : NULL;
		options = type && strtok_r(NULL, " ", &save)
				  ? strtok_r(NULL, " ", &save)
				  : NULL;
		if (!options || sscanf(field[2], "%u:%u", &major, &minor) != 2)
			continue; /* not a line of this format */
		m->dev = makedev(major, minor);
		m->root = unescape(field[3]);
		m->target = unescape(field[4]);
		m->fstype = type;
		m->options = options;
		return 1;
	}
	if (ferror(f))
		return cfs_fail(e, errno ? errno : EIO, "read /proc/self/mountinfo");
	return 0;
}

void cfs_mountinfo_done(struct cfs_mountinfo *m)
{
	free(m->line);
	m->line = NULL;
	m->cap = 0;
}
