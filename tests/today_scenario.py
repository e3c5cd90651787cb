"""Fourteen matters around one fixed day, for the today view's service and window tests.

Imported by name (`from today_scenario import ...`), like ui_support. Dates are explicit, so the
deadline states do not depend on the day the tests run.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.services.registration import PetitionerInput
from app.services.today import BATCHES, ITEMS, PERSON_TIMES, TodaySummary
from app.sync.client import PushResult, StationTally
from factories import make_input

TODAY = date(2025, 6, 16)  # a Monday; no holiday between late May (端午) and August
ACTOR = "测试员"


def at(day: date, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second))


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


@dataclass
class Scenario:
    numbers: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.numbers[key]


def register(services, when: datetime, **overrides) -> str:
    return services.registration.register(make_input(**overrides), actor=ACTOR, now=when).number


def acknowledge(services, rejected_numbers: set[str]) -> None:
    """What the county answers: everything queued so far stored, except the named matters' events refused."""
    outbox = services.sync.outbox
    batch = outbox.take_batch()
    results = [
        {"id": e.id, "status": "rejected", "reason": "县级服务器拒收（测试）"}
        if e.matter_number in rejected_numbers
        else {"id": e.id, "status": "stored"}
        for e in batch
    ]
    outbox.settle(batch, PushResult(server_time="", results=results, station=StationTally(len(batch), 0, [])))


def build_scenario(services) -> Scenario:
    """Fourteen matters around TODAY; the comments give each one's place in the today view."""
    n: dict[str, str] = {}
    # Registered long ago, then sent to the county: N acknowledged, M refused (需处理), K acknowledged.
    n["N"] = register(services, at(date(2025, 4, 1)), decision="当场答复")  # evaluation window long over
    n["M"] = register(services, at(date(2025, 6, 2)), decision="当场答复")  # evaluated below
    n["K"] = register(
        services, at(date(2025, 5, 1)), decision="不予受理", decision_reason="已经依法处理", decision_channel="诉讼"
    )
    acknowledge(services, rejected_numbers={n["M"]})
    services.lifecycle.perform(n["K"], "close", {}, actor=ACTOR, now=at(date(2025, 5, 2)))  # closed, unsynced again
    services.lifecycle.perform(
        n["M"], "evaluate", {"target": "信访部门", "result": "满意"}, actor=ACTOR, now=at(date(2025, 6, 5))
    )
    # Deadlines: undecided matters run the 15-day 受理告知期限 from their registration.
    n["G"] = register(services, at(date(2025, 5, 29)), decision="")  # due 06-13: overdue
    n["H"] = register(services, at(date(2025, 6, 1)), decision="")  # due 06-16, today: due soon
    n["F"] = register(services, at(date(2025, 6, 4)), decision="")  # due 06-19, today + 3: due soon
    n["I"] = register(services, at(date(2025, 6, 5)), decision="")  # due 06-20, today + 4: not yet
    n["J"] = register(services, at(date(2025, 5, 20)), decision="")  # was overdue (06-04) until decided yesterday
    services.lifecycle.perform(n["J"], "decide", {"decision": "受理告知"}, actor=ACTOR, now=at(days_ago(1)))
    n["L"] = register(services, at(date(2025, 5, 5)))  # accepted, replied: awaiting evaluation
    services.lifecycle.perform(
        n["L"], "reply", {"opinion": "支持", "delivery": "当面送达", "receipt": "签收"}, actor=ACTOR,
        now=at(date(2025, 6, 10)),
    )
    # Yesterday's last minute and today's registrations.
    n["E"] = register(services, at(days_ago(1), 23, 59, 59))
    n["A"] = register(services, at(TODAY, 8, 30))  # visit, 1 person
    n["B"] = register(services, at(TODAY, 10), headcount=6, decision="转送", decision_unit="县人社局")  # 6 people
    n["C"] = register(  # a joint letter: 件, not 批 or 人次
        services, at(TODAY, 11), form="来信", petition_date=days_ago(3), headcount=3,
        petitioner=PetitionerInput(name="李四", id_type="无证件"),
    )
    n["D"] = register(services, at(TODAY, 23, 59, 59), headcount=2, decision="当场答复")  # answered: to evaluate
    return Scenario(n)


EXPECTED = TodaySummary(items=4, batches=3, person_times=1 + 6 + 2, due_soon=2, overdue=1, awaiting_evaluation=2,
                        unsynced=13)
EXPECTED_MEMBERS = {
    ITEMS: {"A", "B", "C", "D"},
    BATCHES: {"A", "B", "D"},
    PERSON_TIMES: {"A", "B", "D"},
    "due_soon": {"H", "F"},
    "overdue": {"G"},
    "awaiting_evaluation": {"L", "D"},
    "unsynced": set("ABCDEFGHIJKLM"),  # all but N: M's refused events and K's closing still wait
}
