/* SPDX-License-Identifier: GPL-2.0-or-later */
/* parse.c: parse or fail. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "parse.h"

static const struct {
	const char *name;
	int sig;
} signals[] = {
	{ "HUP", SIGHUP },   { "INT", SIGINT },   { "QUIT", SIGQUIT },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP },
	{ "WINCH", SIGWINCH },
};

int cfs_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int cfs_parse_signal(const char *s)
{
	long n;

	if (!cfs_parse_long(s, 1, SIGRTMAX, &n))
		return (int)n;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof(signals) / sizeof(*signals); i++)
		if (!strcasecmp(s, signals[i].name))
			return signals[i].sig;
	return -1;
}

static const char units[] = "KMGT";

int cfs_parse_size(const char *s, long long max, long long *out)
{
	unsigned long long v;
	const char *u;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end) {
		if (end[1] || !(u = strchr(units, end[0] & ~0x20)))
			return -EINVAL;
		for (long i = 0; i <= u - units; i++) {
			if (v > (unsigned long long)max / 1024)
				return -ERANGE;
			v *= 1024;
		}
	}
	if (v > (unsigned long long)max)
		return -ERANGE;
	*out = (long long)v;
	return 0;
}

int cfs_parse_fraction(const char *s, double max, double *out)
{
	char *end;
	double v;

	if ((*s < '0' || *s > '9') && *s != '.')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (*end || !isfinite(v))
		return -EINVAL;
	if (errno == ERANGE || v <= 0 || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

const char *cfs_format_size(long long bytes, char *buf)
{
	int i = -1;

	while (i < 3 && bytes && bytes % 1024 == 0)
		bytes /= 1024, i++;
	snprintf(buf, 32, "%lld%.*s", bytes, i >= 0, i >= 0 ? units + i : "");
	return buf;
}

static const char *const rlimit_names[] = {
	[RLIMIT_CPU] = "CPU",	      [RLIMIT_FSIZE] = "FSIZE",
	[RLIMIT_DATA] = "DATA",	      [RLIMIT_STACK] = "STACK",
	[RLIMIT_CORE] = "CORE",	      [RLIMIT_RSS] = "RSS",
	[RLIMIT_NPROC] = "NPROC",     [RLIMIT_NOFILE] = "NOFILE",
	[RLIMIT_MEMLOCK] = "MEMLOCK", [RLIMIT_AS] = "AS",
	[RLIMIT_LOCKS] = "LOCKS",     [RLIMIT_SIGPENDING] = "SIGPENDING",
	[RLIMIT_MSGQUEUE] = "MSGQUEUE", [RLIMIT_NICE] = "NICE",
	[RLIMIT_RTPRIO] = "RTPRIO",   [RLIMIT_RTTIME] = "RTTIME",
};

const char *cfs_rlimit_name(int resource)
{
	return rlimit_names[resource];
}

static int parse_rlim(const char *s, rlim_t *v)
{
	char *end;

	if (!strcmp(s, "unlimited") || !strcmp(s, "infinity")) {
		*v = RLIM_INFINITY;
		return 0;
	}
	errno = 0;
	*v = strtoull(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end && !errno && *v != RLIM_INFINITY
		       ? 0
		       : -EINVAL;
}

int cfs_parse_rlimit(const char *s, int *resource, struct rlimit *rl,
		     char *err)
{
	const char *eq = strchr(s, '='), *name = s, *colon;
	char soft[32];
	size_t len;

	if (!strncasecmp(name, "RLIMIT_", 7))
		name += 7;
	len = eq ? (size_t)(eq - name) : 0;
	*resource = -1;
	for (int i = 0; eq && i < (int)(sizeof(rlimit_names) /
				       sizeof(*rlimit_names)); i++)
		if (strlen(rlimit_names[i]) == len &&
		    !strncasecmp(rlimit_names[i], name, len))
			*resource = i;
	if (*resource < 0) {
		snprintf(err, 128, "%s: not NAME=SOFT[:HARD] with a NAME of "
			 "getrlimit(2) (NOFILE, NPROC, CORE...)", s);
		return -EINVAL;
	}
	colon = strchr(eq + 1, ':');
	len = colon ? (size_t)(colon - eq - 1) : strlen(eq + 1);
	snprintf(soft, sizeof(soft), "%.*s", (int)len, eq + 1);
	if (len >= sizeof(soft) || parse_rlim(soft, &rl->rlim_cur) ||
	    parse_rlim(colon ? colon + 1 : soft, &rl->rlim_max)) {
		snprintf(err, 128, "%s: a limit is not a number or "
			 "\"unlimited\"", s);
		return -EINVAL;
	}
	if (rl->rlim_cur > rl->rlim_max) {
		snprintf(err, 128, "%s: the soft limit is above the hard one",
			 s);
		return -EINVAL;
	}
	return 0;
}
