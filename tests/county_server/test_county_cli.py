"""The administrator's command line and offline bundles, on SQLite and on PostgreSQL."""
from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import re

from county_support import make_event, registered_event


def write_bundle(path, code: str, token: str, events: list[dict], *, sign_events: list[dict] | None = None) -> None:
    """A bundle as the desk writes it; the HMAC is computed here from the contract, independently."""
    canonical = json.dumps(sign_events if sign_events is not None else events, ensure_ascii=False,
                           sort_keys=True, separators=(",", ":")).encode("utf-8")
    signature = hmac.new(hashlib.sha256(token.encode()).digest(), canonical, hashlib.sha256).hexdigest()
    document = {"format": "xfdesk-bundle/1", "station": code, "created_at": "2026-11-23T18:00:00",
                "events": events, "signature": signature}
    path.write_bytes(gzip.compress(json.dumps(document, ensure_ascii=False).encode("utf-8")))


def test_add_station_prints_only_the_token_and_it_works(county):
    code = county.fresh_code()
    done = county.cli("add-station", code, "城关接待站")
    token = done.stdout.strip()
    assert done.stdout == token + "\n"
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", token)
    r = county.push(token, {"station": code, "events": [registered_event(code, 1)]})
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "stored"

    again = county.cli("add-station", code, "重复", check=False)
    assert again.returncode == 1 and "已存在" in again.stderr and again.stdout == ""

    matters = json.loads(county.cli("matters", "--station", code, "--json").stdout)
    assert [(m["number"], m["petitioner_names"], m["title"], m["county_number"]) for m in matters] == [
        (f"{code}-20261123-0001", "张三、李四", "征地拆迁补偿", None)
    ]
    added = json.loads(county.cli("add-county-event", "--station", code, "--matter", f"{code}-20261123-0001",
                                  "--kind", "county_number_assigned", "--payload", '{"county_number": "XF3604-77"}').stdout)
    assert added["kind"] == "county_number_assigned" and added["cursor"] > 0
    pulled = county.get("/api/v1/pull", token, after=0).json()
    assert [e["id"] for e in pulled["events"]] == [added["id"]]
    assert json.loads(county.cli("matters", "--station", code, "--json").stdout)[0]["county_number"] == "XF3604-77"

    bad = county.cli("add-county-event", "--station", code, "--matter", f"{code}-20261123-0001",
                     "--kind", "unit_replied", "--payload", '{"unit": "县住建局"}', check=False)
    assert bad.returncode == 1 and "缺少字段" in bad.stderr

    county.cli("revoke-station", code)
    assert county.push(token, {"station": code, "events": [make_event(code, 2)]}).status_code == 401


def test_bundle_import_twice_stores_once_then_push_is_duplicate(county, station, tmp_path):
    code, token = station
    events = [registered_event(code, 1), make_event(code, 2), make_event(code, 4)]
    bundle = tmp_path / "bundle.json.gz"
    write_bundle(bundle, code, token, events)

    first = json.loads(county.cli("import-bundle", str(bundle), "--json").stdout)
    assert (first["stored"], first["duplicate"], first["rejected"]) == (3, 0, 0)
    assert first["state"] == {"count": 3, "max_seq": 4, "missing": [[3, 3]]}
    second = county.cli("import-bundle", str(bundle))
    assert "新存 0 条，重复 3 条" in second.stdout

    r = county.push(token, {"station": code, "events": events})
    assert [x["status"] for x in r.json()["results"]] == ["duplicate"] * 3
    stored = json.loads(county.cli("events", "--station", code, "--json").stdout)
    assert [(e["id"], e["source"]) for e in stored] == [(e["id"], "bundle") for e in events]


def test_tampered_or_foreign_bundle_is_refused(county, station, tmp_path):
    code, token = station
    events = [make_event(code, 1), make_event(code, 2)]
    tampered = [events[0], {**events[1], "actor": "王五"}]
    path = tmp_path / "tampered.json.gz"
    write_bundle(path, code, token, tampered, sign_events=events)
    done = county.cli("import-bundle", str(path), check=False)
    assert done.returncode == 1 and "签名不符" in done.stderr

    other_code, other_token = county.new_station()
    forged = tmp_path / "forged.json.gz"
    write_bundle(forged, code, other_token, events)  # signed with another station's token
    assert county.cli("import-bundle", str(forged), check=False).returncode == 1

    garbage = tmp_path / "garbage.gz"
    garbage.write_bytes(b"\x1f\x8bnot really")
    bad = county.cli("import-bundle", str(garbage), check=False)
    assert bad.returncode == 1 and "不是有效的数据包" in bad.stderr
    assert json.loads(county.cli("events", "--station", code, "--json").stdout) == []
    assert county.get("/api/v1/status", token).json()["station"]["count"] == 0


def test_command_line_errors_are_chinese(county, tmp_path):
    missing = county.cli("matters", "--station", "NOPE99", "--json", check=False)
    assert missing.returncode == 1 and "没有接待站" in missing.stderr
    bad_db = county.cli("--db", "mysql://x@localhost/db", "matters", "--station", "1", check=False)
    assert bad_db.returncode == 2 and "只支持" in bad_db.stderr
