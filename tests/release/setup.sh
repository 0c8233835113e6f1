#!/usr/bin/env bash
# The release tests' fixture: a throw-away GPG key in its own GNUPGHOME (the tests verify with its public
# key, exported next to the artifacts), then scripts/release.sh into $FO_DIST_DIR.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
: "${FO_DIST_DIR:?}" "${FO_RELEASE_BUILD_DIR:?}"
GNUPGHOME=$(mktemp -d "${TMPDIR:-/tmp}/fo-release-gnupg.XXXXXX")
export GNUPGHOME
trap 'gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT
gpg --batch --quiet --passphrase '' --quick-generate-key 'failover release test <release-test@example.invalid>' \
  ed25519 sign 1d 2>/dev/null
FO_GPG_KEY_ID=$(gpg --batch --with-colons --list-secret-keys | awk -F: '/^fpr:/ { print $10; exit }')
export FO_GPG_KEY_ID
"$REPO/scripts/release.sh"
gpg --batch --armor --export "$FO_GPG_KEY_ID" >"$FO_DIST_DIR/test-signing-key.asc"
