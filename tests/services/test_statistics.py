"""The statistics service and `stats --json` on the hand-worked data set, and every number drilled into its list."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest
from stats_dataset import EXPECTED, TODAY, build

from app.cli import main
from app.services.context import DeskServices
from desk_login import INIT_ADMIN, TEST_OPERATOR, ready
from app.services.dto import MatterQuery
from app.services.errors import ValidationFailed
from app.services.statistics import periods
from ui_support import STATION_CODE, STATION_NAME


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    services = ready(DeskServices.open(tmp_path_factory.mktemp("statistics")))
    services.stations.initialise(STATION_CODE, STATION_NAME, "县")
    build(services)
    yield services
    services.close()


@pytest.fixture(scope="module")
def november(desk):
    return desk.statistics.compute(periods.month(2025, 11), today=TODAY)


def all_numbers(stats):
    """(what, count, person_times or None, cell) for every number the page and the reports show."""
    figures = {"total": stats.total, "visits": stats.visits, "individual": stats.individual,
               "collective": stats.collective, "skip_level": stats.skip_level, "repeats": stats.repeats,
               "supervised": stats.supervised, **{f"form {k}": f for k, f in stats.by_form.items()}}
    for name, f in figures.items():
        yield name, f.items, f.person_times, f.cell
    for table, rows in stats.tables.items():
        for row in rows:
            yield f"{table} {row.label}", row.items, row.person_times, row.cell
    for rate in stats.rates.values():
        for part, n in rate.parts.items():
            yield f"{rate.label} {part}", n, None, rate.cells[part]
        yield f"{rate.label} denominator", rate.denominator, None, rate.denominator_cell


def test_every_number_opens_a_list_of_exactly_that_many_matters(desk, november):
    checked = 0
    for what, items, person_times, cell in all_numbers(november):
        query = MatterQuery(cell=cell)
        assert desk.matters.count(query) == items, what
        assert len(desk.matters.page(query, 0, 1000)) == items, what
        if person_times is not None:
            assert desk.matters.headcount_sum(query) == person_times, what
        checked += 1
    assert checked > 40


def test_headline_and_rates_match_the_hand_worked_figures(november):
    assert (november.items, november.batches, november.person_times) == (
        EXPECTED["items"], EXPECTED["batches"], EXPECTED["person_times"])
    assert {name: (r.numerator, r.denominator) for name, r in november.rates.items()} == EXPECTED["rates"]
    assert november.rates["timely"].parts == EXPECTED["rate_parts"]["timely"]
    assert november.rates["timely"].percent() == "80.0%"
    assert november.repeat_rate == pytest.approx(1 / 13)


def test_cli_stats_json_gives_the_hand_worked_figures(desk):
    out = subprocess.run(
        [sys.executable, "-m", "app", "stats", "--from", "2025-11-01", "--to", "2025-11-30", "--by", "content1",
         "--json", "--data-dir", str(desk.data_dir)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["items"], data["batches"], data["person_times"]) == (13, 5, 26)
    assert (data["individual"]["items"], data["individual"]["person_times"]) == EXPECTED["individual"]
    assert (data["collective"]["items"], data["collective"]["person_times"]) == EXPECTED["collective"]
    assert data["by_form"] == {form: n for form, (n, _p) in EXPECTED["by_form"].items()}
    assert {r["key"]: (r["items"], r["person_times"], r["batches"]) for r in data["by"]} == \
        EXPECTED["tables"]["content1"]
    assert {k: (v["numerator"], v["denominator"]) for k, v in data["rates"].items()} == EXPECTED["rates"]
    for table, rows in EXPECTED["tables"].items():
        assert {r["key"]: (r["items"], r["person_times"], r["batches"]) for r in data["tables"][table]} == rows, table


def test_cli_stats_by_registration_date_and_refusals(desk, capsys):
    args = ["stats", "--from", "2025-11-01", "--to", "2025-11-30", "--data-dir", str(desk.data_dir)]
    capsys.readouterr()
    assert main([*args, "--basis", "registered", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {k: data[k] for k in ("items", "batches", "person_times")} == EXPECTED["registered"]
    assert main([*args, "--by", "county"]) == 2
    assert capsys.readouterr().err.startswith("by：统计维度“county”无效")
    assert main(["stats", "--from", "2025-11-31", "--to", "2025-11-30", "--data-dir", str(desk.data_dir)]) == 2
    assert capsys.readouterr().err.startswith("from：开始日期不是有效日期")
    assert main(["stats", "--from", "2025-11-30", "--to", "2025-11-01", "--data-dir", str(desk.data_dir)]) == 2
    assert capsys.readouterr().err.startswith("to：结束日期不能早于开始日期")
    assert main([*args]) == 0
    text = capsys.readouterr().out
    assert "信访事项 13 件 26 人次；来访 5 批 16 人次，其中个体访 4 件 8 人次，集体访 1 批 8 人次" in text


def test_periods():
    assert periods.month(2024, 2) == periods.Period(date(2024, 2, 1), date(2024, 2, 29), "2024年2月")
    business = periods.month(2025, 1, end_day=20)
    assert (business.start, business.end) == (date(2024, 12, 21), date(2025, 1, 20))
    assert (periods.quarter(2025, 4).start, periods.quarter(2025, 4).end) == (date(2025, 10, 1), date(2025, 12, 31))
    assert periods.year(2025).days() == 365
    with pytest.raises(ValidationFailed):
        periods.check_basis("exchange")


def test_a_business_month_counts_from_the_21st(desk):
    stats = desk.statistics.compute(periods.month(2025, 11, end_day=20), today=TODAY)
    # 10-21 … 11-20 by petition date: A–L (11-02 … 11-17), 12 matters; X1 (10-09), X2 (10-13) and
    # M (postmark 11-28) fall outside.
    assert stats.items == desk.matters.count(MatterQuery(cell=stats.total.cell)) == 12


def test_the_business_month_is_configured_from_the_cli(tmp_path, capsys):
    data = str(tmp_path / "d")
    assert main(["init", "--station-code", STATION_CODE, "--station-name", STATION_NAME, "--data-dir", data, *INIT_ADMIN]) == 0
    assert main(["config", "--business-month-end-day", "20", "--data-dir", data]) == 0
    assert "统计月：上月21日至本月20日" in capsys.readouterr().out
    assert main(["config", "--business-month-end-day", "31", "--data-dir", data]) == 2
    assert capsys.readouterr().err.startswith("business_month_end_day：统计月截止日应为1至28日")
    services = ready(DeskServices.open(tmp_path / "d"))
    try:
        assert periods.business_month_end_day(services.settings) == 20
    finally:
        services.close()
