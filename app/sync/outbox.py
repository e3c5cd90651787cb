"""The desk's outbox: which events the county has acknowledged, and what it sent back.

States: pending → sending → acked, or → needs_attention (需处理, refused by the server with a
reason). `sending` is only a note that an attempt is under way: a crash or a lost answer leaves
it, and the next attempt takes `sending` rows like `pending` ones, so the queue cannot get stuck.
Nothing becomes `acked` unless a 2xx answer named the event's id.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from app.models import CountyEvent, Matter, MatterEvent, Setting, SyncOutbox
from app.models.sync import ACKED, NEEDS_ATTENTION, PENDING, SENDING

from .client import PushResult
from .protocol import MAX_BATCH_BYTES, MAX_BATCH_EVENTS, OutgoingEvent, canonical

PULL_CURSOR_KEY = "sync.pull_cursor"
UNSENT = (PENDING, SENDING)


@dataclass(frozen=True)
class OutboxCounts:
    pending: int  # pending + sending: not yet acknowledged, will be sent
    needs_attention: int
    acked: int
    acked_max_seq: int
    waiting_matters: int  # matters with at least one event not yet acknowledged

    @property
    def unacknowledged(self) -> int:
        return self.pending + self.needs_attention


@dataclass(frozen=True)
class Settled:
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    unanswered: int = 0


@dataclass(frozen=True)
class AttentionItem:
    matter_number: str
    seq: int
    kind: str
    reason: str


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Outbox:
    def __init__(self, engine: Engine, open_payload: Callable[[dict], dict] = lambda payload: payload):
        self.engine = engine
        self._open_payload = open_payload  # what leaves the desk: sealed fields opened

    # --- sending --------------------------------------------------------------------------

    def take_batch(self, limit: int = MAX_BATCH_EVENTS, max_bytes: int = MAX_BATCH_BYTES) -> list[OutgoingEvent]:
        """The oldest unsent events (by sequence), marked `sending`, within the batch limits."""
        with Session(self.engine) as s, s.begin():
            rows = s.execute(
                select(SyncOutbox, MatterEvent, Matter.number)
                .join(MatterEvent, MatterEvent.id == SyncOutbox.event_id)
                .join(Matter, Matter.id == MatterEvent.matter_id)
                .where(SyncOutbox.state.in_(UNSENT))
                .order_by(MatterEvent.station_seq)
                .limit(limit)
            ).all()
            batch, size = [], 0
            for box, event, number in rows:
                item = _outgoing(event, number, self._open_payload)
                size += len(canonical(item.wire()))
                if batch and size > max_bytes:
                    break
                box.state, box.attempts = SENDING, box.attempts + 1
                batch.append(item)
            return batch

    def settle(self, batch: list[OutgoingEvent], result: PushResult) -> Settled:
        """Apply the server's per-event answers; events it did not name go back to pending.

        Bulk updates, not one ORM round trip per event: a 500-event batch settles in a few ms,
        so the worker thread never holds the interpreter long enough to stall the window.
        """
        by_id = {r.get("id"): r for r in result.results}
        acked, unanswered, rejected = [], [], []
        stored = duplicates = 0
        for item in batch:
            answer = by_id.get(item.id) or {}
            status = answer.get("status")
            if status in ("stored", "duplicate"):
                acked.append(item.local_id)
                stored += status == "stored"
                duplicates += status == "duplicate"
            elif status == "rejected":
                rejected.append((item.local_id, str(answer.get("reason") or "县级服务器拒收，未说明原因")))
            else:
                unanswered.append(item.local_id)
        with Session(self.engine) as s, s.begin():
            if acked:
                s.execute(
                    update(SyncOutbox)
                    .where(SyncOutbox.event_id.in_(acked))
                    .values(state=ACKED, acked_at=_now(), last_error="")
                )
            if unanswered:
                s.execute(update(SyncOutbox).where(SyncOutbox.event_id.in_(unanswered)).values(state=PENDING))
            for local_id, reason in rejected:
                s.execute(
                    update(SyncOutbox)
                    .where(SyncOutbox.event_id == local_id)
                    .values(state=NEEDS_ATTENTION, last_error=reason)
                )
        return Settled(stored, duplicates, len(rejected), len(unanswered))

    def release(self, batch: list[OutgoingEvent], error: str) -> None:
        """The attempt failed before any answer: back to pending, with the reason kept."""
        ids = [item.local_id for item in batch]
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(SyncOutbox)
                .where(SyncOutbox.event_id.in_(ids), SyncOutbox.state == SENDING)
                .values(state=PENDING, last_error=error)
            )

    def requeue_missing(self, ranges: list[tuple[int, int]]) -> int:
        """Acknowledged events the server reports missing are sent again (it stores them once)."""
        total = 0
        with Session(self.engine) as s, s.begin():
            for low, high in ranges:
                ids = select(MatterEvent.id).where(MatterEvent.station_seq.between(low, high))
                total += s.execute(
                    update(SyncOutbox)
                    .where(SyncOutbox.event_id.in_(ids), SyncOutbox.state == ACKED)
                    .values(state=PENDING, acked_at=None)
                ).rowcount
        return total

    def retry_attention(self) -> int:
        """The user asks to send the 需处理 events again (e.g. after the server was fixed)."""
        with Session(self.engine) as s, s.begin():
            return s.execute(
                update(SyncOutbox).where(SyncOutbox.state == NEEDS_ATTENTION).values(state=PENDING)
            ).rowcount

    # --- reading ---------------------------------------------------------------------------

    def counts(self) -> OutboxCounts:
        with Session(self.engine) as s:
            by_state = dict(s.execute(select(SyncOutbox.state, func.count()).group_by(SyncOutbox.state)).all())
            acked_max = s.scalar(
                select(func.max(MatterEvent.station_seq))
                .join(SyncOutbox, SyncOutbox.event_id == MatterEvent.id)
                .where(SyncOutbox.state == ACKED)
            )
            waiting = s.scalar(
                select(func.count(func.distinct(MatterEvent.matter_id)))
                .join(SyncOutbox, SyncOutbox.event_id == MatterEvent.id)
                .where(SyncOutbox.state != ACKED)
            )
        return OutboxCounts(
            pending=by_state.get(PENDING, 0) + by_state.get(SENDING, 0),
            needs_attention=by_state.get(NEEDS_ATTENTION, 0),
            acked=by_state.get(ACKED, 0),
            acked_max_seq=acked_max or 0,
            waiting_matters=waiting or 0,
        )

    def has_unsent(self) -> bool:
        """Cheap (one index probe): is anything waiting to be sent?"""
        with Session(self.engine) as s:
            return s.scalar(select(SyncOutbox.event_id).where(SyncOutbox.state.in_(UNSENT)).limit(1)) is not None

    def attention_items(self) -> list[AttentionItem]:
        with Session(self.engine) as s:
            rows = s.execute(
                select(Matter.number, MatterEvent.station_seq, MatterEvent.kind, SyncOutbox.last_error)
                .join(MatterEvent, MatterEvent.id == SyncOutbox.event_id)
                .join(Matter, Matter.id == MatterEvent.matter_id)
                .where(SyncOutbox.state == NEEDS_ATTENTION)
                .order_by(MatterEvent.station_seq)
            ).all()
        return [AttentionItem(*r) for r in rows]

    def unacknowledged_events(self) -> list[OutgoingEvent]:
        """Every event the county has not acknowledged (for the USB bundle)."""
        with Session(self.engine) as s:
            rows = s.execute(
                select(MatterEvent, Matter.number)
                .join(SyncOutbox, SyncOutbox.event_id == MatterEvent.id)
                .join(Matter, Matter.id == MatterEvent.matter_id)
                .where(SyncOutbox.state != ACKED)
                .order_by(MatterEvent.station_seq)
            ).all()
            return [_outgoing(event, number, self._open_payload) for event, number in rows]

    def matter_synced(self, number: str) -> bool:
        """True when every event of the matter has reached the county."""
        with Session(self.engine) as s:
            left = s.scalar(
                select(func.count())
                .select_from(SyncOutbox)
                .join(MatterEvent, MatterEvent.id == SyncOutbox.event_id)
                .join(Matter, Matter.id == MatterEvent.matter_id)
                .where(Matter.number == number, SyncOutbox.state != ACKED)
            )
        return not left

    # --- pulling ---------------------------------------------------------------------------

    def pull_cursor(self) -> int:
        with Session(self.engine) as s:
            value = s.scalar(select(Setting.value).where(Setting.key == PULL_CURSOR_KEY))
        return int(value or 0)

    def apply_county_events(self, events: list[dict], next_cursor: int) -> list[dict]:
        """Store county events once (by id), apply their effect, and move the cursor, in one transaction.

        Returns the events seen for the first time."""
        applied: list[dict] = []
        with Session(self.engine) as s, s.begin():
            for e in events:
                if s.scalar(select(CountyEvent.id).where(CountyEvent.uuid == e["id"])) is not None:
                    continue
                payload = e.get("payload") or {}
                s.add(
                    CountyEvent(
                        uuid=e["id"],
                        cursor=int(e.get("cursor", 0)),
                        matter_number=e.get("matter_number", ""),
                        kind=e.get("kind", ""),
                        payload=json.dumps(payload, ensure_ascii=False),
                        occurred_at=str(e.get("occurred_at", "")),
                        received_at=_now(),
                    )
                )
                if e.get("kind") == "county_number_assigned" and payload.get("county_number"):
                    s.execute(
                        update(Matter)
                        .where(Matter.number == e.get("matter_number"))
                        .values(county_number=str(payload["county_number"]))
                    )
                applied.append(e)
            row = s.get(Setting, PULL_CURSOR_KEY)
            if row is None:
                s.add(Setting(key=PULL_CURSOR_KEY, value=str(next_cursor)))
            else:
                row.value = str(max(int(row.value or 0), next_cursor))
        return applied


def _outgoing(event: MatterEvent, number: str, open_payload: Callable[[dict], dict]) -> OutgoingEvent:
    return OutgoingEvent(
        local_id=event.id,
        id=event.uuid,
        seq=event.station_seq,
        matter_number=number,
        kind=event.kind,
        occurred_at=event.occurred_at.isoformat(timespec="seconds"),
        actor=event.actor,
        payload=open_payload(json.loads(event.payload or "{}")),
    )
