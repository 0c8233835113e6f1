#!/usr/bin/env bash
# bench/peers/build-aws-provider.sh: builds hashicorp/terraform-provider-aws, the
# peer of bench/route53.sh, once, from the Go module proxy, into a cache outside the test run.
# It is slow (over an hour of CPU, ~3.5 GB), so it runs at nice 19 and `-p 1` and
# is never part of scripts/test-all.sh or a ctest label; bench/route53.sh only reads the cache.
# usage: bench/peers/build-aws-provider.sh   (prints the binary's path, or why there is none)
# env: FO_BENCH_AWS_CACHE (default $FO_TOOLS_DIR/bench/aws-provider, else bench/out/aws-provider),
#      FO_BENCH_AWS_VERSION (default: the newest version the proxy lists), GO, FO_BENCH_AWS_JOBS (1)
# Writes $cache/STATUS: "ok <binary> <version>" or "unusable: <why>"; the log is $cache/build.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
module=github.com/hashicorp/terraform-provider-aws
default_cache=$here/../out/aws-provider
[ -n "${FO_TOOLS_DIR:-}" ] && default_cache=$FO_TOOLS_DIR/bench/aws-provider
cache=${FO_BENCH_AWS_CACHE:-$default_cache}
GO=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
jobs=${FO_BENCH_AWS_JOBS:-1}
[ -x /usr/bin/time ] || { echo "build-aws-provider: /usr/bin/time is missing (Debian package 'time')" >&2; exit 1; }
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
log=$cache/build.log
status=$cache/STATUS
: >"$log"
say() { echo "build-aws-provider: $*" | tee -a "$log" >&2; }
unusable() {
  echo "unusable: $*" >"$status"
  say "unusable: $*"
  exit 1
}
echo "building" >"$status"

# A release tag is a Go module version only while the module path carries its
# major version (/v6); this module's go.mod never did, so the proxy can list v1.x only.
versions=$(cd "$cache" && GOFLAGS=-mod=mod "$GO" list -m -versions "$module" 2>>"$log" | cut -d' ' -f2-) ||
  unusable "the Go module proxy lists no version of $module (see $log)"
say "versions the proxy lists: ${versions:-none}"
version=${FO_BENCH_AWS_VERSION:-${versions##* }}
[ -n "$version" ] || unusable "the Go module proxy lists no version of $module"
bin=$cache/terraform-provider-aws_$version

build() {
  local json dir src declared start why
  say "downloading $module@$version"
  json=$(cd "$cache" && "$GO" mod download -json "$module@$version" 2>>"$log") ||
    unusable "the Go module proxy refused $module@$version (see $log)"
  dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$dir" ] || unusable "go mod download gave no source directory for $module@$version"
  src=$cache/src-$version
  rm -rf "$src"
  cp -r "$dir" "$src" # the module cache is read-only and the build edits go.sum
  chmod -R u+w "$src"
  declared=$(sed -n 's/^module[[:space:]]*//p' "$src/go.mod" | head -n1)
  say "go.mod of $version declares module $declared; building in $src (nice 19, -p $jobs)"
  start=$(date +%s)
  if ! (cd "$src" && rm -rf vendor && CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 19 \
    /usr/bin/time -v "$GO" build -p "$jobs" -trimpath -ldflags="-s -w" -o "$bin.tmp" . >>"$log" 2>&1); then
    why=$(grep -m3 -E 'go: |cannot|not available|Forbidden|error' "$log" | tr '\n' ' ' | cut -c1-400)
    unusable "go build of $module@$version failed after $(($(date +%s) - start)) s: $why"
  fi
  mv "$bin.tmp" "$bin"
  say "built $bin in $(($(date +%s) - start)) s ($(du -k "$bin" | cut -f1) KiB;" \
    "peak RSS of the build $(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log" | tail -n1) KiB)"
}

# tofu and terraform speak plugin protocol 5 and 6 only; a provider of the
# Terraform 0.11 era answers the handshake with protocol 4 (net/rpc) and is refused.
check_protocol() {
  local handshake proto sock
  handshake=$(TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2 \
    PLUGIN_PROTOCOL_VERSIONS=4,5,6 timeout 20 "$bin" 2>/dev/null | head -n1 || true)
  say "handshake: ${handshake:-none}"
  proto=$(printf '%s' "$handshake" | cut -d'|' -f2)
  sock=$(printf '%s' "$handshake" | cut -d'|' -f4)
  case $sock in /tmp/plugin*) rm -f "$sock" ;; esac # left by the killed plugin
  case $proto in
    5 | 6) ;;
    *) unusable "$module@$version answers the plugin handshake with protocol ${proto:-none} (${handshake:-no handshake});" \
      "tofu and terraform speak 5 and 6 only. It is the newest version the Go module proxy serves: the releases" \
      "after it are not Go module versions of this path (its go.mod never took a /vN suffix) and the proxy refuses" \
      "commit and branch queries (403 'This module version is not available')" ;;
  esac
}

if [ -x "$bin" ]; then
  say "$bin is built already (remove it to build again)"
else
  build
fi
check_protocol
echo "ok $bin $version" >"$status"
echo "$bin"
