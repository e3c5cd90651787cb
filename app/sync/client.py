"""HTTP client of protocol v1 (httpx, always with timeouts); failures become Chinese messages."""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from .protocol import HEALTH_PATH, PULL_PATH, PUSH_PATH, STATUS_PATH, OutgoingEvent

TIMEOUT = httpx.Timeout(30.0, connect=5.0)


class SyncError(Exception):
    """A sync attempt failed; `message` is for the receptionist, `unreachable` picks the backoff cap."""

    def __init__(self, message: str, *, unreachable: bool = False, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.unreachable = unreachable
        self.status = status


@dataclass(frozen=True)
class StationTally:
    count: int
    max_seq: int
    missing: list[tuple[int, int]]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StationTally:
        return cls(int(data.get("count", 0)), int(data.get("max_seq", 0)), [tuple(r) for r in data.get("missing", [])])


@dataclass(frozen=True)
class PushResult:
    server_time: str
    results: list[dict[str, Any]]
    station: StationTally


@dataclass(frozen=True)
class PullResult:
    server_time: str
    events: list[dict[str, Any]] = field(default_factory=list)
    next_cursor: int = 0


class SyncClient:
    def __init__(self, base_url: str, token: str, *, transport: httpx.BaseTransport | None = None):
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def push(self, station: str, events: list[OutgoingEvent]) -> PushResult:
        body = gzip.compress(json.dumps({"station": station, "events": [e.wire() for e in events]},
                                        ensure_ascii=False).encode("utf-8"), compresslevel=6)
        data = self._request("POST", PUSH_PATH, content=body,
                             headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})
        return PushResult(data.get("server_time", ""), list(data.get("results", [])),
                          StationTally.from_json(data.get("station", {})))

    def pull(self, after: int, limit: int = 200) -> PullResult:
        data = self._request("GET", PULL_PATH, params={"after": after, "limit": limit})
        return PullResult(data.get("server_time", ""), list(data.get("events", [])), int(data.get("next_cursor", after)))

    def status(self) -> tuple[str, StationTally]:
        data = self._request("GET", STATUS_PATH)
        return data.get("server_time", ""), StationTally.from_json(data.get("station", {}))

    def health(self) -> bool:
        try:
            return self._http.get(HEALTH_PATH).status_code == 200
        except httpx.HTTPError:
            return False

    def _request(self, method: str, path: str, **kwargs) -> dict[str, Any]:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise SyncError("连接县级服务器超时，稍后会自动重试", unreachable=True) from exc
        except httpx.TransportError as exc:
            raise SyncError("无法连接县级服务器（网络不通或服务器未启动），稍后会自动重试", unreachable=True) from exc
        if response.status_code == 401:
            raise SyncError("县级服务器拒绝了本站的令牌（令牌错误或已被吊销），请在同步设置中核对令牌", status=401)
        if response.status_code == 403:
            raise SyncError("县级服务器认为本站无权提交这些数据（接待站代码与令牌不符）", status=403)
        if response.status_code >= 400:
            raise SyncError(f"县级服务器返回错误（{response.status_code}），稍后会自动重试", status=response.status_code)
        try:
            return response.json()
        except ValueError as exc:
            raise SyncError("县级服务器的回复无法识别，稍后会自动重试") from exc
