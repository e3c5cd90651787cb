"""Structured logs: one JSON object per line on stderr (time, level, logger, event, request id,
station and whatever `extra=` a call adds). Configured once, by the command line entry point."""
from __future__ import annotations

import contextvars
import json
import logging
import os
from datetime import datetime, timezone

#: Set per HTTP request by the API middleware; appears in every log line of that request.
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName", "color_message"}
LOG_ENV = "XFCOUNTY_LOG"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str | None = None) -> None:
    """JSON lines to stderr for our loggers and uvicorn's; level from argument or $XFCOUNTY_LOG."""
    name = (level or os.environ.get(LOG_ENV) or "INFO").upper()
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    root.setLevel(getattr(logging, name, logging.INFO))
    for noisy in ("uvicorn.access", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for child in ("uvicorn", "uvicorn.error"):
        logging.getLogger(child).handlers.clear()
        logging.getLogger(child).propagate = True
