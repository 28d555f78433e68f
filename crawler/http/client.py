"""The one HTTP client of a run: it sends every request, follows redirects by hand within the
allowed hosts, and sends conditional GETs. The rest of a request's trip has a module of its own:
robots.txt (`robots`), per-host politeness (`politeness`), retries (`retry`), decompression and the
size cap (`bodies`), and charsets (`charset`).
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import logging
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING

import httpx

from crawler.http.bodies import read_body
from crawler.http.charset import decode_body
from crawler.http.network import AsyncioTransport
from crawler.http.politeness import Politeness
from crawler.http.retry import Budget, Failure, Retries, one_line, retry_after, transport_failure
from crawler.http.robots import ROBOTS_MAX_AGE, ROBOTS_MAX_BYTES, Robots, RobotsCache

if TYPE_CHECKING:
    from crawler.config import Settings, Source

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_httpx_log = logging.getLogger("httpx")  # where httpx's client logs each request


@dataclass
class Response:
    """A fetched page, its body decompressed and decoded: what `get` returns, and inside the
    client what each attempt's every hop received (a redirect hop, with its `location`, never
    leaves the client)."""

    url: str  # final URL after redirects
    status: int
    headers: httpx.Headers
    content: bytes = b""  # decompressed body
    not_modified: bool = False  # True for 304 (content/text empty)
    elapsed: float = 0.0  # seconds spent in get(), retries and redirects included
    location: str | None = None  # a redirect hop's target, as sent

    @functools.cached_property
    def text(self) -> str:
        """The decoded body (see decode_body), decoded when first read: feeds and sitemaps are
        parsed from their bytes and never need it."""
        return decode_body(self.content, self.headers.get("content-type")) if self.content else ""


@dataclass(frozen=True)
class _Request:
    """One GET as every attempt and redirect hop of it makes it."""

    url: str
    headers: dict[str, str]  # If-None-Match / If-Modified-Since, when conditional
    robots: bool  # obey robots.txt at every hop
    allowed_hosts: frozenset[str] | None  # None: any host
    limit: int  # the body's size cap, in bytes
    truncate: bool  # over the cap: cut the body (True) or refuse it
    on_turn: Callable[[], None] | None = None  # called when the request first has its turn


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
        self._max_bytes = max_bytes
        self._obey_robots = obey_robots
        self._max_redirects = max_redirects
        self._allowed_hosts = (
            None if allowed_hosts is None else frozenset(h.lower() for h in allowed_hosts)
        )
        self._narrowed_hosts: dict[frozenset[str], frozenset[str]] = {}
        # httpx timeouts are per read; this caps a whole transfer against a server that drips
        self._transfer_cap = max(timeout, max_retry_time)
        self._retries = Retries(
            max_attempts=max_attempts, max_retry_time=max_retry_time, backoff=retry_backoff
        )
        self._politeness = Politeness(concurrency_per_host, delay_per_host, host_politeness or {})
        self._robots = Robots(
            user_agent=user_agent,
            fetch=self._fetch_robots,
            politeness=self._politeness,
            cache=robots_cache,
            max_age=robots_max_age,
            max_crawl_delay=max_crawl_delay,
        )
        # The per-host slots bound the connections (hosts x concurrency). httpx's default
        # keeps 20 idle: with more hosts, it closed connections only to open them again.
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
        self._client = httpx.AsyncClient(
            transport=transport or AsyncioTransport(limits=limits),
            http2=False,
            follow_redirects=False,
            timeout=httpx.Timeout(timeout),
            limits=limits,
            headers={
                "User-Agent": user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "fr,en;q=0.5",
                "Accept-Encoding": "gzip, deflate, br",
            },
        )
        # httpx reads every response into its cookie jar (0.1 ms a response, issue 17); this
        # jar reads only the responses that set a cookie. httpx takes no jar of one's own
        # (the `cookies` argument is copied into a plain one), hence its attribute.
        self._client._cookies = _Cookies()
        self._timeouts = self._client.timeout.as_dict()  # the request extension httpx sends

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
        on_turn: Callable[[], None] | None = None,
    ) -> Response:
        """GET `url`; with `etag`/`last_modified` a 304 comes back as `not_modified=True`.

        With `allowed_hosts`, a URL or redirect hop to any other host is a FetchError and is
        never requested (on top of the client's own `allowed_hosts`, if any). `on_turn` is
        called once, when the request's first attempt has its turn at the host (politeness)
        and goes out; never if it fails before (robots.txt, a host not allowed).
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        hosts = self._allowed_hosts
        if allowed_hosts is not None:
            hosts = self._narrowed(allowed_hosts)
        return await self._fetch(_Request(
            url, headers, robots=self._obey_robots, allowed_hosts=hosts, limit=self._max_bytes,
            truncate=False, on_turn=on_turn))

    def _narrowed(self, allowed_hosts: Collection[str]) -> frozenset[str]:
        """The client's allowed hosts narrowed to `allowed_hosts`: worked out once per set
        (a source asks with the same hosts for each of its pages)."""
        key = allowed_hosts if isinstance(allowed_hosts, frozenset) else None
        if key is not None and (known := self._narrowed_hosts.get(key)) is not None:
            return known
        wanted = frozenset(h.lower() for h in allowed_hosts)
        hosts = wanted if self._allowed_hosts is None else self._allowed_hosts & wanted
        if key is not None:
            if len(self._narrowed_hosts) >= 1024:
                self._narrowed_hosts.clear()
            self._narrowed_hosts[key] = hosts
        return hosts

    async def _fetch(self, request: _Request) -> Response:
        started = time.monotonic()
        attempt = functools.partial(self._follow, request)
        response = await self._retries.call(request.url, attempt)
        response.elapsed = time.monotonic() - started
        return response

    async def _fetch_robots(self, robots_url: str, allowed_hosts: frozenset[str]) -> Response:
        """robots.txt itself: never checked against robots.txt, cut (not refused) at its cap."""
        return await self._fetch(_Request(
            robots_url, {}, robots=False, allowed_hosts=allowed_hosts, limit=ROBOTS_MAX_BYTES,
            truncate=True))

    # -- one attempt: the redirect chain --

    async def _follow(self, request: _Request, budget: Budget) -> Response:
        url, allowed_hosts = request.url, request.allowed_hosts
        current = url
        seen: set[str] = set()
        status: int | None = None
        first = _parse_url(url)
        for hop in range(self._max_redirects + 1):
            target = _parse_url(current) if hop else first
            if (address := str(target)) in seen:
                raise Failure("redirect loop", status)
            seen.add(address)
            if allowed_hosts is not None and target.host not in allowed_hosts:
                if hop:
                    raise Failure(f"redirect to another host {target.host}", status)
                raise Failure(f"host {target.host} is not allowed")
            if hop and allowed_hosts is not None and target.port not in (None, first.port):
                raise Failure(f"redirect to another port {target.host}:{target.port}", status)
            if hop and _internal(target.host) and not _internal(first.host):
                # a public site must not lead the crawler to this machine or its network
                raise Failure(f"redirect to an internal address {target.host}", status)
            if request.robots:
                await self._robots.check(
                    url, target, allowed_hosts, redirect=current if hop else None
                )
            fetched = await self._send(target, request, budget)
            if fetched.location is None:
                return fetched
            status = fetched.status
            current = str(target.join(fetched.location))
        raise Failure(f"more than {self._max_redirects} redirects", status)

    async def _send(self, url: httpx.URL, request: _Request, budget: Budget) -> Response:
        headers, limit, truncate = request.headers, request.limit, request.truncate
        async with self._politeness.slot(url.host):
            if budget.first_sent is None:
                budget.first_sent = time.monotonic()
                if request.on_turn is not None:
                    request.on_turn()
            self.requests_sent += 1
            response: httpx.Response | None = None
            try:
                async with asyncio.timeout(self._transfer_cap):
                    response = await self._open(url, headers)
                    try:
                        return await self._receive(response, bool(headers), limit, truncate)
                    finally:
                        await response.aclose()
            except httpx.TransportError as exc:
                raise transport_failure(exc) from None
            except TimeoutError:
                raise Failure(
                    f"transfer took longer than {self._transfer_cap:g} s", retryable=True
                ) from None
            finally:
                if response is not None:
                    _unbind(response)

    async def _open(self, url: httpx.URL, headers: dict[str, str]) -> httpx.Response:
        """The response to a GET of `url`, its body not read: what httpx's
        `client.stream("GET", url, headers=headers)` opens, without its layers (the request
        built and sent through auth, hooks and redirects in five calls, the body behind one
        more stream: 0.2 ms a request, a tenth of the event loop's cost of a request, issue
        17). httpx 0.28's AsyncClient.send, step by step, for a client with no auth and no
        hooks (a URL with a user name, which httpx turns into an Authorization header, or a
        closed client, which httpx refuses, goes through httpx itself): the client's headers
        and cookies, its timeouts, its transport for the URL (proxies), the cookies kept, the
        request logged, and a redirect's next request built (httpx refuses an invalid Location
        there). The body is closed by the caller."""
        client = self._client
        if url.userinfo or client.is_closed or client.auth is not None or any(
                client.event_hooks.values()):
            return await client.send(client.build_request("GET", url, headers=headers),
                                     stream=True)
        merged = httpx.Headers(client.headers)
        if headers:
            merged.update(headers)
        cookies = client.cookies
        request = httpx.Request("GET", url, headers=merged, cookies=cookies or None,
                                extensions={"timeout": self._timeouts})
        try:
            response = await client._transport_for_url(url).handle_async_request(request)
        except httpx.RequestError as exc:
            exc.request = request  # as httpx's request_context sets it
            raise
        response.request = request
        cookies.extract_cookies(response)
        response.default_encoding = client._default_encoding
        _httpx_log.info('HTTP Request: %s %s "%s %d %s"', request.method, request.url,
                        response.http_version, response.status_code, response.reason_phrase)
        if response.has_redirect_location:
            try:
                response.next_request = client._build_redirect_request(request, response)
            except BaseException:
                await response.aclose()
                raise
        return response

    async def _receive(
        self, response: httpx.Response, conditional: bool, limit: int, truncate: bool
    ) -> Response:
        status = response.status_code
        fetched = Response(url=str(response.url), status=status, headers=response.headers)
        if status in REDIRECT_STATUSES:
            fetched.location = response.headers.get("location")
            if not fetched.location:
                raise Failure(f"HTTP {status} without Location", status)
            return fetched
        if status == 304:
            if not conditional:
                raise Failure("HTTP 304 to an unconditional request", status)
            fetched.not_modified = True
            return fetched
        if status == 429 or status >= 500:
            wait = retry_after(response.headers.get("retry-after"))
            raise Failure(f"HTTP {status}", status, retryable=True, retry_after=wait)
        if not 200 <= status < 300:
            raise Failure(f"HTTP {status}", status)
        fetched.content = await read_body(response, limit, truncate)
        return fetched


_CLOSED_STREAM = httpx.ByteStream(b"")  # what a closed response holds instead of its stream


def _unbind(response: httpx.Response) -> None:
    """Break the cycle httpx makes between a response and its stream (httpx's client wraps the
    stream in a BoundAsyncStream that holds the response; `_open` does so only for what it
    leaves to httpx), once the response is closed: the
    response, its request, the stream and the HTTP connection under it are then freed as soon
    as the request is done, not at the next cyclic collection, which the crawl's thresholds
    (crawler.commands.shared.GC_THRESHOLD) make rare: ~58 objects and their buffers a request,
    a few MB of a crawl's peak (issue 17)."""
    if response.is_closed:
        response.stream = _CLOSED_STREAM


class _Cookies(httpx.Cookies):
    """httpx's cookie jar, which looks at a response only when it sets a cookie. The same
    cookies are kept: without a Set-Cookie header, http.cookiejar finds none to keep (its
    Set-Cookie2 is read only under RFC 2965's policy, off by default and here)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


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
        raise Failure(f"invalid URL: {one_line(str(exc))}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise Failure("invalid URL: not an absolute http(s) URL")
    return parsed.copy_with(fragment=None) if "#" in url else parsed


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
