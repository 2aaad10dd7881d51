/* opts.c: popt set up the same way in every tool. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
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

/* Walk the options as popt will (up to "--" or the first non-option),
 * skipping required values, and turn each bare "--name" whose argument is
 * optional into "--name=" so that popt does not take the next word. */
static const char **fix_optional_args(int argc, const char **argv,
				      const struct poptOption *options)
{
	const char **out = calloc(argc + 1, sizeof(*out));

	if (!out)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "parse options");
	memcpy(out, argv, argc * sizeof(*out));

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct poptOption *o;

		if (a[0] != '-' || !a[1] || !strcmp(a, "--"))
			break;
		if (a[1] == '-') {
			const char *eq = strchr(a, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

			o = find_option(options, a + 2, len, 0);
			if (!o || eq || !takes_arg(o))
				continue;
			if (o->argInfo & POPT_ARGFLAG_OPTIONAL) {
				char *fixed;
				if (asprintf(&fixed, "%s=", a) < 0)
					cfs_die(CFS_EXIT_FAILURE, ENOMEM,
						"parse options");
				out[i] = fixed; /* lives as long as the tool */
			} else {
				i++; /* its value */
			}
			continue;
		}
		/* a cluster of short options: -umnipf, -oVALUE, -o VALUE */
		for (const char *c = a + 1; *c; c++) {
			o = find_option(options, NULL, 0, *c);
			if (o && takes_arg(o)) {
				if (!c[1] && !(o->argInfo & POPT_ARGFLAG_OPTIONAL))
					i++;
				break;
			}
		}
	}
	return out;
}

/* The argv popt parses, and the one we were given: the leftover args
 * point into fixed_argv until we exec. */
static const char **fixed_argv, **given_argv;
static int given_argc;

poptContext cfs_popt_context(int argc, const char **argv,
			     const struct poptOption *options)
{
	poptContext ctx;

	given_argc = argc;
	given_argv = argv;
	fixed_argv = fix_optional_args(argc, argv, options);
	ctx = poptGetContext(program_invocation_short_name, argc, fixed_argv,
			     options, POPT_CONTEXT_POSIXMEHARDER);

	if (!ctx)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "parse options");
	return ctx;
}

void cfs_popt_check(poptContext ctx, int rc)
{
	if (rc >= -1)
		return;
	cfs_warn(0, "%s: %s", poptBadOption(ctx, POPT_BADOPTION_NOALIAS),
		 poptStrerror(rc));
	fprintf(stderr, "Try '%s --help' for more information.\n",
		program_invocation_short_name);
	exit(CFS_EXIT_FAILURE);
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
	for (int i = 0; i < given_argc; i++)
		if (fixed_argv[i] != given_argv[i])
			free((char *)fixed_argv[i]);
	free(fixed_argv);
	fixed_argv = NULL;
}
