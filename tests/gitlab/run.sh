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
api_pid=
cleanup() {
  [ -z "$api_pid" ] || { kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null; }
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=../lib/case.sh
. "$here/../lib/case.sh"
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

# start_api DIR ARGS...: the loopback GitLab API (gitlab_api.py) in the background; sets $port
start_api() {
  mkdir -p "$1"
  python3 "$here/gitlab_api.py" "$@" &
  api_pid=$!
  for _ in $(seq 100); do [ -s "$1/port" ] && break; sleep 0.1; done
  [ -s "$1/port" ] || fail "the loopback GitLab API did not start"
  port=$(cat "$1/port")
}
# requests: what the API saw since the last reset, one line per call: METHOD PATH?QUERY TOKEN_HEADERS OK
requests() { jq -r '"\(.method) \(.path)\(if .query != "" then "?" + .query else "" end) \(.token_headers | join(",")) \(.token_ok)"' "$api/requests.jsonl"; }
want_requests() {
  diff <(requests) - >&2 || fail "API calls differ: $1"
  : >"$api/requests.jsonl"
}
# note_body MR ID: the body of note ID on merge request 42/MR
note_body() { jq -j --arg k "42/$1" --argjson id "$2" '.[$k][] | select(.id == $id) | .body' "$api/notes.json"; }
notes_count() { jq --arg k "42/$1" '.[$k] | length' "$api/notes.json"; }
no_secret() { # no_secret SECRET FILE...
  local s=$1; shift
  ! grep -qF -- "$s" "$@" || fail "the token appears in $(grep -lF -- "$s" "$@" | tr '\n' ' ')"
}

case $case_name in
mr-note)
  token='glpat-loopback-Secret-4711'
  jobtoken='job-loopback-Secret-0815'
  api=$work/api
  start_api "$api" --token "PRIVATE-TOKEN=$token" --token "JOB-TOKEN=$jobtoken" --seed 150 --planted 7
  cp -r "$repo/tests/audit/fixtures" "$work/fx" && cd "$work/fx" || fail "fixtures"
  cp .failover-audit.yml noglab.yml
  printf 'gitlab:\n  token_env: FO_TEST_GL_TOKEN\n' >>.failover-audit.yml
  export CI_API_V4_URL=http://127.0.0.1:$port/api/v4/ CI_PROJECT_ID=42 CI_MERGE_REQUEST_IID=7 FO_TEST_GL_TOKEN=$token
  list='/api/v4/projects/42/merge_requests/7/notes?sort=asc&order_by=created_at&per_page=100'
  # first run: the note is created, after reading both pages of notes: 150 comments, a system note, a check
  # report a reviewer wrote (planted: not the token's user's, so not taken over) and the changes report
  run 1 "$bin" check --post-mr-note --output markdown=r.md --output junit=j.xml
  err_has "merge-request note 1154 created"
  want_requests "first run" <<R
GET /api/v4/user PRIVATE-TOKEN true
GET $list&page=1 PRIVATE-TOKEN true
GET $list&page=2 PRIVATE-TOKEN true
POST /api/v4/projects/42/merge_requests/7/notes PRIVATE-TOKEN true
R
  [ "$(notes_count 7)" = 154 ] || fail "notes after the first run: $(notes_count 7)"
  cmp -s <(note_body 7 1154) r.md || fail "the note is not the markdown report"
  note_body 7 1151 | grep '(system)' >/dev/null || fail "the system note was changed"
  note_body 7 1152 | grep '(planted)' >/dev/null || fail "the reviewer's look-alike note was changed"
  note_body 7 1153 | grep 'failover-audit changes' >/dev/null || fail "the changes note was changed"
  # second run: the same note is edited in place
  run 1 "$bin" check --post-mr-note --output markdown=r.md
  err_has "merge-request note 1154 updated"
  want_requests "second run" <<R
GET /api/v4/user PRIVATE-TOKEN true
GET $list&page=1 PRIVATE-TOKEN true
GET $list&page=2 PRIVATE-TOKEN true
PUT /api/v4/projects/42/merge_requests/7/notes/1154 PRIVATE-TOKEN true
R
  [ "$(notes_count 7)" = 154 ] || fail "a second note was added"
  # a clean run edits the note to say so: no stale drift stays on the merge request
  cat >insync.yml <<'YML'
version: 1
sides:
  primary: {region: us-east-1, terraform_state: states/primary.tfstate, manifests: k8s/overlays/use1}
  secondary: {region: us-east-2, terraform_state: states/primary-as-secondary.tfstate, manifests: k8s/mirror}
checks: {terraform_state: {}, kubernetes_manifests: {}}
gitlab: {token_env: FO_TEST_GL_TOKEN}
YML
  swap='s/us-east-1/@R@/g; s/us-east-2/us-east-1/g; s/@R@/us-east-2/g'
  sed -e "$swap" states/primary.tfstate >states/primary-as-secondary.tfstate
  mkdir -p k8s/mirror
  for f in k8s/overlays/use1/*.yaml; do sed -e "$swap" "$f" >"k8s/mirror/$(basename "$f")"; done
  run 0 "$bin" check --config insync.yml --post-mr-note --output markdown=clean.md
  err_has "merge-request note 1154 updated"
  cmp -s <(note_body 7 1154) clean.md || fail "the clean report did not replace the note"
  note_body 7 1154 | grep 'failover-audit check: in sync' >/dev/null || fail "the note does not say in sync"
  ! note_body 7 1154 | grep 'drift found' >/dev/null || fail "stale drift left in the note"
  : >"$api/requests.jsonl"
  # a clean run on a merge request without a note adds none
  CI_MERGE_REQUEST_IID=8 run 0 "$bin" check --config insync.yml --post-mr-note
  err_has "in sync and no earlier note: no merge-request note posted"
  ! grep -q '"POST"' "$api/requests.jsonl" || fail "a clean run created a note"
  : >"$api/requests.jsonl"
  # the changes command keeps its own note (the seeded one), not check's
  bash "$repo/tests/audit/make-repo.sh" "$work/repo" >/dev/null || fail "make-repo.sh failed"
  run 1 "$bin" changes --base base --head head --repo "$work/repo" --post-mr-note
  err_has "merge-request note 1153 updated"
  note_body 7 1153 | grep 'failover-audit changes: drift found' >/dev/null || fail "changes note: $(note_body 7 1153 | head -3)"
  note_body 7 1154 | grep 'failover-audit check: in sync' >/dev/null || fail "changes overwrote the check note"
  : >"$api/requests.jsonl"
  # debug logs show the calls, never the token
  FO_AUDIT_LOG=debug run 1 "$bin" check --post-mr-note --output markdown=r.md --output junit=j.xml
  grep -q 'PRIVATE-TOKEN: \[REDACTED\]' "$work/err" || fail "debug log lacks the redacted token header"
  no_secret "$token" "$work/out" "$work/err" r.md j.xml
  : >"$api/requests.jsonl"
  # a token GitLab refuses: exit 3 naming the call, the report files are still written, the token is not shown
  rm -f r.md j.xml
  FO_TEST_GL_TOKEN=glpat-wrong-Secret-1234 FO_AUDIT_LOG=debug run 3 "$bin" check --post-mr-note \
    --output markdown=r.md --output junit=j.xml
  err_has "merge-request note not posted: GitLab API GET /user: HTTP 401 (401 Unauthorized)"
  err_has 'the token in $FO_TEST_GL_TOKEN (sent as PRIVATE-TOKEN) is not valid'
  [ -s r.md ] && [ -s j.xml ] || fail "report files missing after a 401"
  xmllint --noout j.xml 2>/dev/null || python3 -c 'import sys,xml.dom.minidom as m; m.parse(sys.argv[1])' j.xml ||
    fail "junit report does not parse"
  no_secret glpat-wrong-Secret-1234 "$work/out" "$work/err" r.md j.xml
  # 403 when writing: exit 3 too
  echo forbid-writes >"$api/mode"
  run 3 "$bin" check --post-mr-note
  err_has "GitLab API PUT /projects/42/merge_requests/7/notes/1154: HTTP 403 (403 Forbidden)"
  err_has "is not allowed to do this"
  rm -f "$api/mode"
  : >"$api/requests.jsonl"
  # CI_JOB_TOKEN goes in the JOB-TOKEN header (a job token cannot read /user: notes of any author count)
  sed 's/FO_TEST_GL_TOKEN/CI_JOB_TOKEN/' .failover-audit.yml >job.yml
  CI_JOB_TOKEN=$jobtoken CI_MERGE_REQUEST_IID=10 run 1 "$bin" check --config job.yml --post-mr-note
  id=$(sed -n 's/^failover-audit: merge-request note \([0-9]*\) created$/\1/p' "$work/err")
  [ -n "$id" ] || { cat "$work/err" >&2; fail "no note created with the job token"; }
  CI_JOB_TOKEN=$jobtoken CI_MERGE_REQUEST_IID=10 run 1 "$bin" check --config job.yml --post-mr-note
  err_has "merge-request note $id updated"
  list10=${list/requests\/7/requests\/10}
  want_requests "job token" <<R
GET $list10&page=1 JOB-TOKEN true
GET $list10&page=2 JOB-TOKEN true
POST /api/v4/projects/42/merge_requests/10/notes JOB-TOKEN true
GET $list10&page=1 JOB-TOKEN true
GET $list10&page=2 JOB-TOKEN true
PUT /api/v4/projects/42/merge_requests/10/notes/$id JOB-TOKEN true
R
  # outside a merge-request pipeline: said on stderr, the run's own exit code
  env -u CI_MERGE_REQUEST_IID "$bin" check --post-mr-note >"$work/out" 2>"$work/err"
  [ $? = 1 ] || fail "outside a merge request: exit $?"
  err_has "not a merge-request pipeline (CI_MERGE_REQUEST_IID is not set): no note posted"
  [ ! -s "$api/requests.jsonl" ] || fail "API called outside a merge request"
  # no gitlab.token_env: usage error before anything is read or posted
  run 2 "$bin" check --config noglab.yml --post-mr-note
  err_has 'needs `gitlab: {token_env: NAME}`'
  run 2 "$bin" check --post-mr-note=yes
  err_has "option '--post-mr-note' takes no value"
  # the variable named in the config is empty: exit 3 naming it, reports written
  FO_TEST_GL_TOKEN= run 3 "$bin" check --post-mr-note --output json=j.json
  err_has '$FO_TEST_GL_TOKEN (gitlab.token_env) is not set or empty'
  [ -s j.json ] || fail "json report missing"
  ;;
template)
  # templates/failover-audit.yml's jobs run locally (run-template-job.sh) in a merge request on the audit
  # fixtures, posting to the loopback API; the "installed" failover-audit is a shim that records what the job
  # handed it (the AWS web-identity set-up) and runs the built binary
  token='glpat-template-Secret-99'
  api=$work/api
  start_api "$api" --token "PRIVATE-TOKEN=$token"
  mkdir -p "$work/builds" "$work/tmp" "$work/bin"
  proj=$work/builds/project
  cp -r "$repo/tests/audit/fixtures" "$proj" && cd "$proj" || fail "fixtures"
  printf 'gitlab:\n  token_env: FO_TEST_GL_TOKEN\n' >>.failover-audit.yml
  mkdir plans && cp "$here"/fixtures/plan-*.json plans/
  export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
  git init -q -b main . && git add -A && git commit -q -m base || fail "git"
  # the merge request changes the primary's infrastructure only
  mkdir -p infra/us-east-1 && echo 'resource "null_resource" "x" {}' >infra/us-east-1/x.tf
  git add -A && git commit -q -m "primary only" || fail "git"
  cat >"$work/bin/failover-audit" <<SH
#!/bin/sh
if [ -n "\${AWS_CONFIG_FILE:-}" ]; then
  cp "\$AWS_CONFIG_FILE" "$work/aws-config"
  rm -rf "$work/oidc-seen" && cp -r "\$(dirname "\$AWS_CONFIG_FILE")" "$work/oidc-seen"
fi
env | grep -e '^AWS_' -e '^FO_AUDIT_[A-Z]*_AWS_' -e '^FO_AUDIT_ID_TOKEN' | sort >"$work/aws-env"
exec "$bin" "\$@"
SH
  chmod +x "$work/bin/failover-audit"
  install="export PATH=$work/bin:\$PATH"
  export CI_API_V4_URL=http://127.0.0.1:$port/api/v4 FO_TEST_GL_TOKEN=$token TMPDIR=$work/tmp
  unset FO_AUDIT_TODAY # the job's environment is GitLab's, not the tests'
  rtj() { bash "$here/run-template-job.sh" "$@"; }
  # changes: the primary-only file fails the job; its reports are still collected (when: always)
  rtj --expect-exit 1 --input "install_command=$install" "failover-audit changes" "$proj" ||
    fail "changes job"
  jq -e '[.findings[] | .full_path] == ["repo/infra/us-east-1/x.tf"]' failover-audit/changes.json >/dev/null ||
    fail "changes findings: $(jq -c '[.findings[] | .full_path]' failover-audit/changes.json)"
  # check with a role per side: drift fails the job; reports collected
  rtj --expect-exit 1 --input "install_command=$install" --input primary_role_arn=arn:aws:iam::111111111111:role/fa \
    --input secondary_role_arn=arn:aws:iam::222222222222:role/fa --input id_token_aud=https://gitlab.example.com \
    "failover-audit check" "$proj" || fail "check job"
  # the OIDC wiring the auditor saw: a web-identity profile per side, each with its own token file
  grep -q '^\[profile failover-audit-primary\]$' "$work/aws-config" || fail "no primary profile: $(cat "$work/aws-config")"
  grep -q '^role_arn = arn:aws:iam::222222222222:role/fa$' "$work/aws-config" || fail "secondary role"
  grep -q '^region = us-east-2$' "$work/aws-config" || fail "secondary region"
  grep -q "^AWS_ROLE_ARN=arn:aws:iam::111111111111:role/fa$" "$work/aws-env" || fail "AWS_ROLE_ARN: $(cat "$work/aws-env")"
  grep -q "^AWS_WEB_IDENTITY_TOKEN_FILE=.*/primary.token$" "$work/aws-env" || fail "AWS_WEB_IDENTITY_TOKEN_FILE"
  # each side's AWS client gets its own role and token file (FO_AUDIT_<SIDE>_AWS_*)
  grep -q "^FO_AUDIT_SECONDARY_AWS_ROLE_ARN=arn:aws:iam::222222222222:role/fa$" "$work/aws-env" ||
    fail "FO_AUDIT_SECONDARY_AWS_ROLE_ARN: $(cat "$work/aws-env")"
  grep -q "^FO_AUDIT_SECONDARY_AWS_WEB_IDENTITY_TOKEN_FILE=.*/secondary.token$" "$work/aws-env" ||
    fail "FO_AUDIT_SECONDARY_AWS_WEB_IDENTITY_TOKEN_FILE"
  grep -q "^FO_AUDIT_PRIMARY_AWS_ROLE_ARN=arn:aws:iam::111111111111:role/fa$" "$work/aws-env" ||
    fail "FO_AUDIT_PRIMARY_AWS_ROLE_ARN"
  ! grep -q -e "fake-oidc-jwt" -e FO_AUDIT_ID_TOKEN "$work/aws-env" || fail "a token is in the environment the auditor sees"
  grep -qx 'fake-oidc-jwt.FO_AUDIT_ID_TOKEN_PRIMARY.aud=https://gitlab.example.com' "$work/oidc-seen/primary.token" ||
    fail "primary token file: $(cat "$work/oidc-seen/primary.token")"
  grep -q 'FO_AUDIT_ID_TOKEN_SECONDARY' "$work/oidc-seen/secondary.token" || fail "secondary token file"
  [ -z "$(ls "$work/tmp" | grep failover-audit-oidc)" ] || fail "after_script left the tokens behind"
  # both jobs' notes on the merge request, one each
  jq -e '.["42/7"] | length == 2' "$api/notes.json" >/dev/null || fail "notes: $(jq -c . "$api/notes.json" | head -c 300)"
  jq -r '.["42/7"][].body' "$api/notes.json" | grep '^## .* failover-audit changes: drift found' >/dev/null || fail "changes note"
  jq -r '.["42/7"][].body' "$api/notes.json" | grep '^## .* failover-audit check: drift found' >/dev/null || fail "check note"
  ! grep -rqF "$token" "$work/builds" || fail "the token is in a job log or report"
  # the terraform report of each region, in a job of its own
  rtj --input "install_command=$install" --input primary_plan_json=plans/plan-us-east-1.json \
    "failover-audit tf-report primary" "$proj" >"$work/out" || fail "tf-report primary job"
  grep -q 'artifacts name: primary us-east-1' "$work/out" || fail "artifacts name: $(cat "$work/out")"
  rtj --input "install_command=$install" --input secondary_plan_json=plans/plan-us-east-2.json \
    --input secondary_region=us-west-2 "failover-audit tf-report secondary" "$proj" >"$work/out" ||
    fail "tf-report secondary job"
  jq -e '. == {"create": 2, "update": 1, "delete": 2}' failover-audit/tfplan-us-west-2.json >/dev/null ||
    fail "tfplan-us-west-2.json: $(cat failover-audit/tfplan-us-west-2.json)"
  # no plan JSON given: the job is not in the pipeline; nor is changes outside a merge request
  rtj --input "install_command=$install" "failover-audit tf-report secondary" "$proj"
  [ $? = 10 ] || fail "tf-report without plan JSON ran"
  rtj --pipeline branch --input "install_command=$install" "failover-audit changes" "$proj"
  [ $? = 10 ] || fail "changes ran outside a merge request"
  # on the default branch, check runs (no note: not a merge request), without web identity when no role is given
  rm -f "$work/aws-config" "$work/aws-env"
  rtj --pipeline branch --expect-exit 1 --input "install_command=$install" "failover-audit check" "$proj" ||
    fail "check job on the default branch"
  grep -q 'not a merge-request pipeline' "$work/builds/failover-audit check.log" || fail "branch pipeline note message"
  [ ! -e "$work/aws-config" ] || fail "AWS_CONFIG_FILE set without role ARNs: $(cat "$work/aws-config")"
  [ -f "$work/aws-env" ] && ! grep -q -e '^FO_AUDIT_.*_AWS_' -e '^AWS_ROLE_ARN=' -e '^AWS_WEB_IDENTITY' -e '^AWS_CONFIG_FILE=' "$work/aws-env" ||
    fail "AWS variables set without role ARNs: $(cat "$work/aws-env")"
  # the default install step needs package_url; unknown inputs are refused as GitLab would
  rtj --expect-exit 2 "failover-audit changes" "$proj" || fail "default install without package_url"
  grep -q 'set the package_url input' "$work/builds/failover-audit changes.log" || fail "package_url message"
  ! rtj --input nonsense=1 "failover-audit changes" "$proj" 2>"$work/err" || fail "an unknown input was accepted"
  err_has "unknown input 'nonsense'"
  ;;
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
