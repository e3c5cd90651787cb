"""今日 page: each tile opens the matter list on its filter, showing exactly as many matters as it says."""
from __future__ import annotations

import pytest
from today_scenario import ACTOR, EXPECTED, TODAY, at, build_scenario, register
from ui_support import press_key, type_text, wait_list_loaded
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services.dto import MatterQuery
from app.services.today import PERSON_TIMES, TILES
from app.ui.app import create_main_window
from app.ui.matter_table_model import COL_DUE, COL_NUMBER, DUE_SOON_BACKGROUND, OVERDUE_BACKGROUND
from app.ui.today_page import UPDATING_TEXT, TodayPage

BACKGROUND = Qt.ItemDataRole.BackgroundRole


def settled(page: TodayPage) -> bool:
    return page.summary is not None and not page.runner.busy


@pytest.fixture
def scenario(services):
    return build_scenario(services)


@pytest.fixture
def window(qtbot, services, scenario):
    w = create_main_window(services)
    qtbot.addWidget(w)
    w.today_page.fixed_today = TODAY  # the scenario's day, not the machine's
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.today_page.refresh()
    qtbot.waitUntil(lambda: settled(w.today_page), timeout=10000)
    return w


def rows_of(page) -> dict[str, object]:
    """number → background colour name (or None) of every row the list shows."""
    model = page.model
    while model.canFetchMore():
        model.fetchMore()
    out = {}
    for r in range(model.rowCount()):
        colour = model.data(model.index(r, COL_NUMBER), BACKGROUND)
        out[model.number_at(r)] = colour.name() if colour is not None else None
    return out


def test_the_home_page_shows_todays_numbers(window):
    page = window.today_page
    assert window.tabs.currentWidget() is page
    assert page.summary == EXPECTED
    assert {key: page.value(key) for key in TILES} == {key: str(EXPECTED.value(key)) for key in TILES}
    assert page.title_label.text() == "今日概况（2025年06月16日）"
    assert page.tiles["overdue"].caption == "已超期"


@pytest.mark.parametrize("tile", list(TILES))
def test_each_tile_opens_a_list_of_as_many_matters(qtbot, window, services, tile):
    page, matters = window.today_page, window.matter_list_page
    window.show_tab(2)
    type_text(matters.search_box, "zs")  # a filter left over from earlier work is cleared by the tile
    window.show_tab(0)
    qtbot.mouseClick(page.tiles[tile], Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is matters
    wait_list_loaded(qtbot, matters)
    rows = rows_of(matters)
    shown = int(page.value(tile))
    if tile == PERSON_TIMES:  # 人次: the list is today's visits, whose headcounts add up to the number
        assert sum(matters.model.row_at(r).headcount for r in range(matters.model.rowCount())) == shown
    else:
        assert len(rows) == matters.model.total == shown
        assert matters.count_label.text() == f"共 {shown} 件"
    assert matters.search_box.text() == ""
    assert matters.special_chip.isVisible()
    assert matters.special_chip.text() == f"筛选：{TILES[tile][1]} ×"
    if tile == "overdue":
        assert set(rows.values()) == {OVERDUE_BACKGROUND.name()} == {"#fde2e1"}
    if tile == "due_soon":
        assert set(rows.values()) == {DUE_SOON_BACKGROUND.name()} == {"#fff4d6"}


def test_enter_on_a_tile_opens_its_list_and_the_chip_removes_the_filter(qtbot, window, services, scenario):
    page, matters = window.today_page, window.matter_list_page
    tile = page.tiles["overdue"]
    assert QApplication.focusWidget() is page.tiles["items"]  # the home page takes the keyboard
    for _ in range(4):  # 批, 人次, 3日内到期, 已超期
        press_key(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is tile
    press_key(Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is matters
    wait_list_loaded(qtbot, matters)
    assert matters.model.total == 1
    assert matters.model.data(matters.model.index(0, COL_DUE)) == "06-13（超期3日）"
    assert matters.model.data(matters.model.index(0, COL_DUE), Qt.ItemDataRole.ToolTipRole) == "受理告知期限：2025-06-13"
    qtbot.waitUntil(matters.table.hasFocus)  # Enter again opens the matter

    qtbot.mouseClick(matters.special_chip, Qt.MouseButton.LeftButton)
    wait_list_loaded(qtbot, matters)
    assert not matters.special_chip.isVisible()
    assert matters.model.query.special == ""
    assert matters.model.query.sort_key == "registered_at"  # the deadline order left with the filter
    total = services.matters.count(MatterQuery())
    assert matters.model.total == total == 14
    assert matters.search_box.hasFocus()
    # The whole list colours each row by its own deadline (judged against the real date now: the
    # scenario's deadlines of 2025 are all past, so every row with a deadline is red).
    colours = rows_of(matters)
    with_deadline = {r.number for r in services.matters.page(MatterQuery(), 0, 100) if r.next_due}
    assert {n for n, c in colours.items() if c == OVERDUE_BACKGROUND.name()} == with_deadline
    assert {n for n, c in colours.items() if c is None} == set(colours) - with_deadline


def test_the_list_colours_rows_against_the_tiles_day(qtbot, window, scenario):
    matters = window.matter_list_page
    window.open_special_list("registered_today", "今日登记", TODAY)
    wait_list_loaded(qtbot, matters)
    assert set(rows_of(matters).values()) == {None}  # today's matters are far from their deadlines
    matters.show_special("due_soon", "3日内到期", TODAY)
    wait_list_loaded(qtbot, matters)
    assert rows_of(matters) == {scenario["H"]: "#fff4d6", scenario["F"]: "#fff4d6"}
    assert [matters.model.data(matters.model.index(r, COL_DUE)) for r in range(2)] == [
        "06-16（今日到期）",
        "06-19（剩3日）",
    ]


def test_numbers_follow_registrations_and_lifecycle_steps(qtbot, window, services, scenario):
    page = window.today_page
    number = register(services, at(TODAY, 14), headcount=4)
    window.events.sig_matters_changed.emit(number)  # what saving the form announces
    qtbot.waitUntil(lambda: page.value("items") == "5" and page.value(PERSON_TIMES) == "13", timeout=5000)
    assert page.value("batches") == "4"
    services.lifecycle.perform(scenario["G"], "decide", {"decision": "受理告知"}, actor=ACTOR, now=at(TODAY, 15))
    window.matter_list_page.sig_matter_changed.emit(scenario["G"])  # a step recorded in a detail dialog
    qtbot.waitUntil(lambda: page.value("overdue") == "0", timeout=5000)


def test_the_page_counts_again_every_minute_and_when_shown(qtbot, services, scenario):
    page = TodayPage(services, today=TODAY, ensure_fresh=False, refresh_ms=50)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: settled(page), timeout=5000)
    register(services, at(TODAY, 16))  # announced to nobody
    assert page.value("items") == "4"  # not visible: the timer does not count
    page.show()
    qtbot.waitUntil(lambda: page.value("items") == "5", timeout=5000)
    register(services, at(TODAY, 17))
    qtbot.waitUntil(lambda: page.value("items") == "6", timeout=5000)
    assert page.status_label.text().startswith("更新于 ")


def test_deadlines_are_brought_up_to_date_before_the_first_count(qtbot, services, scenario):
    with services.engine.begin() as conn:  # as after the upgrade to the lifecycle caches
        conn.exec_driver_sql("UPDATE matter SET next_due = NULL, next_due_rule = '', evaluation_due = NULL")
    services.settings.set_many({"lifecycle.clock_fingerprint": ""})
    page = TodayPage(services, today=TODAY)
    qtbot.addWidget(page)
    assert page.status_label.text() == UPDATING_TEXT
    assert page.value("overdue") == "—"
    qtbot.waitUntil(lambda: settled(page), timeout=10000)
    assert page.summary == EXPECTED
    assert services.lifecycle.ensure_fresh() == 0  # done once, remembered
