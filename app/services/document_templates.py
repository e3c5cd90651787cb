"""Default wording of receipts and notices (spec §4), overridable per unit in the settings table.

Placeholders in braces are filled from the matter: {信访日期} {标题} {去向单位} {理由} {法定途径}
{期限日期} {延期天数} {单位}. Unknown placeholders are left as written, never an error.
"""
from __future__ import annotations

from app.receipts import content as k

from . import vocab

# Which notice a desk decision calls for (当场答复 is recorded on the slip itself).
NOTICE_FOR_DECISION = {
    vocab.DECISION_ACCEPT: k.KIND_ACCEPT,
    vocab.DECISION_FORWARD: k.KIND_FORWARD,
    vocab.DECISION_ASSIGN: k.KIND_ASSIGN,
    vocab.DECISION_REFUSE: k.KIND_REFUSE,
    vocab.DECISION_NO_LONGER: k.KIND_NO_LONGER,
    vocab.DECISION_LEGAL: k.KIND_LEGAL,
}

TITLES = {
    k.KIND_SLIP: "来访登记回执",
    k.KIND_ACCEPT: "信访事项受理告知书",
    k.KIND_REFUSE: "信访事项不予受理告知书",
    k.KIND_NO_LONGER: "信访事项不再受理告知书",
    k.KIND_FORWARD: "信访事项转送告知书",
    k.KIND_ASSIGN: "信访事项交办告知书",
    k.KIND_LEGAL: "导入法定途径告知书",
    k.KIND_EXTEND: "延期办理告知书",
}

# Short marks appended to the matter number to number each document.
NUMBER_SUFFIX = {
    k.KIND_SLIP: "回",
    k.KIND_ACCEPT: "受",
    k.KIND_REFUSE: "不受",
    k.KIND_NO_LONGER: "不再",
    k.KIND_FORWARD: "转",
    k.KIND_ASSIGN: "交",
    k.KIND_LEGAL: "导",
    k.KIND_EXTEND: "延",
}

LEGAL_BASIS = {
    vocab.DECISION_ON_SPOT: "《信访工作条例》第二十三条",
    vocab.DECISION_ACCEPT: "《信访工作条例》第二十三条、第三十四条",
    vocab.DECISION_FORWARD: "《信访工作条例》第二十二条、第二十三条",
    vocab.DECISION_ASSIGN: "《信访工作条例》第二十二条、第二十三条",
    vocab.DECISION_REFUSE: "《信访工作条例》第三十一条",
    vocab.DECISION_NO_LONGER: "《信访工作条例》第三十六条",
    vocab.DECISION_LEGAL: "《信访工作条例》第三十一条",
    "": "《信访工作条例》第二十二条、第二十三条",
    "延期": "《信访工作条例》第三十四条",
}

DEFAULTS: dict[str, str] = {
    "unit.name": "",  # empty: the station's name
    "unit.address": "",
    "unit.phone": "",
    "unit.seal_text": "",  # empty: "<unit>（印章）"
    "unit.handler": "",
    "unit.handler_phone": "",
    "text.query": "可凭信访件编号和查询码，通过本机关信访接待场所、来电或网上信访平台查询办理进度，并对办理情况作出评价。",
    "text.rights": "对信访事项的处理意见不服的，可以自收到书面处理意见之日起30日内请求复查；"
    "复查、复核只能针对书面处理意见提出，本回执或告知书不是处理意见。",
    "deadline.pending": "本机关将于{期限日期}前书面告知是否受理。",
    "deadline.accept": "将于{期限日期}前办结并书面答复（自受理之日起60日内；情况复杂的，经批准可延长，延长不超过30日并告知理由）。",
    "deadline.forward": "{去向单位}应于{期限日期}前书面告知是否受理。",
    "deadline.extend": "办理期限延长{延期天数}日，将于{期限日期}前办结并书面答复。",
    f"body.{k.KIND_ACCEPT}": "你（们）于{信访日期}反映的“{标题}”一事，本机关已依法受理，将依照《信访工作条例》规定的程序办理。",
    f"body.{k.KIND_REFUSE}": "你（们）于{信访日期}反映的“{标题}”一事，经审查，{理由}。本机关不予受理，"
    "请你（们）依照法律、行政法规规定的程序，通过{法定途径}途径解决。",
    f"body.{k.KIND_NO_LONGER}": "你（们）于{信访日期}反映的“{标题}”一事，{理由}。依照《信访工作条例》第三十六条的规定，本机关不再受理。",
    f"body.{k.KIND_FORWARD}": "你（们）于{信访日期}反映的“{标题}”一事，依照属地管理、分级负责，谁主管、谁负责的原则，"
    "本机关已转送{去向单位}办理。",
    f"body.{k.KIND_ASSIGN}": "你（们）于{信访日期}反映的“{标题}”一事，本机关已交办{去向单位}办理，"
    "并要求其在规定期限内报告办理结果。",
    f"body.{k.KIND_LEGAL}": "你（们）于{信访日期}反映的“{标题}”一事，属于应当通过{法定途径}等法定途径解决的事项，"
    "请你（们）依照有关法律、行政法规规定的程序向有关机关提出。",
    f"body.{k.KIND_EXTEND}": "你（们）于{信访日期}反映的“{标题}”一事，因{理由}，经本机关负责人批准，办理期限延长{延期天数}日。",
}

EDITABLE_KEYS = tuple(DEFAULTS)


def fill(template: str, values: dict[str, str]) -> str:
    """Replace {占位符}; placeholders without a value stay visible rather than raising."""

    class _Keep(dict):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    try:
        return template.format_map(_Keep(values))
    except (ValueError, IndexError):  # a stray brace typed in the settings
        return template
