/* SPDX-License-Identifier: GPL-2.0-or-later */
/* opts-env.c: a container program's environment and fds, as the options
 * ask (opts-env.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "opts-env.h"
#include "core/parse.h"
#include "process/env.h"
#include "process/exec.h"

bool cfs_opts_env_take(struct cfs_opts_env *o, int argc, int rc,
		       const char *arg)
{
	if (rc != CFS_OPT_SETENV && rc != CFS_OPT_UNSETENV &&
	    rc != CFS_OPT_ENV_FILE)
		return false;
	if (!o->given && !(o->given = calloc(argc, sizeof(*o->given))))
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "parse options");
	o->given[o->n_given].opt = rc;
	o->given[o->n_given++].arg = arg;
	return true;
}

/* One --setenv, --unsetenv or --env-file as entries of CHANGES. */
static int take_change(struct cfs_strv *changes, int opt, const char *arg,
		       struct cfs_err *e)
{
	const char *value = getenv(arg);
	struct cfs_strv file = { 0 };
	char *entry;
	int rc = 0;

	if (opt == CFS_OPT_ENV_FILE) {
		rc = cfs_env_read_file(&file, arg, e);
		for (size_t i = 0; !rc && i < file.n; i++)
			if (cfs_strv_push(changes, file.v[i]))
				rc = cfs_fail(e, ENOMEM, "%s", arg);
		cfs_strv_free(&file);
		return rc;
	}
	if (!*arg || *arg == '=' ||
	    (opt == CFS_OPT_UNSETENV && strchr(arg, '=')))
		return cfs_fail(e, 0, "%s: not a variable name", arg);
	if (opt == CFS_OPT_UNSETENV || strchr(arg, '='))
		return cfs_strv_push(changes, arg) ? cfs_fail(e, ENOMEM, "%s",
							      arg)
						   : 0;
	if (!value)
		return cfs_fail(e, 0, "%s: not in our environment", arg);
	if (asprintf(&entry, "%s=%s", arg, value) < 0)
		return cfs_fail(e, ENOMEM, "%s", arg);
	rc = cfs_strv_push(changes, entry) ? cfs_fail(e, ENOMEM, "%s", arg)
					   : 0;
	free(entry);
	return rc;
}

void cfs_opts_env_check(struct cfs_opts_env *o)
{
	struct cfs_err e;
	long n;

	if (o->preserve_fds &&
	    cfs_parse_long(o->preserve_fds, 0, 1 << 20, &n))
		cfs_usage_error("--preserve-fds %s: not a number of fds",
				o->preserve_fds);
	o->kept_fds = o->preserve_fds ? (unsigned)n : 0;
	for (size_t i = 0; i < o->n_given; i++)
		if (take_change(&o->changes, o->given[i].opt, o->given[i].arg,
				&e))
			cfs_die(CFS_EXIT_FAILURE, e.errnum, "%s %s",
				o->given[i].opt == CFS_OPT_SETENV ? "--setenv"
				: o->given[i].opt == CFS_OPT_UNSETENV
					? "--unsetenv"
					: "--env-file",
				e.msg);
}

/* LISTEN_FDS, when LISTEN_PID is to be set: how many fds it names. */
static unsigned listen_fds(pid_t listen_pid)
{
	const char *s = getenv("LISTEN_FDS");
	long n;

	if (!listen_pid)
		return 0;
	if (!s || cfs_parse_long(s, 0, 1 << 20, &n))
		cfs_die(CFS_EXIT_FAILURE, 0, "--listen-fds: LISTEN_FDS=%s: "
			"not a number of fds", s ? s : "(unset)");
	return (unsigned)n;
}

void cfs_opts_env_apply(const struct cfs_opts_env *o,
			const char *const *defaults, char *const *image,
			const char *home, pid_t listen_pid)
{
	static struct cfs_strv env; /* kept: environ points into it */
	unsigned listen = listen_fds(listen_pid);
	struct cfs_err e;
	char entry[64];

	if (o->keep_env ? cfs_env_copy_ours(&env, &e) : 0)
		cfs_die_err(&e);
	for (size_t i = 0; !o->keep_env && defaults && defaults[i]; i++)
		if (cfs_env_set(&env, defaults[i], &e))
			cfs_die_err(&e);
	if (!o->keep_env && home) {
		char *h;

		if (asprintf(&h, "HOME=%s", home) < 0 ||
		    cfs_env_set(&env, h, &e))
			cfs_die(CFS_EXIT_FAILURE, ENOMEM, "set HOME");
		free(h);
	}
	for (size_t i = 0; image && image[i]; i++)
		if (cfs_env_set(&env, image[i], &e))
			cfs_die(CFS_EXIT_FAILURE, e.errnum, "image Env %s",
				e.msg);
	for (size_t i = 0; i < o->changes.n; i++) {
		const char *c = o->changes.v[i];

		if (!strchr(c, '='))
			cfs_env_unset(&env, c);
		else if (cfs_env_set(&env, c, &e))
			cfs_die_err(&e);
	}
	cfs_env_unset(&env, "LISTEN_FDS");
	cfs_env_unset(&env, "LISTEN_PID");
	cfs_env_unset(&env, "LISTEN_FDNAMES");
	if (listen_pid) {
		const char *names = getenv("LISTEN_FDNAMES");
		char *s;

		snprintf(entry, sizeof(entry), "LISTEN_FDS=%u", listen);
		if (cfs_env_set(&env, entry, &e))
			cfs_die_err(&e);
		snprintf(entry, sizeof(entry), "LISTEN_PID=%d", (int)listen_pid);
		if (cfs_env_set(&env, entry, &e))
			cfs_die_err(&e);
		if (names && (asprintf(&s, "LISTEN_FDNAMES=%s", names) < 0 ||
			      cfs_env_set(&env, s, &e)))
			cfs_die(CFS_EXIT_FAILURE, ENOMEM, "set LISTEN_FDNAMES");
		if (names)
			free(s);
	}
	if (cfs_env_apply(&env, &e) ||
	    cfs_exec_keep_fds(3 + (listen > o->kept_fds ? listen : o->kept_fds),
			      &e))
		cfs_die_err(&e);
}
