"""Field encryption: AES-256-GCM for the sealed values, HMAC-SHA256 for their lookup keys.

One random data key per database seals every ID number and phone. It is never stored in the
clear: key slots (`keys.py`) hold it wrapped under each operator's password, the recovery code
and, where there is one, the operating system's credential store.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SEALED_PREFIX = "v1:"
KEY_BYTES = 32
_NONCE_BYTES = 12


class SealError(Exception):
    """A wrapped key or sealed value that does not open with the key given."""


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))


def encrypt(key: bytes, plaintext: bytes, context: str) -> str:
    """`nonce || ciphertext` in URL-safe base64; `context` is bound as associated data."""
    nonce = os.urandom(_NONCE_BYTES)
    return _b64(nonce + AESGCM(key).encrypt(nonce, plaintext, context.encode()))


def decrypt(key: bytes, token: str, context: str) -> bytes:
    try:
        raw = _unb64(token)
        return AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode())
    except (InvalidTag, ValueError) as exc:
        raise SealError("cannot open: wrong key or damaged value") from exc


def is_sealed(value: str) -> bool:
    return value.startswith(SEALED_PREFIX)


class FieldCipher:
    """Seals and opens single field values, and makes their lookup keys, with one data key."""

    def __init__(self, data_key: bytes):
        self._key = data_key
        self._lookup_key = hashlib.sha256(b"xfdesk lookup v1\x00" + data_key).digest()

    def seal(self, value: str, field: str) -> str:
        """'' stays '' (nothing to hide, and the column's default)."""
        if not value:
            return ""
        return SEALED_PREFIX + encrypt(self._key, value.encode("utf-8"), field)

    def open(self, sealed: str, field: str) -> str:
        if not sealed:
            return ""
        if not is_sealed(sealed):
            raise SealError("not a sealed value")
        return decrypt(self._key, sealed[len(SEALED_PREFIX):], field).decode("utf-8")

    @property
    def data_key(self) -> bytes:
        """For wrapping the key under a new secret (key slots); never stored or shown."""
        return self._key

    def lookup(self, value: str, field: str) -> str:
        """Equal normalised values give equal keys; the key tells nothing about the value."""
        if not value:
            return ""
        return hmac.new(self._lookup_key, f"{field}\x00{value}".encode(), hashlib.sha256).hexdigest()
