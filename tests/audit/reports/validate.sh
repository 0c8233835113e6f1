#!/usr/bin/env bash
# validate.sh CHECK TOOL SOURCE_DIR: the audit.reports.<CHECK> tests. For junit, codequality, json and markdown,
# TOOL is audit_report_render: it renders the fixture result sets (drift, clean, unreadable; see
# tests/unit/audit_report/report_fixture.c), checked with outside tools: xmllint against junit.xsd, jq for the
# JSON and Code Quality fields, iconv for UTF-8. For cli, TOOL is failover-audit, run on tests/audit/fixtures.
# SOURCE_DIR is tests/audit/reports. Fails with a clear message when a tool is missing.
set -uo pipefail

check=$1 render=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0

fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
need() { command -v "$1" >/dev/null || { echo "FAIL: '$1' not found on PATH (install $2)" >&2; exit 1; }; }
render() { # render FORMAT FIXTURE [SALT] > file
  "$render" "$@" || { echo "FAIL: audit_report_render $* exited $?" >&2; exit 1; }
}
# Secrets the fixture plants: flagged sensitive, or registered with fo_log_add_secret.
no_secrets() {
  for s in hunter2-SECRET-primary-value hunter3-SECRET-secondary-value AKIAFIXTURESECRET0001; do
    if grep -qF "$s" "$1"; then fail "$1 contains the secret '$s'"; fi
  done
}
eq() { # eq WHAT GOT WANT
  if [ "$2" != "$3" ]; then fail "$1: got '$2', want '$3'"; fi
}
xp() { xmllint --xpath "$1" "$2" 2>/dev/null; }

# junit_ok NAME FILE: valid against junit.xsd, and every count attribute equals the elements it counts.
junit_ok() {
  local name=$1 f=$2 n s sname a attr el want
  xmllint --noout --schema "$src/junit.xsd" "$f" || fail "$name: junit report does not validate against junit.xsd"
  n=$(xp 'count(/testsuites/testsuite)' "$f")
  for i in $(seq 1 "$n"); do
    s="/testsuites/testsuite[$i]"
    sname=$(xp "string($s/@name)" "$f")
    eq "$name/$sname tests" "$(xp "string($s/@tests)" "$f")" "$(xp "count($s/testcase)" "$f")"
    eq "$name/$sname failures" "$(xp "string($s/@failures)" "$f")" "$(xp "count($s/testcase/failure)" "$f")"
    eq "$name/$sname errors" "$(xp "string($s/@errors)" "$f")" "$(xp "count($s/testcase/error)" "$f")"
    eq "$name/$sname skipped" "$(xp "string($s/@skipped)" "$f")" "$(xp "count($s/testcase/skipped)" "$f")"
  done
  for a in tests:testcase failures:failure errors:error skipped:skipped; do
    attr=${a%%:*} el=${a#*:}
    want=$(xp "count(//testcase)" "$f")
    [ "$el" = testcase ] || want=$(xp "count(//testcase/$el)" "$f")
    eq "$name total $attr" "$(xp "string(/testsuites/@$attr)" "$f")" "$want"
  done
}

# codequality_ok NAME FILE: every documented field with its type, unique fingerprints, valid UTF-8.
codequality_ok() {
  jq -e '
    type == "array" and all(.[];
      (.description | type == "string" and length > 0) and
      (.check_name | type == "string" and length > 0) and
      (.fingerprint | type == "string" and test("^[0-9a-f]{64}$")) and
      (.severity | IN("info", "minor", "major", "critical", "blocker")) and
      (.location | type == "object") and
      (.location.path | type == "string" and length > 0) and
      (.location.lines.begin | type == "number" and . >= 1 and floor == .))' "$2" >/dev/null \
    || fail "$1: a code quality issue lacks a documented field or has the wrong type"
  jq -e '(map(.fingerprint) | unique | length) == length' "$2" >/dev/null || fail "$1: fingerprints are not unique"
  iconv -f UTF-8 -t UTF-8 "$2" >/dev/null || fail "$1: the code quality report is not valid UTF-8"
}

# json_ok NAME FILE EXIT_CODE: the schema of docs/report-formats.md, valid UTF-8.
json_ok() {
  jq -e --argjson code "$3" '
    .schema_version == 1 and .exit_code == $code and (.status | IN("pass", "fail", "error")) and
    (.tool.name == "failover-audit") and (.sides.primary.region | type == "string") and
    (.summary.findings == (.findings | length)) and (.steps | length == 7) and
    all(.sources[]; (.name | type == "string") and (.side | IN("both", "primary", "secondary")) and
                    (.state | IN("ok", "unreadable", "skipped"))) and
    all(.findings[];
      (.id | test("^[0-9a-f]{16}$")) and (.fingerprint | test("^[0-9a-f]{64}$")) and
      (.check | type == "string") and (.rule.id | type == "string") and
      (.rule.kind | IN("must-match", "side-check", "meta")) and
      (.severity | IN("error", "warning", "info")) and
      (.classification | IN("unexpected", "expected", "expired-expected", "stale-expected-entry",
                            "side-check-failure")) and
      (.fails_gate | type == "boolean") and (.path | type == "string") and (.resource.key | type == "string") and
      (.primary.present | type == "boolean") and (.secondary.present | type == "boolean") and
      (.expected_difference == null or (.expected_difference.pattern | type == "string")) and
      (.sync_step.id | type == "string") and (.sync_step.title | type == "string") and
      (if .sensitive then ([.primary, .secondary] | all(.present == false or .value == "(sensitive)"))
       else true end))' \
    "$2" >/dev/null || fail "$1: the json report does not follow the documented schema"
  iconv -f UTF-8 -t UTF-8 "$2" >/dev/null || fail "$1: the json report is not valid UTF-8"
}

marker_ok() {
  eq "$1 marker line" "$(head -n 1 "$2")" "<!-- failover-audit:report v1 -->"
  eq "$1 details balanced" "$(grep -c '^<details>$' "$2")" "$(grep -c '^</details>$' "$2")"
}

case $check in
junit)
  need xmllint libxml2-utils
  for fx in drift clean unreadable; do
    f=$work/$fx.xml
    render junit "$fx" >"$f"
    junit_ok "$fx" "$f"
    no_secrets "$f"
  done
  # The fixture's known outcome: 17 testcases, 8 failing resources, 3 skipped (expected, stale, skipped source).
  f=$work/drift.xml
  eq "drift tests" "$(xp 'string(/testsuites/@tests)' "$f")" 17
  eq "drift failures" "$(xp 'string(/testsuites/@failures)' "$f")" 8
  eq "drift skipped" "$(xp 'string(/testsuites/@skipped)' "$f")" 3
  eq "drift errors" "$(xp 'string(/testsuites/@errors)' "$f")" 0
  eq "unreadable errors" "$(xp 'string(/testsuites/@errors)' "$work/unreadable.xml")" 1
  eq "suite per step" "$(xp 'count(/testsuites/testsuite[@id="configmaps"])' "$f")" 1
  # The schema must be able to fail: a testcase without classname, and a duplicate testcase, are rejected.
  sed '0,/ classname="[^"]*"/s///' "$f" >"$work/bad1.xml"
  if xmllint --noout --schema "$src/junit.xsd" "$work/bad1.xml" 2>/dev/null; then
    fail "junit.xsd accepted a testcase without classname"
  fi
  sed 's/name="terraform\/aws_s3_bucket.assets"/name="terraform\/aws_iam_access_key.ci"/' "$f" >"$work/bad2.xml"
  if xmllint --noout --schema "$src/junit.xsd" "$work/bad2.xml" 2>/dev/null; then
    fail "junit.xsd accepted duplicate testcase names"
  fi
  ;;
codequality)
  need jq jq
  for fx in drift clean unreadable; do
    f=$work/$fx.json
    render codequality "$fx" >"$f"
    codequality_ok "$fx" "$f"
    no_secrets "$f"
  done
  eq "drift issues" "$(jq length "$work/drift.json")" 13
  eq "clean issues" "$(jq length "$work/clean.json")" 0
  eq "unreadable blocker" "$(jq -r '[.[] | select(.severity == "blocker")] | length' "$work/unreadable.json")" 1
  eq "expected is info" "$(jq -r '.[] | select(.check_name == "eks.addon-version-differs") | .severity' "$work/drift.json")" info
  # Stable across runs, and across value changes (values are not part of a fingerprint).
  render codequality drift >"$work/again.json"
  render codequality drift 7 >"$work/salted.json"
  jq -r '.[].fingerprint' "$work/drift.json" >"$work/fp1"
  jq -r '.[].fingerprint' "$work/again.json" >"$work/fp2"
  jq -r '.[].fingerprint' "$work/salted.json" >"$work/fp3"
  cmp -s "$work/fp1" "$work/fp2" || fail "fingerprints differ between two runs"
  cmp -s "$work/fp1" "$work/fp3" || fail "fingerprints change when only values change"
  ;;
json)
  need jq jq
  for fx in drift:1 clean:0 unreadable:3; do
    name=${fx%%:*} code=${fx#*:}
    f=$work/$name.json
    render json "$name" >"$f"
    json_ok "$name" "$f" "$code"
    no_secrets "$f"
  done
  f=$work/drift.json
  eq "classifications" "$(jq -r '[.findings[].classification] | unique | join(",")' "$f")" \
    "expected,expired-expected,side-check-failure,stale-expected-entry,unexpected"
  eq "special characters round-trip" \
    "$(jq -r '.findings[] | select(.path == "data.GREETING") | .secondary.value' "$f")" \
    "$(printf 'plain\nraw newline <&>"|*_')"
  ;;
markdown)
  for fx in drift clean unreadable; do
    f=$work/$fx.md
    render markdown "$fx" >"$f"
    marker_ok "$fx" "$f"
    no_secrets "$f"
  done
  eq "drift details blocks" "$(grep -c '^<details>$' "$work/drift.md")" 13
  if grep -qF '<b>hi</b>' "$work/drift.md"; then fail "markdown passes raw HTML from a value"; fi
  ;;
cli)
  # The real pipeline: failover-audit check on the end-to-end fixtures (tests/audit/fixtures, which drift),
  # every report format at once, each checked as above. Here $render is the failover-audit binary.
  need xmllint libxml2-utils
  need jq jq
  cp -r "$src/../fixtures" "$work/fx" || { echo "FAIL: cannot copy $src/../fixtures" >&2; exit 1; }
  (cd "$work/fx" && FO_AUDIT_TODAY=2026-11-25 NO_COLOR=1 "$render" check --output junit=r.xml \
      --output codequality=cq.json --output json=r.json --output markdown=r.md --output text=r.txt >/dev/null \
      2>"$work/err")
  rc=$?
  [ "$rc" -eq 1 ] || { cat "$work/err" >&2; fail "failover-audit check exited $rc, want 1 (the fixtures drift)"; }
  for f in r.xml cq.json r.json r.md r.txt; do
    [ -s "$work/fx/$f" ] || fail "failover-audit did not write $f"
  done
  junit_ok cli "$work/fx/r.xml"
  codequality_ok cli "$work/fx/cq.json"
  json_ok cli "$work/fx/r.json" 1
  marker_ok cli "$work/fx/r.md"
  eq "cli codequality issues = json findings" "$(jq length "$work/fx/cq.json")" "$(jq '.findings | length' "$work/fx/r.json")"
  eq "cli junit failures > 0" "$(xp 'number(/testsuites/@failures) > 0' "$work/fx/r.xml")" true
  if grep -q $'\033' "$work/fx/r.txt"; then fail "text written to a file has colour escapes"; fi
  ;;
*)
  echo "validate.sh: unknown check '$check'" >&2
  exit 2
  ;;
esac

if [ "$fails" -ne 0 ]; then
  echo "audit.reports.$check: $fails check(s) failed" >&2
  exit 1
fi
echo "audit.reports.$check: ok"
