"""HttpClient against a real server on 127.0.0.1 (tests/httpserver.py), and decode_body."""

from __future__ import annotations

import asyncio
import gzip
import math
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from typing import Any

import brotli
import httpx
import pytest
from httpserver import Reply, Request, TestServer, reset_connection

from crawler.errors import FetchError, RobotsDisallowed
from crawler.http.charset import decode_body
from crawler.http.client import HttpClient
from crawler.http.robots import MemoryRobotsCache
from crawler.text import fix_text

UA = "malinews-crawler/0.1 (+https://example.org/bot)"
PAGE = "<html><body><p>Bamako, le 12 août : l'été à Koulouba.</p></body></html>".encode()


def make_client(**options: Any) -> HttpClient:
    settings: dict[str, Any] = {
        "user_agent": UA,
        "delay_per_host": 0,
        "retry_backoff": 0.01,
        "max_retry_time": 5.0,
        "timeout": 2.0,
        "obey_robots": False,
    }
    return HttpClient(**(settings | options))


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as test_server:
        yield test_server


# -- retries --


async def test_503_twice_then_200_succeeds_after_three_requests(server: TestServer) -> None:
    server.route("/page", [Reply(status=503), Reply(status=503), Reply(body=PAGE)])
    async with make_client() as client:
        response = await client.get(server.url("/page"))
    assert response.status == 200
    assert response.content == PAGE
    assert server.count("/page") == 3
    assert client.requests_sent == 3


async def test_500_forever_gives_up_after_max_attempts(server: TestServer) -> None:
    server.route("/page", Reply(status=500))
    async with make_client(max_attempts=3) as client:
        with pytest.raises(FetchError) as caught:
            await client.get(server.url("/page"))
    assert caught.value.status == 500
    assert caught.value.reason == "HTTP 500 after 3 attempts"
    assert server.count("/page") == 3


async def test_retry_time_bounds_attempts_before_max_attempts(server: TestServer) -> None:
    server.route("/page", Reply(status=502))
    started = time.monotonic()
    async with make_client(max_attempts=100, max_retry_time=0.5, retry_backoff=0.1) as client:
        with pytest.raises(FetchError) as caught:
            await client.get(server.url("/page"))
    assert time.monotonic() - started < 3.0  # budget 0.5 s, generous margin
    assert 1 < server.count("/page") < 100
    assert "retry time" in caught.value.reason


async def test_404_is_not_retried(server: TestServer) -> None:
    async with make_client() as client:
        with pytest.raises(FetchError) as caught:
            await client.get(server.url("/missing"))
    assert caught.value.status == 404
    assert caught.value.reason == "HTTP 404"
    assert server.count("/missing") == 1


async def test_429_with_retry_after_seconds_waits_then_succeeds(server: TestServer) -> None:
    server.route("/page", [Reply(status=429, headers={"Retry-After": "1"}), Reply(body=PAGE)])
    async with make_client() as client:
        response = await client.get(server.url("/page"))
    assert response.content == PAGE
    first, second = server.times("/page")
    assert second - first >= 0.9


async def test_429_with_retry_after_http_date_waits_until_that_date(server: TestServer) -> None:
    retry_at: list[float] = []

    def throttled_once(request: Request, conn: object) -> Reply:
        if retry_at:
            return Reply(body=PAGE)
        retry_at.append(math.ceil(time.time()) + 1)  # whole seconds, as an HTTP date has
        return Reply(status=429, headers={"Retry-After": formatdate(retry_at[0], usegmt=True)})

    server.route("/page", throttled_once)
    async with make_client() as client:
        response = await client.get(server.url("/page"))
    assert response.content == PAGE
    assert server.count("/page") == 2
    assert server.times("/page")[1] >= retry_at[0] - 0.05


async def test_retry_after_beyond_retry_budget_fails_at_once(server: TestServer) -> None:
    server.route("/page", Reply(status=503, headers={"Retry-After": "3600"}))
    async with make_client(max_retry_time=5.0) as client:
        with pytest.raises(FetchError) as caught:
            await client.get(server.url("/page"))
    assert "Retry-After 3600 s exceeds the retry budget" in caught.value.reason
    assert server.count("/page") == 1


async def test_read_timeout_fails_after_bounded_retries(server: TestServer) -> None:
    server.route("/slow", Reply(body=PAGE, delay=2.0))
    async with make_client(timeout=0.2, max_attempts=2) as client:
        with pytest.raises(FetchError) as caught:
            await client.get(server.url("/slow"))
    assert caught.value.reason == "read timeout after 2 attempts"
    assert caught.value.status is None
    assert server.count("/slow") == 2


async def test_server_dripping_bytes_is_cut_off_by_the_transfer_cap(server: TestServer) -> None:
    def drip() -> Iterator[bytes]:
        for _ in range(50):  # one byte every 0.1 s: never a read timeout, 5 s in all
            server.sleep(0.1)
            yield b"x"

    server.route("/drip", lambda request, conn: Reply(body=drip()))
    async with make_client(timeout=0.5, max_retry_time=1.0) as client:
        with pytest.raises(FetchError) as caught:
            await client.get(server.url("/drip"))
    assert caught.value.reason.startswith("transfer took longer than 1 s after 1 attempt")


async def test_connection_reset_mid_body_is_retried(server: TestServer) -> None:
    def reset_first_time(request: Request, conn: Any) -> Reply | None:
        if server.count("/page") > 1:
            return Reply(body=PAGE)
        conn.send_response(200)
        conn.send_header("Content-Length", str(len(PAGE)))
        conn.end_headers()
        conn.wfile.write(PAGE[:20])
        reset_connection(conn)
        return None

    server.route("/page", reset_first_time)
    async with make_client() as client:
        response = await client.get(server.url("/page"))
    assert response.content == PAGE
    assert server.count("/page") == 2


async def test_truncated_gzip_body_is_retried(server: TestServer) -> None:
    packed = gzip.compress(PAGE * 50)
    cut = Reply(
        body=packed[: len(packed) // 2], headers={"Content-Encoding": "gzip"}, content_length=False
    )
    whole = Reply(body=packed, headers={"Content-Encoding": "gzip"})
    server.route("/page", [cut, whole])
    async with make_client() as client:
        response = await client.get(server.url("/page"))
    assert response.content == PAGE * 50
    assert server.count("/page") == 2


async def test_unreachable_host_raises_fetch_error_not_httpx_error() -> None:
    with TestServer() as gone:
        url = gone.url("/page")
    async with make_client(max_attempts=2) as client:
        with pytest.raises(FetchError) as caught:
            await client.get(url)
    assert caught.value.reason.startswith("connection failed")
    assert caught.value.reason.endswith("after 2 attempts")


# -- size cap and compression --


@pytest.mark.parametrize("with_length", [True, False], ids=["content-length", "no-length"])
async def test_body_over_max_bytes_is_refused(server: TestServer, with_length: bool) -> None:
    body = b"x" * 5000
    reply = Reply(body=body) if with_length else Reply(body=[body[:2500], body[2500:]])
    server.route("/big", reply)
    async with make_client(max_bytes=1000) as client:
        with pytest.raises(FetchError) as caught:
            await client.get(server.url("/big"))
    assert caught.value.reason == "body larger than 1000 bytes"
    assert server.count("/big") == 1  # not retried


def _deflate_raw(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("coding", "pack"),
    [
        ("gzip", gzip.compress),
        ("gzip", lambda body: gzip.compress(body[:100]) + gzip.compress(body[100:])),
        ("deflate", zlib.compress),
        ("deflate", _deflate_raw),
        ("br", brotli.compress),
    ],
    ids=["gzip", "gzip-two-members", "deflate-zlib", "deflate-raw", "br"],
)
async def test_compressed_body_is_decompressed(server: TestServer, coding: str, pack: Any) -> None:
    body = PAGE * 200
    server.route("/page", Reply(body=pack(body), headers={"Content-Encoding": coding}))
    async with make_client() as client:
        response = await client.get(server.url("/page"))
    assert response.content == body
    assert "août" in response.text


@pytest.mark.parametrize("coding", ["gzip", "br"])
async def test_compression_bomb_is_stopped_with_little_memory(
    server: TestServer, coding: str
) -> None:
    inflated = 50_000_000
    if coding == "gzip":
        bomb = gzip.compress(b"\0" * inflated, compresslevel=9)
    else:
        bomb = brotli.compress(b"\0" * inflated, quality=5)
    assert len(bomb) < 100_000
    server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": coding}))
    async with make_client(max_bytes=200_000) as client:
        tracemalloc.start()
        try:
            with pytest.raises(FetchError) as caught:
                await client.get(server.url("/bomb"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert caught.value.reason == "body larger than 200000 bytes"
    assert peak < 5_000_000  # the bomb would be 50 MB


# -- redirects --


async def test_redirect_is_followed_to_final_url(server: TestServer) -> None:
    server.route("/old", Reply(status=301, headers={"Location": "/new"}))
    server.route("/new", Reply(body=PAGE))
    async with make_client() as client:
        response = await client.get(server.url("/old"))
    assert response.url == server.url("/new")
    assert response.content == PAGE


async def test_redirect_loop_raises(server: TestServer) -> None:
    server.route("/a", Reply(status=302, headers={"Location": "/b"}))
    server.route("/b", Reply(status=302, headers={"Location": server.url("/a")}))
    async with make_client() as client:
        with pytest.raises(FetchError) as caught:
            await client.get(server.url("/a"))
    assert caught.value.reason == "redirect loop"
    assert server.count("/a") == 1  # not retried


async def test_redirect_to_an_invalid_location_raises_fetch_error() -> None:
    transport = httpx.MockTransport(
        lambda request: httpx.Response(302, headers={"Location": "http://\x01bad/"})
    )
    async with make_client(transport=transport) as client:
        with pytest.raises(FetchError) as caught:
            await client.get("http://mock.example/page")
    assert caught.value.reason.startswith("redirect to an invalid URL")
    assert client.requests_sent == 1  # not retried


async def test_too_many_redirects_raises(server: TestServer) -> None:
    for hop in range(6):
        server.route(f"/r{hop}", Reply(status=307, headers={"Location": f"/r{hop + 1}"}))
    async with make_client(max_redirects=3) as client:
        with pytest.raises(FetchError) as caught:
            await client.get(server.url("/r0"))
    assert caught.value.reason == "more than 3 redirects"
    assert server.count("/r4") == 0


async def test_redirect_outside_allowed_hosts_raises(server: TestServer) -> None:
    server.route("/page", Reply(status=302, headers={"Location": "http://evil.example/x"}))
    async with make_client(allowed_hosts=["127.0.0.1"]) as client:
        with pytest.raises(FetchError) as caught:
            await client.get(server.url("/page"))
    assert caught.value.reason == "redirect to another host evil.example"


async def test_redirect_to_a_disallowed_path_is_refused_by_robots(server: TestServer) -> None:
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private\n"))
    server.route("/page", Reply(status=302, headers={"Location": "/private/x"}))
    async with make_client(obey_robots=True) as client:
        with pytest.raises(RobotsDisallowed):
            await client.get(server.url("/page"))
    assert server.count("/private/x") == 0


async def test_per_call_allowed_hosts_refuses_another_host_without_a_request(
    server: TestServer,
) -> None:
    server.route("/page", Reply(body=PAGE))
    async with make_client() as client:
        with pytest.raises(FetchError) as caught:
            await client.get(server.url("/page"), allowed_hosts=["lessor.ml"])
        response = await client.get(server.url("/page"), allowed_hosts=["127.0.0.1"])
    assert caught.value.reason == "host 127.0.0.1 is not allowed"
    assert response.content == PAGE
    assert server.count("/page") == 1


async def test_per_call_allowed_hosts_stops_a_redirect_hop_to_another_host(
    server: TestServer,
) -> None:
    with TestServer() as other:
        other.route("/x", Reply(body=PAGE))
        elsewhere = other.url("/x").replace("127.0.0.1", "localhost")
        server.route("/page", Reply(status=301, headers={"Location": elsewhere}))
        async with make_client() as client:
            with pytest.raises(FetchError) as caught:
                await client.get(server.url("/page"), allowed_hosts=["127.0.0.1"])
            followed = await client.get(server.url("/page"))  # no limit: followed
        assert other.count("/x") == 1
    assert caught.value.reason == "redirect to another host localhost"
    assert followed.content == PAGE


async def test_per_call_allowed_hosts_narrow_the_clients_own(server: TestServer) -> None:
    server.route("/page", Reply(body=PAGE))
    async with make_client(allowed_hosts=["localhost"]) as client:
        with pytest.raises(FetchError) as caught:
            await client.get(server.url("/page"), allowed_hosts=["127.0.0.1"])
    assert caught.value.reason == "host 127.0.0.1 is not allowed"
    assert server.count("/page") == 0


async def test_the_same_allowed_hosts_again_narrow_the_same_way(server: TestServer) -> None:
    """A source asks with one frozenset for each of its pages: the narrowing worked out for
    it is kept, and another set is narrowed on its own."""
    server.route("/page", Reply(body=PAGE))
    async with make_client(allowed_hosts=["127.0.0.1", "localhost"]) as client:
        ours = frozenset({"127.0.0.1", "Elsewhere.ml"})
        for _ in range(2):
            assert (await client.get(server.url("/page"), allowed_hosts=ours)).content == PAGE
        with pytest.raises(FetchError, match="host 127.0.0.1 is not allowed"):
            await client.get(server.url("/page"), allowed_hosts=frozenset({"localhost"}))
    assert server.count("/page") == 2


async def test_a_cookie_set_by_a_site_is_sent_back_to_it(server: TestServer) -> None:
    """The client keeps cookies as httpx does (its jar reads only the responses that set
    one): a cookie set once is sent with the next requests, the answers without Set-Cookie
    in between keep it, and a new value replaces it."""
    server.route("/set", Reply(body=PAGE, headers={"Set-Cookie": "consent=yes; Path=/"}))
    server.route("/again", Reply(body=PAGE, headers={"Set-Cookie": "consent=no; Path=/"}))
    server.route("/page", Reply(body=PAGE))
    async with make_client() as client:
        await client.get(server.url("/page"))
        await client.get(server.url("/set"))
        await client.get(server.url("/page"))
        await client.get(server.url("/page"))
        await client.get(server.url("/again"))
        await client.get(server.url("/page"))
    sent = [r.headers.get("Cookie") for r in server.requests]
    assert sent == [None, None, "consent=yes", "consent=yes", "consent=yes", "consent=no"]


# -- conditional GET --


async def test_etag_and_last_modified_give_not_modified(server: TestServer) -> None:
    stamp = "Tue, 30 Sep 2025 08:53:33 GMT"

    def conditional(request: Request, conn: object) -> Reply:
        if request.headers.get("If-None-Match") == '"v1"':
            return Reply(status=304)
        if request.headers.get("If-Modified-Since") == stamp:
            return Reply(status=304)
        return Reply(body=PAGE, headers={"ETag": '"v1"', "Last-Modified": stamp})

    server.route("/page", conditional)
    async with make_client() as client:
        first = await client.get(server.url("/page"))
        assert first.headers["last-modified"] == stamp
        by_etag = await client.get(server.url("/page"), etag=first.headers["etag"])
        by_date = await client.get(server.url("/page"), last_modified=stamp)
    assert not first.not_modified
    assert first.content == PAGE
    for response in (by_etag, by_date):
        assert response.not_modified
        assert response.status == 304
        assert response.content == b""
        assert response.text == ""


# -- robots.txt --


async def test_robots_disallow_raises_and_page_is_never_requested(server: TestServer) -> None:
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private\n"))
    server.route("/public", Reply(body=PAGE))
    async with make_client(obey_robots=True) as client:
        with pytest.raises(RobotsDisallowed):
            await client.get(server.url("/private/page"))
        response = await client.get(server.url("/public"))
        await client.get(server.url("/public"))
    assert response.content == PAGE
    assert server.count("/private/page") == 0
    assert server.count("/robots.txt") == 1  # cached for the client's life
    assert client.requests_sent == 3


async def test_robots_group_for_our_user_agent_applies(server: TestServer) -> None:
    robots = b"User-agent: malinews-crawler\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    server.route("/robots.txt", Reply(body=robots))
    async with make_client(obey_robots=True) as client:
        with pytest.raises(RobotsDisallowed):
            await client.get(server.url("/page"))


async def test_robots_404_allows_everything(server: TestServer) -> None:
    server.route("/page", Reply(body=PAGE))
    async with make_client(obey_robots=True) as client:
        response = await client.get(server.url("/page"))
    assert response.content == PAGE
    assert server.count("/robots.txt") == 1


async def test_robots_503_disallows_everything(server: TestServer) -> None:
    server.route("/robots.txt", Reply(status=503))
    server.route("/page", Reply(body=PAGE))
    async with make_client(obey_robots=True, max_attempts=2) as client:
        with pytest.raises(RobotsDisallowed):
            await client.get(server.url("/page"))
    assert server.count("/robots.txt") == 2  # retried like any page, then given up
    assert server.count("/page") == 0


async def test_obey_robots_false_never_asks_for_robots(server: TestServer) -> None:
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /\n"))
    server.route("/page", Reply(body=PAGE))
    async with make_client(obey_robots=False) as client:
        response = await client.get(server.url("/page"))
    assert response.content == PAGE
    assert server.count("/robots.txt") == 0


async def test_crawl_delay_spaces_requests_to_the_host(server: TestServer) -> None:
    server.route("/robots.txt", Reply(body=b"User-agent: *\nCrawl-delay: 1\n"))
    server.route("/a", Reply(body=PAGE))
    server.route("/b", Reply(body=PAGE))
    async with make_client(obey_robots=True, delay_per_host=0) as client:
        await asyncio.gather(client.get(server.url("/a")), client.get(server.url("/b")))
    first, second = sorted(server.times("/a") + server.times("/b"))
    assert second - first >= 0.9


# -- robots.txt kept across runs --


async def test_robots_cache_spares_the_robots_request_of_the_next_client(
    server: TestServer,
) -> None:
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private\n"))
    server.route("/page", Reply(body=PAGE))
    cache = MemoryRobotsCache()
    for _ in range(2):  # two runs, two clients, one cache
        async with make_client(obey_robots=True, robots_cache=cache) as client:
            await client.get(server.url("/page"))
            with pytest.raises(RobotsDisallowed):
                await client.get(server.url("/private/x"))
    assert server.count("/robots.txt") == 1
    assert server.count("/page") == 2
    assert server.count("/private/x") == 0
    body, fetched_at = cache.get(server.url("/robots.txt"))
    assert body == "User-agent: *\nDisallow: /private\n"
    assert datetime.now(UTC) - fetched_at < timedelta(minutes=1)


async def test_robots_cache_entry_older_than_max_age_is_fetched_again(server: TestServer) -> None:
    server.route("/robots.txt", Reply(body=b"User-agent: *\nAllow: /\n"))
    server.route("/page", Reply(body=PAGE))
    cache = MemoryRobotsCache()
    day_old = datetime.now(UTC) - timedelta(hours=24, minutes=1)
    cache.put(server.url("/robots.txt"), "User-agent: *\nDisallow: /\n", day_old)
    async with make_client(obey_robots=True, robots_cache=cache) as client:
        response = await client.get(server.url("/page"))  # the stale Disallow no longer holds
    assert response.content == PAGE
    assert server.count("/robots.txt") == 1
    assert cache.get(server.url("/robots.txt"))[0] == "User-agent: *\nAllow: /\n"


async def test_robots_cache_keeps_404_as_no_rules_and_never_keeps_a_503(
    server: TestServer,
) -> None:
    server.route("/page", Reply(body=PAGE))
    cache = MemoryRobotsCache()
    async with make_client(obey_robots=True, robots_cache=cache) as client:
        await client.get(server.url("/page"))  # robots.txt answers 404
    assert cache.get(server.url("/robots.txt"))[0] == ""
    with TestServer() as down:
        down.route("/robots.txt", Reply(status=503))
        async with make_client(obey_robots=True, robots_cache=cache, max_attempts=1) as client:
            with pytest.raises(RobotsDisallowed):
                await client.get(down.url("/page"))
        assert cache.get(down.url("/robots.txt")) is None
        assert down.count("/page") == 0


async def test_crawl_delay_of_a_cached_robots_txt_still_applies(server: TestServer) -> None:
    server.route("/a", Reply(body=PAGE))
    server.route("/b", Reply(body=PAGE))
    cache = MemoryRobotsCache()
    cache.put(server.url("/robots.txt"), "User-agent: *\nCrawl-delay: 1\n", datetime.now(UTC))
    async with make_client(obey_robots=True, robots_cache=cache) as client:
        await asyncio.gather(client.get(server.url("/a")), client.get(server.url("/b")))
    assert server.count("/robots.txt") == 0
    first, second = sorted(server.times("/a") + server.times("/b"))
    assert second - first >= 0.9


# -- politeness --


async def test_concurrency_per_host_is_never_exceeded(server: TestServer) -> None:
    server.route("/slow", Reply(body=PAGE, delay=0.3))
    async with make_client(concurrency_per_host=2) as client:
        urls = [server.url(f"/slow?n={n}") for n in range(6)]
        responses = await asyncio.gather(*(client.get(url) for url in urls))
    assert all(response.content == PAGE for response in responses)
    assert server.max_in_flight == 2


async def test_delay_applies_per_host_and_hosts_run_in_parallel() -> None:
    loop = asyncio.get_running_loop()
    starts: dict[str, list[float]] = {"a.example": [], "b.example": []}

    async def handler(request: httpx.Request) -> httpx.Response:
        starts[request.url.host].append(loop.time())
        return httpx.Response(200, content=PAGE)

    transport = httpx.MockTransport(handler)
    async with make_client(transport=transport, delay_per_host=0.4) as client:
        await asyncio.gather(
            *(client.get(f"http://{host}/{n}") for host in starts for n in range(2))
        )
    a_first, a_second = starts["a.example"]
    b_first, b_second = starts["b.example"]
    assert a_second - a_first >= 0.35
    assert b_second - b_first >= 0.35
    assert abs(b_first - a_first) < 0.2  # the other host did not wait its turn


async def test_injected_transport_serves_every_request() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        assert request.headers["user-agent"] == UA
        return httpx.Response(
            200,
            content=PAGE.decode().encode("latin-1"),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )

    async with make_client(transport=httpx.MockTransport(handler), obey_robots=True) as client:
        response = await client.get("http://mock.example/article")
    assert seen == ["/robots.txt", "/article"]
    assert client.requests_sent == 2
    assert "le 12 août : l'été" in response.text


async def test_invalid_url_raises_fetch_error() -> None:
    async with make_client() as client:
        with pytest.raises(FetchError) as caught:
            await client.get("mailto:someone@example.org")
    assert caught.value.reason.startswith("invalid URL")
    assert client.requests_sent == 0


# -- decode_body --


def test_latin1_page_declared_utf8_is_decoded() -> None:
    body = "<p>L'été à Bamako, août, élèves</p>".encode("latin-1")
    assert decode_body(body, "text/html; charset=UTF-8") == "<p>L'été à Bamako, août, élèves</p>"


def test_stray_latin1_bytes_inside_utf8_are_repaired() -> None:
    # malijet.com: UTF-8 pages where month names arrive as Latin-1 ("ao\xfbt")
    body = "Publié le 12 ".encode() + b"ao\xfbt" + " 2025 à 10h, l'été".encode()
    expected = "Publié le 12 août 2025 à 10h, l'été"
    assert decode_body(body, "text/html; charset=utf-8") == expected
    assert decode_body(body, "text/html") == expected
    assert decode_body(body, None) == expected


def test_utf8_mojibake_is_left_to_the_extracted_fields() -> None:
    # ftfy over the whole page cost ~30x the decode and parse: only fields are repaired
    body = "Le ministre a présidé la cérémonie".encode().decode("latin-1").encode()
    assert "Ã©" in body.decode()
    decoded = decode_body(body, "text/html; charset=utf-8")
    assert decoded == body.decode()
    assert fix_text(decoded) == "Le ministre a présidé la cérémonie"


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="windows-1252">',
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
    ],
)
def test_meta_charset_is_used_without_header_charset(head: str) -> None:
    body = f"<html><head>{head}</head><body>L’été, 5 € — Œuvre</body></html>".encode("cp1252")
    assert "<body>L’été, 5 € — Œuvre</body>" in decode_body(body, "text/html")


def test_xml_declaration_encoding_is_used_for_feeds() -> None:
    body = '<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>Été</title></rss>'
    assert "<title>Été</title>" in decode_body(body.encode("latin-1"), "application/rss+xml")


def test_header_charset_wins_over_meta() -> None:
    body = '<meta charset="iso-8859-1"><p>café</p>'.encode()
    assert decode_body(body, "text/html; charset=utf-8").endswith("<p>café</p>")


def test_undeclared_single_byte_french_is_read_as_windows_1252() -> None:
    text = "Les élèves de l'école sont à Ségou. Ça a été dur, dit-il « vraiment »."
    assert decode_body(text.encode("cp1252"), None) == text


def test_utf8_json_body_is_decoded_untouched() -> None:
    body = '{"title": "Mali : l’été &amp; “la saison”"}'.encode()
    assert decode_body(body, "application/json") == '{"title": "Mali : l’été &amp; “la saison”"}'


def test_unknown_or_non_text_charset_label_is_ignored() -> None:
    assert decode_body("été".encode(), "text/html; charset=base64") == "été"
    assert decode_body("été".encode(), "text/html; charset=x-nonsense") == "été"


def test_utf8_bom_is_honoured_over_a_wrong_header() -> None:
    body = "\ufeffrentrée".encode()
    assert decode_body(body, "text/plain; charset=iso-8859-1") == "rentrée"
