#!/usr/bin/env bash
# kube.sh: start etcd and kube-apiserver (built by scripts/build-kube.sh) on free loopback ports, with a test CA
# and serving certificate made with openssl, client-certificate and static-token authentication and RBAC
# authorization; wait for /readyz, run a command against it, and stop both (trap), removing every file.
#   tests/kube/kube.sh -- <command> [args]
# Exported to the command (all files under FO_KUBE_DIR, removed at the end):
#   FO_KUBE_SERVER      https://127.0.0.1:<port>
#   FO_KUBE_DIR         ca.crt, admin.crt, admin.key (CN fo-admin, group system:masters)
#   FO_KUBE_ADMIN_TOKEN token of user fo-admin (system:masters)
#   FO_KUBE_USER_TOKEN  token of user fo-user (authenticated, no RBAC rights until a test grants some)
# Exits 77 (ctest SKIP_RETURN_CODE) with a message when the binaries are absent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${FO_TOOLS_DIR:-$repo/.tools}/bin"
[ "${1:-}" = "--" ] && shift

for b in etcd kube-apiserver; do
  if [ ! -x "$bin/$b" ]; then
    echo "SKIP: $bin/$b not found (build it with scripts/build-kube.sh)" >&2
    exit 77
  fi
done
command -v openssl >/dev/null || { echo "kube.sh: openssl not found" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/fo-kube.XXXXXX")"
etcd_pid= api_pid=
cleanup() {
  for p in $api_pid $etcd_pid; do kill "$p" 2>/dev/null || true; done
  for p in $api_pid $etcd_pid; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# three free loopback ports (bound and released here; the window until the servers bind them is short)
read -r p_client p_peer p_api < <(python3 - <<'PY'
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
)

d="$tmp/pki"
mkdir -p "$d"
(
  cd "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=fo-test-ca" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=kube-apiserver" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes\nextendedKeyUsage=serverAuth\n' >server.ext
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext \
    -out server.crt 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=fo-admin" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' >client.ext
  openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile client.ext \
    -out admin.crt 2>/dev/null
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  admin_token=$(openssl rand -hex 24)
  user_token=$(openssl rand -hex 24)
  printf '%s,fo-admin,fo-admin,"system:masters"\n%s,fo-user,fo-user\n' "$admin_token" "$user_token" >tokens.csv
  printf '%s' "$admin_token" >admin.token
  printf '%s' "$user_token" >user.token
  chmod 600 ./*.key tokens.csv ./*.token
)

"$bin/etcd" --name fo-test --data-dir "$tmp/etcd" \
  --listen-client-urls "http://127.0.0.1:$p_client" --advertise-client-urls "http://127.0.0.1:$p_client" \
  --listen-peer-urls "http://127.0.0.1:$p_peer" --initial-advertise-peer-urls "http://127.0.0.1:$p_peer" \
  --initial-cluster "fo-test=http://127.0.0.1:$p_peer" --log-level error --unsafe-no-fsync \
  >"$tmp/etcd.log" 2>&1 &
etcd_pid=$!

"$bin/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$p_client" \
  --bind-address 127.0.0.1 --secure-port "$p_api" --advertise-address 127.0.0.1 \
  --tls-cert-file "$d/server.crt" --tls-private-key-file "$d/server.key" --cert-dir "$tmp/certs" \
  --client-ca-file "$d/ca.crt" --token-auth-file "$d/tokens.csv" \
  --authorization-mode RBAC \
  --service-account-issuer https://kubernetes.default.svc \
  --service-account-key-file "$d/sa.pub" --service-account-signing-key-file "$d/sa.key" \
  --service-cluster-ip-range 10.96.0.0/24 --endpoint-reconciler-type none \
  --enable-priority-and-fairness=false --profiling=false --watch-cache=false \
  >"$tmp/apiserver.log" 2>&1 &
api_pid=$!

server="https://127.0.0.1:$p_api"
ready=
for _ in $(seq 1 600); do
  if curl -fsS --cacert "$d/ca.crt" -H "Authorization: Bearer $(cat "$d/admin.token")" "$server/readyz" \
    -o /dev/null 2>/dev/null; then
    ready=1
    break
  fi
  kill -0 "$etcd_pid" 2>/dev/null || { echo "kube.sh: etcd exited:" >&2; tail -30 "$tmp/etcd.log" >&2; exit 1; }
  kill -0 "$api_pid" 2>/dev/null || { echo "kube.sh: kube-apiserver exited:" >&2; tail -30 "$tmp/apiserver.log" >&2; exit 1; }
  sleep 0.2
done
if [ -z "$ready" ]; then
  echo "kube.sh: kube-apiserver not ready after 120 s:" >&2
  tail -30 "$tmp/apiserver.log" >&2
  exit 1
fi

export FO_KUBE_SERVER="$server" FO_KUBE_DIR="$d"
FO_KUBE_ADMIN_TOKEN="$(cat "$d/admin.token")"
FO_KUBE_USER_TOKEN="$(cat "$d/user.token")"
export FO_KUBE_ADMIN_TOKEN FO_KUBE_USER_TOKEN
echo "kube.sh: kube-apiserver ready at $server" >&2
"$@"
