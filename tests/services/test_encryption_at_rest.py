"""Encryption at rest: a copy of the database, dumped with the plain sqlite3 tool, holds no ID
number and no phone number of a demo data set; history and search still find by them."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess

import pytest
from desk_login import ready
from factories import make_input

from app.models.db import DB_FILENAME, alembic_config, make_engine
from app.services.context import DeskServices
from app.services.demo import generate
from app.services.dto import MatterQuery
from app.services.registration import PetitionerInput



ID_A, PHONE_A = "360426199101010071", "13812345678"
ID_B, PHONE_B = "11010519491231002X", "13900001111"


def plain_values(desk) -> set[str]:
    """Every ID number and phone in the data set, opened with the key (what must not leak)."""
    cipher = desk.guard.cipher
    with desk.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id_sealed, phone_sealed FROM petitioner").all()
    values = {cipher.open(i, "id") for i, _ in rows if i} | {cipher.open(p, "phone") for _, p in rows if p}
    return values


def dump_of_a_copy(desk, tmp_path) -> str:
    copy = tmp_path / "COPY.db"
    with desk.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(desk.data_dir / DB_FILENAME, copy)  # the file alone, as a thief would take it
    return subprocess.run(["sqlite3", str(copy), ".dump"], capture_output=True, text=True, check=True).stdout


def grep_hits(dump: str, values: set[str], tmp_path) -> str:
    dump_file, patterns = tmp_path / "dump.sql", tmp_path / "patterns.txt"
    dump_file.write_text(dump, encoding="utf-8")
    patterns.write_text("\n".join(sorted(values)) + "\n", encoding="utf-8")
    found = subprocess.run(["grep", "-F", "-o", "-f", str(patterns), str(dump_file)], capture_output=True, text=True)
    assert found.returncode in (0, 1), found.stderr
    return found.stdout


@pytest.fixture
def demo_desk(services):
    services.registration.register(make_input())  # ID_A, PHONE_A
    services.registration.register(
        make_input(petitioner=PetitionerInput(name="李四", id_type="居民身份证", id_number=ID_B, phone=PHONE_B))
    )
    generate(services.engine, services.stations, services.tree, 500, cipher=services.guard.cipher, follow_up=True)
    return services


def test_a_dump_of_the_demo_data_set_shows_no_id_and_no_phone(demo_desk, tmp_path):
    values = plain_values(demo_desk)
    assert {ID_A, PHONE_A, ID_B, PHONE_B} <= values and len(values) > 800  # the check has something to find
    dump = dump_of_a_copy(demo_desk, tmp_path)
    assert "INSERT INTO petitioner" in dump and "INSERT INTO matter_event" in dump  # the data is there
    assert grep_hits(dump, values, tmp_path) == ""
    assert "360426********0071" in dump  # the masked form is what is stored for screens and paper


def test_the_grep_would_find_a_plain_number(demo_desk, tmp_path):
    """The check itself can fail: one plain number written anywhere is found."""
    with demo_desk.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE matter SET facts = facts || ? WHERE id = 1", (f" 电话{PHONE_A}",))
    assert PHONE_A in grep_hits(dump_of_a_copy(demo_desk, tmp_path), plain_values(demo_desk), tmp_path)


def test_history_and_search_still_find_by_id_and_phone(demo_desk):
    history = demo_desk.matters.history(id_number=ID_B)
    assert [h.matched_by for h in history] == ["证件号码"]
    assert demo_desk.matters.history(phone="139 0000 1111")[0].matched_by == "电话"
    by_id = demo_desk.matters.page(MatterQuery(text=ID_A.lower().replace("x", "X")))
    by_phone = demo_desk.matters.page(MatterQuery(text="138-1234-5678"))
    assert [r.petitioner_names for r in by_id] == ["张三"] == [r.petitioner_names for r in by_phone]
    assert demo_desk.matters.page(MatterQuery(text=ID_A[:-1] + "2")) == []  # exact numbers only


def test_the_same_id_again_reuses_the_person(demo_desk):
    demo_desk.registration.register(make_input())
    with demo_desk.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT count(*) FROM petitioner WHERE id_lookup = ?", (demo_desk.guard.cipher.lookup(ID_A, "id"),)
        ).scalar()
    assert rows == 1


def test_a_database_from_before_encryption_is_sealed_after_the_first_login(tmp_path):
    """0005 stored plain ID numbers and phones; after upgrading and logging in, none remain."""
    from alembic import command

    desk = ready(DeskServices.open(tmp_path / "d"))
    desk.stations.initialise("360426", "德安县信访局", "县")
    number = desk.registration.register(make_input()).number
    desk.close()
    engine = make_engine(tmp_path / "d" / DB_FILENAME)
    command.downgrade(alembic_config(engine), "0005_stats_caches")
    engine.dispose()
    with sqlite3.connect(tmp_path / "d" / DB_FILENAME) as conn:  # what the older version wrote
        conn.execute("UPDATE petitioner SET id_number = ?, phone = ?, phone_key = ?", (ID_A, PHONE_A, PHONE_A))
        payload = json.loads(conn.execute("SELECT payload FROM matter_event WHERE kind = 'registered'").fetchone()[0])
        payload["people"][0].update(id_number=ID_A, phone=PHONE_A)
        guard = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'matter_event_no_update'").fetchone()[0]
        conn.execute("DROP TRIGGER matter_event_no_update")
        conn.execute("UPDATE matter_event SET payload = ? WHERE kind = 'registered'", (json.dumps(payload, ensure_ascii=False),))
        conn.execute(guard)

    desk = ready(DeskServices.open(tmp_path / "d"))  # migrates; the first administrator is created and logs in
    try:
        dump = dump_of_a_copy(desk, tmp_path)
        assert grep_hits(dump, {ID_A, PHONE_A}, tmp_path) == ""
        assert ID_A.encode() not in (desk.data_dir / DB_FILENAME).read_bytes()  # vacuumed: no old page keeps it
        assert desk.matters.history(id_number=ID_A)[0].number == number
        person = desk.matters.detail(number).people[0]
        assert (person.id_number_masked, person.phone_masked) == ("360426********0071", "138****5678")
        assert desk.privacy.reveal(number, 0, "phone", "电话告知办理结果") == PHONE_A
        entries = desk.audit.entries(action="seal")
        assert len(entries) == 1 and json.loads(entries[0].detail)["rows"] == 2
        with desk.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
            conn.exec_driver_sql("UPDATE matter_event SET actor = 'x'")  # the event log's guard is back
    finally:
        desk.close()
