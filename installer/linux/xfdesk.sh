#!/bin/sh
# /usr/bin/xfdesk — starts 信访接待台 from its bundle in /opt/xfdesk (installed by the xfdesk package).
# Every argument is passed on: `xfdesk` opens the window, `xfdesk list --json` … is the command line.
#
# Chinese input. The bundle carries its own Qt, which loads input-method plugins from the bundle
# only: it has Qt's ibus plugin but no fcitx one (the distribution's fcitx5 Qt 6 plugin is built
# against the system Qt and does not load into ours). fcitx5 serves the ibus protocol too, so on
# an fcitx or ibus desktop the window is told to use ibus. Without an ibus-daemon program Qt's ibus
# plugin refuses the ordinary ibus address, so it is then pointed at the ibus portal on the session
# bus, which fcitx5's ibus frontend also provides. A QT_IM_MODULE set to anything but fcitx is kept.
# Details and what was verified: docs/packaging.md.

APP=/opt/xfdesk/xfdesk

case "${QT_IM_MODULE:-}" in
  ""|fcitx|fcitx5)
    case "${XMODIFIERS:-} ${GTK_IM_MODULE:-} ${QT_IM_MODULE:-} ${INPUT_METHOD:-}" in
      *fcitx*|*ibus*)
        QT_IM_MODULE=ibus
        export QT_IM_MODULE
        if [ -z "${IBUS_USE_PORTAL:-}" ] && ! command -v ibus-daemon >/dev/null 2>&1; then
          IBUS_USE_PORTAL=1
          export IBUS_USE_PORTAL
        fi
        ;;
    esac
    ;;
esac

exec "$APP" "$@"
