"""The sqlite3 connection under an engine or a session, for the plain-SQL security code."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from .store import Db


@contextmanager
def raw_db(engine: Engine) -> Iterator[Db]:
    """A pooled connection's sqlite3 connection: committed when the block ends, else rolled back."""
    fairy = engine.raw_connection()
    try:
        db = fairy.driver_connection
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise
    finally:
        fairy.close()


def session_db(s: Session) -> Db:
    """The sqlite3 connection inside the session's transaction (an audit entry joins that transaction)."""
    return s.connection().connection.driver_connection
