"""County database tables (SQLAlchemy 2 typed ORM). Works on PostgreSQL and SQLite."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: SQLite's autoincrement needs INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Station(Base):
    """A reception hall allowed to sync. Only the SHA-256 of its token is kept."""

    __tablename__ = "station"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Event(Base):
    """An event pushed by a desk, stored once and never changed. `cursor` is the server's order."""

    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("station_code", "seq", name="uq_event_station_code_seq"),
        Index("ix_event_station_matter", "station_code", "matter_number"),
    )

    cursor: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(64), unique=True)
    station_code: Mapped[str] = mapped_column(ForeignKey("station.code"))
    seq: Mapped[int] = mapped_column(BigInteger)
    matter_number: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[str] = mapped_column(String(40))  # as the desk sent it (part of the content hash)
    actor: Mapped[str] = mapped_column(String(100))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    content_sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(10), default="push")  # push | bundle


class Matter(Base):
    """A matter as the county holds it, projected from the `registered` event's payload."""

    __tablename__ = "matter"
    __table_args__ = (UniqueConstraint("station_code", "number", name="uq_matter_station_code_number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    station_code: Mapped[str] = mapped_column(ForeignKey("station.code"))
    number: Mapped[str] = mapped_column(String(64))
    county_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    petitioner_names: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    registered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # desk's wall time
    registered_event: Mapped[str] = mapped_column(String(64))  # uuid of the `registered` event
    registration: Mapped[str] = mapped_column(Text)  # the whole payload, canonical JSON
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CountyEvent(Base):
    """A county-side event for one station's desk, handed out by `GET /api/v1/pull`."""

    __tablename__ = "county_event"
    __table_args__ = (Index("ix_county_event_station_cursor", "station_code", "cursor"),)

    cursor: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(64), unique=True)
    station_code: Mapped[str] = mapped_column(ForeignKey("station.code"))
    matter_number: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Conflict(Base):
    """A rejected 409: an event id (or seq) arrived with content other than what is stored."""

    __tablename__ = "conflict"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    station_code: Mapped[str] = mapped_column(String(20), index=True)
    event_uuid: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(BigInteger)
    stored_sha256: Mapped[str] = mapped_column(String(64))
    received_sha256: Mapped[str] = mapped_column(String(64))
    received: Mapped[str] = mapped_column(Text)  # the received event, canonical JSON
    reason: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
