"""Entry points: render a document by its kind, and check its glyphs before printing."""
from __future__ import annotations

from .content import KIND_SLIP, NOTICE_KINDS, DocumentContent
from .fonts import FontSet
from .notices import render_notice
from .slip import render_slip


def render(content: DocumentContent, *, fonts: FontSet | None = None, width_mm: int = 80) -> bytes:
    """PDF bytes: the thermal slip (`width_mm` 80 or 58) for KIND_SLIP, else an A4 notice."""
    fonts = fonts or FontSet.default()
    if content.kind == KIND_SLIP:
        return render_slip(content, fonts, width_mm)
    if content.kind in NOTICE_KINDS:
        return render_notice(content, fonts)
    raise ValueError(f"unknown document kind: {content.kind!r}")


def check_glyphs(content: DocumentContent, fonts: FontSet | None = None) -> list[tuple[str, str]]:
    """(field label, character) for every printed character no installed font has.

    Such characters would print as an empty box or not at all: the app warns before printing.
    Each (label, character) pair is reported once.
    """
    fonts = fonts or FontSet.default()
    out: list[tuple[str, str]] = []
    for label, value in content.printed_fields():
        for ch in fonts.missing(value):
            if (label, ch) not in out:
                out.append((label, ch))
    return out
