/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tools/oci/state.c: state.json of a container's state directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "oci/state.h"

int cfs_oci_check_id(const char *id, struct cfs_err *e)
{
	size_t len = strlen(id);

	if (!len || len > 200 || *id == '.' ||
	    strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		       "0123456789_+-.:") != len)
		return cfs_fail(e, 0, "container ID %.200s: 1 to 200 of "
				"A-Z a-z 0-9 _ + - . :, not starting with a dot",
				id);
	return 0;
}

static int copy(char *dst, size_t size, json_t *root, const char *key)
{
	const char *s = json_string_value(json_object_get(root, key));

	if (!s || strlen(s) >= size)
		return -1;
	strcpy(dst, s);
	return 0;
}

int cfs_oci_state_read(int dirfd, const char *path, struct cfs_oci_state *s,
		       struct cfs_err *e)
{
	json_error_t je;
	json_t *root, *a;
	int fd;

	memset(s, 0, sizeof(*s));
	if ((fd = openat(dirfd, "state.json", O_RDONLY | O_NOFOLLOW |
			 O_CLOEXEC)) < 0)
		return cfs_fail(e, errno, "read %s/state.json", path);
	root = json_loadfd(fd, JSON_REJECT_DUPLICATES, &je);
	close(fd);
	if (!root || copy(s->id, sizeof(s->id), root, "id") ||
	    copy(s->bundle, sizeof(s->bundle), root, "bundle") ||
	    copy(s->cgroup, sizeof(s->cgroup), root, "cgroup") ||
	    copy(s->created, sizeof(s->created), root, "created") ||
	    !json_is_integer(json_object_get(root, "pid")) ||
	    !json_is_integer(json_object_get(root, "starttime"))) {
		json_decref(root);
		return cfs_fail(e, 0, "read %s/state.json: not cfs-oci's state",
				path);
	}
	s->pid = json_integer_value(json_object_get(root, "pid"));
	s->starttime = json_integer_value(json_object_get(root, "starttime"));
	if ((a = json_object_get(root, "annotations")) && json_is_object(a))
		s->annotations = json_incref(a);
	json_decref(root);
	return 0;
}

int cfs_oci_state_write(int dirfd, const char *path,
			const struct cfs_oci_state *s, struct cfs_err *e)
{
	json_t *root = json_pack("{s:s, s:i, s:I, s:s, s:s, s:s, s:O?}",
				 "id", s->id, "pid", (int)s->pid, "starttime",
				 (json_int_t)s->starttime, "bundle", s->bundle,
				 "cgroup", s->cgroup, "created", s->created,
				 "annotations", s->annotations);
	int fd, rc = 0;

	if (!root)
		return cfs_fail(e, ENOMEM, "write %s/state.json", path);
	unlinkat(dirfd, "state.json.tmp", 0);
	if ((fd = openat(dirfd, "state.json.tmp",
			 O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		rc = cfs_fail(e, errno, "write %s/state.json", path);
	else if (json_dumpfd(root, fd, JSON_COMPACT) < 0 || close(fd) < 0)
		rc = cfs_fail(e, EIO, "write %s/state.json", path);
	else if (renameat(dirfd, "state.json.tmp", dirfd, "state.json") < 0)
		rc = cfs_fail(e, errno, "write %s/state.json", path);
	json_decref(root);
	return rc;
}

void cfs_oci_state_free(struct cfs_oci_state *s)
{
	json_decref(s->annotations);
	s->annotations = NULL;
}

unsigned long long cfs_oci_starttime(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long t = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (pid <= 0 || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* after the comm's last ')': state is field 3, starttime 22 */
	if (!(p = strrchr(buf, ')')) || p[1] != ' ' || p[2] == 'Z' ||
	    p[2] == 'X')
		return 0;
	p += 2;
	for (int field = 3; field < 22 && p; field++)
		if ((p = strchr(p, ' ')))
			p++;
	if (p)
		t = strtoull(p, NULL, 10);
	return t;
}

const char *cfs_oci_status(int dirfd, const struct cfs_oci_state *s)
{
	if (!s->pid)
		return "creating";
	if (cfs_oci_starttime(s->pid) != s->starttime)
		return "stopped";
	if (faccessat(dirfd, "exec.fifo", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return "created";
	return cfs_oci_frozen(s) == 1 ? "paused" : "running";
}

int cfs_oci_frozen(const struct cfs_oci_state *s)
{
	struct cfs_cgroup cg;
	struct cfs_err e;
	int rc;

	if (!s->cgroup[0] || (rc = cfs_cgroup_open(&cg, s->cgroup, "", &e)))
		return 0;
	rc = cfs_cgroup_frozen(&cg, &e);
	return rc < 0 ? 0 : rc;
}

json_t *cfs_oci_state_json(const struct cfs_oci_state *s, const char *status)
{
	bool stopped = !strcmp(status, "stopped");

	return json_pack("{s:s, s:s, s:s, s:i, s:s, s:o}", "ociVersion",
			 CFS_OCI_VERSION, "id", s->id, "status", status, "pid",
			 stopped ? 0 : (int)s->pid, "bundle", s->bundle,
			 "annotations", s->annotations ? json_incref(s->annotations)
						       : json_object());
}
