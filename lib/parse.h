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

/* BYTES as the shortest exact "64M", "1G", "4097". BUF of 32. */
const char *cfs_format_size(long long bytes, char *buf);

#endif
