"""Helpers for the Qt tests: typing any text with key events, pressing keys where the focus is,
and registering fixture matters straight through the service.

Imported by name (`from ui_support import ...`): `tests/` is on sys.path through its conftest.
"""
from __future__ import annotations

STATION_CODE = "360426"
STATION_NAME = "德安县信访局"


def type_text(widget, text: str) -> None:
    """Type any text (Chinese, 𠮷) one character at a time, as key events carrying the text ("\n" is Enter).

    `QTest.keyClicks` aborts the process on non-ASCII characters, so only ASCII goes through it;
    the rest are sent as key events built here, because PySide6 6.9's `QTest.sendKeyEvent` takes
    the text as one Latin-1 byte ("测" arrives as "æ"), and the older-systems package runs 6.9.
    """
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    for ch in text:
        if ch == "\n":
            QTest.keyClick(widget, Qt.Key.Key_Return)
        elif ch.isascii() and ch.isprintable():
            QTest.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def keyboard_target():
    """Where a real key press would go: an open popup (completer list, combo list) first, else the focus widget.

    The offscreen platform cannot grab the keyboard for popups, so tests route keys the way Qt would.
    """
    from PySide6.QtWidgets import QApplication

    target = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert target is not None, "no widget has the keyboard focus"
    return target


def press_key(key, modifier=None) -> None:
    """Press a key where the keyboard focus is now, as a user would."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(keyboard_target(), key, modifier or Qt.KeyboardModifier.NoModifier)


def type_here(text: str) -> None:
    """Type into whichever widget has the keyboard focus."""
    type_text(keyboard_target(), text)


def visible_main_windows() -> list:
    """The desk's main windows now on screen."""
    from PySide6.QtWidgets import QApplication

    from app.ui.main_window import MainWindow

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def run_gui_to_main_window(services, answer):
    """Run the whole app (`run_gui`) until its main window shows, and return that window.

    `answer(dialog)` sees each modal dialog shown on the way (login, recovery …) and returns True
    once it has answered it; the caller hands the window to qtbot."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.app import run_gui

    seen = {}

    def drive():
        dialog = QApplication.activeModalWidget()
        if dialog is not None and answer(dialog):
            QTimer.singleShot(0, drive)
            return
        window = next(iter(visible_main_windows()), None)
        if window is None:
            QTimer.singleShot(10, drive)
            return
        seen["window"] = window
        QApplication.instance().exit(0)

    QTimer.singleShot(0, drive)
    assert run_gui(services, []) == 0
    return seen["window"]


def wait_list_loaded(qtbot, page) -> None:
    """The matter list answers queries on a worker thread: wait until the newest answer is shown."""
    qtbot.waitUntil(lambda: not page.runner.busy, timeout=5000)


WAGES_CLASS = "劳动和社会保障 / 劳动关系 / 拖欠农民工工资"


def register_matter(services, *, name="张三", id_number="", phone="", **fields):
    """Register one matter straight through the service (fast fixture data); returns the result."""
    from app.services.registration import PetitionerInput, RegistrationInput

    person = PetitionerInput(
        name=name, id_type="居民身份证" if id_number else "无证件", id_number=id_number, phone=phone
    )
    data = {
        "matter_class": "申诉求决",
        "content_class": WAGES_CLASS,
        "title": "拖欠工资",
        "request": "要求支付拖欠的工资",
        **fields,
    }
    return services.registration.register(RegistrationInput(petitioners=[person], **data))
