"""Authors, publication date and title on real pages: our generic path against the expected values.

The corpus is Fundus's parser test pages (real pages of about 180 publishers in 40 countries,
each with the values Fundus's own parser is tested against). Read it from the mirror, never copy
it into this repository:

    mkdir -p /tmp/fundus && git -C /work/.mirror/flairNLP+fundus/repo archive HEAD \\
        tests/resources/parser/test_data | tar -x -C /tmp/fundus
    .venv/bin/python scripts/bench/fields_real.py /tmp/fundus/tests/resources/parser/test_data

Each `<cc>/<Publisher>.json` holds one expected record per parser version (V1, V1_1, V2 ...)
and there is one `<Publisher>_<YYYY_MM_DD>.html.gz` per version: version i is the i-th page in
date order (Fundus picks the version by the page's crawl date the same way). `meta.info` gives
each page's URL. Every page goes through a generic source (no selectors) built for its host,
from raw bytes as the crawler reads them (`decode_body`, then `Page`, then the field methods
`SourceParser.parse` calls, so that a body the parser rejects does not hide the other fields).

Scores, over the pages whose expected record has the field:
- authors: the same names, in any order, exactly (whitespace folded); an expected empty list
  is matched by no author; "authors*" again without the expected names that are the site
  itself or its newsroom ("ORF.at", "Redaktion hessenschau.de"), which the crawler drops on
  purpose (judged by the crawler's own rule, `SourceParser.clean_author`, so it is no check of
  that rule);
- published: the same instant to the minute (Fundus often reads a <meta> that gives no
  seconds where the JSON-LD does; an expected date without a zone is skipped);
- title: the same text, whitespace folded.
"nested" rows: the same scores on the pages whose JSON-LD nests the article in a WebPage's
`mainEntity` or gives an author as an `@id` reference.
`--show authors|published|title` lists the misses.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shlex
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from crawler.config import Source  # noqa: E402
from crawler.extract import SourceParser  # noqa: E402
from crawler.http import decode_body  # noqa: E402
from crawler.page import Page  # noqa: E402
from crawler.text import fold_whitespace  # noqa: E402


def _version_key(name: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", name)]  # V1 < V1_1 < V2 < V10


def corpus(folder: Path) -> list[tuple[str, str, bytes, dict]]:
    """(page name, url, raw html, expected record) for every page of the corpus."""
    items = []
    for expected_path in sorted(folder.glob("*/*.json")):
        publisher = expected_path.stem
        meta = json.loads((expected_path.parent / "meta.info").read_text("utf-8"))
        records = json.loads(expected_path.read_text("utf-8"))
        pages = sorted(expected_path.parent.glob(f"{publisher}_*.html.gz"))
        versions = sorted(records, key=_version_key)
        if len(pages) != len(versions):
            print(f"skipped {expected_path}: {len(pages)} pages for {len(versions)} versions",
                  file=sys.stderr)
            continue
        for page, version in zip(pages, versions, strict=True):
            url = meta[page.name]["url"]
            items.append((f"{expected_path.parent.name}/{page.name}", url,
                          gzip.decompress(page.read_bytes()), records[version]))
    return items


def source_for(url: str) -> Source:
    host = urlsplit(url).hostname or "example.org"
    name = re.sub(r"[^a-z0-9_]", "_", host.lower())
    return Source.model_validate({"name": name, "platform": "rss", "base_url": f"https://{host}/",
                                  "entry_points": [f"https://{host}/feed"]})


def fields(url: str, raw: bytes) -> dict:
    page = Page.from_html(url, decode_body(raw, None))
    parser = SourceParser(source_for(url))
    return {"authors": parser.authors(page), "published": parser.published(page),
            "title": parser.title(page)}


def _minute(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(second=0, microsecond=0)


def _fold(names: list[str]) -> list[str]:
    return sorted(fold_whitespace(n) for n in names)


# JSON-LD that nests the article in a WebPage's mainEntity, or gives an author as an @id.
NESTED_LD = re.compile(rb'"mainEntity"\s*:\s*\{|"author"\s*:\s*\[?\s*\{\s*"@id"')


def own_names(url: str, raw: bytes, names: list[str]) -> list[str]:
    """The expected names that are the site itself or its newsroom: the crawler drops those on
    purpose (crawler.extract.SourceParser.clean_author), so a second row scores without them."""
    page = Page.from_html(url, decode_body(raw, None))
    parser = SourceParser(source_for(url))
    return [n for n in names if parser.clean_author(page, n) is None]


def score(items: list[tuple[str, str, bytes, dict]], show: str | None) -> dict[str, list[int]]:
    counts = {"authors": [0, 0], "authors*": [0, 0], "published": [0, 0], "title": [0, 0],
              "nested authors": [0, 0], "nested published": [0, 0]}  # [matched, scored]
    for name, url, raw, want in items:
        got = fields(url, raw)
        checks = {}
        if "authors" in want:
            expected = want["authors"] or []
            checks["authors"] = (_fold(got["authors"]) == _fold(expected), got["authors"],
                                 expected)
            if hasattr(SourceParser, "clean_author"):  # not in older versions of the crawler
                own = own_names(url, raw, expected)
                real = [n for n in expected if n not in own]
                checks["authors*"] = (_fold(got["authors"]) == _fold(real), got["authors"],
                                      real)
        expected_date = want.get("publishing_date")
        if expected_date:
            expected = datetime.fromisoformat(expected_date)
            if expected.tzinfo is not None:
                found = got["published"]
                same = found is not None and _minute(found) == _minute(expected)
                checks["published"] = (same, found and found.isoformat(), expected.isoformat())
        if want.get("title"):
            same = fold_whitespace(got["title"] or "") == fold_whitespace(want["title"])
            checks["title"] = (same, got["title"], want["title"])
        if NESTED_LD.search(raw):
            for field in ("authors", "published"):
                if field in checks:
                    checks[f"nested {field}"] = checks[field]
        for field, (same, found, expected) in checks.items():
            counts[field][0] += same
            counts[field][1] += 1
            if show == field and not same:
                print(f"{name}\n  got:      {found!r}\n  expected: {expected!r}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="Fundus's tests/resources/parser/test_data")
    parser.add_argument("--show", choices=("authors", "authors*", "published", "title"))
    args = parser.parse_args()
    items = corpus(args.corpus)
    counts = score(items, args.show)
    print(f"$ {shlex.join(['python', *sys.argv])}")
    print(f"{len(items)} pages")
    print(f"{'field':<17} {'matched':>8} {'scored':>7} {'rate':>6}")
    for field, (matched, scored) in counts.items():
        if scored:
            print(f"{field:<17} {matched:>8} {scored:>7} {matched / scored:>6.1%}")
    print("authors*: without the expected names that are the site itself or its newsroom\n"
          "nested: the pages whose JSON-LD has a mainEntity or an author given as an @id")


if __name__ == "__main__":
    main()
