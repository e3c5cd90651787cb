"""SQLAlchemy 2 typed ORM models (no Qt here)."""
from .base import Base
from .content_class import ContentClass, ContentClassScheme
from .leader import Leader, LeaderDuty
from .matter import Attachment, Matter, MatterEvent, MatterPetitioner
from .petitioner import Petitioner
from .security import AuditEntry, KeySlot, Operator
from .setting import Setting
from .sync import CountyEvent, SyncOutbox
from .station import DailySequence, EventCounter, ResponsibleUnit, Station

__all__ = [
    "Attachment",
    "AuditEntry",
    "Base",
    "ContentClass",
    "ContentClassScheme",
    "CountyEvent",
    "DailySequence",
    "EventCounter",
    "KeySlot",
    "Leader",
    "LeaderDuty",
    "Matter",
    "MatterEvent",
    "MatterPetitioner",
    "Operator",
    "Petitioner",
    "ResponsibleUnit",
    "Setting",
    "Station",
    "SyncOutbox",
]
