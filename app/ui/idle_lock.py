"""The idle lock: after `security.idle_lock_minutes` without keyboard or mouse input, cover the window.

An application-wide event filter restarts a single-shot timer on every input event. When it
fires (or on Ctrl+L, 账户 → 锁定屏幕), every visible window of the application is covered by an
opaque widget and the main window's content is hidden, so nothing of the matters stays on
screen; nothing is closed or cleared, so the registration form (and its draft timer) keeps
exactly what was typed. The password is asked in a small application-modal panel: being the
newest modal window it takes the keyboard even when a dialog was open (a modal one included).
解锁 re-checks the same operator's password (`OperatorService.unlock_screen`; failures count
towards the lockout); 切换操作员 emits `sig_switch_requested` (the window logs out and asks
for a login). Locking and unlocking are in the audit trail.
"""
from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.context import DeskServices
from app.services.security import idle
from app.services.security.errors import SecurityError

from .field_error import FieldErrorLabel, field_cell
from .password_dialog import password_edit

logger = logging.getLogger(__name__)

LOCKED_TEXT = "屏幕已锁定"

_ACTIVITY = frozenset({
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.InputMethod,
    QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
})


def idle_minutes(services: DeskServices) -> int:
    return idle.idle_minutes(services.settings)


class Cover(QWidget):
    """An opaque widget over the whole of its parent window (menu and status bar included)."""

    def __init__(self, parent: QWidget, text: str = LOCKED_TEXT):
        super().__init__(parent)
        self.setObjectName("lock_cover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lock_cover { background: #37474f; } QLabel { color: #eceff1; }")
        self.label = QLabel(text)
        self.label.setObjectName("lock_cover_text")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.label.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.label.setFont(font)
        box = QVBoxLayout(self)
        box.addWidget(self.label)
        parent.installEventFilter(self)
        self.setGeometry(parent.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.parent() and event.type() in (QEvent.Type.Resize, QEvent.Type.ChildAdded):
            self.setGeometry(self.parentWidget().rect())
            self.raise_()
        return False

    def remove(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            parent.removeEventFilter(self)
        self.hide()
        self.deleteLater()


class UnlockPanel(QDialog):
    """操作员 (shown), 密码, 解锁 / 切换操作员. Esc and the close button do nothing."""

    sig_unlock = Signal(str)
    sig_switch = Signal()

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("unlock_panel")
        self.setWindowTitle(LOCKED_TEXT)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.name_label = QLabel(name)
        self.name_label.setObjectName("unlock_name")
        self.password_edit = password_edit("本操作员的登录密码")
        self.password_edit.setObjectName("unlock_password")
        self.error = FieldErrorLabel("unlock_password")
        intro = QLabel(f"{LOCKED_TEXT}。请输入密码解锁；输入的内容都保留着。")
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("当前操作员", self.name_label)
        form.addRow("密码(&P)", field_cell(self.password_edit, self.error))
        self.unlock_button = QPushButton("解锁")
        self.unlock_button.setObjectName("unlock_button")
        self.unlock_button.setDefault(True)
        self.switch_button = QPushButton("切换操作员(&W)")
        self.switch_button.setObjectName("switch_operator_button")
        self.switch_button.setAutoDefault(False)
        self.unlock_button.clicked.connect(lambda: self.sig_unlock.emit(self.password_edit.text()))
        self.switch_button.clicked.connect(self.sig_switch)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        row.addWidget(self.switch_button)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addLayout(form)
        box.addLayout(row)
        self.setMinimumWidth(360)

    def refused(self, message: str) -> None:
        self.error.show_message(message)
        self.password_edit.clear()
        self.password_edit.setFocus()

    def reject(self) -> None:  # Esc: stay locked
        pass

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.spontaneous():  # the title bar's close button; quitting the application still closes it
            event.ignore()


class IdleLock(QObject):
    """Locks `window` after `timeout_ms` without input (None: the `security.idle_lock_minutes`
    setting; 0: never by itself — `lock()` still works)."""

    sig_locked = Signal()
    sig_unlocked = Signal()
    sig_switch_requested = Signal()

    def __init__(self, window: QMainWindow, services: DeskServices, timeout_ms: int | None = None):
        super().__init__(window)
        self.window = window
        self.services = services
        self.locked = False
        self.panel: UnlockPanel | None = None
        self.cover: Cover | None = None
        self._covers: list[Cover] = []
        self._focus: QWidget | None = None
        self._central_was_visible = True
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._on_idle)
        self.set_timeout_ms(idle_minutes(services) * 60_000 if timeout_ms is None else timeout_ms)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def timeout_ms(self) -> int:
        return self._timeout_ms

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timeout_ms = max(0, int(timeout_ms))
        self.timer.stop()
        if self._timeout_ms and not self.locked:
            self.timer.start(self._timeout_ms)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in _ACTIVITY and not self.locked and self._timeout_ms:
            self.timer.start(self._timeout_ms)
        return False

    def _on_idle(self) -> None:
        if self.services.guard.current is not None and self.window.isVisible():
            self.lock()

    # --- locking ----------------------------------------------------------------------------

    def lock(self) -> None:
        """Cover every window and ask for the password (recorded in the audit trail)."""
        if self.locked or self.services.guard.current is None:
            return
        self.cover_all()
        try:
            self.services.operators.record_screen_locked()
        except Exception:  # a busy or read-only database must not keep the screen open
            logger.exception("could not record the screen lock")
        self._show_panel()
        self.sig_locked.emit()

    def cover_all(self) -> None:
        """Hide what is on screen without closing anything (also used while logging out)."""
        if self.locked:
            return
        self.locked = True
        self.timer.stop()
        self._focus = QApplication.focusWidget()
        while (popup := QApplication.activePopupWidget()) is not None:  # an open list or completer
            popup.close()
        central = self.window.centralWidget()
        self._central_was_visible = central is not None and not central.isHidden()
        if central is not None:
            central.hide()  # its shortcuts (Ctrl+S, Alt+1…) stop with it; what was typed stays
        self.window.menuBar().setEnabled(False)
        self.cover = Cover(self.window)
        self._covers = [self.cover]
        for widget in QApplication.topLevelWidgets():
            if widget is not self.window and widget.isVisible() and widget.isWindow() and not self._is_ours(widget):
                self._covers.append(Cover(widget))

    def _is_ours(self, widget: QWidget) -> bool:
        return widget is self.panel or widget.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip)

    def _show_panel(self) -> None:
        principal = self.services.guard.current
        self.panel = UnlockPanel(principal.name if principal else "", self.window)
        self.panel.sig_unlock.connect(self.try_unlock)
        self.panel.sig_switch.connect(self._on_switch)
        self.panel.show()
        self.panel.raise_()
        self.panel.activateWindow()
        self.panel.password_edit.setFocus()

    def try_unlock(self, password: str) -> bool:
        """True when the password is the operator's; else the Chinese refusal is shown in the panel."""
        if not self.locked:
            return True
        if not password:
            if self.panel is not None:
                self.panel.refused("请输入密码")
            return False
        try:
            self.services.operators.unlock_screen(password)
        except SecurityError as refusal:
            if self.panel is not None:
                self.panel.refused(str(refusal))
            return False
        self.release()
        self.sig_unlocked.emit()
        return True

    def release(self) -> None:
        """Uncover and give the keyboard back where it was (after a correct password or a new login)."""
        if not self.locked:
            return
        self._close_panel()
        for cover in self._covers:
            if shiboken6.isValid(cover):
                cover.remove()
        self._covers, self.cover = [], None
        central = self.window.centralWidget()
        if central is not None and self._central_was_visible:
            central.show()
        self.window.menuBar().setEnabled(True)
        self.locked = False
        self.window.activateWindow()
        focus, self._focus = self._focus, None
        if focus is not None and shiboken6.isValid(focus) and focus.isVisible():
            focus.activateWindow()
            focus.setFocus()
        if self._timeout_ms:
            self.timer.start(self._timeout_ms)

    def _close_panel(self) -> None:
        panel, self.panel = self.panel, None
        if panel is not None and shiboken6.isValid(panel):
            panel.hide()
            panel.deleteLater()

    def hide_panel(self) -> None:
        """While the login dialog of 切换操作员 / 退出登录 is up (the windows stay covered)."""
        self._close_panel()

    def _on_switch(self) -> None:
        self.sig_switch_requested.emit()

    def shutdown(self) -> None:
        """The window is closing: stop watching input."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
