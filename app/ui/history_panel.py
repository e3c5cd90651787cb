"""来访记录: the visitor's earlier matters, looked up while their ID, phone or name is typed."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.matters import MatterQueries

LOOKUP_DELAY_MS = 300
EMPTY_TEXT = "无以往来访记录"
COLUMNS = ("编号", "日期", "标题", "状态", "匹配方式")
_NUMBER_ROLE = Qt.ItemDataRole.UserRole


class HistoryPanel(QWidget):
    """Emits `sig_link_requested(number)` for "登记为该件的重复访", `sig_open_requested(number)` on activation."""

    sig_link_requested = Signal(str)
    sig_open_requested = Signal(str)

    def __init__(self, matters: MatterQueries, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("history_panel")
        self.matters = matters
        self._keys = ("", "", "")
        title = QLabel("来访记录")
        title.setStyleSheet("font-weight: bold;")
        self.list = QTreeWidget()
        self.list.setObjectName("history_list")
        self.list.setColumnCount(len(COLUMNS))
        self.list.setHeaderLabels(list(COLUMNS))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setObjectName("history_empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setContentsMargins(0, 24, 0, 0)
        self.empty_label.setStyleSheet("color: #757575;")
        self.link_button = QPushButton("登记为该件的重复访")
        self.link_button.setObjectName("link_repeat_button")
        self.link_button.setEnabled(False)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 0, 0, 0)
        box.addWidget(title)
        box.addWidget(self.empty_label, 1)
        box.addWidget(self.list, 1)
        box.addWidget(self.link_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LOOKUP_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.list.itemActivated.connect(self._on_activated)
        self.link_button.clicked.connect(self._on_link_clicked)
        self._show_rows([])

    def lookup(self, id_number: str, phone: str, name: str) -> None:
        """Look the visitor up shortly (typing restarts the wait)."""
        keys = (id_number.strip(), phone.strip(), name.strip())
        if keys == self._keys:
            return
        self._keys = keys
        self._timer.start()

    def refresh(self) -> None:
        self._timer.stop()
        id_number, phone, name = self._keys
        if not (id_number or phone or name):
            self._show_rows([])
            return
        self._show_rows(self.matters.history(id_number=id_number, phone=phone, name=name))

    def selected_number(self) -> str:
        item = self.list.currentItem()
        return item.data(0, _NUMBER_ROLE) if item is not None else ""

    def row_count(self) -> int:
        return self.list.topLevelItemCount()

    def _show_rows(self, rows) -> None:
        self.list.clear()
        for row in rows:
            item = QTreeWidgetItem(
                [row.number, row.petition_date.isoformat(), row.title, row.status, row.matched_by]
            )
            item.setData(0, _NUMBER_ROLE, row.number)
            item.setToolTip(2, f"{row.title}\n信访人：{row.petitioner_names}")
            self.list.addTopLevelItem(item)
        if rows:
            self.list.setCurrentItem(self.list.topLevelItem(0))
            for column in (0, 1):
                self.list.resizeColumnToContents(column)
        self.list.setVisible(bool(rows))
        self.empty_label.setVisible(not rows)
        self.link_button.setEnabled(bool(rows))

    def _on_current_changed(self, current, _previous) -> None:
        self.link_button.setEnabled(current is not None)

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.sig_open_requested.emit(item.data(0, _NUMBER_ROLE))

    def _on_link_clicked(self) -> None:
        number = self.selected_number()
        if number:
            self.sig_link_requested.emit(number)
