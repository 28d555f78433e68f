"""Column sizes hold the same on SQLite and PostgreSQL, checked before the insert (crawler.limits):
a section or publisher is cut, an over-long image URL, teaser link or validator dropped, and an
article whose URL is over 2,048 characters is skipped with a logged reason, while the others of
its batch are stored. PostgreSQL used to refuse the whole batch, on every run."""

from __future__ import annotations

import html
import logging
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest
from httpserver import Reply, Story, TestServer, feed_reply
from sqlalchemy import text

from crawler.config import Config
from crawler.http import HttpClient
from crawler.items import Article, Teaser
from crawler.limits import column_size, fit_article, fit_teaser, fit_validator
from crawler.models import ArticleRow, FetchState, TeaserRow
from crawler.pipeline import crawl
from crawler.store import Store, StoreRobotsCache, open_store

UA = "MaliPressCrawler-test/0.1 (+https://github.com/malipress/crawler)"
URL_SIZE = column_size(ArticleRow.__table__, "url")


def test_the_sizes_are_the_schemas():
    assert URL_SIZE == 2048
    assert column_size(ArticleRow.__table__, "section") == 256
    assert column_size(ArticleRow.__table__, "publisher") == 256
    assert column_size(ArticleRow.__table__, "image") == 2048
    assert column_size(TeaserRow.__table__, "seen_on") == 2048
    assert column_size(FetchState.__table__, "etag") == 512
    assert column_size(ArticleRow.__table__, "title") is None  # Text: no limit
    assert column_size(ArticleRow.__table__, "no_such_column") is None


def _article(**fields) -> Article:
    return Article(**{"source": "journal", "url": "https://journal.ml/a", "title": "Titre",
                      "body": "Corps.", **fields})


def test_an_article_that_fits_is_returned_as_it_is():
    article = _article(section="Politique", image="https://journal.ml/i.jpg")
    assert fit_article(article) is article


def test_over_long_fields_are_cut_or_dropped_as_their_meaning_allows():
    long_image = "https://journal.ml/" + "i" * 3000 + ".jpg"
    fitted = fit_article(_article(section="S" * 300, publisher="P" * 257, image=long_image,
                                  language="fr-" + "x" * 20, lead="L" * 10_000))
    assert fitted.section == "S" * 256
    assert fitted.publisher == "P" * 256
    assert fitted.image is None and fitted.language is None
    assert fitted.lead == "L" * 10_000  # Text: never cut


def test_an_article_whose_url_is_too_long_is_skipped_with_a_logged_reason(caplog):
    url = "https://journal.ml/" + "a" * URL_SIZE
    with caplog.at_level(logging.WARNING, logger="crawler.limits"):
        assert fit_article(_article(url=url)) is None
    [record] = caplog.records
    assert record.getMessage().startswith(
        f"journal: article not stored: its url has {len(url)} characters, over the 2048")
    assert record.event == "article_skipped"


def test_teasers_lose_an_over_long_link_and_are_skipped_without_a_storable_page():
    long = "https://journal.ml/" + "a" * URL_SIZE
    teaser = Teaser(source="journal", seen_on="https://journal.ml/", text="Le texte", url=long)
    assert fit_teaser(teaser) == Teaser(source="journal", seen_on="https://journal.ml/",
                                        text="Le texte", url=None)
    assert fit_teaser(Teaser(source="journal", seen_on=long, text="Le texte")) is None


def test_over_long_validators_are_not_kept():
    assert fit_validator("etag", '"' + "e" * 510 + '"') == '"' + "e" * 510 + '"'
    assert fit_validator("etag", '"' + "e" * 511 + '"') is None
    assert fit_validator("last_modified", "x" * 129) is None
    assert fit_validator("etag", None) is None


# -- a whole crawl on both databases: 6 hostile articles ------------------------------------------


def _hostile_site(server: TestServer) -> tuple[list[Story], dict[str, str]]:
    """A feed of 6 stories, served with an ETag of 600 characters. Story 2's page has a NUL in its
    JSON-LD headline, story 3 a section of 300 characters, story 4 an og:image of 3,000, story
    5's link in the feed a path of 2,100 characters."""
    stories = [Story.make(f"/articles/depeche-{n}", n) for n in range(1, 7)]
    stories[4] = Story.make("/articles/" + "tres-long-" * 210, 5)
    heads = {
        2: '<script type="application/ld+json">{"@type": "NewsArticle", '
           '"headline": "Titre\\u0000 avec NUL"}</script>',
        3: f'<meta property="article:section" content="{"Politique " * 30}">',
        4: f'<meta property="og:image" content="{server.base_url}/{"i" * 3000}.jpg">',
    }
    for n, story in enumerate(stories, 1):
        server.route(story.path, Reply(body=story.html(head=heads.get(n, "")).encode(),
                                       headers={"Content-Type": "text/html; charset=utf-8"}))
    items = "".join(
        f"<item><title>{html.escape(s.title)}</title><link>{server.base_url}{s.path}</link>"
        f"<pubDate>{format_datetime(s.published, usegmt=True)}</pubDate>"
        f"<description>{html.escape(s.paragraphs[0][:80])}…</description></item>"
        for s in stories)
    feed = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Le Journal</title>{items}</channel></rss>").encode()
    etag = '"' + "e" * 598 + '"'
    server.route("/feed", feed_reply(feed, ETag=etag))
    return stories, {"etag": etag}


async def _crawl(server: TestServer, store: Store):
    config = Config.model_validate({
        "settings": {"user_agent": UA, "delay": 0, "timeout": 5},
        "sources": [{"name": "journal", "platform": "rss", "base_url": server.url("/"),
                     "entry_points": [server.url("/feed")]}],
    }, context={})
    async with HttpClient(user_agent=UA, delay_per_host=0, timeout=5, max_attempts=1) as http:
        [report] = (await crawl(config, list(config.sources), store=store, client=http,
                                force=True)).sources
    return report


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_over_long_fields_lose_one_article_at_most_on_both_databases(
        db, tmp_path, request, caplog):
    db_url = (f"sqlite:///{tmp_path}/crawl.db" if db == "sqlite"
              else request.getfixturevalue("postgres_url"))
    store = open_store(db_url)
    with TestServer() as server:
        stories, _ = _hostile_site(server)
        with caplog.at_level(logging.WARNING, logger="crawler.limits"):
            first = await _crawl(server, store)
            # the feed's ETag was not kept: fetched again, but its body is the same, so its
            # links are not read again (the refused article waits for the feed to change)
            second = await _crawl(server, store)
        feed_requests = server.count("/feed")
        long_url_fetches = server.count(stories[4].path)
        served = server.url(stories[4].path)  # stored as served (http), not forced to https
    assert (first.status, first.errors, first.new) == ("ok", [], 5)
    assert first.fill.articles == 5  # the refused article counts in no fill ratio
    assert (second.status, second.errors, second.new) == ("ok", [], 0)
    assert feed_requests == 2 and long_url_fetches == 1
    with store.engine.connect() as connection:
        rows = {url.rsplit("/", 1)[1]: (title, section, image) for url, title, section, image
                in connection.execute(text("select url, title, section, image from articles"))}
        etag = connection.execute(text("select etag from fetch_state")).scalar_one()
        teaser_urls = [url for (url,) in connection.execute(text(
            "select url from teasers order by id"))]
        state = connection.execute(text(
            "select consecutive_failures from source_state where source = 'journal'")).scalar_one()
    store.engine.dispose()
    assert sorted(rows) == ["depeche-1", "depeche-2", "depeche-3", "depeche-4", "depeche-6"]
    assert rows["depeche-2"][0] == "Titre avec NUL"
    assert rows["depeche-3"][1] == ("Politique " * 30)[:256]
    assert rows["depeche-4"][2] is None  # the image URL of 3,000 characters
    assert etag is None and state == 0
    assert len(teaser_urls) == 6 and teaser_urls.count(None) == 1  # story 5's link dropped
    skipped = [r for r in caplog.records if getattr(r, "event", None) == "article_skipped"]
    assert len(skipped) == 1
    assert skipped[0].getMessage().startswith(
        f"journal: article not stored: its url has {len(served)} characters, over the 2048")


def test_a_robots_txt_with_nul_is_kept_on_both_databases(db_url):
    """PostgreSQL refuses NUL in text: the robots.txt cache stores the body without it."""
    store = open_store(db_url)
    cache = StoreRobotsCache(store)
    fetched = datetime(2025, 6, 1, tzinfo=UTC)
    cache.put("https://journal.ml/robots.txt", "User-agent: *\x00\nDisallow: /admin\n", fetched)
    assert cache.get("https://journal.ml/robots.txt") == (
        "User-agent: *\nDisallow: /admin\n", fetched)
    store.engine.dispose()
