"""The figures of one statistics run: plain values, each number with the cell that opens its matters."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..dto import StatsCell
from .periods import DATE_BASES, Period

TABLES = {
    "content1": "内容分类（一级）",
    "content2": "内容分类（二级）",
    "content3": "内容分类（三级）",
    "matter_class": "事项类别",
    "township": "问题属地（乡镇）",
    "unit": "责任单位",
    "decision": "处理方式",
    "leader": "接访领导",
    "month": "月份",
}
RATES = {
    "timely": "及时受理率",
    "conclude": "按期办结率",
    "participation": "参评率",
    "satisfaction": "满意率",
}


@dataclass(frozen=True)
class Figure:
    items: int
    person_times: int
    cell: StatsCell


@dataclass(frozen=True)
class TableRow:
    key: str
    label: str
    items: int
    person_times: int
    batches: int
    cell: StatsCell


@dataclass(frozen=True)
class Rate:
    name: str
    numerator: int
    denominator: int
    parts: dict[str, int]  # bucket → matters (及时受理 / 超期受理 / 超期未受理 …)
    cells: dict[str, StatsCell]
    denominator_cell: StatsCell  # the matters the rate divides by

    @property
    def label(self) -> str:
        return RATES[self.name]

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def percent(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.1f}%"


@dataclass(frozen=True)
class Statistics:
    period: Period
    basis: str
    today: date
    total: Figure  # 件 and 人次
    visits: Figure  # 批 (visits) and their 人次
    individual: Figure
    collective: Figure
    by_form: dict[str, Figure]
    skip_level: Figure
    repeats: Figure
    supervised: Figure  # 督办 (art. 41: 转送、交办、督办情况; the first two are in tables["decision"])
    tables: dict[str, list[TableRow]] = field(default_factory=dict)
    rates: dict[str, Rate] = field(default_factory=dict)

    @property
    def items(self) -> int:
        return self.total.items

    @property
    def person_times(self) -> int:
        return self.total.person_times

    @property
    def batches(self) -> int:
        return self.visits.items

    @property
    def repeat_rate(self) -> float | None:
        return self.repeats.items / self.items if self.items else None

    def as_json(self) -> dict:
        """The `stats --json` document (keys documented in docs/statistics.md)."""
        def fig(f: Figure) -> dict:
            return {"items": f.items, "person_times": f.person_times}

        return {
            "period": {"from": self.period.start.isoformat(), "to": self.period.end.isoformat(),
                       "label": self.period.label, "basis": self.basis, "basis_label": DATE_BASES[self.basis]},
            "items": self.items,
            "batches": self.batches,
            "person_times": self.person_times,
            "visits": fig(self.visits),
            "individual": fig(self.individual),
            "collective": fig(self.collective),
            "by_form": {form: f.items for form, f in self.by_form.items()},
            "by_form_person_times": {form: f.person_times for form, f in self.by_form.items()},
            "skip_level": fig(self.skip_level),
            "repeats": fig(self.repeats),
            "repeat_rate": self.repeat_rate,
            "supervised": fig(self.supervised),
            "rates": {
                r.name: {"label": r.label, "value": r.value, "numerator": r.numerator,
                         "denominator": r.denominator, "parts": r.parts}
                for r in self.rates.values()
            },
            "tables": {
                name: [{"key": row.key, "label": row.label, "items": row.items, "person_times": row.person_times,
                        "batches": row.batches} for row in rows]
                for name, rows in self.tables.items()
            },
        }
