#!/usr/bin/env bash
# Builds the real clients the e2e tests drive: OpenTofu and HashiCorp Terraform,
# pinned, from the Go module proxy with the ordinary `go` client.
#
# Usage: scripts/build-clients.sh [tofu] [terraform]     (default: both)
# Output: ${FO_TOOLS_DIR:-<repo>/.tools}/bin/{tofu,terraform}
#
# Each client is built from a small tools module of ours under
# tests/tools/clients/<name>/ (go.mod + go.sum committed, so the exact module
# graph is pinned): OpenTofu's go.mod has an hcl `replace`, which `go install
# pkg@version` refuses, so the tools module repeats it. Module downloads and
# build results stay in the normal Go caches (GOMODCACHE, GOCACHE), so a rebuild
# is fast; a binary that already reports the pinned version is not rebuilt.
# Progress goes to stderr.
set -euo pipefail

# Pinned versions: must match the `require` lines in tests/tools/clients/*/go.mod.
TOFU_VERSION=1.10.10
TERRAFORM_VERSION=1.8.5

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools_dir=${FO_TOOLS_DIR:-$repo/.tools}
mkdir -p "$tools_dir"
tools_dir=$(cd "$tools_dir" && pwd) # the build runs in another directory
bin_dir=$tools_dir/bin
clients_dir=$repo/tests/tools/clients

say() { printf 'build-clients: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

command -v go >/dev/null 2>&1 || PATH=$PATH:/usr/local/go/bin
command -v go >/dev/null 2>&1 || die "'go' not found (Go >= 1.24.13 is needed)"

# The local toolchain builds everything; set GOTOOLCHAIN=auto yourself to let an
# older Go fetch a newer toolchain from the proxy.
export GOTOOLCHAIN=${GOTOOLCHAIN:-local}
export GOFLAGS="${GOFLAGS:-} -trimpath -buildvcs=false -mod=readonly"
export CGO_ENABLED=${CGO_ENABLED:-0}

# reports_version BINARY VERSION: does BINARY run and print exactly vVERSION
# (release build, not "-dev") on its first line of `version`?
reports_version() {
	local line
	[ -x "$1" ] || return 1
	# An empty CLI config: a TF_CLI_CONFIG_FILE naming a missing file makes the
	# clients print a warning before the version.
	line=$(TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$1" version 2>/dev/null | sed -n 1p) || return 1
	case $line in
	"OpenTofu v$2" | "Terraform v$2") return 0 ;;
	*) return 1 ;;
	esac
}

# build NAME VERSION MODULE PACKAGE
build() {
	local name=$1 version=$2 modpath=$3 pkg=$4 version_pkg=$3/version
	local out=$bin_dir/$name mod=$clients_dir/$name
	local start end tmp

	if reports_version "$out" "$version"; then
		say "$name v$version already built: $out"
		return 0
	fi
	[ -f "$mod/go.mod" ] || die "missing tools module $mod/go.mod"
	grep -qE "^[[:space:]]*(require[[:space:]]+)?$modpath v$version([[:space:]]|\$)" "$mod/go.mod" ||
		die "$mod/go.mod does not require v$version (keep them in step)"

	say "building $name v$version from $pkg (first build takes several minutes) ..."
	start=$(date +%s)
	mkdir -p "$bin_dir"
	tmp=$(mktemp "$bin_dir/.$name.XXXXXX")
	# `dev=no` is what the release builds set: without it the binary says
	# "v$version-dev".
	if ! (cd "$mod" && go build -o "$tmp" \
		-ldflags "-s -w -X $version_pkg.dev=no" "$pkg"); then
		rm -f "$tmp"
		die "go build of $name failed"
	fi
	mv -f "$tmp" "$out"
	end=$(date +%s)
	reports_version "$out" "$version" ||
		die "$out does not report v$version: $(TF_CLI_CONFIG_FILE=/dev/null "$out" version 2>&1 | sed -n 1p)"
	say "built $name v$version in $((end - start))s: $out"
}

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(tofu terraform)
for w in "${want[@]}"; do
	case $w in
	tofu)
		build tofu "$TOFU_VERSION" github.com/opentofu/opentofu \
			github.com/opentofu/opentofu/cmd/tofu
		;;
	terraform)
		build terraform "$TERRAFORM_VERSION" github.com/hashicorp/terraform \
			github.com/hashicorp/terraform
		;;
	*) die "unknown client '$w' (expected tofu or terraform)" ;;
	esac
done

for w in "${want[@]}"; do
	TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$bin_dir/$w" version 2>/dev/null | sed -n 1p >&2
done
