"""Reading matters: pages of the list, one matter in full, a visitor's earlier matters."""
from __future__ import annotations

import json

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload

from app.models import Matter, MatterEvent, MatterPetitioner, Petitioner

from . import vocab
from .dto import EventView, HistoryRow, MatterDetail, MatterQuery, MatterRow, PersonView
from .errors import NotFound
from .search import matter_ids_matching
from .validation import mask_id_number, mask_phone, phone_digits

SORT_COLUMNS = {
    "number": Matter.number,
    "form": Matter.form,
    "petition_date": Matter.petition_date,
    "registered_at": Matter.registered_at,
    "petitioner_names": Matter.petitioner_names,
    "headcount": Matter.headcount,
    "content_class": Matter.content_class_label,
    "title": Matter.title,
    "status": Matter.status,
}

_ROW_COLUMNS = (
    Matter.id,
    Matter.number,
    Matter.form,
    Matter.petition_date,
    Matter.registered_at,
    Matter.petitioner_names,
    Matter.headcount,
    Matter.is_collective,
    Matter.matter_class,
    Matter.content_class_label,
    Matter.title,
    Matter.decision,
    Matter.status,
    Matter.repeat_of_id,
)


def _row(r) -> MatterRow:
    return MatterRow(*r[:11], r[11] or "", r[12], r[13] is not None)


def _filtered(stmt, q: MatterQuery):
    ids = matter_ids_matching(q.text)
    if ids is not None:
        stmt = stmt.where(Matter.id.in_(ids))
    if q.date_from:
        stmt = stmt.where(Matter.petition_date >= q.date_from)
    if q.date_to:
        stmt = stmt.where(Matter.petition_date <= q.date_to)
    if q.status:
        stmt = stmt.where(Matter.status == q.status)
    if q.content_class_top:
        stmt = stmt.where(Matter.content_class_top == q.content_class_top)
    if q.form:
        stmt = stmt.where(Matter.form == q.form)
    return stmt


class MatterQueries:
    def __init__(self, engine: Engine):
        self.engine = engine

    def count(self, q: MatterQuery) -> int:
        with Session(self.engine) as s:
            return s.scalar(_filtered(select(func.count(Matter.id)), q)) or 0

    def page(self, q: MatterQuery, offset: int = 0, limit: int = 200) -> list[MatterRow]:
        column = SORT_COLUMNS.get(q.sort_key, Matter.registered_at)
        order = (column.desc(), Matter.id.desc()) if q.descending else (column.asc(), Matter.id.asc())
        stmt = _filtered(select(*_ROW_COLUMNS), q).order_by(*order).offset(offset).limit(limit)
        with Session(self.engine) as s:
            return [_row(r) for r in s.execute(stmt)]

    def detail(self, number: str) -> MatterDetail:
        with Session(self.engine) as s:
            m = s.scalar(
                select(Matter)
                .where(Matter.number == number)
                .options(selectinload(Matter.people).selectinload(MatterPetitioner.petitioner))
            )
            if m is None:
                raise NotFound(f"未找到信访件“{number}”")
            row = _row(s.execute(select(*_ROW_COLUMNS).where(Matter.id == m.id)).one())
            repeat_of = s.scalar(select(Matter.number).where(Matter.id == m.repeat_of_id)) if m.repeat_of_id else ""
            repeats = list(s.scalars(select(Matter.number).where(Matter.repeat_of_id == m.id).order_by(Matter.id)))
            events = s.scalars(select(MatterEvent).where(MatterEvent.matter_id == m.id).order_by(MatterEvent.station_seq))
            return MatterDetail(
                row=row,
                people=[_person(link) for link in m.people],
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
                events=[_event(e) for e in events],
            )

    def history(self, *, id_number: str = "", phone: str = "", name: str = "", limit: int = 50) -> list[HistoryRow]:
        """Earlier matters of the visitor being typed in: by ID number, then phone, then same name."""
        keys = []
        if id_number.strip():
            keys.append(("证件号码", Petitioner.id_number == id_number.strip().upper()))
        digits = phone_digits(phone)
        if len(digits) >= 7:
            keys.append(("电话", Petitioner.phone_key == digits))
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
        id_number_masked=mask_id_number(p.id_number) if p.id_number else "",
        gender=p.gender,
        birth_date=p.birth_date,
        ethnicity=p.ethnicity,
        phone_masked=mask_phone(p.phone) if p.phone else "",
        address=p.address,
        division_code=p.division_code,
        is_primary=link.is_primary,
        is_representative=link.is_representative,
    )


def _event(e: MatterEvent) -> EventView:
    return EventView(
        seq=e.station_seq,
        kind=e.kind,
        label=vocab.EVENT_LABELS.get(e.kind, e.kind),
        occurred_at=e.occurred_at,
        actor=e.actor,
        payload=json.loads(e.payload or "{}"),
    )
