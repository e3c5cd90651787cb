"""Logging configured once: warnings to stderr, more with XFDESK_LOG=debug."""
from __future__ import annotations

import logging
import os


def configure_logging() -> None:
    level = getattr(logging, os.environ.get("XFDESK_LOG", "WARNING").upper(), logging.WARNING)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
