"""Who runs a command: every command but `init` (first time) and `recover` logs an operator in.

The name comes from `--operator` or XFDESK_OPERATOR, the password from XFDESK_PASSWORD or a
prompt on the terminal. A refusal is a Chinese sentence and exit code 3; nothing is done.
"""
from __future__ import annotations

import getpass
import os
import sqlite3
import sys

OPERATOR_ENV = "XFDESK_OPERATOR"
PASSWORD_ENV = "XFDESK_PASSWORD"
NEW_PASSWORD_ENV = "XFDESK_NEW_PASSWORD"
EXIT_DENIED = 3


class CliAuthError(Exception):
    """Why the command cannot go on (Chinese)."""


def operator_name(args) -> str:
    name = (getattr(args, "operator", None) or os.environ.get(OPERATOR_ENV) or "").strip()
    if not name:
        raise CliAuthError(f"请用 --operator 名称 或环境变量 {OPERATOR_ENV} 指定登录的操作员")
    return name


def read_secret(env: str, prompt: str) -> str:
    """From the environment, else asked on the terminal (never echoed); refused without either."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CliAuthError(f"请在终端输入密码，或设置环境变量 {env}")
    return getpass.getpass(prompt)


def login_services(services, args) -> None:
    """Log the operator in on the desk's services (raises the security layer's refusals)."""
    from .services.security.errors import NotLoggedIn

    if not services.operators.has_operators():
        raise NotLoggedIn("本机尚未创建管理员：请先运行 python -m app init --admin 名称（首次初始化）")
    name = operator_name(args)
    services.login(name, read_secret(PASSWORD_ENV, f"操作员“{name}”的密码："))


def login_raw(conn: sqlite3.Connection, args):
    """The same login on a bare sqlite3 connection (the quick list/search path); returns its Scope."""
    from .services import quick_read
    from .services.security import store
    from .services.security.errors import NotLoggedIn

    if store.operator_count(conn) == 0:
        raise NotLoggedIn("本机尚未创建管理员：请先运行 python -m app init --admin 名称（首次初始化）")
    name = operator_name(args)
    return quick_read.login(conn, name, read_secret(PASSWORD_ENV, f"操作员“{name}”的密码："))
