/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cni.c: CNI plugins run as a runtime runs them (see cni.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cni.h"

extern char **environ;

bool cfs_cni_valid_name(const char *s)
{
	const char *ok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_.-";

	return s && *s && !strchr("_.-", *s) && strchr(ok, *s) &&
	       s[strspn(s, ok)] == '\0';
}

/* A plugin's type names its program: a file name, nothing more. */
static bool valid_type(const char *t)
{
	return t && *t && !strchr(t, '/') && strcmp(t, ".") && strcmp(t, "..");
}

/* Is LIST, read from WHERE, a configuration list we can run? */
static int check_list(json_t *list, const char *where, struct cfs_err *e)
{
	json_t *plugins = json_object_get(list, "plugins"), *p;
	size_t i;

	if (!json_is_object(list))
		return cfs_fail(e, 0, "%s: not a JSON object", where);
	if (!cfs_cni_valid_name(json_string_value(json_object_get(list, "name"))))
		return cfs_fail(e, 0, "%s: no \"name\" of letters, digits, _ . -", where);
	if (!json_is_string(json_object_get(list, "cniVersion")))
		return cfs_fail(e, 0, "%s: no \"cniVersion\"", where);
	if (!json_is_array(plugins) || json_array_size(plugins) == 0)
		return cfs_fail(e, 0, "%s: no \"plugins\"", where);
	json_array_foreach(plugins, i, p)
		if (!valid_type(json_string_value(json_object_get(p, "type"))))
			return cfs_fail(e, 0, "%s: plugin %zu: no \"type\" that is "
					"a file name", where, i + 1);
	return 0;
}

/* Read the JSON file PATH, opened as every fd of ours is. */
static int read_json(const char *path, json_t **j, struct cfs_err *e)
{
	json_error_t jerr;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return cfs_fail(e, errno, "open %s", path);
	*j = json_loadfd(fd, 0, &jerr);
	close(fd);
	if (!*j)
		return cfs_fail(e, 0, "read %s: line %d: %s", path, jerr.line,
				jerr.text);
	return 0;
}

/* Configuration file PATH: the list named NAME (*LIST), -ENOENT when it
 * names another; SINGLE: one network, made a list of one. */
static int read_conf(const char *path, bool single, const char *name,
		     json_t **list, struct cfs_err *e)
{
	json_t *j;
	int rc;

	if ((rc = read_json(path, &j, e)))
		return rc;
	if (!json_is_object(j) ||
	    !json_is_string(json_object_get(j, "name"))) {
		json_decref(j);
		return cfs_fail(e, 0, "%s: not a CNI network (no \"name\")", path);
	}
	if (strcmp(json_string_value(json_object_get(j, "name")), name)) {
		json_decref(j);
		return -ENOENT;
	}
	if (single)
		j = json_pack("{s:O?, s:O, s:[o]}", "cniVersion",
			      json_object_get(j, "cniVersion"), "name",
			      json_object_get(j, "name"), "plugins", j);
	if (!j)
		return cfs_fail(e, ENOMEM, "read %s", path);
	if ((rc = check_list(j, path, e))) {
		json_decref(j);
		return rc;
	}
	*list = j;
	return 0;
}

static bool has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), x = strlen(ext);

	return n > x && !strcmp(name + n - x, ext);
}

static int is_conflist(const struct dirent *d)
{
	return d->d_type != DT_DIR && has_ext(d->d_name, ".conflist");
}

static int is_conf(const struct dirent *d)
{
	return d->d_type != DT_DIR &&
	       (has_ext(d->d_name, ".conf") || has_ext(d->d_name, ".json"));
}

int cfs_cni_load(const char *dir, const char *name, json_t **list,
		 struct cfs_err *e)
{
	struct dirent **ents;
	char path[4096];
	int n, rc = -ENOENT;

	for (int single = 0; single < 2 && rc == -ENOENT; single++) {
		n = scandir(dir, &ents, single ? is_conf : is_conflist, alphasort);
		if (n < 0)
			return cfs_fail(e, errno, "read CNI configuration "
					"directory %s", dir);
		for (int i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
			if (rc == -ENOENT)
				rc = read_conf(path, single, name, list, e);
			free(ents[i]);
		}
		free(ents);
	}
	if (rc == -ENOENT)
		return cfs_fail(e, ENOENT, "find CNI network %s in %s (.conflist, "
				".conf, .json)", name, dir);
	return rc;
}

bool cfs_cni_has_capability(const json_t *list, const char *key)
{
	json_t *p;
	size_t i;

	json_array_foreach(json_object_get(list, "plugins"), i, p)
		if (json_is_true(json_object_get(json_object_get(p, "capabilities"), key)))
			return true;
	return false;
}

/* The program of plugin TYPE: the first in C's CNI_PATH. */
static int find_plugin(const struct cfs_cni *c, const char *type, char *buf,
		       size_t len, struct cfs_err *e)
{
	struct stat st;

	for (const char *p = c->path;;) {
		size_t n = strcspn(p, ":");
		snprintf(buf, len, "%.*s/%s", (int)n, p, type);
		if (n && stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(buf, X_OK) == 0)
			return 0;
		if (!p[n])
			break;
		p += n + 1;
	}
	return cfs_fail(e, ENOENT, "find CNI plugin %s in %s", type, c->path);
}

/* Our environment without its CNI_ variables, and the call's: they are
 * the plugin's parameters, and what it passes to a plugin it delegates
 * to (an IPAM plugin); PATH stays, for the programs it runs (iptables).
 * The strings from index *MINE on are ours to free. */
static char **plugin_env(const struct cfs_cni *c, const char *cmd, size_t *mine)
{
	size_t n = 0, k = 0;
	char **env;
	int bad = 0;

	for (char **p = environ; *p; p++)
		n++;
	if (!(env = calloc(n + 7, sizeof(*env))))
		return NULL;
	for (char **p = environ; *p; p++)
		if (strncmp(*p, "CNI_", 4))
			env[k++] = *p;
	*mine = k;
	bad |= asprintf(&env[k++], "CNI_COMMAND=%s", cmd) < 0;
	bad |= asprintf(&env[k++], "CNI_CONTAINERID=%s", c->id) < 0;
	bad |= asprintf(&env[k++], "CNI_IFNAME=%s", c->ifname) < 0;
	bad |= asprintf(&env[k++], "CNI_PATH=%s", c->path) < 0;
	if (c->netns && *c->netns)
		bad |= asprintf(&env[k++], "CNI_NETNS=%s", c->netns) < 0;
	if (c->args && *c->args)
		bad |= asprintf(&env[k++], "CNI_ARGS=%s", c->args) < 0;
	if (bad) {
		/* asprintf leaves a failed one undefined */
		for (size_t i = *mine; i < k; i++)
			env[i] = NULL;
		free(env);
		return NULL;
	}
	return env;
}

static void free_env(char **env, size_t mine)
{
	for (size_t i = mine; env && env[i]; i++)
		free(env[i]);
	free(env);
}

/* A plugin's error: its JSON error on stdout (OUT), or how it ended. */
static int plugin_error(const char *type, const char *cmd, int status,
			const char *out, size_t len, struct cfs_err *e)
{
	json_t *j = json_loadb(out, len, 0, NULL);
	json_t *code = json_object_get(j, "code");
	const char *msg = json_string_value(json_object_get(j, "msg"));
	const char *details = json_string_value(json_object_get(j, "details"));
	int rc;

	if (json_is_integer(code) && msg)
		rc = cfs_fail(e, 0, "CNI plugin %s: %s: error %lld: %s%s%s", type,
			      cmd, (long long)json_integer_value(code), msg,
			      details && *details ? "; " : "",
			      details ? details : "");
	else if (WIFSIGNALED(status))
		rc = cfs_fail(e, 0, "CNI plugin %s: %s: killed by signal %d",
			      type, cmd, WTERMSIG(status));
	else
		rc = cfs_fail(e, 0, "CNI plugin %s: %s: exited with %d and no "
			      "error on stdout", type, cmd, WEXITSTATUS(status));
	json_decref(j);
	return rc;
}

/* FROM as fd TO, open across the exec: 0 or -1. */
static int move_fd(int from, int to)
{
	if (from == to)
		return fcntl(to, F_SETFD, 0);
	return dup2(from, to) < 0 ? -1 : 0;
}

/* The child: plugin PROG with IN as stdin, OUT as stdout, our stderr,
 * and HOLD (when not -1): no other fd, whoever opened it without
 * O_CLOEXEC (libnftables' socket). */
static void exec_plugin(const char *prog, char **argv, char **env, int in,
			int out, int hold)
{
	if (move_fd(in, 0) == 0 && move_fd(out, 1) == 0 &&
	    (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0 || errno == ENOSYS) &&
	    (hold < 0 || fcntl(hold, F_SETFD, 0) == 0))
		execve(prog, argv, env);
	_exit(127);
}

/* Run plugin TYPE for CMD with configuration CONF on its stdin; with
 * RESULT, its stdout is the result, a JSON object. */
static int run(const struct cfs_cni *c, const char *cmd, const char *type,
	       json_t *conf, json_t **result, struct cfs_err *e)
{
	char prog[4096], *text, *out = NULL, buf[4096];
	char *argv[] = { prog, NULL }, **env = NULL;
	int in = -1, pipefd[2] = { -1, -1 }, status, rc;
	size_t len, outlen = 0, mine = 0;
	json_error_t jerr;
	FILE *m = NULL;
	ssize_t n;
	pid_t pid;

	if ((rc = find_plugin(c, type, prog, sizeof(prog), e)))
		return rc;
	if (!(text = json_dumps(conf, JSON_COMPACT)))
		return cfs_fail(e, ENOMEM, "run CNI plugin %s", prog);
	/* the configuration from a memfd: a plugin that writes before it
	 * has read all cannot block us on a full pipe */
	len = strlen(text);
	if ((in = memfd_create("cni-config", MFD_CLOEXEC)) < 0 ||
	    write(in, text, len) != (ssize_t)len || lseek(in, 0, SEEK_SET) < 0 ||
	    pipe2(pipefd, O_CLOEXEC) < 0 || !(env = plugin_env(c, cmd, &mine)) ||
	    !(m = open_memstream(&out, &outlen))) {
		rc = cfs_fail(e, errno ? errno : ENOMEM, "run CNI plugin %s", prog);
		goto out;
	}
	if ((pid = fork()) == 0)
		exec_plugin(prog, argv, env, in, pipefd[1], c->hold_fd);
	close(pipefd[1]);
	pipefd[1] = -1;
	if (pid < 0) {
		rc = cfs_fail(e, errno, "fork for CNI plugin %s", prog);
		goto out;
	}
	while ((n = read(pipefd[0], buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		fwrite(buf, 1, n, m);
	}
	fclose(m);
	m = NULL;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			rc = cfs_fail(e, errno, "wait for CNI plugin %s", prog);
			goto out;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		rc = plugin_error(type, cmd, status, out, outlen, e);
	else if (result && !json_is_object(*result = json_loadb(out, outlen, 0, &jerr))) {
		json_decref(*result);
		*result = NULL;
		rc = cfs_fail(e, 0, "CNI plugin %s: %s: a result that is no JSON "
			      "object: %s", type, cmd, jerr.text);
	}
out:
	if (m)
		fclose(m);
	free(out);
	free(text);
	free_env(env, mine);
	if (in >= 0)
		close(in);
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return rc;
}

/* The configuration plugin P is run with: P's own, the list's name and
 * cniVersion, the capability arguments P declares as its runtimeConfig,
 * PREV (when not NULL) as prevResult, and no "capabilities". */
static json_t *derive(const struct cfs_cni *c, json_t *p, json_t *prev)
{
	json_t *conf = json_deep_copy(p), *rt = NULL, *v;
	const char *key;

	if (!conf)
		return NULL;
	json_object_set(conf, "name", json_object_get(c->list, "name"));
	json_object_set(conf, "cniVersion", json_object_get(c->list, "cniVersion"));
	json_object_foreach(json_object_get(p, "capabilities"), key, v) {
		json_t *arg = json_object_get(c->caps, key);
		if (!json_is_true(v) || !arg)
			continue;
		if (!rt && !(rt = json_object()))
			break;
		json_object_set(rt, key, arg);
	}
	json_object_del(conf, "capabilities");
	if (rt)
		json_object_set_new(conf, "runtimeConfig", rt);
	if (prev)
		json_object_set(conf, "prevResult", prev);
	return conf;
}

static const char *type_of(json_t *p)
{
	return json_string_value(json_object_get(p, "type"));
}

/* Plugin P for CMD, given PREV; its result in *RESULT when not NULL. */
static int run_one(const struct cfs_cni *c, const char *cmd, json_t *p,
		   json_t *prev, json_t **result, struct cfs_err *e)
{
	json_t *conf = derive(c, p, prev);
	int rc;

	if (!conf)
		return cfs_fail(e, ENOMEM, "CNI plugin %s: %s", type_of(p), cmd);
	rc = run(c, cmd, type_of(p), conf, result, e);
	json_decref(conf);
	return rc;
}

int cfs_cni_add(const struct cfs_cni *c, json_t **result, struct cfs_err *e)
{
	json_t *p, *prev = NULL, *out;
	struct cfs_err ignore;
	size_t i;
	int rc;

	json_array_foreach(json_object_get(c->list, "plugins"), i, p) {
		out = NULL;
		if ((rc = run_one(c, "ADD", p, prev, &out, e))) {
			json_decref(prev);
			/* its error is E's, not the undoing's */
			cfs_cni_del(c, NULL, &ignore);
			return rc;
		}
		json_decref(prev);
		prev = out;
	}
	*result = prev;
	return 0;
}

int cfs_cni_del(const struct cfs_cni *c, json_t *prev, struct cfs_err *e)
{
	json_t *plugins = json_object_get(c->list, "plugins");
	int rc;

	for (size_t i = json_array_size(plugins); i > 0; i--)
		if ((rc = run_one(c, "DEL", json_array_get(plugins, i - 1), prev,
				  NULL, e)))
			return rc;
	return 0;
}

int cfs_cni_check(const struct cfs_cni *c, json_t *prev, struct cfs_err *e)
{
	const char *version = json_string_value(json_object_get(c->list, "cniVersion"));
	const char *name = json_string_value(json_object_get(c->list, "name"));
	unsigned major = 0, minor = 0;
	json_t *p;
	size_t i;
	int rc;

	if (json_is_true(json_object_get(c->list, "disableCheck")))
		return 0;
	if (sscanf(version, "%u.%u", &major, &minor) != 2 ||
	    (major == 0 && minor < 4))
		return cfs_fail(e, ENOTSUP, "CHECK network %s of cniVersion %s "
				"(CHECK is 0.4.0 and later's)", name, version);
	json_array_foreach(json_object_get(c->list, "plugins"), i, p)
		if ((rc = run_one(c, "CHECK", p, prev, NULL, e)))
			return rc;
	return 0;
}

static void cache_path(char *buf, size_t len, const char *dir,
		       const char *network, const char *id, const char *ifname)
{
	snprintf(buf, len, "%s/results/%s-%s-%s", dir, network, id, ifname);
}

/* CNI_ARGS "K=V;K=V" as libcni caches them: [["K", "V"], ...]. */
static json_t *args_pairs(const char *args)
{
	json_t *a = json_array();
	char *copy = strdup(args ? args : ""), *save, *kv;

	for (kv = strtok_r(copy, ";", &save); a && kv; kv = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(kv, '=');
		if (eq)
			*eq++ = '\0';
		json_array_append_new(a, json_pack("[ss]", kv, eq ? eq : ""));
	}
	free(copy);
	return a;
}

int cfs_cni_cache_write(const char *dir, const struct cfs_cni *c,
			json_t *result, struct cfs_err *e)
{
	const char *name = json_string_value(json_object_get(c->list, "name"));
	char path[4096], tmp[4112];
	int fd, rc = 0;
	json_t *j;

	snprintf(path, sizeof(path), "%s/results", dir);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return cfs_fail(e, errno, "mkdir %s", path);
	cache_path(path, sizeof(path), dir, name, c->id, c->ifname);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	j = json_pack("{s:s, s:s, s:O, s:s, s:s, s:o, s:O*, s:O*}", "kind",
		      "cniCacheV1", "containerId", c->id, "config", c->list,
		      "ifName", c->ifname, "networkName", name, "cniArgs",
		      args_pairs(c->args), "capabilityArgs", c->caps, "result",
		      result);
	if (!j)
		return cfs_fail(e, ENOMEM, "write %s", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		rc = cfs_fail(e, errno, "create %s", tmp);
	else if (json_dumpfd(j, fd, JSON_COMPACT) < 0 || close(fd) < 0 ||
		 rename(tmp, path) < 0) {
		rc = cfs_fail(e, errno ? errno : EIO, "write %s", path);
		unlink(tmp);
	}
	json_decref(j);
	return rc;
}

int cfs_cni_cache_read(const char *dir, const char *network, const char *id,
		       const char *ifname, json_t **cache, struct cfs_err *e)
{
	char path[4096];

	cache_path(path, sizeof(path), dir, network, id, ifname);
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return cfs_fail(e, ENOENT, "read %s", path);
	return read_json(path, cache, e);
}

int cfs_cni_from_cache(json_t *cache, struct cfs_cni *c, char *args,
		       size_t len, json_t **result, struct cfs_err *e)
{
	const char *name = json_string_value(json_object_get(cache, "networkName"));
	json_t *pairs = json_object_get(cache, "cniArgs"), *kv;
	FILE *f;
	size_t i;
	int rc;

	c->list = json_object_get(cache, "config");
	c->id = json_string_value(json_object_get(cache, "containerId"));
	c->ifname = json_string_value(json_object_get(cache, "ifName"));
	c->caps = json_object_get(cache, "capabilityArgs");
	if (!c->id || !c->ifname)
		return cfs_fail(e, 0, "CNI cache of network %s: no containerId "
				"or ifName", name ? name : "(none)");
	if ((rc = check_list(c->list, "CNI cache config", e)))
		return rc;
	args[0] = '\0';
	if (!(f = fmemopen(args, len, "w")))
		return cfs_fail(e, errno, "CNI cache of network %s", name);
	json_array_foreach(pairs, i, kv)
		fprintf(f, "%s%s=%s", i ? ";" : "",
			json_string_value(json_array_get(kv, 0)) ?: "",
			json_string_value(json_array_get(kv, 1)) ?: "");
	fclose(f);
	c->args = args;
	*result = json_object_get(cache, "result");
	return 0;
}

int cfs_cni_cache_remove(const char *dir, const char *network, const char *id,
			 const char *ifname, struct cfs_err *e)
{
	char path[4096];

	cache_path(path, sizeof(path), dir, network, id, ifname);
	if (unlink(path) < 0 && errno != ENOENT)
		return cfs_fail(e, errno, "remove %s", path);
	return 0;
}
