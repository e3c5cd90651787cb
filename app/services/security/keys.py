"""Key slots: the one data key, wrapped under each secret that may open it.

Like LUKS: every operator's password opens its own slot, and a recovery code shown once at
setup opens another. Changing a password re-wraps only that operator's slot; the sealed data
is never re-encrypted. Losing every password and the recovery code loses the sealed fields.
"""
from __future__ import annotations

import secrets
from datetime import datetime

from . import passwords, store
from .crypto import SealError, decrypt, encrypt, new_key
from .store import Db

PASSWORD, RECOVERY = "password", "recovery"
# Recovery codes: 25 characters from an alphabet without 0/O/1/I/L, in groups of five (about 120 bits).
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_GROUPS, _GROUP = 5, 5


def new_data_key() -> bytes:
    return new_key()


def _wrap(db: Db, kind: str, operator_id: int | None, secret: str, data_key: bytes, now: datetime) -> None:
    salt = passwords.new_salt()
    kdf = passwords.COST.as_text()
    kek = passwords.derive_key(secret, salt, kdf)
    store.insert_slot(db, kind, operator_id, salt, kdf, encrypt(kek, data_key, f"slot:{kind}"), now)


def _open(slot: store.SlotRow, secret: str) -> bytes | None:
    kek = passwords.derive_key(secret, slot.salt, slot.kdf)
    try:
        return decrypt(kek, slot.wrapped, f"slot:{slot.kind}")
    except SealError:
        return None


def set_password_slot(db: Db, operator_id: int, password: str, data_key: bytes, now: datetime) -> None:
    """Replace the operator's slot with one their (new) password opens."""
    store.delete_slots(db, PASSWORD, operator_id)
    _wrap(db, PASSWORD, operator_id, password, data_key, now)


def open_with_password(db: Db, operator_id: int, password: str) -> bytes | None:
    for slot in store.slots(db, PASSWORD, operator_id):
        key = _open(slot, password)
        if key is not None:
            return key
    return None


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch in _ALPHABET)


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP))
    return "-".join(raw[i:i + _GROUP] for i in range(0, len(raw), _GROUP))


def set_recovery_slot(db: Db, data_key: bytes, now: datetime) -> str:
    """A new recovery code (shown once, never stored) replacing any earlier one."""
    code = new_recovery_code()
    store.delete_slots(db, RECOVERY)
    _wrap(db, RECOVERY, None, normalise_recovery_code(code), data_key, now)
    return code


def open_with_recovery_code(db: Db, code: str) -> bytes | None:
    for slot in store.slots(db, RECOVERY):
        key = _open(slot, normalise_recovery_code(code))
        if key is not None:
            return key
    return None
