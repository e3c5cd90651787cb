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
from .matter_sql import count_sql, headcount_sum_sql, page_sql, row_from_db

BUSY_TIMEOUT_S = 10


def connect_current(data_dir: Path) -> sqlite3.Connection | None:
    """A query-only connection when the database exists and is at HEAD_REVISION, else None."""
    path = data_dir / DB_FILENAME
    if not path.exists():
        return None
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    try:
        conn.execute("PRAGMA query_only=ON")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        conn.close()
        return None
    if revision is None or revision[0] != HEAD_REVISION:
        conn.close()
        return None
    return conn


def page(conn: sqlite3.Connection, q: MatterQuery, offset: int, limit: int) -> list[MatterRow]:
    sql, params = page_sql(q, offset, limit)
    return [row_from_db(r) for r in conn.execute(sql, params)]


def count(conn: sqlite3.Connection, q: MatterQuery) -> int:
    sql, params = count_sql(q)
    return conn.execute(sql, params).fetchone()[0]


def headcount_sum(conn: sqlite3.Connection, q: MatterQuery) -> int:
    sql, params = headcount_sum_sql(q)
    return int(conn.execute(sql, params).fetchone()[0] or 0)
