"""Page: one parsed response (selectolax tree, <meta> tags, JSON-LD), built once per response."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler import body
from crawler.text import fold_whitespace

ARTICLE_LD_TYPES = {
    "newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reportage", "webpage",
}


@dataclass
class Page:
    url: str
    html: str
    tree: LexborHTMLParser = field(repr=False)

    @classmethod
    def from_html(cls, url: str, html: str) -> Page:
        # body.cap_nesting: parsing time grows with the square of the nesting depth
        return cls(url=url, html=html, tree=LexborHTMLParser(body.cap_nesting(html)))

    @cached_property
    def meta(self) -> dict[str, str]:
        """<meta name|property|itemprop=... content=...>, keys lowercased, first value wins."""
        found: dict[str, str] = {}
        for node in self.tree.css("meta[content]"):
            key = node.attributes.get("property") or node.attributes.get("name")
            key = key or node.attributes.get("itemprop")
            value = node.attributes.get("content")
            if key and value and value.strip():
                found.setdefault(key.strip().lower(), value.strip())
        return found

    @cached_property
    def json_ld(self) -> list[dict[str, Any]]:
        """Every JSON-LD object of the page, @graph flattened. Malformed blocks are skipped."""
        objects: list[dict[str, Any]] = []
        for script in self.tree.css('script[type="application/ld+json"]'):
            try:
                data = json.loads(script.text(deep=True, separator=""), strict=False)
            except ValueError:
                continue  # sites ship broken JSON-LD; the other layers still apply
            stack = data if isinstance(data, list) else [data]
            while stack:
                item = stack.pop(0)
                if not isinstance(item, dict):
                    continue
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
        return objects

    @cached_property
    def article_ld(self) -> dict[str, Any]:
        """The JSON-LD object describing the article, or {}."""
        for item in self.json_ld:
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t.lower() in ARTICLE_LD_TYPES for t in types) and (
                item.get("headline") or item.get("articleBody") or item.get("datePublished")
            ):
                return item
        return {}

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
