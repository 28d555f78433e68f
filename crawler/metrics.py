"""Prometheus text-format metrics for node_exporter's textfile collector, after every run.

    crawl --metrics-file /var/lib/node_exporter/textfile/crawler.prom

Merged per source: a run limited with `-s amap` rewrites amap's series and keeps the other
sources' as the file had them, so a partial run never makes a series vanish (an alert on
`absent()` or on staleness would fire). A source the run skipped (not due, locked, backing off)
keeps its last run's figures and gets `crawler_source_skipped 1`: a skip is not a success.
A source removed from the configuration or disabled loses its series (it is not late, it is
gone: an alert on its staleness would be noise).

The file is written atomically (prometheus-client writes a temporary file and renames it), so
the collector never reads half a file; two runs finishing together take turns (a lock on the
file's folder), so neither loses the other's sources.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Gauge, write_to_textfile
from prometheus_client.parser import text_string_to_metric_families

if TYPE_CHECKING:
    from crawler.pipeline import SourceReport
    from crawler.store import Store

# name -> help; every series has one label, `source`
RUN_METRICS = {
    "crawler_articles_stored": "Articles stored for the source",
    "crawler_run_new_articles": "New articles in the source's last run",
    "crawler_run_updated_articles": "Articles updated in the source's last run",
    "crawler_run_teasers": "Teasers stored in the source's last run",
    "crawler_run_errors": "Errors in the source's last run",
    "crawler_run_duration_seconds": "Duration of the source's last run",
    "crawler_run_success": "1 if the source's last run (skips aside) succeeded, else 0",
    "crawler_last_success_timestamp_seconds": "Unix time of the source's last successful crawl",
    "crawler_source_skipped": "1 if the source's latest pass skipped it (not due, locked, "
                              "backing off); its run_* series are then those of its last run",
}
Values = dict[str, dict[str, float]]  # metric -> source -> value


def run_values(store: Store | None, reports: Iterable[SourceReport]) -> Values:
    """This run's series, per source. A skipped source gets only `crawler_source_skipped`
    (and its stored-article count when the store is at hand)."""
    values: Values = {name: {} for name in RUN_METRICS}
    for report in reports:
        name = report.source
        skipped = report.status == "skipped"
        values["crawler_source_skipped"][name] = 1 if skipped else 0
        if store is not None:
            values["crawler_articles_stored"][name] = store.count_articles(name)
            state = store.get_source_state(name)
            if state is not None and state.last_success_at is not None:
                values["crawler_last_success_timestamp_seconds"][name] = (
                    state.last_success_at.timestamp())
        if skipped:
            continue
        values["crawler_run_new_articles"][name] = report.new
        values["crawler_run_updated_articles"][name] = report.updated
        values["crawler_run_teasers"][name] = report.teasers
        values["crawler_run_errors"][name] = len(report.errors)
        values["crawler_run_duration_seconds"][name] = report.duration
        values["crawler_run_success"][name] = 1 if report.status == "ok" else 0
    return values


def read_values(path: Path) -> Values:
    """The per-source series of an earlier metrics file (none when there is no file yet)."""
    values: Values = {name: {} for name in RUN_METRICS}
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return values
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            source = sample.labels.get("source")
            if sample.name in values and source is not None:
                values[sample.name][source] = sample.value
    return values


def merge(earlier: Values, latest: Values) -> Values:
    """Per metric and source, the latest value where this run has one, else the earlier."""
    return {name: {**earlier.get(name, {}), **latest.get(name, {})} for name in RUN_METRICS}


@contextmanager
def _folder_locked(folder: Path) -> Iterator[None]:
    # flock on the folder itself: no lock file for the textfile collector to trip on
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def write_metrics(path: Path, store: Store | None, reports: Iterable[SourceReport],
                  configured: Iterable[str]) -> None:
    """Update `path` with this run's series, keeping those of the `configured` (enabled)
    sources it did not crawl and dropping those of sources removed or disabled since."""
    reports = list(reports)
    configured = set(configured) | {report.source for report in reports}
    latest = run_values(store, reports)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _folder_locked(path.parent):
        earlier = {name: {source: value for source, value in series.items()
                          if source in configured}
                   for name, series in read_values(path).items()}
        values = merge(earlier, latest)
        registry = CollectorRegistry()
        for name, doc in RUN_METRICS.items():
            gauge = Gauge(name, doc, ["source"], registry=registry)
            for source, value in sorted(values[name].items()):
                gauge.labels(source).set(value)
        ratio = Gauge(FILL_RATIO, "Share of the articles of the source's last run with the "
                      "field filled", ["source", "field"], registry=registry)
        fill = {key: value for key, value in read_fill(path).items() if key[0] in configured}
        for (source, field), value in sorted(merge_fill(fill, reports).items()):
            ratio.labels(source, field).set(value)
        write_to_textfile(str(path), registry)


FILL_RATIO = "crawler_field_fill_ratio"
Fill = dict[tuple[str, str], float]  # (source, field) -> share of articles with it filled


def read_fill(path: Path) -> Fill:
    """The crawler_field_fill_ratio series of an earlier metrics file."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    return {(sample.labels["source"], sample.labels["field"]): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples
            if sample.name == FILL_RATIO}


def merge_fill(earlier: Fill, reports: Iterable[SourceReport]) -> Fill:
    """crawler_field_fill_ratio{source,field}: the share of the articles of the source's last
    run with the field filled (stats.FILL_FIELDS). A source whose run stored articles gets this
    run's ratios; the others (skipped, not crawled, nothing stored) keep the file's."""
    from crawler.stats import FILL_FIELDS

    merged = dict(earlier)
    for report in reports:
        if report.status == "skipped":
            continue  # a skip stored nothing: the file's ratios stand
        ratios = {name: report.fill.ratio(name) for name in FILL_FIELDS}
        if all(value is None for value in ratios.values()):
            continue
        merged = {key: value for key, value in merged.items() if key[0] != report.source}
        merged.update({(report.source, name): value for name, value in ratios.items()
                       if value is not None})
    return merged
