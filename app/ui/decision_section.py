"""处理 section: what the desk decided on the spot; only the details a decision needs are enabled."""
from __future__ import annotations

from collections.abc import Sequence

from app.services import vocab

from .form_fields import ChoiceCombo, TextCombo, length_check, make_line_edit, make_text_edit
from .form_section import FormSection

DECISION = "decision"
UNIT, REASON, CHANNEL, NOTE = (
    "decision_detail.unit",
    "decision_detail.reason",
    "decision_detail.channel",
    "decision_detail.note",
)
NO_DECISION_TEXT = "（暂不处理）"


class DecisionSection(FormSection):
    def __init__(self, units: Sequence[str] = (), parent=None):
        super().__init__("处理", columns=2, parent=parent)
        self.decision_combo = ChoiceCombo([(NO_DECISION_TEXT, ""), *vocab.DECISIONS])
        self.unit_combo = TextCombo(units, placeholder="转送、交办的去向单位")
        self.reason_edit = make_text_edit("不予受理、不再受理的理由（将载入告知书）", height=50)
        self.channel_combo = ChoiceCombo(vocab.LEGAL_CHANNELS, placeholder="请选择")
        self.note_edit = make_line_edit("说明（可选）")

        self.add_field(DECISION, "处理方式", self.decision_combo)
        self.add_field(UNIT, "去向单位", self.unit_combo)
        self.add_field(REASON, "理由", self.reason_edit, span=True)
        self.add_field(CHANNEL, "法定途径", self.channel_combo)
        self.add_field(NOTE, "说明", self.note_edit)

        self.add_live_check(REASON, length_check("理由", vocab.MAX_REASON))
        self.add_live_check(NOTE, length_check("说明", vocab.MAX_REASON))
        self.decision_combo.currentIndexChanged.connect(self._on_decision_changed)
        self._on_decision_changed()

    def set_units(self, units: Sequence[str]) -> None:
        self.unit_combo.set_items(units)

    def _on_decision_changed(self, *_args) -> None:
        decision = self.decision_combo.value()
        needs = {
            UNIT: decision in vocab.DECISION_NEEDS_UNIT,
            REASON: decision in vocab.DECISION_NEEDS_REASON,
            CHANNEL: decision in vocab.DECISION_NEEDS_CHANNEL,
            NOTE: bool(decision),
        }
        for key, enabled in needs.items():
            self.fields[key].setEnabled(enabled)
            if not enabled:
                self.errors[key].clear_message()

    def detail_value(self, key: str, value: str) -> str:
        """The value to submit: details the chosen decision does not use are left out."""
        return value if self.fields[key].isEnabled() else ""
