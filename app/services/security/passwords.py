"""Password policy and argon2id key derivation.

A password is checked the way LUKS checks a passphrase: argon2id turns it into a key, and that
key must open the operator's key slot (AES-GCM authenticates, so a wrong password cannot). One
derivation per login, no separate password hash to attack.

`Argon2Cost` is stored with each slot, so raising the cost later leaves older slots usable. The
default is OWASP's first recommendation for argon2id (m = 19 MiB, t = 2, p = 1), about 40 ms
here: the command line logs in on every call and must stay quick. The test suite lowers `COST`
in-process (tests/conftest.py); nothing outside the tests changes it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw

MIN_LENGTH = 8


@dataclass(frozen=True)
class Argon2Cost:
    time_cost: int = 2
    memory_kib: int = 19 * 1024
    parallelism: int = 1

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


def new_salt() -> str:
    return os.urandom(16).hex()


def derive_key(secret: str, salt_hex: str, cost_text: str) -> bytes:
    """The 32-byte key that wraps the data key in a key slot."""
    cost = Argon2Cost.from_text(cost_text)
    return hash_secret_raw(
        secret.encode("utf-8"), bytes.fromhex(salt_hex), time_cost=cost.time_cost,
        memory_cost=cost.memory_kib, parallelism=cost.parallelism, hash_len=32, type=Type.ID,
    )
