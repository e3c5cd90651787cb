"""What a matter's event log says has happened to it: the dates its clocks run from.

Folding the log (never a mutable row) is the source of truth; `caches.py` writes the few
values lists need to filter on back onto the matter row.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from app.models import Matter, MatterEvent

from .. import vocab


@dataclass
class MatterFacts:
    number: str
    status: str
    registered_on: date
    decision: str | None = None
    decided_on: date | None = None
    unit: str = ""
    accepted_on: date | None = None
    extension_days: int = 0
    replied_on: date | None = None
    review_requested_on: date | None = None
    review_decided_on: date | None = None
    recheck_requested_on: date | None = None
    recheck_decided_on: date | None = None
    closed_on: date | None = None
    evaluations: dict[str, str] = field(default_factory=dict)  # target → result
    evaluated_on: date | None = None
    owner: str = ""
    last_step_on: date | None = None  # the latest dated step: later steps may not be dated before it

    @property
    def answered_on(self) -> date | None:
        """When the visitor got an answer: the written reply, or the desk's on-the-spot answer."""
        if self.decision == vocab.DECISION_ON_SPOT:
            return self.decided_on
        return self.replied_on

    def evaluation_targets(self) -> tuple[str, ...]:
        """Who can be evaluated: the petition office always; the responsible unit when one handled it."""
        if self.decision == vocab.DECISION_ON_SPOT:
            return (vocab.EVALUATION_TARGETS[0],)
        return vocab.EVALUATION_TARGETS


# The event kinds `fold` reads (the big `registered` payload is not among them).
FACT_KINDS = ("decided", "accepted", "extended", "replied", "review_requested", "review_decided",
              "recheck_requested", "recheck_decided", "closed", "evaluated", "owned")


def _day(payload: dict, event: MatterEvent) -> date:
    raw = payload.get("date")
    return date.fromisoformat(raw) if raw else event.occurred_at.date()


def fold(matter: Matter, events: list[MatterEvent]) -> MatterFacts:  # or rows with the same attributes
    """The facts of one matter from its events, in log order."""
    f = MatterFacts(matter.number, matter.status, matter.registered_at.date(), unit=matter.decision_unit_name)
    f.last_step_on = f.registered_on
    for e in events:
        if e.kind not in FACT_KINDS:
            continue
        p = json.loads(e.payload or "{}")
        on = _day(p, e)
        kind = e.kind
        if kind == "decided":
            f.decision, f.decided_on = p.get("decision") or None, on
            f.unit = p.get("unit", "") or f.unit
            if f.decision == vocab.DECISION_ACCEPT:
                f.accepted_on = on  # accepted at the desk: its handling clock starts that day
        elif kind == "accepted":
            f.accepted_on = on
            f.unit = p.get("unit", "") or f.unit
        elif kind == "extended":
            f.extension_days += int(p.get("days", 0))
        elif kind == "replied":
            f.replied_on = on
        elif kind == "review_requested":
            f.review_requested_on = on
        elif kind == "review_decided":
            f.review_decided_on = on
        elif kind == "recheck_requested":
            f.recheck_requested_on = on
        elif kind == "recheck_decided":
            f.recheck_decided_on = on
        elif kind == "closed":
            f.closed_on = on
        elif kind == "evaluated":
            f.evaluations[p.get("target", "")] = p.get("result", "")
            f.evaluated_on = on
        elif kind == "owned":
            f.owner = p.get("leader", "")
        if kind not in ("evaluated", "owned"):
            f.last_step_on = max(f.last_step_on, on)
    return f
