"""What `crawl stats` reports per source, read from the database with SQLAlchemy Core, and
the per-day sparkline it draws.

The window is [since, until): `since` included, `until` excluded, both aware UTC. An article is
dated by its `published_at`, or by its `first_seen_at` when the site gave no date; that date
places it in the window and on its day. Outside the window are only "articles" (every stored
row of the source, copies included, whatever its date), the last success and the consecutive
failures (the source's current state). Teasers count by the day they were first seen, fetch
times by the crawls that started in the window, edited articles by when a crawl found their
text changed (an article edited twice in the window counts once).

Dates are bucketed into UTC days in Python, not in SQL, so SQLite and PostgreSQL (whatever its
session time zone) give the same days.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Text, case, cast, func, select, union

from crawler.models import (
    ArticleRevision,
    ArticleRow,
    SourceRun,
    SourceState,
    TeaserRow,
    article_date,
)
from crawler.report import FILL_FIELDS, FieldFill
from crawler.store import Store

BATCH = 1000
BARS = "▁▂▃▄▅▆▇█"  # ▁ a day without articles, █ the busiest cell of the row
MAX_CELLS = 31  # a month fits at one cell per day; a wider window puts several days in a cell


@dataclass
class SourceStats:
    """One source over the window, or the totals of several (source "total")."""

    source: str
    articles: int = 0  # every stored row of the source, copies included, whatever its date
    per_day: Counter[date] = field(default_factory=Counter)  # articles dated in the window
    copies: int = 0  # articles dated in the window that are copies linked to their original
    edited: int = 0  # articles whose title, lead or body a crawl in the window found changed
    teasers_seen: int = 0  # teasers first seen in the window
    teasers_matched: int = 0  # of those, the ones linked to their article
    last_success_at: datetime | None = None
    consecutive_failures: int = 0
    fetch_ms: list[int] = field(default_factory=list, repr=False)  # requests of the window
    # fields filled in the articles dated in the window, and in all the source's articles
    fill_window: FieldFill | None = None
    fill_history: FieldFill | None = None

    @property
    def in_window(self) -> int:
        return sum(self.per_day.values())

    @property
    def median_fetch_ms(self) -> float | None:
        return statistics.median(self.fetch_ms) if self.fetch_ms else None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; `per_day` lists only the days with articles, oldest first."""
        return {
            "source": self.source, "articles": self.articles, "in_window": self.in_window,
            "per_day": {day.isoformat(): self.per_day[day] for day in sorted(self.per_day)},
            "last_success": self.last_success_at.isoformat() if self.last_success_at else None,
            "consecutive_failures": self.consecutive_failures,
            "median_fetch_ms": self.median_fetch_ms, "teasers_seen": self.teasers_seen,
            "teasers_matched": self.teasers_matched, "copies": self.copies,
            "edited": self.edited,
            "fill": {"window": self.fill_window and self.fill_window.as_dict(),
                     "history": self.fill_history and self.fill_history.as_dict()},
        }


def stored_sources(store: Store) -> list[str]:
    """Every source name the database knows: with articles, teasers, runs or a state."""
    query = union(*(select(model.__table__.c.source)
                    for model in (ArticleRow, TeaserRow, SourceRun, SourceState)))
    with store.engine.connect() as connection:
        return sorted(connection.execute(query).scalars())


def source_stats(store: Store, *, since: datetime, until: datetime | None = None,
                 sources: list[str] | None = None) -> list[SourceStats]:
    """Per source (`sources`, or every stored one), sorted by name, over [since, until);
    `until` defaults to now."""
    until = until or datetime.now(since.tzinfo)
    names = sorted(sources) if sources else stored_sources(store)
    stats = {name: SourceStats(name) for name in names}
    articles = ArticleRow.__table__.c
    teasers = TeaserRow.__table__.c
    runs = SourceRun.__table__.c
    states = SourceState.__table__.c
    revisions = ArticleRevision.__table__.c
    dated = article_date()

    with store.engine.connect() as connection:
        totals = select(articles.source, func.count()).where(articles.source.in_(names))
        for name, count in connection.execute(totals.group_by(articles.source)):
            stats[name].articles = count

        in_window = select(articles.source, dated, articles.duplicate_of).where(
            articles.source.in_(names), dated >= since, dated < until)
        for name, when, duplicate_of in connection.execute(
                in_window.execution_options(yield_per=BATCH)):
            stats[name].per_day[when.date()] += 1
            stats[name].copies += duplicate_of is not None

        seen = select(teasers.source, func.count(), func.count(teasers.article_id)).where(
            teasers.source.in_(names), teasers.first_seen_at >= since,
            teasers.first_seen_at < until).group_by(teasers.source)
        for name, count, matched in connection.execute(seen):
            stats[name].teasers_seen, stats[name].teasers_matched = count, matched

        edited = (select(articles.source, func.count(revisions.article_id.distinct()))
                  .join_from(ArticleRevision.__table__, ArticleRow.__table__,
                             revisions.article_id == articles.id)
                  .where(articles.source.in_(names), revisions.replaced_at >= since,
                         revisions.replaced_at < until).group_by(articles.source))
        for name, count in connection.execute(edited):
            stats[name].edited = count

        state = select(states.source, states.last_success_at, states.consecutive_failures)
        for name, last_success_at, failures in connection.execute(
                state.where(states.source.in_(names))):
            stats[name].last_success_at = last_success_at
            stats[name].consecutive_failures = failures

        fetches = select(runs.source, runs.fetch_ms).where(
            runs.source.in_(names), runs.started_at >= since, runs.started_at < until)
        for name, fetch_ms in connection.execute(fetches.execution_options(yield_per=BATCH)):
            stats[name].fetch_ms.extend(fetch_ms)
    for name, one in stats.items():
        one.fill_window = stored_fill(store, name, since=since, until=until)
        one.fill_history = stored_fill(store, name)
    return list(stats.values())


def total(stats: list[SourceStats]) -> SourceStats:
    """The sum of the sources' counts and failures, and the median of all their fetches;
    no last success."""
    summed = SourceStats("total")
    for one in stats:
        summed.articles += one.articles
        summed.per_day.update(one.per_day)
        summed.copies += one.copies
        summed.edited += one.edited
        summed.teasers_seen += one.teasers_seen
        summed.teasers_matched += one.teasers_matched
        summed.consecutive_failures += one.consecutive_failures
        summed.fetch_ms.extend(one.fetch_ms)
    return summed


def days_per_cell(days: int) -> int:
    return math.ceil(days / MAX_CELLS)


def sparkline(per_day: Mapping[date, int], first_day: date, days: int) -> str:
    """One cell per day (per days_per_cell days on a wide window), scaled to the row's peak."""
    step = days_per_cell(days)
    cells = [sum(per_day.get(first_day + timedelta(days=day), 0)
                 for day in range(start, min(start + step, days)))
             for start in range(0, days, step)]
    peak = max(cells, default=0)
    top = len(BARS) - 1
    return "".join(BARS[math.ceil(count / peak * top)] if count else BARS[0] for count in cells)


# ---- field fill and drift (FieldFill: crawler.report) ----------------------------------------

DRIFT_FILLED_BEFORE = 0.9  # a field filled in at least 90% of the earlier articles ...
DRIFT_FILLED_NOW = 0.5  # ... that falls under 50% in a run has drifted
DRIFT_MIN_ARTICLES = 3  # fewer articles on either side say nothing either way
DRIFT_HISTORY = 500  # the earlier articles: the source's latest this many


def stored_fill(store: Store, source: str, *, since: datetime | None = None,
                until: datetime | None = None, latest: int | None = None) -> FieldFill:
    """Field fill of the source's stored articles: those dated in [since, until) when given,
    only the `latest` stored when given (by id), else all."""
    articles = ArticleRow.__table__.c
    dated = article_date()
    filled = {
        "title": articles.title != "", "lead": func.coalesce(articles.lead, "") != "",
        "body": articles.body != "",
        # JSON as stored: "[]" for no author (SQLAlchemy writes json.dumps([]))
        "authors": func.coalesce(cast(articles.authors, Text), "[]").not_in(["[]", "null"]),
        "published": articles.published_at.is_not(None),
        "section": func.coalesce(articles.section, "") != "",
        "image": func.coalesce(articles.image, "") != "",
    }
    rows = select(articles.id, func.length(articles.body).label("body_chars"),
                  articles.field_sources,
                  *(case((condition, 1), else_=0).label(name)
                    for name, condition in filled.items())).where(articles.source == source)
    if since is not None:
        rows = rows.where(dated >= since)
    if until is not None:
        rows = rows.where(dated < until)
    if latest is not None:
        rows = rows.order_by(articles.id.desc()).limit(latest)
    fill = FieldFill()
    # store._errors: a database fault here is the run's (StoreError), as in every Store call
    with store._errors(), store.engine.connect() as connection:
        for row in connection.execute(rows.execution_options(yield_per=BATCH)):
            fill.articles += 1
            fill.body_lengths.append(row.body_chars or 0)
            for name in FILL_FIELDS:
                fill.filled[name] += getattr(row, name)
            fill.count_layers(row.field_sources)
    return fill


def drift(earlier: FieldFill, now: FieldFill) -> list[str]:
    """What went missing in `now` (one run's articles) against `earlier` (the source's articles
    before it): each field filled in at least 90% before and under 50% now, and a body median
    length that halved. Empty when either side has too few articles to tell."""
    if min(earlier.articles, now.articles) < DRIFT_MIN_ARTICLES:
        return []
    found = []
    for name in FILL_FIELDS:
        before, after = earlier.ratio(name), now.ratio(name)
        if before >= DRIFT_FILLED_BEFORE and after < DRIFT_FILLED_NOW:
            found.append(f"{name} filled in {after:.0%} of {now.articles} articles "
                         f"(was {before:.0%} of {earlier.articles})")
            continue
        # still filled, but no longer by the source's selector: the generic layers took over
        # (and may read something else than the selector did)
        before, after = earlier.selector_ratio(name), now.selector_ratio(name)
        if before >= DRIFT_FILLED_BEFORE and after < DRIFT_FILLED_NOW:
            found.append(f"{name} filled by its selector in {after:.0%} of {now.articles} "
                         f"articles (was {before:.0%} of {earlier.articles}), by the generic "
                         f"layers in {now.ratio(name) - after:.0%}")
    before_body, body = earlier.median_body, now.median_body
    if before_body and body is not None and body < before_body / 2:
        found.append(f"median body {body:.0f} chars (was {before_body:.0f})")
    return found
