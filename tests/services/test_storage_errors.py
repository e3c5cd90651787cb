"""Storage failures mapped to Chinese messages, from the real errors SQLite and the OS raise."""
from __future__ import annotations

import errno
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from app.services.storage_errors import FULL, LOCKED, READ_ONLY, classify


def _sqlite_error(tmp_path, how: str) -> sqlite3.Error:
    conn = sqlite3.connect(tmp_path / "x.sqlite3")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    if how == "full":
        conn.execute(f"PRAGMA max_page_count={conn.execute('PRAGMA page_count').fetchone()[0]}")
        statement = "INSERT INTO t SELECT zeroblob(100000)"
    else:
        conn.execute("PRAGMA query_only=ON")
        statement = "INSERT INTO t VALUES (1)"
    with pytest.raises(sqlite3.OperationalError) as caught:
        conn.execute(statement)
    conn.close()
    return caught.value


@pytest.mark.parametrize("how, kind, start", [
    ("full", FULL, "无法保存：磁盘空间已满。"),
    ("read_only", READ_ONLY, "无法保存：数据目录只读或没有写入权限。"),
])
def test_sqlite_errors_and_their_sqlalchemy_wrapping(tmp_path, how, kind, start):
    error = _sqlite_error(tmp_path, how)
    assert classify(error).kind == kind
    wrapped = OperationalError("INSERT …", {}, error)
    problem = classify(wrapped)
    assert problem.kind == kind and problem.message().startswith(start)


def test_os_errors_from_writing_files():
    assert classify(OSError(errno.ENOSPC, "No space left on device")).kind == FULL
    assert classify(OSError(errno.EROFS, "Read-only file system")).kind == READ_ONLY
    assert classify(PermissionError(errno.EACCES, "Permission denied")).kind == READ_ONLY
    try:  # an attachment copy failing inside the service, re-raised as something else
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as exc:
            raise RuntimeError("attachment copy failed") from exc
    except RuntimeError as outer:
        assert classify(outer).kind == FULL


def test_a_locked_database_and_other_errors(tmp_path):
    first = sqlite3.connect(tmp_path / "l.sqlite3", isolation_level=None)
    first.execute("CREATE TABLE t (x)")
    first.execute("BEGIN IMMEDIATE")
    second = sqlite3.connect(tmp_path / "l.sqlite3", timeout=0)
    with pytest.raises(sqlite3.OperationalError) as caught:
        second.execute("INSERT INTO t VALUES (1)")
    assert classify(caught.value).kind == LOCKED
    assert classify(ValueError("nope")) is None
    assert classify(OSError(errno.ENOTDIR, "Not a directory")) is None
    assert classify(sqlite3.DatabaseError("file is not a database")) is None
    first.close()
    second.close()
