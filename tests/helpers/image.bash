# SPDX-License-Identifier: GPL-2.0-or-later
# Images made with tar and sha256sum, for the cfs-mkrootfs image tests.
# Each layer is a directory; every file is given a fixed time and owner.

# layer_tar DIR OUT [gzip|zstd|xz]: DIR's content as a tar, compressed.
layer_tar() {
	tar -C "$1" --sort=name --mtime=@0 --numeric-owner -cf "$2.tmp" .
	case ${3:-} in
	gzip) gzip -n -c "$2.tmp" >"$2" ;;
	zstd) zstd -q -c "$2.tmp" >"$2" ;;
	xz) xz -c "$2.tmp" >"$2" ;;
	*) cp "$2.tmp" "$2" ;;
	esac
	rm -f "$2.tmp"
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# blob OCI FILE: FILE moved to OCI's blobs; prints "HEX SIZE".
blob() {
	local h s
	h=$(sha "$2")
	s=$(stat -c %s "$2")
	mv "$2" "$1/blobs/sha256/$h"
	echo "$h $s"
}

# The image config, with the layers' diff_ids: $CONFIG_JSON (the
# "config" object) if set.
config_json() {
	local ids=$1
	printf '{"architecture":"amd64","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":[%s]}}' \
		"${CONFIG_JSON:-{\}}" "$ids"
}

# make_oci_tars OCI TAG TAR...: an OCI layout of these layer tars, each
# gzipped but the first (plain); LAYER_TYPE overrides the media type of
# the last. The tars are moved into it.
make_oci_tars() {
	local oci=$1 tag=$2 layers="" ids="" i=0 f h s c m t
	shift 2
	mkdir -p "$oci/blobs/sha256"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$oci/oci-layout"
	for f in "$@"; do
		i=$((i + 1))
		mv "$f" "$oci/l.tar"
		ids="$ids${ids:+,}\"sha256:$(sha "$oci/l.tar")\""
		t=application/vnd.oci.image.layer.v1.tar
		if [ $i -gt 1 ]; then
			gzip -n "$oci/l.tar" && mv "$oci/l.tar.gz" "$oci/l.tar"
			t=$t+gzip
		fi
		[ $i -eq $# ] && t=${LAYER_TYPE:-$t}
		read -r h s < <(blob "$oci" "$oci/l.tar")
		layers="$layers${layers:+,}{\"mediaType\":\"$t\",\"digest\":\"sha256:$h\",\"size\":$s}"
	done
	config_json "$ids" >"$oci/c.json"
	read -r c s < <(blob "$oci" "$oci/c.json")
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
		"$c" "$s" "$layers" >"$oci/m.json"
	read -r m s < <(blob "$oci" "$oci/m.json")
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' \
		"$m" "$s" "$tag" >"$oci/index.json"
}

# make_oci OCI TAG LAYERDIR...: the same, of directories.
make_oci() {
	local oci=$1 tag=$2 d i=0 tars=()
	shift 2
	mkdir -p "$oci"
	for d in "$@"; do
		i=$((i + 1))
		layer_tar "$d" "$oci/layer$i.tar"
		tars+=("$oci/layer$i.tar")
	done
	make_oci_tars "$oci" "$tag" "${tars[@]}"
}

# make_docker FILE LAYERDIR...: a `docker save` archive as Docker < 25
# writes it (HEX/layer.tar, HEX.json); with DOCKER25=1 as Docker 25 does
# (blobs/sha256/HEX for both).
make_docker() {
	local out=$1 w ids="" layers="" d h l c
	shift
	w=$(mktemp -d "$out.XXXXXX")
	mkdir -p "$w/blobs/sha256"
	for d in "$@"; do
		layer_tar "$d" "$w/l.tar"
		h=$(sha "$w/l.tar")
		l=$h/layer.tar
		[ -n "${DOCKER25:-}" ] && l=blobs/sha256/$h
		mkdir -p "$w/$(dirname "$l")"
		mv "$w/l.tar" "$w/$l"
		ids="$ids${ids:+,}\"sha256:$h\""
		layers="$layers${layers:+,}\"$l\""
	done
	config_json "$ids" >"$w/c.json"
	h=$(sha "$w/c.json")
	c=$h.json
	[ -n "${DOCKER25:-}" ] && c=blobs/sha256/$h
	mv "$w/c.json" "$w/$c"
	printf '[{"Config":"%s","RepoTags":["test:latest"],"Layers":[%s]}]' \
		"$c" "$layers" >"$w/manifest.json"
	tar -C "$w" -cf "$out" .
	rm -rf "$w"
}

# Three layers: a base, one with a whiteout and an opaque directory, one
# more file; in $1/l1 $1/l2 $1/l3.
make_layers() {
	local b=$1
	mkdir -p "$b/l1/etc" "$b/l1/opq" "$b/l1/bin" "$b/l2/opq" "$b/l2/etc" "$b/l3/srv"
	echo base >"$b/l1/etc/base"
	echo gone >"$b/l1/etc/gone"
	echo old >"$b/l1/opq/old"
	echo tool >"$b/l1/bin/tool"
	chmod 4755 "$b/l1/bin/tool"
	chown 1234:5678 "$b/l1/etc/base"
	touch "$b/l2/etc/.wh.gone" "$b/l2/opq/.wh..wh..opq"
	echo new >"$b/l2/opq/new"
	echo top >"$b/l3/srv/top"
	chmod 600 "$b/l3/srv/top"
}
