"""文件 → 导出离线包…: everything the county has not acknowledged, signed, for a USB stick."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDir, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.services.context import DeskServices

BUNDLE_SUFFIX = ".xfbundle"
NO_TOKEN = "尚未设置本站令牌，无法签名离线包。请先在“设置 → 同步设置…”中填写县级管理员提供的令牌。"


def default_bundle_name(station_code: str, now: datetime | None = None) -> str:
    return f"离线包-{station_code}-{(now or datetime.now()):%Y%m%d-%H%M}{BUNDLE_SUFFIX}"


def export_offline_bundle(services: DeskServices, path: Path) -> tuple[bool, str]:
    """Write the bundle; (success, Chinese message for the receptionist)."""
    token = services.sync.config().token
    if not token:
        return False, NO_TOKEN
    station = services.stations.require()
    try:
        count = services.sync.export_bundle(station.code, token, path)
    except OSError as exc:
        return False, f"无法写入 {path}：{exc.strerror or exc}。请换一个位置（如U盘根目录）再试。"
    if count == 0:
        return True, f"没有待上报的记录（全部已被县级服务器确认）。已写入空的离线包：{path}"
    return True, f"已导出 {count} 条尚未上报的记录到：\n{path}\n请交县级管理员导入；导入后联网同步不会重复。"


def ask_and_export(services: DeskServices, parent: QWidget | None = None) -> tuple[bool, str] | None:
    """Ask where to save, export, say how it went; None when the user cancelled."""
    station = services.stations.require()
    if not services.sync.config().token:
        QMessageBox.warning(parent, "导出离线包", NO_TOKEN)
        return False, NO_TOKEN
    start = str(Path(QDir.homePath()) / default_bundle_name(station.code))
    name, _filter = QFileDialog.getSaveFileName(parent, "导出离线包", start, f"离线包 (*{BUNDLE_SUFFIX});;所有文件 (*)")
    if not name:
        return None
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(BUNDLE_SUFFIX)
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        ok, message = export_offline_bundle(services, path)
    finally:
        QGuiApplication.restoreOverrideCursor()
    if ok:
        QMessageBox.information(parent, "导出离线包", message)
    else:
        QMessageBox.warning(parent, "导出离线包", message)
    return ok, message
