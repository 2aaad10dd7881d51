/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-lib: unit tests of lib/'s parsers and of its spawn, in TAP for
 * prove. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/opts.h"
#include "core/err.h"
#include "core/parse.h"
#include "fs/mountinfo.h"
#include "image/imageconf.h"
#include "image/install.h"
#include "image/overlay.h"
#include "ns/idmap.h"
#include "ns/persist.h"
#include "process/env.h"
#include "process/exec.h"

#include "tap.h"

static void test_parse_long(void)
{
	long v = -1;

	ok(cfs_parse_long("42", 0, 100, &v) == 0 && v == 42, "parse 42");
	ok(cfs_parse_long("-3", -5, 5, &v) == 0 && v == -3, "parse -3");
	ok(cfs_parse_long("42x", 0, 100, &v) == -EINVAL, "trailing junk refused");
	ok(cfs_parse_long("", 0, 100, &v) == -EINVAL, "empty refused");
	ok(cfs_parse_long("101", 0, 100, &v) == -ERANGE, "above max refused");
	ok(cfs_parse_long("99999999999999999999", 0, 100, &v) == -ERANGE,
	   "overflow refused");
}

static void test_parse_signal(void)
{
	ok(cfs_parse_signal("KILL") == SIGKILL, "KILL");
	ok(cfs_parse_signal("sigterm") == SIGTERM, "sigterm");
	ok(cfs_parse_signal("SIGHUP") == SIGHUP, "SIGHUP");
	ok(cfs_parse_signal("15") == 15, "15");
	ok(cfs_parse_signal("0") == -1, "0 is not a signal");
	ok(cfs_parse_signal("NOPE") == -1, "unknown name");
	ok(cfs_parse_signal("9x") == -1, "trailing junk");
}

static void test_parse_rlimit(void)
{
	struct rlimit rl;
	char err[128];
	int res;

	ok(cfs_parse_rlimit("nofile=64:128", &res, &rl, err) == 0 &&
		   res == RLIMIT_NOFILE && rl.rlim_cur == 64 && rl.rlim_max == 128,
	   "nofile=64:128");
	ok(cfs_parse_rlimit("RLIMIT_CORE=0", &res, &rl, err) == 0 &&
		   res == RLIMIT_CORE && rl.rlim_cur == 0 && rl.rlim_max == 0,
	   "RLIMIT_CORE=0: hard defaults to soft");
	ok(cfs_parse_rlimit("STACK=8388608:unlimited", &res, &rl, err) == 0 &&
		   rl.rlim_max == RLIM_INFINITY, "unlimited");
	ok(!strcmp(cfs_rlimit_name(RLIMIT_NPROC), "NPROC"), "NPROC named");
	ok(cfs_parse_rlimit("nofile", &res, &rl, err) == -EINVAL, "no =: %s",
	   err);
	ok(cfs_parse_rlimit("files=1", &res, &rl, err) == -EINVAL,
	   "unknown name");
	ok(cfs_parse_rlimit("nofile=1x", &res, &rl, err) == -EINVAL,
	   "trailing junk");
	ok(cfs_parse_rlimit("nofile=-1", &res, &rl, err) == -EINVAL, "negative");
	ok(cfs_parse_rlimit("nofile=:5", &res, &rl, err) == -EINVAL,
	   "empty soft");
	ok(cfs_parse_rlimit("nofile=9:8", &res, &rl, err) == -EINVAL,
	   "soft above hard: %s", err);
	ok(cfs_parse_rlimit("nofilex=1", &res, &rl, err) == -EINVAL,
	   "a longer name is not NOFILE");
}

static void test_parse_size(void)
{
	long long v = -1;
	double f = -1;
	char buf[32];

	ok(cfs_parse_size("64M", 1LL << 50, &v) == 0 && v == 64LL << 20, "64M");
	ok(cfs_parse_size("1g", 1LL << 50, &v) == 0 && v == 1LL << 30, "1g");
	ok(cfs_parse_size("4096", 1LL << 50, &v) == 0 && v == 4096, "4096");
	ok(cfs_parse_size("abc", 1LL << 50, &v) < 0, "abc refused");
	ok(cfs_parse_size("-1", 1LL << 50, &v) < 0, "-1 refused");
	ok(cfs_parse_size("12Q", 1LL << 50, &v) < 0, "unknown suffix refused");
	ok(cfs_parse_size("", 1LL << 50, &v) < 0, "empty refused");
	ok(cfs_parse_fraction("0.5", 64, &f) == 0 && f == 0.5, "0.5");
	ok(cfs_parse_fraction("0", 64, &f) < 0, "0 CPUs refused");
	ok(cfs_parse_fraction("1.5x", 64, &f) < 0, "trailing junk refused");
	ok(!strcmp(cfs_format_size(64LL << 20, buf), "64M"), "64M formatted: %s",
	   buf);
	ok(!strcmp(cfs_format_size(4097, buf), "4097"), "4097 formatted: %s", buf);
}

static void test_mountinfo(void)
{
	static char text[] =
		"22 27 0:21 / /proc rw,relatime - proc proc rw\n"
		"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:9 master:2 - "
		"cgroup2 cgroup2 rw,nsdelegate\n"
		"50 27 254:0 /a\\040b /mnt/with\\040space\\134x rw - ext4 /dev/vda rw\n";
	FILE *f = fmemopen(text, strlen(text), "r");
	struct cfs_mountinfo m = { 0 };
	struct cfs_err e;
	char *long_line;
	size_t n = 0;

	ok(cfs_mountinfo_next(f, &m, &e) == 1 && !strcmp(m.target, "/proc") &&
	   !strcmp(m.fstype, "proc"), "proc: %s %s", m.target, m.fstype);
	ok(cfs_mountinfo_next(f, &m, &e) == 1 && !strcmp(m.fstype, "cgroup2") &&
	   !strcmp(m.options, "rw,nsdelegate") && m.dev == makedev(0, 38),
	   "optional fields skipped: %s %s", m.fstype, m.options);
	ok(cfs_mountinfo_next(f, &m, &e) == 1 && !strcmp(m.root, "/a b") &&
	   !strcmp(m.target, "/mnt/with space\\x"), "escapes: '%s' '%s'",
	   m.root, m.target);
	ok(cfs_mountinfo_next(f, &m, &e) == 0, "the end");
	fclose(f);
	/* a line of 20000 bytes (a mount point of 8000, options of 10000):
	 * read whole, not cut at a buffer's size */
	long_line = malloc(20000);
	n += sprintf(long_line, "60 27 0:50 / /%0*d rw - tmpfs tmpfs ", 8000, 0);
	memset(long_line + n, 'o', 10000);
	strcpy(long_line + n + 10000, "\n");
	f = fmemopen(long_line, strlen(long_line), "r");
	ok(cfs_mountinfo_next(f, &m, &e) == 1 && strlen(m.target) == 8001 &&
	   strlen(m.options) == 10000, "a long line whole: %zu, %zu",
	   strlen(m.target), strlen(m.options));
	fclose(f);
	free(long_line);
	cfs_mountinfo_done(&m);
}

static void test_overlay_split(void)
{
	struct cfs_err e;
	char **v = NULL, buf[4096];

	ok(cfs_overlay_split("a", &v, &e) == 1 && !strcmp(v[0], "a") && !v[1],
	   "one layer");
	free(v);
	ok(cfs_overlay_split("/x/top:b,c:\\\\d\\:e", &v, &e) == 3 &&
	   !strcmp(v[0], "/x/top") && !strcmp(v[1], "b,c") &&
	   !strcmp(v[2], "\\d:e") && !v[3], "three, \\: and \\\\ unescaped: %s %s",
	   v[1], v[2]);
	free(v);
	ok(cfs_overlay_split("a::b", &v, &e) == -EINVAL, "an empty layer refused");
	ok(cfs_overlay_split(":a", &v, &e) == -EINVAL, "an empty top refused");
	ok(cfs_overlay_split("", &v, &e) == -EINVAL, "nothing refused");
	ok(!strcmp(cfs_overlay_workdir("./c1", buf), "./.c1.cfs-work"),
	   "work dir of ./c1: %s", buf);
	ok(!strcmp(cfs_overlay_workdir("/a/b/", buf), "/a/.b.cfs-work"),
	   "work dir of /a/b/: %s", buf);
	ok(!strcmp(cfs_overlay_workdir("c1", buf), "./.c1.cfs-work"),
	   "work dir of c1: %s", buf);
}

/* Parse TEXT as an image config; 0 or -errno, the message in E. */
static int image_config(const char *text, struct cfs_image_config *c,
			struct cfs_err *e)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc = cfs_image_config_parse(f, "image.conf", c, e);

	fclose(f);
	return rc;
}

static void test_image_config(void)
{
	struct cfs_image_config c;
	struct cfs_err e;
	const char **v;

	ok(image_config("# comment\n\nworkdir /srv/a b\nuser 1:2\n"
			"env A=1\nenv B= x=y \nentrypoint /bin/sh\n"
			"entrypoint -c\ncmd echo hi\ncmd \n", &c, &e) == 0 &&
	   !strcmp(c.workdir, "/srv/a b") && !strcmp(c.user, "1:2") &&
	   !strcmp(c.env[0], "A=1") && !strcmp(c.env[1], "B= x=y ") &&
	   !c.env[2] && !strcmp(c.cmd[0], "echo hi") && !strcmp(c.cmd[1], "") &&
	   !c.cmd[2], "every key, values verbatim (spaces kept, an empty arg)");
	v = cfs_image_config_argv(&c, (const char *[]){ NULL });
	ok(v && !strcmp(v[0], "/bin/sh") && !strcmp(v[1], "-c") &&
	   !strcmp(v[2], "echo hi") && !strcmp(v[3], "") && !v[4],
	   "no program: entrypoint + cmd");
	free(v);
	v = cfs_image_config_argv(&c, (const char *[]){ "id", "-u", NULL });
	ok(v && !strcmp(v[2], "id") && !strcmp(v[3], "-u") && !v[4],
	   "a program: entrypoint + program, cmd dropped");
	free(v);
	cfs_image_config_free(&c);
	ok(image_config("cmd true", &c, &e) == 0 && !c.entrypoint &&
	   !c.workdir && !c.env && !strcmp(c.cmd[0], "true"),
	   "missing keys unset, no final newline needed");
	v = cfs_image_config_argv(&c, (const char *[]){ "sh", NULL });
	ok(v && !strcmp(v[0], "sh") && !v[1], "no entrypoint: the program alone");
	free(v);
	cfs_image_config_free(&c);
	ok(image_config("cmd a\nnope x\n", &c, &e) == -EINVAL &&
	   !strcmp(e.msg, "image.conf:2: unknown key 'nope'"), "%s", e.msg);
	ok(image_config("workdir /a\nworkdir /b\n", &c, &e) == -EINVAL &&
	   !strcmp(e.msg, "image.conf:2: workdir given twice"), "%s", e.msg);
	ok(image_config("env NOVALUE\n", &c, &e) == -EINVAL &&
	   strstr(e.msg, "image.conf:1: env 'NOVALUE'"), "%s", e.msg);
	ok(image_config("\ncmd\n", &c, &e) == -EINVAL &&
	   !strcmp(e.msg, "image.conf:2: 'cmd' is not KEY VALUE"), "%s", e.msg);
}

/* What the last parse() saw of the other options, and its first
 * leftover argument ("" if none). */
static char seen[128], first_arg[128];

/* Parse ARGV with a table like cfs-unshare's; report the optional value
 * and the first leftover argument. */
static void parse(const char **argv, const char **value, const char **first)
{
	const char *mount_proc = NULL, *hostname = NULL, *uts_file = NULL,
		   *signal = NULL;
	int fork = 0, rc, argc = 0;
	struct poptOption options[] = {
		{ "mount-proc", 0, POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL,
		  &mount_proc, 0, "", "DIR" },
		{ "hostname", 0, POPT_ARG_STRING, &hostname, 0, "", "NAME" },
		{ "uts", 'u', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, &uts_file,
		  0, "", "FILE" },
		{ "fork", 'f', POPT_ARG_NONE, &fork, 0, "", NULL },
		{ "signal", 's', POPT_ARG_STRING, &signal, 0, "", "SIG" },
		POPT_AUTOHELP POPT_TABLEEND
	};
	poptContext ctx;

	while (argv[argc])
		argc++;
	ctx = cfs_popt_context(argc, argv, options);
	while ((rc = poptGetNextOpt(ctx)) > 0)
		;
	*value = mount_proc;
	snprintf(first_arg, sizeof(first_arg), "%s",
		 cfs_popt_args(ctx)[0] ? cfs_popt_args(ctx)[0] : "");
	*first = first_arg;
	snprintf(seen, sizeof(seen), "uts=%s fork=%d signal=%s rc=%d",
		 uts_file ? uts_file : "-", fork, signal ? signal : "-", rc);
	cfs_popt_free(ctx);
}

static void test_optional_args(void)
{
	const char *v, *first;

	parse((const char *[]){ "t", "--mount-proc", "sh", "-c", NULL }, &v,
	      &first);
	ok(v && !strcmp(v, "") && first && !strcmp(first, "sh"),
	   "bare --mount-proc leaves the next word: value '%s', first '%s'",
	   v ? v : "(null)", first ? first : "(null)");
	parse((const char *[]){ "t", "--mount-proc=/p", "sh", NULL }, &v,
	      &first);
	ok(v && !strcmp(v, "/p") && !strcmp(first, "sh"), "--mount-proc=/p");
	parse((const char *[]){ "t", "--hostname", "--mount-proc", "sh", NULL },
	      &v, &first);
	ok(!v && !strcmp(first, "sh"), "a required value is skipped, not fixed");
	parse((const char *[]){ "t", "-u", "--", "--mount-proc", NULL }, &v,
	      &first);
	ok(!v && !strcmp(first, "--mount-proc"), "nothing after -- is touched");
	parse((const char *[]){ "t", "-u", "prog", "--mount-proc", NULL }, &v,
	      &first);
	ok(!v && !strcmp(first, "prog"), "nothing after PROGRAM is touched");
	parse((const char *[]){ "t", "-u", "hostname", NULL }, &v, &first);
	ok(!strcmp(seen, "uts= fork=0 signal=- rc=-1") &&
	   !strcmp(first, "hostname"), "bare -u leaves the next word: %s", seen);
	parse((const char *[]){ "t", "-uf", "sh", NULL }, &v, &first);
	ok(!strcmp(seen, "uts= fork=1 signal=- rc=-1") && !strcmp(first, "sh"),
	   "-uf is -u -f, not -u with value f: %s", seen);
	parse((const char *[]){ "t", "-fu", "--uts=/x", "sh", NULL }, &v, &first);
	ok(!strcmp(seen, "uts=/x fork=1 signal=- rc=-1"), "--uts=/x: %s", seen);
	parse((const char *[]){ "t", "-fs", "TERM", "-u", "x", NULL }, &v, &first);
	ok(!strcmp(seen, "uts= fork=1 signal=TERM rc=-1") && !strcmp(first, "x"),
	   "-fs TERM: a required value after a cluster: %s", seen);
	parse((const char *[]){ "t", "-fsTERM", "-u", "x", NULL }, &v, &first);
	ok(!strcmp(seen, "uts= fork=1 signal=TERM rc=-1") && !strcmp(first, "x"),
	   "-fsTERM: %s", seen);
	parse((const char *[]){ "t", "-s", "-u", "x", NULL }, &v, &first);
	ok(!strcmp(seen, "uts=- fork=0 signal=-u rc=-1") && !strcmp(first, "x"),
	   "-s -u: -u is the value of -s: %s", seen);
}

static void test_idmap(void)
{
	struct cfs_idmap m = { .name = "uid", .own = 0 };
	char file[] = "/tmp/cfs-test-subuid.XXXXXX";
	struct cfs_err e;
	FILE *f;
	int fd;

	ok(cfs_idmap_parse(&m, "a", "0:1000:1", &e) == 0 && m.n == 1 &&
	   m.r[0].inner == 0 && m.r[0].outer == 1000 && m.r[0].count == 1,
	   "idmap 0:1000:1");
	ok(cfs_idmap_is_own(&m) == false, "not our own id");
	ok(cfs_idmap_parse(&m, "b", "1:100000:65536", &e) == 0 && m.n == 2 &&
	   cfs_idmap_check(&m, &e) == 0, "two maps side by side");
	for (const char **bad = (const char *[]){ "1:2", "1:2:0", "a:1:1",
						  "1:2:3:", " 1:2:3", "1:-2:3",
						  "4294967295:0:1",
						  "4294967290:0:10", "", NULL };
	     *bad; bad++)
		ok(cfs_idmap_parse(&m, "c", *bad, &e) == -EINVAL && m.n == 2,
		   "idmap \"%s\" refused: %s", *bad, e.msg);
	ok(cfs_idmap_parse(&m, "d", "65536:100:2", &e) == 0 &&
	   cfs_idmap_check(&m, &e) == -EINVAL && strstr(e.msg, "inner"),
	   "inner ids overlap: %s", e.msg);
	m.n = 2;
	ok(cfs_idmap_parse(&m, "d", "70000:999:2", &e) == 0 &&
	   cfs_idmap_check(&m, &e) == -EINVAL && strstr(e.msg, "onto"),
	   "outer ids overlap: %s", e.msg);

	/* auto: 0 to our own, 1 on to our first range, by name or uid */
	if ((fd = mkstemp(file)) < 0 || !(f = fdopen(fd, "w")))
		return;
	fprintf(f, "# comment\nother:1:5\nroot:bad\n0:300000:10\n"
		   "root:400000:20\n");
	fclose(f);
	m = (struct cfs_idmap){ .name = "uid", .own = 0, .subid_file = file };
	ok(cfs_idmap_parse(&m, "--map-auto", "auto", &e) == 0 && m.n == 2 &&
	   m.r[0].inner == 0 && m.r[0].outer == 0 && m.r[0].count == 1 &&
	   m.r[1].inner == 1 && m.r[1].outer == 300000 && m.r[1].count == 10,
	   "auto: root is us, 1 on the first range");
	m = (struct cfs_idmap){ .name = "uid", .own = 0,
				.subid_file = "/nonexistent" };
	ok(cfs_idmap_parse(&m, "--map-auto", "auto", &e) == -EINVAL &&
	   strstr(e.msg, "no entry for root (uid 0) in /nonexistent"),
	   "auto without an entry: %s", e.msg);
	unlink(file);
}

/* The exit status of a process that calls cfs_spawn (which dies when
 * a step or the exec fails), of the child it makes otherwise. */
static int spawn_status(const char **argv, const struct cfs_step *steps)
{
	int status = -1;
	pid_t pid;

	fflush(stdout); /* the child exits: our TAP lines are not its to print */
	if ((pid = fork()) == 0) {
		pid_t child;

		dup2(open("/dev/null", O_WRONLY), 2); /* what it dies with */
		child = cfs_spawn(argv, steps);

		if (child < 0 || waitpid(child, &status, 0) < 0)
			_exit(99);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 98);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* What FILE holds, in BUF: "" when it cannot be read. */
static const char *contents(const char *file, char *buf, size_t size)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	return buf;
}

/* The image config file both ways: what is written is read back. */
static void test_image_config_write(void)
{
	char *env[] = { "A=1", "B=x y", NULL }, *cmd[] = { "echo", "", NULL };
	struct cfs_image_config c = { .workdir = "/srv", .env = env,
				      .cmd = cmd }, back;
	char *text = NULL, *bad[] = { "a\nb", NULL };
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct cfs_err e;
	int r = cfs_image_config_format(f, "made by a test", &c, &e);

	fclose(f);
	ok(r == 0 && !strcmp(text, "# made by a test\nworkdir /srv\nenv A=1\n"
				   "env B=x y\ncmd echo\ncmd \n"),
	   "formatted, a line a value");
	ok(image_config(text, &back, &e) == 0 && !strcmp(back.workdir, "/srv") &&
	   !back.user && !strcmp(back.env[1], "B=x y") && !back.env[2] &&
	   !back.entrypoint && !strcmp(back.cmd[1], "") && !back.cmd[2],
	   "read back as written");
	cfs_image_config_free(&back);
	free(text);
	c.entrypoint = bad;
	f = open_memstream(&text, &len);
	ok(cfs_image_config_format(f, "x", &c, &e) == -EINVAL &&
	   strstr(e.msg, "a value with a newline cannot be written"),
	   "a newline refused: %s", e.msg);
	fclose(f);
	free(text);
	ok(cfs_image_config_env_ok("A=") && !cfs_image_config_env_ok("=1") &&
	   !cfs_image_config_env_ok("A"), "env entries are NAME=VALUE");
}

/* One PATH search, execvp's: regular files we may execute, an empty
 * entry the current directory. */
static void test_find_program(void)
{
	char dir[] = "/tmp/cfs-test-XXXXXX", path[4200], cwd[4096];
	const char *saved = getenv("PATH");
	char *old = saved ? strdup(saved) : NULL, *found;
	int fd;

	if (!mkdtemp(dir) || !getcwd(cwd, sizeof(cwd)))
		return;
	snprintf(path, sizeof(path), "%s/a", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/a/prog", dir); /* a directory */
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/b", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/b/data", dir); /* not executable */
	close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	snprintf(path, sizeof(path), "%s/b/prog", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
	close(fd);
	snprintf(path, sizeof(path), "%s/a:%s/b", dir, dir);
	setenv("PATH", path, 1);
	found = cfs_find_program("prog");
	snprintf(path, sizeof(path), "%s/b/prog", dir);
	ok(found && !strcmp(found, path), "a directory passed over: %s", found);
	free(found);
	errno = 0;
	ok(!cfs_find_program("data") && errno == ENOENT,
	   "a file we may not execute is not found");
	snprintf(path, sizeof(path), "%s/b", dir);
	setenv("PATH", "/nonexistent::", 1);
	found = chdir(path) == 0 ? cfs_find_program("prog") : NULL;
	ok(found && !strcmp(found, "./prog"),
	   "an empty entry is the current directory: %s", found);
	free(found);
	if (chdir(cwd) < 0)
		perror(cwd);
	old ? setenv("PATH", old, 1) : unsetenv("PATH");
	free(old);
	snprintf(path, sizeof(path), "rm -r %s", dir);
	if (system(path))
		perror(path);
}

static int job(void *arg, pid_t target, struct cfs_err *e)
{
	return arg ? cfs_fail(e, EPERM, "job for %d", (int)target) : 0;
}

/* A helper forked before unshare(2): its failure comes back whole. */
static void test_ns_helper(void)
{
	struct cfs_ns_helper h;
	struct cfs_err e = { 0 };
	int status = -1;

	ok(cfs_ns_helper_start(&h, job, NULL, &e) == 0 && h.pid > 0 &&
	   cfs_ns_helper_finish(&h, 42, NULL, &e) == 0, "a job done");
	ok(cfs_ns_helper_start(&h, job, "fail", &e) == 0 &&
	   cfs_ns_helper_finish(&h, 42, NULL, &e) == -EPERM && e.errnum == EPERM &&
	   !strcmp(e.msg, "job for 42"), "a job failed, said here: %s", e.msg);
	ok(cfs_ns_helper_start(&h, job, NULL, &e) == 0 &&
	   cfs_ns_helper_finish(&h, 42, &status, &e) == 0 &&
	   WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "a job done, its wait status given back");
}

/* What only a directory of kept namespaces holds. */
static void test_persist_is_dir(void)
{
	char dir[] = "/tmp/cfs-test-XXXXXX", path[4200];
	struct cfs_err e;

	if (!mkdtemp(dir))
		return;
	ok(cfs_persist_is_dir(dir, &e) == 0 &&
	   !strcmp(e.msg, "no namespace file in it"), "empty: %s", e.msg);
	snprintf(path, sizeof(path), "%s/uts", dir); /* a half-done removal */
	close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	ok(cfs_persist_is_dir(dir, &e) == 1, "an empty namespace file");
	snprintf(path, sizeof(path), "%s/x", dir);
	close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	ok(cfs_persist_is_dir(dir, &e) == 0 &&
	   !strcmp(e.msg, "x is not a namespace file"), "another file: %s",
	   e.msg);
	ok(cfs_persist_remove(dir, &e) == -EINVAL && !access(path, F_OK),
	   "not removed: %s", e.msg);
	ok(cfs_persist_is_dir(path, &e) == -ENOTDIR && !strcmp(e.msg, path),
	   "a file is no directory");
	unlink(path);
	ok(cfs_persist_remove(dir, &e) == 0 && access(dir, F_OK) < 0,
	   "removed");
}

static void test_spawn(void)
{
	const char *t[] = { "true", NULL }, *f[] = { "false", NULL };
	const char *missing[] = { "/no/such/program", NULL };
	char dir[] = "/tmp/cfs-test-spawn.XXXXXX", a[64], b[64], buf[64];
	char ppid_msg[64];
	struct cfs_err e = { 0 };
	int status = -1, failed = 99;
	pid_t child, sid = getsid(0);

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	close(open(a, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	close(open(b, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));

	const struct cfs_step good[] = {
		{ .op = CFS_STEP_PPID_IS, .num = { getpid() }, .msg = "ppid" },
		{ .op = CFS_STEP_PRCTL, .num = { PR_SET_PDEATHSIG, SIGKILL },
		  .msg = "prctl" },
		{ .op = CFS_STEP_SETSID, .msg = "setsid" },
		{ .op = CFS_STEP_SID_IS_PID, .msg = "sid" },
		{ .op = CFS_STEP_WRITE_FILE, .path = a, .text = "child\n",
		  .msg = "write a" },
		{ .op = CFS_STEP_END },
	};
	child = cfs_spawn_forwarding(t, good, &failed, &e);
	ok(child > 0 && failed == -1 && waitpid(child, &status, 0) == child &&
		   WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "spawn true after every kind of step: status 0 (%d: %s)", failed,
	   e.msg);
	ok(!strcmp(contents(a, buf, sizeof(buf)), "child\n"),
	   "a WRITE_FILE step wrote its text");
	ok(getsid(0) == sid, "the SETSID step was the child's, not ours");

	/* step 1 of 3 fails: its index and errno come back, nothing after
	 * it runs, no exec */
	const struct cfs_step bad[] = {
		{ .op = CFS_STEP_WRITE_FILE, .path = a, .text = "first\n",
		  .msg = "write a" },
		{ .op = CFS_STEP_WRITE_FILE, .path = "/nonexistent/x",
		  .text = "0\n", .msg = "write 0 to /nonexistent/x" },
		{ .op = CFS_STEP_WRITE_FILE, .path = b, .text = "after\n",
		  .msg = "write b" },
		{ .op = CFS_STEP_END },
	};
	child = cfs_spawn_forwarding(t, bad, &failed, &e);
	ok(child == -ENOENT && failed == 1 && e.errnum == ENOENT &&
		   !strcmp(e.msg, "write 0 to /nonexistent/x"),
	   "a failed step: its index (%d), errno (%s) and message (%s)",
	   failed, strerror(e.errnum), e.msg);
	ok(!strcmp(contents(a, buf, sizeof(buf)), "first\n") &&
		   !*contents(b, buf, sizeof(buf)),
	   "the steps before it ran, none after it");
	ok(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD,
	   "the failed child is reaped");

	/* checks that do not hold: errnum 0, and what they read */
	snprintf(ppid_msg, sizeof(ppid_msg), "parent %d gone", (int)getpid());
	const struct cfs_step orphan[] = {
		{ .op = CFS_STEP_PPID_IS, .num = { 1 }, .msg = ppid_msg },
		{ .op = CFS_STEP_END },
	};
	child = cfs_spawn_forwarding(t, orphan, &failed, &e);
	ok(child == -EINVAL && failed == 0 && e.errnum == 0 &&
		   !strcmp(e.msg, ppid_msg),
	   "PPID_IS not our PID: step 0, errnum 0 (%s)", e.msg);
	const struct cfs_step no_session[] = {
		{ .op = CFS_STEP_PRCTL, .num = { PR_SET_PDEATHSIG, SIGKILL },
		  .msg = "prctl" },
		{ .op = CFS_STEP_SID_IS_PID, .msg = "start a new session" },
		{ .op = CFS_STEP_END },
	};
	snprintf(buf, sizeof(buf), "start a new session: not done: the "
		 "session is %d", (int)sid);
	child = cfs_spawn_forwarding(t, no_session, &failed, &e);
	ok(child == -EINVAL && failed == 1 && e.errnum == 0 &&
		   !strcmp(e.msg, buf),
	   "SID_IS_PID without a new session: step 1, the session read (%s)",
	   e.msg);
	const struct cfs_step bad_prctl[] = {
		{ .op = CFS_STEP_PRCTL, .num = { PR_SET_PDEATHSIG, 999 },
		  .msg = "prctl PR_SET_PDEATHSIG" },
		{ .op = CFS_STEP_END },
	};
	child = cfs_spawn_forwarding(t, bad_prctl, &failed, &e);
	ok(child == -EINVAL && failed == 0 && e.errnum == EINVAL &&
		   !strcmp(e.msg, "prctl PR_SET_PDEATHSIG"),
	   "a refused PRCTL: step 0, EINVAL (%s)", e.msg);

	/* the exec: the index of CFS_STEP_END */
	child = cfs_spawn_forwarding(missing, good + 4, &failed, &e);
	ok(child == -ENOENT && failed == 1 && e.errnum == ENOENT &&
		   !strcmp(e.msg, "failed to execute /no/such/program"),
	   "an exec that fails: the END's index, ENOENT (%s)", e.msg);
	child = cfs_spawn_forwarding(missing, NULL, &failed, &e);
	ok(child == -ENOENT && failed == 0,
	   "no steps: the exec is index 0 (%d)", failed);

	/* the same steps in this process */
	ok(cfs_steps_run(bad, &e) == -ENOENT && e.errnum == ENOENT &&
		   !strcmp(e.msg, "write 0 to /nonexistent/x"),
	   "cfs_steps_run: the failed step's message (%s)", e.msg);
	ok(cfs_steps_run(good + 4, &e) == 0, "cfs_steps_run: 0");

	/* the front end's cfs_spawn: dies as the child would have */
	ok(spawn_status(f, NULL) == 1, "spawn false: status 1");
	ok(spawn_status(t, bad) == CFS_EXIT_FAILURE,
	   "cfs_spawn, a failed step: 125, and no exec");
	ok(spawn_status(missing, NULL) == CFS_EXIT_NOT_FOUND,
	   "cfs_spawn, a program not found: 127");
	ok(spawn_status((const char *[]){ dir, NULL }, NULL) ==
		   CFS_EXIT_CANNOT_RUN,
	   "cfs_spawn, a directory as the program: 126");
	unlink(a);
	unlink(b);
	rmdir(dir);
}

static void test_env(void)
{
	char path[] = "/tmp/cfs-test-env.XXXXXX";
	struct cfs_strv env = { 0 };
	struct cfs_err e;
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	ok(cfs_env_set(&env, "PATH=/bin", &e) == 0 &&
		   cfs_env_set(&env, "A=1", &e) == 0 &&
		   cfs_env_set(&env, "PATH=/usr/bin", &e) == 0 && env.n == 2 &&
		   !strcmp(cfs_env_get(&env, "PATH"), "/usr/bin"),
	   "set: a NAME set again is replaced, in its place");
	ok(cfs_env_set(&env, "=x", &e) == -EINVAL && strstr(e.msg, "=x"),
	   "set: an empty NAME refused (%s)", e.msg);
	ok(cfs_env_set(&env, "NOVALUE", &e) == -EINVAL, "set: no '=' refused");
	cfs_env_unset(&env, "PATH");
	ok(env.n == 1 && !cfs_env_get(&env, "PATH") &&
		   !strcmp(env.v[0], "A=1") && !env.v[1],
	   "unset: gone, the rest kept");

	setenv("CFS_TEST_FROM_CALLER", "caller's", 1);
	unsetenv("CFS_TEST_UNSET");
	fputs("\xef\xbb\xbf# a comment\n\n   \t\nB=two words \"quoted\"\r\n"
	      "  C=\nCFS_TEST_FROM_CALLER\nCFS_TEST_UNSET\nA=again=x\n", f);
	fclose(f);
	ok(cfs_env_read_file(&env, path, &e) == 0, "env file read");
	ok(!strcmp(cfs_env_get(&env, "B"), "two words \"quoted\""),
	   "env file: VALUE verbatim, quotes kept, CR dropped");
	ok(cfs_env_get(&env, "C") && !*cfs_env_get(&env, "C"),
	   "env file: leading blanks skipped, empty value kept");
	ok(!strcmp(cfs_env_get(&env, "CFS_TEST_FROM_CALLER"), "caller's"),
	   "env file: NAME alone takes our value");
	ok(!cfs_env_get(&env, "CFS_TEST_UNSET"),
	   "env file: NAME alone without our value: left out");
	ok(!strcmp(cfs_env_get(&env, "A"), "again=x"),
	   "env file: split at the first '='; a NAME set again replaced");
	f = fopen(path, "w");
	fputs("OK=1\n =x\n", f);
	fclose(f);
	ok(cfs_env_read_file(&env, path, &e) == -EINVAL &&
		   strstr(e.msg, ":2: no variable name"),
	   "env file: an empty NAME refused with its line (%s)", e.msg);
	f = fopen(path, "w");
	fputs("MY VAR=1\n", f);
	fclose(f);
	ok(cfs_env_read_file(&env, path, &e) == -EINVAL &&
		   strstr(e.msg, ":1: variable 'MY VAR' contains blanks"),
	   "env file: a NAME with a blank refused (%s)", e.msg);
	unlink(path);
	ok(cfs_env_read_file(&env, path, &e) == -ENOENT &&
		   strstr(e.msg, path),
	   "env file: a missing file named (%s)", e.msg);
	setenv("CFS_TEST_NOT_IN_ENV", "x", 1);
	ok(cfs_env_apply(&env, &e) == 0 && !getenv("CFS_TEST_NOT_IN_ENV") &&
		   !strcmp(getenv("B"), "two words \"quoted\""),
	   "apply: ENV is the whole environment");
	cfs_strv_free(&env);
}

int main(void)
{
	test_parse_long();
	test_parse_signal();
	test_parse_size();
	test_parse_rlimit();
	test_mountinfo();
	test_overlay_split();
	test_image_config();
	test_optional_args();
	test_idmap();
	test_image_config_write();
	test_find_program();
	test_ns_helper();
	test_persist_is_dir();
	test_spawn();
	test_env();
	printf("1..%d\n", n_tests);
	return n_failed != 0;
}
