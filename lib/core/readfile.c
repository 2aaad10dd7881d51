/* SPDX-License-Identifier: GPL-2.0-or-later */
/* readfile.c: a file of a root the container controls, see readfile.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"
#include "readfile.h"

/* "1 MiB" for the limits above, else bytes */
static const char *size_text(size_t max, char buf[32])
{
	if (max % (1 << 20) == 0)
		snprintf(buf, 32, "%zu MiB", max >> 20);
	else
		snprintf(buf, 32, "%zu bytes", max);
	return buf;
}

int cfs_read_file_in_root(int rootfd, const char *rootname, const char *path,
			  size_t max, char **buf, size_t *len,
			  struct cfs_err *e)
{
	int fd = cfs_open_in_root(rootfd, rootname, path,
				  O_RDONLY | O_NONBLOCK | O_NOCTTY, e);
	char *data = NULL, limit[32];
	struct stat st;
	size_t n = 0;
	ssize_t got;
	int r = 0;

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		r = cfs_fail(e, errno, "read %s%s", rootname, path);
	else if (!S_ISREG(st.st_mode))
		r = cfs_fail(e, 0, "read %s%s: not a regular file", rootname,
			     path);
	else if ((unsigned long long)st.st_size > max)
		r = cfs_fail(e, 0, "read %s%s: larger than the limit of %s",
			     rootname, path, size_text(max, limit));
	else if (!(data = malloc(max + 1)))
		r = cfs_fail(e, ENOMEM, "read %s%s", rootname, path);
	/* to the end, or one byte over the limit: it may have grown */
	while (!r && n <= max && (got = read(fd, data + n, max + 1 - n)))
		if (got > 0)
			n += got;
		else if (errno != EINTR)
			r = cfs_fail(e, errno, "read %s%s", rootname, path);
	if (!r && n > max)
		r = cfs_fail(e, 0, "read %s%s: larger than the limit of %s",
			     rootname, path, size_text(max, limit));
	close(fd);
	if (r) {
		free(data);
		return r;
	}
	data[n] = '\0';
	*buf = data;
	*len = n;
	return 0;
}
