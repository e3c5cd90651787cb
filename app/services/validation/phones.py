"""Mainland mobile and landline checks (spec §5.3).

Numbers arrive typed in many ways (spaces, dashes, +86, full-width digits);
one normal form keeps repeat-petitioner search and masking reliable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from .text import to_halfwidth

MOBILE = "mobile"
LANDLINE = "landline"

_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE_RE = re.compile(r"(0[0-9]{2,3})-([0-9]{7,8})(?:-([0-9]{1,6}))?")
_EXT_RE = re.compile(r"[0-9]{1,6}")
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_ALLOWED = set("0123456789-()+转")
_LANDLINE_HINT = "固定电话应为区号加7至8位号码，如0791-86123456"


@dataclass(frozen=True)
class PhoneCheck:
    """Outcome of one check; `normalized` is what should be stored ("" when not given)."""

    normalized: str
    kind: str | None = None  # "mobile" | "landline"
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def check_phone(raw: str) -> PhoneCheck:
    """Validate an optional phone number and bring it to one stored form."""
    text = _clean(raw)
    if not text:
        return PhoneCheck(normalized="")
    bad = next((ch for ch in text if ch not in _ALLOWED), None)
    if bad is not None:
        return PhoneCheck(normalized=text, error=f"电话号码中不能包含“{bad}”")
    if "+" in text[1:]:
        return PhoneCheck(normalized=text, error="“+”只能写在号码最前面")
    main, sep, ext = text.partition("转")
    if sep and not _EXT_RE.fullmatch(ext):
        return PhoneCheck(normalized=text, error="“转”后面的分机号应为1至6位数字")
    digits = _national_digits(main)
    if digits is None:
        return PhoneCheck(normalized=text, error="只能填写中国大陆的电话号码")
    if digits.startswith("1"):
        return _mobile(digits, text, has_ext=bool(sep))
    if digits.startswith("0"):
        return _landline(main, digits, ext, text)
    if 7 <= len(digits) <= 8:
        return PhoneCheck(normalized=text, error="固定电话请加区号，如0791-86123456")
    return PhoneCheck(normalized=text, error="无法识别这个电话号码，请核对")


def mask_phone(normalized: str) -> str:
    """Hide the middle of a stored number for screens and receipts (spec §6.2)."""
    if _MOBILE_RE.fullmatch(normalized):
        return normalized[:3] + "****" + normalized[-4:]
    m = _LANDLINE_RE.fullmatch(normalized)
    if m:
        area, sub, ext = m.groups()
        return f"{area}-{'*' * (len(sub) - 4)}{sub[-4:]}" + (f"-{ext}" if ext else "")
    if len(normalized) > 4:
        return "*" * (len(normalized) - 4) + normalized[-4:]
    return "*" * len(normalized)


def phone_digits(raw: str) -> str:
    """Search key: national digits only, without +86 and without any extension."""
    check = check_phone(raw)
    if check.ok and check.normalized:
        if check.kind == LANDLINE:
            area, sub, _ext = _LANDLINE_RE.fullmatch(check.normalized).groups()
            return area + sub
        return check.normalized
    digits = "".join(ch for ch in _clean(raw) if ch.isascii() and ch.isdigit())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and _MOBILE_RE.fullmatch(digits[len(prefix):]):
            return digits[len(prefix):]
    return digits


# --- helpers -----------------------------------------------------------------


def _clean(raw: str) -> str:
    """Half-width, no whitespace, every dash look-alike as "-"."""
    return "".join(to_halfwidth(raw or "").split()).translate(_DASHES)


def _national_digits(text: str) -> str | None:
    """Digits without the +86/0086/86 country code; None for a foreign country code."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("+"):
        if not digits.startswith("86"):
            return None
        digits = digits[2:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and _MOBILE_RE.fullmatch(digits[2:]):
        return digits[2:]
    else:
        return digits
    # International form drops the trunk 0 of a landline area code; "10" is Beijing.
    if digits.startswith("0") or (digits.startswith("1") and not digits.startswith("10")):
        return digits
    return "0" + digits


def _mobile(digits: str, text: str, *, has_ext: bool) -> PhoneCheck:
    # phonenumbers' CN mobile pattern lags behind new ranges (spec §5.3), and
    # the override would accept whatever the simple pattern accepts, so the
    # simple pattern is the rule here.
    if has_ext:
        return PhoneCheck(normalized=text, error="手机号码不能带分机号")
    if len(digits) != 11:
        return PhoneCheck(normalized=text, error=f"手机号码应为11位数字（现在是{len(digits)}位）")
    if not _MOBILE_RE.fullmatch(digits):
        return PhoneCheck(normalized=text, error="手机号码的前两位不正确，请核对")
    return PhoneCheck(normalized=digits, kind=MOBILE)


def _landline(main: str, digits: str, ext: str, text: str) -> PhoneCheck:
    split = _split_landline(digits)
    if split is None and not ext and "-" in main:
        # "0791-86123456-801": the last dash group may be an extension.
        head, _, tail = main.rpartition("-")
        head_digits = _national_digits(head)
        if _EXT_RE.fullmatch(tail) and head_digits:
            split = _split_landline(head_digits)
            ext = tail if split else ""
    if split is None:
        return PhoneCheck(normalized=text, error=_LANDLINE_HINT)
    area, sub = split
    return PhoneCheck(normalized=f"{area}-{sub}" + (f"-{ext}" if ext else ""), kind=LANDLINE)


def _split_landline(digits: str) -> tuple[str, str] | None:
    """(area code with 0, subscriber number), or None when the lengths are wrong."""
    if not (digits.startswith("0") and 10 <= len(digits) <= 12):
        return None
    area_len = 0
    try:
        parsed = phonenumbers.parse("+86" + digits[1:])
        area_len = phonenumbers.length_of_geographical_area_code(parsed) + 1
    except phonenumbers.NumberParseException:
        pass
    if area_len not in (3, 4) or not 7 <= len(digits) - area_len <= 8:
        area_len = 3 if digits.startswith(("010", "02")) else 4
    area, sub = digits[:area_len], digits[area_len:]
    if not 7 <= len(sub) <= 8 or sub.startswith("0"):
        return None
    return area, sub
