"""HTTP for the crawler: one client (`client`) and the steps of a request's trip, each in its own
module, as Scrapy splits its downloader middlewares:

- `robots`: robots.txt, read once per origin and cached across runs;
- `politeness`: per-host concurrency and delay;
- `retry`: which failures are tried again, backoff, the retry budget;
- `bodies`: streamed bodies, bounded decompression, the size cap;
- `charset`: bytes to text.

The names other modules use are importable from here.
"""

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
