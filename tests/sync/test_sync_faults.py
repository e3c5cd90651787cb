"""Exactly-once delivery to a real county server under faults, counted on the server.

Each scenario ends with the same check: the server holds exactly the events the desk produced
(same ids, each once), and the desk has nothing left to send.
"""
from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import subprocess
import sys

import time

import pytest
from fault_proxy import FaultProxy
from sqlalchemy import text

from app.services.context import DeskServices
from desk_login import ready
from app.services.dto import MatterQuery
from app.sync import config
from app.sync.bundle import export_bundle
from app.sync.client import SyncError
from factories import make_input

STATION = "360426"


@pytest.fixture
def proxy(county):
    p = FaultProxy(county.port)
    yield p
    p.close()


def open_desk(path, url, token) -> DeskServices:
    desk = ready(DeskServices.open(path))
    desk.stations.initialise(STATION, "德安县信访局", "县")
    config.save(desk.settings, url, token)
    return desk


@pytest.fixture
def desk(tmp_path, county, proxy):
    services = open_desk(tmp_path / "desk", proxy.url, county.token)
    yield services
    services.close()


def register(desk, n: int = 1) -> None:
    for _ in range(n):
        desk.registration.register(make_input())


def local_ids(desk) -> list[str]:
    with desk.engine.connect() as conn:
        return conn.execute(text("SELECT uuid FROM matter_event ORDER BY station_seq")).scalars().all()


def assert_exactly_once(desk, county) -> None:
    server = [e["id"] for e in county.events(STATION)]
    assert sorted(server) == sorted(local_ids(desk)), "the server must hold exactly the desk's events"
    assert len(server) == len(set(server))
    assert desk.sync.outbox.counts().unacknowledged == 0


def test_server_down_while_registering_then_up(desk, county):
    county.stop()
    register(desk, 3)
    with pytest.raises(SyncError) as info:
        desk.sync.run_once()
    assert info.value.unreachable and "无法连接" in info.value.message
    assert desk.sync.outbox.counts().pending == 6  # nothing lost, nothing marked
    county.start()
    assert desk.sync.run_once().complete
    assert_exactly_once(desk, county)


def test_connection_reset_in_the_middle_of_a_request(desk, county, proxy):
    register(desk, 2)
    proxy.arm("reset_request")
    with pytest.raises(SyncError):
        desk.sync.run_once()
    assert county.events(STATION) == []
    assert desk.sync.run_once().complete
    assert_exactly_once(desk, county)


def test_response_lost_after_the_server_committed(desk, county, proxy):
    register(desk, 2)
    proxy.arm("drop_response")
    with pytest.raises(SyncError):
        desk.sync.run_once()
    assert len(county.events(STATION)) == 4  # committed, but the desk never heard
    assert desk.sync.outbox.counts().acked == 0  # so it marked nothing
    report = desk.sync.run_once()
    assert (report.stored, report.duplicates) == (0, 4)
    assert_exactly_once(desk, county)


def test_truncated_response_is_not_taken_as_an_acknowledgement(desk, county, proxy):
    register(desk, 1)
    proxy.arm("truncate_response")
    with pytest.raises(SyncError):
        desk.sync.run_once()
    assert desk.sync.outbox.counts().acked == 0
    assert desk.sync.run_once().complete
    assert_exactly_once(desk, county)


def test_server_restarted_in_the_middle_of_a_batch(desk, county, proxy):
    register(desk, 30)
    proxy.arm("hook", hook=county.kill)  # the server dies as the request arrives
    with pytest.raises(SyncError):
        desk.sync.run_once()
    county.start()
    assert desk.sync.run_once().complete
    assert_exactly_once(desk, county)


def test_desk_killed_during_a_sync_and_restarted(tmp_path, county, proxy):
    desk = open_desk(tmp_path / "desk", proxy.url, county.token)
    register(desk, 5)
    desk.close()
    proxy.arm("delay", delay_s=3)
    cmd = [sys.executable, "-m", "app", "sync", "--data-dir", str(tmp_path / "desk")]
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)  # the push is under way, held by the proxy
    child.kill()
    child.wait(10)
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    desk = ready(DeskServices.open(tmp_path / "desk"))
    assert_exactly_once(desk, county)
    desk.close()


def test_one_invalid_event_waits_as_needs_attention_and_the_rest_arrive(desk, county):
    register(desk, 2)
    with desk.engine.begin() as conn:  # an event of a kind this server does not know (a newer desk)
        matter_id = conn.execute(text("SELECT min(id) FROM matter")).scalar()
        seq = conn.execute(text("SELECT last_seq + 1 FROM event_counter")).scalar()
        conn.execute(text("UPDATE event_counter SET last_seq = :s"), {"s": seq})
        conn.execute(text(
            "INSERT INTO matter_event (uuid, station_code, station_seq, matter_id, kind, payload, occurred_at, actor) "
            "VALUES ('11111111-2222-4333-8444-555555555555', :c, :s, :m, 'future_kind', '{}', '2026-11-23 10:00:00', '')"
        ), {"c": STATION, "s": seq, "m": matter_id})
        event_id = conn.execute(text("SELECT max(id) FROM matter_event")).scalar()
        conn.execute(text("INSERT INTO sync_outbox (event_id, state, attempts, last_error) VALUES (:e, 'pending', 0, '')"),
                     {"e": event_id})
    register(desk, 1)  # behind the bad one
    report = desk.sync.run_once()
    assert report.rejected == 1 and report.stored == 6
    items = desk.sync.outbox.attention_items()
    assert [i.kind for i in items] == ["future_kind"] and items[0].reason
    server = {e["id"] for e in county.events(STATION)}
    assert server == set(local_ids(desk)) - {"11111111-2222-4333-8444-555555555555"}
    assert desk.sync.outbox.counts().needs_attention == 1


def test_same_event_id_with_altered_content_is_refused(tmp_path, desk, county):
    register(desk, 1)
    shutil.copytree(desk.data_dir, tmp_path / "stale-copy")  # e.g. a backup restored elsewhere
    assert desk.sync.run_once().complete
    copy = tmp_path / "stale-copy" / "xfdesk.sqlite3"
    with sqlite3.connect(copy) as conn:  # the copy diverged: same event id, other content
        conn.execute("DROP TRIGGER matter_event_no_update")
        conn.execute("UPDATE matter_event SET actor = '别人' WHERE station_seq = 1")
    stale = ready(DeskServices.open(tmp_path / "stale-copy"))
    report = stale.sync.run_once()
    assert report.rejected == 1 and report.duplicates == 1
    assert stale.sync.outbox.attention_items()[0].seq == 1
    stored = {e["id"]: e for e in county.events(STATION)}
    assert len(stored) == 2 and all(e.get("actor") != "别人" for e in stored.values())
    stale.close()
    assert_exactly_once(desk, county)


def test_the_same_bundle_imported_twice_then_online_sync(tmp_path, desk, county):
    county.stop()  # a long outage: the events travel on a USB stick
    register(desk, 2)
    bundle = tmp_path / "usb.xfbundle"
    assert export_bundle(desk.sync.outbox, STATION, county.token, bundle) == 4
    for _ in range(2):
        done = county.cli("import-bundle", str(bundle))
        assert done.returncode == 0, done.stderr
    assert len(county.events(STATION)) == 4
    county.start()
    report = desk.sync.run_once()
    assert (report.stored, report.duplicates) == (0, 4)
    assert_exactly_once(desk, county)


def test_a_tampered_bundle_is_refused(tmp_path, desk, county):
    register(desk, 1)
    bundle = tmp_path / "usb.xfbundle"
    export_bundle(desk.sync.outbox, STATION, county.token, bundle)
    document = json.loads(gzip.decompress(bundle.read_bytes()))
    document["events"][0]["actor"] = "篡改"
    bundle.write_bytes(gzip.compress(json.dumps(document, ensure_ascii=False).encode()))
    done = county.cli("import-bundle", str(bundle))
    assert done.returncode != 0
    assert county.events(STATION) == []


@pytest.mark.parametrize("revoke", [False, True], ids=["wrong-token", "revoked-token"])
def test_a_wrong_or_revoked_token_stores_nothing_and_loses_nothing(tmp_path, county, proxy, revoke):
    token = county.token
    if revoke:
        assert county.cli("revoke-station", STATION).returncode == 0
    else:
        token = "not-the-token"
    desk = open_desk(tmp_path / "desk", proxy.url, token)
    register(desk, 2)
    with pytest.raises(SyncError) as info:
        desk.sync.run_once()
    assert "令牌" in info.value.message
    assert county.events(STATION) == []
    assert desk.sync.outbox.counts().pending == 4
    desk.close()


def test_pull_applies_the_county_number_once(desk, county):
    register(desk, 1)
    assert desk.sync.run_once().complete
    number = desk.matters.page(MatterQuery())[0].number
    done = county.cli("add-county-event", "--station", STATION, "--matter", number, "--kind",
                      "county_number_assigned", "--payload", json.dumps({"county_number": "XF360400-2026-0001"}))
    assert done.returncode == 0, done.stderr
    assert desk.sync.run_once().pulled == 1
    assert desk.sync.run_once().pulled == 0
    with desk.engine.connect() as conn:
        assert conn.execute(text("SELECT county_number FROM matter")).scalar() == "XF360400-2026-0001"





def test_the_county_number_shows_in_the_matter_detail(desk, county):
    register(desk, 1)
    desk.sync.run_once()
    number = desk.matters.page(MatterQuery())[0].number
    assert desk.matters.detail(number).county_number == ""
    county.cli("add-county-event", "--station", STATION, "--matter", number, "--kind",
               "county_number_assigned", "--payload", json.dumps({"county_number": "XF-0042"}))
    desk.sync.run_once()
    assert desk.matters.detail(number).county_number == "XF-0042"


def test_events_the_server_lost_are_found_by_the_tally_and_sent_again(desk, county):
    """The county restored an older backup: the gap shows in the tally and is refilled."""
    register(desk, 3)
    assert desk.sync.run_once().complete
    county.stop()
    with sqlite3.connect(county.workdir / "county.sqlite3") as conn:
        conn.execute("DELETE FROM event WHERE station_code = ? AND seq IN (2, 3, 4)", (STATION,))
    county.start()
    report = desk.sync.run_once()
    assert report.requeued == 3 and report.stored == 3
    assert report.complete and not report.mismatch
    assert_exactly_once(desk, county)
