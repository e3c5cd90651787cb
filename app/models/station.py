"""This installation's station (接待站) and the responsible units it hands matters to."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Station(Base):
    """Exactly one row: the office this desk belongs to, and its local settings."""

    __tablename__ = "station"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(8))  # 县 / 乡镇
    collective_threshold: Mapped[int] = mapped_column(Integer, default=5)
    max_representatives: Mapped[int] = mapped_column(Integer, default=5)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ResponsibleUnit(Base):
    """A unit (责任单位) a matter can be forwarded or assigned to."""

    __tablename__ = "responsible_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    active: Mapped[bool] = mapped_column(default=True)


class DailySequence(Base):
    """Last number handed out per day, so matter numbers never repeat."""

    __tablename__ = "daily_sequence"
    __table_args__ = (UniqueConstraint("station_code", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_code: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class EventCounter(Base):
    """Per-station monotonically increasing event sequence (sync ships events in this order)."""

    __tablename__ = "event_counter"

    station_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


