#!/usr/bin/env bats
# The build's own promises: make install puts every tool and page where
# PREFIX and DESTDIR say, and nothing else.
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
	# nothing but bin, share/man and share/cfs
	[ "$(cd "$d/usr" && find . -type f | sed 's|/[^/]*$||' | sort -u | tr '\n' ' ')" = \
		"./bin ./share/cfs ./share/man/man1 ./share/man/man7 " ]
	run -0 "$d/usr/bin/cfs-unshare" --version
}

# An exec of a static binary skips the dynamic loader (BENCHMARKS.md); a
# static glibc loads NSS modules at run time, inside a container from its
# own /lib, as root: lib/no-nss.c keeps the only calls (libcap-ng's) out.
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

# bats ignores the status of a `! cmd` line (errexit does not apply to a
# negated command): such a line asserts nothing unless `|| false` follows.
@test "no .bats file has a bare '! cmd' line, which could never fail" {
	bare=$(grep -nE '^[[:space:]]*! ' "$BATS_TEST_DIRNAME"/*.bats |
		grep -vF '||' || true)
	echo "$bare"
	[ -z "$bare" ]
}
