"""Scroll the 信访件 table through 100,000 matters and time it (offscreen Qt).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_list_scroll.py [rows]

The rows are cloned from one registered matter with plain SQL, which is fine for a benchmark
(the app itself only writes through the services).
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench.common import open_desk  # noqa: E402
from app.services.dto import MatterQuery  # noqa: E402
from app.services.registration import PetitionerInput, RegistrationInput  # noqa: E402
from app.ui.matter_list_page import MatterListPage  # noqa: E402

COLUMNS = (
    "number, station_code, form, petition_date, registered_at, headcount, is_collective, matter_class, "
    "content_class_id, content_class_label, content_class_top, title, request, facts, location_code, location, "
    "skip_level, litigation_related, major_urgent, decision, decision_unit_id, decision_unit_name, "
    "decision_reason, decision_channel, decision_note, status, repeat_of_id, petitioner_names, registered_by, query_code"
)


def main(rows: int) -> None:
    app = QApplication([])
    services = open_desk(Path(tempfile.mkdtemp()))
    services.stations.initialise("360426", "德安县信访局", "县")
    services.registration.register(
        RegistrationInput(
            petitioners=[PetitionerInput(name="张三", id_type="无证件")],
            matter_class="申诉求决",
            content_class="拖欠农民工工资",
            title="拖欠工资",
            request="要求支付",
        )
    )
    rest = COLUMNS.split(", ", 1)[1]
    rest = rest.replace("registered_at", "datetime(registered_at, '-' || i || ' minutes')")
    rest = rest.replace("title", "'标题' || i")
    rest = rest.replace("query_code", "'Q' || printf('%07d', i)")
    with services.engine.begin() as conn:
        conn.execute(
            text(
                f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) "
                f"INSERT INTO matter ({COLUMNS}) SELECT 'X-' || printf('%07d', i), {rest} "
                "FROM n, (SELECT * FROM matter LIMIT 1)"
            )
        )
    page = MatterListPage(services)
    page.resize(1300, 800)
    page.show()
    settle(app, page)
    bar = page.table.verticalScrollBar()
    start, steps = time.perf_counter(), 0
    while page.model.canFetchMore():
        bar.setValue(bar.maximum())
        app.processEvents()
        steps += 1
    elapsed = time.perf_counter() - start
    print(f"{page.model.rowCount()} rows in {steps} pages: {elapsed:.1f} s, {1000 * elapsed / steps:.0f} ms per page")
    for label, action in (
        ("sort by 信访人", lambda: page.model.sort(3, Qt.SortOrder.AscendingOrder)),
        ("search 标题9999", lambda: (page.search_box.setText("标题9999"), page.apply_filters())),
    ):
        start = time.perf_counter()
        action()
        blocked = time.perf_counter() - start
        settle(app, page)
        answered = time.perf_counter() - start
        print(f"{label}: UI thread blocked {1000 * blocked:.0f} ms, answer shown after {1000 * answered:.0f} ms")
    start = time.perf_counter()
    services.matters.count(MatterQuery())
    print(f"count: {1000 * (time.perf_counter() - start):.0f} ms")


def settle(app: QApplication, page: MatterListPage) -> None:
    """Let the list's worker finish and its answer reach the model."""
    while page.runner.busy:
        page.runner.wait_idle()
        app.processEvents()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
