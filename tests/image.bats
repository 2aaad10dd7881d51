#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# cfs-mkrootfs with images: --from-tar, --from-oci, --from-docker-archive,
# --layers, --add. The images are made here, with tar and sha256sum
# (tests/helpers/image.bash), and one with umoci. Each test works in
# $BATS_TEST_TMPDIR/w and checks that a refused image leaves nothing.
load common
load helpers/image
eval "common_$(declare -f setup)"
eval "common_$(declare -f teardown)"

setup() {
	common_setup
	mkdir "$BATS_TEST_TMPDIR/w" && cd "$BATS_TEST_TMPDIR/w" || return
	[ "$(id -u)" -eq 0 ] || skip "needs root (owners, device nodes)"
}

teardown() {
	common_teardown
}

# The entries of directory $1, sorted, on one line.
entries() {
	(cd "$1" && LC_ALL=C ls -A | tr '\n' ' ')
}

# Every entry of tree $1 with its type, mode, owner and size.
tree() {
	(cd "$1" && find . -printf '%p %y %m %U:%G %s\n' | LC_ALL=C sort)
}

CONFIG='{"Env":["PATH=/usr/bin:/bin","GREETING=hello  world"],"Entrypoint":["/bin/sh","-c"],"Cmd":["echo $GREETING",""],"WorkingDir":"/srv","User":"1000:1000"}'
CONF='# the image'"'"'s config, written by cfs-mkrootfs from oci
workdir /srv
user 1000:1000
env PATH=/usr/bin:/bin
env GREETING=hello  world
entrypoint /bin/sh
entrypoint -c
cmd echo $GREETING
cmd '

# The tree make_layers' three layers give, flattened.
is_flat_image() {
	local r=$1
	[ "$(entries "$r")" = "bin etc opq srv " ]
	[ "$(entries "$r/etc")" = "base cfs " ]   # gone: whited out
	[ "$(entries "$r/opq")" = "new " ]        # old: hidden by the opaque dir
	[ "$(cat "$r/etc/base")" = base ]
	[ "$(stat -c %a:%u:%g "$r/etc/base")" = 644:1234:5678 ]
	[ "$(stat -c %a "$r/bin/tool")" = 4755 ]
	[ "$(stat -c %a "$r/srv/top")" = 600 ]
	[ "$(stat -c %a "$r")" = 755 ]
	[ -z "$(find "$r" -name '.wh.*')" ]
}

@test "--from-tar: plain, gzip, xz and zstd; owners, modes and device nodes kept as root" {
	mkdir -p src/etc src/dev src/bin
	echo hi >src/etc/motd
	chown 1000:1001 src/etc/motd
	chmod 640 src/etc/motd
	ln -s ../etc/motd src/bin/link
	mknod src/dev/null c 1 3
	for z in "" gzip xz zstd; do
		layer_tar src "a.tar${z:+.$z}" "$z"
		run -0 --separate-stderr cfs-mkrootfs --from-tar "a.tar${z:+.$z}" "r$z"
		[ -z "$stderr" ]
		[ "$(cat "r$z/etc/motd")" = hi ]
		[ "$(stat -c %a:%u:%g "r$z/etc/motd")" = 640:1000:1001 ]
		[ "$(readlink "r$z/bin/link")" = ../etc/motd ]
		[ "$(stat -c %F:%t:%T "r$z/dev/null")" = "character special file:1:3" ]
	done
	# from standard input
	run -0 --separate-stderr sh -c 'zstd -dc a.tar.zstd | cfs-mkrootfs --from-tar - rstdin'
	[ "$(tree r)" = "$(tree rstdin)" ]
	[ "$(entries .)" = "a.tar a.tar.gzip a.tar.xz a.tar.zstd r rgzip rstdin rxz rzstd src " ]
}

# Refused: message $2 exactly, exit 125, no DIR and no DIR.XXXXXX left.
refused() {
	run -125 --separate-stderr cfs-mkrootfs $1 r
	echo "$stderr"
	[ "$stderr" = "$2" ]
	[ -z "$(find . -maxdepth 1 -name 'r*')" ]
}

@test "--from-tar refuses a truncated tar, '..', an absolute path, a file or hard link through a symlink" {
	mkdir -p src/etc
	head -c 200000 /dev/urandom >src/etc/big
	layer_tar src full.tar
	head -c 100000 full.tar >trunc.tar
	refused "--from-tar trunc.tar" "cfs-mkrootfs: trunc.tar: entry ./etc/big: Truncated tar archive"

	echo evil >passwd
	tar -cf dotdot.tar --transform 's|^|../../etc/|' passwd
	refused "--from-tar dotdot.tar" "cfs-mkrootfs: dotdot.tar: entry ../../etc/passwd: Path contains '..'"

	tar -cPf abs.tar "$PWD/passwd"
	refused "--from-tar abs.tar" "cfs-mkrootfs: abs.tar: entry $PWD/passwd: Path is absolute"

	# an absolute link to the host's directory, then a file through it
	mkdir -p host l1 l2/etc
	ln -s "$PWD/host" l1/etc
	echo evil >l2/etc/file
	tar -C l1 -cf sym.tar etc
	tar -C l2 -rf sym.tar etc/file
	refused "--from-tar sym.tar" "cfs-mkrootfs: sym.tar: entry etc/file: Cannot extract through symlink etc/file"
	[ -z "$(entries host)" ]

	# hard links: to a path outside, and through a symlink to the host
	python3 -c '
import tarfile
for name, entries in (("hl1.tar", [("evil", tarfile.LNKTYPE, "../../etc/hostname")]),
                      ("hl2.tar", [("evil", tarfile.LNKTYPE, "/etc/hostname")]),
                      ("hl3.tar", [("l", tarfile.SYMTYPE, "/etc"),
                                   ("evil", tarfile.LNKTYPE, "l/hostname")])):
    with tarfile.open(name, "w") as t:
        for path, type, target in entries:
            i = tarfile.TarInfo(path); i.type = type; i.linkname = target
            t.addfile(i)'
	links=$(stat -c %h /etc/hostname)
	refused "--from-tar hl1.tar" "cfs-mkrootfs: hl1.tar: entry evil: Path contains '..'"
	refused "--from-tar hl2.tar" "cfs-mkrootfs: hl2.tar: entry evil: Path is absolute"
	refused "--from-tar hl3.tar" "cfs-mkrootfs: hl3.tar: entry evil: Cannot extract through symlink l/hostname"
	[ "$(stat -c %h /etc/hostname)" = "$links" ]

	echo junk >junk.tar
	refused "--from-tar junk.tar" "cfs-mkrootfs: read junk.tar: Unrecognized archive format"
	refused "--from-tar nope.tar" "cfs-mkrootfs: open nope.tar: No such file or directory"
}

@test "--from-oci: layers in order, whiteouts, opaque dirs, owners, modes, image.conf" {
	make_layers .
	CONFIG_JSON=$CONFIG make_oci oci latest l1 l2 l3
	run -0 --separate-stderr cfs-mkrootfs --from-oci oci:latest rootfs
	[ -z "$stderr" ]
	is_flat_image rootfs
	[ "$(cat rootfs/etc/cfs/image.conf)" = "$CONF" ]
	[ "$(stat -c %a rootfs/etc/cfs/image.conf)" = 644 ]
	# the only manifest, without a tag
	run -0 cfs-mkrootfs --from-oci oci rootfs2
	[ "$(tree rootfs)" = "$(tree rootfs2)" ]
}

@test "--from-oci: the manifest by tag, and clear errors when it is not one" {
	mkdir -p a b
	echo a >a/which
	echo b >b/which
	make_oci one v1 a
	make_oci two v2 b
	# one layout, two tagged manifests
	cp two/blobs/sha256/* one/blobs/sha256/
	python3 -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); a["manifests"]+=b["manifests"]; print(json.dumps(a))' one/index.json two/index.json >i.json
	mv i.json one/index.json
	refused "--from-oci one" "cfs-mkrootfs: one: index.json: 2 manifests: name one with one:TAG"
	refused "--from-oci one:v3" "cfs-mkrootfs: one: index.json: no manifest tagged v3"
	refused "--from-oci a" "cfs-mkrootfs: a: open oci-layout: No such file or directory"
	run -0 cfs-mkrootfs --from-oci one:v2 r2
	[ "$(cat r2/which)" = b ]
	run -0 cfs-mkrootfs --from-oci one:v1 r1
	[ "$(cat r1/which)" = a ]
}

@test "--from-oci: a multi-platform index, the manifest for this machine" {
	mkdir a
	echo a >a/which
	make_oci oci v1 a
	arch=$(uname -m)
	case $arch in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; esac
	# index.json -> an index of two platforms -> the manifest
	python3 -c '
import json, sys, hashlib, os
oci, arch = sys.argv[1], sys.argv[2]
m = json.load(open(oci + "/index.json"))["manifests"][0]
other = dict(m, digest="sha256:" + "0" * 64, platform={"os": "linux", "architecture": "other"})
mine = dict(m, platform={"os": "linux", "architecture": arch})
del mine["annotations"], other["annotations"]
blob = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                   "manifests": [other, mine]}).encode()
h = hashlib.sha256(blob).hexdigest()
open(oci + "/blobs/sha256/" + h, "wb").write(blob)
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json",
           "digest": "sha256:" + h, "size": len(blob),
           "annotations": {"org.opencontainers.image.ref.name": "multi"}}]},
          open(oci + "/index.json", "w"))
print(m["digest"][7:])' oci "$arch" >manifest
	run -0 --separate-stderr cfs-mkrootfs --from-oci oci:multi r
	[ "$(cat r/which)" = a ]
	rm -rf r
	# its manifest missing
	rm "oci/blobs/sha256/$(cat manifest)"
	refused "--from-oci oci:multi" "cfs-mkrootfs: oci: manifest sha256:$(cat manifest): open blobs/sha256/$(cat manifest): No such file or directory"
}

@test "--from-oci refuses a blob whose digest does not match, a missing blob, an unknown media type" {
	make_layers .
	make_oci oci latest l1 l2 l3
	manifest=$(grep -o 'sha256:[0-9a-f]*' oci/index.json | cut -c8-)
	layer2=$(grep -o 'sha256:[0-9a-f]*' "oci/blobs/sha256/$manifest" | sed -n 3p | cut -c8-)

	cp -a oci bad
	echo x >>"bad/blobs/sha256/$layer2"
	refused "--from-oci bad" "cfs-mkrootfs: bad: layer 2: digest mismatch: the content is sha256:$(sha "bad/blobs/sha256/$layer2")"
	rm -rf bad

	cp -a oci bad
	rm "bad/blobs/sha256/$layer2"
	refused "--from-oci bad" "cfs-mkrootfs: bad: layer 2: open blobs/sha256/$layer2: No such file or directory"
	rm -rf bad

	cp -a oci bad
	rm "bad/blobs/sha256/$manifest"
	refused "--from-oci bad" "cfs-mkrootfs: bad: manifest sha256:$manifest: open blobs/sha256/$manifest: No such file or directory"
	rm -rf bad

	LAYER_TYPE=application/vnd.example.layer make_oci bad latest l1 l2
	manifest=$(grep -o 'sha256:[0-9a-f]*' bad/index.json | cut -c8-)
	refused "--from-oci bad" "cfs-mkrootfs: bad: layer 2 of manifest sha256:$manifest: unknown media type application/vnd.example.layer"
	rm -rf bad

	# a digest that would be a path elsewhere
	cp -a oci bad
	sed -i 's|"digest":"sha256:[0-9a-f]*"|"digest":"sha256:../../../etc/passwd"|' bad/index.json
	refused "--from-oci bad" "cfs-mkrootfs: bad: manifest sha256:../../../etc/passwd: invalid digest sha256:../../../etc/passwd"
	[ -d oci ]
}

@test "--from-oci: a whiteout of a path no layer below has is ignored, with a warning naming it" {
	make_layers .
	mkdir -p l4/etc
	touch l4/etc/.wh.never
	make_oci oci latest l1 l4
	run -0 --separate-stderr cfs-mkrootfs --from-oci oci r
	[ "$stderr" = "cfs-mkrootfs: oci: layer 2: whiteout ./etc/.wh.never: nothing in the layers below to remove (ignored)" ]
	[ "$(entries r/etc)" = "base cfs gone " ]
}

@test "--from-oci refuses a config value with a newline, naming the key" {
	mkdir l1
	echo x >l1/x
	CONFIG_JSON='{"Env":["A=1","B=two\nlines"]}' make_oci oci latest l1
	refused "--from-oci oci" "cfs-mkrootfs: oci: image config Env: a value with a newline cannot be written to /etc/cfs/image.conf"
}

@test "image.conf and --add never go through an absolute link out of the root" {
	mkdir -p host l1/data
	ln -s /data l1/etc              # resolved in the root: r/data
	ln -s "$PWD/host" l1/lib64      # no such directory in the root
	CONFIG_JSON='{"Cmd":["x"]}' make_oci oci latest l1
	run -0 cfs-mkrootfs --from-oci oci r
	[ "$(grep -v '^#' r/data/cfs/image.conf)" = "cmd x" ]
	[ ! -e /data/cfs ]
	rm -rf r
	# --add /bin/true needs /lib64/ld-linux*: refused, the host untouched
	interp=$(readelf -l /bin/true 2>/dev/null | sed -n 's/.*interpreter: \(.*\)]/\1/p')
	[[ "$interp" == /lib64/* ]] || skip "/bin/true's loader is not in /lib64"
	run -125 --separate-stderr cfs-mkrootfs --from-oci oci --add /bin/true r
	[[ "$stderr" == "cfs-mkrootfs: open r."??????"/lib64/ (resolved inside it): No such file or directory" ]]
	[ -z "$(entries host)" ]
	[ "$(entries .)" = "host l1 oci " ]
}

@test "--from-docker-archive: the same tree as the OCI image; a changed layer is refused" {
	make_layers .
	CONFIG_JSON=$CONFIG make_oci oci latest l1 l2 l3
	CONFIG_JSON=$CONFIG make_docker saved.tar l1 l2 l3
	run -0 --separate-stderr cfs-mkrootfs --from-docker-archive saved.tar rd
	[ -z "$stderr" ]
	is_flat_image rd
	run -0 cfs-mkrootfs --from-oci oci ro
	[ "$(tree rd | grep -v image.conf)" = "$(tree ro | grep -v image.conf)" ]
	[ "$(grep -v '^#' rd/etc/cfs/image.conf)" = "$(grep -v '^#' ro/etc/cfs/image.conf)" ]
	# as Docker 25 writes it: blobs/sha256/HEX
	CONFIG_JSON=$CONFIG DOCKER25=1 make_docker saved25.tar l1 l2 l3
	tar -tf saved25.tar | grep -q '^./blobs/sha256/'
	run -0 --separate-stderr cfs-mkrootfs --from-docker-archive saved25.tar r25
	[ "$(tree r25 | grep -v image.conf)" = "$(tree ro | grep -v image.conf)" ]
	rm -rf rd ro r25 saved25.tar

	# layer 2 changed: its digest is no longer the config's diff_id
	mkdir x && tar -C x -xf saved.tar
	l2=$(ls -d x/*/ | sed -n 2p)
	echo junk >>"$l2/layer.tar"
	tar -C x -cf bad.tar .
	rm -rf x
	refused "--from-docker-archive bad.tar" \
		"cfs-mkrootfs: bad.tar: layer 2: digest mismatch: the content is sha256:$(tar -xOf bad.tar "./$(basename "$l2")/layer.tar" | sha256sum | cut -d' ' -f1)"
	[ "$(entries .)" = "bad.tar l1 l2 l3 oci saved.tar " ]
}

@test "--layers: a directory per layer with overlayfs whiteouts, and the lowerdir list" {
	make_layers .
	CONFIG_JSON=$CONFIG make_oci oci latest l1 l2 l3
	run -0 --separate-stderr cfs-mkrootfs --from-oci oci --layers img
	[ -z "$stderr" ]
	manifest=$(grep -o 'sha256:[0-9a-f]*' oci/index.json | cut -c8-)
	mapfile -t ls < <(grep -o 'sha256:[0-9a-f]*' "oci/blobs/sha256/$manifest" | sed 1d | cut -c8-)
	lower=$output
	[ "$lower" = "img/config:img/layers/${ls[2]}:img/layers/${ls[1]}:img/layers/${ls[0]}" ]
	[ "$(entries img)" = "config layers " ]
	[ "$(entries img/layers)" = "$(printf '%s\n' "${ls[@]}" | LC_ALL=C sort | tr '\n' ' ')" ]
	[ "$(cat img/config/etc/cfs/image.conf)" = "$CONF" ]
	l1=img/layers/${ls[0]} l2=img/layers/${ls[1]}
	[ "$(entries "$l1/etc")" = "base gone " ]
	[ "$(stat -c %F:%t:%T "$l2/etc/gone")" = "character special file:0:0" ]
	[ "$(python3 -c 'import os,sys; print(os.getxattr(sys.argv[1], "trusted.overlay.opaque").decode())' "$l2/opq")" = y ]
	[ ! -e "$l2/opq/.wh..wh..opq" ]
	# mounted as cfs-pivot --overlay would, it is the flat image
	run -0 cfs-mkrootfs --from-oci oci flat
	run -0 unshare --mount sh -c '
		mount --make-rprivate / && mkdir m &&
		mount -t overlay overlay -o "lowerdir=$1" m || exit 99
		cd m && find . -printf "%p %y %m %U:%G %s\n" | LC_ALL=C sort' sh "$lower"
	[ "$output" = "$(tree flat)" ]
	rmdir m
}

@test "chain: an image runs as its config says (cfs-pivot --image-config), flat and over its layers" {
	# the test's busybox root as the bottom layer, a program on top
	mkdir -p l2/srv
	printf '#!/bin/sh\necho "$GREETING from $(pwd) as $(id -u):$(id -g): $*"\n' >l2/srv/hello
	chmod 755 l2/srv/hello
	CONFIG_JSON='{"Env":["GREETING=hi there"],"Entrypoint":["/srv/hello"],"Cmd":["a","b c"],"WorkingDir":"/srv","User":"65534:65534"}' \
		make_oci oci latest "$ROOTFS" l2
	run -0 cfs-mkrootfs --from-oci oci r
	run -0 --separate-stderr cfs-unshare --uts --pid --mount --ipc --net --fork -- \
		cfs-pivot --image-config r
	[ "$output" = "hi there from /srv as 65534:65534: a b c" ]
	# a PROGRAM replaces the cmd, not the entrypoint
	run -0 --separate-stderr cfs-unshare --pid --mount --fork -- \
		cfs-pivot --image-config r -- x y
	[ "$output" = "hi there from /srv as 65534:65534: x y" ]
	# the same over its layers, which stay as they were
	run -0 --separate-stderr cfs-mkrootfs --from-oci oci --layers layers
	lower=$output
	before=$(cd layers && find . -printf '%p %y %m %s %T@\n' | sort | md5sum)
	run -0 --separate-stderr cfs-unshare --pid --mount --fork -- \
		cfs-pivot --overlay "$lower" --image-config -- 'sh -c x'
	[ "$output" = "hi there from /srv as 65534:65534: sh -c x" ]
	[ "$(cd layers && find . -printf '%p %y %m %s %T@\n' | sort | md5sum)" = "$before" ]
}

@test "an image made by umoci: its layers, its whiteout, its config" {
	umoci init --layout img
	umoci new --image img:v1
	umoci unpack --image img:v1 b
	mkdir -p b/rootfs/etc b/rootfs/data
	echo a >b/rootfs/etc/a
	echo gone >b/rootfs/etc/gone
	echo d >b/rootfs/data/d
	chown 7:8 b/rootfs/data/d
	umoci repack --image img:v1 b
	rm -rf b
	umoci unpack --image img:v1 b
	rm b/rootfs/etc/gone
	echo n >b/rootfs/etc/new
	umoci repack --image img:v1 b
	rm -rf b
	umoci config --image img:v1 --config.env FOO=bar --config.entrypoint /bin/sh \
		--config.cmd -c --config.cmd 'echo hi' --config.workingdir /data --config.user 1000
	run -0 --separate-stderr cfs-mkrootfs --from-oci img:v1 r
	[ -z "$stderr" ]
	[ "$(entries r)" = "data etc " ]
	[ "$(entries r/etc)" = "a cfs new " ]
	[ "$(stat -c %u:%g r/data/d)" = 7:8 ]
	[ "$(grep -v '^#' r/etc/cfs/image.conf)" = "workdir /data
user 1000
env FOO=bar
entrypoint /bin/sh
cmd -c
cmd echo hi" ]
}

@test "an entry / (as umoci insert DIR / and stacker write it) is the root, as ./ is" {
	python3 -c '
import io, tarfile
for name, root in (("slash.tar", "/"), ("dot.tar", "/."), ("slashes.tar", "//"),
                   ("up.tar", "/.."), ("sub.tar", "/etc")):
    with tarfile.open(name, "w") as t:
        i = tarfile.TarInfo(root); i.type = tarfile.DIRTYPE; i.mode = 0o750
        t.addfile(i)
        i = tarfile.TarInfo("etc"); i.type = tarfile.DIRTYPE; i.mode = 0o755
        t.addfile(i)
        i = tarfile.TarInfo("etc/motd"); i.size = 3; i.mode = 0o644
        t.addfile(i, io.BytesIO(b"hi\n"))'
	# a path below /, and /.., stay refused
	refused "--from-tar up.tar" "cfs-mkrootfs: up.tar: entry /../: Path is absolute"
	refused "--from-tar sub.tar" "cfs-mkrootfs: sub.tar: entry /etc/: Path is absolute"
	for t in slash dot slashes; do
		run -0 --separate-stderr cfs-mkrootfs --from-tar $t.tar r$t
		[ -z "$stderr" ]
		[ "$(cat r$t/etc/motd)" = hi ]
		[ "$(stat -c %a r$t)" = 750 ]   # the entry's mode, as ./ gives it
	done
	make_oci_tars img 1 slash.tar
	run -0 --separate-stderr cfs-mkrootfs --from-oci img:1 r
	[ "$(cat r/etc/motd)" = hi ]
	run -0 --separate-stderr cfs-mkrootfs --from-oci img:1 --layers l
	[ "$(cat "${output##*:}/etc/motd")" = hi ]   # the bottom layer
}

@test "--add copies a program with its loader and libraries; the root runs it" {
	run -0 --separate-stderr cfs-mkrootfs --add /bin/bash r
	[ -x r/bin/bash ]
	interp=$(readelf -l /bin/bash 2>/dev/null | sed -n 's/.*interpreter: \(.*\)]/\1/p') || true
	[ -z "$interp" ] || [ -f "r$interp" ]
	[ -n "$(find r -name 'libc.so*')" ]
	run -0 chroot r /bin/bash -c 'echo "$BASH_VERSION"'
	[[ "$output" == [0-9]* ]]
	# into an image, found on PATH
	mkdir l1 && echo x >l1/x
	make_oci oci latest l1
	run -0 cfs-mkrootfs --from-oci oci --add bash ri
	run -0 chroot ri "$(command -v bash)" -c 'echo ok'
	[ "$output" = ok ]
}

@test "--add refuses a relative path, a missing program, a file that is not ELF" {
	refused "--add ./bash" "cfs-mkrootfs: --add ./bash: give an absolute path (it is copied to the same path in the root)"
	refused "--add nosuchprogram" "cfs-mkrootfs: --add nosuchprogram: not found in PATH"
	refused "--add /etc/hostname" "cfs-mkrootfs: /etc/hostname: not an ELF file of this machine"
}

@test "--force replaces an image root; --layers too" {
	make_layers .
	make_oci oci latest l1 l2 l3
	run -0 cfs-mkrootfs --from-oci oci r
	run -0 cfs-mkrootfs --force --from-oci oci --layers r
	[ "$(entries r)" = "config layers " ]
	run -0 cfs-mkrootfs --force r
	[ -x r/bin/busybox ]
	[ "$(entries .)" = "l1 l2 l3 oci r " ]
}

@test "options that do not go together are usage errors" {
	touch t.tar
	run -125 --separate-stderr cfs-mkrootfs --from-tar t.tar --from-oci o r
	[[ "$stderr" == "cfs-mkrootfs: --from-tar, --from-oci and --from-docker-archive exclude each other"* ]]
	run -125 --separate-stderr cfs-mkrootfs --from-tar t.tar --layers r
	[[ "$stderr" == "cfs-mkrootfs: --layers needs --from-oci or --from-docker-archive"* ]]
	run -125 --separate-stderr cfs-mkrootfs --busybox /bin/busybox --from-tar t.tar r
	[[ "$stderr" == "cfs-mkrootfs: --busybox builds a busybox root: not with an image"* ]]
	run -125 --separate-stderr cfs-mkrootfs --from-oci o --layers a:b
	[[ "$stderr" == "cfs-mkrootfs: --layers: a:b: ':' and ',' cannot be in an overlayfs lowerdir"* ]]
	[ "$(entries .)" = "t.tar " ]
}
