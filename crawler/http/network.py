"""httpcore's network backend on plain asyncio: the sockets under httpx, without anyio.

httpx sends its requests through httpcore, and httpcore reaches the network through a "network
backend" (connect, read, write, close, start TLS). Its default one goes through anyio, which
costs per request a task group and a task for the connect (happy eyeballs), a cancel scope per
read and write, and two selector registrations per read (anyio pauses the socket between reads):
about a fifth of the event loop's CPU in a crawl (docs/benchmarks.md). This backend does the
same over an `asyncio.Protocol`: the connection reads as data comes (paused above `_HIGH_WATER`
bytes), a read waits on one future with one timer for its timeout.

It raises what the anyio backend raises, so httpx's errors are unchanged: `httpcore.ConnectError`
(from the OSError, which stays the cause: "connection refused", DNS), `ConnectTimeout`,
`ReadTimeout`, `ReadError`, `WriteTimeout`, `WriteError`. HTTP and TLS stay httpcore's and
asyncio's (`loop.start_tls`, as aiohttp uses it); only the transport of bytes is here.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections import deque
from collections.abc import Iterable
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
        try:
            async with asyncio.timeout(timeout):
                transport, connection = await loop.create_connection(
                    _Connection, host, port,
                    local_addr=None if local_address is None else (local_address, 0),
                    # one address: no race (asyncio would start a task for it)
                    happy_eyeballs_delay=None if _is_ip(host) else 0.25)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(exc) from exc
        except OSError as exc:
            raise httpcore.ConnectError(exc) from exc
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
        try:
            async with asyncio.timeout(timeout):
                transport, connection = await loop.create_unix_connection(_Connection, path)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(exc) from exc
        except OSError as exc:
            raise httpcore.ConnectError(exc) from exc
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


class AsyncioTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (HTTP/1.1 through httpcore's connection pool, TLS verified as
    httpx verifies it) with the connections of `AsyncioBackend`."""

    def __init__(
        self, *, limits: httpx.Limits, verify: ssl.SSLContext | bool = True, trust_env: bool = True
    ) -> None:
        # what httpx.AsyncHTTPTransport.__init__ builds without a proxy, plus the backend
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=trust_env),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=AsyncioBackend(),
        )

