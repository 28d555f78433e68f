"""A sitemap source on a real socket: the daily pass reads the newest child sitemap of an index,
a backfill walks the children newest first and stops once past --since."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from httpserver import Reply, Request, Story, TestServer
from sqlalchemy import text

from crawler.config import Config
from crawler.http import HttpClient
from crawler.pipeline import crawl
from crawler.store import open_store

UA = "MaliPressCrawler-test/0.1 (+https://github.com/malipress/crawler)"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def xml(body: str) -> Reply:
    return Reply(body=f'<?xml version="1.0" encoding="UTF-8"?>{body}'.encode(),
                 headers={"Content-Type": "application/xml"})


@pytest.fixture
def site() -> Iterator[tuple[TestServer, dict[str, list[Story]]]]:
    months = {
        "2025-10": [Story.make(f"/2025/10/article-{n}", n, datetime(2025, 10, n, tzinfo=UTC))
                    for n in (1, 2)],
        "2025-11": [Story.make(f"/2025/11/article-{n}", n, datetime(2025, 11, n, tzinfo=UTC))
                    for n in (3, 4)],
        "2025-12": [Story.make(f"/2025/12/article-{n}", n, datetime(2025, 12, n, tzinfo=UTC))
                    for n in (5, 6)],
    }
    with TestServer() as server:
        # the index lists its children oldest first: the crawler orders them by lastmod
        server.route("/sitemap_index.xml", xml(f"<sitemapindex {NS}>" + "".join(
            f"<sitemap><loc>{server.url(f'/sitemap-{month}.xml')}</loc>"
            f"<lastmod>{stories[-1].published.isoformat()}</lastmod></sitemap>"
            for month, stories in months.items()) + "</sitemapindex>"))
        for month, stories in months.items():
            server.route(f"/sitemap-{month}.xml", xml(f"<urlset {NS}>" + "".join(
                f"<url><loc>{server.url(s.path)}</loc>"
                f"<lastmod>{s.published.isoformat()}</lastmod></url>"
                for s in stories) + "</urlset>"))
            for story in stories:
                server.route(story.path, story.reply())
        yield server, months


async def run(server: TestServer, db_url: str, since: datetime | None = None) -> set[str]:
    """Crawl the site; the paths of the stored articles."""
    config = Config.model_validate({"settings": {"user_agent": UA, "delay": 0}, "sources": [
        {"name": "site", "platform": "sitemap", "base_url": server.url("/"),
         "entry_points": [server.url("/sitemap_index.xml")]}]}, context={})
    store = open_store(db_url)
    async with HttpClient(user_agent=UA, delay_per_host=0) as http:
        report = await crawl(config, list(config.sources), store=store, client=http,
                             since=since, force=True)
    assert [r.status for r in report.sources] == ["ok"]
    with store.engine.connect() as connection:
        urls = connection.execute(text("select url from articles")).scalars()
        paths = {urlsplit(url).path for url in urls}
    store.engine.dispose()
    return paths


async def test_daily_pass_reads_the_newest_child_sitemap(site, tmp_path: Path) -> None:
    server, months = site
    paths = await run(server, f"sqlite:///{tmp_path}/d.db")
    assert paths == {s.path for s in months["2025-12"]}
    assert [r.path for r in server.requests if "sitemap" in r.path] == [
        "/sitemap_index.xml", "/sitemap-2025-12.xml"]


async def test_backfill_walks_children_newest_first_down_to_since(site, tmp_path: Path) -> None:
    server, months = site
    paths = await run(server, f"sqlite:///{tmp_path}/b.db",
                      since=datetime(2025, 11, 1, tzinfo=UTC))
    assert paths == {s.path for s in months["2025-11"] + months["2025-12"]}
    assert [r.path for r in server.requests if "sitemap" in r.path] == [
        "/sitemap_index.xml", "/sitemap-2025-12.xml", "/sitemap-2025-11.xml",
        "/sitemap-2025-10.xml"]  # read to find it is all older than --since, then stop


async def test_an_unchanged_index_still_leads_to_its_changed_newest_child(
    site, tmp_path: Path
) -> None:
    """A sitemap index keeps its ETag while its newest child grows (the index lists the child,
    not the articles): a 304 on the index must not end the daily pass."""
    server, months = site
    index = server._routes["/sitemap_index.xml"]
    assert isinstance(index, Reply)

    def conditional_index(request: Request, conn: object) -> Reply:
        if request.headers.get("If-None-Match") == '"index-v1"':
            return Reply(status=304)
        return Reply(body=index.body, headers={**index.headers, "ETag": '"index-v1"'})

    server.route("/sitemap_index.xml", conditional_index)
    db_url = f"sqlite:///{tmp_path}/i.db"
    assert await run(server, db_url) == {s.path for s in months["2025-12"]}
    late = Story.make("/2025/12/article-7", 7, datetime(2025, 12, 7, tzinfo=UTC))
    server.route(late.path, late.reply())
    server.route("/sitemap-2025-12.xml", xml(f"<urlset {NS}>" + "".join(
        f"<url><loc>{server.url(s.path)}</loc><lastmod>{s.published.isoformat()}</lastmod></url>"
        for s in [*months["2025-12"], late]) + "</urlset>"))
    assert late.path in await run(server, db_url)
