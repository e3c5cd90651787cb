"""Showing a full ID number or phone: a permission, a stated reason, and an audit entry each time."""
from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.models import Matter, MatterPetitioner

from ..errors import FieldError, NotFound, ValidationFailed
from ..matter_sql import REPORTER_CLASS
from . import audit
from .audit_service import AuditService
from .errors import PermissionDenied
from .guard import Guard
from .permissions import PERMISSIONS, REVEAL, VIEW_REPORTER
from .sealing import ID, PHONE

FIELDS = {ID: "证件号码", PHONE: "联系电话"}
MIN_REASON = 2


class PrivacyService:
    def __init__(self, engine: Engine, guard: Guard, audit_service: AuditService):
        self._engine = engine
        self._guard = guard
        self._audit = audit_service

    def reveal(self, number: str, position: int, field: str, reason: str) -> str:
        """The full value of one person's ID number or phone on one matter ('' when none was given)."""
        p = self._guard.require(REVEAL)
        reason = reason.strip()
        if field not in FIELDS:
            raise ValidationFailed([FieldError("field", "只能查看证件号码或联系电话")])
        if len(reason) < MIN_REASON:
            raise ValidationFailed([FieldError("reason", "请写明查看完整号码的事由（如：电话联系信访人告知办理结果）")])
        with Session(self._engine) as s:
            row = s.execute(
                select(Matter.matter_class, MatterPetitioner)
                .join(MatterPetitioner, MatterPetitioner.matter_id == Matter.id)
                .where(Matter.number == number, MatterPetitioner.position == position)
            ).first()
            if row is None:
                raise NotFound(f"未找到信访件“{number}”的第{position + 1}位信访人")
            matter_class, link = row
            if matter_class == REPORTER_CLASS and not p.can(VIEW_REPORTER):
                raise PermissionDenied(f"检举控告件的信访人信息保密：需要“{PERMISSIONS[VIEW_REPORTER]}”权限")
            person = link.petitioner
            sealed = person.id_sealed if field == ID else person.phone_sealed
            value = p.cipher.open(sealed, field)
        self._audit.record(audit.REVEAL, number, {"field": FIELDS[field], "person": position + 1, "reason": reason})
        return value
