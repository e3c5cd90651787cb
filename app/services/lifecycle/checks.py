"""Validating one lifecycle action's fields: the generic checks per field kind, then the rules of the law.

Every problem is a FieldError keyed by the action's field key (the JSON key of `act --json`).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from ..dates import parse_date
from ..decision import check_decision
from ..errors import FieldError, ValidationFailed
from ..extensions import Extension, check_extension
from ..validation import check_text
from .actions import CHOICE, DATE, DAYS, LEADER, ActionSpec, FieldSpec
from .facts import MatterFacts


def _clean_field(spec: FieldSpec, raw: Any, errors: list[FieldError], today: date) -> Any:
    if spec.kind == DATE:
        day = parse_date(raw if raw not in (None, "") else None, spec.key, spec.label, errors)
        if day and day > today:
            errors.append(FieldError(spec.key, f"{spec.label}不能晚于今天"))
        return day
    if spec.kind == DAYS:
        try:
            return int(str(raw).strip())
        except (TypeError, ValueError):
            errors.append(FieldError(spec.key, f"{spec.label}应为整数"))
            return None
    if raw is not None and not isinstance(raw, (str, int, float)):
        errors.append(FieldError(spec.key, f"{spec.label}应为文本"))
        return ""
    typed = spec.required and spec.kind not in (CHOICE, LEADER)
    value, error = check_text(str(raw if raw is not None else ""), spec.label, required=typed, max_len=spec.max_len)
    if error and not value and spec.missing:
        error = spec.missing
    if error:
        errors.append(FieldError(spec.key, error))
        return value
    if spec.kind in (CHOICE, LEADER) and spec.required and not value:
        errors.append(FieldError(spec.key, f"请选择{spec.label}"))
    elif spec.kind == CHOICE and value and value not in spec.choices:
        errors.append(FieldError(spec.key, f"{spec.label}“{value}”无效，可选：{'、'.join(spec.choices)}"))
    return value


def clean_fields(action: ActionSpec, raw: dict[str, Any], today: date) -> tuple[dict[str, Any], list[FieldError]]:
    """Generic checks: unknown keys, required values, choices, dates not in the future, whole days."""
    errors: list[FieldError] = []
    keys = {f.key for f in action.fields}
    for key in sorted(set(raw) - keys):
        errors.append(FieldError(key, f"“{action.label}”没有“{key}”这一项，可填：{'、'.join(sorted(keys))}"))
    values = {f.key: _clean_field(f, raw.get(f.key), errors, today) for f in action.fields}
    return values, errors


def check_rules(action: ActionSpec, values: dict[str, Any], facts: MatterFacts, today: date,
                extend_max: int, windows: dict[str, date]) -> list[FieldError]:
    """What the law adds to the field checks, given the matter's history."""
    errors: list[FieldError] = []
    day = values.get("date")
    if day and facts.last_step_on and day < facts.last_step_on:
        errors.append(FieldError("date", f"日期不能早于上一办理环节（{facts.last_step_on:%Y-%m-%d}）"))
    if action.key == "decide":
        decision, problems = check_decision(values["decision"], values["unit"], values["reason"],
                                            values["channel"], values["note"], required=True)
        errors += [FieldError(e.field.removeprefix("decision_detail."), e.message) for e in problems]
        values.update(decision.payload())
    elif action.key == "extend" and values.get("days") is not None:
        try:
            check_extension(Extension(values["days"], values["reason"]), facts.extension_days, extend_max)
        except ValidationFailed as exc:  # re-keyed to this action's fields
            errors += [FieldError(e.field.removeprefix("extension."), e.message) for e in exc.errors]
    elif action.key == "evaluate":
        errors += _evaluation_problems(values, facts, today, windows.get("evaluate"))
    elif action.key in ("request-review", "request-recheck"):
        rule = "review_request" if action.key == "request-review" else "recheck_request"
        last = windows.get(rule)
        asked_on = values.get("date") or today
        if last and asked_on > last:
            kind = "复查" if rule == "review_request" else "复核"
            errors.append(FieldError("date", f"申请{kind}的期限已于{last:%Y-%m-%d}届满（收到意见之日起30日内）"))
    elif action.key == "own" and facts.owner:
        errors.append(FieldError("leader", f"该件已由{facts.owner}包案"))
    elif action.key == "own-progress" and not facts.owner:
        errors.append(FieldError("note", "该件尚未由领导包案，请先登记领导包案"))
    return errors


def _evaluation_problems(values: dict, facts: MatterFacts, today: date, last_day: date | None) -> list[FieldError]:
    target = values.get("target")
    errors = []
    if target and target not in facts.evaluation_targets():
        errors.append(FieldError("target", "当场答复的信访件只评价信访部门"))
    elif target in facts.evaluations:
        errors.append(FieldError("target", f"{target}已评价（{facts.evaluations[target]}），不能重复评价"))
    if last_day and today > last_day:
        errors.append(FieldError("target", f"评价期限已于{last_day:%Y-%m-%d}届满，记为超期未评价"))
    if values.get("result") == "不满意" and not values.get("note"):
        errors.append(FieldError("note", "评价为不满意时，请写明不满意的原因"))
    return errors


def refusal(action: ActionSpec, status: str) -> FieldError:
    return FieldError("action", f"该件当前状态为“{status}”，不能{action.label}：{action.needs}")

