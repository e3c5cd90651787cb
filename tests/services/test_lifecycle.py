"""The state machine (spec §2.1): every action from every stage, allowed or refused, and the law's extra rules."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import MatterEvent, SyncOutbox
from app.services import vocab
from app.services.context import DeskServices
from desk_login import ready
from app.services.deadline_rules import Period
from app.services.deadlines import period_end
from app.services.errors import NotFound, ValidationFailed
from app.services.lifecycle import ACTIONS
from county_server.protocol import DESK_KINDS
from factories import make_input
from ui_support import STATION_CODE, STATION_NAME

ACTOR = "王经办"
T0 = datetime(2025, 3, 3, 9, 0)  # a Monday
FORWARDED = vocab.STATUS_BY_DECISION[vocab.DECISION_FORWARD]
ACCEPTED = vocab.STATUS_BY_DECISION[vocab.DECISION_ACCEPT]

# How to bring a fresh matter to each stage: the desk decision, then lifecycle steps.
PATHS: dict[str, tuple[dict, list[tuple[str, dict]]]] = {
    vocab.STATUS_REGISTERED: ({"decision": ""}, []),
    **{status: ({"decision": d, "decision_unit": "县人社局", "decision_reason": "已经处理完毕",
                 "decision_channel": "诉讼"}, [])
       for d, status in vocab.STATUS_BY_DECISION.items()},
    vocab.STATUS_HANDLING: ({}, [("start", {"handler": "赵承办"})]),
    vocab.STATUS_EXTENDED: ({}, [("extend", {"days": 10, "reason": "需要现场勘验"})]),
    vocab.STATUS_REPLIED: ({}, [("reply", {"opinion": "支持", "delivery": "当面送达", "receipt": "签收"})]),
}
PATHS[vocab.STATUS_REVIEWING] = ({}, PATHS[vocab.STATUS_REPLIED][1] + [("request-review", {"organ": "市信访局"})])
PATHS[vocab.STATUS_REVIEWED] = ({}, PATHS[vocab.STATUS_REVIEWING][1] + [("decide-review", {"result": "维持原处理意见"})])
PATHS[vocab.STATUS_RECHECKING] = ({}, PATHS[vocab.STATUS_REVIEWED][1] + [("request-recheck", {"organ": "省信访局"})])
PATHS[vocab.STATUS_RECHECKED] = ({}, PATHS[vocab.STATUS_RECHECKING][1] + [("decide-recheck", {"result": "维持原处理意见"})])
PATHS[vocab.STATUS_CLOSED] = ({}, PATHS[vocab.STATUS_REPLIED][1] + [("close", {})])

VALID_FIELDS = {
    "decide": {"decision": "受理告知"},
    "accept": {},
    "start": {"handler": "赵承办"},
    "extend": {"days": 10, "reason": "需要调查"},
    "reply": {"opinion": "解释说明", "delivery": "邮寄送达", "receipt": "拒收"},
    "evaluate": {"target": "信访部门", "result": "满意"},
    "request-review": {"organ": "市信访局"},
    "decide-review": {"result": "变更原处理意见"},
    "request-recheck": {"organ": "省信访局"},
    "decide-recheck": {"result": "维持原处理意见"},
    "close": {"note": "已办结"},
    "supervise": {"note": "请加快办理", "by": "县委督查室"},
    "urge": {"note": "请于三日内答复"},
    "own": {"leader": "张县长"},
    "own-progress": {"note": "已约谈双方"},
}


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    services = ready(DeskServices.open(tmp_path_factory.mktemp("lifecycle")))
    services.stations.initialise(STATION_CODE, STATION_NAME, "县")
    services.leaders.add("张县长", "副县长", range(5))
    yield services
    services.close()


def matter_at(desk, status: str, at: datetime = T0) -> str:
    overrides, steps = PATHS[status]
    number = desk.registration.register(make_input(**overrides), actor=ACTOR, now=at).number
    for action, fields in steps:
        desk.lifecycle.perform(number, action, fields, actor=ACTOR, now=at)
    assert desk.matters.detail(number).row.status == status
    return number


def event_count(desk, number: str | None = None) -> int:
    with Session(desk.engine) as s:
        q = select(func.count(MatterEvent.id))
        if number:
            from app.models import Matter

            q = q.join(Matter, Matter.id == MatterEvent.matter_id).where(Matter.number == number)
        return s.scalar(q)


MATRIX = [(status, key) for status in PATHS for key in ACTIONS]


@pytest.mark.parametrize(("status", "action"), MATRIX, ids=[f"{s}-{a}" for s, a in MATRIX])
def test_every_action_from_every_stage(desk, status, action):
    spec = ACTIONS[action]
    number = matter_at(desk, status)
    if action == "own-progress" and status in spec.from_states:
        desk.lifecycle.perform(number, "own", {"leader": "张县长"}, actor=ACTOR, now=T0)
    before = event_count(desk, number)
    fields = dict(VALID_FIELDS[action])
    if action == "evaluate" and status == vocab.STATUS_BY_DECISION[vocab.DECISION_ON_SPOT]:
        fields["target"] = "信访部门"
    if status in spec.from_states:
        result = desk.lifecycle.perform(number, action, fields, actor=ACTOR, now=T0)
        assert event_count(desk, number) == before + 1
        timeline = desk.matters.detail(number).events
        assert timeline[-1].kind == spec.event and timeline[-1].actor == ACTOR
        assert timeline[-1].label == vocab.EVENT_LABELS[spec.event]
        expected = spec.to_state or (vocab.STATUS_BY_DECISION["受理告知"] if action == "decide" else status)
        assert result.status == expected == desk.matters.detail(number).row.status
    else:
        with pytest.raises(ValidationFailed) as info:
            desk.lifecycle.perform(number, action, fields, actor=ACTOR, now=T0)
        message = info.value.by_field()["action"]
        assert f"当前状态为“{status}”" in message and spec.label in message
        assert event_count(desk, number) == before
        assert desk.matters.detail(number).row.status == status


def test_every_stage_is_reached_and_every_event_kind_is_accepted_by_the_county():
    assert set(PATHS) == set(vocab.STATUSES)
    kinds = {a.event for a in ACTIONS.values()}
    assert kinds <= DESK_KINDS
    assert kinds <= set(vocab.EVENT_LABELS)


def test_each_step_is_queued_for_sync_in_the_same_transaction(desk):
    number = matter_at(desk, vocab.STATUS_REPLIED)
    with Session(desk.engine) as s:
        events = s.scalar(select(func.count(MatterEvent.id)))
        queued = s.scalar(select(func.count(SyncOutbox.event_id)))
    assert events == queued


# --- field checks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "action", "fields", "field", "text"),
    [
        (vocab.STATUS_REGISTERED, "decide", {}, "decision", "请选择处理方式"),
        (vocab.STATUS_REGISTERED, "decide", {"decision": "转送"}, "unit", "须填写去向单位"),
        (vocab.STATUS_REGISTERED, "decide", {"decision": "不予受理"}, "reason", "须填写理由"),
        (vocab.STATUS_REGISTERED, "decide", {"decision": "不予受理", "reason": "x"}, "channel", "法定途径"),
        (vocab.STATUS_REGISTERED, "decide", {"decision": "存档"}, "decision", "无效"),
        (ACCEPTED, "start", {}, "handler", "承办人"),
        (ACCEPTED, "extend", {"days": 31, "reason": "调查"}, "days", "不得超过30日"),
        (ACCEPTED, "extend", {"days": "十", "reason": "调查"}, "days", "应为整数"),
        (ACCEPTED, "extend", {"days": 5, "reason": " "}, "reason", "须写明延期理由，告知书上将载明"),
        (ACCEPTED, "reply", {"delivery": "当面送达", "receipt": "签收"}, "opinion", "处理意见"),
        (ACCEPTED, "reply", {"opinion": "同意", "delivery": "当面送达", "receipt": "签收"}, "opinion", "可选：支持"),
        (ACCEPTED, "reply", {"opinion": "支持", "delivery": "当面送达", "receipt": "签收", "date": "2025-13-01"},
         "date", "不是有效日期"),
        (ACCEPTED, "reply", {"opinion": "支持", "delivery": "当面送达", "receipt": "签收", "date": "2025-03-04"},
         "date", "不能晚于今天"),
        (ACCEPTED, "reply", {"opinion": "支持", "delivery": "当面送达", "receipt": "签收", "date": "2025-03-02"},
         "date", "不能早于上一办理环节（2025-03-03）"),
        (ACCEPTED, "reply", {"opinion": "支持", "delivery": "当面送达", "receipt": "签收", "signed": "是"},
         "signed", "没有“signed”这一项"),
        (vocab.STATUS_REPLIED, "evaluate", {"target": "信访部门", "result": "不满意"}, "note", "不满意的原因"),
        (vocab.STATUS_REPLIED, "evaluate", {"target": "领导", "result": "满意"}, "target", "无效"),
        (vocab.STATUS_BY_DECISION["当场答复"], "evaluate", {"target": "责任单位", "result": "满意"}, "target",
         "只评价信访部门"),
        (vocab.STATUS_REPLIED, "request-review", {}, "organ", "复查机关"),
        (ACCEPTED, "own", {"leader": "钱书记"}, "leader", "未找到包案领导“钱书记”"),
        (ACCEPTED, "own-progress", {"note": "已约谈"}, "note", "尚未由领导包案"),
        (ACCEPTED, "supervise", {}, "note", "督办意见"),
    ],
)
def test_bad_fields_are_refused_at_their_field_and_nothing_is_written(desk, status, action, fields, field, text):
    number = matter_at(desk, status)
    before = event_count(desk)
    with pytest.raises(ValidationFailed) as info:
        desk.lifecycle.perform(number, action, fields, actor=ACTOR, now=T0)
    assert text in info.value.by_field()[field]
    assert event_count(desk) == before
    assert desk.matters.detail(number).row.status == status


def test_actor_is_required_and_unknown_actions_and_matters_are_refused(desk):
    number = matter_at(desk, ACCEPTED)
    before = event_count(desk)
    with pytest.raises(ValidationFailed) as info:
        desk.lifecycle.perform(number, "start", {"handler": "赵承办"}, actor=" ", now=T0)
    assert info.value.by_field()["actor"] == "请填写经办人"
    with pytest.raises(ValidationFailed) as info:
        desk.lifecycle.perform(number, "approve", {}, actor=ACTOR, now=T0)
    assert "没有“approve”这一办理环节" in info.value.by_field()["action"]
    with pytest.raises(NotFound):
        desk.lifecycle.perform("X-20250303-9999", "start", {"handler": "赵"}, actor=ACTOR, now=T0)
    assert event_count(desk) == before


def test_actions_are_found_by_their_chinese_label(desk):
    number = matter_at(desk, ACCEPTED)
    assert desk.lifecycle.perform(number, "开始办理", {"handler": "赵承办"}, actor=ACTOR, now=T0).status == "办理中"


def test_a_second_owner_and_a_second_evaluation_of_the_same_target_are_refused(desk):
    number = matter_at(desk, vocab.STATUS_REPLIED)
    desk.lifecycle.perform(number, "own", {"leader": "张县长", "since": "2025-03-01"}, actor=ACTOR, now=T0)
    desk.lifecycle.perform(number, "evaluate", {"target": "责任单位", "result": "基本满意"}, actor=ACTOR, now=T0)
    with pytest.raises(ValidationFailed) as info:
        desk.lifecycle.perform(number, "own", {"leader": "张县长"}, actor=ACTOR, now=T0)
    assert info.value.by_field()["leader"] == "该件已由张县长包案"
    with pytest.raises(ValidationFailed) as info:
        desk.lifecycle.perform(number, "evaluate", {"target": "责任单位", "result": "满意"}, actor=ACTOR, now=T0)
    assert "已评价（基本满意）" in info.value.by_field()["target"]
    view = desk.lifecycle.view(number, T0.date())
    assert view.owner == "张县长"
    assert [(e.target, e.state, e.result) for e in view.evaluations] == [
        ("信访部门", "待评价", ""), ("责任单位", "已评价", "基本满意")]
    detail_owner = desk.leaders.matters(desk.leaders.find("张县长").id)
    assert number in [r.number for r in detail_owner]


def test_supervision_and_urging_are_flags_that_the_answer_ends(desk):
    number = matter_at(desk, FORWARDED)
    desk.lifecycle.perform(number, "supervise", VALID_FIELDS["supervise"], actor=ACTOR, now=T0)
    desk.lifecycle.perform(number, "urge", VALID_FIELDS["urge"], actor=ACTOR, now=T0)
    desk.lifecycle.perform(number, "urge", VALID_FIELDS["urge"], actor=ACTOR, now=T0)
    view = desk.lifecycle.view(number, T0.date())
    assert (view.supervised, view.urged, view.status) == (True, 2, FORWARDED)
    desk.lifecycle.perform(number, "accept", {}, actor=ACTOR, now=T0)
    desk.lifecycle.perform(number, "reply", VALID_FIELDS["reply"], actor=ACTOR, now=T0)
    assert desk.lifecycle.view(number, T0.date()).supervised is False


# --- clocks -------------------------------------------------------------------------------


def _due(view, rule):
    return next(d for d in view.deadlines if d.rule == rule)


def test_accepted_at_the_desk_starts_the_60_day_clock_that_day(desk):
    number = matter_at(desk, ACCEPTED)  # registered Mon 2025-03-03
    view = desk.lifecycle.view(number, T0.date())
    # 2025-03-03 + 60 days = 2025-05-02, inside the Labour Day holiday (May 1–5) → Tue 2025-05-06.
    assert _due(view, "conclude").due == date(2025, 5, 6)
    assert _due(view, "notify").met_on == T0.date()
    assert view.next_deadline.rule == "conclude" and view.days_left == 64


def test_forwarded_matter_waits_for_the_unit_then_runs_from_its_acceptance(desk):
    number = matter_at(desk, FORWARDED)
    view = desk.lifecycle.view(number, T0.date())
    assert _due(view, "unit_notify").due == date(2025, 3, 18)  # +15 days, a Tuesday
    assert _due(view, "objection").due == date(2025, 3, 10)  # 5 working days after Mon 03-03
    assert view.next_deadline.rule == "unit_notify"
    desk.lifecycle.perform(number, "accept", {"date": "2025-03-10"}, actor=ACTOR, now=datetime(2025, 3, 11, 9))
    view = desk.lifecycle.view(number, date(2025, 3, 11))
    assert _due(view, "unit_notify").met_on == date(2025, 3, 10)
    # 2025-03-10 + 60 days = 2025-05-09 (Fri, working day)
    assert _due(view, "conclude").due == date(2025, 5, 9)
    assert desk.lifecycle.facts(number).unit == "县人社局"


def test_extension_moves_the_conclude_date_and_the_cache(desk):
    number = matter_at(desk, ACCEPTED)
    desk.lifecycle.perform(number, "extend", {"days": 30, "reason": "需要鉴定"}, actor=ACTOR, now=T0)
    view = desk.lifecycle.view(number, T0.date())
    expected = period_end(T0.date(), Period(90), desk.deadlines.calendar)
    assert _due(view, "conclude").due == expected == date(2025, 6, 3)  # 06-01 is a Sunday, 06-02 Dragon Boat
    assert desk.matters.detail(number).row.status == vocab.STATUS_EXTENDED
    with pytest.raises(ValidationFailed) as info:
        desk.lifecycle.perform(number, "extend", {"days": 1, "reason": "再等等"}, actor=ACTOR, now=T0)
    assert "不能再延期" in info.value.by_field()["days"]


def test_reply_opens_the_visitor_windows_and_late_requests_are_refused(desk):
    number = matter_at(desk, ACCEPTED)
    desk.lifecycle.perform(number, "reply", {**VALID_FIELDS["reply"], "date": "2025-04-01"}, actor=ACTOR,
                           now=datetime(2025, 4, 2, 10))
    view = desk.lifecycle.view(number, date(2025, 4, 2))
    assert _due(view, "conclude").met_on == date(2025, 4, 1)
    assert _due(view, "review_request").due == date(2025, 5, 6)  # 05-01 in the Labour Day holiday
    assert _due(view, "evaluate").due == date(2025, 5, 6)
    assert view.next_deadline is None and view.days_left is None
    late = datetime(2025, 5, 7, 9)
    with pytest.raises(ValidationFailed) as info:
        desk.lifecycle.perform(number, "request-review", {"organ": "市信访局"}, actor=ACTOR, now=late)
    assert "申请复查的期限已于2025-05-06届满" in info.value.by_field()["date"]
    with pytest.raises(ValidationFailed) as info:
        desk.lifecycle.perform(number, "evaluate", {"target": "信访部门", "result": "满意"}, actor=ACTOR, now=late)
    assert "记为超期未评价" in info.value.by_field()["target"]
    assert [e.state for e in desk.lifecycle.view(number, late.date()).evaluations] == ["超期未评价", "超期未评价"]


def test_review_and_recheck_clocks(desk):
    number = matter_at(desk, vocab.STATUS_REPLIED)
    desk.lifecycle.perform(number, "request-review", {"organ": "市信访局", "date": "2025-03-03"}, actor=ACTOR, now=T0)
    view = desk.lifecycle.view(number, T0.date())
    assert view.next_deadline.rule == "review_decide" and view.next_deadline.due == date(2025, 4, 2)
    desk.lifecycle.perform(number, "decide-review", {"result": "维持原处理意见"}, actor=ACTOR, now=T0)
    desk.lifecycle.perform(number, "request-recheck", {"organ": "省信访局"}, actor=ACTOR, now=T0)
    view = desk.lifecycle.view(number, T0.date())
    assert view.next_deadline.rule == "recheck_decide" and view.next_deadline.due == date(2025, 4, 2)
    assert _due(view, "recheck_request").met_on == T0.date()


def test_cached_next_due_follows_each_step_and_due_lists_overdue_matters(desk):
    number = matter_at(desk, FORWARDED, at=datetime(2025, 1, 6, 9))
    row = desk.lifecycle.due(date(2025, 2, 1), within_days=3)
    mine = [r for r in row if r.number == number]
    assert len(mine) == 1 and mine[0].rule == "unit_notify" and mine[0].due == date(2025, 1, 21)
    assert mine[0].overdue and mine[0].days_left == -11
    view = desk.lifecycle.view(number, date(2025, 2, 1))
    assert (view.next_deadline.due, view.days_left) == (mine[0].due, mine[0].days_left)
    desk.lifecycle.perform(number, "accept", {}, actor=ACTOR, now=datetime(2025, 2, 1, 9))
    assert number not in [r.number for r in desk.lifecycle.due(date(2025, 2, 1))]


def test_clock_caches_are_recomputed_when_the_rule_set_changes(desk):
    number = matter_at(desk, ACCEPTED)
    assert desk.lifecycle.ensure_fresh() >= 0
    assert desk.lifecycle.ensure_fresh() == 0  # nothing changed since
    desk.deadlines.select("zhejiang")
    try:
        assert desk.lifecycle.ensure_fresh() > 0
        # Zhejiang: 30 days to conclude: 2025-03-03 + 30 = 04-02 (Wed)
        rows = {r.number: r for r in desk.lifecycle.due(date(2025, 4, 1), within_days=3)}
        assert rows[number].due == date(2025, 4, 2)
    finally:
        desk.deadlines.select("national")
        desk.lifecycle.ensure_fresh()
