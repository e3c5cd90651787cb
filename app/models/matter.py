"""The petition matter (信访件), who came with it, and its append-only event log."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .petitioner import Petitioner


class Matter(Base):
    __tablename__ = "matter"
    __table_args__ = (
        Index("ix_matter_registered_at", "registered_at"),
        Index("ix_matter_petition_date", "petition_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    # Printed on the receipt with the number; the visitor uses both to check progress.
    query_code: Mapped[str] = mapped_column(String(12), unique=True, index=True, server_default="")
    # The county's own number, once the county server has assigned one (pulled by sync).
    county_number: Mapped[str | None] = mapped_column(String(40))
    station_code: Mapped[str] = mapped_column(String(20))
    form: Mapped[str] = mapped_column(String(8), index=True)  # 走访/来信/网上/电话/传真
    petition_date: Mapped[date] = mapped_column(Date)
    registered_at: Mapped[datetime] = mapped_column(DateTime)
    headcount: Mapped[int] = mapped_column(Integer, default=1)
    is_collective: Mapped[bool] = mapped_column(default=False)
    matter_class: Mapped[str] = mapped_column(String(8))  # 建议意见/检举控告/申诉求决
    content_class_id: Mapped[int] = mapped_column(ForeignKey("content_class.id"), index=True)
    # Snapshot of the label path at registration, so a later tree version never rewrites history.
    content_class_label: Mapped[str] = mapped_column(String(200))
    content_class_top: Mapped[str] = mapped_column(String(60), index=True)
    title: Mapped[str] = mapped_column(String(100))
    request: Mapped[str] = mapped_column(Text)
    facts: Mapped[str] = mapped_column(Text, default="")
    location_code: Mapped[str] = mapped_column(String(12), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    skip_level: Mapped[bool] = mapped_column(default=False)  # 越级
    litigation_related: Mapped[bool] = mapped_column(default=False)  # 涉法涉诉
    major_urgent: Mapped[bool] = mapped_column(default=False)  # 重大紧急
    decision: Mapped[str | None] = mapped_column(String(10))
    decision_unit_id: Mapped[int | None] = mapped_column(ForeignKey("responsible_unit.id"))
    decision_unit_name: Mapped[str] = mapped_column(String(100), default="")
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decision_channel: Mapped[str] = mapped_column(String(40), default="")
    decision_note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), index=True)
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("matter.id"), index=True)
    # Denormalised "张三、李四" for list display without joins (kept by the service).
    petitioner_names: Mapped[str] = mapped_column(Text, default="")
    registered_by: Mapped[str] = mapped_column(String(50), default="")
    # Lifecycle caches, kept by the lifecycle service from the event log so lists can filter on them.
    next_due: Mapped[date | None] = mapped_column(Date, index=True)  # the office's next legal deadline
    next_due_rule: Mapped[str] = mapped_column(String(20), default="", server_default="")
    evaluation_due: Mapped[date | None] = mapped_column(Date, index=True)  # last day to evaluate, while pending
    supervised: Mapped[bool] = mapped_column(default=False, server_default=false())  # 督办
    urged: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # 催办 count
    receiver_leader_id: Mapped[int | None] = mapped_column(ForeignKey("leader.id"), index=True)
    receiver_leader_name: Mapped[str] = mapped_column(String(50), default="", server_default="")
    owner_leader_id: Mapped[int | None] = mapped_column(ForeignKey("leader.id"), index=True)  # 包案
    owner_since: Mapped[date | None] = mapped_column(Date)
    # Step dates and results the statistics' rates read (spec §2.5), cached like the clocks above.
    decided_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    replied_on: Mapped[date | None] = mapped_column(Date)  # the answer: written reply or 当场答复
    notify_due: Mapped[date | None] = mapped_column(Date, index=True)
    conclude_due: Mapped[date | None] = mapped_column(Date, index=True)
    evaluate_by: Mapped[date | None] = mapped_column(Date)  # last day of the evaluation window
    eval_office: Mapped[str] = mapped_column(String(8), default="", server_default="")
    eval_unit: Mapped[str] = mapped_column(String(8), default="", server_default="")

    people: Mapped[list[MatterPetitioner]] = relationship(
        back_populates="matter", order_by="MatterPetitioner.position", cascade="all, delete-orphan"
    )


class Attachment(Base):
    """A file kept with a matter (a letter's scan or photo), stored under the data directory."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matter.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_path: Mapped[str] = mapped_column(String(500))  # relative to the data directory
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    added_by: Mapped[str] = mapped_column(String(50), default="")


class MatterPetitioner(Base):
    """Link of a petitioner to a matter, with their role in this visit."""

    __tablename__ = "matter_petitioner"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matter.id", ondelete="CASCADE"), index=True)
    petitioner_id: Mapped[int] = mapped_column(ForeignKey("petitioner.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_primary: Mapped[bool] = mapped_column(default=False)
    is_representative: Mapped[bool] = mapped_column(default=False)
    # The name as given at this visit: a later visit under the same ID number may spell it anew.
    name: Mapped[str] = mapped_column(String(50), default="")

    matter: Mapped[Matter] = relationship(back_populates="people")
    petitioner: Mapped[Petitioner] = relationship()


class MatterEvent(Base):
    """Append-only: triggers in the migration refuse UPDATE and DELETE on this table."""

    __tablename__ = "matter_event"
    # Statistics select matters by what happened to them (e.g. ever 督办).
    __table_args__ = (Index("ix_matter_event_kind_matter_id", "kind", "matter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    station_code: Mapped[str] = mapped_column(String(20))
    station_seq: Mapped[int] = mapped_column(Integer)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matter.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    payload: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(50), default="")
