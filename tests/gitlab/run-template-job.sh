#!/usr/bin/env bash
# run-template-job.sh [--expect-exit N] [--pipeline mr|branch] [--input NAME=VALUE]... JOB PROJECT_DIR
#
# Runs one job of templates/failover-audit.yml locally, as a GitLab runner would in PROJECT_DIR (a git
# checkout): the inputs substituted (template_job.py, PyYAML), the CI_* variables GitLab sets for a merge-request
# pipeline (or a default-branch one) filled in unless already set, `rules:` honoured, before_script + script in
# one bash session, then after_script. Then every file named in artifacts:reports must exist and parse as its
# report type (junit XML, codequality JSON, GitLab's terraform report), and every artifacts:paths entry exist.
# Exit 0 when the job ended with the expected exit code (default 0) and the artifacts are right; 10 when the
# rules leave the job out of the pipeline; 1 otherwise. The job's output goes to PROJECT_DIR/../JOB.log.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
template=${FO_TEMPLATE:-$repo/templates/failover-audit.yml}
expect=0 pipeline=mr inputs=()
while [ $# -gt 2 ]; do
  case $1 in
  --expect-exit) expect=$2; shift 2 ;;
  --pipeline) pipeline=$2; shift 2 ;;
  --input) inputs+=(--input "$2"); shift 2 ;;
  *) echo "run-template-job.sh: unknown option '$1'" >&2; exit 1 ;;
  esac
done
job=${1:?usage: run-template-job.sh [options] JOB PROJECT_DIR}
project=$(cd "${2:?project dir}" && pwd) || exit 1
py=${FO_TOOLS_DIR:-$repo/.tools}/venv/bin/python
[ -x "$py" ] && "$py" -c 'import yaml' 2>/dev/null || py=python3
"$py" -c 'import yaml' 2>/dev/null || { echo "run-template-job.sh: PyYAML is needed (the moto venv has it)" >&2; exit 1; }
fail() { echo "FAIL [template job '$job']: $*" >&2; exit 1; }

# What GitLab sets (https://docs.gitlab.com/ci/variables/predefined_variables/); the caller may preset any.
head=$(git -C "$project" rev-parse HEAD) || fail "$project is not a git checkout"
: "${CI_SERVER_URL:=https://gitlab.example.com}"
export CI=true GITLAB_CI=true CI_SERVER_URL CI_SERVER_FQDN=${CI_SERVER_FQDN:-gitlab.example.com}
export CI_API_V4_URL=${CI_API_V4_URL:-$CI_SERVER_URL/api/v4} CI_PROJECT_ID=${CI_PROJECT_ID:-42}
export CI_PROJECT_DIR=$project CI_BUILDS_DIR=$(dirname "$project") CI_PROJECT_PATH=${CI_PROJECT_PATH:-infra/failover}
export CI_JOB_ID=${CI_JOB_ID:-$((RANDOM + 100000))} CI_JOB_NAME=$job CI_JOB_TOKEN=${CI_JOB_TOKEN:-job-token-local}
export CI_DEFAULT_BRANCH=${CI_DEFAULT_BRANCH:-main} CI_COMMIT_SHA=$head CI_PIPELINE_ID=${CI_PIPELINE_ID:-7000}
case $pipeline in
mr)
  export CI_PIPELINE_SOURCE=merge_request_event CI_MERGE_REQUEST_IID=${CI_MERGE_REQUEST_IID:-7}
  export CI_MERGE_REQUEST_DIFF_BASE_SHA=${CI_MERGE_REQUEST_DIFF_BASE_SHA:-$(git -C "$project" rev-parse HEAD~1)}
  export CI_MERGE_REQUEST_TARGET_BRANCH_NAME=$CI_DEFAULT_BRANCH CI_COMMIT_REF_NAME=feature
  unset CI_COMMIT_BRANCH
  ;;
branch)
  export CI_PIPELINE_SOURCE=push CI_COMMIT_BRANCH=$CI_DEFAULT_BRANCH CI_COMMIT_REF_NAME=$CI_DEFAULT_BRANCH
  unset CI_MERGE_REQUEST_IID CI_MERGE_REQUEST_DIFF_BASE_SHA CI_MERGE_REQUEST_TARGET_BRANCH_NAME
  ;;
*) fail "--pipeline mr or branch, not '$pipeline'" ;;
esac

out=$(mktemp -d "${TMPDIR:-/tmp}/fo-template-job.XXXXXX")
trap 'rm -rf "$out"' EXIT
"$py" "$here/template_job.py" "$template" "$job" "$out" "${inputs[@]}"
rc=$?
[ $rc = 10 ] && exit 10
[ $rc = 0 ] || fail "the template or its inputs were refused"
log=$CI_BUILDS_DIR/$job.log
(cd "$project" && exec bash "$out/script.sh") >"$log" 2>&1
got=$?
(cd "$project" && exec bash "$out/after_script.sh") >>"$log" 2>&1 || fail "after_script failed"
[ "$got" = "$expect" ] || { cat "$log" >&2; fail "exited $got, want $expect"; }

# the artifacts, as GitLab would collect and parse them
"$py" - "$out/artifacts.json" "$project" "$got" <<'PY' || { cat "$log" >&2; fail "artifacts"; }
import json, os, sys
import xml.etree.ElementTree as ET
art = json.load(open(sys.argv[1]))
project, rc = sys.argv[2], int(sys.argv[3])
if rc != 0 and art["when"] not in ("always", "on_failure"):
    sys.exit(0)  # GitLab uploads nothing from a failed job without when: always
def files(v):
    return [v] if isinstance(v, str) else list(v)
problems = []
for kind, paths in art["reports"].items():
    for p in files(paths):
        f = os.path.join(project, p)
        if not os.path.isfile(f):
            problems.append("%s report %s is missing" % (kind, p))
            continue
        try:
            if kind == "junit":
                root = ET.parse(f).getroot()
                assert root.tag in ("testsuites", "testsuite"), root.tag
            elif kind == "codequality":
                doc = json.load(open(f))
                assert isinstance(doc, list)
                for i in doc:
                    assert {"description", "fingerprint", "severity", "location"} <= set(i), i
                    assert "path" in i["location"], i
            elif kind == "terraform":
                doc = json.load(open(f))
                for k in ("create", "update", "delete"):
                    assert isinstance(doc.get(k), int) and doc[k] >= 0, (k, doc)
            else:
                problems.append("unexpected report type %s" % kind)
        except Exception as e:
            problems.append("%s report %s does not parse: %r" % (kind, p, e))
        print("artifact %s %s ok" % (kind, p))
for p in art["paths"]:
    if not os.path.exists(os.path.join(project, p)):
        problems.append("artifact path %s is missing" % p)
    else:
        print("artifact %s ok" % p)
if art["name"]:
    print("artifacts name: %s" % art["name"])
for p in problems:
    print("FAIL: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "ok [template job '$job' exited $got]"
