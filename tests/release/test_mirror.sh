#!/usr/bin/env bash
# test_mirror.sh CLIENT (tofu|terraform): the release's network mirror served over HTTPS on loopback (a test
# CA trusted through SSL_CERT_FILE, a certificate for localhost), a CLI configuration whose only installation
# method is that network_mirror, then `init`: the lock file records the h1 hash release.sh published, the
# installed package is the provider alone (it needs only glibc: readelf -d), and `validate` runs it. The same
# mirror with a wrong h1 makes init fail (the client checks the hash, it does not just copy it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
CLIENT=${1:?usage: test_mirror.sh tofu|terraform}
rel_setup "mirror-$CLIENT"
case $CLIENT in
  tofu) HOST=registry.opentofu.org ;;
  terraform) HOST=registry.terraform.io ;;
  *) fail "unknown client $CLIENT" ;;
esac
TF=$REL_TOOLS/bin/$CLIENT
[ -x "$TF" ] || fail "$TF is missing: scripts/build-clients.sh (or set FO_TOOLS_DIR)"
H1=$(rel_mirror_h1)
[ -n "$H1" ] || fail "no h1 hash in the mirror's $VERSION.json"

# A test CA and a server certificate for localhost signed by it.
pki=$WORK/pki
mkdir -p "$pki"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=failover-test-ca -keyout "$pki/ca.key" \
  -out "$pki/ca.pem" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout "$pki/server.key" -out "$pki/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$pki/ext"
openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial -days 1 \
  -extfile "$pki/ext" -out "$pki/server.pem" 2>/dev/null

# /good/ is the release's mirror as published; /bad/ the same with another h1.
www=$WORK/www
mkdir -p "$www"
cp -r "$DIST/mirror" "$www/good"
cp -r "$DIST/mirror" "$www/bad"
bad_h1="h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
sed -i "s|$H1|$bad_h1|" "$www/bad/$HOST/failover/failover/$VERSION.json"

python3 "$REL_DIR/serve_https.py" "$www" "$pki/server.pem" "$pki/server.key" "$WORK/port" 300 2>"$WORK/server.log" &
REL_PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
[ -s "$WORK/port" ] || { cat "$WORK/server.log" >&2; fail "the HTTPS server did not start"; }
PORT=$(cat "$WORK/port")

export HOME=$WORK/home SSL_CERT_FILE=$pki/ca.pem CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
export TMPDIR=$WORK/tmp
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_CLI_ARGS TF_REATTACH_PROVIDERS
mkdir -p "$HOME" "$TMPDIR"

# init_with MIRROR-PATH DIR: init DIR against https://localhost:PORT/MIRROR-PATH/; output in DIR/init.log.
init_with() {
  local dir=$2
  mkdir -p "$dir"
  printf 'provider_installation {\n  network_mirror {\n    url = "https://localhost:%s/%s/"\n  }\n}\n' \
    "$PORT" "$1" >"$dir/cli.tfrc"
  cat >"$dir/main.tf" <<TF
terraform {
  required_providers {
    failover = {
      source  = "failover/failover"
      version = "= $VERSION"
    }
  }
}

provider "failover" {
  primary_region   = "us-east-1"
  secondary_region = "us-east-2"
}
TF
  (cd "$dir" && TF_CLI_CONFIG_FILE=$dir/cli.tfrc "$TF" init -input=false -no-color >init.log 2>&1)
}

init_with good "$WORK/good" || { cat "$WORK/good/init.log" >&2; fail "$CLIENT init from the network mirror failed"; }
lock=$WORK/good/.terraform.lock.hcl
[ -f "$lock" ] || fail "init wrote no lock file"
grep -q "\"$HOST/failover/failover\"" "$lock" || { cat "$lock" >&2; fail "the lock file has no $HOST/failover/failover"; }
grep -q "version *= *\"$VERSION\"" "$lock" || { cat "$lock" >&2; fail "the lock file does not pin $VERSION"; }
grep -q "\"$H1\"" "$lock" || { cat "$lock" >&2; fail "the lock file does not record release.sh's $H1"; }
pkg=$WORK/good/.terraform/providers/$HOST/failover/failover/$VERSION/linux_amd64
[ -x "$pkg/terraform-provider-failover_v$VERSION" ] || fail "the provider is not installed in $pkg"
files=$(cd "$pkg" && ls -A)
[ "$files" = "terraform-provider-failover_v$VERSION" ] ||
  fail "the installed package holds more than the provider: $(echo $files)"
needed=$(rel_glibc_only "$pkg/terraform-provider-failover_v$VERSION")
hot_kib=$(rel_hot_text "$pkg/terraform-provider-failover_v$VERSION")
(cd "$WORK/good" && TF_CLI_CONFIG_FILE=$WORK/good/cli.tfrc "$TF" validate -no-color >validate.log 2>&1) ||
  { cat "$WORK/good/validate.log" >&2; fail "$CLIENT validate with the installed provider failed"; }

if init_with bad "$WORK/bad"; then
  fail "$CLIENT init accepted a package whose h1 does not match the mirror's"
fi
grep -qi 'checksum\|hash' "$WORK/bad/init.log" || { cat "$WORK/bad/init.log" >&2; fail "the wrong h1 failed init for another reason"; }
note "$CLIENT: installed $VERSION from https://localhost:$PORT/ (the provider alone, needs $needed, ${hot_kib} KiB of start-up code gathered), lock file records $H1; a wrong h1 is refused"
