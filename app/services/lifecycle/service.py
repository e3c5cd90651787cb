"""LifecycleService: perform an action on a matter, or say in Chinese why it may not be done.

One transaction per action: check the stage and the fields, append the event (which also
queues it for sync), move the stage, and refresh the cached clocks. A refusal writes nothing.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, bindparam, select, update
from sqlalchemy.orm import Session

from app.models import Leader, Matter, MatterEvent

from .. import vocab
from ..deadline_rules import RULE_SET_KEY
from ..deadlines import DeadlineService
from ..decision import unit_id_for
from ..errors import FieldError, NotFound, ValidationFailed
from ..events import append_event
from ..security import audit as audit_log
from ..security.audit_service import AuditService
from ..security.guard import Guard
from ..security.permissions import HANDLE, SUPERVISE, VIEW
from ..settings_store import SettingsStore
from .actions import ACTIONS, ActionSpec, find_action
from .caches import clock_values, facts_of, refresh_caches
from .checks import check_rules, clean_fields, refusal
from .clocks import RULE_LABELS, Deadline, deadlines, next_office_deadline
from .facts import FACT_KINDS, MatterFacts, fold

logger = logging.getLogger(__name__)

FINGERPRINT_KEY = "lifecycle.clock_fingerprint"
COUNTY_ACTOR = "县级平台"
CLOCK_VERSION = "2"  # bump when the clock rules in clocks.py change


@dataclass(frozen=True)
class ActResult:
    number: str
    action: str
    status: str
    event_uuid: str


@dataclass(frozen=True)
class EvaluationState:
    target: str
    state: str  # 已评价 / 待评价 / 超期未评价
    result: str = ""


@dataclass(frozen=True)
class LifecycleView:
    number: str
    status: str
    deadlines: list[Deadline]
    next_deadline: Deadline | None
    days_left: int | None  # negative when overdue
    evaluations: list[EvaluationState]
    supervised: bool
    urged: int
    owner: str
    actions: list[ActionSpec]  # what may be done now


@dataclass(frozen=True)
class DueRow:
    number: str
    title: str
    status: str
    rule: str
    label: str
    due: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


# Steps that direct others' work are the leaders' (督办、催办、包案); the rest is handling.
LEADER_ACTIONS = frozenset({"supervise", "urge", "own"})


class LifecycleService:
    def __init__(self, engine: Engine, deadlines: DeadlineService, settings: SettingsStore, guard: Guard,
                 audit: AuditService):
        self.engine = engine
        self.deadlines = deadlines
        self.settings = settings
        self._guard = guard
        self._audit = audit

    # --- acting ----------------------------------------------------------------------------

    def perform(self, number: str, action: str, fields: dict[str, Any] | None = None, *, actor: str,
                now: datetime | None = None) -> ActResult:
        now = now or datetime.now().replace(microsecond=0)
        spec = find_action(action)
        if spec is None:
            choices = "、".join(f"{a.key}（{a.label}）" for a in ACTIONS.values())
            raise ValidationFailed([FieldError("action", f"没有“{action}”这一办理环节，可选：{choices}")])
        self._guard.require(SUPERVISE if spec.key in LEADER_ACTIONS else HANDLE)
        actor = (actor or "").strip()
        with Session(self.engine) as s, s.begin():
            matter = self._matter(s, number)
            if matter.status not in spec.from_states:
                raise ValidationFailed([refusal(spec, matter.status)])
            facts = facts_of(s, matter)
            values, errors = clean_fields(spec, dict(fields or {}), now.date())
            if not actor:
                errors.append(FieldError("actor", "请填写经办人"))
            windows = {d.rule: d.due for d in deadlines(facts, self.deadlines)}
            errors += check_rules(spec, values, facts, now.date(), self.deadlines.rules().extend_max, windows)
            leader = self._leader(s, values, errors) if spec.key == "own" else None
            if errors:
                raise ValidationFailed(errors)
            self._apply(s, matter, spec, values, leader, now)
            payload = _payload(values)
            event = append_event(s, station_code=matter.station_code, matter_id=matter.id, kind=spec.event,
                                 payload=payload, actor=actor, at=now)
            refresh_caches(s, matter, self.deadlines)
            self._audit.record_in(s, audit_log.ACTION, number, {"step": spec.label})
            return ActResult(number, spec.key, matter.status, event.uuid)

    def _apply(self, s: Session, matter: Matter, spec: ActionSpec, values: dict, leader: Leader | None,
               now: datetime) -> None:
        """The row's denormalised view of the step (the event is the record)."""
        if spec.key == "decide":
            matter.decision = values["decision"]
            matter.decision_unit_id = unit_id_for(s, values["unit"])
            matter.decision_unit_name = values["unit"]
            matter.decision_reason = values["reason"]
            matter.decision_channel = values["channel"]
            matter.decision_note = values["note"]
            matter.status = vocab.STATUS_BY_DECISION[values["decision"]]
        elif spec.key == "accept" and not values.get("unit"):
            values["unit"] = matter.decision_unit_name
        elif spec.key == "supervise":
            matter.supervised = True
        elif spec.key == "urge":
            matter.urged += 1
        elif spec.key == "own" and leader is not None:
            matter.owner_leader_id = leader.id
            matter.owner_since = values.get("since") or now.date()
            values["since"] = matter.owner_since
        if spec.to_state:
            matter.status = spec.to_state
        if spec.key in ("reply", "close"):
            matter.supervised = False  # supervision ends with the answer

    def _leader(self, s: Session, values: dict, errors: list[FieldError]) -> Leader | None:
        name = values.get("leader") or ""
        leader = s.scalar(select(Leader).where(Leader.name == name, Leader.active.is_(True))) if name else None
        if name and leader is None:
            errors.append(FieldError("leader", f"未找到包案领导“{name}”，请先在领导接访安排中添加"))
        return leader

    @staticmethod
    def _matter(s: Session, number: str) -> Matter:
        matter = s.scalar(select(Matter).where(Matter.number == number))
        if matter is None:
            raise NotFound(f"未找到信访件“{number}”")
        return matter

    def apply_county_events(self, events: list[dict]) -> int:
        """Record what the county reports of a responsible unit as the desk's own steps.

        Only `unit_accepted` moves a matter (转送/交办 → 已受理, its 60-day clock from the unit's
        date); a unit's reply stays a county record until the desk registers the delivery. A step
        the matter's stage no longer allows (already recorded here) is skipped."""
        done = 0
        for e in events:
            payload = e.get("payload") or {}
            if e.get("kind") != "unit_accepted":
                continue
            fields = {"unit": str(payload.get("unit", "")), "date": str(payload.get("accepted_at", ""))[:10],
                      "note": "县级平台同步"}
            try:
                self.perform(str(e.get("matter_number", "")), "accept", fields, actor=COUNTY_ACTOR)
                done += 1
            except (ValidationFailed, NotFound) as exc:
                logger.info("county event %s not applied: %s", e.get("id"), exc)
        return done

    # --- reading ---------------------------------------------------------------------------

    def facts(self, number: str) -> MatterFacts:
        with Session(self.engine) as s:
            return facts_of(s, self._matter(s, number))

    def view(self, number: str, today: date | None = None) -> LifecycleView:
        self._guard.require(VIEW)
        today = today or date.today()
        with Session(self.engine) as s:
            matter = self._matter(s, number)
            facts = facts_of(s, matter)
            supervised, urged = matter.supervised, matter.urged
        items = deadlines(facts, self.deadlines)
        upcoming = next_office_deadline(facts, items)
        return LifecycleView(
            number=number,
            status=facts.status,
            deadlines=items,
            next_deadline=upcoming,
            days_left=(upcoming.due - today).days if upcoming else None,
            evaluations=_evaluation_states(facts, items, today),
            supervised=supervised,
            urged=urged,
            owner=facts.owner,
            actions=[a for a in ACTIONS.values()
                     if facts.status in a.from_states and _worth_offering(a, facts) and self._may(a)],
        )

    def _may(self, spec: ActionSpec) -> bool:
        return self._guard.can(SUPERVISE if spec.key in LEADER_ACTIONS else HANDLE)

    def due(self, today: date | None = None, within_days: int = 3) -> list[DueRow]:
        """Open matters whose next office deadline is past or within `within_days` days, soonest first."""
        self._guard.require(VIEW)
        today = today or date.today()
        with Session(self.engine) as s:
            rows = s.execute(
                select(Matter.number, Matter.title, Matter.status, Matter.next_due_rule, Matter.next_due)
                .where(Matter.next_due.is_not(None), Matter.next_due <= today + timedelta(days=within_days))
                .order_by(Matter.next_due, Matter.number)
            ).all()
        return [DueRow(n, t, st, r, RULE_LABELS.get(r, r), d, (d - today).days) for n, t, st, r, d in rows]

    # --- keeping the cached clocks right ----------------------------------------------------

    def fingerprint(self) -> str:
        """Changes when anything the clocks depend on changes: rule set, holiday data, clock code."""
        cal = self.deadlines.calendar
        try:
            import chinese_calendar

            lib = getattr(chinese_calendar, "__version__", "")
        except ImportError:
            lib = "none"
        basis = json.dumps([CLOCK_VERSION, self.settings.get(RULE_SET_KEY, ""), lib, sorted(map(str, cal.holidays)),
                            sorted(map(str, cal.workdays))])
        return hashlib.sha256(basis.encode()).hexdigest()[:16]

    def ensure_fresh(self) -> int:
        """Recompute every matter's clocks if the rules changed since they were computed."""
        current = self.fingerprint()
        if self.settings.get(FINGERPRINT_KEY, "") == current:
            return 0
        count = self.refresh_all()
        self.settings.set_many({FINGERPRINT_KEY: current})
        return count

    def refresh_all(self, chunk: int = 2000) -> int:
        """Recompute the cached clocks of every matter, `chunk` matters per short transaction

        (so a registration saved meanwhile waits a fraction of a second, not the whole pass)."""
        rules = self.deadlines.rules()
        done, after = 0, 0
        while True:
            with Session(self.engine) as s, s.begin():
                matters = s.execute(
                    select(Matter.id, Matter.number, Matter.status, Matter.registered_at, Matter.decision_unit_name)
                    .where(Matter.id > after)
                    .order_by(Matter.id)
                    .limit(chunk)
                ).all()
                if not matters:
                    return done
                events: dict[int, list] = {m.id: [] for m in matters}
                for e in s.execute(
                    select(MatterEvent.matter_id, MatterEvent.kind, MatterEvent.payload, MatterEvent.occurred_at)
                    .where(MatterEvent.matter_id.in_(list(events)), MatterEvent.kind.in_(FACT_KINDS))
                    .order_by(MatterEvent.matter_id, MatterEvent.station_seq)
                ):
                    events[e.matter_id].append(e)
                table = Matter.__table__
                s.execute(
                    update(table).where(table.c.id == bindparam("matter_id")),
                    [{"matter_id": m.id, **clock_values(fold(m, events[m.id]), self.deadlines, rules)}
                     for m in matters],
                )
            done += len(matters)
            after = matters[-1].id


def _payload(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items() if v not in (None, "")}


def _worth_offering(action: ActionSpec, facts: MatterFacts) -> bool:
    """Hide actions whose stage fits but which would be refused anyway."""
    if action.key == "evaluate":
        return not set(facts.evaluation_targets()) <= set(facts.evaluations)
    if action.key == "own":
        return not facts.owner
    if action.key == "own-progress":
        return bool(facts.owner)
    return True


def _evaluation_states(facts: MatterFacts, items: list[Deadline], today: date) -> list[EvaluationState]:
    window = next((d for d in items if d.rule == "evaluate"), None)
    if window is None:
        return []
    out = []
    for target in facts.evaluation_targets():
        if target in facts.evaluations:
            out.append(EvaluationState(target, "已评价", facts.evaluations[target]))
        else:
            out.append(EvaluationState(target, "超期未评价" if today > window.due else "待评价"))
    return out
