"""A migration interrupted halfway leaves the database as it was, and the next start migrates it.

Python's sqlite3 module runs CREATE / ALTER / DROP outside any transaction unless told otherwise,
so each statement of a migration used to commit on its own: a start killed during the first
migration left a half-created schema (tables, but no revision) that no later start could
migrate ("table … already exists"). scripts/crash_safety.py found it; this is its regression test.
"""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event

from app.models.db import DB_FILENAME, current_revision, make_engine, open_database, upgrade_to_head
from app.schema import HEAD_REVISION


class Interrupted(Exception):
    pass


def _tables(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


@pytest.mark.parametrize("fail_at", [1, 6, 25])
def test_a_migration_failing_halfway_writes_nothing(tmp_path, fail_at):
    path = tmp_path / DB_FILENAME
    engine = make_engine(path)
    created = []

    def interrupt(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("CREATE"):
            created.append(statement)
            if len(created) == fail_at:
                raise Interrupted(statement[:40])

    event.listen(engine, "before_cursor_execute", interrupt)
    with pytest.raises(Interrupted):
        upgrade_to_head(engine, path)
    event.remove(engine, "before_cursor_execute", interrupt)
    assert _tables(path) <= {"alembic_version"}  # nothing of the schema was kept
    assert current_revision(engine) is None
    engine.dispose()

    engine = open_database(tmp_path)  # the next start
    try:
        assert current_revision(engine) == HEAD_REVISION
        assert {"matter", "petitioner", "matter_event", "operator"} <= _tables(path)
    finally:
        engine.dispose()


def test_the_migrating_connection_goes_back_to_the_pool_unchanged(tmp_path):
    """The migration switches the driver to explicit transactions; the app's own connections
    keep the driver's usual implicit transactions (raw sqlite3 code relies on them)."""
    engine = open_database(tmp_path)
    try:
        with engine.connect() as conn:
            assert conn.connection.driver_connection.isolation_level == ""
    finally:
        engine.dispose()
