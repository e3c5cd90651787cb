"""Refusals of the security layer; each carries the Chinese sentence shown to the operator."""
from __future__ import annotations


class SecurityError(Exception):
    """Base: `str(exc)` is the Chinese message."""


class NotLoggedIn(SecurityError):
    def __init__(self, message: str = "请先登录"):
        super().__init__(message)


class PermissionDenied(SecurityError):
    """The logged-in operator's roles do not grant what was asked."""


class LoginFailed(SecurityError):
    """Wrong name or password, a locked or disabled account: nothing was done."""


class SetupError(SecurityError):
    """The first administrator, an operator or a password that cannot be created as asked."""
