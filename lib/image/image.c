/* SPDX-License-Identifier: GPL-2.0-or-later */
/* image.c: OCI image layouts and docker archives, every blob verified. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <jansson.h>
#include <linux/openat2.h>
#include <nettle/sha2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "image.h"
#include "tarx.h"
#include "core/path.h"

#define MAX_JSON (16 << 20) /* a manifest or config larger is not one */

static const char *const manifest_types[] = {
	"application/vnd.oci.image.manifest.v1+json",
	"application/vnd.docker.distribution.manifest.v2+json", NULL
};
static const char *const index_types[] = {
	"application/vnd.oci.image.index.v1+json",
	"application/vnd.docker.distribution.manifest.list.v2+json", NULL
};
static const char *const config_types[] = {
	"application/vnd.oci.image.config.v1+json",
	"application/vnd.docker.container.image.v1+json", NULL
};
/* libarchive tells the compression from the content itself */
static const char *const layer_types[] = {
	"application/vnd.oci.image.layer.v1.tar",
	"application/vnd.oci.image.layer.v1.tar+gzip",
	"application/vnd.oci.image.layer.v1.tar+zstd",
	"application/vnd.oci.image.layer.nondistributable.v1.tar",
	"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
	"application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
	"application/vnd.docker.image.rootfs.diff.tar.gzip",
	"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", NULL
};

static bool one_of(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

/* "sha256:HEX" with 64 lowercase hex digits; its blob path in PATH. */
static int check_digest(const struct cfs_image *img, const char *what,
			const char *digest, char path[96], struct cfs_err *e)
{
	const char *hex = digest ? digest + strlen("sha256:") : NULL;

	if (!digest)
		return cfs_fail(e, 0, "%s: %s: no digest", img->name, what);
	if (strncmp(digest, "sha256:", strlen("sha256:")))
		return cfs_fail(e, 0, "%s: %s: %s digest %s", img->name, what,
				strchr(digest, ':') ? "unsupported"
						    : "invalid",
				digest);
	if (strlen(hex) != 64 || strspn(hex, "0123456789abcdef") != 64)
		return cfs_fail(e, 0, "%s: %s: invalid digest %s", img->name,
				what, digest);
	snprintf(path, 96, "blobs/sha256/%s", hex);
	return 0;
}

static void to_hex(const uint8_t *d, char out[65])
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* Hash what FD holds (and keep it in *BUF when BUF): 0 when its sha256
 * is DIGEST and its size SIZE (unless -1). */
static int verify(const struct cfs_image *img, const char *what, int fd,
		  const char *digest, long long size, char **buf,
		  struct cfs_err *e)
{
	struct sha256_ctx ctx;
	uint8_t sum[SHA256_DIGEST_SIZE], block[64 * 1024];
	char hex[65], *data = NULL;
	long long total = 0;
	ssize_t n;

	sha256_init(&ctx);
	while ((n = read(fd, block, sizeof(block))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(data);
			return cfs_fail(e, errno, "%s: %s: read", img->name,
					what);
		}
		sha256_update(&ctx, n, block);
		if (buf) {
			char *more = total + n < MAX_JSON
					     ? realloc(data, total + n + 1)
					     : NULL;
			if (!more) {
				free(data);
				return cfs_fail(e, EFBIG, "%s: %s", img->name,
						what);
			}
			data = more;
			memcpy(data + total, block, n);
			data[total + n] = '\0';
		}
		total += n;
	}
	sha256_digest(&ctx, sizeof(sum), sum);
	to_hex(sum, hex);
	if (strcmp(hex, digest + strlen("sha256:"))) {
		free(data);
		return cfs_fail(e, 0, "%s: %s: digest mismatch: the content is sha256:%s",
				img->name, what, hex);
	}
	if (size >= 0 && size != total) {
		free(data);
		return cfs_fail(e, 0, "%s: %s: size mismatch: %lld bytes, %lld expected",
				img->name, what, total, size);
	}
	if (buf)
		*buf = data ? data : strdup("");
	return 0;
}

/* Open PATH in the image (resolved inside its directory), for WHAT
 * (NULL: PATH says it): a regular file, opened O_NONBLOCK so that a FIFO
 * cannot block us, and checked before a byte is read, so that a device
 * cannot feed us forever. Its size in *SIZE. An fd or -errno. */
static int open_file(const struct cfs_image *img, const char *what,
		     const char *path, off_t *size, struct cfs_err *e)
{
	int fd = cfs_openat_in_root(img->dirfd, path,
				    O_RDONLY | O_NONBLOCK | O_NOCTTY), r = 0;
	struct stat st;

	if (fd < 0 && what)
		return cfs_fail(e, -fd, "%s: %s: open %s", img->name, what,
				path);
	if (fd < 0)
		return cfs_fail(e, -fd, "%s: open %s", img->name, path);
	if (fstat(fd, &st) < 0)
		r = cfs_fail(e, errno, "%s: stat %s", img->name, path);
	else if (!S_ISREG(st.st_mode))
		r = cfs_fail(e, 0, "%s: open %s: not a regular file",
			     img->name, path);
	if (r) {
		close(fd);
		return r;
	}
	*size = st.st_size;
	return fd;
}

/* Open PATH in the image, checked against DIGEST: an fd at offset 0, and
 * its content in *BUF when BUF is not NULL. */
static int open_verified(const struct cfs_image *img, const char *what,
			 const char *path, const char *digest, long long size,
			 char **buf, struct cfs_err *e)
{
	off_t ignored;
	int fd = open_file(img, what, path, &ignored, e), r;

	if (fd < 0)
		return fd;
	r = verify(img, what, fd, digest, size, buf, e);
	if (!r && lseek(fd, 0, SEEK_SET) < 0)
		r = cfs_fail(e, errno, "%s: %s: seek", img->name, what);
	if (r) {
		close(fd);
		return r;
	}
	return fd;
}

static int parse(const struct cfs_image *img, const char *what,
		 const char *text, json_t **out, struct cfs_err *e)
{
	json_error_t je;

	*out = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (!*out)
		return cfs_fail(e, 0, "%s: %s: line %d: %s", img->name, what,
				je.line, je.text);
	return 0;
}

/* A JSON file of the image, checked when DIGEST is not NULL. */
static int load(const struct cfs_image *img, const char *what,
		const char *path, const char *digest, long long size,
		json_t **out, struct cfs_err *e)
{
	char *text = NULL;
	int fd, r;

	*out = NULL;
	if (digest) {
		fd = open_verified(img, what, path, digest, size, &text, e);
		if (fd < 0)
			return fd;
		close(fd);
	} else {
		json_error_t je;
		off_t len;
		if ((fd = open_file(img, NULL, path, &len, e)) < 0)
			return fd;
		if (len > MAX_JSON) {
			close(fd);
			return cfs_fail(e, EFBIG, "%s: %s", img->name, path);
		}
		*out = json_loadfd(fd, JSON_REJECT_DUPLICATES, &je);
		close(fd);
		if (!*out)
			return cfs_fail(e, 0, "%s: %s: line %d: %s", img->name,
					path, je.line, je.text);
		return 0;
	}
	r = parse(img, what, text, out, e);
	free(text);
	return r;
}

/* A descriptor's blob, as JSON: its media type one of TYPES. */
static int load_blob(const struct cfs_image *img, const char *what,
		     json_t *desc, const char *const *types, json_t **out,
		     struct cfs_err *e)
{
	const char *type = json_string_value(json_object_get(desc, "mediaType"));
	const char *digest = json_string_value(json_object_get(desc, "digest"));
	json_t *size = json_object_get(desc, "size");
	char path[96];
	int r;

	*out = NULL;
	if (!json_is_object(desc))
		return cfs_fail(e, 0, "%s: %s: not a descriptor", img->name,
				what);
	if (!one_of(type, types))
		return cfs_fail(e, 0, "%s: %s: unknown media type %s",
				img->name, what, type ? type : "(none)");
	if ((r = check_digest(img, what, digest, path, e)))
		return r;
	return load(img, what, path, digest,
		    json_is_integer(size) ? json_integer_value(size) : -1, out,
		    e);
}

static int add_layer(struct cfs_image *img, const char *path,
		     const char *digest, long long size, struct cfs_err *e)
{
	struct cfs_layer *l = realloc(img->layers,
				      (img->nlayers + 1) * sizeof(*l));

	if (!l)
		return cfs_fail(e, ENOMEM, "%s", img->name);
	img->layers = l;
	l += img->nlayers;
	if (!(l->path = strdup(path)))
		return cfs_fail(e, ENOMEM, "%s", img->name);
	snprintf(l->digest, sizeof(l->digest), "%s", digest);
	l->size = size;
	img->nlayers++;
	return 0;
}

static const char *go_arch(void)
{
	static struct utsname u;
	static const char *const map[][2] = {
		{ "x86_64", "amd64" }, { "aarch64", "arm64" },
		{ "i686", "386" },     { "armv7l", "arm" },
		{ "ppc64le", "ppc64le" }, { "s390x", "s390x" },
		{ "riscv64", "riscv64" },
	};

	uname(&u);
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (!strcmp(u.machine, map[i][0]))
			return map[i][1];
	return u.machine;
}

/* In an index's manifests, the one tagged TAG, or the only one, or (in a
 * multi-platform index) the one for linux on this machine. */
static json_t *choose(const struct cfs_image *img, json_t *index,
		      const char *what, const char *tag, struct cfs_err *e)
{
	json_t *list = json_object_get(index, "manifests"), *m, *found = NULL;
	size_t i, n = 0;

	if (!json_is_array(list) || !json_array_size(list)) {
		cfs_fail(e, 0, "%s: %s: no manifests", img->name, what);
		return NULL;
	}
	json_array_foreach (list, i, m) {
		json_t *ann = json_object_get(m, "annotations");
		json_t *pf = json_object_get(m, "platform");
		const char *ref = json_string_value(json_object_get(
			ann, "org.opencontainers.image.ref.name"));
		const char *os = json_string_value(json_object_get(pf, "os"));
		const char *arch = json_string_value(
			json_object_get(pf, "architecture"));

		if (tag ? ref && !strcmp(ref, tag)
			: json_array_size(list) == 1 ||
				  (os && arch && !strcmp(os, "linux") &&
				   !strcmp(arch, go_arch()))) {
			found = m;
			n++;
		}
	}
	if (n == 1)
		return found;
	if (tag && !n)
		cfs_fail(e, 0, "%s: %s: no manifest tagged %s", img->name,
			 what, tag);
	else if (tag)
		cfs_fail(e, 0, "%s: %s: %zu manifests tagged %s", img->name,
			 what, n, tag);
	else
		cfs_fail(e, 0, "%s: %s: %zu manifests: name one with %s:TAG",
			 img->name, what, json_array_size(list), img->name);
	return NULL;
}

/* The layers of the manifest MANIFEST (its digest in WHAT). */
static int read_manifest(struct cfs_image *img, json_t *manifest,
			 const char *what, struct cfs_err *e)
{
	json_t *layers = json_object_get(manifest, "layers"), *l;
	char name[192], path[96]; /* what: up to 128 */
	size_t i;
	int r;

	snprintf(name, sizeof(name), "config of %s", what);
	r = load_blob(img, name, json_object_get(manifest, "config"),
		      config_types, &img->config, e);
	if (r)
		return r;
	if (!json_is_array(layers))
		return cfs_fail(e, 0, "%s: %s: no layers", img->name, what);
	json_array_foreach (layers, i, l) {
		const char *type = json_string_value(json_object_get(l, "mediaType"));
		const char *digest = json_string_value(json_object_get(l, "digest"));
		json_t *size = json_object_get(l, "size");

		snprintf(name, sizeof(name), "layer %zu of %s", i + 1, what);
		if (!one_of(type, layer_types))
			return cfs_fail(e, 0, "%s: %s: unknown media type %s",
					img->name, name,
					type ? type : "(none)");
		if ((r = check_digest(img, name, digest, path, e)) ||
		    (r = add_layer(img, path, digest,
				   json_is_integer(size)
					   ? json_integer_value(size)
					   : -1,
				   e)))
			return r;
	}
	return 0;
}

int cfs_image_oci(const char *dir, const char *tag, struct cfs_image *img,
		  struct cfs_err *e)
{
	json_t *layout = NULL, *index = NULL, *desc, *next = NULL;
	char what[128] = "index.json";
	int r;

	*img = (struct cfs_image){ .dirfd = -1, .name = dir };
	img->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (img->dirfd < 0)
		return cfs_fail(e, errno, "open %s", dir);
	if ((r = load(img, "oci-layout", "oci-layout", NULL, -1, &layout, e)))
		return r;
	if (!json_is_string(json_object_get(layout, "imageLayoutVersion"))) {
		json_decref(layout);
		return cfs_fail(e, 0, "%s: oci-layout: no imageLayoutVersion",
				dir);
	}
	json_decref(layout);
	if ((r = load(img, "index.json", "index.json", NULL, -1, &index, e)))
		return r;
	/* an index may name indexes (one per platform): follow them */
	for (;;) {
		const char *type, *digest;

		if (!(desc = choose(img, index, what, tag, e))) {
			r = -EINVAL;
			break;
		}
		type = json_string_value(json_object_get(desc, "mediaType"));
		digest = json_string_value(json_object_get(desc, "digest"));
		snprintf(what, sizeof(what), "manifest %s",
			 digest ? digest : "");
		if (!one_of(type, index_types)) {
			r = load_blob(img, what, desc, manifest_types, &next, e);
			if (!r)
				r = read_manifest(img, next, what, e);
			json_decref(next);
			break;
		}
		snprintf(what, sizeof(what), "index %s", digest ? digest : "");
		r = load_blob(img, what, desc, index_types, &next, e);
		if (r)
			break;
		json_decref(index);
		index = next;
		tag = NULL;
	}
	json_decref(index);
	return r;
}

/* The digest a docker archive's config file name carries:
 * HEX.json (before Docker 25) or blobs/sha256/HEX. */
static int config_digest(const struct cfs_image *img, const char *path,
			 char digest[72], struct cfs_err *e)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t len = strcspn(base, ".");

	if (len != 64 || (base[64] && strcmp(base + 64, ".json")) ||
	    strspn(base, "0123456789abcdef") < 64)
		return cfs_fail(e, 0, "%s: config %s: no digest in its name",
				img->name, path);
	snprintf(digest, 72, "sha256:%.64s", base);
	return 0;
}

int cfs_image_docker(int dirfd, const char *name, struct cfs_image *img,
		     struct cfs_err *e)
{
	json_t *manifest = NULL, *layers, *diff_ids, *l;
	const char *config;
	char digest[72], path[96];
	size_t i;
	int r;

	*img = (struct cfs_image){ .dirfd = dirfd, .name = name };
	if ((r = load(img, "manifest.json", "manifest.json", NULL, -1,
		      &manifest, e)))
		return r;
	if (!json_is_array(manifest) || json_array_size(manifest) != 1) {
		r = cfs_fail(e, 0, "%s: manifest.json: %zu images: one is needed",
			     name, json_array_size(manifest));
		goto out;
	}
	config = json_string_value(json_object_get(json_array_get(manifest, 0),
						   "Config"));
	layers = json_object_get(json_array_get(manifest, 0), "Layers");
	if (!config || !json_is_array(layers)) {
		r = cfs_fail(e, 0, "%s: manifest.json: no Config or Layers",
			     name);
		goto out;
	}
	if ((r = config_digest(img, config, digest, e)) ||
	    (r = check_digest(img, "config", digest, path, e)) ||
	    (r = load(img, "config", config, digest, -1, &img->config, e)))
		goto out;
	diff_ids = json_object_get(json_object_get(img->config, "rootfs"),
				   "diff_ids");
	if (json_array_size(diff_ids) != json_array_size(layers)) {
		r = cfs_fail(e, 0, "%s: config %s: %zu diff_ids for %zu layers",
			     name, config, json_array_size(diff_ids),
			     json_array_size(layers));
		goto out;
	}
	json_array_foreach (layers, i, l) {
		const char *id = json_string_value(json_array_get(diff_ids, i));
		char what[64];

		snprintf(what, sizeof(what), "layer %zu", i + 1);
		if (!json_is_string(l)) {
			r = cfs_fail(e, 0, "%s: manifest.json: %s: not a path",
				     name, what);
			goto out;
		}
		if ((r = check_digest(img, what, id, path, e)) ||
		    (r = add_layer(img, json_string_value(l), id, -1, e)))
			goto out;
	}
out:
	json_decref(manifest);
	return r;
}

int cfs_image_open_layer(const struct cfs_image *img, size_t i,
			 struct cfs_err *e)
{
	const struct cfs_layer *l = &img->layers[i];
	char what[32];

	snprintf(what, sizeof(what), "layer %zu", i + 1);
	return open_verified(img, what, l->path, l->digest, l->size, NULL, e);
}

/* Flat: every layer into ROOT, in order, whiteouts applied. */
static int unpack_flat(const struct cfs_image *img, int root,
		       struct cfs_tar_stats *st, struct cfs_err *e)
{
	struct cfs_tar_opts to = { .whiteouts = CFS_WH_APPLY };
	int r = 0;

	for (size_t i = 0; !r && i < img->nlayers; i++) {
		char name[PATH_MAX + 32];
		int fd = cfs_image_open_layer(img, i, e);

		if (fd < 0)
			return fd;
		snprintf(name, sizeof(name), "%s: layer %zu", img->name, i + 1);
		r = cfs_tar_extract(root, fd, name, &to, st, e);
		close(fd);
	}
	return r;
}

/* Layer I in ROOT/layers/HEX (its digest), overlayfs whiteouts in it; a
 * layer the image has twice is unpacked once, where it is first. */
static int unpack_layers(const struct cfs_image *img, int root,
			 struct cfs_tar_stats *st, struct cfs_err *e)
{
	struct cfs_tar_opts to = { .whiteouts = CFS_WH_OVERLAY };
	int dir, *lower = calloc(img->nlayers + 1, sizeof(int)), r = 0;

	if (!lower)
		return cfs_fail(e, ENOMEM, "%s", img->name);
	if (mkdirat(root, "layers", 0755) < 0 ||
	    (dir = openat(root, "layers", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		free(lower);
		return cfs_fail(e, errno, "create layers in %s", img->name);
	}
	for (size_t i = 0; !r && i < img->nlayers; i++) {
		const char *hex = img->layers[i].digest + strlen("sha256:");
		char name[PATH_MAX + 32];
		int fd, l;

		if (mkdirat(dir, hex, 0755) < 0) {
			if (errno != EEXIST)
				r = cfs_fail(e, errno, "create layers/%s", hex);
			continue;
		}
		if ((l = openat(dir, hex, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
			r = cfs_fail(e, errno, "open layers/%s", hex);
			break;
		}
		if ((fd = cfs_image_open_layer(img, i, e)) < 0) {
			close(l);
			r = fd;
			break;
		}
		snprintf(name, sizeof(name), "%s: layer %zu", img->name, i + 1);
		r = cfs_tar_extract(l, fd, name, &to, st, e);
		close(fd);
		/* the layers below, top first */
		memmove(lower + 1, lower, to.nlower * sizeof(int));
		lower[0] = l;
		to.lower = lower;
		to.nlower++;
	}
	for (int i = 0; i < to.nlower; i++)
		close(lower[i]);
	free(lower);
	close(dir);
	return r;
}

char *cfs_image_lowerdirs(const struct cfs_image *img, const char *dir)
{
	char *list = NULL, *next;

	if (asprintf(&list, "%s/config", dir) < 0)
		return NULL;
	for (size_t i = img->nlayers; list && i-- > 0;) {
		const char *hex = img->layers[i].digest + strlen("sha256:");
		bool first = true;

		for (size_t j = 0; j < i; j++)
			first = first && strcmp(img->layers[j].digest,
						img->layers[i].digest);
		if (!first) /* listed where it is lowest, as it was unpacked */
			continue;
		next = NULL;
		if (asprintf(&next, "%s:%s/layers/%s", list, dir, hex) < 0)
			next = NULL;
		free(list);
		list = next;
	}
	return list;
}

int cfs_image_unpack(const struct cfs_image *img, int rootfd, bool layers,
		     struct cfs_tar_stats *st, struct cfs_err *e)
{
	return layers ? unpack_layers(img, rootfd, st, e)
		      : unpack_flat(img, rootfd, st, e);
}

/* A value of the image config, if the image config file can hold it. */
static int fits(const struct cfs_image *img, const char *key,
		const char *value, struct cfs_err *e)
{
	if (!cfs_image_config_fits(value))
		return cfs_fail(e, 0, "%s: image config %s: a value with a newline cannot be written to %s",
				img->name, key, CFS_IMAGE_CONFIG);
	return 0;
}

/* The list of strings KEY of the image config C, into *V. */
static int get_list(const struct cfs_image *img, json_t *c, const char *key,
		    char ***v, struct cfs_err *e)
{
	json_t *list = json_object_get(c, key), *x;
	size_t i;
	int r;

	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return cfs_fail(e, 0, "%s: image config %s: not a list",
				img->name, key);
	if (!(*v = calloc(json_array_size(list) + 1, sizeof(**v))))
		return cfs_fail(e, ENOMEM, "%s", img->name);
	json_array_foreach (list, i, x) {
		if (!json_is_string(x))
			return cfs_fail(e, 0, "%s: image config %s: not a list of strings",
					img->name, key);
		if ((r = fits(img, key, json_string_value(x), e)))
			return r;
		if (!((*v)[i] = strdup(json_string_value(x))))
			return cfs_fail(e, ENOMEM, "%s", img->name);
	}
	return 0;
}

/* Each Env entry KEY=VALUE, KEY not empty: what will be set. (A NUL
 * cannot be in one: jansson refuses \u0000 without JSON_ALLOW_NUL.) */
static int check_env(const struct cfs_image *img, json_t *list,
		     struct cfs_err *e)
{
	json_t *v;
	size_t i;

	json_array_foreach (list, i, v) {
		const char *s = json_string_value(v);

		if (s && !cfs_image_config_env_ok(s))
			return cfs_fail(e, 0, "%s: image config Env: '%s' is not KEY=VALUE",
					img->name, s);
	}
	return 0;
}

/* A string KEY of the image config C, into *V when it is not empty. */
static int get_string(const struct cfs_image *img, json_t *c, const char *key,
		      char **v, struct cfs_err *e)
{
	const char *s = json_string_value(json_object_get(c, key));
	int r;

	if (!s || !*s)
		return 0;
	if ((r = fits(img, key, s, e)))
		return r;
	return (*v = strdup(s)) ? 0 : cfs_fail(e, ENOMEM, "%s", img->name);
}

int cfs_image_get_config(const struct cfs_image *img,
			 struct cfs_image_config *conf, struct cfs_err *e)
{
	json_t *c = json_object_get(img->config, "config");
	int r;

	*conf = (struct cfs_image_config){ 0 };
	r = get_string(img, c, "WorkingDir", &conf->workdir, e) ?:
	    get_string(img, c, "User", &conf->user, e) ?:
	    check_env(img, json_object_get(c, "Env"), e) ?:
	    get_list(img, c, "Env", &conf->env, e) ?:
	    get_list(img, c, "Entrypoint", &conf->entrypoint, e) ?:
	    get_list(img, c, "Cmd", &conf->cmd, e);
	if (r)
		cfs_image_config_free(conf);
	return r;
}

void cfs_image_free(struct cfs_image *img)
{
	for (size_t i = 0; i < img->nlayers; i++)
		free(img->layers[i].path);
	free(img->layers);
	json_decref(img->config);
	if (img->dirfd >= 0)
		close(img->dirfd);
	*img = (struct cfs_image){ .dirfd = -1 };
}
