#!/usr/bin/env python3
"""Record or refresh one source's cassette from the live site (needs network).

    .venv/bin/python scripts/record_cassettes.py lessor [--since 2025-12-01] [--config sources.yaml]

Runs the real pipeline (`crawl_source`) for the source against the live site with vcrpy in
record mode, into a throwaway SQLite database, and writes every request it made to
`cassettes/<source>/<source>.yaml`. Only the headers the crawler reads are kept; bodies are
stored decompressed. Afterwards, update `cassettes/README.md` to say the folder was recorded
live (and when), and regenerate the expected records under `tests/sources/<source>/`
(`pytest tests/test_sources.py --update-expected`) after reviewing the diff by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import vcr

from crawler.config import load_config
from crawler.http import HttpClient
from crawler.pipeline import crawl_source
from crawler.store import open_store

ROOT = Path(__file__).resolve().parent.parent
KEPT_HEADERS = {"content-type", "etag", "last-modified", "location", "retry-after"}


def keep_useful_headers(response: dict) -> dict:
    response["headers"] = {
        name: value for name, value in response["headers"].items()
        if name.lower() in KEPT_HEADERS
    }
    return response


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("--config", default=str(ROOT / "sources.yaml"))
    parser.add_argument("--since", help="also walk back to this day (YYYY-MM-DD)")
    args = parser.parse_args()
    config = load_config(args.config)
    source = config.source(args.source)
    since = (datetime.strptime(args.since, "%Y-%m-%d").replace(tzinfo=UTC)
             if args.since else None)
    folder = ROOT / "cassettes" / source.name
    folder.mkdir(parents=True, exist_ok=True)
    recorder = vcr.VCR(
        record_mode="all",
        decode_compressed_response=True,
        filter_headers=["cookie", "authorization"],
        before_record_response=keep_useful_headers,
    )

    async def record() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(f"sqlite:///{tmp}/record.db")
            async with HttpClient(user_agent=config.settings.user_agent,
                                  delay_per_host=config.settings.delay) as client:
                report = await crawl_source(source, settings=config.settings, client=client,
                                            store=store, since=since)
            print(f"{source.name}: {report.pages} pages, {report.articles} articles, "
                  f"{report.new} new, {len(report.errors)} errors", file=sys.stderr)

    with recorder.use_cassette(str(folder / f"{source.name}.yaml")):
        asyncio.run(record())
    print(f"wrote {folder / (source.name + '.yaml')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
