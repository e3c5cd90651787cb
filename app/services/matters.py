"""Reading matters: pages of the list, one matter in full, a visitor's earlier matters."""
from __future__ import annotations

import json

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from app.models import Leader, Matter, MatterEvent, MatterPetitioner, Petitioner

from . import vocab
from .dto import EventView, HistoryRow, MatterDetail, MatterQuery, MatterRow, PersonView
from .errors import NotFound
from .matter_sql import (
    REPORTER_CLASS,
    REPORTER_HIDDEN,
    Scope,
    count_sql,
    headcount_sum_sql,
    page_sql,
    row_by_number_sql,
    row_from_db,
)
from .security.guard import Guard
from .security.permissions import VIEW, VIEW_REPORTER
from .security.sealing import id_lookup, phone_lookup
from .validation import phone_digits

_SEALED_PAYLOAD_KEYS = ("id_number", "phone")


class MatterQueries:
    """Everything here needs 查看信访件; 检举控告 petitioners stay hidden without 查看检举控告人身份."""

    def __init__(self, engine: Engine, guard: Guard):
        self.engine = engine
        self._guard = guard

    def scope(self) -> Scope:
        p = self._guard.require(VIEW)
        return Scope(lookup=p.cipher.lookup, hide_reporters=not p.can(VIEW_REPORTER))

    def count(self, q: MatterQuery) -> int:
        sql, params = count_sql(q, self.scope())
        with self.engine.connect() as conn:
            return conn.exec_driver_sql(sql, params).scalar() or 0

    def headcount_sum(self, q: MatterQuery) -> int:
        """人次: the sum of the headcounts of the matters `q` lists."""
        sql, params = headcount_sum_sql(q, self.scope())
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql(sql, params).scalar() or 0)

    def page(self, q: MatterQuery, offset: int = 0, limit: int = 200) -> list[MatterRow]:
        sql, params = page_sql(q, offset, limit, self.scope())
        with self.engine.connect() as conn:
            return [row_from_db(tuple(r)) for r in conn.exec_driver_sql(sql, params)]

    def detail(self, number: str) -> MatterDetail:
        scope = self.scope()
        with Session(self.engine) as s:
            m = s.scalar(
                select(Matter)
                .where(Matter.number == number)
                .options(selectinload(Matter.people).selectinload(MatterPetitioner.petitioner))
            )
            if m is None:
                raise NotFound(f"未找到信访件“{number}”")
            row = self._row_of(m.number, scope)
            hidden = scope.hide_reporters and m.matter_class == REPORTER_CLASS
            repeat_of = s.scalar(select(Matter.number).where(Matter.id == m.repeat_of_id)) if m.repeat_of_id else ""
            repeats = list(s.scalars(select(Matter.number).where(Matter.repeat_of_id == m.id).order_by(Matter.id)))
            events = s.scalars(select(MatterEvent).where(MatterEvent.matter_id == m.id).order_by(MatterEvent.station_seq))
            return MatterDetail(
                row=row,
                query_code=m.query_code,
                county_number=m.county_number or "",
                people=[_HIDDEN_PERSON if hidden else _person(link) for link in m.people],
                request=m.request,
                facts=m.facts,
                location_code=m.location_code,
                location=m.location,
                flags=[label for attr, label in vocab.FLAG_LABELS.items() if getattr(m, attr)],
                decision_unit=m.decision_unit_name,
                decision_reason=m.decision_reason,
                decision_channel=m.decision_channel,
                decision_note=m.decision_note,
                repeat_of=repeat_of or "",
                repeats=repeats,
                registered_by=m.registered_by,
                events=[_event(e, hidden) for e in events],
                receiver_leader=m.receiver_leader_name or "",
                owner_leader=(s.scalar(select(Leader.name).where(Leader.id == m.owner_leader_id)) or "")
                if m.owner_leader_id
                else "",
                owner_since=m.owner_since if m.owner_leader_id else None,
            )

    def _row_of(self, number: str, scope: Scope) -> MatterRow:
        sql, params = row_by_number_sql(number, scope)
        with self.engine.connect() as conn:
            return row_from_db(tuple(conn.exec_driver_sql(sql, params).one()))

    def history(self, *, id_number: str = "", phone: str = "", name: str = "", limit: int = 50) -> list[HistoryRow]:
        """Earlier matters of the visitor being typed in: by ID number, then phone, then same name."""
        scope = self.scope()
        cipher = self._guard.principal().cipher
        keys = []
        if id_number.strip():
            keys.append(("证件号码", Petitioner.id_lookup == id_lookup(id_number, cipher)))
        digits = phone_digits(phone)
        if len(digits) >= 7:
            keys.append(("电话", Petitioner.phone_lookup == phone_lookup(digits, cipher)))
        if name.strip():
            keys.append(("姓名", Petitioner.name == name.strip()))
        seen: dict[str, HistoryRow] = {}
        with Session(self.engine) as s:
            for label, where in keys:
                stmt = (
                    select(Matter.number, Matter.petition_date, Matter.title, Matter.status, Matter.petitioner_names)
                    .join(MatterPetitioner, MatterPetitioner.matter_id == Matter.id)
                    .join(Petitioner, Petitioner.id == MatterPetitioner.petitioner_id)
                    .where(where)
                    .where(Matter.matter_class != REPORTER_CLASS if scope.hide_reporters else True)
                    .order_by(Matter.registered_at.desc())
                    .limit(limit)
                )
                for r in s.execute(stmt):
                    seen.setdefault(r[0], HistoryRow(*r, matched_by=label))
        rows = sorted(seen.values(), key=lambda h: (h.petition_date, h.number), reverse=True)
        return rows[:limit]


def _person(link: MatterPetitioner) -> PersonView:
    p: Petitioner = link.petitioner
    return PersonView(
        name=link.name or p.name,
        id_type=p.id_type,
        id_number_masked=p.id_masked,
        gender=p.gender,
        birth_date=p.birth_date,
        ethnicity=p.ethnicity,
        phone_masked=p.phone_masked,
        address=p.address,
        division_code=p.division_code,
        is_primary=link.is_primary,
        is_representative=link.is_representative,
    )


_HIDDEN_PERSON = PersonView(
    name=REPORTER_HIDDEN, id_type="", id_number_masked="", gender="", birth_date=None, ethnicity="",
    phone_masked="", address="", division_code="", is_primary=False, is_representative=False,
)


def _event(e: MatterEvent, hide_people: bool) -> EventView:
    return EventView(
        seq=e.station_seq,
        kind=e.kind,
        label=vocab.EVENT_LABELS.get(e.kind, e.kind),
        occurred_at=e.occurred_at,
        actor=e.actor,
        payload=_shown_payload(json.loads(e.payload or "{}"), hide_people),
    )


def _shown_payload(payload: dict, hide_people: bool) -> dict:
    """Sealed numbers never leave the service; hidden reporters' details not at all."""
    people = payload.get("people")
    if not isinstance(people, list):
        return payload
    if hide_people:
        return {k: v for k, v in payload.items() if k != "people"}
    return {**payload, "people": [
        {k: v for k, v in person.items() if k not in _SEALED_PAYLOAD_KEYS} if isinstance(person, dict) else person
        for person in people
    ]}
