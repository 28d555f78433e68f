"""Text that no database can store (lone surrogates, NUL and other control characters) is made
storable where it enters an item, so one hostile feed item or JSON-LD block never loses the
others: the sanitising itself, the feed parser's crash on "&#xD800;", and a whole crawl on SQLite
and PostgreSQL against a real server on 127.0.0.1."""

from __future__ import annotations

import html
import json
from email.utils import format_datetime

import httpx
import pytest
from httpserver import Reply, Story, TestServer, feed_reply
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from crawler.config import Config
from crawler.discover import feed_links
from crawler.http import HttpClient, Response
from crawler.items import Article, Link, Teaser, clean_text
from crawler.pipeline import SourceReport, crawl
from crawler.store import open_store

UA = "MaliPressCrawler-test/0.1 (+https://github.com/malipress/crawler)"
STORABLE_CONTROLS = {"\t", "\n"}

# Every code point, surrogates and controls included (hypothesis leaves surrogates out of text by
# default), with the troublemakers drawn often.
hostile_text = st.lists(st.one_of(
    st.characters(min_codepoint=0, max_codepoint=0x10FFFF, categories=None),
    st.sampled_from(["\x00", "\x01", "\x1f", "\r", "\r\n", "\t", "\n", "\ud800", "\udbff",
                     "\udc00", "\udfff", "\ud83d\ude00", "\x7f", "\x85", "é"]),
)).map("".join)


@given(hostile_text)
def test_clean_text_is_always_storable_utf8_without_controls(raw):
    cleaned = clean_text(raw)
    cleaned.encode("utf-8")  # a lone surrogate would raise here, as SQLite's driver does
    assert not any(ord(c) < 0x20 and c not in STORABLE_CONTROLS for c in cleaned)
    assert clean_text(cleaned) == cleaned


@given(st.text())  # hypothesis' default text: no surrogates; controls included
def test_clean_text_keeps_text_without_troublemakers(raw):
    if not any(ord(c) < 0x20 and c not in STORABLE_CONTROLS for c in raw):
        assert clean_text(raw) == raw


def test_clean_text_mends_pairs_replaces_lone_surrogates_and_drops_controls():
    raw = "Ségou\x00 \ud83d\ude00 \ud800 fin\r\nligne\rsuite\t\x07\x1b[0m"
    assert clean_text(raw) == "Ségou 😀 \ufffd fin\nligne\nsuite\t[0m"


def test_items_clean_every_text_field_as_they_are_made():
    link = Link(url="https://journal.ml/a\x00", title="Titre \ud800", teaser="Chapeau\x0b")
    assert (link.url, link.title, link.teaser) == ("https://journal.ml/a", "Titre \ufffd",
                                                   "Chapeau")
    teaser = Teaser(source="journal", seen_on="https://journal.ml/", text="Le\x00 texte",
                    title="\udfffT")
    assert (teaser.text, teaser.title) == ("Le texte", "\ufffdT")
    article = Article(source="journal", url="https://journal.ml/a", title="Titre\x00",
                      body="Corps\x01 du texte", lead="Cha\ud800peau", section="Poli\x00tique",
                      authors=["Awa\x00 Koné"], tags=["Mali", "\ud800", "x\x00y"],
                      publisher="L'Essor\x1f", image="https://journal.ml/i\x00.jpg")
    assert (article.title, article.body, article.lead, article.section, article.publisher,
            article.image) == ("Titre", "Corps du texte", "Cha\ufffdpeau", "Politique",
                               "L'Essor", "https://journal.ml/i.jpg")
    assert (article.authors, article.tags) == (["Awa Koné"], ["Mali", "\ufffd", "xy"])
    json.dumps(article.content_hash)  # computable: every field encodes as UTF-8


def _feed_response(body: bytes) -> Response:
    return Response(url="https://journal.ml/feed", status=200,
                    headers=httpx.Headers({"content-type": "application/rss+xml"}),
                    content=body, not_modified=False, elapsed=0.0)


@pytest.mark.parametrize("reference", [
    "&#xD800;", "&#xdfff;", "&#55296;", "&#x110000;", "&#99999999999999999999;",
    "&#x" + "f" * 5000 + ";",
])
def test_a_feed_item_with_an_impossible_character_reference_keeps_every_item(reference):
    items = "".join(
        f"<item><title>Titre {n} {reference if n == 2 else ''}</title>"
        f"<link>https://journal.ml/articles/{n}</link>"
        f"<description>Chapeau {n} {reference if n == 3 else ''}</description></item>"
        for n in range(1, 6))
    body = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
    links = feed_links(_feed_response(body.encode()))
    assert [link.url for link in links] == [f"https://journal.ml/articles/{n}"
                                             for n in range(1, 6)]
    assert links[1].title == "Titre 2 \ufffd"
    assert links[2].teaser == "Chapeau 3 \ufffd"
    assert links[0].title == "Titre 1"


def test_valid_character_references_in_a_feed_are_read_as_before():
    body = ('<?xml version="1.0"?><rss version="2.0"><channel><item>'
            "<title>L&#8217;&#xE9;t&#233; &#x1F600; &#x0000041;</title>"
            "<link>https://journal.ml/a</link></item></channel></rss>")
    [link] = feed_links(_feed_response(body.encode()))
    assert link.title == "L’été 😀 A"


# -- a whole crawl: 9 items, three of them hostile, all stored ------------------------------------


def _hostile_site(server: TestServer) -> list[Story]:
    """An RSS feed of 9 stories on `server`: item 3's title carries "&#xD800;" (the feed is then
    not well-formed XML, and feedparser falls back to its lenient parser), item 5's description
    "&#0;"; story 7's page has JSON-LD whose keywords, section and headline hold lone
    surrogates and NUL; story 8's page has raw NUL and control bytes in its text."""
    stories = [Story.make(f"/articles/depeche-{n}", n) for n in range(1, 10)]
    items = []
    for n, story in enumerate(stories, 1):
        title = html.escape(story.title) + (" &#xD800;" if n == 3 else "")
        teaser = html.escape(story.paragraphs[0][:80]) + (" &#0; fin" if n == 5 else "")
        items.append(
            f"<item><title>{title}</title><link>{server.base_url}{story.path}</link>"
            f"<pubDate>{format_datetime(story.published, usegmt=True)}</pubDate>"
            f"<description>{teaser}…</description></item>")
    feed = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Le Journal</title>{''.join(items)}</channel></rss>").encode()
    server.route("/feed", feed_reply(feed))
    for story in stories:
        server.route(story.path, story.reply())
    ld = ('{"@context": "https://schema.org", "@type": "NewsArticle", '
          '"headline": "Koulouba \\ud83d\\ude00 \\ud800 annonce", '
          '"articleSection": "Poli\\udfff\\u0000tique", '
          '"keywords": ["Mali", "\\ud800", "S\\u00e9gou\\u0000"], '
          f'"datePublished": "{stories[6].published.isoformat()}"}}')
    server.route(stories[6].path, Reply(
        body=stories[6].html(head=f'<script type="application/ld+json">{ld}</script>').encode(),
        headers={"Content-Type": "text/html; charset=utf-8"}))
    raw = stories[7].html().replace("<h1>", "<h1>\x00\x01\x02").replace(
        "</article>", "<p>Fin\x00 du\x1b texte\x07.</p></article>")
    server.route(stories[7].path, Reply(body=raw.encode(),
                                        headers={"Content-Type": "text/html; charset=utf-8"}))
    return stories


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_hostile_text_in_a_feed_and_json_ld_loses_no_item(db, tmp_path, request):
    db_url = (f"sqlite:///{tmp_path}/crawl.db" if db == "sqlite"
              else request.getfixturevalue("postgres_url"))
    with TestServer() as server:
        stories = _hostile_site(server)
        config = Config.model_validate({
            "settings": {"user_agent": UA, "delay": 0, "timeout": 5},
            "sources": [{"name": "journal", "platform": "rss", "base_url": server.url("/"),
                         "entry_points": [server.url("/feed")]}],
        }, context={})
        store = open_store(db_url)
        async with HttpClient(user_agent=UA, delay_per_host=0, timeout=5,
                              max_attempts=1) as http:
            report = await crawl(config, list(config.sources), store=store, client=http)
        [journal] = report.sources
        assert (journal.status, journal.errors, journal.new) == ("ok", [], 9)
        with store.engine.connect() as connection:
            rows = {url.rsplit("/", 1)[1]: (title, section, tags, body)
                    for url, title, section, tags, body in connection.execute(text(
                        "select url, title, section, tags, body from articles"))}
            teasers = dict(connection.execute(text("select url, coalesce(title, '') || ' | ' "
                                                   "|| text from teasers")).all())
        store.engine.dispose()
    assert sorted(rows) == sorted(s.path.rsplit("/", 1)[1] for s in stories)
    title, section, tags, _ = rows["depeche-7"]
    tags = json.loads(tags) if isinstance(tags, str) else tags
    assert title == "Koulouba 😀 \ufffd annonce"
    assert section == "Poli\ufffdtique"
    assert tags == ["Mali", "\ufffd", "Ségou"]
    title, _, _, body = rows["depeche-8"]
    assert title == stories[7].title  # lexbor reads the NUL as U+FFFD; the controls are dropped
    assert body.endswith("\n\nFin du texte.")
    by_story = {url.rsplit("/", 1)[1]: value for url, value in teasers.items()}
    assert by_story["depeche-3"].startswith(stories[2].title + " \ufffd | ")
    assert " fin…" in by_story["depeche-5"] and "\x00" not in by_story["depeche-5"]
    assert len(by_story) == 9


def test_an_error_quoting_hostile_bytes_is_kept_in_the_run_record(db_url):
    # An error message can quote a page (a parse error, a server's reason phrase): the run's
    # error log is jsonb on PostgreSQL, which refuses NUL and lone surrogates.
    report = SourceReport(source="journal")
    report.error("page https://x.ml/a: bad \x00 byte \ud800 here")
    store = open_store(db_url)
    run_id = store.start_run(mode="pass", since=None, until=None, sources=["journal"])
    store.finish_run(run_id, status="failed", pages=1, new=0, updated=0, teasers=0,
                     errors=report.errors)
    with store.engine.connect() as connection:
        [log] = connection.execute(text("select error_log from crawl_runs")).scalars()
    store.engine.dispose()
    stored = log if isinstance(log, list) else json.loads(log)
    assert stored == ["page https://x.ml/a: bad  byte \ufffd here"]
