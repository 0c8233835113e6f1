#!/usr/bin/env bash
# make-plan.sh CLIENT PROVIDER OUT.json: a real plan, as `CLIENT show -json PLANFILE` prints it, made by tofu or
# terraform (from $FO_TOOLS_DIR/bin) against the built provider through dev_overrides (no init, no network).
# The plan creates 2, updates 1, deletes 2 and replaces 1 failover_switch: applied first with a, b, c, then
# planned with a's reason changed (update), b gone (delete), c replaced (-replace: delete + create), d new.
# GitLab's conversion counts that as {"create": 2, "update": 1, "delete": 2}. Used by run.sh and to refresh the
# committed fixtures (fixtures/plan-*.json).
set -euo pipefail
client=${1:?usage: make-plan.sh tofu|terraform PROVIDER OUT.json}
provider=${2:?provider binary}
out=$(cd "$(dirname "${3:?output file}")" && pwd)/$(basename "$3")
tf=${FO_TOOLS_DIR:?FO_TOOLS_DIR not set}/bin/$client
[ -x "$tf" ] || { echo "make-plan.sh: $tf is missing (scripts/build-clients.sh)" >&2; exit 1; }
case $client in
tofu) host=registry.opentofu.org ;;
terraform) host=registry.terraform.io ;;
*) echo "make-plan.sh: unknown client '$client'" >&2; exit 1 ;;
esac
work=$(mktemp -d "${TMPDIR:-/tmp}/fo-gitlab-plan.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/cfg" "$work/home" "$work/tmp"
cat >"$work/cli.tfrc" <<T
provider_installation {
  dev_overrides {
    "$host/failover/failover" = "$(cd "$(dirname "$provider")" && pwd)"
  }
  direct {}
}
T
export HOME=$work/home TMPDIR=$work/tmp TF_CLI_CONFIG_FILE=$work/cli.tfrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 \
  TF_INPUT=0
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_CLI_ARGS TF_WORKSPACE TF_REATTACH_PROVIDERS https_proxy http_proxy
header='terraform {
  required_providers {
    failover = { source = "failover/failover" }
  }
}
provider "failover" {
  primary_region   = "us-east-1"
  secondary_region = "us-east-2"
}'
sw() { printf 'resource "failover_switch" "%s" {\n  active = "primary"\n  reason = "%s"\n}\n' "$1" "$2"; }
cd "$work/cfg"
{ echo "$header"; sw a "initial"; sw b "initial"; sw c "initial"; } >main.tf
"$tf" apply -auto-approve -no-color >"$work/apply.log" 2>&1 || { cat "$work/apply.log" >&2; exit 1; }
{ echo "$header"; sw a "reviewed"; sw c "initial"; sw d "initial"; } >main.tf
"$tf" plan -no-color -replace=failover_switch.c -out="$work/plan.bin" >"$work/plan.log" 2>&1 ||
  { cat "$work/plan.log" >&2; exit 1; }
"$tf" show -json "$work/plan.bin" >"$out"
