"""Wire shapes of protocol v1 shared by the desk's client and bundle: canonical JSON, content hash, HMAC."""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

PUSH_PATH = "/api/v1/push"
PULL_PATH = "/api/v1/pull"
STATUS_PATH = "/api/v1/status"
HEALTH_PATH = "/health"
MAX_BATCH_EVENTS = 500
MAX_BATCH_BYTES = 1_500_000  # below the server's 2 MB limit, uncompressed
BUNDLE_FORMAT = "xfdesk-bundle/1"


@dataclass(frozen=True)
class OutgoingEvent:
    """One local event as it travels (`local_id` is the desk's row id, never sent)."""

    local_id: int
    id: str
    seq: int
    matter_number: str
    kind: str
    occurred_at: str
    actor: str
    payload: dict[str, Any]

    def wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "seq": self.seq,
            "matter_number": self.matter_number,
            "kind": self.kind,
            "occurred_at": self.occurred_at,
            "actor": self.actor,
            "payload": self.payload,
        }


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def signing_key(token: str) -> bytes:
    """Bundles are signed with SHA-256(token): the server keeps only that hash and can verify."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def sign_events(events: list[dict[str, Any]], token: str) -> str:
    return hmac.new(signing_key(token), canonical(events), hashlib.sha256).hexdigest()
