/* SPDX-License-Identifier: GPL-2.0-or-later */
/* opts.c: popt set up the same way in every tool, and the tools' dying
 * forms of lib/process/exec.h: what only front ends use. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "opts.h"

static const struct poptOption *find_option(const struct poptOption *t,
					    const char *longname, size_t len,
					    char shortname)
{
	for (; t->longName || t->shortName || t->arg; t++) {
		if ((t->argInfo & POPT_ARG_MASK) == POPT_ARG_INCLUDE_TABLE) {
			const struct poptOption *o =
				find_option(t->arg, longname, len, shortname);
			if (o)
				return o;
			continue;
		}
		if (longname && t->longName && strlen(t->longName) == len &&
		    !strncmp(t->longName, longname, len))
			return t;
		if (!longname && shortname && t->shortName == shortname)
			return t;
	}
	return NULL;
}

static bool takes_arg(const struct poptOption *o)
{
	unsigned type = o->argInfo & POPT_ARG_MASK;

	return type != POPT_ARG_NONE && type != POPT_ARG_VAL;
}

/* The argv we hand popt: every string our own copy. */
struct args {
	const char **v;
	int n;
};

static void push(struct args *a, const char *s, size_t len)
{
	if (!(a->v[a->n++] = strndup(s, len)))
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "parse options");
}

static void push_optional(struct args *a, const char *longname)
{
	char *s;

	if (asprintf(&s, "--%s=", longname) < 0)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "parse options");
	a->v[a->n++] = s;
}

static bool optional_arg(const struct poptOption *o)
{
	return o && takes_arg(o) && (o->argInfo & POPT_ARGFLAG_OPTIONAL);
}

/* Push a cluster of short options (-umnipf, -oVALUE, -o VALUE), with each
 * one whose argument is optional pulled out as --name=. Returns how many
 * of the next words it took as a value: 0 or 1. */
static int push_cluster(struct args *out, const char *a, const char *next,
			const struct poptOption *options)
{
	char buf[256] = "-";
	size_t len = 1;

	for (const char *c = a + 1; *c; c++) {
		const struct poptOption *o = find_option(options, NULL, 0, *c);

		if (optional_arg(o) && o->longName) {
			if (len > 1)
				push(out, buf, len);
			len = 1;
			push_optional(out, o->longName);
			continue;
		}
		if (o && takes_arg(o)) { /* its value: the rest, or next */
			char *s;
			if (asprintf(&s, "%.*s%s", (int)len, buf, c) < 0)
				cfs_die(CFS_EXIT_FAILURE, ENOMEM,
					"parse options");
			out->v[out->n++] = s;
			if (!c[1] && next) {
				push(out, next, strlen(next));
				return 1;
			}
			return 0;
		}
		if (len < sizeof(buf) - 1)
			buf[len++] = *c;
	}
	if (len > 1)
		push(out, buf, len);
	return 0;
}

/* Walk the options as popt will (up to "--" or the first non-option),
 * keeping required values with their options, and make every option whose
 * argument is optional take one only as --name=VALUE: a bare --name or -x
 * becomes --name=, so that popt does not take the next word (or the rest
 * of a cluster) as its value. */
static struct args fix_optional_args(int argc, const char **argv,
				     const struct poptOption *options)
{
	size_t cap = argc + 1;
	struct args out = { 0 };
	int i = 0;

	for (int j = 0; j < argc; j++)
		cap += strlen(argv[j]);
	if (!(out.v = calloc(cap, sizeof(*out.v))))
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "parse options");
	push(&out, argv[0], strlen(argv[0]));

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		const struct poptOption *o;

		if (a[0] != '-' || !a[1] || !strcmp(a, "--"))
			break;
		if (a[1] != '-') {
			i += push_cluster(&out, a, i + 1 < argc ? argv[i + 1]
								: NULL,
					  options);
			continue;
		}
		o = find_option(options, a + 2,
				eq ? (size_t)(eq - a - 2) : strlen(a + 2), 0);
		if (optional_arg(o) && !eq) {
			push_optional(&out, o->longName);
			continue;
		}
		push(&out, a, strlen(a));
		if (o && takes_arg(o) && !eq && i + 1 < argc)
			i++, push(&out, argv[i], strlen(argv[i]));
	}
	for (; i < argc; i++)
		push(&out, argv[i], strlen(argv[i]));
	return out;
}

/* A sanitizer build's options (make check-asan) as the tools' defaults:
 * podman, conmon and containerd run a tool with an environment of their
 * own, without ASAN_OPTIONS. No leak check: a tool execs or exits holding
 * its popt context; and LeakSanitizer's check at exit never ends in a
 * process that made a PID namespace: its tracer, a child in that
 * namespace, sees no parent and leaves while we wait for it. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CFS_ASAN
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(CFS_ASAN)
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

const char *__ubsan_default_options(void)
{
	return "halt_on_error=1";
}
#endif

/* The argv popt parses: the leftover args point into it until we exec. */
static struct args fixed;

poptContext cfs_popt_context(int argc, const char **argv,
			     const struct poptOption *options)
{
	poptContext ctx;

	fixed = fix_optional_args(argc, argv, options);
	ctx = poptGetContext(program_invocation_short_name, fixed.n, fixed.v,
			     options, POPT_CONTEXT_POSIXMEHARDER);

	if (!ctx)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "parse options");
	return ctx;
}

void cfs_usage_error(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfs_warn(0, "%s", msg);
	fprintf(stderr, "Try '%s --help' for more information.\n",
		program_invocation_short_name);
	exit(CFS_EXIT_FAILURE);
}

void cfs_popt_check(poptContext ctx, int rc)
{
	if (rc < -1)
		cfs_usage_error("%s: %s",
				poptBadOption(ctx, POPT_BADOPTION_NOALIAS),
				poptStrerror(rc));
}

void cfs_print_version(void)
{
	printf("%s (cfs) %s\n", program_invocation_short_name, CFS_VERSION);
	exit(0);
}

const char **cfs_popt_args(poptContext ctx)
{
	static const char *none[] = { NULL };
	const char **args = poptGetArgs(ctx);

	return args ? args : none;
}

void cfs_popt_free(poptContext ctx)
{
	poptFreeContext(ctx);
	for (int i = 0; i < fixed.n; i++)
		free((char *)fixed.v[i]);
	free(fixed.v);
	fixed = (struct args){ 0 };
}

/* A failed exec: E's message, and 127 when RC says not found, else 126. */
__attribute__((noreturn)) static void die_exec(int rc,
						const struct cfs_err *e)
{
	cfs_die(rc == -ENOENT ? CFS_EXIT_NOT_FOUND : CFS_EXIT_CANNOT_RUN,
		e->errnum, "%s", e->msg);
}

void cfs_exec_in(const char *where, const char **argv)
{
	struct cfs_err e;

	die_exec(cfs_execvp(where, argv, &e), &e);
}

void cfs_exec(const char **argv)
{
	cfs_exec_in(NULL, argv);
}

pid_t cfs_spawn(const char **argv, const struct cfs_step *steps)
{
	struct cfs_err e;
	int failed;
	pid_t pid = cfs_spawn_forwarding(argv, steps, &failed, &e);

	if (pid >= 0)
		return pid;
	if (failed < 0) {
		errno = -pid;
		return -1;
	}
	if (!steps || steps[failed].op == CFS_STEP_END)
		die_exec(pid, &e);
	cfs_die_err(&e);
}

void cfs_new_session(void)
{
	struct cfs_err e;
	pid_t child = cfs_setsid_forking(&e);

	if (child < 0)
		cfs_die_err(&e);
	if (child > 0)
		exit(cfs_exit_code(cfs_wait_forwarding(child)));
}
