#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The build's own promises: make install puts every tool and page where
# PREFIX and DESTDIR say, and nothing else; the tools are hardened.
load common

@test "make install PREFIX=/usr DESTDIR=DIR installs every tool and man page" {
	d="$BATS_TEST_TMPDIR/dest"
	run -0 make -s -C "$BATS_TEST_DIRNAME/.." B="$CFS_BUILD" \
		install PREFIX=/usr DESTDIR="$d"
	for t in "$CFS_BUILD"/cfs-*; do
		t=$(basename "$t")
		[ -x "$d/usr/bin/$t" ] || { echo "no $t"; false; }
		[ -f "$d/usr/share/man/man1/$t.1" ] || { echo "no $t.1"; false; }
	done
	[ -f "$d/usr/share/man/man7/cfs.7" ]
	# the default seccomp profile, the same as the one compiled in
	cmp "$d/usr/share/cfs/default.json" "$BATS_TEST_DIRNAME/../profiles/default.json"
	# and their bash completion; nothing but bin, share/man, share/cfs and
	# share/bash-completion
	for t in "$CFS_BUILD"/cfs-*; do
		t=$(basename "$t")
		[ -f "$d/usr/share/bash-completion/completions/$t" ] ||
			{ echo "no completion for $t"; false; }
	done
	[ "$(cd "$d/usr" && find . -type f | sed 's|/[^/]*$||' | sort -u | tr '\n' ' ')" = \
		"./bin ./share/bash-completion/completions ./share/cfs ./share/man/man1 ./share/man/man7 " ]
	run -0 "$d/usr/bin/cfs-unshare" --version
}

@test "make uninstall removes exactly what make install put" {
	d="$BATS_TEST_TMPDIR/dest"
	mkdir -p "$d/usr/bin"
	echo mine >"$d/usr/bin/not-ours"
	run -0 make -s -C "$BATS_TEST_DIRNAME/.." B="$CFS_BUILD" \
		install PREFIX=/usr DESTDIR="$d"
	run -0 make -s -C "$BATS_TEST_DIRNAME/.." B="$CFS_BUILD" \
		uninstall PREFIX=/usr DESTDIR="$d"
	[ "$(cd "$d" && find . -type f)" = ./usr/bin/not-ours ]
	[ ! -e "$d/usr/share/cfs" ]
}

# An exec of a static binary skips the dynamic loader (BENCHMARKS.md); a
# static glibc loads NSS modules at run time, inside a container from its
# own /lib, as root: lib/sandbox/no-nss.c keeps the only calls (libcap-ng's) out.
@test "the tools of a chain are static, and none can load NSS modules" {
	! nm "$CFS_BUILD/cfs-pivot" | grep -q __asan_init ||
		skip "a sanitizer build is dynamic"
	for t in cfs-unshare cfs-pivot cfs-enter cfs-cgroup; do
		! readelf -l "$CFS_BUILD/$t" | grep -q INTERP ||
			{ echo "$t: dynamic"; false; }
		! nm "$CFS_BUILD/$t" | grep -q __nss_database_get ||
			{ echo "$t: NSS"; false; }
	done
}

# Whether a function of ours (lib/'s cfs_*) in binary $1 calls a function
# whose name matches $2: a static binary holds glibc's own hardened code
# whatever flags we built with.
ours_call() {
	objdump -d "$1" | awk -v re="$2" '
		/^[0-9a-f]+ <cfs_/ { ours = 1; next }
		/^[0-9a-f]+ </ { ours = 0 }
		ours && $0 ~ "call.*<(" re ")(@plt)?>" { n++ }
		END { exit !n }'
}

# Hardened as distributions build (Makefile): every tool position-
# independent (static ones static-pie), so ASLR moves its code too; its
# relocations bound at start (BIND_NOW) and then made read-only
# (GNU_RELRO), so no function pointer of the GOT stays writable; our
# functions check a stack canary (-fstack-protector-strong).
@test "the tools are PIE, bound now, RELRO, with a stack protector" {
	for t in "$CFS_BUILD"/cfs-*; do
		n=$(basename "$t")
		readelf -h "$t" | grep -Eq 'Type: +DYN' || { echo "$n: not PIE"; false; }
		readelf -d "$t" | grep -q BIND_NOW || { echo "$n: no BIND_NOW"; false; }
		readelf -l "$t" | grep -q GNU_RELRO || { echo "$n: no GNU_RELRO"; false; }
		ours_call "$t" __stack_chk_fail || { echo "$n: no stack protector"; false; }
	done
}

# _FORTIFY_SOURCE=2 at -O2: calls whose buffer size the compiler knows
# go through glibc's checking __*_chk versions.
@test "the tools are built with _FORTIFY_SOURCE" {
	! nm "$CFS_BUILD/cfs-pivot" | grep -q __asan_init ||
		skip "a sanitizer build goes without FORTIFY"
	for t in "$CFS_BUILD"/cfs-*; do
		ours_call "$t" '_*[a-z]+_chk' || { echo "$(basename "$t"): not fortified"; false; }
	done
}

# bats ignores the status of a `! cmd` line (errexit does not apply to a
# negated command): such a line asserts nothing unless `|| false` follows.
@test "no .bats file has a bare '! cmd' line, which could never fail" {
	bare=$(grep -nE '^[[:space:]]*! ' "$BATS_TEST_DIRNAME"/*.bats |
		grep -vF '||' || true)
	echo "$bare"
	[ -z "$bare" ]
}

# Every source file, man page and script says its licence in its first
# lines (SPDX), and LICENSE holds the text: GPL-2.0-or-later, as
# util-linux's tools are.
@test "every source file, man page and script carries the SPDX licence line; LICENSE is the GPL 2" {
	cd "$BATS_TEST_DIRNAME/.."
	grep -q 'GNU GENERAL PUBLIC LICENSE' LICENSE
	grep -q 'Version 2, June 1991' LICENSE
	lacking=$(git ls-files | while read -r f; do
		case $f in
		*.c | *.h | *.bats | *.bash | *.1 | *.7 | Makefile | */Makefile | .clang-format) ;;
		*) head -c 2 "$f" | grep -q '#!' || continue ;;
		esac
		head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-2.0-or-later' ||
			echo "$f"
	done)
	echo "$lacking"
	[ -z "$lacking" ]
}

# lib/README: a folder includes only from itself and the folders below
# it, and lib/ keeps the error contract: it never prints and never exits.
@test "lib/'s folders include only downwards; lib/ never prints, exits or names a tool or option" {
	cd "$BATS_TEST_DIRNAME/.."
	declare -A may=(
		[core]="" [process]="core" [fs]="core" [ns]="process fs core"
		[sandbox]="core" [cgroup]="process fs core" [image]="ns fs core"
		[net]="process core"
	)
	# every folder of lib/ is in the table, and in lib/README
	for d in lib/*/; do
		d=${d#lib/} d=${d%/}
		[ -n "${may[$d]+set}" ] || { echo "lib/$d: not in the table"; false; }
		grep -q "^  $d/" lib/README || { echo "lib/$d: not in lib/README"; false; }
	done
	bad=0
	for f in lib/*/*.[ch]; do
		d=${f#lib/} d=${d%%/*}
		while read -r inc; do
			to=${inc%%/*}
			[[ " ${may[$d]} " == *" $to "* ]] ||
				{ echo "$f includes $inc: $d may include from: ${may[$d]:-nothing}"; bad=1; }
		done < <(sed -n 's/^#include "\([a-z]*\/[^"]*\)"/\1/p' "$f")
	done
	[ "$bad" = 0 ]
	run grep -nE '\b(exit|_exit|err|errx|perror|cfs_warn|cfs_die[a-z_]*)\(|fprintf\(stderr' lib/*/*.c
	# comments aside; the spawned child's and the namespace helper's _exit
	# (and a hook's, a CNI plugin's, and usermode's keeper's) are a
	# child's end, not lib/ ending its caller
	grep -vE '^[^:]+:[0-9]+:\s*(/?\*)' <<<"$output" |
		grep -vE '^lib/(process/exec|ns/ns|ns/persist|ns/hook|net/cni|net/usermode)\.c:[0-9]+:.*_exit\(' | { ! grep .; }
	# no tool of ours and no option of theirs, but in a man page's name
	# (cfs-pivot(1)) and the advice to run another program (usermod, mount)
	run grep -nE 'cfs-(unshare|pivot|enter|cgroup|mkrootfs|net|oci)|[^-]--[a-z]' lib/*/*.[ch]
	grep -vE 'cfs-[a-z]+\([0-9]\)|\[--len\]|(usermod|mount) --' <<<"$output" | { ! grep .; }
}
