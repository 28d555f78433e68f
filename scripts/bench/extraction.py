"""Extraction from raw bytes, decoding included: ours, trafilatura, newspaper4k on the cassettes.

Every expected record under tests/sources/<source>/*.json names an article URL; its page is
taken from cassettes/<source>/*.yaml as the raw bytes served. Each extractor turns the same
bytes into fields, decoding included (ours: crawler.http.decode_body, as the crawler does;
trafilatura: its own decoding of bytes; newspaper4k: UTF-8, which these pages are), REPEAT times
over the corpus: articles per second (wall) and per CPU-second (one process: per core).

Accuracy per field, against the expected JSON (whitespace folded):
- title: exact; authors: same set, case-insensitive; date: same published day (UTC);
- text: lead + body (the others have no chapeau field), correct when rapidfuzz's ratio >= 95;
  "text sim" is the mean ratio.

    .venv/bin/pip install -U pip && .venv/bin/pip install -e '.[bench]'
    .venv/bin/python scripts/bench/extraction.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from vcr.persisters.filesystem import FilesystemPersister
from vcr.serializers import yamlserializer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from crawler.config import load_config  # noqa: E402
from crawler.http import decode_body  # noqa: E402
from crawler.page import Page  # noqa: E402
from crawler.sources import parser_for  # noqa: E402

Fields = dict[str, Any]  # title, text, authors, day


Raw = tuple[bytes, str | None]  # the body as served, its Content-Type


def corpus() -> list[tuple[str, str, Raw, Fields]]:
    """(source, url, raw page, expected fields) for every expected record whose page is
    recorded."""
    pages: dict[str, Raw] = {}
    for path in sorted((ROOT / "cassettes").glob("*/*.yaml")):
        requests, responses = FilesystemPersister.load_cassette(path, yamlserializer)[:2]
        for request, response in zip(requests, responses, strict=True):
            body = response["body"]["string"]
            body = body.encode("utf-8") if isinstance(body, str) else body
            headers = {k.lower(): v[0] if isinstance(v, list) else v
                       for k, v in response["headers"].items()}
            pages.setdefault(request.uri, (body, headers.get("content-type")))
    items = []
    for path in sorted((ROOT / "tests" / "sources").glob("*/*.json")):
        record = json.loads(path.read_text("utf-8"))
        html = pages.get(record["url"]) or pages.get(record["url"] + "/")
        if html is None:
            continue  # a canonical URL the cassette reached through another form
        published = record.get("published_at")
        items.append((record["source"], record["url"], html, {
            "title": record["title"],
            "text": "\n\n".join(p for p in (record.get("lead"), record["body"]) if p),
            "authors": record.get("authors") or [],
            "day": datetime.fromisoformat(published).astimezone(UTC).date() if published else None,
        }))
    return items


def ours() -> Callable[[str, str, Raw], Fields]:
    config = load_config(ROOT / "sources.yaml")
    parsers = {s.name: parser_for(s) for s in config.sources}

    def extract(source: str, url: str, raw: Raw) -> Fields:
        article = parsers[source].parse(Page.from_html(url, decode_body(*raw)))
        if article is None:
            return {}
        return {"title": article.title,
                "text": "\n\n".join(p for p in (article.lead, article.body) if p),
                "authors": article.authors,
                "day": article.published_at.astimezone(UTC).date()
                if article.published_at else None}

    return extract


def trafilatura_extractor() -> Callable[[str, str, Raw], Fields]:
    import trafilatura

    def extract(source: str, url: str, raw: Raw) -> Fields:
        doc = trafilatura.bare_extraction(raw[0], url=url, with_metadata=True,
                                          include_comments=False)
        if doc is None:
            return {}
        doc = doc if isinstance(doc, dict) else doc.as_dict()
        author = doc.get("author") or ""
        day = doc.get("date")
        return {"title": doc.get("title"), "text": doc.get("text") or "",
                "authors": [a.strip() for a in author.split(";") if a.strip()],
                "day": date.fromisoformat(day[:10]) if day else None}

    return extract


def newspaper_extractor() -> Callable[[str, str, Raw], Fields]:
    import newspaper

    config = newspaper.Config()
    config.fetch_images = False
    config.language = "fr"

    def extract(source: str, url: str, raw: Raw) -> Fields:
        article = newspaper.Article(url, config=config)
        article.download(input_html=raw[0].decode("utf-8", errors="replace"))
        article.parse()
        published = article.publish_date
        if isinstance(published, datetime) and published.tzinfo is not None:
            published = published.astimezone(UTC)
        return {"title": article.title, "text": article.text, "authors": article.authors,
                "day": published.date() if published else None}

    return extract


def fold(text: str | None) -> str:
    return " ".join((text or "").split())


def score(got: Fields, want: Fields) -> dict[str, float]:
    similarity = fuzz.ratio(fold(got.get("text")), fold(want["text"]))
    return {
        "title": float(fold(got.get("title")) == fold(want["title"])),
        "text": float(similarity >= 95),
        "text sim": similarity / 100,
        "authors": float({a.casefold() for a in got.get("authors") or []}
                         == {a.casefold() for a in want["authors"]}),
        "date": float(got.get("day") == want["day"]),
    }


def run(name: str, extract: Callable[[str, str, Raw], Fields],
        items: list[tuple[str, str, Raw, Fields]], repeat: int) -> dict[str, Any]:
    scores = [score(extract(source, url, html), want) for source, url, html, want in items]
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for source, url, html, _want in items:
            extract(source, url, html)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    n = len(items) * repeat
    row: dict[str, Any] = {"extractor": name, "per_s": n / wall, "per_cpu_s": n / cpu}
    for field in scores[0]:
        row[field] = sum(s[field] for s in scores) / len(scores)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes over the corpus for speed")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the extractors' warnings on odd pages are not results
    items = corpus()
    rows = [run("ours", ours(), items, args.repeat),
            run("trafilatura", trafilatura_extractor(), items, args.repeat),
            run("newspaper4k", newspaper_extractor(), items, args.repeat)]
    print(f"\n{len(items)} article pages from {len({s for s, *_ in items})} sources' cassettes, "
          f"{args.repeat} passes, 1 process (cpu count {os.cpu_count()})")
    print(f"{'extractor':12} {'art/s':>7} {'art/cpu-s':>9} {'x trafil.':>9} {'title':>6} "
          f"{'text':>6} {'text sim':>8} {'authors':>7} {'date':>6}")
    trafilatura_speed = rows[1]["per_cpu_s"]
    for row in rows:
        print(f"{row['extractor']:12} {row['per_s']:>7.0f} {row['per_cpu_s']:>9.0f} "
              f"{row['per_cpu_s'] / trafilatura_speed:>9.2f} {row['title']:>6.0%} "
              f"{row['text']:>6.0%} {row['text sim']:>8.2f} {row['authors']:>7.0%} "
              f"{row['date']:>6.0%}")
    print("\nrerun: .venv/bin/python scripts/bench/extraction.py " + shlex.join(sys.argv[1:]))


if __name__ == "__main__":
    main()
