"""The keyboard-first registration form: the visitors (信访人 + Ctrl+N blocks), one matter, saved in one call.

Layout lives in the section classes; this module holds the behaviour: building the
`RegistrationInput`, showing the service's messages at their fields, Enter-to-advance,
Ctrl+S / Esc, and the draft file that keeps typed text across crashes.
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.context import DeskServices
from app.services.errors import ValidationFailed
from app.services.storage_errors import classify
from app.services.registration import PetitionerInput, RegistrationInput

from . import decision_section as ds
from . import matter_section as ms
from . import petitioner_section as ps
from . import visit_section as vs
from .banner import Banner
from .decision_section import DecisionSection
from .draft_store import DraftStore
from .extra_petitioners import ExtraPetitioners, petitioner_index
from .field_error import FieldErrorLabel
from .form_fields import change_signal, read_value, write_value
from .form_section import FormSection
from .matter_section import MatterSection
from .petitioner_section import PetitionerSection
from .repeat_link import RepeatLink
from .visit_section import VisitSection

logger = logging.getLogger(__name__)

REPEAT_OF = "repeat_of"
DRAFT_FILE = "draft.json"
DRAFT_DELAY_MS = 1000
DISCARD_QUESTION = "放弃本次登记？已填写的内容将被清空"
RESTORED_MESSAGE = "已恢复未保存的登记内容"
SAVE_FAILED_MESSAGE = "保存失败（数据库暂时无法写入），已填写的内容已保留，请稍后再按 Ctrl+S 保存；如反复出现请联系管理员"
SAVE_KEPT_MESSAGE = "已填写的内容已保留，处理后请再按 Ctrl+S 保存"
ADD_PETITIONER_KEY = "Ctrl+N"
REMOVE_PETITIONER_KEY = "Ctrl+Shift+Del"
# Service error keys that have no field of their own, shown at the nearest field.
_FALLBACK_FIELDS = {"petitioners": ps.NAME}


class RegistrationForm(QWidget):
    """Emits `sig_saved(number)` after a matter was registered (the form is then empty again)."""

    sig_saved = Signal(str)

    def __init__(self, services: DeskServices, actor: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("registration_form")
        self.services = services
        self.actor = actor
        station = services.stations.require()

        self.banner = Banner()
        self.petitioner = PetitionerSection()
        self.extra_petitioners = ExtraPetitioners()
        self.visit = VisitSection(station.collective_threshold, station.max_representatives)
        self.matter = MatterSection(services.tree)
        self.decision = DecisionSection(services.stations.units())
        self.repeat_link = RepeatLink()
        repeat_section = FormSection("重复访", columns=1)
        repeat_section.add_field(REPEAT_OF, "重复访", self.repeat_link, span=True)
        self.sections = [self.petitioner, self.visit, self.matter, self.decision, repeat_section]

        self.save_button = QPushButton("保存登记（Ctrl+S）")
        self.save_button.setObjectName("save_button")
        self.discard_button = QPushButton("放弃（Esc）")
        self.discard_button.setObjectName("discard_button")
        self._build_layout()

        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, FieldErrorLabel] = {}
        self.captions: dict[str, str] = {}
        self._live_checked: set[str] = set()
        self._collect_fields()
        # 来信 retitles 信访日期 as 邮戳日期: keep the name used in the error summary in step.
        self.visit.form_combo.currentIndexChanged.connect(lambda *_: self.captions.update(self.visit.captions))

        guard = services.guard
        self._draft = DraftStore(services.data_dir / DRAFT_FILE, guard.cipher if guard.current else None)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self._write_draft)
        self._loading = False

        self._set_tab_order()
        for key, widget in self.fields.items():
            change_signal(widget).connect(lambda *_args, k=key: self._on_field_changed(k))
        self.extra_petitioners.sig_field_changed.connect(self._on_field_changed)
        self.extra_petitioners.sig_blocks_changed.connect(self._on_blocks_changed)
        self.extra_petitioners.sig_block_removed.connect(self._on_block_removed)
        self.extra_petitioners.add_button.clicked.connect(self.add_petitioner)
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.request_discard)
        for widget in self.fields.values():
            if hasattr(widget, "sig_chosen"):  # picked from a suggestion list: move on
                widget.sig_chosen.connect(lambda _text: self.focusNextChild())
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.Save, self, self.save, context)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.request_discard, context)
        QShortcut(QKeySequence(ADD_PETITIONER_KEY), self, self.add_petitioner, context)
        QShortcut(QKeySequence(REMOVE_PETITIONER_KEY), self, self.remove_focused_petitioner, context)

        self.reset()
        self._restore_draft()

    # --- layout ----------------------------------------------------------------

    def _build_layout(self) -> None:
        content = QWidget()
        content.setObjectName("registration_content")
        column = QVBoxLayout(content)
        for section in self.sections:
            column.addWidget(section)
            if section is self.petitioner:
                column.addWidget(self.extra_petitioners)
        column.addStretch(1)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setWidget(content)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.banner)
        box.addWidget(self._scroll, 1)
        box.addLayout(buttons)

    def _collect_fields(self) -> None:
        """All fields in Tab order: the primary petitioner, the extra blocks, then the other sections."""
        extra = self.extra_petitioners
        self.fields, self.errors, self.captions, self._live_checked = {}, {}, {}, set()
        for section in self.sections:
            self.fields.update(section.fields)
            self.errors.update(section.errors)
            self.captions.update(section.captions)
            self._live_checked |= section.live_checked
            if section is self.petitioner:
                self.fields.update(extra.fields())
                self.errors.update(extra.errors())
                self.captions.update(extra.captions())
                self._live_checked |= extra.live_checked()

    def _set_tab_order(self) -> None:
        chain = [_focus_target(w) for w in self.fields.values()] + [self.discard_button, self.save_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        for widget in chain:
            widget.installEventFilter(self)

    # --- values ----------------------------------------------------------------

    def defaults(self) -> dict[str, Any]:
        return {
            vs.FORM: "走访",
            vs.PETITION_DATE: date.today().isoformat(),
            vs.HEADCOUNT: 1,
            vs.ATTACHMENTS: [],
            ps.ID_TYPE: "居民身份证",
            **{flag: False for flag in ms.FLAGS},
            **self.extra_petitioners.defaults(),
        }

    def values(self) -> dict[str, Any]:
        """Every field as typed (this is also what the draft file holds)."""
        return {key: read_value(widget) for key, widget in self.fields.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill the form from `values`; the extra petitioner blocks are recreated to match its keys."""
        self._loading = True
        try:
            indexes = [i for i in map(petitioner_index, values) if i]
            self.extra_petitioners.set_count(max(indexes, default=0))
            for key, widget in self.fields.items():
                if key in values:
                    write_value(widget, values[key])
        finally:
            self._loading = False

    def is_blank(self) -> bool:
        """Nothing typed yet (the date alone does not count)."""
        defaults = self.defaults()
        for key, value in self.values().items():
            if key == vs.PETITION_DATE:
                continue
            if value != defaults.get(key, ""):
                return False
        return True

    def build_input(self) -> RegistrationInput:
        v = self.values()
        person = PetitionerInput(
            name=v[ps.NAME],
            id_type=v[ps.ID_TYPE],
            id_number=v[ps.ID_NUMBER],
            gender=v[ps.GENDER],
            birth_date=v[ps.BIRTH_DATE],
            ethnicity=v[ps.ETHNICITY],
            phone=v[ps.PHONE],
            address=v[ps.ADDRESS],
            division_code=v[ps.DIVISION_CODE],
        )
        detail = self.decision.detail_value
        return RegistrationInput(
            form=v[vs.FORM],
            petition_date=v[vs.PETITION_DATE],
            petitioners=[person, *self.extra_petitioners.inputs()],
            headcount=v[vs.HEADCOUNT],
            representatives=self.visit.representatives(),
            matter_class=v[ms.MATTER_CLASS],
            content_class=v[ms.CONTENT_CLASS],
            title=v[ms.TITLE],
            request=v[ms.REQUEST],
            facts=v[ms.FACTS],
            location_code=v[ms.LOCATION_CODE],
            location=v[ms.LOCATION],
            skip_level=v["skip_level"],
            litigation_related=v["litigation_related"],
            major_urgent=v["major_urgent"],
            decision=v[ds.DECISION],
            decision_unit=detail(ds.UNIT, v[ds.UNIT]),
            decision_reason=detail(ds.REASON, v[ds.REASON]),
            decision_channel=detail(ds.CHANNEL, v[ds.CHANNEL]),
            decision_note=detail(ds.NOTE, v[ds.NOTE]),
            repeat_of=v[REPEAT_OF],
            attachments=list(v[vs.ATTACHMENTS]),
            receiver_leader=v[vs.RECEIVER_LEADER],
        )

    def set_repeat_of(self, number: str) -> None:
        self.repeat_link.set_value(number)

    def refresh_leaders(self, day: date | None = None) -> None:
        """Reload the 接访领导 list (the leaders on duty on `day`, default today, first), keeping the field's value."""
        self.visit.leader_combo.set_choices(self.services.leaders.receiver_choices(day or date.today()))

    def add_petitioner(self) -> None:
        """Ctrl+N: one more fully described petitioner; its 姓名 gets the focus."""
        block = self.extra_petitioners.add_block()
        block.name_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def remove_focused_petitioner(self) -> None:
        """Ctrl+Shift+Del in an extra block removes that block (the button does the same)."""
        block = self.extra_petitioners.block_of(QApplication.focusWidget())
        if block is not None:
            self.extra_petitioners.remove_block(block)

    # --- actions -----------------------------------------------------------------

    def save(self) -> str | None:
        """Register the matter; on refusal show every message at its field and keep all values."""
        self.clear_errors()
        try:
            result = self.services.registration.register(self.build_input(), actor=self.actor)
        except ValidationFailed as failure:
            self._show_failure(failure)
            return None
        except Exception as exc:  # database locked, disk full…: keep the form and the draft
            logger.exception("registration failed")
            self._write_draft()
            problem = classify(exc)  # disk full / read-only data folder: say which, and what to do
            self.banner.show_message(f"{problem.message()}。{SAVE_KEPT_MESSAGE}" if problem else SAVE_FAILED_MESSAGE,
                                     "error")
            return None
        self._draft_timer.stop()
        self._draft.delete()
        self.decision.set_units(self.services.stations.units())
        self.reset()
        message = f"已登记：{result.number}"
        if result.warnings:
            message += "。提醒：" + "；".join(w.message for w in result.warnings)
        self.banner.show_message(message, "warning" if result.warnings else "success")
        self.focus_first_field()
        self.sig_saved.emit(result.number)
        return result.number

    def request_discard(self) -> bool:
        """Esc: after confirmation, empty the form and drop the draft. Returns True if cleared."""
        if self.is_blank():
            self.banner.clear_message()
            self.clear_errors()
            if self.extra_petitioners.blocks:  # empty blocks: drop them too
                self.reset()
            return True
        if not self.confirm_discard():
            return False
        self._draft_timer.stop()
        self._draft.delete()
        self.reset()
        self.banner.clear_message()
        self.focus_first_field()
        return True

    def confirm_discard(self) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "放弃登记",
            DISCARD_QUESTION,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("discard_confirm")
        box.button(QMessageBox.StandardButton.Yes).setText("是，清空")
        box.button(QMessageBox.StandardButton.No).setText("否，继续填写")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.exec()
        return box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)

    def reset(self) -> None:
        """Empty every field (defaults for 形式, 日期, 人数, 证件类型) and every message."""
        self.refresh_leaders()  # today's on-duty leaders (the date or the schedule may have changed)
        self.set_values({})  # drops the extra petitioner blocks
        defaults = self.defaults()
        self.set_values({key: defaults.get(key, "") for key in self.fields})
        self.petitioner.reset_autofill()
        self.clear_errors()

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear_message()

    def focus_first_field(self) -> None:
        self.petitioner.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def flush_draft(self) -> None:
        """Write a pending draft now (on quit)."""
        if self._draft_timer.isActive():
            self._draft_timer.stop()
            self._write_draft()

    # --- messages ----------------------------------------------------------------

    def _show_failure(self, failure: ValidationFailed) -> None:
        by_field = failure.by_field()
        unplaced: list[str] = []
        shown: set[str] = set()
        for key, message in by_field.items():
            target = self._error_target(key)
            label = self.errors.get(target)
            if label is None:
                unplaced.append(message)
                continue
            label.show_message(f"{label.message}；{message}" if target in shown else message)
            shown.add(target)
        summary = f"有{len(by_field)}处需要修改"
        names = [self.captions[k] for k in self.fields if k in shown]
        if names:
            summary += "：" + "、".join(names)
        if unplaced:
            summary += "。" + "；".join(unplaced)
        self.banner.show_message(summary, "error")
        first = next((k for k in self.fields if k in shown), None)
        if first is not None:
            _focus_target(self.fields[first]).setFocus(Qt.FocusReason.OtherFocusReason)

    def _error_target(self, key: str) -> str:
        """The field whose label shows the service's message for `key`."""
        if key in self.errors:
            return key
        if key.startswith(vs.ATTACHMENTS + "["):  # attachments[1]: shown at the list of files
            return vs.ATTACHMENTS
        index = petitioner_index(key)
        if index:  # e.g. 性别 of 信访人2, which has no field of its own: shown at its 证件号码
            fallback = f"petitioners[{index}].id_number"
            return fallback if fallback in self.errors else ""
        return _FALLBACK_FIELDS.get(key, "")

    # --- draft ---------------------------------------------------------------------

    def _restore_draft(self) -> None:
        values = self._draft.load()
        if not values:
            return
        self.set_values(values)
        if self.is_blank():
            self._draft.delete()
            if self.extra_petitioners.blocks:  # only empty blocks were saved
                self.reset()
            return
        self.banner.show_message(RESTORED_MESSAGE, "info")

    def _write_draft(self) -> None:
        if self.is_blank():
            self._draft.delete()
        else:
            self._draft.save(self.values())

    # --- slots -----------------------------------------------------------------------

    def _on_blocks_changed(self) -> None:
        self._collect_fields()
        self._set_tab_order()
        if not self._loading:
            self._draft_timer.start()

    def _on_block_removed(self, index: int) -> None:
        blocks = self.extra_petitioners.blocks
        if blocks:
            target = blocks[min(index, len(blocks)) - 1].name_edit
        else:
            target = self.petitioner.name_edit
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_field_changed(self, key: str) -> None:
        if self._loading:
            return
        if key not in self._live_checked and key in self.errors:
            self.errors[key].clear_message()
        if key == ds.DECISION:
            for detail in (ds.UNIT, ds.REASON, ds.CHANNEL):
                self.errors[detail].clear_message()
        self._draft_timer.start()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        """Enter in a one-line field moves on (fields ignore Enter, so it arrives here); on a button it clicks."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            focus = QApplication.focusWidget()
            if isinstance(focus, QPushButton) and self.isAncestorOf(focus):
                focus.click()
            else:
                self.focusNextChild()
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.FocusIn and isinstance(obj, QWidget):
            self._scroll.ensureWidgetVisible(obj, 20, 20)
        return False


def _focus_target(widget: QWidget) -> QWidget:
    if isinstance(widget, QComboBox):
        return widget
    return widget.focusProxy() or widget

