"""aBamako (news.abamako.com): custom CMS; republishes other papers' articles, whole or in part.

Quirks: articles are /h/<id>.html; the text is in span.FullArticleTexte; one source line
(div.FontArticleSource) gives both the date and the paper: "Publié le lundi 1 novembre 2021 |
Le 22 Septembre". A partial text ends "… suite de l'article sur <paper>": `SourceParser.parse`
returns it as a Teaser of the original, not as an article.
"""

from __future__ import annotations

from crawler.extract import SourceParser
from crawler.page import Page


class Parser(SourceParser):
    default_selectors = {
        "title": "h1.FontArticleTitre",
        "body": "span.FullArticleTexte",
        "published": "div.FontArticleSource",
        "publisher": "div.FontArticleSource",
        "section": "div.FontArticleRubrique a",
        "image": "div.FullArticleImage img",
        "links": 'a[href*="/h/"]',
        "teaser": "p.FontArticleChapeau",
        "remove": ("div.FontArticleShare",),
    }

    def publisher(self, page: Page) -> str | None:
        line = page.text_of(self.selectors.publisher) or ""
        return self.name_publisher(line.rpartition("|")[2]) if "|" in line else None
