#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need. Idempotent: when
# every package is already installed it only checks (no apt-get update).
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config git ca-certificates curl
  libgrpc-dev protobuf-compiler libprotobuf-dev protobuf-c-compiler libprotobuf-c-dev
  libmsgpack-dev libcjson-dev libcurl4-openssl-dev libssl-dev libgit2-dev
  libxml2-dev libxml2-utils libyaml-dev libyajl-dev libcmocka-dev
  clang libclang-rt-14-dev clang-format valgrind jq time python3-venv libpcre2-dev libmpfr-dev
  # scripts/release.sh and its tests (tests/release): archives, RPATHs, the .deb's Depends, signatures,
  # the bare Debian 12 root, the test CA
  zip unzip patchelf dpkg-dev file gnupg debootstrap openssl util-linux
  # the release's static link (cmake/FoReleaseStatic.cmake): libgit2's static dependencies, and what
  # scripts/build-release-deps.sh needs to build libcurl and cJSON from Debian's source packages
  # (apt-get source, dpkg-source, dpkg-buildflags; make and gcc come with build-essential)
  libssh2-1-dev libmbedtls-dev libhttp-parser-dev zlib1g-dev
  libmariadb-dev libmongoc-dev mariadb-server
)

# --demo: only what building the programs (without tests) and scripts/demo.sh
# need; the main job installs no test-only package.
if [ "${1:-}" = "--demo" ]; then
  PKGS=(
    build-essential cmake pkg-config git ca-certificates curl
    libgrpc-dev protobuf-compiler libprotobuf-dev protobuf-c-compiler libprotobuf-c-dev
    libmsgpack-dev libcjson-dev libcurl4-openssl-dev libssl-dev libgit2-dev
    libxml2-dev libyaml-dev jq python3-venv libpcre2-dev libmariadb-dev libmongoc-dev
  )
fi

# The release's libcurl and cJSON are built from Debian's source packages: apt needs deb-src entries
# (scripts/build-release-deps.sh adds its own file when there is none, and updates the lists).
if [ "${1:-}" != "--demo" ] && [ "$(id -u)" -eq 0 ] && [ -x "$(dirname "$0")/build-release-deps.sh" ]; then
  "$(dirname "$0")/build-release-deps.sh" --sources || exit 1
fi

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
