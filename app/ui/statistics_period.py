"""The statistics period picker: 月 / 季度 / 年 / 自定义, and the date basis (信访日期 / 登记日期).

The picker yields a plain `PeriodChoice`; turning it into a `Period` needs the business-month
setting, which the page reads on its worker thread (`PeriodChoice.period(end_day)`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QSpinBox, QWidget

from app.services.statistics import periods
from app.services.statistics.periods import DATE_BASES, PETITION_DATE, Period

from .form_fields import ChoiceCombo

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
KINDS = (("月", MONTH), ("季度", QUARTER), ("年", YEAR), ("自定义", CUSTOM))
QUARTERS = (("第一季度", "1"), ("第二季度", "2"), ("第三季度", "3"), ("第四季度", "4"))
FIRST_YEAR, LAST_YEAR = 2000, 2099


@dataclass(frozen=True)
class PeriodChoice:
    kind: str
    year: int
    number: int  # the month (1–12) or the quarter (1–4)
    start: date
    end: date  # the custom range (inclusive)
    basis: str = PETITION_DATE

    def problem(self) -> str:
        """Why the choice cannot be counted, or ""."""
        if self.kind == CUSTOM and self.end < self.start:
            return "结束日期不能早于开始日期"
        return ""

    def period(self, business_month_end_day: int = 0) -> Period:
        if self.kind == QUARTER:
            return periods.quarter(self.year, self.number)
        if self.kind == YEAR:
            return periods.year(self.year)
        if self.kind == CUSTOM:
            return periods.custom(self.start, self.end)
        return periods.month(self.year, self.number, business_month_end_day)


def month_containing(day: date, business_month_end_day: int = 0) -> tuple[int, int]:
    """(year, month) of the month `day` is counted in: with a cut-off day N, a day after the Nth
    belongs to the next month (23 Nov with N = 20 → December; 21 Dec → January of the next year)."""
    if business_month_end_day and day.day > business_month_end_day:
        return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.year, day.month


class PeriodPicker(QWidget):
    """`sig_changed` whenever the choice changes (the page counts again after a short pause).

    The default is the month containing `today`: with business months (`business_month_end_day`
    1–28) the business month, which may be the next calendar month (its year and quarter follow).
    """

    sig_changed = Signal()

    def __init__(self, today: date, business_month_end_day: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        year, month = month_containing(today, business_month_end_day)
        self.kind_combo = ChoiceCombo(KINDS)
        self.kind_combo.setObjectName("period_kind")
        self.kind_combo.setToolTip("统计周期")
        self.year_spin = _spin(FIRST_YEAR, LAST_YEAR, year, "period_year", suffix="年")
        self.month_spin = _spin(1, 12, month, "period_month", suffix="月")
        self.quarter_combo = ChoiceCombo(QUARTERS)
        self.quarter_combo.setObjectName("period_quarter")
        self.quarter_combo.set_value(str((month - 1) // 3 + 1))
        first = QDate(today.year, today.month, 1)
        self.from_edit = _date_edit(first, "period_from")
        self.to_edit = _date_edit(QDate(today), "period_to")
        self.to_label = QLabel("至")
        self.basis_combo = ChoiceCombo([(label, key) for key, label in DATE_BASES.items()])
        self.basis_combo.setObjectName("period_basis")
        self.basis_combo.setToolTip("按信访日期（来信为邮戳日期）或按登记日期统计")

        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        kind_label = QLabel("统计周期(&P)：")
        kind_label.setBuddy(self.kind_combo)
        box.addWidget(kind_label)
        for widget in (self.kind_combo, self.year_spin, self.month_spin, self.quarter_combo, self.from_edit,
                       self.to_label, self.to_edit):
            box.addWidget(widget)
        basis_label = QLabel("口径(&B)：")
        basis_label.setBuddy(self.basis_combo)
        box.addSpacing(12)
        box.addWidget(basis_label)
        box.addWidget(self.basis_combo)

        self.kind_combo.currentIndexChanged.connect(lambda _i: self._on_kind_changed())
        for signal in (self.year_spin.valueChanged, self.month_spin.valueChanged,
                       self.quarter_combo.currentIndexChanged, self.from_edit.dateChanged,
                       self.to_edit.dateChanged, self.basis_combo.currentIndexChanged):
            signal.connect(lambda *_args: self.sig_changed.emit())
        self._show_fields()

    def choice(self) -> PeriodChoice:
        kind = self.kind_combo.value()
        number = int(self.quarter_combo.value() or 1) if kind == QUARTER else self.month_spin.value()
        return PeriodChoice(kind, self.year_spin.value(), number, self.from_edit.date().toPython(),
                            self.to_edit.date().toPython(), self.basis_combo.value())

    def focus_primary(self) -> None:
        self.kind_combo.setFocus()

    def _show_fields(self) -> None:
        kind = self.kind_combo.value()
        self.year_spin.setVisible(kind in (MONTH, QUARTER, YEAR))
        self.month_spin.setVisible(kind == MONTH)
        self.quarter_combo.setVisible(kind == QUARTER)
        for widget in (self.from_edit, self.to_label, self.to_edit):
            widget.setVisible(kind == CUSTOM)

    def _on_kind_changed(self) -> None:
        self._show_fields()
        self.sig_changed.emit()


def _spin(low: int, high: int, value: int, name: str, *, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    spin.setKeyboardTracking(False)  # count once the number is typed, not at every digit
    return spin


def _date_edit(value: QDate, name: str) -> QDateEdit:
    edit = QDateEdit(value)
    edit.setObjectName(name)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setKeyboardTracking(False)
    return edit
