"""A hand-worked statistics data set: November 2025, with matters around it, and its figures worked by hand.

Imported by name (`from stats_dataset import build`) by the statistics, CLI and report tests, so
the service, `python -m app stats|report`, the xlsx and the PDF are all held to the same numbers.

`build(services)` registers the matters with explicit times, moves some of them on, and returns
the expected figures (below). Nothing depends on the day the tests run: every deadline counted
falls before `TODAY`, and the real date is later still.

The matters (petition date = registration date unless noted; 县 = 德安县):

| | date | form | 人 | content (level 1 / level 2) | decision | township | notes |
|---|---|---|---|---|---|---|---|
| X5 | 09-10 | 走访 | 1 | 劳动和社会保障 / 劳动关系 | 受理告知 | — | replied 10-20 (on time), never evaluated |
| X1 | 10-09 | 走访 | 1 | 劳动和社会保障 / 劳动关系 | 当场答复 | — | evaluated 满意 10-20 |
| X2 | 10-13 | 网上 | 1 | 劳动和社会保障 / 劳动关系 | 受理告知 | — | replied 10-20, evaluated 不满意 11-03 |
| A | 11-03 | 走访 | 1 | 劳动和社会保障 / 劳动关系 | 受理告知 | 蒲亭镇 | replied 11-10 |
| B | 11-03 | 走访 | 8 | 劳动和社会保障 / 劳动关系 | 转送 县人社局 | 蒲亭镇 | collective; leader 王建国; 督办 11-20 |
| C | 11-04 (postmark 11-02) | 来信 | 1 | 城乡建设 / 住房保障与房地产 | 交办 县住建局 | — | 建议意见 |
| D | 11-05 | 网上 | 1 | 农村农业 / 土地承包经营 | 受理告知 | 聂桥镇 | replied 11-20 |
| E | 11-06 | 电话 | 1 | 民政与应急 / 社会救助 | 当场答复 | 丰林镇 | |
| F | 11-07 | 走访 | 2 | 自然资源 / 土地征收 | 转送 县自然资源局 | 聂桥镇 | 越级 |
| G | 11-10 | 走访 | 1 | 劳动和社会保障 / 劳动关系 | 转送 县人社局 | 蒲亭镇 | repeat of A |
| H | 11-11 (postmark 11-07) | 来信 | 3 | 城乡建设 / 国有土地上房屋征收与补偿 | 转送 县住建局 | 蒲亭镇 | joint letter |
| I | 11-12 | 网上 | 1 | 劳动和社会保障 / 劳动关系 | (none) | — | never decided |
| J | 11-13 | 走访 | 4 | 农村农业 / 农村宅基地 | 交办 丰林镇人民政府 | 丰林镇 | decided late, 12-01 |
| K | 11-14 (postmark 11-12) | 来信 | 1 | 政法 / 诉讼 | 导入法定途径 | — | 检举控告 |
| L | 11-17 | 电话 | 1 | 民政与应急 / 社会救助 | 受理告知 | 丰林镇 | |
| M | 12-01 (postmark 11-28) | 来信 | 1 | 城乡建设 / 住房保障与房地产 | 转送 县住建局 | 蒲亭镇 | November by petition date only |
| X4 | 12-01 | 走访 | 2 | 劳动和社会保障 / 劳动关系 | 受理告知 | — | |

Rates for November (deadline in November, national rules; no holiday in November 2025):
- 及时受理: the 15-day notice deadline (moved to the next working day) falls in November for A–J
  (K: 11-29 → 12-01; L, M later; the October matters in October). A–H decided on the day: 8 on
  time; J decided 12-01 after its 11-28 deadline: late; I never: overdue → 8 / 10.
- 按期办结: only X5's 60-day deadline (09-10 → 11-09, a Sunday → 11-10) falls in November; replied
  10-20 → 1 / 1.
- 参评率 / 满意率: the 30-day evaluation window ends in November for X1 (10-09 → 11-08 → 11-10),
  X2 and X5 (10-20 → 11-19). X1 满意, X2 不满意, X5 not evaluated → 参评 2 / 3, 满意 1 / 2.
"""
from __future__ import annotations

from datetime import date, datetime, time

from app.services.registration import PetitionerInput
from factories import make_input

ACTOR = "统计测试"
PERIOD = (date(2025, 11, 1), date(2025, 11, 30))
TODAY = date(2025, 12, 15)  # rates: every counted deadline has passed by then

LABOUR = ["劳动和社会保障", "劳动关系", "拖欠农民工工资"]
HOUSING = ["城乡建设", "住房保障与房地产", "物业服务"]
EXPROPRIATION = ["城乡建设", "国有土地上房屋征收与补偿", "安置补偿"]
LAND_CONTRACT = ["农村农业", "土地承包经营", "土地流转"]
HOMESTEAD = ["农村农业", "农村宅基地", "宅基地纠纷"]
RELIEF = ["民政与应急", "社会救助", "农村低保"]
LAND_TAKING = ["自然资源", "土地征收", "安置补偿"]
LITIGATION = ["政法", "诉讼"]

HRSS = "县人力资源和社会保障局"
HOUSING_BUREAU = "县住房和城乡建设局"
NATURAL_RESOURCES = "县自然资源局"
FENGLIN = "丰林镇人民政府"
PUTING, NIEQIAO, FENGLIN_TOWN = ("360426100", "蒲亭镇"), ("360426101", "聂桥镇"), ("360426102", "丰林镇")
LEADER = "王建国"

# -- the expected figures, worked by hand from the table above (basis: petition date) -------------
# Figures: (items 件, person_times 人次). Table rows: key -> (items, person_times, batches).
EXPECTED = {
    "items": 13,
    "batches": 5,
    "person_times": 26,
    "visits": (5, 16),
    "individual": (4, 8),
    "collective": (1, 8),
    "by_form": {"走访": (5, 16), "来信": (4, 6), "网上": (2, 2), "电话": (2, 2), "传真": (0, 0)},
    "skip_level": (1, 2),
    "repeats": (1, 1),
    "supervised": (1, 8),
    "tables": {
        "content1": {
            "劳动和社会保障": (4, 11, 3),
            "城乡建设": (3, 5, 0),
            "农村农业": (2, 5, 1),
            "民政与应急": (2, 2, 0),
            "政法": (1, 1, 0),
            "自然资源": (1, 2, 1),
        },
        "content2": {
            "劳动和社会保障 / 劳动关系": (4, 11, 3),
            "城乡建设 / 住房保障与房地产": (2, 2, 0),
            "民政与应急 / 社会救助": (2, 2, 0),
            "城乡建设 / 国有土地上房屋征收与补偿": (1, 3, 0),
            "农村农业 / 农村宅基地": (1, 4, 1),
            "农村农业 / 土地承包经营": (1, 1, 0),
            "自然资源 / 土地征收": (1, 2, 1),
            "政法 / 诉讼": (1, 1, 0),
        },
        "matter_class": {"申诉求决": (11, 24, 5), "建议意见": (1, 1, 0), "检举控告": (1, 1, 0)},
        "township": {
            PUTING[0]: (5, 14, 3),
            NIEQIAO[0]: (2, 3, 1),
            FENGLIN_TOWN[0]: (3, 6, 1),
            "": (3, 3, 0),
        },
        "unit": {HRSS: (2, 9, 2), HOUSING_BUREAU: (3, 5, 0), NATURAL_RESOURCES: (1, 2, 1), FENGLIN: (1, 4, 1),
                 "": (6, 6, 1)},
        "decision": {"受理告知": (3, 3, 1), "转送": (5, 15, 3), "交办": (2, 5, 1), "当场答复": (1, 1, 0),
                     "导入法定途径": (1, 1, 0), "": (1, 1, 0)},
        "leader": {LEADER: (1, 8, 1)},
        "month": {"2025-11": (13, 26, 5)},
    },
    # rate -> (numerator, denominator)
    "rates": {"timely": (8, 10), "conclude": (1, 1), "participation": (2, 3), "satisfaction": (1, 2)},
    "rate_parts": {"timely": {"on_time": 8, "late": 1, "overdue": 1}},
    # the same month counted by registration date: M (registered 12-01) drops out
    "registered": {"items": 12, "batches": 5, "person_times": 25},
}


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour))


def _person(name: str) -> PetitionerInput:
    return PetitionerInput(name=name, id_type="无证件")


def build(services) -> dict:
    """Register the data set into `services` (a fresh desk); returns EXPECTED plus the matter numbers."""
    services.leaders.add(LEADER, "副县长", range(5))
    numbers: dict[str, str] = {}

    def reg(key: str, day: date, content: list[str], *, township=None, **overrides) -> str:
        if township:
            overrides.update(location_code=township[0], location=township[1])
        numbers[key] = services.registration.register(
            make_input(content_class=content, **overrides), actor=ACTOR, now=at(day)).number
        return numbers[key]

    def act(key: str, day: date, action: str, **fields) -> None:
        services.lifecycle.perform(numbers[key], action, fields, actor=ACTOR, now=at(day, 15))

    reply = {"opinion": "支持", "delivery": "当面送达", "receipt": "签收"}
    other = _person  # a second person with no ID (letters, group members)

    # -- before the month: their answers' evaluation windows (and X5's handling deadline) end in it --
    reg("X5", date(2025, 9, 10), LABOUR)
    act("X5", date(2025, 10, 20), "reply", **reply)
    reg("X1", date(2025, 10, 9), LABOUR, decision="当场答复")
    act("X1", date(2025, 10, 20), "evaluate", target="信访部门", result="满意")
    reg("X2", date(2025, 10, 13), LABOUR, form="网上", petitioner=other("周八"))
    act("X2", date(2025, 10, 20), "reply", **reply)
    act("X2", date(2025, 11, 3), "evaluate", target="信访部门", result="不满意", note="答复未解决实际问题")

    # -- November 2025 -----------------------------------------------------------------------------
    reg("A", date(2025, 11, 3), LABOUR, township=PUTING)
    reg("B", date(2025, 11, 3), LABOUR, township=PUTING, headcount=8,
        petitioners=[other("王五"), other("赵六")], representatives=["王五", "赵六"],
        decision="转送", decision_unit=HRSS, receiver_leader=LEADER)
    reg("C", date(2025, 11, 4), HOUSING, form="来信", petition_date=date(2025, 11, 2),
        petitioner=other("钱七"), matter_class="建议意见", decision="交办", decision_unit=HOUSING_BUREAU)
    reg("D", date(2025, 11, 5), LAND_CONTRACT, township=NIEQIAO, form="网上", petitioner=other("孙九"))
    reg("E", date(2025, 11, 6), RELIEF, township=FENGLIN_TOWN, form="电话", petitioner=other("李十"),
        decision="当场答复")
    reg("F", date(2025, 11, 7), LAND_TAKING, township=NIEQIAO, headcount=2,
        petitioners=[other("吴一"), other("郑二")], skip_level=True, decision="转送",
        decision_unit=NATURAL_RESOURCES)
    act("A", date(2025, 11, 10), "reply", **reply)
    reg("G", date(2025, 11, 10), LABOUR, township=PUTING, repeat_of=numbers["A"], decision="转送",
        decision_unit=HRSS)
    reg("H", date(2025, 11, 11), EXPROPRIATION, township=PUTING, form="来信", petition_date=date(2025, 11, 7),
        headcount=3, petitioners=[other("冯三"), other("陈四"), other("褚五")], decision="转送",
        decision_unit=HOUSING_BUREAU)
    reg("I", date(2025, 11, 12), LABOUR, form="网上", petitioner=other("卫六"), decision="")
    reg("J", date(2025, 11, 13), HOMESTEAD, township=FENGLIN_TOWN, headcount=4,
        petitioners=[other("蒋七"), other("沈八")], decision="")
    reg("K", date(2025, 11, 14), LITIGATION, form="来信", petition_date=date(2025, 11, 12),
        petitioner=other("韩九"), matter_class="检举控告", decision="导入法定途径", decision_channel="诉讼")
    reg("L", date(2025, 11, 17), RELIEF, township=FENGLIN_TOWN, form="电话", petitioner=other("杨十"))
    act("D", date(2025, 11, 20), "reply", **reply)
    act("B", date(2025, 11, 20), "supervise", by="县信访工作联席会议办公室", note="请于本月底前报送办理情况")

    # -- after the month --------------------------------------------------------------------------
    act("J", date(2025, 12, 1), "decide", decision="交办", unit=FENGLIN)  # deadline was 11-28: late
    reg("M", date(2025, 12, 1), HOUSING, township=PUTING, form="来信", petition_date=date(2025, 11, 28),
        petitioner=other("朱一"), decision="转送", decision_unit=HOUSING_BUREAU)
    reg("X4", date(2025, 12, 1), LABOUR, headcount=2, petitioners=[other("秦二"), other("尤三")])
    return {**EXPECTED, "numbers": numbers, "period": PERIOD, "today": TODAY}
