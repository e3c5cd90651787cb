"""The matter's life after the desk (spec §2.1): actions, facts from the event log, legal clocks."""
from .actions import ACTIONS, ActionSpec, FieldSpec, find_action
from .clocks import RULE_LABELS, Deadline
from .service import ActResult, DueRow, EvaluationState, LifecycleService, LifecycleView

__all__ = [
    "ACTIONS",
    "ActResult",
    "ActionSpec",
    "Deadline",
    "DueRow",
    "EvaluationState",
    "FieldSpec",
    "LifecycleService",
    "LifecycleView",
    "RULE_LABELS",
    "find_action",
]
