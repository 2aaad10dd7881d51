/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup-name.c: the rule for a cgroup's NAME below the cfs parent, and
 * how a message shows a name that breaks it. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The bytes of a NAME component (systemd's for unit names). */
#define NAME_CHARS                                                         \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-"

const char *cfs_cg_shown(const char *name, char *buf, size_t size)
{
	size_t n = 0;

	for (const unsigned char *c = (const unsigned char *)name;
	     *c && n + 5 < size; c++) {
		bool plain = strchr(NAME_CHARS "/", *c);

		n += snprintf(buf + n, size - n, plain ? "%c" : "\\x%02x", *c);
	}
	buf[n] = '\0';
	return buf;
}

int cfs_cg_fail_at(struct cfs_err *e, int errnum, const char *op,
		   const char *path)
{
	char buf[sizeof(e->msg)];

	return cfs_fail(e, errnum, "%s %s", op,
			cfs_cg_shown(path, buf, sizeof(buf)));
}

/* Is the component C, LEN bytes, the name of a cgroup control file: one
 * of v1's three without a dot, or PREFIX.anything for a controller, cgroup.
 * or v2's irq.pressure? The whole PREFIX. space is refused, not today's
 * files alone: kernels add files (memory.peak in 5.19, irq.pressure in
 * 6.1) and controllers (dmem in 6.14). */
static bool is_control_file(const char *c, size_t len)
{
	static const char *const plain[] = { "tasks", "notify_on_release",
					     "release_agent", NULL };
	static const char *const more[] = { "cgroup", "irq", "dmem", NULL };
	const char *dot = memchr(c, '.', len);
	size_t pre = dot ? (size_t)(dot - c) : 0;

	for (int k = 0; plain[k]; k++)
		if (len == strlen(plain[k]) && !strncmp(c, plain[k], len))
			return true;
	for (int k = 0; dot && cfs_cg_known[k]; k++)
		if (pre == strlen(cfs_cg_known[k]) &&
		    !strncmp(c, cfs_cg_known[k], pre))
			return true;
	for (int k = 0; dot && more[k]; k++)
		if (pre == strlen(more[k]) && !strncmp(c, more[k], pre))
			return true;
	return false;
}

/* systemd's rule for unit names: components of A-Z a-z 0-9 _ . : -, none
 * starting with a dot, none a control file's name. */
int cfs_cg_check_name(const char *name, struct cfs_err *e)
{
	char buf[1024];
	const char *c = name;

	if (!*name || strlen(name) > CFS_CGROUP_NAME_MAX)
		return cfs_fail(e, 0, "%s: a NAME is 1 to %d characters",
				cfs_cg_shown(name, buf, sizeof(buf)),
				CFS_CGROUP_NAME_MAX);
	if (*name == '/')
		return cfs_fail(e, 0,
				"%s: NAME must be relative to the cfs parent, "
				"not absolute", cfs_cg_shown(name, buf, sizeof(buf)));
	for (; *c; c += strcspn(c, "/"), c += !!*c) {
		size_t len = strcspn(c, "/");

		if (!len || (len == 1 && c[0] == '.') ||
		    (len == 2 && !strncmp(c, "..", 2)))
			return cfs_fail(e, 0,
					"%s: NAME must stay below the cfs "
					"parent (no empty, . or .. component)",
					cfs_cg_shown(name, buf, sizeof(buf)));
		if (strspn(c, NAME_CHARS) < len)
			return cfs_fail(e, 0, "%s: NAME components are made "
					"of A-Z a-z 0-9 _ . : -",
					cfs_cg_shown(name, buf, sizeof(buf)));
		if (*c == '.')
			return cfs_fail(e, 0, "%s: a NAME component may not "
					"start with .",
					cfs_cg_shown(name, buf, sizeof(buf)));
		if (is_control_file(c, len))
			return cfs_fail(e, 0, "%s: a NAME component may not be "
					"a cgroup control file's name (tasks, "
					"notify_on_release, release_agent, "
					"CONTROLLER.*, cgroup.*)",
					cfs_cg_shown(name, buf, sizeof(buf)));
	}
	return 0;
}
