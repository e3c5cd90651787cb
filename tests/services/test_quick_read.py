"""The command line's SQLAlchemy-free read path answers exactly what the services answer."""
from __future__ import annotations

import subprocess
import sys
from contextlib import closing
from datetime import date

import pytest
from desk_login import TEST_OPERATOR, TEST_PASSWORD
from sqlalchemy import text

from app.services import quick_read
from app.services.dto import MatterQuery
from app.services.registration import PetitionerInput
from factories import VALID_ID, make_input

QUERIES = [
    MatterQuery(),
    MatterQuery(text="张三"),
    MatterQuery(text="zs"),
    MatterQuery(text=VALID_ID),
    MatterQuery(text="138 1234 5678"),
    MatterQuery(text="宅基地"),
    MatterQuery(text="360426-"),
    MatterQuery(form="来信"),
    MatterQuery(sort_key="title", descending=False),
]


@pytest.fixture
def seeded(desk):
    desk.registration.register(make_input())
    desk.registration.register(
        make_input(petitioner=PetitionerInput(name="李四", id_type="无证件"), title="宅基地纠纷", form="来信",
                   petition_date=date.today())  # a letter needs its postmark date
    )
    desk.registration.register(make_input(title="再次反映", decision="转送", decision_unit="县人社局"))
    return desk


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: repr(q.text or q.form or q.sort_key))
def test_same_rows_as_the_services(seeded, q):
    with closing(quick_read.connect_current(seeded.data_dir)) as conn:
        scope = quick_read.login(conn, TEST_OPERATOR, TEST_PASSWORD)
        assert quick_read.page(conn, q, 0, 100, scope) == seeded.matters.page(q, 0, 100)
        assert quick_read.count(conn, q, scope) == seeded.matters.count(q)


def test_no_database_or_an_old_schema_falls_back(desk, tmp_path):
    assert quick_read.connect_current(tmp_path / "nothing-here") is None
    with desk.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    assert quick_read.connect_current(desk.data_dir) is None


def test_the_connection_cannot_write(seeded):
    import sqlite3

    with closing(quick_read.connect_current(seeded.data_dir)) as conn:
        quick_read.login(conn, TEST_OPERATOR, TEST_PASSWORD)
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("DELETE FROM petitioner")


def test_cli_search_does_not_import_sqlalchemy(seeded):
    probe = (
        "import sys, app.cli; "
        f"code = app.cli.main(['search', '张三', '--json', '--data-dir', {str(seeded.data_dir)!r}]); "
        "print('SQLALCHEMY' if 'sqlalchemy' in sys.modules else 'LEAN', code)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "LEAN 0"
    assert '"number": "360426-' in result.stdout
