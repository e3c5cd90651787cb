"""Wrapping and drawing with fallback (app/receipts/text.py)."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from app.receipts.fonts import FontSet
from app.receipts.text import NO_LINE_END, NO_LINE_START, draw_text, wrap
from receipt_samples import pdftext, to_png, tools_available, write

needs_poppler = pytest.mark.skipif(not tools_available(), reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def fs() -> FontSet:
    return FontSet.discover()


def _same_chars(lines, text):
    return "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")


@pytest.mark.parametrize("width", [40, 90, 150, 400])
def test_wrap_keeps_every_character_and_the_width(fs, width):
    text = ("您可凭信访件编号 360426-20261123-0007 和查询码 7KQ4M2XZ，通过网站、电话0792-4321000"
            "查询办理进度（含𠮷䶮㛃）。Please keep these words whole when possible.")
    lines = wrap(fs, text, 9, width)
    assert _same_chars(lines, text)
    for ln in lines:
        assert fs.string_width(ln, 9) <= width + 0.01 or len(ln) == 1


def test_wrap_breaks_latin_only_at_spaces(fs):
    lines = wrap(fs, "alpha beta gamma delta epsilon", 10, 70)
    assert {w for ln in lines for w in ln.split()} == {"alpha", "beta", "gamma", "delta", "epsilon"}
    assert len(lines) > 1


def test_wrap_splits_a_word_longer_than_the_line(fs):
    lines = wrap(fs, "ID 3604261991010100713604261991010100", 10, 60)
    assert _same_chars(lines, "ID 3604261991010100713604261991010100")
    assert all(fs.string_width(ln, 10) <= 60.01 for ln in lines)


def test_wrap_keeps_punctuation_rules(fs):
    text = "一二三四五六七八九十，（甲乙丙丁）。一二三四五六七八九，“引号”结束。" * 3
    for width in range(40, 200, 7):
        lines = wrap(fs, text, 10, width)
        assert _same_chars(lines, text)
        for ln in lines[1:]:
            assert ln[0] not in NO_LINE_START, (width, lines)
        for ln in lines[:-1]:
            assert ln[-1] not in NO_LINE_END, (width, lines)


def test_wrap_hard_breaks_and_empty_text(fs):
    assert wrap(fs, "甲\n\n乙", 10, 100) == ["甲", "", "乙"]
    assert wrap(fs, "", 10, 100) == [""]


@needs_poppler
@pytest.mark.parametrize("ch", ["𠮷", "䶮", "㛃", "张"])
def test_each_rare_character_draws_ink_and_extracts_back(fs, tmp_path, ch):
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(40, 40), initialFontName=fs.primary)
    width = draw_text(c, fs, 8, 10, ch, 24)
    c.showPage()
    c.save()
    assert width > 10
    pdf = write(tmp_path, buf.getvalue())
    png = to_png(pdf, tmp_path / "c", dpi=100)[0]
    img = Image.open(png).convert("L")
    dark = sum(img.histogram()[:128])
    assert dark > 30, f"no ink for U+{ord(ch):04X}"
    assert pdftext(pdf).strip() == ch


def test_draw_text_alignment_returns_width(fs):
    c = Canvas(io.BytesIO(), pagesize=(200, 50), initialFontName=fs.primary)
    w = fs.string_width("居中 center", 10)
    assert draw_text(c, fs, 100, 10, "居中 center", 10, align="center") == pytest.approx(w)
    assert draw_text(c, fs, 100, 10, "", 10) == 0.0
