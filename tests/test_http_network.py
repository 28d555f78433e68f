"""crawler.http.network: httpcore's connections over plain asyncio, against real sockets on
127.0.0.1: keep-alive and a server that drops an idle connection, TLS (verified, refused, a body
ended by a close without close_notify), a body larger than the read buffer, errors and timeouts
as the anyio backend raised them."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpcore
import httpx
import pytest
from httpserver import closed_port

from crawler.errors import FetchError
from crawler.http.client import HttpClient
from crawler.http.network import AsyncioBackend, AsyncioTransport

UA = "malinews-crawler/0.1 (+https://example.org/bot)"
LIMITS = httpx.Limits(max_connections=None, max_keepalive_connections=None)


def make_client(transport: httpx.AsyncBaseTransport | None = None, **options: Any) -> HttpClient:
    settings: dict[str, Any] = {"user_agent": UA, "delay_per_host": 0, "retry_backoff": 0.01,
                                "max_retry_time": 5.0, "timeout": 2.0, "obey_robots": False,
                                "max_attempts": 1}
    return HttpClient(transport=transport, **(settings | options))


class RawServer:
    """A threaded server on 127.0.0.1 answering each request on a connection with `respond`
    (request head -> raw bytes, or None to close without answering); `close_after_each`
    drops the connection after every answer, without saying so (no Connection: close)."""

    def __init__(self, respond: Callable[[bytes], bytes | None], *,
                 tls: ssl.SSLContext | None = None, close_after_each: bool = False) -> None:
        self.respond = respond
        self.tls = tls
        self.close_after_each = close_after_each
        self.connections = 0
        self.requests = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def port(self) -> int:
        return self._listener.getsockname()[1]

    def url(self, path: str) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.tls:
                conn = self.tls.wrap_socket(conn, server_side=True)
            buffered = b""
            while True:
                while b"\r\n\r\n" not in buffered:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffered += data
                head, buffered = buffered.split(b"\r\n\r\n", 1)
                self.requests += 1
                answer = self.respond(head)
                if answer is None:
                    return
                conn.sendall(answer)
                if self.close_after_each:
                    return
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()  # an SSLSocket closes without close_notify: a "ragged" end


def keep_alive(body: bytes) -> Callable[[bytes], bytes]:
    return lambda head: b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


def until_close(body: bytes) -> Callable[[bytes], bytes]:
    """No Content-Length: the body ends when the connection closes."""
    return lambda head: b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body


# -- the backend is the one in use --


def test_the_client_sends_through_the_asyncio_backend() -> None:
    client = make_client()
    transport = client._client._transport
    assert isinstance(transport, AsyncioTransport)
    assert isinstance(transport._pool._backend, AsyncioBackend)


# -- keep-alive --


async def test_keep_alive_reuses_one_connection() -> None:
    with RawServer(keep_alive(b"hello")) as server:
        async with make_client() as client:
            for _ in range(3):
                assert (await client.get(server.url("/"))).content == b"hello"
    assert server.requests == 3
    assert server.connections == 1


async def test_an_idle_connection_the_server_closed_is_not_reused() -> None:
    """One attempt only: sending on the dropped connection would fail the request."""
    with RawServer(keep_alive(b"hello"), close_after_each=True) as server:
        async with make_client() as client:
            for _ in range(3):
                assert (await client.get(server.url("/"))).content == b"hello"
                await asyncio.sleep(0.05)  # the server's close reaches the client
    assert server.connections == 3


async def test_a_body_larger_than_the_read_buffer_arrives_whole() -> None:
    body = bytes(range(256)) * (3 * 4096 + 7)  # 3 MB: reading pauses and resumes
    with RawServer(keep_alive(body)) as server:
        async with make_client(max_bytes=10_000_000) as client:
            assert (await client.get(server.url("/big"))).content == body
            assert (await client.get(server.url("/again"))).content == body
    assert server.connections == 1


async def test_a_body_ended_by_the_close() -> None:
    with RawServer(until_close(b"x" * 100_000), close_after_each=True) as server:
        async with make_client() as client:
            assert (await client.get(server.url("/"))).content == b"x" * 100_000


async def test_a_done_request_leaves_no_response_for_the_cyclic_collector() -> None:
    """Issue 17: httpx's response and its BoundAsyncStream held each other, so every request's
    response, stream and HTTP connection waited for a cyclic collection (rare in a crawl); the
    cycle is broken once the response is closed (fails before: 4 responses left)."""
    import gc

    with RawServer(until_close(b"x" * 1000), close_after_each=True) as server:
        async with make_client() as client:
            assert (await client.get(server.url("/"))).content == b"x" * 1000
            gc.collect()
            enabled = gc.isenabled()
            gc.disable()
            try:
                for _ in range(4):
                    assert (await client.get(server.url("/"))).content == b"x" * 1000
                left = [o for o in gc.get_objects() if isinstance(o, httpx.Response)]
            finally:
                if enabled:
                    gc.enable()
    assert left == []


async def test_a_request_takes_no_anyio_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17: httpcore's locks are anyio's, which yield to the event loop at every acquire,
    free or not (three a request: each an extra turn of the loop); the pool's connections take
    a plain asyncio lock, which the pool never makes a request wait for (fails before: six
    acquires for two requests)."""
    import httpcore._synchronization as synchronization

    taken: list[object] = []
    enter = synchronization.AsyncLock.__aenter__

    async def counted(lock: synchronization.AsyncLock) -> synchronization.AsyncLock:
        taken.append(lock)
        return await enter(lock)

    monkeypatch.setattr(synchronization.AsyncLock, "__aenter__", counted)
    with RawServer(keep_alive(b"hello")) as server:
        async with make_client() as client:
            for _ in range(2):
                assert (await client.get(server.url("/"))).content == b"hello"
    assert server.connections == 1
    assert taken == []


def heard(heads: list[bytes], body: bytes = b"hello") -> Callable[[bytes], bytes]:
    """keep_alive(body), each request's head kept in `heads`."""
    def respond(head: bytes) -> bytes:
        heads.append(head)
        return keep_alive(body)(head)
    return respond


async def test_a_request_leaves_httpx_clients_send_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17: the client builds its request and sends it through httpx's transport itself,
    not through AsyncClient.send's layers (auth, hooks, redirects, a stream around the body:
    0.2 ms a request); fails before: httpx's send was called."""

    async def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("httpx's AsyncClient.send was called")

    monkeypatch.setattr(httpx.AsyncClient, "send", refused)
    with RawServer(keep_alive(b"hello")) as server:
        async with make_client() as client:
            assert (await client.get(server.url("/"))).content == b"hello"


async def test_requests_go_out_as_httpxs_client_sends_them() -> None:
    """The same head, header for header in the same order, as httpx's own client.stream sends
    (the client's headers, Connection, Host, a conditional GET's validators, a cookie the site
    set), and the same log line on the "httpx" logger."""
    heads: list[bytes] = []
    cookie = b"HTTP/1.1 200 OK\r\nSet-Cookie: consent=yes; Path=/\r\nContent-Length: 2\r\n\r\nok"

    def respond(head: bytes) -> bytes:
        heads.append(head)
        return cookie if head.startswith(b"GET /set ") else keep_alive(b"hello")(head)

    with RawServer(respond) as server:
        async with make_client() as client:
            await client.get(server.url("/set"))
            await client.get(server.url("/page?q=1"), etag='"v1"', last_modified="Tue, 30 Sep 2025 "
                             "08:53:33 GMT")
            conditional = {"If-None-Match": '"v1"',
                           "If-Modified-Since": "Tue, 30 Sep 2025 08:53:33 GMT"}
            async with client._client.stream("GET", server.url("/page?q=1"),
                                             headers=conditional) as response:
                await response.aread()
    assert len(heads) == 3
    assert heads[1] == heads[2]
    assert b"\r\nCookie: consent=yes" in heads[1]


async def test_a_request_is_logged_as_httpx_logs_it(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    with RawServer(keep_alive(b"hello")) as server:
        url = server.url("/page")
        async with make_client() as client:
            with caplog.at_level(logging.INFO, logger="httpx"):
                await client.get(url)
    assert [(r.name, r.getMessage()) for r in caplog.records] == [
        ("httpx", f'HTTP Request: GET {url} "HTTP/1.1 200 OK"')]


async def test_a_user_name_in_the_url_is_sent_as_basic_auth() -> None:
    """As httpx does: http://user:secret@host/ sends Authorization: Basic."""
    heads: list[bytes] = []
    with RawServer(heard(heads)) as server:
        async with make_client() as client:
            url = server.url("/").replace("http://", "http://user:secret@")
            assert (await client.get(url)).content == b"hello"
    assert b"\r\nAuthorization: Basic dXNlcjpzZWNyZXQ=" in heads[0]


# -- errors, as the anyio backend raised them --


async def test_a_connection_dropped_before_the_answer_is_a_broken_response() -> None:
    with RawServer(lambda head: None) as server:
        async with make_client() as client:
            with pytest.raises(FetchError) as caught:
                await client.get(server.url("/"))
    assert caught.value.reason.startswith("broken response: Server disconnected")


async def test_refused_connection_names_the_os_reason() -> None:
    async with make_client() as client:
        with pytest.raises(FetchError) as caught:
            await client.get(f"http://127.0.0.1:{closed_port()}/")
    assert caught.value.reason == "connection failed: connection refused after 1 attempt"


async def test_backend_errors_and_timeouts_are_httpcore_exceptions() -> None:
    backend = AsyncioBackend()
    with pytest.raises(httpcore.ConnectError) as refused:
        await backend.connect_tcp("127.0.0.1", closed_port(), timeout=2)
    assert isinstance(refused.value.__cause__, ConnectionRefusedError)
    silent = socket.create_server(("127.0.0.1", 0))  # accepts (backlog), never answers
    try:
        stream = await backend.connect_tcp("127.0.0.1", silent.getsockname()[1], timeout=2)
        await stream.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", timeout=2)
        with pytest.raises(httpcore.ReadTimeout):
            await stream.read(65536, timeout=0.1)
        assert stream.get_extra_info("is_readable") is False
        assert stream.get_extra_info("server_addr") == silent.getsockname()
        await stream.aclose()
    finally:
        silent.close()


async def test_a_cancelled_read_leaves_the_stream_usable() -> None:
    """asyncio cancellation (the client's transfer cap) passes through a read untouched."""
    a, b = socket.socketpair()
    try:
        loop = asyncio.get_running_loop()
        from crawler.http.network import AsyncioStream, _Connection
        _, connection = await loop.create_connection(_Connection, sock=a)
        stream = AsyncioStream(connection)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.05):
                await stream.read(100, timeout=5)
        b.sendall(b"abc")
        assert await stream.read(2, timeout=1) == b"ab"
        assert await stream.read(100, timeout=1) == b"c"
        b.close()
        assert await stream.read(100, timeout=1) == b""
        assert stream.get_extra_info("is_readable") is True
        await stream.aclose()
    finally:
        b.close()


# -- TLS --


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A self-signed certificate for 127.0.0.1: (cert.pem, key.pem)."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    yield folder / "cert.pem", folder / "key.pem"


def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


def trusting(certificate: tuple[Path, Path]) -> AsyncioTransport:
    return AsyncioTransport(limits=LIMITS, verify=ssl.create_default_context(
        cafile=str(certificate[0])))


async def test_tls_keep_alive_and_a_ragged_close(certificate: tuple[Path, Path]) -> None:
    with RawServer(keep_alive(b"secret" * 50_000), tls=server_tls(certificate)) as server:
        async with make_client(trusting(certificate), max_bytes=10_000_000) as client:
            for _ in range(2):
                assert (await client.get(server.url("/"))).content == b"secret" * 50_000
    assert server.connections == 1
    # the body ends with the connection, closed without TLS's close_notify
    with RawServer(until_close(b"tail" * 1000), tls=server_tls(certificate),
                   close_after_each=True) as server:
        async with make_client(trusting(certificate)) as client:
            assert (await client.get(server.url("/"))).content == b"tail" * 1000


async def test_tls_certificate_not_trusted_is_refused(certificate: tuple[Path, Path]) -> None:
    """The reason is TLS's, not "operation not permitted" (ssl.SSLCertVerificationError is an
    OSError whose errno, 1, is not the OS's)."""
    with RawServer(keep_alive(b"secret"), tls=server_tls(certificate)) as server:
        async with make_client() as client:  # the system's CAs: a self-signed certificate fails
            with pytest.raises(FetchError) as caught:
                await client.get(server.url("/"))
    assert caught.value.reason.startswith("connection failed")
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.reason
