#!/usr/bin/env bash
# Whole CLI runs (part 2 of bench/run.sh): validate, plan, apply and a refresh
# (apply -refresh-only) of N failover_switch resources with each client and
# each provider, alternately, several rounds; prints a markdown table of
# median wall times and the ratio ours/peer. Figures only.
# usage: cli.sh WORKDIR ROUNDS name=/path/to/provider... (the last one is the peer)
set -euo pipefail
work=$1 rounds=$2
shift 2
names=() bins=()
for a in "$@"; do names+=("${a%%=*}"); bins+=("${a#*=}"); done
tools=${FO_TOOLS_DIR:?FO_TOOLS_DIR not set}
clients=()
for c in tofu terraform; do [ -x "$tools/bin/$c" ] && clients+=("$c"); done
sizes=${FO_BENCH_CLI_SIZES:-"1 100"}
mkdir -p "$work"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
unset TF_LOG TF_LOG_PROVIDER TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_CLI_ARGS TF_REATTACH_PROVIDERS

# one directory per provider: the binary under the name the clients look for,
# and a CLI config whose dev_overrides point at it (no init, no registry)
for i in "${!names[@]}"; do
  d=$work/prov-${names[$i]}
  mkdir -p "$d"
  ln -sf "$(readlink -f "${bins[$i]}")" "$d/terraform-provider-failover"
  cat >"$d/cli.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "registry.terraform.io/failover/failover" = "$d"
    "registry.opentofu.org/failover/failover" = "$d"
  }
  direct {}
}
TFRC
done

now_ms() { date +%s%3N; }
# timed NAME CMD...: append the wall time in ms to $work/t.NAME; fail loudly
timed() {
  local name=$1 t0 t1
  shift
  t0=$(now_ms)
  if ! "$@" >"$work/last.out" 2>&1; then
    echo "FAIL: $* (see $work/last.out)" >&2
    tail -20 "$work/last.out" >&2
    exit 1
  fi
  t1=$(now_ms)
  echo $((t1 - t0)) >>"$work/t.$name"
}

rm -f "$work"/t.*
for r in $(seq 1 "$rounds"); do
  for n in $sizes; do
    for c in "${clients[@]}"; do
      for i in "${!names[@]}"; do
        p=${names[$i]}
        cfg=$work/cfg-$c-$n-$p
        rm -rf "$cfg"
        mkdir -p "$cfg"
        cat >"$cfg/main.tf" <<TF
terraform {
  required_providers {
    failover = { source = "failover/failover" }
  }
}

resource "failover_switch" "s" {
  count  = $n
  active = "primary"
  reason = "bench \${count.index}"
}
TF
        export TF_CLI_CONFIG_FILE=$work/prov-$p/cli.tfrc
        bin=$tools/bin/$c
        timed "$c.$n.validate.$p" "$bin" -chdir="$cfg" validate -no-color
        timed "$c.$n.plan.$p" "$bin" -chdir="$cfg" plan -no-color -input=false
        timed "$c.$n.apply.$p" "$bin" -chdir="$cfg" apply -no-color -input=false -auto-approve
        timed "$c.$n.refresh.$p" "$bin" -chdir="$cfg" apply -no-color -input=false -auto-approve -refresh-only
        grep -q "failover_switch" "$cfg/terraform.tfstate" || { echo "FAIL: no state after apply ($c $n $p)" >&2; exit 1; }
        rm -rf "$cfg"
      done
    done
  done
  echo "cli: round $r/$rounds done" >&2
done

median() { sort -n "$1" | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
peer=${names[-1]}
printf '| client | resources | command |'
for p in "${names[@]}"; do printf ' %s (ms) |' "$p"; done
for p in "${names[@]::${#names[@]}-1}"; do printf ' %s/%s |' "$p" "$peer"; done
printf '\n|---|---:|---|'
for _ in "${names[@]}"; do printf -- '---:|'; done
for _ in "${names[@]::${#names[@]}-1}"; do printf -- '---:|'; done
printf '\n'
for c in "${clients[@]}"; do
  for n in $sizes; do
    for cmd in validate plan apply refresh; do
      printf '| %s | %s | %s |' "$c" "$n" "$cmd"
      pm=$(median "$work/t.$c.$n.$cmd.$peer")
      for p in "${names[@]}"; do printf ' %s |' "$(median "$work/t.$c.$n.$cmd.$p")"; done
      for p in "${names[@]::${#names[@]}-1}"; do
        awk -v a="$(median "$work/t.$c.$n.$cmd.$p")" -v b="$pm" 'BEGIN {printf " %.2f |", a/b}'
      done
      printf '\n'
    done
  done
done
