"""Hypothesis strategies for hostile input: arbitrary Unicode plus the pieces that break programs.

Used by tests/hostile/. Everything here is text a person, a paste or a broken file could
produce: control characters and NUL, bidirectional and zero-width marks, characters outside
the BMP, combining marks, SQL- and JSON-looking text, whitespace only, and a few fixed giant
strings (100,000 characters; fixed samples, because generating them is slow).

`hostile_text` never contains lone surrogates: a Python string from the window or from valid
UTF-8 cannot hold them. `surrogate_text` adds them, for the JSON path (`"\\ud800"` is valid JSON).
"""
from __future__ import annotations

import functools

from hypothesis import strategies as st

GIANT_LEN = 100_000

CONTROL = [
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x1f", "\x7f",  # C0 and DEL
    "\x80", "\x85", "\x9b", "\x9f",  # C1
]
INVISIBLE = [
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\u202d", "\u2066", "\u2069",  # LRO, LRI, PDI
    "\u200f", "\u200e",  # RLM, LRM
    "\u200b", "\u200c", "\u200d",  # zero width space / non-joiner / joiner
    "\ufeff",  # BOM / zero width no-break space
    "\u2028", "\u2029",  # line and paragraph separators
    "\u00ad",  # soft hyphen
    "\ufffd", "\ufffe", "\uffff",  # replacement char and BMP non-characters
]
ASTRAL = [
    "𠮷", "䶮", "\U0002a6d6", "\U00031350",  # CJK outside (and at the edge of) the BMP
    "😀", "👨\u200d👩\u200d👧", "🇨🇳", "👍🏽",  # emoji, ZWJ sequence, flag, skin tone
    "\U0001d400", "\U000e0041",  # math bold A, tag character
    "\U000f0000", "\U0010fffd", "\U0010fffe", "\U0010ffff",  # private use planes and their ends
]
COMBINING = ["e\u0301", "\u0301", "\u0301\u0301\u0301", "a\u0308\u0323", "\u20dd", "\u3099", "张\u0301"]
SQL_LIKE = [
    "'; DROP TABLE matter;--", "\"; DROP TABLE matter; --", "' OR '1'='1", '" OR 1=1 --', "1; DELETE FROM matter",
    "%", "_", "\\", "%%", "_%", "\\%", "\\_", "%_\\", "[a-z]", "*", "?", "' UNION SELECT * FROM operator --",
    "ESCAPE '\\'", "/*", "*/", "--", ";", "''", "\"\"", ":p0", "?1", "@x", "$1",
]
JSON_LIKE = [
    '{"form": "走访"}', "[1, 2, {\"a\": null}]", "null", "true", "[]", "{}", "\"", "\\u0000", "\\ud800", "{\"", "]]",
    "NaN", "-Infinity", "1e999",
]
WHITESPACE = [" ", "\t", "\n", "\r\n", "\r", "\u3000", "\xa0", "\u2003", "\u205f", "\x1c", "\x1e", "\x85", "\u180e"]
ORDINARY = [
    "张三", "信访", "拖欠工资", "360426", "360426-", "13812345678", "0791-86123456", "zs", "ZS", "·", "-", "'",
    "１２３", "ＡＢＣ", "阿依古丽·买买提", "O'Brien", "Zoë", "ß", "İ", "ﬁ", "Ⅻ", "²", "٣", "〇",
]
PIECES = CONTROL + INVISIBLE + ASTRAL + COMBINING + SQL_LIKE + JSON_LIKE + WHITESPACE + ORDINARY

GIANTS = [
    "长" * GIANT_LEN,
    "𠮷" * GIANT_LEN,
    "a" * GIANT_LEN,
    "1" * GIANT_LEN,
    " " * GIANT_LEN,
    "\u3000" * GIANT_LEN,
    "\x00" * GIANT_LEN,
    "%" * GIANT_LEN,
    "\\" * GIANT_LEN,
    ("'; DROP TABLE matter;--" * (GIANT_LEN // 20))[:GIANT_LEN],
    ("张\u202e😀\u200b%_\\\x00e\u0301" * (GIANT_LEN // 10))[:GIANT_LEN],
    " " * (GIANT_LEN - 2) + "张三",
]

SURROGATES = ["\ud800", "\udbff", "\udc00", "\udcff", "\udfff", "\ud83d"]  # lone halves; \udcff is surrogateescape's 0xFF

# Arbitrary Unicode, any category but surrogates (st.characters' default already excludes Cs).
any_unicode = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30)
pieces = st.lists(st.one_of(st.sampled_from(PIECES), any_unicode), min_size=1, max_size=6).map("".join)
whitespace_only = st.lists(st.sampled_from(WHITESPACE), min_size=1, max_size=8).map("".join)

hostile_text = st.one_of(
    any_unicode,
    pieces,
    pieces,  # weighted: mostly the nasty pieces
    whitespace_only,
    st.sampled_from(GIANTS),
)

# The same, but short: for places where a giant value only repeats what hostile_text covers.
short_hostile_text = st.one_of(any_unicode, pieces, whitespace_only)

surrogate_text = st.one_of(
    hostile_text,
    st.tuples(short_hostile_text, st.sampled_from(SURROGATES), short_hostile_text).map("".join),
)


@functools.lru_cache(maxsize=None)
def json_values(text=short_hostile_text, max_leaves: int = 12):
    """Any JSON value: scalars of every type (NaN and infinities too, as Python's json writes them),
    lists and objects nested a few levels, with hostile strings as keys and values.

    Cached: building (and validating) a new recursive strategy on every draw is slow, the more so
    as its repr holds the giant samples."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=-(10**4000), max_value=10**4000),  # big, but within int→str's 4300 digits
        st.floats(allow_nan=True, allow_infinity=True),
        text,
    )
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(text, children, max_size=4),
        ),
        max_leaves=max_leaves,
    )


def contains_surrogate(value: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in value)
