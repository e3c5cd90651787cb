"""TrueType fonts for receipts and notices: discovery, registration and per-character fallback.

reportlab embeds TrueType-outline (`glyf`) fonts only, and silently draws nothing for a
character its font lacks. So the documents never rely on one font: `FontSet` holds the
usable fonts of the machine in a preference order and picks, character by character, the
first font whose cmap has the character (𠮷 U+20BB7 usually comes from a different font
than 张). Characters no font has are drawn with the primary font (as its .notdef glyph)
and reported by `missing()`, so the app can warn before printing.

Discovery reads font files once per process (a few hundred ms) and is cached at module
level; later `FontSet.discover()` calls return the same object.

Where the machine has CFF-outlined CJK fonts only (Noto Sans CJK on many Linux desktops),
`ensure_converted_font` converts one to TrueType outlines once (slow: a background thread)
into a cache folder; `set_extra_font_files` then makes `FontSet.default()` — what the
renderers use when given no font set — prefer it.

Importing this module also installs `_patch_tounicode()`: reportlab (checked on 5.1)
writes the ToUnicode map of a subset as `<02> <20BB7>`, which PDF readers take as the
BMP character U+20BB followed by garbage, so copying or `pdftotext` gives the wrong
character for anything outside the BMP. The patch writes UTF-16BE surrogate pairs
(`<02> <D842DFB7>`) as the PDF spec requires. It only replaces the one module-level helper
that builds that CMap, and only while reportlab still has the bug.
"""
from __future__ import annotations

import os
import struct
import sys
import threading
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

# ---------------------------------------------------------------------------------------
# ToUnicode fix for characters outside the BMP
# ---------------------------------------------------------------------------------------

_original_make_tounicode = ttfonts.makeToUnicodeCMap


def _utf16_hex(code: int) -> str:
    if code > 0xFFFF:
        code -= 0x10000
        return "%04X%04X" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))
    return "%04X" % code


def _make_tounicode_cmap(fontname, subset):
    """reportlab's makeToUnicodeCMap, with destination strings in UTF-16BE (surrogate pairs)."""
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            "<< /Registry (%s)" % fontname,
            "/Ordering (%s)" % fontname,
            "/Supplement 0",
            ">> def",
            "/CMapName /%s def" % fontname,
            "/CMapType 2 def",
            "1 begincodespacerange",
            "<00> <%02X>" % (len(subset) - 1),
            "endcodespacerange",
            "%d beginbfchar" % len(subset),
        ]
        + ["<%02X> <%s>" % (i, _utf16_hex(v)) for i, v in enumerate(subset)]
        + ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    )


def tounicode_is_broken() -> bool:
    """True when reportlab's own CMap writer mis-encodes non-BMP characters."""
    return "<20BB7>" in _original_make_tounicode("X", [0, 0x20BB7])


def _patch_tounicode() -> bool:
    if tounicode_is_broken():
        ttfonts.makeToUnicodeCMap = _make_tounicode_cmap
        return True
    return False


TOUNICODE_PATCHED = _patch_tounicode()

# ---------------------------------------------------------------------------------------
# Where fonts live, in preference order
# ---------------------------------------------------------------------------------------

# (file name, subfont index). Checked in this order; the first CJK one becomes the primary.
_WINDOWS_KNOWN = [
    ("msyh.ttc", 0),  # Microsoft YaHei
    ("simsun.ttc", 0),  # SimSun
    ("simsunb.ttf", 0),  # SimSun-ExtB (CJK Ext B: 𠮷)
    ("simsunextg.ttf", 0),  # SimSun-ExtG (Windows 11)
    ("simhei.ttf", 0),
]
_LINUX_KNOWN = [
    ("CESI_SS_GB18030.TTF", 0),  # UOS / Kylin: CESI 宋体 (GB 18030, incl. Ext B)
    ("CESI_HT_GB18030.TTF", 0),
    ("wqy-microhei.ttc", 0),
    ("wqy-zenhei.ttc", 0),
    ("DroidSansFallbackFull.ttf", 0),
    ("DroidSansFallback.ttf", 0),
    ("NotoSansSC-Regular.ttf", 0),  # only if TrueType-outlined (checked)
    ("NotoSansSC-VF.ttf", 0),
    ("uming.ttc", 0),
    ("ukai.ttc", 0),
]
# Latin fonts come after the common CJK fonts: DroidSansFallback has no ASCII at all, and
# digits should not come from the rare-character fonts below.
_LATIN_KNOWN = [("DejaVuSans.ttf", 0), ("arial.ttf", 0)]
# Rare-character fonts: only for what the fonts above lack.
_RARE_KNOWN = [
    ("HanaMinA.ttf", 0),  # Hanazono: Ext A and much of Ext B
    ("HanaMinB.ttf", 0),  # Hanazono: Ext B–F
]
# At most this many further CJK fonts found by scanning (each costs ~50–100 ms to load).
_MAX_SCANNED = 4
_CJK_PROBE = 0x4E2D  # 中


def _font_dirs() -> list[Path]:
    dirs: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    elif sys.platform == "win32":
        dirs.append(Path("C:/Windows/Fonts"))
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    home = Path.home()
    dirs += [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]
    return [d for d in dirs if d.is_dir()]


def _font_files(dirs: Sequence[Path]) -> dict[str, Path]:
    """Lower-cased file name -> first path, for every .ttf/.ttc under dirs (symlinks resolved)."""
    found: dict[str, Path] = {}
    visited: set[str] = set()
    for root in dirs:
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            real = os.path.realpath(dirpath)
            if real in visited:  # a symlink loop or a directory reached twice
                dirnames[:] = []
                continue
            visited.add(real)
            for fn in filenames:
                if fn.lower().endswith((".ttf", ".ttc")):
                    found.setdefault(fn.lower(), Path(dirpath) / fn)
    return found


def _sfnt_offsets(data_head: bytes, f) -> list[int]:
    if data_head[:4] == b"ttcf":
        f.seek(8)
        (n,) = struct.unpack(">I", f.read(4))
        return list(struct.unpack(">%dI" % min(n, 64), f.read(4 * min(n, 64))))
    return [0]


def cjk_faces(path: Path, outlines: str = "glyf") -> list[int]:
    """Indexes of the faces of `path` with the given outlines ("glyf": TrueType, which reportlab
    can embed; "CFF ": OpenType/CFF, which it cannot) that claim CJK coverage in their OS/2 bits.

    Reads only the table directories and the OS/2 table, so it is cheap for any file.
    """
    out: list[int] = []
    try:
        with open(path, "rb") as f:
            head = f.read(12)
            for index, offset in enumerate(_sfnt_offsets(head, f)):
                f.seek(offset)
                version, num_tables = struct.unpack(">4sH", f.read(6))
                if (version == b"OTTO") != (outlines == "CFF "):
                    continue
                f.seek(offset + 12)
                tables = {}
                for _ in range(num_tables):
                    tag, _cs, toff, tlen = struct.unpack(">4sIII", f.read(16))
                    tables[tag] = (toff, tlen)
                if outlines.encode() not in tables or b"cmap" not in tables or b"OS/2" not in tables:
                    continue  # (CFF2 variable fonts are not handled)
                toff, tlen = tables[b"OS/2"]
                f.seek(toff)
                os2 = f.read(min(tlen, 96))
                if len(os2) < 58:
                    continue
                _ur1, ur2 = struct.unpack(">II", os2[42:50])
                cjk_unified = bool(ur2 & (1 << (59 - 32)))
                cp1 = struct.unpack(">I", os2[78:82])[0] if len(os2) >= 82 else 0
                chinese_cp = bool(cp1 & ((1 << 18) | (1 << 20)))
                if cjk_unified or chinese_cp:
                    out.append(index)
    except (OSError, struct.error):
        return []
    return out


# ---------------------------------------------------------------------------------------
# FontSet
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FontEntry:
    name: str  # registered reportlab font name
    family: str  # the font's own name, e.g. "DroidSansFallback"
    path: Path
    index: int
    cmap: dict  # code point -> glyph id (reportlab's charToGlyph)
    widths: dict  # code point -> advance in 1/1000 em
    default_width: float


_lock = threading.RLock()
_convert_lock = threading.Lock()  # separate: a conversion takes minutes, discovery must not wait
_extra_files: tuple[str, ...] = ()  # preferred extra fonts for FontSet.default()
_loaded: dict[tuple[str, int], FontEntry | None] = {}  # (realpath, index) -> entry (None: unusable)
_sets: dict[tuple[str, ...], "FontSet"] = {}


def _load(path: Path, index: int = 0) -> FontEntry | None:
    key = (os.path.realpath(path), index)
    with _lock:
        if key in _loaded:
            return _loaded[key]
        entry = None
        try:
            stem = "".join(ch if ch.isalnum() else "-" for ch in Path(key[0]).stem)
            # the path's hash keeps two files with the same name (an app font, a system font) apart
            name = f"xf-{stem}-{index}-{zlib.crc32(key[0].encode('utf-8', 'surrogateescape')) & 0xFFFF:04x}"
            font = TTFont(name, key[0], subfontIndex=index)
            pdfmetrics.registerFont(font)
            face = font.face
            family = face.name.decode("latin-1") if isinstance(face.name, bytes) else str(face.name)
            entry = FontEntry(
                name, family, Path(key[0]), index, face.charToGlyph, face.charWidths, face.defaultWidth
            )
        except Exception:  # CFF outlines, no embedding allowed, damaged file…
            entry = None
        _loaded[key] = entry
        return entry


def _is_ignorable(ch: str) -> bool:
    """Whitespace, controls, format chars and variation selectors: never reported as missing."""
    if ch.isspace():
        return True
    cp = ord(ch)
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return True
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs")


def reportlab_latin_fallback() -> Path | None:
    """reportlab ships Vera.ttf: the last resort, so a PDF always embeds its font."""
    import reportlab

    p = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    return p if p.is_file() else None


class FontSet:
    """The usable fonts of this machine in preference order, with per-character fallback."""

    def __init__(self, entries: Sequence[FontEntry]):
        if not entries:
            raise ValueError("FontSet needs at least one font")
        self.entries: list[FontEntry] = list(entries)
        cjk = [e for e in self.entries if _CJK_PROBE in e.cmap]
        self.primary: str = (cjk[0] if cjk else self.entries[0]).name
        self._by_name = {e.name: e for e in self.entries}
        self._char_font: dict[str, str | None] = {}

    # -- discovery -------------------------------------------------------------------
    @classmethod
    def discover(cls, extra_files: Sequence[Path] = ()) -> "FontSet":
        """Fonts of this machine (plus `extra_files`, preferred first), loaded once per process."""
        key = tuple(os.path.realpath(p) for p in extra_files)
        with _lock:
            cached = _sets.get(key)
            if cached is None:
                cached = _sets[key] = cls._discover(key)
            return cached

    @classmethod
    def default(cls) -> "FontSet":
        """`discover()` with the extra files set by `set_extra_font_files` (a converted font)."""
        with _lock:
            extra = _extra_files
        return cls.discover(extra)

    @classmethod
    def _discover(cls, extra: tuple[str, ...]) -> "FontSet":
        candidates: list[tuple[Path, int]] = []
        for p in extra:
            path = Path(p)
            if path.suffix.lower() == ".ttc":
                candidates += [(path, i) for i in (cjk_faces(path) or [0])]
            else:
                candidates.append((path, 0))
        files = _font_files(_font_dirs())
        for fn, index in _WINDOWS_KNOWN + _LINUX_KNOWN:
            if fn.lower() in files:
                candidates.append((files[fn.lower()], index))
        for fn, index in _LATIN_KNOWN + _RARE_KNOWN:
            if fn.lower() in files:
                candidates.append((files[fn.lower()], index))
        known = {fn.lower() for fn, _ in _WINDOWS_KNOWN + _LINUX_KNOWN + _LATIN_KNOWN + _RARE_KNOWN}
        scanned: list[tuple[Path, int]] = []
        for fn, path in files.items():
            if fn in known:
                continue
            for index in cjk_faces(path):
                scanned.append((path, index))
        scanned.sort(key=lambda c: -_size(c[0]))  # bigger CJK fonts usually cover more
        candidates += scanned[: _MAX_SCANNED * 2]
        vera = reportlab_latin_fallback()
        latin = [(vera, 0)] if vera else []

        entries: list[FontEntry] = []
        seen_paths: set[tuple[str, int]] = set()
        seen_families: set[str] = set()
        n_scanned = 0
        scanned_set = set(scanned)
        for path, index in candidates + latin:
            real = (os.path.realpath(path), index)
            if real in seen_paths:
                continue
            seen_paths.add(real)
            if (path, index) in scanned_set and n_scanned >= _MAX_SCANNED:
                continue
            entry = _load(path, index)
            if entry is None or entry.family in seen_families:
                continue
            if (path, index) in scanned_set:
                if _CJK_PROBE not in entry.cmap:
                    continue
                n_scanned += 1
            seen_families.add(entry.family)
            entries.append(entry)
        return cls(entries)

    # -- queries ---------------------------------------------------------------------
    def families(self) -> list[str]:
        return [e.family for e in self.entries]

    def font_for(self, ch: str) -> str | None:
        """Registered reportlab name of the first font that has `ch`, or None."""
        try:
            return self._char_font[ch]
        except KeyError:
            pass
        cp = ord(ch)
        found = None
        for e in self.entries:
            if cp in e.cmap:
                found = e.name
                break
        self._char_font[ch] = found
        return found

    def runs(self, text: str) -> list[tuple[str, str]]:
        """(font name, text) runs; joined, the texts give back `text`.

        Whitespace and other invisible characters stay in the current run where that font
        has them (at a normal width); characters no font has go to the primary font (see
        `missing`).
        """
        out: list[tuple[str, str]] = []
        cur_font: str | None = None
        cur: list[str] = []
        for ch in text:
            if cur_font is not None and _is_ignorable(ch) and self._fits_run(cur_font, ch):
                font = cur_font
            else:
                font = self.font_for(ch) or self.primary
            if font != cur_font and cur:
                out.append((cur_font, "".join(cur)))
                cur = []
            cur_font = font
            cur.append(ch)
        if cur:
            out.append((cur_font, "".join(cur)))
        return out

    def _fits_run(self, font: str, ch: str) -> bool:
        """May an invisible character stay in a run of `font`? Not a space the font makes
        full-width (the Hanazono fonts do), nor one the font lacks when another has it."""
        e = self._by_name[font]
        cp = ord(ch)
        if cp in e.cmap:
            return not ch.isspace() or ch == "\u3000" or e.widths.get(cp, e.default_width) <= 400
        return self.font_for(ch) is None

    def draw_runs(self, text: str) -> list[tuple[str, str]]:
        """`runs` minus invisible characters (variation selectors, controls) the run's font
        lacks, which reportlab would otherwise draw as a .notdef box. Spaces are kept."""
        out = []
        for font, run in self.runs(text):
            cmap = self._by_name[font].cmap
            kept = "".join(
                ch for ch in run if ch == " " or ord(ch) in cmap or not _is_ignorable(ch)
            )
            if kept:
                out.append((font, kept))
        return out

    def missing(self, text: str) -> list[str]:
        """Characters of `text` no font has (each once, in order; whitespace/controls ignored)."""
        out: list[str] = []
        for ch in text:
            if ch not in out and not _is_ignorable(ch) and self.font_for(ch) is None:
                out.append(ch)
        return out

    def run_width(self, font_name: str, run: str, size: float) -> float:
        """Advance of `run` in one font (what reportlab's stringWidth gives, without the call)."""
        e = self._by_name[font_name]
        widths, default = e.widths, e.default_width
        return sum(widths.get(32 if ch == "\xa0" else ord(ch), default) for ch in run) * size / 1000.0

    def string_width(self, text: str, size: float) -> float:
        return sum(self.run_width(font, run, size) for font, run in self.draw_runs(text))


def set_extra_font_files(paths: Sequence[Path]) -> None:
    """Fonts `FontSet.default()` prefers from now on (e.g. the converted Noto Sans CJK)."""
    global _extra_files
    with _lock:
        _extra_files = tuple(os.path.realpath(p) for p in paths)


def extra_font_files() -> tuple[Path, ...]:
    with _lock:
        return tuple(Path(p) for p in _extra_files)


# Characters whose coverage means "this machine can print Chinese without a converted font".
COMMON_PROBE = "信访"
CONVERTED_SUFFIX = "-tt.ttf"


def find_converted_font(cache_dir: Path) -> Path | None:
    """A converted font already in `cache_dir` (the newest, if several), or None."""
    try:
        found = [p for p in Path(cache_dir).iterdir()
                 if p.name.endswith(CONVERTED_SUFFIX) and p.is_file() and cjk_faces(p)]
    except OSError:
        return None
    if not found:
        return None
    return max(found, key=lambda p: (p.stat().st_mtime, p.name))


def needs_converted_font(extra_files: Sequence[Path] = ()) -> bool:
    """True when no TrueType font found covers common Chinese ("信访")."""
    fs = FontSet.discover(extra_files)
    return any(fs.font_for(ch) is None for ch in COMMON_PROBE)


def ensure_converted_font(cache_dir: Path, on_convert=None) -> Path | None:
    """A TrueType conversion of a CFF CJK font in `cache_dir`, made now if needed.

    Returns an existing converted font at once. Otherwise, only when the TrueType fonts of
    this machine do not cover common Chinese, converts the best CFF CJK font found (Noto Sans
    CJK SC first): one to two minutes, so call it from a background thread (`on_convert()`
    is called just before a conversion starts, e.g. to tell the user). Returns None when no
    conversion is needed or possible. Never raises for a font problem.
    """
    cache_dir = Path(cache_dir)
    existing = find_converted_font(cache_dir)
    if existing is not None:
        return existing
    if not needs_converted_font():
        return None
    with _convert_lock:  # one conversion per process; a second caller gets its result
        existing = find_converted_font(cache_dir)
        if existing is not None:
            return existing
        from . import font_convert

        try:
            sources = font_convert.find_cff_cjk_fonts(_font_dirs())
        except Exception:
            return None
        for source, index in sources:
            target = cache_dir / font_convert.converted_name(source, index)
            if on_convert is not None:
                on_convert()
                on_convert = None
            try:
                font_convert.convert_to_truetype(source, index, target)
            except Exception:
                import logging

                logging.getLogger(__name__).exception("font conversion failed: %s (%d)", source, index)
                continue
            if _load(target) is not None:
                return target
            try:  # unusable after all: do not offer it again
                target.unlink()
            except OSError:
                pass
        return None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
