"""Sahelien (sahelien.com): WordPress, French at /, English at /en/ (its own feed, /en/feed/).

Quirk: one source, two languages. The language of an article is the page's own `<html lang>`
(WordPress writes the post's language there), else the /en/ section of its URL, else the
source's default.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler.extract import SourceParser
from crawler.page import Page


class Parser(SourceParser):
    def language(self, page: Page) -> str | None:
        html = page.first("html")
        lang = (html.attributes.get("lang") or "") if html is not None else ""
        if lang.strip():
            return lang.strip().split("-")[0].lower()
        if urlsplit(page.url).path.startswith("/en/"):
            return "en"
        return self.source.language
