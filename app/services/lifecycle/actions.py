"""The lifecycle actions (spec §2.1) as a table: which stage each starts from, where it leads, what it asks.

The UI builds its dialogs from `fields`, the CLI reads the same keys from JSON, and
`checks.py` validates them; so one table drives every way of acting on a matter.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import vocab as v

TEXT, LONG_TEXT, CHOICE, DATE, DAYS, LEADER = "text", "long_text", "choice", "date", "days", "leader"

HANDLING = (v.STATUS_BY_DECISION[v.DECISION_ACCEPT], v.STATUS_HANDLING, v.STATUS_EXTENDED)
IN_PROGRESS = (
    v.STATUS_BY_DECISION[v.DECISION_FORWARD], v.STATUS_BY_DECISION[v.DECISION_ASSIGN], *HANDLING,
    v.STATUS_REVIEWING, v.STATUS_RECHECKING,
)
ANSWERED = (
    v.STATUS_BY_DECISION[v.DECISION_ON_SPOT], v.STATUS_REPLIED, v.STATUS_REVIEWING, v.STATUS_REVIEWED,
    v.STATUS_RECHECKING, v.STATUS_RECHECKED, v.STATUS_CLOSED,
)
CLOSABLE = (
    v.STATUS_BY_DECISION[v.DECISION_ON_SPOT], v.STATUS_BY_DECISION[v.DECISION_REFUSE],
    v.STATUS_BY_DECISION[v.DECISION_NO_LONGER], v.STATUS_BY_DECISION[v.DECISION_LEGAL],
    v.STATUS_REPLIED, v.STATUS_REVIEWED, v.STATUS_RECHECKED,
)
NOT_CLOSED = tuple(s for s in v.STATUSES if s != v.STATUS_CLOSED)


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: str = TEXT
    choices: tuple[str, ...] = ()
    required: bool = True
    max_len: int = v.MAX_REASON
    missing: str = ""  # the message when a required value is empty, if the generic one is not enough


@dataclass(frozen=True)
class ActionSpec:
    key: str  # CLI name
    label: str  # what users see
    event: str  # event kind recorded
    from_states: tuple[str, ...]
    to_state: str | None  # None: the stage does not change (a flag, an evaluation, a note)
    fields: tuple[FieldSpec, ...]
    needs: str  # why it may be refused, shown with the refusal


_NOTE = FieldSpec("note", "说明", LONG_TEXT, required=False)
_DATE = FieldSpec("date", "日期", DATE, required=False)

ACTIONS: dict[str, ActionSpec] = {a.key: a for a in (
    ActionSpec("decide", "窗口处理", "decided", (v.STATUS_REGISTERED,), None, (
        FieldSpec("decision", "处理方式", CHOICE, v.DECISIONS),
        FieldSpec("unit", "去向单位", required=False, max_len=v.MAX_UNIT),
        FieldSpec("reason", "理由", LONG_TEXT, required=False),
        FieldSpec("channel", "法定途径", CHOICE, v.LEGAL_CHANNELS, required=False),
        _NOTE,
    ), "只有尚未作出处理决定的信访件才能进行窗口处理"),
    ActionSpec("accept", "责任单位受理", "accepted", IN_PROGRESS[:2], v.STATUS_BY_DECISION[v.DECISION_ACCEPT], (
        FieldSpec("unit", "受理单位", required=False, max_len=v.MAX_UNIT), _DATE, _NOTE,
    ), "只有已转送或已交办的信访件才能登记责任单位受理"),
    ActionSpec("start", "开始办理", "handling_started", HANDLING[:1], v.STATUS_HANDLING, (
        FieldSpec("handler", "承办人", max_len=50), _DATE, _NOTE,
    ), "只有已受理、尚未开始办理的信访件才能登记开始办理"),
    ActionSpec("extend", "延期办理", "extended", HANDLING, v.STATUS_EXTENDED, (
        FieldSpec("days", "延期天数", DAYS), FieldSpec("reason", "延期理由", LONG_TEXT, missing="须写明延期理由，告知书上将载明"),
    ), "只有已受理、尚未答复的信访事项才能延期办理（《信访工作条例》第三十四条）"),
    ActionSpec("reply", "答复", "replied", HANDLING, v.STATUS_REPLIED, (
        FieldSpec("opinion", "处理意见", CHOICE, v.REPLY_OPINIONS),
        FieldSpec("delivery", "送达方式", CHOICE, v.DELIVERY_METHODS),
        FieldSpec("receipt", "签收情况", CHOICE, v.RECEIPT_STATES),
        _DATE,
        FieldSpec("document_no", "意见书编号", required=False, max_len=50),
        _NOTE,
    ), "只有已受理、尚未答复的信访事项才能登记答复"),
    ActionSpec("evaluate", "满意度评价", "evaluated", ANSWERED, None, (
        FieldSpec("target", "评价对象", CHOICE, v.EVALUATION_TARGETS),
        FieldSpec("result", "评价结果", CHOICE, v.EVALUATION_RESULTS),
        FieldSpec("note", "评价意见", LONG_TEXT, required=False),
    ), "只有已答复的信访事项才能评价"),
    ActionSpec("request-review", "申请复查", "review_requested", (v.STATUS_REPLIED,), v.STATUS_REVIEWING, (
        FieldSpec("organ", "复查机关", max_len=v.MAX_UNIT), _DATE, _NOTE,
    ), "只有已书面答复、尚未申请复查的信访事项才能申请复查（《信访工作条例》第三十五条）"),
    ActionSpec("decide-review", "复查决定", "review_decided", (v.STATUS_REVIEWING,), v.STATUS_REVIEWED, (
        FieldSpec("result", "复查结论", CHOICE, v.REVIEW_RESULTS), _DATE, _NOTE,
    ), "只有复查中的信访事项才能登记复查决定"),
    ActionSpec("request-recheck", "申请复核", "recheck_requested", (v.STATUS_REVIEWED,), v.STATUS_RECHECKING, (
        FieldSpec("organ", "复核机关", max_len=v.MAX_UNIT), _DATE, _NOTE,
    ), "只有已作出复查意见、尚未申请复核的信访事项才能申请复核（《信访工作条例》第三十六条）"),
    ActionSpec("decide-recheck", "复核决定", "recheck_decided", (v.STATUS_RECHECKING,), v.STATUS_RECHECKED, (
        FieldSpec("result", "复核结论", CHOICE, v.REVIEW_RESULTS), _DATE, _NOTE,
    ), "只有复核中的信访事项才能登记复核决定"),
    ActionSpec("close", "办结归档", "closed", CLOSABLE, v.STATUS_CLOSED, (_NOTE,),
               "只有已答复、已复查、已复核或窗口已办结（当场答复、不予受理、不再受理、导入法定途径）的信访件才能归档"),
    ActionSpec("supervise", "督办", "supervised", IN_PROGRESS, None, (
        FieldSpec("by", "督办单位", required=False, max_len=v.MAX_UNIT), FieldSpec("note", "督办意见", LONG_TEXT),
    ), "只有正在办理中的信访事项才能督办"),
    ActionSpec("urge", "催办", "urged", IN_PROGRESS, None, (FieldSpec("note", "催办意见", LONG_TEXT),),
               "只有正在办理中的信访事项才能催办"),
    ActionSpec("own", "领导包案", "owned", NOT_CLOSED, None, (
        FieldSpec("leader", "包案领导", LEADER), FieldSpec("since", "包案日期", DATE, required=False), _NOTE,
    ), "已归档的信访件不能再包案"),
    ActionSpec("own-progress", "包案进展", "owner_progress", NOT_CLOSED, None, (
        FieldSpec("note", "进展情况", LONG_TEXT),
    ), "只有已由领导包案、尚未归档的信访件才能记录包案进展"),
)}


def find_action(name: str) -> ActionSpec | None:
    """By CLI key or by the Chinese label."""
    name = (name or "").strip()
    return ACTIONS.get(name) or next((a for a in ACTIONS.values() if a.label == name), None)
