"""One step in a matter's life after the desk (答复, 复查决定, 满意度评价, …), as a form built from the action table.

The fields come from `ActionSpec.fields`, so the dialog, the CLI and the service checks share
one definition. The service decides: its refusals are shown in red under the field they name,
and the dialog stays open with everything typed kept. Keyboard: Enter moves to the next field
(Shift+Enter is a new line in long text), Ctrl+Enter confirms, Esc cancels.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services import vocab
from app.services.context import DeskServices
from app.services.errors import NotFound, ValidationFailed
from app.services.lifecycle import ACTIONS, ActResult, FieldSpec, LifecycleView
from app.services.lifecycle.actions import CHOICE, DATE, DAYS, LEADER, LONG_TEXT

from .field_error import FieldErrorLabel, field_cell
from .form_fields import TextCombo
from .operator_field import OperatorEdit

EVALUATION_TITLE = "满意度评价"
DATE_PLACEHOLDER = "2026-01-31，留空为今天"
DAYS_RANGE = (1, 90)
KEYS_HINT = "回车：下一项　Ctrl+回车：确定　Esc：取消"
ACTION_ERROR = "action"
ACTOR_ERROR = "actor"
EVALUATED = "已评价"
PENDING = "待评价"
# The decision's detail fields and the decisions that need each (spec §1.5–§1.6).
DECISION_DETAIL = {
    "unit": vocab.DECISION_NEEDS_UNIT,
    "reason": vocab.DECISION_NEEDS_REASON,
    "channel": vocab.DECISION_NEEDS_CHANNEL,
}


def pending_targets(view: LifecycleView) -> list[str]:
    """Who may still be evaluated: those awaiting an evaluation; if none, those not evaluated
    (the service then explains why the window has closed)."""
    waiting = [e.target for e in view.evaluations if e.state == PENDING]
    return waiting or [e.target for e in view.evaluations if e.state != EVALUATED]


def read_input(widget: QWidget) -> str | int:
    if isinstance(widget, QComboBox):
        return widget.currentText().strip() if widget.isEditable() else widget.currentText()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QLineEdit):
        return widget.text()
    raise TypeError(f"no value for {type(widget).__name__}")


class ActionDialog(QDialog):
    """Performs `action_key` on the matter through `services.lifecycle`; accepted once it is recorded."""

    def __init__(self, services: DeskServices, number: str, action_key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.number = services, number
        self.spec = ACTIONS[action_key]
        self.view = services.lifecycle.view(number)
        self.result: ActResult | None = None
        self.inputs: dict[str, QWidget] = {}
        self.cells: dict[str, QWidget] = {}
        self.errors: dict[str, FieldErrorLabel] = {ACTION_ERROR: FieldErrorLabel(ACTION_ERROR)}
        self.setObjectName("action_dialog")
        title = EVALUATION_TITLE if self.spec.key == "evaluate" else self.spec.label
        self.setWindowTitle(f"{title} {number}")

        heading = QLabel(f"{title}　信访件 {number}（当前状态：{self.view.status}）")
        heading.setObjectName("action_heading")
        heading.setWordWrap(True)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field in self.spec.fields:
            widget = self._input_for(field)
            widget.setObjectName(f"field_{field.key}")
            # a decision's detail is shown only when the decision needs it, and then it is required
            optional = not field.required and not (self.spec.key == "decide" and field.key in DECISION_DETAIL)
            widget.setToolTip(field.label + ("（选填）" if optional else "（必填）"))
            self.inputs[field.key] = widget
            self.errors[field.key] = FieldErrorLabel(field.key)
            self.cells[field.key] = field_cell(widget, self.errors[field.key])
            self.form.addRow(field.label + ("（选填）" if optional else ""), self.cells[field.key])
        self.operator = OperatorEdit(services)
        self.errors[ACTOR_ERROR] = FieldErrorLabel(ACTOR_ERROR)
        self.form.addRow("经办人", field_cell(self.operator, self.errors[ACTOR_ERROR]))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确定")
        self.ok_button.setToolTip("Ctrl+回车")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        hint = QLabel(KEYS_HINT)
        hint.setStyleSheet("color: #666; font-size: 90%;")
        box = QVBoxLayout(self)
        box.addWidget(heading)
        box.addWidget(self.errors[ACTION_ERROR])
        box.addLayout(self.form)
        box.addWidget(hint)
        box.addWidget(self.buttons)

        for widget in [*self.inputs.values(), self.operator]:
            widget.installEventFilter(self)
            if isinstance(widget, QComboBox) and widget.lineEdit() is not None:
                widget.lineEdit().installEventFilter(self)
        if self.spec.key == "decide":
            self.inputs["decision"].currentTextChanged.connect(self._show_decision_detail)
            self._show_decision_detail()
        first = next(iter(self.inputs.values()), self.operator)
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(480, self.sizeHint().height())

    # --- building ------------------------------------------------------------------------

    def _input_for(self, field: FieldSpec) -> QWidget:
        if field.kind == CHOICE:
            combo = QComboBox()
            choices = pending_targets(self.view) if (self.spec.key, field.key) == ("evaluate", "target") else []
            combo.addItems(["", *(choices or field.choices)])
            if len(choices) == 1:  # only one left to evaluate: chosen already
                combo.setCurrentIndex(1)
            return combo
        if field.kind == LONG_TEXT:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(64)
            edit.setPlaceholderText("Shift+回车换行")
            return edit
        if field.kind == DATE:
            edit = QLineEdit()
            edit.setPlaceholderText(DATE_PLACEHOLDER)
            return edit
        if field.kind == DAYS:
            spin = QSpinBox()
            spin.setRange(*DAYS_RANGE)
            spin.setValue(30)
            spin.setSuffix(" 日")
            return spin
        if field.kind == LEADER:
            names = [leader.name for leader in self.services.leaders.list()]
            return TextCombo(names, placeholder="选择或输入领导姓名")
        edit = QLineEdit()
        edit.setMaxLength(field.max_len)
        return edit

    def _show_decision_detail(self, *_args) -> None:
        """Unit, reason and channel only when the chosen decision needs them."""
        decision = read_input(self.inputs["decision"])
        for key, needs in DECISION_DETAIL.items():
            self.form.setRowVisible(self.cells[key], decision in needs)
            if decision not in needs:
                self.errors[key].clear_message()

    # --- acting --------------------------------------------------------------------------

    def values(self) -> dict[str, str | int]:
        """What the form holds, keyed as the action's fields; hidden detail fields count as empty."""
        out: dict[str, str | int] = {}
        for key, widget in self.inputs.items():
            shown = self.spec.key != "decide" or key not in DECISION_DETAIL or self.form.isRowVisible(self.cells[key])
            out[key] = read_input(widget) if shown else ""
        return out

    def submit(self) -> bool:
        """Record the step; on refusal show each message at its field and keep the dialog open."""
        for label in self.errors.values():
            label.clear_message()
        try:
            self.result = self.services.lifecycle.perform(
                self.number, self.spec.key, self.values(), actor=self.operator.value()
            )
        except ValidationFailed as failure:
            self._show_errors(failure.by_field())
            return False
        except NotFound as exc:
            self.errors[ACTION_ERROR].show_message(str(exc))
            return False
        self.operator.remember()
        self.accept()
        return True

    def _show_errors(self, messages: dict[str, str]) -> None:
        first: QWidget | None = None
        for key, message in messages.items():
            label = self.errors.get(key)
            if label is None or (key in self.cells and not self.form.isRowVisible(self.cells[key])):
                label = self.errors[ACTION_ERROR]
            label.show_message(message)
            widget = self.operator if key == ACTOR_ERROR else self.inputs.get(key)
            if first is None and widget is not None and widget.isVisibleTo(self):
                first = widget
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- keyboard ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.KeyPress and self._handle_enter(event):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        """Ctrl+Enter confirms from anywhere in the dialog (a button too)."""
        if _is_enter(event) and _modifiers(event) == Qt.KeyboardModifier.ControlModifier:
            self.submit()
            event.accept()
            return
        super().keyPressEvent(event)

    def _handle_enter(self, event: QKeyEvent) -> bool:
        if not _is_enter(event):
            return False
        modifiers = _modifiers(event)
        if modifiers == Qt.KeyboardModifier.ControlModifier:
            self.submit()
            return True
        if modifiers == Qt.KeyboardModifier.NoModifier:
            self.focusNextChild()
            return True
        return False  # Shift+Enter: a new line in long text


def _is_enter(event: QKeyEvent) -> bool:
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _modifiers(event: QKeyEvent) -> Qt.KeyboardModifier:
    return event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


def show_action_dialog(services: DeskServices, number: str, action_key: str, parent: QWidget | None = None) -> ActionDialog:
    """Window-modal and non-blocking; it deletes itself when closed. Connect `accepted` to refresh."""
    dialog = ActionDialog(services, number, action_key, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
