"""`crawl stats`: per-source numbers that match the database after a replayed crawl, the
per-day chart, the totals row, --json, fetch medians, failures and the usage errors."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from crawler.models import ArticleRevision, ArticleRow, SourceRun, SourceState, TeaserRow
from crawler.stats import sparkline
from crawler.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("--source", "lessor", "--source", "maliweb")
# The replayed articles of these two sources were published on 10 and 11 December 2025.
DECEMBER = ("--since", "2025-12-01", "--until", "2025-12-11")


def crawl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from crawler.cli import main; main()", *args],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=300)


def replay_into(db: str) -> None:
    result = crawl("--replay", "cassettes/", "--db", db, *SOURCES)
    assert result.returncode == 0, result.stderr


def table_rows(stdout: str, table: int = 0) -> dict[str, list[str]]:
    """The body rows of the `table`-th table printed (0: counts, 1: fields filled) by source
    name, each as its stripped cells."""
    rows: list[dict[str, list[str]]] = [{}]
    for line in stdout.splitlines():
        if line.startswith("└"):
            rows.append({})
        elif line.startswith("│"):
            cells = [cell.strip() for cell in line.strip("│").split("│")]
            rows[-1][cells[0]] = cells
    return rows[table]


def expected_from_tables(db: str, since: datetime) -> dict[str, dict]:
    """What stats should say per source from `since` on, counted from every row in Python."""
    store = open_store(db)
    with store.engine.connect() as connection:
        articles = connection.execute(select(ArticleRow.__table__)).all()
        teasers = connection.execute(select(TeaserRow.__table__)).all()
        runs = connection.execute(select(SourceRun.__table__)).all()
        states = {s.source: s for s in connection.execute(select(SourceState.__table__))}
        revisions = connection.execute(select(ArticleRevision.__table__)).all()
    store.engine.dispose()
    source_of = {a.id: a.source for a in articles}
    expected = {}
    for name in sorted({a.source for a in articles}):
        dated = [a for a in articles if a.source == name
                 and (a.published_at or a.first_seen_at) >= since]
        per_day = Counter(f"{(a.published_at or a.first_seen_at):%Y-%m-%d}" for a in dated)
        seen = [t for t in teasers if t.source == name and t.first_seen_at >= since]
        fetch_ms = [ms for r in runs if r.source == name and r.started_at >= since
                    for ms in r.fetch_ms]
        expected[name] = {
            "source": name, "articles": sum(a.source == name for a in articles),
            "in_window": len(dated), "per_day": dict(sorted(per_day.items())),
            "last_success": states[name].last_success_at.isoformat(),
            "consecutive_failures": states[name].consecutive_failures,
            "median_fetch_ms": statistics.median(fetch_ms),
            "teasers_seen": len(seen), "teasers_matched": sum(t.article_id is not None
                                                              for t in seen),
            "copies": sum(a.duplicate_of is not None for a in dated),
            "edited": len({r.article_id for r in revisions
                           if source_of[r.article_id] == name and r.replaced_at >= since}),
            "fill": {"window": fill_of(dated),
                     "history": fill_of([a for a in articles if a.source == name])},
        }
    return expected


def fill_of(rows: list) -> dict:
    """Share of `rows` with each watched field filled, counted in Python from the rows."""
    def filled(row, name: str) -> bool:
        return getattr(row, "published_at" if name == "published" else name) not in (
            None, "", [])

    fields = ("title", "lead", "body", "authors", "published", "section", "image")
    return {"articles": len(rows),
            "median_body_chars": statistics.median(len(r.body) for r in rows) if rows else None,
            **{name: sum(filled(r, name) for r in rows) / len(rows) if rows else None
               for name in fields}}


@pytest.fixture(scope="module")
def replayed_db(tmp_path_factory) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('stats')}/replayed.db"
    replay_into(db)
    return db


def test_json_matches_the_database_after_a_replayed_crawl(db_url):
    replay_into(db_url)
    result = crawl("stats", "--db", db_url, "--since", "2025-12-01", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)

    assert report["since"] == "2025-12-01"
    now = datetime.now(UTC)  # today, or yesterday if the command ran just before midnight
    assert report["until"] in (f"{now:%Y-%m-%d}", f"{now - timedelta(minutes=5):%Y-%m-%d}")
    expected = expected_from_tables(db_url, datetime(2025, 12, 1, tzinfo=UTC))
    assert {s["source"]: s for s in report["sources"]} == expected
    lessor, maliweb = report["sources"]
    assert lessor["articles"] == 3 and lessor["per_day"] == {"2025-12-10": 2, "2025-12-11": 1}
    assert lessor["teasers_seen"] > 0 and maliweb["copies"] == 1
    for one in report["sources"]:
        assert sum(one["per_day"].values()) == one["in_window"]
        assert one["median_fetch_ms"] >= 0  # replayed requests take next to no time

    totals = report["totals"]
    for key in ("articles", "in_window", "teasers_seen", "teasers_matched", "copies",
                "edited"):
        assert totals[key] == sum(one[key] for one in report["sources"])
    assert totals["per_day"] == {"2025-12-10": 3, "2025-12-11": 3}
    assert "source" not in totals and "last_success" not in totals


def test_table_has_a_row_per_source_a_day_chart_and_totals(replayed_db):
    result = crawl("stats", "--db", replayed_db, *DECEMBER)
    assert result.returncode == 0, result.stderr
    assert "crawl stats 2025-12-01 to 2025-12-11" in result.stdout
    assert "per day" in result.stdout
    rows = table_rows(result.stdout)
    assert list(rows) == ["lessor", "maliweb", "total"]

    (source, articles, in_window, chart, last_success, failures, _, _, _, copies,
     edited) = rows["lessor"]
    assert (articles, in_window, failures, copies, edited) == ("3", "3", "0", "0", "0")
    assert chart == "▁" * 9 + "█▅"  # 1-11 December: two articles on the 10th, one on the 11th
    assert datetime.strptime(last_success, "%Y-%m-%d %H:%M")
    assert rows["maliweb"][3] == "▁" * 9 + "▅█"

    total = rows["total"]
    assert total[1:4] == ["6", "6", "▁" * 9 + "██"]
    assert total[4] == "" and total[9] == "1"


def test_wide_window_puts_several_days_in_a_cell(replayed_db):
    result = crawl("stats", "--db", replayed_db, "--since", "2025-10-01", "--until",
                   "2025-12-11")
    assert result.returncode == 0, result.stderr
    assert "per 3 days" in result.stdout  # 72 days in 24 cells
    assert table_rows(result.stdout)["lessor"][3] == "▁" * 23 + "█"


def test_sparkline_scales_each_row_to_its_busiest_cell():
    first = date(2025, 12, 1)
    assert sparkline({}, first, 5) == "▁▁▁▁▁"
    assert sparkline({first: 1, first + timedelta(days=4): 4}, first, 5) == "▃▁▁▁█"
    # 62 days: two days a cell, so 31 cells
    assert sparkline({first + timedelta(days=1): 2}, first, 62) == "█" + "▁" * 30


def test_median_fetch_time_failures_and_dates_from_stored_rows(db_url):
    store = open_store(db_url)
    december = datetime(2025, 12, 5, 10, 30, tzinfo=UTC)
    with store.engine.begin() as connection:
        connection.execute(insert(SourceRun.__table__), [
            dict(source="lessor", started_at=december, finished_at=december, status="ok",
                 pages=1, articles=0, new=0, updated=0, unchanged=0, teasers=0,
                 teasers_matched=0, teasers_unmatched=0, copies=0, errors=0, fetch_ms=ms)
            for ms in ([10, 30], [20, 1000])
        ] + [
            dict(source="lessor", started_at=december - timedelta(days=30),
                 finished_at=december, status="ok", pages=1, articles=0, new=0, updated=0,
                 unchanged=0, teasers=0, teasers_matched=0, teasers_unmatched=0, copies=0,
                 errors=0, fetch_ms=[99999]),  # before the window: left out
        ])
        connection.execute(insert(ArticleRow.__table__), [
            # no publication date: dated by when it was first seen
            dict(source="lessor", url="https://lessor.ml/a", title="A", body="a",
                 authors=[], tags=[], content_hash="a", published_at=None,
                 first_seen_at=datetime(2025, 12, 3, 9, tzinfo=UTC), last_seen_at=december),
            # published before the window, seen in it: out of the window
            dict(source="lessor", url="https://lessor.ml/b", title="B", body="b",
                 authors=[], tags=[], content_hash="b",
                 published_at=datetime(2025, 11, 20, tzinfo=UTC),
                 first_seen_at=datetime(2025, 12, 4, tzinfo=UTC), last_seen_at=december),
        ])
    store.record_source_success("lessor", december)
    store.record_source_failure("maliweb", "feed: HTTP 503", december)
    store.record_source_failure("maliweb", "feed: HTTP 503", december)
    store.engine.dispose()

    result = crawl("stats", "--db", db_url, *DECEMBER, "--json")
    assert result.returncode == 0, result.stderr
    lessor, maliweb = json.loads(result.stdout)["sources"]
    assert lessor["median_fetch_ms"] == 25  # of 10, 20, 30 and 1000
    assert lessor["articles"] == 2 and lessor["per_day"] == {"2025-12-03": 1}
    assert lessor["last_success"] == "2025-12-05T10:30:00+00:00"
    assert maliweb["consecutive_failures"] == 2 and maliweb["last_success"] is None
    assert maliweb["median_fetch_ms"] is None and maliweb["articles"] == 0

    rows = table_rows(crawl("stats", "--db", db_url, *DECEMBER).stdout)
    assert rows["lessor"][4:7] == ["2025-12-05 10:30", "0", "25"]
    assert rows["maliweb"][4:7] == ["never", "2", "-"]
    assert rows["total"][5:7] == ["2", "25"]


def test_unknown_source_is_one_usage_line_naming_the_stored_ones(replayed_db):
    result = crawl("stats", "--db", replayed_db, "--source", "nope")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: --source: unknown source 'nope'; valid: lessor, maliweb")
    assert result.stdout == ""


def test_source_filter_keeps_only_that_source(replayed_db):
    result = crawl("stats", "--db", replayed_db, *DECEMBER, "--source", "maliweb", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [s["source"] for s in report["sources"]] == ["maliweb"]
    assert report["totals"]["articles"] == 3


def test_empty_database_prints_an_empty_table_over_the_last_30_days(tmp_path):
    db = f"sqlite:///{tmp_path}/empty.db"
    result = crawl("stats", "--db", db)
    assert result.returncode == 0, result.stderr
    assert "no articles stored yet" in result.stdout
    assert list(table_rows(result.stdout)) == ["total"]

    report = json.loads(crawl("stats", "--db", db, "--json").stdout)
    assert report["sources"] == [] and report["totals"]["articles"] == 0
    since, until = (date.fromisoformat(report[key]) for key in ("since", "until"))
    assert until - since == timedelta(days=29)


def test_since_after_until_is_a_usage_error(tmp_path):
    result = crawl("stats", "--db", f"sqlite:///{tmp_path}/x.db", "--since", "2025-12-11",
                   "--until", "2025-12-01")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: --since 2025-12-11 is after the last day 2025-12-01"
