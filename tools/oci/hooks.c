/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tools/oci/hooks.c: config.json's hooks, run by cfs-oci (hooks.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "oci/hooks.h"

extern char **environ;

/* The spec's kinds, in the order of the lifecycle */
static const char *const kinds[] = { "prestart", "createRuntime",
				     "createContainer", "startContainer",
				     "poststart", "poststop", NULL };

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

static int check_hook(json_t *h, const char *kind, size_t i,
		      struct cfs_err *e)
{
	json_t *path = json_object_get(h, "path"), *v;
	const char *key;

	if (!json_is_object(h))
		return cfs_fail(e, 0, "hooks.%s[%zu]: not an object", kind, i);
	if (!json_is_string(path) || *json_string_value(path) != '/' ||
	    strlen(json_string_value(path)) != json_string_length(path))
		return cfs_fail(e, 0, "hooks.%s[%zu].path: missing or not "
				"absolute", kind, i);
	json_object_foreach(h, key, v) {
		if (!strcmp(key, "path"))
			continue;
		if ((!strcmp(key, "args") || !strcmp(key, "env")) &&
		    !is_str_array(v))
			return cfs_fail(e, 0, "hooks.%s[%zu].%s: not an array "
					"of strings", kind, i, key);
		if (!strcmp(key, "timeout") &&
		    (!json_is_integer(v) || json_integer_value(v) < 1 ||
		     json_integer_value(v) > INT32_MAX / 1000))
			return cfs_fail(e, 0, "hooks.%s[%zu].timeout: not a "
					"number of seconds above 0", kind, i);
	}
	return 0;
}

int cfs_oci_hooks_check(json_t *hooks, struct cfs_err *e)
{
	const char *kind;
	json_t *list;
	int rc;

	if (!hooks || json_is_null(hooks))
		return 0;
	if (!json_is_object(hooks))
		return cfs_fail(e, 0, "hooks: not an object");
	json_object_foreach(hooks, kind, list) {
		bool known = false;

		for (int k = 0; kinds[k]; k++)
			known |= !strcmp(kind, kinds[k]);
		/* not the spec's: ignored, as config.md says */
		if (!known)
			continue;
		if (json_is_null(list))
			continue;
		if (!json_is_array(list))
			return cfs_fail(e, 0, "hooks.%s: not an array", kind);
		if (!json_array_size(list))
			continue;
		for (size_t i = 0; i < json_array_size(list); i++)
			if ((rc = check_hook(json_array_get(list, i), kind, i, e)))
				return rc;
	}
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
	if ((pid = fork()) < 0) {
		*err = errno;
		close(in[0]);
		close(in[1]);
		goto out;
	}
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		if (dup2(in[0], STDIN_FILENO) < 0)
			_exit(126);
		execve(path, argv, envp);
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(in[0]);
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	/* the state, as much as the hook reads of it, until it ends or
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

int cfs_oci_hooks_run(json_t *hooks, const char *kind, json_t *state,
		      struct cfs_err *e)
{
	json_t *list = json_object_get(hooks, kind);
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	char *data;
	int rc = 0;

	if (!json_array_size(list))
		return 0;
	if (!(data = json_dumps(state, JSON_COMPACT)))
		return cfs_fail(e, ENOMEM, "hooks.%s", kind);
	/* a hook that does not read its stdin closes it: EPIPE, no signal */
	sigaction(SIGPIPE, &ign, &old);
	for (size_t i = 0; !rc && i < json_array_size(list); i++) {
		json_t *h = json_array_get(list, i);
		const char *path = json_string_value(json_object_get(h, "path"));
		int err, status = run_one(h, data, strlen(data), &err);

		if (err)
			rc = cfs_fail(e, err, "hooks.%s[%zu] %s", kind, i, path);
		else if (status == -1)
			rc = cfs_fail(e, 0, "hooks.%s[%zu] %s: killed after "
				      "its timeout of %llds", kind, i, path,
				      json_integer_value(json_object_get(
					      h, "timeout")));
		else if (WIFSIGNALED(status))
			rc = cfs_fail(e, 0, "hooks.%s[%zu] %s: killed by signal "
				      "%d", kind, i, path, WTERMSIG(status));
		else if (WEXITSTATUS(status))
			rc = cfs_fail(e, 0, "hooks.%s[%zu] %s: exited %d%s", kind,
				      i, path, WEXITSTATUS(status),
				      WEXITSTATUS(status) == 127 ? " (not found)" :
				      WEXITSTATUS(status) == 126 ?
				      " (could not be executed)" : "");
	}
	sigaction(SIGPIPE, &old, NULL);
	free(data);
	return rc;
}

int cfs_oci_hooks_save(int dirfd, const char *dir, json_t *hooks,
		       struct cfs_err *e)
{
	int fd;

	if (!hooks || !json_is_object(hooks) || !json_object_size(hooks))
		return 0;
	fd = openat(dirfd, "hooks.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0600);
	if (fd < 0)
		return cfs_fail(e, errno, "create %s/hooks.json", dir);
	if (json_dumpfd(hooks, fd, JSON_COMPACT) < 0) {
		close(fd);
		return cfs_fail(e, EIO, "write %s/hooks.json", dir);
	}
	if (close(fd) < 0)
		return cfs_fail(e, errno, "write %s/hooks.json", dir);
	return 0;
}

json_t *cfs_oci_hooks_load(int dirfd)
{
	int fd = openat(dirfd, "hooks.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	json_t *hooks;

	if (fd < 0)
		return NULL;
	hooks = json_loadfd(fd, 0, NULL);
	close(fd);
	return hooks;
}

int cfs_oci_hooks_has(json_t *hooks, const char *kind)
{
	static const char *const at_create[] = { "prestart", "createRuntime",
						 "createContainer",
						 "startContainer", NULL };

	if (kind)
		return json_array_size(json_object_get(hooks, kind)) > 0;
	for (int k = 0; at_create[k]; k++)
		if (json_array_size(json_object_get(hooks, at_create[k])))
			return 1;
	return 0;
}

int cfs_oci_hooks_save_pivot(int dirfd, const char *dir, json_t *hooks,
			     json_t *state, struct cfs_err *e)
{
	json_t *j = json_pack("{sOsOsO}", "state", state, "createContainer",
			      json_object_get(hooks, "createContainer") ?:
			      json_null(), "startContainer",
			      json_object_get(hooks, "startContainer") ?:
			      json_null());
	int fd, rc = 0;

	if (!j)
		return cfs_fail(e, ENOMEM, "%s/pivot-hooks.json", dir);
	fd = openat(dirfd, "pivot-hooks.json",
		    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || fchmod(fd, 0644) < 0)
		rc = cfs_fail(e, errno, "create %s/pivot-hooks.json", dir);
	else if (json_dumpfd(j, fd, JSON_COMPACT) < 0)
		rc = cfs_fail(e, EIO, "write %s/pivot-hooks.json", dir);
	if (fd >= 0 && close(fd) < 0 && !rc)
		rc = cfs_fail(e, errno, "write %s/pivot-hooks.json", dir);
	json_decref(j);
	return rc;
}
