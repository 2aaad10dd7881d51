/* SPDX-License-Identifier: GPL-2.0-or-later */
/* elfdeps.c: the program headers and dynamic section of ELF objects, read
 * with elfutils' libelf (32- and 64-bit, of this byte order). */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfdeps.h"

struct elf_info {
	unsigned char class;
	uint16_t machine;
	char interp[PATH_MAX];
	struct cfs_strv needed;
	char *rpath, *runpath;
};

static void info_free(struct elf_info *in)
{
	cfs_strv_free(&in->needed);
	free(in->rpath);
	free(in->runpath);
	memset(in, 0, sizeof(*in));
}

/* FD as an ELF object of this byte order, its class and machine in IN;
 * NULL if it is not one. */
static Elf *begin(int fd, struct elf_info *in)
{
	Elf *elf;
	GElf_Ehdr h;

	elf_version(EV_CURRENT);
	if (!(elf = elf_begin(fd, ELF_C_READ, NULL)))
		return NULL;
	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &h) ||
	    h.e_ident[EI_DATA] != (BYTE_ORDER == LITTLE_ENDIAN ? ELFDATA2LSB
							       : ELFDATA2MSB)) {
		elf_end(elf);
		return NULL;
	}
	in->class = h.e_ident[EI_CLASS];
	in->machine = h.e_machine;
	return elf;
}

/* The file offset of address VADDR, from the PT_LOAD segments. */
static int vaddr_offset(Elf *elf, size_t n, uint64_t vaddr, uint64_t *off)
{
	GElf_Phdr ph;

	for (size_t i = 0; i < n; i++)
		if (gelf_getphdr(elf, i, &ph) && ph.p_type == PT_LOAD &&
		    vaddr >= ph.p_vaddr && vaddr - ph.p_vaddr < ph.p_filesz) {
			*off = ph.p_offset + (vaddr - ph.p_vaddr);
			return 0;
		}
	return -ENOEXEC;
}

/* DT_NEEDED, DT_RPATH and DT_RUNPATH of the dynamic segment DYN. */
static int read_dynamic(Elf *elf, size_t n, const GElf_Phdr *dyn,
			struct elf_info *in)
{
	size_t size = gelf_fsize(elf, ELF_T_DYN, 1, EV_CURRENT), count;
	Elf_Data *d = elf_getdata_rawchunk(elf, dyn->p_offset, dyn->p_filesz,
					   ELF_T_DYN), *str;
	uint64_t strtab = 0, strsz = 0, off;
	const char *s;
	GElf_Dyn x;

	if (!d || !size)
		return -ENOEXEC;
	count = dyn->p_filesz / size;
	for (size_t i = 0; i < count && gelf_getdyn(d, i, &x) &&
			   x.d_tag != DT_NULL; i++)
		if (x.d_tag == DT_STRTAB)
			strtab = x.d_un.d_ptr;
		else if (x.d_tag == DT_STRSZ)
			strsz = x.d_un.d_val;
	if (!strsz)
		return 0;
	if (vaddr_offset(elf, n, strtab, &off) < 0 ||
	    !(str = elf_getdata_rawchunk(elf, off, strsz, ELF_T_BYTE)))
		return -ENOEXEC;
	s = str->d_buf;
	for (size_t i = 0; i < count && gelf_getdyn(d, i, &x) &&
			   x.d_tag != DT_NULL; i++) {
		uint64_t v = x.d_un.d_val;

		/* a string must end inside the table */
		if (v >= strsz || !memchr(s + v, '\0', strsz - v))
			continue;
		if (x.d_tag == DT_NEEDED && cfs_strv_push(&in->needed, s + v))
			return -ENOMEM;
		if (x.d_tag == DT_RPATH && !in->rpath && !(in->rpath = strdup(s + v)))
			return -ENOMEM;
		if (x.d_tag == DT_RUNPATH && !in->runpath &&
		    !(in->runpath = strdup(s + v)))
			return -ENOMEM;
	}
	return 0;
}

/* IN's interpreter, and with DYNAMIC its dynamic section, from ELF. */
static int read_phdrs(Elf *elf, struct elf_info *in, bool dynamic)
{
	size_t n;
	GElf_Phdr ph;
	int r = 0;

	if (elf_getphdrnum(elf, &n) < 0)
		return -ENOEXEC;
	for (size_t i = 0; !r && i < n; i++) {
		Elf_Data *d;

		if (!gelf_getphdr(elf, i, &ph))
			r = -ENOEXEC;
		else if (ph.p_type == PT_INTERP &&
			 (d = elf_getdata_rawchunk(elf, ph.p_offset, ph.p_filesz,
						   ELF_T_BYTE)))
			snprintf(in->interp, sizeof(in->interp), "%.*s",
				 (int)d->d_size, (const char *)d->d_buf);
		else if (ph.p_type == PT_INTERP)
			r = -ENOEXEC;
		else if (dynamic && ph.p_type == PT_DYNAMIC)
			r = read_dynamic(elf, n, &ph, in);
	}
	return r;
}

static int read_elf(const char *path, struct elf_info *in)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), r;
	Elf *elf;

	memset(in, 0, sizeof(*in));
	if (fd < 0)
		return -errno;
	if (!(elf = begin(fd, in))) {
		close(fd);
		return -ENOEXEC;
	}
	r = read_phdrs(elf, in, true);
	elf_end(elf);
	close(fd);
	return r;
}

int cfs_elf_interp(int fd, const char *name, char *interp, size_t size,
		   struct cfs_err *e)
{
	struct elf_info in = { 0 };
	Elf *elf = begin(fd, &in);
	int r = elf ? read_phdrs(elf, &in, false) : -ENOEXEC;

	if (elf)
		elf_end(elf);
	if (r == -ENOEXEC)
		cfs_fail(e, 0, "%s: not an ELF file of this machine", name);
	else if (r)
		cfs_fail(e, -r, "%s", name);
	else
		snprintf(interp, size, "%s", in.interp);
	return r;
}

/* /etc/ld.so.conf and what it includes: a directory per word. */
static void read_conf(const char *file, struct cfs_strv *dirs, int depth)
{
	char *line = NULL, *w, *save;
	size_t cap = 0;
	FILE *f = depth < 8 ? fopen(file, "re") : NULL;

	while (f && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "#")] = '\0';
		w = strtok_r(line, " \t\n:,=", &save);
		if (w && !strcmp(w, "include")) {
			while ((w = strtok_r(NULL, " \t\n", &save))) {
				char pattern[PATH_MAX], dir[PATH_MAX];
				glob_t g;

				snprintf(dir, sizeof(dir), "%s", file);
				snprintf(pattern, sizeof(pattern), "%s%s%s",
					 w[0] == '/' ? "" : dirname(dir),
					 w[0] == '/' ? "" : "/", w);
				if (glob(pattern, 0, NULL, &g) == 0)
					for (size_t i = 0; i < g.gl_pathc; i++)
						read_conf(g.gl_pathv[i], dirs,
							  depth + 1);
				globfree(&g);
			}
			continue;
		}
		for (; w; w = strtok_r(NULL, " \t\n:,=", &save))
			if (w[0] == '/' && !cfs_strv_has(dirs, w))
				cfs_strv_push(dirs, w);
	}
	free(line);
	if (f)
		fclose(f);
}

/* Directories of a DT_RPATH or DT_RUNPATH, $ORIGIN made OBJ's. */
static void add_path(struct cfs_strv *dirs, const char *list, const char *obj)
{
	char origin[PATH_MAX], *copy, *w, *save;

	if (!list || !realpath(obj, origin) || !(copy = strdup(list)))
		return;
	dirname(origin);
	for (w = strtok_r(copy, ":", &save); w; w = strtok_r(NULL, ":", &save)) {
		char dir[PATH_MAX];
		const char *rest = NULL;

		if (!strncmp(w, "$ORIGIN", 7))
			rest = w + 7;
		else if (!strncmp(w, "${ORIGIN}", 9))
			rest = w + 9;
		if (rest)
			snprintf(dir, sizeof(dir), "%s%s", origin, rest);
		else
			snprintf(dir, sizeof(dir), "%s", w);
		if (dir[0] == '/' && !strchr(dir, '$'))
			cfs_strv_push(dirs, dir);
	}
	free(copy);
}

/* An ELF object of the same class and machine as IN? */
static bool same_kind(const char *path, const struct elf_info *in)
{
	struct elf_info c = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf *elf = fd < 0 ? NULL : begin(fd, &c);
	bool ok = elf && c.class == in->class && c.machine == in->machine;

	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	return ok;
}

static int find_lib(const char *name, const char *obj,
		    const struct elf_info *in, const struct elf_info *prog,
		    const struct cfs_strv *system, struct cfs_strv *files,
		    struct cfs_err *e)
{
	struct cfs_strv dirs = { 0 };
	int r = -ENOENT;

	if (strchr(name, '/')) {
		r = 0;
		if (!cfs_strv_has(files, name) && cfs_strv_push(files, name))
			r = -ENOMEM;
		return r ? cfs_fail(e, -r, "%s", name) : 0;
	}
	if (!in->runpath)
		add_path(&dirs, in->rpath, obj);
	if (!prog->runpath)
		add_path(&dirs, prog->rpath, files->v[0]);
	add_path(&dirs, in->runpath, obj);
	for (size_t i = 0; i < system->n; i++)
		cfs_strv_push(&dirs, system->v[i]);
	for (size_t i = 0; r == -ENOENT && i < dirs.n; i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s", dirs.v[i], name);
		if (!same_kind(path, in))
			continue;
		r = 0;
		if (!cfs_strv_has(files, path) && cfs_strv_push(files, path))
			r = cfs_fail(e, ENOMEM, "%s", path);
	}
	cfs_strv_free(&dirs);
	if (r == -ENOENT)
		return cfs_fail(e, 0, "%s: library %s (needed by %s): not found",
				files->v[0], name, obj);
	return r;
}

int cfs_elf_deps(const char *path, struct cfs_strv *files, struct cfs_err *e)
{
	static const char *const defaults[] = { "/lib64", "/usr/lib64", "/lib",
						"/usr/lib" };
	struct cfs_strv system = { 0 }, mine = { 0 };
	struct elf_info prog, in;
	int r;

	if (cfs_strv_push(&mine, path))
		return cfs_fail(e, ENOMEM, "%s", path);
	if ((r = read_elf(path, &prog))) {
		cfs_strv_free(&mine);
		return cfs_fail(e, r == -ENOEXEC ? 0 : -r, "%s%s", path,
				r == -ENOEXEC ? ": not an ELF file of this machine"
					      : "");
	}
	if (prog.interp[0] && cfs_strv_push(&mine, prog.interp))
		r = cfs_fail(e, ENOMEM, "%s", path);
	read_conf("/etc/ld.so.conf", &system, 0);
	for (size_t i = 0; i < sizeof(defaults) / sizeof(*defaults); i++)
		cfs_strv_push(&system, defaults[i]);
	/* mine grows as we go: each library's own needs are added after it */
	for (size_t i = 0; !r && i < mine.n; i++) {
		if (i == 1 && prog.interp[0])
			continue; /* the loader needs nothing */
		if (i && (r = read_elf(mine.v[i], &in))) {
			r = cfs_fail(e, r == -ENOEXEC ? 0 : -r, "%s%s",
				     mine.v[i],
				     r == -ENOEXEC ? ": not an ELF file" : "");
			break;
		}
		for (size_t j = 0; !r && j < (i ? in : prog).needed.n; j++)
			r = find_lib((i ? in : prog).needed.v[j], mine.v[i],
				     i ? &in : &prog, &prog, &system, &mine, e);
		if (i)
			info_free(&in);
	}
	for (size_t i = 0; !r && i < mine.n; i++)
		if (!cfs_strv_has(files, mine.v[i]) &&
		    cfs_strv_push(files, mine.v[i]))
			r = cfs_fail(e, ENOMEM, "%s", path);
	info_free(&prog);
	cfs_strv_free(&system);
	cfs_strv_free(&mine);
	return r;
}
