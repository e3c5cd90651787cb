"""The per-matter event log is append-only and numbered per station without gaps."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from factories import make_input


def test_event_sequence_is_gapless_and_increasing(desk):
    for _ in range(3):
        desk.registration.register(make_input())
    with desk.engine.connect() as conn:
        seqs = conn.execute(text("SELECT station_seq FROM matter_event ORDER BY id")).scalars().all()
        uuids = conn.execute(text("SELECT count(DISTINCT uuid) FROM matter_event")).scalar()
    assert seqs == list(range(1, 7))
    assert uuids == 6


@pytest.mark.parametrize("statement", ["UPDATE matter_event SET kind = 'x'", "DELETE FROM matter_event"])
def test_events_cannot_be_changed_or_deleted(desk, statement):
    desk.registration.register(make_input())
    with pytest.raises(DatabaseError, match="append-only"):
        with desk.engine.begin() as conn:
            conn.execute(text(statement))
    with desk.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM matter_event WHERE kind != 'x'")).scalar() == 2


def test_failed_registration_consumes_no_number(desk):
    from app.services.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        desk.registration.register(make_input(title=""))
    assert desk.registration.register(make_input()).number.endswith("-0001")
