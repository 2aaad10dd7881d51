/* SPDX-License-Identifier: GPL-2.0-or-later */
/* privs.c: what a container keeps, and nothing more; see privs.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <linux/keyctl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "privs.h"
#include "user.h"
#include "core/parse.h"

void cfs_privs_init(struct cfs_privs *p)
{
	memset(p, 0, sizeof(*p));
	p->caps = cfs_caps_default;
	p->profile = cfs_seccomp_default;
	p->profile_name = "default.json";
}

int cfs_privs_cap(struct cfs_privs *p, int add, const char *name)
{
	uint64_t mask;

	if (cfs_caps_parse(name, &mask))
		return -EINVAL;
	if (add) {
		p->caps |= mask;
		p->caps_added |= mask;
	} else {
		p->caps &= ~mask;
		p->caps_added &= ~mask;
	}
	return 0;
}

int cfs_privs_rlimit(struct cfs_privs *p, const char *arg, char *err)
{
	if (p->n_rlimits == RLIM_NLIMITS) {
		snprintf(err, 128, "%s: one too many", arg);
		return -EINVAL;
	}
	if (cfs_parse_rlimit(arg, &p->rlimits[p->n_rlimits].resource,
			     &p->rlimits[p->n_rlimits].limit, err))
		return -EINVAL;
	p->rlimits[p->n_rlimits++].arg = arg;
	return 0;
}

int cfs_privs_profile(struct cfs_privs *p, const char *file,
		      struct cfs_err *e)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f;

	p->profile = NULL;
	p->profile_name = file;
	if (!file)
		return 0;
	if (!(f = fopen(file, "re")))
		return cfs_fail(e, errno, "open %s", file);
	if (getdelim(&text, &size, '\0', f) < 0 && ferror(f)) {
		fclose(f);
		return cfs_fail(e, errno, "read %s", file);
	}
	fclose(f);
	p->profile = text ? text : "";
	return cfs_seccomp_check(p->profile, file, e);
}

/* The supplementary groups G1,G2 as ids, from the current root's
 * /etc/group */
static int parse_groups(const char *list, gid_t *groups, size_t *n,
			struct cfs_err *e)
{
	char *copy = strdup(list), *save, *g;
	int rc = copy ? 0 : cfs_fail(e, ENOMEM, "groups %s", list);

	for (g = copy ? strtok_r(copy, ",", &save) : NULL; g && !rc;
	     g = strtok_r(NULL, ",", &save))
		rc = *n == NGROUPS_MAX ? cfs_fail(e, E2BIG, "groups %s: more "
						  "than %d", list, NGROUPS_MAX)
				       : cfs_group_parse(g, &groups[(*n)++], e);
	free(copy);
	return rc;
}

int cfs_privs_resolve(struct cfs_privs *p, struct cfs_err *e)
{
	int rc = 0;

	if (p->resolved)
		return 0;
	p->uid = 0;
	p->gid = 0;
	if (p->user && (rc = cfs_user_parse(p->user, &p->uid, &p->gid, e)))
		return rc;
	p->resolved = 1;
	return 0;
}

int cfs_privs_drop(struct cfs_privs *p, struct cfs_err *e)
{
	/* another user than root keeps only the capabilities added */
	uint64_t keep = p->user ? p->caps_added & p->caps : p->caps;
	gid_t groups[NGROUPS_MAX];
	size_t n_groups = 0;
	uid_t uid;
	gid_t gid;
	int rc;

	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0 &&
	    errno != ENOSYS)
		return cfs_fail(e, errno, "join a new session keyring");
	for (size_t i = 0; i < p->n_rlimits; i++)
		if (setrlimit(p->rlimits[i].resource, &p->rlimits[i].limit) < 0)
			return cfs_fail(e, errno, "set the limit %s",
					p->rlimits[i].arg);
	if ((rc = cfs_privs_resolve(p, e)))
		return rc;
	uid = p->uid;
	gid = p->gid;
	if (p->user && uid == 0)
		keep = p->caps;
	if (p->groups && (rc = parse_groups(p->groups, groups, &n_groups, e)))
		return rc;
	if (!p->allow_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return cfs_fail(e, errno, "set no_new_privs");
	/* without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load
	 * it while we have it */
	if (p->profile && p->allow_new_privs &&
	    (rc = cfs_seccomp_load(p->profile, p->profile_name, keep,
				   &p->seccomp, e)))
		return rc;
	if ((rc = cfs_caps_keep_only(keep, p->user || p->groups, p->ambient,
				     uid, gid, groups, n_groups, e)))
		return rc;
	/* with it, after the ids and capabilities, as runc and crun do: the
	 * profile need not allow what changing them takes */
	if (p->profile && !p->allow_new_privs)
		return cfs_seccomp_load(p->profile, p->profile_name, keep,
					&p->seccomp, e);
	return 0;
}

int cfs_privs_print(const struct cfs_privs *p, FILE *f, struct cfs_err *e)
{
	gid_t groups[NGROUPS_MAX];
	int n = getgroups(NGROUPS_MAX, groups), rc;
	struct cfs_caps c;

	if ((rc = cfs_caps_read_self(&c, e)))
		return rc;
	fprintf(f, "Uid:\t%u\nGid:\t%u\nGroups:\t", (unsigned)getuid(),
		(unsigned)getgid());
	for (int i = 0; i < n; i++)
		fprintf(f, "%u%s", (unsigned)groups[i], i + 1 < n ? " " : "");
	fprintf(f, "\nCapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\n"
		   "CapBnd:\t%016llx\nCapAmb:\t%016llx\nNoNewPrivs:\t%d\n",
		(unsigned long long)c.inheritable,
		(unsigned long long)c.permitted,
		(unsigned long long)c.effective,
		(unsigned long long)c.bounding, (unsigned long long)c.ambient,
		c.no_new_privs);
	fprintf(f, "Seccomp:\t%d\n", p->profile ? 2 : 0);
	if (p->profile)
		fprintf(f, "Seccomp_profile:\t%s\nSeccomp_rules:\t%u\n"
			   "Seccomp_default:\t%s\n", p->profile_name,
			p->seccomp.rules, p->seccomp.fallback);
	for (size_t i = 0; i < p->n_rlimits; i++) {
		struct rlimit l;

		getrlimit(p->rlimits[i].resource, &l);
		fprintf(f, "Rlimit_%s:\t%lld %lld\n",
			cfs_rlimit_name(p->rlimits[i].resource),
			l.rlim_cur == RLIM_INFINITY ? -1 : (long long)l.rlim_cur,
			l.rlim_max == RLIM_INFINITY ? -1 : (long long)l.rlim_max);
	}
	return 0;
}
