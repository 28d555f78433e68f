"""The one HTTP client of a run: robots.txt, per-host politeness, retries, redirects followed by
hand, conditional GET, a decompressed-size cap, and charset repair.

robots.txt is read once per origin for the client's life; a `RobotsCache` keeps it across runs
for up to 24 hours (RFC 9309 2.4), so a rerun on unchanged sites costs one request per entry point.
"""

from __future__ import annotations

import asyncio
import codecs
import functools
import ipaddress
import os
import re
import socket
import time
import zlib
from collections.abc import AsyncIterator, Collection, Iterable, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

import brotli
import charset_normalizer
import httpx
from protego import Protego
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    RetryError,
    retry_if_exception,
    wait_exponential,
    wait_random,
)

from crawler.errors import FetchError, RobotsDisallowed

if TYPE_CHECKING:
    from crawler.config import Settings, Source

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512_000  # RFC 9309 2.5: parse at least 500 KiB, ignore the rest
_CHUNK = 64 * 1024  # most decompressed bytes produced per step, so a bomb never inflates at once

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


@dataclass
class Response:
    """A fetched page, its body decompressed and decoded."""

    url: str  # final URL after redirects
    status: int
    headers: httpx.Headers
    content: bytes  # decompressed body
    not_modified: bool  # True for 304 (content/text empty)
    elapsed: float  # seconds spent in get(), retries and redirects included

    @functools.cached_property
    def text(self) -> str:
        """The decoded body (see decode_body), decoded when first read: feeds and sitemaps are
        parsed from their bytes and never need it."""
        return decode_body(self.content, self.headers.get("content-type")) if self.content else ""


class _Failure(Exception):
    """One attempt failed; `retryable` tells tenacity whether to try again."""

    def __init__(
        self,
        reason: str,
        status: int | None = None,
        *,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after


@dataclass
class _Fetched:
    url: str
    status: int
    headers: httpx.Headers
    content: bytes = b""
    location: str | None = None  # set for a redirect
    not_modified: bool = False


@dataclass
class _Budget:
    """Retry time is counted from the first request that went out, not from the politeness queue."""

    first_sent: float | None = None

    def elapsed(self) -> float:
        return 0.0 if self.first_sent is None else time.monotonic() - self.first_sent


class _Host:
    """Politeness for one host: at most `concurrency` requests in flight, starts `delay` apart."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.delay = delay
        self._semaphore = asyncio.Semaphore(concurrency)
        self._lock = asyncio.Lock()
        self._last_start: float | None = None

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._semaphore:
            async with self._lock:
                if self._last_start is not None:
                    wait = self._last_start + self.delay - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                self._last_start = time.monotonic()
            yield


class HttpClient:
    """The one HTTP client of a run. `get` returns a Response or raises FetchError/RobotsDisallowed.

    `retry_backoff` is the first wait between attempts (doubled each time, plus jitter); tests
    set it small. `host_politeness` gives some hosts their own (concurrency, delay).
    `allowed_hosts` limits every request (redirect hops included) to those hosts;
    `get` can narrow it per call. A redirect hop keeps to the ports of the first URL (or the
    scheme's default): a host is its name and its port. `robots_cache` keeps robots.txt across
    runs (see RobotsCache). A host whose robots.txt asks for a Crawl-delay above
    `max_crawl_delay` seconds is not crawled: every request to it raises CrawlDelayTooLong.
    """

    def __init__(
        self,
        *,
        user_agent: str,
        transport: httpx.AsyncBaseTransport | None = None,
        concurrency_per_host: int = 2,
        delay_per_host: float = 1.0,
        timeout: float = 20.0,
        max_bytes: int = 5_000_000,
        max_attempts: int = 4,
        max_retry_time: float = 60.0,
        obey_robots: bool = True,
        max_redirects: int = 5,
        allowed_hosts: Collection[str] | None = None,
        retry_backoff: float = 1.0,
        robots_cache: RobotsCache | None = None,
        robots_max_age: timedelta = ROBOTS_MAX_AGE,
        host_politeness: Mapping[str, tuple[int, float]] | None = None,
        max_crawl_delay: float = 30.0,
    ) -> None:
        if concurrency_per_host < 1 or max_attempts < 1 or max_redirects < 0:
            raise ValueError(
                "need concurrency_per_host >= 1, max_attempts >= 1, max_redirects >= 0"
            )
        self.requests_sent = 0
        self._user_agent = user_agent
        self._concurrency = concurrency_per_host
        self._delay = delay_per_host
        self._host_politeness = dict(host_politeness or {})  # host -> (concurrency, delay)
        self._max_bytes = max_bytes
        self._max_attempts = max_attempts
        self._max_retry_time = max_retry_time
        self._obey_robots = obey_robots
        self._max_redirects = max_redirects
        self._allowed_hosts = (
            None if allowed_hosts is None else frozenset(h.lower() for h in allowed_hosts)
        )
        # httpx timeouts are per read; this caps a whole transfer against a server that drips
        self._transfer_cap = max(timeout, max_retry_time)
        backoff = wait_exponential(multiplier=retry_backoff, max=max_retry_time)
        self._backoff = backoff + wait_random(0, retry_backoff)
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, Protego] = {}
        self._robots_unreachable: dict[str, str] = {}  # robots URL -> why it was not read
        self._max_crawl_delay = max_crawl_delay
        self._too_slow: dict[str, float] = {}  # robots URL -> its Crawl-delay, over the cap
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._robots_cache = robots_cache
        self._robots_max_age = robots_max_age
        self._client = httpx.AsyncClient(
            transport=transport,
            http2=False,
            follow_redirects=False,
            timeout=httpx.Timeout(timeout),
            # The per-host slots bound the connections (hosts x concurrency). httpx's default
            # keeps 20 idle: with more hosts, it closed connections only to open them again.
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=None),
            headers={
                "User-Agent": user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "fr,en;q=0.5",
                "Accept-Encoding": "gzip, deflate, br",
            },
        )

    @property
    def max_bytes(self) -> int:
        """The cap on a body, decompressed (a .gz inside a body is held to it too)."""
        return self._max_bytes

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._client.aclose()

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        allowed_hosts: Collection[str] | None = None,
    ) -> Response:
        """GET `url`; with `etag`/`last_modified` a 304 comes back as `not_modified=True`.

        With `allowed_hosts`, a URL or redirect hop to any other host is a FetchError and is
        never requested (on top of the client's own `allowed_hosts`, if any).
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        hosts = self._allowed_hosts
        if allowed_hosts is not None:
            wanted = frozenset(h.lower() for h in allowed_hosts)
            hosts = wanted if hosts is None else hosts & wanted
        return await self._fetch(
            url,
            headers,
            robots=self._obey_robots,
            allowed_hosts=hosts,
            limit=self._max_bytes,
            truncate=False,
        )

    # -- retries --

    async def _fetch(
        self,
        url: str,
        headers: dict[str, str],
        *,
        robots: bool,
        allowed_hosts: frozenset[str] | None,
        limit: int,
        truncate: bool,
    ) -> Response:
        started = time.monotonic()
        budget = _Budget()
        retrying = AsyncRetrying(
            stop=lambda state: self._stop(state, budget),
            wait=self._wait,
            retry=retry_if_exception(lambda exc: isinstance(exc, _Failure) and exc.retryable),
        )
        try:
            fetched = await retrying(
                self._follow, url, headers, robots, allowed_hosts, limit, truncate, budget
            )
        except RetryError as exc:
            raise self._gave_up(url, exc) from None
        except _Failure as exc:
            raise FetchError(url, exc.reason, exc.status) from None
        return Response(
            url=fetched.url,
            status=fetched.status,
            headers=fetched.headers,
            content=fetched.content,
            not_modified=fetched.not_modified,
            elapsed=time.monotonic() - started,
        )

    def _stop(self, state: RetryCallState, budget: _Budget) -> bool:
        if state.attempt_number >= self._max_attempts:
            return True
        # upcoming_sleep is already computed: never sleep past the budget (long Retry-After)
        return budget.elapsed() + state.upcoming_sleep > self._max_retry_time

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Failure) and exc.retry_after is not None:
            return exc.retry_after
        return self._backoff(state)

    def _gave_up(self, url: str, error: RetryError) -> FetchError:
        attempts = error.last_attempt.attempt_number
        failure = error.last_attempt.exception()
        assert isinstance(failure, _Failure)
        reason = f"{failure.reason} after {attempts} attempt{'s' if attempts > 1 else ''}"
        if attempts < self._max_attempts:
            if failure.retry_after is not None:
                reason += f" (Retry-After {failure.retry_after:.0f} s exceeds the retry budget)"
            else:
                reason += f" (retry time of {self._max_retry_time:g} s used up)"
        return FetchError(url, reason, failure.status)

    # -- one attempt: the redirect chain --

    async def _follow(
        self,
        url: str,
        headers: dict[str, str],
        robots: bool,
        allowed_hosts: frozenset[str] | None,
        limit: int,
        truncate: bool,
        budget: _Budget,
    ) -> _Fetched:
        current = url
        seen: set[str] = set()
        status: int | None = None
        first = _parse_url(url)
        for hop in range(self._max_redirects + 1):
            target = _parse_url(current)
            if str(target) in seen:
                raise _Failure("redirect loop", status)
            seen.add(str(target))
            if allowed_hosts is not None and target.host not in allowed_hosts:
                if hop:
                    raise _Failure(f"redirect to another host {target.host}", status)
                raise _Failure(f"host {target.host} is not allowed")
            if hop and allowed_hosts is not None and target.port not in (None, first.port):
                raise _Failure(f"redirect to another port {target.host}:{target.port}", status)
            if hop and _internal(target.host) and not _internal(first.host):
                # a public site must not lead the crawler to this machine or its network
                raise _Failure(f"redirect to an internal address {target.host}", status)
            if robots and not await self._robots_allow(target, allowed_hosts):
                where = f"redirect target {current} " if hop else ""
                why = self._robots_unreachable.get(_robots_url(target))
                if why is not None:
                    raise RobotsDisallowed(url, f"{where}robots.txt unreachable ({why}), so "
                                           "nothing may be fetched (RFC 9309)")
                raise RobotsDisallowed(url, f"{where}disallowed by robots.txt")
            if robots and (delay := self._too_slow.get(_robots_url(target))) is not None:
                raise CrawlDelayTooLong(url, f"robots.txt of {target.host}"
                                        f"{'' if target.port is None else f':{target.port}'} "
                                        f"asks for Crawl-delay {delay:g} s, more than "
                                        f"max_crawl_delay ({self._max_crawl_delay:g} s)")
            fetched = await self._send(target, headers, limit, truncate, budget)
            if fetched.location is None:
                return fetched
            status = fetched.status
            current = str(target.join(fetched.location))
        raise _Failure(f"more than {self._max_redirects} redirects", status)

    async def _send(
        self, url: httpx.URL, headers: dict[str, str], limit: int, truncate: bool, budget: _Budget
    ) -> _Fetched:
        async with self._host(url.host).slot():
            if budget.first_sent is None:
                budget.first_sent = time.monotonic()
            self.requests_sent += 1
            try:
                async with (
                    asyncio.timeout(self._transfer_cap),
                    self._client.stream("GET", url, headers=headers) as response,
                ):
                    return await self._receive(response, bool(headers), limit, truncate)
            except httpx.TransportError as exc:
                raise _transport_failure(exc) from None
            except TimeoutError:
                raise _Failure(
                    f"transfer took longer than {self._transfer_cap:g} s", retryable=True
                ) from None

    async def _receive(
        self, response: httpx.Response, conditional: bool, limit: int, truncate: bool
    ) -> _Fetched:
        status = response.status_code
        fetched = _Fetched(url=str(response.url), status=status, headers=response.headers)
        if status in REDIRECT_STATUSES:
            fetched.location = response.headers.get("location")
            if not fetched.location:
                raise _Failure(f"HTTP {status} without Location", status)
            return fetched
        if status == 304:
            if not conditional:
                raise _Failure("HTTP 304 to an unconditional request", status)
            fetched.not_modified = True
            return fetched
        if status == 429 or status >= 500:
            retry_after = _retry_after(response.headers.get("retry-after"))
            raise _Failure(f"HTTP {status}", status, retryable=True, retry_after=retry_after)
        if not 200 <= status < 300:
            raise _Failure(f"HTTP {status}", status)
        fetched.content = await _read_body(response, limit, truncate)
        return fetched

    # -- politeness and robots.txt --

    def _host(self, host: str) -> _Host:
        if host not in self._hosts:
            concurrency, delay = self._host_politeness.get(host, (self._concurrency, self._delay))
            self._hosts[host] = _Host(concurrency, delay)
        return self._hosts[host]

    async def _robots_allow(self, url: httpx.URL, allowed_hosts: frozenset[str] | None) -> bool:
        robots_url = _robots_url(url)
        lock = self._robots_locks.setdefault(robots_url, asyncio.Lock())
        async with lock:  # concurrent first requests to a host fetch robots.txt once
            if robots_url not in self._robots:
                self._robots[robots_url] = await self._load_robots(
                    robots_url, url.host, allowed_hosts or frozenset({url.host}))
        return self._robots[robots_url].can_fetch(str(url), self._user_agent)

    async def _load_robots(self, robots_url: str, host: str,
                           allowed_hosts: frozenset[str]) -> Protego:
        """robots.txt of one origin. Its redirects (RFC 9309 2.3.1.2) are followed within
        `allowed_hosts` only (the hosts of the request that needs it); one leading elsewhere
        counts as too many redirects: no robots.txt, as if 4xx."""
        cached = self._robots_cache.get(robots_url) if self._robots_cache else None
        if cached is not None and datetime.now(UTC) - cached[1] < self._robots_max_age:
            return self._rules(cached[0], host, robots_url)
        fetched_at = datetime.now(UTC)
        try:
            response = await self._fetch(
                robots_url,
                {},
                robots=False,
                allowed_hosts=allowed_hosts,
                limit=ROBOTS_MAX_BYTES,
                truncate=True,
            )
        except FetchError as exc:
            # RFC 9309 2.3.1: 4xx (or too many redirects) means no rules at all; a server error,
            # or no answer, means disallow everything. 429 counts as a server error, as at Google.
            if exc.status is not None and 300 <= exc.status < 500 and exc.status != 429:
                if self._robots_cache is not None:
                    self._robots_cache.put(robots_url, "", fetched_at)
                return _ALLOW_ALL
            self._robots_unreachable[robots_url] = exc.reason
            return _DISALLOW_ALL
        if self._robots_cache is not None:
            self._robots_cache.put(robots_url, response.text, fetched_at)
        return self._rules(response.text, host, robots_url)

    def _rules(self, body: str, host: str, robots_url: str) -> Protego:
        """Parse robots.txt; its Crawl-delay raises (never lowers) the host's delay, up to
        max_crawl_delay: above it, the origin is not crawled at all (see CrawlDelayTooLong)."""
        rules = Protego.parse(body) if body else _ALLOW_ALL
        crawl_delay = rules.crawl_delay(self._user_agent)
        if crawl_delay is not None and crawl_delay > self._max_crawl_delay:
            self._too_slow[robots_url] = crawl_delay
            return rules
        host_state = self._host(host)
        if crawl_delay is not None and crawl_delay > host_state.delay:
            host_state.delay = crawl_delay
        return rules


def _robots_url(url: httpx.URL) -> str:
    return str(url.copy_with(raw_path=b"/robots.txt", fragment=None))


def _internal(host: str) -> bool:
    """A loopback, private, link-local or otherwise non-public address (169.254.169.254 is
    the cloud metadata service), written as an IP or as localhost. Names are not resolved."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


def _parse_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise _Failure(f"invalid URL: {_one_line(str(exc))}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise _Failure("invalid URL: not an absolute http(s) URL")
    return parsed.copy_with(fragment=None)


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, from either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _one_line(text: str) -> str:
    return " ".join(text.split())


_TIMEOUT_REASONS: dict[type[Exception], str] = {
    httpx.ConnectTimeout: "connect timeout",
    httpx.ReadTimeout: "read timeout",
    httpx.WriteTimeout: "write timeout",
    httpx.PoolTimeout: "connection pool timeout",
}


def _transport_failure(exc: httpx.TransportError) -> _Failure:
    detail = _one_line(str(exc)) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return _Failure(_TIMEOUT_REASONS.get(type(exc), "timeout"), retryable=True)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError):
        return _Failure(f"cannot send request: {detail}")
    if isinstance(exc, httpx.ConnectError):
        return _Failure(f"connection failed: {_os_cause(exc) or detail}", retryable=True)
    if isinstance(exc, httpx.RemoteProtocolError):
        # httpx parses a redirect's Location itself, even with follow_redirects=False
        if detail.startswith("Invalid URL in location header"):
            return _Failure(f"redirect to an invalid URL: {detail.split(': ', 1)[-1].rstrip('.')}")
        return _Failure(f"broken response: {detail}", retryable=True)
    return _Failure(f"connection error: {detail}", retryable=True)


def _os_cause(exc: BaseException) -> str | None:
    """The OS's reason under httpx's "All connection attempts failed": refused, no route, or a
    host name that does not resolve (DNS), so a message names the real cause."""
    while (inner := exc.__cause__ or exc.__context__) is not None:
        exc = inner
    if isinstance(exc, socket.gaierror):
        return f"host name does not resolve (DNS: {exc.strerror})"
    if isinstance(exc, OSError) and exc.errno:
        return os.strerror(exc.errno).lower()  # "connection refused", "no route to host"
    return None


# -- bodies --


async def _read_body(response: httpx.Response, limit: int, truncate: bool) -> bytes:
    """Stream and decompress the body, stopping as soon as it grows past `limit` bytes."""
    too_large = _Failure(f"body larger than {limit} bytes", response.status_code)
    length = response.headers.get("content-length", "").strip()
    if not truncate and length.isdigit() and int(length) > limit:
        raise too_large
    if response.is_stream_consumed:
        # a transport that built its responses from bytes (httpx.MockTransport, a replay) has
        # already read and decompressed them
        body = response.content
        if len(body) > limit:
            if truncate:
                return body[:limit]
            raise too_large
        return body
    decoder = _decoder(response.headers.get("content-encoding"))
    body = bytearray()
    async for raw in response.aiter_raw():
        for piece in decoder.feed(raw):
            body += piece
            if len(body) > limit:
                if truncate:
                    return bytes(body[:limit])
                raise too_large
    decoder.finish()
    return bytes(body)


def gunzip(data: bytes, limit: int) -> bytes:
    """A gzip file that is the body itself (a .xml.gz sitemap served without Content-Encoding),
    decompressed in the same bounded steps as bodies, and refused past `limit` bytes: a 1 MB
    bomb must not become gigabytes. Raises ValueError naming what is wrong."""
    decoder = _Zlib("gzip")
    out = bytearray()
    try:
        for piece in decoder.feed(data):
            out += piece
            if len(out) > limit:
                raise ValueError(f"larger than {limit} bytes once decompressed")
        decoder.finish()
    except _Failure as exc:
        raise ValueError(exc.reason) from None
    return bytes(out)


# httpx decompresses each network chunk in one go, so a 64 KB chunk of a brotli bomb could
# become gigabytes before the size cap sees it; these decoders hand out bounded pieces instead.


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def finish(self) -> None:
        pass


class _Zlib:
    """gzip (several members allowed) and deflate (zlib-wrapped or raw, as servers differ)."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._gzip = coding != "deflate"
        self._wbits = 16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS
        self._stream = zlib.decompressobj(self._wbits)
        self._fed = False
        self._produced = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        self._fed = self._fed or bool(data)
        try:
            yield from self._inflate(data)
        except zlib.error:
            raise _Failure(f"corrupt {self._coding} body", retryable=True) from None

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        while True:
            if self._stream.eof:
                rest = self._stream.unused_data + data
                # another gzip member may follow; anything else after the end is padding
                if not (self._gzip and rest.startswith(b"\x1f\x8b")):
                    return
                self._stream = zlib.decompressobj(self._wbits)
                data = rest
            try:
                out = self._stream.decompress(data, _CHUNK)
            except zlib.error:
                if self._gzip or self._produced or self._wbits < 0:
                    raise
                self._wbits = -zlib.MAX_WBITS  # raw deflate without the zlib header
                self._stream = zlib.decompressobj(self._wbits)
                continue
            data = self._stream.unconsumed_tail
            if out:
                self._produced = True
                yield out
            if not data and len(out) < _CHUNK and not self._stream.eof:
                return

    def finish(self) -> None:
        if self._fed and not self._stream.eof:
            raise _Failure(f"truncated {self._coding} body", retryable=True)


class _Brotli:
    def __init__(self) -> None:
        self._stream = brotli.Decompressor()
        self._fed = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        self._fed = self._fed or bool(data)
        try:
            out = self._stream.process(data, output_buffer_limit=_CHUNK)
            # can_accept_more_data() alone can be True while output is still pending
            while out or not self._stream.can_accept_more_data():
                yield out
                out = self._stream.process(b"", output_buffer_limit=_CHUNK)
        except brotli.error:
            raise _Failure("corrupt br body", retryable=True) from None

    def finish(self) -> None:
        if self._fed and not self._stream.is_finished():
            raise _Failure("truncated br body", retryable=True)


def _decoder(content_encoding: str | None) -> _Identity | _Zlib | _Brotli:
    codings = [
        c
        for c in (part.strip().lower() for part in (content_encoding or "").split(","))
        if c and c != "identity"
    ]
    if not codings:
        return _Identity()
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return _Zlib(codings[0])
    if codings == ["br"]:
        return _Brotli()
    # we only ever offer gzip, deflate and br, one at a time
    raise _Failure(f"unsupported Content-Encoding {content_encoding}")


# -- charsets --

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_FALLBACK = "crawler-cp1252"


def _bytes_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read undecodable bytes as Windows-1252 (Latin-1 where it has a hole)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chars = []
    for byte in error.object[error.start : error.end]:
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars), error.end


codecs.register_error(_FALLBACK, _bytes_as_cp1252)


def decode_body(content: bytes, content_type: str | None) -> str:
    """Decode a body: BOM, else the Content-Type charset, else <meta charset> or the XML
    declaration in the first 2 KB, else strict UTF-8, else charset-normalizer's guess.

    Bytes that the chosen charset cannot decode are read as Windows-1252, so a Latin-1 page
    declared UTF-8, or a UTF-8 page with a few stray Latin-1 bytes ("ao\\xfbt" on malijet.com),
    comes out right. Mojibake in the text itself (UTF-8 read as Latin-1 before the site stored
    it: "Ã©") is left here: ftfy over a whole page costs ~30 times the decoding and the parse
    together, so it runs on the extracted fields only, where they show mojibake
    (crawler.text.fix_text).
    """
    if not content:
        return ""
    return _decode(content, content_type)


def _decode(content: bytes, content_type: str | None) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return content[3:].decode("utf-8", errors=_FALLBACK)
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16", errors="replace")
    codec = _codec(_declared_charset(content, content_type))
    if codec is None or not codec.startswith(("utf-16", "utf-32")):
        # undeclared, or another label (often a server default, or a <meta> left in a page
        # re-encoded since): real UTF-8 wins, as text in another charset is almost never valid
        # UTF-8 by accident
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if codec is None:
        # UTF-8 with a few stray Latin-1 bytes still has real multi-byte sequences, which
        # single-byte text almost never forms by chance
        codec = "utf-8" if _UTF8_MULTIBYTE.search(content) else _guess_codec(content)
    if codec in ("ascii", "iso8859-1"):
        codec = "cp1252"  # as browsers do (WHATWG Encoding): these labels mean windows-1252
    return content.decode(codec, errors=_FALLBACK)


def _guess_codec(content: bytes) -> str:
    """charset-normalizer's guess, but Windows-1252 whenever it is among the candidates: on short
    French text the top pick is often cp1250 or cp1257 ("à" -> "ŕ"), and these French-language
    sites use no other single-byte charset."""
    candidates = [match.encoding for match in charset_normalizer.from_bytes(content)]
    if not candidates or "cp1252" in candidates:
        return "cp1252"
    return _codec(candidates[0]) or "cp1252"


def _declared_charset(content: bytes, content_type: str | None) -> str | None:
    if content_type and (match := _HEADER_CHARSET.search(content_type)):
        return match.group(1)
    head = content[:2048]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii")
    # Bytes that spell out "<meta charset" in ASCII are no UTF-16: browsers read a UTF-16 label
    # found in the document as UTF-8 (WHATWG HTML, "prescan a byte stream"; the BOM is checked
    # first, above)
    if (_codec(label) or "").startswith(("utf-16", "utf-32")):
        return "utf-8"
    return label


def _codec(label: str | None) -> str | None:
    """Python's codec name for a charset label, or None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
        b"a".decode(name, "ignore")  # rejects codecs that are no text encoding ("base64")
    except LookupError:
        return None
    return name


def crawl_client(
    settings: Settings,
    sources: Iterable[Source],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    robots_cache: RobotsCache | None = None,
    max_attempts: int = 4,
) -> HttpClient:
    """The client every entry point crawls with: the settings' politeness, each source's own
    `delay`/`concurrency` on its hosts, and a robots.txt cache. Replayed cassettes (a
    `transport`) cost the sites nothing: no delay, no cache, and a request that no cassette
    holds will not appear on a second try."""
    replay = transport is not None
    politeness = {
        host: (source.concurrency_value(settings), source.delay_seconds(settings))
        for source in sources if source.delay is not None or source.concurrency is not None
        for host in source.all_hosts
    }
    return HttpClient(
        user_agent=settings.user_agent, transport=transport,
        concurrency_per_host=settings.concurrency,
        delay_per_host=0.0 if replay else settings.delay,
        host_politeness={h: (c, 0.0) for h, (c, _) in politeness.items()} if replay
        else politeness,
        max_attempts=1 if replay else max_attempts,
        timeout=settings.timeout, max_bytes=settings.max_bytes,
        max_crawl_delay=settings.max_crawl_delay,
        robots_cache=None if replay else robots_cache,
    )
