"""延期办理: extending an accepted matter's handling period (2022 Regulations art. 34).

At most 30 days in all, with a reason the visitor is told in writing. Recorded as an
`extended` event, which the lifecycle state machine (a later issue) builds on.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.models import Matter, MatterEvent

from . import vocab
from .errors import FieldError, NotFound, ValidationFailed
from .events import append_event

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
    def __init__(self, engine: Engine, max_days: Callable[[], int] = lambda: MAX_EXTENSION_DAYS):
        self.engine = engine
        self.max_days = max_days  # from the selected deadline rule set

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

    def extend(self, number: str, days: int, reason: str, *, actor: str = "") -> Extension:
        """Record an extension; refused (nothing written) unless the matter was accepted."""
        with Session(self.engine) as s, s.begin():
            matter = s.scalar(select(Matter).where(Matter.number == number))
            if matter is None:
                raise NotFound(f"未找到信访件“{number}”")
            if matter.decision != vocab.DECISION_ACCEPT:
                raise ValidationFailed(
                    [FieldError("extension", "只有已受理的信访事项才能延期办理（《信访工作条例》第三十四条）")]
                )
            previous = self.current(number)
            check_extension(Extension(days, reason), previous.days if previous else 0, self.max_days())
            append_event(
                s,
                station_code=matter.station_code,
                matter_id=matter.id,
                kind=EXTENDED,
                payload={"days": days, "reason": reason.strip()},
                actor=actor,
                at=datetime.now().replace(microsecond=0),
            )
        return self.current(number)  # type: ignore[return-value]
