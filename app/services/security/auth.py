"""Logging in: check the password, count failures, lock out, and open the data key.

Plain SQL on a sqlite3 connection (`store`), shared by the window and the command line.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from . import audit, keys, store
from .crypto import FieldCipher
from .errors import LoginFailed
from .guard import Principal
from .store import Db

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
WRONG = "用户名或密码错误"


def login(db: Db, name: str, password: str, now: datetime | None = None) -> Principal:
    """The principal, or LoginFailed; every attempt, good or bad, is in the audit trail."""
    now = now or datetime.now()
    name = name.strip()
    store.begin_write(db)
    try:
        principal = _check(db, name, password, now)
        audit.append(db, name, audit.LOGIN, name, at=now)
        db.commit()
        return principal
    except LoginFailed:
        db.commit()  # the failure count and its audit entry stay
        raise
    except BaseException:
        db.rollback()
        raise


def _check(db: Db, name: str, password: str, now: datetime) -> Principal:
    op = store.operator_by_name(db, name)
    if op is None or not op.active:
        audit.append(db, name[:30], audit.LOGIN_FAILED, name[:100], {"reason": "unknown or disabled"}, at=now)
        raise LoginFailed(WRONG if op is None else "该操作员已停用，请联系管理员")
    if op.locked_until and op.locked_until > now:
        audit.append(db, name, audit.LOGIN_FAILED, name, {"reason": "locked"}, at=now)
        raise LoginFailed(f"密码连续输错{MAX_FAILURES}次，账号已临时锁定，请于{op.locked_until:%H:%M}后再试")
    data_key = keys.open_with_password(db, op.id, password)  # the slot opens only with the right password
    if data_key is None:
        _count_failure(db, op, now)
    store.update_operator(db, op.id, now, failed_logins=0, locked_until=None)
    return Principal(op.id, op.name, op.roles, FieldCipher(data_key), op.must_change_password)


def _count_failure(db: Db, op: store.OperatorRow, now: datetime) -> None:
    failures = op.failed_logins + 1
    if failures >= MAX_FAILURES:
        until = now + LOCKOUT
        store.update_operator(db, op.id, now, failed_logins=0, locked_until=until)
        audit.append(db, op.name, audit.LOCKED_OUT, op.name, {"until": until.isoformat(sep=" ")}, at=now)
        raise LoginFailed(f"密码连续输错{MAX_FAILURES}次，账号已临时锁定，请于{until:%H:%M}后再试")
    store.update_operator(db, op.id, now, failed_logins=failures)
    audit.append(db, op.name, audit.LOGIN_FAILED, op.name, {"reason": "password", "failures": failures}, at=now)
    raise LoginFailed(f"{WRONG}（还可再试{MAX_FAILURES - failures}次）")
