"""Where the data lives: --data-dir, then XFDESK_DATA_DIR, then the OS convention (QStandardPaths)."""
from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "XFDESK_DATA_DIR"
APP_NAME = "xfdesk"
ORG_NAME = "xfdesk"


def default_data_dir() -> Path:
    """The per-user application data folder Qt picks for this OS."""
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    if not QCoreApplication.applicationName():
        QCoreApplication.setApplicationName(APP_NAME)
        QCoreApplication.setOrganizationName(ORG_NAME)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location)


def resolve_data_dir(cli_value: str | None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()
