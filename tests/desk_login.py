"""Logging a test desk in: one operator holding every role, and the CLI's environment for them.

Argon2's cost is lowered for the whole test process (conftest.py): a hash records its own
parameters, so databases made here verify fast in subprocesses too.
"""
from __future__ import annotations

import os

from app.services.security import passwords
from app.services.security.permissions import ROLES

TEST_OPERATOR = "测试员"
TEST_PASSWORD = "ceshi-2026"
ALL_ROLES = frozenset(ROLES)
# `init` arguments creating the test operator with every role (the CLI's first administrator).
INIT_ADMIN = ("--admin", TEST_OPERATOR, "--roles", ",".join(ROLES))
FAST_COST = passwords.Argon2Cost(time_cost=1, memory_kib=64, parallelism=1)


def make_hashing_fast() -> None:
    passwords.COST = FAST_COST


def ready(desk, roles: frozenset[str] = ALL_ROLES):
    """The desk with the test operator logged in (created with `roles` on a new database)."""
    if desk.operators.has_operators():
        desk.login(TEST_OPERATOR, TEST_PASSWORD)
    else:
        desk.operators.setup_first_admin(TEST_OPERATOR, TEST_PASSWORD, roles)
    return desk


def cli_env(base: dict | None = None) -> dict:
    """An environment in which every CLI command logs in as the test operator."""
    env = dict(os.environ if base is None else base)
    env["XFDESK_OPERATOR"] = TEST_OPERATOR
    env["XFDESK_PASSWORD"] = TEST_PASSWORD
    return env
