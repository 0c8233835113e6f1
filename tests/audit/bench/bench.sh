#!/usr/bin/env bash
# Benchmark (label bench, not a test): the large case (20,000 resources per state, 5,000 ConfigMaps per side).
# Measures wall time and peak RSS (/usr/bin/time -v) of `failover-audit snapshot` and `diff`, and of a jq-based
# and a python deepdiff-based diff of the same snapshot files, in the same run. deepdiff is installed in a
# venv under FO_AUDIT_WORK (or $FO_TOOLS_DIR/venv when it already has deepdiff).
# FO_AUDIT_BIN_BASE (optional): another build (e.g. main's) whose `diff` is measured alternately with FO_AUDIT_BIN's
# on the same snapshots, FO_BENCH_ROUNDS rounds (default 5), with the median of each (CPU = user + system).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${FO_AUDIT_BIN:?FO_AUDIT_BIN not set}
work=${FO_AUDIT_WORK:?FO_AUDIT_WORK not set}
nres=${FO_BENCH_RESOURCES:-20000}
ncm=${FO_BENCH_CONFIGMAPS:-5000}
[ -x /usr/bin/time ] || { echo "FAIL: /usr/bin/time is required (apt-get install time)"; exit 1; }
command -v jq >/dev/null || { echo "FAIL: jq is required"; exit 1; }
mkdir -p "$work"
py=$work/venv/bin/python
if [ -x "${FO_TOOLS_DIR:-/nonexistent}/venv/bin/python" ] && "${FO_TOOLS_DIR}/venv/bin/python" -c 'import deepdiff' 2>/dev/null; then
  py=$FO_TOOLS_DIR/venv/bin/python
elif ! "$py" -c 'import deepdiff' 2>/dev/null; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q deepdiff
fi
case=$work/case
rm -rf "$case"
python3 "$here/gen.py" "$case" "$nres" "$ncm"
cd "$case"
export FO_AUDIT_TODAY=2026-11-25

measure() { # name cmd...: prints "name  wall_s  peak_rss_MiB  exit"
  local name=$1; shift
  local rc=0
  /usr/bin/time -v -o "$work/time.$name" "$@" > "$work/out.$name" 2>"$work/err.$name" || rc=$?
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.$name")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$work/time.$name")
  printf '%-28s %10s %10s MiB  exit %s\n' "$name" "$wall" "$rss" "$rc"
}
echo "large case: $nres resources per state, $ncm ConfigMaps per side ($(du -sh "$case" | cut -f1) of input)"
printf '%-28s %10s %14s\n' tool "wall (m:ss)" "peak RSS"
measure snapshot-primary "$bin" snapshot --side primary -o p.json
measure snapshot-secondary "$bin" snapshot --side secondary -o s.json
measure failover-audit-diff "$bin" diff p.json s.json --format json
measure jq-diff jq -n --slurpfile a p.json --slurpfile b s.json -f "$here/jq-diff.jq"
measure deepdiff-diff "$py" "$here/deepdiff-diff.py" p.json s.json
if [ -n "${FO_AUDIT_BIN_BASE:-}" ]; then
  rounds=${FO_BENCH_ROUNDS:-5}
  for i in $(seq "$rounds"); do
    for which in base new; do
      b=$bin; [ "$which" = base ] && b=$FO_AUDIT_BIN_BASE
      /usr/bin/time -f '%e %U %S %M' -o "$work/round.$which.$i" "$b" diff p.json s.json --format json \
        > "$work/out.round.$which" 2>/dev/null || true
    done
    cmp -s "$work/out.round.base" "$work/out.round.new" || echo "NOTE: round $i: the two builds' reports differ"
  done
  for which in base new; do
    cat "$work"/round.$which.* | awk -v w="$which" '
      NF == 4 && $1 ~ /^[0-9.]+$/ { n++; wall[n] = $1; cpu[n] = $2 + $3; rss[n] = $4 / 1024 }
      function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
      END { printf "diff %-4s x%d  median wall %.2f s  CPU %.2f s  peak RSS %.1f MiB\n", w, n, med(wall, n), med(cpu, n), med(rss, n) }'
  done
fi
echo "failover-audit summary: $(jq -c '.summary | {findings, failing, objects_compared}' "$work/out.failover-audit-diff")"
echo "jq result:              $(tr -d '\n ' < "$work/out.jq-diff")"
echo "deepdiff result:        $(cat "$work/out.deepdiff-diff")"
