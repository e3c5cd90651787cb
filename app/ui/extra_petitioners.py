"""More fully described petitioners (信访人2, 信访人3, …) below the primary 信访人 section.

Each block is compact (姓名, 证件类型, 证件号码, 联系电话, 住址) and checks its fields while
typed with the same functions as the primary section; gender and birth date are left to
the service, which takes them from the ID number. Field keys follow the service's error
keys, `petitioners[<i>].<field>` with i ≥ 1, so refusals land at the right block.
"""
from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.services.registration import PetitionerInput
from app.services.validation import ID_TYPES

from .field_error import FieldErrorLabel, FieldWarningLabel
from .form_fields import ChoiceCombo, change_signal, make_line_edit, read_value, write_value
from .form_section import FormSection
from .petitioner_section import add_identity_checks

ADD_CAPTION = "添加信访人（Ctrl+N）"
REMOVE_CAPTION = "移除"
DEFAULT_ID_TYPE = "居民身份证"
_KEY = re.compile(r"^petitioners\[(\d+)\]\.")


def prefix(index: int) -> str:
    return f"petitioners[{index}]."


def petitioner_index(key: str) -> int | None:
    """`petitioners[2].phone` -> 2; None for any other key."""
    match = _KEY.match(key)
    return int(match.group(1)) if match else None


class ExtraPetitionerBlock(FormSection):
    """One more petitioner; `index` is its place in `RegistrationInput.petitioners` (1 = 信访人2)."""

    sig_remove_requested = Signal(object)
    #: A field was changed (its key), for the form's draft and message clearing.
    sig_field_changed = Signal(str)

    def __init__(self, index: int, parent: QWidget | None = None):
        super().__init__(f"信访人{index + 1}", columns=2, parent=parent)
        self.setObjectName(f"petitioner_block_{index}")
        self.index = index
        p = prefix(index)
        self.name_edit = make_line_edit("姓名")
        self.id_type_combo = ChoiceCombo(ID_TYPES)
        self.id_number_edit = make_line_edit("18位身份证号码")
        self.phone_edit = make_line_edit("手机或区号-号码")
        self.address_edit = make_line_edit("住址")
        self.id_warning = FieldWarningLabel(p + "id_number")
        self.remove_button = QPushButton(REMOVE_CAPTION)
        self.remove_button.setObjectName(f"remove_petitioner_{index}")
        # Out of the Tab/Enter chain: Enter must never remove a block by accident.
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.remove_button.setToolTip(f"移除信访人{index + 1}（Ctrl+Shift+Del；后面的信访人依次前移）")

        self.add_field(p + "name", "姓名", self.name_edit)
        self.add_field(p + "id_type", "证件类型", self.id_type_combo)
        self.add_field(p + "id_number", "证件号码", self.id_number_edit, span=True, warning=self.id_warning)
        self.add_field(p + "phone", "联系电话", self.phone_edit)
        self.add_field(p + "address", "住址", self.address_edit)
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addStretch(1)
        box.addWidget(self.remove_button)
        self.add_widget_row(row)
        for key in self.captions:  # the banner names the block too: "信访人2证件号码"
            self.captions[key] = f"信访人{index + 1}{self.captions[key]}"

        self._id_check = add_identity_checks(self, p, self.id_type_combo, self.id_number_edit, self.id_warning)
        self.remove_button.clicked.connect(lambda: self.sig_remove_requested.emit(self))
        for key, widget in self.fields.items():
            change_signal(widget).connect(lambda *_args, k=key: self.sig_field_changed.emit(k))

    def defaults(self) -> dict[str, Any]:
        return {prefix(self.index) + "id_type": DEFAULT_ID_TYPE}

    def field_values(self) -> dict[str, Any]:
        """Values keyed by field name only (name, id_type, …), independent of the block's place."""
        p = prefix(self.index)
        return {key[len(p):]: read_value(widget) for key, widget in self.fields.items()}

    def set_field_values(self, values: dict[str, Any]) -> None:
        p = prefix(self.index)
        for key, widget in self.fields.items():
            name = key[len(p):]
            if name in values:
                write_value(widget, values[name])

    def to_input(self) -> PetitionerInput:
        v = self.field_values()
        return PetitionerInput(
            name=v["name"], id_type=v["id_type"], id_number=v["id_number"], phone=v["phone"], address=v["address"]
        )


class ExtraPetitioners(QWidget):
    """The list of extra blocks and the 添加信访人 button.

    `sig_blocks_changed` is emitted after blocks were added or removed (the form then
    re-collects its fields and the Tab order); `sig_block_removed(index)` after the
    user removed the block that was at `index`; `sig_field_changed(key)` on any edit.
    """

    sig_blocks_changed = Signal()
    sig_block_removed = Signal(int)
    sig_field_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("extra_petitioners")
        self.blocks: list[ExtraPetitionerBlock] = []
        self._column = QVBoxLayout()
        self._column.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(ADD_CAPTION)
        self.add_button.setObjectName("add_petitioner_button")
        self.add_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+N from anywhere in the form
        self.add_button.setToolTip("再登记一位带证件的信访人（如夫妻同来）")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(self._column)
        box.addLayout(buttons)

    # --- blocks ------------------------------------------------------------------

    def add_block(self, values: dict[str, Any] | None = None) -> ExtraPetitionerBlock:
        block = self._append(values)
        self.sig_blocks_changed.emit()
        return block

    def remove_block(self, block: ExtraPetitionerBlock) -> None:
        """Drop one block; the ones after it move up and are renumbered (their messages are cleared)."""
        if block not in self.blocks:
            return
        index = block.index
        kept = [b.field_values() for b in self.blocks if b is not block]
        self._drop_all()
        for values in kept:
            self._append(values)
        self.sig_blocks_changed.emit()
        self.sig_block_removed.emit(index)

    def block_of(self, widget: QWidget | None) -> ExtraPetitionerBlock | None:
        """The block holding `widget` (e.g. the focus), if any."""
        return next((b for b in self.blocks if widget is not None and b.isAncestorOf(widget)), None)

    def set_count(self, n: int) -> None:
        """Exactly `n` blocks (new ones empty); used when restoring a draft."""
        if n == len(self.blocks):
            return
        while len(self.blocks) > n:
            self._drop(self.blocks[-1])
        while len(self.blocks) < n:
            self._append(None)
        self.sig_blocks_changed.emit()

    def clear(self) -> None:
        self.set_count(0)

    # --- merged views ------------------------------------------------------------

    def fields(self) -> dict[str, QWidget]:
        return {k: w for b in self.blocks for k, w in b.fields.items()}

    def errors(self) -> dict[str, FieldErrorLabel]:
        return {k: e for b in self.blocks for k, e in b.errors.items()}

    def captions(self) -> dict[str, str]:
        return {k: c for b in self.blocks for k, c in b.captions.items()}

    def live_checked(self) -> set[str]:
        return {k for b in self.blocks for k in b.live_checked}

    def defaults(self) -> dict[str, Any]:
        return {k: v for b in self.blocks for k, v in b.defaults().items()}

    def inputs(self) -> list[PetitionerInput]:
        return [b.to_input() for b in self.blocks]

    # --- internals ---------------------------------------------------------------

    def _append(self, values: dict[str, Any] | None) -> ExtraPetitionerBlock:
        block = ExtraPetitionerBlock(len(self.blocks) + 1)
        block.set_field_values({"id_type": DEFAULT_ID_TYPE, **(values or {})})
        block.sig_remove_requested.connect(self.remove_block)
        block.sig_field_changed.connect(self.sig_field_changed)
        self._column.addWidget(block)
        block.show()  # now, not on the next event loop turn: Ctrl+N then Enter must find it
        self.blocks.append(block)
        return block

    def _drop(self, block: ExtraPetitionerBlock) -> None:
        self.blocks.remove(block)
        self._column.removeWidget(block)
        block.hide()
        block.deleteLater()

    def _drop_all(self) -> None:
        for block in list(self.blocks):
            self._drop(block)
