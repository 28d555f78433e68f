#!/usr/bin/env python3
"""Record or refresh one source's cassette from the live site (needs network), and write its
parser fixtures.

    .venv/bin/python scripts/record_cassettes.py lessor [--since 2025-12-01] [--config sources.yaml]
    .venv/bin/python scripts/record_cassettes.py lessor --fixtures-only --written

Runs the real pipeline (`crawl_source`) for the source against the live site with vcrpy in
record mode, into a throwaway SQLite database, and writes every request it made to
`cassettes/<source>/<source>.yaml`. Only the headers the crawler reads are kept; bodies are
stored decompressed. Afterwards, update `cassettes/README.md` to say the folder was recorded
live (and when), and regenerate the expected records under `tests/sources/<source>/`
(`UPDATE_EXPECTED=1 pytest tests/test_sources.py`) after reviewing the diff by hand.

Then the parser fixtures (Fundus style) are written from the cassette, under
`tests/sources/<source>/pages/`: each article page the replayed crawl stored, as
`<slug>.html.gz` (the bytes as served), `<slug>.json` (what the parser makes of it, every
field), and `meta.json` (per page: URL, Content-Type, the parser class and version that read
it, and whether the page was recorded live or written by hand). `--fixtures-only` writes them
from the cassette already there, without the network; `--written` marks the pages as written
(every cassette in this repository so far). Review each expected JSON before committing it: it
is what the parser says today, not what the page says.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import re
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import vcr
from sqlalchemy import select
from vcr.persisters.filesystem import FilesystemPersister
from vcr.serializers import yamlserializer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.config import Config, Source, load_config  # noqa: E402
from crawler.errors import CrawlerError  # noqa: E402
from crawler.extract import SourceParser  # noqa: E402
from crawler.http import HttpClient, decode_body  # noqa: E402
from crawler.items import Article, article_fields, json_value  # noqa: E402
from crawler.models import ArticleRow  # noqa: E402
from crawler.page import Page  # noqa: E402
from crawler.pipeline import crawl_source  # noqa: E402
from crawler.replay import CassetteTransport  # noqa: E402
from crawler.sources import parser_for  # noqa: E402
from crawler.store import open_store  # noqa: E402

KEPT_HEADERS = {"content-type", "etag", "last-modified", "location", "retry-after"}


def keep_useful_headers(response: dict) -> dict:
    response["headers"] = {
        name: value for name, value in response["headers"].items()
        if name.lower() in KEPT_HEADERS
    }
    return response


# Bumped when the fixtures' layout changes; a parser's own version is its class (`versions`).
FIXTURE_FORMAT = 1


def article_record(article: Article) -> dict:
    """An Article as the fixture's expected JSON holds it: its recorded fields
    (crawler.items.Role.recorded; the URL first), which layer filled each, and its teasers."""
    return {
        "url": article.url,
        **{spec.name: json_value(getattr(article, spec.name))
           for spec in article_fields("recorded")},
        "field_sources": article.field_sources,
        "teasers": [{"url": t.url, "title": t.title, "text": t.text} for t in article.teasers],
    }


def page_slug(url: str) -> str:
    slug = url.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-")[:80] or "index"


def stored_urls(config: Config, source: Source, cassette: Path, since: datetime | None) -> set[str]:
    """The article URLs a crawl of the cassette stores (discovery and the backfill window
    decide which pages are articles, as in a real crawl)."""

    async def replay(store_url: str) -> None:
        transport = CassetteTransport(cassette.parent)
        async with HttpClient(user_agent="fixtures", delay_per_host=0,
                              transport=transport) as client:
            await crawl_source(source, settings=config.settings, client=client,
                               store=open_store(store_url), since=since)

    with tempfile.TemporaryDirectory() as tmp:
        store_url = f"sqlite:///{tmp}/fixtures.db"
        asyncio.run(replay(store_url))
        store = open_store(store_url)
        with store.engine.connect() as connection:
            urls = set(connection.execute(select(ArticleRow.__table__.c.url)).scalars())
        store.engine.dispose()
    return urls


def write_page_fixtures(config: Config, source: Source, cassette: Path, folder: Path, *,
                        recorded: str, since: datetime | None = None) -> list[str]:
    """Write `folder`/<slug>.html.gz, <slug>.json and meta.json for every article page of
    `cassette` that a crawl of it stores; `recorded` is "live" or "written". Returns the
    slugs written. The folder is replaced as a whole once every page is written: a failure
    leaves the old fixtures as they were."""
    parser: SourceParser = parser_for(source)
    wanted = stored_urls(config, source, cassette, since)
    requests, responses = FilesystemPersister.load_cassette(cassette, yamlserializer)[:2]
    folder.parent.mkdir(parents=True, exist_ok=True)
    final, folder = folder, Path(tempfile.mkdtemp(prefix=".pages-", dir=folder.parent))
    try:
        meta: dict[str, dict] = {}
        for request, response in zip(requests, responses, strict=True):
            headers = {k.lower(): v[0] if isinstance(v, list) else v
                       for k, v in response["headers"].items()}
            content_type = headers.get("content-type", "")
            if response["status"]["code"] != 200 or "html" not in content_type:
                continue
            raw = response["body"]["string"]
            raw = raw.encode("utf-8") if isinstance(raw, str) else raw
            page = Page.from_html(request.uri, decode_body(raw, content_type))
            article = parser.parse(page)
            if not isinstance(article, Article) or article.url not in wanted:
                continue
            slug = page_slug(article.url)
            if slug in meta:
                continue  # the same article reached by two addresses: one fixture
            version = type(parser.version_for(page))
            (folder / f"{slug}.html.gz").write_bytes(gzip.compress(raw, mtime=0))
            (folder / f"{slug}.json").write_text(
                json.dumps(article_record(article), ensure_ascii=False, indent=2) + "\n", "utf-8")
            meta[slug] = {"url": request.uri, "content_type": content_type,
                          "parser": f"{version.__module__}.{version.__qualname__}",
                          "fixture_format": FIXTURE_FORMAT, "recorded": recorded}
        (folder / "meta.json").write_text(
            json.dumps(dict(sorted(meta.items())), ensure_ascii=False, indent=2) + "\n", "utf-8")
    except BaseException:
        shutil.rmtree(folder)  # the old fixtures stay as they were
        raise
    folder.chmod(0o755)  # mkdtemp makes it private
    if final.exists():
        shutil.rmtree(final)
    folder.rename(final)
    return sorted(meta)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("--config", default=str(ROOT / "sources.yaml"))
    parser.add_argument("--since", help="also walk back to this day (YYYY-MM-DD)")
    parser.add_argument("--fixtures-only", action="store_true",
                        help="write the parser fixtures from the cassette there, offline")
    parser.add_argument("--written", action="store_true",
                        help="the cassette was written by hand, not recorded live")
    args = parser.parse_args()
    try:
        config = load_config(args.config)
    except CrawlerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.source not in config.names():
        print(f"error: unknown source {args.source!r}; valid: {', '.join(config.names())}",
              file=sys.stderr)
        return 2
    source = config.source(args.source)
    since = (datetime.strptime(args.since, "%Y-%m-%d").replace(tzinfo=UTC)
             if args.since else None)
    folder = ROOT / "cassettes" / source.name
    cassette = folder / f"{source.name}.yaml"
    pages = ROOT / "tests" / "sources" / source.name / "pages"
    if since is None and (pages.parent / "since.txt").exists():
        day = (pages.parent / "since.txt").read_text("utf-8").strip()
        since = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC)
    recorded = "written" if args.written else "live"
    if args.fixtures_only and not cassette.is_file():
        print(f"error: no cassette {cassette} to write fixtures from (record it first)",
              file=sys.stderr)
        return 1
    if args.fixtures_only:
        slugs = write_page_fixtures(config, source, cassette, pages, recorded=recorded,
                                    since=since)
        print(f"wrote {len(slugs)} page fixtures under {pages}", file=sys.stderr)
        return 0
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

    with recorder.use_cassette(str(cassette)):
        asyncio.run(record())
    print(f"wrote {cassette}", file=sys.stderr)
    slugs = write_page_fixtures(config, source, cassette, pages, recorded=recorded, since=since)
    print(f"wrote {len(slugs)} page fixtures under {pages}: review each JSON before committing",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
