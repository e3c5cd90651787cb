"""信访件 page: one search box, a few filters, the lazily loaded table; Enter opens a matter.

The today view opens it on one of its lists (`show_special`): the other filters are cleared and a
chip such as "筛选：已超期 ×" says which list this is; clicking the chip removes that filter.
The statistics page opens it the same way on the matters behind one of its numbers (`show_cell`).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import vocab
from app.services.context import DeskServices
from app.services.dto import MatterQuery, StatsCell
from app.services.today import SPECIAL_SORT

from .background import LatestOnlyRunner
from .form_fields import ChoiceCombo
from .matter_detail import MatterDetailDialog, show_matter_detail
from .matter_table_model import COLUMNS, DEFAULT_SORT, MatterTableModel

SEARCH_DELAY_MS = 250
SEARCH_PLACEHOLDER = "编号 / 姓名 / 拼音首字母 / 证件号码 / 电话 / 标题或诉求"
_COLUMN_WIDTHS = (170, 90, 50, 140, 70, 260, 260, 90, 160, 60)
SPECIAL_CHIP_STYLE = (
    "QPushButton { background: #e8f0fe; color: #1a4fa0; border: 1px solid #9ab8ea; border-radius: 10px;"
    " padding: 2px 10px; } QPushButton:focus { border: 2px solid #1a4fa0; }"
)


class MatterListPage(QWidget):
    sig_open_requested = Signal(str)
    sig_matter_changed = Signal(str)  # a step was recorded in a detail dialog opened here (for AppEvents)

    def __init__(self, services: DeskServices, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("matter_list_page")
        self.services = services

        self.search_box = QLineEdit()
        self.search_box.setObjectName("search_box")
        self.search_box.setPlaceholderText(SEARCH_PLACEHOLDER)
        self.search_box.setClearButtonEnabled(True)
        self.any_date = QCheckBox("不限日期")
        self.any_date.setObjectName("any_date")
        self.any_date.setChecked(True)
        today = QDate.currentDate()
        self.date_from = _date_edit(today.addMonths(-1), "date_from")
        self.date_to = _date_edit(today, "date_to")
        self.status_combo = ChoiceCombo([("全部状态", ""), *vocab.STATUSES])
        self.status_combo.setObjectName("status_filter")
        tops = [n.name for n in services.tree.children(None)]
        self.class_combo = ChoiceCombo([("全部分类", ""), *tops])
        self.class_combo.setObjectName("class_filter")
        self.form_combo = ChoiceCombo([("全部形式", ""), *vocab.FORMS])
        self.form_combo.setObjectName("form_filter")
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        self.special = ""  # the today view's list shown, if any (matter_sql.SPECIALS)
        self.special_today: date | None = None
        self.cell: StatsCell | None = None  # the statistics number shown, if any
        self._cell_form = ""  # the form filter that number set (a table's 批); the chip's × clears it too
        self.special_chip = QPushButton()
        self.special_chip.setObjectName("special_chip")
        self.special_chip.setStyleSheet(SPECIAL_CHIP_STYLE)
        self.special_chip.setCursor(Qt.CursorShape.PointingHandCursor)
        self.special_chip.setToolTip("取消此筛选，显示全部信访件")
        self.special_chip.setVisible(False)

        self.runner = LatestOnlyRunner(self)
        self.model = MatterTableModel(services.matters, parent=self, runner=self.runner)
        self._focus_table_when_loaded = False
        self.table = QTableView()
        self.table.setObjectName("matter_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate(_COLUMN_WIDTHS[: len(COLUMNS)]):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.horizontalHeader().setSortIndicatorShown(True)

        self._build_layout()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)

        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_box.returnPressed.connect(self._on_search_return)
        for signal in (
            self.any_date.toggled,
            self.date_from.dateChanged,
            self.date_to.dateChanged,
            self.status_combo.currentIndexChanged,
            self.class_combo.currentIndexChanged,
            self.form_combo.currentIndexChanged,
        ):
            signal.connect(lambda *_args: self.apply_filters())
        self.any_date.toggled.connect(self._on_any_date_toggled)
        self.model.sig_total_changed.connect(self._on_total_changed)
        self.model.sig_loaded.connect(self._on_loaded)
        self.model.sig_load_failed.connect(self.count_label.setText)
        self.special_chip.clicked.connect(self.clear_special)
        self.runner.sig_busy_changed.connect(self._on_busy_changed)
        self.table.activated.connect(self._on_activated)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._on_sort_indicator_changed)
        self.sig_open_requested.connect(self.open_detail)
        self._on_any_date_toggled(True)
        # Let the header drive database sorting only after the first load.
        self.table.setSortingEnabled(True)

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.special_chip)
        filters.addWidget(self.any_date)
        filters.addWidget(QLabel("从"))
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("至"))
        filters.addWidget(self.date_to)
        filters.addWidget(self.status_combo)
        filters.addWidget(self.class_combo)
        filters.addWidget(self.form_combo)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        box = QVBoxLayout(self)
        box.addWidget(self.search_box)
        box.addLayout(filters)
        box.addWidget(self.table, 1)

    # --- behaviour -------------------------------------------------------------------

    def current_query(self) -> MatterQuery:
        """The filters as a query; the sort order stays the table's."""
        use_dates = not self.any_date.isChecked()
        sort = self.model.query
        return MatterQuery(
            text=self.search_box.text().strip(),
            date_from=self.date_from.date().toPython() if use_dates else None,
            date_to=self.date_to.date().toPython() if use_dates else None,
            status=self.status_combo.value(),
            content_class_top=self.class_combo.value(),
            form=self.form_combo.value(),
            sort_key=sort.sort_key,
            descending=sort.descending,
            special=self.special,
            today=self.special_today,
            cell=self.cell,
        )

    def apply_filters(self) -> None:
        self._search_timer.stop()
        query = self.current_query()
        if query != self.model.query:
            self.model.set_query(query)

    def refresh(self) -> None:
        self.model.set_query(self.current_query())

    def show_special(self, special: str, label: str, today: date | None = None) -> None:
        """Show one of the today view's lists, alone: the other filters are cleared.

        `today`: the day the list is relative to; None means the current date at each query.
        """
        self.special, self.special_today, self.cell = special, today, None
        self._reset_filters()
        self._cell_form = ""
        sort_key, descending = SPECIAL_SORT.get(special, DEFAULT_SORT)
        self._set_sort_indicator(sort_key, descending)
        self.special_chip.setText(f"筛选：{label} ×")
        self.special_chip.setVisible(True)
        self._focus_table_when_loaded = True
        self.model.set_query(replace(self.current_query(), sort_key=sort_key, descending=descending))

    def show_cell(self, cell: StatsCell, label: str, form: str = "") -> None:
        """Show the matters behind one number of the statistics page, alone (other filters cleared).

        `form`: also filter by this form (a table's 批: the visits among the row's matters).
        """
        self.special, self.special_today, self.cell = "", None, cell
        self._reset_filters()
        self._cell_form = form
        if form:
            self.form_combo.blockSignals(True)
            self.form_combo.set_value(form)
            self.form_combo.blockSignals(False)
        self._set_sort_indicator(*DEFAULT_SORT)
        self.special_chip.setText(f"统计：{label} ×")
        self.special_chip.setVisible(True)
        self._focus_table_when_loaded = True
        self.model.set_query(replace(self.current_query(), sort_key=DEFAULT_SORT[0], descending=DEFAULT_SORT[1]))

    def clear_special(self) -> None:
        """The chip's ×: back to the whole list (the other filters as they are)."""
        special_sort = SPECIAL_SORT.get(self.special)
        self.special, self.special_today, self.cell = "", None, None
        self.special_chip.setVisible(False)
        if self._cell_form and self.form_combo.value() == self._cell_form:  # set by the number, not the user
            self.form_combo.blockSignals(True)
            self.form_combo.set_value("")
            self.form_combo.blockSignals(False)
        self._cell_form = ""
        query = self.current_query()
        if special_sort and (query.sort_key, query.descending) == special_sort:  # the list's own order goes too
            self._set_sort_indicator(*DEFAULT_SORT)
            query = replace(query, sort_key=DEFAULT_SORT[0], descending=DEFAULT_SORT[1])
        self._search_timer.stop()
        self.model.set_query(query)
        self.focus_search()

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def open_detail(self, number: str) -> MatterDetailDialog:
        dialog = show_matter_detail(self.services.matters, number, self, services=self.services)
        dialog.sig_changed.connect(lambda _number: self.refresh())  # a lifecycle step changed status / deadline
        dialog.sig_changed.connect(self.sig_matter_changed)
        return dialog

    def _reset_filters(self) -> None:
        """Every filter back to its default, without a query per widget."""
        widgets = (self.search_box, self.any_date, self.status_combo, self.class_combo, self.form_combo)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.search_box.clear()
            self.any_date.setChecked(True)
            for combo in (self.status_combo, self.class_combo, self.form_combo):
                combo.set_value("")
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._search_timer.stop()
        self._on_any_date_toggled(True)

    def _set_sort_indicator(self, sort_key: str, descending: bool) -> None:
        """Show the order in the header without the header asking the model to sort again."""
        keys = [key for _label, key in COLUMNS]
        header = self.table.horizontalHeader()
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header.blockSignals(True)
        header.setSortIndicator(keys.index(sort_key) if sort_key in keys else -1, order)
        header.blockSignals(False)

    # --- slots ---------------------------------------------------------------------------

    def _on_search_return(self) -> None:
        """Search now and move to the first hit once the answer is there."""
        self._focus_table_when_loaded = True
        if self.current_query() == self.model.query and not self.runner.busy:
            self._on_loaded()
        else:
            self.apply_filters()

    def _on_loaded(self) -> None:
        if self._focus_table_when_loaded and self.model.rowCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.selectRow(0)
        self._focus_table_when_loaded = False

    def _on_busy_changed(self, busy: bool) -> None:
        if busy:
            self.count_label.setText("查询中…")
        else:
            self._on_total_changed(self.model.total)

    def _on_any_date_toggled(self, checked: bool) -> None:
        self.date_from.setEnabled(not checked)
        self.date_to.setEnabled(not checked)

    def _on_sort_indicator_changed(self, column: int, _order) -> None:
        """Columns the database cannot sort keep the indicator where the order really is."""
        if 0 <= column < len(COLUMNS) and COLUMNS[column][1] is None:
            query = self.model.query
            keys = [key for _label, key in COLUMNS]
            current = keys.index(query.sort_key) if query.sort_key in keys else -1
            order = Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(current, order)
            header.blockSignals(False)

    def _on_total_changed(self, total: int) -> None:
        self.count_label.setText(f"共 {total} 件")

    def _on_activated(self, index) -> None:
        number = self.model.number_at(index.row())
        if number:
            self.sig_open_requested.emit(number)


def _date_edit(value: QDate, name: str) -> QDateEdit:
    edit = QDateEdit(value)
    edit.setObjectName(name)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    return edit
