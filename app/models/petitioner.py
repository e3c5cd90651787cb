"""A person who petitions (信访人); one row per person, reused across their visits."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Petitioner(Base):
    __tablename__ = "petitioner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    # Lower-case pinyin initials of the name (张三 -> "zs"), for fast typing-search.
    name_initials: Mapped[str] = mapped_column(String(60), index=True, default="")
    id_type: Mapped[str] = mapped_column(String(20))
    id_number: Mapped[str] = mapped_column(String(30), index=True, default="")
    gender: Mapped[str] = mapped_column(String(2), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    ethnicity: Mapped[str] = mapped_column(String(20), default="")
    # Normalised phone (11 digits, or 0area-number for landlines); `phone_key` is digits only.
    phone: Mapped[str] = mapped_column(String(30), default="")
    phone_key: Mapped[str] = mapped_column(String(30), index=True, default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    division_code: Mapped[str] = mapped_column(String(12), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
