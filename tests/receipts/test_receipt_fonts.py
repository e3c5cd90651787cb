"""Font discovery, per-character fallback and the ToUnicode fix (app/receipts/fonts.py)."""
from __future__ import annotations

import time

import pytest
from reportlab.pdfbase import ttfonts

from app.receipts import fonts as fonts_mod
from app.receipts.fonts import FontSet

RARE = "𠮷䶮㛃"  # U+20BB7 (outside the BMP), U+4DAE and U+36C3 (Ext A)


@pytest.fixture(scope="module")
def fs() -> FontSet:
    return FontSet.discover()


def test_discovery_finds_an_embeddable_cjk_primary_font(fs):
    assert fs.families()
    assert fs.font_for("中") == fs.primary
    assert fs.font_for("A") is not None and fs.font_for("7") is not None
    # no CFF/OpenType font slipped in (reportlab would refuse to embed it)
    assert not any(str(e.path).lower().endswith(".otf") for e in fs.entries)


def test_discovery_is_cached(fs):
    t = time.perf_counter()
    again = FontSet.discover()
    assert again is fs
    assert time.perf_counter() - t < 0.01


def test_rare_characters_have_a_font_here(fs):
    for ch in RARE:
        assert fs.font_for(ch) is not None, f"U+{ord(ch):04X} has no font on this machine"


def test_runs_join_back_to_the_text_and_group_by_font(fs):
    text = "张𠮷䶮㛃 abc 123，中文"
    runs = fs.runs(text)
    assert "".join(r for _, r in runs) == text
    assert all(a[0] != b[0] for a, b in zip(runs, runs[1:]))  # neighbours differ in font
    for font, run in runs:
        for ch in run:
            if not ch.isspace():
                assert fs.font_for(ch) == font


def test_missing_reports_only_uncovered_visible_characters(fs):
    no_font = [ch for ch in ("\ue000", "\U0010fffd") if fs.font_for(ch) is None]
    assert no_font, "expected a private-use character no font has"
    assert fs.missing("张 三\t\n" + RARE + "".join(no_font)) == no_font
    assert fs.missing("张\ufe00三") == []  # a variation selector is not reported
    # uncovered characters still end up in a run (primary font), nothing is dropped
    assert "".join(r for _, r in fs.runs("甲" + no_font[0])) == "甲" + no_font[0]


def test_string_width_matches_reportlab(fs):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = "信访件编号：360426-20261123-0007 𠮷"
    expected = sum(stringWidth(run, font, 9) for font, run in fs.runs(text))
    assert fs.string_width(text, 9) == pytest.approx(expected)


def test_tounicode_cmap_uses_surrogate_pairs_outside_the_bmp():
    cmap = ttfonts.makeToUnicodeCMap("X", [0, 0x5F20, 0x20BB7])
    assert "<02> <D842DFB7>" in cmap
    assert "<01> <5F20>" in cmap
    # the patch is only installed while reportlab itself is wrong
    assert fonts_mod.TOUNICODE_PATCHED == fonts_mod.tounicode_is_broken()


def test_cjk_faces_tells_truetype_cjk_from_cff_and_latin(fs):
    from pathlib import Path

    droid = next((e.path for e in fs.entries if e.family.startswith("DroidSans")), None)
    if droid is None:
        pytest.skip("DroidSansFallbackFull.ttf not installed")
    assert fonts_mod.cjk_faces(droid) == [0]
    latin = next((e.path for e in fs.entries if e.family.startswith("DejaVuSans")), None)
    if latin:
        assert fonts_mod.cjk_faces(latin) == []
    noto = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if noto.exists():
        assert fonts_mod.cjk_faces(noto) == []  # CFF outlines: reportlab cannot embed them
        assert fonts_mod.cjk_faces(noto, "CFF ")  # ... but they can be converted


def test_extra_files_come_first(fs):
    rare = [e for e in fs.entries if e.family == "HanaMinB"]
    if not rare:
        pytest.skip("HanaMinB.ttf not installed")
    custom = FontSet.discover([rare[0].path])
    assert custom is not fs
    assert custom.families()[0] == "HanaMinB"
    assert custom.font_for("𠮷") == rare[0].name
    assert FontSet.discover([rare[0].path]) is custom


def test_receipts_import_neither_qt_nor_the_database():
    import ast
    from pathlib import Path

    pkg = Path(fonts_mod.__file__).parent
    for path in pkg.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top not in {"PySide6", "shiboken6", "sqlalchemy", "sqlite3", "alembic"}, (path, name)
                assert not name.startswith(("app.models", "app.services", "app.ui")), (path, name)
