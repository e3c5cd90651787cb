"""Personal-name normalisation and checks.

Minority and foreign names are written with a middle dot that input methods
produce in many look-alike forms; unifying them keeps one person one name in
searches. Rare characters outside the BMP (𠮷) must be accepted.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .text import to_halfwidth

MIDDLE_DOT = "\u00b7"

# Characters typed in place of the middle dot of names like 阿依古丽·买买提.
_DOT_LOOKALIKES = "\u30fb\uff65\u2022\u2027\u2219\u22c5\u0387\uff0e\u00b7"
_PUNCT_MAP = str.maketrans({"\u2019": "'", "\u2010": "-", "\u2011": "-"})
_SEPARATORS = (MIDDLE_DOT, "-", "'")

# CJK ideographs in every plane, as ranges so that blocks newer than the
# running Python's Unicode tables are still accepted.
_CJK_RANGES = (
    (0x3007, 0x3007),  # 〇
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # URO
    (0xF900, 0xFAFF),  # Compatibility Ideographs
    (0x20000, 0x2A6DF),  # Extension B
    (0x2A700, 0x2EE5F),  # Extensions C, D, E, F, I
    (0x2F800, 0x2FA1F),  # Compatibility Supplement
    (0x30000, 0x323AF),  # Extensions G, H
)
_CJK = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _CJK_RANGES)
# Spaces, a dot, spaces; a match starts where a run of spaces starts or on the dot itself: trying
# every position inside a long run of spaces took quadratic time (100,000 spaces: about a minute).
_DOT_RE = re.compile(rf"(?<!\s)\s*[{_DOT_LOOKALIKES}]\s*|[{_DOT_LOOKALIKES}]\s*")
_FULL_STOP_RE = re.compile(rf"(?<=[{_CJK}])\s*\.\s*(?=[{_CJK}])")
_CJK_SPACE_RE = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")


@dataclass(frozen=True)
class NameCheck:
    """Outcome of one check; `normalized` is what should be stored."""

    normalized: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def normalize_name(raw: str) -> str:
    """NFC, trimmed, single spaces, one kind of middle dot with no spaces around it.

    A space between two Chinese characters ("张 三") is a typing slip and is
    removed, so the same person is not stored twice.
    """
    text = unicodedata.normalize("NFC", raw or "").translate(_PUNCT_MAP)
    text = _DOT_RE.sub(MIDDLE_DOT, text)  # before to_halfwidth: U+FF0E is a dot here
    text = " ".join(to_halfwidth(text).split())
    text = _FULL_STOP_RE.sub(MIDDLE_DOT, text)
    return _CJK_SPACE_RE.sub("", text)


def check_name(raw: str, max_len: int = 50) -> NameCheck:
    """Required name of Chinese characters or Latin letters, with · - ' and spaces."""
    name = normalize_name(raw)
    if not name:
        return NameCheck(normalized="", error="请填写姓名")
    prev_ok = False
    for ch in name:
        allowed = (
            _is_cjk(ch)
            or _is_latin(ch)
            or ch == " "
            or ch in _SEPARATORS
            or (prev_ok and unicodedata.category(ch) == "Mn")  # accent left decomposed
        )
        if not allowed:
            return NameCheck(normalized=name, error=_bad_char_message(ch))
        prev_ok = _is_latin(ch) or unicodedata.category(ch) == "Mn"
    for sep in _SEPARATORS:
        if name.startswith(sep) or name.endswith(sep):
            return NameCheck(normalized=name, error=f"姓名不能以“{sep}”开头或结尾")
    if MIDDLE_DOT * 2 in name:
        return NameCheck(normalized=name, error="姓名中的“·”不能连续出现")
    if len(name) > max_len:  # code points: 𠮷 counts as one character
        return NameCheck(normalized=name, error=f"姓名不能超过{max_len}个字（现在是{len(name)}个字）")
    return NameCheck(normalized=name)


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return any(a <= code <= b for a, b in _CJK_RANGES)


def _is_latin(ch: str) -> bool:
    return ch.isalpha() and "LATIN" in unicodedata.name(ch, "")


def _bad_char_message(ch: str) -> str:
    if unicodedata.category(ch)[0] in "CZ":
        return f"姓名中有看不见的特殊字符（U+{ord(ch):04X}），请删除后重新输入"
    return f"姓名中不能包含字符“{ch}”"
