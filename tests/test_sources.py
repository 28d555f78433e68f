"""Every source's cassette, replayed through vcrpy, gives the expected records; and every
source's page fixtures (tests/sources/<source>/pages/) parse to their expected articles, with
the parser alone (Fundus style).

The expected record of each article is a JSON file under tests/sources/<source>/, beside
`since.txt`: the day the test backfills from, so that the walk ends inside the recorded pages.
After a
deliberate change, regenerate them with `UPDATE_EXPECTED=1 pytest tests/test_sources.py` and
review the diff by hand before committing.
"""

from __future__ import annotations

import asyncio
import gzip
import importlib.util
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import vcr
from sqlalchemy import select
from sqlmodel import Session

from crawler.config import load_config
from crawler.http import HttpClient, decode_body
from crawler.items import Article, article_fields, json_value
from crawler.models import ArticleRow
from crawler.page import Page
from crawler.pipeline import crawl_source
from crawler.sources import parser_for
from crawler.store import open_store

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).parent / "sources"
SOURCES = sorted(p.name for p in (ROOT / "cassettes").iterdir() if p.is_dir())
FIELDS = tuple(spec.name for spec in article_fields("recorded"))  # crawler.items.Role


def record_of(row: ArticleRow) -> dict:
    record = {}
    for name in FIELDS:
        record[name] = json_value(getattr(row, name))
    return record


def file_name(url: str) -> str:
    slug = url.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[^a-z0-9-]+", "-", slug.lower())[:80] + ".json"


def crawl_cassette(name: str, tmp_path: Path) -> dict[str, dict]:
    config = load_config(ROOT / "sources.yaml")
    source = config.source(name)
    store = open_store(f"sqlite:///{tmp_path}/{name}.db")
    day = (EXPECTED / name / "since.txt").read_text("utf-8").strip()
    since = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC)

    async def go():
        async with HttpClient(user_agent="test", delay_per_host=0) as client:
            return await crawl_source(source, settings=config.settings, client=client,
                                      store=store, since=since)

    recorder = vcr.VCR(record_mode="none")
    # record_mode "none": a request the cassette does not hold raises instead of going out.
    with recorder.use_cassette(str(ROOT / "cassettes" / name / f"{name}.yaml")):
        report = asyncio.run(go())
    assert report.status == "ok", report.errors
    assert not report.errors, report.errors
    with Session(store.engine) as session:
        rows = session.exec(select(ArticleRow)).scalars().all()
        return {row.url: record_of(row) for row in rows}


@pytest.mark.parametrize("name", SOURCES)
def test_source_cassette_gives_the_expected_records(name, tmp_path):
    records = crawl_cassette(name, tmp_path)
    folder = EXPECTED / name
    if os.environ.get("UPDATE_EXPECTED"):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.json"):
            old.unlink()
        for url, record in records.items():
            (folder / file_name(url)).write_text(
                json.dumps(record, ensure_ascii=False, indent=2) + "\n", "utf-8")
    expected = {}
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text("utf-8"))
        expected[record["url"]] = record
    assert expected, f"no expected records under {folder}"
    assert sorted(records) == sorted(expected)
    for url, want in expected.items():
        got = records[url]
        for field in FIELDS:
            assert got[field] == want[field], f"{name}: {url}: {field}"


def test_every_source_with_a_cassette_has_a_window():
    assert [name for name in SOURCES if not (EXPECTED / name / "since.txt").exists()] == []


# ---- parser fixtures: Page in, Article out (no HTTP, no database, no socket) -----------------

REQUIRED = ("url", "source", "title", "body", "published_at")


def _record_script():
    spec = importlib.util.spec_from_file_location("record_cassettes",
                                                  ROOT / "scripts" / "record_cassettes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_fixtures() -> list[tuple[str, str]]:
    return [(folder.parent.name, slug)
            for folder in sorted(EXPECTED.glob("*/pages"))
            for slug in json.loads((folder / "meta.json").read_text("utf-8"))]


@pytest.mark.disable_socket
@pytest.mark.parametrize(("name", "slug"), page_fixtures())
def test_page_fixture_parses_to_its_expected_article(name, slug):
    folder = EXPECTED / name / "pages"
    meta = json.loads((folder / "meta.json").read_text("utf-8"))[slug]
    want = json.loads((folder / f"{slug}.json").read_text("utf-8"))
    source = load_config(ROOT / "sources.yaml").source(name)
    html = decode_body(gzip.decompress((folder / f"{slug}.html.gz").read_bytes()),
                       meta["content_type"])
    page = Page.from_html(meta["url"], html)
    parser = parser_for(source)
    version = type(parser.version_for(page))
    assert f"{version.__module__}.{version.__qualname__}" == meta["parser"]
    article = parser.parse(page)
    assert isinstance(article, Article)
    got = _record_script().article_record(article)
    assert sorted(got) == sorted(want)
    for field in want:
        assert got[field] == want[field], f"{name}/{slug}: {field}"
    assert all(got[field] for field in REQUIRED), f"{name}/{slug}: a required field is empty"


def test_every_source_has_page_fixtures_marked_written_or_live():
    for name in SOURCES:
        meta = json.loads((EXPECTED / name / "pages" / "meta.json").read_text("utf-8"))
        assert meta, name
        # no page of this repository was recorded live (cassettes/README.md)
        assert {m["recorded"] for m in meta.values()} == {"written"}, name


def test_fixtures_written_from_a_cassette_are_the_committed_ones(tmp_path):
    """The fixture writer that a live recording runs, run on a cassette: it writes what is
    committed (so the committed fixtures are regenerable, and the writer works)."""
    script = _record_script()
    config = load_config(ROOT / "sources.yaml")
    day = (EXPECTED / "malijet" / "since.txt").read_text("utf-8").strip()
    slugs = script.write_page_fixtures(
        config, config.source("malijet"), ROOT / "cassettes" / "malijet" / "malijet.yaml",
        tmp_path, recorded="written",
        since=datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC))
    committed = EXPECTED / "malijet" / "pages"
    assert slugs == sorted(json.loads((committed / "meta.json").read_text("utf-8")))
    for path in sorted(committed.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_fixture_run_that_fails_midway_leaves_the_old_fixtures_whole(tmp_path, monkeypatch):
    script = _record_script()
    config = load_config(ROOT / "sources.yaml")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "meta.json").write_text("{}\n", "utf-8")
    written = []

    def fail_on_the_second(article):
        if written:
            raise RuntimeError("parser bug")
        written.append(article.url)
        return {"url": article.url}

    monkeypatch.setattr(script, "article_record", fail_on_the_second)
    with pytest.raises(RuntimeError, match="parser bug"):
        script.write_page_fixtures(config, config.source("malijet"),
                                   ROOT / "cassettes" / "malijet" / "malijet.yaml", folder,
                                   recorded="written")
    assert [p.name for p in tmp_path.iterdir()] == ["pages"]  # no temporary folder left
    assert [p.name for p in folder.iterdir()] == ["meta.json"]
    assert (folder / "meta.json").read_text("utf-8") == "{}\n"
