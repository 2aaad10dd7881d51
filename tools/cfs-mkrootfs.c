/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfs-mkrootfs: build a minimal busybox root file system in DIR, or
 * unpack an image there.
 *
 *   cfs-mkrootfs [--busybox FILE] [--force] [--add PROGRAM]... DIR
 *   cfs-mkrootfs --from-tar FILE | --from-oci DIR[:TAG] |
 *                --from-docker-archive FILE [--layers] [--add PROGRAM]... DIR
 *
 * 1. Find busybox (--busybox FILE, else "busybox" on PATH) and refuse it
 *    unless it is a static ELF executable: a dynamic one would not run in a
 *    root that has no libraries.
 * 2. Check DIR: its parent must exist; DIR must be missing, or an empty
 *    directory, or any directory with --force.
 * 3. Build the whole tree in a temporary sibling DIR.XXXXXX: the usual
 *    directories, bin/busybox, one relative symlink per applet that
 *    `busybox --list-full` puts in bin, sbin, usr/bin or usr/sbin, and
 *    etc/passwd, group, hostname, hosts. Nothing else comes from the host.
 *    Or, from an image: unpack the tar (lib/image/tarx), or each layer of an OCI
 *    layout or docker archive in order, whiteouts applied, every blob's
 *    digest checked (lib/image), and write its config to
 *    /etc/cfs/image.conf; with --layers, each layer in a directory of its
 *    own for cfs-pivot --overlay. Then copy each --add program and the
 *    libraries it needs (lib/image/install, lib/image/elfdeps).
 * 4. Check that a busybox root works: /bin/sh -c true under chroot (as
 *    non-root, in a new user namespace; if that is not allowed, warn and
 *    skip the check). An image's programs are not run.
 * 5. rename(2) it onto DIR; with --force and an existing DIR, exchange the
 *    two atomically (renameat2 RENAME_EXCHANGE) and delete the old content.
 *
 * Any failure deletes the temporary tree: no half-built root is left.
 * Steps 3 to 5 run in a child: when SIGTERM, SIGINT or SIGHUP comes, we
 * kill it and delete the temporary trees before we die of the signal. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/msg.h"
#include "common/opts.h"
#include "core/rmtree.h"
#include "core/strv.h"
#include "image/elfdeps.h"
#include "image/image.h"
#include "image/install.h"
#include "image/tarx.h"
#include "ns/idmap.h"
#include "process/exec.h"

extern char **environ;

struct options {
	const char *busybox; /* --busybox FILE, else found on PATH */
	int force;	     /* --force: replace a non-empty DIR */
	const char *from_tar;	 /* --from-tar FILE */
	const char *from_oci;	 /* --from-oci DIR[:TAG] */
	const char *from_docker; /* --from-docker-archive FILE */
	int layers;		 /* --layers: a directory per layer */
	const char **add;	 /* --add PROGRAM, repeatable */
	const char *dir;	 /* DIR as the user wrote it, for messages */
};

/* The tree, in creation order. Modes are exact: main() clears the umask. */
static const struct {
	const char *path;
	mode_t mode;
} tree[] = {
	{ "bin", 0755 },  { "sbin", 0755 }, { "usr", 0755 },
	{ "usr/bin", 0755 }, { "usr/sbin", 0755 }, { "etc", 0755 },
	{ "proc", 0555 }, { "sys", 0555 },  { "dev", 0755 },
	{ "tmp", 01777 }, { "root", 0700 }, { "home", 0755 },
	{ "var", 0755 },  { "run", 0755 },
};

/* Where applets get a link, and the link's (relative) target: the root
 * then works both as / and seen from the host as DIR. Applets elsewhere
 * (Debian's busybox lists /linuxrc) get none. */
static const struct {
	const char *dir;
	const char *target;
} applet_dirs[] = {
	{ "bin/", "busybox" },
	{ "sbin/", "../bin/busybox" },
	{ "usr/bin/", "../../bin/busybox" },
	{ "usr/sbin/", "../../bin/busybox" },
};

static const struct {
	const char *path;
	const char *content;
} etc_files[] = {
	{ "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
			"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n" },
	{ "etc/group", "root:x:0:\n"
		       "tty:x:5:\n"
		       "nogroup:x:65534:\n" },
	{ "etc/hostname", "cfs\n" },
	{ "etc/hosts", "127.0.0.1\tlocalhost\n"
		       "::1\tlocalhost ip6-localhost ip6-loopback\n" },
};

#define N(a) (sizeof(a) / sizeof(*(a)))

static poptContext parse_options(int argc, const char **argv,
				 struct options *o)
{
	const struct poptOption options[] = {
		{ "busybox", 'b', POPT_ARG_STRING, &o->busybox, 0,
		  "static busybox to install (default: busybox on PATH)",
		  "FILE" },
		{ "force", 'f', POPT_ARG_NONE, &o->force, 0,
		  "replace the content of a non-empty DIR", NULL },
		{ "from-tar", 0, POPT_ARG_STRING, &o->from_tar, 0,
		  "unpack a tar archive (plain, gzip, xz, zstd; - for stdin)",
		  "FILE" },
		{ "from-oci", 0, POPT_ARG_STRING, &o->from_oci, 0,
		  "unpack an OCI image layout (the image tagged TAG)",
		  "DIR[:TAG]" },
		{ "from-docker-archive", 0, POPT_ARG_STRING, &o->from_docker,
		  0, "unpack a `docker save` archive", "FILE" },
		{ "layers", 0, POPT_ARG_NONE, &o->layers, 0,
		  "a directory per image layer, for an overlayfs root", NULL },
		{ "add", 'a', POPT_ARG_ARGV, &o->add, 0,
		  "copy PROGRAM and the libraries it needs (repeatable)",
		  "PROGRAM" },
		CFS_OPTS_VERSION,
		POPT_AUTOHELP
		POPT_TABLEEND
	};
	poptContext ctx = cfs_popt_context(argc, argv, options);
	const char **args;
	int rc;

	poptSetOtherOptionHelp(ctx, "[OPTION...] DIR");
	while ((rc = poptGetNextOpt(ctx)) > 0)
		if (rc == CFS_OPT_VERSION)
			cfs_print_version();
	cfs_popt_check(ctx, rc);

	args = cfs_popt_args(ctx);
	if (!args[0])
		cfs_usage_error("no DIR given");
	if (args[1])
		cfs_usage_error("unexpected argument: %s", args[1]);
	if (!!o->from_tar + !!o->from_oci + !!o->from_docker > 1)
		cfs_usage_error("--from-tar, --from-oci and --from-docker-archive exclude each other");
	if (o->busybox && (o->from_tar || o->from_oci || o->from_docker))
		cfs_usage_error("--busybox builds a busybox root: not with an image");
	if (o->layers && !o->from_oci && !o->from_docker)
		cfs_usage_error("--layers needs --from-oci or --from-docker-archive");
	o->dir = args[0]; /* the context's: freed at the end of main() */
	if (o->layers && strpbrk(o->dir, ":,\\"))
		cfs_usage_error("--layers: %s: ':' and ',' cannot be in an overlayfs lowerdir",
				o->dir);
	return ctx;
}

/* Refuse anything but a static ELF executable: no PT_INTERP header. */
static void check_static(int fd, const char *path)
{
	char interp[PATH_MAX];
	struct cfs_err e;
	int r = cfs_elf_interp(fd, path, interp, sizeof(interp), &e);

	if (r == -ENOEXEC)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"%s: not an ELF executable (a static busybox is needed)",
			path);
	if (r)
		cfs_die_err(&e);
	if (interp[0])
		cfs_die(CFS_EXIT_FAILURE, 0,
			"%s: dynamically linked (needs %s): a static busybox is needed (Debian: busybox-static)",
			path, interp);
}

/* DIR without trailing slashes, and its parent directory. */
static void split_dir(const char *arg, char **dir, char **parent)
{
	const char *base;
	char *slash;

	*dir = strdup(arg);
	*parent = strdup(arg);
	if (!*dir || !*parent)
		cfs_die(CFS_EXIT_FAILURE, ENOMEM, "%s", arg);
	for (size_t n = strlen(*dir); n > 1 && (*dir)[n - 1] == '/'; n--)
		(*dir)[n - 1] = '\0';
	slash = strrchr(*dir, '/');
	base = slash ? slash + 1 : *dir;
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		cfs_die(CFS_EXIT_FAILURE, 0,
			"%s: cannot be replaced: name the new directory itself",
			arg);
	if (!slash)
		strcpy(*parent, ".");
	else if (slash == *dir)
		strcpy(*parent, "/");
	else
		(*parent)[slash - *dir] = '\0';
}

/* Step 2: die unless DIR can become the new root. Returns whether DIR
 * exists (then --force, if given, replaces it). */
static bool check_dir(const struct options *o, const char *dir,
		      const char *parent)
{
	struct stat st;
	struct dirent *d;
	DIR *dp;
	int fd;
	bool empty = true;

	if (stat(parent, &st) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "%s: parent directory %s",
			o->dir, parent);
	if (!S_ISDIR(st.st_mode))
		cfs_die(CFS_EXIT_FAILURE, ENOTDIR, "%s: parent directory %s",
			o->dir, parent);

	if (lstat(dir, &st) < 0) {
		if (errno == ENOENT)
			return false;
		cfs_die(CFS_EXIT_FAILURE, errno, "stat %s", o->dir);
	}
	if (!S_ISDIR(st.st_mode))
		cfs_die(CFS_EXIT_FAILURE, ENOTDIR, "%s", o->dir);
	if (o->force)
		return true;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(dp = fdopendir(fd)))
		cfs_die(CFS_EXIT_FAILURE, errno, "open %s", o->dir);
	while (empty && (d = readdir(dp)))
		empty = !strcmp(d->d_name, ".") || !strcmp(d->d_name, "..");
	closedir(dp);
	if (!empty)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"%s: directory not empty (use --force)", o->dir);
	return true;
}

static int make_tree(int root, const char *rootpath, struct cfs_err *e)
{
	if (chmod(rootpath, 0755) < 0) /* mkdtemp made it 0700 */
		return cfs_fail(e, errno, "chmod %s", rootpath);
	for (size_t i = 0; i < N(tree); i++)
		if (mkdirat(root, tree[i].path, tree[i].mode) < 0)
			return cfs_fail(e, errno, "mkdir %s/%s", rootpath,
					tree[i].path);
	return 0;
}

static int copy_busybox(int root, const char *rootpath, int busybox,
			const char *from, struct cfs_err *e)
{
	struct stat st;
	off_t off = 0;
	int out, r = 0;

	if (fstat(busybox, &st) < 0)
		return cfs_fail(e, errno, "stat %s", from);
	out = openat(root, "bin/busybox",
		     O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (out < 0)
		return cfs_fail(e, errno, "create %s/bin/busybox", rootpath);
	while (off < st.st_size) {
		ssize_t n = sendfile(out, busybox, &off, st.st_size - off);
		if (n <= 0) {
			r = cfs_fail(e, n < 0 ? errno : EIO,
				     "copy %s to %s/bin/busybox", from,
				     rootpath);
			break;
		}
	}
	if (close(out) < 0 && !r)
		r = cfs_fail(e, errno, "write %s/bin/busybox", rootpath);
	return r;
}

/* One applet path from --list-full, e.g. "usr/bin/env": link it to
 * busybox if it belongs in one of applet_dirs, else skip it. */
static int link_applet(int root, const char *rootpath, const char *applet,
		       struct cfs_err *e)
{
	for (size_t i = 0; i < N(applet_dirs); i++) {
		size_t len = strlen(applet_dirs[i].dir);
		const char *name = applet + len;

		if (strncmp(applet, applet_dirs[i].dir, len) != 0)
			continue;
		if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
		    !strcmp(name, "..") || !strcmp(applet, "bin/busybox"))
			return 0;
		if (symlinkat(applet_dirs[i].target, root, applet) < 0)
			return cfs_fail(e, errno, "symlink %s/%s", rootpath,
					applet);
		return 0;
	}
	return 0;
}

/* Run the installed copy's `busybox --list-full` and link every applet. */
static int link_applets(int root, const char *rootpath, const char *from,
			struct cfs_err *e)
{
	char *prog, *line = NULL;
	char *const argv[] = { "busybox", "--list-full", NULL };
	posix_spawn_file_actions_t fa;
	size_t cap = 0;
	ssize_t len;
	int p[2], r = 0, err, wstatus;
	pid_t pid;
	FILE *f;

	if (asprintf(&prog, "%s/bin/busybox", rootpath) < 0)
		return cfs_fail(e, ENOMEM, "run busybox --list-full");
	if (pipe2(p, O_CLOEXEC) < 0) {
		r = cfs_fail(e, errno, "pipe");
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
	err = posix_spawn(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (err) {
		close(p[0]);
		r = cfs_fail(e, err, "run %s --list-full", prog);
		goto out;
	}

	f = fdopen(p[0], "r");
	if (!f) {
		r = cfs_fail(e, errno, "read %s --list-full", prog);
		close(p[0]);
	} else {
		while ((len = getline(&line, &cap, f)) > 0) {
			if (line[len - 1] == '\n')
				line[len - 1] = '\0';
			if (!r) /* read on: busybox must not get SIGPIPE */
				r = link_applet(root, rootpath, line, e);
		}
		fclose(f);
	}
	free(line);

	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	if (!r && (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus)))
		r = cfs_fail(e, 0, "%s --list-full: exited with status %d: is it busybox?",
			     from, cfs_exit_code(wstatus));
	if (!r && faccessat(root, "bin/sh", F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		r = cfs_fail(e, 0, "%s --list-full: no bin/sh: is it busybox?",
			     from);
out:
	free(prog);
	return r;
}

static int write_file(int root, const char *rootpath, const char *path,
		      const char *content, struct cfs_err *e)
{
	size_t len = strlen(content);
	int fd = openat(root, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			0644);
	ssize_t n;
	int r = 0;

	if (fd < 0)
		return cfs_fail(e, errno, "create %s/%s", rootpath, path);
	n = write(fd, content, len);
	if (n != (ssize_t)len)
		r = cfs_fail(e, n < 0 ? errno : ENOSPC, "write %s/%s",
			     rootpath, path);
	if (close(fd) < 0 && !r)
		r = cfs_fail(e, errno, "write %s/%s", rootpath, path);
	return r;
}

/* Step 3. */
static int build(const char *rootpath, int busybox, const char *from,
		 struct cfs_err *e)
{
	int root = open(rootpath, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (root < 0)
		return cfs_fail(e, errno, "open %s", rootpath);
	r = make_tree(root, rootpath, e);
	if (!r)
		r = copy_busybox(root, rootpath, busybox, from, e);
	if (!r)
		r = link_applets(root, rootpath, from, e);
	for (size_t i = 0; !r && i < N(etc_files); i++)
		r = write_file(root, rootpath, etc_files[i].path,
			       etc_files[i].content, e);
	close(root);
	return r;
}

/* Step 4: what the child reports through a close-on-exec pipe when it
 * fails before its exec: the step and errno. */
enum { CHECK_USERNS, CHECK_CHROOT, CHECK_CHDIR, CHECK_EXEC };
static const char *const check_ops[] = {
	[CHECK_CHROOT] = "chroot",
	[CHECK_CHDIR] = "chdir / in",
	[CHECK_EXEC] = "execute /bin/sh in",
};

/* As `unshare --map-root-user`: become root of a new user namespace,
 * which may chroot; our uid and gid are its root's. -errno. */
static int enter_userns(void)
{
	struct cfs_idmaps m;
	struct cfs_err e;

	cfs_idmaps_init(&m);
	if (cfs_idmap_add(&m.uid, "", 0, m.uid.own, 1, &e) ||
	    cfs_idmap_add(&m.gid, "", 0, m.gid.own, 1, &e) ||
	    cfs_idmaps_start(&m, &e)) /* none: we write our own maps */
		return -e.errnum;
	if (unshare(CLONE_NEWUSER) < 0)
		return -errno;
	return cfs_idmaps_finish(&m, &e) ? -e.errnum : 0;
}

static void __attribute__((noreturn))
check_child(int report, const char *rootpath)
{
	static char *const argv[] = { "sh", "-c", "true", NULL };
	static char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
				      NULL };
	int msg[2] = { CHECK_USERNS, 0 }, r = 0;

	if (geteuid() == 0 || (r = enter_userns()) == 0) {
		msg[0] = CHECK_CHROOT;
		if (chroot(rootpath) == 0) {
			msg[0] = CHECK_CHDIR;
			if (chdir("/") == 0) {
				msg[0] = CHECK_EXEC;
				execve("/bin/sh", argv, envp);
			}
		}
	}
	msg[1] = r ? -r : errno;
	while (write(report, msg, sizeof(msg)) < 0 && errno == EINTR)
		;
	_exit(CFS_EXIT_FAILURE);
}

/* Returns 0 when /bin/sh ran and exited 0, 1 when the check could not be
 * made (non-root without user namespaces: *e tells why), -errno when the
 * root does not work. */
static int check_runs(const char *rootpath, struct cfs_err *e)
{
	int p[2], msg[2], wstatus;
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return cfs_fail(e, errno, "pipe");
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return cfs_fail(e, errno, "fork");
	}
	if (pid == 0)
		check_child(p[1], rootpath);
	close(p[1]);
	while ((n = read(p[0], msg, sizeof(msg))) < 0 && errno == EINTR)
		;
	close(p[0]);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;

	if (n == sizeof(msg) && msg[0] == CHECK_USERNS) {
		cfs_fail(e, msg[1], "unshare user namespace");
		return 1;
	}
	if (n == sizeof(msg))
		return cfs_fail(e, msg[1], "%s %s", check_ops[msg[0]],
				rootpath);
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus))
		return cfs_fail(e, 0,
				"check %s: /bin/sh -c true exited with status %d",
				rootpath, cfs_exit_code(wstatus));
	return 0;
}

/* rm -r that neither follows symlinks nor crosses mount points. Returns
 * 0 when PATH is gone, else says why not. */
static int remove_tree(const char *path)
{
	struct cfs_err e;
	int r = cfs_remove_at(AT_FDCWD, path, path, &e);

	if (r)
		cfs_warn(e.errnum, "%s", e.msg);
	return r;
}

/* What an unprivileged import left out, and whiteouts that hid nothing:
 * one line each. */
static void report(const char *dir, const struct cfs_tar_stats *st)
{
	if (st->devices)
		cfs_warn(0, "%s: device nodes not made (mknod needs the host's root): %lu",
			 dir, st->devices);
	if (st->owners)
		cfs_warn(0, "%s: owners not kept (chown needs root, and ids mapped in its user namespace): %lu %s made yours",
			 dir, st->owners, st->owners == 1 ? "entry" : "entries");
	if (st->xattrs)
		cfs_warn(0, "%s: extended attributes not kept (needs the host's root): %lu %s",
			 dir, st->xattrs, st->xattrs == 1 ? "entry" : "entries");
	for (size_t i = 0; i < st->notes.n; i++)
		cfs_warn(0, "%s", st->notes.v[i]);
}

/* A directory of ours, mode 0755 (mkdtemp made it 0700). */
static int open_root(const char *path, struct cfs_err *e)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return cfs_fail(e, errno, "open %s", path);
	if (fchmod(fd, 0755) < 0) {
		close(fd);
		return cfs_fail(e, errno, "chmod %s", path);
	}
	return fd;
}

/* Step 3, --from-tar FILE, or standard input for "-". */
static int from_tar(const char *file, const char *rootpath,
		    struct cfs_tar_stats *st, struct cfs_err *e)
{
	struct cfs_tar_opts to = { .whiteouts = CFS_WH_NONE };
	int root = open_root(rootpath, e), fd, r;

	if (root < 0)
		return root;
	fd = strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC)
			       : STDIN_FILENO;
	if (fd < 0)
		r = cfs_fail(e, errno, "open %s", file);
	else
		r = cfs_tar_extract(root, fd, file, &to, st, e);
	if (fd > STDIN_FILENO)
		close(fd);
	close(root);
	return r;
}

/* --from-oci DIR[:TAG]: TAG is what follows the last colon, unless the
 * whole is a directory. *DIR is to be freed. */
static int open_oci(const char *arg, char **dir, struct cfs_image *img,
		    struct cfs_err *e)
{
	struct stat st;
	char *colon, *tag = NULL;

	if (!(*dir = strdup(arg)))
		return cfs_fail(e, ENOMEM, "%s", arg);
	colon = strrchr(*dir, ':');
	if (colon && !strchr(colon, '/') &&
	    (stat(*dir, &st) < 0 || !S_ISDIR(st.st_mode))) {
		*colon = '\0';
		tag = colon + 1;
	}
	return cfs_image_oci(*dir, tag, img, e);
}

/* --from-docker-archive FILE: unpacked in UNPACKED, a temporary sibling
 * of DIR (removed by the caller), then read there. Only files, directories
 * and links are unpacked: a FIFO or a device is refused, never read. */
static int open_docker(const char *file, const char *unpacked,
		       struct cfs_image *img, struct cfs_err *e)
{
	struct cfs_tar_opts to = { .whiteouts = CFS_WH_NONE,
				   .files_only = true };
	struct cfs_tar_stats st = { 0 };
	int fd, at, r;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0)
		return cfs_fail(e, errno, "open %s", file);
	at = open(unpacked, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (at < 0)
		r = cfs_fail(e, errno, "open %s", unpacked);
	else
		r = cfs_tar_extract(at, fd, file, &to, &st, e);
	close(fd);
	cfs_strv_free(&st.notes);
	if (r) {
		if (at >= 0)
			close(at);
		return r;
	}
	return cfs_image_docker(at, file, img, e); /* img owns at */
}

/* Step 3, --from-oci or --from-docker-archive: the layers, and the config
 * in /etc/cfs/image.conf (with --layers, in ROOTPATH/config, a top layer
 * of its own). */
static int from_image(const struct options *o, const char *rootpath,
		      const char *unpacked, struct cfs_image *img,
		      struct cfs_tar_stats *st, struct cfs_err *e)
{
	char *oci = NULL, *conf = NULL, *comment = NULL;
	struct cfs_image_config c;
	int root = -1, top = -1, r;

	if (o->from_oci)
		r = open_oci(o->from_oci, &oci, img, e);
	else
		r = open_docker(o->from_docker, unpacked, img, e);
	if (r || (r = root = open_root(rootpath, e)) < 0)
		goto out;
	r = cfs_image_unpack(img, root, o->layers, st, e);
	if (!r && o->layers &&
	    (mkdirat(root, "config", 0755) < 0 ||
	     (top = openat(root, "config", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0))
		r = cfs_fail(e, errno, "create %s/config", rootpath);
	if (!r && (asprintf(&conf, "%s%s", rootpath, o->layers ? "/config" : "") < 0 ||
		   asprintf(&comment, "the image's config, written by cfs-mkrootfs from %s",
			    img->name) < 0))
		r = cfs_fail(e, ENOMEM, "%s", rootpath);
	if (!r && !(r = cfs_image_get_config(img, &c, e))) {
		r = cfs_image_config_write(o->layers ? top : root, conf, comment,
					   &c, e);
		cfs_image_config_free(&c);
	}
	if (top >= 0)
		close(top);
	close(root);
	free(conf);
	free(comment);
out:
	img->name = o->from_oci ? o->from_oci : o->from_docker; /* not oci */
	free(oci);
	return r;
}

/* PROG as --add gave it: absolute, or found on PATH (made absolute when
 * found in a relative directory: it is copied to the same path). */
static int find_added(const char *prog, char **path, struct cfs_err *e)
{
	char *found, *cwd;

	if (strchr(prog, '/') && prog[0] != '/')
		return cfs_fail(e, 0, "--add %s: give an absolute path (it is copied to the same path in the root)",
				prog);
	found = strchr(prog, '/') ? strdup(prog) : cfs_find_program(prog);
	if (!found)
		return errno == ENOENT ? cfs_fail(e, 0, "--add %s: not found in PATH", prog)
				       : cfs_fail(e, errno, "%s", prog);
	if (found[0] == '/') {
		*path = found;
		return 0;
	}
	cwd = get_current_dir_name();
	if (!cwd || asprintf(path, "%s/%s", cwd,
			     found + 2 * !strncmp(found, "./", 2)) < 0)
		*path = NULL;
	free(cwd);
	free(found);
	return *path ? 0 : cfs_fail(e, errno, "%s", prog);
}

/* --add: each program, its interpreter and the libraries it needs
 * (lib/image/elfdeps), copied to the same path in ROOTPATH. */
static int add_programs(const char **progs, const char *rootpath,
			struct cfs_err *e)
{
	struct cfs_strv files = { 0 };
	int r = 0;

	for (; !r && *progs; progs++) {
		char *path = NULL;

		if (!(r = find_added(*progs, &path, e)))
			r = cfs_elf_deps(path, &files, e);
		free(path);
	}
	if (!r)
		r = cfs_install_files(&files, rootpath, e);
	cfs_strv_free(&files);
	return r;
}

/* DIR.XXXXXX, made; NULL when it cannot be, said (NAME in messages). */
static char *make_temp(const char *dir, const char *name)
{
	char *path;

	if (asprintf(&path, "%s.XXXXXX", dir) < 0) {
		cfs_warn(ENOMEM, "%s", name);
		return NULL;
	}
	if (!mkdtemp(path)) {
		cfs_warn(errno, "create %s", path);
		free(path);
		return NULL;
	}
	return path;
}

/* Fork: the child returns, to build in TMP (and UNPACKED when not NULL)
 * with SAVED, the caller's signal mask; we wait for it with the signals
 * of STOP blocked. When it fails or dies, or a stop signal comes (then
 * it is killed first), TMP and UNPACKED are removed; then we end as it
 * did, or of the signal. */
static void build_in_child(const sigset_t *saved, const sigset_t *stop,
			   const char *tmp, const char *unpacked)
{
	pid_t parent = getpid(), child = fork();
	int sig = 0, wstatus;
	sigset_t only;

	if (child < 0) {
		cfs_warn(errno, "fork");
		remove_tree(tmp);
		if (unpacked)
			remove_tree(unpacked);
		exit(CFS_EXIT_FAILURE);
	}
	if (child == 0) {
		/* a parent killed by SIGKILL takes its child along */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(CFS_EXIT_FAILURE);
		sigprocmask(SIG_SETMASK, saved, NULL);
		return;
	}
	for (;;) {
		int s = sigwaitinfo(stop, NULL);

		if (s == SIGCHLD && waitpid(child, &wstatus, WNOHANG) == child)
			break;
		if (s > 0 && s != SIGCHLD) {
			sig = s;
			kill(child, SIGKILL);
			while (waitpid(child, &wstatus, 0) < 0 && errno == EINTR)
				;
			break;
		}
	}
	if (sig || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus)) {
		remove_tree(tmp); /* gone already when the child could */
		if (unpacked)
			remove_tree(unpacked);
	}
	if (sig) { /* pending once raised, delivered once unblocked */
		signal(sig, SIG_DFL);
		raise(sig);
		sigemptyset(&only);
		sigaddset(&only, sig);
		sigprocmask(SIG_UNBLOCK, &only, NULL);
	}
	exit(sig ? 128 + sig : cfs_exit_code(wstatus));
}

int main(int argc, const char **argv)
{
	struct options opts = { 0 };
	struct cfs_tar_stats st = { 0 };
	struct cfs_image img = { .dirfd = -1 };
	struct cfs_err e;
	char *found = NULL, *dir, *parent, *tmp, *unpacked = NULL, *top;
	bool exists, replace, image;
	int busybox = -1, r;
	sigset_t stop, saved;

	poptContext ctx = parse_options(argc, argv, &opts);
	image = opts.from_tar || opts.from_oci || opts.from_docker;

	/* Step 1: a static busybox. */
	if (!image && !opts.busybox &&
	    !(opts.busybox = found = cfs_find_program("busybox")))
		cfs_die(CFS_EXIT_FAILURE, errno == ENOENT ? 0 : errno,
			errno == ENOENT ? "busybox: not found in PATH (install busybox-static, or use --busybox FILE)"
					: "find busybox");
	if (!image && (busybox = open(opts.busybox, O_RDONLY | O_CLOEXEC)) < 0)
		cfs_die(CFS_EXIT_FAILURE, errno, "open %s", opts.busybox);
	if (!image)
		check_static(busybox, opts.busybox);

	/* Step 2: DIR can become the new root. */
	split_dir(opts.dir, &dir, &parent);
	exists = check_dir(&opts, dir, parent);

	/* Step 3: build in DIR.XXXXXX, with the exact modes of tree[]; a
	 * docker archive is unpacked in another. A child builds: we remove
	 * them if it fails or we are asked to stop. */
	umask(0);
	sigemptyset(&stop); /* SIGKILL cannot be caught: it leaves them */
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	sigaddset(&stop, SIGCHLD);
	signal(SIGCHLD, SIG_DFL); /* SIG_IGN would reap it before us */
	sigprocmask(SIG_BLOCK, &stop, &saved);
	if (!(tmp = make_temp(dir, opts.dir)))
		return CFS_EXIT_FAILURE;
	if (opts.from_docker && !(unpacked = make_temp(dir, opts.dir))) {
		remove_tree(tmp);
		return CFS_EXIT_FAILURE;
	}
	build_in_child(&saved, &stop, tmp, unpacked);
	if (opts.from_tar)
		r = from_tar(opts.from_tar, tmp, &st, &e);
	else if (image)
		r = from_image(&opts, tmp, unpacked, &img, &st, &e);
	else
		r = build(tmp, busybox, opts.busybox, &e);
	if (unpacked && remove_tree(unpacked) < 0 && !r)
		r = cfs_fail(&e, 0, "%s: left behind", unpacked);
	if (!r && opts.add) {
		if (asprintf(&top, "%s%s", tmp, opts.layers ? "/config" : "") < 0)
			cfs_die(CFS_EXIT_FAILURE, ENOMEM, "%s", opts.dir);
		r = add_programs(opts.add, top, &e);
		free(top);
	}

	/* Step 4: a busybox root works. */
	if (!r && !image && (r = check_runs(tmp, &e)) > 0) {
		cfs_warn(e.errnum, "%s not checked: %s", opts.dir, e.msg);
		r = 0;
	}

	/* Step 5: into place; when replacing, tmp then holds the old DIR. */
	replace = opts.force && exists;
	if (!r && (replace ? renameat2(AT_FDCWD, tmp, AT_FDCWD, dir,
				       RENAME_EXCHANGE)
			   : rename(tmp, dir)) < 0)
		r = cfs_fail(&e, errno, "rename %s to %s", tmp, opts.dir);
	if (r < 0) {
		cfs_warn(e.errnum, "%s", e.msg);
		remove_tree(tmp);
		return CFS_EXIT_FAILURE;
	}
	report(opts.dir, &st);
	cfs_strv_free(&st.notes);
	if (replace && remove_tree(tmp) < 0)
		cfs_die(CFS_EXIT_FAILURE, 0,
			"%s: built, but its old content is left in %s",
			opts.dir, tmp);
	if (opts.layers) {
		char *list = cfs_image_lowerdirs(&img, dir);
		if (!list)
			cfs_die(CFS_EXIT_FAILURE, ENOMEM, "%s", opts.dir);
		printf("%s\n", list);
		free(list);
	}

	if (busybox >= 0)
		close(busybox);
	cfs_image_free(&img);
	free(found);
	free(unpacked);
	free(dir);
	free(parent);
	free(tmp);
	cfs_popt_free(ctx);
	return 0;
}
