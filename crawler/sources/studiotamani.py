"""Studio Tamani (studiotamani.org), the Fondation Hirondelle's news radio. WordPress.

Quirks: every report carries its audio (a podcast player, an mp3 link, "Podcast: Play in new
window | Download") and radio lines that are not article text: "Écoutez le reportage ...",
"Réécoutez l'intégralité du Grand dialogue ...", the closing line on the partner radios.
"""

from __future__ import annotations

import re

from crawler.extract import SourceParser
from crawler.page import Page

# Radio lines, matched on a whole short paragraph (at most RADIO_MAX_WORDS words).
RADIO_LINE = re.compile(
    r"^(?:(?:r[ée])?[ée]coutez|retrouvez)\b.*\b(?:reportage|journal|[ée]mission|d[ée]bat|"
    r"dialogue|podcast|correspondante?|invit[ée]s?|radios?)\b"
    r"|^(?:les\s+)?programmes?\s+de\s+studio\s+tamani\b|^studio\s+tamani\s+est\b",
    re.IGNORECASE,
)
RADIO_MAX_WORDS = 30


class Parser(SourceParser):
    default_selectors = {
        "remove": (".powerpress_player", ".powerpress_links", ".wp-audio-shortcode",
                   'a[href$=".mp3"]'),
    }

    def body_paragraphs(self, page: Page) -> list[str]:
        return [p for p in super().body_paragraphs(page)
                if not (len(p.split()) <= RADIO_MAX_WORDS and RADIO_LINE.search(p))]
