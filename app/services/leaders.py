"""Leaders' reception (领导接访): who receives visitors in the hall on which weekdays, and their matters.

A leader is on duty on a day when the day is a working day (WorkCalendar: statutory holidays
are off, official make-up working days (调休) are on) and the leader is scheduled for its
weekday. A make-up working day falls on a Saturday or Sunday, for which a county rarely has
anyone scheduled: then the leaders scheduled for Monday receive visitors (the hall is run as
on an ordinary week's first day). Leaders scheduled for Saturday or Sunday themselves take
precedence on such a day.

Ownership (包案: `Matter.owner_leader_id`, `owner_since`) is written by the lifecycle service;
this module only reads it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, delete, or_, select
from sqlalchemy.orm import Session

from app.models import Leader, LeaderDuty, Matter

from .errors import FieldError, NotFound, ValidationFailed
from .holidays import WorkCalendar
from .security.guard import Guard
from .security.permissions import SETTINGS, VIEW
from .validation import check_text

MAX_NAME = 20
MAX_TITLE = 30
WEEKDAY_LABELS = ("一", "二", "三", "四", "五", "六", "日")  # index = date.weekday()
MONDAY = 0
ROLE_RECEIVED = "接访"
ROLE_OWNED = "包案"
ON_DUTY_SUFFIX = "（今日接访）"

# Leaders seeded by `python -m app demo` (neutral, invented names).
SEED_LEADERS = (("张县长", "常务副县长"), ("李副县长", "副县长"))


@dataclass(frozen=True)
class LeaderView:
    id: int
    name: str
    title: str
    weekdays: tuple[int, ...]  # 0 = Monday … 6 = Sunday, ascending
    active: bool

    @property
    def weekdays_text(self) -> str:
        """"一至五", "一、三、五" or "" (as shown in lists)."""
        return weekdays_text(self.weekdays)


@dataclass(frozen=True)
class LeaderMatterRow:
    number: str
    registered_at: datetime
    petitioner_names: str
    title: str
    status: str
    role: str  # 接访 / 包案 / 接访、包案
    owner_since: date | None
    next_due: date | None


@dataclass(frozen=True)
class ReceiverChoice:
    """One entry of the registration form's 接访领导 list."""

    name: str
    title: str
    on_duty: bool

    @property
    def label(self) -> str:
        return self.name + (ON_DUTY_SUFFIX if self.on_duty else "")


def weekdays_text(weekdays: Iterable[int]) -> str:
    days = sorted(set(weekdays))
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAY_LABELS[days[0]]}至{WEEKDAY_LABELS[days[-1]]}"
    return "、".join(WEEKDAY_LABELS[d] for d in days)


_DAYS_RE = re.compile(r"^\s*[1-7](\s*-\s*[1-7])?(\s*[,，、]\s*[1-7](\s*-\s*[1-7])?)*\s*$")


def parse_weekdays(text: str, field_name: str = "days") -> tuple[int, ...]:
    """"1-5", "1,3,5" or "1-3,6" (1 = Monday … 7 = Sunday) -> weekdays 0..6; "" -> ()."""
    text = (text or "").strip()
    if not text:
        return ()
    if not _DAYS_RE.match(text):
        raise ValidationFailed([FieldError(field_name, f"接访日“{text}”格式不正确，应如“1-5”或“1,3,5”（1为星期一，7为星期日）")])
    days: set[int] = set()
    for part in re.split(r"[,，、]", text):
        first, _, last = part.partition("-")
        start, end = int(first), int(last or first)
        if start > end:
            raise ValidationFailed([FieldError(field_name, f"接访日“{part.strip()}”起止颠倒，应如“1-5”")])
        days.update(range(start - 1, end))
    return tuple(sorted(days))


class LeaderService:
    """Changing the schedule is a setting (修改系统设置); a leader's list of matters needs 查看信访件."""

    def __init__(self, engine: Engine, calendar: WorkCalendar, guard: Guard):
        self.engine = engine
        self.calendar = calendar
        self._guard = guard

    # --- schedule --------------------------------------------------------------------

    def add(self, name: str, title: str = "", weekdays: Iterable[int] = ()) -> LeaderView:
        """Add an active leader; raises ValidationFailed (fields name, title, weekdays)."""
        self._guard.require(SETTINGS)
        name, title, days = self._check(name, title, weekdays, None)
        with Session(self.engine) as s, s.begin():
            leader = Leader(name=name, title=title, active=True)
            s.add(leader)
            s.flush()
            s.add_all(LeaderDuty(leader_id=leader.id, weekday=d) for d in days)
            return LeaderView(leader.id, name, title, days, True)

    def update(
        self, leader_id: int, name: str, title: str, weekdays: Iterable[int], active: bool = True
    ) -> LeaderView:
        """Replace a leader's name, title, weekdays and active flag (the matters keep their snapshots)."""
        self._guard.require(SETTINGS)
        name, title, days = self._check(name, title, weekdays, leader_id)
        with Session(self.engine) as s, s.begin():
            leader = s.get(Leader, leader_id)
            if leader is None:
                raise NotFound(f"未找到领导（编号{leader_id}）")
            leader.name, leader.title, leader.active = name, title, bool(active)
            s.execute(delete(LeaderDuty).where(LeaderDuty.leader_id == leader_id))
            s.add_all(LeaderDuty(leader_id=leader_id, weekday=d) for d in days)
            return LeaderView(leader_id, name, title, days, bool(active))

    def set_active(self, leader_id: int, active: bool) -> LeaderView:
        """停用 / 启用: an inactive leader is no longer offered or accepted as receiver."""
        view = self.get(leader_id)
        return self.update(leader_id, view.name, view.title, view.weekdays, active)

    def _check(
        self, name: str, title: str, weekdays: Iterable[int], leader_id: int | None
    ) -> tuple[str, str, tuple[int, ...]]:
        errors: list[FieldError] = []
        name, error = check_text(name or "", "领导姓名", required=True, max_len=MAX_NAME)
        if error:
            errors.append(FieldError("name", error))
        title, error = check_text(title or "", "职务", required=False, max_len=MAX_TITLE)
        if error:
            errors.append(FieldError("title", error))
        raw_days = [*weekdays]
        days: tuple[int, ...] = ()
        if any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in raw_days):
            errors.append(FieldError("weekdays", "接访日应为星期一至星期日"))
        else:
            days = tuple(sorted(set(raw_days)))
        if name and not errors:
            with Session(self.engine) as s:
                other = s.scalar(select(Leader.id).where(Leader.name == name))
            if other is not None and other != leader_id:
                errors.append(FieldError("name", "已有同名领导"))
        if errors:
            raise ValidationFailed(errors)
        return name, title, days

    # --- reading -----------------------------------------------------------------------

    def list(self, active_only: bool = True) -> list[LeaderView]:
        """Leaders in the order they were added."""
        with Session(self.engine) as s:
            stmt = select(Leader).order_by(Leader.id)
            if active_only:
                stmt = stmt.where(Leader.active.is_(True))
            leaders = list(s.scalars(stmt))
            days = _weekdays_by_leader(s)
            return [_view(leader, days.get(leader.id, ())) for leader in leaders]

    def get(self, leader_id: int) -> LeaderView:
        with Session(self.engine) as s:
            leader = s.get(Leader, leader_id)
            if leader is None:
                raise NotFound(f"未找到领导（编号{leader_id}）")
            return _view(leader, _weekdays_by_leader(s, leader_id).get(leader_id, ()))

    def find(self, name: str) -> LeaderView | None:
        """The leader of exactly this name (active or not), or None."""
        name = (name or "").strip()
        if not name:
            return None
        with Session(self.engine) as s:
            leader = s.scalar(select(Leader).where(Leader.name == name))
            if leader is None:
                return None
            return _view(leader, _weekdays_by_leader(s, leader.id).get(leader.id, ()))

    def on_duty(self, day: date) -> list[LeaderView]:
        """Active leaders receiving visitors on `day` (see the module docstring for make-up days)."""
        if not self.calendar.is_working_day(day):
            return []
        active = self.list(active_only=True)
        scheduled = [v for v in active if day.weekday() in v.weekdays]
        if not scheduled and day.weekday() >= 5:  # a make-up working day on a weekend
            scheduled = [v for v in active if MONDAY in v.weekdays]
        return scheduled

    def receiver_choices(self, day: date) -> list[ReceiverChoice]:
        """Every active leader for the 接访领导 list: those on duty on `day` first."""
        duty = self.on_duty(day)
        duty_ids = {v.id for v in duty}
        rest = [v for v in self.list(active_only=True) if v.id not in duty_ids]
        return [ReceiverChoice(v.name, v.title, True) for v in duty] + [
            ReceiverChoice(v.name, v.title, False) for v in rest
        ]

    def matters(self, leader_id: int) -> list[LeaderMatterRow]:
        """Matters the leader received at the hall or owns (包案), newest registration first."""
        self._guard.require(VIEW)
        with Session(self.engine) as s:
            if s.get(Leader, leader_id) is None:
                raise NotFound(f"未找到领导（编号{leader_id}）")
            rows = s.execute(
                select(
                    Matter.number,
                    Matter.registered_at,
                    Matter.petitioner_names,
                    Matter.title,
                    Matter.status,
                    Matter.receiver_leader_id,
                    Matter.owner_leader_id,
                    Matter.owner_since,
                    Matter.next_due,
                )
                .where(or_(Matter.receiver_leader_id == leader_id, Matter.owner_leader_id == leader_id))
                .order_by(Matter.registered_at.desc(), Matter.id.desc())
            ).all()
        out = []
        for number, at, names, title, status, receiver, owner, since, due in rows:
            roles = [r for r, mine in ((ROLE_RECEIVED, receiver == leader_id), (ROLE_OWNED, owner == leader_id)) if mine]
            out.append(
                LeaderMatterRow(
                    number, at, names, title, status, "、".join(roles), since if owner == leader_id else None, due
                )
            )
        return out

    def seed_county_leaders(self) -> int:
        """Two county leaders on duty Monday to Friday, when there is no leader yet; returns how many were added."""
        return seed_county_leaders(self.engine)


def active_leader_id(s: Session, name: str) -> int | None:
    """For registration: the id of the active leader of this name, or None."""
    return s.scalar(select(Leader.id).where(Leader.name == name, Leader.active.is_(True)))


def seed_county_leaders(engine: Engine) -> int:
    """Used by the demo data: two county leaders on duty Monday to Friday, if there are no leaders."""
    with Session(engine) as s, s.begin():
        if s.scalar(select(Leader.id).limit(1)) is not None:
            return 0
        for name, title in SEED_LEADERS:
            leader = Leader(name=name, title=title, active=True)
            s.add(leader)
            s.flush()
            s.add_all(LeaderDuty(leader_id=leader.id, weekday=d) for d in range(5))
    return len(SEED_LEADERS)


def _weekdays_by_leader(s: Session, leader_id: int | None = None) -> dict[int, tuple[int, ...]]:
    stmt = select(LeaderDuty.leader_id, LeaderDuty.weekday).order_by(LeaderDuty.leader_id, LeaderDuty.weekday)
    if leader_id is not None:
        stmt = stmt.where(LeaderDuty.leader_id == leader_id)
    out: dict[int, list[int]] = {}
    for lid, day in s.execute(stmt):
        out.setdefault(lid, []).append(day)
    return {lid: tuple(days) for lid, days in out.items()}


def _view(leader: Leader, weekdays: tuple[int, ...]) -> LeaderView:
    return LeaderView(leader.id, leader.name, leader.title or "", weekdays, bool(leader.active))
