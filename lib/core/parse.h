/* SPDX-License-Identifier: GPL-2.0-or-later */
/* parse.h: parse or fail, never half-parse: trailing junk is an error. */
#ifndef CFS_PARSE_H
#define CFS_PARSE_H

/* "KILL", "SIGKILL", "kill" or "9": the signal number, or -1. */
int cfs_parse_signal(const char *s);

/* A decimal in [min, max], whole string: 0 and *out set, or -EINVAL /
 * -ERANGE. */
int cfs_parse_long(const char *s, long min, long max, long *out);

/* A size in bytes: digits with an optional K, M, G or T suffix (powers of
 * 1024, either case), whole string: 0 and *out set, or -EINVAL / -ERANGE
 * (above max). */
int cfs_parse_size(const char *s, long long max, long long *out);

/* A positive decimal fraction ("0.5", "2") up to max: 0 and *out set, or
 * -EINVAL / -ERANGE. */
int cfs_parse_fraction(const char *s, double max, double *out);

/* NAME=SOFT[:HARD] for setrlimit(2): NAME as "NOFILE", "RLIMIT_NOFILE"
 * or "nofile", each limit a number or "unlimited"; HARD defaults to
 * SOFT. 0 and *resource, *rl set, or -EINVAL (message in ERR, of 128). */
struct rlimit;
int cfs_parse_rlimit(const char *s, int *resource, struct rlimit *rl,
		     char *err);

/* "NOFILE" for RLIMIT_NOFILE. */
const char *cfs_rlimit_name(int resource);

/* BYTES as the shortest exact "64M", "1G", "4097". BUF of 32. */
const char *cfs_format_size(long long bytes, char *buf);

#endif
