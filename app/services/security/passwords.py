"""Password hashing and key derivation with argon2id.

`Argon2Cost` is fixed per hash: a hash records its own parameters, so raising the cost later
leaves older hashes verifiable. The test suite lowers `COST` in-process (tests/conftest.py) to
keep a thousand logins fast; nothing outside the tests changes it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import Type, hash_secret_raw

MIN_LENGTH = 8


@dataclass(frozen=True)
class Argon2Cost:
    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4

    def as_text(self) -> str:
        return f"argon2id:t={self.time_cost},m={self.memory_kib},p={self.parallelism}"

    @classmethod
    def from_text(cls, text: str) -> Argon2Cost:
        fields = dict(part.split("=") for part in text.split(":", 1)[1].split(","))
        return cls(int(fields["t"]), int(fields["m"]), int(fields["p"]))


COST = Argon2Cost()


def password_problem(password: str) -> str:
    """'' when the password is acceptable, else why not (in Chinese)."""
    if len(password) < MIN_LENGTH:
        return f"密码至少{MIN_LENGTH}位"
    if password.strip() != password:
        return "密码首尾不能是空格"
    if password.isdigit() or password.isalpha():
        return "密码需同时包含字母和数字（或其他符号）"
    return ""


def _hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=COST.time_cost, memory_cost=COST.memory_kib, parallelism=COST.parallelism)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_salt() -> str:
    return os.urandom(16).hex()


def derive_key(secret: str, salt_hex: str, cost_text: str) -> bytes:
    """The 32-byte key that wraps the data key in a key slot."""
    cost = Argon2Cost.from_text(cost_text)
    return hash_secret_raw(
        secret.encode("utf-8"), bytes.fromhex(salt_hex), time_cost=cost.time_cost,
        memory_cost=cost.memory_kib, parallelism=cost.parallelism, hash_len=32, type=Type.ID,
    )
