"""Recording acts in the audit trail and, for the 审计员, reading and verifying it."""
from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from . import audit
from .connection import raw_db, session_db
from .guard import Guard
from .permissions import AUDIT


class AuditService:
    def __init__(self, engine: Engine, guard: Guard):
        self._engine = engine
        self._guard = guard

    def record(self, action: str, target: str = "", detail: dict | None = None) -> None:
        """An entry of its own (a print, an export, a view of a full number)."""
        with raw_db(self._engine) as db:
            audit.append(db, self._guard.actor, action, target, detail)

    def record_in(self, s: Session, action: str, target: str = "", detail: dict | None = None) -> None:
        """An entry in the caller's transaction: it is written if and only if the act is."""
        audit.append(session_db(s), self._guard.actor, action, target, detail)

    def entries(self, **filters) -> list[audit.AuditRecord]:
        self._guard.require(AUDIT)
        with raw_db(self._engine) as db:
            return audit.entries(db, **filters)

    def verify(self) -> audit.ChainReport:
        self._guard.require(AUDIT)
        with raw_db(self._engine) as db:
            report = audit.verify(db)
        if report.ok:  # a broken chain is not extended: the auditor reports it as found
            self.record(audit.VERIFY, "", {"checked": report.checked})
        return report
