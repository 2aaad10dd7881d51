#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-pivot --image-config: an image's env, entrypoint, cmd and workdir,
# read from /etc/cfs/image.conf inside the new root.
load common

# A copy of the test rootfs with an image.conf of the lines given.
mkimage() {
	root="$BATS_TEST_TMPDIR/root"
	[ -d "$root" ] || cp -a "$ROOTFS" "$root"
	mkdir -p "$root/etc/cfs" "$root/srv/app"
	printf '%s\n' "$@" >"$root/etc/cfs/image.conf"
}

@test "env on top of the defaults, not ours; entrypoint + cmd when no PROGRAM, workdir" {
	mkimage '# written by cfs-mkrootfs' '' \
		'env GREETING=hello  world' 'env HOME=/srv' 'env EMPTY=' \
		'workdir /srv/app' \
		'entrypoint /bin/sh' 'entrypoint -c' \
		'cmd echo "$GREETING|$HOME|$EMPTY|$KEEP|$0|$1" $(pwd)' 'cmd zero' 'cmd '
	KEEP=inherited run -0 cfs-pivot --image-config "$root"
	[ "$output" = "hello  world|/srv|||zero| /srv/app" ]
	# the caller's with --keep-env; the options over the image's
	KEEP=inherited run -0 cfs-pivot --image-config --keep-env \
		--setenv HOME=/opt "$root"
	[ "$output" = "hello  world|/opt||inherited|zero| /srv/app" ]
}

@test "PROGRAM replaces cmd and keeps the entrypoint; --wd beats workdir" {
	mkimage 'workdir /srv/app' 'entrypoint /bin/sh' 'entrypoint -c' \
		'cmd echo from-cmd'
	run -0 cfs-pivot --image-config --wd /etc "$root" -- 'echo program $0 $(pwd)' arg0
	[ "$output" = "program arg0 /etc" ]
}

@test "no entrypoint: PROGRAM alone, or cmd; neither: the root's /bin/sh" {
	mkimage 'cmd echo' 'cmd from-cmd'
	run -0 cfs-pivot --image-config "$root"
	[ "$output" = from-cmd ]
	run -0 cfs-pivot --image-config "$root" echo program
	[ "$output" = program ]
	mkimage 'env A=1'
	run -4 cfs-pivot --image-config "$root" <<<'[ "$A" = 1 ] && exit 4'
}

@test "the image's user runs PROGRAM, as --user would; --user beats it" {
	mkimage 'user nobody:tty'
	run -0 cfs-pivot --image-config "$root" -- sh -c 'id -u; id -g; grep CapEff /proc/self/status'
	[ "$output" = "$(printf '65534\n5\nCapEff:\t0000000000000000')" ]
	run -0 cfs-pivot --image-config --user 0 "$root" -- id -u
	[ "$output" = 0 ]
	mkimage 'user nosuch'
	run -125 cfs-pivot --image-config "$root" -- true
	[[ "$output" == *"user nosuch: not in the container's /etc/passwd"* ]]
}

@test "env PATH from the image is where PROGRAM is looked for" {
	mkimage 'env PATH=/srv/app'
	printf '#!/bin/sh\necho found in image PATH\n' >"$root/srv/app/tool"
	chmod 755 "$root/srv/app/tool"
	run -0 cfs-pivot --image-config "$root" tool
	[ "$output" = "found in image PATH" ]
}

@test "--image-config=FILE, and with --overlay the file comes from the layers" {
	mkimage 'cmd echo' 'cmd default-file'
	printf 'cmd echo\ncmd other-file\n' >"$root/srv/other.conf"
	run -0 cfs-pivot --image-config=/srv/other.conf "$root"
	[ "$output" = other-file ]
	run -0 cfs-pivot --overlay "$root" --image-config
	[ "$output" = default-file ]
	# without the option the file is not read
	run -0 cfs-pivot "$root" echo plain
	[ "$output" = plain ]
}

@test "bad files: unknown key, no value, twice, missing; messages name file and line" {
	mkimage '# ok' 'cmd true' 'bogus value'
	run -125 --separate-stderr cfs-pivot --image-config "$root" echo never
	[ "$stderr" = "cfs-pivot: $root/etc/cfs/image.conf:3: unknown key 'bogus'" ]
	[ -z "$output" ]
	mkimage 'workdir /a' 'workdir /b'
	run -125 --separate-stderr cfs-pivot --image-config "$root"
	[ "$stderr" = "cfs-pivot: $root/etc/cfs/image.conf:2: workdir given twice" ]
	mkimage 'env NOEQUALS'
	run -125 --separate-stderr cfs-pivot --image-config "$root"
	[ "$stderr" = "cfs-pivot: $root/etc/cfs/image.conf:1: env 'NOEQUALS' is not NAME=VALUE" ]
	mkimage 'entrypoint'
	run -125 --separate-stderr cfs-pivot --image-config "$root"
	[ "$stderr" = "cfs-pivot: $root/etc/cfs/image.conf:1: 'entrypoint' is not KEY VALUE" ]
	mkimage 'workdir /nowhere'
	run -125 --separate-stderr cfs-pivot --image-config "$root" true
	[ "$stderr" = "cfs-pivot: chdir /nowhere (in $root): No such file or directory" ]
	run -125 --separate-stderr cfs-pivot --image-config=/etc/cfs/none "$root"
	[ "$stderr" = "cfs-pivot: open $root/etc/cfs/none (resolved inside it): No such file or directory" ]
}

@test "the file is resolved inside the new root: a link to a host path is not followed out" {
	mkimage
	echo 'cmd echo host-file-read' >"$BATS_TEST_TMPDIR/host.conf"
	ln -sf "$BATS_TEST_TMPDIR/host.conf" "$root/etc/cfs/image.conf"
	run -125 --separate-stderr cfs-pivot --image-config "$root"
	[ "$stderr" = "cfs-pivot: open $root/etc/cfs/image.conf (resolved inside it): No such file or directory" ]
	# a link that stays inside is followed
	printf 'cmd echo\ncmd inside\n' >"$root/srv/in.conf"
	ln -sf ../../srv/in.conf "$root/etc/cfs/image.conf"
	run -0 cfs-pivot --image-config "$root"
	[ "$output" = inside ]
}
