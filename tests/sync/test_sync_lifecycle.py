"""Lifecycle steps reach a real county server like registrations do: every event once, none refused."""
from __future__ import annotations

import json

from sqlalchemy import text

from app.services.context import DeskServices
from desk_login import ready
from app.sync import config
from factories import make_input

STATION = "360426"
STEPS = [
    ("accept", {}),
    ("start", {"handler": "赵承办"}),
    ("extend", {"days": 10, "reason": "需要调查"}),
    ("supervise", {"note": "请加快办理"}),
    ("urge", {"note": "请尽快答复"}),
    ("own", {"leader": "张县长"}),
    ("own-progress", {"note": "已约谈"}),
    ("reply", {"opinion": "支持", "delivery": "当面送达", "receipt": "签收"}),
    ("evaluate", {"target": "信访部门", "result": "满意"}),
    ("request-review", {"organ": "市信访局"}),
    ("decide-review", {"result": "维持原处理意见"}),
    ("request-recheck", {"organ": "省信访局"}),
    ("decide-recheck", {"result": "维持原处理意见"}),
    ("close", {}),
]


def test_every_lifecycle_event_is_accepted_by_the_county_exactly_once(tmp_path, county):
    desk = ready(DeskServices.open(tmp_path / "desk"))
    try:
        desk.stations.initialise(STATION, "德安县信访局", "县")
        config.save(desk.settings, f"http://127.0.0.1:{county.port}", county.token)
        desk.leaders.add("张县长", "副县长", range(5))
        number = desk.registration.register(make_input(decision="交办", decision_unit="县人社局")).number
        for action, fields in STEPS:
            desk.lifecycle.perform(number, action, fields, actor="王经办")
        report = desk.sync.run_once()
        assert desk.sync.outbox.counts().unacknowledged == 0, report
        with desk.engine.connect() as conn:
            local = dict(conn.execute(text("SELECT uuid, kind FROM matter_event")).all())
    finally:
        desk.close()
    server = {e["id"]: e["kind"] for e in county.events(STATION)}
    assert server == local
    assert len(local) == 2 + len(STEPS)


def test_a_unit_acceptance_pulled_from_the_county_moves_the_matter_once(tmp_path, county):
    desk = ready(DeskServices.open(tmp_path / "desk"))
    try:
        desk.stations.initialise(STATION, "德安县信访局", "县")
        config.save(desk.settings, f"http://127.0.0.1:{county.port}", county.token)
        number = desk.registration.register(make_input(decision="转送", decision_unit="县人社局")).number
        accepted_on = desk.matters.detail(number).row.registered_at.date().isoformat()
        assert desk.sync.run_once().complete
        done = county.cli("add-county-event", "--station", STATION, "--matter", number, "--kind", "unit_accepted",
                          "--payload", json.dumps({"unit": "县人社局", "accepted_at": accepted_on}))
        assert done.returncode == 0, done.stderr
        assert desk.sync.run_once().pulled == 1
        view = desk.lifecycle.view(number)
        assert view.status == "已受理"
        last = desk.matters.detail(number).events[-1]
        assert (last.kind, last.actor) == ("accepted", "县级平台")
        assert desk.sync.run_once().pulled == 0  # seen once, applied once
        assert [e.kind for e in desk.matters.detail(number).events].count("accepted") == 1
        assert next(d for d in view.deadlines if d.rule == "conclude").met_on is None
    finally:
        desk.close()
