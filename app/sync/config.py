"""Where the county server is, and this station's token (kept in the settings table)."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from app.services.errors import FieldError, ValidationFailed
from app.services.settings_store import SettingsStore

URL_KEY = "sync.server_url"
TOKEN_KEY = "sync.token"
LAST_SUCCESS_KEY = "sync.last_success"
LAST_ERROR_KEY = "sync.last_error"
SERVER_TIME_KEY = "sync.server_time"
LOCAL_TIME_KEY = "sync.local_time"
CLOCK_OFFSET_KEY = "sync.clock_offset_s"


@dataclass(frozen=True)
class SyncConfig:
    server_url: str
    token: str

    @property
    def complete(self) -> bool:
        return bool(self.server_url and self.token)


def load(settings: SettingsStore) -> SyncConfig:
    values = settings.all("sync.")
    return SyncConfig(values.get(URL_KEY, ""), values.get(TOKEN_KEY, ""))


def server_url_problem(server_url: str) -> str:
    """'' when the county server address is usable, else why not (Chinese); checks, stores nothing."""
    parsed = urlparse(server_url.strip().rstrip("/"))
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return "服务器地址应以 http:// 或 https:// 开头，如 https://xf.example.gov.cn"
    return ""


def save(settings: SettingsStore, server_url: str | None, token: str | None) -> SyncConfig:
    """Check and store what was given (None leaves a value as it is)."""
    errors, values = [], {}
    if server_url is not None:
        url = server_url.strip().rstrip("/")
        problem = server_url_problem(url)
        if problem:
            errors.append(FieldError("server_url", problem))
        values[URL_KEY] = url
    if token is not None:
        if not token.strip() or any(ch.isspace() for ch in token.strip()):
            errors.append(FieldError("token", "令牌不能为空，也不能包含空格（请按县级管理员提供的原样填写）"))
        values[TOKEN_KEY] = token.strip()
    if errors:
        raise ValidationFailed(errors)
    settings.change(values)
    return load(settings)
