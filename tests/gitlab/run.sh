#!/usr/bin/env bash
# GitLab CI cases of failover-audit: run.sh CASE. Needs FO_AUDIT_BIN; the tf-report.<client> cases also
# FO_PROVIDER_BIN and $FO_TOOLS_DIR/bin/<client>. Each case works in its own temp dir, removed on exit.
set -uo pipefail
case_name=${1:?usage: run.sh CASE}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${FO_AUDIT_BIN:?FO_AUDIT_BIN not set}
export FO_AUDIT_TODAY=2026-11-25
unset NO_COLOR FORCE_COLOR GITLAB_CI
for tool in jq python3; do
  command -v $tool >/dev/null || { echo "FAIL: $tool is required for the gitlab tests"; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/fo-gitlab-$case_name.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
# run EXPECTED_EXIT cmd...: stdout -> $work/out, stderr -> $work/err
run() {
  local want=$1; shift
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  [ "$got" = "$want" ] || { cat "$work/err" >&2; fail "'$*' exited $got, want $want"; }
}
err_has() { grep -qF -- "$1" "$work/err" || { cat "$work/err" >&2; fail "stderr lacks '$1'"; }; }
esc=$(printf '\033[')
has_color() { grep -qF "$esc" "$work/out"; }
# GitLab's own conversion of a plan (docs: "artifacts:reports:terraform"), to compare ours with
gitlab_jq='([.resource_changes[]?.change.actions?]|flatten)|{"create":(map(select(.=="create"))|length),"update":(map(select(.=="update"))|length),"delete":(map(select(.=="delete"))|length)}'
# tf_report PLAN: our report of PLAN must parse and equal GitLab's conversion and the planted counts
tf_report() {
  run 0 "$bin" tf-report --plan-json "$1" --region us-east-1 -o "$work/tfplan.json"
  jq -e . "$work/tfplan.json" >/dev/null || fail "report of $1 is not JSON"
  diff <(jq -S . "$work/tfplan.json") <(jq -S "$gitlab_jq" "$1") >&2 || fail "report of $1 differs from GitLab's jq"
  jq -e '. == {"create": 2, "update": 1, "delete": 2}' "$work/tfplan.json" >/dev/null ||
    fail "counts of $1: $(cat "$work/tfplan.json")"
  err_has "terraform plan for us-east-1: 2 to create, 1 to update, 2 to delete (4 resources)"
}

case $case_name in
color)
  # GitLab job logs render ANSI but are not terminals: GITLAB_CI / FORCE_COLOR turn colour on, NO_COLOR wins
  cp -r "$repo/tests/audit/fixtures" "$work/fx" && cd "$work/fx" || fail "fixtures"
  run 1 "$bin" check
  ! has_color || fail "colour without a terminal, GITLAB_CI or FORCE_COLOR"
  run 1 env GITLAB_CI=true "$bin" check
  grep -qF "${esc}31mDRIFT" "$work/out" || fail "no colour with GITLAB_CI=true"
  run 1 env FORCE_COLOR=1 "$bin" check
  has_color || fail "no colour with FORCE_COLOR=1"
  run 1 env GITLAB_CI=true NO_COLOR=1 "$bin" check
  ! has_color || fail "colour despite NO_COLOR (GITLAB_CI=true)"
  run 1 env FORCE_COLOR=1 NO_COLOR=1 "$bin" check
  ! has_color || fail "colour despite NO_COLOR (FORCE_COLOR=1)"
  run 1 env GITLAB_CI=true FORCE_COLOR=0 "$bin" check
  ! has_color || fail "colour despite FORCE_COLOR=0"
  run 1 env GITLAB_CI=true "$bin" check --output text=r.txt --output markdown=r.md
  ! grep -qF "$esc" r.txt r.md || fail "colour escapes in a report file"
  ;;
tf-report)
  # the committed plans (made by make-plan.sh with tofu and terraform) and what is not a plan
  tf_report "$here/fixtures/plan-us-east-1.json"
  tf_report "$here/fixtures/plan-us-east-2.json"
  run 0 "$bin" tf-report --plan-json "$here/fixtures/plan-us-east-2.json"
  jq -e '.delete == 2' "$work/out" >/dev/null || fail "report on stdout: $(cat "$work/out")"
  echo '{"format_version": "1.0", "terraform_version": "1.6.6", "values": {"root_module": {}}}' >"$work/state.json"
  run 3 "$bin" tf-report --plan-json "$work/state.json" -o "$work/x.json"
  err_has "plan JSON '$work/state.json': no planned_values or resource_changes"
  [ ! -e "$work/x.json" ] || fail "a report was written for a state"
  printf '{"format_version": "1.2", "planned_values": {},\n "resource_changes": [{"address": "a.b", "change": {"actions": "create"}}]}' >"$work/bad.json"
  run 3 "$bin" tf-report --plan-json "$work/bad.json"
  err_has "resource_changes[0] (a.b): no change.actions array"
  printf '{"format_version": "2.0", "planned_values": {}}' >"$work/v2.json"
  run 3 "$bin" tf-report --plan-json "$work/v2.json"
  err_has "format_version '2.0' is not 1.x"
  printf '{"format_version": "1.2", "planned_values": {}, "resource_changes": [' >"$work/cut.json"
  run 3 "$bin" tf-report --plan-json "$work/cut.json"
  err_has "plan JSON '$work/cut.json'"
  run 3 "$bin" tf-report --plan-json "$work/missing.json"
  run 2 "$bin" tf-report --region us-east-1
  err_has "tf-report needs --plan-json FILE"
  # a plan without changes: zeros, as GitLab's widget expects
  printf '{"format_version": "1.2", "planned_values": {"root_module": {}}}' >"$work/empty.json"
  run 0 "$bin" tf-report --plan-json "$work/empty.json"
  jq -e '. == {"create": 0, "update": 0, "delete": 0}' "$work/out" >/dev/null || fail "empty plan: $(cat "$work/out")"
  ;;
tf-report.tofu | tf-report.terraform)
  # a plan made now by the real client against the built provider
  client=${case_name#tf-report.}
  provider=${FO_PROVIDER_BIN:?FO_PROVIDER_BIN not set}
  [ -x "${FO_TOOLS_DIR:-$repo/.tools}/bin/$client" ] || fail "$client is missing: run scripts/build-clients.sh"
  FO_TOOLS_DIR=${FO_TOOLS_DIR:-$repo/.tools} bash "$here/make-plan.sh" "$client" "$provider" "$work/plan.json" ||
    fail "make-plan.sh $client failed"
  tf_report "$work/plan.json"
  ;;
*)
  fail "unknown case"
  ;;
esac
echo "ok [$case_name]"
