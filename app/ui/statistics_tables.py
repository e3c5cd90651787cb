"""The statistics page's tables: one dimension at a time (内容分类, 乡镇, 月份, …), 名称/件/人次/批.

Double-click or Enter on a row opens the matters behind the number under the cursor: 件 and
名称 the row's matters, 人次 the same matters (their headcounts add up), 批 the visits among them.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.services.statistics.model import TABLES, Statistics, TableRow

from .form_fields import ChoiceCombo
from .statistics_drill import ITEMS, PERSON_TIMES, VISIT_FORM, Drill, drill

COLUMNS = ("名称", "件", "人次", "批")
COL_NAME, COL_ITEMS, COL_PERSON_TIMES, COL_BATCHES = range(len(COLUMNS))
_Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_TOOLTIPS = {
    COL_ITEMS: "信访件数；双击或按回车查看这些信访件",
    COL_PERSON_TIMES: "信访人数之和；双击或按回车查看这些信访件",
    COL_BATCHES: "其中来访的批次；双击或按回车查看这些来访",
}


class StatsTableModel(QAbstractTableModel):
    """The rows of one statistics table; `drill(index)` is what activating that cell opens."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[TableRow] = []
        self._stats: Statistics | None = None
        self._table = ""

    def set_rows(self, stats: Statistics | None, table: str) -> None:
        self.beginResetModel()
        self._stats, self._table = stats, table
        self._rows = list(stats.tables.get(table, [])) if stats is not None else []
        self.endResetModel()

    def row_at(self, row: int) -> TableRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def drill(self, index: _Index) -> Drill | None:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None or self._stats is None:
            return None
        what = f"{TABLES.get(self._table, self._table)}“{row.label}”"
        column = index.column()
        if column == COL_PERSON_TIMES:
            return drill(self._stats, row.person_times, row.cell, f"{what}（人次）", PERSON_TIMES)
        if column == COL_BATCHES:
            return drill(self._stats, row.batches, row.cell, f"{what}（来访批次）", ITEMS, VISIT_FORM)
        return drill(self._stats, row.items, row.cell, what)

    # --- Qt model API ---------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return COLUMNS[section] if 0 <= section < len(COLUMNS) else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.parent().isValid():
            return None
        row = self.row_at(index.row())
        column = index.column()
        if row is None or not 0 <= column < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.label, str(row.items), str(row.person_times), str(row.batches))[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column != COL_NAME else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_NAME:
                return row.key or row.label
            return _TOOLTIPS[column]
        return None


class StatsTablePanel(QWidget):
    """A dimension chooser over the table; `sig_open(Drill)` when a number is activated."""

    sig_open = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.stats: Statistics | None = None
        self.table_combo = ChoiceCombo([(label, name) for name, label in TABLES.items()])
        self.table_combo.setObjectName("stats_table_choice")
        self.table_combo.setToolTip("选择按哪一项分组统计")
        self.model = StatsTableModel(self)
        self.view = QTableView()
        self.view.setObjectName("stats_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column in (COL_ITEMS, COL_PERSON_TIMES, COL_BATCHES):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.empty_label = QLabel("本期没有数据")
        self.empty_label.setObjectName("stats_table_empty")
        self.empty_label.setVisible(False)

        top = QHBoxLayout()
        top.addWidget(QLabel("分组："))
        top.addWidget(self.table_combo, 1)
        top.addWidget(self.empty_label)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.view, 1)

        self.table_combo.currentIndexChanged.connect(lambda _i: self._show())
        self.view.activated.connect(self._on_activated)

    @property
    def table(self) -> str:
        return self.table_combo.value()

    def set_table(self, name: str) -> None:
        self.table_combo.set_value(name)

    def set_statistics(self, stats: Statistics) -> None:
        self.stats = stats
        self._show()

    def _show(self) -> None:
        self.model.set_rows(self.stats, self.table)
        self.empty_label.setVisible(self.stats is not None and self.model.rowCount() == 0)

    def _on_activated(self, index: QModelIndex) -> None:
        value = self.model.drill(index)
        if value is not None:
            self.sig_open.emit(value)
