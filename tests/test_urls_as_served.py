"""An http-only site crawled for real (tests/httpserver.py on 127.0.0.1): the stored URLs are
the ones the site served, never rewritten to https; the URL key makes http and https, tracking
tags and redirects one row, so reruns never add one."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from httpserver import Reply, Story, TestServer, feed_reply, listing_page, rss_feed
from sqlalchemy import text

from crawler.config import Config
from crawler.http import HttpClient
from crawler.pipeline import SourceReport, crawl_source
from crawler.store import Store, open_store
from crawler.urls import same_scheme_as_served, served_url, url_key

UA = "MaliPressCrawler-test/0.1 (+https://github.com/malipress/crawler)"


def test_url_key_ignores_scheme_www_tracking_and_aliases_but_served_url_keeps_them():
    assert url_key("http://www.lessor.ml/posts/a?utm_source=fb#top") == "lessor.ml/posts/a"
    assert url_key("https://lessor.ml/posts/a/amp/") == "lessor.ml/posts/a/"
    assert url_key("http://essor.ml/posts/a", host="lessor.ml", aliases=["essor.ml"]) == (
        "lessor.ml/posts/a")
    assert url_key("http://127.0.0.1:8080/a") != url_key("http://127.0.0.1:8081/a")
    # a default port is no port; another port is another server
    assert url_key("http://lessor.ml:80/posts/a") == url_key("https://lessor.ml:443/posts/a") == (
        "lessor.ml/posts/a")
    assert url_key("http://essor.ml:80/posts/a", host="lessor.ml", aliases=["essor.ml"]) == (
        "lessor.ml/posts/a")
    assert url_key("https://lessor.ml:80/posts/a") == "lessor.ml:80/posts/a"
    assert url_key("http://lessor.ml:8080/posts/a") == "lessor.ml:8080/posts/a"
    assert served_url("http://www.Lessor.ml/posts/a?utm_source=fb&id=3#top") == (
        "http://www.Lessor.ml/posts/a?id=3")
    key = url_key("http://lessor.ml/posts/%C3%A9t%C3%A9?b=2&a=1")
    assert key == url_key("https://lessor.ml/posts/été?a=1&b=2") == url_key(f"http://{key}")
    # a canonical link naming https on the host that served the page over http
    assert same_scheme_as_served("https://x.ml/a", "http://x.ml/a?p=1") == "http://x.ml/a"
    assert same_scheme_as_served("https://y.ml/a", "http://x.ml/a") == "https://y.ml/a"


def page(story: Story, head: str = "") -> Reply:
    return Reply(body=story.html(head=head).encode(),
                 headers={"Content-Type": "text/html; charset=utf-8"})


@pytest.fixture
def site():
    with TestServer() as server:
        plain = Story.make("/articles/plain", 1)
        # declares an https canonical the site does not serve (WordPress behind a proxy)
        declared = Story.make("/articles/declared", 2)
        moved = Story.make("/articles/nouvelle", 3)  # the feed links its old address
        tagged = Story.make("/articles/tagged", 4)  # the feed adds tracking tags
        server.route(plain.path, page(plain))
        server.route(declared.path, page(declared, head=(
            f'<link rel="canonical" href="https://127.0.0.1:{server.port}{declared.path}">')))
        server.route("/articles/ancienne", Reply(status=301, headers={"Location": moved.path}))
        server.route(moved.path, page(moved))
        server.route(tagged.path, page(tagged))
        feed = rss_feed(server.base_url, [plain, declared, moved, tagged]).decode()
        feed = feed.replace(f"{moved.path}</link>", "/articles/ancienne</link>").replace(
            f"{tagged.path}</link>", f"{html.escape(tagged.path + '?utm_source=rss&utm_medium=x')}"
            "</link>")
        server.route("/feed", feed_reply(feed.encode()))
        # a listing linking the same articles over https and through www-less keys: teasers only
        https_links = [Story(f"https://127.0.0.1:{server.port}{s.path}", s.title, s.paragraphs,
                             s.published) for s in (plain, declared)]
        server.route("/une", Reply(body=listing_page(https_links),
                                   headers={"Content-Type": "text/html; charset=utf-8"}))
        yield server, [plain, declared, moved, tagged]


@pytest.fixture
def store(tmp_path: Path):
    opened = open_store(f"sqlite:///{tmp_path}/crawl.db")
    yield opened
    opened.engine.dispose()


async def crawl_once(server: TestServer, store: Store, *, refresh: bool = False
                     ) -> SourceReport:
    config = Config.model_validate({
        "settings": {"user_agent": UA, "delay": 0},
        "sources": [{"name": "journal", "platform": "listing", "base_url": server.url("/"),
                     "entry_points": [{"url": server.url("/feed"), "type": "feed"},
                                      {"url": server.url("/une"), "type": "listing"}],
                     "selectors": {"links": "div.card a", "teaser": ".teaser"}}],
    }, context={})
    async with HttpClient(user_agent=UA, delay_per_host=0) as client:
        return await crawl_source(config.sources[0], settings=config.settings, client=client,
                                  store=store, force=True, refresh=refresh)


def rows(store: Store, sql: str) -> list[tuple]:
    with store.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql))]


async def test_stored_urls_are_the_urls_served_and_reruns_add_no_row(site, store):
    server, stories = site
    first = await crawl_once(server, store)
    assert first.status == "ok", first.errors
    served = sorted(server.url(s.path) for s in stories)
    assert sorted(u for (u,) in rows(store, "select url from articles")) == served
    # A teaser keeps the link as its page showed it (tracking tags dropped), and finds its
    # article by the key: the https links of the listing too. The old address that redirects
    # is another key: its teaser is matched by its text.
    feed, une, base = server.url("/feed"), server.url("/une"), server.base_url
    https = base.replace("http:", "https:")
    teasers = rows(store, "select t.seen_on, t.url, a.url, t.matched_by from teasers t "
                          "left join articles a on a.id = t.article_id order by t.id")
    assert teasers == [
        (feed, f"{base}/articles/plain", f"{base}/articles/plain", "url"),
        (feed, f"{base}/articles/declared", f"{base}/articles/declared", "url"),
        (feed, f"{base}/articles/ancienne", f"{base}/articles/nouvelle", "text"),
        (feed, f"{base}/articles/tagged", f"{base}/articles/tagged", "url"),
        (une, f"{https}/articles/plain", f"{base}/articles/plain", "url"),
        (une, f"{https}/articles/declared", f"{base}/articles/declared", "url"),
    ]
    # fetched as linked, stored without the tags
    assert any(r.path.startswith("/articles/tagged?utm_source=rss") for r in server.requests)

    for refresh in (False, True):
        again = await crawl_once(server, store, refresh=refresh)
        assert again.status == "ok", again.errors
        assert again.new == 0
    assert sorted(u for (u,) in rows(store, "select url from articles")) == served
    assert len(rows(store, "select id from teasers")) == 6
