/* parse.h: parse or fail, never half-parse: trailing junk is an error. */
#ifndef CFS_PARSE_H
#define CFS_PARSE_H

/* "KILL", "SIGKILL", "kill" or "9": the signal number, or -1. */
int cfs_parse_signal(const char *s);

/* A decimal in [min, max], whole string: 0 and *out set, or -EINVAL /
 * -ERANGE. */
int cfs_parse_long(const char *s, long min, long max, long *out);

#endif
