"""Field widgets and the generic glue the registration form needs.

`read_value` / `write_value` / `change_signal` let the form treat every field alike
(for building the input, the draft file and clearing); `LiveCheck` runs one of the
validation functions while the user types.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.services.validation import check_text

from .field_error import FieldErrorLabel

Value = str | int | bool


class ChoiceCombo(QComboBox):
    """A closed list of (shown text, stored value); `placeholder` means "nothing chosen yet"."""

    def __init__(self, choices: Iterable[str | tuple[str, str]], placeholder: str = "", parent=None):
        super().__init__(parent)
        for choice in choices:
            text, value = (choice, choice) if isinstance(choice, str) else choice
            self.addItem(text, value)
        if placeholder:
            self.setPlaceholderText(placeholder)
            self.setCurrentIndex(-1)

    def value(self) -> str:
        data = self.currentData()
        return "" if data is None else str(data)

    def set_value(self, value: str) -> None:
        index = self.findData(value or "")
        if index < 0 and not value and self.placeholderText():
            index = -1
        elif index < 0:
            index = 0 if not self.placeholderText() else -1
        self.setCurrentIndex(index)


class TextCombo(QComboBox):
    """An editable list (民族, 去向单位): suggestions, but any text can be typed.

    `sig_chosen` is emitted when an entry is picked from the suggestion list.
    """

    sig_chosen = Signal(str)

    def __init__(self, items: Sequence[str] = (), placeholder: str = "", parent=None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.set_items(items)
        completer = self.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.activated[str].connect(self.sig_chosen)
        if placeholder:
            self.lineEdit().setPlaceholderText(placeholder)

    def set_items(self, items: Sequence[str]) -> None:
        text = self.currentText()
        self.blockSignals(True)
        self.clear()
        self.addItems(list(items))
        self.setCurrentIndex(-1)
        self.setEditText(text)
        self.blockSignals(False)

    def value(self) -> str:
        return self.currentText()

    def set_value(self, value: str) -> None:
        index = self.findText(value or "")
        self.setCurrentIndex(index)
        self.setEditText(value or "")


def make_line_edit(placeholder: str = "", max_length: int | None = None) -> QLineEdit:
    """A one-line field; `max_length` only for fixed-format codes (it counts UTF-16 units and
    silently drops extra keystrokes, so free text is checked by length messages instead)."""
    edit = QLineEdit()
    if placeholder:
        edit.setPlaceholderText(placeholder)
    if max_length:
        edit.setMaxLength(max_length)
    return edit


def make_text_edit(placeholder: str = "", height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)  # Tab leaves the box; Enter is a newline
    edit.setPlaceholderText(placeholder)
    edit.setMinimumHeight(height)
    edit.setMaximumHeight(height * 2)
    return edit


def make_date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    edit.setDate(QDate(value or date.today()))
    return edit


def length_check(label: str, max_len: int) -> Callable[[str], str | None]:
    """A live check of an optional text's length (required-ness is left to the save)."""
    return lambda text: check_text(text, label, required=False, max_len=max_len)[1]


def read_value(w: QWidget) -> Value:
    """The value a field holds now (text, number, flag, ISO date)."""
    if isinstance(w, (ChoiceCombo, TextCombo)):
        return w.value()
    if isinstance(w, QLineEdit):
        return w.text()
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText()
    if isinstance(w, QDateEdit):
        return w.date().toString("yyyy-MM-dd")
    if isinstance(w, QSpinBox):
        return w.value()
    if isinstance(w, QCheckBox):
        return w.isChecked()
    if hasattr(w, "value") and callable(w.value):
        return w.value()
    raise TypeError(f"unsupported field widget {type(w).__name__}")


def write_value(w: QWidget, value: Value | None) -> None:
    """Put a value (from a draft or the defaults) back into a field."""
    if isinstance(w, (ChoiceCombo, TextCombo)):
        w.set_value("" if value is None else str(value))
    elif isinstance(w, QLineEdit):
        w.setText("" if value is None else str(value))
    elif isinstance(w, QPlainTextEdit):
        w.setPlainText("" if value is None else str(value))
    elif isinstance(w, QDateEdit):
        parsed = QDate.fromString(str(value or ""), "yyyy-MM-dd")
        w.setDate(parsed if parsed.isValid() else QDate.currentDate())
    elif isinstance(w, QSpinBox):
        try:
            w.setValue(int(value or w.minimum()))
        except (TypeError, ValueError):
            w.setValue(w.minimum())
    elif isinstance(w, QCheckBox):
        w.setChecked(bool(value))
    elif hasattr(w, "set_value"):
        w.set_value(value)
    else:
        raise TypeError(f"unsupported field widget {type(w).__name__}")


def change_signal(w: QWidget):
    """The signal a field emits on every user-visible change."""
    if isinstance(w, ChoiceCombo):
        return w.currentIndexChanged
    if isinstance(w, TextCombo):
        return w.editTextChanged
    if isinstance(w, QLineEdit):
        return w.textChanged
    if isinstance(w, QPlainTextEdit):
        return w.textChanged
    if isinstance(w, QDateEdit):
        return w.dateChanged
    if isinstance(w, QSpinBox):
        return w.valueChanged
    if isinstance(w, QCheckBox):
        return w.toggled
    if hasattr(w, "sig_changed"):
        return w.sig_changed
    raise TypeError(f"unsupported field widget {type(w).__name__}")


def ends_in_letter(text: str) -> bool:
    """For names: "阿依古丽·" is still being typed, so its message waits until the next letter or focus-out."""
    return text.strip()[-1:].isalnum()


class LiveCheck(QObject):
    """Runs `check(text) -> message | None` as the user types, without nagging.

    A message shows while typing only once `complete(text)` is true (e.g. 18
    characters of an ID number), and always when the field loses focus with
    text in it; it disappears as soon as the text is valid or emptied.
    Required-field messages are left to the save, so tabbing past is quiet.
    """

    def __init__(
        self,
        edit: QLineEdit | QPlainTextEdit,
        label: FieldErrorLabel,
        check: Callable[[str], str | None],
        complete: Callable[[str], bool] = lambda _text: True,
    ):
        super().__init__(edit)
        self.edit = edit
        self.label = label
        self.check = check
        self.complete = complete
        edit.textChanged.connect(self._on_text_changed)
        if isinstance(edit, QLineEdit):
            edit.editingFinished.connect(self._on_editing_finished)
        else:
            edit.installEventFilter(self)

    def _text(self) -> str:
        return self.edit.text() if isinstance(self.edit, QLineEdit) else self.edit.toPlainText()

    def _on_text_changed(self, *_args) -> None:
        text = self._text()
        message = self.check(text) if text.strip() else None
        self.label.show_message(message if message and self.complete(text) else None)

    def _on_editing_finished(self) -> None:
        self.run()

    def run(self) -> None:
        """Show the message for the current text regardless of completeness (focus left the field)."""
        text = self._text()
        if text.strip():
            self.label.show_message(self.check(text))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if obj is self.edit and event.type() == event.Type.FocusOut:
            self.run()
        return False
