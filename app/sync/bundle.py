"""Offline transfer for long outages: everything unacknowledged in a signed file for a USB stick."""
from __future__ import annotations

import gzip
import json
import os
from datetime import datetime, timezone
from pathlib import Path

from .outbox import Outbox
from .protocol import BUNDLE_FORMAT, sign_events


def export_bundle(outbox: Outbox, station: str, token: str, path: Path) -> int:
    """Write the bundle atomically; returns the number of events in it. Nothing is marked sent:
    the county acknowledges bundle events on the next online sync (as duplicates)."""
    events = [e.wire() for e in outbox.unacknowledged_events()]
    document = {
        "format": BUNDLE_FORMAT,
        "station": station,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "events": events,
        "signature": sign_events(events, token),
    }
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(gzip.compress(json.dumps(document, ensure_ascii=False).encode("utf-8")))
    os.replace(tmp, path)
    return len(events)
