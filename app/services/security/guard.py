"""Who is logged in at this desk, and the check every guarded service call makes first."""
from __future__ import annotations

from dataclasses import dataclass

from .crypto import FieldCipher
from .errors import NotLoggedIn, PermissionDenied
from .permissions import PERMISSIONS, permissions_of, role_labels


@dataclass(frozen=True)
class Principal:
    """The logged-in operator: name, roles, what they may do, and the opened data key."""

    operator_id: int
    name: str
    roles: frozenset[str]
    cipher: FieldCipher
    must_change_password: bool = False

    @property
    def permissions(self) -> frozenset[str]:
        return permissions_of(self.roles)

    def can(self, permission: str) -> bool:
        return permission in self.permissions


class Guard:
    """Shared by the services of one desk; `require` raises a Chinese refusal when not allowed."""

    def __init__(self) -> None:
        self.current: Principal | None = None

    def sign_in(self, principal: Principal) -> None:
        self.current = principal

    def sign_out(self) -> None:
        self.current = None

    def principal(self) -> Principal:
        if self.current is None:
            raise NotLoggedIn()
        return self.current

    def require(self, permission: str) -> Principal:
        p = self.principal()
        if not p.can(permission):
            raise PermissionDenied(
                f"操作员“{p.name}”（{role_labels(p.roles) or '无角色'}）无权{PERMISSIONS[permission]}，请联系管理员"
            )
        return p

    def can(self, permission: str) -> bool:
        return self.current is not None and self.current.can(permission)

    @property
    def cipher(self) -> FieldCipher:
        return self.principal().cipher

    @property
    def actor(self) -> str:
        """The name events and audit entries record ('' before login)."""
        return self.current.name if self.current else ""
