"""A titled group of labelled fields, each with its error label, laid out in a grid."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QWidget

from .field_error import FieldErrorLabel, FieldWarningLabel, field_cell
from .form_fields import LiveCheck


class FormSection(QGroupBox):
    """Holds `fields` (key -> widget, in tab order) and `errors` (key -> red label)."""

    def __init__(self, title: str, columns: int = 2, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, FieldErrorLabel] = {}
        self.captions: dict[str, str] = {}
        #: key -> the QLabel showing its caption (a section may retitle a field, e.g. 邮戳日期).
        self.caption_labels: dict[str, QLabel] = {}
        #: Keys whose error label a LiveCheck keeps up to date while typing.
        self.live_checked: set[str] = set()
        self._grid = QGridLayout(self)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(4)
        self._columns = columns
        self._row = 0
        self._col = 0
        for c in range(columns):
            self._grid.setColumnStretch(c * 2 + 1, 1)

    def add_field(
        self,
        key: str,
        caption: str,
        widget: QWidget,
        *,
        span: bool = False,
        warning: FieldWarningLabel | None = None,
        display: QWidget | None = None,
    ) -> FieldErrorLabel:
        """Add `caption: widget` with its error label; `span` takes a whole row.

        `display` is what goes in the grid when the field sits inside a larger widget.
        """
        error = FieldErrorLabel(key)
        labels = [error] + ([warning] if warning is not None else [])
        cell = field_cell(display or widget, *labels)
        caption_label = QLabel(caption)
        caption_label.setBuddy(widget)
        if span and self._col:
            self._next_row()
        self._grid.addWidget(caption_label, self._row, self._col * 2)
        self._grid.addWidget(cell, self._row, self._col * 2 + 1, 1, self._columns * 2 - 1 if span else 1)
        if span:
            self._next_row()
        else:
            self._col += 1
            if self._col >= self._columns:
                self._next_row()
        self.fields[key] = widget
        self.errors[key] = error
        self.captions[key] = caption
        self.caption_labels[key] = caption_label
        return error

    def add_widget_row(self, widget: QWidget) -> None:
        if self._col:
            self._next_row()
        self._grid.addWidget(widget, self._row, 0, 1, self._columns * 2)
        self._next_row()

    def _next_row(self) -> None:
        self._row += 1
        self._col = 0

    def register(self, key: str, widget: QWidget, caption: str) -> None:
        """Track a field placed by hand (e.g. a row of check boxes) that has no error label."""
        self.fields[key] = widget
        self.captions[key] = caption

    def add_live_check(self, key: str, check, complete=None) -> LiveCheck:
        """Check the field `key` while it is typed (see LiveCheck)."""
        self.live_checked.add(key)
        if complete is None:
            return LiveCheck(self.fields[key], self.errors[key], check)
        return LiveCheck(self.fields[key], self.errors[key], check, complete)
