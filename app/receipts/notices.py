"""A4 written notices (受理告知书, 不予受理告知书, 转送告知书 …) in the usual official layout.

Centred issuing unit and title, document number on the right, the addressee line, body
paragraphs indented two characters, the labelled details, deadline, legal basis and rights
notice, "特此告知。", the table of people (masked IDs), the matter number, query code and
QR code with the handler's contact, and the seal area with the issue date at the bottom
right. Long text flows onto further pages (numbered "— n —"); nothing is cut.
"""
from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .content import DocumentContent
from .fonts import FontSet
from .qr import draw_qr
from .text import ALIGN_CENTER, ALIGN_RIGHT, Flow, cn_date, draw_blocks, draw_text, table_row_block, wrap

PAGE_W, PAGE_H = A4
MARGIN_TOP = 28 * mm
MARGIN_BOTTOM = 22 * mm
MARGIN_LEFT = 27 * mm
MARGIN_RIGHT = 25 * mm
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT

UNIT_SIZE = 16.0
TITLE_SIZE = 21.0
BODY_SIZE = 14.0
SMALL_SIZE = 11.0
QR_SIZE = 28 * mm
SEAL_D = 40 * mm
REPRINT_MARK = "【补打】"


# (body size, line spacing) tried in turn until the notice fits one page; if none does, the
# first is used over several pages.
STYLES = ((BODY_SIZE, 1.65), (13.0, 1.55), (12.0, 1.45))


def build_notice_flow(content: DocumentContent, fonts: FontSet, body: float = BODY_SIZE,
                      leading: float = 1.65) -> Flow:
    f = Flow(fonts, TEXT_W, leading=leading)

    # -- heading -------------------------------------------------------------------------------
    if content.issuing_unit:
        f.paragraph(content.issuing_unit, UNIT_SIZE, align=ALIGN_CENTER, leading=1.6)
    _title(f, content, fonts)
    if content.document_number:
        f.line(f"编号：{content.document_number}", SMALL_SIZE, align=ALIGN_RIGHT, leading=1.8)
    f.gap(4)

    # -- text ----------------------------------------------------------------------------------
    if content.addressee:
        f.paragraph(content.addressee + "：", body)
    for para in content.body:
        f.paragraph(para, body, first_line_chars=2)
    for label, value in content.details:
        f.paragraph(f"{label}：{value}", body, first_line_chars=2)
    if content.deadline_text:
        f.paragraph(content.deadline_text, body, first_line_chars=2)
    if content.legal_basis:
        f.paragraph(f"法律依据：{content.legal_basis}。", body, first_line_chars=2)
    if content.rights_notice:
        f.paragraph(content.rights_notice, body, first_line_chars=2)
    f.paragraph("特此告知。", body, first_line_chars=2)
    f.gap(8)

    # -- people, numbers, contact, seal ------------------------------------------------------------
    if content.people:
        _people_table(f, content, fonts, body)
        f.gap(8 * body / BODY_SIZE)
    _numbers_block(f, content, fonts, body)  # kept with the seal: a seal never stands alone on a page
    f.gap(6)
    f.blocks[-1].keep_with_next = True
    _seal_block(f, content, fonts, body)
    return f


def _title(f: Flow, content: DocumentContent, fonts: FontSet) -> None:
    mark = REPRINT_MARK if content.reprint else ""
    mark_size = BODY_SIZE
    mark_w = fonts.string_width(mark, mark_size) if mark else 0.0
    lines = wrap(fonts, content.title, TITLE_SIZE, TEXT_W - 2 * mark_w)
    lh = TITLE_SIZE * 1.6
    for i, ln in enumerate(lines):
        last = i == len(lines) - 1

        def draw(c, x, top, ln=ln, last=last):
            base = top - (lh - TITLE_SIZE) / 2.0 - TITLE_SIZE * 0.86
            w = draw_text(c, fonts, x + TEXT_W / 2.0, base, ln, TITLE_SIZE, align=ALIGN_CENTER, bold=True)
            if mark and last:
                draw_text(c, fonts, x + TEXT_W / 2.0 + w / 2.0 + 2, base, mark, mark_size, bold=True)

        f.add(lh, draw, keep_with_next=True)


def _people_table(f: Flow, content: DocumentContent, fonts: FontSet, body: float) -> None:
    size = body - 2
    cols = [("序号", 0.12), ("身份", 0.16), ("姓名", 0.34), ("身份证号码", 0.38)]
    widths = [TEXT_W * share for _, share in cols]
    pad = 3.5 * body / BODY_SIZE

    def row(cells: list[str], header: bool, keep: bool) -> None:
        f.blocks.append(table_row_block(fonts, widths, cells, size, header=header, pad_x=pad, pad_y=pad,
                                        line_width=0.6, header_gray=0.92, keep_with_next=keep))

    f.line("信访人：" if not content.is_collective else f"信访人（集体访，共{content.headcount}人）：",
           body, keep_with_next=True)
    row([c for c, _ in cols], header=True, keep=True)
    for i, person in enumerate(content.people, 1):
        row([str(i), person.role, person.name, person.id_masked], header=False,
            keep=(i == 1 and len(content.people) > 1))


def _numbers_block(f: Flow, content: DocumentContent, fonts: FontSet, body: float) -> None:
    """Matter number, query code, handler and unit contact on the left; QR code on the right."""
    size = body - 2
    has_qr = bool(content.qr_payload)
    text_w = TEXT_W - (QR_SIZE + 4 * mm if has_qr else 0)
    sub = Flow(fonts, text_w, leading=1.45)
    sub.label_value("信访件编号：", content.matter_number, size)
    sub.label_value("查询码：", content.query_code, size)
    handler = content.handler + (f"    联系电话：{content.handler_phone}" if content.handler_phone else "")
    if handler.strip():
        sub.label_value("经办人：", handler, size)
    if content.unit_address:
        sub.label_value("单位地址：", content.unit_address, size)
    if content.unit_phone:
        sub.label_value("单位电话：", content.unit_phone, size)
    sub.paragraph("可凭信访件编号和查询码查询办理进度，或扫描右侧二维码。" if has_qr
                  else "可凭信访件编号和查询码查询办理进度。", size - 2)
    h = max(sub.height, QR_SIZE if has_qr else 0.0)

    def draw(c, x, top):
        sub.draw(c, x, top - (h - sub.height) / 2.0)
        if has_qr:
            draw_qr(c, content.qr_payload, x + TEXT_W - QR_SIZE, top - (h + QR_SIZE) / 2.0, QR_SIZE)

    f.add(h, draw, keep_with_next=True)


def _seal_block(f: Flow, content: DocumentContent, fonts: FontSet, body: float) -> None:
    """Bottom right: seal text over the date, with a dashed circle where the seal goes."""
    size = body
    date_text = cn_date(content.issue_date)
    seal_lines = wrap(fonts, content.seal_text, size, SEAL_D * 1.3) if content.seal_text else []
    lh = size * 1.7
    lines = seal_lines + [date_text]
    text_h = len(lines) * lh
    h = max(SEAL_D, text_h) + 2
    widest = max(fonts.string_width(ln, size) for ln in lines)

    def draw(c, x, top):
        # the block sits 2 characters in from the right edge, centred on its widest line
        cx = x + TEXT_W - 2 * size - widest / 2.0
        cy = top - h / 2.0
        c.saveState()
        c.setLineWidth(0.7)
        c.setStrokeGray(0.45)
        c.setDash(3, 2)
        c.circle(cx, cy, SEAL_D / 2.0, stroke=1, fill=0)
        c.restoreState()
        y = cy + text_h / 2.0 - (lh - size) / 2.0 - size * 0.86
        for ln in lines:
            draw_text(c, fonts, cx, y, ln, size, align=ALIGN_CENTER)
            y -= lh

    f.add(h, draw)


def render_notice(content: DocumentContent, fonts: FontSet) -> bytes:
    """PDF bytes of the notice on A4; more pages only when the text needs them."""
    usable = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
    pages = None
    for body, leading in STYLES:
        flow = build_notice_flow(content, fonts, body, leading)
        if flow.height <= usable:
            pages = [flow.blocks]
            break
    if pages is None:
        pages = build_notice_flow(content, fonts, *STYLES[0]).paginate(usable)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, initialFontName=fonts.primary, pageCompression=1)
    c.setTitle(content.title + (REPRINT_MARK if content.reprint else ""))
    c.setAuthor(content.issuing_unit)
    c.setSubject(content.matter_number)
    c.setCreator("信访接待台")
    for n, blocks in enumerate(pages, 1):
        draw_blocks(c, blocks, MARGIN_LEFT, PAGE_H - MARGIN_TOP)
        if len(pages) > 1:
            draw_text(c, fonts, PAGE_W / 2.0, MARGIN_BOTTOM / 2.0, f"— {n} —", SMALL_SIZE, align=ALIGN_CENTER)
        c.showPage()
    c.save()
    return buf.getvalue()
