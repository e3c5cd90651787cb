"""MatterTableModel: a valid Qt model that loads pages lazily and sorts in the database."""
from __future__ import annotations

import pytest
from ui_support import register_matter
from PySide6.QtCore import QModelIndex, Qt

from app.services.dto import MatterQuery
from app.ui.matter_table_model import (
    COL_HEADCOUNT,
    COL_NUMBER,
    COL_REPEAT,
    COL_TITLE,
    COLUMNS,
    PAGE_SIZE,
    MatterTableModel,
    NumberRole,
)

MANY = 450


@pytest.fixture
def many(services):
    """450 matters with headcounts 1..9 and distinct titles."""
    numbers = []
    for i in range(MANY):
        headcount = i % 9 + 1
        result = register_matter(services, name=f"张{'甲乙丙丁戊'[i % 5]}", title=f"事项{i:04d}", headcount=headcount)
        numbers.append(result.number)
    return numbers


def test_model_tester_and_lazy_loading(qtmodeltester, services, many):
    model = MatterTableModel(services.matters)
    assert model.total == MANY
    assert model.rowCount() == PAGE_SIZE
    assert model.columnCount() == len(COLUMNS)
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE_SIZE
    qtmodeltester.check(model)  # also fetches the rest
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == MANY
    assert not model.canFetchMore(QModelIndex())
    # newest registration first by default
    assert model.data(model.index(0, COL_NUMBER)) == many[-1]
    assert model.data(model.index(0, COL_TITLE), NumberRole) == many[-1]
    assert model.headerData(COL_TITLE, Qt.Orientation.Horizontal) == "标题"


def test_sorting_is_done_by_the_database(services, many):
    model = MatterTableModel(services.matters)
    model.sort(COL_HEADCOUNT, Qt.SortOrder.AscendingOrder)
    assert model.query.sort_key == "headcount" and not model.query.descending
    assert model.rowCount() == PAGE_SIZE  # a new sort starts from the first page
    counts = [int(model.data(model.index(r, COL_HEADCOUNT)).split("（")[0]) for r in range(model.rowCount())]
    assert counts == sorted(counts) and counts[0] == 1
    model.sort(COL_HEADCOUNT, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, COL_HEADCOUNT)) == "9（集体）"
    assert model.data(model.index(0, COL_HEADCOUNT), Qt.ItemDataRole.ToolTipRole) == "集体访"
    model.sort(COL_TITLE, Qt.SortOrder.AscendingOrder)
    assert [model.data(model.index(r, COL_TITLE)) for r in range(3)] == ["事项0000", "事项0001", "事项0002"]
    model.sort(COL_REPEAT, Qt.SortOrder.AscendingOrder)  # not sortable: order unchanged
    assert model.query.sort_key == "title"


def test_set_query_filters_and_resets(services):
    for i in range(12):
        register_matter(services, title=f"事项{i:04d}")
    model = MatterTableModel(services.matters)
    assert model.total == 12
    totals = []
    model.sig_total_changed.connect(totals.append)
    model.set_query(MatterQuery(text="事项000"))
    assert totals == [10] and model.rowCount() == 10 and not model.canFetchMore(QModelIndex())
    model.set_query(MatterQuery(text="没有这件事"))
    assert model.rowCount() == 0 and model.total == 0
