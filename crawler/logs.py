"""Logging set-up: readable lines by default, one JSON object per line with --log-format json.

Levels, so that alerting on logs sees every failure without -v:
  DEBUG    each article stored, each request (httpx), the workers' housekeeping  (-v only)
  INFO     one summary line per source and run, progress lines, start and stop of daemons
  WARNING  a failed fetch, a source skipped because it is locked or backing off
  ERROR    a failed source, an error that ends the command

Pipeline events carry `extra={"event": ..., "source": ..., "url": ..., ...}`; the JSON
formatter puts those fields at the top level of each object. With --log-format json every line
the command writes on stderr is one JSON object, the end-of-run lines included (`say`).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

EVENT_FIELDS = ("event", "source", "url", "duration", "error", "status", "reason", "pages",
                "articles", "new", "updated", "teasers", "errors", "signal", "sources_done",
                "sources_total")
# Libraries that log every request or every job at INFO: WARNING and up unless -v.
CHATTY = ("httpx", "httpcore", "apscheduler", "procrastinate", "alembic", "asyncio")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in EVENT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


_handler: logging.Handler | None = None
_json = False


def setup_logging(*, verbose: bool, fmt: str = "text") -> None:
    global _handler, _json
    _json = fmt == "json"
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if _json else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _handler = handler
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.WARNING)
    logging.captureWarnings(True)  # a library's warning is a log line too (JSON in json mode)


def json_logs() -> bool:
    return _json


def say(line: str, *, level: int = logging.ERROR, **fields: Any) -> None:
    """One line on stderr for the operator: plain, never wrapped; with --log-format json, one
    JSON object (whatever the log level) with `fields` at its top level."""
    if not _json or _handler is None:
        print(line, file=sys.stderr)
        return
    record = logging.LogRecord("crawler", level, "", 0, line, None, None)
    record.__dict__.update(fields)
    _handler.handle(record)


def say_json_if_asked(argv: list[str], line: str) -> None:
    """For errors found before the options are parsed (the CLI framework's usage errors):
    JSON when the command line asked for it, plain otherwise."""
    asked = "--log-format=json" in argv or any(
        a == "--log-format" and b == "json" for a, b in zip(argv, argv[1:], strict=False))
    if asked and _handler is None:
        setup_logging(verbose=False, fmt="json")
    say(line, level=logging.ERROR, event="usage_error")
