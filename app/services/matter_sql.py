"""The matter list's SQL, built as plain text with named parameters.

Kept free of SQLAlchemy on purpose: the same statement runs through the engine in the window
(`MatterQueries`) and through a bare `sqlite3` connection in the command line (`quick_read`),
which then starts without importing the ORM.

The one search box: number prefix, exact ID number, exact phone digits, pinyin-initials
prefix, name prefix (each on its own index), and a scan of title and request text.

The today view's lists (`MatterQuery.special`) are ranges on indexed columns: `registered_at`
for today's registrations, the lifecycle caches `next_due` / `evaluation_due` for deadlines
(closed matters have NULL there, so they never match), and the outbox's `state` index for
matters with events the county has not acknowledged.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .dto import MatterQuery, MatterRow
from .statistics.cells import cell_condition
from .surrogates import LONE_SURROGATE

_MAX_CHAR = "\U0010ffff"
_ID_LIKE = re.compile(r"^[0-9]{14,17}[0-9Xx]$|^[A-Za-z]{3}[0-9]{12}$")
_DIGITS = re.compile(r"^[0-9+\-\s()]+$")
_INITIALS = re.compile(r"^[A-Za-z]{1,12}$")
_NUMBER_LIKE = re.compile(r"^[A-Za-z0-9]+-[0-9-]*$")
_LIKE_MAX_CHARS = 10_000  # 4 bytes a character at most: the pattern stays under SQLite's 50,000-byte limit

SORT_COLUMNS = {
    "number": "number",
    "form": "form",
    "petition_date": "petition_date",
    "registered_at": "registered_at",
    "petitioner_names": "petitioner_names",
    "headcount": "headcount",
    "content_class": "content_class_label",
    "title": "title",
    "status": "status",
    "next_due": "next_due",
    "evaluation_due": "evaluation_due",  # no column of its own: the 待评价 list's order
}
_NULLABLE_SORT = {"next_due", "evaluation_due"}
ROW_COLUMNS = (
    "id, number, form, petition_date, registered_at, petitioner_names, headcount, is_collective, "
    "matter_class, content_class_label, title, decision, status, repeat_of_id, next_due, next_due_rule"
)

REGISTERED_TODAY = "registered_today"  # registered (not petitioned) today, any form
VISITS_TODAY = "visits_today"  # registered today as a visit (走访)
DUE_SOON = "due_soon"  # today <= next_due <= today + DUE_SOON_DAYS
OVERDUE = "overdue"  # next_due < today
AWAITING_EVALUATION = "awaiting_evaluation"  # evaluation_due >= today (window open, not yet evaluated)
UNSYNCED = "unsynced"  # at least one event the county has not acknowledged
SPECIALS = (REGISTERED_TODAY, VISITS_TODAY, DUE_SOON, OVERDUE, AWAITING_EVALUATION, UNSYNCED)
DUE_SOON_DAYS = 3
VISIT_FORM = "走访"
# Every sync_outbox state except "acked" (app.models.sync, not imported: it pulls in SQLAlchemy).
# Listed rather than `!= 'acked'` so the outbox's state index answers; a test keeps the two in step.
UNACKED_STATES = ("pending", "sending", "needs_attention")
_PEOPLE = (
    "SELECT mp.matter_id FROM matter_petitioner mp JOIN petitioner p ON p.id = mp.petitioner_id WHERE {}"
)
REPORTER_CLASS = "检举控告"
REPORTER_HIDDEN = "（检举人信息保密）"


@dataclass(frozen=True)
class Scope:
    """What the reader may see and search by.

    `lookup(value, field)` makes the HMAC key of an ID number ("id") or phone digits ("phone"):
    without it those searches find nothing. With `hide_reporters` the petitioners of 检举控告
    matters are neither shown nor findable by name, initials, ID or phone (条例 art. 30).
    """

    lookup: Callable[[str, str], str] | None = None
    hide_reporters: bool = True


def _row_columns(scope: Scope) -> str:
    if not scope.hide_reporters:
        return ROW_COLUMNS
    masked = f"CASE WHEN matter_class = '{REPORTER_CLASS}' THEN '{REPORTER_HIDDEN}' ELSE petitioner_names END"
    return ROW_COLUMNS.replace("petitioner_names", masked, 1)


class SqlParams(dict):
    """Named parameters collected while a statement is built; `add` returns the placeholder."""

    def add(self, value: Any) -> str:
        name = f"p{len(self)}"
        self[name] = value
        return f":{name}"


def _prefix(column: str, value: str, params: SqlParams) -> str:
    return f"({column} >= {params.add(value)} AND {column} < {params.add(value + _MAX_CHAR)})"


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_search(query: str, params: SqlParams, scope: Scope) -> str | None:
    """`id IN (…)` for the search box, or None when the box is empty."""
    # Half of a UTF-16 pair cannot be bound (SQLite takes UTF-8) and is in no stored text: match nothing with it.
    q = LONE_SURROGATE.sub("\ufffd", query.strip())
    if not q:
        return None
    parts = [f"SELECT id FROM matter WHERE {_prefix('number', q.upper(), params)}"]
    people = []
    compact = re.sub(r"[\s\-()]", "", q)
    if _ID_LIKE.match(compact) and scope.lookup:
        people.append(f"p.id_lookup = {params.add(scope.lookup(compact.upper(), 'id'))}")
    if _DIGITS.match(q) and scope.lookup:
        from .validation import phone_digits  # here: the validation tables cost ~80 ms to import

        digits = phone_digits(q)
        if len(digits) >= 7:
            people.append(f"p.phone_lookup = {params.add(scope.lookup(digits, 'phone'))}")
    if _INITIALS.match(q):
        people.append(_prefix("p.name_initials", q.lower(), params))
    if not _DIGITS.match(q) and not _NUMBER_LIKE.match(q):
        people.append(_prefix("p.name", q, params))
    for condition in people:
        if scope.hide_reporters:
            parts.append(f"SELECT id FROM matter WHERE matter_class != '{REPORTER_CLASS}' AND id IN ({_PEOPLE.format(condition)})")
        else:
            parts.append(_PEOPLE.format(condition))
    if not _DIGITS.match(q) and not _NUMBER_LIKE.match(q):
        if len(q) > _LIKE_MAX_CHARS or "\x00" in q:
            # SQLite refuses a LIKE pattern over 50,000 bytes and ends one at a NUL; instr() has neither limit.
            needle = params.add(q)
            parts.append(f"SELECT id FROM matter WHERE instr(title, {needle}) > 0 OR instr(request, {needle}) > 0")
        else:
            pattern = params.add(f"%{_like_escape(q)}%")
            parts.append(f"SELECT id FROM matter WHERE title LIKE {pattern} ESCAPE '\\' OR request LIKE {pattern} ESCAPE '\\'")
    return "id IN (" + " UNION ".join(parts) + ")"


def _special(q: MatterQuery, params: SqlParams) -> str | None:
    """The condition of a today-view list, or None when the query has none."""
    if not q.special:
        return None
    today = q.today or date.today()
    if q.special in (REGISTERED_TODAY, VISITS_TODAY):
        # registered_at is stored as "YYYY-MM-DD HH:MM:SS…": a day is a text range on its index.
        day = (
            f"registered_at >= {params.add(today.isoformat())} "
            f"AND registered_at < {params.add((today + timedelta(days=1)).isoformat())}"
        )
        # `+form`: keep SQLite on the day's range; the form index would pick half the table.
        return day if q.special == REGISTERED_TODAY else f"{day} AND +form = {params.add(VISIT_FORM)}"
    if q.special == DUE_SOON:
        last = today + timedelta(days=DUE_SOON_DAYS)
        return f"next_due >= {params.add(today.isoformat())} AND next_due <= {params.add(last.isoformat())}"
    if q.special == OVERDUE:
        return f"next_due < {params.add(today.isoformat())}"
    if q.special == AWAITING_EVALUATION:
        return f"evaluation_due >= {params.add(today.isoformat())}"
    if q.special == UNSYNCED:
        states = ", ".join(params.add(state) for state in UNACKED_STATES)
        return (
            "id IN (SELECT e.matter_id FROM sync_outbox o JOIN matter_event e ON e.id = o.event_id "
            f"WHERE o.state IN ({states}))"
        )
    raise ValueError(f"unknown special filter {q.special!r}; expected one of {SPECIALS}")


def _where(q: MatterQuery, params: SqlParams, scope: Scope) -> str:
    conditions = []
    search = _text_search(q.text, params, scope)
    if search:
        conditions.append(search)
    special = _special(q, params)
    if special:
        conditions.append(special)
    if q.cell is not None:
        conditions.append(cell_condition(q.cell, params.add))
    if q.date_from:
        conditions.append(f"petition_date >= {params.add(q.date_from.isoformat())}")
    if q.date_to:
        conditions.append(f"petition_date <= {params.add(q.date_to.isoformat())}")
    for column, value in (("status", q.status), ("content_class_top", q.content_class_top), ("form", q.form)):
        if value:
            conditions.append(f"{column} = {params.add(value)}")
    return " WHERE " + " AND ".join(conditions) if conditions else ""


def row_by_number_sql(number: str, scope: Scope) -> tuple[str, dict[str, Any]]:
    return f"SELECT {_row_columns(scope)} FROM matter WHERE number = :number", {"number": number}


def count_sql(q: MatterQuery, scope: Scope) -> tuple[str, dict[str, Any]]:
    params = SqlParams()
    return "SELECT count(*) FROM matter" + _where(q, params, scope), params


def headcount_sum_sql(q: MatterQuery, scope: Scope) -> tuple[str, dict[str, Any]]:
    """人次 of the query's matters: the sum of their headcounts (0 when none)."""
    params = SqlParams()
    return "SELECT coalesce(sum(headcount), 0) FROM matter" + _where(q, params, scope), params


def page_sql(q: MatterQuery, offset: int, limit: int, scope: Scope) -> tuple[str, dict[str, Any]]:
    params = SqlParams()
    where = _where(q, params, scope)
    column = SORT_COLUMNS.get(q.sort_key, "registered_at")
    direction = "DESC" if q.descending else "ASC"
    nulls = " NULLS LAST" if column in _NULLABLE_SORT else ""  # matters without a deadline last, either way
    sql = (
        f"SELECT {_row_columns(scope)} FROM matter{where} ORDER BY {column} {direction}{nulls}, id {direction} "
        f"LIMIT {params.add(max(0, limit))} OFFSET {params.add(max(0, offset))}"
    )
    return sql, params


def row_from_db(r: tuple) -> MatterRow:
    """A raw row (dates as the ISO text SQLite stores) as a MatterRow."""
    return MatterRow(
        id=r[0],
        number=r[1],
        form=r[2],
        petition_date=date.fromisoformat(r[3]),
        registered_at=datetime.fromisoformat(r[4]),
        petitioner_names=r[5],
        headcount=r[6],
        is_collective=bool(r[7]),
        matter_class=r[8],
        content_class=r[9],
        title=r[10],
        decision=r[11] or "",
        status=r[12],
        is_repeat=r[13] is not None,
        next_due=date.fromisoformat(r[14]) if r[14] else None,
        next_due_rule=r[15] or "",
    )
