"""Dates typed by people: 2026-01-31, 2026/1/31, 20260131, 2026年1月31日."""
from __future__ import annotations

from datetime import date

from .errors import FieldError


def parse_date(value: str | date | None, field_name: str, label: str, errors: list[FieldError]) -> date | None:
    """The date, or None when empty; an unreadable date appends a Chinese message to `errors`."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    for ch in "/.年月":
        raw = raw.replace(ch, "-")
    raw = raw.rstrip("日").strip("-")
    try:
        if raw.isdigit() and len(raw) == 8:
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        y, m, d = (int(p) for p in raw.split("-"))
        return date(y, m, d)
    except (ValueError, TypeError, OverflowError):  # OverflowError: a year of twenty digits
        errors.append(FieldError(field_name, f"{label}不是有效日期，请按“2026-01-31”格式填写"))
        return None
