#!/usr/bin/env bash
# update-golden.sh BUILD_DIR: rewrite tests/audit/reports/golden/ from the current renderers (the fixture in
# tests/unit/audit_report/report_fixture.c). Review `git diff` afterwards: the golden files are the contract.
set -euo pipefail
build=${1:?usage: update-golden.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
tool=$build/tests/unit/audit_report/audit_report_render
[ -x "$tool" ] || { echo "update-golden.sh: $tool not built (cmake --build $build --target audit_report_render)" >&2; exit 1; }
mkdir -p "$here/golden"
"$tool" text drift >"$here/golden/drift.txt"
"$tool" text-color drift >"$here/golden/drift.color.txt"
"$tool" markdown drift >"$here/golden/drift.md"
"$tool" json drift >"$here/golden/drift.json"
"$tool" junit drift >"$here/golden/drift.xml"
"$tool" codequality drift >"$here/golden/drift.codequality.json"
echo "golden files rewritten in $here/golden"
