#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Where images come from: a registry, with Debian's real clients. Each
# test starts a docker-registry of its own (127.0.0.1, a free port, plain
# http, no auth, storage in the test's directory) and stops it by PID.
# Our busybox root is made an image with umoci, pushed with skopeo,
# pulled back into an OCI layout, unpacked with cfs-mkrootfs --from-oci
# and run with cfs-unshare and cfs-pivot: the pipeline README.md shows
# for docker.io.
load common
eval "common_$(declare -f setup)"
eval "common_$(declare -f teardown)"

setup() {
	common_setup
	[ "$(id -u)" -eq 0 ] || skip "needs root (containers of every namespace)"
	mkdir -m 700 "$BATS_TEST_TMPDIR/w" && cd "$BATS_TEST_TMPDIR/w" || return
	start_registry
}

teardown() {
	stop_registry
	common_teardown
}

# A registry on a port nobody listens on: picked at random and checked
# with ss; if another program takes it before the registry binds it, the
# registry exits and another port is tried.
start_registry() {
	local dir=$BATS_TEST_TMPDIR/registry try i
	mkdir -p "$dir/storage"
	for try in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 40000))
		[ -z "$(ss -Hltn "sport = :$port")" ] || continue
		cat >"$dir/config.yml" <<-EOF
			version: 0.1
			log:
			  accesslog:
			    disabled: true
			storage:
			  filesystem:
			    rootdirectory: $dir/storage
			http:
			  addr: 127.0.0.1:$port
		EOF
		docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 3>&- &
		registry=$!
		for i in $(seq 100); do   # 10 s at most
			if grep -q "listening on 127.0.0.1:$port" "$dir/log" &&
				curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/"; then
				return 0
			fi
			kill -0 "$registry" 2>/dev/null || break
			sleep 0.1
		done
		cat "$dir/log"
		stop_registry
	done
	echo "no registry on 127.0.0.1 after 5 ports" >&2
	return 1
}

# TERM, KILL after 5 s, reaped; then nothing listens on its port.
stop_registry() {
	local i
	[ -n "${registry:-}" ] || return 0
	kill -TERM "$registry" 2>/dev/null || true
	for i in $(seq 50); do
		case $(ps -o stat= -p "$registry") in Z* | "") break ;; esac
		sleep 0.1
	done
	kill -KILL "$registry" 2>/dev/null || true
	wait "$registry" 2>/dev/null || true
	registry=
	[ -z "$(ss -Hltn "sport = :$port")" ]
}

# skopeo as root keeps a blob cache in /var/lib/containers/cache, and big
# temporary files in /var/tmp: give it a /var/lib of its own (a tmpfs, in
# a mount namespace of its own) and the test's directory, so that nothing
# is left on the host. A user types plain skopeo.
skopeo() {
	TMPDIR=$BATS_TEST_TMPDIR unshare --mount --propagation private -- \
		sh -c 'mount -t tmpfs -o mode=0755 cfs-test /var/lib &&
			exec skopeo "$@"' skopeo "$@"
}

# ./img:1, an OCI layout of a busybox root made by cfs-mkrootfs, with a
# file of ours in it and a command in its config.
make_image() {
	cfs-mkrootfs ./rootfs
	echo "made by registry.bats" >rootfs/etc/cfs-test
	# umoci insert ... / would be shorter, but Debian's umoci 0.4.7
	# writes that layer without the tar's end (umoci#436)
	umoci init --layout img
	umoci new --image img:1
	umoci unpack --image img:1 bundle
	cp -a rootfs/. bundle/rootfs/
	umoci repack --image img:1 bundle
	umoci config --image img:1 --config.cmd sh --config.cmd -c \
		--config.cmd 'echo "$(cat /etc/cfs-test) as PID $$"'
	rm -rf bundle rootfs
}

@test "an image pushed to a registry and pulled back runs: our file, busybox, PID 1" {
	make_image
	run -0 skopeo copy --dest-tls-verify=false oci:img:1 \
		"docker://127.0.0.1:$port/cfs-test:1"
	run -0 curl -fsS "http://127.0.0.1:$port/v2/cfs-test/tags/list"
	[ "$output" = '{"name":"cfs-test","tags":["1"]}' ]
	rm -rf img   # what runs next comes from the registry

	run -0 skopeo copy --src-tls-verify=false \
		"docker://127.0.0.1:$port/cfs-test:1" oci:pulled:1
	run -0 --separate-stderr cfs-mkrootfs --from-oci pulled:1 ./c
	[ -z "$stderr" ]

	run -0 --separate-stderr cfs-unshare --uts --pid --mount --ipc --net \
		--cgroup --fork -- cfs-pivot ./c -- \
		sh -c 'cat /etc/cfs-test; echo $$; busybox | head -1'
	[ "${lines[0]}" = "made by registry.bats" ]
	[ "${lines[1]}" = 1 ]
	[[ "${lines[2]}" == "BusyBox v"* ]]
	# the image's own command, from its config
	run -0 --separate-stderr cfs-unshare --pid --mount --fork -- \
		cfs-pivot --image-config ./c
	[ "$output" = "made by registry.bats as PID 1" ]

	# a tag the layout does not have: cfs-mkrootfs names it, makes nothing
	run -125 --separate-stderr cfs-mkrootfs --from-oci pulled:2 ./d
	[ "$stderr" = "cfs-mkrootfs: pulled: index.json: no manifest tagged 2" ]
	[ ! -e d ]
}

@test "a tag the registry does not have is skopeo's clear error; --from-oci of a missing or empty layout names it" {
	run -1 skopeo copy --src-tls-verify=false \
		"docker://127.0.0.1:$port/cfs-test:nope" oci:pulled:nope
	[[ "$output" == *"reading manifest nope in 127.0.0.1:$port/cfs-test: manifest unknown"* ]]

	run -125 --separate-stderr cfs-mkrootfs --from-oci ./missing:1 ./c
	[ "$stderr" = "cfs-mkrootfs: open ./missing: No such file or directory" ]
	mkdir empty
	run -125 --separate-stderr cfs-mkrootfs --from-oci empty:1 ./c
	[ "$stderr" = "cfs-mkrootfs: empty: open oci-layout: No such file or directory" ]
	[ ! -e c ]
}
