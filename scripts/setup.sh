#!/usr/bin/env bash
# Prepare a Debian machine (as root) for running or testing the app:
# apt libraries Qt needs, a CJK font, poppler, PostgreSQL (county server tests), the sqlite3 tool (encryption check),
# a virtualenv with the package.
# Idempotent: each step is skipped when already satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libxkbcommon0 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
  libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libxrender1 libxi6
  fonts-noto-cjk fonts-droid-fallback fonts-hanazono poppler-utils zbar-tools xvfb xauth
  postgresql sqlite3
  # packaging (tests/packaging/test_deb.py): PyInstaller's objdump, and Chinese typed through fcitx5
  binutils fcitx5 fcitx5-pinyin xdotool dbus-bin dbus-daemon
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v python3 >/dev/null 2>&1; then missing+=(python3 python3-venv python3-pip); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing apt packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    rm -rf .venv && python3 -m venv .venv
  fi
fi

stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  if ! .venv/bin/python -m pip install -q -e '.[test]' > .venv/pip-install.log 2>&1; then
    cat .venv/pip-install.log >&2
    exit 1
  fi
  rm -f .venv/.installed-* && touch "$stamp"
fi
