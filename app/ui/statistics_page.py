"""统计 page: a period picker, summary tiles and rates, a table by any dimension, and charts.

Every number opens the matters it counts (`sig_open_cell(Drill)`; the main window shows them in
the 信访件 tab through `MatterListPage.show_cell`). Counting runs on a worker thread
(`StatisticsService.compute`), so the window stays responsive; the numbers shown stay until the
new answer arrives. The page counts when it is first shown, a moment after the period changes,
when 统计 is pressed, and after announced changes (`AppEvents`) once it is visible.

导出Excel… / 导出PDF报告… write the statistics shown (`statistics_export.StatisticsExport`, on a
worker thread of its own, with a progress dialog that can cancel).
"""
from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.context import DeskServices
from app.services.errors import ValidationFailed
from app.services.statistics.model import Statistics
from app.services.statistics.periods import DATE_BASES, business_month_end_day

from .background import LatestOnlyRunner
from .events import AppEvents
from .statistics_charts import ChartsPanel
from .statistics_export import StatisticsExport
from .statistics_period import PeriodPicker
from .statistics_tables import StatsTablePanel
from .statistics_tiles import NumberButton, SummaryPanel

COUNTING_TEXT = "正在统计…"
FAILED_TEXT = "统计失败，请稍后重试；如反复出现请联系管理员"
CHANGE_DELAY_MS = 300


class StatisticsPage(QWidget):
    """`sig_open_cell(Drill)`: show the matters behind a number. `sig_computed(Statistics)` after each answer is shown.

    `today`: a fixed date (tests, demonstrations) for the default period and for what the rates
    count as passed; None: the real date each time.
    """

    sig_open_cell = Signal(object)
    sig_computed = Signal(object)

    def __init__(
        self,
        services: DeskServices,
        events: AppEvents | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        change_delay_ms: int = CHANGE_DELAY_MS,
    ):
        super().__init__(parent)
        self.setObjectName("statistics_page")
        self.services = services
        self.fixed_today = today
        self.statistics: Statistics | None = None
        self._stale = True  # nothing counted yet, or the data changed while the page was hidden

        self.picker = PeriodPicker(self.today(), business_month_end_day(services.settings))
        self.run_button = QPushButton("统计(&T)")
        self.run_button.setObjectName("stats_run")
        self.run_button.setToolTip("按所选周期重新统计")
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("stats_busy")
        self.busy_bar.setRange(0, 0)  # moving while counting: the window is alive
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setVisible(False)
        self.status_label = QLabel("")
        self.status_label.setObjectName("stats_status")
        self.title_label = QLabel("")
        self.title_label.setObjectName("stats_title")
        title_font = self.title_label.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.summary = SummaryPanel()
        self.tables = StatsTablePanel()
        self.charts = ChartsPanel()
        self.export = StatisticsExport(services)
        self._build_layout()

        self.runner = LatestOnlyRunner(self)
        self._change_timer = QTimer(self)
        self._change_timer.setSingleShot(True)
        self._change_timer.setInterval(change_delay_ms)
        self._change_timer.timeout.connect(self.refresh)
        self.picker.sig_changed.connect(self._change_timer.start)
        self.run_button.clicked.connect(self.refresh)
        self.runner.sig_busy_changed.connect(self._on_busy_changed)
        for panel in (self.summary, self.tables, self.charts):
            panel.sig_open.connect(self.sig_open_cell)
        if events is not None:
            events.sig_matters_changed.connect(self._on_matters_changed)

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.picker)
        top.addWidget(self.run_button)
        top.addStretch(1)
        top.addWidget(self.busy_bar)
        top.addWidget(self.status_label)
        top.addSpacing(12)
        top.addWidget(self.export)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("stats_splitter")
        splitter.addWidget(self.tables)
        splitter.addWidget(self.charts)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([460, 920])
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 10, 16, 10)
        box.addLayout(top)
        box.addWidget(self.export.message_bar)
        box.addWidget(self.title_label)
        box.addWidget(self.summary)
        box.addWidget(splitter, 1)

    # --- behaviour -------------------------------------------------------------------------

    def today(self) -> date:
        return self.fixed_today or date.today()

    def refresh(self) -> None:
        """Count the chosen period on the worker thread; the numbers shown stay until the answer."""
        self._change_timer.stop()
        choice = self.picker.choice()
        problem = choice.problem()
        if problem:
            self.status_label.setText(problem)
            return
        self._stale = False
        settings, statistics, today = self.services.settings, self.services.statistics, self.fixed_today

        def compute() -> Statistics:  # worker thread: no widgets here
            period = choice.period(business_month_end_day(settings))
            return statistics.compute(period, choice.basis, today)

        self.runner.submit(compute, self._on_computed, self._on_failed)

    @property
    def busy(self) -> bool:
        """Counting, or about to count (the period just changed)."""
        return self.runner.busy or self._change_timer.isActive()

    def number_buttons(self) -> list[NumberButton]:
        """Every clickable number of the summary (tiles and the rates' parts)."""
        return self.summary.buttons()

    def focus_primary(self) -> None:
        self.picker.focus_primary()

    # --- slots ---------------------------------------------------------------------------

    def _on_computed(self, stats: Statistics) -> None:
        self.statistics = stats
        self.title_label.setText(f"{stats.period.label}（按{DATE_BASES[stats.basis]}，"
                                 f"{stats.period.start:%Y-%m-%d}至{stats.period.end:%Y-%m-%d}）")
        self.summary.set_statistics(stats)
        self.tables.set_statistics(stats)
        self.charts.set_statistics(stats)
        self.export.set_statistics(stats)
        self.status_label.setText(f"统计于 {datetime.now():%H:%M:%S}；点击任一数字查看对应信访件")
        self.sig_computed.emit(stats)

    def _on_failed(self, exc: Exception) -> None:
        if isinstance(exc, ValidationFailed):
            self.status_label.setText("；".join(e.message for e in exc.errors))
        else:
            self.status_label.setText(FAILED_TEXT)

    def _on_busy_changed(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        if busy:
            self.status_label.setText(COUNTING_TEXT)

    def _on_matters_changed(self, _number: str) -> None:
        self._stale = True
        if self.isVisible():
            self._change_timer.start()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._stale and not event.spontaneous():
            self.refresh()
