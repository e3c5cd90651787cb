"""CFF CJK font -> TrueType outlines (app/receipts/font_convert.py, fonts.ensure_converted_font).

A full Noto Sans CJK conversion takes a minute or more, so these tests subset the installed CFF
font to a few characters first (still CFF) and convert that.
"""
from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from desk_login import INIT_ADMIN, TEST_OPERATOR
from app.receipts import font_convert
from app.receipts import fonts as fonts_mod
from app.receipts.font_convert import convert_to_truetype, find_cff_cjk_fonts
from app.receipts.fonts import FontSet, ensure_converted_font, find_converted_font
from app.receipts.text import draw_text
from receipt_samples import pdffonts, pdftext, to_png, tools_available, write

needs_poppler = pytest.mark.skipif(not tools_available(), reason="poppler-utils not installed")

WANTED = "中信访张三𠮷"  # 中: the probe that makes a font the primary one


@pytest.fixture(scope="module")
def cff_source():
    found = find_cff_cjk_fonts()
    if not found:
        pytest.skip("no CFF-outlined CJK font installed")
    return found[0]


@pytest.fixture(scope="module")
def cff_subset(cff_source, tmp_path_factory) -> tuple[Path, str]:
    """The best CFF CJK face cut down to WANTED (minus what it lacks): still a CFF font."""
    from fontTools import subset
    from fontTools.ttLib import TTFont as FTFont

    path, index = cff_source
    font = FTFont(str(path), fontNumber=index)
    cmap = font.getBestCmap()
    text = "".join(ch for ch in WANTED if ord(ch) in cmap)
    assert "信" in text and "访" in text
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    sub = subset.Subsetter(options)
    sub.populate(text=text)
    sub.subset(font)
    out = tmp_path_factory.mktemp("cff") / "subset.otf"
    font.save(str(out))
    font.close()
    assert out.read_bytes()[:4] == b"OTTO"
    return out, text


@pytest.fixture(scope="module")
def converted(cff_subset, tmp_path_factory) -> tuple[Path, str]:
    source, text = cff_subset
    target = tmp_path_factory.mktemp("tt") / "Subset-tt.ttf"
    assert convert_to_truetype(source, 0, target) == target
    return target, text


def test_finds_the_simplified_chinese_face_of_a_collection(cff_source):
    from fontTools.ttLib import TTFont as FTFont

    path, index = cff_source
    font = FTFont(str(path), fontNumber=index, lazy=True)
    family = str(font["name"].getDebugName(1))
    font.close()
    if path.name.lower().endswith(".ttc") and "CJK" in family:
        assert family.endswith(" SC"), family
    assert "Serif" not in family or all("Serif" in str(p) for p, _ in find_cff_cjk_fonts())


def test_converted_font_is_truetype_and_loads_in_reportlab(converted, cff_subset):
    target, text = converted
    data = target.read_bytes()
    assert data[:4] == b"\x00\x01\x00\x00"
    assert not list(target.parent.glob("*.part"))  # the temp file was renamed away
    font = TTFont("conv-test", str(target))
    for ch in text:
        assert ord(ch) in font.face.charToGlyph, ch
    if "𠮷" in text:
        assert 0x20BB7 in font.face.charToGlyph
    with pytest.raises(ValueError):
        convert_to_truetype(target, 0, target.parent / "again.ttf")  # not CFF


@needs_poppler
def test_converted_font_embeds_draws_ink_and_extracts_back(converted, tmp_path):
    target, text = converted
    fs = FontSet.discover(extra_files=[target])
    conv = next(e for e in fs.entries if e.path == Path(os.path.realpath(target)))
    assert fs.primary == conv.name
    assert {font for font, _ in fs.draw_runs(text)} == {conv.name}

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(40 * len(text), 40), initialFontName=fs.primary)
    width = draw_text(c, fs, 4, 10, text, 24)
    c.showPage()
    c.save()
    assert width > 20 * len(text)
    pdf = write(tmp_path, buf.getvalue())

    rows = pdffonts(pdf)
    assert len(rows) == 1, rows
    name, ftype, emb = rows[0][0], rows[0][1], rows[0][-5]
    assert ftype == "TrueType" and emb == "yes" and "+" in name, rows[0]

    assert pdftext(pdf).strip() == text
    img = Image.open(to_png(pdf, tmp_path / "p", dpi=100)[0]).convert("L")
    # each character cell has ink of its own
    cell = 24 * 100 / 72
    x0 = 4 * 100 / 72
    for i, ch in enumerate(text):
        box = (int(x0 + i * cell), 0, int(x0 + (i + 1) * cell), img.height)
        dark = sum(img.crop(box).histogram()[:128])
        assert dark > 30, f"no ink for {ch}"


def test_ensure_returns_an_existing_conversion_without_converting(converted, tmp_path, monkeypatch):
    cache = tmp_path / "fonts"
    cache.mkdir()
    existing = cache / "NotoSansCJKsc-Regular-tt.ttf"
    existing.write_bytes(converted[0].read_bytes())
    os.utime(existing, (1_700_000_000, 1_700_000_000))

    def boom(*a, **k):
        raise AssertionError("converted again")

    monkeypatch.setattr(font_convert, "convert_to_truetype", boom)
    assert ensure_converted_font(cache) == existing
    assert existing.stat().st_mtime == 1_700_000_000
    assert [p.name for p in cache.iterdir()] == [existing.name]


def test_ensure_returns_none_quickly_when_truetype_fonts_cover_chinese(tmp_path, monkeypatch):
    if fonts_mod.needs_converted_font():
        pytest.skip("this machine has no TrueType CJK font")
    monkeypatch.setattr(font_convert, "convert_to_truetype", lambda *a, **k: pytest.fail("converted"))
    FontSet.discover()  # cached once per process anyway
    t = time.perf_counter()
    assert ensure_converted_font(tmp_path / "fonts") is None
    assert time.perf_counter() - t < 0.5
    assert not (tmp_path / "fonts").exists()


def test_ensure_converts_once_when_no_truetype_font_covers_chinese(cff_subset, tmp_path, monkeypatch):
    source, text = cff_subset
    monkeypatch.setattr(fonts_mod, "needs_converted_font", lambda extra_files=(): True)
    monkeypatch.setattr(font_convert, "find_cff_cjk_fonts", lambda dirs=None: [(source, 0)])
    notes = []
    cache = tmp_path / "fonts"
    first = ensure_converted_font(cache, on_convert=lambda: notes.append(1))
    assert first is not None and first.parent == cache and first.name.endswith("-tt.ttf")
    assert notes == [1]
    assert find_converted_font(cache) == first
    mtime = first.stat().st_mtime_ns
    assert ensure_converted_font(cache, on_convert=lambda: notes.append(2)) == first
    assert notes == [1] and first.stat().st_mtime_ns == mtime


def test_default_font_set_prefers_the_registered_extra_files(converted, monkeypatch):
    target, text = converted
    monkeypatch.setattr(fonts_mod, "_extra_files", ())
    assert FontSet.default() is FontSet.discover()
    fonts_mod.set_extra_font_files([target])
    fs = FontSet.default()
    assert fs is FontSet.discover([target])
    assert fs.font_for("信") == fs.primary
    assert fs._by_name[fs.primary].path == Path(os.path.realpath(target))


def test_gui_warm_up_uses_a_converted_font_for_every_later_render(converted, tmp_path, monkeypatch):
    from app.ui.app import _warm_up_fonts

    monkeypatch.setattr(fonts_mod, "_extra_files", ())
    cache = tmp_path / "fonts"
    cache.mkdir()
    existing = cache / "Subset-tt.ttf"
    existing.write_bytes(converted[0].read_bytes())
    _warm_up_fonts(cache).join(30)
    fs = FontSet.default()
    assert fs._by_name[fs.primary].path == Path(os.path.realpath(existing))


@needs_poppler
def test_cli_receipt_uses_a_converted_font_in_the_data_dir(converted, tmp_path, monkeypatch, capsys):
    import json

    from app.cli import main

    monkeypatch.setattr(fonts_mod, "_extra_files", ())
    data = tmp_path / "data"
    assert main(["init", "--station-code", "360426", "--station-name", "德安县信访局", "--data-dir", str(data), *INIT_ADMIN]) == 0
    matter = {
        "form": "走访", "petition_date": "2026-11-20",
        "petitioners": [{"name": "张三", "id_type": "居民身份证", "id_number": "360426199101010071",
                         "phone": "13812345678", "address": "德安县蒲亭镇"}],
        "headcount": 1, "matter_class": "申诉求决",
        "content_class": ["劳动和社会保障", "劳动关系", "拖欠农民工工资"],
        "title": "讨要拖欠工资", "request": "请求支付拖欠的工资", "facts": "2025年在工地务工",
        "location_code": "360426100", "decision": "受理告知",
    }
    path = tmp_path / "m.json"
    path.write_text(json.dumps(matter, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["register", "--json", str(path), "--data-dir", str(data)]) == 0
    number = capsys.readouterr().out.strip()
    (data / "fonts").mkdir()
    (data / "fonts" / "Subset-tt.ttf").write_bytes(converted[0].read_bytes())
    out = tmp_path / "slip.pdf"
    assert main(["receipt", number, "--kind", "slip", "--out", str(out), "--data-dir", str(data)]) == 0
    assert "转换字体" not in capsys.readouterr().err  # nothing converted
    names = [row[0] for row in pdffonts(out)]
    from fontTools.ttLib import TTFont as FTFont

    ps = str(FTFont(str(converted[0]), lazy=True)["name"].getDebugName(6))
    assert any(n.endswith("+" + ps) for n in names), names
    assert "张三" in pdftext(out)
