"""Operators: first administrator, login with lockout, passwords and key slots, roles, recovery."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from desk_login import TEST_OPERATOR, TEST_PASSWORD
from factories import make_input

from app.services.context import DeskServices
from app.services.errors import ValidationFailed
from app.services.security import auth
from app.services.security.connection import raw_db
from app.services.security.errors import LoginFailed, SetupError
from app.services.security.passwords import password_problem


def test_the_first_administrator_gets_a_recovery_code_and_is_logged_in(tmp_path):
    desk = DeskServices.open(tmp_path)
    try:
        assert not desk.operators.has_operators()
        result = desk.operators.setup_first_admin("管理员甲", "guanli-2026")
        assert desk.guard.actor == "管理员甲" and {"admin", "receptionist"} == set(result.principal.roles)
        assert len(result.recovery_code.replace("-", "")) == 25
        with pytest.raises(SetupError, match="已有操作员"):
            desk.operators.setup_first_admin("管理员乙", "guanli-2026")
    finally:
        desk.close()


@pytest.mark.parametrize(("password", "message"), [("short1", "至少8位"), ("12345678", "字母和数字"), ("abcdefgh", "字母和数字"),
                                                   (" abc12345", "空格")])
def test_weak_passwords_are_refused_at_the_field(tmp_path, password, message):
    assert message in password_problem(password)
    desk = DeskServices.open(tmp_path)
    try:
        with pytest.raises(ValidationFailed) as refused:
            desk.operators.setup_first_admin("管理员甲", password)
        assert message in refused.value.by_field()["password"]
        assert not desk.operators.has_operators()
    finally:
        desk.close()


def test_a_wrong_password_is_refused_and_counted_then_locks_out(services):
    services.operators.create_operator("李四", frozenset({"receptionist"}), "lisi-2026x")
    for left in (4, 3, 2, 1):
        with pytest.raises(LoginFailed, match=f"用户名或密码错误（还可再试{left}次）"):
            services.login("李四", "bad-pass-0")
    with pytest.raises(LoginFailed, match="已临时锁定"):
        services.login("李四", "bad-pass-0")
    with pytest.raises(LoginFailed, match="已临时锁定"):
        services.login("李四", "lisi-2026x")  # even the right password, until the lockout ends
    later = datetime.now() + auth.LOCKOUT + timedelta(seconds=1)
    with raw_db(services.engine) as db:
        assert auth.login(db, "李四", "lisi-2026x", now=later).name == "李四"


def test_an_unknown_name_gets_the_same_message(services):
    with pytest.raises(LoginFailed, match="^用户名或密码错误$"):
        services.login("不存在", "whatever-1")


def test_changing_the_password_keeps_the_data_readable(services):
    number = services.registration.register(make_input()).number
    services.operators.change_password(TEST_PASSWORD, "xinmima-2026")
    services.operators.logout()
    with pytest.raises(LoginFailed):
        services.login(TEST_OPERATOR, TEST_PASSWORD)
    services.login(TEST_OPERATOR, "xinmima-2026")
    assert services.privacy.reveal(number, 0, "id", "核实身份") == "360426199101010071"
    with pytest.raises(ValidationFailed) as refused:
        services.operators.change_password("wrong-old-1", "another-2026")
    assert refused.value.by_field() == {"old_password": "原密码不正确"}


def test_a_new_operator_must_change_the_first_password(services):
    services.operators.create_operator("王五", frozenset({"handler"}), "wangwu-2026")
    principal = services.login("王五", "wangwu-2026")
    assert principal.must_change_password
    services.operators.change_password("wangwu-2026", "wangwu-new-1")
    assert not services.login("王五", "wangwu-new-1").must_change_password


def test_a_disabled_operator_cannot_log_in(services):
    services.operators.create_operator("赵六", frozenset({"handler"}), "zhaoliu-2026")
    services.operators.set_active("赵六", False)
    with pytest.raises(LoginFailed, match="已停用"):
        services.login("赵六", "zhaoliu-2026")


def test_the_last_administrator_keeps_the_role(services):
    with pytest.raises(ValidationFailed, match="最后一位"):
        services.operators.set_roles(TEST_OPERATOR, frozenset({"receptionist"}))
    with pytest.raises(ValidationFailed, match="自己"):
        services.operators.set_active(TEST_OPERATOR, False)


def test_duplicate_and_bad_names_are_refused(services):
    with pytest.raises(ValidationFailed, match="已有名为"):
        services.operators.create_operator(TEST_OPERATOR, frozenset({"handler"}), "abc-12345")
    with pytest.raises(ValidationFailed) as refused:
        services.operators.create_operator("a b", frozenset({"handler"}), "abc-12345")
    assert "name" in refused.value.by_field()


def test_the_recovery_code_resets_a_forgotten_password(tmp_path):
    desk = DeskServices.open(tmp_path)
    try:
        code = desk.operators.setup_first_admin("管理员甲", "guanli-2026").recovery_code
        desk.stations.initialise("360426", "德安县信访局", "县")
        number = desk.registration.register(make_input()).number
        desk.operators.logout()
        with pytest.raises(LoginFailed, match="恢复码不正确"):
            desk.operators.recover("AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", "管理员甲", "huifu-2026")
        desk.operators.recover(code.lower().replace("-", " "), "管理员甲", "huifu-2026")
        principal = desk.login("管理员甲", "huifu-2026")
        assert principal.must_change_password
        assert desk.privacy.reveal(number, 0, "phone", "电话告知结果") == "13812345678"
    finally:
        desk.close()
