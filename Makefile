# SPDX-License-Identifier: GPL-2.0-or-later
# cfs: plain GNU make with pkg-config.
#   make                  build every tool into build/
#   make check            build, then run every test (as root)
#   make install          PREFIX=/usr/local DESTDIR=
#   make clean
# Each tool links only the libraries it uses: every shared library a tool
# loads is paid on every start of a chain.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/cfs
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
B ?= build

CC ?= cc
CFLAGS ?= -O2 -g
PKG_CONFIG ?= pkg-config

# Built as distributions build. Warnings are errors only with WERROR=1
# (CI and ./setup check set it, on a fresh build: objects already made
# are not remade for it): a newer compiler's new warning must not fail a
# user's build. Hardened by default, under the CFLAGS, CPPFLAGS and
# LDFLAGS of the environment (dpkg-buildflags), which come after ours and
# win: stack protector, FORTIFY at -O2 (it needs optimising; check-asan,
# at -O1, goes without, as FORTIFY's checked calls escape the sanitizer),
# position-independent executables, relocations read-only and bound at
# start. tests/build.bats reads each in the binaries with readelf.
WARN := -std=gnu11 -Wall -Wextra $(if $(WERROR),-Werror)
FORTIFY = $(if $(filter -O2 -O3 -Os,$(CFLAGS)),$(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS)),, \
	-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2))
HARDEN := -fstack-protector-strong -fPIE
ALL_CFLAGS = $(WARN) -Ilib -Itools -I$(B) $(HARDEN) $(FORTIFY) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = -Wl,-z,relro,-z,now $(LDFLAGS)

# The tools of a chain are linked statically: every exec of a chain pays
# for what the dynamic loader does (relocations, a page fault for each
# page it writes), and each shared library loaded about 0.1 ms more;
# libmount, with blkid, selinux and pcre2, cost 0.6 ms, which is why we use
# none (lib/fs/mount.h, lib/fs/mountinfo.c). See BENCHMARKS.md. No tool of a
# chain uses glibc's NSS, which a static binary cannot (lib/sandbox/no-nss.c).
# cfs-mkrootfs, no link of a chain, is dynamic (popt from its archive).
# STATIC= for sanitizer builds: the same archives, in dynamic binaries.
# Static binaries are static-pie, which ASLR places like any PIE; each
# relocates itself at start: about 10 us an exec, below the noise of a
# container's start (BENCHMARKS.md, "Hardened build").
STATIC ?= -static-pie
archives = -pie -Wl,-Bstatic $(shell $(PKG_CONFIG) --libs $(1)) -Wl,-Bdynamic
chain_libs = $(if $(STATIC),$(STATIC) $(shell $(PKG_CONFIG) --libs $(1)),$(call archives,$(1)))
POPT_LIBS := $(call archives,popt)

TOOLS := cfs-unshare cfs-pivot cfs-enter cfs-mkrootfs cfs-cgroup cfs-oci cfs-net
MAN1 := $(TOOLS:%=man/%.1)
MAN7 := man/cfs.7

# lib/ is one static library, libcfs.a, a folder per concern (lib/README),
# and tools/common/ (options, usage, the messages: only tools print) is
# another, libcfs-tools.a: a tool links the members it calls. What each
# tool links with from the system:
cfs-unshare_LIBS := $(call chain_libs,popt)
cfs-pivot_LIBS := $(call chain_libs,popt libcap-ng libseccomp jansson)
cfs-enter_LIBS := $(call chain_libs,popt libcap-ng libseccomp jansson)
# cfs-mkrootfs reads images: libarchive (tar, gzip, xz, zstd), jansson
# (JSON), nettle (sha256; libarchive loads it already); and ELF headers
# with elfutils' libelf. It is no link of a chain: its start-up time is
# not paid per container.
cfs-mkrootfs_LIBS := $(POPT_LIBS) $(shell $(PKG_CONFIG) --libs libarchive jansson nettle libelf)
cfs-cgroup_LIBS := $(call chain_libs,popt)
# libcap-ng's static object calls getpwuid: no-nss.o must come before the
# archives, as an object, to take glibc's place (an archive member would
# be looked for too late).
cfs-pivot_NO_NSS := $(B)/lib/sandbox/no-nss.o
cfs-enter_NO_NSS := $(B)/lib/sandbox/no-nss.o
# cfs-net talks rtnetlink through libmnl, adds and removes a container's
# set elements through libnftnl, and CNI's JSON through jansson. Debian
# ships neither of the first two as an archive, so cfs-net is dynamic
# (popt and jansson from their archives: one library fewer to load,
# 0.06 ms an exec): it runs once a container start, as a hook,
# not as a link every process of the chain execs. libnftables (tables,
# chains, rules) is loaded by lib/net/nft.c when first needed: linked,
# it cost every exec 0.5 ms.
cfs-net_LIBS := $(POPT_LIBS) $(call archives,jansson) $(shell $(PKG_CONFIG) --libs libmnl libnftnl)

LIB_DIRS := core process fs ns sandbox cgroup image net
LIB_HDRS := $(wildcard $(LIB_DIRS:%=lib/%/*.h))
LIB_OBJS := $(patsubst %.c,$(B)/%.o,$(filter-out lib/sandbox/no-nss.c,$(wildcard $(LIB_DIRS:%=lib/%/*.c))))
COMMON_HDRS := $(wildcard tools/common/*.h)
COMMON_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard tools/common/*.c))
LIBS_CFS := $(B)/libcfs-tools.a $(B)/libcfs.a
# cfs-oci maps config.json to the chain and runs it: its own files, in
# tools/oci/, name the tools and their options, as lib/ may not.
cfs-oci_LIBS := $(call chain_libs,popt jansson)
cfs-oci_OBJS := $(B)/tools/oci/chain.o $(B)/tools/oci/state.o \
	$(B)/tools/oci/hooks.o $(B)/tools/oci/nocgroup.o

all: $(TOOLS:%=$(B)/%) $(TOOLS:%=$(B)/completion/%) $(B)/probe $(B)/escape $(B)/liar $(B)/sysprobe $(B)/nosys $(B)/reaper $(B)/recvtty

$(B)/lib/%.o: lib/%.c $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tools/common/%.o: tools/common/%.c $(COMMON_HDRS) $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tools/oci/%.o: tools/oci/%.c tools/oci/*.h $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libcfs.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/libcfs-tools.a: $(COMMON_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/lib:
	mkdir -p $@

# The default seccomp profile is a JSON file in the tree, compiled in as
# a string: the one a reader sees is the one loaded.
$(B)/default-seccomp.h: profiles/default.json | $(B)/lib
	sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' $< >$@

$(B)/lib/sandbox/syscall-filter.o: $(B)/default-seccomp.h $(B)/default-bpf.h

# ... and its filter for the default capability set, compiled to BPF by
# libseccomp now rather than at each start of cfs-pivot (reading the JSON
# and building the filter there would add 3.5 ms to a start).
SECCOMP_COMPILE_OBJS := $(B)/lib/sandbox/caps.o $(B)/lib/core/err.o $(B)/tools/common/msg.o
$(B)/seccomp-compile: profiles/seccomp-compile.c lib/sandbox/syscall-filter.c $(SECCOMP_COMPILE_OBJS) $(B)/default-seccomp.h
	$(CC) $(ALL_CFLAGS) -DCFS_SECCOMP_COMPILER -o $@ $< lib/sandbox/syscall-filter.c \
		$(SECCOMP_COMPILE_OBJS) $(shell $(PKG_CONFIG) --libs libcap-ng libseccomp jansson)

$(B)/default-bpf.h: $(B)/seccomp-compile profiles/default.json
	$(B)/seccomp-compile profiles/default.json >$@.tmp && mv $@.tmp $@

.SECONDEXPANSION:
$(TOOLS:%=$(B)/%): $(B)/%: tools/%.c $(LIBS_CFS) $$($$*_NO_NSS) $$($$*_OBJS) $(COMMON_HDRS) $(LIB_HDRS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $($*_NO_NSS) $($*_OBJS) $(LIBS_CFS) $($*_LIBS)

# The probe runs inside containers: static, so any rootfs can run it, and
# built without the caller's CFLAGS (a sanitizer build cannot be static).
$(B)/probe: tests/helpers/probe.c | $(B)/lib
	$(CC) -O2 $(WARN) -static -o $@ $<

# The escape attempts of tests/escape.bats, built the same way.
$(B)/escape: tests/helpers/escape.c | $(B)/lib
	$(CC) -O2 $(WARN) -static -o $@ $<

# The system calls tests/escape-seccomp.bats compares, the same way.
$(B)/sysprobe: tests/helpers/sysprobe.c | $(B)/lib
	$(CC) -O2 $(WARN) -static -o $@ $<

# The lying seccomp filter of tests/escape-enter.bats, the same way.
$(B)/liar: tests/helpers/liar.c | $(B)/lib
	$(CC) -O2 $(WARN) -static -o $@ $<

# A kernel without some calls, for tests/pivot.bats, the same way.
$(B)/nosys: tests/helpers/nosys.c | $(B)/lib
	$(CC) -O2 $(WARN) -static -o $@ $<

# A subreaper, as conmon is, for tests/oci.bats, the same way.
$(B)/reaper: tests/helpers/reaper.c | $(B)/lib
	$(CC) -O2 $(WARN) -static -o $@ $<

# The receiving end of a console socket, for the tests and bench/run.
$(B)/recvtty: tests/helpers/recvtty.c | $(B)/lib
	$(CC) -O2 $(WARN) -o $@ $<

$(B)/test-lib: tests/test-lib.c $(LIBS_CFS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(POPT_LIBS)

# lib/cgroup's parsing, on fixture trees, as an ordinary user.
$(B)/test-cgroup: tests/test-cgroup.c $(B)/libcfs.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^

# The tests, after a build with clang too; with WERROR=1 (CI, ./setup
# check), warnings are errors under both. The clang build has flags of its
# own: a sanitizer build's (check-asan) would otherwise leave instrumented
# objects in build-clang.
check: all $(B)/test-lib $(B)/test-cgroup
	if command -v clang >/dev/null; then \
		$(MAKE) -s CC=clang B=build-clang CFLAGS="-O2 -g" LDFLAGS= all; fi
	B=$(B) tests/run

# bash completion, made from each tool's --help (its popt table), so that
# it cannot drift from the options (completion/generate).
$(B)/completion/%: $(B)/% completion/generate
	mkdir -p $(B)/completion
	completion/generate $* $< >$@.tmp && mv $@.tmp $@

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(DATADIR) $(DESTDIR)$(COMPLETIONDIR)
	install -m 755 $(TOOLS:%=$(B)/%) $(DESTDIR)$(BINDIR)
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7
	install -m 644 profiles/default.json $(DESTDIR)$(DATADIR)
	install -m 644 $(TOOLS:%=$(B)/completion/%) $(DESTDIR)$(COMPLETIONDIR)

# Exactly what install put, and the directories of ours it made.
uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) \
		$(MAN1:man/%=$(DESTDIR)$(MANDIR)/man1/%) \
		$(MAN7:man/%=$(DESTDIR)$(MANDIR)/man7/%) \
		$(DESTDIR)$(DATADIR)/default.json \
		$(TOOLS:%=$(DESTDIR)$(COMPLETIONDIR)/%)
	-rmdir $(DESTDIR)$(DATADIR)

# The Debian package (debian/), built from a copy of the tree in
# $(B)/deb, where it is left: $(B)/deb/cfs_VERSION_ARCH.deb.
deb:
	rm -rf $(B)/deb
	mkdir -p $(B)/deb/src
	tar -c --exclude='./build*' --exclude=./.git --exclude=./box . | tar -x -C $(B)/deb/src
	cd $(B)/deb/src && dpkg-buildpackage -b -us -uc

clean:
	rm -rf $(B) build-*

# Speed and memory side by side with unshare, nsenter, bwrap, crun, runc.
bench: all
	mkdir -p $(B)
	B=$(B) bench/run | tee $(B)/bench.md

# The whole suite under AddressSanitizer and UBSan (not part of check).
# Leaks are not checked: a tool execs or exits holding its popt context.
# The tools carry these options as defaults too (tools/common/opts.c),
# for the engines that run them with an environment of their own.
check-asan:
	ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1 $(MAKE) B=build-asan STATIC= CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" LDFLAGS="-fsanitize=address,undefined" check

.PHONY: all check check-asan bench install uninstall deb clean
