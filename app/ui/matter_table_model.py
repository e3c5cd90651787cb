"""The matter list as a Qt table model that loads pages on demand (100,000 rows scroll smoothly)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from app.services.dto import MatterQuery, MatterRow
from app.services.lifecycle import RULE_LABELS
from app.services.matter_sql import DUE_SOON, OVERDUE
from app.services.matters import MatterQueries
from app.services.today import due_state, due_text

from .background import LatestOnlyRunner

PAGE_SIZE = 200
DEFAULT_SORT = ("registered_at", True)

# (header, MatterQuery.sort_key or None when the column cannot be sorted)
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("编号", "number"),
    ("信访日期", "petition_date"),
    ("形式", "form"),
    ("信访人", "petitioner_names"),
    ("人数", "headcount"),
    ("内容分类", "content_class"),
    ("标题", "title"),
    ("状态", "status"),
    ("期限", "next_due"),
    ("重复访", None),
)
(
    COL_NUMBER, COL_DATE, COL_FORM, COL_NAMES, COL_HEADCOUNT, COL_CLASS, COL_TITLE, COL_STATUS, COL_DUE, COL_REPEAT,
) = range(len(COLUMNS))
# Whole-row backgrounds: the next office deadline has passed / falls within 3 days.
OVERDUE_BACKGROUND = QColor("#fde2e1")
DUE_SOON_BACKGROUND = QColor("#fff4d6")
_BACKGROUNDS = {OVERDUE: OVERDUE_BACKGROUND, DUE_SOON: DUE_SOON_BACKGROUND}
NumberRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class MatterTableModel(QAbstractTableModel):
    """Rows of `MatterQueries.page`; `total` comes from `count`; more pages are fetched as the view scrolls.

    With a `runner`, a new query (search, filter, sort) is answered on the worker thread and the
    rows shown so far stay until the answer arrives (`sig_loaded`); without one, synchronously.

    Deadlines (the 期限 column, the row colours) are judged against the query's `today`, or the
    current date when the rows were loaded.
    """

    sig_total_changed = Signal(int)
    sig_loaded = Signal()
    sig_load_failed = Signal(str)

    def __init__(
        self,
        matters: MatterQueries,
        query: MatterQuery | None = None,
        parent=None,
        runner: LatestOnlyRunner | None = None,
    ):
        super().__init__(parent)
        self.matters = matters
        self.runner = runner
        self._query = query or MatterQuery()
        self._rows: list[MatterRow] = []
        self._total = 0
        self._today = self._query.today or date.today()
        self._reload()

    # --- queries -----------------------------------------------------------------

    @property
    def query(self) -> MatterQuery:
        return self._query

    @property
    def total(self) -> int:
        return self._total

    def set_query(self, query: MatterQuery) -> None:
        """Show the matters of another query (its sort included), starting from the first page."""
        self._query = replace(query)
        self._reload()

    def refresh(self) -> None:
        """Reload with the same query (after a matter was added or changed)."""
        self._reload()

    def row_at(self, row: int) -> MatterRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def number_at(self, row: int) -> str:
        matter = self.row_at(row)
        return matter.number if matter else ""

    def _first_page(self, query: MatterQuery) -> tuple[int, list[MatterRow]]:
        total = self.matters.count(query)
        return total, (self.matters.page(query, 0, PAGE_SIZE) if total else [])

    def _reload(self) -> None:
        query = replace(self._query)
        if self.runner is None:
            self._apply(self._first_page(query))
        else:
            self.runner.submit(lambda: self._first_page(query), self._apply, self._on_failed)

    def _apply(self, loaded: tuple[int, list[MatterRow]]) -> None:
        self.beginResetModel()
        self._total, self._rows = loaded
        self._today = self._query.today or date.today()
        self.endResetModel()
        self.sig_total_changed.emit(self._total)
        self.sig_loaded.emit()

    def _on_failed(self, _exc: Exception) -> None:
        self.sig_load_failed.emit("查询失败，请稍后重试；如反复出现请联系管理员")

    # --- Qt model API ---------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: N802, B008
        if parent.isValid() or len(self._rows) >= self._total:
            return
        rows = self.matters.page(self._query, len(self._rows), PAGE_SIZE)
        if not rows:  # rows were removed meanwhile: stop asking
            self._total = len(self._rows)
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][0] if 0 <= section < len(COLUMNS) else None
        return str(section + 1) if 0 <= section < len(self._rows) else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.parent().isValid():
            return None
        row = self.row_at(index.row())
        if row is None or not 0 <= index.column() < len(COLUMNS):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_DUE:
                return due_text(row.next_due, self._today)
            return _display(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return _BACKGROUNDS.get(due_state(row.next_due, self._today))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_DUE and row.next_due:
                return f"{RULE_LABELS.get(row.next_due_rule, '办理期限')}：{row.next_due.isoformat()}"
            if column == COL_HEADCOUNT and row.is_collective:
                return "集体访"
            if column in (COL_NAMES, COL_CLASS, COL_TITLE):
                return _display(row, column)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == COL_HEADCOUNT:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == NumberRole:
            return row.number
        if role == RowRole:
            return row
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is done by the database; a new order starts again from the first page."""
        if 0 <= column < len(COLUMNS):
            key = COLUMNS[column][1]
            if key is None:
                return
            descending = order == Qt.SortOrder.DescendingOrder
        else:
            key, descending = DEFAULT_SORT
        if (key, descending) == (self._query.sort_key, self._query.descending) and self._rows:
            return
        self._query = replace(self._query, sort_key=key, descending=descending)
        self._reload()


def _display(row: MatterRow, column: int) -> str:
    if column == COL_NUMBER:
        return row.number
    if column == COL_DATE:
        return row.petition_date.isoformat()
    if column == COL_FORM:
        return row.form
    if column == COL_NAMES:
        return row.petitioner_names
    if column == COL_HEADCOUNT:
        return f"{row.headcount}（集体）" if row.is_collective else str(row.headcount)
    if column == COL_CLASS:
        return row.content_class
    if column == COL_TITLE:
        return row.title
    if column == COL_STATUS:
        return row.status
    if column == COL_REPEAT:
        return "重复访" if row.is_repeat else ""
    return ""
