"""Logging set-up: readable lines by default, one JSON object per line with --log-format json.

Pipeline events carry `extra={"event": ..., "source": ..., "url": ..., "duration": ...,
"error": ...}`; the JSON formatter puts those fields at the top level of each object.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

EVENT_FIELDS = ("event", "source", "url", "duration", "error")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
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


def setup_logging(*, verbose: bool, fmt: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    # httpx logs every request at INFO: only with --verbose.
    logging.getLogger("httpx").setLevel(logging.INFO if verbose else logging.WARNING)
