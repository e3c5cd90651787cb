"""HTTP API (sync protocol v1). `create_app(engine)` is the only entry point; no work at import."""
from __future__ import annotations

import json
import logging
import time
import uuid
import zlib
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import protocol, service
from .logging_setup import request_id_var

logger = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


# --- response schemas (for /docs and /openapi.json) ----------------------------------------


class ErrorBody(BaseModel):
    server_time: str
    error: str
    message: str


class Health(BaseModel):
    status: str
    server_time: str


class StationState(BaseModel):
    count: int
    max_seq: int
    missing: list[list[int]]


class StationStatus(StationState):
    code: str


class EventResult(BaseModel):
    id: Any = None
    seq: Any = None
    status: str
    code: int | None = None
    reason: str | None = None


class PushResponse(BaseModel):
    server_time: str
    results: list[EventResult]
    station: StationState


class StatusResponse(BaseModel):
    server_time: str
    station: StationStatus


class CountyEventOut(BaseModel):
    cursor: int
    id: str
    matter_number: str
    kind: str
    occurred_at: str
    payload: dict[str, Any]


class PullResponse(BaseModel):
    server_time: str
    events: list[CountyEventOut]
    next_cursor: int


_EVENT_SCHEMA = {
    "type": "object",
    "required": ["id", "seq", "matter_number", "kind", "occurred_at", "actor", "payload"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "seq": {"type": "integer", "minimum": 1},
        "matter_number": {"type": "string", "example": "360426-20261123-0001"},
        "kind": {"type": "string", "enum": sorted(protocol.DESK_KINDS)},
        "occurred_at": {"type": "string", "example": "2026-11-23T16:50:34"},
        "actor": {"type": "string"},
        "payload": {"type": "object"},
    },
}
_PUSH_BODY = {
    "requestBody": {
        "required": True,
        "description": "JSON, optionally with Content-Encoding: gzip. At most 500 events and 2 MB uncompressed.",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["station", "events"],
                    "properties": {
                        "station": {"type": "string", "example": "360426"},
                        "events": {"type": "array", "maxItems": protocol.MAX_EVENTS_PER_PUSH, "items": _EVENT_SCHEMA},
                    },
                }
            }
        },
    }
}
_ERRORS = {
    400: {"model": ErrorBody, "description": "请求体不是有效的 JSON，或缺少 events 列表"},
    401: {"model": ErrorBody, "description": "缺少令牌、令牌错误或接待站已停用"},
    403: {"model": ErrorBody, "description": "请求中的接待站不是令牌所属的接待站"},
    413: {"model": ErrorBody, "description": "超过 500 条事件或 2 MB"},
}


# --- helpers --------------------------------------------------------------------------------


def _error_response(status: int, error: str, message: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        {"server_time": protocol.server_time(), "error": error, "message": message}, status_code=status, headers=headers
    )


async def _read_body(request: Request) -> bytes:
    """The request body, gunzipped if needed, refused (413) past the uncompressed limit."""
    limit = protocol.MAX_BODY_BYTES
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit:
        raise ApiError(413, "too_large", f"请求体超过 {limit // (1024 * 1024)} MB")
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise ApiError(413, "too_large", f"请求体超过 {limit // (1024 * 1024)} MB")
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return bytes(raw)
    if encoding != "gzip":
        raise ApiError(415, "unsupported_encoding", f"不支持的内容编码：{encoding}（只支持 gzip）")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        body = inflater.decompress(bytes(raw), limit + 1)
        if len(body) > limit or inflater.unconsumed_tail:
            raise ApiError(413, "too_large", f"解压后的请求体超过 {limit // (1024 * 1024)} MB")
        body += inflater.flush()
    except zlib.error as exc:
        raise ApiError(400, "bad_request", "请求体不是有效的 gzip 数据") from exc
    if not inflater.eof:
        raise ApiError(400, "bad_request", "gzip 数据不完整")
    if len(body) > limit:
        raise ApiError(413, "too_large", f"解压后的请求体超过 {limit // (1024 * 1024)} MB")
    return body


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def create_app(engine: Engine) -> FastAPI:
    app = FastAPI(
        title="信访接待台 县级服务器",
        version="1",
        description="Sync protocol v1 (docs/sync-protocol.md): desks push events, pull county events.",
    )

    async def authenticate(request: Request) -> str:
        token = _bearer(request)
        if token is None:
            raise ApiError(401, "unauthorized", "缺少访问令牌（Authorization: Bearer …）")
        code = await run_in_threadpool(service.station_for_token, engine, token)
        if code is None:
            raise ApiError(401, "unauthorized", "访问令牌无效，或该接待站已被停用")
        request.state.station = code
        return code

    @app.middleware("http")
    async def request_context(request: Request, call_next):
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        token = request_id_var.set(request_id[:64])
        started = time.perf_counter()
        try:
            response = await call_next(request)
        except Exception:
            logger.exception("request failed", extra={"method": request.method, "path": request.url.path})
            response = _error_response(500, "internal_error", "服务器内部错误，请联系管理员")
        finally:
            request_id_var.reset(token)
        response.headers["X-Request-ID"] = request_id[:64]
        logger.info(
            "request",
            extra={
                "request_id": request_id[:64],
                "method": request.method,
                "path": request.url.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "station": getattr(request.state, "station", None),
                "client": request.client.host if request.client else None,
            },
        )
        return response

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error_response(exc.status, exc.error, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error_response(400, "bad_request", "请求参数不正确：" + "；".join(str(e.get("loc")) for e in exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "没有这个地址", 405: "不支持这种请求方法"}
        return _error_response(exc.status_code, "http_error", messages.get(exc.status_code, str(exc.detail)))

    @app.get("/health", response_model=Health, tags=["system"])
    async def health() -> dict[str, Any]:
        return {"status": "ok", "server_time": protocol.server_time()}

    @app.post("/api/v1/push", response_model=PushResponse, responses=_ERRORS, openapi_extra=_PUSH_BODY, tags=["sync"])
    async def push(request: Request) -> JSONResponse:
        """Store a batch of desk events in one transaction; one result per event."""
        code = await authenticate(request)
        body = await _read_body(request)
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, "bad_request", "请求体不是有效的 JSON") from exc
        if not isinstance(document, dict) or not isinstance(document.get("events"), list):
            raise ApiError(400, "bad_request", "请求体缺少 events 列表")
        if document.get("station") != code:
            logger.warning("station mismatch", extra={"station": code, "claimed": str(document.get("station"))[:40]})
            raise ApiError(403, "forbidden", "请求中的接待站代码与访问令牌所属的接待站不一致")
        events = document["events"]
        if len(events) > protocol.MAX_EVENTS_PER_PUSH:
            raise ApiError(413, "too_large", f"一次最多推送 {protocol.MAX_EVENTS_PER_PUSH} 条事件")
        outcome = await run_in_threadpool(service.ingest, engine, code, events)
        # Returned as is (not through the response model) so absent fields stay absent.
        return JSONResponse(
            {"server_time": protocol.server_time(), "results": outcome.results, "station": outcome.station}
        )

    @app.get("/api/v1/status", response_model=StatusResponse, responses=_ERRORS, tags=["sync"])
    async def status(request: Request) -> dict[str, Any]:
        """What the server holds for the token's station."""
        code = await authenticate(request)
        station = await run_in_threadpool(service.status, engine, code)
        return {"server_time": protocol.server_time(), "station": station}

    @app.get("/api/v1/pull", response_model=PullResponse, responses=_ERRORS, tags=["sync"])
    async def pull(
        request: Request,
        after: int = Query(0, ge=0, description="cursor: the last one applied, 0 at first"),
        limit: int = Query(protocol.PULL_DEFAULT_LIMIT, ge=1, description="at most 1000"),
    ) -> dict[str, Any]:
        """County-side events for the token's station after `after`."""
        code = await authenticate(request)
        events, next_cursor = await run_in_threadpool(
            service.pull, engine, code, after, min(limit, protocol.PULL_MAX_LIMIT)
        )
        return {"server_time": protocol.server_time(), "events": events, "next_cursor": next_cursor}

    return app
