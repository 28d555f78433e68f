"""HTTP for the crawler (see client)."""

from crawler.http.client import (
    REDIRECT_STATUSES,
    ROBOTS_MAX_AGE,
    ROBOTS_MAX_BYTES,
    CrawlDelayTooLong,
    HttpClient,
    MemoryRobotsCache,
    Response,
    RobotsCache,
    crawl_client,
    decode_body,
    gunzip,
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
