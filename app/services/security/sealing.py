"""What is sealed where: petitioner columns, the people in a `registered` payload, and the
one-time pass that seals the plain text of databases made before encryption (schema < 0006)."""
from __future__ import annotations

import json
import logging

from sqlalchemy import Engine, text

from ..validation import mask_id_number, mask_phone, phone_digits
from . import audit
from .connection import raw_db
from .crypto import FieldCipher, is_sealed

logger = logging.getLogger(__name__)

ID, PHONE = "id", "phone"
_PAYLOAD_FIELDS = {"id_number": ID, "phone": PHONE}
SEALED_MARK_KEY = "security.legacy_sealed"
_EVENT_GUARD = "matter_event_no_update"


def id_columns(id_number: str, cipher: FieldCipher) -> dict[str, str]:
    """The petitioner's sealed, lookup and masked ID columns for a normalised number."""
    return {
        "id_sealed": cipher.seal(id_number, ID),
        "id_lookup": cipher.lookup(id_number, ID),
        "id_masked": mask_id_number(id_number) if id_number else "",
    }


def phone_columns(phone: str, cipher: FieldCipher) -> dict[str, str]:
    """The same for a normalised phone; the lookup key is over its digits (what search types)."""
    return {
        "phone_sealed": cipher.seal(phone, PHONE),
        "phone_lookup": cipher.lookup(phone_digits(phone), PHONE) if phone else "",
        "phone_masked": mask_phone(phone) if phone else "",
    }


def id_lookup(id_number: str, cipher: FieldCipher) -> str:
    return cipher.lookup(id_number.strip().upper(), ID)


def phone_lookup(digits: str, cipher: FieldCipher) -> str:
    return cipher.lookup(digits, PHONE)


def _map_people(payload: dict, change) -> dict:
    people = payload.get("people")
    if not isinstance(people, list):
        return payload
    out = dict(payload)
    out["people"] = [
        {k: (change(v, _PAYLOAD_FIELDS[k]) if k in _PAYLOAD_FIELDS and isinstance(v, str) and v else v)
         for k, v in person.items()} if isinstance(person, dict) else person
        for person in people
    ]
    return out


def seal_payload(payload: dict, cipher: FieldCipher) -> dict:
    return _map_people(payload, lambda v, f: v if is_sealed(v) else cipher.seal(v, f))


def open_payload(payload: dict, cipher: FieldCipher) -> dict:
    """The payload as the county must receive it (full numbers; sent over HTTPS only)."""
    return _map_people(payload, lambda v, f: cipher.open(v, f) if is_sealed(v) else v)


def _seal_event_payloads(db, cipher: FieldCipher) -> int:
    """The one sanctioned rewrite of the append-only event log: its guard trigger is lifted and
    put back inside the same transaction, so no other write can slip through meanwhile."""
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_EVENT_GUARD,)).fetchone()
    changes = []
    for eid, raw in db.execute("SELECT id, payload FROM matter_event WHERE kind = 'registered'").fetchall():
        payload = json.loads(raw or "{}")
        sealed = seal_payload(payload, cipher)
        if sealed != payload:
            changes.append((json.dumps(sealed, ensure_ascii=False), eid))
    if not changes:
        return 0
    if trigger:
        db.execute(f"DROP TRIGGER {_EVENT_GUARD}")
    db.executemany("UPDATE matter_event SET payload = ? WHERE id = ?", changes)
    if trigger:
        db.execute(trigger[0])
    return len(changes)


def seal_legacy(engine: Engine, cipher: FieldCipher, actor: str) -> int:
    """Seal plain ID numbers and phones left by an older version; returns how many rows changed.

    Runs after a login (the key is needed); marked done in `setting` so later logins skip it.
    The file is vacuumed afterwards (with secure_delete on) so no old page keeps the plain text.
    """
    with raw_db(engine) as db:
        if db.execute("SELECT 1 FROM setting WHERE key = ?", (SEALED_MARK_KEY,)).fetchone():
            return 0
    changed = 0
    with raw_db(engine) as db:
        db.execute("BEGIN IMMEDIATE")
        rows = db.execute(
            "SELECT id, id_number, phone FROM petitioner WHERE id_number != '' OR phone != '' OR phone_key != ''"
        ).fetchall()
        for pid, id_number, phone in rows:
            values = {**id_columns(id_number or "", cipher), **phone_columns(phone or "", cipher)}
            sets = ", ".join(f"{k} = ?" for k in values)
            db.execute(
                f"UPDATE petitioner SET {sets}, id_number = '', phone = '', phone_key = '' WHERE id = ?",
                (*values.values(), pid),
            )
        changed += len(rows)
        changed += _seal_event_payloads(db, cipher)
        db.execute("INSERT INTO setting (key, value) VALUES (?, '1')", (SEALED_MARK_KEY,))
        if changed:
            audit.append(db, actor, audit.SEAL, "", {"rows": changed})
    if changed:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        logger.info("sealed %d rows of plain personal data", changed)
    return changed
