#!/usr/bin/env bash
# Checks that every tracked C file is formatted by .clang-format (CI runs it);
# with --fix, formats them in place.
set -euo pipefail
cd "$(dirname "$0")/.."
CF=${CLANG_FORMAT:-clang-format}
command -v "$CF" >/dev/null || { echo "check-format: $CF not found (apt-get install clang-format)" >&2; exit 2; }
mapfile -t files < <(git ls-files '*.c' '*.h'; git ls-files --others --exclude-standard '*.c' '*.h')
if [ "${1:-}" = "--fix" ]; then
  "$CF" -i "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  if ! "$CF" "$f" | cmp -s - "$f"; then
    echo "check-format: $f is not formatted (scripts/check-format.sh --fix)" >&2
    bad=$((bad + 1))
  fi
done
[ "$bad" -eq 0 ] && echo "check-format: ${#files[@]} files formatted" >&2
[ "$bad" -eq 0 ]
