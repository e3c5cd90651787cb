"""The audit trail: what is recorded, append-only triggers, and the hash chain's verification."""
from __future__ import annotations

import json
import sqlite3

import pytest
from desk_login import TEST_OPERATOR, TEST_PASSWORD
from factories import make_input

from app.models.db import DB_FILENAME
from app.receipts.content import KIND_SLIP
from app.services.security import audit
from app.services.security.errors import LoginFailed, PermissionDenied


@pytest.fixture
def busy(services):
    """A desk after a day's work: registrations, a print, a full-number view, a bad login."""
    number = services.registration.register(make_input()).number
    services.documents.content(number, KIND_SLIP)
    services.documents.record_printed(number, KIND_SLIP)
    services.privacy.reveal(number, 0, "phone", "电话告知办理结果")
    with pytest.raises(LoginFailed):
        services.login(TEST_OPERATOR, "wrong-pass-1")
    services.login(TEST_OPERATOR, TEST_PASSWORD)
    services.registration.register(make_input())
    return services


def raw(services) -> sqlite3.Connection:
    return sqlite3.connect(services.data_dir / DB_FILENAME)


def test_each_act_is_recorded_with_operator_time_and_workstation(busy):
    rows = list(reversed(busy.audit.entries()))
    actions = [r.action for r in rows]
    assert actions[:1] == [audit.SETUP]
    for expected in (audit.REGISTER, audit.PRINT, audit.REVEAL, audit.LOGIN_FAILED, audit.LOGIN):
        assert expected in actions
    reveal = next(r for r in rows if r.action == audit.REVEAL)
    assert reveal.operator == TEST_OPERATOR and reveal.workstation == audit.workstation()
    assert json.loads(reveal.detail) == {"field": "联系电话", "person": 1, "reason": "电话告知办理结果"}
    assert reveal.label == "查看完整号码"


def test_an_untouched_chain_verifies(busy):
    report = busy.audit.verify()
    assert report.ok and report.first_bad_id is None and report.checked == 7  # setup … second register
    assert "审计链完整" in report.message


def test_the_triggers_refuse_update_and_delete(busy):
    with raw(busy) as conn:
        for sql in ("UPDATE audit_entry SET operator = 'x' WHERE id = 2", "DELETE FROM audit_entry WHERE id = 2"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)


def test_altering_one_row_makes_verification_fail_at_that_row(busy):
    with raw(busy) as conn:  # someone with the file: lift the guard, change a reason
        conn.execute("DROP TRIGGER audit_entry_no_update")
        target = conn.execute("SELECT id FROM audit_entry WHERE action = 'reveal'").fetchone()[0]
        conn.execute("UPDATE audit_entry SET detail = replace(detail, '电话告知', '随便看看') WHERE id = ?", (target,))
    report = busy.audit.verify()
    assert not report.ok and report.first_bad_id == target
    assert f"第{target}条" in report.message


def test_recomputing_the_hash_of_the_altered_row_does_not_help(busy):
    """Fixing the altered row's own hash breaks the link to the next row instead."""
    with raw(busy) as conn:
        conn.execute("DROP TRIGGER audit_entry_no_update")
        row = conn.execute("SELECT id, at, operator, workstation, action, target, detail, prev_hash "
                           "FROM audit_entry WHERE action = 'print'").fetchone()
        detail = row[6].replace("slip", "notice")
        new_hash = audit.entry_hash(row[7], row[1], row[2], row[3], row[4], row[5], detail)
        conn.execute("UPDATE audit_entry SET detail = ?, hash = ? WHERE id = ?", (detail, new_hash, row[0]))
    report = busy.audit.verify()
    assert not report.ok and report.first_bad_id == row[0] + 1


def test_deleting_a_row_in_the_middle_is_detected(busy):
    with raw(busy) as conn:
        conn.execute("DROP TRIGGER audit_entry_no_delete")
        conn.execute("DELETE FROM audit_entry WHERE id = 3")
    report = busy.audit.verify()
    assert not report.ok and report.first_bad_id == 4


def test_a_verification_is_itself_recorded_only_when_the_chain_holds(busy):
    busy.audit.verify()
    assert busy.audit.entries(action=audit.VERIFY)


def test_only_the_auditor_reads_the_trail(busy):
    busy.operators.create_operator("王接待", frozenset({"receptionist"}), "jiedai-2026")
    busy.login("王接待", "jiedai-2026")
    with pytest.raises(PermissionDenied, match="审计日志"):
        busy.audit.entries()
    with pytest.raises(PermissionDenied):
        busy.audit.verify()
