"""What fits in a column, checked just before a row is written, the same on SQLite (which would
store anything) and PostgreSQL (which refuses the whole batch for one value over its column's
size). The sizes are read from crawler.models, so they cannot drift from the schema.

What happens to a value that is too long depends on what it is:
- cut to the column's size: a section or a publisher name (text a reader sees; its start is
  still right);
- dropped (stored as NULL): an image URL, a teaser's link, a language tag, an ETag or a
  Last-Modified (a cut URL or validator would be wrong; without one, the next request is
  unconditional);
- the item is skipped with a logged reason: an article whose URL is too long, a teaser whose
  page address is (either is the row's key: there is nothing to store it under).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any, Literal, TypeVar

from sqlalchemy import Table

from crawler.items import Action, Article, Teaser, article_fields, role
from crawler.models import ArticleRow, FetchState, TeaserRow

log = logging.getLogger(__name__)
Item = TypeVar("Item", Article, Teaser)

# field -> what to do when its value is longer than the column of the same name (an Article's
# field says it in its Role, crawler.items); the fields that skip the item are looked at first
ARTICLE_FIELDS: dict[str, Action] = dict(sorted(
    ((spec.name, role(spec).too_long) for spec in article_fields("too_long")),
    key=lambda pair: pair[1] != "skip"))
TEASER_FIELDS: dict[str, Action] = {
    "seen_on": "skip", "source": "skip", "url": "drop", "url_key": "drop",
}


def column_size(table: Table, name: str) -> int | None:
    """The size of a column in characters (String(n)), or None: unbounded, or no such column."""
    column = table.c.get(name)
    return getattr(column.type, "length", None) if column is not None else None


def fit_article(article: Article) -> Article | None:
    """`article` with every field fit to its column, or None when it cannot be stored."""
    return _fit(article, ArticleRow.__table__, ARTICLE_FIELDS, "article")


def fit_teaser(teaser: Teaser) -> Teaser | None:
    """`teaser` with every field fit to its column, or None when it cannot be stored."""
    return _fit(teaser, TeaserRow.__table__, TEASER_FIELDS, "teaser")


def fit_validator(name: Literal["etag", "last_modified"], value: str | None) -> str | None:
    """An ETag or Last-Modified value to keep, or None when it is longer than its column."""
    size = column_size(FetchState.__table__, name)
    if value is None or size is None or len(value) <= size:
        return value
    log.info("%s of %d characters not kept (at most %d): the next request is unconditional",
             name, len(value), size)
    return None


def _fit(item: Item, table: Table, actions: dict[str, Action], kind: str) -> Item | None:
    changes: dict[str, Any] = {}
    for name, action in actions.items():
        value = getattr(item, name, None)
        size = column_size(table, name)
        if not isinstance(value, str) or size is None or len(value) <= size:
            continue
        where = getattr(item, "url", None) or getattr(item, "seen_on", None) or ""
        if action == "skip":
            log.warning("%s: %s not stored: its %s has %d characters, over the %d the database "
                        "holds: %.120s…", item.source[:64], kind, name, len(value), size, where,
                        extra={"event": f"{kind}_skipped", "source": item.source[:64],
                               "url": where[:size], "error": f"{name} too long"})
            return None
        changes[name] = value[:size] if action == "cut" else None
        log.info("%s: %s %s of %d characters %s (at most %d): %.120s", item.source, kind, name,
                 len(value), "cut" if action == "cut" else "dropped", size, where)
    return replace(item, **changes) if changes else item
