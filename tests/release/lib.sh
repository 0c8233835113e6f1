# lib.sh: shared helpers of the release tests (tests/release/CMakeLists.txt). Each test sources it, names
# itself with rel_setup and reads the artifacts scripts/release.sh wrote into $FO_DIST_DIR (the fixture).
# shellcheck shell=bash

REL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REL_REPO=$(cd "$REL_DIR/../.." && pwd)
REL_TOOLS=${FO_TOOLS_DIR:-$REL_REPO/.tools}
REL_PIDS=()

fail() {
  printf 'FAIL [%s]: %s\n' "${REL_CASE:-release}" "$*" >&2
  exit 1
}
note() { printf '== %s\n' "$*" >&2; }

rel_cleanup() {
  local rc=$? pid
  for pid in "${REL_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${REL_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${FO_REL_KEEP:-}" ] || [ -z "${WORK:-}" ] || rm -rf "$WORK"
  exit "$rc"
}

# rel_setup CASE: the work directory (removed on exit), VERSION and the artifact names from $FO_DIST_DIR.
rel_setup() {
  REL_CASE=$1
  DIST=${FO_DIST_DIR:?FO_DIST_DIR must name the release directory (scripts/release.sh wrote it)}
  VERSION=$(sed -n 's/^project(failover VERSION \([0-9][0-9.]*\).*/\1/p' "$REL_REPO/CMakeLists.txt")
  ZIP=terraform-provider-failover_${VERSION}_linux_amd64.zip
  DEB=failover-audit_${VERSION}_amd64.deb
  TARBALL=failover-audit_${VERSION}_linux_amd64.tar.gz
  [ -f "$DIST/$ZIP" ] || fail "$DIST/$ZIP is missing: scripts/release.sh did not run or failed"
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/fo-release-$REL_CASE.XXXXXX") || fail "mktemp failed"
  trap rel_cleanup EXIT
}

# The h1 hash release.sh published in the mirror (what lock files must record).
rel_mirror_h1() {
  sed -n 's/.*"hashes":\["\(h1:[^"]*\)".*/\1/p' "$DIST/mirror/registry.terraform.io/failover/failover/$VERSION.json"
}

# rel_glibc_only BINARY: `readelf -d BINARY` names only glibc's libraries (NEEDED) and no RPATH or RUNPATH
# (the provider: everything else is linked in statically); prints them.
rel_glibc_only() {
  local dyn needed lib
  dyn=$(readelf -d "$1") || fail "readelf -d $1 failed"
  if grep -Eq '\((RPATH|RUNPATH)\)' <<<"$dyn"; then
    fail "$1 has an RPATH/RUNPATH, it bundles nothing: $(grep -E '\(R(UN)?PATH\)' <<<"$dyn")"
  fi
  needed=$(sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' <<<"$dyn")
  [ -n "$needed" ] || fail "$1 names no NEEDED library at all (not the dynamically linked program expected)"
  for lib in $needed; do
    [[ $lib =~ ^(libc\.so\.6|libm\.so\.6|ld-linux-x86-64\.so\.2|libresolv\.so\.2|libdl\.so\.2|libpthread\.so\.0)$ ]] ||
      fail "$1 needs $lib, not a glibc library"
  done
  echo $needed
}

# rel_hot_text BINARY: the provider was linked with cmake/release-hot-text.ld (its start-up code gathered in
# .text.fo_hot, at least 1 MiB of it: a list gone stale would leave it nearly empty); prints the size in KiB.
rel_hot_text() {
  local hex size
  hex=$(readelf -SW "$1" | awk '{ for (i = 1; i < NF; i++) if ($i == ".text.fo_hot") print $(i + 4) }')
  [ -n "$hex" ] || fail "$1 has no .text.fo_hot section (was it linked with cmake/release-hot-text.ld?)"
  size=$((16#$hex))
  [ "$size" -ge 1048576 ] || fail "$1's .text.fo_hot holds only $size bytes: regenerate cmake/release-hot-text.ld (scripts/gen-hot-text.py)"
  echo $((size / 1024))
}
