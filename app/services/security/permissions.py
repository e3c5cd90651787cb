"""Roles and what each may do: the one permission matrix (docs/security.md shows it as a table).

Roles are fixed; an administrator gives an operator one or more of them. The matrix is checked
in the services (`Guard.require`), so the window and the command line obey the same rules.
"""
from __future__ import annotations

# Permission keys, with the Chinese name a refusal uses.
REGISTER = "register"
VIEW = "view"
HANDLE = "handle"
SUPERVISE = "supervise"
PRINT = "print"
REVEAL = "reveal"
VIEW_REPORTER = "view_reporter"
STATISTICS = "statistics"
EXPORT = "export"
SYNC = "sync"
SETTINGS = "settings"
OPERATORS = "operators"
BACKUP = "backup"
AUDIT = "audit"

PERMISSIONS: dict[str, str] = {
    REGISTER: "登记信访件",
    VIEW: "查看信访件",
    HANDLE: "办理信访件",
    SUPERVISE: "督办、催办、包案",
    PRINT: "打印回执和告知书",
    REVEAL: "查看完整证件号码和电话",
    VIEW_REPORTER: "查看检举控告人身份",
    STATISTICS: "查看统计",
    EXPORT: "导出报表和数据",
    SYNC: "与县级平台同步",
    SETTINGS: "修改系统设置",
    OPERATORS: "管理操作员和角色",
    BACKUP: "备份与恢复",
    AUDIT: "查看和核验审计日志",
}

RECEPTIONIST, HANDLER, LEADER, STATISTICIAN, ADMIN, AUDITOR = (
    "receptionist", "handler", "leader", "statistician", "admin", "auditor",
)
ROLES: dict[str, str] = {
    RECEPTIONIST: "接待员",
    HANDLER: "承办人",
    LEADER: "领导",
    STATISTICIAN: "统计员",
    ADMIN: "管理员",
    AUDITOR: "审计员",
}

# Separation of duties: the administrator manages people, settings and backups but reads no
# matter; the auditor reads only the audit trail; only leaders see who reported an official.
MATRIX: dict[str, frozenset[str]] = {
    RECEPTIONIST: frozenset({REGISTER, VIEW, HANDLE, PRINT, REVEAL, SYNC}),
    HANDLER: frozenset({VIEW, HANDLE, PRINT, REVEAL, SYNC}),
    LEADER: frozenset({VIEW, HANDLE, SUPERVISE, VIEW_REPORTER, STATISTICS}),
    STATISTICIAN: frozenset({VIEW, STATISTICS, EXPORT}),
    ADMIN: frozenset({SETTINGS, OPERATORS, BACKUP, SYNC}),
    AUDITOR: frozenset({AUDIT}),
}


def role_key(label_or_key: str) -> str | None:
    """A role's key from its key or its Chinese name (the CLI accepts either)."""
    text = label_or_key.strip()
    if text in ROLES:
        return text
    return next((key for key, label in ROLES.items() if label == text), None)


def permissions_of(roles: frozenset[str] | set[str] | tuple[str, ...]) -> frozenset[str]:
    """Everything an operator with these roles may do."""
    granted: set[str] = set()
    for role in roles:
        granted |= MATRIX.get(role, frozenset())
    return frozenset(granted)


def role_labels(roles) -> str:
    return "、".join(ROLES[r] for r in ROLES if r in roles)
