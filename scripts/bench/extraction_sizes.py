"""Extraction time against page size, from raw bytes (decoding included): is growth linear?

Three hostile page shapes at 1k, 10k and 100k elements, each run from raw bytes through what the
crawler does with an article page (decode_body, Page.from_html, SourceParser.parse of a source
with no selectors), and through trafilatura (`bare_extraction`) on the same bytes:

- siblings: N sibling <p> in one <div> (an article of 6,000 paragraphs froze a crawl for 89 s);
- nested: N nested <div> around four paragraphs (100,000 took 325 s);
- wrappers: N/2 sibling <div class="part"> holding one <p> each (every one joined to the article);
- cards: N/4 teaser cards (<div><h3><a></a></h3><p></p></div>) before a short article.

CPU seconds per page (time.process_time, best of --repeat) and the growth from one size to the
next: linear growth is x10 per step; quadratic, x100.

    .venv/bin/python scripts/bench/extraction_sizes.py [--repeat 3] [--no-trafilatura]
"""

from __future__ import annotations

import argparse
import logging
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from crawler.config import Source  # noqa: E402
from crawler.extract import SourceParser  # noqa: E402
from crawler.http import decode_body  # noqa: E402
from crawler.items import Article  # noqa: E402
from crawler.page import Page  # noqa: E402

URL = "https://journal.example.ml/2025/12/10/un-article/"
SENTENCE = "Le ministre a présidé mardi la cérémonie d’ouverture, à Bamako, devant les élus."
ARTICLE = "".join(f"<p>{SENTENCE} Paragraphe {i}.</p>" for i in range(4))


def siblings(n: int) -> str:
    return "<div class='post'>" + "".join(f"<p>{SENTENCE} ({i})</p>" for i in range(n)) + "</div>"


def nested(n: int) -> str:
    return "<div>" * n + ARTICLE + "</div>" * n


def wrappers(n: int) -> str:
    return "<div class='a'>" + "".join(
        f"<div class='part'><p>{SENTENCE} ({i})</p></div>" for i in range(n // 2)) + "</div>"


def cards(n: int) -> str:
    items = "".join(f"<div class='c'><h3><a href='/a{i}'>Titre {i}</a></h3><p>{SENTENCE}</p></div>"
                    for i in range(n // 4))
    return f"<div class='liste'>{items}</div><div class='post'>{ARTICLE}</div>"


SHAPES: dict[str, Callable[[int], str]] = {"siblings": siblings, "nested": nested,
                                           "wrappers": wrappers, "cards": cards}


def page_bytes(shape: str, n: int) -> bytes:
    html = (f"<html lang='fr'><head><meta charset='utf-8'><title>Titre</title></head><body>"
            f"<h1>Titre</h1>{SHAPES[shape](n)}</body></html>")
    return html.encode("utf-8")


def ours(raw: bytes) -> int:
    source = Source(name="bench", platform="rss", base_url=URL, entry_points=[URL])
    found = SourceParser(source).parse(Page.from_html(URL, decode_body(raw, "text/html")))
    return len(found.body.split("\n\n")) if isinstance(found, Article) else 0


def trafilatura_run(raw: bytes) -> int:
    import trafilatura
    doc = trafilatura.bare_extraction(raw, url=URL, include_comments=False)
    return len((doc.text or "").split("\n")) if doc is not None else 0


def timed(run: Callable[[bytes], int], raw: bytes, repeat: int) -> tuple[float, int]:
    best, paragraphs = float("inf"), 0
    for _ in range(repeat):
        start = time.process_time()
        paragraphs = run(raw)
        best = min(best, time.process_time() - start)
    return best, paragraphs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-trafilatura", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    runners: dict[str, Callable[[bytes], int]] = {"ours": ours}
    if not args.no_trafilatura:
        runners["trafilatura"] = trafilatura_run
    print("command:", " ".join(shlex.quote(a) for a in [".venv/bin/python", *sys.argv]), "\n")
    print("| shape | elements | KB | extractor | cpu s | growth | paragraphs |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for shape in SHAPES:
        previous: dict[str, float] = {}
        for n in args.sizes:
            raw = page_bytes(shape, n)
            for name, run in runners.items():
                seconds, paragraphs = timed(run, raw, args.repeat)
                growth = f"x{seconds / previous[name]:.1f}" if previous.get(name) else "-"
                previous[name] = seconds
                print(f"| {shape} | {n:,} | {len(raw) // 1024:,} | {name} | {seconds:.3f} | "
                      f"{growth} | {paragraphs:,} |", flush=True)


if __name__ == "__main__":
    main()
