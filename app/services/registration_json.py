"""The `register --json` document: parse it into a RegistrationInput with per-field errors.

Keys are documented in docs/register-json.md; values are the Chinese labels users see.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import vocab
from .errors import FieldError, ValidationFailed
from .registration import PetitionerInput, RegistrationInput
from .surrogates import LONE_SURROGATE

TOP_KEYS = {
    "form", "petition_date", "petitioners", "headcount", "representatives", "matter_class", "content_class",
    "title", "request", "facts", "location_code", "location", "flags", "decision", "decision_detail", "repeat_of",
    "attachments",
    "receiver_leader",
}
PETITIONER_KEYS = {
    "name", "id_type", "id_number", "phone", "address", "gender", "birth_date", "ethnicity", "division_code",
}
DETAIL_KEYS = {"unit", "reason", "channel", "note"}
_FLAG_ATTRS = {label: attr for attr, label in vocab.FLAG_LABELS.items()}


def _string(data: dict, key: str, field: str, errors: list[FieldError]) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        errors.append(FieldError(field, "应为文本"))
        return ""
    return value


def _unknown(data: dict, allowed: set[str], prefix: str, errors: list[FieldError]) -> None:
    for key in sorted(set(data) - allowed):
        if _plain_key(key):
            errors.append(FieldError(prefix + key, f"不认识的字段“{key}”，请核对字段名"))
        else:  # empty, spaces, a line break or invisible characters: reported under its owner, shown escaped
            errors.append(FieldError(prefix.rstrip(".") or "(文档)", f"不认识的字段“{_shown_key(key)}”，请核对字段名"))


def _plain_key(key: str) -> bool:
    """A key that can be printed as the field of a `field：message` line."""
    return bool(key) and key == key.strip() and key.isprintable() and "：" not in key and len(key) <= 100


def _shown_key(key: str) -> str:
    shown = "".join(ch if ch.isprintable() and not ch.isspace() else f"<U+{ord(ch):04X}>" for ch in key[:50])
    return shown + ("…" if len(key) > 50 else "")


def _lone_surrogates(data: dict) -> list[FieldError]:
    """Text holding half of a UTF-16 pair (`"\\ud800"` is valid JSON) is no text: SQLite cannot store it.

    Walked without recursion (a document may be nested as deep as the JSON parser allows); each
    value is reported under the documented key it is in, else under its owner's key."""
    found: dict[str, str] = {}
    stack: list[tuple[str, Any, bool]] = [("", data, True)]  # (field; "": the document, value, can refine)
    while stack:
        field, value, open_ = stack.pop()
        if isinstance(value, str):
            bad = LONE_SURROGATE.search(value)
            if bad:
                found.setdefault(field or "(文档)", bad.group())
        elif isinstance(value, (list, dict)):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for step, item in items:
                if isinstance(step, str):
                    stack.append((field, step, False))  # the key itself, reported by its owner
                child = _child_field(field, step) if open_ and (isinstance(step, int) or _plain_key(step)) else None
                if child is None or child == field:
                    stack.append((field or "(文档)", item, False))
                else:
                    stack.append((child, item, True))
    return [
        FieldError(field, f"含有无效字符 U+{ord(bad):04X}（不成对的代理项，文件可能已损坏或转义写错），请检查")
        for field, bad in sorted(found.items())
    ]


def _child_field(field: str, step: str | int) -> str:
    """The documented field key of `field`'s element `step`; `field` itself when there is none."""
    if field == "":
        return step if isinstance(step, str) else "(文档)"
    if field in ("petitioners", "attachments") and isinstance(step, int):
        return f"{field}[{step}]"
    if isinstance(step, str) and (field == "decision_detail" or re.fullmatch(r"petitioners\[\d+\]", field)):
        return f"{field}.{step}"
    return field


def _petitioner(i: int, raw: Any, errors: list[FieldError]) -> PetitionerInput:
    prefix = f"petitioners[{i}]."
    if not isinstance(raw, dict):
        errors.append(FieldError(f"petitioners[{i}]", "每位信访人应为一个对象（含 name、id_type 等）"))
        return PetitionerInput()
    _unknown(raw, PETITIONER_KEYS, prefix, errors)
    values = {k: _string(raw, k, prefix + k, errors) for k in PETITIONER_KEYS}
    values["id_type"] = values["id_type"] or ("居民身份证" if values["id_number"] else "无证件")
    return PetitionerInput(**values)


def _detail(decision: str, raw: Any, errors: list[FieldError]) -> dict[str, str]:
    """decision_detail is an object {unit, reason, channel, note} or one string read per decision."""
    if raw in (None, ""):
        return {}
    if isinstance(raw, dict):
        _unknown(raw, DETAIL_KEYS, "decision_detail.", errors)
        return {k: _string(raw, k, f"decision_detail.{k}", errors) for k in DETAIL_KEYS}
    if not isinstance(raw, str):
        errors.append(FieldError("decision_detail", "应为文本或对象"))
        return {}
    text = raw.strip()
    if decision in vocab.DECISION_NEEDS_UNIT:
        return {"unit": text}
    if decision == vocab.DECISION_LEGAL:
        return {"channel": text}
    if decision == vocab.DECISION_REFUSE:
        # Longest name first: "劳动人事争议调解仲裁" must not be read as "仲裁".
        channel = next((c for c in sorted(vocab.LEGAL_CHANNELS, key=len, reverse=True) if c in text), "")
        return {"reason": text, "channel": channel}
    if decision in vocab.DECISION_NEEDS_REASON:
        return {"reason": text}
    return {"note": text}


def _flags(raw: Any, errors: list[FieldError]) -> dict[str, bool]:
    if raw in (None, ""):
        return {}
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        errors.append(FieldError("flags", f"应为标记列表，可选：{'、'.join(_FLAG_ATTRS)}"))
        return {}
    out = {}
    for label in raw:
        if label not in _FLAG_ATTRS:
            errors.append(FieldError("flags", f"标记“{label}”无效，可选：{'、'.join(_FLAG_ATTRS)}"))
        else:
            out[_FLAG_ATTRS[label]] = True
    return out


def _attachments(raw: Any, base_dir: str | Path | None, errors: list[FieldError]) -> list[str]:
    """File paths; a relative one is read from `base_dir` (the JSON file's folder), else the cwd."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        errors.append(FieldError("attachments", "应为文件路径的列表，如 [\"信件扫描.pdf\"]"))
        return []
    base = Path(base_dir) if base_dir is not None else Path.cwd()
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, str) or not item.strip():
            errors.append(FieldError(f"attachments[{i}]", "应为文件路径（文本）"))
            continue
        out.append(str(base / item.strip()))  # an absolute path stays as it is
    return out


def parse_registration(data: Any, base_dir: str | Path | None = None) -> RegistrationInput:
    """Shape and type checks only; the RegistrationService checks the values themselves.

    `base_dir` is where relative `attachments` paths are read from (default: the working directory).
    """
    errors: list[FieldError] = []
    if not isinstance(data, dict):
        raise ValidationFailed([FieldError("(文档)", "JSON 顶层应为一个对象")])
    bad_text = _lone_surrogates(data)
    if bad_text:
        raise ValidationFailed(bad_text)
    _unknown(data, TOP_KEYS, "", errors)
    petitioners_raw = data.get("petitioners", [])
    if not isinstance(petitioners_raw, list):
        errors.append(FieldError("petitioners", "应为信访人列表"))
        petitioners_raw = []
    reps = data.get("representatives") or []
    if not isinstance(reps, list) or not all(isinstance(x, str) for x in reps):
        errors.append(FieldError("representatives", "应为代表姓名列表"))
        reps = []
    content_class = data.get("content_class", [])
    if not (isinstance(content_class, str) or (isinstance(content_class, list) and all(isinstance(x, str) for x in content_class))):
        errors.append(FieldError("content_class", "应为1至3级分类名称的列表"))
        content_class = []
    headcount = data.get("headcount", max(1, len(petitioners_raw)))
    if isinstance(headcount, bool) or not isinstance(headcount, (int, str)):
        errors.append(FieldError("headcount", "人数应为整数"))
        headcount = 1
    decision = _string(data, "decision", "decision", errors)
    inp = RegistrationInput(
        form=_string(data, "form", "form", errors),
        petition_date=_string(data, "petition_date", "petition_date", errors) or None,
        petitioners=[_petitioner(i, p, errors) for i, p in enumerate(petitioners_raw)],
        headcount=headcount,
        representatives=reps,
        matter_class=_string(data, "matter_class", "matter_class", errors),
        content_class=content_class,
        title=_string(data, "title", "title", errors),
        request=_string(data, "request", "request", errors),
        facts=_string(data, "facts", "facts", errors),
        location_code=_string(data, "location_code", "location_code", errors),
        location=_string(data, "location", "location", errors),
        decision=decision,
        repeat_of=_string(data, "repeat_of", "repeat_of", errors),
        attachments=_attachments(data.get("attachments"), base_dir, errors),
        receiver_leader=_string(data, "receiver_leader", "receiver_leader", errors),
        **_flags(data.get("flags"), errors),
    )
    for key, value in _detail(decision.strip(), data.get("decision_detail"), errors).items():
        setattr(inp, f"decision_{key}", value)
    if errors:
        raise ValidationFailed(errors)
    return inp
