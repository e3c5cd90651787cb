"""`list --due soon|overdue`: the today view's deadline lists on the command line."""
from __future__ import annotations

import json
from datetime import date

import pytest
from today_scenario import build_scenario

from app.cli import main
from app.services.dto import MatterQuery


def test_list_due_overdue_and_soon(services, capsys):
    build_scenario(services)  # deadlines of 2025: all passed by the time this runs
    args = ["--data-dir", str(services.data_dir), "--limit", "0"]
    assert main(["list", "--due", "overdue", "--json", *args]) == 0
    rows = json.loads(capsys.readouterr().out)
    expected = services.matters.count(MatterQuery(special="overdue"))
    assert len(rows) == expected == 9
    dues = [date.fromisoformat(r["next_due"]) for r in rows]
    assert dues == sorted(dues) and dues[-1] < date.today()

    assert main(["list", "--due", "overdue", *args]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"共 {expected} 件"
    assert lines[0].split("\t")[5] == rows[0]["next_due"]  # the due date, after the status

    assert main(["list", "--due", "soon", *args]) == 0
    assert capsys.readouterr().out.splitlines() == ["共 0 件"]


def test_list_due_refuses_other_words(services, capsys):
    with pytest.raises(SystemExit) as exc:  # argparse: exit 2, naming the choices
        main(["list", "--due", "tomorrow", "--data-dir", str(services.data_dir)])
    assert exc.value.code == 2
    assert "soon" in capsys.readouterr().err
