"""Pinyin initials of names, so typing `zs` finds 张三."""
from __future__ import annotations


def name_initials(name: str) -> str:
    """Lower-case first letters: 张三 -> 'zs'; Latin words contribute their first letter."""
    # Imported here: loading pypinyin's dictionaries costs ~0.3 s, which start-up need not pay.
    from pypinyin import Style, lazy_pinyin

    out: list[str] = []
    for part in lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda s: s.split()):
        part = part.strip()
        if part and part[0].isascii() and part[0].isalpha():
            out.append(part[0].lower())
    return "".join(out)
