"""Write the clock values lists filter on (next deadline, evaluation window) onto the matter row."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Matter, MatterEvent

from .. import vocab
from ..deadline_rules import RuleSet
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
    for key, value in clock_values(facts, service).items():
        setattr(matter, key, value)
    return facts


def clock_values(facts: MatterFacts, service: DeadlineService, rules: RuleSet | None = None) -> dict:
    """The matter columns that cache its clocks (pass `rules` when doing many matters at once)."""
    items = deadlines(facts, service, rules)
    upcoming = next_office_deadline(facts, items)
    due = {d.rule: d.due for d in items}
    return {
        "next_due": upcoming.due if upcoming else None,
        "next_due_rule": upcoming.rule if upcoming else "",
        "evaluation_due": evaluation_due(facts, items),
        "decided_on": facts.decided_on,
        "accepted_on": facts.accepted_on,
        "replied_on": facts.answered_on,
        "notify_due": due.get("notify"),
        "conclude_due": due.get("conclude"),
        "evaluate_by": due.get("evaluate"),
        "eval_office": facts.evaluations.get(vocab.EVALUATION_TARGETS[0], ""),
        "eval_unit": facts.evaluations.get(vocab.EVALUATION_TARGETS[1], ""),
    }
