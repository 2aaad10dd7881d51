/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hooks.c: OCI hooks run with the state on their stdin (hooks.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hooks.h"

extern char **environ;

static bool is_str_array(json_t *a)
{
	size_t i;
	json_t *v;

	if (!json_is_array(a))
		return false;
	json_array_foreach(a, i, v)
		if (!json_is_string(v) ||
		    strlen(json_string_value(v)) != json_string_length(v))
			return false;
	return true;
}

static int check_hook(json_t *h, const char *what, size_t i,
		      struct cfs_err *e)
{
	json_t *path = json_object_get(h, "path"), *v;
	const char *key;

	if (!json_is_object(h))
		return cfs_fail(e, 0, "%s[%zu]: not an object", what, i);
	if (!json_is_string(path) || *json_string_value(path) != '/' ||
	    strlen(json_string_value(path)) != json_string_length(path))
		return cfs_fail(e, 0, "%s[%zu].path: missing or not absolute",
				what, i);
	json_object_foreach(h, key, v) {
		if (!strcmp(key, "path"))
			continue;
		if ((!strcmp(key, "args") || !strcmp(key, "env")) &&
		    !is_str_array(v))
			return cfs_fail(e, 0, "%s[%zu].%s: not an array of "
					"strings", what, i, key);
		if (!strcmp(key, "timeout") &&
		    (!json_is_integer(v) || json_integer_value(v) < 1 ||
		     json_integer_value(v) > INT32_MAX / 1000))
			return cfs_fail(e, 0, "%s[%zu].timeout: not a number "
					"of seconds above 0", what, i);
	}
	return 0;
}

int cfs_hooks_check(json_t *list, const char *what, struct cfs_err *e)
{
	int rc;

	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return cfs_fail(e, 0, "%s: not an array", what);
	for (size_t i = 0; i < json_array_size(list); i++)
		if ((rc = check_hook(json_array_get(list, i), what, i, e)))
			return rc;
	return 0;
}

/* A NULL-terminated vector of the strings of A (borrowed), or of
 * DEFAULT_ alone when A is absent. NULL when out of memory. */
static char **vector(json_t *a, const char *default_)
{
	size_t n = json_array_size(a);
	char **v = calloc(n + 2, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = (char *)json_string_value(json_array_get(a, i));
	if (!a)
		v[0] = (char *)default_;
	return v;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Start PATH with ARGV and ENVP, IN its stdin, SIGPIPE at its default
 * and no signal blocked: posix_spawn(3), which shares our memory until
 * the exec and says why one failed. Its PID, or -errno. */
static pid_t spawn(const char *path, char **argv, char **envp, int in)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t def, none;
	pid_t pid;
	int rc;

	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	if ((rc = posix_spawn_file_actions_init(&fa)))
		return -rc;
	if ((rc = posix_spawnattr_init(&attr))) {
		posix_spawn_file_actions_destroy(&fa);
		return -rc;
	}
	if (!(rc = posix_spawn_file_actions_adddup2(&fa, in, STDIN_FILENO)) &&
	    !(rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF |
							   POSIX_SPAWN_SETSIGMASK)) &&
	    !(rc = posix_spawnattr_setsigdefault(&attr, &def)) &&
	    !(rc = posix_spawnattr_setsigmask(&attr, &none)))
		rc = posix_spawn(&pid, path, &fa, &attr, argv, envp);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return rc ? -rc : pid;
}

/* Run one hook H with DATA (LEN bytes) on its stdin: its status, or -1
 * when it timed out (killed); *ERR the errno of a failure to start it. */
static int run_one(json_t *h, const char *data, size_t len, int *err)
{
	const char *path = json_string_value(json_object_get(h, "path"));
	json_t *timeout = json_object_get(h, "timeout");
	char **argv = vector(json_object_get(h, "args"), path);
	char **envp = json_object_get(h, "env") ?
		      vector(json_object_get(h, "env"), NULL) : environ;
	long long deadline = timeout ? now_ms() +
				       json_integer_value(timeout) * 1000LL : -1;
	int in[2], pidfd = -1, status = 0, ws;
	size_t done = 0;
	pid_t pid;

	*err = 0;
	if (!argv || !envp) {
		*err = ENOMEM;
		goto out;
	}
	if (pipe2(in, O_CLOEXEC) < 0) {
		*err = errno;
		goto out;
	}
	pid = spawn(path, argv, envp, in[0]);
	close(in[0]);
	if (pid < 0) {
		*err = -pid;
		close(in[1]);
		goto out;
	}
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	/* the input, as much as the hook reads of it, until it ends or
	 * its time is up */
	for (;;) {
		struct pollfd p[2] = { { .fd = pidfd, .events = POLLIN },
				       { .fd = in[1], .events = POLLOUT } };
		long long left = deadline < 0 ? -1 : deadline - now_ms();
		int n;

		if (deadline >= 0 && left <= 0) {
			kill(pid, SIGKILL);
			status = -1;
			break;
		}
		n = poll(p, in[1] >= 0 ? 2 : 1, left < 0 ? -1 : (int)left);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && (p[0].revents & POLLIN))
			break;
		/* no pidfd (a seccomp profile may refuse it): waitpid */
		if (pidfd < 0 && in[1] < 0)
			break;
		if (n > 0 && in[1] >= 0 && p[1].revents) {
			ssize_t w = write(in[1], data + done, len - done);

			if (w > 0)
				done += w;
			if ((w < 0 && errno != EAGAIN) || done == len) {
				close(in[1]);
				in[1] = -1;
			}
		}
	}
	if (in[1] >= 0)
		close(in[1]);
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (status != -1)
		status = ws;
out:
	if (pidfd >= 0)
		close(pidfd);
	free(argv);
	if (envp != environ)
		free(envp);
	return status;
}

int cfs_hooks_run(json_t *list, const char *what, const char *input,
		  struct cfs_err *e)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int rc = 0;

	if (!json_array_size(list))
		return 0;
	/* a hook that does not read its stdin closes it: EPIPE, no signal */
	sigaction(SIGPIPE, &ign, &old);
	for (size_t i = 0; !rc && i < json_array_size(list); i++) {
		json_t *h = json_array_get(list, i);
		const char *path = json_string_value(json_object_get(h, "path"));
		int err, status = run_one(h, input, strlen(input), &err);

		if (err)
			rc = cfs_fail(e, err, "%s[%zu] %s", what, i, path);
		else if (status == -1)
			rc = cfs_fail(e, 0, "%s[%zu] %s: killed after its "
				      "timeout of %llds", what, i, path,
				      json_integer_value(json_object_get(
					      h, "timeout")));
		else if (WIFSIGNALED(status))
			rc = cfs_fail(e, 0, "%s[%zu] %s: killed by signal %d",
				      what, i, path, WTERMSIG(status));
		else if (WEXITSTATUS(status))
			rc = cfs_fail(e, 0, "%s[%zu] %s: exited %d", what, i,
				      path, WEXITSTATUS(status));
	}
	sigaction(SIGPIPE, &old, NULL);
	return rc;
}
