"""Discovery makes a link canonical where it finds it: each Link of a feed, sitemap or listing
page comes out of the walk with its URL as linked (what is fetched), as kept (no tracking tags,
no fragment) and keyed with the source's alias hosts, and the page's teasers are made there
too. The rest of the crawl reads those; it does not clean or key a link again."""

from __future__ import annotations

import html

from httpserver import Reply, Story, TestServer, feed_reply, listing_page, rss_feed

from crawler.config import Config
from crawler.discover import walk_entry_point
from crawler.http import HttpClient
from crawler.sources import parser_for

UA = "MaliPressCrawler-test/0.1 (+https://github.com/malipress/crawler)"


def source_of(server: TestServer):
    return Config.model_validate({
        "settings": {"user_agent": UA, "delay": 0},
        "sources": [{"name": "journal", "platform": "listing", "base_url": server.url("/"),
                     "hosts": ["journal-ancien.ml"],
                     "entry_points": [{"url": server.url("/feed"), "type": "feed"},
                                      {"url": server.url("/une?utm_source=x"),
                                       "type": "listing"}],
                     "selectors": {"links": "div.card a", "teaser": ".teaser"}}],
    }, context={}).sources[0]


async def walk(server: TestServer, entry_index: int):
    source = source_of(server)
    async with HttpClient(user_agent=UA, delay_per_host=0) as client:
        return [page async for page in walk_entry_point(
            source.entry_points[entry_index], source=source, parser=parser_for(source),
            client=client, backfill=False, max_pages=5)]


async def test_feed_links_come_keyed_with_their_teasers():
    with TestServer() as server:
        stories = [Story.make("/articles/a", 1), Story.make("/articles/b", 2)]
        feed = rss_feed(server.base_url, stories).decode()
        # one link with tracking tags and a fragment, one on the paper's old host (an alias)
        feed = feed.replace(
            f"{server.base_url}/articles/a</link>",
            html.escape(f"{server.base_url}/articles/a?utm_source=rss&id=3#top") + "</link>",
        ).replace(f"{server.base_url}/articles/b</link>",
                  "https://journal-ancien.ml/articles/b</link>")
        server.route("/feed", feed_reply(feed.encode()))
        [page] = await walk(server, 0)
    host = f"127.0.0.1:{server.port}"
    a, b = page.links
    assert a.url == f"{server.base_url}/articles/a?utm_source=rss&id=3#top"  # fetched as linked
    assert a.kept == f"{server.base_url}/articles/a?id=3"
    assert a.key == f"{host}/articles/a?id=3"
    assert b.url == b.kept == "https://journal-ancien.ml/articles/b"
    # the alias host read as the source's host (Source.host, without the test server's port)
    assert b.key == "127.0.0.1/articles/b"
    assert [(t.url, t.url_key, t.seen_on, t.source) for t in page.teasers] == [
        (a.kept, a.key, f"{server.base_url}/feed", "journal"),
        (b.kept, b.key, f"{server.base_url}/feed", "journal"),
    ]
    assert all(t.text.endswith("…") for t in page.teasers)


async def test_listing_links_come_keyed_and_teasers_name_the_page_as_kept():
    with TestServer() as server:
        stories = [Story(f"https://127.0.0.1:{server.port}/articles/c?fbclid=1", "Titre C",
                         ("Un texte assez long pour une accroche de carte.",),
                         Story.make("/x", 3).published)]
        server.route("/une", Reply(body=listing_page(stories),
                                   headers={"Content-Type": "text/html; charset=utf-8"}))
        [page] = await walk(server, 1)
    [link] = page.links
    assert link.kept == f"https://127.0.0.1:{server.port}/articles/c"
    assert link.key == f"127.0.0.1:{server.port}/articles/c"
    [teaser] = page.teasers
    assert teaser.seen_on == f"{server.base_url}/une"  # the tracking tag of the page dropped
    assert (teaser.url, teaser.url_key, teaser.title) == (link.kept, link.key, "Titre C")
