"""What the county server does, independent of HTTP and the command line.

Each function opens its own short session and returns plain dicts/dataclasses.
"""
from __future__ import annotations

import json
import logging
import secrets
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import protocol
from .db import read_session, write_transaction
from .models import Conflict, CountyEvent, Event, Matter, Station

logger = logging.getLogger(__name__)


class CountyError(Exception):
    """A refusal with a Chinese message for the user (command line or HTTP)."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


# --- stations -------------------------------------------------------------------------------


def add_station(engine: Engine, code: str, name: str) -> str:
    """Register a station; returns its token (shown once, only its SHA-256 is kept)."""
    code, name = code.strip(), name.strip()
    if not code or len(code) > 20 or not code.isalnum() or not code.isascii():
        raise CountyError("接待站代码应为 1–20 位字母或数字")
    if not name or len(name) > 100:
        raise CountyError("接待站名称不能为空，且不超过 100 字")
    token = secrets.token_urlsafe(32)
    with write_transaction(engine) as s:
        if s.get(Station, code) is not None:
            raise CountyError(f"接待站 {code} 已存在")
        s.add(Station(code=code, name=name, token_sha256=protocol.token_sha256(token), revoked=False, created_at=_now()))
    logger.info("station added", extra={"station": code})
    return token


def revoke_station(engine: Engine, code: str) -> None:
    with write_transaction(engine) as s:
        station = s.get(Station, code)
        if station is None:
            raise CountyError(f"没有接待站 {code}")
        station.revoked = True
        station.revoked_at = _now()
    logger.info("station revoked", extra={"station": code})


def station_for_token(engine: Engine, token: str) -> str | None:
    """The code of the active station holding `token`, or None."""
    digest = protocol.token_sha256(token)
    with read_session(engine) as s:
        return s.scalar(select(Station.code).where(Station.token_sha256 == digest, Station.revoked.is_(False)))


def _station(s: Session, code: str) -> Station:
    station = s.get(Station, code)
    if station is None:
        raise CountyError(f"没有接待站 {code}")
    return station


# --- what the server holds per station ------------------------------------------------------


def station_summary(s: Session, code: str) -> dict[str, Any]:
    count, max_seq = s.execute(
        select(func.count(Event.cursor), func.coalesce(func.max(Event.seq), 0)).where(Event.station_code == code)
    ).one()
    steps = (
        select(Event.seq.label("seq"), func.lag(Event.seq).over(order_by=Event.seq).label("prev"))
        .where(Event.station_code == code)
        .subquery()
    )
    gaps = s.execute(
        select(steps.c.seq, steps.c.prev)
        .where(steps.c.seq - func.coalesce(steps.c.prev, 0) > 1)
        .order_by(steps.c.seq)
    ).all()
    return {"count": int(count), "max_seq": int(max_seq), "missing": protocol.missing_ranges([(int(a), b) for a, b in gaps])}


def status(engine: Engine, code: str) -> dict[str, Any]:
    with read_session(engine) as s:
        return {"code": code, **station_summary(s, code)}


# --- ingesting events (push and bundle) ----------------------------------------------------


@dataclass
class IngestOutcome:
    results: list[dict[str, Any]] = field(default_factory=list)
    station: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = {"stored": 0, "duplicate": 0, "rejected": 0}
        for r in self.results:
            out[r["status"]] += 1
        return out


def _result_id(raw: Any) -> Any:
    return raw.get("id") if isinstance(raw, dict) else None


def _result_seq(raw: Any) -> Any:
    return raw.get("seq") if isinstance(raw, dict) else None


def _names(people: Any) -> str:
    if not isinstance(people, list):
        return ""
    names = []
    for p in people:
        if isinstance(p, dict) and isinstance(p.get("name"), str) and p["name"].strip():
            names.append(p["name"].strip())
        elif isinstance(p, str) and p.strip():
            names.append(p.strip())
    return "、".join(names)


def _parse_wall_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=None) if parsed.tzinfo is None else parsed.astimezone(timezone.utc).replace(tzinfo=None)


def _project_registered(s: Session, code: str, ev: protocol.CheckedEvent) -> None:
    """Create or refresh the county's matter row from a `registered` payload (lenient)."""
    p = ev.payload
    title = p.get("title") if isinstance(p.get("title"), str) else ""
    people = p.get("people", p.get("petitioners"))
    names = _names(people) or (p.get("petitioner_names") if isinstance(p.get("petitioner_names"), str) else "")
    registered_at = _parse_wall_time(p.get("registered_at")) or _parse_wall_time(ev.occurred_at)
    matter = s.scalar(select(Matter).where(Matter.station_code == code, Matter.number == ev.matter_number))
    if matter is None:
        matter = Matter(station_code=code, number=ev.matter_number, county_number=None)
        s.add(matter)
    matter.title = title
    matter.petitioner_names = names
    matter.registered_at = registered_at
    matter.registered_event = ev.id
    matter.registration = protocol.canonical_json(p).decode("utf-8")
    matter.updated_at = _now()


def _ingest_batch(s: Session, code: str, events: list[Any], source: str) -> IngestOutcome:
    # Serialise batches of one station (PostgreSQL row lock; SQLite already holds the write lock).
    s.execute(select(Station.code).where(Station.code == code).with_for_update())
    checked: list[tuple[Any, protocol.CheckedEvent | str]] = [(raw, protocol.validate_event(raw, code)) for raw in events]
    ids = {c.id for _, c in checked if isinstance(c, protocol.CheckedEvent)}
    seqs = {c.seq for _, c in checked if isinstance(c, protocol.CheckedEvent)}
    by_id: dict[str, tuple[str, int, str]] = {}
    for chunk in _chunks(sorted(ids), 400):
        for uid, st, seq, sha in s.execute(
            select(Event.uuid, Event.station_code, Event.seq, Event.content_sha256).where(Event.uuid.in_(chunk))
        ):
            by_id[uid] = (st, seq, sha)
    by_seq: dict[int, str] = {}
    for chunk in _chunks(sorted(seqs), 400):
        for seq, uid in s.execute(
            select(Event.seq, Event.uuid).where(Event.station_code == code, Event.seq.in_(chunk))
        ):
            by_seq[seq] = uid

    now = _now()
    outcome = IngestOutcome()
    for raw, c in checked:
        if isinstance(c, str):
            outcome.results.append(
                {"id": _result_id(raw), "seq": _result_seq(raw), "status": "rejected", "code": 422, "reason": c}
            )
            continue
        known = by_id.get(c.id)
        if known is not None:
            st, seq, sha = known
            if st != code:
                outcome.results.append(_conflict(s, code, c, raw, sha, protocol.REASON_OTHER_STATION_ID, now))
            elif sha == c.sha256:
                outcome.results.append({"id": c.id, "seq": c.seq, "status": "duplicate"})
            else:
                outcome.results.append(_conflict(s, code, c, raw, sha, protocol.REASON_CONFLICT, now))
            continue
        if c.seq in by_seq:
            other = by_seq[c.seq]
            stored = by_id.get(other, (code, c.seq, ""))[2] or _sha_of(s, other)
            outcome.results.append(
                _conflict(s, code, c, raw, stored, f"{protocol.REASON_SEQ_TAKEN}（序号 {c.seq}）", now)
            )
            continue
        payload_text = protocol.canonical_json(c.payload).decode("utf-8")
        s.add(
            Event(
                uuid=c.id,
                station_code=code,
                seq=c.seq,
                matter_number=c.matter_number,
                kind=c.kind,
                occurred_at=c.occurred_at,
                actor=c.actor,
                payload=payload_text,
                content_sha256=c.sha256,
                received_at=now,
                source=source,
            )
        )
        if c.kind == "registered":
            _project_registered(s, code, c)
        by_id[c.id] = (code, c.seq, c.sha256)
        by_seq[c.seq] = c.id
        outcome.results.append({"id": c.id, "seq": c.seq, "status": "stored"})
    s.flush()
    outcome.station = station_summary(s, code)
    return outcome


def _sha_of(s: Session, uid: str) -> str:
    return s.scalar(select(Event.content_sha256).where(Event.uuid == uid)) or ""


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _conflict(
    s: Session, code: str, c: protocol.CheckedEvent, raw: dict, stored_sha: str, reason: str, now: datetime
) -> dict[str, Any]:
    s.add(
        Conflict(
            station_code=code,
            event_uuid=c.id,
            seq=c.seq,
            stored_sha256=stored_sha,
            received_sha256=c.sha256,
            received=protocol.canonical_json(raw).decode("utf-8"),
            reason=reason,
            received_at=now,
        )
    )
    logger.warning(
        "event conflict",
        extra={"station": code, "event_id": c.id, "seq": c.seq, "reason": reason,
               "stored_sha256": stored_sha, "received_sha256": c.sha256},
    )
    return {"id": c.id, "seq": c.seq, "status": "rejected", "code": 409, "reason": reason}


def ingest(engine: Engine, code: str, events: list[Any], source: str = "push") -> IngestOutcome:
    """Store a batch in one transaction; every event gets exactly one result."""
    for attempt in range(3):
        try:
            with write_transaction(engine) as s:
                outcome = _ingest_batch(s, code, events, source)
            break
        except IntegrityError:
            # Only a race with another writer (e.g. the same event id from two stations at once)
            # can get here; the whole batch is retried and then sees the other's rows.
            if attempt == 2:
                raise
            logger.warning("push retried after a concurrent write", extra={"station": code})
    counts = outcome.counts()
    logger.info("events ingested", extra={"station": code, "source": source, **counts, **outcome.station})
    return outcome


# --- bundles --------------------------------------------------------------------------------


def import_bundle(engine: Engine, document: Any) -> tuple[str, IngestOutcome]:
    """Verify an offline bundle's signature and store its events like a push."""
    if not isinstance(document, dict) or document.get("format") != protocol.BUNDLE_FORMAT:
        raise CountyError(f"不是接待台导出的数据包（应为格式 {protocol.BUNDLE_FORMAT}）")
    code, events, signature = document.get("station"), document.get("events"), document.get("signature")
    if not isinstance(code, str) or not isinstance(events, list) or not isinstance(signature, str):
        raise CountyError("数据包缺少 station、events 或 signature")
    with read_session(engine) as s:
        station = s.get(Station, code)
        if station is None:
            raise CountyError(f"没有接待站 {code}，请先用 add-station 登记")
        if station.revoked:
            raise CountyError(f"接待站 {code} 已停用，拒绝导入其数据包")
        token_hash = station.token_sha256
    if not protocol.verify_bundle_signature(events, token_hash, signature):
        logger.warning("bundle signature mismatch", extra={"station": code})
        raise CountyError("数据包签名不符：文件可能被改动过，或不是该接待站导出的，已拒绝导入")
    return code, ingest(engine, code, events, source="bundle")


# --- matters, events, county events -------------------------------------------------------


def list_matters(engine: Engine, code: str) -> list[dict[str, Any]]:
    with read_session(engine) as s:
        _station(s, code)
        rows = s.scalars(select(Matter).where(Matter.station_code == code).order_by(Matter.number)).all()
        return [
            {
                "number": m.number,
                "station": m.station_code,
                "petitioner_names": m.petitioner_names,
                "title": m.title,
                "county_number": m.county_number,
                "registered_at": m.registered_at.isoformat(timespec="seconds") if m.registered_at else None,
            }
            for m in rows
        ]


def list_events(engine: Engine, code: str) -> list[dict[str, Any]]:
    with read_session(engine) as s:
        _station(s, code)
        rows = s.scalars(select(Event).where(Event.station_code == code).order_by(Event.seq)).all()
        return [
            {
                "cursor": e.cursor,
                "id": e.uuid,
                "seq": e.seq,
                "matter_number": e.matter_number,
                "kind": e.kind,
                "occurred_at": e.occurred_at,
                "actor": e.actor,
                "payload": json.loads(e.payload),
                "content_sha256": e.content_sha256,
                "source": e.source,
                "received_at": protocol.server_time(e.received_at),
            }
            for e in rows
        ]


def list_conflicts(engine: Engine, code: str) -> list[dict[str, Any]]:
    with read_session(engine) as s:
        rows = s.scalars(select(Conflict).where(Conflict.station_code == code).order_by(Conflict.id)).all()
        return [
            {"id": c.event_uuid, "seq": c.seq, "reason": c.reason, "stored_sha256": c.stored_sha256,
             "received_sha256": c.received_sha256, "received": json.loads(c.received)}
            for c in rows
        ]


def add_county_event(engine: Engine, code: str, matter_number: str, kind: str, payload: Any) -> dict[str, Any]:
    reason = protocol.validate_county_payload(kind, payload)
    if reason:
        raise CountyError(reason)
    now = _now()
    with write_transaction(engine) as s:
        _station(s, code)
        matter = s.scalar(select(Matter).where(Matter.station_code == code, Matter.number == matter_number))
        if matter is None:
            raise CountyError(f"接待站 {code} 没有信访件 {matter_number}（尚未收到其登记事件）")
        ev = CountyEvent(
            uuid=str(uuidlib.uuid4()),
            station_code=code,
            matter_number=matter_number,
            kind=kind,
            payload=protocol.canonical_json(payload).decode("utf-8"),
            occurred_at=protocol.server_time(now),
            created_at=now,
        )
        s.add(ev)
        if kind == "county_number_assigned":
            matter.county_number = str(payload["county_number"])
            matter.updated_at = now
        s.flush()
        out = _county_event_dict(ev)
    logger.info("county event added", extra={"station": code, "kind": kind, "cursor": out["cursor"]})
    return out


def _county_event_dict(ev: CountyEvent) -> dict[str, Any]:
    return {
        "cursor": ev.cursor,
        "id": ev.uuid,
        "matter_number": ev.matter_number,
        "kind": ev.kind,
        "occurred_at": ev.occurred_at,
        "payload": json.loads(ev.payload),
    }


def pull(engine: Engine, code: str, after: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    with read_session(engine) as s:
        rows = s.scalars(
            select(CountyEvent)
            .where(CountyEvent.station_code == code, CountyEvent.cursor > after)
            .order_by(CountyEvent.cursor)
            .limit(limit)
        ).all()
        events = [_county_event_dict(r) for r in rows]
    return events, (events[-1]["cursor"] if events else after)
