#!/usr/bin/env bash
# The release on a bare Debian 12 (debootstrap --variant=minbase, no extra package; cached by debian-root.sh):
#  - none of gRPC, protobuf-c, msgpack-c, cJSON, libcurl, libxml2 nor a -dev package is installed there;
#  - the provider zip unpacked in it: the provider alone, ldd resolves only glibc's libraries (the root's own),
#    and it answers the go-plugin handshake (the magic cookie set) with its line on stdout;
#  - the auditor tarball: the same ldd check, `failover-audit --version`;
#  - `apt-get install ./failover-audit_V_amd64.deb` pulls its runtime dependencies from the Debian mirror,
#    then `failover-audit --version` runs.
# Runs in a copy of the cached root, chrooted inside its own mount and PID namespaces (unshare) with /proc
# mounted there ($ORIGIN needs /proc/self/exe), so nothing stays mounted. Needs root; exits 77 (skipped)
# otherwise, saying why.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
rel_setup debian-root
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: debootstrap and chroot need root (this run is uid $(id -u))" >&2
  exit 77
fi
command -v unshare >/dev/null || fail "unshare (util-linux) is missing"

cached=$(FO_TOOLS_DIR=$REL_TOOLS "$REL_DIR/debian-root.sh") || fail "could not make the Debian 12 root"
root=$WORK/root
cp -a "$cached" "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf" # apt-get in the root reaches the Debian mirror
mkdir -p "$root/opt/provider"
(cd "$root/opt/provider" && unzip -q "$DIST/$ZIP") || fail "cannot unpack $ZIP"
tar -C "$root/opt" -xzf "$DIST/$TARBALL" || fail "cannot unpack $TARBALL"
cp "$DIST/$DEB" "$root/tmp/"

cat >"$root/tmp/check.sh" <<CHECK
#!/bin/bash
# (runs inside the Debian root)
set -u
fail() { echo "FAIL [debian-root]: \$*" >&2; exit 1; }
glibc='^(linux-vdso\.so|ld-linux-x86-64\.so|libc\.so|libm\.so|libmvec\.so|libpthread\.so|libdl\.so|librt\.so|libresolv\.so|libutil\.so|libanl\.so)'
# only_bundle BINARY DIR: every library ldd resolves is in DIR, or glibc's (DIR /nowhere: glibc's only)
only_bundle() {
  ldd "\$1" >/tmp/ldd.txt 2>&1 || { cat /tmp/ldd.txt >&2; fail "ldd \$1 failed"; }
  grep -q 'not found' /tmp/ldd.txt && { cat /tmp/ldd.txt >&2; fail "\$1: a library is not found"; }
  local n=0
  while read -r name arrow path rest; do
    [ "\$arrow" = "=>" ] || continue
    path=\$(readlink -f "\$path")
    case \$path in "\$2"/*) n=\$((n + 1)); continue ;; esac
    [[ \$name =~ \$glibc ]] || { cat /tmp/ldd.txt >&2; fail "\$1: \$name resolves to \$path, outside the bundle"; }
  done </tmp/ldd.txt
  echo "ldd \$1: \$n libraries from the bundle, the rest glibc's"
}

installed=\$(dpkg-query -W -f='\${Package}\n' | grep -E '^(libgrpc|libprotobuf-c|libmsgpack|libcjson|libcurl|libxml2|libgit2|libyaml|libyajl|libmpfr)|-dev\$' || true)
[ -z "\$installed" ] || fail "the root is not bare: \$installed"

P=/opt/provider/terraform-provider-failover_v$VERSION
zipped=\$(ls -A /opt/provider)
[ "\$zipped" = "terraform-provider-failover_v$VERSION" ] || fail "the zip holds more than the provider: \$zipped"
only_bundle "\$P" /nowhere
TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2 PLUGIN_PROTOCOL_VERSIONS=6 \
  "\$P" >/tmp/handshake.out 2>/tmp/handshake.err &
pid=\$!
for _ in \$(seq 100); do [ -s /tmp/handshake.out ] && break; sleep 0.1; done
kill \$pid 2>/dev/null; wait \$pid 2>/dev/null
line=\$(head -1 /tmp/handshake.out)
[[ \$line =~ ^1\|6\|unix\|/tmp/plugin[^\|]+\|grpc\|\$ ]] || { cat /tmp/handshake.err >&2; fail "no handshake line from the provider: '\$line'"; }
echo "provider handshake: \$line"

A=/opt/failover-audit_${VERSION}_linux_amd64
only_bundle "\$A/bin/failover-audit" "\$A/lib"
v=\$("\$A/bin/failover-audit" --version) || fail "the tarball's failover-audit --version failed"
[ "\$v" = "failover-audit $VERSION" ] || fail "the tarball's failover-audit printed '\$v'"
echo "tarball: \$v"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/tmp/apt.log 2>&1 || { cat /tmp/apt.log >&2; fail "apt-get update failed"; }
apt-get install -y -qq --no-install-recommends /tmp/$DEB >>/tmp/apt.log 2>&1 || { cat /tmp/apt.log >&2; fail "apt-get install ./$DEB failed"; }
v=\$(failover-audit --version) || fail "failover-audit --version failed after installing the package"
[ "\$v" = "failover-audit $VERSION" ] || fail "the packaged failover-audit printed '\$v'"
echo "package: \$v (\$(command -v failover-audit)), with \$(dpkg-query -W -f='\${Depends}' failover-audit)"
CHECK
chmod +x "$root/tmp/check.sh"
# (a clean environment: nothing of this machine's, TMPDIR included, means anything in there)
unshare --mount --pid --fork --mount-proc="$root/proc" chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/bash /tmp/check.sh ||
  fail "the checks inside the Debian 12 root failed"
note "the release runs on a bare Debian 12 root"
