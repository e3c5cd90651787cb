"""Hostile text in the one search box: the window's MatterQueries, the command line's bare-sqlite3
path (quick_read) and `python -m app search|list`. No exception, no write, and SQL-looking text is
text: the title/request scan is a LIKE with `%`, `_` and `\\` escaped (matter_sql._like_escape),
so such characters match only themselves."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.services import quick_read
from app.services.dto import MatterQuery
from app.services.matter_sql import _DIGITS, _NUMBER_LIKE
from app.services.registration import PetitionerInput
from desk_login import TEST_OPERATOR, TEST_PASSWORD
from factories import make_input
from hostile_support import Baseline
from hostile_text import GIANTS, contains_surrogate, hostile_text, surrogate_text

WITH_FIXTURES = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Titles with the characters a LIKE pattern or an SQL string would treat specially.
TITLES = [
    "完成率100%的问题", "a_b下划线问题", "反斜杠\\路径问题", "百分号%与下划线_与反斜杠\\", "'; DROP TABLE matter;--",
    "\" OR 1=1 --", "张\u202e三😀反映", "𠮷字问题", "普通标题", "*?通配符",
]
# Queries built only of characters that no name, number or phone starts with: the LIKE scan alone answers.
literal_queries = st.text(alphabet="%_\\';*?\"=/成线径率反斜", min_size=1, max_size=5)
# Pieces of the stored titles, so that hostile queries also find something.
fragments = st.sampled_from(TITLES).flatmap(
    lambda t: st.tuples(st.integers(0, len(t) - 1), st.integers(1, 6)).map(lambda ab: t[ab[0]:ab[0] + ab[1]]))
search_text = st.one_of(surrogate_text, fragments, st.tuples(fragments, surrogate_text).map("".join))


@pytest.fixture
def seeded(services):
    baseline = Baseline(services)
    for i, title in enumerate(TITLES):
        services.registration.register(make_input(
            petitioner=PetitionerInput(name="李四", id_type="无证件"), title=title, request=f"诉求{i}：{title[::-1]}"))
    baseline.texts = {r.number: (r.title, services.matters.detail(r.number).request) for r in _all_rows(services)}
    baseline.numbers_all = list(baseline.texts)
    return services, baseline


def _all_rows(services):
    return services.matters.page(MatterQuery(), 0, 1000)


def _literal_hits(baseline, q: str) -> set[str]:
    """Matters whose title or request holds `q` as it is (the scan's answer for a LIKE-branch query)."""
    return {number for number, (title, request) in baseline.texts.items() if q in title or q in request}


def _found(services, q: str) -> set[str]:
    return {r.number for r in services.matters.page(MatterQuery(text=q), 0, 1000)}


@settings(max_examples=120, **WITH_FIXTURES)
@given(q=search_text, status=st.one_of(st.just(""), st.just(""), hostile_text), form=st.one_of(st.just(""), st.just(""), hostile_text))
def test_matter_queries_take_any_text(seeded, q, status, form):
    services, baseline = seeded
    before = baseline.counts()
    query = MatterQuery(text=q, status=status, form=form)
    rows = services.matters.page(query, 0, 1000)
    assert services.matters.count(query) == len(rows)
    assert services.matters.headcount_sum(query) == sum(r.headcount for r in rows)
    assert {r.number for r in rows} <= set(baseline.numbers_all)
    stripped = q.strip()
    if stripped and not contains_surrogate(stripped) and not _DIGITS.match(stripped) and not _NUMBER_LIKE.match(stripped):
        # Whatever holds the text literally is found (more may be: names, initials, ASCII case).
        if not status and not form:
            assert _literal_hits(baseline, stripped) <= {r.number for r in rows}
    event("found something" if rows else "found nothing")
    assert baseline.counts() == before
    baseline.verify()


@settings(max_examples=40, **WITH_FIXTURES)
@given(q=literal_queries)
def test_percent_underscore_and_backslash_match_only_themselves(seeded, q):
    services, baseline = seeded
    event("hits" if _literal_hits(baseline, q) else "no hits")
    assert _found(services, q) == _literal_hits(baseline, q)


def test_sql_looking_queries_find_exactly_their_matters(seeded):
    services, baseline = seeded
    by_title = {r.title: r.number for r in _all_rows(services)}
    cases = {
        "%": ["完成率100%的问题", "百分号%与下划线_与反斜杠\\"],
        "_": ["a_b下划线问题", "百分号%与下划线_与反斜杠\\"],
        "\\": ["反斜杠\\路径问题", "百分号%与下划线_与反斜杠\\"],
        "'; DROP TABLE matter;--": ["'; DROP TABLE matter;--"],
        "\" OR 1=1 --": ["\" OR 1=1 --"],
        "\u202e三😀": ["张\u202e三😀反映"],
        "*?": ["*?通配符"],
    }
    for q, titles in cases.items():
        assert {by_title[t] for t in titles} <= _found(services, q) == _literal_hits(baseline, q), q
    assert _found(services, "𠮷") == {by_title["𠮷字问题"], baseline.numbers[0]}  # title, and the name 𠮷收
    assert _found(services, "完成\x00率") == set()  # a NUL does not end the text searched for
    assert _found(services, "完成\ud800") == set()
    assert services.matters.count(MatterQuery(text="'; DROP TABLE matter;--")) == 2  # a title, a request
    assert len(_all_rows(services)) == len(baseline.numbers_all)
    baseline.verify()


@pytest.mark.parametrize("giant", range(len(GIANTS)))
def test_giant_queries(seeded, giant):
    services, baseline = seeded
    before = baseline.counts()
    q = GIANTS[giant]
    rows = services.matters.page(MatterQuery(text=q), 0, 1000)
    assert services.matters.count(MatterQuery(text=q)) == len(rows)
    if q.strip() and not _DIGITS.match(q.strip()):
        assert rows == []  # nothing stored is that long
    with closing(quick_read.connect_current(services.data_dir)) as conn:
        scope = quick_read.login(conn, TEST_OPERATOR, TEST_PASSWORD)
        assert quick_read.page(conn, MatterQuery(text=q), 0, 1000, scope) == rows
    assert baseline.counts() == before
    baseline.verify()


@settings(max_examples=60, **WITH_FIXTURES)
@given(q=search_text)
def test_the_command_lines_quick_path_answers_as_the_window_does(seeded, q):
    services, baseline = seeded
    with closing(quick_read.connect_current(services.data_dir)) as conn:
        scope = quick_read.login(conn, TEST_OPERATOR, TEST_PASSWORD)
        query = MatterQuery(text=q)
        assert quick_read.page(conn, query, 0, 1000, scope) == services.matters.page(query, 0, 1000)
        assert quick_read.count(conn, query, scope) == services.matters.count(query)
    baseline.verify()


@settings(max_examples=30, **WITH_FIXTURES)
@given(q=search_text, command=st.sampled_from(["search", "list"]))
def test_cli_search_and_list_in_process(seeded, capsys, q, command):
    services, baseline = seeded
    before = baseline.counts()
    data_dir = str(services.data_dir)
    if command == "search":
        argv = ["search", "--json", "--limit", "0", "--data-dir", data_dir, "--", q]
    else:
        argv = ["list", "--json", "--limit", "0", f"--search={q}", "--data-dir", data_dir]
    capsys.readouterr()
    code = main(argv)
    out = capsys.readouterr()
    if contains_surrogate(q):  # what undecodable bytes on the command line become
        assert code == 2 and out.out == "" and "命令行参数中有无法识别的字符" in out.err
    else:
        assert code == 0, out.err
        numbers = [r["number"] for r in json.loads(out.out)]
        assert numbers == [r.number for r in services.matters.page(MatterQuery(text=q), 0, 10**9)]
    assert baseline.counts() == before
    baseline.verify()


def test_cli_search_in_real_processes(seeded):
    """Undecodable bytes, SQL and a giant query as real arguments (run in parallel)."""
    services, baseline = seeded
    before = baseline.counts()
    queries = {
        "invalid utf-8": b"\xff\xfe%",
        "sql": "'; DROP TABLE matter;--".encode(),
        "percent": b"%",
        "giant": ("长" * 30_000).encode(),  # under Linux's 128 KiB limit for one argument
        "rtl emoji": "\u202e三😀".encode(),
    }
    root = Path(__file__).resolve().parents[2]
    procs = {
        name: subprocess.Popen(
            [sys.executable.encode(), b"-m", b"app", b"search", b"--json", b"--data-dir",
             str(services.data_dir).encode(), b"--", q],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ), cwd=root,
        )
        for name, q in queries.items()
    }
    results = {name: (*p.communicate(timeout=60), p.returncode) for name, p in procs.items()}
    by_title = {r.title: r.number for r in _all_rows(services)}
    for name, (out, err, code) in results.items():
        err_text = err.decode("utf-8", "backslashreplace")
        assert "Traceback" not in err_text, (name, err_text)
        if name == "invalid utf-8":
            assert code == 2 and "命令行参数中有无法识别的字符" in err_text
            continue
        assert code == 0, (name, err_text)
        found = {r["number"] for r in json.loads(out)}
        text = queries[name].decode()
        assert found == (set() if name == "giant" else _literal_hits(baseline, text)), name
        assert {by_title.get(t) for t in TITLES if text in t} <= found
    assert baseline.counts() == before
    baseline.verify()


@settings(max_examples=60, **WITH_FIXTURES)
@given(value=hostile_text)
def test_earlier_matters_of_a_visitor_take_any_text(seeded, value):
    """The registration form asks for a visitor's history while the receptionist types (ID, phone, name)."""
    services, baseline = seeded
    before = baseline.counts()
    for rows in (services.matters.history(id_number=value), services.matters.history(phone=value),
                 services.matters.history(name=value), services.matters.history(id_number=value, phone=value,
                                                                                  name=value)):
        assert {h.number for h in rows} <= set(baseline.numbers_all)
    assert baseline.counts() == before
    baseline.verify()


@settings(max_examples=25, **WITH_FIXTURES)
@given(day=hostile_text, option=st.sampled_from(["--from", "--to"]))
def test_cli_list_dates_take_any_text(seeded, capsys, day, option):
    services, baseline = seeded
    capsys.readouterr()
    code = main(["list", "--json", f"{option}={day}", "--data-dir", str(services.data_dir)])
    out = capsys.readouterr()
    if code == 2:
        assert out.out == "" and out.err.startswith(f"{option}：") and "日期" in out.err
    else:
        assert code == 0, out.err
        json.loads(out.out)
    baseline.verify()
