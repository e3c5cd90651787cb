"""What the county has acknowledged, and what it sent back (offline-first sync, docs/sync-protocol.md)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

PENDING, SENDING, ACKED, NEEDS_ATTENTION = "pending", "sending", "acked", "needs_attention"


class SyncOutbox(Base):
    """One row per local event, written in the same transaction as the event itself."""

    __tablename__ = "sync_outbox"

    event_id: Mapped[int] = mapped_column(ForeignKey("matter_event.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), index=True, default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    acked_at: Mapped[datetime | None] = mapped_column(DateTime)


class CountyEvent(Base):
    """An event pulled from the county (its own number, the unit's acceptance or reply), applied once."""

    __tablename__ = "county_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    cursor: Mapped[int] = mapped_column(Integer, index=True)
    matter_number: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text, default="{}")
    occurred_at: Mapped[str] = mapped_column(String(40), default="")
    received_at: Mapped[datetime] = mapped_column(DateTime)
