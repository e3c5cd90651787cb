"""Append events to a matter's log (never updated, never deleted: see the migration's triggers)."""
from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.models import MatterEvent, SyncOutbox
from app.models.sync import PENDING

from .numbering import reserve_event_seqs


def append_event(
    session: Session,
    *,
    station_code: str,
    matter_id: int,
    kind: str,
    payload: dict[str, Any],
    actor: str,
    at: datetime,
) -> MatterEvent:
    seq = reserve_event_seqs(session, station_code)
    event = MatterEvent(
        uuid=str(uuid.uuid4()),
        station_code=station_code,
        station_seq=seq,
        matter_id=matter_id,
        kind=kind,
        payload=json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str),
        occurred_at=at,
        actor=actor,
    )
    session.add(event)
    session.flush()
    # Same transaction as the event: what is recorded is always also queued for the county.
    session.add(SyncOutbox(event_id=event.id, state=PENDING, attempts=0, last_error=""))
    return event
