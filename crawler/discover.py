"""Discovery: feeds, sitemaps and listing pages of one entry point ──► pages of Links.

`walk_entry_point` yields one `ListingPage` per fetched page, newest first. A daily pass reads only
the first page; a backfill keeps walking (feed pages, listing pagination, child sitemaps) until
the caller stops iterating (it does so once a page is entirely older than `--since`) or
`max_pages` pages (sitemap indexes included) have been fetched.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

from crawler.dates import parse_date
from crawler.errors import FetchError, ParseError
from crawler.extract import SourceParser
from crawler.http.charset import decode_body
from crawler.items import Link, Teaser
from crawler.page import Page
from crawler.parsing import with_parser
from crawler.text import fold_whitespace
from crawler.urls import served_url

if TYPE_CHECKING:  # the configuration models stay out of the parsing workers (ParserSource)
    from crawler.config import EntryPoint, Source
    from crawler.feeds import FeedItem
    from crawler.http.client import HttpClient, Response

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# WordPress/Yoast's RSS footer, appended to every item's description (Bamada's feed): not text
# of the article, and it would keep the teaser from matching its article.
FEED_FOOTER = re.compile(r"\s*The post .{1,400}? appeared first on .{1,120}$", re.DOTALL)
# A numeric character reference in a feed: feedparser's lenient parser (the one it falls back
# to when a feed is not well-formed XML) raises on a surrogate ("&#xD800;") or a number past
# U+10FFFF, and the whole feed would be lost. Those are read as U+FFFD (_repair_charrefs).
_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


@dataclass
class ListingPage:
    """One fetched feed, sitemap or listing page and the article links found on it."""

    url: str
    links: list[Link] = field(default_factory=list)  # keyed (_read_listing)
    teasers: list[Teaser] = field(default_factory=list)  # shown beside the links
    response: Response | None = None
    cut: bool = False  # the last page max_pages allowed, with more pages still to walk
    body_hash: str | None = None  # SHA-256 of the body as fetched (None for a 304)
    unchanged: bool = False  # 304, or the same body as when last read whole: nothing to read


def body_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def feed_links(response: Response) -> list[Link]:
    """Items of an RSS/Atom feed: plain RSS 2.0 read with lxml (crawler.feeds), the rest with
    feedparser. A page that is not a feed (Maliweb's /feed answers HTML) is a ParseError, not
    an empty feed. The feed readers are imported here, in the parsing worker that reads the
    feed: the crawling process, which only walks the listings, need not hold lxml and
    feedparser (about 7 MB)."""
    from crawler.feeds import rss_items

    content_type = response.headers.get("content-type")
    items = rss_items(response.content, response.url, content_type)
    if items is None:
        items = _feedparser_items(response)
    return links_of(items, response.url)


def links_of(items: list[FeedItem], seen_on: str) -> list[Link]:
    """Links of a feed's items: the teaser is the text of the summary, less WordPress's
    footer."""
    links = []
    for item in items:
        if not item.link:
            continue
        published = datetime.fromtimestamp(calendar.timegm(item.stamp), UTC) if item.stamp \
            else None
        teaser = None
        if item.summary:
            text = fold_whitespace(LexborHTMLParser(item.summary).text(separator=" "))
            teaser = FEED_FOOTER.sub("", text) or None
        links.append(Link(url=item.link, title=fold_whitespace(item.title) or None,
                          teaser=teaser, published_at=published, seen_on=seen_on))
    return links


def _feedparser_items(response: Response) -> list[FeedItem]:
    import feedparser

    from crawler.feeds import FeedItem

    parsed = feedparser.parse(_repair_charrefs(response.content), response_headers={
        "content-type": response.headers.get("content-type", "application/xml"),
        "content-location": response.url,
    })
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        kind = response.headers.get("content-type", "unknown type").split(";")[0]
        raise ParseError(f"{response.url}: not an RSS/Atom feed ({kind})")
    return [FeedItem(link=entry.get("link"), title=entry.get("title", ""),
                     summary=entry.get("summary"),
                     stamp=entry.get("published_parsed") or entry.get("updated_parsed"))
            for entry in parsed.entries]


def _repair_charrefs(content: bytes) -> bytes:
    def repair(match: re.Match[bytes]) -> bytes:
        hex_digits, digits = match.groups()
        number = hex_digits or digits
        if len(number.lstrip(b"0")) <= 8:
            code = int(number, 16 if hex_digits else 10)
            if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                return match.group()
        return b"&#xFFFD;"

    return _CHARREF.sub(repair, content) if b"&#" in content else content


def sitemap_entries(response: Response, max_bytes: int) -> tuple[list[Link], list[Link]]:
    """(pages, child sitemaps) of a sitemap or sitemap index, each with its lastmod. A .xml.gz
    served without Content-Encoding is decompressed here, held to `max_bytes` as bodies are."""
    content = response.content
    if content[:2] == b"\x1f\x8b":
        from crawler.http.bodies import gunzip

        try:
            content = gunzip(content, max_bytes)
        except ValueError as exc:
            raise ParseError(f"{response.url}: gzipped sitemap {exc}") from None
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise ParseError(f"{response.url}: not a sitemap ({exc})") from exc
    entries = []
    for node in root:
        loc = node.findtext(f"{SITEMAP_NS}loc") or node.findtext("loc")
        if not loc:
            continue
        lastmod = node.findtext(f"{SITEMAP_NS}lastmod") or node.findtext("lastmod")
        entries.append(Link(url=loc.strip(), published_at=parse_date(lastmod),
                            seen_on=response.url))
    if root.tag.endswith("sitemapindex"):
        newest_first = sorted(entries, key=lambda e: e.published_at or datetime.min.replace(
            tzinfo=UTC), reverse=True)
        return [], newest_first
    return entries, []


def wordpress_feed_page(feed_url: str, number: int) -> str:
    """WordPress serves older feed items at ?paged=N."""
    parts = urlsplit(feed_url)
    query = (parts.query + "&" if parts.query else "") + urlencode({"paged": number})
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


@dataclass
class _Fetched:
    """A fetched entry-point page as a parsing worker reads it: what `Response` gives it (URL,
    body, headers; `text` decoded on first use), without httpx. A `Response` in the task made
    each worker import httpx, httpcore, anyio, tenacity and protego to unpickle its headers
    (issue 17). The headers by lower-case name, as the readers ask for them."""

    url: str
    content: bytes
    headers: dict[str, str]

    @classmethod
    def of(cls, response: Response) -> _Fetched:
        return cls(response.url, response.content,
                   {name.lower(): value for name, value in response.headers.items()})

    @cached_property
    def text(self) -> str:
        return decode_body(self.content, self.headers.get("content-type")) if self.content else ""


@dataclass
class _Read:
    """What one fetched entry-point page holds (read in a worker)."""

    links: list[Link]  # article links, keyed (SourceParser.address)
    teasers: list[Teaser]  # the teasers shown beside them
    children: list[Link]  # child sitemaps of an index
    next_url: str | None  # the next listing page


def _read_listing(parser: SourceParser, kind: str | None, url: str,
                  response: Response | _Fetched, max_bytes: int) -> _Read:
    """The links, teasers, child sitemaps and next page of the entry-point page at `url`, of
    the entry point's `kind` (feed, sitemap, listing, api). Its links are made canonical here,
    once, where they are found: each keeps the URL as linked (to fetch) and gets the URL as kept
    (as served, without tracking tags or fragment) and its key."""
    children: list[Link] = []
    next_url = None
    if kind == "feed":
        found = feed_links(response)
    elif kind == "sitemap":
        found, children = sitemap_entries(response, max_bytes)
    elif kind == "listing":
        page = Page.from_html(response.url, response.text)
        found, next_url = parser.listing_links(page), parser.next_page(page)
    else:  # api
        found = parser.api_links(response)
    seen_on = served_url(url)
    links, teasers = [], []
    for link in found:
        kept, key = parser.address(link.url)
        links.append(replace(link, kept=kept, key=key))
        if link.teaser:
            teasers.append(Teaser(source=parser.source.name, seen_on=seen_on, text=link.teaser,
                                  url=kept, url_key=key, title=link.title))
    return _Read(links, teasers, children, next_url)


async def walk_entry_point(
    entry: EntryPoint,
    *,
    source: Source,
    parser: SourceParser,
    client: HttpClient,
    backfill: bool,
    max_pages: int,
    validators: tuple[str | None, str | None] = (None, None),
    last_hash: str | None = None,
    parse_timeout: float = 20.0,
) -> AsyncIterator[ListingPage]:
    """Yield the entry point's pages, newest first. `validators` (ETag, Last-Modified) make the
    first request conditional; an unchanged entry point (a 304, or a first page whose body has
    `last_hash`, the hash of the body last read whole) yields one unchanged page and stops:
    a feed without validators costs no parse and no write when it has not changed. Sitemaps
    are always asked unconditionally and read: an index that stays the same leads to children
    that do not.
    Each page is parsed in a worker process (crawler.parsing), within `parse_timeout` seconds:
    CPU work on the event loop would hold up every source's requests."""
    queue = [entry.url]
    seen: set[str] = set()
    # The source's hosts and the entry point's own: pagination never leads off to other sites.
    hosts = source.all_hosts | {urlsplit(entry.url).hostname or ""}
    number = 1
    # Every page counts, sitemap indexes too: an index leading to new indexes forever ends here.
    budget = max_pages
    while queue and budget > 0:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        # A sitemap index is asked unconditionally: it keeps its validators while the newest
        # child it lists grows, so its 304 would hide the new articles.
        conditional = len(seen) == 1 and entry.type != "sitemap"
        etag, last_modified = validators if conditional else (None, None)
        try:
            response = await client.get(url, etag=etag, last_modified=last_modified,
                                        allowed_hosts=hosts)
        except FetchError as exc:
            if exc.status in (404, 410) and len(seen) > 1:
                return  # past the last page of a pagination: the walk is complete
            raise
        if response.not_modified:
            yield ListingPage(url=url, response=response, unchanged=True)
            return
        digest = body_hash(response.content)
        if len(seen) == 1 and last_hash == digest and entry.type != "sitemap":
            yield ListingPage(url=url, response=response, body_hash=digest, unchanged=True)
            return
        read = await with_parser(_read_listing, parser, entry.type, url, _Fetched.of(response),
                                 client.max_bytes, timeout=parse_timeout)
        links, children, next_url = read.links, read.children, read.next_url
        budget -= 1
        if children:
            # A daily pass reads the newest child sitemap; a backfill walks them all.
            queue = [c.url for c in (children if backfill else children[:1])] + queue
        if not children or links:  # a page of links, not an index
            if not backfill or (not links and entry.type != "sitemap"):
                queue = []  # a daily pass reads one page; an empty page ends the pagination
            else:
                number += 1
                if entry.page_url:
                    queue.append(entry.page(number))
                elif next_url:
                    queue.append(next_url)
                elif entry.type == "feed" and source.platform == "wordpress":
                    queue.append(wordpress_feed_page(entry.url, number))
        cut = budget == 0 and any(u not in seen for u in queue)
        yield ListingPage(url=url, links=links, teasers=read.teasers, response=response,
                          cut=cut, body_hash=digest)
