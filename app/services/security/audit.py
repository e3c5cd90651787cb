"""The audit trail: append-only (database triggers refuse UPDATE and DELETE) and hash-chained.

Each entry's hash covers its own fields and the hash of the entry before it, so changing,
inserting or removing an entry anywhere but at the very end breaks `verify`. Entries are never
deleted by the program: PIPL art. 56 asks for processing records to be kept at least three years.
"""
from __future__ import annotations

import hashlib
import json
import socket
from dataclasses import dataclass
from datetime import datetime

from .store import Db, begin_write

GENESIS = "0" * 64

LOGIN, LOGIN_FAILED, LOGOUT, LOCKED_OUT = "login", "login_failed", "logout", "locked_out"
SCREEN_LOCKED, SCREEN_UNLOCKED = "screen_locked", "screen_unlocked"
SETUP, OPERATOR_CREATED, ROLES_CHANGED, OPERATOR_ACTIVE = "setup", "operator_created", "roles_changed", "operator_active"
PASSWORD_CHANGED, PASSWORD_RESET, KEY_RECOVERED = "password_changed", "password_reset", "key_recovered"
REVEAL, PRINT, EXPORT = "reveal", "print", "export"
REGISTER, ACTION, SETTINGS = "register", "action", "settings"
BACKUP, RESTORE, SEAL, VERIFY = "backup", "restore", "seal", "verify"

LABELS = {
    LOGIN: "登录", LOGIN_FAILED: "登录失败", LOGOUT: "退出登录", LOCKED_OUT: "账号临时锁定",
    SCREEN_LOCKED: "空闲锁屏", SCREEN_UNLOCKED: "解除锁屏",
    SETUP: "初始化管理员", OPERATOR_CREATED: "新建操作员", ROLES_CHANGED: "角色变更", OPERATOR_ACTIVE: "启用/停用操作员",
    PASSWORD_CHANGED: "修改密码", PASSWORD_RESET: "重置密码", KEY_RECOVERED: "用恢复码恢复",
    REVEAL: "查看完整号码", PRINT: "打印", EXPORT: "导出",
    REGISTER: "登记", ACTION: "办理", SETTINGS: "修改设置",
    BACKUP: "备份", RESTORE: "恢复备份", SEAL: "加密存量数据", VERIFY: "核验审计链",
}


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: str
    operator: str
    workstation: str
    action: str
    target: str
    detail: str

    @property
    def label(self) -> str:
        return LABELS.get(self.action, self.action)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None
    message: str


def workstation() -> str:
    return socket.gethostname()[:100]


def entry_hash(prev_hash: str, at: str, operator: str, station: str, action: str, target: str, detail: str) -> str:
    body = json.dumps([prev_hash, at, operator, station, action, target, detail], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(db: Db, operator: str, action: str, target: str = "", detail: dict | None = None,
           at: datetime | None = None) -> None:
    """Add one entry inside the caller's transaction (or a new one that holds the write lock)."""
    begin_write(db)
    row = db.execute("SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    stamp = (at or datetime.now()).isoformat(sep=" ", timespec="microseconds")
    text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
    station = workstation()
    db.execute(
        "INSERT INTO audit_entry (at, operator, workstation, action, target, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (stamp, operator, station, action, target[:100], text, prev,
         entry_hash(prev, stamp, operator, station, action, target[:100], text)),
    )


def verify(db: Db) -> ChainReport:
    """Walk the chain from the first entry; report the first entry whose hash does not hold."""
    prev = GENESIS
    checked = 0
    rows = db.execute(
        "SELECT id, at, operator, workstation, action, target, detail, prev_hash, hash FROM audit_entry ORDER BY id"
    )
    for r in rows:
        expected = entry_hash(prev, r[1], r[2], r[3], r[4], r[5], r[6])
        if r[7] != prev or r[8] != expected:
            return ChainReport(False, checked, r[0], f"审计日志第{r[0]}条被改动或其前面的记录被删除，审计链不完整")
        prev = r[8]
        checked += 1
    return ChainReport(True, checked, None, f"审计链完整：共{checked}条记录，逐条核验无误")


def entries(db: Db, *, operator: str = "", action: str = "", since: str = "", until: str = "",
            limit: int = 1000) -> list[AuditRecord]:
    """Newest first, filtered; dates are 'YYYY-MM-DD' (inclusive)."""
    where, params = [], []
    if operator:
        where.append("operator = ?")
        params.append(operator)
    if action:
        where.append("action = ?")
        params.append(action)
    if since:
        where.append("at >= ?")
        params.append(since)
    if until:
        where.append("at < ?")
        params.append(until + "\U0010ffff")
    sql = "SELECT id, at, operator, workstation, action, target, detail FROM audit_entry"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [AuditRecord(*r) for r in db.execute(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))]
