"""HTTP for the crawler: one client (`client`) and the steps of a request's trip, each in its own
module, as Scrapy splits its downloader middlewares:

- `robots`: robots.txt, read once per origin and cached across runs;
- `politeness`: per-host concurrency and delay;
- `retry`: which failures are tried again, backoff, the retry budget;
- `bodies`: streamed bodies, bounded decompression, the size cap;
- `charset`: bytes to text.

The names other modules use are importable from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.http.bodies import gunzip
    from crawler.http.charset import decode_body
    from crawler.http.client import REDIRECT_STATUSES, HttpClient, Response, crawl_client
    from crawler.http.robots import (
        ROBOTS_MAX_AGE,
        ROBOTS_MAX_BYTES,
        CrawlDelayTooLong,
        MemoryRobotsCache,
        RobotsCache,
    )

# Each name is imported from its module on first use (PEP 562), not when the package is: a
# parsing worker imports crawler.http.charset, and importing the client with it would bring
# httpx and tenacity into every worker (about 15 MB each, issue 17).
_HOME = {"gunzip": "bodies", "decode_body": "charset", "REDIRECT_STATUSES": "client",
         "HttpClient": "client", "Response": "client", "crawl_client": "client",
         "ROBOTS_MAX_AGE": "robots", "ROBOTS_MAX_BYTES": "robots", "CrawlDelayTooLong": "robots",
         "MemoryRobotsCache": "robots", "RobotsCache": "robots"}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = getattr(importlib.import_module(f"crawler.http.{home}"), name)
    return value


__all__ = [
    "REDIRECT_STATUSES",
    "ROBOTS_MAX_AGE",
    "ROBOTS_MAX_BYTES",
    "CrawlDelayTooLong",
    "HttpClient",
    "MemoryRobotsCache",
    "Response",
    "RobotsCache",
    "crawl_client",
    "decode_body",
    "gunzip",
]
