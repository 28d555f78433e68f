"""Malijet (malijet.com): custom CMS; republishes other papers, naming each one.

Quirks: a listing card (div.card) gives, on the lines of its text, the source paper then the
date, and no teaser; an article page names the paper in span.story_author, prints its date as
"Date : …" in span.story_date and its chapeau in p.article_abstract. Some pages mix Latin-1
bytes into UTF-8 ("ao\\xfbt"): crawler.http decodes those, and crawler.dates reads a month
that arrives as "ao\\ufffdt".
"""

from __future__ import annotations

from datetime import datetime

from selectolax.lexbor import LexborNode

from crawler.dates import parse_date
from crawler.extract import SourceParser


class Parser(SourceParser):
    default_selectors = {
        "title": "h1.page_title",
        "lead": "p.article_abstract",
        "body": "div#article_body",
        "published": "span.story_date",
        "publisher": "span.story_author",
        "section": "ol.breadcrumb li:nth-child(2)",
        "image": "div.article_image img",
        "links": "div.card a[href]",
        "next_page": "ul.pagination a[rel=next]",
        "remove": ("div.article_share", "div.related_articles"),
    }
    card = "div.card"
    card_date = "p.card-text"

    def date_of_card(self, node: LexborNode) -> datetime | None:
        lines = node.text(separator="\n").splitlines()
        dates = (parse_date(line) for line in lines[1:] if line.strip())  # line 1: the paper
        return next((d for d in dates if d is not None), None)
