"""Key–value settings stored in the database (the unit's letterhead, notice wording, …)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.models import Setting

from .security import audit as audit_log
from .security.permissions import SETTINGS

if TYPE_CHECKING:
    from .security.audit_service import AuditService
    from .security.guard import Guard


class SettingsStore:
    """`set_many` is the program's own bookkeeping; `change` is an operator changing a setting
    (needs the 修改系统设置 permission and is audited)."""

    def __init__(self, engine: Engine, guard: Guard, audit: AuditService):
        self.engine = engine
        self._guard = guard
        self._audit = audit

    def all(self, prefix: str = "") -> dict[str, str]:
        with Session(self.engine) as s:
            rows = s.execute(select(Setting.key, Setting.value).where(Setting.key.startswith(prefix, autoescape=True)))
            return dict(rows.all())

    def get(self, key: str, default: str = "") -> str:
        with Session(self.engine) as s:
            value = s.scalar(select(Setting.value).where(Setting.key == key))
        return default if value is None else value

    def set_many(self, values: dict[str, str]) -> None:
        with Session(self.engine) as s, s.begin():
            for key, value in values.items():
                row = s.get(Setting, key)
                if row is None:
                    s.add(Setting(key=key, value=value))
                else:
                    row.value = value

    def change(self, values: dict[str, str]) -> None:
        self._guard.require(SETTINGS)
        self.set_many(values)
        shown = {k: ("（已设置）" if "token" in k else v) for k, v in values.items()}
        self._audit.record(audit_log.SETTINGS, ",".join(values)[:100], shown)
