"""`crawl export`: every format and table, the filters, standard output, the file name's
format, no partial file, and flat memory on 100k rows."""

from __future__ import annotations

import csv
import json
import os
import resource
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import insert, text, update

from crawler.items import Article, Teaser
from crawler.models import ArticleRow, TeaserRow
from crawler.store import open_store

ROOT = Path(__file__).resolve().parent.parent
BODY = "Le Projet de promotion de l’accès au financement a organisé une session. " * 14  # ~1 KB


def fill(db_url: str, count: int, *, copies_every: int = 10, search_index: bool = True) -> None:
    """`count` articles, one in `copies_every` a copy of the row before it. Without
    `search_index` (SQLite), the full-text index is not filled: an export never reads it, and
    filling it took half the CPU of filling 100k rows (8.8 s against 4.6 s, measured)."""
    store = open_store(db_url)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with store.engine.begin() as connection:
        if not search_index:
            connection.execute(text("DROP TRIGGER articles_fts_insert"))
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


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> dict[int, str]:
    """A 1k-row and a 100k-row database, filled once for every format (the export reads them
    only: filling 100k rows cost more than exporting them)."""
    folder = tmp_path_factory.mktemp("filled")
    dbs = {rows: f"sqlite:///{folder}/{rows}.db" for rows in (1_000, 100_000)}
    for rows, db in dbs.items():
        fill(db, rows, copies_every=10**9, search_index=False)
    return dbs


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_export_of_100k_rows_streams_in_flat_memory(tmp_path, fmt, filled):
    def peak_rss_of_export(rows: int) -> tuple[int, int]:
        out = tmp_path / f"{rows}.{fmt}"
        process = subprocess.Popen(
            [sys.executable, "-c", "from crawler.cli import main; main()", "export", "--db",
             filled[rows], "-o", str(out), "-f", fmt], cwd=ROOT)
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
        published_at=datetime(2025, 12, 9, tzinfo=UTC), published_precision="day",
        field_sources={"title": "selector", "body": "fallback", "authors": "json-ld"})])
    store.engine.dispose()
    jsonl, table, columns = tmp_path / "a.jsonl", tmp_path / "a.csv", tmp_path / "a.parquet"
    assert export("--db", db_url, "-o", str(jsonl)).returncode == 0
    assert export("--db", db_url, "-o", str(table), "-f", "csv").returncode == 0
    assert export("--db", db_url, "-o", str(columns)).returncode == 0
    [line] = jsonl.read_text("utf-8").splitlines()
    assert '"authors": ["Moussa KONÉ"]' in line  # UTF-8, not "KON\u00c9"
    record = json.loads(line)
    assert (record["url"], record["tags"], record["published_at"],
            record["published_precision"]) == ("http://127.0.0.1:8081/articles/kone",
                                               ["Économie", "Société"],
                                               "2025-12-09T00:00:00+00:00", "day")
    # which layer filled each field travels with the record, in every format
    assert record["field_sources"] == {"title": "selector", "body": "fallback",
                                       "authors": "json-ld"}
    [row] = csv.DictReader(table.open(encoding="utf-8"))
    assert (row["url"], row["authors"], row["tags"], row["published_precision"]) == (
        "http://127.0.0.1:8081/articles/kone", "Moussa KONÉ", "Économie; Société", "day")
    assert row["field_sources"] == "authors=json-ld; body=fallback; title=selector"
    [stored] = pq.read_table(columns).to_pylist()
    assert dict(stored["field_sources"]) == record["field_sources"]


# -- tables, standard output, the file's name -------------------------------------------------


def teasers_db(db_url: str) -> None:
    """Two articles and three teasers: one matched by URL, one by text, one unmatched."""
    store = open_store(db_url)
    store.upsert_articles([
        Article(source="lessor", url="https://lessor.ml/posts/a", title="A",
                body="Le ministre a présidé la cérémonie.", published_at=SEEN),
        Article(source="lessor", url="https://lessor.ml/posts/b", title="B", body="Autre.",
                published_at=SEEN),
    ])
    store.add_teasers([
        Teaser(source="maliweb", seen_on="https://maliweb.net/", url="https://lessor.ml/posts/a",
               text="Le ministre a présidé la cér…", title="A"),
        Teaser(source="maliweb", seen_on="https://maliweb.net/", url=None,
               text="Autre texte « sans lien »…"),
    ])
    teasers = TeaserRow.__table__
    with store.engine.begin() as connection:
        connection.execute(update(teasers).values(first_seen_at=SEEN))
        connection.execute(update(teasers).where(teasers.c.url.is_(None)).values(
            first_seen_at=SEEN + timedelta(days=3)))
    store.engine.dispose()


SEEN = datetime(2025, 12, 10, 17, 2, tzinfo=UTC)


def test_teasers_export_with_the_url_of_their_matched_article(tmp_path, db_url):
    teasers_db(db_url)
    result = export("--db", db_url, "--table", "teasers", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "wrote 2 teasers to standard output\n"
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["text"], r["article_url"], r["matched_by"]) for r in records] == [
        ("Le ministre a présidé la cér…", "https://lessor.ml/posts/a", "url"),
        ("Autre texte « sans lien »…", None, None)]
    assert records[0]["article_id"] is not None and records[0]["seen_on"] == "https://maliweb.net/"

    dated = tmp_path / "t.csv"
    assert export("--db", db_url, "--table", "teasers", "-o", str(dated), "--since",
                  "2025-12-12").returncode == 0
    assert [r["text"] for r in csv.DictReader(dated.open(encoding="utf-8"))] == [
        "Autre texte « sans lien »…"]


def test_stdout_takes_every_format_and_parquet_reads_back(tmp_path):
    db = f"sqlite:///{tmp_path}/e.db"
    fill(db, 20)
    as_csv = export("--db", db, "-o", "-", "-f", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    assert len(list(csv.DictReader(as_csv.stdout.splitlines()))) == 18
    process = subprocess.run([sys.executable, "-c", "from crawler.cli import main; main()",
                              "export", "--db", db, "-o", "-", "-f", "parquet"], cwd=ROOT,
                             capture_output=True, timeout=600)
    assert process.returncode == 0, process.stderr
    (tmp_path / "piped.parquet").write_bytes(process.stdout)
    assert pq.read_table(tmp_path / "piped.parquet").num_rows == 18


@pytest.mark.parametrize(("name", "fmt", "message"), [
    ("a.csv", "jsonl", "the name says csv (.csv) but --format is jsonl"),
    ("a.JSONL", "parquet", "the name says jsonl (.jsonl) but --format is parquet"),
    ("a.parquet", "csv", "the name says parquet (.parquet) but --format is csv"),
    ("a.csv.gz", None, "compressed output is not supported"),
])
def test_a_format_the_file_name_contradicts_is_one_line_and_nothing_written(
        tmp_path, name, fmt, message):
    db = f"sqlite:///{tmp_path}/e.db"
    fill(db, 5)
    target = tmp_path / name
    result = export("--db", db, "-o", str(target), *(["-f", fmt] if fmt else []))
    assert result.returncode == 2
    assert result.stderr == f"error: -o {target}: {message}" + (
        "; rename the file or drop --format\n" if fmt else
        "; write to -o - and pipe it to the compressor\n")
    assert list(tmp_path.iterdir()) == [tmp_path / "e.db"] or not target.exists()
    assert not target.exists()


def test_the_extension_chooses_the_format_when_none_is_given(tmp_path):
    db = f"sqlite:///{tmp_path}/e.db"
    fill(db, 10)
    assert export("--db", db, "-o", str(tmp_path / "a.csv")).returncode == 0
    assert len(list(csv.DictReader((tmp_path / "a.csv").open(encoding="utf-8")))) == 9
    assert export("--db", db, "-o", str(tmp_path / "a.parquet")).returncode == 0
    assert pq.read_table(tmp_path / "a.parquet").num_rows == 9


def _file_size_cap() -> None:
    """In the child: files may not grow past 300 kB, and a write past it fails with EFBIG
    instead of killing the process (a disk filling up, as the export sees it)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_a_failed_export_leaves_the_older_file_and_no_partial_one(tmp_path):
    db = f"sqlite:///{tmp_path}/e.db"
    fill(db, 1000)  # about 1.2 MB of JSON Lines
    target = tmp_path / "a.jsonl"
    target.write_text("older export\n", "utf-8")
    result = subprocess.run([sys.executable, "-c", "from crawler.cli import main; main()",
                             "export", "--db", db, "-o", str(target)], cwd=ROOT,
                            capture_output=True, text=True, timeout=600,
                            preexec_fn=_file_size_cap)
    assert (result.returncode, result.stderr) == (2, f"error: -o {target}: File too large\n")
    assert target.read_text("utf-8") == "older export\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_table_and_copies_flags_are_checked(tmp_path):
    db = f"sqlite:///{tmp_path}/e.db"
    result = export("--db", db, "-o", "-", "--table", "authors")
    assert (result.returncode, result.stderr) == (
        2, "error: --table: one of articles, teasers, revisions, not 'authors'\n")
    result = export("--db", db, "-o", "-", "--table", "teasers", "--include-copies")
    assert (result.returncode, result.stderr) == (
        2, "error: --include-copies: only with --table articles\n")
