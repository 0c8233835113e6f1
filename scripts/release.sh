#!/usr/bin/env bash
# Builds the release of the version in CMakeLists.txt (project(... VERSION)) into dist/ (or $FO_DIST_DIR):
#   terraform-provider-failover_V_linux_amd64.zip   the provider alone: static archives (libcurl and cJSON built
#                                                   from Debian's sources), non-PIE; only glibc from the system
#   terraform-provider-failover_V_SHA256SUMS(.sig)  registry checksums and their detached GPG signature
#   terraform-provider-failover_V_manifest.json     = terraform-registry-manifest.json (protocol 6.0)
#   mirror/HOST/failover/failover/...               a provider network mirror for any static HTTPS host
#   failover-audit_V_amd64.deb                      the auditor for Debian 12 (runtime Depends from dpkg-shlibdeps)
#   failover-audit_V_linux_amd64.tar.gz             the auditor, self-contained (bin/, lib/) for other distributions
#   failover-audit_V_SHA256SUMS(.sig)               checksums of the two auditor artifacts, signed
#   RELEASE_NOTES.md                                from CHANGELOG.md's section for V, with the hashes and glibc floor
# Signing key: FO_GPG_KEY_ID (else gpg's default secret key) in $GNUPGHOME; FO_GPG_PASSPHRASE if it has one.
# --unsigned skips the signatures (a local try without a key). Build dirs: build/release-{static,deb}; the
# release's libcurl and cJSON: scripts/build-release-deps.sh (cached under $FO_TOOLS_DIR/release-deps/).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${FO_DIST_DIR:-$ROOT/dist}
BUILD=${FO_RELEASE_BUILD_DIR:-$ROOT/build/release}
JOBS=${FO_JOBS:-2}
SIGN=1
case "${1:-}" in
  --unsigned) SIGN=0 ;;
  "") ;;
  *) echo "usage: scripts/release.sh [--unsigned]" >&2; exit 2 ;;
esac

die() { echo "release: $*" >&2; exit 1; }
say() { echo "release: $*" >&2; }

VERSION=$(sed -n 's/^project(failover VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt)
[ -n "$VERSION" ] || die "no project(failover VERSION x.y.z) in CMakeLists.txt"
for tool in cmake cpack zip patchelf dpkg-shlibdeps objdump readelf strip sha256sum openssl; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/install-deps.sh installs it)"
done
[ "$SIGN" -eq 0 ] || command -v gpg >/dev/null || die "gpg is missing (scripts/install-deps.sh installs it)"
grep -q "^## \[$VERSION\]" CHANGELOG.md || die "CHANGELOG.md has no section '## [$VERSION]'"
case "$OUT" in / | "$HOME" | "$ROOT") die "refusing to empty $OUT" ;; esac

# Reproducible archives: every file dated at the last commit.
EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH=$EPOCH
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fo-release.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
rm -rf "$OUT"
mkdir -p "$OUT"

# --- builds ------------------------------------------------------------------------------------------------
DEPS=$(scripts/build-release-deps.sh) || die "scripts/build-release-deps.sh failed"
say "version $VERSION; static build in $BUILD-static (libcurl, cJSON: $DEPS)"
cmake -S . -B "$BUILD-static" -DFO_RELEASE_STATIC=ON -DFO_RELEASE_DEPS_DIR="$DEPS" -DFO_TESTS=OFF -DFO_WERROR=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$WORK/cmake-static.log" 2>&1 || { cat "$WORK/cmake-static.log" >&2; exit 1; }
cmake --build "$BUILD-static" -j"$JOBS" --target terraform-provider-failover failover-audit >"$WORK/build-static.log" 2>&1 ||
  { tail -40 "$WORK/build-static.log" >&2; exit 1; }
say "packaged build in $BUILD-deb"
cmake -S . -B "$BUILD-deb" -DFO_TESTS=OFF -DFO_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_INSTALL_PREFIX=/usr >"$WORK/cmake-deb.log" 2>&1 || { cat "$WORK/cmake-deb.log" >&2; exit 1; }
cmake --build "$BUILD-deb" -j"$JOBS" --target failover-audit >"$WORK/build-deb.log" 2>&1 ||
  { tail -40 "$WORK/build-deb.log" >&2; exit 1; }

# --- bundling ----------------------------------------------------------------------------------------------
# glibc's own libraries: the only ones taken from the system.
GLIBC_RE='^(linux-vdso\.so|ld-linux-x86-64\.so|libc\.so|libm\.so|libmvec\.so|libpthread\.so|libdl\.so|librt\.so|libresolv\.so|libutil\.so|libanl\.so|libnsl\.so|libnss_|libBrokenLocale\.so|libthread_db\.so)'

# glibc_only BINARY: BINARY names no shared library but glibc's and no RPATH/RUNPATH (the provider).
glibc_only() {
  local dyn lib
  dyn=$(readelf -d "$1") || die "readelf -d $1 failed"
  ! grep -Eq '\((RPATH|RUNPATH)\)' <<<"$dyn" || die "$1 has an RPATH/RUNPATH: $(grep -E 'R(UN)?PATH' <<<"$dyn")"
  for lib in $(sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' <<<"$dyn"); do
    [[ $lib =~ $GLIBC_RE ]] || die "$1 needs $lib, not glibc's (cmake/FoReleaseStatic.cmake links everything else)"
  done
}

# bundle BINARY LIBDIR: copies every shared library BINARY needs (its whole closure) but glibc's into LIBDIR,
# each found by its neighbours through a RUNPATH of $ORIGIN (the binary's own RPATH was set at link time).
bundle() {
  local bin=$1 dir=$2 name arrow path rest
  mkdir -p "$dir"
  ldd "$bin" >"$WORK/ldd.txt" || die "ldd $bin failed"
  if grep -q 'not found' "$WORK/ldd.txt"; then cat "$WORK/ldd.txt" >&2; die "$bin: a library is missing"; fi
  while read -r name arrow path rest; do
    [ "$arrow" = "=>" ] || continue
    [[ $name =~ $GLIBC_RE ]] && continue
    cp -L "$path" "$dir/$name"
    chmod 0644 "$dir/$name"
    patchelf --set-rpath '$ORIGIN' "$dir/$name"
  done <"$WORK/ldd.txt"
}

# glibc_floor FILE...: the highest GLIBC_x.y symbol version the files need.
glibc_floor() {
  local f
  for f in "$@"; do objdump -T "$f"; done 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV | tail -1
}

# floor_ok FLOOR WHAT MAX: the measured floor is at most MAX (the README's promise): FO_RELEASE_GLIBC_MAX for the
# provider zip, FO_RELEASE_AUDITOR_GLIBC_MAX for the auditor tarball. The auditor's is higher: `verify` links
# libmongoc, whose Debian static archive cannot be linked (its own copy of kms_message clashes with the one
# libmongocrypt needs), so it is bundled shared, and with it Debian 12's libstdc++.so.6, which needs glibc 2.36.
GLIBC_MAX=${FO_RELEASE_GLIBC_MAX:-2.35}
AUDITOR_GLIBC_MAX=${FO_RELEASE_AUDITOR_GLIBC_MAX:-2.36}
floor_ok() {
  [ "$(printf '%s\n%s\n' "${1#GLIBC_}" "$3" | sort -V | tail -1)" = "$3" ] ||
    die "$2 needs glibc ${1#GLIBC_}, above the promised $3 (objdump -T names the symbol)"
}

# h1 DIR: the "h1:" package hash Terraform and OpenTofu record in lock files (Go's dirhash Hash1): the
# SHA-256 of the lines "<sha256 hex>  <relative path>\n" of every file, paths sorted bytewise, in base64.
h1() {
  local f
  (cd "$1" && find . -type f | sed 's|^\./||' | LC_ALL=C sort | while IFS= read -r f; do
    printf '%s  %s\n' "$(sha256sum <"$f" | cut -d' ' -f1)" "$f"
  done) | openssl dgst -sha256 -binary | openssl base64 -A | sed 's/^/h1:/'
}

stamp() { find "$1" -exec touch -h -d "@$EPOCH" {} +; }

# --- provider zip ------------------------------------------------------------------------------------------
P=terraform-provider-failover
ZIP=${P}_${VERSION}_linux_amd64.zip
stage=$WORK/provider
mkdir -p "$stage"
strip -o "$stage/${P}_v$VERSION" "$BUILD-static/provider/$P"
glibc_only "$stage/${P}_v$VERSION"
"$stage/${P}_v$VERSION" --version | grep -q " $VERSION " || die "the provider does not print version $VERSION"
PROVIDER_FLOOR=$(glibc_floor "$stage"/*)
floor_ok "$PROVIDER_FLOOR" "the provider zip" "$GLIBC_MAX"
stamp "$stage"
(cd "$stage" && LC_ALL=C ls | zip -X -D -q -9 "$OUT/$ZIP" -@)
H1=$(h1 "$stage")
say "$ZIP: $(du -h "$OUT/$ZIP" | cut -f1), glibc >= ${PROVIDER_FLOOR#GLIBC_}, the provider alone"

printf '{"version":1,"metadata":{"protocol_versions":["6.0"]}}\n' >"$OUT/terraform-registry-manifest.json"
cp "$OUT/terraform-registry-manifest.json" "$OUT/${P}_${VERSION}_manifest.json"
(cd "$OUT" && sha256sum "$ZIP" "${P}_${VERSION}_manifest.json") >"$OUT/${P}_${VERSION}_SHA256SUMS"

# --- network mirror ----------------------------------------------------------------------------------------
# Clients ask MIRROR/<origin registry host>/failover/failover/{index.json,VERSION.json}; the archive URL is
# relative to VERSION.json, so the directory can be served as it is from any static HTTPS host.
for host in registry.terraform.io registry.opentofu.org; do
  d=$OUT/mirror/$host/failover/failover
  mkdir -p "$d"
  cp "$OUT/$ZIP" "$d/$ZIP"
  printf '{"versions":{"%s":{}}}\n' "$VERSION" >"$d/index.json"
  printf '{"archives":{"linux_amd64":{"url":"%s","hashes":["%s"]}}}\n' "$ZIP" "$H1" >"$d/$VERSION.json"
done

# --- auditor: Debian package and tarball -------------------------------------------------------------------
A=failover-audit
(cd "$BUILD-deb" && cpack -G DEB -B "$WORK/cpack") >"$WORK/cpack.log" 2>&1 || { cat "$WORK/cpack.log" >&2; exit 1; }
DEB=${A}_${VERSION}_amd64.deb
[ -f "$WORK/cpack/$DEB" ] || { cat "$WORK/cpack.log" >&2; die "cpack made no $DEB"; }
cp "$WORK/cpack/$DEB" "$OUT/$DEB"
DEB_DEPENDS=$(dpkg-deb -f "$OUT/$DEB" Depends)

TARDIR=${A}_${VERSION}_linux_amd64
tstage=$WORK/tar/$TARDIR
mkdir -p "$tstage/bin" "$tstage/share/doc/$A"
strip -o "$tstage/bin/$A" "$BUILD-static/auditor/$A"
bundle "$tstage/bin/$A" "$tstage/lib"
"$tstage/bin/$A" --version | grep -q " $VERSION$" || die "the auditor does not print version $VERSION"
cp docs/auditor.md docs/audit-rules.md docs/report-formats.md CHANGELOG.md "$tstage/share/doc/$A/"
AUDIT_FLOOR=$(glibc_floor "$tstage/bin/$A" "$tstage"/lib/*)
floor_ok "$AUDIT_FLOOR" "the auditor tarball" "$AUDITOR_GLIBC_MAX"
AUDIT_LIBS=$(cd "$tstage/lib" && ls | tr '\n' ' ')
stamp "$tstage"
tar -C "$WORK/tar" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$EPOCH" \
  -cf - "$TARDIR" | gzip -n -9 >"$OUT/$TARDIR.tar.gz"
(cd "$OUT" && sha256sum "$DEB" "$TARDIR.tar.gz") >"$OUT/${A}_${VERSION}_SHA256SUMS"
say "$DEB: Depends: $DEB_DEPENDS"
say "$TARDIR.tar.gz: $(du -h "$OUT/$TARDIR.tar.gz" | cut -f1), glibc >= ${AUDIT_FLOOR#GLIBC_}, bundled: $AUDIT_LIBS"

# --- signatures --------------------------------------------------------------------------------------------
if [ "$SIGN" -eq 1 ]; then
  gpg_args=(--batch --yes)
  [ -z "${FO_GPG_KEY_ID:-}" ] || gpg_args+=(--local-user "$FO_GPG_KEY_ID")
  gpg --batch --with-colons --list-secret-keys ${FO_GPG_KEY_ID:+"$FO_GPG_KEY_ID"} 2>/dev/null | grep -q '^sec' ||
    die "no GPG secret key${FO_GPG_KEY_ID:+ $FO_GPG_KEY_ID} in ${GNUPGHOME:-~/.gnupg}: set FO_GPG_KEY_ID/GNUPGHOME, or pass --unsigned"
  for sums in "$OUT/${P}_${VERSION}_SHA256SUMS" "$OUT/${A}_${VERSION}_SHA256SUMS"; do
    if [ -n "${FO_GPG_PASSPHRASE:-}" ]; then
      printf '%s' "$FO_GPG_PASSPHRASE" |
        gpg "${gpg_args[@]}" --pinentry-mode loopback --passphrase-fd 0 --detach-sign -o "$sums.sig" "$sums"
    else
      gpg "${gpg_args[@]}" --detach-sign -o "$sums.sig" "$sums"
    fi
  done
else
  say "--unsigned: no .sig files"
fi

# --- release notes -----------------------------------------------------------------------------------------
{
  echo "# failover $VERSION"
  echo
  # the version's section, without its blank edges
  awk -v v="$VERSION" 'index($0, "## [" v "]") == 1 { on = 1; next } /^## \[/ { on = 0 } on' CHANGELOG.md |
    sed -e '/./,$!d' | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}'
  echo
  echo "## Artifacts"
  echo
  echo "| file | what |"
  echo "|---|---|"
  echo "| \`$ZIP\` | the provider, one static (non-PIE) program: glibc >= ${PROVIDER_FLOOR#GLIBC_} from the system, nothing else |"
  echo "| \`${P}_${VERSION}_SHA256SUMS\` (+ \`.sig\`) | its checksums, signed |"
  echo "| \`mirror/\` | provider network mirror (serve it over HTTPS; see the README's Install) |"
  echo "| \`$DEB\` | the auditor for Debian 12; Depends: $DEB_DEPENDS |"
  echo "| \`$TARDIR.tar.gz\` | the auditor, self-contained (glibc >= ${AUDIT_FLOOR#GLIBC_}) |"
  echo "| \`${A}_${VERSION}_SHA256SUMS\` (+ \`.sig\`) | their checksums, signed |"
  echo
  echo "Provider package hash (lock files): \`$H1\`"
  echo
  echo '```'
  cat "$OUT/${P}_${VERSION}_SHA256SUMS" "$OUT/${A}_${VERSION}_SHA256SUMS"
  echo '```'
} >"$OUT/RELEASE_NOTES.md"
say "done: $OUT"
ls -l "$OUT" >&2
