"""Query codes (查询码): printed with the matter number; the visitor checks progress with both.

Eight characters from an alphabet without 0/O and 1/I, so they can be read out over the phone.
"""
from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8


def new_query_code(choice=secrets.choice) -> str:
    return "".join(choice(ALPHABET) for _ in range(LENGTH))
