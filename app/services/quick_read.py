"""Read-only matter lists over a bare sqlite3 connection, for the command line.

`python -m app search` answers without importing SQLAlchemy (whose import alone costs more than
the 0.3 s a search may take). It runs the very statements `MatterQueries` runs (`matter_sql`),
and only on a database already at the schema this build expects; anything else (no file yet,
an older schema that needs migrating) returns None and the caller opens the full services.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from app.schema import DB_FILENAME, HEAD_REVISION

from .dto import MatterQuery, MatterRow
from .matter_sql import Scope, count_sql, headcount_sum_sql, page_sql, row_from_db

BUSY_TIMEOUT_S = 10


def connect_current(data_dir: Path) -> sqlite3.Connection | None:
    """A connection (made query-only by the caller after the login) when the database exists and is at HEAD_REVISION, else None."""
    path = data_dir / DB_FILENAME
    if not path.exists():
        return None
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        conn.close()
        return None
    if revision is None or revision[0] != HEAD_REVISION:
        conn.close()
        return None
    return conn


def login(conn: sqlite3.Connection, name: str, password: str) -> Scope:
    """Log the operator in (audited like any login), make the connection query-only, and return
    what they may list: the same rule as MatterQueries.scope."""
    from .security import auth
    from .security.guard import Guard
    from .security.permissions import VIEW, VIEW_REPORTER

    principal = auth.login(conn, name, password)
    conn.execute("PRAGMA query_only=ON")
    guard = Guard()
    guard.sign_in(principal)
    guard.require(VIEW)
    return Scope(lookup=principal.cipher.lookup, hide_reporters=not principal.can(VIEW_REPORTER))


def page(conn: sqlite3.Connection, q: MatterQuery, offset: int, limit: int, scope: Scope) -> list[MatterRow]:
    sql, params = page_sql(q, offset, limit, scope)
    return [row_from_db(r) for r in conn.execute(sql, params)]


def count(conn: sqlite3.Connection, q: MatterQuery, scope: Scope) -> int:
    sql, params = count_sql(q, scope)
    return conn.execute(sql, params).fetchone()[0]


def headcount_sum(conn: sqlite3.Connection, q: MatterQuery, scope: Scope) -> int:
    sql, params = headcount_sum_sql(q, scope)
    return int(conn.execute(sql, params).fetchone()[0] or 0)
