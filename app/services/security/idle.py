"""How long the window may sit without input before it locks (a setting kept with the data)."""
from __future__ import annotations

import logging

from ..errors import FieldError, ValidationFailed

logger = logging.getLogger(__name__)

IDLE_MINUTES_KEY = "security.idle_lock_minutes"
DEFAULT_IDLE_MINUTES = 10
MAX_IDLE_MINUTES = 240


def idle_minutes(settings) -> int:
    """Whole minutes (0 = never lock); a damaged value falls back to the default."""
    text = settings.get(IDLE_MINUTES_KEY, str(DEFAULT_IDLE_MINUTES)).strip()
    try:
        return max(0, int(text))
    except ValueError:
        logger.warning("ignoring %s=%r", IDLE_MINUTES_KEY, text)
        return DEFAULT_IDLE_MINUTES


def set_idle_minutes(settings, minutes: int) -> None:
    """An administrator's choice (修改系统设置; audited by `SettingsStore.change`)."""
    if not 0 <= minutes <= MAX_IDLE_MINUTES:
        raise ValidationFailed([FieldError("idle_lock_minutes", f"空闲锁屏时间应为1至{MAX_IDLE_MINUTES}分钟，0 表示不锁屏")])
    settings.change({IDLE_MINUTES_KEY: str(minutes)})
