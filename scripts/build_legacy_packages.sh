#!/usr/bin/env bash
# Build the .deb for older systems (glibc 2.31 and later: Debian 11, Ubuntu 20.04, Kylin V10 SP1
# class) inside a Debian 11 root, then install it into a second, fresh Debian 11 root and run it
# there (docs/packaging.md, "Older systems").
#
#   bash scripts/build_legacy_packages.sh [VERSION]      # as root; VERSION: default pyproject.toml's
#
# Output: dist/legacy/xfdesk_VERSION_amd64.deb. Needs debootstrap (installed when missing) and
# Debian's mirror (DEBIAN_MIRROR, default deb.debian.org). The build root is kept in
# XFDESK_LEGACY_WORK (default /var/tmp/xfdesk-legacy), so SQLite and CPython are compiled once
# (about 10 min); later runs take about 4 min. Builds the files git knows (committed or not) and
# untracked files not ignored; never the virtualenv or dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECT=$(pwd)
VERSION=${1:-$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' pyproject.toml | head -n 1)}
WORK=${XFDESK_LEGACY_WORK:-/var/tmp/xfdesk-legacy}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bullseye
BUILD_ROOT=$WORK/build-root
TEST_ROOT=$WORK/test-root

[ "$(id -u)" = 0 ] || { echo "build_legacy_packages: run as root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null 2>&1 || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}
mkdir -p "$WORK"

MOUNTED=()
cleanup() {
  local i
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do umount -l "${MOUNTED[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT

# Debian's own upstream tarballs (bookworm's versions), checked against the hashes in its Sources.
fetch_source() {  # NAME SHA256 POOL_PATH
  local file="$WORK/$1"
  if ! echo "$2  $file" | sha256sum -c --quiet 2>/dev/null; then
    curl -fsSL -o "$file" "$MIRROR/pool/main/$3/$1"
    echo "$2  $file" | sha256sum -c --quiet
  fi
}

make_root() {  # DIR: a minimal Debian 11 with its /dev and /proc, trusting what this machine trusts
  [ -x "$1/usr/bin/apt-get" ] \
    || debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$1" "$MIRROR" >/dev/null
  cp /etc/resolv.conf "$1/etc/resolv.conf"
  # local trust anchors (an HTTPS proxy's own CA, say), or pip cannot reach PyPI from inside
  cp -a /usr/local/share/ca-certificates/. "$1/usr/local/share/ca-certificates/" 2>/dev/null || true
  chroot "$1" update-ca-certificates >/dev/null
  mount --bind /dev "$1/dev" && MOUNTED+=("$1/dev")
  mount -t proc proc "$1/proc" && MOUNTED+=("$1/proc")
}

in_root() {  # DIR COMMAND...: a clean environment, as a new login would have
  local dir=$1; shift
  chroot "$dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

started=$(date +%s)
fetch_source python3.11_3.11.2.orig.tar.gz \
  2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849 p/python3.11
fetch_source sqlite3_3.40.1.orig.tar.xz \
  aaa776260ab4dc976db34aa7891819484c8676b5b2783123ebc6301e2ca5d655 s/sqlite3

echo "== build root: $BUILD_ROOT"
make_root "$BUILD_ROOT"
rm -rf "$BUILD_ROOT/src/xfdesk" && mkdir -p "$BUILD_ROOT/src/xfdesk"
cp "$WORK"/python3.11_3.11.2.orig.tar.gz "$WORK"/sqlite3_3.40.1.orig.tar.xz "$BUILD_ROOT/src/"
git ls-files -z --cached --others --exclude-standard \
  | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$BUILD_ROOT/src/xfdesk"
in_root "$BUILD_ROOT" bash /src/xfdesk/installer/linux/legacy/build_in_root.sh "$VERSION"
mkdir -p dist/legacy
DEB=$(ls -t "$BUILD_ROOT"/src/xfdesk/dist/xfdesk_*_amd64.deb | head -n 1)
cp "$DEB" dist/legacy/
DEB=dist/legacy/$(basename "$DEB")
built=$(date +%s)

echo "== install test in a fresh Debian 11 root: $TEST_ROOT"
cleanup; MOUNTED=()
rm -rf "$TEST_ROOT"
make_root "$TEST_ROOT"
cp "$DEB" "$TEST_ROOT/tmp/"
in_root "$TEST_ROOT" apt-get update -qq
# as a county IT person would: apt resolves Depends on Debian 11 and adds the recommended CJK font
in_root "$TEST_ROOT" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq "/tmp/$(basename "$DEB")" >/dev/null
in_root "$TEST_ROOT" ldd --version | sed -n 1p  # (head would end ldd by SIGPIPE)
in_root "$TEST_ROOT" xfdesk --version
in_root "$TEST_ROOT" env QT_QPA_PLATFORM=offscreen xfdesk --self-test
[ -z "$(find "$TEST_ROOT/opt/xfdesk" -newer "$TEST_ROOT/tmp/$(basename "$DEB")" -type f -print -quit)" ] \
  || { echo "build_legacy_packages: something was written under /opt/xfdesk at run time" >&2; exit 1; }
tested=$(date +%s)

floor=$(dpkg-deb -f "$DEB" Depends | sed -n 's/^libc6 (>= \([0-9.]*\)).*/\1/p')
echo
echo "package:     $DEB, $(du -h "$DEB" | cut -f1), glibc floor $floor, built in $((built - started)) s"
echo "tested:      installed, --version and --self-test on Debian 11 (glibc 2.31) in $((tested - built)) s"
