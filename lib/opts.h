/* opts.h: popt the same way in every tool. */
#ifndef CFS_OPTS_H
#define CFS_OPTS_H

#include <popt.h>

#define CFS_VERSION "0.1"

/* -V/--version, for every tool's option table. */
#define CFS_OPTS_VERSION                                                  \
	{ "version", 'V', POPT_ARG_NONE, NULL, CFS_OPT_VERSION,           \
	  "print version and exit", NULL }
enum { CFS_OPT_VERSION = 0x7fff };

/* A popt context that stops at the first non-option (so PROGRAM's own
 * options are never taken: POPT_CONTEXT_POSIXMEHARDER) and that gives an
 * option with an optional argument its value only as --name=VALUE, as
 * getopt_long does: a bare `--mount-proc sh` leaves sh alone and the
 * option's value is "". Never reads ~/.popt. */
poptContext cfs_popt_context(int argc, const char **argv,
			     const struct poptOption *options);

/* Run the option loop's end: on rc < -1 print popt's error and exit 125.
 * Call with poptGetNextOpt's last return value. */
void cfs_popt_check(poptContext ctx, int rc);

/* A usage error: print "TOOL: MESSAGE", then "Try 'TOOL --help' ...",
 * and exit 125. */
void cfs_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* For CFS_OPT_VERSION: print "TOOL (cfs) VERSION" and exit 0. */
void cfs_print_version(void) __attribute__((noreturn));

/* Free the context, for a tool that returns rather than execs. */
void cfs_popt_free(poptContext ctx);

/* The arguments left after the options: never NULL. */
const char **cfs_popt_args(poptContext ctx);

#endif
