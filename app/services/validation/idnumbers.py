"""ID-document number checks, one rule set per 证件类型 (spec §5.1).

A wrong ID number makes repeat-petitioner matching fail silently, so the
receptionist gets a precise message about *which* part is wrong.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from .text import to_halfwidth

ID_TYPES: tuple[str, ...] = ("居民身份证", "港澳台居民居住证", "外国人永久居留身份证", "护照", "其他证件", "无证件")
RESIDENT, HMT_PERMIT, FOREIGN_PR, PASSPORT, OTHER, NO_DOCUMENT = ID_TYPES

# GB 11643 / ISO 7064 MOD 11-2, as written in spec §5.1.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_MIN_BIRTH_YEAR = 1890
_HMT_REGIONS = {"810000": "香港", "820000": "澳门", "830000": "台湾"}
# Table entries that name no place of their own; show the province instead.
_PLACEHOLDER_COUNTIES = {"市辖区", "县", "省直辖县级行政单位", "自治区直辖县级行政单位"}
_OTHER_MAX_LEN = 30

_UPPER_DIGITS = re.compile(r"[A-Z0-9]*")
_LEGACY_15 = re.compile(r"[0-9]{15}")
_FOREIGN_2017 = re.compile(r"[A-Z]{3}[0-9]{12}")
_FOREIGN_2023 = re.compile(r"9[0-9]{16}[0-9X]")
_COUNTY_ENTRY = re.compile(r"\[(\d*)-(\d*)\](.*)")


@dataclass(frozen=True)
class IdCheck:
    """Outcome of one check; `normalized` is what should be stored."""

    normalized: str
    error: str | None = None
    warning: str | None = None
    gender: str | None = None  # "男" / "女"
    birth_date: date | None = None
    region_code: str | None = None  # 6-digit address code
    region_name: str | None = None  # e.g. "江西省德安县"

    @property
    def ok(self) -> bool:
        return self.error is None


def gb11643_check_char(first17: str) -> str:
    """Check character for the first 17 digits of a GB 11643 number."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS))
    return _CHECK_CHARS[total % 11]


def check_id_number(id_type: str, raw: str, today: date | None = None) -> IdCheck:
    """Validate and normalise an ID number for the chosen ID type."""
    today = today or date.today()
    if id_type not in ID_TYPES:
        return IdCheck(normalized=_compact(raw), error="证件类型无效")
    if id_type == OTHER:
        return _check_other(raw)
    number = _compact(raw)
    if id_type == NO_DOCUMENT:
        if number:
            return IdCheck(normalized=number, error="选择“无证件”时不能填写证件号码")
        return IdCheck(normalized="")
    if not number:
        return IdCheck(normalized="", error="请填写证件号码（无证件请选择“无证件”）")
    if id_type == RESIDENT:
        return _check_resident(number, today)
    if id_type == HMT_PERMIT:
        return _check_hmt_permit(number, today)
    if id_type == FOREIGN_PR:
        return _check_foreign_pr(number)
    return _check_passport(number)


def mask_id_number(number: str) -> str:
    """Hide the middle of a number for screens and receipts (spec §6.2)."""
    n = len(number)
    if n >= 11:
        return number[:6] + "*" * (n - 10) + number[-4:]
    if n >= 3:
        return number[0] + "*" * (n - 2) + number[-1]
    return "*" * n


# --- helpers -----------------------------------------------------------------


def _compact(raw: str) -> str:
    """Half-width, no whitespace anywhere, upper case (lower-case x becomes X)."""
    return "".join(to_halfwidth(raw or "").split()).upper()


def _first_bad_char(number: str, allowed: str) -> str | None:
    return next((ch for ch in number if ch not in allowed), None)


def _gb11643_format_error(number: str, label: str) -> str | None:
    """Shape errors shared by resident IDs and HMT permits (18 chars, digits, X last)."""
    bad = _first_bad_char(number, "0123456789X")
    if bad is not None:
        return f"{label}只能包含数字和X，不能包含“{bad}”"
    if len(number) != 18:
        return f"{label}应为18位，现在是{len(number)}位"
    if "X" in number[:17]:
        return f"{label}只有最后一位可以是X"
    return None


def _gb11643_content(number: str, label: str, today: date) -> tuple[str | None, date | None, str | None]:
    """Birth date and check digit; returns (error, birth_date, gender)."""
    shown = f"{number[6:10]}年{number[10:12]}月{number[12:14]}日"
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return f"{label}中的出生日期{shown}不存在，请核对第7至14位", None, None
    if birth.year < _MIN_BIRTH_YEAR:
        return f"{label}中的出生日期{shown}不正确，请核对第7至14位", None, None
    if birth > today:
        return f"{label}中的出生日期{shown}晚于今天，请核对第7至14位", None, None
    if number[17] != gb11643_check_char(number[:17]):
        return f"{label}校验位不正确，请核对最后一位", None, None
    gender = "男" if int(number[16]) % 2 == 1 else "女"
    return None, birth, gender


def _check_resident(number: str, today: date) -> IdCheck:
    label = "身份证号码"
    if _LEGACY_15.fullmatch(number):
        return IdCheck(normalized=number, error="一代身份证号码已于2013年1月1日停止使用，请输入18位号码")
    error = _gb11643_format_error(number, label)
    if error is None:
        error, birth, gender = _gb11643_content(number, label, today)
    if error is not None:
        return IdCheck(normalized=number, error=error)
    code = number[:6]
    if code in _HMT_REGIONS:
        name, warning = _HMT_REGIONS[code], f"地址码{code}属于港澳台居民居住证，请核对证件类型"
    else:
        name, warning = _region(number, birth.year)
    return IdCheck(normalized=number, warning=warning, gender=gender, birth_date=birth,
                   region_code=code, region_name=name)


def _check_hmt_permit(number: str, today: date) -> IdCheck:
    label = "居住证号码"
    error = _gb11643_format_error(number, label)
    if error is None and number[:6] not in _HMT_REGIONS:
        error = "港澳台居民居住证号码应以810000（香港）、820000（澳门）或830000（台湾）开头"
    if error is None:
        error, birth, gender = _gb11643_content(number, label, today)
    if error is not None:
        return IdCheck(normalized=number, error=error)
    code = number[:6]
    return IdCheck(normalized=number, gender=gender, birth_date=birth,
                   region_code=code, region_name=_HMT_REGIONS[code])


def _check_foreign_pr(number: str) -> IdCheck:
    label = "永久居留身份证号码"
    bad = _first_bad_char(number, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if bad is not None:
        error = f"{label}只能包含英文字母和数字，不能包含“{bad}”"
    elif len(number) == 15:
        error = None if _FOREIGN_2017.fullmatch(number) else f"15位的{label}应为3个英文字母加12位数字"
    elif len(number) == 18:
        if number[0] != "9":
            error = f"18位的{label}应以9开头"
        elif not _FOREIGN_2023.fullmatch(number):
            error = f"18位的{label}只能包含数字，最后一位可以是X"
        elif number[17] != gb11643_check_char(number[:17]):
            error = f"{label}校验位不正确，请核对最后一位"
        else:
            error = None
    else:
        error = f"{label}应为15位或18位，现在是{len(number)}位"
    return IdCheck(normalized=number, error=error)


def _check_passport(number: str) -> IdCheck:
    if not _UPPER_DIGITS.fullmatch(number):
        bad = _first_bad_char(number, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return IdCheck(normalized=number, error=f"护照号码只能包含英文字母和数字，不能包含“{bad}”")
    if not 5 <= len(number) <= 17:
        return IdCheck(normalized=number, error=f"护照号码应为5至17位，现在是{len(number)}位")
    return IdCheck(normalized=number)


def _check_other(raw: str) -> IdCheck:
    """Free-form documents keep their case and single inner spaces."""
    number = " ".join(to_halfwidth(raw or "").split())
    if not number:
        return IdCheck(normalized="", error="请填写证件号码（无证件请选择“无证件”）")
    if not number.isprintable():
        return IdCheck(normalized=number, error="证件号码中有不可见的特殊字符，请重新输入")
    if len(number) > _OTHER_MAX_LEN:
        return IdCheck(normalized=number, error=f"证件号码不能超过{_OTHER_MAX_LEN}位")
    return IdCheck(normalized=number)


def _region(number: str, birth_year: int) -> tuple[str | None, str | None]:
    """(region_name, warning) for an address code; unknown codes only warn (spec §5.1)."""
    code = number[:6]
    try:
        place = ric.get_birth_place(number)
        return _join_place(place["province"], place["county"]), None
    except (ValidationError, KeyError):
        pass
    # stdnum also refuses codes created after the birth year; those are normal
    # (the code is the one in force when the card was issued), so look again.
    info = {k: v for _, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    if "county" not in info:
        return None, f"地址码{code}未在行政区划表中，请核对前6位"
    entries = [_parse_county(e) for e in info["county"].split(",")]
    living = [name for start, end, name in entries if end is None or end >= birth_year]
    if living:
        return _join_place(info.get("province", ""), living[0]), None
    name = _join_place(info.get("province", ""), entries[-1][2])
    return name, f"地址码{code}（{name}）在出生前已撤销，请核对前6位"


def _parse_county(entry: str) -> tuple[int | None, int | None, str]:
    m = _COUNTY_ENTRY.fullmatch(entry)
    if not m:
        return None, None, entry
    start, end, name = m.groups()
    return (int(start) if start else None), (int(end) if end else None), name


def _join_place(province: str, county: str) -> str:
    if not county or county in _PLACEHOLDER_COUNTIES or county.startswith(province):
        return province or county
    return province + county
