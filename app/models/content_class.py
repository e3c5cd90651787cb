"""The content-classification tree (内容分类), stored as versioned data, never hard-coded."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ContentClassScheme(Base):
    """One version of the tree, e.g. the 19-class scheme; exactly one is active."""

    __tablename__ = "content_class_scheme"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)


class ContentClass(Base):
    """A node of the tree (level 1–3); `path` is the ' / '-joined labels from the root."""

    __tablename__ = "content_class"
    __table_args__ = (UniqueConstraint("scheme_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("content_class_scheme.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("content_class.id"))
    level: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))
    path: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
