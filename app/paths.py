"""Where the data lives: --data-dir, then XFDESK_DATA_DIR, then the OS convention (QStandardPaths)."""
from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "XFDESK_DATA_DIR"
APP_NAME = "xfdesk"
ORG_NAME = "xfdesk"


def default_data_dir() -> Path:
    """The per-user data folder of this OS, e.g. ~/.local/share/xfdesk or %LOCALAPPDATA%/xfdesk.

    GenericDataLocation + our own folder name, so the path does not depend on (or repeat)
    the organisation and application names Qt would insert for AppDataLocation.
    """
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base) / APP_NAME


def resolve_data_dir(cli_value: str | None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()
