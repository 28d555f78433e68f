"""Page: one parsed response (selectolax tree, <meta> tags, JSON-LD), built once per response."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler import body
from crawler.text import fold_whitespace

ARTICLE_LD_TYPES = {
    "newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reportage", "backgroundnewsarticle", "reviewnewsarticle",
    "liveblogposting", "satiricalarticle", "webpage",
    # schema.org's other Article types: a post on a social platform or a blog host (Tumblr
    # gives its posts as SocialMediaPosting), a technical or scholarly article, a report
    "socialmediaposting", "techarticle", "scholarlyarticle", "report",
}
# An XHTML page's CDATA markers around its JSON-LD ("<![CDATA[ {...} ]]>", "//<![CDATA[").
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
# The elements every page's generic fields read, found in one pass over the tree (each css()
# walks the whole tree, ~0.2 ms a page): the selectors name different tags, so which one a
# match is for is its tag.
_SCANNED = {"meta": "meta", "script": 'script[type="application/ld+json"]',
            "time": "time[datetime]", "link": 'link[rel="canonical"]', "h1": "h1"}
# Elements that hold the chapeau on sites without a configured selector (extract.py's lead):
# French CMS classes (SPIP's "chapo", "chapeau"), the Newspaper and JNews themes' subtitles,
# "standfirst", TYPO3 news' teaser of the article shown (its microdata description; a list's
# teasers are "teaser-text" too, without it), an "article-excerpt", an "abstract"
# ("contentHeaderHeader__abstract", "m-detail--abstract"), an <h2> "sub-headline" under the
# headline, a "perex" (Czech and Slovak), WordPress's "excerpt", an article's intro box
# ("tb-article-intro", "intro-text", UIkit's "uk-text-lead"). ("intro" alone was tried:
# Postmedia's paywall box, "intro-body__premium", and bundesrat.de's photo credit were taken
# for chapeaux.) Found in the same pass: their own css() cost 6% of a page's extraction.
# Each [class*=...] is a search in every element's class, ~2 ms over scrapinghub's 98 dev
# pages (~1% of their extraction); one behind a tag ("h2[...]") a third of that; a class
# selector ~1 ms.
CHAPEAU_SELECTORS = (
    "[class*=chapo], [class*=chapeau], .td-post-sub-title, .jeg_post_subtitle, .standfirst, "
    ".article-lead, .post-lead, .entry-lead, .teaser-text[itemprop=description], "
    ".article-excerpt, .excerpt, [class*=abstract], h2[class*=sub-headline], div[class*=perex], "
    "div[class*=article-intro], .intro-text, .uk-text-lead"
)
_SCAN = ", ".join([*_SCANNED.values(), CHAPEAU_SELECTORS])
# The tags whose _SCANNED selector is the tag alone, and those never a chapeau (no text shown)
_TAG_ONLY = frozenset({"meta", "h1"})
_NO_TEXT = frozenset({"meta", "script", "link"})


@dataclass
class Page:
    url: str
    html: str
    tree: LexborHTMLParser = field(repr=False)
    # Which layer filled each field read from this page ("title": "json-ld"), written by
    # the parser's field methods as they read it (crawler.extract).
    field_sources: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_html(cls, url: str, html: str) -> Page:
        # body.cap_nesting: parsing time grows with the square of the nesting depth
        return cls(url=url, html=html, tree=LexborHTMLParser(body.cap_nesting(html)))

    @cached_property
    def scanned(self) -> dict[str, list[LexborNode]]:
        """The page's <meta>, JSON-LD <script>, <time datetime>, canonical <link> and <h1>
        elements, each in document order, as the selectors of _SCANNED find them; and under
        "chapeau", the elements CHAPEAU_SELECTORS finds. A node of a scanned tag is checked
        against its own selector when that says more than the tag (a <time class="chapo">
        without datetime is no time[datetime])."""
        found: dict[str, list[LexborNode]] = {tag: [] for tag in _SCANNED}
        chapeaux: list[LexborNode] = []
        last = None
        for node in self.tree.css(_SCAN):
            # lexbor lists a node once per selector it matches, one after the other
            if node.mem_id == last:
                continue
            last = node.mem_id
            tag = node.tag
            scanned = found.get(tag)
            if scanned is None:  # only a chapeau selector finds other tags
                chapeaux.append(node)
                continue
            if tag in _TAG_ONLY or node.css_matches(_SCANNED[tag]):
                scanned.append(node)
            if tag not in _NO_TEXT and node.css_matches(CHAPEAU_SELECTORS):
                chapeaux.append(node)
        found["chapeau"] = chapeaux
        return found

    @property
    def metas(self) -> list[LexborNode]:
        """Every <meta> element, in document order."""
        return self.scanned["meta"]

    def first_scanned(self, tag: str) -> LexborNode | None:
        """The first element of `tag` that _SCANNED's selector for it finds, or None."""
        found = self.scanned[tag]
        return found[0] if found else None

    @cached_property
    def meta(self) -> dict[str, str]:
        """<meta name|property|itemprop=... content=...>, keys lowercased, first value wins."""
        found: dict[str, str] = {}
        for node in self.metas:
            attributes = node.attributes  # a new dict on each read
            if "content" not in attributes:  # meta[content]
                continue
            key = attributes.get("property") or attributes.get("name")
            key = key or attributes.get("itemprop")
            value = attributes.get("content")
            if key and value and value.strip():
                found.setdefault(key.strip().lower(), value.strip())
        return found

    @cached_property
    def json_ld(self) -> list[dict[str, Any]]:
        """Every JSON-LD object of the page, as published: top-level objects, the members of an
        `@graph`, and the object a WebPage names as its `mainEntity`. Malformed blocks are
        skipped."""
        objects: list[dict[str, Any]] = []
        for script in self.scanned["script"]:
            text = script.text(deep=True, separator="")
            if "<![CDATA[" in text:
                text = _CDATA.sub("", text)
            try:
                data = json.loads(text, strict=False)
            except ValueError:
                continue  # sites ship broken JSON-LD; the other layers still apply
            stack = data if isinstance(data, list) else [data]
            while stack:
                item = stack.pop(0)
                if not isinstance(item, dict):
                    continue
                objects.append(item)
                for key in ("@graph", "mainEntity"):
                    nested = item.get(key)
                    stack.extend(nested if isinstance(nested, list) else [nested])
        return objects

    @cached_property
    def ld_by_id(self) -> dict[str, dict[str, Any]]:
        """JSON-LD objects by their `@id`, the fullest one where several share it."""
        found: dict[str, dict[str, Any]] = {}
        for item in self.json_ld:
            key = item.get("@id")
            if isinstance(key, str) and len(item) > len(found.get(key, {})):
                found[key] = item
        return found

    def ld_resolve(self, value: Any) -> Any:
        """`value` with a reference ({"@id": ...} and nothing else that says what it is)
        replaced by the object of the page's graph it names; lists resolved item by item."""
        if isinstance(value, list):
            return [self.ld_resolve(v) for v in value]
        if isinstance(value, dict) and isinstance(value.get("@id"), str) and not (
                value.keys() - {"@id", "@type"}):
            return self.ld_by_id.get(value["@id"], value)
        return value

    @cached_property
    def article_ld(self) -> dict[str, Any]:
        """The JSON-LD object describing the article, or {}: an article type wins over a
        WebPage, which some sites also give a headline and dates."""
        candidates = []
        for item in self.json_ld:
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            names = {t.lower() for t in types if isinstance(t, str)}
            if names & ARTICLE_LD_TYPES and (
                item.get("headline") or item.get("articleBody") or item.get("datePublished")
            ):
                candidates.append((names <= {"webpage"}, item))
        return min(candidates, key=lambda c: c[0], default=(False, {}))[1]

    def first(self, selector: str | None) -> LexborNode | None:
        return self.tree.css_first(selector) if selector else None

    def text_of(self, selector: str | None) -> str | None:
        """Folded text of the first node matching `selector`, or None when missing or empty."""
        node = self.first(selector)
        if node is None:
            return None
        return node_text(node) or None

    def texts_of(self, selector: str | None) -> list[str]:
        if not selector:
            return []
        texts = (node_text(n) for n in self.tree.css(selector))
        return [t for t in texts if t]

    def absolute(self, href: str | None) -> str | None:
        return urljoin(self.url, href.strip()) if href and href.strip() else None


def node_text(node: LexborNode) -> str:
    """Folded text of `node`, without what scripts, styles and templates inside it hold (a
    <script> inside an <h1> is not part of the title)."""
    if node.css_first("script, style, template") is None:
        return fold_whitespace(node.text(deep=True, separator=" "))
    return " ".join(body.all_paragraphs(body.walk(node, mark_unlikely=False)))
