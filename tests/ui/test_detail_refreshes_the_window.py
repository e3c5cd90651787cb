"""A step recorded in a detail opened from the history panel or a leader's list reaches the whole window."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from test_lifecycle_dialogs import OPERATOR, step
from factories import make_input

from app.services import vocab
from app.ui.app import create_main_window
from app.ui.operator_field import OPERATOR_KEY

FORWARDED = vocab.STATUS_BY_DECISION[vocab.DECISION_FORWARD]
ACCEPTED = vocab.STATUS_BY_DECISION[vocab.DECISION_ACCEPT]


def overdue_forwarded(services, **overrides) -> str:
    """Forwarded 20 days ago: its unit's 15-day clock has run out."""
    now = datetime.combine(date.today() - timedelta(days=20), datetime.min.time())
    return services.registration.register(
        make_input(decision="转送", decision_unit="县人社局", **overrides), actor=OPERATOR, now=now).number


def window_with_counts(qtbot, services):
    services.settings.set_many({OPERATOR_KEY: OPERATOR})
    w = create_main_window(services)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.today_page.summary is not None and not w.today_page.runner.busy, timeout=20000)
    return w


def test_a_step_in_a_detail_from_the_history_panel_updates_today_and_history(qtbot, services):
    number = overdue_forwarded(services)
    w = window_with_counts(qtbot, services)
    assert w.today_page.summary.overdue == 1
    page = w.registration_page
    detail = page.open_detail(number)
    step(qtbot, detail, "责任单位受理", ACCEPTED, lambda d: None)
    qtbot.waitUntil(lambda: w.today_page.summary.overdue == 0 and not w.today_page.runner.busy, timeout=10000)
    detail.close()


def test_a_step_in_a_detail_from_a_leaders_list_updates_the_list_and_today(qtbot, services):
    services.leaders.add("张县长", "副县长", range(7))
    number = overdue_forwarded(services)
    services.lifecycle.perform(number, "own", {"leader": "张县长"}, actor=OPERATOR)
    w = window_with_counts(qtbot, services)
    dialog = w.open_leaders()
    qtbot.waitUntil(lambda: dialog.matter_table.rowCount() == 1)
    status_column = next(c for c in range(dialog.matter_table.columnCount())
                         if dialog.matter_table.horizontalHeaderItem(c).text() == "状态")
    assert dialog.matter_table.item(0, status_column).text() == FORWARDED
    detail = dialog.open_matter(0)
    step(qtbot, detail, "责任单位受理", ACCEPTED, lambda d: None)
    qtbot.waitUntil(lambda: dialog.matter_table.item(0, status_column).text() == ACCEPTED)
    qtbot.waitUntil(lambda: w.today_page.summary.overdue == 0 and not w.today_page.runner.busy, timeout=10000)
    detail.close()
    dialog.close()
