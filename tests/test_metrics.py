"""--metrics-file writes Prometheus text that prometheus-client's own parser reads back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parent.parent


def crawl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from crawler.cli import main; main()", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_metrics_file_after_a_run_parses_back_per_source(tmp_path):
    metrics = tmp_path / "textfile" / "crawler.prom"
    result = crawl("--replay", "cassettes/", "--db", f"sqlite:///{tmp_path}/m.db",
                   "--source", "lessor", "--source", "journaldumali",
                   "--metrics-file", str(metrics))
    assert result.returncode == 0, result.stderr
    values = {
        (sample.name, sample.labels["source"]): sample.value
        for family in text_string_to_metric_families(metrics.read_text())
        for sample in family.samples
    }
    assert values[("crawler_articles_stored", "lessor")] == 3
    assert values[("crawler_run_new_articles", "journaldumali")] == 2
    assert values[("crawler_run_errors", "lessor")] == 0
    assert values[("crawler_run_success", "lessor")] == 1
    assert values[("crawler_last_success_timestamp_seconds", "lessor")] > 1.7e9
    assert ("crawler_run_duration_seconds", "journaldumali") in values


def test_json_logs_are_one_object_per_line_with_the_url_masked(tmp_path):
    result = crawl("--replay", "cassettes/", "--db", f"sqlite:///{tmp_path}/j.db",
                   "--source", "lessor", "--log-format", "json", "-v")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert entries and all({"time", "level", "logger", "message"} <= e.keys() for e in entries)
    events = {e.get("event") for e in entries}
    assert {"source_done", "article_stored"} <= events
    done = next(e for e in entries if e.get("event") == "source_done")
    assert done["source"] == "lessor" and done["duration"] >= 0
    stored = [e for e in entries if e.get("event") == "article_stored"]
    assert all(e["url"].startswith("https://lessor.ml/posts/") for e in stored)


def test_database_url_is_logged_with_the_password_masked(tmp_path):
    result = crawl("--replay", "cassettes/", "--db",
                   "postgresql+psycopg://crawler:s3cret@127.0.0.1:1/news", "-v")
    assert "s3cret" not in result.stderr and "crawler:***@127.0.0.1:1/news" in result.stderr


def test_an_unwritable_metrics_file_is_one_line_after_the_stored_run(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    result = crawl("--replay", "cassettes/", "--db", f"sqlite:///{tmp_path}/m.db",
                   "--source", "lessor", "--metrics-file", str(blocker / "crawler.prom"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(
        f"error: --metrics-file {blocker / 'crawler.prom'}: ")
    assert "crawl run 1" in result.stdout  # the run itself was stored and summarised


def read_metrics(path: Path) -> dict[tuple[str, str], float]:
    return {
        (sample.name, sample.labels["source"]): sample.value
        for family in text_string_to_metric_families(path.read_text())
        for sample in family.samples
    }


def test_a_run_limited_to_one_source_keeps_the_other_sources_series(tmp_path):
    metrics = tmp_path / "crawler.prom"
    db = f"sqlite:///{tmp_path}/m.db"
    first = crawl("--replay", "cassettes/", "--db", db, "-s", "lessor", "--metrics-file",
                  str(metrics))
    assert first.returncode == 0, first.stderr
    before = read_metrics(metrics)
    second = crawl("--replay", "cassettes/", "--db", db, "-s", "amap", "--metrics-file",
                   str(metrics))
    assert second.returncode == 0, second.stderr
    after = read_metrics(metrics)
    lessor = {key: value for key, value in after.items() if key[1] == "lessor"}
    assert lessor == {key: value for key, value in before.items() if key[1] == "lessor"}
    assert after[("crawler_run_new_articles", "amap")] == 2
    assert after[("crawler_run_success", "amap")] == 1
    assert after[("crawler_source_skipped", "amap")] == 0


def test_a_skipped_source_is_not_a_success_and_keeps_its_last_runs_figures(tmp_path):
    metrics = tmp_path / "crawler.prom"
    db = f"sqlite:///{tmp_path}/m.db"
    for _ in range(2):  # the second pass finds lessor crawled a moment ago: not due
        result = crawl("--replay", "cassettes/", "--db", db, "-s", "lessor", "--metrics-file",
                       str(metrics))
        assert result.returncode == 0, result.stderr
    assert "lessor: skipped: last crawled" in result.stderr
    values = read_metrics(metrics)
    assert values[("crawler_source_skipped", "lessor")] == 1
    assert values[("crawler_run_new_articles", "lessor")] == 3  # the last run that crawled
    assert values[("crawler_articles_stored", "lessor")] == 3


def test_a_failed_source_reports_run_success_0(tmp_path):
    config = tmp_path / "sources.yaml"
    config.write_text(
        "settings: {delay: 0, timeout: 2}\n"
        "sources:\n"
        "  - name: offline\n"
        "    platform: rss\n"
        "    base_url: http://127.0.0.1:9/\n"
        "    entry_points: [http://127.0.0.1:9/feed/]\n", "utf-8")
    metrics = tmp_path / "crawler.prom"
    result = crawl("--config", str(config), "--db", f"sqlite:///{tmp_path}/m.db",
                   "--metrics-file", str(metrics))
    assert result.returncode == 1
    values = read_metrics(metrics)
    assert values[("crawler_run_success", "offline")] == 0
    assert values[("crawler_run_errors", "offline")] == 1
    assert values[("crawler_source_skipped", "offline")] == 0


def test_merge_takes_the_latest_value_per_source_and_keeps_the_rest():
    from crawler.metrics import merge

    earlier = {"crawler_run_success": {"a": 1, "b": 0}, "crawler_source_skipped": {"a": 0}}
    latest = {"crawler_run_success": {"b": 1}, "crawler_source_skipped": {"a": 1, "c": 1}}
    merged = merge(earlier, latest)
    assert merged["crawler_run_success"] == {"a": 1, "b": 1}
    assert merged["crawler_source_skipped"] == {"a": 1, "c": 1}
    assert merged["crawler_run_errors"] == {}


def offline_config(path: Path, *sources: tuple[str, bool]) -> Path:
    path.write_text("settings: {delay: 0, timeout: 2}\nsources:\n" + "".join(
        f"  - name: {name}\n    platform: rss\n    enabled: {str(enabled).lower()}\n"
        "    base_url: http://127.0.0.1:9/\n    entry_points: [http://127.0.0.1:9/feed/]\n"
        for name, enabled in sources), "utf-8")
    return path


def test_a_removed_or_disabled_source_loses_its_series(tmp_path):
    metrics, db = tmp_path / "crawler.prom", f"sqlite:///{tmp_path}/m.db"
    config = offline_config(tmp_path / "a.yaml", ("gone", True), ("paused", True), ("kept", True))
    assert crawl("--config", str(config), "--db", db, "--metrics-file", str(metrics)
                 ).returncode == 1
    assert {source for _, source in read_metrics(metrics)} == {"gone", "paused", "kept"}
    # `gone` is removed from the file, `paused` disabled; a run of `kept` alone rewrites the file:
    # first skipped (backing off: the nothing-due path), then crawled (--force)
    config = offline_config(tmp_path / "b.yaml", ("paused", False), ("kept", True), ("new", True))
    skipped = crawl("--config", str(config), "--db", db, "-s", "kept", "--metrics-file",
                    str(metrics))
    assert skipped.returncode == 0 and "kept: skipped: " in skipped.stderr
    assert {source for _, source in read_metrics(metrics)} == {"kept"}
    with metrics.open("a") as file:  # as an older crawler would have left it
        file.write('crawler_run_success{source="gone"} 1.0\n')
    assert ("crawler_run_success", "gone") in read_metrics(metrics)
    assert crawl("--config", str(config), "--db", db, "-s", "kept", "--force", "--metrics-file",
                 str(metrics)).returncode == 1
    assert {source for _, source in read_metrics(metrics)} == {"kept"}
