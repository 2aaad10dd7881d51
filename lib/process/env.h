/* SPDX-License-Identifier: GPL-2.0-or-later */
/* env.h: the environment a container's program starts with, built as
 * docker builds it: a few defaults, then the image's Env, then what the
 * caller adds or removes, in that order; each NAME once, the last value
 * set winning. Nothing of the caller's environment is in it unless asked
 * for: tokens, agent sockets and proxies stay outside. */
#ifndef CFS_ENV_H
#define CFS_ENV_H

#include "core/err.h"
#include "core/strv.h"

/* docker's PATH for a container whose image sets none. */
#define CFS_ENV_DEFAULT_PATH \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Set "NAME=VALUE" in ENV, replacing NAME's entry where it has one. NAME
 * must not be empty (-EINVAL, with the entry in the message). */
int cfs_env_set(struct cfs_strv *env, const char *entry, struct cfs_err *e);

/* NAME's value in ENV, or NULL. */
const char *cfs_env_get(const struct cfs_strv *env, const char *name);

/* Remove NAME from ENV, if it is there. */
void cfs_env_unset(struct cfs_strv *env, const char *name);

/* Add the variables of an env file, docker's format: a line is NAME=VALUE
 * (VALUE verbatim to the end of the line, quotes included), or NAME alone
 * for this process's value of NAME (left out when we have none); leading
 * blanks, empty lines and lines starting with '#' are skipped. A NAME that
 * is empty or holds a blank is an error, "PATH:LINE: ...". */
int cfs_env_read_file(struct cfs_strv *env, const char *path,
		      struct cfs_err *e);

/* A copy of this process's environment, for ENV. */
int cfs_env_copy_ours(struct cfs_strv *env, struct cfs_err *e);

/* Make ENV this process's whole environment, for the exec that follows
 * (execvp looks PROGRAM up in its PATH): its strings, not copies, so ENV
 * must be kept until then. */
int cfs_env_apply(const struct cfs_strv *env, struct cfs_err *e);

#endif
