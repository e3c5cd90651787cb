"""Hostile `register --json` documents: any JSON value, hostile keys and strings (lone surrogates
too: `"\\ud800"` is valid JSON), broken bytes. The answer is a matter number (exit 0) or
`field：message` lines in Chinese (exit 2) with nothing written; never a traceback.

The bulk runs in-process (`parse_registration` + the service, then `app.cli.main`); a handful of
byte-level samples also run in real processes, in parallel."""
from __future__ import annotations

import copy
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.services.errors import ValidationFailed
from app.services.registration_json import DETAIL_KEYS, PETITIONER_KEYS, TOP_KEYS, parse_registration
from factories import VALID_ID
from hostile_support import Baseline, check_refusal
from hostile_text import contains_surrogate, json_values, surrogate_text

CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"[0-9A-Za-z]+-[0-9]{8}-[0-9]{4}")
WITH_FIXTURES = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

GOOD = {
    "form": "走访",
    "petitioners": [{"name": "张三", "id_number": VALID_ID, "phone": "13812345678", "address": "德安县蒲亭镇"}],
    "matter_class": "申诉求决",
    "content_class": ["劳动和社会保障", "劳动关系", "拖欠农民工工资"],
    "title": "讨要拖欠工资",
    "request": "请求支付拖欠的工资",
    "decision": "转送",
    "decision_detail": {"unit": "县人社局", "note": "请15日内回复"},
}
ALL_KEYS = sorted(TOP_KEYS) + [f"petitioners[0].{k}" for k in sorted(PETITIONER_KEYS)] + [
    f"decision_detail.{k}" for k in sorted(DETAIL_KEYS)]


@st.composite
def documents(draw):
    """A good document with some of its values (or keys) replaced by anything; or anything at all."""
    kind = draw(st.sampled_from(["replace", "replace", "replace", "add_key", "anything"]))
    if kind == "anything":
        return draw(json_values(surrogate_text))
    doc = copy.deepcopy(GOOD)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if kind == "add_key":  # (kind stays the same in this loop: nothing was replaced)
            target = draw(st.sampled_from([doc, doc["petitioners"][0], doc["decision_detail"]]))
            target[draw(surrogate_text)] = draw(json_values(surrogate_text, max_leaves=4))
            continue
        key = draw(st.sampled_from(ALL_KEYS))
        value = draw(st.one_of(surrogate_text, json_values(surrogate_text, max_leaves=6), st.just(None)))
        people, detail = doc.get("petitioners"), doc.get("decision_detail")
        if key.startswith("petitioners[0]."):
            if isinstance(people, list) and people and isinstance(people[0], dict):  # not replaced before
                people[0][key.split(".", 1)[1]] = value
        elif key.startswith("decision_detail."):
            if isinstance(detail, dict):
                detail[key.split(".", 1)[1]] = value
        else:
            doc[key] = value
    return doc


def unknown_keys(doc) -> set[str]:
    """The keys a refusal may be reported under besides the documented ones (docs: "an unknown
    key is reported under its own name")."""
    if not isinstance(doc, dict):
        return set()
    out = {k for k in doc if k not in TOP_KEYS}
    people = doc.get("petitioners")
    for i, p in enumerate(people if isinstance(people, list) else []):
        if isinstance(p, dict):
            out |= {f"petitioners[{i}].{k}" for k in p if k not in PETITIONER_KEYS}
    detail = doc.get("decision_detail")
    if isinstance(detail, dict):
        out |= {f"decision_detail.{k}" for k in detail if k not in DETAIL_KEYS}
    return {k for k in out if not contains_surrogate(k)}


@pytest.fixture
def baseline(services):
    return Baseline(services)


@settings(max_examples=200, **WITH_FIXTURES)
@given(doc=documents())
def test_parse_and_register_any_document(services, baseline, doc):
    before = baseline.counts()
    try:
        inp = parse_registration(doc)
        result = services.registration.register(inp)
    except ValidationFailed as exc:
        check_refusal(exc, unknown_keys(doc))
        for e in exc.errors:  # what is printed must be printable (no lone surrogates)
            assert not contains_surrogate(e.field) and not contains_surrogate(e.message), e
        assert baseline.counts() == before
        event("refused")
    else:
        event("accepted")
        assert NUMBER.fullmatch(result.number)
        assert baseline.counts()["matter"] == before["matter"] + 1
        detail = services.matters.detail(result.number)
        assert detail.row.title == doc["title"].strip() if isinstance(doc.get("title"), str) else True
    baseline.verify()


def _run_main(argv, stdin_bytes=None):
    """app.cli.main in-process; stdin given as bytes (the CLI reads sys.stdin.buffer)."""
    if stdin_bytes is None:
        return main(argv)
    fake = io.TextIOWrapper(io.BytesIO(stdin_bytes), encoding="utf-8")
    with mock.patch.object(sys, "stdin", fake):
        return main(argv)


def _check_cli_outcome(code, out, err, baseline, before):
    assert code in (0, 2), (code, out, err)
    if code == 0:
        assert NUMBER.fullmatch(out.strip()), out
        for line in err.splitlines():
            assert line.startswith("提示 ") and "：" in line and CJK.search(line), line
        assert baseline.counts()["matter"] == before["matter"] + 1
    else:
        assert out == ""
        lines = err.splitlines()
        assert lines
        for line in lines:
            field, sep, message = line.partition("：")
            assert sep and field and CJK.search(message), line
        assert baseline.counts() == before
    baseline.verify()


@settings(max_examples=30, **WITH_FIXTURES)
@given(doc=documents(), ascii_only=st.booleans(), from_stdin=st.booleans())
def test_cli_register_in_process(services, baseline, capsys, tmp_path, doc, ascii_only, from_stdin):
    text = json.dumps(doc, ensure_ascii=ascii_only)  # NaN and Infinity written as Python's json does
    raw = text.encode("utf-8", "surrogatepass") if not ascii_only else text.encode()
    before = baseline.counts()
    data_dir = str(services.data_dir)
    capsys.readouterr()
    if from_stdin:
        code = _run_main(["register", "--json", "-", "--data-dir", data_dir], raw)
    else:
        path = tmp_path / "doc.json"
        path.write_bytes(raw)
        code = _run_main(["register", "--json", str(path), "--data-dir", data_dir])
    out = capsys.readouterr()
    _check_cli_outcome(code, out.out, out.err, baseline, before)


GOOD_BYTES = json.dumps(GOOD, ensure_ascii=False).encode("utf-8")

# Bytes no JSON encoder would write: each must give exit 2 with a message (or, for the BOM, exit 0).
RAW_SAMPLES = {
    "empty": b"",
    "bom only": b"\xef\xbb\xbf",
    "bom + good": b"\xef\xbb\xbf" + GOOD_BYTES,
    "invalid utf-8": GOOD_BYTES.replace("讨要".encode(), b"\xff\xfe\xc3("),
    "utf-16": json.dumps(GOOD, ensure_ascii=False).encode("utf-16"),
    "gbk": json.dumps(GOOD, ensure_ascii=False).encode("gbk"),
    "truncated": GOOD_BYTES[: len(GOOD_BYTES) // 2],
    "truncated utf-8 char": GOOD_BYTES[: GOOD_BYTES.index("讨要".encode()) + 1],
    "nul bytes": GOOD_BYTES.replace(b'"title"', b'"ti\x00tle"'),
    "raw control char in string": GOOD_BYTES.replace("讨要".encode(), b"\x01"),
    "escaped nul in title": GOOD_BYTES.replace("讨要".encode(), b"\\u0000"),
    "lone surrogate in title": GOOD_BYTES.replace("讨要".encode(), b"\\ud800"),
    "lone surrogate as a key": GOOD_BYTES.replace(b'"form"', b'"\\udcff"'),
    "lone surrogate in a name": GOOD_BYTES.replace("张三".encode(), b"\\udfff"),
    "surrogate pair escape (valid)": GOOD_BYTES.replace("讨要".encode(), b"\\ud842\\udfb7"),
    "huge integer": GOOD_BYTES.replace(b'"form"', b'"headcount": ' + b"9" * 5000 + b', "form"'),
    "huge exponent": GOOD_BYTES.replace(b'"form"', b'"headcount": 1e99999, "form"'),
    "NaN headcount": GOOD_BYTES.replace(b'"form"', b'"headcount": NaN, "form"'),
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "deep nesting in a value": GOOD_BYTES.replace(b'"form"', b'"facts": ' + b"[" * 5000 + b"]" * 5000 + b', "form"'),
    "nested 900": GOOD_BYTES.replace(b'"form"', b'"facts": ' + b"[" * 900 + b"]" * 900 + b', "form"'),
    "duplicate keys": GOOD_BYTES.replace(b'"form"', b'"title": "first", "form"'),
    "top-level array": b"[" + GOOD_BYTES + b"]",
    "top-level string": b'"\\ud800"',
    "giant title": GOOD_BYTES.replace("讨要".encode(), "长".encode() * 100_000),
    "sql title": GOOD_BYTES.replace("讨要".encode(), b"'; DROP TABLE matter;--"),
    "trailing garbage": GOOD_BYTES + b"\x00garbage",
    "line break in a key": GOOD_BYTES.replace(b'"form"', b'"x\\ny": 1, "\\u2028": 2, "": 3, " form ": 4, "form"'),
    "line break in a value": GOOD_BYTES.replace("走访".encode(), "上门\\n走访\\r\\u2029".encode()),
}
EXIT_0 = {"bom + good", "surrogate pair escape (valid)", "sql title", "duplicate keys"}  # last key wins


@pytest.fixture(scope="module")
def cli_desk(tmp_path_factory):
    """One initialised data folder for the byte samples (module scope: they only ever refuse)."""
    from app.services.context import DeskServices
    from desk_login import ready
    from ui_support import STATION_CODE, STATION_NAME

    desk = ready(DeskServices.open(tmp_path_factory.mktemp("hostile-json")))
    desk.stations.initialise(STATION_CODE, STATION_NAME, "县")
    yield desk, Baseline(desk)
    desk.close()


@pytest.mark.parametrize("name", list(RAW_SAMPLES))
def test_raw_bytes_on_stdin_in_process(cli_desk, capsys, name):
    desk, baseline = cli_desk
    before = baseline.counts()
    code = _run_main(["register", "--json", "-", "--data-dir", str(desk.data_dir)], RAW_SAMPLES[name])
    out = capsys.readouterr()
    _check_cli_outcome(code, out.out, out.err, baseline, before)
    assert code == (0 if name in EXIT_0 else 2), out.err


SUBPROCESS_SAMPLES = ["invalid utf-8", "bom + good", "truncated", "deep nesting", "lone surrogate in title",
                      "lone surrogate as a key", "huge integer"]


def test_raw_bytes_through_real_processes(cli_desk):
    """The same bytes through `python -m app register --json -` in real processes (run in parallel)."""
    desk, baseline = cli_desk
    env = dict(os.environ)  # conftest put the test operator's login in os.environ
    before = baseline.counts()
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "app", "register", "--json", "-", "--data-dir", str(desk.data_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
            cwd=Path(__file__).resolve().parents[2],
        )
        for name in SUBPROCESS_SAMPLES
    }
    results = {name: (p.communicate(RAW_SAMPLES[name], timeout=60), p.returncode) for name, p in procs.items()}
    registered = 0
    for name, ((out, err), code) in results.items():
        err_text = err.decode("utf-8", "backslashreplace")
        assert "Traceback" not in err_text, (name, err_text)
        assert code == (0 if name in EXIT_0 else 2), (name, code, err_text)
        if code == 0:
            registered += 1
            assert NUMBER.fullmatch(out.decode().strip())
        else:
            assert out == b"" and all(CJK.search(line.partition("：")[2]) for line in err_text.splitlines()), err_text
    assert baseline.counts()["matter"] == before["matter"] + registered
    baseline.verify()


@pytest.mark.parametrize("path", ["a\x00b.json", "长" * 5000 + ".json", "/nonexistent/文件.json", "."])
def test_unreadable_json_paths_in_process(cli_desk, capsys, path):
    desk, baseline = cli_desk
    before = baseline.counts()
    code = _run_main(["register", "--json", path, "--data-dir", str(desk.data_dir)])
    out = capsys.readouterr()
    assert code == 2 and out.out == "" and CJK.search(out.err), out.err
    assert baseline.counts() == before
