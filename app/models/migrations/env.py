"""Alembic environment: runs on the engine the app passes in (no alembic.ini, no fileConfig)."""
from __future__ import annotations

from alembic import context

from app.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        # Left to itself, Python's sqlite3 runs CREATE / ALTER / DROP outside any transaction,
        # each committing at once: a start killed mid-migration left a half-created schema that
        # no later start could migrate (scripts/crash_safety.py). So the driver is told to start
        # nothing itself, and one explicit transaction holds the whole upgrade and its revision.
        driver = connection.connection.driver_connection
        implicit = driver.isolation_level
        driver.isolation_level = None
        try:
            # A batch migration rebuilds a table (copy, DROP, rename). With foreign keys on, the
            # DROP would cascade into matter_petitioner or fail on matter_event, so they are off
            # while migrating (a PRAGMA outside any transaction) and checked before committing.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,
            )
            with context.begin_transaction():
                context.run_migrations()
                problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if problems:
                    raise RuntimeError(f"migration left broken references: {problems[:5]}")
            connection.commit()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        except BaseException:
            connection.rollback()
            raise
        finally:
            driver.isolation_level = implicit


run_migrations_online()
