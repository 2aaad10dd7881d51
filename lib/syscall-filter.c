/* syscall-filter.c: a seccomp filter from a text profile, see
 * syscall-filter.h. (Not seccomp.c: that would hide libseccomp's header.) */
#define _GNU_SOURCE
#include <cap-ng.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "syscall-filter.h"

const char cfs_seccomp_default[] =
#include "default-seccomp.h"
	;

static const struct {
	const char *name;
	uint32_t action;
} actions[] = {
	{ "allow", SCMP_ACT_ALLOW },
	{ "deny", SCMP_ACT_ERRNO(EPERM) },
	{ "enosys", SCMP_ACT_ERRNO(ENOSYS) },
	{ "kill", SCMP_ACT_KILL_PROCESS },
};

/* One line of a profile, parsed. */
struct rule {
	int is_default;
	uint32_t action;
	const char *action_name;
	int syscall;		/* negative: not on this architecture */
	struct scmp_arg_cmp args[6];
	unsigned n_args;
	int unless_cap;		/* -1: none */
};

static int parse_action(const char *word, struct rule *r)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(*actions); i++)
		if (!strcmp(word, actions[i].name)) {
			r->action = actions[i].action;
			r->action_name = actions[i].name;
			return 0;
		}
	return -1;
}

/* argN&MASK or argN==VALUE */
static int parse_condition(const char *word, struct scmp_arg_cmp *c)
{
	char *end;
	unsigned long long v;

	if (strncmp(word, "arg", 3) || word[3] < '0' || word[3] > '5')
		return -1;
	c->arg = word[3] - '0';
	if (word[4] == '&') {
		c->op = SCMP_CMP_MASKED_EQ;
		word += 5;
	} else if (word[4] == '=' && word[5] == '=') {
		c->op = SCMP_CMP_EQ;
		word += 6;
	} else
		return -1;
	errno = 0;
	v = strtoull(word, &end, 0);
	if (!*word || *end || errno)
		return -1;
	c->datum_a = v;
	c->datum_b = v;	/* MASKED_EQ: (arg & MASK) == MASK */
	return 0;
}

/* CAP_SYS_ADMIN, as capabilities(7) spells it */
static int parse_cap(const char *word)
{
	if (strncasecmp(word, "CAP_", 4))
		return -1;
	return capng_name_to_capability(word + 4);
}

/* Parse LINE (modified) into R: 1 a rule, 0 nothing on it, -1 an error
 * (with e). */
static int parse_line(char *line, const char *name, unsigned lineno,
		      struct rule *r, struct cfs_err *e)
{
	char *save, *word, *hash = strchr(line, '#');

	if (hash)
		*hash = '\0';
	memset(r, 0, sizeof(*r));
	r->unless_cap = -1;
	if (!(word = strtok_r(line, " \t\n", &save)))
		return 0;
	if (!strcmp(word, "default")) {
		r->is_default = 1;
		word = strtok_r(NULL, " \t\n", &save);
		if (!word || parse_action(word, r) < 0)
			return cfs_fail(e, EINVAL, "%s:%u: not 'default ACTION'",
					name, lineno);
		if ((word = strtok_r(NULL, " \t\n", &save)))
			return cfs_fail(e, EINVAL, "%s:%u: junk after the "
					"action: '%s'", name, lineno, word);
		return 1;
	}
	if (parse_action(word, r) < 0)
		return cfs_fail(e, EINVAL, "%s:%u: unknown action '%s' (allow, "
				"deny, enosys or kill)", name, lineno, word);
	if (!(word = strtok_r(NULL, " \t\n", &save)))
		return cfs_fail(e, EINVAL, "%s:%u: no syscall after '%s'", name,
				lineno, r->action_name);
	r->syscall = seccomp_syscall_resolve_name(word);
	if (r->syscall == __NR_SCMP_ERROR)
		return cfs_fail(e, EINVAL, "%s:%u: unknown syscall '%s'", name,
				lineno, word);
	while ((word = strtok_r(NULL, " \t\n", &save))) {
		if (!strcmp(word, "unless")) {
			word = strtok_r(NULL, " \t\n", &save);
			if (!word || (r->unless_cap = parse_cap(word)) < 0)
				return cfs_fail(e, EINVAL, "%s:%u: not 'unless "
						"CAP_NAME': '%s'", name, lineno,
						word ? word : "");
			if ((word = strtok_r(NULL, " \t\n", &save)))
				return cfs_fail(e, EINVAL, "%s:%u: junk after "
						"the capability: '%s'", name,
						lineno, word);
			break;
		}
		if (r->n_args == 6 || parse_condition(word, &r->args[r->n_args]))
			return cfs_fail(e, EINVAL, "%s:%u: not argN&MASK or "
					"argN==VALUE: '%s'", name, lineno, word);
		r->n_args++;
	}
	return 1;
}

/* Parse PROFILE; with CTX, add its rules to it (and set its default). */
static int build(const char *profile, const char *name, uint64_t caps,
		 scmp_filter_ctx *ctx, struct cfs_seccomp *out,
		 struct cfs_err *e)
{
	char *text = strdup(profile), *line, *save = NULL;
	struct rule r;
	unsigned lineno = 0;
	int rc = 0, have_default = 0;

	if (!text)
		return cfs_fail(e, ENOMEM, "read %s", name);
	out->rules = 0;
	out->fallback = "allow";
	for (line = text; line && rc == 0; line = save) {
		if ((save = strchr(line, '\n')))
			*save++ = '\0';
		lineno++;
		if ((rc = parse_line(line, name, lineno, &r, e)) <= 0)
			continue;
		rc = 0;
		if (r.is_default) {
			if (have_default++ || out->rules)
				rc = cfs_fail(e, EINVAL, "%s:%u: 'default' must "
					      "come once, before the rules",
					      name, lineno);
			out->fallback = r.action_name;
			if (!rc && ctx && !(*ctx = seccomp_init(r.action)))
				rc = cfs_fail(e, ENOMEM, "seccomp_init");
			continue;
		}
		if (!have_default++ && ctx &&
		    !(*ctx = seccomp_init(SCMP_ACT_ALLOW)))
			rc = cfs_fail(e, ENOMEM, "seccomp_init");
		if (rc || r.syscall < 0 ||
		    (r.unless_cap >= 0 && caps & (UINT64_C(1) << r.unless_cap)))
			continue;
		if (ctx && (rc = seccomp_rule_add_array(*ctx, r.action,
							r.syscall, r.n_args,
							r.args)) < 0)
			rc = cfs_fail(e, -rc, "%s:%u: add the rule", name,
				      lineno);
		out->rules++;
	}
	free(text);
	if (!rc && ctx && !*ctx && !(*ctx = seccomp_init(SCMP_ACT_ALLOW)))
		rc = cfs_fail(e, ENOMEM, "seccomp_init");
	return rc;
}

int cfs_seccomp_check(const char *profile, const char *name,
		      struct cfs_err *e)
{
	struct cfs_seccomp out;

	return build(profile, name, 0, NULL, &out, e);
}

/* PROFILE's filter, for CAPS, ready to load or export */
static int make(const char *profile, const char *name, uint64_t caps,
		scmp_filter_ctx *ctx, struct cfs_seccomp *out, struct cfs_err *e)
{
	int rc = build(profile, name, caps, ctx, out, e);

	/* a syscall through another ABI than ours is a way around every
	 * rule: kill it (libseccomp's default, said out loud) */
	if (!rc && (rc = seccomp_attr_set(*ctx, SCMP_FLTATR_ACT_BADARCH,
					  SCMP_ACT_KILL_PROCESS)) < 0)
		rc = cfs_fail(e, -rc, "seccomp: set the bad-architecture action");
	if (!rc && (rc = seccomp_attr_set(*ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0)
		rc = cfs_fail(e, -rc, "seccomp: leave no_new_privs to us");
	if (!rc && (rc = seccomp_attr_set(*ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2)) < 0)
		rc = cfs_fail(e, -rc, "seccomp: sort the filter as a tree");
	return rc;
}

#ifndef CFS_SECCOMP_COMPILER
/* The default profile's filter for the default capability set, made by
 * build/seccomp-compile with libseccomp when cfs is built: loading it
 * takes one seccomp(2), where building it takes libseccomp 0.3 ms at
 * each start (make bench). */
#include "default-bpf.h"

static int load_compiled(struct cfs_seccomp *out, struct cfs_err *e)
{
	struct sock_fprog prog = {
		.len = sizeof(cfs_default_bpf) / sizeof(*cfs_default_bpf),
		.filter = (struct sock_filter *)cfs_default_bpf,
	};

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return cfs_fail(e, errno, "load the seccomp filter of "
				"default.seccomp");
	out->rules = CFS_DEFAULT_BPF_RULES;
	out->fallback = "allow";
	return 0;
}
#endif

int cfs_seccomp_load(const char *profile, const char *name, uint64_t caps,
		     struct cfs_seccomp *out, struct cfs_err *e)
{
	scmp_filter_ctx ctx = NULL;
	int rc;

#ifndef CFS_SECCOMP_COMPILER
	if (profile == cfs_seccomp_default && caps == CFS_DEFAULT_BPF_CAPS)
		return load_compiled(out, e);
#endif
	rc = make(profile, name, caps, &ctx, out, e);
	if (!rc && (rc = seccomp_load(ctx)) < 0)
		rc = cfs_fail(e, -rc, "load the seccomp filter of %s", name);
	if (ctx)
		seccomp_release(ctx);
	return rc;
}

int cfs_seccomp_export(const char *profile, const char *name, uint64_t caps,
		       int fd, struct cfs_seccomp *out, struct cfs_err *e)
{
	scmp_filter_ctx ctx = NULL;
	int rc = make(profile, name, caps, &ctx, out, e);

	if (!rc && (rc = seccomp_export_bpf(ctx, fd)) < 0)
		rc = cfs_fail(e, -rc, "export the seccomp filter of %s", name);
	if (ctx)
		seccomp_release(ctx);
	return rc;
}

/* Seccomp: of /proc/PID/status: 0 none, 1 strict, 2 filter; -errno */
static int seccomp_mode(pid_t pid)
{
	char path[64], line[256];
	int mode = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "re")))
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Seccomp: %d", &mode) == 1)
			break;
	fclose(f);
	return mode;
}

/* PID attached and stopped: each of its filters, newest first */
static int read_filters(pid_t pid, struct cfs_seccomp_copy *c,
			struct cfs_err *e)
{
	for (;;) {
		long n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, c->n, NULL);
		struct sock_fprog *more;

		if (n < 0 && errno == ENOENT && c->n)
			return 0;
		if (n < 0)
			return cfs_fail(e, errno, "read the seccomp filter %u of "
					"PID %d", c->n, (int)pid);
		more = realloc(c->filters, (c->n + 1) * sizeof(*more));
		if (!more)
			return cfs_fail(e, ENOMEM, "read seccomp filters");
		c->filters = more;
		more[c->n].len = n;
		more[c->n].filter = calloc(n, sizeof(struct sock_filter));
		if (!more[c->n].filter)
			return cfs_fail(e, ENOMEM, "read seccomp filters");
		if (ptrace(PTRACE_SECCOMP_GET_FILTER, pid, c->n,
			   more[c->n].filter) != n)
			return cfs_fail(e, errno, "read the seccomp filter %u of "
					"PID %d", c->n, (int)pid);
		c->n++;
	}
}

int cfs_seccomp_read(pid_t pid, struct cfs_seccomp_copy *c, struct cfs_err *e)
{
	int mode = seccomp_mode(pid), status, rc;

	c->filters = NULL;
	c->n = 0;
	if (mode < 0)
		return cfs_fail(e, -mode, "read the seccomp mode of PID %d",
				(int)pid);
	if (mode == 0)
		return 0;
	if (mode != 2)
		return cfs_fail(e, EINVAL, "PID %d is in strict seccomp mode",
				(int)pid);
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0)
		return cfs_fail(e, errno, "attach to PID %d to read its seccomp "
				"filter", (int)pid);
	if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0 ||
	    waitpid(pid, &status, __WALL) < 0)
		rc = cfs_fail(e, errno, "stop PID %d to read its seccomp filter",
			      (int)pid);
	else
		rc = read_filters(pid, c, e);
	if (ptrace(PTRACE_DETACH, pid, 0, 0) < 0 && !rc)
		rc = cfs_fail(e, errno, "detach from PID %d", (int)pid);
	return rc;
}

int cfs_seccomp_load_copy(const struct cfs_seccomp_copy *c, struct cfs_err *e)
{
	for (unsigned i = c->n; i-- > 0;)
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
			    &c->filters[i]) < 0)
			return cfs_fail(e, errno, "load the target's seccomp "
					"filter");
	return 0;
}
