/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tools/oci/chain.c: config.json, field by field, as options of the chain's
 * tools (chain.h). Each object's keys are checked against the ones
 * mapped here; a key not listed is refused by name, so that a field the
 * spec adds later cannot be ignored by mistake. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "oci/chain.h"
#include "oci/nocgroup.h"
#include "oci/hooks.h"
#include "core/readfile.h"

/* cfs-pivot's masked and read-only paths (tools/cfs-pivot.c) */
static const char *const pivot_masked[] = {
	"/proc/acpi",	      "/proc/kcore",	   "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug",  "/proc/scsi",	   "/sys/firmware",
	"/sys/devices/virtual/powercap", NULL
};
static const char *const pivot_readonly[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
	NULL
};

/* The chain being built, its three parts apart until the end. */
struct build {
	struct cfs_strv cg, un, pv;
	struct cfs_err *e;
	int no_mem;
	bool enter; /* process as cfs-enter's options (exec), in pv */
	const char *asked; /* the first linux.resources field that made a
			      limit of cfs-cgroup's, or NULL */
	const char *cgroup; /* cfs-cgroup's NAME */
};

static void add(struct build *b, struct cfs_strv *l, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add(struct build *b, struct cfs_strv *l, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s || cfs_strv_push(l, s))
		b->no_mem = 1;
	free(s);
}

static int unmapped(struct cfs_err *e, const char *where, const char *key)
{
	return cfs_fail(e, 0, "%s%s%s: not mapped by cfs-oci", where,
			*where && key ? "." : "", key ? key : "");
}

static int bad_type(struct cfs_err *e, const char *where, const char *key,
		    const char *what)
{
	return cfs_fail(e, 0, "%s%s%s: not %s", where, *where ? "." : "", key,
			what);
}

static bool listed(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

/* Every property runtime-spec 1.2 names, in any object of config.json
 * for Linux. config.md, Extensibility: "Runtimes ... MUST NOT generate an
 * error if they encounter an unknown property. Instead they MUST ignore
 * unknown properties." A key not in this list is ignored; one in it that
 * an object's KNOWN does not map is refused by name. (One list for every
 * object: a spec name in the wrong object is refused, not ignored.) */
static const char *const spec_properties[] = {
	/* the top level; the other platforms' sections are refused */
	"ociVersion", "root", "mounts", "process", "hostname", "domainname",
	"hooks", "annotations", "linux", "solaris", "windows", "vm", "zos",
	/* root, mounts[] */
	"path", "readonly", "destination", "source", "options", "type",
	"uidMappings", "gidMappings",
	/* process */
	"terminal", "consoleSize", "cwd", "env", "args", "commandLine",
	"rlimits", "apparmorProfile", "capabilities", "noNewPrivileges",
	"oomScoreAdj", "scheduler", "selinuxLabel", "ioPriority",
	"execCPUAffinity", "user", "uid", "gid", "umask", "additionalGids",
	"username", "bounding", "effective", "inheritable", "permitted",
	"ambient", "soft", "hard", "height", "width",
	/* hooks */
	"prestart", "createRuntime", "createContainer", "startContainer",
	"poststart", "poststop", "timeout",
	/* linux */
	"namespaces", "timeOffsets", "devices", "netDevices", "cgroupsPath",
	"rootfsPropagation", "resources", "intelRdt", "sysctl", "seccomp",
	"maskedPaths", "readonlyPaths", "mountLabel", "personality",
	"memoryPolicy", "containerID", "hostID", "size", "major", "minor",
	"fileMode", "allow", "access",
	/* linux.resources */
	"memory", "cpu", "blockIO", "hugepageLimits", "network", "pids", "rdma",
	"unified", "limit", "reservation", "swap", "kernel", "kernelTCP",
	"swappiness", "disableOOMKiller", "useHierarchy", "checkBeforeUpdate",
	"shares", "quota", "burst", "period", "realtimeRuntime",
	"realtimePeriod", "cpus", "mems", "idle", "weight", "leafWeight",
	"weightDevice", "throttleReadBpsDevice", "throttleWriteBpsDevice",
	"throttleReadIOPSDevice", "throttleWriteIOPSDevice", NULL
};

/* Every key of OBJ is in KNOWN, or is not the spec's (ignored); a NULL,
 * false, empty value of a key in EMPTY_OK is no error either (nothing
 * asked). */
static int only(json_t *obj, const char *where, const char *const *known,
		const char *const *empty_ok, struct cfs_err *e)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		if (listed(known, key) || !listed(spec_properties, key))
			continue;
		if (empty_ok && listed(empty_ok, key) &&
		    (json_is_null(v) || json_is_false(v) ||
		     (json_is_string(v) && !*json_string_value(v)) ||
		     (json_is_array(v) && !json_array_size(v)) ||
		     (json_is_object(v) && !json_object_size(v))))
			continue;
		return unmapped(e, where, key);
	}
	return 0;
}

/* Typed getters: a missing key gives NULL / false / the default; a
 * wrong type is an error naming WHERE.KEY. */
static int get_obj(json_t *o, const char *where, const char *key, json_t **v,
		   struct cfs_err *e)
{
	*v = json_object_get(o, key);
	if (*v && json_is_null(*v))
		*v = NULL;
	if (*v && !json_is_object(*v))
		return bad_type(e, where, key, "an object");
	return 0;
}

static int get_arr(json_t *o, const char *where, const char *key, json_t **v,
		   struct cfs_err *e)
{
	*v = json_object_get(o, key);
	if (*v && json_is_null(*v))
		*v = NULL;
	if (*v && !json_is_array(*v))
		return bad_type(e, where, key, "an array");
	return 0;
}

static int get_str(json_t *o, const char *where, const char *key,
		   const char **s, struct cfs_err *e)
{
	json_t *v = json_object_get(o, key);

	*s = NULL;
	if (v && !json_is_string(v))
		return bad_type(e, where, key, "a string");
	if (v && strlen(json_string_value(v)) != json_string_length(v))
		return bad_type(e, where, key, "a string without NUL");
	*s = v ? json_string_value(v) : NULL;
	return 0;
}

static int get_bool(json_t *o, const char *where, const char *key, bool *b,
		    struct cfs_err *e)
{
	json_t *v = json_object_get(o, key);

	*b = false;
	if (v && !json_is_boolean(v))
		return bad_type(e, where, key, "true or false");
	*b = v && json_is_true(v);
	return 0;
}

static int get_int(json_t *o, const char *where, const char *key,
		   long long min, long long max, bool *set, long long *n,
		   struct cfs_err *e)
{
	json_t *v = json_object_get(o, key);

	*set = v && !json_is_null(v);
	if (!*set)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return cfs_fail(e, 0, "%s.%s: not an integer from %lld to %lld",
				where, key, min, max);
	*n = json_integer_value(v);
	return 0;
}

/* An array of strings, each checked; I and S for each in turn. */
static int str_at(json_t *arr, size_t i, const char *where, const char **s,
		  struct cfs_err *e)
{
	json_t *v = json_array_get(arr, i);

	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return cfs_fail(e, 0, "%s[%zu]: not a string", where, i);
	*s = json_string_value(v);
	return 0;
}

int cfs_oci_load(const char *bundle, json_t **config, struct cfs_err *e)
{
	json_error_t je;
	char *buf;
	size_t len;
	int dir, rc;

	if ((dir = open(bundle, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return cfs_fail(e, errno, "open bundle %s", bundle);
	rc = cfs_read_file_in_root(dir, bundle, "/config.json",
				   CFS_OCI_CONFIG_MAX, &buf, &len, e);
	close(dir);
	if (rc == -EFBIG)
		return cfs_fail(e, 0, "read %s/config.json: larger than %d bytes",
				bundle, CFS_OCI_CONFIG_MAX);
	if (rc)
		return rc;
	*config = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	free(buf);
	if (!*config)
		return cfs_fail(e, 0, "read %s/config.json: not JSON: line %d: %s",
				bundle, je.line, je.text);
	if (!json_is_object(*config)) {
		json_decref(*config);
		return cfs_fail(e, 0, "read %s/config.json: not a JSON object",
				bundle);
	}
	return 0;
}

/* Only a bounding set, every other set empty: what podman and docker
 * give another user than root (run -u 1000). cfs-pivot keeps one set:
 * none, the bounding set emptied too, which is stricter (a setuid or
 * file-capability program gets nothing back either). */
static bool no_caps_but_bounding(json_t *caps, const char *const *sets)
{
	for (int k = 1; sets[k]; k++) {
		json_t *set = json_object_get(caps, sets[k]);

		if (set && !json_is_null(set) &&
		    (!json_is_array(set) || json_array_size(set)))
			return false;
	}
	return true;
}

/* process.capabilities: cfs-pivot keeps one set; effective, permitted
 * and bounding must be that set, inheritable and ambient empty. */
static int map_caps(struct build *b, json_t *caps)
{
	static const char *const sets[] = { "bounding", "effective",
					    "permitted", "inheritable",
					    "ambient", NULL };
	const char *where = "process.capabilities", *s;
	json_t *set, *first = NULL, *empty;
	size_t ambient = 0; /* inheritable and ambient: the kept set */
	char at[64];
	int rc = 0;

	add(b, &b->pv, "--cap-drop=ALL");
	if (!caps)
		return 0;
	if (!json_is_object(caps))
		return bad_type(b->e, "process", "capabilities", "an object");
	if ((rc = only(caps, where, sets, NULL, b->e)))
		return rc;
	if (no_caps_but_bounding(caps, sets))
		return 0;
	if (!(empty = json_array()))
		return cfs_fail(b->e, ENOMEM, "map %s", where);
	for (int k = 0; !rc && sets[k]; k++) {
		if ((rc = get_arr(caps, where, sets[k], &set, b->e)))
			break;
		snprintf(at, sizeof(at), "%s.%s", where, sets[k]);
		for (size_t i = 0; !rc && set && i < json_array_size(set); i++)
			rc = str_at(set, i, at, &s, b->e);
		if (rc)
			break;
		if (!set)
			set = empty;
		if (!first)
			first = set;
		else if (k == 4 && (ambient ? !json_equal(first, set)
					    : json_array_size(set) > 0))
			rc = cfs_fail(b->e, 0, "%s: not mapped by cfs-oci: it "
				      "must be as %s.inheritable (cfs-pivot "
				      "--cap-ambient does both or none)", at,
				      where);
		else if (k == 3 && !json_array_size(set))
			continue;
		else if (k != 4 && !json_equal(first, set))
			rc = cfs_fail(b->e, 0, "%s: not mapped by cfs-oci: it "
				      "differs from %s.bounding (cfs-pivot "
				      "keeps one set)", at, where);
		else if (k == 3)
			ambient = json_array_size(set);
	}
	if (!rc && ambient)
		add(b, &b->pv, "--cap-ambient");
	for (size_t i = 0; !rc && i < json_array_size(first); i++)
		add(b, &b->pv, "--cap-add=%s",
		    json_string_value(json_array_get(first, i)));
	json_decref(empty);
	return rc;
}

/* process.consoleSize, with a terminal only (the spec: ignored
 * without): the pty's size before its master is sent (--console-size
 * ROWSxCOLS). As runc, a height or width of 0 sets nothing. */
static int map_console_size(struct build *b, json_t *p)
{
	const char *w = "process.consoleSize";
	long long height = 0, width = 0;
	bool h_set, w_set;
	json_t *size;
	int rc;

	if ((rc = get_obj(p, "process", "consoleSize", &size, b->e)) || !size)
		return rc;
	if ((rc = get_int(size, w, "height", 0, USHRT_MAX, &h_set, &height,
			  b->e)) ||
	    (rc = get_int(size, w, "width", 0, USHRT_MAX, &w_set, &width,
			  b->e)))
		return rc;
	if (!h_set || !w_set)
		return cfs_fail(b->e, 0, "%s.%s: missing", w,
				h_set ? "width" : "height");
	if (height && width)
		add(b, &b->pv, "--console-size=%lldx%lld", height, width);
	return 0;
}

/* process.terminal: the pty's master to the engine's console socket
 * (cfs-pivot --console-socket); in a printed chain, cfs-unshare's relay
 * of the caller's terminal (--tty on both). */
static int map_terminal(struct build *b, json_t *p,
			const struct cfs_oci_life *life)
{
	bool terminal;
	int rc;

	if ((rc = get_bool(p, "process", "terminal", &terminal, b->e)))
		return rc;
	if (!terminal)
		return 0;
	if ((rc = map_console_size(b, p)))
		return rc;
	if (b->enter) {
		if (life && life->console_socket)
			add(b, &b->pv, "--console-socket=%s",
			    life->console_socket);
		else
			add(b, &b->pv, "--tty");
		return 0;
	}
	if (life && !life->console_socket)
		return cfs_fail(b->e, 0, "process.terminal: true needs "
				"--console-socket");
	if (life) {
		add(b, &b->pv, "--console-socket=%s", life->console_socket);
		return 0;
	}
	add(b, &b->un, "--tty");
	add(b, &b->pv, "--tty");
	return 0;
}

static int map_process(struct build *b, json_t *p, json_t **args,
		       const struct cfs_oci_life *life)
{
	static const char *const known[] = {
		"terminal", "consoleSize", "user", "args", "env", "cwd",
		"capabilities", "rlimits", "noNewPrivileges", "oomScoreAdj",
		NULL };
	static const char *const empty_ok[] = { "apparmorProfile",
						"selinuxLabel", NULL };
	const char *w = "process", *s, *cwd;
	json_t *user, *arr, *r;
	size_t n_groups = 0;
	bool nnp, set;
	long long uid = 0, gid = 0, soft, hard;
	char at[64];
	int rc;

	if (!p)
		return cfs_fail(b->e, 0, "process: missing");
	if (!json_is_object(p))
		return bad_type(b->e, "", "process", "an object");
	if ((rc = only(p, w, known, empty_ok, b->e)) ||
	    (rc = map_terminal(b, p, life)) ||
	    (rc = get_arr(p, w, "args", args, b->e)))
		return rc;
	if (!*args || !json_array_size(*args))
		return cfs_fail(b->e, 0, "process.args: missing or empty");
	for (size_t i = 0; i < json_array_size(*args); i++)
		if ((rc = str_at(*args, i, "process.args", &s, b->e)))
			return rc;
	if ((rc = get_str(p, w, "cwd", &cwd, b->e)))
		return rc;
	if (!cwd || *cwd != '/')
		return cfs_fail(b->e, 0, "process.cwd: missing or not absolute");
	add(b, &b->pv, "--wd=%s", cwd);
	if ((rc = get_arr(p, w, "env", &arr, b->e)))
		return rc;
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		if ((rc = str_at(arr, i, "process.env", &s, b->e)))
			return rc;
		if (!strchr(s, '=') || *s == '=')
			return cfs_fail(b->e, 0, "process.env[%zu]: not NAME=VALUE",
					i);
		add(b, &b->pv, "--setenv=%s", s);
	}
	if ((rc = get_obj(p, w, "user", &user, b->e)))
		return rc;
	if (user) {
		static const char *const ukeys[] = { "uid", "gid", "umask",
						     "additionalGids", NULL };
		long long mask;
		char list[4096] = "";
		size_t len = 0;

		if ((rc = only(user, "process.user", ukeys, NULL, b->e)) ||
		    (rc = get_int(user, "process.user", "uid", 0, UINT32_MAX - 1,
				  &set, &uid, b->e)) ||
		    (rc = get_int(user, "process.user", "gid", 0, UINT32_MAX - 1,
				  &set, &gid, b->e)) ||
		    (rc = get_int(user, "process.user", "umask", 0, 0777, &set,
				  &mask, b->e)))
			return rc;
		if (set)
			add(b, &b->pv, "--umask=%llo", mask);
		if ((rc = get_arr(user, "process.user", "additionalGids", &arr,
				  b->e)))
			return rc;
		for (size_t i = 0; arr && i < json_array_size(arr); i++) {
			json_t *g = json_array_get(arr, i);

			if (!json_is_integer(g) || json_integer_value(g) < 0 ||
			    json_integer_value(g) >= UINT32_MAX)
				return cfs_fail(b->e, 0, "process.user."
						"additionalGids[%zu]: not a gid", i);
			len += snprintf(list + len, sizeof(list) - len, "%s%lld",
					i ? "," : "", json_integer_value(g));
			if (len >= sizeof(list))
				return cfs_fail(b->e, 0, "process.user."
						"additionalGids: too many");
		}
		if (*list)
			add(b, &b->pv, "--groups=%s", list);
		n_groups = arr ? json_array_size(arr) : 0;
	}
	/* root with no groups is cfs-pivot's default: with --user it would
	 * change ids, which drops CAP_SETPCAP (capng_change_id) */
	if (b->enter) {
		add(b, &b->pv, "--setuid=%lld", uid);
		add(b, &b->pv, "--setgid=%lld", gid);
	} else if (uid || gid || n_groups) {
		add(b, &b->pv, "--user=%lld:%lld", uid, gid);
	}
	if ((rc = map_caps(b, json_object_get(p, "capabilities"))) ||
	    (rc = get_arr(p, w, "rlimits", &arr, b->e)))
		return rc;
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		static const char *const rkeys[] = { "type", "soft", "hard",
						     NULL };
		r = json_array_get(arr, i);
		snprintf(at, sizeof(at), "process.rlimits[%zu]", i);
		if (!json_is_object(r))
			return cfs_fail(b->e, 0, "%s: not an object", at);
		if ((rc = only(r, at, rkeys, NULL, b->e)) ||
		    (rc = get_str(r, at, "type", &s, b->e)) ||
		    (rc = get_int(r, at, "soft", 0, INT64_MAX, &set, &soft,
				  b->e)) ||
		    (rc = get_int(r, at, "hard", 0, INT64_MAX, &set, &hard,
				  b->e)))
			return rc;
		if (!s)
			return cfs_fail(b->e, 0, "%s.type: missing", at);
		add(b, &b->pv, "--rlimit=%s=%lld:%lld", s, soft, hard);
	}
	if ((rc = get_int(p, w, "oomScoreAdj", -1000, 1000, &set, &soft, b->e)))
		return rc;
	if (set)
		add(b, &b->pv, "--oom-score-adj=%lld", soft);
	if ((rc = get_bool(p, w, "noNewPrivileges", &nnp, b->e)))
		return rc;
	if (!nnp)
		add(b, &b->pv, "--allow-new-privs");
	else if (b->enter)
		add(b, &b->pv, "--no-new-privs");
	return 0;
}

/* The mounts cfs-pivot makes itself, with its own options; a config
 * without one of /proc, /sys, /dev gets --no-proc, --no-sys, --no-dev. */
static const struct {
	const char *dst, *type;
} pivot_mounts[] = {
	{ "/proc", "proc" },	   { "/sys", "sysfs" },
	{ "/dev", "tmpfs" },	   { "/dev/pts", "devpts" },
	{ "/dev/shm", "tmpfs" },   { "/dev/mqueue", "mqueue" },
};

/* A cgroup (v1 or v2) mount on /sys/fs/cgroup, as podman and containerd
 * ask for one: cfs-pivot --cgroupfs, the container's own cgroup in each
 * hierarchy, as runc shows it (its other cgroups, and the host's, are
 * not shown). Writable only when the mount is not read-only and we are
 * not rootless, as runc has it. */
static int map_cgroup_mount(struct build *b, const char *at, const char *dst,
			    json_t *opts)
{
	bool ro = false;
	const char *o;

	if (strcmp(dst, "/sys/fs/cgroup"))
		return cfs_fail(b->e, 0, "%s: a cgroup mount on %s is not mapped "
				"by cfs-oci (only on /sys/fs/cgroup)", at, dst);
	for (size_t k = 0; k < json_array_size(opts); k++) {
		int rc = str_at(opts, k, at, &o, b->e);

		if (rc)
			return rc;
		if (!strcmp(o, "ro"))
			ro = true;
		else if (strcmp(o, "rw") && strcmp(o, "nosuid") &&
			 strcmp(o, "noexec") && strcmp(o, "nodev") &&
			 strcmp(o, "relatime") && strcmp(o, "private") &&
			 strcmp(o, "rprivate"))
			return cfs_fail(b->e, 0, "%s.options[%zu]: %s: not mapped "
					"by cfs-oci", at, k, o);
	}
	/* without a cgroup of its own, it runs in its caller's, which are
	 * not its to see: an empty tmpfs, read-only, in their place */
	if (!*b->cgroup) {
		add(b, &b->pv, "--tmpfs=/sys/fs/cgroup:ro,nosuid,nodev,noexec,"
		    "mode=755,size=4k");
		return 0;
	}
	add(b, &b->pv, "--cgroupfs=%s", b->cgroup);
	if (!ro && !cfs_oci_rootless())
		add(b, &b->pv, "--cgroupfs-rw");
	return 0;
}

/* [r]private, [r]slave, [r]shared, [r]unbindable */
static bool is_propagation(const char *o)
{
	static const char *const words[] = { "private", "slave", "shared",
					     "unbindable", NULL };

	return listed(words, o + (*o == 'r'));
}

static int map_mount(struct build *b, json_t *m, size_t i, const char *bundle,
		     unsigned *seen)
{
	static const char *const known[] = { "destination", "type", "source",
					     "options", NULL };
	static const char *const tmpfs_ok[] = { "size=", "mode=", "uid=",
						"gid=", "nr_inodes=", NULL };
	const char *dst, *type, *src, *o;
	char at[64], opts[512] = "";
	bool bind = false, ro = false;
	json_t *arr;
	size_t len = 0;
	int rc;

	snprintf(at, sizeof(at), "mounts[%zu]", i);
	if (!json_is_object(m))
		return cfs_fail(b->e, 0, "%s: not an object", at);
	if ((rc = only(m, at, known, NULL, b->e)) ||
	    (rc = get_str(m, at, "destination", &dst, b->e)) ||
	    (rc = get_str(m, at, "type", &type, b->e)) ||
	    (rc = get_str(m, at, "source", &src, b->e)) ||
	    (rc = get_arr(m, at, "options", &arr, b->e)))
		return rc;
	if (!dst || *dst != '/')
		return cfs_fail(b->e, 0, "%s.destination: missing or not "
				"absolute", at);
	for (size_t k = 0; k < sizeof(pivot_mounts) / sizeof(*pivot_mounts);
	     k++)
		if (type && !strcmp(dst, pivot_mounts[k].dst) &&
		    !strcmp(type, pivot_mounts[k].type)) {
			*seen |= 1u << k;
			return 0;
		}
	if (type && (!strcmp(type, "cgroup") || !strcmp(type, "cgroup2")))
		return map_cgroup_mount(b, at, dst, arr);
	for (size_t k = 0; arr && k < json_array_size(arr); k++) {
		if ((rc = str_at(arr, k, at, &o, b->e)))
			return rc;
		bind |= !strcmp(o, "bind") || !strcmp(o, "rbind");
	}
	bind |= type && !strcmp(type, "bind");
	for (size_t k = 0; arr && k < json_array_size(arr); k++) {
		char oat[80];
		const char *eq;

		snprintf(oat, sizeof(oat), "%s.options", at);
		o = json_string_value(json_array_get(arr, k));
		eq = strchr(o, '=');
		if (!strcmp(o, "bind") || !strcmp(o, "rbind"))
			continue;
		if (!strcmp(o, "ro"))
			ro = true;
		else if (!strcmp(o, "rw") || !strcmp(o, "nodev") ||
			 (!bind && !strcmp(o, "nosuid")))
			; /* what cfs-pivot's mounts are anyway */
		else if (!strcmp(o, "strictatime") || is_propagation(o) ||
			 (bind && (!strcmp(o, "nosuid") || !strcmp(o, "noexec"))) ||
			 (!bind && (!strcmp(o, "noexec") || !strcmp(o, "exec") ||
				    !strcmp(o, "relatime") || !strcmp(o, "noatime") ||
				    !strcmp(o, "tmpcopyup") ||
				    (eq && listed(tmpfs_ok,
						  strndupa(o, eq - o + 1))))))
			len += snprintf(opts + len, sizeof(opts) - len, "%s%s",
					len ? "," : "", o);
		else if (bind && eq && listed(tmpfs_ok, strndupa(o, eq - o + 1)))
			; /* data, which the kernel ignores for a bind (runc
			     passes it to mount(2) all the same) */
		else
			return cfs_fail(b->e, 0, "%s[%zu]: %s: not mapped by "
					"cfs-oci", oat, k, o);
		if (len >= sizeof(opts))
			return cfs_fail(b->e, 0, "%s: too long", oat);
	}
	if (bind) {
		if (!src || !*src)
			return cfs_fail(b->e, 0, "%s.source: missing", at);
		if (strchr(src, ':') || strchr(dst, ':') || strchr(src, ','))
			return cfs_fail(b->e, 0, "%s: a path with a colon (or a "
					"source with a comma) is not mapped by "
					"cfs-oci", at);
		add(b, &b->pv, "--bind=%s%s%s:%s%s%s%s%s", *src == '/' ? "" :
		    bundle, *src == '/' ? "" : "/", src, dst,
		    ro || len ? ":" : "", ro ? "ro" : "", ro && len ? "," : "",
		    opts);
		return 0;
	}
	if (type && !strcmp(type, "tmpfs")) {
		if (ro)
			len += snprintf(opts + len, sizeof(opts) - len, "%sro",
					len ? "," : "");
		add(b, &b->pv, "--tmpfs=%s%s%s", dst, len ? ":" : "", opts);
		return 0;
	}
	return cfs_fail(b->e, 0, "%s: a %s mount on %s is not mapped by cfs-oci",
			at, type ? type : "(no type)", dst);
}

static int map_mounts(struct build *b, json_t *config, const char *bundle)
{
	unsigned seen = 0;
	json_t *arr;
	int rc;

	if ((rc = get_arr(config, "", "mounts", &arr, b->e)))
		return rc;
	for (size_t i = 0; arr && i < json_array_size(arr); i++)
		if ((rc = map_mount(b, json_array_get(arr, i), i, bundle, &seen)))
			return rc;
	if (!(seen & 1))
		add(b, &b->pv, "--no-proc");
	if (!(seen & 2))
		add(b, &b->pv, "--no-sys");
	if (!(seen & 4)) {
		if (seen & (8 | 16 | 32))
			return cfs_fail(b->e, 0, "mounts: /dev/pts, /dev/shm or "
					"/dev/mqueue without a tmpfs on /dev is "
					"not mapped by cfs-oci");
		add(b, &b->pv, "--no-dev");
	}
	return 0;
}

/* The namespaces made new, bits of map_namespaces's table */
enum { NS_NET = 2, NS_IPC = 4, NS_UTS = 8, NS_USER = 32 };

/* linux.namespaces; *NEW_NS the NS_ bits of those listed, made new or
 * joined */
static int map_namespaces(struct build *b, json_t *linux_, unsigned *new_ns)
{
	static const char *const types[][2] = {
		{ "pid", "--pid" },	  { "network", "--net" },
		{ "ipc", "--ipc" },	  { "uts", "--uts" },
		{ "mount", "--mount" },  { "user", "--user" },
		{ "cgroup", "--cgroup" }, { "time", "--time" },
	};
	static const char *const known[] = { "type", "path", NULL };
	unsigned seen = 0, joined = 0; /* made new; made new or joined */
	const char *type, *path;
	json_t *arr, *ns;
	char at[64];
	int rc;

	if ((rc = get_arr(linux_, "linux", "namespaces", &arr, b->e)))
		return rc;
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		size_t k;

		snprintf(at, sizeof(at), "linux.namespaces[%zu]", i);
		ns = json_array_get(arr, i);
		if (!json_is_object(ns))
			return cfs_fail(b->e, 0, "%s: not an object", at);
		if ((rc = only(ns, at, known, NULL, b->e)) ||
		    (rc = get_str(ns, at, "type", &type, b->e)) ||
		    (rc = get_str(ns, at, "path", &path, b->e)))
			return rc;
		for (k = 0; type && k < sizeof(types) / sizeof(*types); k++)
			if (!strcmp(type, types[k][0]))
				break;
		if (!type || k == sizeof(types) / sizeof(*types))
			return cfs_fail(b->e, 0, "%s.type: %s: not a namespace "
					"type", at, type ? type : "missing");
		if (joined & (1u << k))
			return cfs_fail(b->e, 0, "%s: a second %s namespace", at,
					type);
		joined |= 1u << k;
		if (path && *path) {
			if (*path != '/')
				return cfs_fail(b->e, 0, "%s.path: %s: not "
						"absolute", at, path);
			add(b, &b->un, "--join=%s:%s", types[k][1] + 2, path);
			continue;
		}
		seen |= 1u << k;
		add(b, &b->un, "%s", types[k][1]);
	}
	*new_ns = joined; /* joined ones are the container's too */
	/* the init starts as the namespace's root, as runc's does; cfs-pivot
	 * then becomes process.user */
	if (seen & NS_USER) {
		add(b, &b->un, "--setuid=0");
		add(b, &b->un, "--setgid=0");
	}
	return 0;
}

static int map_idmaps(struct build *b, json_t *linux_, const char *key,
		      const char *opt, bool user)
{
	static const char *const known[] = { "containerID", "hostID", "size",
					     NULL };
	long long c, h, n;
	bool set;
	json_t *arr, *m;
	char at[64];
	int rc;

	if ((rc = get_arr(linux_, "linux", key, &arr, b->e)))
		return rc;
	if (arr && json_array_size(arr) && !user)
		return cfs_fail(b->e, 0, "linux.%s: without a user namespace",
				key);
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		snprintf(at, sizeof(at), "linux.%s[%zu]", key, i);
		m = json_array_get(arr, i);
		if (!json_is_object(m))
			return cfs_fail(b->e, 0, "%s: not an object", at);
		c = h = n = -1;
		if ((rc = only(m, at, known, NULL, b->e)) ||
		    (rc = get_int(m, at, "containerID", 0, UINT32_MAX - 1, &set,
				  &c, b->e)) ||
		    (rc = get_int(m, at, "hostID", 0, UINT32_MAX - 1, &set, &h,
				  b->e)) ||
		    (rc = get_int(m, at, "size", 1, UINT32_MAX, &set, &n, b->e)))
			return rc;
		if (c < 0 || h < 0 || n < 0)
			return cfs_fail(b->e, 0, "%s: containerID, hostID and "
					"size are needed", at);
		add(b, &b->un, "%s=%lld:%lld:%lld", opt, c, h, n);
	}
	return 0;
}

/* Does a v1 hierarchy of this host have CONTROLLER (cfs-cgroup then
 * takes it from there)? */
static bool v1_has(const char *controller)
{
	struct cfs_cgroup cg;
	struct cfs_err e;

	if (cfs_cgroup_open(&cg, NULL, "", &e))
		return false;
	for (int i = 0; i < cg.n; i++) {
		const char *c = cg.hier[i].controllers;
		size_t len = strlen(controller);

		for (; !cg.hier[i].v2 && *c; c += strcspn(c, ","), c += !!*c)
			if (strcspn(c, ",") == len && !strncmp(c, controller, len))
				return true;
	}
	return false;
}

/* One rule of linux.resources.devices, "c 1:3 rwm", in RULE; *ALLOW */
static int device_rule(struct build *b, json_t *d, size_t i, char *rule,
		       size_t size, bool *allow)
{
	static const char *const known[] = { "allow", "type", "major", "minor",
					     "access", NULL };
	const char *access = NULL, *type = NULL;
	long long major = -1, minor = -1;
	char at[64], ma[24] = "*", mi[24] = "*";
	bool set;
	int rc;

	snprintf(at, sizeof(at), "linux.resources.devices[%zu]", i);
	if (!json_is_object(d))
		return cfs_fail(b->e, 0, "%s: not an object", at);
	if ((rc = only(d, at, known, NULL, b->e)) ||
	    (rc = get_bool(d, at, "allow", allow, b->e)) ||
	    (rc = get_str(d, at, "type", &type, b->e)) ||
	    (rc = get_str(d, at, "access", &access, b->e)) ||
	    (rc = get_int(d, at, "major", -1, 0xfff, &set, &major, b->e)) ||
	    (rc = get_int(d, at, "minor", -1, 0xfffff, &set, &minor, b->e)))
		return rc;
	if (!type)
		type = "a";
	if (strlen(type) != 1 || !strchr("acb", *type))
		return cfs_fail(b->e, 0, "%s.type: %s: not a, c or b", at, type);
	if (!access || !*access)
		access = "rwm";
	if (strspn(access, "rwm") != strlen(access) || strlen(access) > 3)
		return cfs_fail(b->e, 0, "%s.access: %s: not of r, w, m", at,
				access);
	if (major >= 0)
		snprintf(ma, sizeof(ma), "%lld", major);
	if (minor >= 0)
		snprintf(mi, sizeof(mi), "%lld", minor);
	if (*type == 'a')
		snprintf(rule, size, "a");
	else
		snprintf(rule, size, "%s %s:%s %s", type, ma, mi, access);
	return 0;
}

/* linux.resources.devices: a deny-all alone is what the container has
 * anyway (cfs-pivot's /dev nodes, nodev elsewhere) and asks for nothing.
 * Rules that allow: the v1 devices controller, each rule in its order
 * (cfs-cgroup --set devices.allow / devices.deny), then runc's defaults
 * for the nodes cfs-pivot makes (and mknod of any), so that /dev works.
 * Cgroup v2 has no devices file (an eBPF program would be needed): the
 * rules are refused there. */
static int map_device_rules(struct build *b, json_t *r)
{
	static const char *const defaults[] = {
		"c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm",
		"c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm",
		"c 136:* rwm", NULL };
	char rule[64];
	bool allow, any = false;
	json_t *arr;
	int rc;

	if ((rc = get_arr(r, "linux.resources", "devices", &arr, b->e)))
		return rc;
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		if ((rc = device_rule(b, json_array_get(arr, i), i, rule,
				      sizeof(rule), &allow)))
			return rc;
		any |= allow;
	}
	if (!any)
		return 0;
	if (!v1_has("devices"))
		return cfs_fail(b->e, 0, "linux.resources.devices: rules that "
				"allow are not mapped by cfs-oci without the "
				"v1 devices controller (cgroup v2 needs eBPF)");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		device_rule(b, json_array_get(arr, i), i, rule, sizeof(rule),
			    &allow);
		add(b, &b->cg, "--set=devices.%s=%s", allow ? "allow" : "deny",
		    rule);
	}
	for (int i = 0; defaults[i]; i++)
		add(b, &b->cg, "--set=devices.allow=%s", defaults[i]);
	return 0;
}

/* FIELD asked for a limit when cfs-cgroup's options grew past *N */
static void note_asked(struct build *b, size_t *n, const char *field)
{
	if (!b->asked && b->cg.n > *n)
		b->asked = field;
	*n = b->cg.n;
}

/* linux.resources as cfs-cgroup's limits */
static int map_resources(struct build *b, json_t *r)
{
	static const char *const known[] = { "memory", "cpu", "pids",
					     "devices", "blockIO", NULL };
	static const char *const empty_ok[] = { "hugepageLimits", "network",
						"rdma", "unified", NULL };
	static const char *const mem_keys[] = { "limit", "swap", NULL };
	static const char *const cpu_keys[] = { "shares", "quota", "period",
						"cpus", "mems", NULL };
	const char *w = "linux.resources", *s;
	long long limit = -1, swap = -1, quota = -1, period = 100000, n;
	bool cpu_v1 = v1_has("cpu");
	size_t n0 = b->cg.n;
	bool set;
	json_t *o;
	int rc;

	if (!r)
		return 0;
	if (!json_is_object(r))
		return bad_type(b->e, "linux", "resources", "an object");
	if ((rc = only(r, w, known, empty_ok, b->e)))
		return rc;
	if ((rc = get_obj(r, w, "memory", &o, b->e)))
		return rc;
	if (o && ((rc = only(o, "linux.resources.memory", mem_keys, NULL,
			     b->e)) ||
		  (rc = get_int(o, "linux.resources.memory", "limit", -1,
				INT64_MAX, &set, &limit, b->e)) ||
		  (rc = get_int(o, "linux.resources.memory", "swap", -1,
				INT64_MAX, &set, &swap, b->e))))
		return rc;
	if (limit > 0)
		add(b, &b->cg, "--memory=%lld", limit);
	if (swap > 0 && (limit <= 0 || swap < limit))
		return cfs_fail(b->e, 0, "linux.resources.memory.swap: below "
				"memory.limit, or without it");
	if (swap > 0)
		add(b, &b->cg, "--memory-swap=%lld", swap - limit);
	note_asked(b, &n0, "linux.resources.memory");
	if ((rc = get_obj(r, w, "cpu", &o, b->e)))
		return rc;
	if (o) {
		const char *cw = "linux.resources.cpu";

		if ((rc = only(o, cw, cpu_keys, NULL, b->e)) ||
		    (rc = get_int(o, cw, "shares", 0, 262144, &set, &n, b->e)))
			return rc;
		/* cpu.shares itself where v1 has the cpu controller, else
		 * crun's shares to weight */
		if (set && n >= 2 && cpu_v1)
			add(b, &b->cg, "--set=cpu.shares=%lld", n);
		else if (set && n >= 2)
			add(b, &b->cg, "--cpu-weight=%lld",
			    1 + (n - 2) * 9999 / 262142);
		if ((rc = get_int(o, cw, "quota", -1, INT64_MAX, &set, &quota,
				  b->e)) ||
		    (rc = get_int(o, cw, "period", 1, INT64_MAX, &set, &period,
				  b->e)))
			return rc;
		/* --cpus has cfs-cgroup's period, 100000; another is
		 * written as is */
		if (quota > 0 && period == 100000)
			add(b, &b->cg, "--cpus=%.6f", quota / 100000.0);
		else if (cpu_v1 && (quota > 0 || set))
			add(b, &b->cg, "--set=cpu.cfs_period_us=%lld", period);
		if (quota > 0 && period != 100000)
			add(b, &b->cg, cpu_v1 ? "--set=cpu.cfs_quota_us=%lld" :
			    "--set=cpu.max=%lld %lld", quota, period);
		if ((rc = get_str(o, cw, "cpus", &s, b->e)))
			return rc;
		if (s && *s)
			add(b, &b->cg, "--cpuset-cpus=%s", s);
		if ((rc = get_str(o, cw, "mems", &s, b->e)))
			return rc;
		if (s && *s)
			add(b, &b->cg, "--cpuset-mems=%s", s);
	}
	note_asked(b, &n0, "linux.resources.cpu");
	if ((rc = get_obj(r, w, "pids", &o, b->e)))
		return rc;
	if (o && (rc = get_int(o, "linux.resources.pids", "limit", INT64_MIN,
			       INT64_MAX, &set, &n, b->e)))
		return rc;
	if (o && set && n > 0)
		add(b, &b->cg, "--pids=%lld", n);
	note_asked(b, &n0, "linux.resources.pids");
	if ((rc = get_obj(r, w, "blockIO", &o, b->e)))
		return rc;
	if (o) {
		static const char *const io_keys[] = { "weight", NULL };

		if ((rc = only(o, "linux.resources.blockIO", io_keys, NULL,
			       b->e)) ||
		    (rc = get_int(o, "linux.resources.blockIO", "weight", 10,
				  1000, &set, &n, b->e)))
			return rc;
		if (set)
			add(b, &b->cg, "--io-weight=%lld", n);
	}
	note_asked(b, &n0, "linux.resources.blockIO");
	if ((rc = map_device_rules(b, r)))
		return rc;
	note_asked(b, &n0, "linux.resources.devices");
	return 0;
}

/* linux.KEY (maskedPaths, readonlyPaths): absolute paths; *SAME when
 * it is cfs-pivot's own list, in any order */
static int get_paths(struct build *b, json_t *linux_, const char *key,
		     const char *const *pivot, json_t **arr, bool *same)
{
	const char *s;
	char at[64];
	size_t n = 0;
	int rc;

	snprintf(at, sizeof(at), "linux.%s", key);
	if ((rc = get_arr(linux_, "linux", key, arr, b->e)))
		return rc;
	*same = true;
	for (size_t i = 0; *arr && i < json_array_size(*arr); i++) {
		if ((rc = str_at(*arr, i, at, &s, b->e)))
			return rc;
		if (*s != '/')
			return cfs_fail(b->e, 0, "%s[%zu]: %s: not an absolute "
					"path", at, i, s);
		if (!listed(pivot, s))
			*same = false;
	}
	while (pivot[n])
		n++;
	if (!*arr || json_array_size(*arr) != n)
		*same = false;
	return 0;
}

/* linux.maskedPaths and readonlyPaths: cfs-pivot's lists (nothing to
 * say), none (--no-mask-paths), or each path given (--mask-path,
 * --readonly-path: the first drops both lists of cfs-pivot). */
static int map_paths(struct build *b, json_t *linux_)
{
	json_t *masked, *ro;
	bool same_m, same_r;
	int rc;

	if ((rc = get_paths(b, linux_, "maskedPaths", pivot_masked, &masked,
			    &same_m)) ||
	    (rc = get_paths(b, linux_, "readonlyPaths", pivot_readonly, &ro,
			    &same_r)))
		return rc;
	if (same_m && same_r)
		return 0;
	if (!json_array_size(masked) && !json_array_size(ro)) {
		add(b, &b->pv, "--no-mask-paths");
		return 0;
	}
	for (size_t i = 0; i < json_array_size(masked); i++)
		add(b, &b->pv, "--mask-path=%s",
		    json_string_value(json_array_get(masked, i)));
	for (size_t i = 0; i < json_array_size(ro); i++)
		add(b, &b->pv, "--readonly-path=%s",
		    json_string_value(json_array_get(ro, i)));
	return 0;
}

/* linux.sysctl: cfs-pivot --sysctl, for what a namespace the config
 * makes keeps apart (runc's validation: net.* with a new network
 * namespace, the IPC ones with a new IPC namespace, the host and domain
 * names with a new UTS namespace); cfs-pivot checks the name again, and
 * that the namespace is not the host's. */
static int map_sysctl(struct build *b, json_t *linux_, unsigned new_ns)
{
	static const char *const ipc[] = {
		"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
		"kernel.shmall", "kernel.shmmax", "kernel.shmmni",
		"kernel.shm_rmid_forced", NULL };
	const char *key;
	json_t *obj, *v;
	int rc;

	if ((rc = get_obj(linux_, "linux", "sysctl", &obj, b->e)))
		return rc;
	json_object_foreach(obj, key, v) {
		bool is_ipc = listed(ipc, key) || !strncmp(key, "fs.mqueue.", 10);
		bool is_net = !strncmp(key, "net.", 4);
		bool is_uts = !strcmp(key, "kernel.hostname") ||
			      !strcmp(key, "kernel.domainname");

		if (!json_is_string(v) ||
		    strlen(json_string_value(v)) != json_string_length(v))
			return cfs_fail(b->e, 0, "linux.sysctl.%s: not a string",
					key);
		if (strchr(key, '='))
			return cfs_fail(b->e, 0, "linux.sysctl.%s: a name with "
					"'='", key);
		if ((is_ipc && !(new_ns & NS_IPC)) ||
		    (is_net && !(new_ns & NS_NET)) ||
		    (is_uts && !(new_ns & NS_UTS)))
			return cfs_fail(b->e, 0, "linux.sysctl.%s: without a new "
					"%s namespace, it is the host's", key,
					is_ipc ? "ipc" : is_net ? "network" :
					"uts");
		if (!is_ipc && !is_net && !is_uts)
			return cfs_fail(b->e, 0, "linux.sysctl.%s: not kept apart "
					"by a namespace: it is the host's", key);
		add(b, &b->pv, "--sysctl=%s=%s", key, json_string_value(v));
	}
	return 0;
}

/* linux.devices: cfs-pivot --device, the spec's defaults (fileMode 0666
 * as runc, uid and gid 0); type u is c */
static int map_devices(struct build *b, json_t *linux_)
{
	static const char *const known[] = { "type", "path", "major", "minor",
					     "fileMode", "uid", "gid", NULL };
	const char *type, *path;
	long long major = 0, minor = 0, mode = 0666, uid = 0, gid = 0;
	bool set_ma, set_mi, set;
	json_t *arr, *d;
	char at[64];
	int rc;

	if ((rc = get_arr(linux_, "linux", "devices", &arr, b->e)))
		return rc;
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		snprintf(at, sizeof(at), "linux.devices[%zu]", i);
		d = json_array_get(arr, i);
		mode = 0666;
		major = minor = uid = gid = 0;
		if (!json_is_object(d))
			return cfs_fail(b->e, 0, "%s: not an object", at);
		if ((rc = only(d, at, known, NULL, b->e)) ||
		    (rc = get_str(d, at, "type", &type, b->e)) ||
		    (rc = get_str(d, at, "path", &path, b->e)) ||
		    (rc = get_int(d, at, "major", 0, 0xfff, &set_ma, &major,
				  b->e)) ||
		    (rc = get_int(d, at, "minor", 0, 0xfffff, &set_mi, &minor,
				  b->e)) ||
		    (rc = get_int(d, at, "fileMode", 0, 0777, &set, &mode,
				  b->e)) ||
		    (rc = get_int(d, at, "uid", 0, UINT32_MAX - 1, &set, &uid,
				  b->e)) ||
		    (rc = get_int(d, at, "gid", 0, UINT32_MAX - 1, &set, &gid,
				  b->e)))
			return rc;
		if (!path || *path != '/' || strchr(path, ':'))
			return cfs_fail(b->e, 0, "%s.path: missing, not absolute "
					"or with a colon", at);
		if (!type || strlen(type) != 1 || !strchr("cubp", *type))
			return cfs_fail(b->e, 0, "%s.type: %s: not c, b, u or p",
					at, type ? type : "missing");
		if (*type != 'p' && (!set_ma || !set_mi))
			return cfs_fail(b->e, 0, "%s: major and minor are needed",
					at);
		add(b, &b->pv, "--device=%s:%c:%lld:%lld:%04llo:%lld:%lld", path,
		    *type == 'u' ? 'c' : *type, major, minor, mode, uid, gid);
	}
	return 0;
}

static int map_linux(struct build *b, json_t *linux_, const char *id,
		     const char *hostname, struct cfs_oci_chain *c,
		     const char *seccomp_file)
{
	static const char *const known[] = {
		"namespaces", "uidMappings", "gidMappings", "resources",
		"cgroupsPath", "rootfsPropagation", "seccomp", "maskedPaths",
		"readonlyPaths", "sysctl", "devices", NULL };
	static const char *const empty_ok[] = {
		"mountLabel", "personality",
		"timeOffsets", "intelRdt", "memoryPolicy", "netDevices", NULL };
	const char *cgpath, *prop;
	bool uts = false, user = false;
	unsigned new_ns = 0;
	json_t *empty = NULL;
	int rc;

	if (linux_ && !json_is_object(linux_))
		return bad_type(b->e, "", "linux", "an object");
	if (!linux_ && !(linux_ = empty = json_object()))
		return cfs_fail(b->e, ENOMEM, "map linux");
	if ((rc = only(linux_, "linux", known, empty_ok, b->e)) ||
	    (rc = get_str(linux_, "linux", "cgroupsPath", &cgpath, b->e)))
		goto out;
	/* relative: under cfs-cgroup's parent; absolute: under each
	 * hierarchy's root, as runc takes it (cfs-cgroup /NAME), with the
	 * same checks of its components */
	if (cgpath && strlen(cgpath) >= sizeof(c->cgroup)) {
		rc = cfs_fail(b->e, 0, "linux.cgroupsPath: longer than %zu bytes",
			      sizeof(c->cgroup) - 1);
		goto out;
	}
	snprintf(c->cgroup, sizeof(c->cgroup), "%s%s",
		 cgpath && *cgpath ? "" : "oci-", cgpath && *cgpath ? cgpath : id);
	b->cgroup = c->cgroup;
	if ((rc = map_resources(b, json_object_get(linux_, "resources"))))
		goto out;
	c->asked = b->asked;
	if (c->cgroup[0] == '/')
		add(b, &b->cg, "--absolute");
	add(b, &b->cg, "%s", c->cgroup + (c->cgroup[0] == '/'));
	if ((rc = map_namespaces(b, linux_, &new_ns)))
		goto out;
	uts = new_ns & NS_UTS;
	user = new_ns & NS_USER;
	if (hostname && !uts) {
		rc = cfs_fail(b->e, 0, "hostname: without a uts namespace");
		goto out;
	}
	if (hostname)
		add(b, &b->un, "--hostname=%s", hostname);
	if ((rc = map_idmaps(b, linux_, "uidMappings", "--map-users", user)) ||
	    (rc = map_idmaps(b, linux_, "gidMappings", "--map-groups", user)) ||
	    (rc = get_str(linux_, "linux", "rootfsPropagation", &prop, b->e)))
		goto out;
	if (prop && *prop) {
		const char *p = prop + (*prop == 'r');

		if (strcmp(p, "private") && strcmp(p, "slave") &&
		    strcmp(p, "shared") && strcmp(p, "unbindable")) {
			rc = cfs_fail(b->e, 0, "linux.rootfsPropagation: %s: not "
				      "a propagation", prop);
			goto out;
		}
		/* the container's root mount, once it is / (runc's) */
		add(b, &b->pv, "--propagation=%s", prop);
	}
	c->seccomp = json_object_get(linux_, "seccomp");
	if (c->seccomp && json_is_null(c->seccomp))
		c->seccomp = NULL;
	if (c->seccomp && !json_is_object(c->seccomp)) {
		rc = bad_type(b->e, "linux", "seccomp", "an object");
		goto out;
	}
	if (c->seccomp)
		add(b, &b->pv, "--seccomp=%s", seccomp_file);
	else
		add(b, &b->pv, "--no-seccomp");
	if ((rc = map_paths(b, linux_)) || (rc = map_sysctl(b, linux_, new_ns)) ||
	    (rc = map_devices(b, linux_)))
		goto out;
out:
	json_decref(empty);
	return rc;
}

int cfs_oci_chain(json_t *config, const char *bundle, const char *id,
		  const char *seccomp_file, const struct cfs_oci_life *life,
		  struct cfs_oci_chain *c, struct cfs_err *e)
{
	static const char *const known[] = { "ociVersion", "root", "mounts",
					     "process", "hostname", "hooks",
					     "annotations", "linux", NULL };
	static const char *const empty_ok[] = { "domainname", NULL };
	struct build b = { .e = e };
	const char *version, *rootpath, *hostname, *s;
	json_t *root, *args = NULL, *ann, *v;
	struct cfs_err why;
	const char *key;
	bool ro;
	int rc;

	e->msg[0] = '\0';
	/* hooks: cfs-oci runs them (hooks.c); a chain does not show them */
	if ((rc = cfs_oci_hooks_check(json_object_get(config, "hooks"), e)))
		return rc;
	if ((rc = only(config, "", known, empty_ok, e)) ||
	    (rc = get_str(config, "", "ociVersion", &version, e)))
		return rc;
	if (!version || strncmp(version, "1.", 2))
		return cfs_fail(e, 0, "ociVersion: %s: not 1.x",
				version ? version : "missing");
	if ((rc = get_obj(config, "", "annotations", &ann, e)))
		return rc;
	json_object_foreach(ann, key, v)
		if (!json_is_string(v))
			return cfs_fail(e, 0, "annotations.%s: not a string", key);
	if ((rc = get_str(config, "", "hostname", &hostname, e)))
		return rc;
	if (hostname && !*hostname)
		hostname = NULL;

	add(&b, &b.cg, "cfs-cgroup");
	add(&b, &b.un, "cfs-unshare");
	add(&b, &b.pv, "cfs-pivot");
	if ((rc = map_linux(&b, json_object_get(config, "linux"), id, hostname,
			    c, seccomp_file)))
		goto out;
	/* a container made (LIFE) by a rootless caller on cgroups not
	 * delegated to it gets no cgroup (nocgroup.h): no cfs-cgroup */
	if (life && cfs_oci_rootless() &&
	    cfs_oci_cgroup_ours(c->cgroup, &why) == -EACCES) {
		snprintf(c->no_cgroup, sizeof(c->no_cgroup), "%s", why.msg);
		c->cgroup[0] = '\0';
	}
	if ((rc = map_process(&b, json_object_get(config, "process"), &args,
			       life)) ||
	    (rc = map_mounts(&b, config, bundle)) ||
	    (rc = get_obj(config, "", "root", &root, e)))
		goto out;
	if (!root) {
		rc = cfs_fail(e, 0, "root: missing");
		goto out;
	}
	{
		static const char *const rkeys[] = { "path", "readonly", NULL };

		if ((rc = only(root, "root", rkeys, NULL, e)) ||
		    (rc = get_str(root, "root", "path", &rootpath, e)) ||
		    (rc = get_bool(root, "root", "readonly", &ro, e)))
			goto out;
	}
	if (!rootpath || !*rootpath) {
		rc = cfs_fail(e, 0, "root.path: missing");
		goto out;
	}
	if (ro)
		add(&b, &b.pv, "--read-only");
	if (life && life->no_pivot)
		add(&b, &b.pv, "--no-pivot");
	if (life && life->preserve_fds > 0)
		add(&b, &b.pv, "--preserve-fds=%d", life->preserve_fds);
	if (life && life->no_wait)
		add(&b, &b.un, "--fork");
	if (life && life->no_wait)
		add(&b, &b.un, "--no-wait");
	if (life && life->pidfile)
		add(&b, &b.un, "--pidfile=%s", life->pidfile);
	if (life && life->setup)
		add(&b, &b.un, "--setup=%s", life->setup);
	if (life && life->pivot_hooks)
		add(&b, &b.pv, "--hooks=%s", life->pivot_hooks);
	if (life && life->exec_fifo)
		add(&b, &b.pv, "--exec-fifo=%s", life->exec_fifo);
	if (life && life->ready_fd >= 0)
		add(&b, &b.pv, "--ready-fd=%d", life->ready_fd);
	add(&b, &b.pv, "%s%s%s", *rootpath == '/' ? "" : bundle,
	    *rootpath == '/' ? "" : "/", rootpath);

	/* the three parts, each ended by --: cfs-cgroup's with a cgroup */
	if (c->cgroup[0]) {
		for (size_t i = 0; i < b.cg.n; i++)
			add(&b, &c->argv, "%s", b.cg.v[i]);
		add(&b, &c->argv, "--");
	}
	for (size_t i = 0; i < b.un.n; i++)
		add(&b, &c->argv, "%s", b.un.v[i]);
	add(&b, &c->argv, "--");
	for (size_t i = 0; i < b.pv.n; i++)
		add(&b, &c->argv, "%s", b.pv.v[i]);
	add(&b, &c->argv, "--");
	for (size_t i = 0; i < json_array_size(args); i++) {
		s = json_string_value(json_array_get(args, i));
		add(&b, &c->argv, "%s", s);
	}
	if (b.no_mem)
		rc = cfs_fail(e, ENOMEM, "map config.json");
out:
	cfs_strv_free(&b.cg);
	cfs_strv_free(&b.un);
	cfs_strv_free(&b.pv);
	return rc;
}

int cfs_oci_exec_chain(json_t *process, const struct cfs_oci_exec *x,
		       struct cfs_strv *argv, struct cfs_err *e)
{
	struct cfs_oci_life life = { .ready_fd = -1,
				     .console_socket = x->console_socket };
	struct build b = { .e = e, .enter = true };
	json_t *args = NULL;
	int rc;

	e->msg[0] = '\0';
	add(&b, &b.pv, "cfs-enter");
	add(&b, &b.pv, "--target=%d", (int)x->pid);
	add(&b, &b.pv, "--all");
	if (!x->no_cgroup)
		add(&b, &b.pv, "--join-cgroup");
	if (x->seccomp_file)
		add(&b, &b.pv, "--seccomp=%s", x->seccomp_file);
	else
		add(&b, &b.pv, "--no-seccomp");
	if (x->preserve_fds > 0)
		add(&b, &b.pv, "--preserve-fds=%d", x->preserve_fds);
	if (x->pid_fd >= 0)
		add(&b, &b.pv, "--pid-fd=%d", x->pid_fd);
	if (x->no_wait)
		add(&b, &b.pv, "--no-wait");
	if ((rc = map_process(&b, process, &args, &life)))
		goto out;
	add(&b, &b.pv, "--");
	for (size_t i = 0; i < json_array_size(args); i++)
		add(&b, &b.pv, "%s", json_string_value(json_array_get(args, i)));
	if (b.no_mem) {
		rc = cfs_fail(e, ENOMEM, "map process");
		goto out;
	}
	*argv = b.pv;
	b.pv = (struct cfs_strv){ 0 };
out:
	cfs_strv_free(&b.pv);
	return rc;
}

int cfs_oci_update_chain(json_t *resources, const char *cgroup, pid_t pid,
			 struct cfs_strv *argv, struct cfs_err *e)
{
	struct build b = { .e = e };
	int rc;

	e->msg[0] = '\0';
	add(&b, &b.cg, "cfs-cgroup");
	if ((rc = map_resources(&b, resources)))
		goto out;
	add(&b, &b.cg, "--target=%d", (int)pid);
	/* an absolute cgroupsPath ("/a/b") is below each hierarchy's root */
	if (*cgroup == '/')
		add(&b, &b.cg, "--absolute");
	add(&b, &b.cg, "%s", cgroup + (*cgroup == '/'));
	if (b.no_mem) {
		rc = cfs_fail(e, ENOMEM, "map linux.resources");
		goto out;
	}
	*argv = b.cg;
	b.cg = (struct cfs_strv){ 0 };
out:
	cfs_strv_free(&b.cg);
	return rc;
}

int cfs_oci_write_seccomp(const struct cfs_oci_chain *c, const char *file,
			  struct cfs_err *e)
{
	int fd;

	if (!c->seccomp)
		return 0;
	if ((fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
		return cfs_fail(e, errno, "create %s", file);
	if (json_dumpfd(c->seccomp, fd, JSON_COMPACT) < 0) {
		close(fd);
		return cfs_fail(e, EIO, "write %s", file);
	}
	if (close(fd) < 0)
		return cfs_fail(e, errno, "write %s", file);
	return 0;
}

void cfs_oci_chain_free(struct cfs_oci_chain *c)
{
	cfs_strv_free(&c->argv);
}
