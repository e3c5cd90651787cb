"""统计 page: every number opens a matter list with that many matters (or that many 人次), and
counting runs off the UI thread."""
from __future__ import annotations

import time
from datetime import date, datetime

import pytest
from factories import make_input
from ui_support import wait_list_loaded
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.services.registration import PetitionerInput
from app.services.statistics import periods
from app.services.statistics.periods import BUSINESS_MONTH_KEY
from app.ui.app import create_main_window
from app.ui.statistics_drill import PERSON_TIMES
from app.ui.statistics_page import COUNTING_TEXT, StatisticsPage
from app.ui.statistics_tables import COLUMNS, COL_PERSON_TIMES

ACTOR = "统计测试员"
TODAY = date(2025, 9, 10)  # what the rates count as passed
ALT = Qt.KeyboardModifier.AltModifier
WAGES = ["劳动和社会保障", "劳动关系", "拖欠农民工工资"]
HOUSE = ["城乡建设", "国有土地上房屋征收与补偿", "征收手续"]
LAND = ["自然资源", "土地资源管理", "国土空间规划"]
VILLAGE = ["农村农业", "村务管理", "集体资产管理"]
LAW = ["政法", "法治建设", "司法改革"]


def at(month: int, day: int, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, second)


def build(services) -> dict[str, str]:
    """Eleven matters around June 2025 (B, G collective; F repeats A; E skipped a level; TODAY later)."""
    def register(key: str, when: datetime, **overrides) -> None:
        numbers[key] = services.registration.register(make_input(**overrides), actor=ACTOR, now=when).number

    numbers: dict[str, str] = {}
    register("A", at(6, 3))  # visit, 1 person, accepted on the spot
    register("B", at(6, 5), headcount=6, content_class=HOUSE, decision="转送", decision_unit="县人社局")
    register("C", at(6, 9), form="来信", petition_date=date(2025, 6, 6), headcount=3, content_class=LAND,
             decision="", petitioner=PetitionerInput(name="李四", id_type="无证件"))  # never decided
    register("D", at(6, 10), form="网上", content_class=VILLAGE, decision="")  # decided late below
    register("E", at(6, 12), form="电话", skip_level=True, decision="当场答复")
    register("F", at(6, 16), headcount=2, repeat_of=numbers["A"])
    register("G", at(6, 20), headcount=5, content_class=HOUSE, location_code="360426100", location="蒲亭镇")
    register("H", at(6, 30, 23, 59, 59), decision="当场答复")  # the month's last second; never evaluated
    register("I", at(7, 1, 0, 0, 5), petition_date=date(2025, 6, 30), content_class=LAND)  # June by 信访日期
    register("J", at(5, 31), content_class=LAW)  # May
    register("K", at(7, 2), form="来信", petition_date=date(2025, 6, 28))  # postmarked June, registered July
    perform = services.lifecycle.perform
    perform(numbers["A"], "reply", {"opinion": "支持", "delivery": "当面送达", "receipt": "签收"}, actor=ACTOR,
            now=at(6, 20))
    perform(numbers["A"], "evaluate", {"target": "信访部门", "result": "满意"}, actor=ACTOR, now=at(6, 25))
    perform(numbers["D"], "decide", {"decision": "受理告知"}, actor=ACTOR, now=at(6, 30))
    perform(numbers["E"], "evaluate", {"target": "信访部门", "result": "不满意", "note": "问题未解决"}, actor=ACTOR,
            now=at(6, 13))
    return numbers


@pytest.fixture
def window(qtbot, services):
    build(services)
    w = create_main_window(services)
    qtbot.addWidget(w)
    w.statistics_page.fixed_today = TODAY
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def settled(page: StatisticsPage, period=None, basis=None) -> bool:
    stats = page.statistics
    return (stats is not None and not page.busy
            and (period is None or stats.period == period) and (basis is None or stats.basis == basis))


def open_statistics(qtbot, window) -> StatisticsPage:
    """Alt+3 from wherever the keyboard is."""
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_3, ALT)
    page = window.statistics_page
    assert window.tabs.currentWidget() is page
    return page


def type_number(qtbot, spin, value: int) -> None:
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, str(value))
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def choose(qtbot, combo, text: str) -> None:
    """Pick an entry of a closed combo with the arrow keys, as a keyboard user does."""
    combo.setFocus()
    target = combo.findText(text)
    assert target >= 0, text
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)


def choose_period(qtbot, page, kind: str, year: int, number: int = 0, basis: str = "信访日期"):
    picker = page.picker
    choose(qtbot, picker.kind_combo, kind)
    type_number(qtbot, picker.year_spin, year)
    if kind == "月":
        type_number(qtbot, picker.month_spin, number)
    elif kind == "季度":
        choose(qtbot, picker.quarter_combo, ("第一季度", "第二季度", "第三季度", "第四季度")[number - 1])
    choose(qtbot, picker.basis_combo, basis)


def listed(window) -> tuple[int, int, int]:
    """(the list's total, rows loaded, their headcounts' sum) after loading every page."""
    model = window.matter_list_page.model
    while model.canFetchMore():
        model.fetchMore()
    rows = [model.row_at(r) for r in range(model.rowCount())]
    return model.total, len(rows), sum(r.headcount for r in rows)


def assert_list_matches(qtbot, window, shown: int, measure: str, what: str) -> None:
    matters = window.matter_list_page
    assert window.tabs.currentWidget() is matters, what
    wait_list_loaded(qtbot, matters)
    total, rows, headcounts = listed(window)
    assert rows == total, what
    if measure == PERSON_TIMES:
        assert headcounts == shown, what
    else:
        assert total == shown, what
        assert matters.count_label.text() == f"共 {shown} 件"
    assert matters.special_chip.isVisible() and matters.special_chip.text().startswith("统计："), what


def check_every_number(qtbot, window, page, tables=("content1", "month")) -> int:
    """Click every number of the summary and the named tables, and bars of every chart; returns how many."""
    checked = 0
    for button in page.number_buttons():
        what = f"{button.key} {button.caption}"
        shown = int(button.value_text)
        assert shown == button.drill.value, what
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert_list_matches(qtbot, window, shown, button.drill.measure, what)
        open_statistics(qtbot, window)
        checked += 1
    panel = page.tables
    for table in tables:
        choose(qtbot, panel.table_combo, {"content1": "内容分类（一级）", "month": "月份"}[table])
        assert panel.table == table
        model, view = panel.model, panel.view
        assert model.rowCount() == len(page.statistics.tables[table]) > 0
        for row in range(model.rowCount()):
            for column in range(len(COLUMNS)):
                index = model.index(row, column)
                text = model.data(index)
                shown = model.row_at(row).items if column == 0 else int(text)
                what = f"{table} {text} {COLUMNS[column]}"
                if (row + column) % 2:  # the mouse: a double-click
                    view.scrollTo(index)
                    double_click(qtbot, view.viewport(), view.visualRect(index).center())
                else:  # the keyboard: Enter on the current cell
                    view.setFocus()
                    view.setCurrentIndex(index)
                    qtbot.keyClick(view, Qt.Key.Key_Return)
                assert_list_matches(qtbot, window, shown, PERSON_TIMES if column == COL_PERSON_TIMES else "items",
                                    what)
                open_statistics(qtbot, window)
                checked += 1
    for name, chart in page.charts.charts.items():
        page.charts.setCurrentWidget(chart)
        for index, row in enumerate(chart.rows):
            click_bar(qtbot, chart, index, row.items)
            assert_list_matches(qtbot, window, row.items, "items", f"chart {name} {row.label}")
            open_statistics(qtbot, window)
            checked += 1
    return checked


def double_click(qtbot, widget, pos: QPoint) -> None:
    """What the system sends for a double-click: a click, then the double-click event and its release
    (`QTest.mouseDClick` alone sends the second half only)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def click_bar(qtbot, chart_view, index: int, value: int) -> None:
    """Click the middle of one bar, where the chart draws it."""
    chart = chart_view.chart()
    series = chart_view.series()
    point = QPointF(value / 2, index) if chart_view.horizontal else QPointF(index, value / 2)
    scene_point = chart.mapToScene(chart.mapToPosition(point, series))
    pos: QPoint = chart_view.mapFromScene(scene_point)
    qtbot.mouseClick(chart_view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_june_figures_and_every_number_opens_as_many_matters(qtbot, window):
    page = open_statistics(qtbot, window)
    choose_period(qtbot, page, "月", 2025, 6)
    june = periods.month(2025, 6)
    qtbot.waitUntil(lambda: settled(page, june, "petition_date"), timeout=10000)
    assert page.title_label.text() == "2025年6月（按信访日期，2025-06-01至2025-06-30）"
    tiles = {t.key: t.value_text for t in page.summary.tiles.values()}
    assert tiles == {
        "items": "10", "batches": "6", "person_times": "22",
        "form_走访": "6", "form_来信": "2", "form_网上": "1", "form_电话": "1", "form_传真": "0",
        "individual_items": "4", "individual_person_times": "5", "collective_items": "2",
        "collective_person_times": "11", "skip_level": "1", "repeats": "1", "supervised": "0",
    }
    repeat = page.summary.rates["repeat"]
    assert (repeat.percent_label.text(), repeat.fraction_label.text()) == ("10.0%", "1/10")
    timely = page.summary.rates["timely"]
    assert (timely.percent_label.text(), timely.fraction_label.text()) == ("66.7%", "4/6")
    assert {k: b.value_text for k, b in timely.parts.items()} == {"on_time": "4", "late": "1", "overdue": "1",
                                                                  "total": "6"}
    assert [b.caption for b in timely.parts.values()] == ["及时受理", "超期受理", "超期未受理", "合计"]
    content = [(r.label, r.items, r.person_times, r.batches) for r in page.statistics.tables["content1"]]
    assert content == [("劳动和社会保障", 5, 6, 3), ("城乡建设", 2, 11, 2), ("自然资源", 2, 4, 1), ("农村农业", 1, 1, 0)]
    assert [r.label for r in page.charts.charts["content1"].rows] == ["农村农业", "自然资源", "城乡建设", "劳动和社会保障"]
    # 15 tiles; rate parts: 重复率 2, 及时受理率 3 + 合计, 按期办结率 3 + 合计, 参评率 2 + 合计, 满意率 2
    assert check_every_number(qtbot, window, page) == 15 + 2 + 4 + 4 + 3 + 2 + 4 * 4 + 1 * 4 + (4 + 1 + 2)


def test_quarter_by_registration_date(qtbot, window):
    page = open_statistics(qtbot, window)
    choose_period(qtbot, page, "季度", 2025, 2, basis="登记日期")
    q2 = periods.quarter(2025, 2)
    qtbot.waitUntil(lambda: settled(page, q2, "registered"), timeout=10000)
    assert page.summary.tiles["items"].value_text == "9"  # April–June registrations: J and A–H (not I, K)
    assert [(r.key, r.items) for r in page.statistics.tables["month"]] == [("2025-05", 1), ("2025-06", 8)]
    check_every_number(qtbot, window, page)
    assert window.matter_list_page.special_chip.text().startswith("统计：2025年第2季度（按登记日期） ")


def test_the_year_and_its_rates(qtbot, window):
    page = open_statistics(qtbot, window)
    choose_period(qtbot, page, "年", 2025)
    qtbot.waitUntil(lambda: settled(page, periods.year(2025)), timeout=10000)
    rates = {name: (box.percent_label.text(), box.fraction_label.text()) for name, box in page.summary.rates.items()}
    stats = page.statistics
    for name, rate in stats.rates.items():
        assert rates[name] == (rate.percent(), f"{rate.numerator}/{rate.denominator}")
    assert stats.rates["satisfaction"].parts == {"satisfied": 1, "evaluated": 2}  # A 满意, E 不满意
    assert stats.rates["conclude"].parts["on_time"] == 1  # A, answered before its deadline
    assert stats.rates["participation"].parts == {"evaluated": 2, "overdue": 1}  # H's window passed
    # Each rate's denominator is a number too (满意率's is its 已评价 part), opening as many matters.
    for name, rate in stats.rates.items():
        opens_denominator = [b for b in page.summary.rates[name].parts.values()
                             if b.drill.cell == rate.denominator_cell]
        assert len(opens_denominator) == 1, name
        button = opens_denominator[0]
        assert button.caption == ("已评价" if name == "satisfaction" else "合计"), name
        assert button.value_text == str(rate.denominator), name
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert_list_matches(qtbot, window, rate.denominator, "items", f"{name} 分母")
        open_statistics(qtbot, window)
    check_every_number(qtbot, window, page, tables=("content1",))


def test_the_chip_removes_the_statistics_filter(qtbot, window, services):
    page = open_statistics(qtbot, window)
    choose_period(qtbot, page, "月", 2025, 6)
    qtbot.waitUntil(lambda: settled(page, periods.month(2025, 6)), timeout=10000)
    tile = page.summary.tiles["collective_items"]
    tile.setFocus()
    qtbot.keyClick(tile, Qt.Key.Key_Return)  # Enter on a tile opens it too
    matters = window.matter_list_page
    assert_list_matches(qtbot, window, 2, "items", "集体访")
    assert matters.special_chip.text() == "统计：2025年6月 集体访 ×"
    qtbot.mouseClick(matters.special_chip, Qt.MouseButton.LeftButton)
    wait_list_loaded(qtbot, matters)
    assert not matters.special_chip.isVisible() and matters.model.query.cell is None
    assert matters.model.total == 11


def test_a_tables_batches_are_its_visits(qtbot, qtmodeltester, window):
    page = open_statistics(qtbot, window)
    choose_period(qtbot, page, "月", 2025, 6)
    qtbot.waitUntil(lambda: settled(page, periods.month(2025, 6)), timeout=10000)
    qtmodeltester.check(page.tables.model)
    view = page.tables.view
    view.setFocus()
    view.setCurrentIndex(page.tables.model.index(0, 3))  # 劳动和社会保障: 5 matters, 3 visits
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert_list_matches(qtbot, window, 3, "items", "批")
    matters = window.matter_list_page
    assert matters.form_combo.value() == "走访"
    qtbot.mouseClick(matters.special_chip, Qt.MouseButton.LeftButton)  # × takes the 批's form filter too
    wait_list_loaded(qtbot, matters)
    assert matters.form_combo.value() == "" and matters.model.query.form == ""
    assert matters.model.total == 11


def test_a_form_chosen_by_the_user_stays_after_the_chip(qtbot, window):
    page = open_statistics(qtbot, window)
    choose_period(qtbot, page, "月", 2025, 6)
    qtbot.waitUntil(lambda: settled(page, periods.month(2025, 6)), timeout=10000)
    view = page.tables.view
    view.setFocus()
    view.setCurrentIndex(page.tables.model.index(0, 3))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    matters = window.matter_list_page
    wait_list_loaded(qtbot, matters)
    choose(qtbot, matters.form_combo, "来信")  # the user's own filter, after the number's
    wait_list_loaded(qtbot, matters)
    qtbot.mouseClick(matters.special_chip, Qt.MouseButton.LeftButton)
    wait_list_loaded(qtbot, matters)
    assert matters.form_combo.value() == "来信" and matters.model.total == 2  # the letters C and K


@pytest.mark.parametrize(("today", "end_day", "expected"), [
    (date(2025, 11, 23), 20, (2025, 12)),  # after the cut-off: the business month is December
    (date(2025, 11, 20), 20, (2025, 11)),  # on the cut-off day: still November
    (date(2025, 12, 21), 20, (2026, 1)),  # into the next year
    (date(2025, 11, 23), 0, (2025, 11)),  # calendar months
])
def test_the_default_month_is_the_business_month_of_today(qtbot, services, today, end_day, expected):
    services.settings.set_many({BUSINESS_MONTH_KEY: str(end_day)})
    page = StatisticsPage(services, today=today)
    qtbot.addWidget(page)
    picker = page.picker
    assert picker.kind_combo.currentText() == "月"
    assert (picker.year_spin.value(), picker.month_spin.value()) == expected
    page.show()  # counts the default period: it contains today
    qtbot.waitUntil(lambda: settled(page), timeout=10000)
    assert page.statistics.period == periods.month(*expected, end_day)
    assert page.statistics.period.start <= today <= page.statistics.period.end


def test_business_months_and_custom_ranges(qtbot, window, services):
    services.settings.set_many({BUSINESS_MONTH_KEY: "20"})  # months from the 21st to the 20th
    page = open_statistics(qtbot, window)
    choose_period(qtbot, page, "月", 2025, 6)
    qtbot.waitUntil(lambda: settled(page, periods.month(2025, 6, 20)), timeout=10000)
    assert page.statistics.period.start == date(2025, 5, 21)
    assert page.summary.tiles["items"].value_text == "8"  # J (05-31) and A–G up to 06-20
    choose(qtbot, page.picker.kind_combo, "自定义")
    assert page.picker.from_edit.isVisible() and not page.picker.month_spin.isVisible()
    page.picker.from_edit.setDate(date(2025, 6, 28))
    page.picker.to_edit.setDate(date(2025, 6, 1))
    qtbot.waitUntil(lambda: page.status_label.text() == "结束日期不能早于开始日期", timeout=5000)
    page.picker.to_edit.setDate(date(2025, 6, 30))
    qtbot.waitUntil(lambda: settled(page, periods.custom(date(2025, 6, 28), date(2025, 6, 30))), timeout=10000)
    assert page.summary.tiles["items"].value_text == "3"  # H, I, K


def test_the_page_follows_changes_announced(qtbot, window, services):
    page = open_statistics(qtbot, window)
    choose_period(qtbot, page, "月", 2025, 6)
    qtbot.waitUntil(lambda: settled(page, periods.month(2025, 6)), timeout=10000)
    number = services.registration.register(make_input(headcount=2), actor=ACTOR, now=at(6, 18)).number
    window.events.sig_matters_changed.emit(number)  # what saving the form announces
    qtbot.waitUntil(lambda: page.summary.tiles["items"].value_text == "11", timeout=5000)
    assert page.summary.tiles["person_times"].value_text == "24"


def test_the_window_stays_responsive_while_counting(qtbot, services):
    from app.services.demo import generate

    generate(services.engine, services.stations, services.tree, 20000, cipher=services.guard.cipher)
    services.lifecycle.refresh_all()
    page = StatisticsPage(services)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    choose(qtbot, page.picker.kind_combo, "自定义")
    page.picker.from_edit.setDate(date(2000, 1, 1))
    page.picker.to_edit.setDate(date(2099, 12, 31))
    page.show()  # counts once shown
    qtbot.waitUntil(lambda: settled(page), timeout=30000)
    assert page.statistics.items == 20000

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    before = page.statistics
    started = time.perf_counter()
    timer.start()
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert page.runner.busy and page.busy_bar.isVisible() and page.status_label.text() == COUNTING_TEXT
    qtbot.waitUntil(lambda: page.statistics is not before, timeout=30000)  # counted and shown
    finished = time.perf_counter()
    timer.stop()
    during = [t for t in ticks if t <= finished]
    gaps = [b - a for a, b in zip([started, *during], during)]
    assert len(during) >= 5, f"the event loop ran {len(during)} times in {finished - started:.3f} s"
    assert max(gaps) < 0.2, f"the window froze for {max(gaps):.3f} s"
    assert page.statistics.items == 20000
