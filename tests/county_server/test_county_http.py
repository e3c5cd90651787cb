"""Request limits, malformed requests, OpenAPI and the structured logs."""
from __future__ import annotations

import gzip
import json

from county_support import make_event

from county_server import service


def test_more_than_500_events_is_413_and_nothing_stored(county, station):
    code, token = station
    events = [make_event(code, s) for s in range(1, 502)]
    r = county.push(token, {"station": code, "events": events})
    assert r.status_code == 413
    assert r.json()["error"] == "too_large" and "500" in r.json()["message"]
    assert service.list_events(county.engine, code) == []
    assert county.push(token, {"station": code, "events": events[:500]}).json()["station"]["count"] == 500


def test_body_over_2_mb_uncompressed_is_413(county, station):
    code, token = station
    # compresses to a few kB, but is more than 2 MB once inflated: the limit is on the JSON itself
    big = make_event(code, 1, payload={"facts": "拆" * 800_000})
    r = county.push(token, {"station": code, "events": [big]})
    assert r.status_code == 413
    plain = county.push(token, {"station": code, "events": [big]}, compress=False)
    assert plain.status_code == 413
    assert service.list_events(county.engine, code) == []


def test_malformed_requests_are_400(county, station):
    code, token = station
    assert county.push(token, b"{not json").status_code == 400
    assert county.push(token, {"station": code}).status_code == 400
    assert county.push(token, {"station": code, "events": "x"}).status_code == 400
    assert county.push(token, [1, 2]).status_code == 400
    broken_gzip = county.http.post(
        "/api/v1/push", content=b"\x1f\x8b not gzip at all",
        headers={"Authorization": f"Bearer {token}", "Content-Encoding": "gzip"},
    )
    assert broken_gzip.status_code == 400 and broken_gzip.json()["error"] == "bad_request"
    truncated = gzip.compress(json.dumps({"station": code, "events": []}).encode())[:-8]
    assert county.push(token, truncated, compress=False, headers={"Content-Encoding": "gzip"}).status_code == 400
    assert county.push(token, b"{}", compress=False, headers={"Content-Encoding": "br"}).status_code == 415
    assert service.list_events(county.engine, code) == []


def test_empty_batch_answers_with_the_station_state(county, station):
    code, token = station
    r = county.push(token, {"station": code, "events": []})
    assert r.status_code == 200
    assert r.json()["results"] == [] and r.json()["station"] == {"count": 0, "max_seq": 0, "missing": []}


def test_openapi_and_docs_are_served(county):
    spec = county.http.get("/openapi.json").json()
    assert {"/health", "/api/v1/push", "/api/v1/status", "/api/v1/pull"} <= set(spec["paths"])
    assert "requestBody" in spec["paths"]["/api/v1/push"]["post"]
    assert county.http.get("/docs").status_code == 200


def test_logs_are_json_lines_with_request_id_and_station(county, station):
    code, token = station
    r = county.push(token, {"station": code, "events": [make_event(code, 1)]}, headers={"X-Request-ID": "req-test-1"})
    assert r.headers["X-Request-ID"] == "req-test-1"
    lines = [json.loads(line) for line in county.log().splitlines() if line.startswith("{")]
    assert lines, county.log()
    assert all({"time", "level", "event", "logger"} <= set(line) for line in lines)
    mine = [line for line in lines if line.get("request_id") == "req-test-1"]
    assert {line["event"] for line in mine} >= {"events ingested", "request"}
    request_line = next(line for line in mine if line["event"] == "request")
    assert request_line["station"] == code and request_line["status"] == 200 and request_line["path"] == "/api/v1/push"
