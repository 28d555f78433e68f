"""A parser that never finishes on one page, for tests/test_hostile.py. It lives in a module of
its own because the crawler parses in worker processes, which import it by name."""

from __future__ import annotations

import re
import time

from crawler.extract import SourceParser
from crawler.items import Link, Parsed
from crawler.page import Page


class StuckOnOnePage(SourceParser):
    """The generic parser, except on a page (article or listing) whose URL contains "bloque":
    there a regex with
    catastrophic backtracking runs (for ages, inside re's C code, holding the GIL), as a
    parser bug on an unforeseen page would."""

    def find(self, page: Page) -> Parsed:
        _stuck_on(page)
        return super().find(page)

    def listing_links(self, page: Page) -> list[Link]:
        _stuck_on(page)
        return super().listing_links(page)


def _stuck_on(page: Page) -> None:
    if "bloque" in page.url:
        re.fullmatch(r"(a|aa)+", "a" * 90 + "b")


class SlowToParse(SourceParser):
    """The generic parser, taking a second over each article page: a stop that lands while
    pages are being parsed finds them fetched and not yet stored."""

    def find(self, page: Page) -> Parsed:
        time.sleep(1)
        return super().find(page)
