"""Layered generic extraction: a source's selectors, then JSON-LD, then <meta>, then a fallback.

`SourceParser` is what every source uses; a site that needs code subclasses it in
`crawler/sources/<name>.py` and overrides only the fields that differ (Fundus style). Nothing here
fetches or stores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.config import Source
from crawler.dates import parse_date
from crawler.dedup import split_trailing_teasers
from crawler.errors import ParseError
from crawler.http import Response
from crawler.items import Article, Link, Teaser
from crawler.page import Page
from crawler.publishers import name_publisher, publisher_key, split_attribution
from crawler.text import (
    clean_paragraphs,
    ends_sentence,
    fix_text,
    fold_whitespace,
    looks_like_byline,
)
from crawler.urls import host_of

BLOCK_TAGS = "p, h2, h3, h4, h5, h6, li, blockquote, pre"
# Removed from a copy of the body before reading its text: never article prose.
BOILERPLATE_SELECTORS = (
    "script", "style", "noscript", "iframe", "form", "nav", "aside", "footer", "button", "svg",
    "figure figcaption", ".share", ".sharedaddy", ".social", ".social-share", ".jp-relatedposts",
    ".related", ".related-posts", ".td-post-sharing", ".post-tags", ".tags", ".wp-block-buttons",
    ".newsletter", ".advert", ".ads", "audio", "video",
)
BODY_CANDIDATES = (
    "[itemprop=articleBody]", ".entry-content", ".td-post-content", ".post-content",
    ".article-content", ".article-body", "#article_body", "article", "main",
)
# Paths that are index pages, not articles, on WordPress-like sites.
NOT_ARTICLE_PATH = re.compile(
    r"^/(?:$|(?:category|categorie|tag|author|auteur|page|feed|search|wp-content|wp-json|"
    r"wp-admin|contact|about|a-propos|mentions-legales)(?:/|$))|\.(?:jpe?g|png|gif|pdf|mp3|xml)$",
    re.IGNORECASE,
)


def _ld_names(value: Any) -> list[str]:
    """Names from a JSON-LD author/publisher value: str, {"name"}, or a list of them."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and fold_whitespace(name):
            names.append(fold_whitespace(name))
    return names


def _ld_url(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id")
    return value if isinstance(value, str) and value.strip() else None


def block_paragraphs(node: LexborNode) -> list[str]:
    """The text of `node` as paragraphs: one per leaf block element, split again at a <br>
    that ends a sentence."""
    copy = LexborHTMLParser(node.html or "")
    for selector in BOILERPLATE_SELECTORS:
        for junk in copy.css(selector):
            junk.decompose()
    for br in copy.css("br"):
        br.replace_with("\n")
    root = copy.body or copy.root
    # Leaf blocks only (lexbor's css() on a node matches the node itself, hence the 1).
    blocks = [b for b in root.css(BLOCK_TAGS) if len(b.css(BLOCK_TAGS)) == 1]
    texts = [b.text(deep=True, separator="") for b in blocks] or [root.text(separator="")]
    lines: list[str] = []
    for text in texts:
        # Inside one block a <br> that does not end a sentence is a hard line break (L'Essor).
        block: list[str] = []
        for line in (fold_whitespace(t) for t in text.split("\n")):
            if line and block and not ends_sentence(block[-1]):
                block[-1] = f"{block[-1]} {line}"
            elif line:
                block.append(line)
        lines.extend(block)
    return lines


class SourceParser:
    """Turns a source's pages into Links (listing pages) and Articles (article pages)."""

    # Older markups of the same site, newest first; `version_for` picks one per page.
    versions: ClassVar[tuple[type[SourceParser], ...]] = ()
    # A site module's own selectors; those set in sources.yaml win over these.
    default_selectors: ClassVar[dict[str, Any]] = {}
    # The element around each link of a listing page (a card), where a site module reads
    # more than the generic teaser; by default the smallest ancestor holding the teaser.
    card: ClassVar[str | None] = None

    def __init__(self, source: Source) -> None:
        self.source = source
        configured = source.selectors.model_dump(exclude_defaults=True)
        self.selectors = source.selectors.model_validate({**self.default_selectors, **configured})

    @classmethod
    def applies_to(cls, page: Page) -> bool:
        return True

    def version_for(self, page: Page) -> SourceParser:
        for version in self.versions:
            if version.applies_to(page):
                return version(self.source)
        return self

    # ---- discovery hooks -------------------------------------------------------------------

    def is_article_url(self, url: str) -> bool:
        if not self.source.is_article_url(url):
            return False
        if self.source.article_url_pattern:
            return True
        return not NOT_ARTICLE_PATH.search(urlsplit(url).path or "/")

    def link_date(self, url: str) -> datetime | None:
        """The publication date a URL gives away (L'Essor's uniqid suffix); None by default."""
        return None

    def listing_links(self, page: Page) -> list[Link]:
        """Article links of a listing page, with the title and teaser shown beside each."""
        anchors = page.tree.css(self.selectors.links or "a[href]")
        links: dict[str, Link] = {}
        for anchor in anchors:
            url = page.absolute(anchor.attributes.get("href"))
            if not url or not self.is_article_url(url):
                continue
            title = fold_whitespace(anchor.text(deep=True, separator=" ")) or None
            card = self._card_of(anchor)
            teaser = None
            if card is not None and self.selectors.teaser:
                node = card.css_first(self.selectors.teaser)
                teaser = fold_whitespace(node.text(deep=True, separator=" ")) if node else None
            date = self.link_date(url)
            if date is None and card is not None:
                date = self._card_date(card)
            old = links.get(url)
            links[url] = Link(
                url=url,
                title=(old.title if old and old.title else None) or title,
                teaser=(old.teaser if old and old.teaser else None) or teaser or None,
                published_at=(old.published_at if old else None) or date,
                seen_on=page.url,
            )
        return list(links.values())

    def _card_of(self, anchor: LexborNode) -> LexborNode | None:
        """The smallest ancestor of a link that holds its teaser (a listing card)."""
        node = anchor
        for _ in range(5):
            node = node.parent
            if node is None or node.tag in ("body", "html"):
                return None
            if self.card is not None:
                first = node.css_first(self.card)  # lexbor matches the node itself first
                if first is not None and first.mem_id == node.mem_id:
                    return node
            elif self.selectors.teaser and node.css_first(self.selectors.teaser) is not None:
                return node
        return None

    def _card_date(self, card: LexborNode) -> datetime | None:
        node = card.css_first("time[datetime]")
        if node is not None:
            return parse_date(node.attributes.get("datetime"))
        return None

    def api_links(self, response: Response) -> list[Link]:
        """Links from a JSON API entry point; only a source module that knows the API has them."""
        raise ParseError(f"{response.url}: source {self.source.name} has no JSON API parser")

    def next_page(self, page: Page) -> str | None:
        for selector in (self.selectors.next_page, 'a[rel="next"]', 'link[rel="next"]'):
            node = page.first(selector)
            if node is not None and node.attributes.get("href"):
                return page.absolute(node.attributes["href"])
        return None

    # ---- article fields ----------------------------------------------------------------------

    def parse(self, page: Page) -> Article | Teaser | None:
        """The article on `page`; None when the page holds no article (no title or no body).

        An aggregator's page that gives only the start of another paper's article and sends
        the reader to it ("Lire la suite dans l'Indépendant", "… suite de l'article sur Le 22
        Septembre") is a partial copy: it comes back as a Teaser of the original (its text the
        lead and body shown, its link the "suite" link when there is one), never as an Article.
        """
        parser = self.version_for(page)
        title = parser.title(page)
        lead = parser.lead(page)
        paragraphs = parser.body_paragraphs(page)
        authors = parser.authors(page)
        publisher = parser.publisher(page)
        read_on = None
        if self.source.aggregator:
            paragraphs, attributed, read_on = split_attribution(paragraphs)
            publisher = publisher or self.name_publisher(attributed or read_on)
        paragraphs, bylines, teaser_texts = split_trailing_teasers(paragraphs)
        if len(paragraphs) > 1 and looks_like_byline(paragraphs[-1]):
            bylines.append(paragraphs.pop())  # a byline closing the body, nothing after it
        if not authors:
            authors = [b for b in (parser.clean_byline(b) for b in bylines) if b]
        if self.source.aggregator:  # an author field that names the paper is no author
            papers = {publisher_key(p) for p in (publisher, *self.source.known_publishers.values())
                      if p}
            authors = [a for a in authors if publisher_key(a) not in papers]
        # Title and chapeau are stored in their own fields, not repeated as body.
        while paragraphs and paragraphs[0] in (title, lead):
            paragraphs.pop(0)
        body = "\n\n".join(paragraphs)
        if not title or not body:
            return None
        if read_on is not None:
            return Teaser(source=self.source.name, seen_on=parser.canonical(page), title=title,
                          text="\n\n".join(p for p in (lead, body) if p),
                          url=parser.read_on_link(page))
        teasers = parser.related_teasers(page)
        known = {t.text for t in teasers}
        teasers += [
            Teaser(source=self.source.name, seen_on=page.url, text=text)
            for text in teaser_texts if text not in known
        ]
        return Article(
            source=self.source.name,
            url=parser.canonical(page),
            title=title,
            lead=lead,
            body=body,
            authors=authors,
            publisher=publisher,
            section=parser.section(page),
            tags=parser.tags(page),
            image=parser.image(page),
            language=parser.language(page),
            published_at=parser.published(page),
            updated_at=parser.updated(page),
            teasers=teasers,
        )

    def title(self, page: Page) -> str | None:
        ld = page.article_ld.get("headline")
        title = _first_text(
            page.text_of(self.selectors.title),
            ld if isinstance(ld, str) else None,
            page.meta.get("og:title"),
            page.meta.get("twitter:title"),
            page.text_of("h1"),
            page.text_of("title"),
        )
        if title and self.source.title_prefix:
            rest = re.sub(self.source.title_prefix, "", title, count=1).strip()
            title = rest[:1].upper() + rest[1:] if rest else title
        return title

    def lead(self, page: Page) -> str | None:
        """The chapeau. Only a site's own selector knows it: meta descriptions are teasers."""
        return _first_text(page.text_of(self.selectors.lead))

    def body_node(self, page: Page) -> LexborNode | None:
        if self.selectors.body:
            return page.first(self.selectors.body)
        for selector in BODY_CANDIDATES:
            node = page.first(selector)
            if node is not None and node.css_first("p") is not None:
                return node
        # Fallback: the element holding the most paragraph text.
        best, best_len = None, 0
        for p in page.tree.css("p"):
            parent = p.parent
            if parent is None:
                continue
            size = sum(len(c.text(deep=True, separator=" ")) for c in parent.css("p"))
            if size > best_len:
                best, best_len = parent, size
        return best

    def body_paragraphs(self, page: Page) -> list[str]:
        node = self.body_node(page)
        if node is None:
            ld_body = page.article_ld.get("articleBody")
            return clean_paragraphs(ld_body.split("\n")) if isinstance(ld_body, str) else []
        copy_root = node
        if self.selectors.remove:
            copy = LexborHTMLParser(node.html or "")
            for selector in self.selectors.remove:
                for junk in copy.css(selector):
                    junk.decompose()
            copy_root = copy.body or copy.root
        return clean_paragraphs(block_paragraphs(copy_root))

    def authors(self, page: Page) -> list[str]:
        if self.selectors.authors:
            found = [self.clean_byline(t) for t in page.texts_of(self.selectors.authors)]
            return _unique(a for a in found if a)
        names = _ld_names(page.article_ld.get("author"))
        meta = page.meta.get("author") or page.meta.get("article:author")
        if not names and meta and not meta.startswith("http"):
            names = [meta]
        return _unique(a for a in (self.clean_byline(n) for n in names) if a)

    def clean_byline(self, text: str) -> str | None:
        text = re.sub(r"^(?:par|by|de)\s+", "", fold_whitespace(text), flags=re.IGNORECASE)
        text = text.strip(" ,;:-–|")
        return text if text and looks_like_byline(text) else None

    def date_of(self, page: Page, selector: str | None) -> str | None:
        """A date element's machine-readable value (<time datetime>, content=) or its text."""
        node = page.first(selector)
        if node is None:
            return None
        return (node.attributes.get("datetime") or node.attributes.get("content")
                or page.text_of(selector))

    def published(self, page: Page) -> datetime | None:
        return _first_date(
            self.date_of(page, self.selectors.published),
            page.article_ld.get("datePublished"),
            page.meta.get("article:published_time"),
            page.meta.get("og:published_time"),
            page.meta.get("datepublished"),
            page.meta.get("pubdate"),
            page.meta.get("date"),
            (page.first("time[datetime]").attributes.get("datetime")
             if page.first("time[datetime]") else None),
        )

    def updated(self, page: Page) -> datetime | None:
        return _first_date(
            self.date_of(page, self.selectors.updated),
            page.article_ld.get("dateModified"),
            page.meta.get("article:modified_time"),
            page.meta.get("og:updated_time"),
        )

    def section(self, page: Page) -> str | None:
        ld = page.article_ld.get("articleSection")
        if isinstance(ld, list):
            ld = ld[0] if ld else None
        return _first_text(
            page.text_of(self.selectors.section),
            page.meta.get("article:section"),
            ld if isinstance(ld, str) else None,
        )

    def tags(self, page: Page) -> list[str]:
        if self.selectors.tags:
            return _unique(page.texts_of(self.selectors.tags))
        metas = [n.attributes.get("content") or ""
                 for n in page.tree.css('meta[property="article:tag"]')]
        if any(m.strip() for m in metas):
            return _unique(fold_whitespace(m) for m in metas if m.strip())
        keywords = page.article_ld.get("keywords")
        if isinstance(keywords, str):
            keywords = keywords.split(",")
        return _unique(fold_whitespace(k) for k in keywords or [] if isinstance(k, str))

    def image(self, page: Page) -> str | None:
        if self.selectors.image:
            node = page.first(self.selectors.image)
            if node is not None:
                src = node.attributes.get("src") or node.attributes.get("data-src")
                src = src or node.attributes.get("content") or node.attributes.get("href")
                if src:
                    return page.absolute(src)
        found = page.meta.get("og:image") or page.meta.get("twitter:image")
        return page.absolute(found or _ld_url(page.article_ld.get("image")))

    def publisher(self, page: Page) -> str | None:
        """The paper an aggregator names as the original publisher (its `publisher` selector),
        as configured where it is a known source; None for originals. A "Source : X" line in
        an aggregator's body is read by `parse` when no selector names the paper."""
        return self.name_publisher(page.text_of(self.selectors.publisher))

    def name_publisher(self, text: str | None) -> str | None:
        return name_publisher(text, self.source.known_publishers)

    def read_on_link(self, page: Page) -> str | None:
        """Where a partial copy sends the reader: the last link off this site in the body."""
        node = self.body_node(page)
        for anchor in reversed(node.css("a[href]") if node is not None else []):
            url = page.absolute(anchor.attributes.get("href"))
            if url and urlsplit(url).scheme in ("http", "https") and (
                    host_of(url) not in self.source.all_hosts):
                return url
        return None

    def language(self, page: Page) -> str | None:
        html = page.first("html")
        lang = html.attributes.get("lang") if html is not None else None
        return self.source.language or (lang.split("-")[0].lower() if lang else None)

    def canonical(self, page: Page) -> str:
        node = page.first('link[rel="canonical"]')
        href = node.attributes.get("href") if node is not None else None
        found = page.absolute(href) or page.absolute(page.meta.get("og:url"))
        # A canonical pointing off the source's hosts is a site misconfiguration: keep our URL.
        if found and self.source.is_article_url(found):
            return found
        return page.url

    def related_teasers(self, page: Page) -> list[Teaser]:
        """Teasers in the page's related-articles block, with their links. None generically."""
        return []


def _first_text(*candidates: str | None) -> str | None:
    for candidate in candidates:
        if isinstance(candidate, str):
            text = fix_text(candidate)
            if text:
                return text
    return None


def _first_date(*candidates: Any) -> datetime | None:
    for candidate in candidates:
        if isinstance(candidate, str):
            found = parse_date(candidate)
            if found is not None:
                return found
    return None


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))
