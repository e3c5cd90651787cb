"""Drawing and wrapping text with per-character font fallback, and a small line-flow layout.

`draw_text` draws each run of a string in the font `FontSet` picked for it; `wrap` breaks
Chinese anywhere (keeping closing punctuation off the start of a line and opening brackets
off its end) and Latin words, numbers and IDs at spaces only, unless one alone is wider than
the line. Only ASCII spaces at a line break are dropped; no other character is ever lost.

`Flow` stacks lines, gaps, rules and custom blocks top to bottom. It is measured before it
is drawn, so a thermal slip gets a page exactly as tall as its content and an A4 notice is
split into pages without losing lines. `table_row_block` makes one ruled table row as a block;
a row whose `repeat_header` is set gets that header drawn again when it starts a page.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable

from .fonts import FontSet

# Characters that must not start a line, and ones that must not end it (simplified 禁则).
NO_LINE_START = set("，。、；：！？）》」』】〕〉”’…—·%‰,.;:!?)]}")
NO_LINE_END = set("（《「『【〔〈“‘([{")

ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT = "left", "center", "right"


def draw_text(canvas, fonts: FontSet, x: float, y: float, text: str, size: float,
              *, align: str = ALIGN_LEFT, bold: bool = False) -> float:
    """Draw `text` with its baseline at y; x is the left edge (or centre/right edge per
    `align`). Returns the width drawn. `bold` strokes the outlines (no bold fonts needed)."""
    runs = fonts.draw_runs(text)
    width = sum(fonts.run_width(font, run, size) for font, run in runs)
    if not runs:
        return 0.0
    if align == ALIGN_CENTER:
        x -= width / 2.0
    elif align == ALIGN_RIGHT:
        x -= width
    canvas.saveState()
    t = canvas.beginText(x, y)
    if bold:
        canvas.setLineWidth(size * 0.035)
        t.setTextRenderMode(2)  # fill + stroke: a fake bold
    for font, run in runs:
        t.setFont(font, size)
        t.textOut(run)
    canvas.drawText(t)
    canvas.restoreState()
    return width


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") or ord(ch) >= 0x20000


def _tokens(line: str) -> list[str]:
    """Spaces, single wide (CJK) characters, and runs of anything else (Latin words, numbers)."""
    out: list[str] = []
    word: list[str] = []
    for ch in line:
        if ch == " " or _is_wide(ch):
            if word:
                out.append("".join(word))
                word = []
            out.append(ch)
        else:
            word.append(ch)
    if word:
        out.append("".join(word))
    return out


def _split_long(fonts: FontSet, token: str, size: float, max_width: float) -> list[str]:
    pieces: list[str] = []
    cur = ""
    for ch in token:
        if cur and fonts.string_width(cur + ch, size) > max_width:
            pieces.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        pieces.append(cur)
    return pieces


def wrap(fonts: FontSet, text: str, size: float, max_width: float) -> list[str]:
    """Lines of `text` no wider than max_width (a single character wider than the line still
    gets a line of its own). "\\n" forces a break; an empty paragraph gives an empty line."""
    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(_wrap_para(fonts, para, size, max_width))
    return lines


def _wrap_para(fonts: FontSet, para: str, size: float, max_width: float) -> list[str]:
    if not para:
        return [""]
    lines: list[str] = []
    cur: list[str] = []
    width = 0.0

    def emit(tokens: list[str]) -> None:
        lines.append("".join(tokens).rstrip(" "))

    for tok in _tokens(para):
        tw = fonts.string_width(tok, size)
        if tok == " ":
            if cur:  # a space may hang past the edge; it is trimmed at a break
                cur.append(tok)
                width += tw
            continue
        if width + tw <= max_width + 1e-6 or not cur:
            if not cur and tw > max_width + 1e-6 and len(tok) > 1:
                pieces = _split_long(fonts, tok, size, max_width)
                for p in pieces[:-1]:
                    lines.append(p)
                tok = pieces[-1]
                tw = fonts.string_width(tok, size)
            cur.append(tok)
            width += tw
            continue
        # break before tok
        carry: list[str] = []
        if tok[0] in NO_LINE_START:
            # pull back the character before it (and any closing marks just before that)
            while len(cur) > 1 and cur[-1] != " ":
                carry.insert(0, cur.pop())
                if carry[0][0] not in NO_LINE_START:
                    break
        while len(cur) > 1 and len(cur[-1]) == 1 and cur[-1] in NO_LINE_END:
            carry.insert(0, cur.pop())
        while cur and cur[-1] == " ":
            cur.pop()
        emit(cur)
        cur = carry
        width = sum(fonts.string_width(t, size) for t in cur)
        if cur and width + tw > max_width + 1e-6:
            emit(cur)  # the carried character and tok do not fit together: give up on 禁则
            cur, width = [], 0.0
        if not cur and tw > max_width + 1e-6 and len(tok) > 1:
            pieces = _split_long(fonts, tok, size, max_width)
            for p in pieces[:-1]:
                lines.append(p)
            tok = pieces[-1]
            tw = fonts.string_width(tok, size)
        cur.append(tok)
        width += tw
    if cur:
        emit(cur)
    return lines


# ---------------------------------------------------------------------------------------
# Flow layout
# ---------------------------------------------------------------------------------------

DrawFn = Callable[[object, float, float], None]  # (canvas, left x, top y)


@dataclass
class Block:
    height: float
    draw: DrawFn
    keep_with_next: bool = False
    repeat_header: Block | None = None  # drawn again above this block when it starts a page


class Flow:
    """Blocks stacked from the top; measure with `.height`, then `.draw` or `.paginate`."""

    ASCENT = 0.86  # baseline below the top of the em box, in em (CJK fonts: ~0.88)

    def __init__(self, fonts: FontSet, width: float, leading: float = 1.4):
        self.fonts = fonts
        self.width = width
        self.leading = leading
        self.blocks: list[Block] = []

    @property
    def height(self) -> float:
        return sum(b.height for b in self.blocks)

    # -- building ----------------------------------------------------------------------
    def add(self, height: float, draw: DrawFn, keep_with_next: bool = False) -> None:
        self.blocks.append(Block(height, draw, keep_with_next))

    def gap(self, height: float) -> None:
        self.add(height, lambda c, x, top: None)

    def line(self, text: str, size: float, *, align: str = ALIGN_LEFT, indent: float = 0.0,
             bold: bool = False, leading: float | None = None, keep_with_next: bool = False) -> None:
        """One line of text as it is (no wrapping); `indent` shifts it right (left align)."""
        lh = size * (leading or self.leading)
        fonts, width = self.fonts, self.width
        base = (lh - size) / 2.0 + size * self.ASCENT

        def draw(c, x, top, text=text):
            if align == ALIGN_CENTER:
                ax = x + width / 2.0
            elif align == ALIGN_RIGHT:
                ax = x + width - indent
            else:
                ax = x + indent
            draw_text(c, fonts, ax, top - base, text, size, align=align, bold=bold)

        self.add(lh, draw, keep_with_next)

    def paragraph(self, text: str, size: float, *, align: str = ALIGN_LEFT, indent: float = 0.0,
                  first_line_chars: int = 0, bold: bool = False, leading: float | None = None) -> None:
        """Wrapped text; `first_line_chars` indents the first line by that many ideographic
        spaces (Chinese paragraphs: 2); `indent` indents every line."""
        prefix = "\u3000" * first_line_chars
        for ln in wrap(self.fonts, prefix + text, size, self.width - indent):
            self.line(ln, size, align=align, indent=indent, bold=bold, leading=leading)

    def label_value(self, label: str, value: str, size: float, *, indent: float = 0.0,
                    leading: float | None = None) -> None:
        """"label：value" with the value's continuation lines hanging under the value."""
        fonts = self.fonts
        lw = fonts.string_width(label, size)
        avail = self.width - indent - lw
        if avail < self.width * 0.45:  # label too wide to hang under: value below, indented
            self.line(label, size, indent=indent, leading=leading)
            self.paragraph(value, size, indent=indent + size, leading=leading)
            return
        lines = wrap(fonts, value, size, avail) or [""]
        self.line(label + lines[0], size, indent=indent, leading=leading)
        for ln in lines[1:]:
            self.line(ln, size, indent=indent + lw, leading=leading)

    def rule(self, *, dash: bool = False, space: float = 4.0, weight: float = 0.5) -> None:
        width = self.width

        def draw(c, x, top):
            c.saveState()
            c.setLineWidth(weight)
            if dash:
                c.setDash(2, 2)
            c.line(x, top - space, x + width, top - space)
            c.restoreState()

        self.add(space * 2, draw)

    # -- output --------------------------------------------------------------------------
    def draw(self, canvas, x: float, top: float) -> float:
        """Draw every block from `top` down; returns the y below the last block."""
        y = top
        for b in self.blocks:
            b.draw(canvas, x, y)
            y -= b.height
        return y

    def paginate(self, first_height: float, other_height: float | None = None) -> list[list[Block]]:
        """Split the blocks into pages of the given usable heights (keep_with_next respected); a
        block that starts a page gets its `repeat_header` (a table's header row) above it again."""
        other_height = first_height if other_height is None else other_height
        pages: list[list[Block]] = [[]]
        used, avail = 0.0, first_height

        def place(block_list: list[Block]) -> None:
            nonlocal used, avail
            h = sum(b.height for b in block_list)
            if used + h > avail + 1e-6 and pages[-1]:
                pages.append([])
                used, avail = 0.0, other_height
                header = block_list[0].repeat_header
                if header is not None:
                    pages[-1].append(header)
                    used += header.height
            pages[-1].extend(block_list)
            used += h

        blocks = self.blocks
        i = 0
        while i < len(blocks):
            j = i  # a group: blocks chained by keep_with_next
            while j < len(blocks) - 1 and blocks[j].keep_with_next:
                j += 1
            group = blocks[i:j + 1]
            if sum(b.height for b in group) <= other_height:
                place(group)
            else:  # taller than a page: let it break anywhere
                for b in group:
                    place([b])
            i = j + 1
        return pages


def table_row_block(fonts: FontSet, widths: list[float], cells: list[str], size: float, *,
                    pad_x: float, pad_y: float, line_width: float, header_gray: float,
                    header: bool = False, bold: bool = False, aligns: list[str] | None = None,
                    leading: float = 1.3, ascent: float = Flow.ASCENT, keep_with_next: bool = False,
                    repeat_header: Block | None = None) -> Block:
    """One ruled table row: `cells` wrapped to their column `widths`, framed, with column lines.

    A `header` row is filled with `header_gray`, its text centred and bold; other rows align
    each cell as `aligns` says (all centred when None), in bold when `bold`.
    """
    lh = size * leading
    wrapped = [wrap(fonts, cell, size, w - 2 * pad_x) or [""] for cell, w in zip(cells, widths)]
    h = max(len(lines) for lines in wrapped) * lh + 2 * pad_y
    table_w = sum(widths)
    if header or aligns is None:
        aligns = [ALIGN_CENTER] * len(widths)

    def draw(c, x, top):
        c.saveState()
        c.setLineWidth(line_width)
        if header:
            c.setFillGray(header_gray)
            c.rect(x, top - h, table_w, h, stroke=0, fill=1)
            c.setFillGray(0)
        c.rect(x, top - h, table_w, h, stroke=1, fill=0)
        cx = x
        for w in widths[:-1]:
            cx += w
            c.line(cx, top, cx, top - h)
        c.restoreState()
        cx = x
        for lines, w, align in zip(wrapped, widths, aligns):
            ax = {ALIGN_CENTER: cx + w / 2.0, ALIGN_RIGHT: cx + w - pad_x}.get(align, cx + pad_x)
            y = top - pad_y - (lh - size) / 2.0 - size * ascent
            for ln in lines:
                draw_text(c, fonts, ax, y, ln, size, align=align, bold=header or bold)
                y -= lh
            cx += w

    return Block(h, draw, keep_with_next, repeat_header)


def draw_blocks(canvas, blocks: list[Block], x: float, top: float) -> float:
    y = top
    for b in blocks:
        b.draw(canvas, x, y)
        y -= b.height
    return y


def cn_date(d) -> str:
    """2026年11月23日 (Arabic numerals, as GB/T 9704 has it for issue dates)."""
    return f"{d.year}年{d.month}月{d.day}日"
