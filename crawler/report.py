"""What one crawl of one source did (SourceReport), in words a caller can test: its Status, the
Outcome of each article stored, and how full the stored articles' fields were (FieldFill).

No database and no HTTP here: `crawl` reports sources it did not crawl (nothing due) with the
same type, before it loads the crawl machinery.
"""

from __future__ import annotations

import logging
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from crawler.items import SELECTOR, clean_text

if TYPE_CHECKING:
    from crawler.http.client import Response
    from crawler.models import SourceRun

log = logging.getLogger("crawler.pipeline")  # the name the crawl's log lines have always had


class Status(StrEnum):
    """Where a source's crawl is, or how it ended (stored in source_runs.status as its value)."""

    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"  # not crawled: not due, locked, backing off, robots' delay too long
    INTERRUPTED = "interrupted"  # stopped (SIGINT/SIGTERM): what was fetched is stored


class Outcome(StrEnum):
    """What storing one article did (crawler.store.Store.upsert_articles)."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"  # refused: it cannot be stored (crawler.limits; logged)


# The fields whose fill is watched: a site that changes its markup empties some of them.
FILL_FIELDS = ("title", "lead", "body", "authors", "published", "section", "image")


@dataclass
class FieldFill:
    """How many of a set of articles have each field filled, and their bodies' lengths."""

    articles: int = 0
    filled: Counter[str] = field(default_factory=Counter)
    # filled by the source's own selector (`Article.field_sources`): a selector that stops
    # matching leaves the field to the generic layers, which may still fill it
    selected: Counter[str] = field(default_factory=Counter)
    body_lengths: list[int] = field(default_factory=list, repr=False)

    def add(self, article: Any) -> None:
        """One Article (or stored row: same attribute names but the dates')."""
        self.articles += 1
        for name in FILL_FIELDS:
            value = getattr(article, "published_at" if name == "published" else name)
            self.filled[name] += value not in (None, "", [])
        self.count_layers(article.field_sources)
        self.body_lengths.append(len(article.body or ""))

    def count_layers(self, field_sources: dict[str, str] | None) -> None:
        """One article's `field_sources`: which of its fields its source's selector filled."""
        for name, layer in (field_sources or {}).items():
            if layer == SELECTOR and name in FILL_FIELDS:
                self.selected[name] += 1

    def ratio(self, name: str) -> float | None:
        return self.filled[name] / self.articles if self.articles else None

    def selector_ratio(self, name: str) -> float | None:
        return self.selected[name] / self.articles if self.articles else None

    @property
    def median_body(self) -> float | None:
        return statistics.median(self.body_lengths) if self.body_lengths else None

    def as_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "median_body_chars": self.median_body,
                **{name: self.ratio(name) for name in FILL_FIELDS}}


@dataclass
class SourceReport:
    """What one crawl of one source did; the CLI prints it, the run record sums it."""

    source: str
    status: Status = Status.RUNNING
    pages: int = 0  # feed, sitemap and listing pages fetched
    articles: int = 0  # article pages fetched
    failed_fetches: int = 0  # article pages that could not be fetched
    new: int = 0
    updated: int = 0
    unchanged: int = 0  # refetched (--refresh) and found the same
    already_stored: int = 0  # links to articles stored earlier, not fetched again
    teasers: int = 0
    teasers_matched: int = 0  # settled by the dedup step: linked to their article (by URL or
    teasers_unmatched: int = 0  # text), or left unlinked until their article arrives
    copies: int = 0  # republished copies linked to their original
    errors: list[str] = field(default_factory=list)
    fetch_ms: list[int] = field(default_factory=list)  # time of every request, for stats
    started: float = field(default_factory=time.monotonic)
    duration: float = 0.0

    skipped: str | None = None  # why the source was not crawled, when status is SKIPPED
    fill: FieldFill = field(default_factory=FieldFill)  # fields filled in this run's articles
    drift: list[str] = field(default_factory=list)  # fields that stopped filling (stats.drift)

    def skip(self, reason: str, *, level: int = logging.INFO) -> SourceReport:
        # INFO when it is simply not due; WARNING when something keeps it from being crawled
        log.log(level, "%s: skipped: %s", self.source, reason, extra={
            "event": "source_skipped", "source": self.source, "reason": reason})
        self.status, self.skipped = Status.SKIPPED, reason
        self.duration = time.monotonic() - self.started
        return self

    def error(self, message: str, url: str | None = None) -> None:
        # the CLI lists every error after the summary; a message may quote a page's bytes, and
        # crawl_runs.error_log (jsonb on PostgreSQL) takes no NUL nor lone surrogate
        message = clean_text(message)
        log.warning("%s: %s", self.source, message,
                    extra={"event": "fetch_failed", "source": self.source, "url": url,
                           "error": message})
        self.errors.append(message)

    def fetched(self, response: Response) -> None:
        self.fetch_ms.append(round(response.elapsed * 1000))

    def row(self, run_id: int | None, started_at: datetime) -> SourceRun:
        """This report as a `source_runs` row."""
        from crawler.models import SourceRun

        return SourceRun(
            run_id=run_id, source=self.source, started_at=started_at,
            finished_at=datetime.now(UTC), status=self.status.value, pages=self.pages,
            articles=self.articles, new=self.new, updated=self.updated,
            unchanged=self.unchanged, teasers=self.teasers,
            teasers_matched=self.teasers_matched, teasers_unmatched=self.teasers_unmatched,
            copies=self.copies, errors=len(self.errors),
            error=self.errors[0] if self.errors else None, fetch_ms=self.fetch_ms)
