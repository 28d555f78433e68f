"""Hostile sites and a failing database (issue 13): nothing stalls a run, nothing exhausts memory,
one bad item never loses the others, and a database fault is the run's, not a source's.

Same world as tests/test_faults.py: a faulty source on 127.0.0.1 and a healthy one on
`localhost`, real sockets, a real SQLite file. Each test checks what the database holds
afterwards, and bounds the run with `asyncio.wait_for` (generous: a hang fails the test, a slow
machine does not).
"""

from __future__ import annotations

import asyncio
import gzip
import resource
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from httpserver import Reply, Request, Story, TestServer, listing_page, rss_feed, spaced_by
from sqlalchemy import event, text
from test_faults import (
    World,
    _cli,
    _feed,
    check,
    expected,
    feed_reply,
    last_run,
    make_world,
    stored,
)

from crawler import pipeline
from crawler.errors import FetchError, StoreError
from crawler.http import HttpClient
from crawler.store import open_store

BOUND = 20.0  # seconds: every run here ends well within it, or the test fails
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with make_world(tmp_path) as made:
        yield made


async def bounded(world: World, **options: Any) -> pipeline.RunReport:
    return await asyncio.wait_for(world.run(**options), BOUND)


def by_source(report: pipeline.RunReport) -> dict[str, pipeline.SourceReport]:
    return {r.source: r for r in report.sources}


def failures_recorded(world: World) -> dict[str, int]:
    with world.store.engine.connect() as conn:
        return dict(conn.execute(text(
            "select source, consecutive_failures from source_state "
            "where consecutive_failures > 0")).all())


def xml(body: str) -> Reply:
    return Reply(body=f'<?xml version="1.0" encoding="UTF-8"?>{body}'.encode(),
                 headers={"Content-Type": "application/xml"})


def urlset(world: World, stories: list[Story]) -> str:
    return f"<urlset {NS}>" + "".join(
        f"<url><loc>{world.faulty.url(s.path)}</loc></url>" for s in stories) + "</urlset>"


# -- 1. robots.txt Crawl-delay: 100000 ----------------------------------------------------------


async def test_crawl_delay_above_the_cap_skips_the_source_and_the_run_ends(world: World) -> None:
    world.faulty.route("/robots.txt", Reply(body=b"User-agent: *\nCrawl-delay: 100000\n"))
    report = await bounded(world, max_crawl_delay=30.0)
    faulty, healthy = by_source(report)["faulty"], by_source(report)["healthy"]
    assert faulty.status == "skipped"
    assert faulty.skipped == (f"robots.txt of 127.0.0.1:{world.faulty.port} asks for "
                              "Crawl-delay 100000 s, more than max_crawl_delay (30 s)")
    assert [r.path for r in world.faulty.requests] == ["/robots.txt"]  # nothing after it
    assert (healthy.status, healthy.errors) == ("ok", [])
    assert stored(world) == expected(world.healthy_base, "healthy", world.healthy_stories)
    status, errors, finished = last_run(world)
    assert (status, errors) == ("ok", []) and finished is not None
    assert world.store.get_source_state("faulty") is None  # skipped: no backoff, no success


async def test_crawl_delay_within_the_cap_is_obeyed(world: World) -> None:
    world.faulty.route("/robots.txt", Reply(body=b"User-agent: *\nCrawl-delay: 0.5\n"))
    report = await bounded(world, max_crawl_delay=1.0)
    check(world, report, faulty_kept=world.faulty_stories, reason=None, failed=False)
    assert spaced_by([r.time for r in world.faulty.requests], 0.5)


def test_cli_names_the_crawl_delay_and_finishes_the_run(world: World, tmp_path: Path) -> None:
    world.faulty.route("/robots.txt", Reply(body=b"User-agent: *\nCrawl-delay: 100000\n"))
    result = cli(world, tmp_path, settings={"max_crawl_delay": 5})
    assert result.returncode == 0, result.stderr
    said = (f"WARNING crawler.pipeline: faulty: skipped: robots.txt of 127.0.0.1:"
            f"{world.faulty.port} asks for Crawl-delay 100000 s, more than max_crawl_delay (5 s)")
    assert [line for line in result.stderr.splitlines() if line.endswith(said)]
    assert "Traceback" not in result.stderr
    assert last_run(world)[2] is not None


# -- 2. a sitemap index leading to a new index forever ------------------------------------------


def endless_index(world: World, articles: bool) -> list[Story]:
    """/sitemap-N.xml: an index of /sitemap-(N+1).xml and, with `articles`, of /urls-N.xml (one
    story). Returns the list the served stories are appended to."""
    served: list[Story] = []

    def index(request: Request, conn: object) -> Reply:
        number = int(request.path.rsplit("-", 1)[1].split(".")[0])
        children = [f"/sitemap-{number + 1}.xml"]
        if articles:
            story = Story.make(f"/articles/plan-{number}", 200 + number)
            served.append(story)
            world.faulty.route(story.path, story.reply())
            world.faulty.route(f"/urls-{number}.xml", xml(urlset(world, [story])))
            children.insert(0, f"/urls-{number}.xml")
        world.faulty.route(f"/sitemap-{number + 1}.xml", index)
        return xml(f"<sitemapindex {NS}>" + "".join(
            f"<sitemap><loc>{world.faulty.url(c)}</loc></sitemap>" for c in children)
            + "</sitemapindex>")

    world.faulty.route("/sitemap-1.xml", index)
    return served


async def test_endless_sitemap_indexes_stop_at_max_pages(world: World) -> None:
    endless_index(world, articles=False)
    source = world.faulty_source(platform="sitemap",
                                 entry_points=[world.faulty.url("/sitemap-1.xml")])
    report = await bounded(world, config=world.config(source, max_pages=5))
    check(world, report, faulty_kept=[], failed=False, reason=(
        f"entry point {world.faulty.url('/sitemap-1.xml')}: stopped after max_pages=5 pages "
        "of sitemap indexes"))
    assert sum(1 for r in world.faulty.requests if r.path.startswith("/sitemap-")) == 5


async def test_endless_sitemap_indexes_stop_at_the_time_budget_keeping_what_was_stored(
    world: World,
) -> None:
    served = endless_index(world, articles=True)
    source = world.faulty_source(platform="sitemap",
                                 entry_points=[world.faulty.url("/sitemap-1.xml")])
    config = world.config(source, max_pages=1_000_000, source_time_budget=2)
    report = await bounded(world, config=config, since=datetime(2000, 1, 1, tzinfo=UTC))
    faulty = by_source(report)["faulty"]
    assert faulty.errors == ["stopped after source_time_budget (2 s): what was stored is kept; "
                             "the rest waits for the next run"]
    kept = {url: row for url, row in stored(world).items() if row[0] == "faulty"}
    assert kept  # the pass stored as it went
    # whole rows of stories the site served, and nothing else
    assert kept.items() <= expected(world.faulty.base_url, "faulty", served).items()
    assert last_run(world)[2] is not None
    assert failures_recorded(world) == {}


async def test_slow_article_pages_stop_at_the_time_budget_and_a_rerun_completes(
    world: World,
) -> None:
    stories = [Story.make(f"/articles/lent-{n}", 300 + n) for n in range(8)]

    def feed(request: Request, conn: object) -> Reply:
        if request.headers.get("If-None-Match") == '"v1"':
            return Reply(status=304)
        return feed_reply(_feed(world, stories), ETag='"v1"')

    world.faulty.route("/feed", feed)
    for story in stories:
        world.faulty.route(story.path, story.reply(delay=0.3))  # < TIMEOUT
    report = await bounded(world, config=world.config(source_time_budget=1))
    assert by_source(report)["faulty"].errors[-1].startswith(
        "stopped after source_time_budget (1 s)")
    faulty_rows = {u: r for u, r in stored(world).items() if r[0] == "faulty"}
    want = expected(world.faulty.base_url, "faulty", stories)
    assert faulty_rows.items() <= want.items()  # whole rows only
    assert len(faulty_rows) < len(stories)
    # no budget to speak of: the rest is fetched (the feed's ETag was not kept: no 304 hides it)
    await bounded(world, force=True)
    assert {u: r for u, r in stored(world).items() if r[0] == "faulty"} == want


# -- 3. a gzipped sitemap served without Content-Encoding ---------------------------------------


def gzip_members(payload: bytes, copies: int) -> bytes:
    """`copies` gzip members of `payload`, one after the other: still one valid .gz file."""
    return gzip.compress(payload, 9) * copies


async def test_gzip_bomb_sitemap_without_content_encoding_is_refused(world: World) -> None:
    bomb = gzip_members(b"<" + bytes(1 << 20), 150)  # 150 KB that would become 150 MB
    assert len(bomb) < 200_000  # under the body cap: the decompression cap must catch it
    world.faulty.route("/sitemap.xml.gz", Reply(body=bomb,
                                                headers={"Content-Type": "application/x-gzip"}))
    source = world.faulty_source(platform="sitemap",
                                 entry_points=[world.faulty.url("/sitemap.xml.gz")])
    report = await bounded(world, config=world.config(source))
    check(world, report, faulty_kept=[], failed=True, reason=(
        f"{world.faulty.url('/sitemap.xml.gz')}: gzipped sitemap larger than 200000 bytes "
        "once decompressed"))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak_mb < 2000  # the 150 MB were never held (this process's peak, all tests)


async def test_gzipped_sitemap_without_content_encoding_is_read(world: World) -> None:
    body = gzip.compress(f'<?xml version="1.0"?>{urlset(world, world.faulty_stories)}'.encode())
    world.faulty.route("/sitemap.xml.gz", Reply(body=body,
                                                headers={"Content-Type": "application/x-gzip"}))
    source = world.faulty_source(platform="sitemap",
                                 entry_points=[world.faulty.url("/sitemap.xml.gz")])
    report = await bounded(world, config=world.config(source))
    check(world, report, faulty_kept=world.faulty_stories, reason=None, failed=False)


async def test_truncated_gzipped_sitemap_fails_the_source(world: World) -> None:
    body = gzip.compress(f'<?xml version="1.0"?>{urlset(world, world.faulty_stories)}'.encode())
    world.faulty.route("/sitemap.xml.gz", Reply(body=body[: len(body) // 2]))
    source = world.faulty_source(platform="sitemap",
                                 entry_points=[world.faulty.url("/sitemap.xml.gz")])
    report = await bounded(world, config=world.config(source))
    check(world, report, faulty_kept=[], failed=True,
          reason="gzipped sitemap truncated gzip body")


# -- 4. a page that never finishes parsing ------------------------------------------------------


async def test_a_page_that_never_finishes_parsing_fails_alone(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hostile_parser import StuckOnOnePage

    real = pipeline.parser_for
    monkeypatch.setattr(pipeline, "parser_for", lambda source: StuckOnOnePage(source)
                        if source.name == "faulty" else real(source))
    stuck = Story.make("/articles/bloque-1", 7)
    stories = [*world.faulty_stories, stuck]
    world.faulty.route("/feed", feed_reply(_feed(world, stories)))
    world.faulty.route(stuck.path, stuck.reply())
    report = await bounded(world, config=world.config(page_parse_timeout=2))
    check(world, report, faulty_kept=world.faulty_stories, failed=None, reason=(
        f"{world.faulty.url(stuck.path)}: parsing took longer than page_parse_timeout (2 s); "
        "page skipped"))
    # the other source's pages, parsed meanwhile, were not held up nor timed out
    assert by_source(report)["healthy"].errors == []


async def test_a_listing_page_that_never_finishes_parsing_fails_its_entry_point_alone(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hostile_parser import StuckOnOnePage

    real = pipeline.parser_for
    monkeypatch.setattr(pipeline, "parser_for", lambda source: StuckOnOnePage(source)
                        if source.name == "faulty" else real(source))
    html = {"Content-Type": "text/html; charset=utf-8"}
    world.faulty.route("/liste-bloque", Reply(body=listing_page([]), headers=html))
    world.faulty.route("/liste", Reply(body=listing_page(world.faulty_stories), headers=html))
    source = world.faulty_source(
        platform="listing", article_url_pattern="^/articles/",
        entry_points=[world.faulty.url("/liste-bloque"), world.faulty.url("/liste")])
    report = await bounded(world, config=world.config(source, page_parse_timeout=2))
    check(world, report, faulty_kept=world.faulty_stories, failed=False, reason=(
        f"entry point {world.faulty.url('/liste-bloque')}: parsing took longer than "
        "page_parse_timeout (2 s); page skipped"))


# -- 5. a listing page of 20,000 links and a teaser selector that matches nothing ---------------


async def test_listing_of_20000_links_without_teasers_is_read_at_once(world: World) -> None:
    first, second = world.faulty_stories
    anchors = "".join(f'<a href="{(first, second)[n % 2].path}">Dépêche {n}</a>'
                      for n in range(20_000))
    world.faulty.route("/liste", Reply(body=(
        f"<html><body><div class='liste'>{anchors}</div></body></html>").encode(),
        headers={"Content-Type": "text/html; charset=utf-8"}))
    source = world.faulty_source(platform="listing", entry_points=[world.faulty.url("/liste")],
                                 article_url_pattern="^/articles/",
                                 selectors={"teaser": "p.chapeau"})
    report = await bounded(world, config=world.config(source, max_bytes=2_000_000),
                           max_bytes=2_000_000)
    check(world, report, faulty_kept=world.faulty_stories, reason=None, failed=False)


async def test_listing_cards_keep_their_teasers(world: World) -> None:
    world.faulty.route("/liste", Reply(body=listing_page(world.faulty_stories),
                                       headers={"Content-Type": "text/html; charset=utf-8"}))
    source = world.faulty_source(platform="listing", entry_points=[world.faulty.url("/liste")],
                                 article_url_pattern="^/articles/",
                                 selectors={"teaser": "p.teaser"})
    report = await bounded(world, config=world.config(source))
    check(world, report, faulty_kept=world.faulty_stories, reason=None, failed=False)
    with world.store.engine.connect() as conn:
        teasers = set(conn.execute(text(
            "select text from teasers where source = 'faulty'")).scalars())
    assert teasers == {s.paragraphs[0][:90] + "…" for s in world.faulty_stories}


# -- 8. robots.txt redirected to another host ---------------------------------------------------


async def test_robots_redirect_to_another_host_is_not_followed(world: World) -> None:
    with TestServer(address="127.0.0.2") as elsewhere:
        elsewhere.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /\n"))
        world.faulty.route("/robots.txt", Reply(status=302, headers={
            "Location": elsewhere.url("/robots.txt")}))
        report = await bounded(world)
        assert elsewhere.requests == []
    # treated as no robots.txt (as too many redirects are, RFC 9309 2.3.1.2): all allowed
    check(world, report, faulty_kept=world.faulty_stories, reason=None, failed=False)


async def test_robots_redirect_within_the_source_hosts_is_followed(world: World) -> None:
    world.faulty.route("/robots.txt", Reply(status=301, headers={"Location": "/robots-fr.txt"}))
    first, second = world.faulty_stories
    world.faulty.route("/robots-fr.txt", Reply(body=f"User-agent: *\nDisallow: {first.path}\n"
                                               .encode()))
    report = await bounded(world)
    check(world, report, faulty_kept=[second], reason=None, failed=False)
    assert world.faulty.count(first.path) == 0


async def test_redirects_from_a_public_host_never_reach_internal_addresses() -> None:
    # No public host can be served from a test; httpx's MockTransport plays journal.ml.
    seen: list[str] = []

    def site(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(302, headers={"Location": "http://169.254.169.254/robots.txt"})
        if request.url.path == "/vers-local":
            return httpx.Response(302, headers={"Location": "http://127.0.0.1:8080/admin"})
        return httpx.Response(200, text="<html><body>ok</body></html>")

    async with HttpClient(user_agent="test", transport=httpx.MockTransport(site),
                          delay_per_host=0) as client:
        page = await client.get("https://journal.ml/page")
        assert page.status == 200
        with pytest.raises(FetchError, match="redirect to an internal address 127.0.0.1"):
            await client.get("https://journal.ml/vers-local")
    assert seen == ["https://journal.ml/robots.txt", "https://journal.ml/page",
                    "https://journal.ml/vers-local"]


# -- 9. a redirect to the same host on another port ---------------------------------------------


async def test_redirect_to_the_same_host_on_another_port_is_not_followed(world: World) -> None:
    first, second = world.faulty_stories
    with TestServer() as other_port:
        other_port.route(first.path, first.reply())
        world.faulty.route(first.path, Reply(status=301, headers={
            "Location": other_port.url(first.path)}))
        report = await bounded(world)
        assert other_port.requests == []
    check(world, report, faulty_kept=[second], failed=None, reason=(
        f"{world.faulty.url(first.path)}: redirect to another port "
        f"127.0.0.1:{other_port.port}"))


# -- 11. the database fails: the run's failure, never a source's backoff -------------------------


HOLD_THE_LOCK = """
import sqlite3, sys
holder = sqlite3.connect(sys.argv[1], isolation_level=None)
print("ready", flush=True)
sys.stdin.readline()
holder.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
holder.execute("ROLLBACK")
"""


async def test_write_lock_held_by_another_process_fails_the_run_not_the_sources(
    world: World,
) -> None:
    db_file = world.db_url.removeprefix("sqlite:///")
    engine = world.store.engine
    # wait 1 s for the lock, not 30
    event.listen(engine, "connect", lambda connection, _: connection.execute(
        "PRAGMA busy_timeout=1000"))
    engine.dispose()
    locked_out = threading.Event()  # a write of the crawl has given up
    event.listen(engine, "handle_error", lambda context: locked_out.set())
    # Another process, started (and connected) before the run so that taking the lock costs a
    # pipe round trip, not a Python start, inside a feed's reply (the client waits 0.4 s).
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, db_file],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    taking = threading.Lock()
    locked = threading.Event()

    def release_once_locked_out() -> None:
        locked_out.wait(30)
        holder.stdin.write("\n")  # the lock is free again: what the crawl writes next succeeds
        holder.stdin.flush()

    def lock_then(feed: bytes) -> Any:
        # The run has started (its row is written) and no article is stored yet: the lock is
        # taken before the first feed of either source is answered, so under load neither
        # source can finish before it (the healthy one did, and the rerun found it not due).
        def reply(request: Request, conn: object) -> Reply:
            with taking:
                if not locked.is_set():
                    holder.stdin.write("\n")
                    holder.stdin.flush()
                    assert holder.stdout.readline() == "locked\n"
                    locked.set()
                    threading.Thread(target=release_once_locked_out, daemon=True).start()
            return feed_reply(feed)
        return reply

    world.faulty.route("/feed", lock_then(_feed(world, world.faulty_stories)))
    world.healthy.route("/feed", lock_then(rss_feed(world.healthy_base, world.healthy_stories)))
    try:
        assert holder.stdout.readline() == "ready\n"
        with pytest.raises(StoreError, match="database is locked") as fault:
            await bounded(world)
        assert locked.is_set() and locked_out.is_set()
    finally:
        holder.communicate("\n\n", timeout=30)
    assert failures_recorded(world) == {}  # though the lock was free when the run ended
    status, errors, finished = last_run(world)
    assert (status, errors) == ("failed", [str(fault.value)]) and finished is not None
    # Nobody backs off (no failure recorded, above). The rerun is forced: a source whose last
    # write was queued when the run failed may have finished once the lock was free, and is
    # then not due (the healthy one, once in a clean-clone CI run); both run, and now succeed.
    again = await bounded(world, force=True)
    check(world, again, faulty_kept=world.faulty_stories, reason=None, failed=False)


async def test_database_full_fails_the_run_not_the_sources(world: World) -> None:
    # SQLite's own "disk full": no page may be added past the current ones, while rows that fit
    # in a page already there (a source's state) can still be written, as on a real full disk
    # where the WAL reuses its space.
    # No free page either: migrations that rebuild a table (0008) leave the old one's free.
    engine = world.store.engine
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM")
        assert conn.exec_driver_sql("PRAGMA freelist_count").scalar() == 0
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    event.listen(engine, "connect", lambda connection, _: connection.execute(
        f"PRAGMA max_page_count={pages}"))
    engine.dispose()
    with pytest.raises(StoreError, match="database or disk is full"):
        await bounded(world)
    assert failures_recorded(world) == {}
    assert last_run(world)[0] == "failed"


def test_disk_full_fails_the_run_with_one_line_and_no_source_backs_off(
    world: World, tmp_path: Path
) -> None:
    def small_disk() -> None:  # for the crawl only: no file may grow past 64 KB
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    result = cli(world, tmp_path, preexec_fn=small_disk)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith(f"error: database {world.db_url}: ")
    assert lines[-1].endswith(("database or disk is full", "disk I/O error"))
    assert "Traceback" not in result.stderr
    assert failures_recorded(world) == {}
    assert {row[0] for row in stored(world).values()} <= {"faulty", "healthy"}
    again = cli(world, tmp_path)  # room again: nothing backs off, everything is stored
    assert again.returncode == 0, again.stderr
    assert set(stored(world)) == set(
        expected(world.healthy_base, "healthy", world.healthy_stories)
        | expected(world.faulty.base_url, "faulty", world.faulty_stories))


# -- 14. PostgreSQL refuses both the teaser write and the article write --------------------------


@pytest.mark.postgres
def test_teaser_and_article_writes_refused_print_one_line_and_no_sql(
    world: World, tmp_path: Path, postgres_url: str
) -> None:
    store = open_store(postgres_url)
    with store.engine.begin() as conn:
        conn.execute(text(
            "create function refuse() returns trigger language plpgsql as "
            "$$ begin raise exception 'refused by the test trigger'; end $$"))
        for table in ("teasers", "articles"):
            conn.execute(text(f"create trigger refuse before insert on {table} "
                              "for each row execute function refuse()"))
    store.engine.dispose()
    result = cli(world, tmp_path, db=postgres_url)
    assert result.returncode == 1, result.stderr
    assert "Task exception was never retrieved" not in result.stderr
    assert "Traceback" not in result.stderr
    assert "[parameters" not in result.stderr and "[SQL" not in result.stderr
    assert world.faulty_stories[0].title not in result.stderr  # no row data either
    assert result.stderr.strip().splitlines()[-1].endswith("refused by the test trigger")


# -- helpers --------------------------------------------------------------------------------------


def cli(world: World, tmp_path: Path, *, db: str | None = None,
        settings: dict[str, Any] | None = None, preexec_fn: Any = None,
        ) -> subprocess.CompletedProcess:
    """`crawl --force` on the world's two sources, as a subprocess."""
    return _cli(world, tmp_path, "--force", db=db, settings=settings, preexec_fn=preexec_fn,
                timeout=60)

