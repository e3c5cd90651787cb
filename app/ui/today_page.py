"""今日 page, the window's home: today's registrations and what needs attention, as big tiles.

Each tile shows the number of one list and opens it (`sig_open_list`); the numbers come from
`app.services.today.today_summary`, which counts the very queries the list runs. Counting runs
on a worker thread: when the page is shown, after a change is announced (`AppEvents`), and
every minute while the page is visible. Before the first count the page brings the cached
deadlines up to date (`LifecycleService.ensure_fresh`, slow once after an upgrade or a change
of rules or holidays), saying so meanwhile.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.context import DeskServices
from app.services.today import (
    AWAITING_EVALUATION_TILE,
    BATCHES,
    DUE_SOON_TILE,
    ITEMS,
    OVERDUE_TILE,
    PERSON_TIMES,
    TILES,
    UNSYNCED_TILE,
    TodaySummary,
    today_summary,
)

from .background import LatestOnlyRunner
from .events import AppEvents

REFRESH_MS = 60_000
UPDATING_TEXT = "正在更新期限…"
COUNTING_TEXT = "正在统计…"
FAILED_TEXT = "统计失败，稍后会自动重试；如反复出现请联系管理员"
NO_VALUE = "—"

# tile → (caption, tooltip, style name)
_TILE_TEXTS: dict[str, tuple[str, str, str]] = {
    ITEMS: ("件", "今天登记的信访件（来信、来访、网上等各种形式），点击查看", "plain"),
    BATCHES: ("批", "今天登记的来访：一起来访的一批人登记为一件，即一批；点击查看", "plain"),
    PERSON_TIMES: ("人次", "今天登记的来访的信访人数之和；点击查看这些来访", "plain"),
    DUE_SOON_TILE: ("3日内到期", "办理期限在今天至3日内届满的信访件，点击查看", "due"),
    OVERDUE_TILE: ("已超期", "办理期限已过、尚未办理完毕的信访件，点击查看", "overdue"),
    AWAITING_EVALUATION_TILE: ("待评价", "已答复、仍在评价期限内尚未评价的信访件，点击查看", "plain"),
    UNSYNCED_TILE: ("待同步", "还有记录未被县级服务器确认接收的信访件，点击查看", "plain"),
}
_STYLES = {
    "plain": ("#f5f7fa", "#1f2d3d", "#c9d3df"),
    "due": ("#fff4d6", "#8a5a00", "#e8c66a"),
    "overdue": ("#fde2e1", "#b42318", "#e99a95"),
}


def _tile_style(name: str) -> str:
    background, color, border = _STYLES[name]
    return (
        f"QPushButton {{ background: {background}; border: 1px solid {border}; border-radius: 8px; }}"
        f" QPushButton:hover {{ border: 2px solid {color}; }}"
        f" QPushButton:focus {{ border: 3px solid {color}; }}"
        f" QLabel {{ color: {color}; background: transparent; }}"
    )


class TodayTile(QPushButton):
    """A big number over its caption; a click, Enter or Space opens the tile's list."""

    sig_activated = Signal(str)

    def __init__(self, key: str, parent: QWidget | None = None):
        super().__init__(parent)
        caption, tooltip, style = _TILE_TEXTS[key]
        self.key = key
        self.setObjectName(f"tile_{key}")
        self.setToolTip(tooltip)
        self.setAccessibleName(caption)
        self.setStyleSheet(_tile_style(style))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumSize(150, 110)
        self.value_label = QLabel(NO_VALUE)
        self.value_label.setObjectName("tile_value")
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 2.6)
        font.setBold(True)
        self.value_label.setFont(font)
        self.caption_label = QLabel(caption)
        self.caption_label.setObjectName("tile_caption")
        caption_font = self.caption_label.font()
        caption_font.setPointSizeF(caption_font.pointSizeF() * 1.2)
        self.caption_label.setFont(caption_font)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 10, 12, 10)
        for label in (self.value_label, self.caption_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            box.addWidget(label)
        self.clicked.connect(lambda: self.sig_activated.emit(self.key))

    @property
    def caption(self) -> str:
        return self.caption_label.text()

    def set_value(self, value: int | None) -> None:
        self.value_label.setText(NO_VALUE if value is None else str(value))
        self.setAccessibleDescription(f"{self.caption} {self.value_label.text()}")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.click()
            return
        super().keyPressEvent(event)


class TodayPage(QWidget):
    """`sig_open_list(special, label, today)`: show that list in the matter list page.

    `today`: a fixed date (tests, demonstrations); None counts for the real date each time.
    `ensure_fresh`: update the cached deadlines once before the first count.
    """

    sig_open_list = Signal(str, str, object)
    sig_counted = Signal(object)  # TodaySummary, after each count is shown

    def __init__(
        self,
        services: DeskServices,
        events: AppEvents | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        ensure_fresh: bool = True,
        refresh_ms: int = REFRESH_MS,
        now: Callable[[], datetime] = datetime.now,
    ):
        super().__init__(parent)
        self.setObjectName("today_page")
        self.services = services
        self.fixed_today = today
        self._now = now
        self._fresh = threading.Event()
        if not ensure_fresh:
            self._fresh.set()
        self.summary: TodaySummary | None = None

        self.tiles = {key: TodayTile(key) for key in TILES}
        self.title_label = QLabel()
        self.title_label.setObjectName("today_title")
        title_font = self.title_label.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.5)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.status_label = QLabel(UPDATING_TEXT if ensure_fresh else COUNTING_TEXT)
        self.status_label.setObjectName("today_status")
        self._build_layout()

        self.runner = LatestOnlyRunner(self)
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self._on_timer)
        self.timer.start()
        for tile in self.tiles.values():
            tile.sig_activated.connect(self.open_tile)
        if events is not None:
            events.sig_matters_changed.connect(lambda _number: self.refresh())
        self.refresh()

    def _build_layout(self) -> None:
        registered = QGroupBox("今日登记")
        registered.setObjectName("today_registered")
        row = QHBoxLayout(registered)
        for key in (ITEMS, BATCHES, PERSON_TIMES):
            row.addWidget(self.tiles[key])
        attention = QGroupBox("需要关注")
        attention.setObjectName("today_attention")
        grid = QGridLayout(attention)
        for column, key in enumerate((DUE_SOON_TILE, OVERDUE_TILE, AWAITING_EVALUATION_TILE, UNSYNCED_TILE)):
            grid.addWidget(self.tiles[key], 0, column)
        header = QHBoxLayout()
        header.addWidget(self.title_label)
        header.addStretch(1)
        header.addWidget(self.status_label)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 16, 24, 16)
        box.addLayout(header)
        box.addWidget(registered)
        box.addWidget(attention)
        box.addStretch(1)

    # --- behaviour -------------------------------------------------------------------------

    def today(self) -> date:
        return self.fixed_today or self._now().date()

    def refresh(self) -> None:
        """Count again on the worker thread; the numbers shown stay until the answer arrives."""
        day = self.today()
        self.title_label.setText(f"今日概况（{day:%Y年%m月%d日}）")
        matters, lifecycle, fresh = self.services.matters, self.services.lifecycle, self._fresh
        if not fresh.is_set():
            self.status_label.setText(UPDATING_TEXT)
        elif self.summary is None:
            self.status_label.setText(COUNTING_TEXT)

        def count() -> TodaySummary:  # worker thread: no widgets here
            if not fresh.is_set():
                lifecycle.ensure_fresh()
                fresh.set()
            return today_summary(matters, day)

        self.runner.submit(count, self._on_counted, self._on_failed)

    def value(self, tile: str) -> str:
        """The number a tile shows (as text, "—" before the first count)."""
        return self.tiles[tile].value_label.text()

    def open_tile(self, tile: str) -> None:
        special, label = TILES[tile]
        self.sig_open_list.emit(special, label, self.fixed_today)

    def focus_primary(self) -> None:
        self.tiles[ITEMS].setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- slots ---------------------------------------------------------------------------

    def _on_counted(self, summary: TodaySummary) -> None:
        self.summary = summary
        for key, tile in self.tiles.items():
            tile.set_value(summary.value(key))
        self.status_label.setText(f"更新于 {self._now():%H:%M}（每分钟自动更新）")
        self.sig_counted.emit(summary)

    def _on_failed(self, _exc: Exception) -> None:
        self.status_label.setText(FAILED_TEXT)

    def _on_timer(self) -> None:
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not event.spontaneous():  # a tab switch or the window opening, not un-minimising
            self.refresh()
