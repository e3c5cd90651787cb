"""Sync protocol v1 (docs/sync-protocol.md): canonical JSON, content hashes, bundle signatures,
event validation. Pure functions, no database and no HTTP, so the desk can mirror them exactly.

Canonical JSON = ``json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))``
encoded as UTF-8. The content hash of an event is the hex SHA-256 of the canonical JSON of the
object ``{seq, matter_number, kind, occurred_at, actor, payload}``. A bundle's signature is the
hex HMAC-SHA256 of the canonical JSON of its ``events`` list, keyed with the 32 raw bytes of
SHA-256(token) (the server stores their hex form as the station's ``token_sha256``).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

PROTOCOL_VERSION = 1
BUNDLE_FORMAT = "xfdesk-bundle/1"
MAX_EVENTS_PER_PUSH = 500
MAX_BODY_BYTES = 2 * 1024 * 1024  # uncompressed
PULL_DEFAULT_LIMIT = 200
PULL_MAX_LIMIT = 1000

#: Kinds a desk pushes (v1). Anything else is rejected with 422.
#: `attachment_added` carries only the file's metadata (name, sha256, size): the scans and
#: photos themselves stay in the desk's data directory and are never synced.
DESK_KINDS = frozenset(
    {
        "registered",
        "decided",
        "linked_as_repeat",
        "repeat_visit_recorded",
        "document_printed",
        "extended",
        "attachment_added",
        # The lifecycle after the desk (app/services/lifecycle/actions.py).
        "accepted",
        "handling_started",
        "replied",
        "evaluated",
        "review_requested",
        "review_decided",
        "recheck_requested",
        "recheck_decided",
        "closed",
        "supervised",
        "urged",
        "owned",
        "owner_progress",
    }
)
#: Kinds the county sends back on pull, with the payload keys each requires.
COUNTY_KINDS: dict[str, tuple[str, ...]] = {
    "county_number_assigned": ("county_number",),
    "unit_accepted": ("unit", "accepted_at"),
    "unit_replied": ("unit", "opinion", "replied_at"),
}
CONTENT_FIELDS = ("seq", "matter_number", "kind", "occurred_at", "actor", "payload")

REASON_CONFLICT = "同一事件编号的内容与已收到的不一致"
REASON_SEQ_TAKEN = "序号重复：本站该序号已有另一事件"
REASON_OTHER_STATION_ID = "事件编号已被其他接待站使用"


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def content_sha256(event: dict[str, Any]) -> str:
    """Hex SHA-256 over the canonical JSON of the fields that make up an event's content."""
    return hashlib.sha256(canonical_json({k: event.get(k) for k in CONTENT_FIELDS})).hexdigest()


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bundle_signature(events: list[Any], token_hash_hex: str) -> str:
    """Hex HMAC-SHA256 over canonical JSON of `events`, key = SHA-256(token) as raw bytes."""
    return hmac.new(bytes.fromhex(token_hash_hex), canonical_json(events), hashlib.sha256).hexdigest()


def verify_bundle_signature(events: list[Any], token_hash_hex: str, signature: str) -> bool:
    return hmac.compare_digest(bundle_signature(events, token_hash_hex), str(signature))


def server_time(now: datetime | None = None) -> str:
    """ISO 8601 UTC with a Z, to the second: "2026-11-23T08:15:02Z"."""
    now = now or datetime.now(timezone.utc)
    return now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def station_of_matter(matter_number: str) -> str:
    """The station code a matter number starts with ("360426-20261123-0001" → "360426")."""
    return matter_number.split("-", 1)[0]


@dataclass(frozen=True)
class CheckedEvent:
    """An event that passed validation, with its content hash."""

    id: str
    seq: int
    matter_number: str
    kind: str
    occurred_at: str
    actor: str
    payload: dict[str, Any]
    sha256: str


def _is_positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def validate_event(raw: Any, station_code: str) -> CheckedEvent | str:
    """The checked event, or the Chinese reason it is invalid (→ 422)."""
    if not isinstance(raw, dict):
        return "事件应为一个对象"
    event_id = raw.get("id")
    if not isinstance(event_id, str) or not event_id.strip():
        return "缺少事件编号（id）"
    try:
        uuid.UUID(event_id)
    except ValueError:
        return "事件编号（id）不是有效的 UUID"
    if len(event_id) > 64:
        return "事件编号（id）过长"
    seq = raw.get("seq")
    if seq is None:
        return "缺少序号（seq）"
    if not _is_positive_int(seq) or seq > 2**62:
        return "序号（seq）应为正整数"
    matter_number = raw.get("matter_number")
    if not isinstance(matter_number, str) or not matter_number.strip():
        return "缺少信访件编号"
    if len(matter_number) > 64:
        return "信访件编号过长"
    if station_of_matter(matter_number) != station_code:
        return f"信访件编号 {matter_number} 属于其他接待站"
    kind = raw.get("kind")
    if not isinstance(kind, str) or not kind:
        return "缺少事件类型（kind）"
    if kind not in DESK_KINDS:
        return f"县级服务器不认识的事件类型：{kind[:40]}"
    occurred_at = raw.get("occurred_at")
    if not isinstance(occurred_at, str) or not occurred_at:
        return "缺少发生时间（occurred_at）"
    try:
        datetime.fromisoformat(occurred_at.replace("Z", "+00:00"))
    except ValueError:
        return "发生时间（occurred_at）格式不正确"
    if len(occurred_at) > 40:
        return "发生时间（occurred_at）格式不正确"
    actor = raw.get("actor")
    if not isinstance(actor, str):
        return "缺少操作人（actor）"
    if len(actor) > 100:
        return "操作人（actor）过长"
    payload = raw.get("payload")
    if not isinstance(payload, dict):
        return "事件内容（payload）应为一个对象"
    return CheckedEvent(
        id=event_id,
        seq=seq,
        matter_number=matter_number,
        kind=kind,
        occurred_at=occurred_at,
        actor=actor,
        payload=payload,
        sha256=content_sha256(raw),
    )


def validate_county_payload(kind: str, payload: Any) -> str | None:
    """The Chinese reason a county-side event is invalid, or None."""
    if kind not in COUNTY_KINDS:
        return f"未知的县级事件类型：{kind}（可用：{'、'.join(COUNTY_KINDS)}）"
    if not isinstance(payload, dict):
        return "事件内容（payload）应为一个 JSON 对象"
    missing = [k for k in COUNTY_KINDS[kind] if payload.get(k) in (None, "")]
    if missing:
        return f"事件内容缺少字段：{'、'.join(missing)}"
    return None


def missing_ranges(present: list[tuple[int, int | None]]) -> list[list[int]]:
    """Gaps from (seq, previous seq) pairs where the step is more than one."""
    gaps = []
    for seq, prev in present:
        low = (prev or 0) + 1
        if seq > low:
            gaps.append([low, seq - 1])
    return gaps
