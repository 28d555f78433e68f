"""robots.txt (RFC 9309): read once per origin for a client's life, kept across runs for up to
24 hours by a `RobotsCache`, so a rerun on unchanged sites costs one request per entry point."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

import httpx
from protego import Protego

from crawler.errors import FetchError, RobotsDisallowed

if TYPE_CHECKING:
    from crawler.http.client import Response
    from crawler.http.politeness import Politeness

ROBOTS_MAX_BYTES = 512_000  # RFC 9309 2.5: parse at least 500 KiB, ignore the rest
ROBOTS_MAX_AGE = timedelta(hours=24)  # RFC 9309 2.4: a cached robots.txt for at most a day

_ALLOW_ALL = Protego.parse("")
_DISALLOW_ALL = Protego.parse("User-agent: *\nDisallow: /")


class CrawlDelayTooLong(FetchError):
    """robots.txt asks for a Crawl-delay above the client's cap: the host is not crawled at all
    (at 100,000 s a request a day, a run would never end)."""


class RobotsCache(Protocol):
    """robots.txt bodies kept across runs, keyed by the robots.txt URL (its scheme, host and
    port: RFC 9309 2.3 scopes the rules to exactly that origin). A body of "" means "no rules"
    (the file answered 4xx). Unreachable files (5xx, no answer) are never stored."""

    def get(self, robots_url: str) -> tuple[str, datetime] | None:
        """(body, fetched_at aware UTC) as last stored, or None."""
        ...

    def put(self, robots_url: str, body: str, fetched_at: datetime) -> None:
        """Store (replace) the body read at `fetched_at`."""
        ...


class MemoryRobotsCache:
    """A RobotsCache in a dict: for tests, and for a long-running process without a database."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, datetime]] = {}

    def get(self, robots_url: str) -> tuple[str, datetime] | None:
        return self.entries.get(robots_url)

    def put(self, robots_url: str, body: str, fetched_at: datetime) -> None:
        self.entries[robots_url] = (body, fetched_at)


# Fetches a robots.txt URL, following redirects within the given hosts only.
FetchRobots = Callable[[str, frozenset[str]], Awaitable["Response"]]


class Robots:
    """The robots.txt rules of every origin a client meets. A Crawl-delay raises the host's
    delay in `politeness`; above `max_crawl_delay` seconds the origin is not crawled at all."""

    def __init__(
        self,
        *,
        user_agent: str,
        fetch: FetchRobots,
        politeness: Politeness,
        cache: RobotsCache | None,
        max_age: timedelta,
        max_crawl_delay: float,
    ) -> None:
        self._user_agent = user_agent
        self._fetch = fetch
        self._politeness = politeness
        self._cache = cache
        self._max_age = max_age
        self._max_crawl_delay = max_crawl_delay
        self._rules: dict[str, Protego] = {}
        self._unreachable: dict[str, str] = {}  # robots URL -> why it was not read
        self._too_slow: dict[str, float] = {}  # robots URL -> its Crawl-delay, over the cap
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(
        self,
        url: str,
        target: httpx.URL,
        allowed_hosts: frozenset[str] | None,
        *,
        redirect: str | None = None,
    ) -> None:
        """Raise RobotsDisallowed or CrawlDelayTooLong unless `target` may be fetched: the
        request for `url`, or its redirect hop to `redirect` (as the Location said)."""
        robots_url = _robots_url(target)
        if not await self._allows(target, robots_url, allowed_hosts):
            where = f"redirect target {redirect} " if redirect else ""
            why = self._unreachable.get(robots_url)
            if why is not None:
                raise RobotsDisallowed(url, f"{where}robots.txt unreachable ({why}), so "
                                       "nothing may be fetched (RFC 9309)")
            raise RobotsDisallowed(url, f"{where}disallowed by robots.txt")
        if (delay := self._too_slow.get(robots_url)) is not None:
            raise CrawlDelayTooLong(url, f"robots.txt of {target.host}"
                                    f"{'' if target.port is None else f':{target.port}'} "
                                    f"asks for Crawl-delay {delay:g} s, more than "
                                    f"max_crawl_delay ({self._max_crawl_delay:g} s)")

    async def _allows(
        self, url: httpx.URL, robots_url: str, allowed_hosts: frozenset[str] | None
    ) -> bool:
        lock = self._locks.setdefault(robots_url, asyncio.Lock())
        async with lock:  # concurrent first requests to a host fetch robots.txt once
            if robots_url not in self._rules:
                self._rules[robots_url] = await self._load(
                    robots_url, url.host, allowed_hosts or frozenset({url.host}))
        return self._rules[robots_url].can_fetch(str(url), self._user_agent)

    async def _load(self, robots_url: str, host: str, allowed_hosts: frozenset[str]) -> Protego:
        """robots.txt of one origin. Its redirects (RFC 9309 2.3.1.2) are followed within
        `allowed_hosts` only (the hosts of the request that needs it); one leading elsewhere
        counts as too many redirects: no robots.txt, as if 4xx."""
        cached = self._cache.get(robots_url) if self._cache else None
        if cached is not None and datetime.now(UTC) - cached[1] < self._max_age:
            return self._parse(cached[0], host, robots_url)
        fetched_at = datetime.now(UTC)
        try:
            response = await self._fetch(robots_url, allowed_hosts)
        except FetchError as exc:
            # RFC 9309 2.3.1: 4xx (or too many redirects) means no rules at all; a server error,
            # or no answer, means disallow everything. 429 counts as a server error, as at Google.
            if exc.status is not None and 300 <= exc.status < 500 and exc.status != 429:
                if self._cache is not None:
                    self._cache.put(robots_url, "", fetched_at)
                return _ALLOW_ALL
            self._unreachable[robots_url] = exc.reason
            return _DISALLOW_ALL
        if self._cache is not None:
            self._cache.put(robots_url, response.text, fetched_at)
        return self._parse(response.text, host, robots_url)

    def _parse(self, body: str, host: str, robots_url: str) -> Protego:
        """Parse robots.txt; its Crawl-delay raises (never lowers) the host's delay, up to
        max_crawl_delay: above it, the origin is not crawled at all (see CrawlDelayTooLong)."""
        rules = Protego.parse(body) if body else _ALLOW_ALL
        crawl_delay = rules.crawl_delay(self._user_agent)
        if crawl_delay is not None and crawl_delay > self._max_crawl_delay:
            self._too_slow[robots_url] = crawl_delay
            return rules
        if crawl_delay is not None:
            self._politeness.slow_down(host, crawl_delay)
        return rules


def _robots_url(url: httpx.URL) -> str:
    """The URL's origin (user info kept) + /robots.txt: what url.copy_with(raw_path=...,
    fragment=None) gives, without parsing a URL again for every request."""
    userinfo = url.userinfo
    at = userinfo.decode("ascii") + "@" if userinfo else ""
    return f"{url.scheme}://{at}{url.netloc.decode('ascii')}/robots.txt"
