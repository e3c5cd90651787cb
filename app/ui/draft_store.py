"""The unsaved registration form, kept on disk so no typed text is lost (crash, power cut)."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

DRAFT_VERSION = 1


DRAFT_FIELD = "draft"  # the associated data the sealed draft is bound to


class DraftStore:
    """Reads and writes one JSON file atomically; never raises on a damaged file.

    With a cipher (the logged-in desk's `FieldCipher`) the file is sealed like the ID numbers in
    the database: a half-typed ID number or phone must not sit on disk in the clear. A plain
    draft from an older version still loads."""

    def __init__(self, path: Path, cipher=None):
        self.path = Path(path)
        self._cipher = cipher

    def _read(self) -> str:
        text = self.path.read_text(encoding="utf-8")
        if self._cipher is not None and text.startswith("v1:"):
            return self._cipher.open(text.strip(), DRAFT_FIELD)
        return text

    def load(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self._read())
        except FileNotFoundError:
            return None
        except Exception as exc:  # damaged, or sealed with another database's key: left on disk as it is
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
            if self._cipher is not None:
                payload = self._cipher.seal(payload, DRAFT_FIELD)
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


def park_draft(path: Path, owner: str) -> None:
    """Another operator takes the desk: set `owner`'s unsaved form aside (next to `path`) so the
    next operator starts empty; `unpark_draft` gives it back when `owner` logs in again."""
    parked = _parked_path(path, owner)
    try:
        if path.exists():
            os.replace(path, parked)
    except OSError as exc:
        logger.warning("could not set draft %s aside: %s", path, exc)


def unpark_draft(path: Path, owner: str) -> None:
    """`owner`'s draft set aside earlier becomes the form's draft again (unless one is already there)."""
    parked = _parked_path(path, owner)
    try:
        if parked.exists() and not path.exists():
            os.replace(parked, path)
    except OSError as exc:
        logger.warning("could not restore draft %s: %s", parked, exc)


def _parked_path(path: Path, owner: str) -> Path:
    return path.with_name(f"{path.stem}.{owner}{path.suffix}")
