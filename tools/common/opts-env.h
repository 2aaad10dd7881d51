/* SPDX-License-Identifier: GPL-2.0-or-later */
/* opts-env.h: the options of the tools that exec a container's program
 * (cfs-pivot, cfs-enter) about what of the caller reaches it. */
#ifndef CFS_OPTS_ENV_H
#define CFS_OPTS_ENV_H

#include <stdbool.h>
#include <sys/types.h>

#include "opts.h"
#include "core/strv.h"

/* What reaches the program a tool execs in a container, the same in every
 * such tool: --setenv, --unsetenv and --env-file in the order given, over
 * a clean environment unless --keep-env; fds 0, 1, 2 and --preserve-fds N
 * more. CFS_OPTS_ENV(o) goes in the option table, cfs_opts_env_take in
 * the option loop. */
struct cfs_opts_env {
	struct { int opt; const char *arg; } *given; /* in order */
	size_t n_given;
	struct cfs_strv changes; /* NAME=VALUE to set, NAME to unset */
	int keep_env;
	const char *preserve_fds;
	unsigned kept_fds; /* --preserve-fds, parsed */
};
enum { CFS_OPT_SETENV = 0x7ff0, CFS_OPT_UNSETENV, CFS_OPT_ENV_FILE };
#define CFS_OPTS_ENV(o)                                                   \
	{ "setenv", 0, POPT_ARG_STRING, NULL, CFS_OPT_SETENV,             \
	  "set NAME to VALUE, or to our value of NAME; repeatable",       \
	  "NAME[=VALUE]" },                                               \
	{ "unsetenv", 0, POPT_ARG_STRING, NULL, CFS_OPT_UNSETENV,         \
	  "unset NAME; repeatable", "NAME" },                             \
	{ "env-file", 0, POPT_ARG_STRING, NULL, CFS_OPT_ENV_FILE,         \
	  "set the variables of FILE (docker's format); repeatable",      \
	  "FILE" },                                                       \
	{ "keep-env", 0, POPT_ARG_NONE, &(o).keep_env, 0,                 \
	  "start from our environment, not a clean one", NULL },          \
	{ "preserve-fds", 0, POPT_ARG_STRING, &(o).preserve_fds, 0,       \
	  "pass N fds more than 0, 1, 2: 3 to N+2", "N" }

/* Take option RC with ARG when it is one of CFS_OPTS_ENV's: true. Dies
 * on a usage error. ARGC bounds how many there can be. */
bool cfs_opts_env_take(struct cfs_opts_env *o, int argc, int rc,
		       const char *arg);

/* After the loop, before anything is joined: check --preserve-fds, and
 * read what --setenv NAME and --env-file take from our environment and
 * the host's files into CHANGES. Dies on a mistake, naming it. */
void cfs_opts_env_check(struct cfs_opts_env *o);

/* Right before the exec: make the environment ours with --keep-env,
 * else DEFAULTS ("NAME=VALUE", NULL-terminated) and HOME=HOME; then
 * IMAGE's (the same, may be NULL); then the options' changes; then
 * LISTEN_PID=LISTEN_PID when that is not 0 (no LISTEN_* variable
 * otherwise); and mark every fd from 3 + max(--preserve-fds,
 * LISTEN_FDS) close-on-exec. Dies, naming the option, on a failure. */
void cfs_opts_env_apply(const struct cfs_opts_env *o,
			const char *const *defaults, char *const *image,
			const char *home, pid_t listen_pid);

#endif
