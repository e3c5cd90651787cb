"""Open the local SQLite database: pragmas for durability, migrations applied at start.

The user never runs alembic: `open_database` brings the file to the head revision,
taking a copy of the file first whenever an existing database is about to change.
"""
from __future__ import annotations

import logging
import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text

from app.schema import DB_FILENAME, HEAD_REVISION

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _set_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA secure_delete=ON")  # deleted and overwritten values leave no trace in the file
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def make_engine(db_path: Path) -> Engine:
    """An engine on `db_path` whose every connection has the durability pragmas set."""
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _set_pragmas)
    return engine


def alembic_config(engine: Engine):
    """An alembic Config built in code (no alembic.ini), pointing at the packaged scripts."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


BACKUPS_DIR = "backups"
BACKUP_STAMP = "%Y%m%d-%H%M%S-%f"  # file names: {stem}-{stamp}-{reason}.sqlite3 (app.services.backups parses them)


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of the database `source` at `target`, through SQLite's backup API.

    Written under a temporary name, synced and renamed, so `target` is absent or complete. The
    copy is one self-contained file (rollback-journal mode: no -wal / -shm beside it).
    """
    tmp = target.with_name(f".{target.name}.part")
    for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
        leftover.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            leftover.unlink(missing_ok=True)
        raise
    return target


def backup_file(db_path: Path, reason: str, when: datetime | None = None) -> Path:
    """Copy the database (consistently, via SQLite's backup API) into `backups/`."""
    backups = db_path.parent / BACKUPS_DIR
    backups.mkdir(parents=True, exist_ok=True)
    when = when or datetime.now()
    target = backups / f"{db_path.stem}-{when.strftime(BACKUP_STAMP)}-{reason}.sqlite3"
    while target.exists():  # two copies within one microsecond (or a fixed test clock)
        when += timedelta(microseconds=1)
        target = backups / f"{db_path.stem}-{when.strftime(BACKUP_STAMP)}-{reason}.sqlite3"
    return copy_database(db_path, target)


def upgrade_to_head(engine: Engine, db_path: Path) -> Path | None:
    """Migrate to head; returns the backup path when an existing database was copied first."""
    rev = current_revision(engine)
    if rev == HEAD_REVISION:
        return None
    backup = None
    if db_path.exists() and _has_tables(engine):
        backup = backup_file(db_path, f"before-{HEAD_REVISION}")
        logger.info("database backed up to %s before migrating from %s", backup, rev)
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
    return backup


def open_database(data_dir: Path) -> Engine:
    """Create the data directory if needed, open the database and migrate it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    db_path = data_dir / DB_FILENAME
    engine = make_engine(db_path)
    upgrade_to_head(engine, db_path)
    return engine
