"""The outbox on the desk alone: filled in the same transaction, states, backoff, config, bundle."""
from __future__ import annotations

import gzip
import json
import random

import pytest
from sqlalchemy import text

from app.services.errors import ValidationFailed
from app.sync import config
from app.sync.backoff import CAP_SERVER_ERROR_S, CAP_UNREACHABLE_S, next_delay
from app.sync.bundle import export_bundle
from app.sync.client import SyncError
from app.sync.protocol import sign_events
from factories import make_input


def test_every_event_is_queued_in_its_own_transaction(desk):
    desk.registration.register(make_input())
    with desk.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT e.kind, o.state FROM matter_event e JOIN sync_outbox o ON o.event_id = e.id ORDER BY e.station_seq"
        )).all()
    assert rows == [("registered", "pending"), ("decided", "pending")]
    counts = desk.sync.outbox.counts()
    assert (counts.pending, counts.acked, counts.waiting_matters) == (2, 0, 1)


def test_a_refused_registration_queues_nothing(desk):
    with pytest.raises(ValidationFailed):
        desk.registration.register(make_input(title=""))
    assert desk.sync.outbox.counts().pending == 0


def test_registered_event_carries_the_whole_registration(desk):
    number = desk.registration.register(make_input()).number
    event = desk.matters.detail(number).events[0]
    assert event.kind == "registered"
    assert event.payload["title"] == "讨要拖欠工资"
    assert "id_number" not in event.payload["people"][0]  # sealed at rest, never shown
    assert event.payload["number"] == number
    sent = desk.sync.outbox.take_batch()[0]
    assert sent.kind == "registered"
    assert sent.payload["people"][0]["id_number"] == "360426199101010071"  # opened for the county


def test_take_batch_marks_sending_and_a_crash_leaves_them_sendable(desk):
    desk.registration.register(make_input())
    first = desk.sync.outbox.take_batch()
    assert [e.seq for e in first] == [1, 2]
    # No answer ever came (crash, lost response): the next attempt takes them again.
    again = desk.sync.outbox.take_batch()
    assert [e.id for e in again] == [e.id for e in first]
    assert desk.sync.outbox.counts().pending == 2


def test_batches_respect_the_size_limits(desk):
    for _ in range(3):
        desk.registration.register(make_input())
    assert len(desk.sync.outbox.take_batch(limit=4)) == 4
    assert len(desk.sync.outbox.take_batch(max_bytes=10)) == 1  # always at least one


@pytest.mark.parametrize("unreachable, cap", [(False, CAP_SERVER_ERROR_S), (True, CAP_UNREACHABLE_S)])
def test_backoff_doubles_from_one_second_with_jitter_and_a_cap(unreachable, cap):
    rng = random.Random(1)
    delays = [next_delay(n, unreachable=unreachable, rng=rng) for n in range(1, 15)]
    assert 0.5 <= delays[0] <= 1.0
    assert 1.0 <= delays[1] <= 2.0
    assert max(delays) <= cap and delays[-1] >= cap / 2
    assert next_delay(0, unreachable=unreachable) == 0


def test_config_is_checked_and_stored(desk):
    with pytest.raises(ValidationFailed) as info:
        config.save(desk.settings, "ftp://x", "a b")
    assert set(info.value.by_field()) == {"server_url", "token"}
    cfg = config.save(desk.settings, "http://127.0.0.1:8000/", "tok123")
    assert (cfg.server_url, cfg.token, cfg.complete) == ("http://127.0.0.1:8000", "tok123", True)


def test_sync_without_configuration_explains_what_to_do(desk):
    desk.registration.register(make_input())
    with pytest.raises(SyncError) as info:
        desk.sync.run_once()
    assert "尚未设置县级服务器" in info.value.message
    assert desk.sync.outbox.counts().pending == 2


def test_bundle_holds_every_unacknowledged_event_signed(desk, tmp_path):
    desk.registration.register(make_input())
    path = tmp_path / "out.xfbundle"
    assert export_bundle(desk.sync.outbox, "360426", "secret-token", path) == 2
    document = json.loads(gzip.decompress(path.read_bytes()))
    assert document["format"] == "xfdesk-bundle/1" and document["station"] == "360426"
    assert [e["seq"] for e in document["events"]] == [1, 2]
    assert document["signature"] == sign_events(document["events"], "secret-token")
    assert document["signature"] != sign_events(document["events"], "other-token")
    assert desk.sync.outbox.counts().pending == 2  # nothing is marked sent by exporting
