"""Storage failures the user can act on (disk full, read-only data folder), in Chinese.

Both the window and the command line map an exception through `classify`: SQLite's own
errors ("database or disk is full", "attempt to write a readonly database"), SQLAlchemy's
wrapping of them (`.orig`), and OS errors from writing attachments or backups. Anything else
returns None and is handled (and logged) by the caller as before.

No SQLAlchemy import: the command line uses this before the ORM is loaded.
"""
from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass

FULL, READ_ONLY, LOCKED = "full", "read_only", "locked"

_REASONS = {
    FULL: "磁盘空间已满",
    READ_ONLY: "数据目录只读或没有写入权限",
    LOCKED: "数据库正被其他程序占用",
}
_ADVICE = {
    FULL: "请清理磁盘空间（或请管理员扩容）后重试",
    READ_ONLY: "请检查数据目录所在的磁盘或U盘是否处于只读状态、是否有写入权限，或联系管理员",
    LOCKED: "请稍后重试；如反复出现，请关闭其他正在使用本数据目录的信访接待台程序",
}
_OS_KINDS = {
    errno.ENOSPC: FULL,
    errno.EROFS: READ_ONLY,
    errno.EACCES: READ_ONLY,
    errno.EPERM: READ_ONLY,
}
if hasattr(errno, "EDQUOT"):  # a disk quota is a full disk to the user
    _OS_KINDS[errno.EDQUOT] = FULL

# Primary SQLite result codes (the low byte of an extended code).
_SQLITE_KINDS = {13: FULL, 8: READ_ONLY, 5: LOCKED, 6: LOCKED}  # FULL, READONLY, BUSY, LOCKED
_SQLITE_TEXTS = (
    ("database or disk is full", FULL),
    ("attempt to write a readonly database", READ_ONLY),
    ("readonly database", READ_ONLY),
    ("database is locked", LOCKED),
)


@dataclass(frozen=True)
class StorageProblem:
    """What went wrong (`kind`: FULL / READ_ONLY / LOCKED), with its Chinese reason and advice."""

    kind: str
    reason: str
    advice: str

    def message(self, action: str = "保存") -> str:
        """"无法保存：磁盘空间已满。请清理…" — `action` names what failed (保存, 备份, 恢复, 写入数据)."""
        return f"无法{action}：{self.reason}。{self.advice}"


def _problem(kind: str) -> StorageProblem:
    return StorageProblem(kind, _REASONS[kind], _ADVICE[kind])


def _chain(exc: BaseException):
    """The exception, what it wraps (`.orig`), its cause and context; each once."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]


def _sqlite_kind(exc: sqlite3.Error) -> str | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):  # the result code decides (a trigger's RAISE text must not)
        return _SQLITE_KINDS.get(code & 0xFF)
    text = str(exc).lower()  # an error raised without a code (constructed by hand, older Python)
    return next((kind for needle, kind in _SQLITE_TEXTS if needle in text), None)


def classify(exc: BaseException) -> StorageProblem | None:
    """The storage problem behind `exc`, or None when it is not one the user can fix this way."""
    for current in _chain(exc):
        if isinstance(current, sqlite3.Error):
            kind = _sqlite_kind(current)
        elif isinstance(current, OSError):
            kind = _OS_KINDS.get(current.errno or 0)
        else:
            continue
        if kind is not None:
            return _problem(kind)
    return None
