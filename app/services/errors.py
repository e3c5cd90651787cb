"""Errors the services raise, bound to the field the user must fix."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field; `message` is shown to the user as is (Chinese)."""

    field: str
    message: str


@dataclass
class ValidationFailed(Exception):
    """Raised when input is refused; nothing has been written when this is raised."""

    errors: list[FieldError]
    warnings: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return "；".join(f"{e.field}: {e.message}" for e in self.errors)

    def by_field(self) -> dict[str, str]:
        """First message per field, for binding to form widgets."""
        out: dict[str, str] = {}
        for e in self.errors:
            out.setdefault(e.field, e.message)
        return out


class NotFound(Exception):
    """A matter, unit or class that the caller named does not exist."""


class NotInitialised(Exception):
    """The data directory has no station yet: run `init` or the first-run dialog."""
