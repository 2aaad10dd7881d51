#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile root file systems and images (issue 15: items 5, 6, 8 and the
# whiteout properties of 11). What a rootfs or an image holds must not
# hang the host's tools, exhaust its memory, leave files behind or reach
# a host file:
#  5. the container's /etc/passwd, /etc/group and image config as a FIFO,
#     a link to /dev/zero or a huge file (denial of service of the host's
#     tool by the container's files; CVE-2021-20291 class: a crafted
#     image hangs the tool that reads it);
#  6. archive members that are FIFOs or devices, a killed import
#     (CVE-2021-20291 class; CVE-2014-6407 class for what an archive
#     makes on the host);
#  8. an image Env entry cfs-pivot would refuse, refused on import;
# 11. whiteouts through a symlink of a lower layer, or with '..' or an
#     absolute path (CVE-2021-29136, umoci's whiteout that removed host
#     files; the tar-slip class).
load common
load helpers/image
eval "common_$(declare -f setup)"

setup() {
	common_setup
	[ "$(id -u)" -eq 0 ] || skip "needs root (device nodes, cfs-pivot)"
}

# make_tar OUT SPEC...: a tar of the entries SPEC, in order, with python's
# tarfile (names are written as given: '..' and absolute ones too):
# f:NAME[:TEXT] a file, d:NAME a directory, l:NAME:TARGET a symbolic link,
# h:NAME:TARGET a hard link, c:NAME:MAJ,MIN a character device, p:NAME a
# FIFO.
make_tar() {
	python3 - "$@" <<-'EOF'
	import io, sys, tarfile
	with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
	    for spec in sys.argv[2:]:
	        kind, name, arg = (spec.split(":", 2) + [""])[:3]
	        i = tarfile.TarInfo(name)
	        i.mode, data = 0o755 if kind == "d" else 0o644, None
	        if kind == "f":
	            data = (arg or "x").encode()
	            i.size = len(data)
	        else:
	            i.type = {"d": tarfile.DIRTYPE, "l": tarfile.SYMTYPE,
	                      "h": tarfile.LNKTYPE, "c": tarfile.CHRTYPE,
	                      "p": tarfile.FIFOTYPE}[kind]
	        if kind in "lh":
	            i.linkname = arg
	        if kind == "c":
	            i.devmajor, i.devminor = map(int, arg.split(","))
	        t.addfile(i, io.BytesIO(data) if data else None)
	EOF
}

# oci_from_tars OCI TAR...: an OCI layout (tag latest) of copies of these
# layers (helpers/image.bash).
oci_from_tars() {
	local oci=$1 f copies=()
	shift
	mkdir -p "$oci"
	for f in "$@"; do
		cp "$f" "$oci/${#copies[@]}.in.tar"
		copies+=("$oci/${#copies[@]}.in.tar")
	done
	make_oci_tars "$oci" latest "${copies[@]}"
}

# The names in the current directory, sorted, on one line.
entries() { LC_ALL=C ls -A | tr '\n' ' '; }

# bounded CMD...: run CMD (with run --separate-stderr) under timeout 10, so
# that a hang fails the test rather than hanging it, and /usr/bin/time:
# $ms is the time it took, $rss its largest resident set in KiB.
bounded() {
	local t0
	t0=$(date +%s%N)
	run --separate-stderr timeout -s KILL 10 \
		/usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/rss" "$@"
	ms=$((($(date +%s%N) - t0) / 1000000))
	rss=$(tail -n 1 "$BATS_TEST_TMPDIR/rss" 2>/dev/null || echo none)
	echo "status $status, ${ms} ms, max RSS ${rss} KiB: $stderr"
}

# Refused quickly, in little memory: exit 125, a message matching $1.
refused_quickly() {
	[ "$status" -eq 125 ]
	[[ "$stderr" == $1 ]]
	[ "$ms" -lt 2000 ]
	[ "$rss" -lt 16384 ]
}

# ---- 5. hostile rootfs files: passwd, group, image config

# A copy of the test rootfs, to make hostile: never $ROOTFS itself.
copy_rootfs() {
	root=$BATS_TEST_TMPDIR/root
	cp -a "$ROOTFS" "$root"
	mkdir -p "$root/etc/cfs"
	echo 'cmd true' >"$root/etc/cfs/image.conf"
	# the symlink's target inside the root, with or without a new /dev
	[ -e "$root/dev/zero" ] || mknod "$root/dev/zero" c 1 5
}

# hostile FILE KIND: FILE in the copy a link to /dev/zero, a FIFO, or a
# 100 MB (sparse) file.
hostile() {
	rm -f "$root/$1"
	case $2 in
	zero) ln -s /dev/zero "$root/$1" ;;
	fifo) mkfifo "$root/$1" ;;
	big) truncate -s 100M "$root/$1" ;;
	esac
}

# The message for KIND of file PATH.
reason() {
	case $1 in
	big) echo "*read $2: larger than the limit of $3" ;;
	*) echo "*read $2: not a regular file" ;;
	esac
}

@test "5: etc/passwd as /dev/zero, a FIFO, a 100 MB file: --user NAME is refused at once, in little memory" {
	copy_rootfs
	for kind in zero fifo big; do
		hostile etc/passwd $kind
		# --keep-session: timeout's kill reaches cfs-pivot
		bounded cfs-pivot --keep-session --user nobody "$root" true
		refused_quickly "$(reason $kind /etc/passwd '1 MiB')"
	done
}

@test "5: etc/group as /dev/zero, a FIFO, a 100 MB file: --user 0:GROUP is refused at once, in little memory" {
	copy_rootfs
	for kind in zero fifo big; do
		hostile etc/group $kind
		bounded cfs-pivot --keep-session --user 0:tty "$root" true
		refused_quickly "$(reason $kind /etc/group '1 MiB')"
	done
}

@test "5: an image config as /dev/zero, a FIFO, a 100 MB file: --image-config is refused at once, in little memory" {
	copy_rootfs
	for kind in zero fifo big; do
		hostile etc/cfs/image.conf $kind
		bounded cfs-pivot --keep-session --image-config "$root"
		refused_quickly "$(reason $kind "$root/etc/cfs/image.conf" '4 MiB')"
	done
}

@test "5: files at the limits are read: a passwd of just under 1 MiB, an image config of just under 4 MiB" {
	copy_rootfs
	{
		cat "$ROOTFS/etc/passwd"
		yes 'filler:x:4242:4242::/:/bin/false' | head -c $((1024 * 1024 - 4096))
		echo
		echo 'last:x:4343:4343::/:/bin/false'
	} >"$root/etc/passwd"
	{
		yes '# filler' | head -c $((4 * 1024 * 1024 - 4096))
		echo
		echo 'cmd id'
		echo 'cmd -u'
	} >"$root/etc/cfs/image.conf"
	bounded cfs-pivot --keep-session --user last --image-config "$root"
	[ "$status" -eq 0 ]
	[ "$output" = 4343 ]
}

# ---- 6. archive import: special members, signals

# A copy OUT of the docker archive base.tar whose member MEMBER is made a
# FIFO (p) or /dev/zero (c) by KIND.
special_docker() {
	local out=$1 member=$2 kind=$3
	mkdir x
	tar -C x -xf base.tar
	rm -f "x/$member"
	case $kind in
	p) mkfifo "x/$member" ;;
	c) mknod "x/$member" c 1 5 ;;
	esac
	tar -C x -cf "$out" .
	rm -rf x
}

@test "6: --from-docker-archive with a FIFO or a device as manifest, config or layer: refused at once, nothing left" {
	mkdir "$BATS_TEST_TMPDIR/w" && cd "$BATS_TEST_TMPDIR/w"
	mkdir l1 && echo x >l1/x
	make_docker base.tar l1
	rm -rf l1
	for kind in p c; do
		for member in manifest.json \
			"$(tar -tf base.tar | grep -E '^\./[0-9a-f]{64}\.json$' | cut -c3-)" \
			"$(tar -tf base.tar | grep /layer.tar | cut -c3-)"; do
			special_docker a.tar "$member" $kind
			bounded cfs-mkrootfs --from-docker-archive a.tar r
			refused_quickly "cfs-mkrootfs: a.tar: entry ./${member}: *"
			[ "$(entries)" = "a.tar base.tar " ]
		done
	done
}

@test "6: --from-oci with a FIFO or a device as a blob or index.json: refused at once, never read" {
	mkdir "$BATS_TEST_TMPDIR/w" && cd "$BATS_TEST_TMPDIR/w"
	mkdir l1 && echo x >l1/x
	make_oci base latest l1
	layer=$(ls -S base/blobs/sha256 | head -n 1)
	for kind in p c; do
		for member in "blobs/sha256/$layer" index.json; do
			rm -rf oci && cp -a base oci
			rm "oci/$member"
			case $kind in
			p) mkfifo "oci/$member" ;;
			c) mknod "oci/$member" c 1 5 ;;
			esac
			bounded cfs-mkrootfs --from-oci oci r
			refused_quickly "cfs-mkrootfs: oci: *open $member: not a regular file"
			[ "$(entries)" = "base l1 oci " ]
		done
	done
}

@test "6: --from-tar makes FIFOs and devices as what they are, never reads or writes through them" {
	mkdir "$BATS_TEST_TMPDIR/w" && cd "$BATS_TEST_TMPDIR/w"
	# a hard link with data (pax) to each: written through, it would
	# block (the FIFO) or write to the device
	python3 - <<-'EOF'
	import io, tarfile
	with tarfile.open("a.tar", "w", format=tarfile.PAX_FORMAT) as t:
	    def add(name, type, link="", data=b"", **kw):
	        i = tarfile.TarInfo(name)
	        i.type, i.linkname, i.size = type, link, len(data)
	        i.pax_headers = {"comment": "pax"}
	        for k, v in kw.items():
	            setattr(i, k, v)
	        t.addfile(i, io.BytesIO(data))
	    add("fifo", tarfile.FIFOTYPE)
	    add("null", tarfile.CHRTYPE, devmajor=1, devminor=3)
	    add("file", tarfile.REGTYPE, data=b"x")
	    add("fifo-link", tarfile.LNKTYPE, "fifo", b"data")
	    add("null-link", tarfile.LNKTYPE, "null", b"data")
	EOF
	bounded cfs-mkrootfs --from-tar a.tar r
	[ "$status" -eq 0 ]
	[ "$ms" -lt 2000 ]
	[ "$(stat -c %F r/fifo r/fifo-link)" = "fifo
fifo" ]
	[ "$(stat -c %F:%t:%T r/null r/null-link)" = "character special file:1:3
character special file:1:3" ]
	[ "$(cat r/file)" = x ]
}

# A layer (layer.tar.gz): a device node, then 400 MB of "x": 2 MB to keep,
# longer to import. And a docker archive of it, large.tar.
large_layer() {
	python3 - <<-'EOF'
	import io, tarfile, gzip
	class X(io.RawIOBase):
	    def __init__(s, n): s.n = n
	    def readable(s): return True
	    def readinto(s, b):
	        k = min(len(b), s.n); b[:k] = b"x" * k; s.n -= k; return k
	with gzip.open("layer.tar.gz", "wb", compresslevel=1) as g, \
	     tarfile.open(fileobj=g, mode="w|") as t:
	    i = tarfile.TarInfo("null")
	    i.type, i.devmajor, i.devminor = tarfile.CHRTYPE, 1, 3
	    t.addfile(i)
	    i = tarfile.TarInfo("data")
	    i.size = 400 << 20
	    t.addfile(i, io.BufferedReader(X(i.size), 1 << 20))
	EOF
	local h
	h=$(sha layer.tar.gz)
	mkdir -p x/"$h"
	cp layer.tar.gz x/"$h"/layer.tar
	config_json "\"sha256:$h\"" >x/c.json
	mv x/c.json x/"$(sha x/c.json)".json
	printf '[{"Config":"%s","Layers":["%s/layer.tar"]}]' \
		"$(cd x && ls ./*.json | cut -c3-)" "$h" >x/manifest.json
	tar -C x -cf large.tar "$h" manifest.json "$(cd x && ls ./*.json | grep -v manifest | cut -c3-)"
	rm -rf x
}

# killed_import SIGNAL FILE OPTION...: cfs-mkrootfs OPTION... r reads the
# first MB of FILE through a FIFO, which then stalls: the import is in
# the middle of FILE, its temporary directories full (a device node
# included), when SIGNAL comes. It must die of SIGNAL, leaving nothing.
killed_import() {
	local sig=$1 file=$2 pid feeder code=0
	shift 2
	mkfifo in
	(head -c 1000000 "$file"; exec sleep 60) >in &
	feeder=$!
	echo "$feeder" >>"$BATS_TEST_TMPDIR/pids"
	cfs-mkrootfs "$@" in r &
	pid=$!
	echo "$pid" >>"$BATS_TEST_TMPDIR/pids"
	for i in $(seq 200); do
		[ -n "$(find . -path './r.*' -size +100k 2>/dev/null)" ] && break
		sleep 0.05
	done
	find . -path './r.*' -printf '%p %y %s\n'
	[ -n "$(find . -path './r.*' -size +100k)" ]
	kill -"$sig" "$pid"
	run timeout 10 tail --pid="$pid" -f /dev/null
	[ "$status" -eq 0 ]
	wait "$pid" || code=$?
	kill "$feeder"
	[ "$code" -eq $((128 + $(kill -l "$sig"))) ]
	rm in
}

@test "6: SIGTERM, SIGINT or SIGHUP in the middle of an import leaves nothing: no DIR.XXXXXX, no device node" {
	mkdir "$BATS_TEST_TMPDIR/w" && cd "$BATS_TEST_TMPDIR/w"
	large_layer
	gzip -dc layer.tar.gz >layer.tar
	for sig in TERM INT HUP; do
		killed_import $sig layer.tar --from-tar
		[ "$(entries)" = "large.tar layer.tar layer.tar.gz " ]
	done
	# the docker archive: in the middle of its layer
	killed_import TERM large.tar --from-docker-archive
	[ "$(entries)" = "large.tar layer.tar layer.tar.gz " ]
}

# ---- 8. image Env, checked on import

@test "8: an image Env entry that is not KEY=VALUE (=x, no '=', a NUL) is refused on import, naming it" {
	mkdir "$BATS_TEST_TMPDIR/w" && cd "$BATS_TEST_TMPDIR/w"
	mkdir l1 && echo x >l1/x
	for env in '=x' 'NOEQUALS' '=' ; do
		rm -rf oci
		CONFIG_JSON="{\"Env\":[\"A=1\",\"$env\"]}" make_oci oci latest l1
		run -125 --separate-stderr cfs-mkrootfs --from-oci oci r
		echo "$stderr"
		[ "$stderr" = "cfs-mkrootfs: oci: image config Env: '$env' is not KEY=VALUE" ]
		[ "$(entries)" = "l1 oci " ]
	done
	rm -rf oci
	CONFIG_JSON='{"Env":["A=1","B=x\u0000y"]}' make_oci oci latest l1
	run -125 --separate-stderr cfs-mkrootfs --from-oci oci r
	echo "$stderr"
	[[ "$stderr" == *NUL* ]]
	[ "$(entries)" = "l1 oci " ]
	# what is KEY=VALUE is kept: an empty value, '=' in the value
	rm -rf oci
	CONFIG_JSON='{"Env":["A=","B=c=d"]}' make_oci oci latest l1
	run -0 cfs-mkrootfs --from-oci oci r
	[ "$(grep '^env' r/etc/cfs/image.conf)" = "env A=
env B=c=d" ]
}

# ---- 11. whiteouts never reach the host

# A host directory with a file the image must not remove or add to.
host_dir() {
	host=$BATS_TEST_TMPDIR/host
	mkdir -p "$host"
	echo host >"$host/secret"
}
host_unchanged() {
	[ "$(cat "$host/secret")" = host ]
	[ "$(cd "$host" && entries)" = "secret " ]
}

@test "11: a lower layer's etc -> /host/dir and an upper etc/.wh.secret: the host file stays (flat and --layers)" {
	mkdir "$BATS_TEST_TMPDIR/w" && cd "$BATS_TEST_TMPDIR/w"
	host_dir
	# the link's target exists in the root too, with a secret of its own
	make_tar l1.tar "l:etc:$host" "f:${host#/}/secret:inside"
	make_tar l2.tar f:etc/.wh.secret f:etc/.wh.new
	oci_from_tars oci l1.tar l2.tar
	# the same layer: the link, then whiteouts under it
	make_tar same.tar "l:etc:$host" f:etc/.wh.new f:etc/.wh.secret
	oci_from_tars oci-same same.tar
	for image in oci oci-same; do
		for layers in "" --layers; do
			run --separate-stderr cfs-mkrootfs --from-oci $image $layers r
			echo "$image $layers: $status: $stderr"
			host_unchanged
			rm -rf r
		done
	done
	# what the flat import did: the link kept, the whiteout applied to
	# the root's own path, the image's config written there
	run -0 cfs-mkrootfs --from-oci oci r
	[ "$(readlink r/etc)" = "$host" ]
	[ ! -e "r$host/secret" ]
	[ -f "r$host/cfs/image.conf" ]
	host_unchanged
}

@test "11: a whiteout whose path has '..' or is absolute is refused, like the tar '..' case (flat and --layers)" {
	mkdir "$BATS_TEST_TMPDIR/w" && cd "$BATS_TEST_TMPDIR/w"
	host_dir
	make_tar l1.tar d:a f:a/secret f:secret
	for wh in "a/../.wh.secret" "../.wh.secret" "a/../../.wh.secret" "$host/.wh.secret" "/.wh.secret"; do
		make_tar l2.tar d:a "f:$wh"
		rm -rf oci
		oci_from_tars oci l1.tar l2.tar
		for layers in "" --layers; do
			run -125 --separate-stderr cfs-mkrootfs --from-oci oci $layers r
			echo "$wh $layers: $stderr"
			case $wh in
			/*) [ "$stderr" = "cfs-mkrootfs: oci: layer 2: whiteout $wh: path outside the layer" ] ;;
			*) [ "$stderr" = "cfs-mkrootfs: oci: layer 2: whiteout $wh: path contains '..'" ] ;;
			esac
			[ "$(entries)" = "l1.tar l2.tar oci " ]
			host_unchanged
		done
	done
}
