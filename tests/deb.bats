#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package (debian/, make deb): what it holds, lintian's verdict,
# and an install and a removal with apt on this machine that leave it as
# it was.
load common

setup_file() {
	# the package is built once for the file, from a copy of the tree
	DEB_B="$BATS_FILE_TMPDIR/b"
	make -s -C "$BATS_TEST_DIRNAME/.." B="$DEB_B" deb >"$BATS_FILE_TMPDIR/build.log" 2>&1 ||
		{ tail -30 "$BATS_FILE_TMPDIR/build.log" >&3; return 1; }
	echo "$DEB_B" >"$BATS_FILE_TMPDIR/b.path"
}

deb() { echo "$(cat "$BATS_FILE_TMPDIR/b.path")"/deb/cfs_*_*.deb; }

eval "common_$(declare -f teardown)"
teardown() {
	# whatever the test did, the package is not left installed
	if [ -f "$BATS_TEST_TMPDIR/installed" ]; then
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq cfs >/dev/null 2>&1 || true
	fi
	common_teardown
}

@test "make deb: the tools, man pages, bash completion and the seccomp profile; lintian has no error" {
	run -0 dpkg-deb -c $(deb)
	for f in ./usr/bin/cfs-unshare ./usr/bin/cfs-pivot ./usr/bin/cfs-enter \
		./usr/bin/cfs-cgroup ./usr/bin/cfs-mkrootfs \
		./usr/share/man/man1/cfs-pivot.1.gz ./usr/share/man/man7/cfs.7.gz \
		./usr/share/bash-completion/completions/cfs-pivot \
		./usr/share/cfs/default.json; do
		grep -q " $f\$" <<<"$output" || { echo "no $f"; false; }
	done
	run -0 lintian --tag-display-limit 0 $(deb)
	echo "$output"
	run ! grep -E '^E: ' <<<"$output"
}

@test "apt install ./cfs_*.deb, then the tools run; apt purge leaves nothing of it" {
	! dpkg-query -W -f='${Status}' cfs 2>/dev/null | grep -q "ok installed" ||
		{ echo "cfs is installed here already: not touching it"; false; }
	files=$(dpkg-deb -c $(deb) | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }')
	touch "$BATS_TEST_TMPDIR/installed"
	run -0 env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$(deb)"
	run -0 /usr/bin/cfs-unshare --help
	[[ "$output" == Usage:* ]]
	run -0 man -w cfs-pivot
	run -0 env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq cfs
	for f in $files; do
		[ ! -e "$f" ] || { echo "$f left behind"; false; }
	done
}
