"""The unsaved registration form, kept on disk so no typed text is lost (crash, power cut)."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

DRAFT_VERSION = 1


class DraftStore:
    """Reads and writes one JSON file atomically; never raises on a damaged file."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def load(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            logger.warning("unreadable draft %s: %s", self.path, exc)
            return None
        if not isinstance(data, dict) or data.get("version") != DRAFT_VERSION:
            return None
        values = data.get("values")
        return values if isinstance(values, dict) else None

    def save(self, values: dict[str, Any]) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            payload = json.dumps({"version": DRAFT_VERSION, "values": values}, ensure_ascii=False, indent=1)
            tmp.write_text(payload, encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            logger.warning("could not save draft %s: %s", self.path, exc)

    def delete(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            logger.warning("could not delete draft %s: %s", self.path, exc)

    def exists(self) -> bool:
        return self.path.exists()
