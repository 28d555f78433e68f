"""A small threaded HTTP server on 127.0.0.1 for fault scenarios (retries, resets, bombs, robots).

    with TestServer() as server:
        server.route("/page", Reply(body=b"hello"))
        server.route("/flaky", [Reply(status=503), Reply(body=b"ok")])  # in turn, last repeats
        server.route("/raw", lambda request, conn: conn.wfile.write(b"HTTP/1.0 200 OK\\r\\n\\r\\n"))
        ... server.url("/page") ... server.count("/page") ... server.requests ...

A route is a `Reply`, a list of `Reply` served in turn, or a callable `(Request, handler)` that
returns a `Reply` or writes the raw response itself on `handler.wfile` and returns None.
Responses are HTTP/1.0, so the connection closes after each one (a body without
Content-Length simply ends at the close).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Reply:
    """A canned response. `delay` sleeps before anything is sent (timeouts, concurrency)."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""  # an iterable goes out chunk by chunk, no Content-Length
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_length: bool = True  # send Content-Length for a bytes body


@dataclass(frozen=True)
class Request:
    """What the server saw: path (query included), headers, arrival time (time.time())."""

    path: str
    headers: dict[str, str]
    time: float


Responder = Callable[[Request, BaseHTTPRequestHandler], "Reply | None"]
Route = Reply | list[Reply] | Responder


class TestServer:
    """Threaded HTTP server on 127.0.0.1, port chosen by the OS. Records every request."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._in_flight = 0
        self.max_in_flight = 0  # most requests being handled at the same time
        self.requests: list[Request] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._server.block_on_close = False  # a sleeping handler must not hold up stop()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> TestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> TestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def route(self, path: str, route: Route) -> None:
        """Serve `route` at `path` (matched without the query string). Unknown paths get 404."""
        with self._lock:
            self._routes[path] = route
            self._served[path] = 0

    def count(self, path: str) -> int:
        """How many requests reached `path` (query string ignored)."""
        with self._lock:
            return sum(1 for r in self.requests if urlsplit(r.path).path == path)

    def times(self, path: str) -> list[float]:
        """Arrival times (time.time()) of the requests to `path`, in order."""
        with self._lock:
            return [r.time for r in self.requests if urlsplit(r.path).path == path]

    def sleep(self, seconds: float) -> None:
        """Sleep in a handler, waking early when the server stops."""
        self._stopping.wait(seconds)

    # -- called from handler threads --

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        request = Request(handler.path, dict(handler.headers.items()), time.time())
        path = urlsplit(handler.path).path
        with self._lock:
            self.requests.append(request)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            route = self._routes.get(path)
            index = self._served.get(path, 0)
            self._served[path] = index + 1
        try:
            if route is None:
                reply: Reply | None = Reply(status=404, body=b"not found")
            elif isinstance(route, Reply):
                reply = route
            elif isinstance(route, list):
                reply = route[min(index, len(route) - 1)]
            else:
                reply = route(request, handler)
            if reply is not None:
                self._send(handler, reply)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout, size cap): expected in these tests
        finally:
            with self._lock:
                self._in_flight -= 1

    def _send(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        if reply.delay:
            self.sleep(reply.delay)
        handler.send_response(reply.status)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        if isinstance(reply.body, bytes):
            if reply.content_length:
                handler.send_header("Content-Length", str(len(reply.body)))
            handler.end_headers()
            handler.wfile.write(reply.body)
        else:
            handler.end_headers()
            for chunk in reply.body:
                handler.wfile.write(chunk)
                handler.wfile.flush()


def reset_connection(handler: BaseHTTPRequestHandler) -> None:
    """Abort the connection with a TCP RST (SO_LINGER 0) instead of a clean close."""
    handler.wfile.flush()
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    handler.close_connection = True


def _make_handler(server: TestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            server._handle(self)

        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

    return Handler
