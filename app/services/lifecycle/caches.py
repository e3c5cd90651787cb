"""Write the clock values lists filter on (next deadline, evaluation window) onto the matter row."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Matter, MatterEvent

from ..deadlines import DeadlineService
from .clocks import deadlines, evaluation_due, next_office_deadline
from .facts import MatterFacts, fold


def facts_of(s: Session, matter: Matter) -> MatterFacts:
    events = s.scalars(
        select(MatterEvent).where(MatterEvent.matter_id == matter.id).order_by(MatterEvent.station_seq)
    ).all()
    return fold(matter, list(events))


def refresh_caches(s: Session, matter: Matter, service: DeadlineService) -> MatterFacts:
    """Recompute the matter's cached clocks from its log (call inside the writing transaction)."""
    s.flush()
    facts = facts_of(s, matter)
    items = deadlines(facts, service)
    upcoming = next_office_deadline(facts, items)
    matter.next_due = upcoming.due if upcoming else None
    matter.next_due_rule = upcoming.rule if upcoming else ""
    matter.evaluation_due = evaluation_due(facts, items)
    return facts
