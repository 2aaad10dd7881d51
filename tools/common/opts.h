/* SPDX-License-Identifier: GPL-2.0-or-later */
/* opts.h: popt the same way in every tool, and the tools' dying forms
 * of lib/process/exec.h: what only front ends use. */
#ifndef CFS_OPTS_H
#define CFS_OPTS_H

#include <popt.h>
#include <sys/types.h>

#include "process/exec.h"

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

/* The front ends' side of lib/process/exec.h: each prints what failed and exits
 * as the chain's status says, where the lib functions return -errno. */

/* cfs_execvp(NULL, ARGV); on failure print "TOOL: failed to execute
 * PROGRAM: REASON" and exit 127 (not found) or 126 (found, cannot run). */
void cfs_exec(const char **argv) __attribute__((noreturn));

/* Like cfs_exec, but a failure names the program as WHERE/PATH (the new
 * root it was looked for in), for tools that exec inside a new root. */
void cfs_exec_in(const char *where, const char **argv)
	__attribute__((noreturn));

/* cfs_spawn_forwarding: the child, or -1 with errno when none could be
 * made; when a step fails, its message and exit 125; when PROGRAM cannot
 * be executed, as cfs_exec. */
pid_t cfs_spawn(const char **argv, const struct cfs_step *steps);

/* cfs_setsid_forking: go on in a new session; a parent that had to fork
 * waits, forwarding signals, and exits with the child's status. Dies on
 * failure. */
void cfs_new_session(void);

#endif
