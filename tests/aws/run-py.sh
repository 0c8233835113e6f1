#!/bin/sh
# run-py.sh: run an aws test script with the moto venv's Python
# ($FO_TOOLS_DIR/venv, made by scripts/setup-moto.sh). Fails clearly when absent.
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
py="${FO_TOOLS_DIR:-$repo/.tools}/venv/bin/python"
if [ ! -x "$py" ]; then
  echo "FAIL: moto venv missing: $py not found (run scripts/setup-moto.sh)" >&2
  exit 1
fi
export PYTHONDONTWRITEBYTECODE=1  # keep the source tree clean
exec "$py" "$@"
