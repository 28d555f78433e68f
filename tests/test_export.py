"""`crawl export`: every format, the filters, and flat memory on 100k rows."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import insert

from crawler.items import Article
from crawler.models import ArticleRow
from crawler.store import open_store

ROOT = Path(__file__).resolve().parent.parent
BODY = "Le Projet de promotion de l’accès au financement a organisé une session. " * 14  # ~1 KB


def fill(db_url: str, count: int, *, copies_every: int = 10) -> None:
    """`count` articles, one in `copies_every` a copy of the row before it."""
    store = open_store(db_url)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with store.engine.begin() as connection:
        for first in range(0, count, 5000):
            connection.execute(insert(ArticleRow.__table__), [
                dict(id=i + 1, source="lessor" if i % 2 else "maliweb",
                     url=f"https://lessor.ml/posts/a-{i:08d}", title=f"Titre {i}", lead=None,
                     body=f"{i} {BODY}", authors=["Aboubacar TRAORE"], tags=["Économie"],
                     published_at=start + timedelta(minutes=i), first_seen_at=start,
                     last_seen_at=start, content_hash=f"{i:064d}",
                     duplicate_of=i if i % copies_every == copies_every - 1 else None)
                for i in range(first, min(first + 5000, count))
            ])
    store.engine.dispose()


def export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from crawler.cli import main; main()",
                           "export", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


def test_jsonl_csv_and_parquet_hold_the_originals_with_filters(tmp_path):
    db = f"sqlite:///{tmp_path}/e.db"
    fill(db, 100)
    jsonl = tmp_path / "a.jsonl"
    result = export("--db", db, "-o", str(jsonl))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == f"wrote 90 articles to {jsonl}"
    records = [json.loads(line) for line in jsonl.read_text("utf-8").splitlines()]
    assert len(records) == 90 and all(r["duplicate_of"] is None for r in records)
    assert records[0]["published_at"] == "2025-01-01T00:00:00+00:00"
    assert records[0]["authors"] == ["Aboubacar TRAORE"]

    with_copies = tmp_path / "b.csv"
    assert export("--db", db, "-o", str(with_copies), "--format", "csv",
                  "--include-copies", "--source", "lessor").returncode == 0
    rows = list(csv.DictReader(with_copies.open(encoding="utf-8")))
    assert len(rows) == 50 and {r["source"] for r in rows} == {"lessor"}
    assert rows[0]["tags"] == "Économie"

    parquet = tmp_path / "c.parquet"
    assert export("--db", db, "-o", str(parquet), "-f", "parquet", "--since", "2025-01-01",
                  "--until", "2025-01-01").returncode == 0
    table = pq.read_table(parquet)
    assert table.num_rows == 90  # all 100 rows fall on 1 January, copies left out
    assert table.column("authors")[0].as_py() == ["Aboubacar TRAORE"]


def test_bad_format_is_a_usage_error(tmp_path):
    result = export("--db", f"sqlite:///{tmp_path}/e.db", "-o", str(tmp_path / "x"),
                    "--format", "xml")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: --format: one of jsonl, csv, parquet, not 'xml'"


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_export_of_100k_rows_streams_in_flat_memory(tmp_path, fmt):
    def peak_rss_of_export(rows: int) -> tuple[int, int]:
        db = f"sqlite:///{tmp_path}/{rows}.db"
        fill(db, rows, copies_every=10**9)
        out = tmp_path / f"{rows}.{fmt}"
        process = subprocess.Popen(
            [sys.executable, "-c", "from crawler.cli import main; main()", "export", "--db", db,
             "-o", str(out), "-f", fmt], cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak RSS
        assert status == 0
        return usage.ru_maxrss * 1024, out.stat().st_size

    small_rss, _ = peak_rss_of_export(1_000)
    big_rss, big_size = peak_rss_of_export(100_000)
    assert 100_000 * len(BODY.encode()) > 90 * 2**20  # ~100 MB of text went through...
    assert big_size > (50 * 2**20 if fmt == "jsonl" else 2**20)
    assert big_rss - small_rss < 40 * 2**20  # ...yet the process grew by less than 40 MB


def test_an_undated_article_is_placed_by_when_it_was_first_seen(tmp_path):
    db = f"sqlite:///{tmp_path}/u.db"
    store = open_store(db)
    seen = datetime(2025, 3, 2, 9, tzinfo=UTC)
    with store.engine.begin() as connection:
        connection.execute(insert(ArticleRow.__table__), [dict(
            source="lessor", url="https://lessor.ml/posts/sans-date", title="Sans date",
            body=BODY, authors=[], tags=[], published_at=None, first_seen_at=seen,
            last_seen_at=seen, content_hash="0" * 64)])
    store.engine.dispose()
    inside, outside = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    assert export("--db", db, "-o", str(inside), "--since", "2025-03-02",
                  "--until", "2025-03-02").returncode == 0
    assert export("--db", db, "-o", str(outside), "--since", "2025-03-03").returncode == 0
    assert [json.loads(line)["title"] for line in inside.read_text("utf-8").splitlines()] == [
        "Sans date"]
    assert outside.read_text("utf-8") == ""


def test_export_keeps_the_served_url_utf8_lists_and_the_date_precision(db_url, tmp_path):
    store = open_store(db_url)
    store.upsert_articles([Article(
        source="journal", url="http://127.0.0.1:8081/articles/kone", title="Élevage à Nara",
        body=BODY, authors=["Moussa KONÉ"], tags=["Économie", "Société"],
        published_at=datetime(2025, 12, 9, tzinfo=UTC), published_precision="day")])
    store.engine.dispose()
    jsonl, table = tmp_path / "a.jsonl", tmp_path / "a.csv"
    assert export("--db", db_url, "-o", str(jsonl)).returncode == 0
    assert export("--db", db_url, "-o", str(table), "-f", "csv").returncode == 0
    [line] = jsonl.read_text("utf-8").splitlines()
    assert '"authors": ["Moussa KONÉ"]' in line  # UTF-8, not "KON\u00c9"
    record = json.loads(line)
    assert (record["url"], record["tags"], record["published_at"],
            record["published_precision"]) == ("http://127.0.0.1:8081/articles/kone",
                                               ["Économie", "Société"],
                                               "2025-12-09T00:00:00+00:00", "day")
    [row] = csv.DictReader(table.open(encoding="utf-8"))
    assert (row["url"], row["authors"], row["tags"], row["published_precision"]) == (
        "http://127.0.0.1:8081/articles/kone", "Moussa KONÉ", "Économie; Société", "day")
