"""The today view's numbers: each equals the count of the list its tile opens, and the hand count."""
from __future__ import annotations

from contextlib import closing
from dataclasses import fields
from datetime import date, timedelta

import pytest
from desk_login import TEST_OPERATOR, TEST_PASSWORD

from app.models.sync import ACKED, NEEDS_ATTENTION, PENDING, SENDING
from app.services import quick_read
from app.services.matter_sql import SPECIALS, UNACKED_STATES, count_sql, page_sql
from app.services.today import (
    PERSON_TIMES,
    TILES,
    TodaySummary,
    due_state,
    due_text,
    query_for,
    special_query,
    today_summary,
)
from today_scenario import ACTOR, EXPECTED, EXPECTED_MEMBERS, TODAY, Scenario, at, build_scenario


@pytest.fixture
def scenario(services) -> Scenario:
    return build_scenario(services)


def listed(services, tile: str) -> list:
    """Every row the matter list shows for the tile's query (the list pages through `page`)."""
    return services.matters.page(query_for(tile, TODAY), 0, 10_000)


def test_each_number_is_the_count_of_the_list_it_opens(services, scenario):
    summary = today_summary(services.matters, TODAY)
    assert summary == EXPECTED
    for tile in TILES:
        rows = listed(services, tile)
        assert {r.number for r in rows} == {scenario[k] for k in EXPECTED_MEMBERS[tile]}, tile
        if tile == PERSON_TIMES:
            assert summary.person_times == sum(r.headcount for r in rows) == services.matters.headcount_sum(
                query_for(tile, TODAY)
            )
        else:
            assert summary.value(tile) == services.matters.count(query_for(tile, TODAY)) == len(rows), tile


def test_the_definitions_agree_with_the_lifecycle_and_the_outbox(services, scenario):
    summary = today_summary(services.matters, TODAY)
    due = services.lifecycle.due(TODAY, within_days=3)
    assert summary.overdue == sum(r.overdue for r in due)
    assert summary.due_soon == sum(not r.overdue for r in due)
    assert summary.unsynced == services.sync.outbox.counts().waiting_matters
    for key in EXPECTED_MEMBERS["awaiting_evaluation"]:
        states = services.lifecycle.view(scenario[key], TODAY).evaluations
        assert any(s.state == "待评价" for s in states)
    assert [s.state for s in services.lifecycle.view(scenario["N"], TODAY).evaluations] == ["超期未评价"]


def test_the_deadline_lists_run_soonest_first(services, scenario):
    rows = listed(services, "due_soon")
    assert [r.number for r in rows] == [scenario["H"], scenario["F"]]
    assert [r.next_due for r in rows] == [date(2025, 6, 16), date(2025, 6, 19)]
    assert {r.next_due_rule for r in rows} == {"notify"}
    assert [due_text(r.next_due, TODAY) for r in rows] == ["06-16（今日到期）", "06-19（剩3日）"]
    (overdue,) = listed(services, "overdue")
    assert due_text(overdue.next_due, TODAY) == "06-13（超期3日）"


def test_a_lifecycle_step_moves_the_numbers(services, scenario):
    services.lifecycle.perform(scenario["G"], "decide", {"decision": "受理告知"}, actor=ACTOR, now=at(TODAY, 9))
    services.lifecycle.perform(
        scenario["D"], "evaluate", {"target": "信访部门", "result": "基本满意"}, actor=ACTOR, now=at(TODAY, 15)
    )
    summary = today_summary(services.matters, TODAY)
    assert (summary.overdue, summary.awaiting_evaluation) == (0, 1)
    assert summary.overdue == services.matters.count(query_for("overdue", TODAY))
    # Tomorrow, H (due today) is overdue and I (due 06-20) falls within three days.
    tomorrow = today_summary(services.matters, TODAY + timedelta(days=1))
    assert (tomorrow.items, tomorrow.overdue, tomorrow.due_soon) == (0, 1, 2)


def test_an_empty_desk_counts_zero(services):
    assert today_summary(services.matters, TODAY) == TodaySummary(0, 0, 0, 0, 0, 0, 0)


def test_the_quick_read_path_answers_the_same(services, scenario):
    with closing(quick_read.connect_current(services.data_dir)) as conn:
        scope = quick_read.login(conn, TEST_OPERATOR, TEST_PASSWORD)
        for special in SPECIALS:
            q = special_query(special, TODAY)
            assert quick_read.page(conn, q, 0, 100, scope) == services.matters.page(q, 0, 100), special
            assert quick_read.count(conn, q, scope) == services.matters.count(q), special
            assert quick_read.headcount_sum(conn, q, scope) == services.matters.headcount_sum(q), special


@pytest.mark.parametrize("special", SPECIALS)
def test_every_list_is_answered_from_an_index(services, special):
    """No full scan of `matter` for the counts or for the first page (100,000 matters stay quick)."""
    q = special_query(special, TODAY)
    scope = services.matters.scope()
    for sql, params in (count_sql(q, scope), page_sql(q, 0, 200, scope)):
        with services.engine.connect() as conn:
            plan = [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]
        assert not [step for step in plan if step.startswith("SCAN")], plan


def test_the_unacknowledged_states_are_every_outbox_state_but_acked():
    """matter_sql spells the states out (it may not import the models); keep them in step."""
    assert ACKED not in UNACKED_STATES
    assert {*UNACKED_STATES, ACKED} == {PENDING, SENDING, ACKED, NEEDS_ATTENTION}


def test_an_unknown_list_is_refused(services):
    with pytest.raises(ValueError):
        services.matters.count(special_query("tomorrow"))


def test_due_state_boundaries():
    assert [due_state(TODAY + timedelta(days=d), TODAY) for d in (-1, 0, 3, 4)] == ["overdue", "due_soon", "due_soon", ""]
    assert due_state(None, TODAY) == "" and due_text(None, TODAY) == ""


def test_the_summary_has_one_number_per_tile():
    assert [f.name for f in fields(TodaySummary)] == list(TILES)
