"""Operators, the keys that unlock the sealed fields, and the append-only audit trail (docs/security.md).

The security code itself reads and writes these tables with plain SQL over a DB-API connection
(`app.services.security.store`), so the command line can log in without importing the ORM;
the classes here give alembic and the schema test the tables' shape.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Operator(Base):
    """A person who works at this desk; `roles` is a comma-separated list of role keys."""

    __tablename__ = "operator"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30), unique=True)
    roles: Mapped[str] = mapped_column(String(200), default="")
    # No password hash: the password is checked by opening the operator's key slot (keys.py).
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class KeySlot(Base):
    """The data key, wrapped under one secret: an operator's password, the recovery code, or the OS store."""

    __tablename__ = "key_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # password / recovery / os
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id", ondelete="CASCADE"), index=True)
    salt: Mapped[str] = mapped_column(String(64), default="")
    kdf: Mapped[str] = mapped_column(String(100), default="")
    wrapped: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    """One audited act; `hash` chains it to the entry before (triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String(32), index=True)
    operator: Mapped[str] = mapped_column(String(30), default="")
    workstation: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(String(100), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
