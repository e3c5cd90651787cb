"""Entry script of the packaged app (build.spec): one executable for the window and the CLI.

`xfdesk` opens the window, `xfdesk list …` / `--version` / `--self-test` run the command line:
exactly `python -m app …`.

One hidden option exists for packaging checks only (tests/packaging/test_deb.py, and by hand when
setting up Chinese input on a desk PC, docs/packaging.md): `xfdesk --qt-probe [--type-seconds N]`
starts Qt on whatever platform QT_QPA_PLATFORM names (or the desktop's), loads the bundled ibus
input-method plugin into the bundled Qt and Qt's Chinese translation, and prints one JSON line:
the platform, the input-method environment as the app saw it (after the /usr/bin/xfdesk launcher),
whether the plugin and the translation loaded. With --type-seconds it first shows a text field
for up to N seconds (Enter ends it sooner) and reports what was typed into it. It touches no data.
"""
from __future__ import annotations

import sys

PROBE_FLAG = "--qt-probe"


def qt_probe(argv: list[str]) -> int:
    import argparse
    import json
    import os
    from pathlib import Path

    from PySide6.QtCore import QLibraryInfo, QLocale, QPluginLoader, QTimer, QTranslator
    from PySide6.QtWidgets import QApplication, QLineEdit

    parser = argparse.ArgumentParser(prog=f"xfdesk {PROBE_FLAG}")
    parser.add_argument("--type-seconds", type=float, default=0.0)
    args = parser.parse_args(argv)

    app = QApplication([sys.argv[0]])
    typed = None
    if args.type_seconds > 0:
        field = QLineEdit()
        field.setWindowTitle("xfdesk 输入法检查")
        field.setPlaceholderText("请在此用中文输入法输入")
        field.resize(480, 60)
        field.show()
        field.activateWindow()
        field.setFocus()
        field.returnPressed.connect(app.quit)  # Enter ends the check early
        QTimer.singleShot(int(args.type_seconds * 1000), app.quit)
        app.exec()
        typed = field.text()

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    ibus = plugins / "platforminputcontexts" / "libibusplatforminputcontextplugin.so"
    loader = QPluginLoader(str(ibus))
    loaded = loader.load()
    meta = loader.metaData().get("MetaData", {}) if loaded else {}
    translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator()
    zh = translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", translations)
    report = {
        "platform": app.platformName(),
        "qt_im_module": os.environ.get("QT_IM_MODULE", ""),
        "ibus_use_portal": os.environ.get("IBUS_USE_PORTAL", ""),
        "plugins_path": str(plugins),
        "ibus_plugin": str(ibus),
        "ibus_plugin_exists": ibus.is_file(),
        "ibus_plugin_loaded": loaded,
        "ibus_plugin_keys": meta.get("Keys", []),
        "error": "" if loaded else loader.errorString(),
        "qtbase_zh_CN_loaded": zh,
        "typed": typed,
    }
    sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0 if loaded else 1


def run() -> int:
    if sys.argv[1:2] == [PROBE_FLAG]:
        return qt_probe(sys.argv[2:])
    from app.__main__ import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
