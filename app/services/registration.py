"""Registering a matter at the desk: validate everything, then write it in one transaction.

The UI and the CLI both build a `RegistrationInput` and call `RegistrationService.register`;
a refusal raises `ValidationFailed` with one Chinese message per bad field, and then nothing
has been written.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.models import Matter, MatterPetitioner, Petitioner

from . import vocab
from .attachments import AttachmentService, check_attachment_paths, discard_on_failure
from .content_classes import ClassNode, ContentClassTree, split_labels
from .dates import parse_date
from .decision import Decision, check_decision, unit_id_for
from .deadlines import DeadlineService
from .lifecycle.caches import refresh_caches
from .errors import FieldError, ValidationFailed
from .events import append_event
from .leaders import active_leader_id
from .numbering import next_matter_number
from .query_codes import new_query_code
from .security import audit as audit_log
from .security.audit_service import AuditService
from .security.crypto import FieldCipher
from .security.guard import Guard
from .security.permissions import REGISTER
from .security.sealing import id_columns, phone_columns, seal_payload
from .pinyin import name_initials
from .station import StationInfo, StationService
from .validation import ID_TYPES, check_division_code, check_id_number, check_name, check_phone, check_text, phone_digits


@dataclass
class PetitionerInput:
    name: str = ""
    id_type: str = "居民身份证"
    id_number: str = ""
    gender: str = ""
    birth_date: str | date | None = None
    ethnicity: str = ""
    phone: str = ""
    address: str = ""
    division_code: str = ""


@dataclass
class RegistrationInput:
    form: str = "走访"
    petition_date: str | date | None = None
    petitioners: list[PetitionerInput] = field(default_factory=list)
    headcount: int | str = 1
    representatives: list[str] = field(default_factory=list)
    matter_class: str = ""
    content_class: list[str] | str = field(default_factory=list)
    title: str = ""
    request: str = ""
    facts: str = ""
    location_code: str = ""
    location: str = ""
    skip_level: bool = False
    litigation_related: bool = False
    major_urgent: bool = False
    decision: str = ""
    decision_unit: str = ""
    decision_reason: str = ""
    decision_channel: str = ""
    decision_note: str = ""
    repeat_of: str = ""
    # Files to keep with the matter (a letter's scan or photo): paths on this computer.
    attachments: list[str] = field(default_factory=list)
    receiver_leader: str = ""  # 接访领导: the name of an active leader, or ""


@dataclass(frozen=True)
class CleanPetitioner:
    name: str
    id_type: str
    id_number: str
    gender: str
    birth_date: date | None
    ethnicity: str
    phone: str
    phone_key: str
    address: str
    division_code: str
    is_representative: bool = False


@dataclass(frozen=True)
class RegistrationResult:
    matter_id: int
    number: str
    warnings: list[FieldError]


class _Validator:
    """Collects every error of one registration input, so the user sees them all at once."""

    def __init__(self, station: StationInfo, tree: ContentClassTree, today: date):
        self.station = station
        self.tree = tree
        self.today = today
        self.errors: list[FieldError] = []
        self.warnings: list[FieldError] = []

    def err(self, field_name: str, message: str) -> None:
        self.errors.append(FieldError(field_name, message))

    def choice(self, field_name: str, value: str, allowed: tuple[str, ...], label: str) -> str:
        value = (value or "").strip()
        if not value:
            self.err(field_name, f"请选择{label}")
        elif value not in allowed:
            self.err(field_name, f"{label}“{value}”无效，可选：{'、'.join(allowed)}")
        return value

    def text(self, field_name: str, value: str, label: str, *, required: bool, max_len: int) -> str:
        cleaned, error = check_text(value or "", label, required=required, max_len=max_len)
        if error:
            self.err(field_name, error)
        return cleaned

    def petitioner(self, i: int, p: PetitionerInput) -> CleanPetitioner:
        f = f"petitioners[{i}]."
        name = check_name(p.name or "")
        if name.error:
            self.err(f + "name", name.error)
        id_type = (p.id_type or "").strip() or "无证件"
        idc = check_id_number(id_type, p.id_number or "", today=self.today)
        if idc.error:
            self.err(f + "id_number" if id_type in ID_TYPES else f + "id_type", idc.error)
        if idc.warning:
            self.warnings.append(FieldError(f + "id_number", idc.warning))
        gender = (p.gender or "").strip()
        if gender and gender not in vocab.GENDERS:
            self.err(f + "gender", "性别只能是“男”或“女”")
        elif gender and idc.gender and gender != idc.gender:
            self.err(f + "gender", f"性别与证件号码不符（号码显示为{idc.gender}）")
        birth = parse_date(p.birth_date, f + "birth_date", "出生日期", self.errors)
        if birth and birth > self.today:
            self.err(f + "birth_date", "出生日期不能晚于今天")
        elif birth and idc.birth_date and birth != idc.birth_date:
            self.err(f + "birth_date", f"出生日期与证件号码不符（号码显示为{idc.birth_date:%Y-%m-%d}）")
        ethnicity = (p.ethnicity or "").strip()
        if ethnicity and ethnicity not in vocab.ETHNICITIES:
            if ethnicity + "族" in vocab.ETHNICITIES:
                ethnicity += "族"
            else:
                self.err(f + "ethnicity", f"民族“{ethnicity}”不在民族名称表中")
        phone = check_phone(p.phone or "")
        if phone.error:
            self.err(f + "phone", phone.error)
        address = self.text(f + "address", p.address, "住址", required=False, max_len=vocab.MAX_ADDRESS)
        division, div_error = check_division_code(p.division_code or "")
        if div_error:
            self.err(f + "division_code", div_error)
        return CleanPetitioner(
            name=name.normalized,
            id_type=id_type,
            id_number=idc.normalized,
            gender=gender or (idc.gender or ""),
            birth_date=birth or idc.birth_date,
            ethnicity=ethnicity,
            phone=phone.normalized,
            phone_key=phone_digits(phone.normalized),
            address=address,
            division_code=division or (idc.region_code or ""),
        )

    def representatives(self, names: list[str]) -> list[str]:
        out: list[str] = []
        for i, raw in enumerate(names):
            if not str(raw).strip():
                continue
            check = check_name(str(raw))
            if check.error:
                self.err("representatives", f"第{i + 1}位代表：{check.error}")
            elif check.normalized in out:
                self.err("representatives", f"代表“{check.normalized}”重复")
            else:
                out.append(check.normalized)
        limit = self.station.max_representatives
        if len(out) > limit:
            self.err("representatives", f"推选代表不能超过{limit}人（《信访工作条例》第二十条），现为{len(out)}人")
        return out

    def headcount(self, value: int | str, listed: int) -> int:
        try:
            n = int(str(value).strip())
        except (TypeError, ValueError):
            self.err("headcount", "人数应为整数")
            return 0
        if n < 1 or n > vocab.MAX_HEADCOUNT:
            self.err("headcount", f"人数应在1至{vocab.MAX_HEADCOUNT}之间")
        elif n < listed:
            self.err("headcount", f"人数不能少于已登记的信访人和代表数（{listed}人）")
        return n

    def content_class(self, value: list[str] | str) -> ClassNode | None:
        labels = split_labels(value or [])
        if not labels:
            self.err("content_class", "请选择内容分类")
            return None
        node = self.tree.resolve(labels)
        if node is None:
            self.err("content_class", f"内容分类“{'/'.join(labels)}”不在分类表中，请从列表中选择")
        return node

    def decision(self, data: RegistrationInput) -> Decision:
        decision, errors = check_decision(
            data.decision, data.decision_unit, data.decision_reason, data.decision_channel, data.decision_note
        )
        self.errors.extend(errors)
        return decision


@dataclass(frozen=True)
class CleanRegistration:
    form: str
    petition_date: date
    petitioners: list[CleanPetitioner]
    headcount: int
    is_collective: bool
    matter_class: str
    content_class: ClassNode
    title: str
    request: str
    facts: str
    location_code: str
    location: str
    skip_level: bool
    litigation_related: bool
    major_urgent: bool
    decision: Decision
    repeat_of: str
    attachments: tuple[str, ...] = ()
    receiver_leader: str = ""


class RegistrationService:
    def __init__(
        self,
        engine: Engine,
        stations: StationService,
        tree: ContentClassTree,
        deadlines: DeadlineService | None = None,
        attachments: AttachmentService | None = None,
        *,
        guard: Guard,
        audit: AuditService,
    ):
        self.engine = engine
        self._guard = guard
        self._audit = audit
        self.stations = stations
        self.tree = tree
        self.deadlines = deadlines  # when given, the new matter's deadline caches are filled at once
        self.attachments = attachments  # copies attached files into the data directory

    def validate(self, data: RegistrationInput, today: date | None = None) -> tuple[CleanRegistration, list[FieldError]]:
        """Check every field; raise ValidationFailed listing all problems, or return the cleaned input."""
        station = self.stations.require()
        today = today or date.today()
        v = _Validator(station, self.tree, today)
        form = v.choice("form", data.form, vocab.FORMS, "信访形式")
        # A letter's petition date is its postmark date (邮戳日期): given, never assumed to be today.
        date_label = "邮戳日期" if form == "来信" else "信访日期"
        if form == "来信" and not str(data.petition_date or "").strip():
            v.err("petition_date", "来信请填写邮戳日期")
            petition_date = today
        else:
            petition_date = parse_date(data.petition_date, "petition_date", date_label, v.errors) or today
        if petition_date > today:
            v.err("petition_date", f"{date_label}不能晚于今天")
        if not data.petitioners:
            v.err("petitioners", "请至少登记一位信访人")
        people = [v.petitioner(i, p) for i, p in enumerate(data.petitioners)]
        reps = v.representatives(list(data.representatives or []))
        people = _mark_representatives(people, reps)
        headcount = v.headcount(data.headcount, len(people))
        matter_class = v.choice("matter_class", data.matter_class, vocab.MATTER_CLASSES, "事项类别")
        node = v.content_class(data.content_class)
        title = v.text("title", data.title, "标题", required=True, max_len=vocab.MAX_TITLE)
        request = v.text("request", data.request, "诉求", required=True, max_len=vocab.MAX_REQUEST)
        facts = v.text("facts", data.facts, "事实和理由", required=False, max_len=vocab.MAX_FACTS)
        location = v.text("location", data.location, "问题属地", required=False, max_len=vocab.MAX_ADDRESS)
        location_code, loc_error = check_division_code(data.location_code or "")
        if loc_error:
            v.err("location_code", loc_error)
        decision = v.decision(data)
        repeat_of = (data.repeat_of or "").strip()
        if repeat_of and not self._matter_exists(repeat_of):
            v.err("repeat_of", f"未找到信访件“{repeat_of}”，无法关联为重复访")
        receiver = (data.receiver_leader or "").strip()
        if receiver and self._receiver_id(receiver) is None:
            v.err("receiver_leader", f"未找到接访领导“{receiver}”，请先在领导接访安排中添加")
        attachments = tuple(str(p) for p in data.attachments or [])
        v.errors.extend(check_attachment_paths(attachments))
        collective = headcount >= station.collective_threshold
        if collective and form == "走访" and not reps:
            v.warnings.append(FieldError("representatives", "集体访应推选代表（不超过5人）"))
        if v.errors:
            raise ValidationFailed(v.errors, v.warnings)
        clean = CleanRegistration(
            form=form,
            petition_date=petition_date,
            petitioners=people,
            headcount=headcount,
            is_collective=collective,
            matter_class=matter_class,
            content_class=node,  # type: ignore[arg-type]  # not None when no errors
            title=title,
            request=request,
            facts=facts,
            location_code=location_code,
            location=location,
            skip_level=bool(data.skip_level),
            litigation_related=bool(data.litigation_related),
            major_urgent=bool(data.major_urgent),
            decision=decision,
            repeat_of=repeat_of,
            attachments=attachments,
            receiver_leader=receiver,
        )
        return clean, v.warnings

    def register(self, data: RegistrationInput, actor: str = "", now: datetime | None = None) -> RegistrationResult:
        """Validate, then write the matter, its people and its events in one transaction.

        `actor` is the 经办人 recorded on the events (default: the logged-in operator)."""
        principal = self._guard.require(REGISTER)
        actor = actor or principal.name
        now = now or datetime.now().replace(microsecond=0)
        clean, warnings = self.validate(data, today=now.date())
        station = self.stations.require()
        with discard_on_failure() as copied, Session(self.engine) as s, s.begin():
            number = next_matter_number(s, station.code, now.date())
            matter = _new_matter(s, clean, station.code, number, now, actor, principal.cipher)
            s.add(matter)
            s.flush()
            _record_events(s, clean, matter, station.code, actor, now, principal.cipher)
            self._audit.record_in(s, audit_log.REGISTER, number, {"people": len(clean.petitioners)})
            if clean.attachments:
                copied.extend(self._attachment_service().add_in(s, matter, clean.attachments, actor, now))
            if self.deadlines is not None:
                refresh_caches(s, matter, self.deadlines)
            return RegistrationResult(matter.id, number, warnings)

    def _attachment_service(self) -> AttachmentService:
        if self.attachments is None:
            raise RuntimeError("RegistrationService needs an AttachmentService to store attachments")
        return self.attachments

    def _matter_exists(self, number: str) -> bool:
        with Session(self.engine) as s:
            return s.scalar(select(Matter.id).where(Matter.number == number)) is not None

    def _receiver_id(self, name: str) -> int | None:
        with Session(self.engine) as s:
            return active_leader_id(s, name)


def _mark_representatives(people: list[CleanPetitioner], reps: list[str]) -> list[CleanPetitioner]:
    """Flag listed petitioners who are representatives; add name-only entries for the others."""
    out = []
    names = {p.name for p in people}
    for p in people:
        out.append(replace(p, is_representative=p.name in reps))
    for name in reps:
        if name not in names:
            out.append(
                CleanPetitioner(name, "无证件", "", "", None, "", "", "", "", "", is_representative=True)
            )
    return out


def _find_or_create_petitioner(s: Session, p: CleanPetitioner, now: datetime, cipher: FieldCipher) -> Petitioner:
    """Reuse the person's row when the same ID number was seen before (found by its lookup key,
    the number itself is sealed), refreshing contact data."""
    row = None
    sealed_id = id_columns(p.id_number, cipher)
    if p.id_number:
        row = s.scalar(
            select(Petitioner)
            .where(Petitioner.id_type == p.id_type, Petitioner.id_lookup == sealed_id["id_lookup"])
            .limit(1)
        )
    if row is None:
        row = Petitioner(id_type=p.id_type, created_at=now, **sealed_id)
        s.add(row)
    row.name = p.name
    row.name_initials = name_initials(p.name)
    row.updated_at = now
    for attr in ("gender", "birth_date", "ethnicity", "address", "division_code"):
        value = getattr(p, attr)
        if value:
            setattr(row, attr, value)
    if p.phone:
        for attr, value in phone_columns(p.phone, cipher).items():
            setattr(row, attr, value)
    for attr in ("gender", "ethnicity", "address", "division_code", "phone_sealed", "phone_lookup", "phone_masked"):
        if getattr(row, attr) is None:
            setattr(row, attr, "")
    return row


def _new_matter(
    s: Session, c: CleanRegistration, station_code: str, number: str, now: datetime, actor: str, cipher: FieldCipher
) -> Matter:
    repeat_id = s.scalar(select(Matter.id).where(Matter.number == c.repeat_of)) if c.repeat_of else None
    matter = Matter(
        number=number,
        query_code=_unused_query_code(s),
        station_code=station_code,
        form=c.form,
        petition_date=c.petition_date,
        registered_at=now,
        headcount=c.headcount,
        is_collective=c.is_collective,
        matter_class=c.matter_class,
        content_class_id=c.content_class.id,
        content_class_label=c.content_class.path,
        content_class_top=c.content_class.top,
        title=c.title,
        request=c.request,
        facts=c.facts,
        location_code=c.location_code,
        location=c.location,
        skip_level=c.skip_level,
        litigation_related=c.litigation_related,
        major_urgent=c.major_urgent,
        decision=c.decision.decision,
        decision_unit_id=unit_id_for(s, c.decision.unit),
        decision_unit_name=c.decision.unit,
        decision_reason=c.decision.reason,
        decision_channel=c.decision.channel,
        decision_note=c.decision.note,
        status=vocab.STATUS_BY_DECISION.get(c.decision.decision or "", vocab.STATUS_REGISTERED),
        repeat_of_id=repeat_id,
        receiver_leader_id=active_leader_id(s, c.receiver_leader) if c.receiver_leader else None,
        receiver_leader_name=c.receiver_leader,
        petitioner_names="、".join(p.name for p in c.petitioners),
        registered_by=actor,
    )
    for pos, p in enumerate(c.petitioners):
        matter.people.append(
            MatterPetitioner(
                petitioner=_find_or_create_petitioner(s, p, now, cipher),
                position=pos,
                is_primary=pos == 0,
                is_representative=p.is_representative,
                name=p.name,
            )
        )
    return matter


def _unused_query_code(s: Session) -> str:
    code = new_query_code()
    while s.scalar(select(Matter.id).where(Matter.query_code == code)) is not None:
        code = new_query_code()
    return code


def registration_payload(c: CleanRegistration, matter: Matter) -> dict:
    """The whole registration, as the county must hold it (the `registered` event's payload)."""
    people = [
        {
            "name": p.name,
            "id_type": p.id_type,
            "id_number": p.id_number,
            "gender": p.gender,
            "birth_date": p.birth_date.isoformat() if p.birth_date else "",
            "ethnicity": p.ethnicity,
            "phone": p.phone,
            "address": p.address,
            "division_code": p.division_code,
            "is_primary": pos == 0,
            "is_representative": p.is_representative,
        }
        for pos, p in enumerate(c.petitioners)
    ]
    return {
        "number": matter.number,
        "query_code": matter.query_code,
        "form": c.form,
        "petition_date": c.petition_date.isoformat(),
        "registered_at": matter.registered_at.isoformat(timespec="seconds"),
        "headcount": c.headcount,
        "is_collective": c.is_collective,
        "matter_class": c.matter_class,
        "content_class": c.content_class.path,
        "title": c.title,
        "request": c.request,
        "facts": c.facts,
        "location": c.location,
        "location_code": c.location_code,
        "flags": [label for attr, label in vocab.FLAG_LABELS.items() if getattr(c, attr)],
        "repeat_of": c.repeat_of,
        "receiver_leader": c.receiver_leader,
        "people": people,
    }


def _record_events(
    s: Session, c: CleanRegistration, matter: Matter, station_code: str, actor: str, now: datetime, cipher: FieldCipher
):
    def add(matter_id: int, kind: str, payload: dict) -> None:
        append_event(s, station_code=station_code, matter_id=matter_id, kind=kind, payload=payload, actor=actor, at=now)

    add(matter.id, "registered", seal_payload(registration_payload(c, matter), cipher))
    if matter.repeat_of_id is not None:
        add(matter.id, "linked_as_repeat", {"repeat_of": c.repeat_of})
        add(matter.repeat_of_id, "repeat_visit_recorded", {"repeat_number": matter.number})
    if c.decision.decision:
        add(matter.id, "decided", c.decision.payload())
