#!/usr/bin/env bash
# Route 53 at scale (part r53 of bench/run.sh): N failover_weight_pair against the
# same 2N weighted records as aws_route53_record of hashicorp/terraform-provider-aws, in moto.
# Times apply, plan (no changes), apply -refresh-only, the flip (all weights swapped) and destroy
# with each client, ours and the AWS provider alternately, several rounds; checks after every step
# that moto holds exactly the records the step should leave; prints markdown tables of medians,
# ratio ours/aws, the providers' CPU time and peak RSS and the Route 53 calls of each step. Figures only.
# usage: route53.sh WORKDIR ROUNDS name=/path/to/terraform-provider-failover...
# env: FO_TOOLS_DIR (tofu, terraform, the moto venv), FO_BENCH_R53_PAIRS (200),
#      FO_BENCH_R53_CLIENTS ("tofu terraform"), FO_BENCH_AWS_PROVIDER (the peer binary; default:
#      the one bench/peers/build-aws-provider.sh cached, whose STATUS says why when there is none),
#      FO_BENCH_AWS_CACHE (that script's cache), FO_BENCH_R53_STEP_TIMEOUT (1800 s a command).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=$1 rounds=$2
shift 2
tools=${FO_TOOLS_DIR:?FO_TOOLS_DIR not set}
py=$tools/venv/bin/python
[ -x "$py" ] || { echo "route53: $py not found (scripts/setup-moto.sh)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "route53: /usr/bin/time is missing (Debian package 'time')" >&2; exit 1; }
pairs=${FO_BENCH_R53_PAIRS:-200}
step_timeout=${FO_BENCH_R53_STEP_TIMEOUT:-1800}
clients=()
for c in ${FO_BENCH_R53_CLIENTS:-tofu terraform}; do [ -x "$tools/bin/$c" ] && clients+=("$c"); done
[ ${#clients[@]} -gt 0 ] || { echo "route53: no tofu or terraform in $tools/bin" >&2; exit 1; }
names=() bins=() kinds=()
for a in "$@"; do names+=("${a%%=*}") bins+=("${a#*=}") kinds+=(failover); done

# The peer: a binary given, or the cached build; otherwise ours run alone and the report says why.
aws_cache=${FO_BENCH_AWS_CACHE:-$tools/bench/aws-provider}
peer_note=
if [ -n "${FO_BENCH_AWS_PROVIDER:-}" ]; then
  names+=(aws) bins+=("$FO_BENCH_AWS_PROVIDER") kinds+=(aws)
  peer_note="aws: $FO_BENCH_AWS_PROVIDER"
elif read -r st bin ver <"$aws_cache/STATUS" 2>/dev/null && [ "$st" = ok ] && [ -x "$bin" ]; then
  names+=(aws) bins+=("$bin") kinds+=(aws)
  peer_note="aws: hashicorp/terraform-provider-aws $ver built by bench/peers/build-aws-provider.sh"
else
  why=$(cat "$aws_cache/STATUS" 2>/dev/null || echo "not built: run bench/peers/build-aws-provider.sh")
  peer_note="aws: SKIPPED, no usable terraform-provider-aws ($aws_cache/STATUS: $why)"
  echo "route53: peer skipped: $why" >&2
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 NO_PROXY=127.0.0.1,localhost
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
unset TF_LOG TF_LOG_PROVIDER TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_CLI_ARGS TF_REATTACH_PROVIDERS AWS_PROFILE

# moto with our layers (tests/moto_ext), as tests/aws/moto.sh starts it
rm -f "$work/moto.port"
"$py" "$root/tests/aws/moto_server.py" --port 0 --port-file "$work/moto.port" 2>"$work/moto.log" &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  [ -s "$work/moto.port" ] && curl -fsS --noproxy '*' "http://127.0.0.1:$(cat "$work/moto.port")/moto-api/" -o /dev/null 2>/dev/null && break
  kill -0 "$moto_pid" 2>/dev/null || { cat "$work/moto.log" >&2; exit 1; }
  sleep 0.1
done
moto=http://127.0.0.1:$(cat "$work/moto.port")
ctl() { "$py" "$here/r53ctl.py" --endpoint "$moto" "$@"; }
read -r zone hc_p hc_s < <(ctl setup)

# One directory per provider: a wrapper under the name the clients look for (GNU time
# appends the provider process's peak RSS in KiB and its user and system CPU seconds to $FO_BENCH_RSS_LOG; its fork costs both
# sides the same ~1 ms a provider start), and a CLI config
# whose dev_overrides point at it: no init, no registry, the same for both.
for i in "${!names[@]}"; do
  d=$work/prov-${names[$i]} k=${kinds[$i]}
  mkdir -p "$d"
  real=$(readlink -f "${bins[$i]}")
  printf '#!/bin/sh\nexec /usr/bin/time -a -o "${FO_BENCH_RSS_LOG:-/dev/null}" -f "%%M %%U %%S" %s "$@"\n' "$real" >"$d/terraform-provider-$k"
  chmod +x "$d/terraform-provider-$k"
  ns=failover
  [ "$k" = aws ] && ns=hashicorp
  cat >"$d/cli.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "registry.terraform.io/$ns/$k" = "$d"
    "registry.opentofu.org/$ns/$k" = "$d"
  }
  direct {}
}
TFRC
done

vars='variable "active" { default = "primary" }
variable "zone_id" {}
variable "hc_primary" {}
variable "hc_secondary" {}'
# config_failover / config_aws DIR: the same 2N records, one resource per pair or per record.
config_failover() {
  cat >"$1/main.tf" <<TF
terraform {
  required_providers {
    failover = { source = "failover/failover" }
  }
}
$vars

provider "failover" {
  endpoints {
    route53 = "$moto"
  }
}

resource "failover_weight_pair" "app" {
  count   = $pairs
  zone_id = var.zone_id
  name    = "app\${count.index}.bench.example"
  type    = "A"
  active  = var.active # wait_for_sync = true (default): waits for INSYNC like aws_route53_record
  primary {
    set_identifier  = "use1"
    records         = ["10.0.0.1"]
    ttl             = 60
    health_check_id = var.hc_primary
  }
  secondary {
    set_identifier  = "use2"
    records         = ["10.1.0.1"]
    ttl             = 60
    health_check_id = var.hc_secondary
  }
}
TF
}
config_aws() {
  local side sid rec
  cat >"$1/main.tf" <<TF
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
$vars

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    route53 = "$moto"
    sts     = "$moto"
  }
}
TF
  for side in primary secondary; do
    sid=use1 rec=10.0.0.1
    [ $side = secondary ] && sid=use2 rec=10.1.0.1
    cat >>"$1/main.tf" <<TF

resource "aws_route53_record" "$side" {
  count           = $pairs
  zone_id         = var.zone_id
  name            = "app\${count.index}.bench.example"
  type            = "A"
  ttl             = 60
  records         = ["$rec"]
  set_identifier  = "$sid"
  health_check_id = var.hc_$side
  weighted_routing_policy {
    weight = var.active == "$side" ? 255 : 0
  }
}
TF
  done
}

now_ms() { date +%s%3N; }
# step NAME PROVIDER WANT CMD...: run CMD timed (ms to $work/t.NAME.PROVIDER), the providers'
# peak RSS to $work/rss.NAME.PROVIDER, their CPU ms to $work/cpu.NAME.PROVIDER, round 1's Route 53 calls to $work/calls.NAME.PROVIDER;
# then check that moto holds what WANT says (primary|secondary active, none, or - for no check).
step() {
  local name=$1 p=$2 want=$3 t0 t1 rc=0
  shift 3
  [ "$round" = 1 ] && ctl calls >"$work/calls0"
  : >"$work/rss.now"
  t0=$(now_ms)
  FO_BENCH_RSS_LOG=$work/rss.now timeout -k 10 "$step_timeout" "$@" >"$work/last.out" 2>&1 || rc=$?
  t1=$(now_ms)
  if [ "$rc" != 0 ]; then
    echo "FAIL ($name, $p, exit $rc): $* (see $work/last.out)" >&2
    tail -20 "$work/last.out" >&2
    exit 1
  fi
  echo $((t1 - t0)) >>"$work/t.$name.$p"
  awk '$1 > m {m = $1} END {print m + 0}' "$work/rss.now" >>"$work/rss.$name.$p"
  awk '{s += $2 + $3} END {printf "%d\n", s * 1000}' "$work/rss.now" >>"$work/cpu.$name.$p"
  [ "$round" = 1 ] && ctl calls | LC_ALL=C join -t= -a2 -e0 -o 0,1.2,2.2 "$work/calls0" - |
    awk -F= '{print $1 "=" $3 - $2}' >"$work/calls.$name.$p"
  if [ "$want" != - ]; then
    ctl check "$zone" "$pairs" "$want" || { echo "FAIL ($name, $p): moto does not hold what it should" >&2; exit 1; }
  fi
}

rm -f "$work"/t.* "$work"/rss.* "$work"/cpu.* "$work"/calls.*
for round in $(seq 1 "$rounds"); do
  for c in "${clients[@]}"; do
    for i in "${!names[@]}"; do
      p=${names[$i]}
      cfg=$work/cfg-$c-$p
      rm -rf "$cfg"
      mkdir -p "$cfg"
      "config_${kinds[$i]}" "$cfg"
      printf 'zone_id = "%s"\nhc_primary = "%s"\nhc_secondary = "%s"\n' "$zone" "$hc_p" "$hc_s" >"$cfg/terraform.tfvars"
      export TF_CLI_CONFIG_FILE=$work/prov-$p/cli.tfrc
      tf=("$tools/bin/$c" -chdir="$cfg")
      step "$c.apply" "$p" primary "${tf[@]}" apply -no-color -input=false -auto-approve
      step "$c.plan" "$p" - "${tf[@]}" plan -no-color -input=false -detailed-exitcode
      step "$c.refresh" "$p" primary "${tf[@]}" apply -no-color -input=false -auto-approve -refresh-only
      step "$c.flip" "$p" secondary "${tf[@]}" apply -no-color -input=false -auto-approve -var active=secondary
      step "$c.destroy" "$p" none "${tf[@]}" destroy -no-color -input=false -auto-approve -var active=secondary
      rm -rf "$cfg"
    done
  done
  echo "route53: round $round/$rounds done" >&2
done

median() { sort -n "$1" | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
steps="apply plan refresh flip destroy"
last=$((${#names[@]} - 1))
peer=
[ "${kinds[$last]}" = aws ] && peer=${names[$last]}
ours=("${names[@]}")
[ -n "$peer" ] && ours=("${names[@]::${#names[@]}-1}")
echo "$pairs failover_weight_pair against $((2 * pairs)) aws_route53_record (the same records) in one moto hosted"
echo "zone; wall time of the whole command, median of $rounds rounds; every step checked against moto."
echo "$peer_note"
echo
printf '| client | step |'
for p in "${names[@]}"; do printf ' %s (ms) |' "$p"; done
[ -n "$peer" ] && for p in "${ours[@]}"; do printf ' %s/%s |' "$p" "$peer"; done
printf '\n|---|---|'
for _ in "${names[@]}"; do printf -- '---:|'; done
[ -n "$peer" ] && for _ in "${ours[@]}"; do printf -- '---:|'; done
printf '\n'
for c in "${clients[@]}"; do
  for s in $steps; do
    printf '| %s | %s |' "$c" "$s"
    for p in "${names[@]}"; do printf ' %s |' "$(median "$work/t.$c.$s.$p")"; done
    if [ -n "$peer" ]; then
      for p in "${ours[@]}"; do
        awk -v a="$(median "$work/t.$c.$s.$p")" -v b="$(median "$work/t.$c.$s.$peer")" 'BEGIN {printf " %.2f |", a/b}'
      done
    fi
    printf '\n'
  done
done
echo
echo "The provider processes: CPU time (user + system, all of one command's provider starts, ms) and peak RSS"
echo "(MiB, the largest of them); medians over rounds:"
echo
printf '| client | step |'
for p in "${names[@]}"; do printf ' %s CPU (ms) |' "$p"; done
[ -n "$peer" ] && for p in "${ours[@]}"; do printf ' %s/%s CPU |' "$p" "$peer"; done
for p in "${names[@]}"; do printf ' %s RSS (MiB) |' "$p"; done
printf '\n|---|---|'
for _ in "${names[@]}"; do printf -- '---:|---:|'; done
[ -n "$peer" ] && for _ in "${ours[@]}"; do printf -- '---:|'; done
printf '\n'
for c in "${clients[@]}"; do
  for s in $steps; do
    printf '| %s | %s |' "$c" "$s"
    for p in "${names[@]}"; do printf ' %s |' "$(median "$work/cpu.$c.$s.$p")"; done
    if [ -n "$peer" ]; then
      for p in "${ours[@]}"; do
        awk -v a="$(median "$work/cpu.$c.$s.$p")" -v b="$(median "$work/cpu.$c.$s.$peer")" 'BEGIN {printf " %.2f |", a/b}'
      done
    fi
    for p in "${names[@]}"; do awk -v k="$(median "$work/rss.$c.$s.$p")" 'BEGIN {printf " %.1f |", k/1024}'; done
    printf '\n'
  done
done
echo
c=${clients[0]}
echo "Route 53 calls moto counted in round 1 ($c; ChangeResourceRecordSets / GetChange / ListResourceRecordSets):"
echo
printf '| step |'
for p in "${names[@]}"; do printf ' %s |' "$p"; done
printf '\n|---|'
for _ in "${names[@]}"; do printf -- '---:|'; done
printf '\n'
calls_of() { awk -F= -v op="$1" '$1 == op {n = $2} END {print n + 0}' "$2"; }
for s in $steps; do
  printf '| %s |' "$s"
  for p in "${names[@]}"; do
    f=$work/calls.$c.$s.$p
    printf ' %s / %s / %s |' "$(calls_of ChangeResourceRecordSets "$f")" "$(calls_of GetChange "$f")" \
      "$(calls_of ListResourceRecordSets "$f")"
  done
  printf '\n'
done
