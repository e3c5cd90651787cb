"""When to try again: exponential backoff with jitter (docs/sync-protocol.md, client rules)."""
from __future__ import annotations

import random

FIRST_DELAY_S = 1.0
CAP_SERVER_ERROR_S = 60.0  # the server answers, but with errors
CAP_UNREACHABLE_S = 600.0  # the server cannot be reached at all


def next_delay(failures: int, *, unreachable: bool, rng: random.Random | None = None) -> float:
    """Seconds to wait after `failures` consecutive failures (1 -> about 1 s, doubling, capped).

    Full jitter in the upper half: between half and all of the nominal delay, so that many
    desks coming back at once do not hit the county in step.
    """
    if failures <= 0:
        return 0.0
    cap = CAP_UNREACHABLE_S if unreachable else CAP_SERVER_ERROR_S
    nominal = min(cap, FIRST_DELAY_S * 2 ** (failures - 1))
    return nominal * (0.5 + 0.5 * (rng or random).random())
