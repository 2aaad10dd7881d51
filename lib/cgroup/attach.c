/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup-attach.c: move processes into cgroups: into a cgroup of ours
 * (cfs_cgroup_attach, or a child started in it by clone3), or into every
 * cgroup another process is in (cfs_cgroup_join_of). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "process/exec.h"

typedef char join_file[PATH_MAX];

/* The files that move us into TARGET's cgroups, from
 * ROOT/proc/TARGET/cgroup ("ID:CONTROLLERS:PATH" a line, v2's "0::PATH"). */
static int join_files(const char *root, pid_t target, join_file *files,
		      int *n, struct cfs_err *e)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	int rc = 0;
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s/proc/%d/cgroup", root,
			     (int)target) >= sizeof(path))
		return cfs_fail(e, ENAMETOOLONG, "open %s/proc/%d/cgroup", root,
				(int)target);
	if (!(f = fopen(path, "re")))
		return cfs_fail(e, errno, "open %s", path);
	*n = 0;
	while (!rc && getline(&line, &cap, f) > 0) {
		char *ctrl = strchr(line, ':'), *cg = ctrl ? strchr(ctrl + 1, ':')
							   : NULL;
		bool v2;

		line[strcspn(line, "\n")] = '\0';
		if (!cg) {
			rc = cfs_fail(e, 0, "read %s: bad line %s", path, line);
			break;
		}
		*ctrl++ = *cg++ = '\0';
		v2 = !*ctrl;
		if (*n == CFS_CGROUP_MAX_JOIN)
			rc = cfs_fail(e, E2BIG, "read %s: more than %d cgroups",
				      path, CFS_CGROUP_MAX_JOIN);
		else if ((rc = cfs_cgroup_dir(root, ctrl, cg, files[*n],
					      sizeof(*files) -
						      strlen(cfs_cg_self_file(v2)),
					      e)) == -ENOENT &&
			 v2 && !strcmp(cg, "/"))
			rc = 0;	/* v2 unused: nothing mounted, nothing to join */
		else if (!rc)
			strcat(files[(*n)++], cfs_cg_self_file(v2));
	}
	free(line);
	fclose(f);
	return rc;
}

int cfs_cgroup_join_of(const char *root, pid_t target, struct cfs_err *e)
{
	join_file *files = calloc(CFS_CGROUP_MAX_JOIN, sizeof(*files));
	int n, rc;

	if (!files)
		return cfs_fail(e, ENOMEM, "join the cgroups of %d", (int)target);
	rc = join_files(root, target, files, &n, e);
	for (int i = 0; !rc && i < n; i++) {
		int fd = open(files[i], O_WRONLY | O_CLOEXEC);

		if (fd < 0 || write(fd, "0\n", 2) < 0)
			rc = cfs_fail(e, errno, "write %s", files[i]);
		if (fd >= 0)
			close(fd);
	}
	free(files);
	return rc;
}

int cfs_cgroup_name_of(const char *root, pid_t pid, char *name, size_t size,
		       struct cfs_err *e)
{
	join_file *files = calloc(CFS_CGROUP_MAX_JOIN, sizeof(*files));
	struct cfs_cgroup *cg = calloc(1, sizeof(*cg));
	int n = 0, rc;

	if (!files || !cg) {
		rc = cfs_fail(e, ENOMEM, "read the cgroups of %d", (int)pid);
		goto out;
	}
	if ((rc = cfs_cgroup_open(cg, NULL, root, e)) ||
	    (rc = join_files(root, pid, files, &n, e)))
		goto out;
	for (int k = 0; !rc && k < n; k++) {
		*strrchr(files[k], '/') = '\0'; /* the self file */
		for (int i = 0; !rc && i < cg->n; i++) {
			size_t len = strlen(cg->hier[i].mount);
			const char *rest = files[k] + len;

			if (strncmp(files[k], cg->hier[i].mount, len) ||
			    strncmp(rest, "/" CFS_CGROUP_PARENT "/",
				    strlen(CFS_CGROUP_PARENT) + 2))
				continue;
			rest += strlen(CFS_CGROUP_PARENT) + 2;
			if (strlen(rest) >= size)
				rc = cfs_fail(e, ENAMETOOLONG, "cgroup %s: longer "
					      "than %zu bytes", files[k], size - 1);
			else
				rc = !!strcpy(name, rest);
		}
	}
out:
	free(files);
	free(cg);
	return rc;
}

int cfs_cgroup_attach(struct cfs_cgroup *cg, pid_t pid, bool v1_only,
		      struct cfs_err *e)
{
	char path[PATH_MAX], text[32];
	int rc;

	snprintf(text, sizeof(text), "%d\n", (int)pid); /* 12 bytes at most */
	for (int i = 0; i < cg->n; i++) {
		if (!(cg->use & (1u << i)) || (v1_only && cg->hier[i].v2))
			continue;
		/* fits: see cfs_cg_dir_of */
		cfs_cg_dir_of(cg, i, strlen(cg->name), path);
		strcat(path, pid == 0 ? cfs_cg_self_file(cg->hier[i].v2)
				      : "/cgroup.procs");
		if ((rc = cfs_cg_write(path, text)) == -ESRCH)
			return cfs_fail(e, 0, "write %d to %s: no such process",
					(int)pid, path);
		if (rc)
			return cfs_fail(e, -rc, "write %d to %s", (int)pid, path);
	}
	return 0;
}

void cfs_cgroup_free_steps(struct cfs_step *steps)
{
	for (struct cfs_step *s = steps; s && s->op != CFS_STEP_END; s++) {
		free((char *)s->path);
		free((char *)s->msg);
	}
	free(steps);
}

struct cfs_step *cfs_cgroup_attach_steps(const struct cfs_cgroup *cg,
					 struct cfs_err *e)
{
	struct cfs_step *steps = calloc(cg->n + 1, sizeof(*steps));
	int n = 0;

	for (int i = 0; steps && i < cg->n; i++) {
		char dir[PATH_MAX], *path = NULL, *msg = NULL;

		if (!(cg->use & (1u << i)))
			continue;
		cfs_cg_dir_of(cg, i, strlen(cg->name), dir);
		if (asprintf(&path, "%s%s", dir,
			     cfs_cg_self_file(cg->hier[i].v2)) < 0 ||
		    asprintf(&msg, "write 0 to %s", path) < 0) {
			free(path);
			steps[n].op = CFS_STEP_END;
			cfs_cgroup_free_steps(steps);
			steps = NULL;
			break;
		}
		steps[n++] = (struct cfs_step){ .op = CFS_STEP_WRITE_FILE,
						.path = path, .text = "0\n",
						.msg = msg };
	}
	if (!steps) {
		cfs_fail(e, ENOMEM, "attach to cgroup %s", cg->name);
		return NULL;
	}
	steps[n] = (struct cfs_step){ .op = CFS_STEP_END };
	return steps;
}

int cfs_cgroup_open_v2(struct cfs_cgroup *cg)
{
	char dir[PATH_MAX];

	if (cg->v2 < 0 || !(cg->use & (1u << cg->v2)))
		return -1;
	cfs_cg_dir_of(cg, cg->v2, strlen(cg->name), dir);
	return open(dir, O_RDONLY | O_CLOEXEC | O_DIRECTORY);
}
