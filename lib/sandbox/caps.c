/* SPDX-License-Identifier: GPL-2.0-or-later */
/* caps.c: capability sets, read from /proc and imposed with libcap-ng.
 * libcap-ng 0.8.3 returns its own negative codes and does not always set
 * errno: every message here is made from the code. */
#define _GNU_SOURCE
#include <cap-ng.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "caps.h"

#define BIT(cap) (UINT64_C(1) << (cap))

const uint64_t cfs_caps_default =
	BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_FSETID) |
	BIT(CAP_FOWNER) | BIT(CAP_MKNOD) | BIT(CAP_NET_RAW) | BIT(CAP_SETGID) |
	BIT(CAP_SETUID) | BIT(CAP_SETFCAP) | BIT(CAP_SETPCAP) |
	BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_SYS_CHROOT) | BIT(CAP_KILL) |
	BIT(CAP_AUDIT_WRITE);

int cfs_caps_parse(const char *name, uint64_t *mask)
{
	int cap;

	if (!strcasecmp(name, "ALL")) {
		*mask = ~UINT64_C(0);
		return 0;
	}
	if (!strncasecmp(name, "CAP_", 4))
		name += 4;
	/* libcap-ng also takes a number: we want names */
	if (!*name || (*name >= '0' && *name <= '9') ||
	    (cap = capng_name_to_capability(name)) < 0 || cap > 63)
		return -EINVAL;
	*mask = BIT(cap);
	return 0;
}

/* KEEP, all permitted already, made inheritable and ambient too. */
static int raise_ambient(uint64_t keep, struct cfs_err *e)
{
	struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (cfs_capget(d) < 0)
		return cfs_fail(e, errno, "read our capabilities");
	keep &= d[0].permitted | (uint64_t)d[1].permitted << 32;
	d[0].inheritable |= (uint32_t)keep;
	d[1].inheritable |= (uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &head, d) < 0)
		return cfs_fail(e, errno, "make the capabilities inheritable");
	for (unsigned cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (keep & BIT(cap) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return cfs_fail(e, errno, "raise ambient capability %u",
					cap);
	return 0;
}

/* capng_change_id's steps, for a process that keeps CAP_SETPCAP: libcap-ng
 * (0.8.3) takes it out of the permitted set whatever the state says ("so
 * no more changes"), and the ambient set then cannot have it (an OCI
 * process with CAP_SETPCAP in all five sets, runtime-tools' default).
 * The capabilities kept over setresuid, then the state applied. 0 or
 * -1 with errno. */
static int change_id_keeping_setpcap(uid_t uid, gid_t gid, bool drop_groups)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ||
	    setresgid(gid, gid, gid) < 0 ||
	    (drop_groups && setgroups(0, NULL) < 0) ||
	    setresuid(uid, uid, uid) < 0 || prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return -1;
	if (capng_apply(CAPNG_SELECT_CAPS)) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

int cfs_caps_keep_only(uint64_t keep, bool change_id, bool ambient, uid_t uid,
		       gid_t gid, const gid_t *groups, size_t n_groups,
		       struct cfs_err *e)
{
	capng_type_t sets = CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET;
	struct __user_cap_data_struct have[2];
	int rc;

	/* what we do not have cannot be kept (a KEEP of all) */
	if (cfs_capget(have) < 0)
		return cfs_fail(e, errno, "read our capabilities");
	keep &= have[0].permitted | (uint64_t)have[1].permitted << 32;

	/* only what survives exec: root's come back from the bounding set,
	 * another uid's only through the ambient set */
	if (change_id && uid != 0)
		sets |= CAPNG_INHERITABLE | CAPNG_AMBIENT;
	capng_clear(CAPNG_SELECT_ALL);
	for (unsigned cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (keep & BIT(cap))
			capng_update(CAPNG_ADD, sets, cap);
	if (!change_id) {
		if ((rc = capng_apply(CAPNG_SELECT_ALL)))
			return cfs_fail(e, rc == -4 ? EPERM : 0, "drop capabilities"
					"%s", rc == -4 ? "" : ": libcap-ng failed");
		return ambient ? raise_ambient(keep, e) : 0;
	}
	if ((rc = capng_apply(CAPNG_SELECT_BOUNDS)))
		return cfs_fail(e, rc == -4 ? EPERM : 0, "limit the bounding set"
				"%s", rc == -4 ? "" : ": libcap-ng failed");
	if (n_groups && setgroups(n_groups, groups) < 0)
		return cfs_fail(e, errno, "set the supplementary groups");
	errno = 0;
	if (keep & BIT(CAP_SETPCAP))
		rc = change_id_keeping_setpcap(uid, gid, !n_groups);
	else
		rc = capng_change_id(uid, gid, n_groups ? CAPNG_NO_FLAG
							: CAPNG_DROP_SUPP_GRP);
	if (rc)
		return cfs_fail(e, errno ? errno : EPERM, "become uid %u gid %u",
				(unsigned)uid, (unsigned)gid);
	if ((rc = capng_apply(CAPNG_SELECT_AMBIENT)))
		return cfs_fail(e, 0, "set the ambient capabilities: libcap-ng "
				"failed (%d)", rc);
	return ambient ? raise_ambient(keep, e) : 0;
}

int cfs_caps_read(pid_t pid, struct cfs_caps *c, struct cfs_err *e)
{
	const struct {
		const char *key;
		uint64_t *set;
	} fields[] = {
		{ "CapBnd:", &c->bounding },
		{ "CapPrm:", &c->permitted },
		{ "CapEff:", &c->effective },
		{ "CapInh:", &c->inheritable },
		{ "CapAmb:", &c->ambient },
	};
	char path[64], line[256];
	unsigned found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "re")))
		return cfs_fail(e, errno, "open %s", path);
	c->no_new_privs = false;
	c->seccomp = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned nnp;

		if (sscanf(line, "NoNewPrivs: %u", &nnp) == 1)
			c->no_new_privs = nnp;
		sscanf(line, "Seccomp: %d", &c->seccomp);
		for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
			size_t len = strlen(fields[i].key);

			if (!strncmp(line, fields[i].key, len) &&
			    sscanf(line + len, "%" SCNx64, fields[i].set) == 1)
				found |= 1u << i;
		}
	}
	fclose(f);
	if (found != (1u << (sizeof(fields) / sizeof(*fields))) - 1)
		return cfs_fail(e, 0, "read %s: no Cap* lines", path);
	return 0;
}

int cfs_caps_read_self(struct cfs_caps *c, struct cfs_err *e)
{
	struct __user_cap_data_struct d[2];
	int nnp;

	memset(d, 0xff, sizeof(d)); /* what a capget not made leaves */
	if (cfs_capget(d) < 0)
		return cfs_fail(e, errno, "read our capabilities");
	c->effective = d[0].effective | (uint64_t)d[1].effective << 32;
	c->permitted = d[0].permitted | (uint64_t)d[1].permitted << 32;
	c->inheritable = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	c->bounding = c->ambient = 0;
	/* past the kernel's last capability, both say EINVAL */
	for (unsigned cap = 0; cap < 64; cap++) {
		int bnd = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
		int amb = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0);

		if (bnd < 0)
			break;
		c->bounding |= bnd ? BIT(cap) : 0;
		c->ambient |= amb > 0 ? BIT(cap) : 0;
	}
	if ((nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)) < 0)
		return cfs_fail(e, errno, "read no_new_privs");
	c->no_new_privs = nnp;
	c->seccomp = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
	return 0;
}

/* Mark for dropping, in the libcap-ng state, each capability of TYPE that
 * we have and SET lacks; return how many. */
static int drop_missing(capng_type_t type, uint64_t set)
{
	int n = 0;

	for (unsigned i = 0; i < 64; i++)
		if (!(set & (UINT64_C(1) << i)) &&
		    capng_have_capability(type, i) == 1)
			n += !capng_update(CAPNG_DROP, type, i);
	return n;
}

int cfs_caps_limit_bounding(const struct cfs_caps *c, struct cfs_err *e)
{
	int rc;

	errno = 0;
	if (capng_get_caps_process())
		return cfs_fail(e, errno ? errno : EINVAL,
				"read our capabilities");
	if (!drop_missing(CAPNG_BOUNDING_SET, c->bounding))
		return 0;
	/* Not ours to drop (a user not joining a user namespace): a set-uid
	 * program could still give us what the target lacks, unless
	 * no_new_privs forbids it */
	if (capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP) != 1)
		return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0
			       ? cfs_fail(e, errno, "set no_new_privs")
			       : 0;
	/* -2, -3: a PR_CAPBSET_DROP or the re-read of the bounding set
	 * failed */
	if ((rc = capng_apply(CAPNG_SELECT_BOUNDS)))
		return cfs_fail(e, 0, "limit the bounding set to the target's: "
				      "libcap-ng failed (%d)", rc);
	return 0;
}

int cfs_caps_limit(const struct cfs_caps *c, struct cfs_err *e)
{
	errno = 0;
	if (capng_get_caps_process())
		return cfs_fail(e, errno ? errno : EINVAL,
				"read our capabilities");
	drop_missing(CAPNG_EFFECTIVE, c->effective);
	drop_missing(CAPNG_PERMITTED, c->permitted);
	drop_missing(CAPNG_INHERITABLE, c->inheritable);
	if (capng_apply(CAPNG_SELECT_CAPS))
		return cfs_fail(e, 0, "limit our capabilities to the target's: "
				      "capset failed");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return cfs_fail(e, errno, "clear the ambient capabilities");
	if (c->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return cfs_fail(e, errno, "set no_new_privs");
	return 0;
}

/* HAVE, our SET, within MAX's */
static int within(const char *set, uint64_t have, uint64_t max,
		  struct cfs_err *e)
{
	if (!(have & ~max))
		return 0;
	return cfs_fail(e, 0, "check our capabilities: the %s set holds %#"
			PRIx64 ", beyond %#" PRIx64, set, have, max);
}

int cfs_caps_check(const struct cfs_caps *max, struct cfs_err *e)
{
	struct cfs_caps c;
	int rc;

	if ((rc = cfs_caps_read_self(&c, e)) ||
	    (rc = within("effective", c.effective, max->effective, e)) ||
	    (rc = within("permitted", c.permitted, max->permitted, e)) ||
	    (rc = within("inheritable", c.inheritable, max->inheritable, e)) ||
	    (rc = within("ambient", c.ambient, max->ambient, e)))
		return rc;
	/* No kernel has a capability 64: a PR_CAPBSET_READ that does not
	 * say EINVAL for it answers without looking (a seccomp filter can
	 * make it answer 0, "not in the set", for every capability). */
	if (prctl(PR_CAPBSET_READ, 64, 0, 0, 0) != -1 || errno != EINVAL)
		return cfs_fail(e, 0, "check our capabilities: the bounding "
				"set cannot be read: prctl(2) answers without "
				"being made");
	/* A bounding set not cut (no CAP_SETPCAP to cut it) is harmless
	 * under no_new_privs: no execve then gives more than the permitted
	 * set, checked above. */
	if (!c.no_new_privs &&
	    (rc = within("bounding", c.bounding, max->bounding, e)))
		return rc;
	if (max->no_new_privs && !c.no_new_privs)
		return cfs_fail(e, 0, "check our capabilities: no_new_privs is "
				"not set");
	return 0;
}
