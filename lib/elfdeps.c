/* elfdeps.c: a small, bounds-checked reader of ELF program headers and the
 * dynamic section, for 32- and 64-bit objects of this byte order. */
#define _GNU_SOURCE
#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
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

#define MAX_PHDRS 256
#define MAX_DYNAMIC (1 << 20)
#define MAX_STRTAB (16 << 20)

struct phdr {
	uint32_t type;
	uint64_t offset, vaddr, filesz;
};

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

static int read_at(int fd, void *buf, size_t size, uint64_t off)
{
	ssize_t n = pread(fd, buf, size, (off_t)off);

	if (n < 0)
		return -errno;
	return (size_t)n == size ? 0 : -ENOEXEC;
}

/* The ELF header: class, machine, program headers. */
static int read_header(int fd, struct elf_info *in, uint64_t *phoff,
		       size_t *phnum, size_t *phentsize)
{
	union {
		unsigned char ident[EI_NIDENT];
		Elf32_Ehdr e32;
		Elf64_Ehdr e64;
	} h;
	int r = read_at(fd, &h, sizeof(h.e32), 0);

	if (r)
		return r;
	if (memcmp(h.ident, ELFMAG, SELFMAG) ||
	    (h.ident[EI_CLASS] != ELFCLASS32 && h.ident[EI_CLASS] != ELFCLASS64) ||
	    h.ident[EI_DATA] != (BYTE_ORDER == LITTLE_ENDIAN ? ELFDATA2LSB
							     : ELFDATA2MSB))
		return -ENOEXEC;
	in->class = h.ident[EI_CLASS];
	if (in->class == ELFCLASS64) {
		if ((r = read_at(fd, &h, sizeof(h.e64), 0)))
			return r;
		in->machine = h.e64.e_machine;
		*phoff = h.e64.e_phoff;
		*phnum = h.e64.e_phnum;
		*phentsize = h.e64.e_phentsize;
		return *phentsize < sizeof(Elf64_Phdr) ? -ENOEXEC : 0;
	}
	in->machine = h.e32.e_machine;
	*phoff = h.e32.e_phoff;
	*phnum = h.e32.e_phnum;
	*phentsize = h.e32.e_phentsize;
	return *phentsize < sizeof(Elf32_Phdr) ? -ENOEXEC : 0;
}

static int read_phdrs(int fd, struct elf_info *in, struct phdr *ph,
		      size_t *n)
{
	uint64_t phoff;
	size_t phentsize;
	int r = read_header(fd, in, &phoff, n, &phentsize);

	if (r)
		return r;
	if (*n > MAX_PHDRS)
		return -ENOEXEC;
	for (size_t i = 0; i < *n; i++) {
		union {
			Elf32_Phdr p32;
			Elf64_Phdr p64;
		} p;
		uint64_t off = phoff + i * phentsize;

		if (in->class == ELFCLASS64) {
			if ((r = read_at(fd, &p.p64, sizeof(p.p64), off)))
				return r;
			ph[i] = (struct phdr){ p.p64.p_type, p.p64.p_offset,
					       p.p64.p_vaddr, p.p64.p_filesz };
		} else {
			if ((r = read_at(fd, &p.p32, sizeof(p.p32), off)))
				return r;
			ph[i] = (struct phdr){ p.p32.p_type, p.p32.p_offset,
					       p.p32.p_vaddr, p.p32.p_filesz };
		}
	}
	return 0;
}

/* The file offset of address VADDR, from the PT_LOAD segments. */
static int vaddr_offset(const struct phdr *ph, size_t n, uint64_t vaddr,
			uint64_t *off)
{
	for (size_t i = 0; i < n; i++)
		if (ph[i].type == PT_LOAD && vaddr >= ph[i].vaddr &&
		    vaddr - ph[i].vaddr < ph[i].filesz) {
			*off = ph[i].offset + (vaddr - ph[i].vaddr);
			return 0;
		}
	return -ENOEXEC;
}

/* DT_NEEDED, DT_RPATH and DT_RUNPATH of the dynamic segment PH[D]. */
static int read_dynamic(int fd, struct elf_info *in, const struct phdr *ph,
			size_t n, size_t d)
{
	size_t entsize = in->class == ELFCLASS64 ? sizeof(Elf64_Dyn)
						 : sizeof(Elf32_Dyn);
	uint64_t strtab = 0, strsz = 0, off, tag, val;
	unsigned char *dyn;
	char *str = NULL;
	size_t count;
	int r;

	if (ph[d].filesz > MAX_DYNAMIC || !(dyn = malloc(ph[d].filesz + 1)))
		return -ENOEXEC;
	if ((r = read_at(fd, dyn, ph[d].filesz, ph[d].offset)))
		goto out;
	count = ph[d].filesz / entsize;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < count; i++) {
			if (in->class == ELFCLASS64) {
				Elf64_Dyn *x = (Elf64_Dyn *)(dyn + i * entsize);
				tag = x->d_tag, val = x->d_un.d_val;
			} else {
				Elf32_Dyn *x = (Elf32_Dyn *)(dyn + i * entsize);
				tag = x->d_tag, val = x->d_un.d_val;
			}
			if (tag == DT_NULL)
				break;
			if (pass == 0 && tag == DT_STRTAB)
				strtab = val;
			else if (pass == 0 && tag == DT_STRSZ)
				strsz = val;
			if (pass == 0 || val >= strsz)
				continue;
			if (tag == DT_NEEDED &&
			    cfs_strv_push(&in->needed, str + val) < 0)
				r = -ENOMEM;
			else if (tag == DT_RPATH && !in->rpath)
				in->rpath = strdup(str + val);
			else if (tag == DT_RUNPATH && !in->runpath)
				in->runpath = strdup(str + val);
		}
		if (pass == 1 || !strsz)
			break;
		if (strsz > MAX_STRTAB ||
		    vaddr_offset(ph, n, strtab, &off) < 0 ||
		    !(str = malloc(strsz + 1))) {
			r = -ENOEXEC;
			break;
		}
		if ((r = read_at(fd, str, strsz, off)))
			break;
		str[strsz] = '\0'; /* every string ends inside the table */
	}
out:
	free(str);
	free(dyn);
	return r;
}

static int read_elf(const char *path, struct elf_info *in)
{
	struct phdr ph[MAX_PHDRS];
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), r;

	memset(in, 0, sizeof(*in));
	if (fd < 0)
		return -errno;
	r = read_phdrs(fd, in, ph, &n);
	for (size_t i = 0; !r && i < n; i++) {
		if (ph[i].type == PT_INTERP) {
			size_t len = ph[i].filesz < sizeof(in->interp) - 1
					     ? ph[i].filesz
					     : sizeof(in->interp) - 1;
			r = read_at(fd, in->interp, len, ph[i].offset);
			in->interp[len] = '\0';
		} else if (ph[i].type == PT_DYNAMIC) {
			r = read_dynamic(fd, in, ph, n, i);
		}
	}
	close(fd);
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
	struct elf_info c;
	uint64_t phoff;
	size_t phnum, phentsize;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	memset(&c, 0, sizeof(c));
	ok = !read_header(fd, &c, &phoff, &phnum, &phentsize) &&
	     c.class == in->class && c.machine == in->machine;
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
