#!/usr/bin/env bash
# bench/run.sh: the project's benchmarks in one command; figures, never a
# pass/fail on a time. Writes bench/out/report.md (the tables) and prints it.
#   1. provider process: ours (dev build, and the release build when
#      FO_BENCH_RELEASE names it) against the terraform-plugin-framework peer
#      (bench/peers/framework), alternately, FO_BENCH_ROUNDS rounds, medians;
#      plus callgrind instruction counts to the handshake, and the kernel's teardown time (exit_floor.py);
#   2. whole tofu/terraform runs (validate, plan, apply, refresh; 1 and 100 resources);
#   3. the auditor's large diff (tests/audit/bench/bench.sh: failover-audit vs jq vs deepdiff);
#   4. the AWS client: signed requests/s to moto vs boto3 (tests/aws/bench_signed_requests.py);
#   5. (r53) Route 53 at scale: 200 failover_weight_pair vs the same 400 aws_route53_record of
#      hashicorp/terraform-provider-aws in moto (bench/route53.sh; the peer is built once, apart,
#      by bench/peers/build-aws-provider.sh, and left out with the reason when it cannot be).
# usage: bench/run.sh [--quick] [--release PATH]
#   --quick   one short round of everything (the ctest `bench` smoke)
# env: FO_TOOLS_DIR (tofu, terraform; required for part 2), FO_BENCH_BUILD (default build/dev),
#      FO_BENCH_RELEASE (a release binary), FO_BENCH_ROUNDS (5), FO_BENCH_CLI_ROUNDS (= rounds),
#      FO_BENCH_CALLS (400), FO_BENCH_R53_PAIRS (200), FO_BENCH_R53_CLIENTS ("tofu terraform"),
#      FO_BENCH_AWS_PROVIDER (the r53 peer binary, default the cached build),
#      FO_BENCH_OUT (default bench/out), FO_BENCH_PARTS (default "provider ir cli audit aws r53").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
quick=0
release=${FO_BENCH_RELEASE:-}
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --release) release=$2; shift ;;
    *) echo "usage: bench/run.sh [--quick] [--release PATH]" >&2; exit 2 ;;
  esac
  shift
done
build=${FO_BENCH_BUILD:-$root/build/dev}
out=${FO_BENCH_OUT:-$here/out}
rounds=${FO_BENCH_ROUNDS:-5}
cli_rounds=${FO_BENCH_CLI_ROUNDS:-$rounds}
calls=${FO_BENCH_CALLS:-400}
parts=${FO_BENCH_PARTS:-provider ir cli audit aws r53}
cli_sizes="1 100"
if [ "$quick" = 1 ]; then
  rounds=1 cli_rounds=1 calls=20 cli_sizes=1
  export FO_BENCH_RESOURCES=${FO_BENCH_RESOURCES:-200} FO_BENCH_CONFIGMAPS=${FO_BENCH_CONFIGMAPS:-50} FO_BENCH_N=${FO_BENCH_N:-100}
  export FO_BENCH_R53_PAIRS=${FO_BENCH_R53_PAIRS:-10} FO_BENCH_R53_CLIENTS=${FO_BENCH_R53_CLIENTS:-tofu}
fi
GO=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
ours=$build/provider/terraform-provider-failover
audit=$build/auditor/failover-audit
[ -x "$ours" ] || { echo "bench: $ours is not built (cmake --build $build)" >&2; exit 1; }
mkdir -p "$out"
report=$out/report.md

# the peer is built as HashiCorp ships providers (goreleaser: CGO off, trimmed, stripped)
echo "bench: building the peer and the driver" >&2
(cd "$here/peers/framework" && CGO_ENABLED=0 GOFLAGS=-mod=readonly "$GO" build -trimpath -ldflags="-s -w" -o "$out/peer-framework" .)
(cd "$here/driver" && GOFLAGS=-mod=readonly "$GO" build -o "$out/fo-bench" .)
peer=$out/peer-framework
targets=("ours=$ours")
if [ -n "$release" ]; then
  [ -x "$release" ] || { echo "bench: release binary $release not found" >&2; exit 1; }
  targets+=("ours-release=$release")
fi
targets+=("peer=$peer")
# Every binary is measured from a copy written by cp, as an unzip writes it: the peak RSS of the same binary
# moved from 8.6 to 16.4 MiB when its file came from `strip -o` (page-cache pages in large folios, which the
# kernel's fault-around maps whole; docs/benchmarks.md).
mkdir -p "$out/bin"
for i in "${!targets[@]}"; do
  t=${targets[$i]}
  rm -f "$out/bin/${t%%=*}"
  cp "${t#*=}" "$out/bin/${t%%=*}"
  targets[$i]="${t%%=*}=$out/bin/${t%%=*}"
done

{
  echo "# Benchmark report"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs," \
    "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), Linux $(uname -r)," \
    "load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- ours: $ours ($(du -k "$ours" | cut -f1) KiB)${release:+; release: $release}"
  echo "- peer: terraform-plugin-framework $(grep -o 'terraform-plugin-framework v[0-9.]*' "$here/peers/framework/go.mod" | head -n1 | cut -d' ' -f2), $($GO version | awk '{print $3}')"
  [ -n "${FO_TOOLS_DIR:-}" ] && for c in tofu terraform; do
    [ -x "$FO_TOOLS_DIR/bin/$c" ] && echo "- $("$FO_TOOLS_DIR/bin/$c" version 2>/dev/null | head -n1)"
  done
  echo
} >"$report"

if [[ " $parts " == *" provider "* ]]; then
  echo "bench: provider process ($rounds rounds)" >&2
  {
    echo "## 1. Provider process"
    echo
    "$out/fo-bench" provider --rounds "$rounds" --calls "$calls" --json "$out/provider.json" "${targets[@]}"
    echo
    echo "The floor under Shutdown → exit: the kernel's teardown of the process alone (bench/exit_floor.py):"
    echo
    python3 "$here/exit_floor.py" --rounds "$rounds" "${targets[@]}"
    echo
  } >>"$report"
fi

if [[ " $parts " == *" ir "* ]] && command -v valgrind >/dev/null; then
  echo "bench: callgrind to the handshake" >&2
  {
    echo "Instructions from exec to the handshake line (callgrind; stable where times are not):"
    echo
    echo "| provider | plaintext | AutoMTLS |"
    echo "|---|---:|---:|"
    for t in "${targets[@]}"; do
      echo "| ${t%%=*} | $("$out/fo-bench" ir "${t#*=}") | $("$out/fo-bench" ir --tls "${t#*=}") |"
    done
    echo
  } >>"$report"
fi

if [[ " $parts " == *" cli "* ]] && [ -n "${FO_TOOLS_DIR:-}" ]; then
  echo "bench: whole CLI runs" >&2
  {
    echo "## 2. Whole CLI runs (wall time, median of $cli_rounds rounds)"
    echo
    FO_BENCH_CLI_SIZES=$cli_sizes bash "$here/cli.sh" "$out/cli" "$cli_rounds" "${targets[@]}"
    echo
  } >>"$report"
fi

if [[ " $parts " == *" audit "* ]] && [ -x "$audit" ]; then
  echo "bench: auditor" >&2
  {
    echo "## 3. Auditor: large diff"
    echo
    echo '```'
    FO_AUDIT_BIN=$audit FO_AUDIT_WORK=$out/audit bash "$root/tests/audit/bench/bench.sh"
    echo '```'
  } >>"$report"
fi

awscli=$build/tests/aws/fo_aws_cli
if [[ " $parts " == *" aws "* ]] && [ -x "$awscli" ] && [ -n "${FO_TOOLS_DIR:-}" ]; then
  echo "bench: AWS client" >&2
  {
    echo "## 4. AWS client: signed requests to moto"
    echo
    echo '```'
    FO_AWS_CLI=$awscli FO_REPO_DIR=$root sh "$root/tests/aws/run-py.sh" "$root/tests/aws/bench_signed_requests.py" 2>&1
    echo '```'
  } >>"$report"
fi

if [[ " $parts " == *" r53 "* ]] && [ -n "${FO_TOOLS_DIR:-}" ]; then
  echo "bench: Route 53 at scale" >&2
  ours_targets=("${targets[@]::${#targets[@]}-1}") # the framework peer has no weight pair
  {
    echo "## 5. Route 53 at scale: failover_weight_pair vs aws_route53_record"
    echo
    bash "$here/route53.sh" "$out/r53" "$cli_rounds" "${ours_targets[@]}"
    echo
  } >>"$report"
fi

cat "$report"
