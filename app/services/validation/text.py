"""Free-text and division-code checks, plus the half-width helper the other checks share."""
from __future__ import annotations

import re

_FULLWIDTH_OFFSET = 0xFEE0  # U+FF01..U+FF5E are full-width copies of U+0021..U+007E
_DIVISION_RE = re.compile(r"[0-9]{6}|[0-9]{9}|[0-9]{12}")
# Control characters (Unicode category Cc) except tab, line feed and carriage return.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def to_halfwidth(raw: str) -> str:
    """Map full-width ASCII look-alikes and the ideographic space to ASCII.

    Chinese input methods often type full-width digits and letters; storing
    them as is would break checksums and searches.
    """
    out = []
    for ch in raw:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - _FULLWIDTH_OFFSET))
        elif ch == "\u3000":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def check_text(raw: str, label: str, *, required: bool, max_len: int) -> tuple[str, str | None]:
    """Trim a free-text field and check presence and length (in characters, not bytes)."""
    text = (raw or "").strip()
    if not text:
        return "", (f"请填写{label}" if required else None)
    if len(text) > max_len:
        return text, f"{label}不能超过{max_len}个字（现在是{len(text)}个字）"
    bad = _CONTROL_RE.search(text)
    if bad:  # NUL and the like: invisible, cut text short in SQLite's LIKE, refused by PostgreSQL
        return text, f"{label}中有看不见的控制字符（U+{ord(bad.group()):04X}），请删除后重新输入"
    return text, None


def check_division_code(raw: str) -> tuple[str, str | None]:
    """Check a GB/T 2260 county code (6 digits) or a statistical township/village code (9/12)."""
    code = to_halfwidth(raw or "").strip()
    if not code:
        return "", None
    if not _DIVISION_RE.fullmatch(code):
        return code, "行政区划代码应为6、9或12位数字"
    return code, None
