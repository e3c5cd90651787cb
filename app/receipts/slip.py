"""The thermal 来访登记回执 (80 or 58 mm roll): one page exactly as tall as its content.

The content is laid out in a `Flow` first; its measured height gives the page height, then
it is drawn. No Qt, no database: `DocumentContent` in, PDF bytes out.
"""
from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .content import SLIP_WIDTHS_MM, DocumentContent
from .fonts import FontSet
from .qr import draw_qr
from .text import ALIGN_CENTER, Flow, cn_date, draw_text, wrap

MARGIN = 3 * mm
REPRINT_MARK = "【补打】"


def _sizes(width_mm: int) -> dict[str, float]:
    if width_mm >= 80:
        return {"unit": 10.0, "title": 13.0, "body": 8.8, "small": 7.4, "code": 11.0, "qr": 27 * mm,
                "seal": 20 * mm}
    return {"unit": 8.6, "title": 11.0, "body": 7.6, "small": 6.6, "code": 9.6, "qr": 24 * mm,
            "seal": 17 * mm}


def build_slip_flow(content: DocumentContent, fonts: FontSet, width_mm: int = 80) -> Flow:
    """The slip's blocks, measured but not drawn (the page height is `MARGIN*2 + flow.height`)."""
    if width_mm not in SLIP_WIDTHS_MM:
        raise ValueError(f"slip width must be one of {SLIP_WIDTHS_MM} mm, not {width_mm}")
    sz = _sizes(width_mm)
    inner = width_mm * mm - 2 * MARGIN
    body, small = sz["body"], sz["small"]
    f = Flow(fonts, inner, leading=1.42)

    # -- heading ---------------------------------------------------------------------------
    if content.issuing_unit:
        f.paragraph(content.issuing_unit, sz["unit"], align=ALIGN_CENTER)
    title = content.title
    mark = REPRINT_MARK if content.reprint else ""
    if fonts.string_width(title + mark, sz["title"]) <= inner:
        f.line(title + mark, sz["title"], align=ALIGN_CENTER, bold=True, leading=1.5)
    else:
        f.paragraph(title, sz["title"], align=ALIGN_CENTER, bold=True, leading=1.5)
        if mark:
            f.line(mark, sz["title"], align=ALIGN_CENTER, bold=True, leading=1.5)
    if content.document_number:
        f.paragraph(f"编号：{content.document_number}", small, align=ALIGN_CENTER)
    f.rule(dash=True, space=3)

    # -- numbers and QR code -----------------------------------------------------------------
    f.label_value("信访件编号：", content.matter_number, body)
    f.label_value("查询码：", content.query_code, sz["code"])
    if content.qr_payload:
        qr = sz["qr"]

        def draw_code(c, x, top, payload=content.qr_payload):
            draw_qr(c, payload, x + (inner - qr) / 2.0, top - qr, qr)

        f.add(qr, draw_code, keep_with_next=True)
        f.paragraph("凭信访件编号和查询码查询办理进度、评价", small, align=ALIGN_CENTER)
    f.rule(dash=True, space=3)

    # -- who, when, what -------------------------------------------------------------------
    for person in content.people:
        text = person.name + (f"  {person.id_masked}" if person.id_masked else "")
        f.label_value(f"{person.role or '信访人'}：", text, body)
    f.label_value("信访日期：", cn_date(content.petition_date), body)
    f.label_value("登记时间：", f"{cn_date(content.registered_at)} {content.registered_at:%H:%M}", body)
    count = f"{content.headcount}人" + ("（集体访）" if content.is_collective else "")
    f.label_value("人数：", count, body)
    if content.matter_title:
        f.label_value("事项：", f"“{content.matter_title}”", body)
    f.label_value("处理：", content.decision or "已登记", body)
    for label, value in content.details:
        f.label_value(f"{label}：", value, body)
    if content.legal_basis:
        f.label_value("依据：", content.legal_basis, body)
    if content.deadline_text:
        f.label_value("期限：", content.deadline_text, body)

    # -- rights, contacts, seal --------------------------------------------------------------
    if content.rights_notice:
        f.rule(dash=True, space=3)
        f.paragraph(content.rights_notice, small, first_line_chars=2)
    f.rule(dash=True, space=3)
    handler = content.handler + (f"  电话：{content.handler_phone}" if content.handler_phone else "")
    if handler:
        f.label_value("经办人：", handler, body)
    if content.unit_address:
        f.label_value("单位地址：", content.unit_address, body)
    if content.unit_phone:
        f.label_value("单位电话：", content.unit_phone, body)
    f.gap(2)
    _seal_block(f, content, fonts, sz, inner)
    return f


def _seal_block(f: Flow, content: DocumentContent, fonts: FontSet, sz: dict, inner: float) -> None:
    """Signature line on the left; on the right a dashed circle marking where the unit seal
    goes, over the seal text and the issue date (a seal covers the date)."""
    small, body = sz["small"], sz["body"]
    date_text = cn_date(content.issue_date)
    d = max(sz["seal"], fonts.string_width(date_text, small) + 5 * mm)
    seal_lines = wrap(fonts, content.seal_text, small, d * 0.78) if content.seal_text else []
    lh = small * 1.3
    height = d + 2

    def draw(c, x, top):
        cx = x + inner - d / 2.0 - 1
        cy = top - d / 2.0 - 1
        c.saveState()
        c.setLineWidth(0.6)
        c.setDash(2, 1.5)
        c.circle(cx, cy, d / 2.0, stroke=1, fill=0)
        c.restoreState()
        lines = seal_lines + [date_text]
        y = cy + len(lines) * lh / 2.0 - lh + (lh - small) / 2.0 + small * 0.14
        for ln in lines:
            draw_text(c, fonts, cx, y, ln, small, align=ALIGN_CENTER)
            y -= lh
        sign_y = top - d + body * 0.3
        draw_text(c, fonts, x, sign_y, "信访人签收：", body)
        lx = x + fonts.string_width("信访人签收：", body)
        c.saveState()
        c.setLineWidth(0.5)
        c.line(lx, sign_y - 1.5, min(cx - d / 2.0 - 4, lx + 30 * mm), sign_y - 1.5)
        c.restoreState()

    f.add(height, draw)


def render_slip(content: DocumentContent, fonts: FontSet, width_mm: int = 80) -> bytes:
    """PDF bytes of the slip: `width_mm` wide, exactly as tall as the content plus margins."""
    flow = build_slip_flow(content, fonts, width_mm)
    page_w = width_mm * mm
    page_h = flow.height + 2 * MARGIN
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(page_w, page_h), initialFontName=fonts.primary, pageCompression=1)
    c.setTitle(content.title + (REPRINT_MARK if content.reprint else ""))
    c.setAuthor(content.issuing_unit)
    c.setSubject(content.matter_number)
    c.setCreator("信访接待台")
    flow.draw(c, MARGIN, page_h - MARGIN)
    c.showPage()
    c.save()
    return buf.getvalue()
