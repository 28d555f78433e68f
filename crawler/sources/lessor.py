"""L'Essor (lessor.ml), the national daily. Custom CMS; older essor.ml pages were WordPress.

Quirks: og:title is just "Lessor", so the title is the <h1>; articles live at
/posts/<slug>-<13 hex>, a PHP uniqid whose first 8 hex digits are the publication time; the
related-articles block shows the first 300 UTF-8 bytes of each chapeau plus "." (a teaser).
The archive also links older articles at www.essor.ml (WordPress, /YYYY/MM/DD/slug/), parsed by
`EssorWordPress`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from crawler.dates import Dated, from_uniqid
from crawler.extract import SourceParser
from crawler.items import Teaser
from crawler.page import Page
from crawler.text import fix_text

UNIQID = re.compile(r"-([0-9a-f]{13})/?$")
WORDPRESS_DAY = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/")  # essor.ml permalinks


class EssorWordPress(SourceParser):
    """The WordPress markup of essor.ml pages (before the custom CMS)."""

    default_selectors = {
        "title": "h1.entry-title", "body": "div.entry-content", "published": "time.entry-date",
        "section": ".cat-links a", "tags": ".tags-links a", "authors": ".author.vcard a",
    }

    @classmethod
    def applies_to(cls, page: Page) -> bool:
        return page.first("div.entry-content") is not None


class Parser(SourceParser):
    default_selectors = {
        "title": "h1",
        "lead": ".chapeau",
        "body": ".post-content",
        "published": ".date-publication",
        "section": ".post-categorie",
        "image": ".post-image img",
        "authors": ".post-content .auteur",
        "links": 'a[href*="/posts/"], a[href*="essor.ml/"]',
        "teaser": ".extrait",
        "remove": (".auteur", ".redaction"),
    }
    versions = (EssorWordPress,)

    def link_date(self, url: str) -> datetime | None:
        found = UNIQID.search(url)
        if found:
            return from_uniqid(found.group(1))
        day = WORDPRESS_DAY.match(urlsplit(url).path)
        return datetime(*map(int, day.groups()), tzinfo=UTC) if day else None

    def published(self, page: Page) -> Dated | None:
        when = self.link_date(page.url)
        # the uniqid holds the second; a WordPress permalink only the day
        in_url = Dated(when, "minute" if UNIQID.search(page.url) else "day") if when else None
        return super().published(page) or in_url

    def related_teasers(self, page: Page) -> list[Teaser]:
        teasers = []
        for card in page.tree.css(".articles-similaires .similaire"):
            anchor = card.css_first("a[href]")
            text_node = card.css_first(".extrait")
            text = fix_text(text_node.text(separator=" ")) if text_node else ""
            if not text:
                continue
            teasers.append(Teaser(
                source=self.source.name, seen_on=page.url, text=text,
                url=page.absolute(anchor.attributes.get("href")) if anchor else None,
                title=fix_text(anchor.text(separator=" ")) if anchor else None,
            ))
        return teasers
