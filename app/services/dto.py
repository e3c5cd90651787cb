"""Plain values handed to the UI and the CLI: no ORM object or Session leaves the services."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class MatterRow:
    id: int
    number: str
    form: str
    petition_date: date
    registered_at: datetime
    petitioner_names: str
    headcount: int
    is_collective: bool
    matter_class: str
    content_class: str
    title: str
    decision: str
    status: str
    is_repeat: bool
    next_due: date | None = None  # the office's next legal deadline (lifecycle cache); None when none/closed
    next_due_rule: str = ""  # which clock next_due is (lifecycle.RULE_LABELS key)


@dataclass(frozen=True)
class PersonView:
    name: str
    id_type: str
    id_number_masked: str
    gender: str
    birth_date: date | None
    ethnicity: str
    phone_masked: str
    address: str
    division_code: str
    is_primary: bool
    is_representative: bool


@dataclass(frozen=True)
class EventView:
    seq: int
    kind: str
    label: str
    occurred_at: datetime
    actor: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class MatterDetail:
    row: MatterRow
    query_code: str
    county_number: str  # "" until the county server has assigned its own number
    people: list[PersonView]
    request: str
    facts: str
    location_code: str
    location: str
    flags: list[str]
    decision_unit: str
    decision_reason: str
    decision_channel: str
    decision_note: str
    repeat_of: str
    repeats: list[str]
    registered_by: str
    events: list[EventView] = field(default_factory=list)
    receiver_leader: str = ""  # 接访领导 (the name as recorded at registration)
    owner_leader: str = ""  # 包案领导
    owner_since: date | None = None


@dataclass(frozen=True)
class HistoryRow:
    number: str
    petition_date: date
    title: str
    status: str
    petitioner_names: str
    matched_by: str  # 证件号码 / 电话 / 姓名


@dataclass(frozen=True)
class StatsCell:
    """One number of the statistics: which matters it counts (SQL in statistics/cells.py)."""

    dimension: str  # all, visits, visit_size, form, content, township, unit, leader, month, timely, …
    key: str
    start: date
    end: date
    basis: str = "petition_date"
    today: date | None = None  # rates: what has passed; None: the current date


@dataclass
class MatterQuery:
    text: str = ""
    date_from: date | None = None
    date_to: date | None = None
    status: str = ""
    content_class_top: str = ""
    form: str = ""
    sort_key: str = "registered_at"
    descending: bool = True
    # One of matter_sql.SPECIALS (the today view's lists: due_soon, overdue, unsynced…), or "".
    special: str = ""
    today: date | None = None  # the day `special` is relative to; None: the current date when the query runs
    cell: StatsCell | None = None  # the matters behind one number of the statistics page


def to_jsonable(value: Any) -> Any:
    """Dataclasses, dates and lists to JSON-ready values (for `--json` output)."""
    if hasattr(value, "__dataclass_fields__"):
        value = asdict(value)
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value
