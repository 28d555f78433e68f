"""The sockets and the connection pool under httpx, on plain asyncio instead of anyio.

httpx sends its requests through httpcore: a connection pool of HTTP/1.1 connections, which
reach the network through a "network backend" (connect, read, write, close, start TLS). The
default backend goes through anyio, which costs per request a task group and a task for the
connect (happy eyeballs), a cancel scope per read and write, and two selector registrations per
read (anyio pauses the socket between reads); in py-spy samples of the 20 x 200 crawl bench,
anyio was on 38% of the event loop's stacks (the syscalls under it included). `AsyncioBackend`
does the same over an `asyncio.Protocol`: the connection reads as data comes (paused above
`_HIGH_WATER` bytes), a read waits on one future with one timer for its timeout.

It raises what the anyio backend raises, so httpx's errors are unchanged: `httpcore.ConnectError`
(from the OSError, which stays the cause: "connection refused", DNS), `ConnectTimeout`,
`ReadTimeout`, `ReadError`, `WriteTimeout`, `WriteError`. HTTP and TLS stay httpcore's (h11) and
asyncio's (`loop.start_tls`, as aiohttp uses it); only the transport of bytes is here.

`_Pool` replaces httpcore's AsyncConnectionPool (see its docstring); `AsyncioTransport` is
httpx's own transport over both. tests/test_http_network.py runs them against real sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import time
from collections import deque
from collections.abc import AsyncIterator, Iterable
from typing import Any

import httpcore
import httpx

_HIGH_WATER = 256 * 1024  # bytes received and not yet read before the socket stops reading
_TIMED_OUT = object()


class _Connection(asyncio.Protocol):
    """One TCP connection: received bytes queued until read, the end and any error noted."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | Any = None
        self.chunks: deque[bytes] = deque()
        self.buffered = 0
        self.eof = False
        self.lost = False
        self.error: BaseException | None = None  # why the connection was lost, if not cleanly
        self.waiter: asyncio.Future[Any] | None = None  # a read or a write waiting to go on
        self.reading_paused = False
        self.writing_paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.buffered += len(data)
        if self.buffered > _HIGH_WATER and not self.reading_paused:
            self.reading_paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> None:
        self.eof = True
        self._wake()  # returning None: the transport closes itself, as under anyio

    def connection_lost(self, exc: BaseException | None) -> None:
        self.lost = True
        self.error = exc
        self._wake()

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        self._wake()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def wait(self, timeout: float | None) -> bool:
        """Wait for data, the end, or room to write; False when `timeout` ran out first."""
        loop = asyncio.get_running_loop()
        waiter = self.waiter = loop.create_future()
        timer = None if timeout is None else loop.call_later(timeout, _time_out, waiter)
        try:
            return await waiter is not _TIMED_OUT
        finally:
            self.waiter = None
            if timer is not None:
                timer.cancel()


def _time_out(waiter: asyncio.Future[Any]) -> None:
    if not waiter.done():
        waiter.set_result(_TIMED_OUT)


class AsyncioStream(httpcore.AsyncNetworkStream):
    """httpcore's view of one connection."""

    def __init__(self, connection: _Connection, *, tls: bool = False) -> None:
        self._connection = connection
        self._tls = tls

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        connection = self._connection
        while not connection.chunks:
            if connection.lost or connection.eof:
                if connection.error is not None:
                    raise httpcore.ReadError(connection.error) from connection.error
                return b""
            if not await connection.wait(timeout):
                raise httpcore.ReadTimeout(TimeoutError())
        chunk = connection.chunks.popleft()
        if len(chunk) > max_bytes:
            connection.chunks.appendleft(chunk[max_bytes:])
            chunk = chunk[:max_bytes]
        connection.buffered -= len(chunk)
        if connection.reading_paused and connection.buffered <= _HIGH_WATER // 4:
            connection.reading_paused = False
            connection.transport.resume_reading()
        return chunk

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        connection = self._connection
        if connection.error is not None:
            raise httpcore.WriteError(connection.error) from connection.error
        connection.transport.write(buffer)
        while connection.writing_paused and not connection.lost:
            if not await connection.wait(timeout):
                raise httpcore.WriteTimeout(TimeoutError())
        if connection.error is not None:
            raise httpcore.WriteError(connection.error) from connection.error

    async def aclose(self) -> None:
        if self._tls:
            # no close_notify, as anyio's TLS stream for HTTP (standard_compatible=False):
            # asyncio would wait up to 30 s for the server's own before closing the socket
            self._connection.transport.abort()
        else:
            self._connection.transport.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        connection = self._connection
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(
                    connection.transport, connection, ssl_context,
                    server_hostname=server_hostname)
        except TimeoutError as exc:
            connection.transport.abort()
            raise httpcore.ConnectTimeout(exc) from exc
        except (OSError, ssl.SSLError, EOFError) as exc:
            connection.transport.abort()
            raise httpcore.ConnectError(exc) from exc
        if transport is None:  # the connection was closed during the handshake
            raise httpcore.ConnectError("connection closed during the TLS handshake")
        connection.transport = transport
        return AsyncioStream(connection, tls=True)

    def get_extra_info(self, info: str) -> Any:
        transport = self._connection.transport
        if info == "ssl_object":
            return transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return transport.get_extra_info("sockname")
        if info == "server_addr":
            return transport.get_extra_info("peername")
        if info == "socket":
            return transport.get_extra_info("socket")
        if info == "is_readable":
            # an idle connection with something to read has been closed (or broken) by the server
            connection = self._connection
            return bool(connection.chunks) or connection.eof or connection.lost
        return None


@contextlib.asynccontextmanager
async def _connecting(timeout: float | None) -> AsyncIterator[None]:
    """A connection attempt within `timeout`, its failures as httpcore's exceptions."""
    try:
        async with asyncio.timeout(timeout):
            yield
    except TimeoutError as exc:
        raise httpcore.ConnectTimeout(exc) from exc
    except OSError as exc:
        raise httpcore.ConnectError(exc) from exc


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Connects over asyncio (`loop.create_connection`, happy eyeballs as anyio does it)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        async with _connecting(timeout):
            transport, connection = await loop.create_connection(
                _Connection, host, port,
                local_addr=None if local_address is None else (local_address, 0),
                # one address: no race (asyncio would start a task for it)
                happy_eyeballs_delay=None if _is_ip(host) else 0.25)
        sock = transport.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return AsyncioStream(connection)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        async with _connecting(timeout):
            _, connection = await loop.create_unix_connection(_Connection, path)
        return AsyncioStream(connection)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _is_ip(host: str) -> bool:
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host)
        except OSError:
            continue
        return True
    return False


class _HTTP11Connection(httpcore.AsyncHTTP11Connection):
    """httpcore's HTTP/1.1 connection with an asyncio lock for its state. httpcore's own lock
    is anyio's, which yields to the event loop on every acquire, even free, under a shielded
    cancel scope: three acquires a request (its start and its end), each an extra turn of the
    loop. The pool hands a connection to one request at a time, so the lock is never waited
    for; it stays, a plain one, for what httpcore guards with it."""

    def __init__(self, origin: httpcore.Origin, stream: httpcore.AsyncNetworkStream,
                 keepalive_expiry: float | None) -> None:
        super().__init__(origin=origin, stream=stream, keepalive_expiry=keepalive_expiry)
        self._state_lock = asyncio.Lock()  # type: ignore[assignment]


class _Pool:
    """httpcore's connection pool cut to what the crawler asks of it: no cap on connections
    (the per-host politeness slots bound them), idle connections kept per origin. httpcore's
    own rescans every connection, and for each idle one counts them all, twice per request
    (AsyncConnectionPool._assign_requests_to_connections): O(n^2) in the idle connections a
    crawl over many keep-alive hosts holds, plus anyio locks, events and shields. The HTTP is
    still httpcore's: each connection is an httpcore.AsyncHTTP11Connection (`_HTTP11Connection`),
    connected here as httpcore's AsyncHTTPConnection connects one (`_connect`) without that
    wrapper's own anyio lock and its trace of the connect."""

    def __init__(
        self,
        *,
        ssl_context: ssl.SSLContext,
        keepalive_expiry: float | None,
        max_idle: int | None,
        backend: httpcore.AsyncNetworkBackend,
    ) -> None:
        self._ssl_context = ssl_context
        ssl_context.set_alpn_protocols(["http/1.1"])  # as httpcore sets it on every connect
        self._keepalive_expiry = keepalive_expiry
        self._max_idle = max_idle
        self._backend = backend
        # (scheme, host, port): httpcore.Origin is not hashable
        self._idle: dict[tuple[bytes, bytes, int], list[_HTTP11Connection]] = {}
        self._idle_count = 0
        self._open: set[_HTTP11Connection] = set()  # idle or busy, for aclose
        self._next_sweep = 0.0

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        scheme = request.url.scheme.decode()
        if scheme == "":
            raise httpcore.UnsupportedProtocol(
                "Request URL is missing an 'http://' or 'https://' protocol.")
        if scheme not in ("http", "https"):
            raise httpcore.UnsupportedProtocol(
                f"Request URL has an unsupported protocol '{scheme}://'.")
        origin = request.url.origin
        await self._sweep()
        while True:
            connection = await self._take_idle(origin)
            if connection is None:
                connection = _HTTP11Connection(origin, await self._connect(request, origin),
                                               self._keepalive_expiry)
                self._open.add(connection)
            try:
                response = await connection.handle_async_request(request)
            except httpcore.ConnectionNotAvailable:
                await self._drop(connection)  # closed since it was idle: take another
                continue
            except BaseException:
                await self._drop(connection)
                raise
            return httpcore.Response(
                status=response.status, headers=response.headers,
                content=_PoolStream(response.stream, self, connection, origin),
                extensions=response.extensions)

    async def _connect(
        self, request: httpcore.Request, origin: httpcore.Origin
    ) -> httpcore.AsyncNetworkStream:
        """A new connection to `origin`, TLS started for https: httpcore's
        AsyncHTTPConnection._connect with what the pool asks of it (no retries, no local
        address, no socket options, HTTP/1.1 only). Raises ConnectError or ConnectTimeout."""
        extensions = request.extensions
        timeout = extensions.get("timeout", {}).get("connect")
        host = origin.host.decode("ascii")
        stream = await self._backend.connect_tcp(host, origin.port, timeout=timeout)
        if origin.scheme in (b"https", b"wss"):
            stream = await stream.start_tls(
                self._ssl_context, server_hostname=extensions.get("sni_hostname") or host,
                timeout=timeout)
        return stream

    async def _take_idle(self, origin: httpcore.Origin) -> _HTTP11Connection | None:
        idle = self._idle.get((origin.scheme, origin.host, origin.port))
        while idle:
            connection = idle.pop()
            self._idle_count -= 1
            if connection.is_closed() or connection.has_expired():  # expired, or server closed
                await self._drop(connection)
                continue
            return connection
        return None

    async def _release(self, connection: _HTTP11Connection, origin: httpcore.Origin) -> None:
        """A response was closed: its connection waits for the next request, or is closed."""
        if connection.is_idle() and not connection.is_closed() and (
                self._max_idle is None or self._idle_count < self._max_idle):
            key = (origin.scheme, origin.host, origin.port)
            self._idle.setdefault(key, []).append(connection)
            self._idle_count += 1
        else:
            await self._drop(connection)

    async def _drop(self, connection: _HTTP11Connection) -> None:
        self._open.discard(connection)
        if not connection.is_closed():
            await connection.aclose()

    async def _sweep(self) -> None:
        """At most once a second, close the idle connections that expired (keep-alive) or that
        their server closed, whichever origin they belong to."""
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + 1.0
        for key, idle in list(self._idle.items()):
            keep = [c for c in idle if not (c.is_closed() or c.has_expired())]
            for connection in idle:
                if connection not in keep:
                    await self._drop(connection)
            self._idle_count -= len(idle) - len(keep)
            if keep:
                self._idle[key] = keep
            else:
                del self._idle[key]

    async def aclose(self) -> None:
        connections, self._open = list(self._open), set()
        self._idle.clear()
        self._idle_count = 0
        for connection in connections:
            await connection.aclose()

    async def __aenter__(self) -> _Pool:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class _PoolStream:
    """A response's body; closing it hands the connection back to the pool."""

    def __init__(
        self,
        stream: Any,
        pool: _Pool,
        connection: _HTTP11Connection,
        origin: httpcore.Origin,
    ) -> None:
        self._stream = stream
        self._pool = pool
        self._connection = connection
        self._origin = origin
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._stream:
                yield part
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            await self._stream.aclose()
        finally:
            await self._pool._release(self._connection, self._origin)


class AsyncioTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (its request/response mapping and errors; HTTP/1.1 by httpcore's
    connections, TLS verified as httpx verifies it) over `_Pool` and `AsyncioBackend`.
    `limits.max_connections` must be None: the pool waits for no free connection."""

    def __init__(
        self, *, limits: httpx.Limits, verify: ssl.SSLContext | bool = True, trust_env: bool = True
    ) -> None:
        if limits.max_connections is not None:
            raise ValueError("AsyncioTransport does not cap connections (max_connections=None)")
        # httpx.AsyncHTTPTransport.__init__ builds an httpcore pool here (without a proxy)
        self._pool = _Pool(  # type: ignore[assignment]
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=trust_env),
            keepalive_expiry=limits.keepalive_expiry,
            max_idle=limits.max_keepalive_connections,
            backend=AsyncioBackend(),
        )

