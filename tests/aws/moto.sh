#!/usr/bin/env bash
# moto.sh: start moto (tests/aws/moto_server.py) on a free loopback port, wait
# until it answers, export its endpoint and run a command against it; moto is
# stopped when the command ends (trap).
#   tests/aws/moto.sh [--auth N] -- <command> [args]
#     --auth N   turn on moto's IAM checks after N unauthenticated calls
#                (INITIAL_NO_AUTH_ACTION_COUNT)
#   exported: FO_MOTO_ENDPOINT, AWS_ENDPOINT_URL (both http://127.0.0.1:<port>)
# Without a command it prints the endpoint and keeps moto up until Ctrl-C.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
py="${FO_TOOLS_DIR:-$repo/.tools}/venv/bin/python"
[ -x "$py" ] || { echo "moto.sh: $py not found (run scripts/setup-moto.sh)" >&2; exit 1; }

if [ "${1:-}" = "--auth" ]; then
  export INITIAL_NO_AUTH_ACTION_COUNT="$2"
  shift 2
fi
[ "${1:-}" = "--" ] && shift

tmp="$(mktemp -d)"
"$py" "$here/moto_server.py" --port 0 --port-file "$tmp/port" 2>"$tmp/moto.log" &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

for _ in $(seq 1 200); do
  if [ -s "$tmp/port" ] && curl -fsS "http://127.0.0.1:$(cat "$tmp/port")/moto-api/" -o /dev/null 2>/dev/null; then
    break
  fi
  kill -0 "$pid" 2>/dev/null || { echo "moto.sh: moto exited:" >&2; cat "$tmp/moto.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$tmp/port" ] || { echo "moto.sh: moto did not start" >&2; cat "$tmp/moto.log" >&2; exit 1; }
export FO_MOTO_ENDPOINT="http://127.0.0.1:$(cat "$tmp/port")"
export AWS_ENDPOINT_URL="$FO_MOTO_ENDPOINT"
echo "moto.sh: moto at $FO_MOTO_ENDPOINT" >&2
if [ $# -eq 0 ]; then
  echo "$FO_MOTO_ENDPOINT"
  wait "$pid"
else
  "$@"
fi
