"""Logging configured once: warnings to stderr (more with XFDESK_LOG=debug), and a rotating file
in the data folder once it is known."""
from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging() -> None:
    level = getattr(logging, os.environ.get("XFDESK_LOG", "WARNING").upper(), logging.WARNING)
    logging.basicConfig(level=level, format=FORMAT)


def log_to_data_dir(data_dir: Path) -> None:
    """Keep INFO and above in `logs/xfdesk.log` (5 files of 2 MB), for the administrator."""
    logs = data_dir / "logs"
    try:
        logs.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(logs / "xfdesk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        logging.getLogger(__name__).warning("cannot write logs under %s", logs)
        return
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level, logging.INFO))
