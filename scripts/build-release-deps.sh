#!/usr/bin/env bash
# Builds the two libraries the release binaries (FO_RELEASE_STATIC, cmake/FoReleaseStatic.cmake) take from
# Debian's *source* packages rather than its binary ones: Debian ships no libcjson.a, and its libcurl.a is
# built with every protocol (LDAP, RTMP, GSSAPI, SSH...), whose libraries would have to be bundled shared.
#   libcurl  HTTP and HTTPS only (OpenSSL), HTTP/1.1, proxies from the environment, zlib, threaded resolver
#   cJSON    the static library, nothing else
# `apt-get source` fetches the versions of the installed -dev packages (dpkg-source applies Debian's patches);
# each is built at -O2 with Debian's hardening flags into a cache keyed by its version and this recipe:
# $FO_TOOLS_DIR/release-deps/ (else .release-deps/ in the repo), reused when present. Prints the prefix
# (lib/libcurl.a, lib/libcjson.a, include/, lib/pkgconfig/) on stdout.
# usage: scripts/build-release-deps.sh [--sources]
#   --sources  only make sure apt has deb-src entries (adds its own file next to the system's deb entries)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JOBS=${FO_JOBS:-2}
# Bump when the configure options below change: the cache key holds it.
RECIPE=1
APT_ETC=${FO_APT_ETC:-/etc/apt} # (another directory only to try the deb-src derivation)
SRC_LIST=$APT_ETC/sources.list.d/fo-release-deps-src.sources

say() { echo "release-deps: $*" >&2; }
die() { echo "release-deps: $*" >&2; exit 1; }

# has_deb_src: apt knows the source package of curl (some deb-src entry exists and its index is fetched).
has_deb_src() { [ -n "$(apt-cache showsrc curl 2>/dev/null | sed -n 's/^Version: //p' | head -1)" ]; }

# ensure_deb_src: when apt has no deb-src entry, writes one (SRC_LIST) for every Debian archive the system's
# deb entries name, same URIs, suites, components and keyring, then updates the package lists.
ensure_deb_src() {
  has_deb_src && return 0
  [ "$(id -u)" -eq 0 ] || die "apt knows no source package (deb-src) and this is not root: add a deb-src entry for Debian's archives"
  local tmp lists=() sources=() f
  for f in "$APT_ETC"/sources.list "$APT_ETC"/sources.list.d/*.list; do [ -f "$f" ] && lists+=("$f"); done
  for f in "$APT_ETC"/sources.list.d/*.sources; do [ -f "$f" ] && sources+=("$f"); done
  if grep -Eqs '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' "${lists[@]}" "${sources[@]}" /dev/null; then
    say "apt has deb-src entries but no source lists yet: apt-get update"
    apt-get update -qq >&2 || die "apt-get update failed"
    has_deb_src && return 0
  fi
  tmp=$(mktemp)
  # deb822 files: each stanza whose Types has deb and whose URIs are Debian's, with Types: deb-src.
  awk '
    function flush() {
      if (stanza != "" && types ~ /(^| )deb( |$)/ && uris ~ /\/debian(-security)?\/?( |$)/) {
        print "Types: deb-src"; printf "%s", stanza; print ""
      }
      stanza = ""; types = ""; uris = ""
    }
    FNR == 1 { flush() }
    /^[ \t]*#/ { next }
    /^[ \t]*$/ { flush(); next }
    /^Types:/ { types = $0; sub(/^Types:[ \t]*/, "", types); next }
    /^URIs:/ { uris = $0 " " }
    { stanza = stanza $0 "\n" }
    END { flush() }
  ' "${sources[@]}" /dev/null >"$tmp"
  # one-line files: "deb [options] URI suite components..." for Debian's archives.
  awk '$1 == "deb" && $0 ~ /\/debian(-security)?\/? / {
      opts = ""; i = 2
      if ($2 ~ /^\[/) { while ($i !~ /\]$/) { opts = opts " " $i; i++ } opts = opts " " $i; i++ }
      uri = $i; suite = $(i + 1); comps = ""
      for (j = i + 2; j <= NF; j++) comps = comps " " $j
      signed = ""
      if (match(opts, /signed-by=[^] ]+/)) signed = substr(opts, RSTART + 10, RLENGTH - 10)
      print "Types: deb-src"; print "URIs: " uri; print "Suites: " suite; print "Components:" comps
      if (signed != "") print "Signed-By: " signed
      print ""
    }' "${lists[@]}" /dev/null >>"$tmp"
  [ -s "$tmp" ] || { rm -f "$tmp"; die "no Debian deb entry in /etc/apt/sources.list* to derive a deb-src entry from"; }
  install -m 0644 "$tmp" "$SRC_LIST"
  rm -f "$tmp"
  say "added $SRC_LIST (deb-src for the system's Debian archives); apt-get update"
  apt-get update -qq >&2 || die "apt-get update failed after adding $SRC_LIST"
  has_deb_src || die "apt still knows no source package curl after adding $SRC_LIST"
}

if [ "${1:-}" = "--sources" ]; then
  ensure_deb_src
  exit 0
fi
[ $# -eq 0 ] || die "usage: scripts/build-release-deps.sh [--sources]"
for tool in dpkg-source dpkg-buildflags make cc cmake pkg-config; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/install-deps.sh installs it)"
done

# The versions: those of the installed -dev packages, so the release's headers and library agree with the
# rest of the build (the same archive carries their source).
installed() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true; }
CURL_V=$(installed libcurl4-openssl-dev)
CJSON_V=$(installed libcjson-dev)
[ -n "$CURL_V" ] || die "libcurl4-openssl-dev is not installed (scripts/install-deps.sh)"
[ -n "$CJSON_V" ] || die "libcjson-dev is not installed (scripts/install-deps.sh)"

CACHE=${FO_TOOLS_DIR:+$FO_TOOLS_DIR/release-deps}
CACHE=${CACHE:-$ROOT/.release-deps}
PREFIX=$CACHE/curl-${CURL_V}_cjson-${CJSON_V}_r$RECIPE
if [ -f "$PREFIX/.fo-complete" ]; then
  echo "$PREFIX"
  exit 0
fi

ensure_deb_src
mkdir -p "$CACHE"
WORK=$(mktemp -d "$CACHE/.build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
start=$(date +%s)
say "building curl $CURL_V and cjson $CJSON_V from Debian's sources into $PREFIX (once, a few minutes)"
(cd "$WORK" && apt-get source -qq "curl=$CURL_V" "cjson=$CJSON_V") >"$WORK/source.log" 2>&1 ||
  { cat "$WORK/source.log" >&2; die "apt-get source curl=$CURL_V cjson=$CJSON_V failed"; }
curl_src=$(find "$WORK" -maxdepth 1 -type d -name 'curl-*' | head -1)
cjson_src=$(find "$WORK" -maxdepth 1 -type d -name 'cjson-*' | head -1)
[ -d "$curl_src" ] && [ -d "$cjson_src" ] || die "apt-get source left no curl-*/cjson-* directory"

# Debian's optimisation and hardening flags without -g (release.sh strips anyway). The objects stay
# position-independent (gcc's default here), so the archives serve a PIE and a non-PIE link alike.
CFLAGS="$(dpkg-buildflags --get CFLAGS | sed -e 's/\(^\| \)-g\( \|$\)/ /') -ffunction-sections -fdata-sections"
CPPFLAGS=$(dpkg-buildflags --get CPPFLAGS)
stage=$WORK/prefix
mkdir -p "$stage"

# curl: the configure script of the release tarball (Debian's patches touch the library's sources; those
# touching configure.ac or Makefile.am only concern the packaging and the test suite). dpkg-source applied
# every patch of the series, also the last two that rename the library for Debian's GnuTLS and NSS flavours;
# they only touch Makefile.am files, which this build does not regenerate, so the OpenSSL flavour is built.
say "curl: configure"
(cd "$curl_src" && CFLAGS="$CFLAGS" CPPFLAGS="$CPPFLAGS -DCURL_PATCHSTAMP=\\\"$CURL_V\\\"" ./configure \
  --prefix="$stage" --disable-shared --enable-static --disable-dependency-tracking \
  --with-openssl --with-zlib --enable-threaded-resolver --enable-http --enable-proxy --enable-ipv6 \
  --enable-cookies --enable-mime --enable-netrc --enable-headers-api --enable-symbol-hiding \
  --disable-ftp --disable-file --disable-ldap --disable-ldaps --disable-rtsp --disable-dict --disable-telnet \
  --disable-tftp --disable-pop3 --disable-imap --disable-smb --disable-smtp --disable-gopher --disable-mqtt \
  --disable-manual --disable-docs --disable-ntlm --disable-ntlm-wb --disable-kerberos-auth \
  --disable-websockets --disable-alt-svc --disable-hsts \
  --without-gssapi --without-libssh2 --without-libssh --without-wolfssh --without-librtmp --without-libidn2 \
  --without-libpsl --without-brotli --without-zstd --without-nghttp2 --without-nghttp3 --without-ngtcp2 \
  --without-quiche --without-msh3 --without-hyper --without-libgsasl \
  --with-ca-bundle=/etc/ssl/certs/ca-certificates.crt --with-ca-path=/etc/ssl/certs --with-ca-fallback) \
  >"$WORK/curl-configure.log" 2>&1 || { tail -40 "$WORK/curl-configure.log" >&2; die "curl: configure failed"; }
say "curl: build"
(make -C "$curl_src/lib" -j"$JOBS" V=0 && make -C "$curl_src/lib" install && make -C "$curl_src/include" install &&
  make -C "$curl_src" install-pkgconfigDATA) >"$WORK/curl-build.log" 2>&1 ||
  { tail -40 "$WORK/curl-build.log" >&2; die "curl: build failed"; }
grep -A30 'Configured to build curl/libcurl' "$WORK/curl-configure.log" | sed 's/^/  /' >"$WORK/curl-features.txt" || true

say "cjson: build"
(cmake -S "$cjson_src" -B "$WORK/cjson-build" -DCMAKE_BUILD_TYPE=None -DCMAKE_C_FLAGS="$CFLAGS $CPPFLAGS" \
  -DBUILD_SHARED_LIBS=OFF -DBUILD_SHARED_AND_STATIC_LIBS=OFF \
  -DENABLE_CJSON_TEST=OFF -DENABLE_CJSON_UTILS=OFF -DENABLE_TARGET_EXPORT=OFF -DENABLE_CUSTOM_COMPILER_FLAGS=OFF \
  -DCMAKE_INSTALL_PREFIX="$stage" -DCMAKE_INSTALL_LIBDIR=lib &&
  cmake --build "$WORK/cjson-build" -j"$JOBS" && cmake --install "$WORK/cjson-build") >"$WORK/cjson-build.log" 2>&1 ||
  { tail -40 "$WORK/cjson-build.log" >&2; die "cjson: build failed"; }

for f in lib/libcurl.a lib/libcjson.a lib/pkgconfig/libcurl.pc lib/pkgconfig/libcjson.pc include/curl/curl.h \
  include/cjson/cJSON.h; do
  [ -f "$stage/$f" ] || die "the build left no $f"
done
# (the .pc files name the temporary prefix: point them at the cache)
sed -i "s|$stage|$PREFIX|g" "$stage"/lib/pkgconfig/*.pc "$stage/bin/curl-config" 2>/dev/null || true
rm -rf "$stage/share" "$stage/lib"/*.la
cp "$WORK/curl-features.txt" "$stage/curl-features.txt"
printf 'curl %s\ncjson %s\nrecipe %s\n' "$CURL_V" "$CJSON_V" "$RECIPE" >"$stage/VERSIONS"
touch "$stage/.fo-complete"
rm -rf "$PREFIX"
mv "$stage" "$PREFIX"
say "done in $(($(date +%s) - start)) s: $PREFIX"
echo "$PREFIX"
