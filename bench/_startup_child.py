"""Run in a fresh interpreter by bench.startup: start one kind of window, report when it is shown.

argv: MODE DATA_DIR, MODE one of
  bare    a QMainWindow holding one QLabel (the baseline)
  window  services opened on DATA_DIR, then app.ui.app.create_main_window(services)
  app     the real `python -m app --data-dir DATA_DIR`, its event loop replaced by a probe

The parent passes time.monotonic_ns() taken just before it started this process in
BENCH_T0_NS (CLOCK_MONOTONIC is system-wide on Linux), so the figures include interpreter
start-up. One JSON line is written to stdout, then the process exits at once.
"""
import os
import time

T0 = int(os.environ["BENCH_T0_NS"])
FIRST_ROWS_TIMEOUT = 15.0


def since_t0() -> float:
    return (time.monotonic_ns() - T0) / 1e9


MARKS = {"interpreter": since_t0()}

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def report(window, extra=None) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    app.processEvents()
    MARKS["shown"] = since_t0()
    visible = [w for w in app.topLevelWidgets() if w.isVisible()]
    window = window or next((w for w in visible if w.inherits("QMainWindow")), None)
    out = {"marks": MARKS, "visible": [type(w).__name__ for w in visible], "window": type(window).__name__ if window else None}
    out["first_rows"] = _first_rows(app, window) if window is not None and extra != "bare" else None
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    os._exit(0)


def _first_rows(app, window):
    """Seconds from t0 until a table in the window holds rows, on any tab (None: no table, or none in time).

    A list filled on a worker thread shows up after the window; one filled while the window
    is built gives the same time as `shown`.
    """
    from PySide6.QtWidgets import QAbstractItemView, QTableView, QTreeView

    views = [
        v for v in window.findChildren(QAbstractItemView)
        if isinstance(v, (QTableView, QTreeView)) and v.model() is not None
    ]
    if not views:
        return None
    if any(v.model().rowCount() > 0 for v in views):
        return MARKS["shown"]  # filled while the window was built
    deadline = time.monotonic() + FIRST_ROWS_TIMEOUT
    while time.monotonic() < deadline:
        if any(v.model().rowCount() > 0 for v in views):
            return since_t0()
        app.processEvents()
        time.sleep(0.002)
    return None


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    MARKS["imports"] = since_t0()
    app = QApplication(sys.argv[:1])
    w = QMainWindow()
    w.setWindowTitle("信访接待台")
    w.setCentralWidget(QLabel("信访接待台"))
    w.resize(1280, 800)
    w.show()
    report(w, "bare")
    del app


def window(data_dir: str) -> None:
    from PySide6.QtWidgets import QApplication

    from app.logging_setup import configure_logging
    from bench.common import open_desk
    from app.ui.app import create_main_window

    MARKS["imports"] = since_t0()
    configure_logging()
    app = QApplication(sys.argv[:1])
    services = open_desk(Path(data_dir))
    MARKS["services"] = since_t0()
    w = create_main_window(services)
    MARKS["created"] = since_t0()
    w.show()
    report(w)
    del app


def _log_in_at_the_dialog() -> None:
    """The login dialog answers itself as an operator typing fast would: name, password, Enter."""
    from app.ui.login_dialog import LoginDialog
    from bench.common import BENCH_OPERATOR, BENCH_PASSWORD

    def typed_exec(dialog):
        MARKS["login shown"] = since_t0()
        dialog.name_edit.setText(BENCH_OPERATOR)
        dialog.password_edit.setText(BENCH_PASSWORD)
        dialog._on_login()
        return dialog.result()

    LoginDialog.exec = typed_exec


def real_app(data_dir: str) -> None:
    import runpy

    from PySide6.QtWidgets import QApplication

    def probe_exec(*_args, **_kwargs):  # replaces the event loop: report, then exit
        report(None)
        return 0

    QApplication.exec = probe_exec
    QApplication.exec_ = probe_exec
    _log_in_at_the_dialog()
    sys.argv = ["app", "--data-dir", data_dir]
    runpy.run_module("app", run_name="__main__", alter_sys=True)
    sys.stdout.write(json.dumps({"error": "app returned without entering the event loop"}) + "\n")
    os._exit(3)


if __name__ == "__main__":
    mode, data = sys.argv[1], sys.argv[2]
    {"bare": lambda: bare(), "window": lambda: window(data), "app": lambda: real_app(data)}[mode]()
