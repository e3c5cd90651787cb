"""Application-wide Qt signals: mutations announce what changed, views refresh themselves."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppEvents(QObject):
    """One instance per main window; pages connect to it instead of to each other."""

    #: A matter was registered or changed; carries its number.
    sig_matters_changed = Signal(str)
