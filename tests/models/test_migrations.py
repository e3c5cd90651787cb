"""Migrations run at start on a real file: from empty, down and up again, with a backup first."""
from __future__ import annotations

import sqlite3

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from app.models import Base
from app.models.db import DB_FILENAME, alembic_config, current_revision, make_engine, open_database, upgrade_to_head
from app.schema import HEAD_REVISION


def test_head_constant_matches_alembic_scripts(tmp_path):
    engine = make_engine(tmp_path / "x.sqlite3")
    assert ScriptDirectory.from_config(alembic_config(engine)).get_current_head() == HEAD_REVISION


def test_upgrade_from_empty_creates_every_table(tmp_path):
    engine = open_database(tmp_path)
    assert current_revision(engine) == HEAD_REVISION
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert not (tmp_path / "backups").exists()


def test_schema_matches_the_models(tmp_path):
    """Autogenerate finds nothing to add: the migration and the ORM agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = open_database(tmp_path)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_downgrade_then_upgrade_round_trip_with_backup(tmp_path):
    engine = open_database(tmp_path)
    command.downgrade(alembic_config(engine), "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    backup = upgrade_to_head(engine, tmp_path / DB_FILENAME)
    assert backup is not None and backup.exists()
    assert current_revision(engine) == HEAD_REVISION
    with sqlite3.connect(backup) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["alembic_version"]


def test_reopening_at_head_changes_nothing(tmp_path):
    open_database(tmp_path).dispose()
    engine = open_database(tmp_path)
    assert upgrade_to_head(engine, tmp_path / DB_FILENAME) is None
    assert not (tmp_path / "backups").exists()


def test_connection_pragmas(tmp_path):
    engine = open_database(tmp_path)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_query_code_migration_keeps_data_and_fills_codes(tmp_path):
    """0002 rebuilds nothing it should not: people links and events survive down and up."""
    from app.services.context import DeskServices
    from desk_login import ready
    from factories import make_input

    desk = ready(DeskServices.open(tmp_path))
    desk.stations.initialise("360426", "德安县信访局", "县")
    numbers = [desk.registration.register(make_input(representatives=["李四"], headcount=2)).number for _ in range(3)]
    desk.close()

    def counts(engine):
        with engine.connect() as conn:
            return [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in ("matter", "matter_petitioner", "matter_event")]

    engine = make_engine(tmp_path / DB_FILENAME)
    before = counts(engine)
    command.downgrade(alembic_config(engine), "0001_initial")
    assert "query_code" not in {c["name"] for c in inspect(engine).get_columns("matter")}
    assert counts(engine) == before
    backup = upgrade_to_head(engine, tmp_path / DB_FILENAME)
    assert backup is not None and backup.exists()
    assert counts(engine) == before
    with engine.connect() as conn:
        codes = conn.execute(text("SELECT query_code FROM matter")).scalars().all()
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    assert len(set(codes)) == 3 and all(len(c) == 8 for c in codes)
    engine.dispose()
    desk = ready(DeskServices.open(tmp_path))
    assert [p.name for p in desk.matters.detail(numbers[0]).people] == ["张三", "李四"]
    desk.close()
