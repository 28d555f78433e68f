"""Prometheus text-format metrics for node_exporter's textfile collector, after every run.

    crawl --metrics-file /var/lib/node_exporter/textfile/crawler.prom

The file is written atomically (prometheus-client writes a temporary file and renames it), so
the collector never reads half a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from prometheus_client import CollectorRegistry, Gauge, write_to_textfile

from crawler.pipeline import SourceReport
from crawler.stats import FILL_FIELDS
from crawler.store import Store


def write_metrics(path: Path, store: Store, reports: Iterable[SourceReport]) -> None:
    """Per source: articles stored, and of the last run new/updated articles, teasers,
    errors, duration and status; plus each source's last success from the database."""
    registry = CollectorRegistry()

    def gauge(name: str, doc: str) -> Gauge:
        return Gauge(name, doc, ["source"], registry=registry)

    stored = gauge("crawler_articles_stored", "Articles stored for the source")
    new = gauge("crawler_run_new_articles", "New articles in the source's last run")
    updated = gauge("crawler_run_updated_articles", "Articles updated in the source's last run")
    teasers = gauge("crawler_run_teasers", "Teasers stored in the source's last run")
    errors = gauge("crawler_run_errors", "Errors in the source's last run")
    duration = gauge("crawler_run_duration_seconds", "Duration of the source's last run")
    up = gauge("crawler_run_success", "1 if the source's last run succeeded or was not due")
    last_success = gauge("crawler_last_success_timestamp_seconds",
                         "Unix time of the source's last successful crawl")
    for report in reports:
        name = report.source
        stored.labels(name).set(store.count_articles(name))
        new.labels(name).set(report.new)
        updated.labels(name).set(report.updated)
        teasers.labels(name).set(report.teasers)
        errors.labels(name).set(len(report.errors))
        duration.labels(name).set(report.duration)
        up.labels(name).set(0 if report.status == "failed" else 1)
        state = store.get_source_state(name)
        if state is not None and state.last_success_at is not None:
            last_success.labels(name).set(state.last_success_at.timestamp())
    add_fill_ratios(registry, reports)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_to_textfile(str(path), registry)


def add_fill_ratios(registry: CollectorRegistry, reports: Iterable[SourceReport]) -> None:
    """crawler_field_fill_ratio{source,field}: the share of the articles of the source's last
    run with the field filled (stats.FILL_FIELDS); absent for a run that stored no article."""
    ratio = Gauge("crawler_field_fill_ratio",
                  "Share of the articles of the source's last run with the field filled",
                  ["source", "field"], registry=registry)
    for report in reports:
        for name in FILL_FIELDS:
            value = report.fill.ratio(name)
            if value is not None:
                ratio.labels(report.source, name).set(value)
