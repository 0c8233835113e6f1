#!/usr/bin/env bash
# Both SHA256SUMS files verify with `gpg --verify` against the release key alone, their checksums match the
# artifacts, and a changed SHA256SUMS no longer verifies. The manifest is the registry's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
rel_setup signature

export GNUPGHOME=$WORK/gnupg
mkdir -m 700 "$GNUPGHOME"
trap 'gpgconf --kill all >/dev/null 2>&1 || true; rel_cleanup' EXIT
gpg --batch --quiet --import "$DIST/test-signing-key.asc" 2>/dev/null || fail "cannot import the test key"
for sums in "terraform-provider-failover_${VERSION}_SHA256SUMS" "failover-audit_${VERSION}_SHA256SUMS"; do
  [ -f "$DIST/$sums.sig" ] || fail "$sums.sig is missing"
  gpg --batch --verify "$DIST/$sums.sig" "$DIST/$sums" 2>"$WORK/verify.log" ||
    { cat "$WORK/verify.log" >&2; fail "gpg --verify $sums.sig failed"; }
  grep -q 'Good signature' "$WORK/verify.log" || fail "no good signature on $sums"
  (cd "$DIST" && sha256sum --quiet -c "$sums") || fail "$sums does not match the artifacts"
  # tampered: one more line
  cp "$DIST/$sums" "$WORK/tampered"
  echo "0000000000000000000000000000000000000000000000000000000000000000  evil.zip" >>"$WORK/tampered"
  if gpg --batch --verify "$DIST/$sums.sig" "$WORK/tampered" 2>/dev/null; then
    fail "a changed $sums still verifies"
  fi
done
grep -q "  $ZIP\$" "$DIST/terraform-provider-failover_${VERSION}_SHA256SUMS" || fail "SHA256SUMS does not list $ZIP"
manifest='{"version":1,"metadata":{"protocol_versions":["6.0"]}}'
[ "$(cat "$DIST/terraform-registry-manifest.json")" = "$manifest" ] || fail "terraform-registry-manifest.json is not $manifest"
note "signatures of both SHA256SUMS verified; checksums match; a tampered file is refused"
