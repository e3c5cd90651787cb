"""The services one desk needs, built once over one database (the composition root uses this)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.models.db import open_database

from .content_classes import ContentClassTree, ensure_default_scheme
from .security.guard import Guard, Principal
from .station import StationService

if TYPE_CHECKING:
    from .deadlines import DeadlineService
    from app.sync.runner import SyncRunner

    from .attachments import AttachmentService
    from .backups import BackupService
    from .extensions import ExtensionService
    from .leaders import LeaderService
    from .lifecycle import LifecycleService
    from .statistics.service import StatisticsService
    from .documents import DocumentService
    from .settings_store import SettingsStore
    from .matters import MatterQueries
    from .registration import RegistrationService
    from .security.audit_service import AuditService
    from .security.operators import OperatorService
    from .security.privacy import PrivacyService


@dataclass
class DeskServices:
    engine: Engine
    data_dir: Path

    @classmethod
    def open(cls, data_dir: Path) -> DeskServices:
        engine = open_database(data_dir)
        with Session(engine) as s, s.begin():
            ensure_default_scheme(s)
        return cls(engine, data_dir)

    @cached_property
    def guard(self) -> Guard:
        """Who is logged in; every guarded service checks it (docs/security.md)."""
        return Guard()

    @cached_property
    def operators(self) -> OperatorService:
        from .security.operators import OperatorService

        return OperatorService(self.engine, self.guard, on_login=self._after_login)

    @cached_property
    def audit(self) -> AuditService:
        from .security.audit_service import AuditService

        return AuditService(self.engine, self.guard)

    @cached_property
    def privacy(self) -> PrivacyService:
        from .security.privacy import PrivacyService

        return PrivacyService(self.engine, self.guard, self.audit)

    def login(self, name: str, password: str) -> Principal:
        return self.operators.login(name, password)

    def _after_login(self, principal: Principal) -> None:
        from .security.sealing import seal_legacy

        seal_legacy(self.engine, principal.cipher, principal.name)

    @cached_property
    def stations(self) -> StationService:
        return StationService(self.engine)

    @cached_property
    def tree(self) -> ContentClassTree:
        return ContentClassTree.load(self.engine)

    @cached_property
    def registration(self) -> RegistrationService:
        from .registration import RegistrationService

        return RegistrationService(
            self.engine, self.stations, self.tree, self.deadlines, attachments=self.attachments,
            guard=self.guard, audit=self.audit,
        )

    @cached_property
    def matters(self) -> MatterQueries:
        from .matters import MatterQueries

        return MatterQueries(self.engine, self.guard)

    @cached_property
    def settings(self) -> SettingsStore:
        from .settings_store import SettingsStore

        return SettingsStore(self.engine, self.guard, self.audit)

    @cached_property
    def deadlines(self) -> DeadlineService:
        from .deadlines import DeadlineService
        from .holidays import WorkCalendar

        return DeadlineService(self.settings, WorkCalendar.from_data_dir(self.data_dir))

    @cached_property
    def documents(self) -> DocumentService:
        from .documents import DocumentService

        return DocumentService(
            self.engine, self.matters, self.stations, self.settings, self.deadlines, self.lifecycle, self.guard,
            self.audit,
        )

    @cached_property
    def extensions(self) -> ExtensionService:
        return self.documents.extensions

    @cached_property
    def lifecycle(self) -> LifecycleService:
        from .lifecycle import LifecycleService

        return LifecycleService(self.engine, self.deadlines, self.settings, self.guard, self.audit)

    @cached_property
    def leaders(self) -> LeaderService:
        from .leaders import LeaderService

        return LeaderService(self.engine, self.deadlines.calendar, self.guard)

    @cached_property
    def attachments(self) -> AttachmentService:
        from .attachments import AttachmentService

        return AttachmentService(self.engine, self.data_dir, self.guard)

    @cached_property
    def statistics(self) -> StatisticsService:
        from .statistics.service import StatisticsService

        return StatisticsService(self.engine, self.guard, self.audit)

    @cached_property
    def sync(self) -> SyncRunner:
        from app.sync.runner import SyncRunner

        return SyncRunner(self.engine, self.settings, self.stations,
                          on_county_events=self.lifecycle.apply_county_events, guard=self.guard)

    @cached_property
    def backups(self) -> BackupService:
        """Backups, restore and the integrity check of this data folder (docs/backups.md)."""
        from .backups import BackupService

        return BackupService(self.engine, self.data_dir, self.guard)

    def close(self) -> None:
        self.engine.dispose()
