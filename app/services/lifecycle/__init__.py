"""The matter's life after the desk (spec §2.1): actions, facts from the event log, legal clocks.

The action table is imported eagerly (the CLI builds its help from it without loading the ORM);
the service and the clocks load on first use.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from .actions import ACTIONS, ActionSpec, FieldSpec, find_action

_LAZY = {
    "RULE_LABELS": "clocks",
    "Deadline": "clocks",
    "ActResult": "service",
    "DueRow": "service",
    "EvaluationState": "service",
    "LifecycleService": "service",
    "LifecycleView": "service",
}

__all__ = ["ACTIONS", "ActionSpec", "FieldSpec", "find_action", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
