#!/usr/bin/env bash
# Build the Debian package dist/xfdesk_VERSION_amd64.deb from the one-folder bundle (docs/packaging.md).
#
#   installer/linux/build_deb.sh [VERSION] [--bundle DIR] [--out DIR] [--fast]
#
# VERSION   the package version; default: pyproject.toml's (PEP 440 pre-releases such as 1.2.0rc1
#           become Debian's 1.2.0~rc1, which sorts before 1.2.0)
# --bundle  an existing PyInstaller bundle (a folder holding the `xfdesk` executable); default
#           dist/xfdesk, built first with build.spec when it does not exist yet
# --out     where the .deb goes; default dist/
# --fast    gzip -1 instead of xz (for tests: same content, larger file, seconds instead of a minute)
#
# Lays out /opt/xfdesk (the bundle), /usr/bin/xfdesk (installer/linux/xfdesk.sh), the menu entry
# and icons, and DEBIAN/{control,postinst,postrm}; `libc6 (>= …)` is the bundle's glibc floor as
# measured by installer/linux/glibc_floor.py. Needs dpkg-deb and objdump (binutils); run as any user.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/installer/linux"
VERSION=""
BUNDLE=""
OUT="$ROOT/dist"
COMPRESS=(-Zxz)

while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) BUNDLE=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --fast) COMPRESS=(-Zgzip -z1); shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "build_deb: unknown option $1" >&2; exit 2 ;;
    *) VERSION=$1; shift ;;
  esac
done

if [ -z "$VERSION" ]; then
  VERSION=$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$ROOT/pyproject.toml" | head -n 1)
fi
[ -n "$VERSION" ] || { echo "build_deb: no version (pyproject.toml has none?)" >&2; exit 2; }
# PEP 440 → Debian: 1.2.0rc1 / 1.2.0a1 / 1.2.0.dev3 sort before 1.2.0 with a tilde.
DEB_VERSION=$(printf '%s' "$VERSION" | sed -E 's/\.?(a|b|rc|dev)([0-9]+)/~\1\2/g')
case "$DEB_VERSION" in
  [0-9]*) ;;
  *) echo "build_deb: version must start with a digit: $DEB_VERSION" >&2; exit 2 ;;
esac

PYTHON="$ROOT/.venv/bin/python"
[ -x "$PYTHON" ] || PYTHON=python3

if [ -z "$BUNDLE" ]; then
  BUNDLE="$ROOT/dist/xfdesk"
  if [ ! -x "$BUNDLE/xfdesk" ]; then
    echo "build_deb: no bundle in $BUNDLE yet, building it (build.spec)"
    (cd "$ROOT" && XFDESK_VERSION="$VERSION" "$ROOT/.venv/bin/pyinstaller" --noconfirm --clean --log-level WARN build.spec)
  fi
fi
BUNDLE=$(cd "$BUNDLE" && pwd)
[ -x "$BUNDLE/xfdesk" ] || { echo "build_deb: $BUNDLE/xfdesk is not an executable bundle" >&2; exit 2; }
for tool in dpkg-deb objdump; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build_deb: $tool is missing (apt install dpkg binutils)" >&2; exit 2; }
done

GLIBC_FLOOR=$("$PYTHON" "$HERE/glibc_floor.py" --json "$BUNDLE" \
  | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["glibc_floor"])')

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/xfdesk-deb.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
PKG="$STAGE/pkg"
mkdir -p "$PKG/opt" "$PKG/DEBIAN"

cp -a "$BUNDLE" "$PKG/opt/xfdesk"
install -D -m 0755 "$HERE/xfdesk.sh" "$PKG/usr/bin/xfdesk"
install -D -m 0644 "$HERE/xfdesk.desktop" "$PKG/usr/share/applications/xfdesk.desktop"
for size in 16 24 32 48 64 128 256; do
  install -D -m 0644 "$ROOT/resources/icons/xfdesk-$size.png" \
    "$PKG/usr/share/icons/hicolor/${size}x${size}/apps/xfdesk.png"
done
install -D -m 0644 "$ROOT/resources/icons/xfdesk.svg" "$PKG/usr/share/icons/hicolor/scalable/apps/xfdesk.svg"
install -D -m 0644 "$HERE/debian/copyright" "$PKG/usr/share/doc/xfdesk/copyright"
install -m 0755 "$HERE/debian/postinst" "$HERE/debian/postrm" "$PKG/DEBIAN/"

# Everyone may read, nobody but root may write; executables stay executable.
chmod -R u+rwX,go+rX,go-w "$PKG"

INSTALLED_KB=$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
cat > "$PKG/DEBIAN/control" <<CONTROL
Package: xfdesk
Version: $DEB_VERSION
Architecture: amd64
Maintainer: ${DEB_MAINTAINER:-信访接待台项目组 <xfdesk@localhost>}
Installed-Size: $INSTALLED_KB
Section: misc
Priority: optional
Depends: libc6 (>= $GLIBC_FLOOR), libgl1, libegl1, libxcb1, libglib2.0-0, libfontconfig1, libpng16-16, libdbus-1-3, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-render-util0, libxcb-shape0, libxcb-xkb1
Recommends: fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei, cups-client, libwayland-client0, libwayland-cursor0, libwayland-egl1
Description: 信访接待台 - petition reception desk
 Desktop front-desk client for county and township petition reception halls
 (信访接待大厅): register visitors and their matters, see a visitor's earlier
 matters at once, record the desk decision and follow each matter, print
 receipts and notices, count the office's figures. Offline first: every write
 goes to a local SQLite file, synchronised with the county server when it can
 be reached.
 .
 The program and its own Python and Qt live in /opt/xfdesk. Each user's data
 stays in their own folder (~/.local/share/xfdesk): upgrading migrates it after
 taking a backup, removing or purging the package keeps it.
CONTROL

mkdir -p "$OUT"
DEB="$OUT/xfdesk_${DEB_VERSION}_amd64.deb"
dpkg-deb --build --root-owner-group "${COMPRESS[@]}" "$PKG" "$DEB" >/dev/null
echo "$DEB"
