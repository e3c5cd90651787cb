"""The statistics page's summary: number tiles (件, 批, 人次, forms, visits) and rate boxes.

Every count is a `NumberButton`: a click, Enter or Space emits its `Drill`, which opens the
matters it counts. A rate shows its percent and "n/m"; its parts (及时受理, 超期受理, …, and 合计,
the matters it divides by) are number buttons too.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services import vocab
from app.services.statistics.model import RATES, Figure, Rate, Statistics

from .statistics_drill import ITEMS, PERSON_TIMES, Drill, drill

NO_VALUE = "—"
TILE_STYLE = (
    "QPushButton { background: #f5f7fa; border: 1px solid #c9d3df; border-radius: 6px; }"
    " QPushButton:hover { border: 2px solid #1a4fa0; }"
    " QPushButton:focus { border: 2px solid #1a4fa0; }"
    " QLabel { color: #1f2d3d; background: transparent; }"
)
PART_STYLE = (
    "QPushButton { background: #eef3fb; color: #1a4fa0; border: 1px solid #b8c9e6; border-radius: 10px;"
    " padding: 2px 8px; }"
    " QPushButton:hover { border: 1px solid #1a4fa0; }"
    " QPushButton:focus { border: 2px solid #1a4fa0; }"
)
OPEN_HINT = "点击查看这些信访件"


class NumberButton(QPushButton):
    """A number with its caption; activating it emits `sig_open(Drill)` (nothing before a result).

    A tile shows the number big over its caption; a compact button (a rate's part) "caption number".
    """

    sig_open = Signal(object)

    def __init__(self, key: str, caption: str, tooltip: str = "", *, compact: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.compact = compact
        self.drill: Drill | None = None
        self._caption = caption
        self._value_text = NO_VALUE
        self.setObjectName(f"stat_{key}")
        self.setAccessibleName(caption)
        self.setToolTip(f"{tooltip}；{OPEN_HINT}" if tooltip else OPEN_HINT)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(PART_STYLE if compact else TILE_STYLE)
        self.value_label: QLabel | None = None
        if compact:
            self._show()
        else:
            self._build_tile(caption)
        self.clicked.connect(self._on_clicked)

    def _build_tile(self, caption: str) -> None:
        self.value_label = QLabel(NO_VALUE)
        self.value_label.setObjectName("stat_value")
        font = self.value_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.7)
        self.value_label.setFont(font)
        caption_label = QLabel(caption)
        caption_label.setObjectName("stat_caption")
        self.setMinimumSize(72, 64)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 6, 4, 6)
        box.setSpacing(0)
        for label in (self.value_label, caption_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            box.addWidget(label)

    @property
    def caption(self) -> str:
        return self._caption

    @property
    def value_text(self) -> str:
        return self._value_text

    def set_drill(self, value: Drill | None) -> None:
        self.drill = value
        self._value_text = NO_VALUE if value is None else str(value.value)
        self._show()
        self.setAccessibleDescription(f"{self.caption} {self._value_text}")

    def _show(self) -> None:
        if self.value_label is not None:
            self.value_label.setText(self._value_text)
        else:
            self.setText(f"{self._caption} {self._value_text}")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.click()
            return
        super().keyPressEvent(event)

    def _on_clicked(self) -> None:
        if self.drill is not None:
            self.sig_open.emit(self.drill)


@dataclass(frozen=True)
class TileSpec:
    key: str
    caption: str  # under the number
    what: str  # in the list's chip: what the number counts
    tooltip: str
    figure: Callable[[Statistics], Figure | None]
    measure: str = ITEMS


def _form_spec(form: str) -> TileSpec:
    return TileSpec(f"form_{form}", form, form, f"本期{form}的信访件数",
                    lambda s: s.by_form.get(form))


TOTAL_TILES = (
    TileSpec("items", "件", "全部信访件", "本期各种形式的信访件数", lambda s: s.total),
    TileSpec("batches", "批", "来访（批）", "本期来访的批次：一起来访的一批人登记为一件，即一批", lambda s: s.visits),
    TileSpec("person_times", "人次", "全部信访件（人次）", "本期各信访件的信访人数之和", lambda s: s.total,
             PERSON_TIMES),
)
FORM_TILES = tuple(_form_spec(form) for form in vocab.FORMS)
VISIT_TILES = (
    TileSpec("individual_items", "个体访 件", "个体访", "本期未达到集体访人数的来访", lambda s: s.individual),
    TileSpec("individual_person_times", "个体访 人次", "个体访（人次）", "本期个体访的信访人数之和",
             lambda s: s.individual, PERSON_TIMES),
    TileSpec("collective_items", "集体访 批", "集体访", "本期达到集体访人数的来访批次", lambda s: s.collective),
    TileSpec("collective_person_times", "集体访 人次", "集体访（人次）", "本期集体访的信访人数之和",
             lambda s: s.collective, PERSON_TIMES),
    TileSpec("skip_level", "越级访 件", "越级访", "本期标记为越级的信访件", lambda s: s.skip_level),
    TileSpec("repeats", "重复访 件", "重复访", "本期关联为重复访的信访件", lambda s: s.repeats),
    TileSpec("supervised", "督办 件", "督办", "本期信访件中曾被督办的",
             lambda s: getattr(s, "supervised", None)),
)
TILE_GROUPS = (("总量", TOTAL_TILES), ("信访形式", FORM_TILES), ("来访与重复访", VISIT_TILES))

# rate → bucket → caption of that part (unknown buckets show their key)
RATE_PARTS = {
    "timely": {"on_time": "及时受理", "late": "超期受理", "overdue": "超期未受理"},
    "conclude": {"on_time": "按期办结", "late": "超期办结", "overdue": "超期未办结"},
    "participation": {"evaluated": "已评价", "overdue": "超期未评价"},
    "satisfaction": {"satisfied": "满意", "evaluated": "已评价"},  # 满意 counts 基本满意 too (tooltip)
}
# The part that opens a rate's denominator, where no bucket already is it (满意率 divides by 已评价).
DENOMINATOR, DENOMINATOR_CAPTION = "total", "合计"
RATE_TOOLTIPS = {
    "timely": "受理告知期限在本期内的信访件（不含涉法涉诉）中，按期作出处理决定的比例",
    "conclude": "办结期限在本期内的信访件（不含涉法涉诉）中，按期答复的比例",
    "participation": "评价期限在本期内的信访件中，信访人对信访部门作出评价的比例",
    "satisfaction": "已评价的信访件中，评价为满意或基本满意（均计入“满意”）的比例",
    "repeat": "本期信访件中重复访所占的比例",
}
REPEAT = "repeat"


class RateBox(QGroupBox):
    """A rate: its percent, "n/m", and the clickable counts it is made of."""

    sig_open = Signal(object)

    def __init__(self, key: str, title: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.key = key
        self.setObjectName(f"rate_{key}")
        self.setToolTip(RATE_TOOLTIPS.get(key, ""))
        self.percent_label = QLabel(NO_VALUE)
        self.percent_label.setObjectName("rate_percent")
        font = self.percent_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.percent_label.setFont(font)
        self.fraction_label = QLabel("")
        self.fraction_label.setObjectName("rate_fraction")
        self.parts: dict[str, NumberButton] = {}
        self._parts_row = QHBoxLayout()
        self._parts_row.setSpacing(6)
        head = QHBoxLayout()
        head.addWidget(self.percent_label)
        head.addWidget(self.fraction_label)
        head.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 4, 8, 6)
        box.addLayout(head)
        box.addLayout(self._parts_row)

    def part(self, bucket: str, caption: str) -> NumberButton:
        button = self.parts.get(bucket)
        if button is None:
            button = NumberButton(f"{self.key}_{bucket}", caption, compact=True)
            button.sig_open.connect(self.sig_open)
            self.parts[bucket] = button
            self._parts_row.insertWidget(self._parts_row.count(), button)
        return button

    def set_values(self, percent: str, numerator: int, denominator: int, parts: list[tuple[str, str, Drill]]) -> None:
        self.percent_label.setText(percent)
        self.fraction_label.setText(f"{numerator}/{denominator}")
        self.fraction_label.setToolTip(f"分子 {numerator}，分母 {denominator}")
        for bucket, caption, value in parts:
            self.part(bucket, caption).set_drill(value)


class SummaryPanel(QWidget):
    """Tiles in three groups over a row of rate boxes; `sig_open(Drill)` from any number."""

    sig_open = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tiles: dict[str, NumberButton] = {}
        self._specs: dict[str, TileSpec] = {}
        tiles_row = QHBoxLayout()
        for title, specs in TILE_GROUPS:
            group = QGroupBox(title)
            grid = QGridLayout(group)
            grid.setContentsMargins(6, 4, 6, 6)
            grid.setSpacing(6)
            for column, spec in enumerate(specs):
                tile = NumberButton(spec.key, spec.caption, spec.tooltip)
                tile.sig_open.connect(self.sig_open)
                self.tiles[spec.key] = tile
                self._specs[spec.key] = spec
                grid.addWidget(tile, 0, column)
            tiles_row.addWidget(group, len(specs))
        self.rates: dict[str, RateBox] = {REPEAT: RateBox(REPEAT, "重复率")}
        self.rates.update({name: RateBox(name, label) for name, label in RATES.items()})
        rates_row = QHBoxLayout()
        for box in self.rates.values():
            box.sig_open.connect(self.sig_open)
            rates_row.addWidget(box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(tiles_row)
        layout.addLayout(rates_row)

    def buttons(self) -> list[NumberButton]:
        """Every number button shown, tiles first, then the rates' parts."""
        out = [t for t in self.tiles.values() if not t.isHidden()]
        for box in self.rates.values():
            if not box.isHidden():
                out.extend(b for b in box.parts.values() if not b.isHidden())
        return out

    def set_statistics(self, stats: Statistics) -> None:
        for key, tile in self.tiles.items():
            spec = self._specs[key]
            figure = spec.figure(stats)
            tile.setHidden(figure is None)
            if figure is not None:
                value = figure.person_times if spec.measure == PERSON_TIMES else figure.items
                tile.set_drill(drill(stats, value, figure.cell, spec.what, spec.measure))
        rate = stats.repeat_rate
        self.rates[REPEAT].set_values(
            "—" if rate is None else f"{rate * 100:.1f}%", stats.repeats.items, stats.items,
            [("repeats", "重复访", drill(stats, stats.repeats.items, stats.repeats.cell, "重复访")),
             ("all", "全部", drill(stats, stats.items, stats.total.cell, "全部信访件"))],
        )
        for name, box in self.rates.items():
            if name == REPEAT:
                continue
            value: Rate | None = stats.rates.get(name)
            box.setHidden(value is None)
            if value is not None:
                box.set_values(value.percent(), value.numerator, value.denominator, _rate_parts(stats, value))


def _rate_parts(stats: Statistics, rate: Rate) -> list[tuple[str, str, Drill]]:
    """The rate's buckets, then 合计 (the matters it divides by) unless a bucket already is that."""
    captions = RATE_PARTS.get(rate.name, {})
    out = []
    for bucket, count in rate.parts.items():
        cell = rate.cells.get(bucket)
        if cell is None:
            continue
        caption = captions.get(bucket, bucket)
        out.append((bucket, caption, drill(stats, count, cell, f"{rate.label}·{caption}")))
    if all(value.cell != rate.denominator_cell for _bucket, _caption, value in out):
        out.append((DENOMINATOR, DENOMINATOR_CAPTION,
                    drill(stats, rate.denominator, rate.denominator_cell, f"{rate.label}·{DENOMINATOR_CAPTION}")))
    return out
