"""Leaders who receive visitors in the hall (领导接访) and the weekdays they are on duty."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Leader(Base):
    __tablename__ = "leader"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    title: Mapped[str] = mapped_column(String(100), default="")  # 职务, e.g. 副县长
    active: Mapped[bool] = mapped_column(default=True)


class LeaderDuty(Base):
    """One weekday (0 = Monday) a leader receives visitors in the hall, on working days."""

    __tablename__ = "leader_duty"
    __table_args__ = (UniqueConstraint("leader_id", "weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("leader.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
