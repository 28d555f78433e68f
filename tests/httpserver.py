"""A small threaded HTTP server on 127.0.0.1 for fault scenarios (retries, resets, bombs, robots).

    with TestServer() as server:
        server.route("/page", Reply(body=b"hello"))
        server.route("/flaky", [Reply(status=503), Reply(body=b"ok")])  # in turn, last repeats
        server.route("/raw", lambda request, conn: conn.wfile.write(b"HTTP/1.0 200 OK\\r\\n\\r\\n"))
        ... server.url("/page") ... server.count("/page") ... server.requests ...

A route is a `Reply`, a list of `Reply` served in turn, or a callable `(Request, handler)` that
returns a `Reply` or writes the raw response itself on `handler.wfile` and returns None.
Responses are HTTP/1.0, so the connection closes after each one (a body without
Content-Length simply ends at the close). `TestServer(address="127.0.0.2")` listens on another
loopback address, which the crawler sees as another host (the benchmarks use that).

The second half builds a small news site to serve: `Story` (an article page), `rss_feed`,
`listing_page` and `serve_site`.
"""

from __future__ import annotations

import html
import random
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
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

    def __init__(self, address: str = "127.0.0.1") -> None:
        self._routes: dict[str, Route] = {}
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._in_flight = 0
        # most requests waiting for their answer at the same time: a request counts from its
        # arrival until its answer starts to go out (the client cannot have had it before;
        # counting until the handler's thread ends saw a third request of a client that keeps
        # two in flight, which the old thread had answered but not yet left)
        self.max_in_flight = 0
        self.requests: list[Request] = []
        self._server = ThreadingHTTPServer((address, 0), _make_handler(self))
        self._server.request_queue_size = 128  # a benchmark opens many connections at once
        self._server.daemon_threads = True
        self._server.block_on_close = False  # a sleeping handler must not hold up stop()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def address(self) -> str:
        return self._server.server_address[0]

    @property
    def base_url(self) -> str:
        return f"http://{self.address}:{self.port}"

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
        answering = [False]
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
                self._send(handler, reply, answering)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout, size cap): expected in these tests
        finally:
            self._answered(answering)

    def _answered(self, answering: list[bool]) -> None:
        """The request no longer waits for its answer (once per request)."""
        with self._lock:
            if not answering[0]:
                answering[0] = True
                self._in_flight -= 1

    def _send(self, handler: BaseHTTPRequestHandler, reply: Reply,
              answering: list[bool] | None = None) -> None:
        if reply.delay:
            self.sleep(reply.delay)
        if answering is not None:
            self._answered(answering)
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


_REFUSING: list[socket.socket] = []


def closed_port() -> int:
    """A port on 127.0.0.1 that refuses connections: bound by this process, never listening.

    The socket stays open until the process ends, so no other test (another xdist worker
    included) can be given the port while a crawler is being refused by it."""
    if not _REFUSING:
        refusing = socket.socket()
        refusing.bind(("127.0.0.1", 0))
        _REFUSING.append(refusing)
    return _REFUSING[0].getsockname()[1]


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


# -- a small news site --------------------------------------------------------------------------

_WORDS = (
    "Bamako", "le", "ministre", "a", "présidé", "hier", "la", "cérémonie", "de", "lancement",
    "des", "travaux", "du", "nouveau", "marché", "à", "Ségou", "où", "les", "élèves", "et",
    "commerçants", "attendaient", "depuis", "août", "une", "réponse", "l'État", "région",
)
_SYLLABLES = ("ba", "ko", "ma", "li", "sé", "gou", "ka", "ti", "dé", "ré", "mo", "ni", "ta", "fa")


@dataclass(frozen=True)
class Story:
    """One article page of a simulated site: an <h1>, dated <meta>, an <article> of <p>."""

    path: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime

    @classmethod
    def make(cls, path: str, number: int, published: datetime | None = None) -> Story:
        """A story whose title and prose differ with `number` (deterministic), in words of its
        own, as distinct articles are: near-duplicate detection has nothing to find."""
        rng = random.Random(number)
        words = [w for w in _WORDS if rng.random() < 0.5] + [
            "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(40)]
        paragraphs = tuple(
            " ".join(rng.choice(words) for _ in range(24)).capitalize()
            + f", dit le rapport numéro {number}-{p}."
            for p in range(3)
        )
        when = published or datetime(2025, 6, 1, 8, tzinfo=UTC) + timedelta(hours=number)
        title = " ".join(rng.choice(words) for _ in range(5)).capitalize()
        return cls(path, f"{title} : dépêche numéro {number}, l'été à Koulouba", paragraphs, when)

    @property
    def body(self) -> str:
        """The body as the crawler stores it."""
        return "\n\n".join(self.paragraphs)

    def html(self, *, head: str = "", charset: str | None = "utf-8") -> str:
        meta = f'<meta charset="{charset}">' if charset else ""
        prose = "".join(f"<p>{html.escape(p)}</p>" for p in self.paragraphs)
        return (
            f'<!doctype html><html lang="fr"><head>{meta}<title>{html.escape(self.title)}</title>'
            f'<meta property="article:published_time" content="{self.published.isoformat()}">'
            f"{head}</head><body><nav><a href=\"/\">Accueil</a></nav><article>"
            f"<h1>{html.escape(self.title)}</h1>{prose}</article>"
            f"<footer>© Le Journal, tous droits réservés</footer></body></html>"
        )

    def reply(self, **options: object) -> Reply:
        return Reply(
            body=self.html().encode(), headers={"Content-Type": "text/html; charset=utf-8"},
            **options,  # type: ignore[arg-type]
        )


def rss_feed(base_url: str, stories: Sequence[Story]) -> bytes:
    """An RSS 2.0 feed of `stories`, newest first as they are given."""
    items = "".join(
        f"<item><title>{html.escape(s.title)}</title><link>{base_url}{s.path}</link>"
        f"<pubDate>{format_datetime(s.published, usegmt=True)}</pubDate>"
        f"<description>{html.escape(s.paragraphs[0][:80])}…</description></item>"
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Le Journal</title><link>{base_url}/</link>{items}</channel></rss>"
    ).encode()


def listing_page(stories: Sequence[Story], next_path: str | None = None) -> bytes:
    """A listing page: one card per story (link and teaser), and a rel=next link if given."""
    cards = "".join(
        f'<div class="card"><h2><a href="{s.path}">{html.escape(s.title)}</a></h2>'
        f'<p class="teaser">{html.escape(s.paragraphs[0][:90])}…</p></div>'
        for s in stories
    )
    more = f'<a rel="next" href="{next_path}">Suivant</a>' if next_path else ""
    return f'<html><head><meta charset="utf-8"></head><body>{cards}{more}</body></html>'.encode()


def feed_reply(body: bytes, **headers: str) -> Reply:
    return Reply(body=body, headers={"Content-Type": "application/rss+xml; charset=utf-8",
                                     **headers})


def serve_site(
    server: TestServer,
    stories: Sequence[Story],
    feed_path: str = "/feed",
    base_url: str | None = None,
) -> None:
    """Serve `stories` and an RSS feed of them at `feed_path` (links on `base_url`, by default
    the server's own)."""
    server.route(feed_path, feed_reply(rss_feed(base_url or server.base_url, stories)))
    for story in stories:
        server.route(story.path, story.reply())


def spaced_by(arrivals: Sequence[float], delay: float, jitter: float = 0.15) -> bool:
    """Whether requests that arrived at `arrivals` were sent at least `delay` apart.

    Arrival lags sending by what a busy machine's scheduling adds, differently for each request,
    so one gap can look short by that much; it cannot accumulate: from any request to any later
    one, k gaps span at least k delays less one lag."""
    times = sorted(arrivals)
    return all(times[j] - times[i] >= (j - i) * delay - jitter
               for i in range(len(times)) for j in range(i + 1, len(times)))
