"""Matter numbers `{station}-{YYYYMMDD}-{NNNN}` and per-station event sequence numbers.

Both counters are bumped with one upsert inside the caller's transaction, so a number is
never handed out twice, even by two desks writing to the same file.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

_BUMP_DAILY = text(
    "INSERT INTO daily_sequence (station_code, day, last_seq) VALUES (:code, :day, 1) "
    "ON CONFLICT (station_code, day) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq"
)
_BUMP_EVENTS = text(
    "INSERT INTO event_counter (station_code, last_seq) VALUES (:code, :n) "
    "ON CONFLICT (station_code) DO UPDATE SET last_seq = last_seq + :n RETURNING last_seq"
)


def format_number(station_code: str, day: date, seq: int) -> str:
    return f"{station_code}-{day:%Y%m%d}-{seq:04d}"


def next_matter_number(session: Session, station_code: str, day: date) -> str:
    seq = session.execute(_BUMP_DAILY, {"code": station_code, "day": day.isoformat()}).scalar_one()
    return format_number(station_code, day, seq)


def reserve_event_seqs(session: Session, station_code: str, count: int = 1) -> int:
    """Reserve `count` consecutive event numbers; returns the first."""
    last = session.execute(_BUMP_EVENTS, {"code": station_code, "n": count}).scalar_one()
    return last - count + 1
