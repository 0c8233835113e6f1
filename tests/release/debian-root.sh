#!/usr/bin/env bash
# Makes (once) a minimal Debian 12 root with debootstrap --variant=minbase, cached under
# $FO_TOOLS_DIR/debian-bookworm-minbase; prints its path. The release tests copy it before changing it.
# The mirror is the one this machine's apt uses (/etc/apt/sources.list*), else deb.debian.org.
set -euo pipefail

: "${FO_TOOLS_DIR:?FO_TOOLS_DIR must name the tools cache}"
root=$FO_TOOLS_DIR/debian-bookworm-minbase
if [ -x "$root/bin/sh" ] && [ -f "$root/.fo-complete" ]; then
  echo "$root"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debian-root: debootstrap is not installed (scripts/install-deps.sh)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "debian-root: debootstrap needs root" >&2; exit 1; }

# The first Debian main archive (not -security) named by apt's sources, one-line or deb822 format.
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
  grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -1 | tr -d ' ' || true)
mirror=${mirror:-http://deb.debian.org/debian}

mkdir -p "$FO_TOOLS_DIR"
work=$(mktemp -d "$FO_TOOLS_DIR/.debian-root.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "debian-root: debootstrap --variant=minbase bookworm from $mirror (a few minutes, once)" >&2
start=$(date +%s)
if ! debootstrap --variant=minbase bookworm "$work/root" "$mirror" >"$work/log" 2>&1; then
  tail -30 "$work/log" >&2
  exit 1
fi
echo "debian-root: done in $(($(date +%s) - start)) s" >&2
touch "$work/root/.fo-complete"
rm -rf "$root"
mv "$work/root" "$root"
echo "$root"
