"""Slips and notices as real PDFs, checked with poppler and zbar (app/receipts/*)."""
from __future__ import annotations

import shutil
import statistics
import subprocess
import time

import pytest
from PIL import Image

from app.receipts.content import KIND_ACCEPT, KIND_SLIP, NOTICE_KINDS
from app.receipts.fonts import FontSet
from app.receipts.render import check_glyphs, render
from receipt_samples import (
    DEADLINE_CN,
    FULL_ID,
    MASKED_ID,
    MATTER_NUMBER,
    QR_PAYLOAD,
    RARE_NAME,
    collective,
    page_count,
    page_size_pt,
    pdffonts,
    pdftext,
    sample,
    to_png,
    tools_available,
    with_changes,
    write,
)

pytestmark = pytest.mark.skipif(not tools_available(), reason="poppler-utils not installed")
MM = 72 / 25.4


@pytest.fixture(scope="module")
def fs() -> FontSet:
    return FontSet.discover()


def flat(text: str) -> str:
    return "".join(text.split())


ALL_KINDS = [(KIND_SLIP, 80), (KIND_SLIP, 58)] + [(k, 80) for k in NOTICE_KINDS]


@pytest.mark.parametrize("kind,width", ALL_KINDS)
def test_text_has_the_essentials_and_only_the_masked_id(fs, tmp_path, kind, width):
    content = sample(kind)
    pdf = write(tmp_path, render(content, fonts=fs, width_mm=width))
    text = flat(pdftext(pdf))
    for needle in (MATTER_NUMBER, "张三", content.decision, DEADLINE_CN, MASKED_ID, content.query_code,
                   content.title, content.handler, "2026年11月23日"):
        assert flat(needle) in text, (kind, needle)
    for label, value in content.details:
        assert flat(value) in text
    assert FULL_ID not in text
    assert FULL_ID not in pdf.read_bytes().decode("latin-1")
    if kind != KIND_SLIP:
        assert "张三：" in text and "特此告知。" in text


@pytest.mark.parametrize("kind,width", [(KIND_SLIP, 80), (KIND_SLIP, 58), (KIND_ACCEPT, 80)])
def test_every_font_is_embedded_truetype(fs, tmp_path, kind, width):
    pdf = write(tmp_path, render(sample(kind, name=RARE_NAME), fonts=fs, width_mm=width))
    rows = pdffonts(pdf)
    assert rows
    for row in rows:
        name, ftype, emb = row[0], row[1], row[-5]
        assert ftype == "TrueType", row
        assert emb == "yes", row
        assert "+" in name, row  # a subset (AAAAAA+Name): embedded, never a base-14 reference


@pytest.mark.parametrize("width", [80, 58])
def test_slip_width_and_height_fit_the_content(fs, tmp_path, width):
    short = write(tmp_path, render(sample(), fonts=fs, width_mm=width), "short.pdf")
    w, h = page_size_pt(short)
    assert w == pytest.approx(width * MM, abs=0.5)
    assert h < 300 * MM
    assert page_count(short) == 1
    long = with_changes(collective(6), matter_title="关于某小区业主反映物业服务质量和公共收益分配不公开的问题" * 2)
    tall = write(tmp_path, render(long, fonts=fs, width_mm=width), "tall.pdf")
    assert page_size_pt(tall)[1] > h + 20
    # no blank tail: the last ink is within ~6 mm of the bottom edge
    for pdf in (short, tall):
        img = Image.open(to_png(pdf, tmp_path / pdf.stem, dpi=150)[0]).convert("L")
        px = img.load()
        last = max(y for y in range(img.height) if any(px[x, y] < 200 for x in range(0, img.width, 2)))
        assert (img.height - 1 - last) / 150 * 25.4 < 6.0


def test_58mm_slip_uses_its_own_width(fs, tmp_path):
    a = page_size_pt(write(tmp_path, render(sample(), fonts=fs, width_mm=80), "a.pdf"))
    b = page_size_pt(write(tmp_path, render(sample(), fonts=fs, width_mm=58), "b.pdf"))
    assert b[0] == pytest.approx(58 * MM, abs=0.5) and b[0] < a[0]
    assert max(a[1], b[1]) < 300 * MM


def test_bad_width_or_kind_is_refused(fs):
    with pytest.raises(ValueError):
        render(sample(), fonts=fs, width_mm=70)
    with pytest.raises(ValueError):
        render(with_changes(sample(), kind="unknown"), fonts=fs)


@pytest.mark.parametrize("kind", [KIND_SLIP, KIND_ACCEPT])
def test_rare_name_prints_and_extracts(fs, tmp_path, kind):
    pdf = write(tmp_path, render(sample(kind, name=RARE_NAME), fonts=fs))
    assert RARE_NAME in flat(pdftext(pdf))  # ToUnicode right, 𠮷 included
    assert check_glyphs(sample(kind, name=RARE_NAME), fs) == []


def test_rare_name_has_ink_at_each_character(fs, tmp_path):
    """Name made of the rare characters only, drawn big: every glyph cell has dark pixels."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from app.receipts.text import draw_text

    size, x0, step = 30, 10, 40
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(x0 + step * len(RARE_NAME), 50), initialFontName=fs.primary)
    for i, ch in enumerate(RARE_NAME):
        draw_text(c, fs, x0 + i * step, 12, ch, size)
    c.showPage()
    c.save()
    img = Image.open(to_png(write(tmp_path, buf.getvalue()), tmp_path / "r", dpi=72)[0]).convert("L")
    for i, ch in enumerate(RARE_NAME):
        box = img.crop((x0 + i * step, 50 - 12 - size, x0 + i * step + size, 50 - 12 + 4))
        assert sum(box.histogram()[:128]) > 40, f"no ink for U+{ord(ch):04X}"


def test_check_glyphs_names_the_field(fs):
    no_font = next(ch for ch in ("\ue000", "\U0010fffd") if fs.font_for(ch) is None)
    content = with_changes(sample(name="王" + no_font), handler="李" + no_font + "四")
    found = check_glyphs(content, fs)
    assert ("信访人姓名", no_font) in found
    assert ("经办人", no_font) in found
    assert check_glyphs(sample(), fs) == []


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools not installed")
@pytest.mark.parametrize("kind,width", [(KIND_SLIP, 80), (KIND_SLIP, 58), (KIND_ACCEPT, 80)])
def test_qr_decodes_to_the_payload(fs, tmp_path, kind, width):
    pdf = write(tmp_path, render(sample(kind), fonts=fs, width_mm=width))
    png = to_png(pdf, tmp_path / "q", dpi=150)[0]
    out = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True)
    assert out.stdout.strip() == QR_PAYLOAD


def test_reprint_is_marked(fs, tmp_path):
    for kind in (KIND_SLIP, KIND_ACCEPT):
        text = flat(pdftext(write(tmp_path, render(sample(kind, reprint=True), fonts=fs))))
        assert "【补打】" in text
        assert "【补打】" not in flat(pdftext(write(tmp_path, render(sample(kind), fonts=fs))))


def test_long_notice_flows_onto_more_pages_without_losing_text(fs, tmp_path):
    content = sample(KIND_ACCEPT, body_repeat=15)
    pdf = write(tmp_path, render(content, fonts=fs))
    assert page_count(pdf) >= 2
    text = flat(pdftext(pdf))
    assert text.count("本机关决定受理。") == 15
    assert MASKED_ID in text and "特此告知。" in text and "2026年11月23日" in text
    assert page_size_pt(pdf) == pytest.approx((595.28, 841.89), abs=0.5)


def test_collective_notice_lists_every_representative(fs, tmp_path):
    content = with_changes(collective(8), kind=KIND_ACCEPT, title="信访事项受理告知书")
    text = flat(pdftext(write(tmp_path, render(content, fonts=fs))))
    for i in range(1, 9):
        assert f"代表{i}号王五" in text and f"360426********00{i:02d}" in text
    assert "集体访" in text


def test_slip_render_time(fs, capsys):
    content = sample(name=RARE_NAME)
    render(content, fonts=fs)
    times = []
    for _ in range(20):
        t = time.perf_counter()
        render(content, fonts=fs)
        times.append(time.perf_counter() - t)
    median = statistics.median(times) * 1000
    with capsys.disabled():
        print(f"\nslip render median over 20: {median:.1f} ms")
    assert median < 1000  # sanity only; the target is well under 200 ms
