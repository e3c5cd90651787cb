"""A person who petitions (信访人); one row per person, reused across their visits."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Petitioner(Base):
    __tablename__ = "petitioner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    # Lower-case pinyin initials of the name (张三 -> "zs"), for fast typing-search.
    name_initials: Mapped[str] = mapped_column(String(60), index=True, default="")
    id_type: Mapped[str] = mapped_column(String(20))
    # ID number and phone are sealed (AES-GCM) at rest; `*_lookup` is an HMAC of the normalised
    # value for exact-match search and repeat-visitor history; `*_masked` is what screens and
    # paper show (ID first 6 + last 4, mobile 138****5678). See docs/security.md.
    id_sealed: Mapped[str] = mapped_column(Text, default="", server_default="")
    id_lookup: Mapped[str] = mapped_column(String(64), index=True, default="", server_default="")
    id_masked: Mapped[str] = mapped_column(String(30), default="", server_default="")
    gender: Mapped[str] = mapped_column(String(2), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    ethnicity: Mapped[str] = mapped_column(String(20), default="")
    phone_sealed: Mapped[str] = mapped_column(Text, default="", server_default="")
    phone_lookup: Mapped[str] = mapped_column(String(64), index=True, default="", server_default="")
    phone_masked: Mapped[str] = mapped_column(String(30), default="", server_default="")
    # Plain-text columns of databases made before encryption (schema < 0006). Nothing writes them;
    # the seal pass after the first login moves their values into the sealed columns and empties them.
    legacy_id_number: Mapped[str] = mapped_column("id_number", String(30), index=True, default="")
    legacy_phone: Mapped[str] = mapped_column("phone", String(30), default="")
    legacy_phone_key: Mapped[str] = mapped_column("phone_key", String(30), index=True, default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    division_code: Mapped[str] = mapped_column(String(12), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
