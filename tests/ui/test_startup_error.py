"""A window that cannot open its data says so in a dialog, in Chinese."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.cli import main


def test_a_damaged_database_is_reported_in_a_dialog(qtbot, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "xfdesk.sqlite3").write_bytes(b"not a database" * 100)
    seen = {}

    def read_and_close():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["text"] = box.text()
        box.accept()

    QTimer.singleShot(0, read_and_close)
    assert main(["--data-dir", str(broken)]) == 1
    assert seen["text"].startswith("数据库无法读写")
