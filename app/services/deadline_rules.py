"""Time limits as a table (spec §1.3): the national rules and provincial variants, selectable."""
from __future__ import annotations

from dataclasses import dataclass

RULE_SET_KEY = "deadline.rule_set"


@dataclass(frozen=True)
class Period:
    days: int
    working_days: bool = False  # counted in working days (weekends and holidays skipped)

    def describe(self) -> str:
        return f"{self.days}个工作日" if self.working_days else f"{self.days}日"


@dataclass(frozen=True)
class RuleSet:
    key: str
    title: str
    notify: Period  # decide on acceptance and tell the visitor in writing
    objection: Period  # object to a wrongly forwarded or assigned matter
    conclude: Period  # conclude an accepted matter
    extend_max: int  # most extra days (calendar) an extension may add in all
    review_request: Period
    review_decide: Period
    recheck_request: Period
    recheck_decide: Period
    # The visitor's window to evaluate after the reply; the national figure is not published (spec §1.8 [U]).
    evaluate: Period = Period(30)


_REVIEW = dict(
    review_request=Period(30), review_decide=Period(30), recheck_request=Period(30), recheck_decide=Period(30)
)

RULE_SETS: dict[str, RuleSet] = {
    "national": RuleSet("national", "全国（《信访工作条例》2022）", Period(15), Period(5, True), Period(60), 30, **_REVIEW),
    "zhejiang": RuleSet("zhejiang", "浙江（2016条例：5个工作日、30日办结，延长不超过60日）",
                        Period(5, True), Period(5, True), Period(30), 60, **_REVIEW),
    "henan": RuleSet("henan", "河南（2012条例：30日办结，最长不超过90日）",
                     Period(15), Period(5, True), Period(30), 60, **_REVIEW),
    "shandong": RuleSet("shandong", "山东（2015条例：15日、60日办结，延长不超过30日）",
                        Period(15), Period(5, True), Period(60), 30, **_REVIEW),
}
DEFAULT_RULE_SET = "national"
