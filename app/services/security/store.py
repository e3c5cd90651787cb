"""Plain SQL over a DB-API (sqlite3) connection for operators and key slots.

Plain SQL so that logging in from the command line does not import the ORM (see quick_read);
inside the window the same functions run on the engine's raw connection.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

Db = sqlite3.Connection


@dataclass(frozen=True)
class OperatorRow:
    id: int
    name: str
    roles: frozenset[str]
    active: bool
    must_change_password: bool
    failed_logins: int
    locked_until: datetime | None


@dataclass(frozen=True)
class SlotRow:
    id: int
    kind: str
    operator_id: int | None
    salt: str
    kdf: str
    wrapped: str


_OPERATOR_COLUMNS = "id, name, roles, active, must_change_password, failed_logins, locked_until"


def _ts(value: datetime) -> str:
    return value.isoformat(sep=" ")


def _operator(r: tuple) -> OperatorRow:
    return OperatorRow(
        id=r[0], name=r[1], roles=frozenset(x for x in r[2].split(",") if x),
        active=bool(r[3]), must_change_password=bool(r[4]), failed_logins=r[5],
        locked_until=datetime.fromisoformat(r[6]) if r[6] else None,
    )


def operator_count(db: Db) -> int:
    return db.execute("SELECT count(*) FROM operator").fetchone()[0]


def operator_by_name(db: Db, name: str) -> OperatorRow | None:
    r = db.execute(f"SELECT {_OPERATOR_COLUMNS} FROM operator WHERE name = ?", (name,)).fetchone()
    return _operator(r) if r else None


def all_operators(db: Db) -> list[OperatorRow]:
    return [_operator(r) for r in db.execute(f"SELECT {_OPERATOR_COLUMNS} FROM operator ORDER BY name")]


def insert_operator(db: Db, name: str, roles: frozenset[str], now: datetime, must_change: bool) -> int:
    cur = db.execute(
        "INSERT INTO operator (name, roles, active, must_change_password, failed_logins, "
        "created_at, updated_at) VALUES (?, ?, 1, ?, 0, ?, ?)",
        (name, ",".join(sorted(roles)), int(must_change), _ts(now), _ts(now)),
    )
    return cur.lastrowid


def update_operator(db: Db, operator_id: int, now: datetime, **values) -> None:
    """Set the named columns (roles as a set, datetimes as such) and touch `updated_at`."""
    cols, params = [], []
    for column, value in values.items():
        if isinstance(value, (set, frozenset)):
            value = ",".join(sorted(value))
        elif isinstance(value, datetime):
            value = _ts(value)
        elif isinstance(value, bool):
            value = int(value)
        cols.append(f"{column} = ?")
        params.append(value)
    db.execute(
        f"UPDATE operator SET {', '.join(cols)}, updated_at = ? WHERE id = ?", (*params, _ts(now), operator_id)
    )


def slots(db: Db, kind: str, operator_id: int | None = None) -> list[SlotRow]:
    sql = "SELECT id, kind, operator_id, salt, kdf, wrapped FROM key_slot WHERE kind = ?"
    params: tuple = (kind,)
    if operator_id is not None:
        sql += " AND operator_id = ?"
        params += (operator_id,)
    return [SlotRow(*r) for r in db.execute(sql + " ORDER BY id", params)]


def insert_slot(db: Db, kind: str, operator_id: int | None, salt: str, kdf: str, wrapped: str, now: datetime) -> None:
    db.execute(
        "INSERT INTO key_slot (kind, operator_id, salt, kdf, wrapped, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (kind, operator_id, salt, kdf, wrapped, _ts(now)),
    )


def delete_slots(db: Db, kind: str, operator_id: int | None = None) -> None:
    if operator_id is None:
        db.execute("DELETE FROM key_slot WHERE kind = ?", (kind,))
    else:
        db.execute("DELETE FROM key_slot WHERE kind = ? AND operator_id = ?", (kind, operator_id))


def begin_write(db: Db) -> None:
    """Take the write lock now, unless a transaction already holds it (then join it)."""
    if not db.in_transaction:
        db.execute("BEGIN IMMEDIATE")
