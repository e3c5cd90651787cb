"""The statistics page's charts (QtCharts): 件 by content class (top 10), by month, by township.

Each bar is a table row; clicking a bar opens that row's matters, like its 件 in the table.
"""
from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QTabWidget, QWidget

from app.services.statistics.model import TABLES, Statistics, TableRow

from .statistics_drill import drill

BAR_COLOUR = QColor("#3d7bd9")
MAX_LABEL = 12  # characters of a category label (the whole name is in the table)
# (table, tab title, horizontal bars, how many rows at most)
CHARTS = (
    ("content1", "按内容分类（前10）", True, 10),
    ("month", "按月份", False, None),
    ("township", "按乡镇（前15）", True, 15),
)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


class RowsChart(QChartView):
    """件 per row of one statistics table as bars; `sig_open(Drill)` when a bar is clicked."""

    sig_open = Signal(object)

    def __init__(self, table: str, horizontal: bool, limit: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.table, self.horizontal, self.limit = table, horizontal, limit
        self.setObjectName(f"chart_{table}")
        self.rows: list[TableRow] = []  # in the order of the bars (index 0 first)
        self._stats: Statistics | None = None
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().hide()
        self.setChart(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setToolTip("点击柱条查看这些信访件")

    def series(self) -> QBarSeries | QHorizontalBarSeries | None:
        found = self.chart().series()
        return found[0] if found else None

    def set_statistics(self, stats: Statistics) -> None:
        self._stats = stats
        rows = list(stats.tables.get(self.table, []))
        if self.limit is not None:
            rows = rows[: self.limit]
        if self.horizontal:  # the first bar is drawn at the bottom: the largest goes on top
            rows.reverse()
        self.rows = rows
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle("" if rows else "本期没有数据")
        if not rows:
            return
        bars = QBarSet("件")
        bars.setColor(BAR_COLOUR)
        bars.append([row.items for row in rows])
        series = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setBarWidth(0.6)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([_short(row.label) for row in rows])
        values = QValueAxis()
        top = max(row.items for row in rows) or 1
        values.setLabelFormat("%d")
        if top <= 5:  # whole numbers only
            values.setRange(0, top + 1)
            values.setTickCount(top + 2)
        else:
            values.setRange(0, top * 1.1)
            values.applyNiceNumbers()
        category_side, value_side = (
            (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom) if self.horizontal
            else (Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft)
        )
        chart.addAxis(categories, category_side)
        chart.addAxis(values, value_side)
        series.attachAxis(categories)
        series.attachAxis(values)
        bars.clicked.connect(self._on_bar_clicked)

    def _on_bar_clicked(self, index: int) -> None:
        if self._stats is None or not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        what = f"{TABLES.get(self.table, self.table)}“{row.label}”"
        self.sig_open.emit(drill(self._stats, row.items, row.cell, what))


class ChartsPanel(QTabWidget):
    sig_open = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("stats_charts")
        self.charts: dict[str, RowsChart] = {}
        for table, title, horizontal, limit in CHARTS:
            view = RowsChart(table, horizontal, limit)
            view.sig_open.connect(self.sig_open)
            self.charts[table] = view
            self.addTab(view, title)

    def set_statistics(self, stats: Statistics) -> None:
        for view in self.charts.values():
            view.set_statistics(stats)
