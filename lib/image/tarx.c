/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tarx.c: unpack tar archives and image layers with libarchive. */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "tarx.h"
#include "core/path.h"
#include "core/rmtree.h"
#include "core/strv.h"
#include "ns/ns.h"

#define WHITEOUT ".wh."
#define OPAQUE ".wh..wh..opq"

static struct archive *open_reader(int fd, const char *name,
				   struct cfs_err *e)
{
	struct archive *a = archive_read_new();

	if (!a) {
		cfs_fail(e, ENOMEM, "read %s", name);
		return NULL;
	}
	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_bzip2(a);
	if (archive_read_open_fd(a, fd, 64 * 1024) != ARCHIVE_OK) {
		cfs_fail(e, 0, "read %s: %s", name, archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* What we may do: as root of the initial user namespace everything; as
 * root of another, chown to the ids mapped in it. */
struct privileges {
	bool root;  /* make devices, keep xattrs and ACLs */
	bool chown; /* euid 0: give files the ids mapped */
	struct idmap {
		unsigned n;
		unsigned long first[340], count[340]; /* the kernel's limit */
	} uids, gids;
};

static void read_map(const char *file, struct idmap *m)
{
	unsigned long inner, count;
	FILE *f = fopen(file, "re");

	m->n = 0;
	while (f && m->n < 340 &&
	       fscanf(f, "%lu %*s %lu", &inner, &count) == 2) {
		m->first[m->n] = inner;
		m->count[m->n++] = count;
	}
	if (f)
		fclose(f);
}

static bool mapped(const struct idmap *m, unsigned long id)
{
	for (unsigned i = 0; i < m->n; i++)
		if (id >= m->first[i] && id - m->first[i] < m->count[i])
			return true;
	return false;
}

static void get_privileges(struct privileges *p)
{
	p->chown = geteuid() == 0;
	read_map("/proc/self/uid_map", &p->uids);
	read_map("/proc/self/gid_map", &p->gids);
	p->root = p->chown && cfs_in_initial_userns();
}

static struct archive *open_writer(const struct privileges *p,
				   const char *name, struct cfs_err *e)
{
	int flags = ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
		    ARCHIVE_EXTRACT_SECURE_SYMLINKS |
		    ARCHIVE_EXTRACT_SECURE_NODOTDOT |
		    ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS;
	struct archive *w = archive_write_disk_new();

	if (!w) {
		cfs_fail(e, ENOMEM, "unpack %s", name);
		return NULL;
	}
	if (p->chown)
		flags |= ARCHIVE_EXTRACT_OWNER;
	if (p->root)
		flags |= ARCHIVE_EXTRACT_ACL | ARCHIVE_EXTRACT_XATTR;
	/* no archive_write_disk_set_standard_lookup(): ids stay numeric */
	archive_write_disk_set_options(w, flags);
	return w;
}

static void note(struct cfs_tar_stats *st, const char *name,
		 const char *what, const char *path, const char *msg)
{
	char *line;

	if (asprintf(&line, "%s: %s %s: %s", name, what, path, msg) >= 0) {
		cfs_strv_push(&st->notes, line);
		free(line);
	}
}

/* A libarchive status: 0 when it went on, else the error in *e. */
static int check(int r, struct archive *a, const char *name,
		 const char *path, struct cfs_tar_stats *st, struct cfs_err *e)
{
	if (r == ARCHIVE_WARN)
		note(st, name, "entry", path, archive_error_string(a));
	if (r >= ARCHIVE_WARN)
		return 0;
	return cfs_fail(e, 0, "%s: entry %s: %s", name, path,
			archive_error_string(a) ? archive_error_string(a)
						: "cannot unpack");
}

static int copy_data(struct archive *a, struct archive *w, const char *name,
		     const char *path, struct cfs_tar_stats *st,
		     struct cfs_err *e)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;

	while ((r = archive_read_data_block(a, &buf, &size, &off)) !=
	       ARCHIVE_EOF) {
		if (check(r, a, name, path, st, e))
			return -EIO;
		if (archive_write_data_block(w, buf, size, off) < ARCHIVE_WARN)
			return check(ARCHIVE_FAILED, w, name, path, st, e);
	}
	return 0;
}

static bool is_whiteout(const char *path)
{
	const char *slash = strrchr(path, '/');

	return !strncmp(slash ? slash + 1 : path, WHITEOUT, strlen(WHITEOUT));
}

/* Write one entry (its header read) to disk, or count why it is not. */
static int write_entry(struct archive *a, struct archive *w,
		       struct archive_entry *ent, const char *name,
		       const char *path, const struct privileges *p,
		       struct cfs_tar_stats *st, struct cfs_err *e)
{
	mode_t type = archive_entry_filetype(ent);
	unsigned long uid = archive_entry_uid(ent), gid = archive_entry_gid(ent);
	int r;

	if (!p->root && (type == AE_IFCHR || type == AE_IFBLK)) {
		st->devices++;
		return 0;
	}
	if (p->chown && (!mapped(&p->uids, uid) || !mapped(&p->gids, gid))) {
		archive_entry_set_uid(ent, 0); /* ours, in our namespace */
		archive_entry_set_gid(ent, 0);
		st->owners++;
	} else if (!p->chown && (uid != geteuid() || gid != getegid())) {
		st->owners++;
	}
	if (!p->root && archive_entry_xattr_count(ent) > 0)
		st->xattrs++;
	r = archive_write_header(w, ent);
	if (check(r, w, name, path, st, e))
		return -EINVAL;
	if (type == AE_IFREG && archive_entry_size(ent) > 0 &&
	    (r = copy_data(a, w, name, path, st, e)))
		return r;
	return check(archive_write_finish_entry(w), w, name, path, st, e)
		       ? -EIO
		       : 0;
}

/* With files_only: 0 for a file, a directory or a link, else why not. */
static int check_file(struct archive_entry *ent, const char *name,
		      const char *path, struct cfs_err *e)
{
	static const struct {
		mode_t type;
		const char *what;
	} special[] = {
		{ AE_IFIFO, "a FIFO" },
		{ AE_IFCHR, "a character device" },
		{ AE_IFBLK, "a block device" },
		{ AE_IFSOCK, "a socket" },
	};

	for (size_t i = 0; i < sizeof(special) / sizeof(*special); i++)
		if (archive_entry_filetype(ent) == special[i].type)
			return cfs_fail(e, 0, "%s: entry %s: %s, where only files, directories and links may be",
					name, path, special[i].what);
	return 0;
}

/* "/" (or "/.", "//"...): the root itself, which umoci insert DIR /
 * writes as its first entry. It is applied to the root as "./" is (docker
 * does so; containerd skips it, GNU tar strips the slash); any other
 * absolute path is refused by libarchive. */
static bool names_root(const char *path)
{
	if (path[0] != '/')
		return false;
	for (const char *p = path + 1; *p; p++)
		if (*p != '/' && !(*p == '.' && p[-1] == '/' &&
				   (p[1] == '/' || !p[1])))
			return false;
	return true;
}

/* Read the whole archive: write each entry unless SCAN, and collect its
 * whiteouts in WH (when not NULL). */
static int pass(int fd, const char *name, const struct cfs_tar_opts *o,
		const struct privileges *p, bool scan, struct cfs_strv *wh,
		struct cfs_tar_stats *st, struct cfs_err *e)
{
	struct archive *a = open_reader(fd, name, e), *w = NULL;
	struct archive_entry *ent;
	char *prev = NULL, *path = NULL;
	int r = 0, ar;

	if (!a)
		return -EINVAL;
	if (!scan && !(w = open_writer(p, name, e))) {
		archive_read_free(a);
		return -ENOMEM;
	}
	while (!r && (ar = archive_read_next_header(a, &ent)) != ARCHIVE_EOF) {
		if (ar < ARCHIVE_WARN) {
			r = cfs_fail(e, 0, "%s: %s%s: %s", name,
				     prev ? "entry after " : "first entry",
				     prev ? prev : "", archive_error_string(a));
			break;
		}
		free(prev);
		prev = path;
		if (!(path = strdup(archive_entry_pathname(ent)
					    ? archive_entry_pathname(ent)
					    : ""))) {
			r = cfs_fail(e, ENOMEM, "read %s", name);
			break;
		}
		if (o->files_only && (r = check_file(ent, name, path, e)))
			break;
		if (o->whiteouts != CFS_WH_NONE && is_whiteout(path)) {
			if (wh && cfs_strv_push(wh, path) < 0)
				r = cfs_fail(e, ENOMEM, "read %s", name);
			continue;
		}
		if (names_root(path))
			archive_entry_set_pathname(ent, ".");
		if (!scan)
			r = write_entry(a, w, ent, name, path, p, st, e);
	}
	if (w && archive_write_close(w) < ARCHIVE_WARN && !r)
		r = cfs_fail(e, 0, "%s: %s", name, archive_error_string(w));
	if (w)
		archive_write_free(w);
	archive_read_free(a);
	free(prev);
	free(path);
	return r;
}

/* Split a whiteout entry "./a/b/.wh.c" into its directory "a/b" (or ".")
 * and target "c" (NULL for an opaque marker). Returns 1 for a whiteout,
 * 0 for another reserved .wh..wh. name (ignored), or an error. */
static int split_whiteout(const char *path, const char *name, char *dir,
			  size_t size, const char **target, struct cfs_err *e)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t len = slash ? (size_t)(slash - path) : 0;
	char *p;

	if (path[0] == '/' || len >= size)
		return cfs_fail(e, 0, "%s: whiteout %s: path outside the layer",
				name, path);
	memcpy(dir, path, len);
	dir[len] = '\0';
	if (!len)
		strcpy(dir, ".");
	for (p = strtok(dir, "/"); p; p = strtok(NULL, "/"))
		if (!strcmp(p, ".."))
			return cfs_fail(e, 0, "%s: whiteout %s: path contains '..'",
					name, path);
	memcpy(dir, path, len); /* strtok cut it */
	*target = base + strlen(WHITEOUT);
	if (!strcmp(base, OPAQUE)) {
		*target = NULL;
		return 1;
	}
	if (!strncmp(base, WHITEOUT WHITEOUT, 2 * strlen(WHITEOUT)))
		return 0;
	if (!**target || !strcmp(*target, ".") || !strcmp(*target, ".."))
		return cfs_fail(e, 0, "%s: whiteout %s: no name", name, path);
	return 1;
}

static void missing(struct cfs_tar_stats *st, const char *name,
		    const char *path)
{
	note(st, name, "whiteout", path,
	     "nothing in the layers below to remove (ignored)");
}

/* CFS_WH_APPLY: delete from the tree what the layer's whiteouts hide. */
static int apply_flat(int dirfd, const char *name, const char *path,
		      struct cfs_tar_stats *st, struct cfs_err *e)
{
	const char *target;
	char dir[4096], *what;
	struct stat sb;
	int parent, r = split_whiteout(path, name, dir, sizeof(dir), &target, e);

	if (r <= 0)
		return r;
	parent = cfs_openat_in_root(dirfd, dir, O_RDONLY | O_DIRECTORY);
	if (parent < 0 || (target && fstatat(parent, target, &sb,
					     AT_SYMLINK_NOFOLLOW) < 0)) {
		if (target)
			missing(st, name, path); /* an opaque dir may be new */
		if (parent >= 0)
			close(parent);
		return 0;
	}
	if (asprintf(&what, "%s: whiteout %s", name, path) < 0)
		r = cfs_fail(e, ENOMEM, "%s", name);
	else if (target)
		r = cfs_remove_at(parent, target, what, e);
	else
		r = cfs_clear_dir(parent, what, e);
	free(what);
	close(parent);
	return r;
}

/* CFS_WH_OVERLAY: the whiteout as overlayfs writes it, in the layer. */
static int apply_overlay(int dirfd, const char *name, const char *path,
			 const struct cfs_tar_opts *o,
			 const struct privileges *p, struct cfs_tar_stats *st,
			 struct cfs_err *e)
{
	const char *target, *xattr = p->root ? "trusted.overlay.opaque"
					     : "user.overlay.opaque";
	char dir[4096], full[4096 + 256];
	int parent, i, r = split_whiteout(path, name, dir, sizeof(dir),
					  &target, e);

	if (r <= 0)
		return r;
	if ((r = cfs_mkdir_in_root(dirfd, name, dir, 0755, e)) < 0)
		return r;
	parent = cfs_openat_in_root(dirfd, dir, O_RDONLY | O_DIRECTORY);
	if (parent < 0)
		return cfs_fail(e, -parent, "%s: whiteout %s", name, path);
	if (!target) {
		if (fsetxattr(parent, xattr, "y", 1, 0) < 0)
			r = cfs_fail(e, errno, "%s: whiteout %s: set %s", name,
				     path, xattr);
		close(parent);
		return r;
	}
	snprintf(full, sizeof(full), "%s/%s", dir, target);
	for (i = 0; i < o->nlower; i++) {
		int fd = cfs_openat_in_root(o->lower[i], full, O_PATH | O_NOFOLLOW);
		if (fd >= 0) {
			close(fd);
			break;
		}
	}
	if (i == o->nlower)
		missing(st, name, path);
	if (mknodat(parent, target, S_IFCHR | 0000, makedev(0, 0)) < 0)
		r = cfs_fail(e, errno, "%s: whiteout %s: mknod", name, path);
	close(parent);
	return r;
}

int cfs_tar_extract(int dirfd, int fd, const char *name,
		    const struct cfs_tar_opts *o, struct cfs_tar_stats *st,
		    struct cfs_err *e)
{
	struct cfs_strv wh = { 0 };
	struct privileges p;
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC), r = 0;

	if (cwd < 0)
		return cfs_fail(e, errno, "open the working directory");
	if (fchdir(dirfd) < 0) {
		close(cwd);
		return cfs_fail(e, errno, "unpack %s: change directory", name);
	}
	get_privileges(&p);
	if (o->whiteouts == CFS_WH_APPLY) {
		r = pass(fd, name, o, &p, true, &wh, st, e);
		for (size_t i = 0; !r && i < wh.n; i++)
			r = apply_flat(dirfd, name, wh.v[i], st, e);
		if (!r && lseek(fd, 0, SEEK_SET) < 0)
			r = cfs_fail(e, errno, "read %s again", name);
	}
	if (!r)
		r = pass(fd, name, o, &p, false,
			 o->whiteouts == CFS_WH_OVERLAY ? &wh : NULL, st, e);
	if (o->whiteouts == CFS_WH_OVERLAY)
		for (size_t i = 0; !r && i < wh.n; i++)
			r = apply_overlay(dirfd, name, wh.v[i], o, &p, st, e);
	if (fchdir(cwd) < 0 && !r)
		r = cfs_fail(e, errno, "back to the working directory");
	close(cwd);
	cfs_strv_free(&wh);
	return r;
}
