#!/bin/sh
# Transport benchmark (CTest label `bench`, not part of the normal run).
# usage: bench.sh TEST_PROVIDER GO_CLIENT [REAL_PROVIDER]
# Prints, for each binary given:
#   - start -> handshake line: median over $FO_BENCH_RUNS launches (AutoMTLS,
#     our launcher; P-256 key generation included), and the unary round trip
#     (echo for the test provider, GetProviderSchema for the real one) median/p90;
#   - the same start as seen by HashiCorp's go-plugin client (its own key included);
#   - peak RSS (/usr/bin/time -v "Maximum resident set size") of the provider
#     idle (handshake, health check, Shutdown) and under the raw test's load
#     (50 concurrent calls, 5 MiB messages for the test provider).
set -eu
[ $# -ge 2 ] || { echo "usage: bench.sh TEST_PROVIDER GO_CLIENT [REAL_PROVIDER]" >&2; exit 2; }
testprov=$1
client=$2
realprov=${3:-}
runs=${FO_BENCH_RUNS:-30}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (Debian package 'time')" >&2; exit 1; }

rss() { # $1 = label, rest = client args; prints the provider's peak RSS
  label=$1; shift
  "$client" "$@" --wrap "/usr/bin/time -v -o $tmp/time.txt" >/dev/null
  kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$tmp/time.txt")
  echo "  peak RSS $label: $kb KiB"
}

bench_one() { # $1 = name, $2 = binary, rest = client flags
  name=$1; bin=$2; shift 2
  echo "== $name ($bin)"
  "$client" bench --runs "$runs" --provider "$bin" "$@" | sed 's/^/  /'
  "$client" goplugin --runs 10 --provider "$bin" "$@" | sed 's/^ok: /  go-plugin: /'
  rss "idle (handshake + health + Shutdown)" bench --runs 1 --calls 1 --provider "$bin" "$@"
  rss "under the raw protocol test" raw --provider "$bin" "$@"
}

bench_one fo-test-provider "$testprov" --test-provider
if [ -n "$realprov" ]; then
  if [ -x "$realprov" ]; then
    bench_one terraform-provider-failover "$realprov" --bad-method /tfplugin6.Provider/ValidateProviderConfig
  else
    echo "== terraform-provider-failover: not built ($realprov)"
  fi
fi
