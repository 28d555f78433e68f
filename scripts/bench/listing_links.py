"""Listing links at 1k-100k links per page; decoding and HTML parsing left out (not timed).

Times SourceParser.listing_links on a page already parsed (Page.from_html runs before the clock).
Two pages per size, both built here:
- "no teaser": every link in one container and a `teaser` selector that matches nothing (the
  hostile page of issue 13, item 5: each link's card was searched for in the whole container);
- "cards": one card per link, each with a teaser and a <time datetime>, as listing pages are.

Ours (one index of cards and teasers per page) against the per-link search it replaced (commit
27ea1d1, kept below as `PerLinkSearch`), same page, same parser, side by side. The per-link
search runs up to --old-max links only: it is quadratic (20,000 links took 48 s).
Linear growth shows as a constant time per link down a column.

    .venv/bin/python scripts/bench/listing_links.py [--sizes 1000 10000 100000] [--old-max 10000]
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

from selectolax.lexbor import LexborNode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from measure import machine  # noqa: E402 (scripts/bench/measure.py)

from crawler.config import Config  # noqa: E402
from crawler.extract import SourceParser  # noqa: E402
from crawler.items import Link  # noqa: E402
from crawler.page import Page  # noqa: E402
from crawler.text import fold_whitespace  # noqa: E402


class PerLinkSearch(SourceParser):
    """listing_links as it was before the index: each link's ancestors searched in turn."""

    def listing_links(self, page: Page) -> list[Link]:
        links: dict[str, Link] = {}
        for anchor in page.tree.css(self.selectors.links or "a[href]"):
            url = page.absolute(anchor.attributes.get("href"))
            if not url or not self.is_article_url(url):
                continue
            title = fold_whitespace(anchor.text(deep=True, separator=" ")) or None
            card = self._old_card_of(anchor)
            teaser = None
            if card is not None and self.selectors.teaser:
                node = card.css_first(self.selectors.teaser)
                teaser = fold_whitespace(node.text(deep=True, separator=" ")) if node else None
            date = self._card_date(card) if card is not None else None
            links[url] = Link(url=url, title=title, teaser=teaser, published_at=date,
                              seen_on=page.url)
        return list(links.values())

    def _old_card_of(self, anchor: LexborNode) -> LexborNode | None:
        node = anchor
        for _ in range(5):
            node = node.parent
            if node is None or node.tag in ("body", "html"):
                return None
            if self.selectors.teaser and node.css_first(self.selectors.teaser) is not None:
                return node
        return None


def no_teaser_page(n: int) -> str:
    anchors = "".join(f'<a href="/articles/depeche-{i}">Dépêche numéro {i}</a>'
                      for i in range(n))
    return f"<html><body><div class='liste'>{anchors}</div></body></html>"


def cards_page(n: int) -> str:
    cards = "".join(
        f'<div class="card"><h2><a href="/articles/depeche-{i}">Dépêche numéro {i}</a></h2>'
        f'<time datetime="2025-06-01T08:00:00+00:00">1er juin</time>'
        f'<p class="teaser">Le ministre a présidé hier la cérémonie numéro {i}…</p></div>'
        for i in range(n))
    return f"<html><body><div class='liste'>{cards}</div></body></html>"


def source_config() -> Config:
    return Config.model_validate({"sources": [{
        "name": "bench", "platform": "listing", "base_url": "https://journal.ml/",
        "entry_points": ["https://journal.ml/liste"], "article_url_pattern": "^/articles/",
        "selectors": {"teaser": "p.teaser"}}]}, context={})


def timed(parser: SourceParser, html: str) -> tuple[float, int]:
    page = Page.from_html("https://journal.ml/liste", html)
    started = time.perf_counter()
    links = parser.listing_links(page)
    return time.perf_counter() - started, len(links)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    options.add_argument("--old-max", type=int, default=10_000)
    args = options.parse_args()
    source = source_config().sources[0]
    ours, old = SourceParser(source), PerLinkSearch(source)
    print(f"# {machine()}")
    print(f"# rerun: .venv/bin/python scripts/bench/listing_links.py {shlex.join(sys.argv[1:])}")
    print(f"{'page':<10} {'links':>7} {'ours s':>8} {'ours us/link':>13} "
          f"{'per-link s':>11} {'per-link us/link':>17} {'ratio':>8}")
    for name, build in (("no teaser", no_teaser_page), ("cards", cards_page)):
        for n in args.sizes:
            html = build(n)
            ours_s, found = timed(ours, html)
            assert found == n, (name, n, found)
            row = f"{name:<10} {n:>7} {ours_s:>8.3f} {ours_s / n * 1e6:>13.1f} "
            if n <= args.old_max:
                old_s, old_found = timed(old, html)
                assert old_found == n
                row += f"{old_s:>11.3f} {old_s / n * 1e6:>17.1f} {old_s / ours_s:>7.1f}x"
            else:
                row += f"{'not run':>11} {'':>17} {'':>8}"
            print(row, flush=True)


if __name__ == "__main__":
    main()
