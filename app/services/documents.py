"""Assembling receipts and notices from a matter, and recording that they were printed.

Everything printed is masked here (ID first 6 + last 4, phones 138****5678): the renderers in
`app.receipts` never see a full number.
"""
from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.models import Matter, MatterEvent
from app.receipts import content as k
from app.receipts.content import DocumentContent, PersonLine

from . import vocab
from .deadlines import DeadlineService
from .document_templates import DEFAULTS, LEGAL_BASIS, NOTICE_FOR_DECISION, NUMBER_SUFFIX, TITLES, fill
from .dto import MatterDetail
from .errors import FieldError, NotFound, ValidationFailed
from .events import append_event
from .extensions import Extension, ExtensionService
from .lifecycle import LifecycleService
from .matters import MatterQueries
from .security import audit as audit_log
from .security.audit_service import AuditService
from .security.guard import Guard
from .security.permissions import PRINT
from .settings_store import SettingsStore
from .station import StationService

PRINTED = "document_printed"


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


class DocumentService:
    def __init__(
        self,
        engine: Engine,
        matters: MatterQueries,
        stations: StationService,
        settings: SettingsStore,
        deadlines: DeadlineService,
        lifecycle: LifecycleService,
        guard: Guard,
        audit: AuditService,
    ):
        self.engine = engine
        self._guard = guard
        self._audit = audit
        self.matters = matters
        self.stations = stations
        self.settings = settings
        self.deadlines = deadlines
        self.extensions = ExtensionService(engine, lifecycle)

    # --- what can be printed ------------------------------------------------------------

    def kinds_for(self, number: str) -> list[str]:
        """The slip always; the notice the desk decision calls for, if any; the extension notice once extended."""
        detail = self.matters.detail(number)
        notice = NOTICE_FOR_DECISION.get(detail.row.decision)
        kinds = [k.KIND_SLIP, notice] if notice else [k.KIND_SLIP]
        if self.extensions.current(number) is not None:
            kinds.append(k.KIND_EXTEND)
        return kinds

    def templates(self) -> dict[str, str]:
        """The effective wording: defaults overlaid with what the unit saved."""
        saved = self.settings.all()
        return {key: saved.get(key, default) for key, default in DEFAULTS.items()}

    def save_templates(self, values: dict[str, str]) -> None:
        unknown = sorted(set(values) - set(DEFAULTS))
        if unknown:
            raise ValidationFailed([FieldError(key, "不是可设置的项目") for key in unknown])
        self.settings.change(values)

    # --- content --------------------------------------------------------------------

    def content(self, number: str, kind: str, *, today: date | None = None) -> DocumentContent:
        self._guard.require(PRINT)
        detail = self.matters.detail(number)
        if kind != k.KIND_SLIP and kind not in k.NOTICE_KINDS:
            raise ValidationFailed([FieldError("kind", f"文书种类“{kind}”无效")])
        recorded = self.extensions.current(number)
        if kind == k.KIND_EXTEND and recorded is None:
            raise ValidationFailed([FieldError("extension", "该信访件没有延期办理记录，不能出具延期办理告知书")])
        # Only the extension notice is worded as one; every document dates by the extended deadline.
        extension = recorded if kind == k.KIND_EXTEND else None
        today = today or date.today()
        t = self.templates()
        station = self.stations.require()
        unit = t["unit.name"] or station.name
        row = detail.row
        deadline, deadline_key = _deadline(detail, recorded, self.deadlines)
        values = {
            "信访日期": _cn_date(row.petition_date),
            "标题": row.title,
            "去向单位": detail.decision_unit,
            "理由": extension.reason if extension else detail.decision_reason,
            "法定途径": detail.decision_channel,
            "期限日期": _cn_date(deadline) if deadline else "",
            "延期天数": str(recorded.days) if recorded else "",
            "单位": unit,
        }
        people = _people(detail)
        return DocumentContent(
            kind=kind,
            title=TITLES[kind],
            issuing_unit=unit,
            document_number=f"{row.number}-{NUMBER_SUFFIX[kind]}",
            matter_number=row.number,
            query_code=detail.query_code,
            qr_payload=f"XF:{row.number}:{detail.query_code}",
            addressee=_addressee(people, row.headcount),
            people=people,
            petition_date=row.petition_date,
            registered_at=row.registered_at,
            headcount=row.headcount,
            is_collective=row.is_collective,
            matter_title=row.title,
            decision="延期办理" if extension else row.decision,
            body=[fill(t[f"body.{kind}"], values)] if f"body.{kind}" in t else [],
            details=_details(detail, extension),
            legal_basis=LEGAL_BASIS["延期" if extension else row.decision],
            deadline=deadline,
            deadline_text=fill(t[deadline_key], values) if deadline_key else "",
            rights_notice=t["text.query"] + t["text.rights"],
            handler=t["unit.handler"] or detail.registered_by,
            handler_phone=t["unit.handler_phone"] or t["unit.phone"],
            unit_address=t["unit.address"],
            unit_phone=t["unit.phone"],
            issue_date=today,
            seal_text=t["unit.seal_text"] or f"{unit}（印章）",
            reprint=self.times_printed(number, kind) > 0,
        )

    # --- printing record ---------------------------------------------------------------

    def times_printed(self, number: str, kind: str) -> int:
        with Session(self.engine) as s:
            payloads = s.scalars(
                select(MatterEvent.payload)
                .join(Matter, Matter.id == MatterEvent.matter_id)
                .where(Matter.number == number, MatterEvent.kind == PRINTED)
            )
            return sum(1 for p in payloads if json.loads(p).get("document") == kind)

    def record_printed(self, number: str, kind: str, *, actor: str = "", how: str = "打印") -> None:
        """Append a `document_printed` event; a second print of the same kind is a 补打."""
        reprint = self.times_printed(number, kind) > 0
        with Session(self.engine) as s, s.begin():
            matter = s.scalar(select(Matter).where(Matter.number == number))
            if matter is None:
                raise NotFound(f"未找到信访件“{number}”")
            append_event(
                s,
                station_code=matter.station_code,
                matter_id=matter.id,
                kind=PRINTED,
                payload={"document": kind, "reprint": reprint, "how": how},
                actor=actor,
                at=datetime.now().replace(microsecond=0),
            )
            self._audit.record_in(s, audit_log.PRINT, number, {"document": kind, "reprint": reprint, "how": how})


def _deadline(
    detail: MatterDetail, extension: Extension | None, deadlines: DeadlineService
) -> tuple[date | None, str]:
    """The next date owed to the visitor, and which sentence announces it."""
    row = detail.row
    registered = row.registered_at.date()
    if extension is not None:
        return deadlines.conclude_by(registered, extension.days), "deadline.extend"
    if row.decision == vocab.DECISION_ACCEPT:  # accepted at the desk: the handling clock starts today
        return deadlines.conclude_by(registered), "deadline.accept"
    if row.decision in vocab.DECISION_NEEDS_UNIT:
        return deadlines.notify_by(registered), "deadline.forward"
    if not row.decision:
        return deadlines.notify_by(registered), "deadline.pending"
    return None, ""


def _people(detail: MatterDetail) -> list[PersonLine]:
    """Representatives for a collective visit, otherwise everyone who came."""
    chosen = [p for p in detail.people if p.is_representative] if detail.row.is_collective else []
    chosen = chosen or detail.people
    return [
        PersonLine(
            name=p.name,
            role="代表" if p.is_representative and detail.row.is_collective else "信访人",
            id_masked=p.id_number_masked,
            phone_masked=p.phone_masked,
        )
        for p in chosen
    ]


def _addressee(people: list[PersonLine], headcount: int) -> str:
    names = "、".join(p.name for p in people[:3])
    return f"{names}等{headcount}人" if headcount > len(people[:3]) else names


def _details(detail: MatterDetail, extension: Extension | None) -> list[tuple[str, str]]:
    if extension is not None:
        return [("延期天数", f"{extension.days}日"), ("延期理由", extension.reason)]
    out = [
        ("去向单位", detail.decision_unit),
        ("理由", detail.decision_reason),
        ("法定途径", detail.decision_channel),
        ("说明", detail.decision_note),
    ]
    return [(label, value) for label, value in out if value]
