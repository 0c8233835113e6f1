#!/usr/bin/env bash
# Builds the etcd and kube-apiserver that the Kubernetes tests (tests/kube/) start
# on loopback, pinned, from the Go module proxy with the ordinary `go` client.
#
# Usage: scripts/build-kube.sh [etcd] [kube-apiserver]     (default: both)
# Output: ${FO_TOOLS_DIR:-<repo>/.tools}/bin/{etcd,kube-apiserver}
#
# Both come from one tools module of ours, tests/tools/kube/ (go.mod + go.sum
# committed, so the module graph is pinned): k8s.io/kubernetes requires its
# staging modules (k8s.io/api, ...) at v0.0.0 and replaces them with paths in its
# own tree, so the tools module repeats those replace lines with the published
# staging releases; etcd is the version kubernetes itself requires. Caches as in
# scripts/build-clients.sh: module downloads and build results stay in the Go
# caches, and a binary that already reports the pinned version is not rebuilt.
# The build runs with -p ${FO_KUBE_BUILD_P:-2} (the machines have 2 cores).
# Progress goes to stderr.
set -euo pipefail

# Pinned versions: must match tests/tools/kube/go.mod.
KUBE_VERSION=1.34.4
ETCD_VERSION=3.6.4

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools_dir=${FO_TOOLS_DIR:-$repo/.tools}
mkdir -p "$tools_dir"
tools_dir=$(cd "$tools_dir" && pwd) # the build runs in another directory
bin_dir=$tools_dir/bin
mod=$repo/tests/tools/kube

say() { printf 'build-kube: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

command -v go >/dev/null 2>&1 || PATH=$PATH:/usr/local/go/bin
command -v go >/dev/null 2>&1 || die "'go' not found (Go >= 1.24 is needed)"

export GOTOOLCHAIN=${GOTOOLCHAIN:-local}
export GOFLAGS="${GOFLAGS:-} -trimpath -buildvcs=false -mod=readonly"
export CGO_ENABLED=${CGO_ENABLED:-0}
jobs=${FO_KUBE_BUILD_P:-2}

# reports_version NAME BINARY VERSION: does BINARY run and report exactly VERSION?
reports_version() {
	local out
	[ -x "$2" ] || return 1
	case $1 in
	etcd)
		out=$("$2" --version 2>/dev/null | sed -n 1p) || return 1
		[ "$out" = "etcd Version: $3" ]
		;;
	kube-apiserver)
		out=$("$2" --version 2>/dev/null | sed -n 1p) || return 1
		[ "$out" = "Kubernetes v$3" ]
		;;
	esac
}

# build NAME VERSION PACKAGE [LDFLAGS]
build() {
	local name=$1 version=$2 pkg=$3 ldflags="-s -w ${4:-}"
	local out=$bin_dir/$name start end tmp

	if reports_version "$name" "$out" "$version"; then
		say "$name v$version already built: $out"
		return 0
	fi
	[ -f "$mod/go.mod" ] || die "missing tools module $mod/go.mod"
	say "building $name v$version from $pkg (first build takes many minutes) ..."
	start=$(date +%s)
	mkdir -p "$bin_dir"
	tmp=$(mktemp "$bin_dir/.$name.XXXXXX")
	if ! (cd "$mod" && go build -p "$jobs" -o "$tmp" -ldflags "$ldflags" "$pkg"); then
		rm -f "$tmp"
		die "go build of $name failed"
	fi
	mv -f "$tmp" "$out"
	end=$(date +%s)
	reports_version "$name" "$out" "$version" ||
		die "$out does not report $version: $("$out" --version 2>&1 | sed -n 1p)"
	say "built $name v$version in $((end - start))s: $out"
}

grep -qE "^[[:space:]]*k8s.io/kubernetes v$KUBE_VERSION([[:space:]]|\$)" "$mod/go.mod" ||
	die "$mod/go.mod does not require k8s.io/kubernetes v$KUBE_VERSION (keep them in step)"
grep -qE "^[[:space:]]*(require[[:space:]]+)?go.etcd.io/etcd/server/v3 v$ETCD_VERSION([[:space:]]|\$)" "$mod/go.mod" ||
	die "$mod/go.mod does not require etcd v$ETCD_VERSION (keep them in step)"

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(etcd kube-apiserver)
for w in "${want[@]}"; do
	case $w in
	etcd)
		build etcd "$ETCD_VERSION" failover.local/tests/tools/kube/etcd
		;;
	kube-apiserver)
		# What the release build stamps: without it the binary says v0.0.0-master.
		v=k8s.io/component-base/version
		build kube-apiserver "$KUBE_VERSION" k8s.io/kubernetes/cmd/kube-apiserver \
			"-X $v.gitVersion=v$KUBE_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$(echo "$KUBE_VERSION" | cut -d. -f2) -X $v.gitTreeState=clean"
		;;
	*) die "unknown tool '$w' (expected etcd or kube-apiserver)" ;;
	esac
done
