"""延期办理: extending an accepted matter's handling period (2022 Regulations art. 34).

At most 30 days in all, with a reason the visitor is told in writing. Recorded by the
lifecycle's `extend` action as an `extended` event; this module keeps the rule and the total.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.models import Matter, MatterEvent

from .errors import FieldError, ValidationFailed

if TYPE_CHECKING:
    from .lifecycle import LifecycleService

EXTENDED = "extended"
MAX_EXTENSION_DAYS = 30  # national rule (art. 34); provincial rule sets may allow more


@dataclass(frozen=True)
class Extension:
    """A 延期办理 decision: at most 30 more days, with the reason told to the visitor (art. 34)."""

    days: int
    reason: str


def check_extension(extension: Extension, already: int = 0, max_days: int = MAX_EXTENSION_DAYS) -> None:
    errors = []
    left = max_days - already
    if left <= 0:
        errors.append(FieldError("extension.days", f"已延期{already}日，不能再延期（延长不得超过{max_days}日）"))
    elif not 1 <= extension.days <= left:
        errors.append(FieldError("extension.days", f"延期天数应为1至{left}日（延长期限累计不得超过{max_days}日）"))
    if not extension.reason.strip():
        errors.append(FieldError("extension.reason", "须写明延期理由，告知书上将载明"))
    if errors:
        raise ValidationFailed(errors)


class ExtensionService:
    def __init__(self, engine: Engine, lifecycle: LifecycleService):
        self.engine = engine
        self.lifecycle = lifecycle

    def max_days(self) -> int:
        """The most days all extensions of one matter may add up to, under the selected rule set."""
        return self.lifecycle.deadlines.rules().extend_max

    def current(self, number: str) -> Extension | None:
        """All extensions of the matter added up (None when it was never extended)."""
        with Session(self.engine) as s:
            payloads = s.scalars(
                select(MatterEvent.payload)
                .join(Matter, Matter.id == MatterEvent.matter_id)
                .where(Matter.number == number, MatterEvent.kind == EXTENDED)
                .order_by(MatterEvent.station_seq)
            ).all()
        if not payloads:
            return None
        items = [json.loads(p) for p in payloads]
        return Extension(days=sum(i["days"] for i in items), reason=items[-1]["reason"])

    def extend(self, number: str, days: int, reason: str, *, actor: str) -> Extension:
        """Record an extension through the lifecycle (refused, nothing written, unless it is being handled)."""
        try:
            self.lifecycle.perform(number, "extend", {"days": days, "reason": reason}, actor=actor)
        except ValidationFailed as exc:  # keyed as the extension dialog's fields
            keys = {"days": "extension.days", "reason": "extension.reason", "action": "extension"}
            raise ValidationFailed([FieldError(keys.get(e.field, e.field), e.message) for e in exc.errors]) from None
        return self.current(number)  # type: ignore[return-value]
