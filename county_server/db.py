"""Open the county database (PostgreSQL or SQLite) and bring it to the head revision.

Every subcommand calls `open_database`: there is no alembic.ini and no separate migrate step.
SQLite gets WAL, a busy timeout and real transactions (`BEGIN`, or `BEGIN IMMEDIATE` for
writers, so two pushes never deadlock on a read-to-write upgrade).
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

DB_ENV = "XFCOUNTY_DB"
DEFAULT_DB_URL = "sqlite:///county.sqlite3"
BUSY_TIMEOUT_MS = 10_000
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_IMMEDIATE = "xfcounty_immediate"


class DatabaseUrlError(ValueError):
    pass


def resolve_url(cli_value: str | None) -> str:
    """--db, else $XFCOUNTY_DB, else sqlite:///county.sqlite3. A bare path means SQLite."""
    url = cli_value or os.environ.get(DB_ENV) or DEFAULT_DB_URL
    if "://" not in url:
        url = f"sqlite:///{url}"
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with an English message
        raise DatabaseUrlError(f"数据库地址格式不正确：{url}") from exc
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise DatabaseUrlError(f"只支持 PostgreSQL（postgresql+psycopg://…）和 SQLite（sqlite:///文件）：{url}")
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def _sqlite_connect(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" listener below emits BEGIN itself
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(_IMMEDIATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Session]:
    """One writing transaction, committed on success (SQLite: BEGIN IMMEDIATE; PostgreSQL: as usual)."""
    with engine.connect() as conn:
        conn.execution_options(**{_IMMEDIATE: True})
        with Session(bind=conn, expire_on_commit=False) as session, session.begin():
            yield session


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade_to_head(engine: Engine) -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def open_database(url: str) -> Engine:
    """An engine on `url`, migrated to head."""
    engine = make_engine(url)
    upgrade_to_head(engine)
    return engine


def describe(engine: Engine) -> str:
    """The URL without its password, for logs and messages."""
    return engine.url.render_as_string(hide_password=True)
