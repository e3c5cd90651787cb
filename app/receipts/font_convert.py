"""Converting a CFF-outlined CJK font (Noto Sans CJK, Source Han Sans) to TrueType outlines.

reportlab embeds TrueType-outline (`glyf`) fonts only. On machines whose only CJK fonts are
CFF-outlined OpenType (many Linux desktops ship just Noto Sans CJK .ttc/.otf), no receipt font
would cover Chinese. `convert_to_truetype` rebuilds every glyph as quadratic TrueType outlines
with fontTools (the logic of fontTools' Snippets/otf2ttf.py: cu2qu), once; the result is an
ordinary .ttf reportlab can load and embed. A full Noto Sans CJK SC takes a minute or two and
some hundred MB of memory: run it in a background thread.

No Qt and no database here.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from app.atomic_file import replacing

from .fonts import cjk_faces

# Characters a usable Chinese font must have (checked in the source's cmap).
PROBE_TEXT = "信访中"
MAX_ERR = 1.0  # cu2qu tolerance in font units (otf2ttf's default): invisible at 1000 upem
REVERSE_DIRECTION = True  # CFF contours run counter-clockwise, TrueType clockwise

_SUFFIXES = (".otf", ".otc", ".ttc", ".ttf")


def _font_dirs() -> list[Path]:
    from .fonts import _font_dirs as dirs

    return dirs()


def _cff_faces(path: Path) -> list[int]:
    """Indexes of the faces of `path` that are CFF-outlined and claim CJK coverage."""
    return cjk_faces(path, "CFF ")


def _face_score(path: Path, index: int) -> tuple | None:
    """Sort key for a face (smaller is better), or None when it lacks common Chinese.

    Prefers Simplified Chinese ("SC", "GB", "CN" in the family name), then sans over serif,
    then Regular over other weights.
    """
    from fontTools.ttLib import TTFont as FTFont

    try:
        font = FTFont(str(path), fontNumber=index, lazy=True)
        try:
            cmap = font.getBestCmap() or {}
            if not all(ord(ch) in cmap for ch in PROBE_TEXT):
                return None
            name = font["name"]
            family = str(name.getDebugName(16) or name.getDebugName(1) or "")
            subfamily = str(name.getDebugName(17) or name.getDebugName(2) or "")
        finally:
            font.close()
    except Exception:
        return None
    words = family.replace("-", " ").split()
    upper = family.upper()
    sc = 0 if ("SC" in words or " SC" in upper or "GB" in words or "CN" in words
               or upper.endswith("SC")) else 1
    serif = 1 if "SERIF" in upper or "MING" in upper or "SONG" in upper else 0
    regular = 0 if subfamily.lower() in ("regular", "normal", "book", "") else 1
    return (sc, serif, regular, -_size(path), str(path))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def find_cff_cjk_fonts(dirs: Sequence[Path] | None = None) -> list[tuple[Path, int]]:
    """CFF-outlined CJK fonts of this machine, best first: (path, face index), one per file.

    For a collection (.ttc/.otc) the index is its best face, the Simplified Chinese one
    where there is one (Noto Sans CJK's .ttc holds JP, KR, SC, TC and HK faces).
    """
    dirs = list(_font_dirs() if dirs is None else dirs)
    scored: list[tuple[tuple, Path, int]] = []
    seen: set[str] = set()
    visited: set[str] = set()
    for root in dirs:
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            real = os.path.realpath(dirpath)
            if real in visited:
                dirnames[:] = []
                continue
            visited.add(real)
            for fn in sorted(filenames):
                if not fn.lower().endswith(_SUFFIXES):
                    continue
                path = Path(dirpath) / fn
                rp = os.path.realpath(path)
                if rp in seen:
                    continue
                seen.add(rp)
                best = None
                for index in _cff_faces(path):
                    score = _face_score(path, index)
                    if score is not None and (best is None or score < best[0]):
                        best = (score, path, index)
                if best is not None:
                    scored.append(best)
    scored.sort(key=lambda s: s[0])
    return [(path, index) for _score, path, index in scored]


def converted_name(source: Path, index: int) -> str:
    """File name for the converted face: its PostScript name + "-tt.ttf"."""
    from fontTools.ttLib import TTFont as FTFont

    ps = ""
    try:
        font = FTFont(str(source), fontNumber=index, lazy=True)
        try:
            ps = str(font["name"].getDebugName(6) or "")
        finally:
            font.close()
    except Exception:
        pass
    if not ps:
        ps = f"{source.stem}-{index}"
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in ps)
    return f"{safe}-tt.ttf"


def convert_to_truetype(source: Path, index: int, target: Path) -> Path:
    """Write face `index` of the CFF font `source` as a TrueType-outline font at `target`.

    The file appears atomically (written next to `target`, then renamed), so a reader never
    sees half a font. Returns `target`. Raises ValueError for a font that is not CFF.
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont as FTFont
    from fontTools.ttLib import newTable

    source, target = Path(source), Path(target)
    font = FTFont(str(source), fontNumber=index, lazy=False)
    try:
        if font.sfntVersion != "OTTO" or "CFF " not in font:
            raise ValueError(f"{source} (face {index}) is not a CFF-outlined font")
        glyph_order = font.getGlyphOrder()
        glyph_set = font.getGlyphSet()

        glyphs = {}
        for gname in glyph_order:
            tt_pen = TTGlyphPen(glyph_set)
            glyph_set[gname].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=REVERSE_DIRECTION))
            glyphs[gname] = tt_pen.glyph()

        font["loca"] = newTable("loca")
        font["glyf"] = glyf = newTable("glyf")
        glyf.glyphOrder = glyph_order
        glyf.glyphs = glyphs
        del font["CFF "]
        if "VORG" in font:
            del font["VORG"]
        glyf.compile(font)  # also sets each glyph's bounding box

        hmtx = font["hmtx"]  # left side bearings = xMin of the new outlines
        for gname, glyph in glyf.glyphs.items():
            if hasattr(glyph, "xMin"):
                hmtx[gname] = (hmtx[gname][0], glyph.xMin)

        font["maxp"] = maxp = newTable("maxp")
        maxp.tableVersion = 0x00010000
        maxp.maxZones = 1
        maxp.maxTwilightPoints = 0
        maxp.maxStorage = 0
        maxp.maxFunctionDefs = 0
        maxp.maxInstructionDefs = 0
        maxp.maxStackElements = 0
        maxp.maxSizeOfInstructions = 0
        maxp.maxComponentElements = max(
            (len(getattr(g, "components", None) or []) for g in glyf.glyphs.values()), default=0
        )
        maxp.compile(font)  # numGlyphs, maxPoints, maxContours… from the glyf table

        post = font["post"]  # no glyph names: CID-keyed CJK fonts have only cidNNNNN ones
        post.formatType = 3.0
        post.extraNames = []
        post.mapping = {}
        post.glyphOrder = glyph_order

        font["head"].glyphDataFormat = 0
        font.sfntVersion = "\x00\x01\x00\x00"

        target.parent.mkdir(parents=True, exist_ok=True)
        with replacing(target) as tmp:  # synced before the rename
            font.save(str(tmp), reorderTables=True)
    finally:
        font.close()
    return target
