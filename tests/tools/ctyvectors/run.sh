#!/bin/sh
# Regenerate the go-cty vectors into the build dir, require them to equal the
# committed vectors.txt, then run the C checker on them.
# usage: run.sh <ctyvectors-src-dir> <out-file> <gocty_check-binary>
set -eu
src=$1 out=$2 checker=$3
GO=${GO:-}
if [ -z "$GO" ]; then
  GO=$(command -v go 2>/dev/null || true)
  [ -n "$GO" ] || { [ -x /usr/local/go/bin/go ] && GO=/usr/local/go/bin/go; } || true
fi
if [ -z "$GO" ] || [ ! -x "$GO" ]; then
  echo "FAIL: go toolchain not found (set GO=/path/to/go); needed to regenerate go-cty vectors" >&2
  exit 1
fi
(cd "$src" && GOFLAGS=-mod=mod "$GO" run . -o "$out")
if ! cmp -s "$out" "$src/vectors.txt"; then
  echo "FAIL: regenerated vectors differ from the committed $src/vectors.txt:" >&2
  diff "$src/vectors.txt" "$out" | head -20 >&2 || true
  exit 1
fi
exec "$checker" "$out"
