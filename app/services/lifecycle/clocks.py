"""A matter's legal clocks (spec §1.3) from its facts and the selected rule set.

`office` deadlines are obligations of the petition office or the responsible unit (they make
a matter due or overdue); `visitor` deadlines are the visitor's windows (to evaluate, to ask
for review), shown but never counted against the office.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import vocab
from ..deadline_rules import Period, RuleSet
from ..deadlines import DeadlineService, period_end
from .facts import MatterFacts

OFFICE = "office"
VISITOR = "visitor"
UNIT = "unit"  # the responsible unit's own window (to object); informational

RULE_LABELS = {
    "notify": "受理告知期限",
    "unit_notify": "责任单位受理告知期限",
    "objection": "责任单位异议期限",
    "conclude": "办结期限",
    "evaluate": "评价期限",
    "review_request": "申请复查期限",
    "review_decide": "复查答复期限",
    "recheck_request": "申请复核期限",
    "recheck_decide": "复核答复期限",
}


@dataclass(frozen=True)
class Deadline:
    rule: str
    due: date
    party: str
    met_on: date | None = None

    @property
    def label(self) -> str:
        return RULE_LABELS[self.rule]

    def as_json(self) -> dict:
        return {
            "rule": self.rule,
            "label": self.label,
            "due": self.due.isoformat(),
            "party": self.party,
            "met_on": self.met_on.isoformat() if self.met_on else None,
        }


def deadlines(f: MatterFacts, service: DeadlineService, rules: RuleSet | None = None) -> list[Deadline]:
    """Every clock that has started for this matter, in the order the law runs them."""
    rules = rules or service.rules()

    def end(start: date, period: Period) -> date:
        return period_end(start, period, service.calendar)

    out = [Deadline("notify", end(f.registered_on, rules.notify), OFFICE, f.decided_on)]
    if f.decision in vocab.DECISION_NEEDS_UNIT and f.decided_on:
        out.append(Deadline("unit_notify", end(f.decided_on, rules.notify), OFFICE, f.accepted_on))
        out.append(Deadline("objection", end(f.decided_on, rules.objection), UNIT, f.accepted_on))
    if f.accepted_on:
        conclude = Period(rules.conclude.days + f.extension_days, rules.conclude.working_days)
        out.append(Deadline("conclude", end(f.accepted_on, conclude), OFFICE, f.replied_on))
    answered = f.answered_on
    if answered:
        done = set(f.evaluation_targets()) <= set(f.evaluations)
        out.append(Deadline("evaluate", end(answered, rules.evaluate), VISITOR, f.evaluated_on if done else None))
    if f.replied_on:
        out.append(Deadline("review_request", end(f.replied_on, rules.review_request), VISITOR, f.review_requested_on))
    if f.review_requested_on:
        out.append(Deadline("review_decide", end(f.review_requested_on, rules.review_decide), OFFICE, f.review_decided_on))
    if f.review_decided_on:
        out.append(
            Deadline("recheck_request", end(f.review_decided_on, rules.recheck_request), VISITOR, f.recheck_requested_on)
        )
    if f.recheck_requested_on:
        out.append(
            Deadline("recheck_decide", end(f.recheck_requested_on, rules.recheck_decide), OFFICE, f.recheck_decided_on)
        )
    return out


def next_office_deadline(f: MatterFacts, items: list[Deadline]) -> Deadline | None:
    """The earliest open obligation of the office or unit (None once closed or all met)."""
    if f.closed_on:
        return None
    open_items = [d for d in items if d.party == OFFICE and d.met_on is None]
    return min(open_items, key=lambda d: d.due, default=None)


def evaluation_due(f: MatterFacts, items: list[Deadline]) -> date | None:
    """The last day to evaluate while an evaluation is still pending."""
    return next((d.due for d in items if d.rule == "evaluate" and d.met_on is None), None)
