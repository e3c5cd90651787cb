"""Attachments (a letter's scan or photo): the chooser in the registration form, and the list
in the matter detail, where a double-click opens the stored file with the system viewer."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.attachments import ALLOWED_EXTENSIONS, AttachmentView
from app.services.context import DeskServices
from app.services.errors import NotFound, ValidationFailed

ADD_TEXT = "添加附件…"
DIALOG_TITLE = "选择信件的扫描件或照片"
_PATTERNS = " ".join(f"*{ext} *{ext.upper()}" for ext in ALLOWED_EXTENSIONS)
FILE_FILTER = f"图片或PDF ({_PATTERNS})"
PATH_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def choose_files(parent: QWidget | None) -> list[str]:
    """The system file dialog, limited to images and PDFs; [] when cancelled."""
    paths, _filter = QFileDialog.getOpenFileNames(parent, DIALOG_TITLE, "", FILE_FILTER)
    return list(paths)


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


class AttachmentPicker(QWidget):
    """A form field: the files chosen for the new matter (paths on this computer).

    `value()` is the list of paths (kept in the draft); `sig_changed` fires on every change.
    The list, not a button, is the keyboard stop (Enter moves on, Insert opens the file dialog,
    Delete removes the selected file), so typing a registration through with Enter never opens
    the file dialog; and it is a stop only when the section asks for it (for letters).
    """

    sig_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._paths: list[str] = []
        self.list_widget = QListWidget()
        self.list_widget.setObjectName("attachment_list")
        self.list_widget.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list_widget.setMaximumHeight(80)
        self.list_widget.setToolTip("已选的附件；Insert 键添加，Delete 键移除所选")
        self.add_button = QPushButton(ADD_TEXT)
        self.add_button.setObjectName("add_attachment_button")
        self.remove_button = QPushButton("移除")
        self.remove_button.setObjectName("remove_attachment_button")
        self.remove_button.setToolTip("移除所选附件（不会删除电脑上的文件）")
        buttons = QVBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.list_widget, 1)
        box.addLayout(buttons)
        self.setFocusProxy(self.list_widget)
        self.add_button.clicked.connect(self.choose)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list_widget.itemSelectionChanged.connect(self._update_buttons)
        for key, slot in ((Qt.Key.Key_Delete, self.remove_selected), (Qt.Key.Key_Insert, self.choose)):
            QShortcut(QKeySequence(key), self.list_widget, slot, Qt.ShortcutContext.WidgetShortcut)
        self.set_keyboard_stop(False)
        self._refresh()

    def set_keyboard_stop(self, stop: bool) -> None:
        """Whether Tab/Enter through the form stops at the list (a click always focuses it)."""
        policy = Qt.FocusPolicy.StrongFocus if stop else Qt.FocusPolicy.ClickFocus
        self.list_widget.setFocusPolicy(policy)

    def value(self) -> list[str]:
        return list(self._paths)

    def set_value(self, paths) -> None:
        """Show `paths` (from the draft, the defaults or a test); anything but a list means none."""
        if not isinstance(paths, (list, tuple)):
            paths = []
        cleaned = [str(p) for p in paths if str(p).strip()]
        if cleaned == self._paths:
            return
        self._paths = cleaned
        self._refresh()
        self.sig_changed.emit(self.value())

    def set_attachment_paths(self, paths: Sequence[str | Path]) -> None:
        self.set_value([str(p) for p in paths])

    def add_paths(self, paths: Sequence[str | Path]) -> None:
        """Append files; one chosen twice is listed once."""
        self.set_value(self._paths + [str(p) for p in paths if str(p) not in self._paths])

    def choose(self) -> None:
        self.add_paths(choose_files(self))

    def remove_selected(self) -> None:
        rows = sorted({self.list_widget.row(item) for item in self.list_widget.selectedItems()})
        if not rows:
            return
        self.set_value([p for i, p in enumerate(self._paths) if i not in rows])
        if self._paths:
            self.list_widget.setCurrentRow(min(rows[0], len(self._paths) - 1))

    def _refresh(self) -> None:
        self.list_widget.clear()
        for path in self._paths:
            item = QListWidgetItem(Path(path).name)
            item.setToolTip(path)
            item.setData(PATH_ROLE, path)
            self.list_widget.addItem(item)
        if not self._paths:
            placeholder = QListWidgetItem("（无附件；来信可添加信件的扫描件或照片）")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list_widget.addItem(placeholder)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self._paths) and bool(self.list_widget.selectedItems()))


class AttachmentsBox(QGroupBox):
    """附件 of a registered matter: names and sizes; double-click opens one, 添加附件… adds more.

    Emits `sig_added(count)` after files were attached (the matter's event log changed).
    """

    sig_added = Signal(int)

    def __init__(self, services: DeskServices, number: str, parent: QWidget | None = None, *, actor: str = ""):
        super().__init__("附件", parent)
        self.setObjectName("detail_attachments")
        self.services, self.number, self.actor = services, number, actor
        self.list_widget = QListWidget()
        self.list_widget.setObjectName("detail_attachment_list")
        self.list_widget.setMaximumHeight(110)
        self.list_widget.setToolTip("双击用本机程序打开")
        self.error_label = QLabel()
        self.error_label.setObjectName("attachments_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setVisible(False)
        self.add_button = QPushButton(ADD_TEXT)
        self.add_button.setObjectName("detail_add_attachment_button")
        row = QHBoxLayout()
        row.addWidget(self.list_widget, 1)
        side = QVBoxLayout()
        side.addWidget(self.add_button)
        side.addStretch(1)
        row.addLayout(side)
        box = QVBoxLayout(self)
        box.addLayout(row)
        box.addWidget(self.error_label)
        self.list_widget.itemActivated.connect(self._on_activated)
        self.add_button.clicked.connect(lambda: self.add_files(choose_files(self)))
        self.refresh()

    def attachments(self) -> list[AttachmentView]:
        return self.services.attachments.list(self.number)

    def refresh(self) -> None:
        self.list_widget.clear()
        views = self.attachments()
        for view in views:
            item = QListWidgetItem(f"{view.name}（{size_text(view.size)}，{view.added_at:%Y-%m-%d %H:%M}）")
            item.setToolTip(str(view.path))
            item.setData(ID_ROLE, view.id)
            self.list_widget.addItem(item)
        if not views:
            placeholder = QListWidgetItem("（无附件）")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list_widget.addItem(placeholder)

    def add_files(self, paths: Sequence[str | Path]) -> bool:
        """Attach `paths` to the matter; a refusal is shown under the list. True if added."""
        if not paths:
            return False
        self._show_error("")
        try:
            added = self.services.attachments.add(self.number, [str(p) for p in paths], actor=self.actor)
        except ValidationFailed as failure:
            self._show_error("；".join(e.message for e in failure.errors))
            return False
        self.refresh()
        self.sig_added.emit(len(added))
        return True

    def open_row(self, row: int) -> bool:
        """Open the stored file of the attachment in `row` with the system's viewer."""
        item = self.list_widget.item(row)
        attachment_id = item.data(ID_ROLE) if item is not None else None
        if attachment_id is None:
            return False
        try:
            path = self.services.attachments.open_path(int(attachment_id))
        except NotFound as exc:
            self._show_error(str(exc))
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self._show_error(f"无法打开附件，请在数据目录中查看：{path}")
            return False
        return True

    def _on_activated(self, item: QListWidgetItem) -> None:
        self.open_row(self.list_widget.row(item))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
