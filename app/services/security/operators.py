"""Operators: the first administrator, logging in and out, passwords, roles and accounts."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from ..errors import FieldError, ValidationFailed
from . import audit, auth, keys, passwords, store
from .connection import raw_db
from .crypto import FieldCipher
from .errors import LoginFailed, SetupError
from .guard import Guard, Principal
from .permissions import ADMIN, OPERATORS, RECEPTIONIST, ROLES, role_key, role_labels

_NAME = re.compile(r"^[\w\u3400-\u9fff·.\-]{1,30}$")
FIRST_ADMIN_ROLES = frozenset({ADMIN, RECEPTIONIST})


@dataclass(frozen=True)
class OperatorInfo:
    name: str
    roles: frozenset[str]
    active: bool
    must_change_password: bool
    locked_until: datetime | None

    @property
    def role_text(self) -> str:
        return role_labels(self.roles)


@dataclass(frozen=True)
class SetupResult:
    principal: Principal
    recovery_code: str  # shown once; the only way back in when every password is lost


def parse_roles(values: Iterable[str]) -> frozenset[str]:
    """Role keys from keys or Chinese names; refuses unknown ones at the field `roles`."""
    out = set()
    for value in values:
        for part in re.split(r"[,，、\s]+", value):
            if not part:
                continue
            key = role_key(part)
            if key is None:
                raise ValidationFailed([FieldError("roles", f"没有“{part}”这个角色；可选：{'、'.join(ROLES.values())}")])
            out.add(key)
    if not out:
        raise ValidationFailed([FieldError("roles", "至少选择一个角色")])
    return frozenset(out)


def _check_new(name: str, password: str) -> None:
    errors = []
    if not _NAME.match(name):
        errors.append(FieldError("name", "操作员名称为1至30个汉字、字母或数字，不含空格和符号"))
    problem = passwords.password_problem(password)
    if problem:
        errors.append(FieldError("password", problem))
    if errors:
        raise ValidationFailed(errors)


class OperatorService:
    """`on_login` runs after each login with the new principal (the seal pass of old plain data)."""

    def __init__(self, engine: Engine, guard: Guard, on_login: Callable[[Principal], None] | None = None):
        self._engine = engine
        self._guard = guard
        self._on_login = on_login

    # --- first run, login -------------------------------------------------------------------
    def has_operators(self) -> bool:
        with raw_db(self._engine) as db:
            return store.operator_count(db) > 0

    def setup_first_admin(self, name: str, password: str, roles: frozenset[str] = FIRST_ADMIN_ROLES) -> SetupResult:
        """Create the data key, the first administrator and the recovery code; log them in."""
        name = name.strip()
        _check_new(name, password)
        now = datetime.now()
        data_key = keys.new_data_key()
        with raw_db(self._engine) as db:
            store.begin_write(db)
            if store.operator_count(db):
                raise SetupError("本机已有操作员，请用已有的管理员账号登录")
            op_id = store.insert_operator(db, name, roles | {ADMIN}, now, False)
            keys.set_password_slot(db, op_id, password, data_key, now)
            code = keys.set_recovery_slot(db, data_key, now)
            audit.append(db, name, audit.SETUP, name, {"roles": sorted(roles | {ADMIN})}, at=now)
        principal = Principal(op_id, name, frozenset(roles | {ADMIN}), FieldCipher(data_key))
        self._start(principal)
        return SetupResult(principal, code)

    def login(self, name: str, password: str) -> Principal:
        with raw_db(self._engine) as db:
            principal = auth.login(db, name, password)
        self._start(principal)
        return principal

    def _start(self, principal: Principal) -> None:
        self._guard.sign_in(principal)
        if self._on_login:
            self._on_login(principal)

    def logout(self) -> None:
        if self._guard.current is not None:
            with raw_db(self._engine) as db:
                audit.append(db, self._guard.actor, audit.LOGOUT, self._guard.actor)
        self._guard.sign_out()

    def unlock_screen(self, password: str) -> None:
        """After an idle lock: the same operator's password again (failures count as at login)."""
        name = self._guard.principal().name
        with raw_db(self._engine) as db:
            auth.login(db, name, password)
            audit.append(db, name, audit.SCREEN_UNLOCKED, name)

    def record_screen_locked(self) -> None:
        with raw_db(self._engine) as db:
            audit.append(db, self._guard.actor, audit.SCREEN_LOCKED, self._guard.actor)

    # --- own password -----------------------------------------------------------------------
    def change_password(self, old: str, new: str) -> None:
        p = self._guard.principal()
        problem = passwords.password_problem(new)
        if problem:
            raise ValidationFailed([FieldError("new_password", problem)])
        if new == old:
            raise ValidationFailed([FieldError("new_password", "新密码不能与原密码相同")])
        now = datetime.now()
        with raw_db(self._engine) as db:
            store.begin_write(db)
            row = store.operator_by_name(db, p.name)
            if row is None or keys.open_with_password(db, row.id, old) is None:
                raise ValidationFailed([FieldError("old_password", "原密码不正确")])
            store.update_operator(db, row.id, now, must_change_password=False)
            keys.set_password_slot(db, row.id, new, p.cipher.data_key, now)
            audit.append(db, p.name, audit.PASSWORD_CHANGED, p.name, at=now)
        self._guard.sign_in(Principal(p.operator_id, p.name, p.roles, p.cipher, False))

    # --- administration ---------------------------------------------------------------------
    def operators(self) -> list[OperatorInfo]:
        self._guard.require(OPERATORS)
        with raw_db(self._engine) as db:
            return [OperatorInfo(o.name, o.roles, o.active, o.must_change_password, o.locked_until)
                    for o in store.all_operators(db)]

    def create_operator(self, name: str, roles: frozenset[str], password: str) -> None:
        """A new account with a first password the operator must change at first login."""
        admin = self._guard.require(OPERATORS)
        name = name.strip()
        _check_new(name, password)
        now = datetime.now()
        with raw_db(self._engine) as db:
            store.begin_write(db)
            if store.operator_by_name(db, name) is not None:
                raise ValidationFailed([FieldError("name", f"已有名为“{name}”的操作员")])
            op_id = store.insert_operator(db, name, roles, now, True)
            keys.set_password_slot(db, op_id, password, admin.cipher.data_key, now)
            audit.append(db, admin.name, audit.OPERATOR_CREATED, name, {"roles": sorted(roles)}, at=now)

    def set_roles(self, name: str, roles: frozenset[str]) -> None:
        admin = self._guard.require(OPERATORS)
        if not roles:
            raise ValidationFailed([FieldError("roles", "至少选择一个角色")])
        now = datetime.now()
        with raw_db(self._engine) as db:
            store.begin_write(db)
            row = self._existing(db, name)
            if ADMIN in row.roles and ADMIN not in roles:
                self._keep_an_admin(db, row.name)
            store.update_operator(db, row.id, now, roles=roles)
            audit.append(db, admin.name, audit.ROLES_CHANGED, name,
                         {"before": sorted(row.roles), "after": sorted(roles)}, at=now)

    def set_active(self, name: str, active: bool) -> None:
        admin = self._guard.require(OPERATORS)
        now = datetime.now()
        with raw_db(self._engine) as db:
            store.begin_write(db)
            row = self._existing(db, name)
            if not active and row.name == admin.name:
                raise ValidationFailed([FieldError("name", "不能停用自己的账号")])
            if not active and ADMIN in row.roles:
                self._keep_an_admin(db, row.name)
            store.update_operator(db, row.id, now, active=active)
            audit.append(db, admin.name, audit.OPERATOR_ACTIVE, name, {"active": active}, at=now)

    def reset_password(self, name: str, password: str) -> None:
        """For an operator who forgot theirs: a new first password, to be changed at login."""
        admin = self._guard.require(OPERATORS)
        problem = passwords.password_problem(password)
        if problem:
            raise ValidationFailed([FieldError("password", problem)])
        self._set_password(name, password, admin.cipher.data_key, admin.name, audit.PASSWORD_RESET)

    def recover(self, code: str, name: str, password: str) -> None:
        """Every administrator password lost: the recovery code opens the key and resets `name`."""
        problem = passwords.password_problem(password)
        if problem:
            raise ValidationFailed([FieldError("password", problem)])
        with raw_db(self._engine) as db:
            data_key = keys.open_with_recovery_code(db, code)
        if data_key is None:
            raise LoginFailed("恢复码不正确")
        self._set_password(name, password, data_key, name, audit.KEY_RECOVERED)

    def new_recovery_code(self) -> str:
        admin = self._guard.require(OPERATORS)
        with raw_db(self._engine) as db:
            store.begin_write(db)
            code = keys.set_recovery_slot(db, admin.cipher.data_key, datetime.now())
            audit.append(db, admin.name, audit.KEY_RECOVERED, "", {"new_recovery_code": True})
        return code

    def _set_password(self, name: str, password: str, data_key: bytes, actor: str, action: str) -> None:
        now = datetime.now()
        with raw_db(self._engine) as db:
            store.begin_write(db)
            row = self._existing(db, name)
            store.update_operator(db, row.id, now, must_change_password=True, failed_logins=0, locked_until=None)
            keys.set_password_slot(db, row.id, password, data_key, now)
            audit.append(db, actor, action, name, at=now)

    @staticmethod
    def _existing(db, name: str) -> store.OperatorRow:
        row = store.operator_by_name(db, name.strip())
        if row is None:
            raise ValidationFailed([FieldError("name", f"没有名为“{name}”的操作员")])
        return row

    @staticmethod
    def _keep_an_admin(db, leaving: str) -> None:
        others = [o for o in store.all_operators(db) if o.active and ADMIN in o.roles and o.name != leaving]
        if not others:
            raise ValidationFailed([FieldError("roles", "这是最后一位在用的管理员，不能取消其管理员角色或停用")])
