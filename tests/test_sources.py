"""Every source's cassette, replayed through vcrpy, gives the expected records (Fundus style).

The expected record of each article is a JSON file under tests/sources/<source>/, beside
`since.txt`: the day the test backfills from, so that the walk ends inside the recorded pages.
After a
deliberate change, regenerate them with `UPDATE_EXPECTED=1 pytest tests/test_sources.py` and
review the diff by hand before committing.
"""

from __future__ import annotations

import asyncio
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
from crawler.http import HttpClient
from crawler.models import ArticleRow
from crawler.pipeline import crawl_source
from crawler.store import open_store

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).parent / "sources"
SOURCES = sorted(p.name for p in (ROOT / "cassettes").iterdir() if p.is_dir())
FIELDS = ("url", "source", "title", "lead", "body", "authors", "publisher", "section", "tags",
          "image", "language", "published_at", "updated_at")


def record_of(row: ArticleRow) -> dict:
    record = {}
    for name in FIELDS:
        value = getattr(row, name)
        record[name] = value.isoformat() if isinstance(value, datetime) else value
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
