/* SPDX-License-Identifier: GPL-2.0-or-later */
/* idmap.c: uid and gid maps, /etc/subuid and /etc/subgid.
 *
 * No NSS here (a statically linked tool uses it): the user's name, which
 * /etc/subuid lines may give instead of the uid, is read from
 * /etc/passwd itself, as newuidmap(1) finds it on a plain system. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idmap.h"

#define MAX_ID 4294967295UL /* (u32)-1 is no ID: an end, at most */

int cfs_idmap_add(struct cfs_idmap *m, const char *from, unsigned long inner,
		  unsigned long outer, unsigned long count, struct cfs_err *e)
{
	if (m->n == CFS_IDMAP_MAX)
		return cfs_fail(e, 0, "%s: more than %d %s map lines", from,
				CFS_IDMAP_MAX, m->name);
	m->r[m->n].inner = inner;
	m->r[m->n].outer = outer;
	m->r[m->n].count = count;
	snprintf(m->r[m->n++].from, sizeof(m->r[0].from), "%s", from);
	return 0;
}

static bool parse_id(const char **s, char end, unsigned long *v)
{
	char *after;

	if (**s < '0' || **s > '9')
		return false;
	errno = 0;
	*v = strtoul(*s, &after, 10);
	*s = after;
	return !errno && *v < MAX_ID && **s == end && (*s)++;
}

/* Our name in /etc/passwd, for the /etc/subuid lines that give it; NULL
 * when it has none. */
static const char *user_name(uid_t uid, char *buf, size_t size)
{
	FILE *f = fopen("/etc/passwd", "re");
	struct passwd *pw;
	const char *name = NULL;

	while (f && (pw = fgetpwent(f)))
		if (pw->pw_uid == uid) {
			snprintf(buf, size, "%s", pw->pw_name);
			name = buf;
			break;
		}
	if (f)
		fclose(f);
	return name;
}

/* Our ranges in M's /etc/subuid (subgid): lines NAME:START:COUNT or
 * UID:START:COUNT, into R (inner unused). WHO: our name for messages. */
static int subid_ranges(const struct cfs_idmap *m, struct cfs_idmap *r,
			char *who, size_t size)
{
	char line[512], id[32], namebuf[256];
	uid_t uid = geteuid();
	const char *name = user_name(uid, namebuf, sizeof(namebuf));
	FILE *f = fopen(m->subid_file, "re");

	snprintf(id, sizeof(id), "%u", (unsigned)uid);
	if (name)
		snprintf(who, size, "%s (uid %u)", name, (unsigned)uid);
	else
		snprintf(who, size, "uid %u", (unsigned)uid);
	r->n = 0;
	while (f && fgets(line, sizeof(line), f) && r->n < CFS_IDMAP_MAX) {
		size_t len = strcspn(line, ":");
		const char *s = line + len + 1;
		unsigned long start, count;

		if (line[len] != ':' ||
		    !((name && len == strlen(name) && !strncmp(line, name, len)) ||
		      (len == strlen(id) && !strncmp(line, id, len))) ||
		    !parse_id(&s, ':', &start) || !parse_id(&s, '\n', &count) ||
		    !count)
			continue;
		r->r[r->n].outer = start;
		r->r[r->n++].count = count;
	}
	if (f)
		fclose(f);
	return r->n;
}

static int no_entry(const struct cfs_idmap *m, const char *from,
		    const char *who, struct cfs_err *e)
{
	return cfs_fail(e, 0,
			"%s: no entry for %s in %s: ask for a range of "
			"subordinate IDs (usermod --add-sub%cids)",
			from, who, m->subid_file, m->name[0]);
}

int cfs_idmap_parse(struct cfs_idmap *m, const char *from, const char *arg,
		    struct cfs_err *e)
{
	unsigned long inner, outer, count;
	struct cfs_idmap sub = { 0 };
	const char *s = arg;
	char who[300];

	if (!strcmp(arg, "auto")) {
		if (!subid_ranges(m, &sub, who, sizeof(who)))
			return no_entry(m, from, who, e);
		return cfs_idmap_add(m, from, 0, m->own, 1, e) ?:
		       cfs_idmap_add(m, from, 1, sub.r[0].outer, sub.r[0].count, e);
	}
	if (!parse_id(&s, ':', &inner) || !parse_id(&s, ':', &outer) ||
	    !parse_id(&s, '\0', &count) || !count || inner + count > MAX_ID ||
	    outer + count > MAX_ID)
		return cfs_fail(e, 0,
				"%s: not INNER:OUTER:COUNT (IDs below %lu, "
				"COUNT above 0) or auto", from, MAX_ID);
	return cfs_idmap_add(m, from, inner, outer, count, e);
}

bool cfs_idmap_is_own(const struct cfs_idmap *m)
{
	return m->n == 1 && m->r[0].count == 1 && m->r[0].outer == m->own;
}

static bool overlap(unsigned long a, unsigned long b, unsigned long count_a,
		    unsigned long count_b)
{
	return a < b + count_b && b < a + count_a;
}

/* newuidmap's rule: our own ID alone, or inside one of our ranges. */
static int check_allowed(const struct cfs_idmap *m, struct cfs_err *e)
{
	struct cfs_idmap sub = { 0 };
	char who[300];

	for (int i = 0; i < m->n; i++) {
		unsigned long o = m->r[i].outer, c = m->r[i].count;
		int k;

		if (c == 1 && o == m->own)
			continue;
		if (!sub.n && !subid_ranges(m, &sub, who, sizeof(who)))
			return no_entry(m, m->r[i].from, who, e);
		for (k = 0; k < sub.n; k++)
			if (o >= sub.r[k].outer &&
			    o + c <= sub.r[k].outer + sub.r[k].count)
				break;
		if (k < sub.n)
			continue;
		for (k = 0; k < sub.n; k++)
			if (overlap(o, sub.r[k].outer, c, sub.r[k].count))
				return cfs_fail(e, 0,
						"%s: larger than the range "
						"%lu:%lu of %s in %s", m->r[i].from,
						sub.r[k].outer, sub.r[k].count,
						who, m->subid_file);
		return cfs_fail(e, 0,
				"%s: %ss %lu-%lu are not in the ranges of %s "
				"in %s (%lu:%lu%s)", m->r[i].from, m->name, o,
				o + c - 1, who, m->subid_file, sub.r[0].outer,
				sub.r[0].count, sub.n > 1 ? ", ..." : "");
	}
	return 0;
}

int cfs_idmap_check(const struct cfs_idmap *m, struct cfs_err *e)
{
	for (int i = 0; i < m->n; i++)
		for (int k = i + 1; k < m->n; k++) {
			bool in = overlap(m->r[i].inner, m->r[k].inner,
					  m->r[i].count, m->r[k].count);

			if (in || overlap(m->r[i].outer, m->r[k].outer,
					  m->r[i].count, m->r[k].count))
				return cfs_fail(e, 0,
						"%s and %s: overlapping maps "
						"(both map %s %ss)", m->r[i].from,
						m->r[k].from,
						in ? "the same inner" : "onto the same",
						m->name);
		}
	return geteuid() ? check_allowed(m, e) : 0;
}

static int write_file(pid_t pid, const char *file, const char *text,
		      struct cfs_err *e)
{
	char path[64];
	int fd, rc = 0;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	else
		snprintf(path, sizeof(path), "/proc/self/%s", file);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return cfs_fail(e, errno, "open %s", path);
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		rc = cfs_fail(e, errno, "write \"%.*s\" to %s",
			      (int)strcspn(text, "\n"), text, path);
	close(fd);
	return rc;
}

int cfs_idmap_write(pid_t pid, const struct cfs_idmap *m, struct cfs_err *e)
{
	char text[CFS_IDMAP_MAX * 40] = "", file[16];

	for (int i = 0; i < m->n; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "%lu %lu %lu\n", m->r[i].inner, m->r[i].outer,
			 m->r[i].count);
	snprintf(file, sizeof(file), "%s_map", m->name);
	return write_file(pid, file, text, e);
}

/* newuidmap PID INNER OUTER COUNT... (newgidmap), found in $PATH. */
static int run_newidmap(pid_t pid, const struct cfs_idmap *m,
			struct cfs_err *e)
{
	char prog[16], args[CFS_IDMAP_MAX * 3 + 1][24];
	char *argv[CFS_IDMAP_MAX * 3 + 3];
	extern char **environ;
	int n = 0, status, rc;
	pid_t child;

	snprintf(prog, sizeof(prog), "new%smap", m->name);
	argv[n++] = prog;
	snprintf(args[0], sizeof(args[0]), "%d", (int)pid);
	argv[n++] = args[0];
	for (int i = 0; i < m->n; i++) {
		snprintf(args[n - 1], sizeof(args[0]), "%lu", m->r[i].inner);
		argv[n] = args[n - 1], n++;
		snprintf(args[n - 1], sizeof(args[0]), "%lu", m->r[i].outer);
		argv[n] = args[n - 1], n++;
		snprintf(args[n - 1], sizeof(args[0]), "%lu", m->r[i].count);
		argv[n] = args[n - 1], n++;
	}
	argv[n] = NULL;
	if ((rc = posix_spawnp(&child, prog, NULL, NULL, argv, environ)))
		return cfs_fail(e, rc == ENOENT ? 0 : rc, "run %s%s", prog,
				rc == ENOENT ? ": not found in $PATH: install "
					       "the uidmap package" : "");
	if (waitpid(child, &status, 0) < 0)
		return cfs_fail(e, errno, "wait for %s", prog);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return cfs_fail(e, 0, "%s %s %s %s%s: failed (see above)", prog,
				argv[1], argv[2], argv[3], n > 5 ? " ..." : "");
	return 0;
}

/* The helper's job, from outside the new user namespace of PID. */
static int write_from_outside(void *arg, pid_t pid, struct cfs_err *e)
{
	struct cfs_idmaps *m = arg;
	int rc = 0;

	if (m->setgroups && (!strcmp(m->setgroups, "deny") || !geteuid()))
		rc = write_file(pid, "setgroups", m->setgroups, e);
	if (!geteuid())
		return rc ?: (m->uid.n ? cfs_idmap_write(pid, &m->uid, e) : 0) ?:
			     (m->gid.n ? cfs_idmap_write(pid, &m->gid, e) : 0);
	return rc ?: (m->uid.n ? run_newidmap(pid, &m->uid, e) : 0) ?:
		     (m->gid.n ? run_newidmap(pid, &m->gid, e) : 0);
}

/* Can we write both maps ourselves, in the new namespace? One line each,
 * our own ID; for gids with setgroups(2) denied (user_namespaces(7)). */
static bool self_writable(const struct cfs_idmaps *m)
{
	return (!m->uid.n || cfs_idmap_is_own(&m->uid)) &&
	       (!m->gid.n ||
		(cfs_idmap_is_own(&m->gid) &&
		 !(m->setgroups && !strcmp(m->setgroups, "allow"))));
}

void cfs_idmaps_init(struct cfs_idmaps *m)
{
	*m = (struct cfs_idmaps){
		.uid = { .name = "uid", .subid_file = "/etc/subuid",
			 .own = geteuid() },
		.gid = { .name = "gid", .subid_file = "/etc/subgid",
			 .own = getegid() },
	};
}

int cfs_idmaps_start(struct cfs_idmaps *m, struct cfs_err *e)
{
	m->helper.pid = 0;
	if (self_writable(m))
		return 0;
	return cfs_ns_helper_start(&m->helper, write_from_outside, m, e);
}

int cfs_idmaps_finish(struct cfs_idmaps *m, struct cfs_err *e)
{
	if (!m->helper.pid) {
		const char *sg = m->setgroups ? m->setgroups
				 : m->gid.n    ? "deny" : NULL;
		return (sg ? write_file(0, "setgroups", sg, e) : 0) ?:
		       (m->uid.n ? cfs_idmap_write(0, &m->uid, e) : 0) ?:
		       (m->gid.n ? cfs_idmap_write(0, &m->gid, e) : 0);
	}
	return cfs_ns_helper_finish(&m->helper, getpid(), NULL, e);
}
