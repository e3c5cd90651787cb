#!/usr/bin/env bash
# Runs INSIDE a Debian 11 (bullseye, glibc 2.31) root made by scripts/build_legacy_packages.sh.
# Builds the bundle and the .deb there, so that no binary in them needs a glibc newer than the
# root's own (docs/packaging.md, "Older systems").
#
#   bash /src/xfdesk/installer/linux/legacy/build_in_root.sh VERSION
#
# Expects the sources in /src: the project (/src/xfdesk, a `git archive` of the commit),
# python3.11_3.11.2.orig.tar.gz and sqlite3_3.40.1.orig.tar.xz (checked by the caller).
# Builds, once per root and recipe, into /opt/xfpy:
#   SQLite 3.40.1   bullseye has 3.34, and the app needs RETURNING (3.35)
#   CPython 3.11.2  shared libpython (PyInstaller needs it), linked to that SQLite
# both kept to glibc 2.28's symbols (glibc_2_28.h; sem_clockwait, new in 2.30, left unused),
# then a virtualenv with PySide6 6.9.3 (the newest wheels built for glibc 2.28, pitfalls.md).
set -euo pipefail
VERSION=${1:?usage: build_in_root.sh VERSION}
PREFIX=/opt/xfpy
RECIPE="sqlite 3.40.1, cpython 3.11.2, glibc 2.28 symbols (2)"  # change it to rebuild both
COMPAT="-include /src/xfdesk/installer/linux/legacy/glibc_2_28.h"
JOBS=$(nproc)
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8

step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }

# the libraries Qt links, so PyInstaller finds them: libcups2 is bundled for printing, as on Debian 12
step "build tools and the libraries Qt links"
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  build-essential pkg-config tcl binutils dpkg-dev file xz-utils ca-certificates \
  libssl-dev libffi-dev zlib1g-dev libbz2-dev liblzma-dev uuid-dev libreadline-dev \
  libgl1 libegl1 libxcb1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 \
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-randr0 libxcb-xfixes0 libxcb-sync1 \
  libxcb-xinerama0 libxcb-xinput0 libx11-xcb1 libsm6 libice6 libxrender1 \
  libwayland-client0 libwayland-cursor0 libwayland-egl1 libcups2 fonts-noto-cjk >/dev/null

if [ "$(cat "$PREFIX/recipe" 2>/dev/null)" != "$RECIPE" ]; then
  rm -rf "$PREFIX"
  step "SQLite 3.40.1"
  rm -rf /tmp/sqlite && mkdir /tmp/sqlite
  tar -xJf /src/sqlite3_3.40.1.orig.tar.xz -C /tmp/sqlite --strip-components=1
  # Debian's compile options for libsqlite3 (bookworm), so the bundle behaves like the desk's own
  (cd /tmp/sqlite && CFLAGS="-O2 $COMPAT -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_FTS3 \
    -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE \
    -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_SECURE_DELETE \
    -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_MAX_VARIABLE_NUMBER=250000 -DSQLITE_MAX_SCHEMA_RETRY=25" \
    ./configure --prefix="$PREFIX" --disable-static --disable-tcl >/dev/null \
    && make -j"$JOBS" >/dev/null && make install >/dev/null)

  step "CPython 3.11.2"
  rm -rf /tmp/cpython && mkdir /tmp/cpython
  tar -xzf /src/python3.11_3.11.2.orig.tar.gz -C /tmp/cpython --strip-components=1
  (cd /tmp/cpython \
    && ./configure --prefix="$PREFIX" --enable-shared --with-ensurepip=install \
       CPPFLAGS="-I$PREFIX/include" LDFLAGS="-L$PREFIX/lib -Wl,-rpath,$PREFIX/lib" \
       CFLAGS_NODIST="$COMPAT" \
       ac_cv_func_sem_clockwait=no >/dev/null \
    && make -j"$JOBS" >/dev/null 2>&1 && make altinstall >/dev/null 2>&1)
  echo "$RECIPE" > "$PREFIX/recipe"
fi
"$PREFIX/bin/python3.11" -c 'import sqlite3, ssl, ctypes, lzma, bz2
assert sqlite3.sqlite_version_info >= (3, 35), sqlite3.sqlite_version'

step "virtualenv with PySide6 6.9.3"
cd /src/xfdesk
rm -rf /src/venv
"$PREFIX/bin/python3.11" -m venv /src/venv
cat > /src/constraints.txt <<'PINS'
PySide6-Essentials==6.9.3
PySide6-Addons==6.9.3
shiboken6==6.9.3
PINS
/src/venv/bin/pip install -q --upgrade pip
/src/venv/bin/pip install -q -c /src/constraints.txt . "pyinstaller>=6.10,<7"
/src/venv/bin/python -c 'import PySide6, sqlite3; print("PySide6", PySide6.__version__, "SQLite", sqlite3.sqlite_version)'

step "bundle and package"
rm -rf dist build
XFDESK_VERSION="$VERSION" /src/venv/bin/pyinstaller --noconfirm --clean --log-level WARN build.spec
ln -sfn /src/venv .venv  # build_deb.sh and glibc_floor.py run with the project's python
bash installer/linux/build_deb.sh "$VERSION" --bundle dist/xfdesk
/src/venv/bin/python installer/linux/glibc_floor.py dist/xfdesk --top 5
