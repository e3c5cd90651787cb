"""来访登记 tab: the form on the left, the visitor's earlier matters on the right."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QHBoxLayout, QSplitter, QWidget

from app.services.context import DeskServices

from .history_panel import HistoryPanel
from .matter_detail import MatterDetailDialog, show_matter_detail
from .registration_form import RegistrationForm


class RegistrationPage(QWidget):
    sig_matter_changed = Signal(str)  # a step was recorded in a detail opened from the history panel

    def __init__(self, services: DeskServices, actor: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("registration_page")
        self.services = services
        self.form = RegistrationForm(services, actor)
        self.history = HistoryPanel(services.matters)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.form)
        splitter.addWidget(self.history)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([900, 420])
        box = QHBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(splitter)

        self.form.petitioner.sig_identity_changed.connect(self.history.lookup)
        self.history.sig_link_requested.connect(self._on_link_requested)
        self.history.sig_open_requested.connect(self.open_detail)
        self.history.lookup(*self.form.petitioner.identity())

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence(Qt.Key.Key_F6), self, self._on_switch_pane, context)
        QShortcut(QKeySequence("Ctrl+R"), self, self.history.link_button.click, context)
        self.history.link_button.setToolTip("把右侧选中的信访件关联为本次登记的原件（Ctrl+R）；F6 在登记表和来访记录间切换")

    def focus_primary(self) -> None:
        self.form.focus_first_field()

    def open_detail(self, number: str) -> MatterDetailDialog:
        dialog = show_matter_detail(self.services.matters, number, self, services=self.services)
        dialog.sig_changed.connect(lambda _number: self.history.lookup(*self.form.petitioner.identity()))
        dialog.sig_changed.connect(self.sig_matter_changed)
        return dialog

    def _on_link_requested(self, number: str) -> None:
        self.form.set_repeat_of(number)

    def _on_switch_pane(self) -> None:
        focus = QApplication.focusWidget()
        if (focus is not None and self.history.isAncestorOf(focus)) or not self.history.row_count():
            self.form.focus_first_field()
        else:
            self.history.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
