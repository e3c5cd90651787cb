"""The desk decision (spec §1.5–§1.6): which details each way of handling needs, and the unit row.

Shared by registration (decided at the desk while registering) and the lifecycle's `decide`
action (decided later for a matter registered without one).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ResponsibleUnit

from . import vocab
from .errors import FieldError
from .validation import check_text


@dataclass(frozen=True)
class Decision:
    decision: str | None  # None: registered without a decision
    unit: str = ""
    reason: str = ""
    channel: str = ""
    note: str = ""

    def payload(self) -> dict[str, str]:
        """The `decided` event's payload."""
        return {"decision": self.decision or "", "unit": self.unit, "reason": self.reason,
                "channel": self.channel, "note": self.note}


def _text(errors: list[FieldError], key: str, value: str, label: str, max_len: int) -> str:
    cleaned, error = check_text(value or "", label, required=False, max_len=max_len)
    if error:
        errors.append(FieldError(key, error))
    return cleaned


def check_decision(
    decision: str, unit: str = "", reason: str = "", channel: str = "", note: str = "", *, required: bool = False
) -> tuple[Decision, list[FieldError]]:
    """The cleaned decision and every problem with it (field keys as on the registration form)."""
    errors: list[FieldError] = []
    decision = (decision or "").strip()
    if not decision:
        if required:
            errors.append(FieldError("decision", "请选择处理方式"))
        return Decision(None, note=(note or "").strip()), errors
    if decision not in vocab.DECISIONS:
        errors.append(FieldError("decision", f"处理方式“{decision}”无效，可选：{'、'.join(vocab.DECISIONS)}"))
        return Decision(None), errors
    unit = _text(errors, "decision_detail.unit", unit, "去向单位", vocab.MAX_UNIT)
    reason = _text(errors, "decision_detail.reason", reason, "理由", vocab.MAX_REASON)
    note = _text(errors, "decision_detail.note", note, "说明", vocab.MAX_REASON)
    channel = (channel or "").strip()
    if decision in vocab.DECISION_NEEDS_UNIT and not unit:
        errors.append(FieldError("decision_detail.unit", f"{decision}须填写去向单位"))
    if decision in vocab.DECISION_NEEDS_REASON and not reason:
        errors.append(FieldError("decision_detail.reason", f"{decision}须填写理由，告知书上将载明"))
    if decision in vocab.DECISION_NEEDS_CHANNEL:
        if not channel:
            errors.append(FieldError("decision_detail.channel", f"{decision}须告知信访人应通过的法定途径"))
        elif channel not in vocab.LEGAL_CHANNELS:
            errors.append(
                FieldError("decision_detail.channel", f"法定途径“{channel}”无效，可选：{'、'.join(vocab.LEGAL_CHANNELS)}")
            )
    return Decision(decision, unit, reason, channel, note), errors


def unit_id_for(s: Session, name: str) -> int | None:
    """The responsible unit's id, adding the unit the first time a desk names it."""
    if not name:
        return None
    unit = s.scalar(select(ResponsibleUnit).where(ResponsibleUnit.name == name))
    if unit is None:
        unit = ResponsibleUnit(name=name, active=True)
        s.add(unit)
        s.flush()
    return unit.id
