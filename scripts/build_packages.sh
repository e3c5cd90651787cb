#!/usr/bin/env bash
# Build the desk app's Linux packages from the repository root (docs/packaging.md):
#   dist/xfdesk/                    the one-folder bundle (PyInstaller, build.spec)
#   dist/xfdesk_VERSION_amd64.deb   the Debian package (installer/linux/build_deb.sh)
#
#   bash scripts/build_packages.sh [VERSION]      # VERSION: default pyproject.toml's
#
# Sets up the virtualenv first (scripts/setup.sh, as root on Debian), always rebuilds the bundle
# from scratch, then prints the sizes, the glibc floor and the time each step took.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=${1:-$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' pyproject.toml | head -n 1)}

bash scripts/setup.sh
if ! command -v objdump >/dev/null 2>&1; then  # PyInstaller and the glibc floor both need binutils
  echo "build_packages: installing binutils"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends binutils >/dev/null
fi

started=$(date +%s)
rm -rf dist/xfdesk
XFDESK_VERSION="$VERSION" .venv/bin/pyinstaller --noconfirm --clean --log-level WARN build.spec
bundled=$(date +%s)
deb=$(bash installer/linux/build_deb.sh "$VERSION" --bundle dist/xfdesk)
packaged=$(date +%s)

floor=$(.venv/bin/python installer/linux/glibc_floor.py --json dist/xfdesk \
  | .venv/bin/python -c 'import json, sys; d = json.load(sys.stdin); print(d["glibc_floor"], "(" + ", ".join(d["set_by"]) + ")")')
echo
echo "bundle:      dist/xfdesk, $(du -sh dist/xfdesk | cut -f1), built in $((bundled - started)) s"
echo "package:     $deb, $(du -h "$deb" | cut -f1), built in $((packaged - bundled)) s"
echo "glibc floor: $floor"
echo "install:     sudo apt install ./$(realpath --relative-to=. "$deb")"
