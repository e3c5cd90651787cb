#!/usr/bin/env bash
# Set everything up, then start the application (extra arguments pass through).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Without a display, start a virtual one so the window can still be shown.
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m app "$@"
fi
exec .venv/bin/python -m app "$@"
