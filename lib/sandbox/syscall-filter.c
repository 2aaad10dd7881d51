/* SPDX-License-Identifier: GPL-2.0-or-later */
/* syscall-filter.c: a seccomp filter from a JSON profile, see
 * syscall-filter.h. (Not seccomp.c: that would hide libseccomp's header.) */
#define _GNU_SOURCE
#include <cap-ng.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "syscall-filter.h"

const char cfs_seccomp_default[] =
#include "default-seccomp.h"
	;

/* One walk through a profile: it checks every key and value, and with a
 * filter context adds the rules that apply to CAPS, this architecture
 * and this kernel. */
struct build {
	const char *name;	/* the profile's file, for messages */
	uint64_t caps;
	scmp_filter_ctx ctx;	/* made by build() when make_filter */
	uint32_t native;	/* this architecture, as libseccomp names it */
	unsigned kernel[2];	/* this kernel's MAJOR.MINOR */
	uint32_t fallback;	/* the default action */
	unsigned flags;		/* "flags" given: they are libseccomp's to set */
	int make_filter;	/* 0: check only */
	struct cfs_seccomp *out;
	struct cfs_err *e;
};

/* "NAME: WHERE: what is wrong", EINVAL */
static int bad(struct build *b, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(struct build *b, const char *where, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return cfs_fail(b->e, EINVAL, "%s: %s: %s", b->name, where, what);
}

/* WHERE.KEY into BUF, for messages: syscalls[3].args[0].op */
static const char *at(char *buf, size_t size, const char *where,
		      const char *key)
{
	snprintf(buf, size, "%s%s%s", where, *where ? "." : "", key);
	return buf;
}

/* O, an object, has only keys of KNOWN (a NULL-ended list). */
static int known_keys(struct build *b, json_t *o, const char *where,
		      const char *const *known)
{
	const char *key;
	json_t *v;
	char path[128];

	if (!json_is_object(o))
		return bad(b, *where ? where : "the profile", "not an object");
	json_object_foreach(o, key, v) {
		size_t i = 0;

		while (known[i] && strcmp(known[i], key))
			i++;
		if (!known[i])
			return bad(b, at(path, sizeof(path), where, key),
				   "unknown field");
	}
	return 0;
}

/* O[KEY]: absent or null, NULL; else of TYPE or an error */
static int get(struct build *b, json_t *o, const char *where, const char *key,
	       json_type type, json_t **v)
{
	static const char *const names[] = {
		[JSON_OBJECT] = "an object", [JSON_ARRAY] = "an array",
		[JSON_STRING] = "a string", [JSON_INTEGER] = "an integer",
	};
	char path[128];

	*v = json_object_get(o, key);
	if (json_is_null(*v))
		*v = NULL;
	if (*v && json_typeof(*v) != type)
		return bad(b, at(path, sizeof(path), where, key), "not %s",
			   names[type]);
	return 0;
}

/* O[KEY], an integer from 0 to MAX; *N untouched when absent */
static int get_uint(struct build *b, json_t *o, const char *where,
		    const char *key, uint64_t max, uint64_t *n)
{
	char path[128];
	json_t *v;
	int rc = get(b, o, where, key, JSON_INTEGER, &v);

	if (rc || !v)
		return rc;
	if (json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max)
		return bad(b, at(path, sizeof(path), where, key),
			   "%lld is out of range (0 to %llu)",
			   (long long)json_integer_value(v),
			   (unsigned long long)max);
	*n = json_integer_value(v);
	return 0;
}

/* O[KEY], an array of strings, or NULL */
static int get_strings(struct build *b, json_t *o, const char *where,
		       const char *key, json_t **v)
{
	char path[128];
	size_t i;
	json_t *s;
	int rc = get(b, o, where, key, JSON_ARRAY, v);

	if (rc || !*v)
		return rc;
	json_array_foreach(*v, i, s)
		if (!json_is_string(s))
			return bad(b, at(path, sizeof(path), where, key),
				   "item %zu is not a string", i);
	return 0;
}

/* The errno of O[RET] (a number) or O[NAME] ("EPERM", as containers'
 * profiles add); both given, they must agree. *ERR untouched when
 * neither is. */
static int get_errno(struct build *b, json_t *o, const char *where,
		     const char *ret, const char *name, int *err)
{
	uint64_t n = UINT64_MAX;
	char path[128];
	json_t *v;
	int rc = get_uint(b, o, where, ret, 4095, &n);

	if (rc || (rc = get(b, o, where, name, JSON_STRING, &v)))
		return rc;
	if (v) {
		const char *s = json_string_value(v), *known;
		int i;

		for (i = 1; i < 4096; i++)
			if ((known = strerrorname_np(i)) && !strcmp(known, s))
				break;
		if (i == 4096)
			return bad(b, at(path, sizeof(path), where, name),
				   "unknown errno name '%s'", s);
		if (n != UINT64_MAX && n != (uint64_t)i)
			return bad(b, at(path, sizeof(path), where, name),
				   "%s is not %s %llu", s, ret,
				   (unsigned long long)n);
		n = i;
	}
	if (n != UINT64_MAX)
		*err = n;
	return 0;
}

static const struct {
	const char *name;
	uint32_t action;	/* for ERRNO and TRACE, without the errno */
} actions[] = {
	{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW },
	{ "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0) },
	{ "SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", SCMP_ACT_TRAP },
	{ "SCMP_ACT_TRACE", SCMP_ACT_TRACE(0) },
	{ "SCMP_ACT_LOG", SCMP_ACT_LOG },
};

/* O[KEY], an action, with its errno from O[RET] or O[NAME] (EPERM when
 * neither is given, as runc and crun do); NAME for messages */
static int get_action(struct build *b, json_t *o, const char *where,
		      const char *key, const char *ret, const char *name,
		      uint32_t *action, char *text, size_t size)
{
	char path[128];
	int err = -1, rc;
	const char *s;
	json_t *v;
	size_t i;

	if ((rc = get(b, o, where, key, JSON_STRING, &v)) ||
	    (rc = get_errno(b, o, where, ret, name, &err)))
		return rc;
	at(path, sizeof(path), where, key);
	if (!v)
		return bad(b, path, "missing");
	s = json_string_value(v);
	if (!strcmp(s, "SCMP_ACT_NOTIFY"))
		return bad(b, path, "SCMP_ACT_NOTIFY is not supported (no "
			   "seccomp agent)");
	for (i = 0; i < sizeof(actions) / sizeof(*actions); i++)
		if (!strcmp(s, actions[i].name))
			break;
	if (i == sizeof(actions) / sizeof(*actions))
		return bad(b, path, "unknown action '%s'", s);
	*action = actions[i].action;
	if (*action == SCMP_ACT_ERRNO(0) || *action == SCMP_ACT_TRACE(0)) {
		if (err < 0)
			err = EPERM;
		*action |= err;
		snprintf(text, size, "%s(%s)", s, strerrorname_np(err) ?
			 strerrorname_np(err) : "0");
	} else if (err >= 0) {
		return bad(b, at(path, sizeof(path), where, ret), "only with "
			   "SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
	} else {
		snprintf(text, size, "%s", s);
	}
	return 0;
}

/* "SCMP_ARCH_X86_64" as libseccomp's token; 0 when it has none */
static uint32_t arch_token(const char *s)
{
	char lower[32];
	size_t i;

	if (strncmp(s, "SCMP_ARCH_", 10) || strlen(s + 10) >= sizeof(lower))
		return 0;
	for (i = 0; s[10 + i]; i++)
		lower[i] = tolower((unsigned char)s[10 + i]);
	lower[i] = '\0';
	return seccomp_arch_resolve_name(lower);
}

/* Add the architecture S (ARCHES[I]) to the filter */
static int add_arch(struct build *b, json_t *arches, size_t i,
		    const char *where)
{
	const char *s = json_string_value(json_array_get(arches, i));
	uint32_t token = arch_token(s);
	int rc;

	if (!token)
		return bad(b, where, "unknown architecture '%s'", s);
	if (!b->ctx || token == b->native)
		return 0;
	rc = seccomp_arch_add(b->ctx, token);
	if (rc < 0 && rc != -EEXIST)
		return cfs_fail(b->e, -rc, "%s: %s: add %s", b->name, where, s);
	return 0;
}

/* architectures, or the subArchitectures of archMap's entry for ours */
static int add_arches(struct build *b, json_t *root)
{
	json_t *list, *map, *entry, *sub;
	char where[96];
	size_t i, j;
	int rc;

	if ((rc = get_strings(b, root, "", "architectures", &list)) ||
	    (rc = get(b, root, "", "archMap", JSON_ARRAY, &map)))
		return rc;
	if (list && map && json_array_size(list) && json_array_size(map))
		return bad(b, "architectures", "give it or archMap, not both");
	json_array_foreach(list, i, entry) {
		snprintf(where, sizeof(where), "architectures[%zu]", i);
		if ((rc = add_arch(b, list, i, where)))
			return rc;
	}
	json_array_foreach(map, i, entry) {
		static const char *const keys[] = { "architecture",
						    "subArchitectures", NULL };
		json_t *arch;

		snprintf(where, sizeof(where), "archMap[%zu]", i);
		if ((rc = known_keys(b, entry, where, keys)) ||
		    (rc = get(b, entry, where, "architecture", JSON_STRING,
			      &arch)) ||
		    (rc = get_strings(b, entry, where, "subArchitectures",
				      &sub)))
			return rc;
		if (!arch)
			return bad(b, where, "no architecture");
		/* another machine's entry: libseccomp may not even know it */
		if (arch_token(json_string_value(arch)) != b->native)
			continue;
		json_array_foreach(sub, j, arch) {
			snprintf(where, sizeof(where),
				 "archMap[%u].subArchitectures[%u]",
				 (unsigned)i, (unsigned)j);
			if ((rc = add_arch(b, sub, j, where)))
				return rc;
		}
	}
	return 0;
}

/* flags: those libseccomp sets when it loads the filter */
static int set_flags(struct build *b, json_t *root)
{
	static const struct {
		const char *name;
		enum scmp_filter_attr attr;
	} known[] = {
		{ "SECCOMP_FILTER_FLAG_TSYNC", SCMP_FLTATR_CTL_TSYNC },
		{ "SECCOMP_FILTER_FLAG_LOG", SCMP_FLTATR_CTL_LOG },
		{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SCMP_FLTATR_CTL_SSB },
	};
	char where[32];
	json_t *flags, *f;
	size_t i, k;
	int rc;

	if ((rc = get_strings(b, root, "", "flags", &flags)))
		return rc;
	json_array_foreach(flags, i, f) {
		snprintf(where, sizeof(where), "flags[%zu]", i);
		for (k = 0; k < sizeof(known) / sizeof(*known); k++)
			if (!strcmp(json_string_value(f), known[k].name))
				break;
		if (k == sizeof(known) / sizeof(*known))
			return bad(b, where, "unknown or unsupported flag '%s'",
				   json_string_value(f));
		b->flags++;
		if (b->ctx && (rc = seccomp_attr_set(b->ctx, known[k].attr, 1)))
			return cfs_fail(b->e, -rc, "%s: %s: set %s", b->name,
					where, known[k].name);
	}
	return 0;
}

/* This architecture as the profiles' "arches" name it (Go's names) */
static const char *arch_name(uint32_t token)
{
	switch (token) {
	case SCMP_ARCH_X86_64: return "amd64";
	case SCMP_ARCH_X86: return "x86";
	case SCMP_ARCH_X32: return "x32";
	case SCMP_ARCH_AARCH64: return "arm64";
	case SCMP_ARCH_ARM: return "arm";
	case SCMP_ARCH_PPC64LE: return "ppc64le";
	case SCMP_ARCH_PPC64: return "ppc64";
	case SCMP_ARCH_S390X: return "s390x";
	case SCMP_ARCH_S390: return "s390";
	case SCMP_ARCH_RISCV64: return "riscv64";
	default: return "";
	}
}

/* includes (INCLUDE) or excludes WHERE of a rule: *APPLIES cleared when
 * it leaves the rule out. includes: every capability kept, this
 * architecture listed, this kernel at least minKernel; excludes: any
 * capability kept, this architecture listed, this kernel at least
 * minKernel. */
static int check_filter(struct build *b, json_t *f, const char *where,
			int include, int *applies)
{
	static const char *const keys[] = { "caps", "arches", "minKernel",
					    NULL };
	json_t *caps, *arches, *min, *v;
	char path[128];
	unsigned major, minor;
	size_t i;
	int rc, n, hit;

	if (!f || json_is_null(f))
		return 0;
	if ((rc = known_keys(b, f, where, keys)) ||
	    (rc = get_strings(b, f, where, "caps", &caps)) ||
	    (rc = get_strings(b, f, where, "arches", &arches)) ||
	    (rc = get(b, f, where, "minKernel", JSON_STRING, &min)))
		return rc;
	json_array_foreach(caps, i, v) {
		const char *s = json_string_value(v);
		int cap = strncasecmp(s, "CAP_", 4) ? -1
			  : capng_name_to_capability(s + 4);

		if (cap < 0 || cap > 63)
			return bad(b, at(path, sizeof(path), where, "caps"),
				   "unknown capability '%s'", s);
		hit = !!(b->caps & (UINT64_C(1) << cap));
		if (hit != include)
			*applies = 0;
	}
	if (json_array_size(arches)) {
		hit = 0;
		json_array_foreach(arches, i, v)
			hit |= !strcmp(json_string_value(v),
				       arch_name(b->native));
		if (hit != include)
			*applies = 0;
	}
	if (min) {
		if (sscanf(json_string_value(min), "%u.%u%n", &major, &minor,
			   &n) != 2 || json_string_value(min)[n])
			return bad(b, at(path, sizeof(path), where, "minKernel"),
				   "not MAJOR.MINOR: '%s'",
				   json_string_value(min));
		hit = b->kernel[0] > major ||
		      (b->kernel[0] == major && b->kernel[1] >= minor);
		if (hit != include)
			*applies = 0;
	}
	return 0;
}

/* args WHERE of a rule, into ARGS */
static int get_args(struct build *b, json_t *rule, const char *where,
		    struct scmp_arg_cmp *args, unsigned *n)
{
	static const char *const keys[] = { "index", "value", "valueTwo", "op",
					    NULL };
	static const struct {
		const char *name;
		enum scmp_compare op;
	} ops[] = {
		{ "SCMP_CMP_NE", SCMP_CMP_NE },
		{ "SCMP_CMP_LT", SCMP_CMP_LT },
		{ "SCMP_CMP_LE", SCMP_CMP_LE },
		{ "SCMP_CMP_EQ", SCMP_CMP_EQ },
		{ "SCMP_CMP_GE", SCMP_CMP_GE },
		{ "SCMP_CMP_GT", SCMP_CMP_GT },
		{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
	};
	char path[64], opath[128];
	json_t *list, *a, *op;
	size_t i, k;
	int rc;

	*n = 0;
	if ((rc = get(b, rule, where, "args", JSON_ARRAY, &list)))
		return rc;
	if (json_array_size(list) > 6)
		return bad(b, at(path, sizeof(path), where, "args"),
			   "more than 6");
	json_array_foreach(list, i, a) {
		uint64_t index = UINT64_MAX, value = 0, two = 0;

		snprintf(path, sizeof(path), "%s.args[%zu]", where, i);
		if ((rc = known_keys(b, a, path, keys)) ||
		    (rc = get_uint(b, a, path, "index", 5, &index)) ||
		    (rc = get_uint(b, a, path, "value", UINT64_MAX, &value)) ||
		    (rc = get_uint(b, a, path, "valueTwo", UINT64_MAX, &two)) ||
		    (rc = get(b, a, path, "op", JSON_STRING, &op)))
			return rc;
		if (index == UINT64_MAX)
			return bad(b, at(opath, sizeof(opath), path, "index"),
				   "missing");
		if (!op)
			return bad(b, at(opath, sizeof(opath), path, "op"),
				   "missing");
		for (k = 0; k < sizeof(ops) / sizeof(*ops); k++)
			if (!strcmp(json_string_value(op), ops[k].name))
				break;
		if (k == sizeof(ops) / sizeof(*ops))
			return bad(b, at(opath, sizeof(opath), path, "op"),
				   "unknown operator '%s'",
				   json_string_value(op));
		/* MASKED_EQ: (arg & value) == valueTwo */
		args[(*n)++] = (struct scmp_arg_cmp){ .arg = index,
			.op = ops[k].op, .datum_a = value, .datum_b = two };
	}
	return 0;
}

/* Add the rule for syscall NR: its conditions all in one rule, or, when
 * two test one argument, each in a rule of its own (as runc does:
 * libseccomp cannot AND two tests of one argument). */
static int add_syscall(struct build *b, uint32_t action, int nr,
		       const struct scmp_arg_cmp *args, unsigned n)
{
	int same = 0, rc = 0;

	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++)
			same |= args[i].arg == args[j].arg;
	if (!same)
		return seccomp_rule_add_array(b->ctx, action, nr, n, args);
	for (unsigned i = 0; i < n && !rc; i++)
		rc = seccomp_rule_add_array(b->ctx, action, nr, 1, &args[i]);
	return rc;
}

/* syscalls[I] */
static int add_rule(struct build *b, json_t *rule, size_t i)
{
	static const char *const keys[] = {
		"names", "name", "action", "errnoRet", "errno", "args",
		"comment", "includes", "excludes", NULL,
	};
	struct scmp_arg_cmp args[6];
	char where[32], path[64], text[48];
	json_t *names, *one, *v;
	unsigned n_args;
	uint32_t action;
	int rc, applies = 1;
	size_t k;

	snprintf(where, sizeof(where), "syscalls[%zu]", i);
	if ((rc = known_keys(b, rule, where, keys)) ||
	    (rc = get_strings(b, rule, where, "names", &names)) ||
	    (rc = get(b, rule, where, "name", JSON_STRING, &one)) ||
	    (rc = get(b, rule, where, "comment", JSON_STRING, &v)) ||
	    (rc = get_action(b, rule, where, "action", "errnoRet", "errno",
			     &action, text, sizeof(text))) ||
	    (rc = get_args(b, rule, where, args, &n_args)) ||
	    (rc = check_filter(b, json_object_get(rule, "includes"),
			       at(path, sizeof(path), where, "includes"), 1,
			       &applies)) ||
	    (rc = check_filter(b, json_object_get(rule, "excludes"),
			       at(path, sizeof(path), where, "excludes"), 0,
			       &applies)))
		return rc;
	if (names && one)
		return bad(b, where, "give names or name, not both");
	if (!json_array_size(names) && !one)
		return bad(b, at(path, sizeof(path), where, "names"), "missing");
	/* the default's own action adds nothing (libseccomp refuses it) */
	if (!b->ctx || !applies || action == b->fallback)
		return 0;
	for (k = 0; k < (one ? 1 : json_array_size(names)); k++) {
		const char *name = json_string_value(one ? one
						    : json_array_get(names, k));
		int nr = seccomp_syscall_resolve_name(name);

		/* a name no architecture of libseccomp's has (newer than
		 * it, or a typo): skipped, as runc and crun do */
		if (nr == __NR_SCMP_ERROR)
			continue;
		if ((rc = add_syscall(b, action, nr, args, n_args)) < 0)
			return cfs_fail(b->e, -rc, "%s: %s: add the rule for %s",
					b->name, where, name);
		b->out->rules += nr >= 0;
	}
	return 0;
}

/* Walk PROFILE; without B->make_filter, check it only */
static int build(const char *profile, struct build *b)
{
	static const char *const keys[] = {
		"defaultAction", "defaultErrnoRet", "defaultErrno",
		"architectures", "archMap", "flags", "listenerPath",
		"listenerMetadata", "syscalls", NULL,
	};
	int rc;
	json_t *root, *rules, *rule, *v;
	struct utsname u;
	json_error_t je;
	size_t i;

	b->out->rules = 0;
	b->native = seccomp_arch_native();
	if (uname(&u) < 0)
		return cfs_fail(b->e, errno, "uname");
	if (sscanf(u.release, "%u.%u", &b->kernel[0], &b->kernel[1]) != 2)
		return cfs_fail(b->e, EINVAL, "read the kernel's version from "
				"'%s'", u.release);
	/* not even an object: most likely a profile in the text format
	 * cfs read before */
	if (profile[strspn(profile, " \t\r\n")] != '{')
		return cfs_fail(b->e, EINVAL, "%s: not a JSON object: a profile "
				"is JSON, as docker's and podman's are", b->name);
	/* jansson would seed its hash tables from /dev/urandom, opened in
	 * whatever root we are in by then: a container's, where it may be
	 * a FIFO. The profile is the caller's: no need for a secret seed. */
	json_object_seed(0x9e3779b9u ^ (size_t)getpid());
	if (!(root = json_loads(profile, JSON_REJECT_DUPLICATES, &je)))
		return cfs_fail(b->e, EINVAL, "%s:%d:%d: %s", b->name, je.line,
				je.column, je.text);
	rc = known_keys(b, root, "", keys);
	if (!rc)
		rc = get_action(b, root, "", "defaultAction", "defaultErrnoRet",
				"defaultErrno", &b->fallback,
				b->out->fallback, sizeof(b->out->fallback));
	if (!rc && b->make_filter && !(b->ctx = seccomp_init(b->fallback)))
		rc = cfs_fail(b->e, ENOMEM, "seccomp_init");
	for (i = 0; !rc && i < 2; i++) {
		const char *key = i ? "listenerMetadata" : "listenerPath";

		if (!(rc = get(b, root, "", key, JSON_STRING, &v)) && v &&
		    *json_string_value(v))
			rc = bad(b, key, "not supported (no seccomp agent: "
				 "SCMP_ACT_NOTIFY is not)");
	}
	if (!rc)
		rc = add_arches(b, root);
	if (!rc)
		rc = set_flags(b, root);
	if (!rc)
		rc = get(b, root, "", "syscalls", JSON_ARRAY, &rules);
	json_array_foreach(rc ? NULL : rules, i, rule)
		if ((rc = add_rule(b, rule, i)))
			break;
	json_decref(root);
	return rc;
}

int cfs_seccomp_check(const char *profile, const char *name,
		      struct cfs_err *e)
{
	struct cfs_seccomp out;
	struct build b = { .name = name, .out = &out, .e = e };

	return build(profile, &b);
}

/* PROFILE's filter, for CAPS, ready to load or export: in *CTX */
static int make(const char *profile, const char *name, uint64_t caps,
		scmp_filter_ctx *ctx, unsigned *flags, struct cfs_seccomp *out,
		struct cfs_err *e)
{
	struct build b = { .name = name, .caps = caps, .make_filter = 1,
			   .out = out, .e = e };
	int rc = build(profile, &b);

	*ctx = b.ctx;
	*flags = b.flags;
	/* a syscall through another ABI than those the profile names is a
	 * way around every rule: kill it (libseccomp's default, said out
	 * loud) */
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
 * takes one seccomp(2), where reading the profile and building the
 * filter with jansson and libseccomp would add 3.5 ms to each start. */
#include "default-bpf.h"

static int load_compiled(struct cfs_seccomp *out, struct cfs_err *e)
{
	struct sock_fprog prog = {
		.len = sizeof(cfs_default_bpf) / sizeof(*cfs_default_bpf),
		.filter = (struct sock_filter *)cfs_default_bpf,
	};

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return cfs_fail(e, errno, "load the seccomp filter of "
				"default.json");
	out->rules = CFS_DEFAULT_BPF_RULES;
	snprintf(out->fallback, sizeof(out->fallback), "%s",
		 CFS_DEFAULT_BPF_FALLBACK);
	return 0;
}
#endif

int cfs_seccomp_load(const char *profile, const char *name, uint64_t caps,
		     struct cfs_seccomp *out, struct cfs_err *e)
{
	scmp_filter_ctx ctx = NULL;
	unsigned flags;
	int rc;

#ifndef CFS_SECCOMP_COMPILER
	if (profile == cfs_seccomp_default && caps == CFS_DEFAULT_BPF_CAPS)
		return load_compiled(out, e);
#endif
	rc = make(profile, name, caps, &ctx, &flags, out, e);
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
	unsigned flags;
	int rc = make(profile, name, caps, &ctx, &flags, out, e);

	/* the flags are seccomp(2)'s, not the program's */
	if (!rc && flags)
		rc = cfs_fail(e, EINVAL, "%s: flags: cannot be compiled to BPF",
			      name);
	if (!rc && (rc = seccomp_export_bpf(ctx, fd)) < 0)
		rc = cfs_fail(e, -rc, "export the seccomp filter of %s", name);
	if (ctx)
		seccomp_release(ctx);
	return rc;
}
