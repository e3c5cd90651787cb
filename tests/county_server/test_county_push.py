"""Push, status and pull against the real server, on SQLite and on PostgreSQL."""
from __future__ import annotations

import re
import threading

from county_support import make_event, registered_event

from county_server import service


def by_seq(response) -> dict:
    return {r["seq"]: r for r in response.json()["results"]}


def test_health_carries_server_time(county):
    r = county.http.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r.json()["server_time"])


def test_push_stores_once_and_repush_is_duplicate(county, station):
    code, token = station
    events = [registered_event(code, 1), make_event(code, 2), make_event(code, 3)]
    first = county.push(token, {"station": code, "events": events})
    assert first.status_code == 200, first.text
    body = first.json()
    assert "server_time" in body
    assert [(r["id"], r["seq"], r["status"]) for r in body["results"]] == [(e["id"], e["seq"], "stored") for e in events]
    assert body["station"] == {"count": 3, "max_seq": 3, "missing": []}

    again = county.push(token, {"station": code, "events": events})
    assert [r["status"] for r in again.json()["results"]] == ["duplicate"] * 3
    assert again.json()["station"] == {"count": 3, "max_seq": 3, "missing": []}
    assert [e["id"] for e in service.list_events(county.engine, code)] == [e["id"] for e in events]

    status = county.get("/api/v1/status", token).json()
    assert status["station"] == {"code": code, "count": 3, "max_seq": 3, "missing": []}
    assert "server_time" in status

    [matter] = service.list_matters(county.engine, code)
    assert matter["number"] == f"{code}-20261123-0001"
    assert matter["petitioner_names"] == "张三、李四"
    assert matter["title"] == "征地拆迁补偿"
    assert matter["county_number"] is None


def test_uncompressed_body_is_accepted_too(county, station):
    code, token = station
    r = county.push(token, {"station": code, "events": [make_event(code, 1)]}, compress=False)
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "stored"


def test_altered_content_is_rejected_409_and_original_kept(county, station):
    code, token = station
    original = make_event(code, 1, payload={"decision": "受理"})
    county.push(token, {"station": code, "events": [original]})
    altered = {**original, "payload": {"decision": "不予受理"}}
    r = county.push(token, {"station": code, "events": [altered, make_event(code, 2)]})
    assert r.status_code == 200
    results = by_seq(r)
    assert results[1] == {"id": original["id"], "seq": 1, "status": "rejected", "code": 409,
                          "reason": "同一事件编号的内容与已收到的不一致"}
    assert results[2]["status"] == "stored"
    stored = service.list_events(county.engine, code)
    assert stored[0]["payload"] == {"decision": "受理"}
    [conflict] = service.list_conflicts(county.engine, code)
    assert conflict["id"] == original["id"] and conflict["received"]["payload"] == {"decision": "不予受理"}
    assert '"event conflict"' in county.log()


def test_key_order_does_not_change_content(county, station):
    code, token = station
    event = make_event(code, 1, payload={"a": 1, "b": "二"})
    county.push(token, {"station": code, "events": [event]})
    reordered = {k: event[k] for k in reversed(list(event))}
    reordered["payload"] = {"b": "二", "a": 1}
    assert county.push(token, {"station": code, "events": [reordered]}).json()["results"][0]["status"] == "duplicate"


def test_same_seq_with_another_id_is_rejected(county, station):
    code, token = station
    county.push(token, {"station": code, "events": [make_event(code, 1)]})
    other = make_event(code, 1)
    [result] = county.push(token, {"station": code, "events": [other]}).json()["results"]
    assert result["status"] == "rejected" and result["code"] == 409
    assert "序号重复" in result["reason"]
    assert len(service.list_events(county.engine, code)) == 1


def test_invalid_events_get_422_while_the_others_are_stored(county, station):
    code, token = station
    good1, good2 = make_event(code, 1), make_event(code, 6)
    invalid = [
        make_event(code, 2, kind="teleported"),
        make_event(code, 3, matter_number=""),
        make_event(code, "4"),
        make_event(code, 5, payload=["not", "an", "object"]),
        make_event(code, 7, matter_number="999999-20261123-0001"),
        make_event(code, 0),
    ]
    r = county.push(token, {"station": code, "events": [good1, *invalid, good2]})
    assert r.status_code == 200
    results = r.json()["results"]
    assert len(results) == 8
    assert [x["status"] for x in results] == ["stored"] + ["rejected"] * 6 + ["stored"]
    reasons = [x["reason"] for x in results[1:7]]
    assert all(x["code"] == 422 for x in results[1:7])
    assert "不认识的事件类型" in reasons[0] and "teleported" in reasons[0]
    assert reasons[1] == "缺少信访件编号"
    assert "序号" in reasons[2] and "正整数" in reasons[2]
    assert "payload" in reasons[3] and "对象" in reasons[3]
    assert "其他接待站" in reasons[4]
    assert "正整数" in reasons[5]
    assert all(re.search(r"[\u4e00-\u9fff]", reason) for reason in reasons)
    assert [e["seq"] for e in service.list_events(county.engine, code)] == [1, 6]


def test_gaps_are_reported_as_missing_ranges(county, station):
    code, token = station
    events = [make_event(code, s) for s in (1, 2, 5, 6, 9)]
    r = county.push(token, {"station": code, "events": events})
    assert r.json()["station"] == {"count": 5, "max_seq": 9, "missing": [[3, 4], [7, 8]]}
    r = county.push(token, {"station": code, "events": [make_event(code, 3), make_event(code, 4)]})
    assert r.json()["station"] == {"count": 7, "max_seq": 9, "missing": [[7, 8]]}


def test_missing_includes_a_gap_at_the_start(county, station):
    code, token = station
    r = county.push(token, {"station": code, "events": [make_event(code, 4)]})
    assert r.json()["station"] == {"count": 1, "max_seq": 4, "missing": [[1, 3]]}


def test_wrong_missing_or_revoked_token_is_401_and_nothing_stored(county, station):
    code, token = station
    body = {"station": code, "events": [make_event(code, 1)]}
    for bad in (None, "not-a-token", token + "x"):
        r = county.push(bad, body)
        assert r.status_code == 401
        assert r.json()["error"] == "unauthorized" and re.search(r"[\u4e00-\u9fff]", r.json()["message"])
        assert "server_time" in r.json()
    assert county.push(token, body, headers={"Authorization": f"Basic {token}"}).status_code == 401
    assert county.get("/api/v1/status", None).status_code == 401
    assert service.list_events(county.engine, code) == []

    service.revoke_station(county.engine, code)
    assert county.push(token, body).status_code == 401
    assert county.get("/api/v1/pull", token).status_code == 401
    assert service.list_events(county.engine, code) == []


def test_station_mismatch_is_403_and_nothing_stored(county, station):
    code, token = station
    other_code, _ = county.new_station()
    r = county.push(token, {"station": other_code, "events": [make_event(other_code, 1)]})
    assert r.status_code == 403
    assert r.json()["error"] == "forbidden"
    assert service.list_events(county.engine, other_code) == []
    assert service.list_events(county.engine, code) == []


def test_a_station_sees_only_its_own_data(county):
    a_code, a_token = county.new_station("甲站")
    b_code, b_token = county.new_station("乙站")
    county.push(a_token, {"station": a_code, "events": [registered_event(a_code, 1), make_event(a_code, 2)]})
    service.add_county_event(county.engine, a_code, f"{a_code}-20261123-0001", "county_number_assigned",
                             {"county_number": "XF-A-1"})

    assert county.get("/api/v1/status", b_token).json()["station"] == {"code": b_code, "count": 0, "max_seq": 0, "missing": []}
    assert county.get("/api/v1/pull", b_token, after=0).json()["events"] == []
    # B cannot write into A's matters either
    [result] = county.push(b_token, {"station": b_code, "events": [make_event(b_code, 1, matter_number=f"{a_code}-20261123-0001")]}).json()["results"]
    assert result["code"] == 422
    # nor reuse A's event ids
    a_event = service.list_events(county.engine, a_code)[0]
    stolen = make_event(b_code, 2, id=a_event["id"])
    [result] = county.push(b_token, {"station": b_code, "events": [stolen]}).json()["results"]
    assert result["status"] == "rejected" and result["code"] == 409
    assert service.list_matters(county.engine, b_code) == []
    assert len(county.get("/api/v1/pull", a_token, after=0).json()["events"]) == 1


def test_pull_returns_county_events_after_the_cursor(county, station):
    code, token = station
    county.push(token, {"station": code, "events": [registered_event(code, 1), registered_event(code, 2, matter=2)]})
    number1, number2 = f"{code}-20261123-0001", f"{code}-20261123-0002"
    first = service.add_county_event(county.engine, code, number1, "county_number_assigned", {"county_number": "XF360426-1"})
    service.add_county_event(county.engine, code, number2, "unit_accepted", {"unit": "县住建局", "accepted_at": "2026-11-24"})
    service.add_county_event(county.engine, code, number1, "unit_replied",
                             {"unit": "县住建局", "opinion": "已答复", "replied_at": "2026-11-30"})

    page = county.get("/api/v1/pull", token, after=0, limit=2).json()
    assert [e["kind"] for e in page["events"]] == ["county_number_assigned", "unit_accepted"]
    assert page["events"][0] == {**first, "payload": {"county_number": "XF360426-1"}}
    assert page["next_cursor"] == page["events"][1]["cursor"]
    assert "server_time" in page
    rest = county.get("/api/v1/pull", token, after=page["next_cursor"]).json()
    assert [e["kind"] for e in rest["events"]] == ["unit_replied"]
    done = county.get("/api/v1/pull", token, after=rest["next_cursor"]).json()
    assert done["events"] == [] and done["next_cursor"] == rest["next_cursor"]
    assert county.get("/api/v1/pull", token, after=-1).status_code == 400
    assert service.list_matters(county.engine, code)[0]["county_number"] == "XF360426-1"


def test_concurrent_pushes_store_each_event_once(county, station):
    code, token = station
    events = [make_event(code, s) for s in range(1, 61)]
    batches = [events[:40], events[20:], events[10:50], events]
    responses = []

    def send(batch):
        responses.append(county.push(token, {"station": code, "events": batch}))

    threads = [threading.Thread(target=send, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
    statuses = [x["status"] for r in responses for x in r.json()["results"]]
    assert set(statuses) <= {"stored", "duplicate"}
    assert statuses.count("stored") == 60
    assert county.get("/api/v1/status", token).json()["station"] == {"code": code, "count": 60, "max_seq": 60, "missing": []}
