"""Layered generic extraction: a source's selectors, then JSON-LD, then <meta>, then a fallback.

`SourceParser` is what every source uses; a site that needs code subclasses it in
`crawler/sources/<name>.py` and overrides only the fields that differ (Fundus style). Nothing here
fetches or stores.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from crawler import body
from crawler.dates import Dated, gives_zone, parse_date, parse_dated, shown_date
from crawler.dedup import is_truncation_of, split_trailing_teasers
from crawler.errors import ParseError
from crawler.items import (
    CODE,
    FALLBACK,
    JSON_LD,
    META,
    SELECTOR,
    Article,
    Link,
    Parsed,
    Teaser,
    article_fields,
    role,
)
from crawler.page import Page, node_text
from crawler.publishers import name_publisher, publisher_key, publisher_keys, split_attribution
from crawler.text import (
    clean_paragraphs,
    ends_sentence,
    fix_text,
    fold_whitespace,
    is_boilerplate,
    looks_like_byline,
    normalize_for_match,
    strip_truncation,
    word_trigrams,
)
from crawler.urls import host_of, is_article_url, same_scheme_as_served, served_url, url_key

if TYPE_CHECKING:
    # a parsing worker needs no HTTP client (httpx: about 15 MB a worker), nor the configuration
    # models (pydantic and crawler.config: about 14 MB and 0.5 s of its start; see ParserSource)
    from crawler.config import Source
    from crawler.http.client import Response

BOILERPLATE_SELECTORS = (
    "script", "style", "noscript", "iframe", "form", "nav", "aside", "footer", "button", "svg",
    "figure figcaption", ".share", ".sharedaddy", ".social", ".social-share", ".jp-relatedposts",
    ".related", ".related-posts", ".td-post-sharing", ".post-tags", ".tags", ".wp-block-buttons",
    ".newsletter", ".advert", ".ads", "audio", "video",
)
# Paths that are index pages, not articles, on WordPress-like sites.
NOT_ARTICLE_PATH = re.compile(
    r"^/(?:$|(?:category|categorie|tag|author|auteur|page|feed|search|wp-content|wp-json|"
    r"wp-admin|contact|about|a-propos|mentions-legales)(?:/|$))|\.(?:jpe?g|png|gif|pdf|mp3|xml)$",
    re.IGNORECASE,
)


def _name_key(name: str) -> str:
    """publisher_key, or the case-folded name where it has no Latin letter or digit; a host
    name is keyed by its domain label ("lejournal.ml", "www.ORF.at" -> lejournal, orf)."""
    name = fold_whitespace(name)
    if re.fullmatch(r"(?:[\w-]+\.)+[a-z]{2,}", name, re.IGNORECASE):
        name = name.split(".")[-2]
    return publisher_key(name) or name.casefold()


# The fields filled layer by layer: {name in field_sources and Selectors: Article attribute}
PROVENANCE_FIELDS = {role(spec).layer: spec.name for spec in article_fields("layer")}
# What a structured author field holds that is no person: the newsroom, a mail address, a URL.
NOT_A_PERSON = re.compile(
    r"^(?:(?:la|the|die)\s+)?(?:r[ée]daction|redaktion|newsroom|editorial staff)\b"
    r"|\S+@\S+\.\w+|^https?://",
    re.IGNORECASE,
)
BYLINE_PREFIX = re.compile(r"^(?:par|by|de)\s+", re.IGNORECASE)
# A byline as a paragraph of its own, wherever the body has it: "Von Anna Sleegers, Frankfurt",
# "By Tom Pyman for MailOnline", "Por Agencia EFE": a byline's word, then a few capitalised
# names (no sentence: "By Monday, the ministry had paid" is one), maybe a place or an outlet
# after a comma or "for"
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’.&-]*"
BYLINE_LINE = re.compile(
    rf"(?i:by|von|par|por|di|door|av|af)\s+(?:{_NAME_WORD}\s+){{0,4}}{_NAME_WORD}"
    rf"(?:(?:\s*,\s*|\s+(?i:for|für|pour|para|per)\s+)(?:{_NAME_WORD}\s+){{0,3}}{_NAME_WORD})?")
BYLINE_LINE_CHARS = 80
# A parenthesis closing a name: the author's initials or a place ("(obe)", "(à Gao)").
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)$|\s+@\w+$")  # "(obe)", "@wperdomod"
# A slug or a handle, not a name as printed: "sophie-foster", "edilson.la.rosa"
_SLUG = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)+")
# What an author field may hold before the name: a byline's word ("Par", "By", "Von", "Por")
# or the text of a link to the author's page ("View all posts by", "Zeige alle Beiträge von",
# "Voir tous les articles de"); "von" before a capital only ("von der Leyen" is a name).
_AUTHOR_PREFIX = re.compile(
    r"^(?:(?:view|see) all posts by|(?:zeige )?alle beiträge von|(?:voir )?tous les articles de"
    r"|par|by|(?:von|por|door)(?=\s+(?-i:[A-ZÀ-ÖØ-Þ])))\s+", re.IGNORECASE)


# Between the names of one author string: "A, B and C", "A et B", "A und B", "A og B", "A & B",
# "A; B".
_NAME_SEPARATOR = re.compile(r"\s*[,;]\s*|\s+(?:and|et|und|og|y|e|&)\s+")
_MAX_NAME_WORDS = 4


def _name_sized(part: str) -> bool:
    """At most four words, not a host name, and not a lower-case phrase ("le correspondant");
    one lower-case word is an agency ("dpa")."""
    words = part.split()
    return (len(words) <= _MAX_NAME_WORDS and part[0].isalpha() and "." not in part
            and not (part[0].islower() and len(words) > 1))


def split_names(text: str) -> list[str]:
    """One author string as the names it lists, where every part is name-sized: "Mamokete
    Modiba, Claire Benit-Gbaffou and Tanya Zack" is three, "Felix Schröder und Jörg Soldwisch,
    dpa" three; "Povilas Aleksandravičius, professor of the faculty of ..." and "hessenschau.de,
    Frankfurt, Germany" stay one string."""
    parts = [p for p in _NAME_SEPARATOR.split(text) if p]
    if len(parts) > 1 and all(_name_sized(p) for p in parts):
        return parts
    return [text]


def _ld_names(value: Any) -> list[str]:
    """Names from a JSON-LD author/publisher value: a string, an object with `name` (or
    `givenName` and `familyName`), or a list of them. References are resolved by the caller."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item
        if isinstance(item, dict):
            parts = (item.get("givenName"), item.get("familyName"))
            name = item.get("name") or " ".join(p for p in parts if isinstance(p, str))
        if isinstance(name, list):  # "name": ["Jean Dupont"] is seen too
            name = name[0] if name else None
        if isinstance(name, str) and fold_whitespace(name):
            names.append(fold_whitespace(name))
    return names


def _organisations(value: Any) -> list[Any]:
    """A JSON-LD publisher value without its persons: a blog's publisher is its author on
    some sites (Yoast's "Person, Organization"), whose name is then no site's name."""
    items = value if isinstance(value, list) else [value]
    return [i for i in items if not (isinstance(i, dict) and "person" in {
        t.lower() for t in (i.get("@type") if isinstance(i.get("@type"), list)
                            else [i.get("@type")]) if isinstance(t, str)})]


def _ld_url(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id")
    return value if isinstance(value, str) and value.strip() else None


def block_paragraphs(node: LexborNode, remove: Iterable[str] = ()) -> list[str]:
    """The text of `node` as paragraphs, one per block (<p>, <div> text, <br> run, table cell,
    list item...), a <br> inside a sentence read as a line break; BOILERPLATE_SELECTORS and the
    `remove` selectors are left out."""
    junk = ", ".join((*BOILERPLATE_SELECTORS, *remove))
    pruned = {n.mem_id for n in node.css(junk)}
    return body.all_paragraphs(body.walk(node, pruned=pruned, mark_unlikely=False))


@dataclass(frozen=True, eq=False)  # hashable as the Source it stands for (a dict is a field)
class ParserSource:
    """What a parser reads of its `Source`, as plain data: a parser is pickled with this in its
    place (`SourceParser.__getstate__`), so that a parsing worker unpickles it without importing
    pydantic and the configuration models (issue 17)."""

    name: str
    title: str | None
    host: str
    alias_hosts: frozenset[str]
    all_hosts: frozenset[str]
    aggregator: bool
    known_publishers: dict[str, str]
    title_prefix: str | None
    language: str
    article_url_pattern: str | None

    @classmethod
    def of(cls, source: Source | ParserSource) -> ParserSource:
        if isinstance(source, ParserSource):
            return source
        return cls(**{f.name: getattr(source, f.name) for f in fields(cls)})

    def is_article_url(self, url: str) -> bool:
        return is_article_url(url, self.all_hosts, self.article_url_pattern)


class SourceParser:
    """Turns a source's pages into Links (listing pages) and Articles (article pages)."""

    # Older markups of the same site, newest first; `version_for` picks one per page.
    versions: ClassVar[tuple[type[SourceParser], ...]] = ()
    # A site module's own selectors; those set in sources.yaml win over these.
    default_selectors: ClassVar[dict[str, Any]] = {}
    # The element around each link of a listing page (a card), where a site module reads
    # more than the generic teaser; by default the smallest ancestor holding the teaser.
    card: ClassVar[str | None] = None
    # The element of a card that shows its date, read by `date_of_card`.
    card_date: ClassVar[str] = "time[datetime]"

    def __init__(self, source: Source) -> None:
        self.source = source
        configured = source.selectors.model_dump(exclude_defaults=True)
        self.selectors = source.selectors.model_validate({**self.default_selectors, **configured})
        # each older markup's parser, made once here (where the configuration models are)
        self._versions = [version(source) for version in self.versions]

    def __getstate__(self) -> dict[str, Any]:
        """The parser as a worker gets it: its source and selectors as plain data."""
        return {**self.__dict__, "source": ParserSource.of(self.source),
                "selectors": SimpleNamespace(**dict(self.selectors))}

    @classmethod
    def applies_to(cls, page: Page) -> bool:
        return True

    def version_for(self, page: Page) -> SourceParser:
        for version in self._versions:
            if version.applies_to(page):
                return version
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
        """Article links of a listing page, with the title and teaser shown beside each.

        Linear in the page's size: cards and teasers are looked up in indexes built in one pass,
        and each card is read once, however many links it holds."""
        anchors = page.tree.css(self.selectors.links or "a[href]")
        cards = {node.mem_id for node in page.tree.css(self.card)} if self.card else None
        teasers = _first_match_within(page, self.selectors.teaser)
        dates = _first_match_within(page, self.card_date)
        read: dict[int, tuple[str | None, datetime | None]] = {}  # card -> (teaser, date)
        links: dict[str, Link] = {}
        for anchor in anchors:
            url = page.absolute(anchor.attributes.get("href"))
            if not url or not self.is_article_url(url):
                continue
            # fix_text: pages are decoded without ftfy, so a listing's mojibake is mended here
            title = fix_text(anchor.text(deep=True, separator=" ")) or None
            card = self._card_of(anchor, cards, teasers)
            teaser, date = None, self.link_date(url)
            if card is not None:
                if card.mem_id not in read:
                    node, date_node = teasers.get(card.mem_id), dates.get(card.mem_id)
                    read[card.mem_id] = (
                        fix_text(node.text(deep=True, separator=" ")) if node else None,
                        self.date_of_card(date_node) if date_node is not None else None)
                teaser, card_date = read[card.mem_id]
                date = date or card_date
            old = links.get(url)
            links[url] = Link(
                url=url,
                title=(old.title if old and old.title else None) or title,
                teaser=(old.teaser if old and old.teaser else None) or teaser or None,
                published_at=(old.published_at if old else None) or date,
                seen_on=page.url,
            )
        return list(links.values())

    def _card_of(self, anchor: LexborNode, cards: set[int] | None,
                 teasers: dict[int, LexborNode]) -> LexborNode | None:
        """The smallest ancestor of a link (up to 5 levels) that is a card (`card`, the ids of
        the page's card elements) or, without one, that holds a teaser (`teasers`)."""
        node = anchor
        for _ in range(5):
            node = node.parent
            if node is None or node.tag in ("body", "html"):
                return None
            if cards is not None:
                if node.mem_id in cards:
                    return node
            elif node.mem_id in teasers:
                return node
        return None

    def date_of_card(self, node: LexborNode) -> datetime | None:
        """The date a listing card shows, read from its first `card_date` element."""
        return parse_date(node.attributes.get("datetime"))

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
        """`find(page).found`: the article on `page`, a Teaser for a partial copy, None for no
        article. A shorthand for tests and scripts; the crawl reads `find`, which says why."""
        return self.find(page).found

    def find(self, page: Page) -> Parsed:
        """What `page` holds: its article, a partial copy, or nothing (no title, no body).

        An aggregator's page that gives only the start of another paper's article and sends
        the reader to it ("Lire la suite dans l'Indépendant", "… suite de l'article sur Le 22
        Septembre") is a partial copy: it comes back as a Teaser of the original (its text the
        lead and body shown, its link the "suite" link when there is one), never as an Article.
        A source module overrides the field methods, not this.
        """
        parser = self.version_for(page)
        title = parser.read_once(page, "title")
        lead = parser.read_once(page, "lead")
        paragraphs = list(parser.read_once(page, "body_paragraphs"))
        authors = parser.authors(page)
        publisher = parser.publisher(page)
        read_on = None
        if self.source.aggregator:
            paragraphs, attributed, read_on = split_attribution(paragraphs)
            if not publisher and (attributed or read_on):
                publisher = self.name_publisher(attributed or read_on)
                page.field_sources["publisher"] = FALLBACK  # the body's "Source : X" line
        paragraphs, bylines, teaser_texts = split_trailing_teasers(paragraphs)
        if len(paragraphs) > 1 and looks_like_byline(paragraphs[-1]):
            bylines.append(paragraphs.pop())  # a byline closing the body, nothing after it
        if len(paragraphs) > 1:  # a byline line elsewhere: under the standfirst, in the text
            kept: list[str] = []
            for paragraph in paragraphs:
                (bylines if _is_byline_line(paragraph) else kept).append(paragraph)
            paragraphs = kept
        # an aggregator's author field, or byline, that names the paper is no author
        papers = {publisher_key(p) for p in (publisher, *self.source.known_publishers.values())
                  if p} if self.source.aggregator else set()
        authors = [a for a in authors if publisher_key(a) not in papers]
        if not authors:  # the body's byline (after the filter: "Par L'Essor" under the title)
            authors = _unique(b for b in map(parser.clean_byline, bylines)
                              if b and publisher_key(b) not in papers)
            if len(authors) > 2:  # bylines of a list (related stories), not the article's
                authors = []
            if authors:
                page.field_sources["authors"] = FALLBACK
        # Title and chapeau are stored in their own fields, not repeated as body.
        had_lead = False
        while paragraphs and (paragraphs[0] in (title, lead) or _kicker_and_title(
                paragraphs[0], title)):
            if paragraphs.pop(0) == lead:
                had_lead = True
        if not paragraphs and had_lead and lead:
            # the article is its standfirst alone (a radio interview's page: the chapeau, and
            # the player): that text is its body, not no article
            paragraphs, lead = [lead], None
        body = "\n\n".join(paragraphs)
        if not title or not body:
            return Parsed(missing=tuple(what for what, value in (("title", title), ("body", body))
                                        if not value))
        if read_on is not None:
            return Parsed(copy=self.kept(Teaser(
                source=self.source.name, seen_on=parser.canonical(page), title=title,
                text="\n\n".join(p for p in (lead, body) if p), url=parser.read_on_link(page))))
        teasers = parser.related_teasers(page)
        published = parser.read_once(page, "published")
        known = {t.text for t in teasers}
        teasers += [
            Teaser(source=self.source.name, seen_on=page.url, text=text)
            for text in teaser_texts if text not in known
        ]
        url, key = self.address(parser.canonical(page))
        article = Article(
            source=self.source.name,
            url=url,
            url_key=key,
            title=title,
            lead=lead,
            body=body,
            authors=authors,
            publisher=publisher,
            published_at=published.when if published else None,
            published_precision=published.precision if published else None,
            teasers=[self.kept(t, seen_on=url) for t in teasers],
            # the fields stored as their method reads them (Role.read)
            **{spec.name: getattr(parser, role(spec).read)(page)
               for spec in article_fields("read")},
        )
        article.field_sources = parser.field_sources(page, article)
        return Parsed(article=article)

    def address(self, url: str) -> tuple[str, str]:
        """`url` as kept (crawler.urls.served_url: as served, no tracking tags) and its key
        (url_key, the source's alias hosts read as its host): made once, here, where the
        article and its teasers are made."""
        kept = served_url(url)
        return kept, url_key(kept, host=self.source.host, aliases=self.source.alias_hosts)

    def kept(self, teaser: Teaser, seen_on: str | None = None) -> Teaser:
        """`teaser` with its URLs as kept and its link keyed (see `address`), seen on
        `seen_on` (the article's URL) when given."""
        url, key = self.address(teaser.url) if teaser.url else (None, None)
        return replace(teaser, seen_on=served_url(seen_on or teaser.seen_on), url=url,
                       url_key=key)

    def field_sources(self, page: Page, article: Article) -> dict[str, str]:
        """Which layer filled each filled field of `article` (see SELECTOR ... CODE). A field
        whose method did not say (a source module's own code, or the lead and body, read by a
        selector or the generic fallback) is put down to the selector when the source's
        selector for it matches on the page."""
        found = {}
        for field, attribute in PROVENANCE_FIELDS.items():
            if not getattr(article, attribute):
                continue
            layer = page.field_sources.get(field)
            if layer is None:
                selector = getattr(self.selectors, field, None)
                if selector and page.first(selector) is not None:
                    layer = SELECTOR
                else:
                    layer = FALLBACK if field == "body" else CODE
            found[field] = layer
        return found

    def title(self, page: Page) -> str | None:
        ld = page.article_ld.get("headline")
        title = _pick(page, "title", _clean_text, _lazily(  # the <h1> and <title> searched last
            lambda: (SELECTOR, page.text_of(self.selectors.title)),
            lambda: (JSON_LD, ld if isinstance(ld, str) else None),
            lambda: (META, page.meta.get("og:title")),
            lambda: (META, page.meta.get("twitter:title")),
            lambda: (FALLBACK, page.text_of("h1")),
            lambda: (FALLBACK, page.text_of("title")),
        ))
        if title and self.source.title_prefix:
            rest = re.sub(self.source.title_prefix, "", title, count=1).strip()
            title = rest[:1].upper() + rest[1:] if rest else title
        return title

    def lead(self, page: Page) -> str | None:
        """The chapeau: the site's own selector, else an element marked as one (.chapo and
        the like), else the page's description (JSON-LD, og:, meta) when it is the article's,
        no teaser, and shown on the page outside the body (a summary written for search
        engines and shown nowhere is no chapeau), else a first paragraph set all in bold. A
        description cut from the body (a truncation marker, a word cut, or the body's whole
        opening) is a teaser: most sites fill it with the body's first 150 characters."""
        if self.selectors.lead and (text := _first_text(page.text_of(self.selectors.lead))):
            page.field_sources["lead"] = SELECTOR
            return text  # a selector that misses falls back to the generic layers below
        title = self.read_once(page, "title") or ""
        body = self.read_once(page, "body_paragraphs")
        for node in page.scanned["chapeau"]:  # CHAPEAU_SELECTORS (page.py), in document order
            # read as the body is: a chapeau inside the body is then found equal to its first
            # paragraph (parse drops it from the body)
            # first: a teaser's abstract in a list costs no walk
            if _in_other_block(node, self._holding_article(page)):
                continue
            paragraphs = block_paragraphs(node)
            text = fix_text(" ".join(paragraphs))
            if not _is_chapeau(text, title, body, described=False) and len(paragraphs) > 1:
                # the box holds the article's date and author under its sentences (aerobuzz's
                # "chapo": the standfirst, then "4.02.2022" and "par Bob Fischer")
                sentences = list(itertools.takewhile(ends_sentence, paragraphs))
                text = fix_text(" ".join(sentences))
            if _is_chapeau(text, title, body, described=False):
                page.field_sources["lead"] = FALLBACK
                return text
        ld = page.article_ld.get("description")
        described = [(layer, fix_text(text), key) for layer, text, key in (
            (JSON_LD, ld if isinstance(ld, str) else None, "ld"),
            (META, page.meta.get("og:description"), "og"),
            (META, page.meta.get("description"), "description"),
            (META, page.meta.get("twitter:description"), "twitter")) if text]
        for layer, text, _ in described:
            # _shown last: it reads the whole page's text outside the body
            if (_is_chapeau(text, title, body, described=True) and _not_in_body(text, body)
                    and self._shown(page, text, body)):
                page.field_sources["lead"] = layer
                return text
        bold = self._bold_opening(page, title, body)
        if bold:
            page.field_sources["lead"] = FALLBACK
            return bold
        subtitle = _subtitle(page, title, body, self._holding_article(page))
        if subtitle:
            page.field_sources["lead"] = FALLBACK
            return subtitle
        # a description the page shows whole as a paragraph of its own above the article: a
        # standfirst, however it ends ("…", no full stop), sharing fewer of the article's words
        # (not the site's tagline in the page's header: it shares hardly any)
        seen = set()
        for layer, text, key in described:
            if key == "twitter" or text in seen:
                continue
            seen.add(text)
            if (len(text.split()) >= LEAD_MIN_WORDS and not is_boilerplate(text)
                    and self._shown_above(page, text) and _not_in_body(text, body)
                    and normalize_for_match(text) != normalize_for_match(title)):
                words = set(_long_words(text))  # the article's words last: the whole body
                if words and _shared_words(words, title, tuple(body)) >= (
                        LEAD_MIN_SHARED_SHOWN * len(words)):
                    page.field_sources["lead"] = layer
                    return text
        # last, a paragraph of its own between the headline and the article, whatever its class
        shown = self._standfirst_shown(page)
        if shown and _is_chapeau(shown, title, body, described=False) and _not_in_body(
                shown, body):
            page.field_sources["lead"] = FALLBACK
            return fix_text(shown)
        return None

    def _standfirst_shown(self, page: Page) -> str | None:
        """The generic finder's standfirst: a paragraph of its own between the headline and
        the article (see body.standfirst)."""
        root = page.tree.body or page.tree.root
        return body.standfirst(body.walk(root, pruned=self._removed(page))) if root else None

    def _shown_above(self, page: Page, text: str) -> bool:
        """`text` is the whole of one block of the page before the article (see _shown)."""
        root = page.tree.body or page.tree.root
        if root is None:
            return False
        wanted = normalize_for_match(text)
        return any(abs(len(shown) - len(text)) <= len(text) // 10
                   and normalize_for_match(shown) == wanted
                   for shown in body.above_article(body.walk(root, pruned=self._removed(page))))

    def _shown(self, page: Page, text: str, paragraphs: list[str]) -> bool:
        """`text` (a page description) is shown on the page outside the article's body:
        most of its word trigrams are in the text of the page's other blocks (what the
        generic finder walks: no scripts, no <head>, no nav or aside). A chapeau may be shown
        in other words here and there ("No. 1", "Nummer Eins"); a summary made of the body's
        sentences, shortened, is no chapeau."""
        root = page.tree.body or page.tree.root
        if root is None:
            return False
        shown = page.__dict__.get("_shown_trigrams")
        if shown is None:
            found = body.walk(root, pruned=self._removed(page))
            shown = page.__dict__["_shown_trigrams"] = word_trigrams(
                " ".join(body.outside_article(found)))
        trigrams = word_trigrams(text)
        return bool(trigrams) and len(trigrams & shown) >= LEAD_MIN_SHOWN * len(trigrams)

    def read_once(self, page: Page, field: str) -> Any:
        """self.<field>(page), read once per page: lead() reads the title and body too."""
        read = page.__dict__.setdefault("_read_by_parser", {})
        key = (type(self), field)
        if key not in read:
            read[key] = getattr(self, field)(page)
        return read[key]

    def _bold_opening(self, page: Page, title: str, body: list[str]) -> str | None:
        """The body's first paragraph when all of it is bold (<strong>, <b>): a chapeau."""
        node = self.body_node(page)
        if node is None or not body or not _is_chapeau(body[0], title, body[1:], described=False):
            return None
        for paragraph in node.css("p"):
            text = fold_whitespace(paragraph.text(deep=True, separator=""))
            if not text:
                continue
            bold = fold_whitespace(" ".join(
                b.text(deep=True, separator="") for b in paragraph.css("strong, b")
                if b.parent is None or b.parent.tag not in ("strong", "b")))
            return body[0] if text == body[0] and bold == text else None
        return None

    def body_node(self, page: Page) -> LexborNode | None:
        """The element holding the article: the `body` selector's, else the generic finder's
        best block (see crawler.body; the first when the article spans sibling wrappers)."""
        if self.selectors.body and (node := page.first(self.selectors.body)) is not None:
            return node  # a selector that misses falls back to the generic finder
        root = page.tree.body or page.tree.root
        if root is None:
            return None
        found = body.walk(root, pruned=self._removed(page))
        chosen, _ = body.locate(found)
        return found.nodes[min(chosen)] if chosen else None

    def body_paragraphs(self, page: Page) -> list[str]:
        """The body: the `body` selector's block when it matches; else the generic finder's,
        or JSON-LD articleBody when that is much longer (the page shows a part)."""
        if self.selectors.body:
            node = page.first(self.selectors.body)
            if node is not None:
                return clean_paragraphs(block_paragraphs(node, self.selectors.remove))
        # no selector, or one that misses (a site that changed): the generic finder
        root = page.tree.body or page.tree.root
        found = body.article_paragraphs(root, self._removed(page)) if root else []
        ld_body = page.article_ld.get("articleBody")
        if isinstance(ld_body, str) and len(ld_body) > 1.5 * sum(len(p) for p in found) and (
                _says_more(ld_body, found)):
            return clean_paragraphs(ld_body.split("\n"))
        return clean_paragraphs(found)

    def _holding_article(self, page: Page) -> frozenset[int]:
        """mem_ids of the element holding the article (body_node) and of its ancestors."""
        held = page.__dict__.get("_holding_article")
        if held is None:
            node, ids = self.body_node(page), []
            while node is not None:
                ids.append(node.mem_id)
                node = node.parent
            held = page.__dict__["_holding_article"] = frozenset(ids)
        return held

    def _removed(self, page: Page) -> set[int]:
        """mem_ids of the elements the source's `remove` selectors match."""
        if not self.selectors.remove:
            return set()
        return {n.mem_id for n in page.tree.css(", ".join(self.selectors.remove))}

    def authors(self, page: Page) -> list[str]:
        """The selector's names, else the structured data's (JSON-LD, then <meta>), as
        published: only what is plainly no person is dropped (see `clean_author`)."""
        def names(texts: Iterable[str]) -> list[str | None]:
            # entities repaired first: "Maria &amp; Katerina" is not split at its ";"
            return [self.clean_author(page, n) for t in texts for n in split_names(fix_text(t))]

        meta = page.meta.get("author") or page.meta.get("article:author")
        # read lazily: the fallback's three searches of the whole tree cost 2-3% of a page's
        # extraction, and most pages have their authors in JSON-LD
        layers = _lazily(
            lambda: (SELECTOR, names(page.texts_of(self.selectors.authors))),
            lambda: (JSON_LD, names(_ld_names(page.ld_resolve(page.article_ld.get("author"))))),
            lambda: (META, names([meta] if meta else [])),
            lambda: (META, names(_other_author_meta(page))),
            # the first schema.org microdata author, rel=author link or hCard author (later
            # ones are often the related articles' bylines)
            lambda: (FALLBACK, names(filter(None, [_marked_author(page)]))),
            lambda: (FALLBACK, names(self.shown_byline(page))),
        )
        return _pick(page, "authors", _unique, layers) or []

    def headline(self, page: Page) -> LexborNode | None:
        """The first <h1> that holds the title (a site's logo is an <h1> on some sites), or
        the first <h1> when none does."""
        title = normalize_for_match(self.read_once(page, "title") or "")
        headlines = page.scanned["h1"]
        return next((h for h in headlines if _holds_title(
            _heading_key(h), title)), headlines[0] if headlines else None)

    def shown_byline(self, page: Page) -> list[str]:
        """The names shown under the headline (`under_headline`): after a byline's word ("By
        <a>Jane Doe</a>", "Par Awa Sidibé", "Written by"), or in an element whose class names
        an author or a byline (<span class="author">, `_says_author`), each looking like a
        name, none a job ("Games Editor")."""
        headline = self.read_once(page, "headline")
        if headline is None:
            return []
        after_word = False
        for holder, text in under_headline(headline, self.standfirsts(page)):
            if not _LETTER.search(text):
                continue  # "|", "·", "-" between a byline's word and the names
            if after_word and _ONE_NAME.fullmatch(text):
                return [text]  # "By" then "Daniel"
            if (after_word or _says_author(holder)) and not _ROLE.search(text):
                names = [self.clean_byline(n) for n in split_names(text)]
                if names and all(names):
                    return names
            word = SHOWN_BYLINE_WORD.fullmatch(text)
            if word and word[1]:
                names = [self.clean_byline(n) for n in split_names(word[1])]
                return names if names and all(names) else []
            after_word = bool(word)
        return []

    def standfirsts(self, page: Page) -> tuple[str, ...]:
        """What the page's standfirst may be: its chapeau (`lead`), its description."""
        description = page.meta.get("description") or page.meta.get("og:description")
        return tuple(t for t in (self.read_once(page, "lead"), description) if t)

    def clean_author(self, page: Page, name: str) -> str | None:
        """A name from an author field without its "Par"/"By"; None for the newsroom
        ("Rédaction", "La Rédaction"), a mail address, a URL, or the site's own name."""
        # fix_text: sites escape their JSON-LD as HTML ("Traor&eacute;") or double-encode it
        name = _AUTHOR_PREFIX.sub("", fix_text(name)).strip(" ,;:-–|")
        name = _TRAILING_NOTE.sub("", name) or name  # "Elena Oberholzer (obe)"
        if (not name or NOT_A_PERSON.search(name) or not any(c.isalpha() for c in name)
                or _SLUG.fullmatch(name)):
            return None
        site = {page.meta.get("og:site_name"), *_ld_names(_organisations(
            page.ld_resolve(page.article_ld.get("publisher"))))}
        own = publisher_keys(self.source) | {_name_key(s) for s in site if s}
        return None if _name_key(name) in own else name

    def clean_byline(self, text: str) -> str | None:
        """A byline read from the body: only a line that looks like a name is one."""
        text = BYLINE_PREFIX.sub("", fold_whitespace(text)).strip(" ,;:-–|")
        return text if text and looks_like_byline(text) else None

    def date_of(self, page: Page, selector: str | None) -> str | None:
        """A date element's machine-readable value (<time datetime>, content=) or its text."""
        node = page.first(selector)
        if node is None:
            return None
        return (node.attributes.get("datetime") or node.attributes.get("content")
                or page.text_of(selector))

    def published(self, page: Page) -> Dated | None:
        """When the article was published, and whether the page gave the time or only the day.

        After the structured dates: a <meta> of another name that says it holds the
        publication date, the date in the URL's path, then the date shown between the
        headline and the text (see `shown_published`). A date read from an element (the
        first <time>, a marked one) more than a day from the URL's day is not taken. A
        JSON-LD datePublished written as text ("Jun 24, 2025") yields to another JSON-LD
        object's ISO one, and comes after the date shown (_MACHINE_DATE), unless the URL
        gives its day: then it is read before the URL's day (it may give the time)."""
        time = page.first_scanned("time")  # time[datetime]
        in_url = url_date(page.url)
        ld = page.article_ld.get("datePublished")
        written = isinstance(ld, str) and not _MACHINE_DATE.match(ld)
        return self._date(page, "published", self.selectors.published, (
            (JSON_LD, _machine_ld_date(page) if written else ld),
            (META, page.meta.get("article:published_time")),
            (META, page.meta.get("og:published_time")),
            (META, page.meta.get("datepublished")),
            (META, page.meta.get("pubdate")),
            (META, page.meta.get("date")),
            (FALLBACK, _agreeing(time.attributes.get("datetime") if time is not None else None,
                                 in_url)),
        ), lambda: (META, _published_meta(page)),
            lambda: (FALLBACK, _agreeing(_marked_published(page), in_url)),
            lambda: (JSON_LD, _agreeing(ld, in_url) if written and in_url else None),
            lambda: (FALLBACK, in_url),
            lambda: (FALLBACK, self.shown_published(page)),
            lambda: (FALLBACK, _classed_date(page)),
            lambda: (META, _dublin_core_date(page)),
            lambda: (JSON_LD, ld if written else None))

    def shown_published(self, page: Page) -> Dated | None:
        """The date shown with the headline (`headline`): between it and the article's text,
        else just above it (see `shown_with`). When no <h1> holds the title, the lower
        heading that does is read first, then the first <h1>."""
        headline = self.read_once(page, "headline")
        title = normalize_for_match(self.read_once(page, "title") or "")
        standfirsts = self.standfirsts(page)
        if headline is not None and (not title or _holds_title(
                _heading_key(headline), title)):
            return shown_with(headline, standfirsts)
        # no <h1> holds the title: the lower heading that does (a page without an <h1>, or
        # whose <h1> is the site's, shows its headline in an <h2>, an <h4>), then the first <h1>
        lower = next((h for h in page.tree.css("h2, h3, h4, h5, h6") if _holds_title(
            _heading_key(h), title)), None) if title else None
        return next((dated for h in (lower, headline) if h is not None
                     if (dated := shown_with(h, standfirsts))), None)

    def updated(self, page: Page) -> datetime | None:
        dated = self._date(page, "updated", self.selectors.updated, (
            (JSON_LD, page.article_ld.get("dateModified")),
            (META, page.meta.get("article:modified_time")),
            (META, page.meta.get("og:updated_time")),
        ))
        return dated.when if dated else None

    def _date(self, page: Page, field: str, selector: str | None,
              generic: tuple[tuple[str, Any], ...],
              *fallbacks: Callable[[], tuple[str, Any]]) -> Dated | None:
        """The configured selector's date, else the first generic one that states its zone,
        else the first generic one at all, else the first of `fallbacks` (read lazily, in
        order) that gives one. A time without a zone is Bamako's, i.e. UTC: a page that gives
        it both ways ("2023-04-28 18:11:01.0" in JSON-LD, "…T18:11:01+02:00" in <meta>) is
        read by the one that says which."""
        candidates = [c for c in generic if isinstance(c[1], str) and c[1].strip()]
        zoned = [c for c in candidates if gives_zone(c[1])]
        layers = itertools.chain(((SELECTOR, self.date_of(page, selector)), *zoned, *candidates),
                                 _lazily(*fallbacks))
        dated = _pick(page, field, _dated_of_text, layers)
        if dated is not None and not dated.offset and dated.precision == "minute":
            # the instant in UTC ("2019-10-18T22:04:00Z" in JSON-LD) and in the site's zone
            # elsewhere ("Sat, 19 Oct 2019 00:04:00 +0200" in <meta>): the same instant, on
            # the day the site printed (Dated.local_day)
            zones = (d.offset for _, text in zoned if (d := parse_dated(text))
                     and d.offset and d.when == dated.when)
            dated = next((replace(dated, offset=offset) for offset in zones), dated)
        return dated

    def section(self, page: Page) -> str | None:
        ld = page.article_ld.get("articleSection")
        if isinstance(ld, list):
            ld = ld[0] if ld else None
        return _pick(page, "section", _clean_text, (
            (SELECTOR, page.text_of(self.selectors.section)),
            (META, page.meta.get("article:section")),
            (JSON_LD, ld if isinstance(ld, str) else None),
        ))

    def tags(self, page: Page) -> list[str]:
        metas = [n.attributes.get("content") or "" for n in page.metas
                 if n.attributes.get("property") == "article:tag"]  # meta[property="article:tag"]
        keywords = page.article_ld.get("keywords")
        if isinstance(keywords, str):
            keywords = keywords.split(",")
        # fix_text: pages are decoded without ftfy, so a tag's mojibake is mended here
        return _pick(page, "tags", lambda tags: _unique(map(fix_text, tags)), (
            (SELECTOR, page.texts_of(self.selectors.tags)),
            (META, metas),
            (JSON_LD, [k for k in keywords or [] if isinstance(k, str)]),
        )) or []

    def image(self, page: Page) -> str | None:
        src = None
        node = page.first(self.selectors.image)
        if node is not None:
            src = node.attributes.get("src") or node.attributes.get("data-src")
            src = src or node.attributes.get("content") or node.attributes.get("href")
        return _pick(page, "image", page.absolute, (
            (SELECTOR, src),
            (META, page.meta.get("og:image") or page.meta.get("twitter:image")),
            (JSON_LD, _ld_url(page.ld_resolve(page.article_ld.get("image")))),
        ))

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
        """The page's address to keep: its own canonical link when that is on the source's
        hosts (on the page's host, with the scheme the page was served on: http-only sites
        often declare https), else the URL it was served at, after redirects."""
        node = page.first_scanned("link")  # link[rel="canonical"]
        href = node.attributes.get("href") if node is not None else None
        found = page.absolute(href) or page.absolute(page.meta.get("og:url"))
        # A canonical pointing off the source's hosts is a site misconfiguration: keep our URL.
        if found and self.source.is_article_url(found):
            return same_scheme_as_served(found, page.url)
        return page.url

    def related_teasers(self, page: Page) -> list[Teaser]:
        """Teasers in the page's related-articles block, with their links. None generically."""
        return []


# Containers whose text is about other articles or the site, never this one's chapeau.
_OTHER_BLOCK = re.compile(
    r"related|similaire|widget|sidebar|teaser|card|menu|comment|author|bio|sabox", re.I)
LEAD_MIN_WORDS = 8
# A description shares most of its longer words with the article it describes; a site's
# tagline shown on every page does not.
LEAD_MIN_SHARED = 0.6
# ... and a description shown whole above the article, a third.
LEAD_MIN_SHARED_SHOWN = 1 / 3
# A description is shown on the page when this share of its word trigrams is in the page's text.
LEAD_MIN_SHOWN = 0.6


def _in_other_block(node: LexborNode, holding: frozenset[int] = frozenset()) -> bool:
    """Inside a link, an aside, nav or footer, or a related-articles, widget or author box; a
    teaser or card, unless it links nowhere (gdp.de's standfirst, `p.abstract` in the
    article header's `div.teaser`: a teaser of another article links to it). Not an element
    holding the article (`holding`: mem_ids): a page wrapped in "wsmenucontainer" or
    "site__main--no-sidebar" holds no other article's box."""
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html"):
        if parent.mem_id in holding:
            return False  # the article's own wrappers, and the page's above them
        if parent.tag in ("a", "aside", "nav", "footer"):
            return True
        found = _OTHER_BLOCK.search(parent.attributes.get("class") or "")
        if found and (found.group().lower() not in ("teaser", "card")
                      or parent.css_first("a[href]") is not None):
            return True
        parent = parent.parent
    return False


def _is_byline_line(paragraph: str) -> bool:
    return len(paragraph) <= BYLINE_LINE_CHARS and BYLINE_LINE.fullmatch(paragraph) is not None


def _kicker_and_title(paragraph: str, title: str | None) -> bool:
    """`paragraph` is the title as the page's heading shows it, after a kicker ("Premiere in
    Eisenhüttenstadt - DDR-Hotel Lunik öffnet ..."): it ends with the title, after a dash or a
    colon, and the kicker is shorter than the title."""
    if not title or len(paragraph) > 2 * len(title) or not paragraph.endswith(title):
        return False
    kicker = paragraph[: -len(title)].rstrip()
    return bool(kicker) and kicker[-1] in ":-–—|" and len(kicker) < len(title)


def _subtitle(page: Page, title: str, body: list[str],
              holding: frozenset[int] = frozenset()) -> str | None:
    """The heading right after the title's <h1> (its next element), when it reads as a
    standfirst: a <h2> of a sentence's length, full stop or not ("In den Vereinigten Staaten
    trommeln Aktivisten ... und warnen Vermieter"), on the article's words, outside the body."""
    wanted = normalize_for_match(title)
    if not wanted:
        return None
    for h1 in page.scanned["h1"]:
        # the title as the page shows it ("» ... «"), without the site's name the <title> adds
        heading = normalize_for_match(fold_whitespace(h1.text(deep=True, separator=" ")))
        if not heading or (heading not in wanted and wanted not in heading):
            continue
        after = h1.next
        while after is not None and (after.tag == "-text" and not (after.text_content or
                                                                    "").strip()
                                     or after.tag == "-comment"):
            after = after.next
        if after is None or after.tag != "h2":
            return None
        text = fold_whitespace(after.text(deep=True, separator=" "))
        if (len(text.split()) < LEAD_MIN_WORDS or is_boilerplate(text)
                or _in_other_block(after, holding) or not _not_in_body(text, body)
                or normalize_for_match(text) == wanted):
            return None
        words = set(_long_words(text))
        shared = _shared_words(words, title, tuple(body))
        return text if words and shared >= LEAD_MIN_SHARED_SHOWN * len(words) else None
    return None


def _is_chapeau(text: str, title: str, body: list[str], *, described: bool) -> bool:
    """`text` can be the chapeau of the article (`title`, `body` paragraphs): a whole sentence
    or more, not the title, not a teaser. A page description (`described`) must also be the
    article's: sharing most of its longer words with it, and not the body's opening."""
    if len(text.split()) < LEAD_MIN_WORDS or not ends_sentence(text) or is_boilerplate(text):
        return False
    if normalize_for_match(text) == normalize_for_match(title):
        return False
    stripped, marked = strip_truncation(text)
    if marked and (stripped + "." != text or text.endswith("..")):  # "…", "[…]", "..": cut
        return False
    if not described:
        return True
    opening = "\n\n".join(body)[: len(text) + 200]
    if opening and is_truncation_of(text, opening):
        return False  # the body's start, cut or whole: what a teaser shows
    words = set(_long_words(text))
    return bool(words) and _shared_words(words, title, tuple(body)) >= LEAD_MIN_SHARED * len(words)


def _says_more(ld_body: str, found: list[str]) -> bool:
    """JSON-LD's articleBody holds text the page's body lacks, as much as half of it again
    (the page shows a part), not only more characters: some sites publish the text twice
    over in articleBody (Corriere della Sera), or the body with its captions."""
    shown = word_trigrams(" ".join(found))
    return len(word_trigrams(ld_body) - shown) >= _LD_BODY_MORE * max(len(shown), 1)


_LD_BODY_MORE = 0.5


def _not_in_body(text: str, paragraphs: list[str]) -> bool:
    """`text` (a page's description) is no run of the body's words: the body's own sentences
    with other dashes or quotes ("HANOI (AP) -" for "HANOI (AP) —") are no chapeau."""
    words = _word_run(text)
    if not words:
        return False
    # a word the body's text lacks, even inside a longer word: no run of the body's words
    # (the word run of the whole body, a regex over it, is read only when each word is there)
    paragraphs = tuple(paragraphs)
    folded = _folded_body(paragraphs)
    if any(word not in folded for word in words.split()):
        return True
    return words not in _body_word_run(paragraphs)


@functools.lru_cache(maxsize=4)
def _folded_body(body: tuple[str, ...]) -> str:
    return " ".join(body).casefold()


def _shared_words(words: set[str], title: str, body: tuple[str, ...]) -> int:
    """How many of `words` (_long_words of a description) are words of the article (`title`
    and `body`): each is looked for in the article's text (str.find) rather than all the
    article's words read by a regex (~40% of the article's words' cost, see _article_text)."""
    text = _article_text(title, body)
    return sum(1 for word in words if _has_word(text, word))


# A page's lead tries up to four descriptions against the same title and body: their text is
# normalised once (7% of a page's extraction when read per description).
@functools.lru_cache(maxsize=4)
def _article_text(title: str, body: tuple[str, ...]) -> str:
    return normalize_for_match(" ".join([title, *body]), keep_accents=False)


def _has_word(text: str, word: str) -> bool:
    """`word` (word characters only) is a whole word of `text`: a run of word characters
    (re's \\w: str.isalnum() or "_") that no other word character touches, as _long_words
    reads the words of a text."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or not _is_word_char(text[start - 1])) and (
                end == len(text) or not _is_word_char(text[end])):
            return True
        start = text.find(word, start + 1)
    return False


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


@functools.lru_cache(maxsize=4)
def _body_word_run(body: tuple[str, ...]) -> str:
    return _word_run(" ".join(body))


def _word_run(text: str) -> str:
    """The words of `text`, casefolded, one space apart (punctuation and dashes dropped): a
    description cut mid-word loses its last word."""
    words = re.findall(r"\w+", text.casefold())
    if words and not ends_sentence(text):
        words.pop()
    return " " + " ".join(words) + " " if words else ""


def _long_words(text: str) -> list[str]:
    """The words of five letters or more (whole runs of word characters, no part of one)."""
    return _LONG_WORD.findall(normalize_for_match(text, keep_accents=False))


_LONG_WORD = re.compile(r"\w{5,}")


def _first_text(*candidates: str | None) -> str | None:
    for candidate in candidates:
        if isinstance(candidate, str):
            text = fix_text(candidate)
            if text:
                return text
    return None


def _clean_text(candidate: Any) -> str | None:
    return (fix_text(candidate) or None) if isinstance(candidate, str) else None


def _dated_of_text(candidate: Any) -> Dated | None:
    if isinstance(candidate, Dated):
        return candidate
    return parse_dated(candidate) if isinstance(candidate, str) else None


# <meta> names of a publication date besides those `published` asks first, as sites and CMSs
# write them: "published", "publish-date", "w-published-date", "article.published",
# "parsely-pub-date", "citation_publication_date", Dublin Core's "dc.date.issued" (not its
# "dc.date", any date of the document's life: a journal's gives the online-first day, its page
# the issue's); not a publisher, nor an update's or an expiry's date.
_PUBLISHED_META = re.compile(r"publish|publication|pub-?date|^(?:dc|dcterms)\.(?:date\.)?issued$")
_NOT_PUBLISHED_META = re.compile(r"publisher|modif|updat|expir|revis")


def _published_meta(page: Page) -> str | None:
    """The first <meta> whose name says it holds the publication date (_PUBLISHED_META) and
    whose value reads as a date with its year ("parsely-pub-date", "publication" may name a
    newspaper: such values are not given to the full date parser)."""
    for key, value in page.meta.items():
        if (_PUBLISHED_META.search(key) and not _NOT_PUBLISHED_META.search(key)
                and _YEAR.search(value) and parse_dated(value)):
            return value
    return None


# <meta> names of the article's authors besides "author" and "article:author", as analytics and
# share tools write them (Parse.ly, Sailthru, Cxense, Shareaholic, Twitter's "Written by", the
# New York Times's "byl"); not Dublin Core's creator (a site's own name as often as a
# person's), twitter:creator (an account) nor citation_author ("Kaufman, Jeff T.").
AUTHOR_METAS = ("parsely-author", "sailthru.author", "cxenseparse:author", "og:article:author",
                "og:author", "article:author_name", "byl", "twitter:misc:written by",
                "shareaholic:article_author_name")


def _other_author_meta(page: Page) -> list[str]:
    """The first AUTHOR_METAS <meta> the page has, as a list of one text."""
    return next(([page.meta[name]] for name in AUTHOR_METAS if page.meta.get(name)), [])


def _dublin_core_date(page: Page) -> str | None:
    """Dublin Core's date ("DC.Date", "dcterms.date"): a date of the document's life, not
    always its publication's (a journal's gives the online-first day, its page the issue's),
    so read after the dates the page shows, where a page shows none."""
    return page.meta.get("dc.date") or page.meta.get("dcterms.date")


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# What a date shown with its year holds: the year, or a day and month with a two-digit year
# ("Do 25.04.24 | 14:07 Uhr").
_SHOWN_YEAR = re.compile(
    r"(?<!\d)(?:19|20)\d{2}(?!\d)|(?<![\d.])\d{1,2}\.\d{1,2}\.\d{2}(?![\d.])")
_LETTER = re.compile(r"[^\W\d_]")


# Elements marked as the publication date in the page's markup: schema.org microdata on any
# element (<span itemprop="datePublished">), microformats (hAtom's <abbr class="published"
# title=...>, h-entry's dt-published), WordPress's <time class="entry-date published">.
MARKED_PUBLISHED = ('[itemprop="datePublished"], .dt-published, abbr.published, time.published, '
                    '.published[title]')


def _marked_published(page: Page) -> str | None:
    """The machine-readable value (datetime, content, title) of the first element marked as
    the publication date (MARKED_PUBLISHED), else its text when short."""
    node = page.first(MARKED_PUBLISHED)
    if node is None:
        return None
    attributes = node.attributes
    value = attributes.get("datetime") or attributes.get("content") or attributes.get("title")
    if value and value.strip():
        return value
    text = node_text(node)
    return text if len(text) <= SHOWN_DATE_CHARS else None


# An element whose class says it shows a date ("post-date", "entry-date", "uploaded-date",
# "articleDateBlock"), not an update's ("updated", "date-modified") nor a word that holds the
# letters ("validate", "candidate", "mandate").
_DATE_CLASS = '[class*="date" i]'
_NOT_DATE_CLASS = re.compile(r"updat|modif|validat|candidat|mandat", re.IGNORECASE)
CLASSED_DATES = 20  # the elements read, at most


def _classed_date(page: Page) -> Dated | None:
    """The date shown alone (`shown_date`: with its year, few words besides, no update's
    label) in the first short element whose class names a date (_DATE_CLASS) and whose
    class's other elements, if any, show the same text: what a page without structured dates
    and without a date by its headline shows in its post's metadata, in a sidebar's
    "Published" box. A class that date elements of different texts share is a list's (teaser
    cards, related posts, a sidebar's recent posts, a wiki's references), whose dates are
    other articles'; one shown twice with the same text is the article's box printed for
    desktop and for mobile. Read before a JSON-LD date written as text."""
    marked = [(cls, node_text(node)) for node in page.tree.css(_DATE_CLASS)
              if not _NOT_DATE_CLASS.search(cls := node.attributes.get("class") or "")]
    texts: dict[str, set[str]] = {}
    for cls, text in marked:
        texts.setdefault(cls, set()).add(text)
    alone = (text for cls, text in marked if len(texts[cls]) == 1)
    for text in itertools.islice(alone, CLASSED_DATES):
        if text and len(text) <= SHOWN_DATE_CHARS and _SHOWN_YEAR.search(text):
            dated = shown_date(text)
            if dated:
                return dated
    return None


# A date as a URL's path gives it: "/2016/02/09/slug" (WordPress), "/articles/2025-12-15-slug",
# a segment opening with the day's eight digits ("/20220127-weremember", "/20030331_Rede2.html");
# day first, as European sites write it: a segment that is the day ("/meldungen/29-10-2021") or
# opens with it ("/23-01-2022-dorothea-wierer", "/08112021-online-fachtag").
_URL_DATE = re.compile(
    r"/(?P<y1>(?:19|20)\d{2})/(?P<m1>\d{1,2})/(?P<d1>\d{1,2})(?:/|$)"
    r"|/(?P<y2>(?:19|20)\d{2})-(?P<m2>\d{2})-(?P<d2>\d{2})(?=[/_+-]|$)"
    r"|/(?P<y3>(?:19|20)\d{2})(?P<m3>\d{2})(?P<d3>\d{2})(?=[_-])"
    r"|/(?P<d4>\d{2})-(?P<m4>\d{2})-(?P<y4>(?:19|20)\d{2})(?=[/_+-]|$)"
    r"|/(?P<d5>\d{2})(?P<m5>\d{2})(?P<y5>(?:19|20)\d{2})(?=[_-])")


def url_date(url: str) -> str | None:
    """The day a URL's path gives as year, month and day ("2016-02-09"), or None."""
    found = _URL_DATE.search(urlsplit(url).path)
    if found is None:
        return None
    form = next(i for i in "12345" if found[f"y{i}"])
    year, month, day = (int(found[f"{part}{form}"]) for part in "ymd")
    try:
        return datetime(year, month, day).date().isoformat()
    except ValueError:
        return None


# A date as schema.org asks for it, ISO 8601 ("2025-06-24", "2025-06-24T10:00:00Z"): a
# JSON-LD date written otherwise ("Jun 24, 2025") is a template's text, often the day the
# page was last published (Webflow's "Published On"), and comes after the date shown.
_MACHINE_DATE = re.compile(r"\s*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}")


def _machine_ld_date(page: Page) -> str | None:
    """The first ISO 8601 datePublished of the page's other JSON-LD objects (a site that
    writes its article's as text may give the WebPage's as the standard asks)."""
    return next((value for item in page.json_ld if isinstance(
        value := item.get("datePublished"), str) and _MACHINE_DATE.match(value)), None)


def _agreeing(value: str | None, in_url: str | None) -> str | None:
    """`value`, a date read from an element of the page, unless the URL gives a day
    (`url_date`) more than a day away from it: the element is then another article's (the
    first <time> of a page is often a related article's)."""
    if not value or in_url is None:
        return value
    dated = parse_dated(value)
    if dated is None:
        return None
    away = abs(dated.when.date() - datetime.fromisoformat(in_url).date())
    return value if away <= _A_DAY else None


_A_DAY = timedelta(days=1)


# A text of the page this long, or a short one that ends a sentence of SENTENCE_WORDS words or
# more, is a sentence of the article: the date shown with the headline comes before it (a
# short one right under the headline is a standfirst, the date may follow it). A text holding
# a date shown alone is short: the date, maybe a label ("Published on"), a name ("By Jane Doe
# ·") and a time.
SENTENCE_CHARS = 150
SENTENCE_WORDS = 6
SHOWN_DATE_CHARS = 80
SHOWN_DATE_TEXTS = 40  # the texts read after the headline, at most
_NO_SHOWN_TEXT = frozenset({"script", "style", "template", "noscript", "select", "option"})


def _texts_after(node: LexborNode) -> Iterator[tuple[LexborNode, str]]:
    """The texts that follow `node` in document order (not those inside it), each with the
    element holding it: stripped, empty ones and what scripts and styles hold left out."""
    while True:
        following = node.next
        while following is None:
            node = node.parent
            if node is None or node.tag in ("body", "html"):
                return
            following = node.next
        node = following
        yield from _texts_of(node)


# A byline's words shown under a headline, alone or before the names: "By", "Par", "Written
# by", "Publié par", "Veröffentlicht von", "Von", "Por", "Auteur :"
SHOWN_BYLINE_WORD = re.compile(
    r"(?i:(?:written|posted|published)\s+by|by|(?:publié|rédigé|écrit)\s+par|par"
    r"|(?:veröffentlicht|geschrieben|verfasst)\s+von|von|(?:escrito|publicado)\s+por|por|door"
    r"|di|auteur\s*:|author\s*:)\s*:?\s*(.*)")  # "Von: Jane Doe"
_AUTHOR_CLASS = re.compile(r"author|byline|auteur", re.IGNORECASE)
_NOT_AUTHOR_CLASS = re.compile(r"tag|categor|date|time|title|role|job", re.IGNORECASE)
# A job shown beside the name, not a name: "Games Editor", "Staff Writer", "Rédacteur en chef".
_ROLE = re.compile(r"\b(?:editor|writer|reporter|correspondent|contributor|columnist|journalist"
                   r"|staff|r[ée]dact|correspondant|redakteur|autorin|chef)", re.IGNORECASE)
# One name alone, after a byline's word: "Daniel", "AFP".
_ONE_NAME = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]{1,30}")


# Elements marked as the author in the markup, in the order they are read: schema.org
# microdata, a rel=author link, an hCard author (`.vcard.author .fn`, SPIP's and WordPress
# themes' byline). Found in one pass over the page (one css() each cost 1-2% of a page's
# extraction on pages that reach them).
_HCARD_AUTHOR = ".vcard.author .fn, .byline .vcard .fn"
_MARKED_AUTHOR = f'[itemprop="author"], a[rel="author"], {_HCARD_AUTHOR}'


def _marked_author(page: Page) -> str | None:
    """The first schema.org microdata author (its `name` if marked), else the first rel=author
    link, else the first hCard author's name that is no link to the site's home page (a
    blog's header marked as the author's hCard names the blog: "<h1 class="vcard author">
    <a href="/" class="fn">"). Later ones are often the related articles' bylines."""
    microdata = link = hcard = None
    for node in page.tree.css(_MARKED_AUTHOR):
        if _in_comment(node):
            continue  # a reader's comment: its author is no author of the article
        if microdata is None and node.attributes.get("itemprop") == "author":
            microdata = node
        elif link is None and node.tag == "a" and node.attributes.get("rel") == "author":
            link = node
        elif hcard is None and node.css_matches(_HCARD_AUTHOR):
            href = node.attributes.get("href")
            if href is None or urlsplit(page.absolute(href) or "").path.strip("/"):
                hcard = node
    if microdata is not None:
        name = microdata.css_first('[itemprop="name"]')
        microdata = name if name is not None else microdata
    return next((node_text(n) for n in (microdata, link, hcard)
                 if n is not None and node_text(n)), None)


_COMMENT = re.compile(r"comment", re.IGNORECASE)


def _in_comment(node: LexborNode) -> bool:
    """True when `node` is, or is inside, an element whose class or id names a comment
    ("comment-author", "comments", "commentlist")."""
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html"):
        attributes = current.attributes
        if _COMMENT.search(f"{attributes.get('class') or ''} {attributes.get('id') or ''}"):
            return True
        current = current.parent
    return False


def _says_author(node: LexborNode) -> bool:
    """`node`'s class, or its parent's, names an author or a byline; not when `node`'s own
    class says it is something else in an author's box (a tag link, a date, a title)."""
    own = node.attributes.get("class") or ""
    if _AUTHOR_CLASS.search(own):
        return True
    parent = node.parent
    return (parent is not None and not _NOT_AUTHOR_CLASS.search(own)
            and bool(_AUTHOR_CLASS.search(parent.attributes.get("class") or "")))


def _is_sentence(text: str) -> bool:
    return ends_sentence(text) and len(text.split()) >= SENTENCE_WORDS


def _heading_key(heading: LexborNode) -> str:
    """A heading's text as `_holds_title` compares it: without soft hyphens (German
    government CMSs hyphenate their headlines: "Mes\u00adsen\u00adger\u00addiens\u00adte")."""
    return normalize_for_match(node_text(heading).replace("\u00ad", ""))


def _holds_title(headline: str, title: str) -> bool:
    """The <h1>'s text is the title, or most of it ("Title" of "Title – Site")."""
    return bool(headline) and bool(title) and (
        title in headline or (headline in title and 2 * len(headline) >= len(title)))


def _texts_before(node: LexborNode, levels: int = 2) -> Iterator[tuple[LexborNode, str]]:
    """The texts before `node` within its parent and, up to `levels`, its parent's parent,
    nearest first: what a headline's block shows above it. An element with a sentence's
    length of text ends them: what is above it is no part of the headline's block (a menu, a
    list of articles)."""
    for _ in range(levels):
        sibling = node.prev
        while sibling is not None:
            if len(sibling.text(deep=True, strip=True)) >= SENTENCE_CHARS:
                return
            yield from reversed(list(_texts_of(sibling)))
            sibling = sibling.prev
        node = node.parent
        if node is None or node.tag in ("body", "html"):
            return


def _texts_of(node: LexborNode) -> Iterator[tuple[LexborNode, str]]:
    for inner in node.traverse(include_text=True):
        if inner.tag != "-text":
            continue
        text = (inner.text_content or "").strip()
        parent = inner.parent
        if text and parent is not None and parent.tag not in _NO_SHOWN_TEXT:
            yield parent, text


def under_headline(headline: LexborNode, standfirsts: Iterable[str] = ()
                   ) -> Iterator[tuple[LexborNode, str]]:
    """The texts between the headline and the article's text (each with the element holding
    it), up to SHOWN_DATE_TEXTS: they end before a text long enough to be a sentence of the
    article, and after a short sentence (but one right under the headline: a standfirst).
    A long text right under the headline that opens as one of `standfirsts` (the page's
    chapeau, its description) is the standfirst, passed over, as is the same text printed
    again (for wide and narrow screens): the byline and date may follow it."""
    openings = [o for s in standfirsts if len(o := _opening(s)) >= 30]
    first = True
    standfirst = None
    for holder, text in itertools.islice(_texts_after(headline), SHOWN_DATE_TEXTS):
        if len(text) >= SENTENCE_CHARS:
            if text == standfirst or (first and any(
                    _opening(text).startswith(o) for o in openings)):
                first = False
                standfirst = text
                continue
            return
        yield holder, text
        if _is_sentence(text) and not first:
            return
        first = False


def _opening(text: str) -> str:
    """The first 60 characters of `text` as matched (see normalize_for_match): a
    description cut short, or a chapeau, opens as the standfirst shown does."""
    return normalize_for_match(text)[:60]


def shown_with(headline: LexborNode, standfirsts: Iterable[str] = ()) -> Dated | None:
    """The date shown with the headline: in the first short text `under_headline` that holds
    a date with its year ("Le 3 mars 2020, le gouvernement a ..." is a sentence, not read),
    else in the nearest such text above the headline in its block (an "eyebrow": "Jane Doe -
    June 12, 2025" over the title). A date labelled as an update's ("Last updated: July 9,
    2025") is skipped."""
    before = ""
    for _, text in under_headline(headline, standfirsts):
        if len(text) <= SHOWN_DATE_CHARS and _SHOWN_YEAR.search(text):
            dated = shown_date(text, before)
            if dated:
                return dated
        before = text
    for _, text in itertools.islice(_texts_before(headline), SHOWN_DATE_TEXTS):
        if len(text) >= SENTENCE_CHARS:
            return None
        if len(text) <= SHOWN_DATE_CHARS and _SHOWN_YEAR.search(text):
            dated = shown_date(text)  # its label, if any, is inside it or above it
            if dated:
                return dated
    return None


def _pick(page: Page, field: str, convert: Callable[[Any], Any],
          layers: Iterable[tuple[str, Any]]) -> Any:
    """The first layer's value that `convert` turns into something non-empty, recording on
    the page which layer gave it (`Page.field_sources`); None when no layer gives one."""
    for layer, raw in layers:
        value = convert(raw) if raw is not None else None
        if value:
            page.field_sources[field] = layer
            return value
    return None


def _lazily(*layers: Callable[[], tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    """`_pick`'s layers, each read only when those before it gave nothing."""
    return (layer() for layer in layers)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _first_match_within(page: Page, selector: str | None) -> dict[int, LexborNode]:
    """For every element that is or holds a match of `selector`, its first match in document
    order, keyed by the element's mem_id. One pass: each match marks its ancestors up to the
    first one already marked (marked by an earlier match), so each element is marked once.
    Asking every link's ancestors in turn instead searches a container once per link: 20,000
    links in one container with no teaser took 48 s."""
    first: dict[int, LexborNode] = {}
    if not selector:
        return first
    for match in page.tree.css(selector):
        node: LexborNode | None = match
        while node is not None and node.mem_id not in first:
            first[node.mem_id] = match
            node = node.parent
    return first
