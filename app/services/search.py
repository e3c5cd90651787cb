"""The one search box: number, name, pinyin initials, ID number, phone, title and request text.

Each kind of key uses its own index (prefix ranges, exact matches); only the free-text part
scans. The query is turned into one sub-select of matter ids.
"""
from __future__ import annotations

import re

from sqlalchemy import Select, or_, select, union

from app.models import Matter, MatterPetitioner, Petitioner

from .validation import phone_digits

_MAX_CHAR = "\U0010ffff"
_ID_LIKE = re.compile(r"^[0-9]{14,17}[0-9Xx]$|^[A-Za-z]{3}[0-9]{12}$")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_DIGITS = re.compile(r"^[0-9+\-\s()]+$")
_INITIALS = re.compile(r"^[A-Za-z]{1,12}$")
_NUMBER_LIKE = re.compile(r"^[A-Za-z0-9]+-[0-9-]*$")


def _prefix(column, value: str):
    return (column >= value) & (column < value + _MAX_CHAR)


def _matters_of(where) -> Select:
    return (
        select(MatterPetitioner.matter_id)
        .join(Petitioner, Petitioner.id == MatterPetitioner.petitioner_id)
        .where(where)
    )


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matter_ids_matching(query: str) -> Select | None:
    """A select of matter ids matching the free-text query; None for an empty query."""
    q = query.strip()
    if not q:
        return None
    parts: list[Select] = [select(Matter.id).where(_prefix(Matter.number, q.upper()))]
    compact = re.sub(r"[\s\-()]", "", q)
    if _ID_LIKE.match(compact):
        parts.append(_matters_of(Petitioner.id_number == compact.upper()))
    if _DIGITS.match(q):
        digits = phone_digits(q)
        if _MOBILE.match(digits) or len(digits) >= 7:
            parts.append(_matters_of(Petitioner.phone_key == digits))
    if _INITIALS.match(q):
        parts.append(_matters_of(_prefix(Petitioner.name_initials, q.lower())))
    if not _DIGITS.match(q) and not _NUMBER_LIKE.match(q):
        parts.append(_matters_of(_prefix(Petitioner.name, q)))
        pattern = f"%{_like_escape(q)}%"
        parts.append(
            select(Matter.id).where(
                or_(Matter.title.like(pattern, escape="\\"), Matter.request.like(pattern, escape="\\"))
            )
        )
    return union(*parts) if len(parts) > 1 else parts[0]
