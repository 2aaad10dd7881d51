/* cgroup.c: cgroups found through libmount, v1 and v2 alike. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"

/* Does the superblock option string OPTS have option NAME ("pids"), or
 * for "name=systemd" the option name with that value? */
static bool has_option(const char *opts, const char *name)
{
	const char *eq = strchr(name, '=');
	char key[64], *value;
	size_t len;

	snprintf(key, sizeof(key), "%.*s",
		 eq ? (int)(eq - name) : (int)strlen(name), name);
	if (!opts || mnt_optstr_get_option(opts, key, &value, &len))
		return false;
	return !eq || (len == strlen(eq + 1) && !strncmp(value, eq + 1, len));
}

/* Is FS a mount of HIERARCHY: cgroup2 for "", else a v1 cgroup with
 * every controller of the comma-separated list? */
static bool is_hierarchy(struct libmnt_fs *fs, const char *hierarchy)
{
	const char *type = mnt_fs_get_fstype(fs);
	char list[256], *save, *c;

	if (!type)
		return false;
	if (!*hierarchy)
		return !strcmp(type, "cgroup2");
	if (strcmp(type, "cgroup"))
		return false;
	snprintf(list, sizeof(list), "%s", hierarchy);
	for (c = strtok_r(list, ",", &save); c; c = strtok_r(NULL, ",", &save))
		if (!has_option(mnt_fs_get_fs_options(fs), c))
			return false;
	return true;
}

/* PATH as seen from a mount whose root is ROOT, or NULL when the mount
 * does not show it. */
static const char *below(const char *root, const char *path)
{
	size_t len = strlen(root);

	if (!strcmp(root, "/"))
		return path;
	if (strncmp(path, root, len) || (path[len] && path[len] != '/'))
		return NULL;
	return path + len;
}

int cfs_cgroup_dir(const char *hierarchy, const char *path, char *dir,
		   size_t size, struct cfs_err *e)
{
	struct libmnt_table *tb = mnt_new_table_from_file("/proc/self/mountinfo");
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	int rc = -ENOENT;

	if (!tb || !it) {
		rc = cfs_fail(e, ENOMEM, "read /proc/self/mountinfo");
		goto out;
	}
	while (rc && mnt_table_next_fs(tb, it, &fs) == 0) {
		const char *rest, *root = mnt_fs_get_root(fs);

		if (!is_hierarchy(fs, hierarchy) || !root ||
		    !(rest = below(root, path)))
			continue;
		if ((size_t)snprintf(dir, size, "%s%s", mnt_fs_get_target(fs),
				     rest) >= size)
			rc = cfs_fail(e, ENAMETOOLONG, "cgroup %s", path);
		else
			rc = 0;
	}
	if (rc == -ENOENT)
		cfs_fail(e, 0, "cgroup %s:%s: no mount of %s shows it here",
			 *hierarchy ? hierarchy : "(v2)", path,
			 *hierarchy ? "that hierarchy" : "cgroup2");
out:
	mnt_free_iter(it);
	mnt_unref_table(tb);
	return rc;
}

enum { MAX_HIERARCHIES = 32 };

/* The cgroup.procs files of TARGET's cgroups, from /proc/TARGET/cgroup:
 * "ID:CONTROLLERS:PATH" a line, v2's "0::PATH". */
static int procs_files(pid_t target, char (*files)[4096], int *n,
		       struct cfs_err *e)
{
	char path[64], line[4096 + 256];
	int rc = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)target);
	if (!(f = fopen(path, "re")))
		return cfs_fail(e, errno, "open %s", path);
	*n = 0;
	while (!rc && fgets(line, sizeof(line), f)) {
		char *ctrl = strchr(line, ':'), *cg = ctrl ? strchr(ctrl + 1, ':')
							   : NULL;
		if (!cg) {
			rc = cfs_fail(e, 0, "read %s: bad line %s", path, line);
			break;
		}
		*ctrl++ = *cg++ = '\0';
		cg[strcspn(cg, "\n")] = '\0';
		if (*n == MAX_HIERARCHIES)
			rc = cfs_fail(e, E2BIG, "read %s", path);
		else if ((rc = cfs_cgroup_dir(ctrl, cg, files[*n], 4096 - 14,
					      e)) == -ENOENT &&
			 !*ctrl && !strcmp(cg, "/"))
			rc = 0;	/* v2 unused: nothing mounted, nothing to join */
		else if (!rc)
			strcat(files[(*n)++], "/cgroup.procs");
	}
	fclose(f);
	return rc;
}

int cfs_cgroup_join_of(pid_t target, struct cfs_err *e)
{
	char (*files)[4096] = calloc(MAX_HIERARCHIES, sizeof(*files));
	char pid[32];
	int n, rc;

	if (!files)
		return cfs_fail(e, ENOMEM, "join the cgroups of %d", (int)target);
	rc = procs_files(target, files, &n, e);
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	for (int i = 0; !rc && i < n; i++) {
		int fd = open(files[i], O_WRONLY | O_CLOEXEC);

		if (fd < 0 || write(fd, pid, strlen(pid)) < 0)
			rc = cfs_fail(e, errno, "write %s", files[i]);
		if (fd >= 0)
			close(fd);
	}
	free(files);
	return rc;
}
