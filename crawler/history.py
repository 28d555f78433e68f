"""An article's versions, oldest first, and the word diff between consecutive ones.

Earlier versions are the rows of `article_revisions` (a trigger keeps them, see
crawler.models.ArticleRevision); the current version is the article row itself. A version was
seen from when it first appeared (the article's first sighting, or when it replaced the one
before) until the last crawl that found it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import SQLAlchemyError

from crawler.errors import StoreError, UsageError
from crawler.models import ArticleRevision, ArticleRow
from crawler.store import Store
from crawler.urls import url_key

CONTEXT_WORDS = 6  # unchanged words shown around a change
FIELDS = ("title", "lead", "body")


@dataclass
class Version:
    number: int  # 1 is the first version seen
    first_seen: datetime
    last_seen: datetime
    title: str
    lead: str | None
    body: str
    updated_at: datetime | None  # the site's modification date, when it gave one
    content_hash: str
    current: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number, "current": self.current,
            "first_seen": self.first_seen.isoformat(), "last_seen": self.last_seen.isoformat(),
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "content_hash": self.content_hash, "title": self.title, "lead": self.lead,
            "body": self.body,
        }


@dataclass
class History:
    article_id: int
    url: str
    source: str
    versions: list[Version]

    def changes(self) -> Iterator[tuple[Version, Version, dict[str, list[Hunk]]]]:
        """Each pair of consecutive versions with the word diff of each field that changed."""
        for before, after in zip(self.versions, self.versions[1:], strict=False):
            diffs = {name: word_diff(getattr(before, name) or "", getattr(after, name) or "")
                     for name in FIELDS if getattr(before, name) != getattr(after, name)}
            yield before, after, diffs


def history(store: Store, url: str) -> History:
    """The versions of the article stored at `url` (as given, or any URL with its key: http or
    https, with or without www)."""
    articles, revisions = ArticleRow.__table__, ArticleRevision.__table__
    try:
        with store.engine.connect() as connection:
            row = connection.execute(select(articles).where(or_(
                articles.c.url == url, articles.c.url_key == url_key(url)))).first()
            if row is None:
                raise UsageError(f"history: no article stored at {url}")
            earlier = connection.execute(select(revisions).where(
                revisions.c.article_id == row.id).order_by(revisions.c.id)).all()
    except SQLAlchemyError as exc:
        raise StoreError(f"history: {str(getattr(exc, 'orig', None) or exc).splitlines()[0]}"
                         ) from exc
    versions: list[Version] = []
    first_seen = row.first_seen_at
    for number, old in enumerate(earlier, 1):
        versions.append(Version(number, first_seen, old.seen_at, old.title, old.lead, old.body,
                                old.updated_at, old.content_hash))
        first_seen = old.replaced_at
    versions.append(Version(len(earlier) + 1, first_seen, row.last_seen_at, row.title, row.lead,
                            row.body, row.updated_at, row.content_hash, current=True))
    return History(row.id, row.url, row.source, versions)


@dataclass(frozen=True)
class Change:
    """A run of words: kept ("="), removed ("-") or added ("+")."""

    kind: str
    text: str

    def marked(self) -> str:
        """git's --word-diff=plain notation: [-removed-] {+added+}."""
        return {"=": self.text, "-": f"[-{self.text}-]", "+": f"{{+{self.text}+}}"}[self.kind]


@dataclass
class Hunk:
    """Changes close together, with up to CONTEXT_WORDS unchanged words around them."""

    changes: list[Change]
    at_start: bool  # the field begins here
    at_end: bool  # the field ends here

    def text(self) -> str:
        """One line; "…" where the field goes on before or after it."""
        line = " ".join(change.marked() for change in self.changes)
        return ("" if self.at_start else "… ") + line + ("" if self.at_end else " …")

    def as_dict(self) -> dict[str, Any]:
        return {"at_start": self.at_start, "at_end": self.at_end,
                "changes": [[change.kind, change.text] for change in self.changes]}


def word_diff(before: str, after: str, context: int = CONTEXT_WORDS) -> list[Hunk]:
    """The changes from `before` to `after`, word by word (whitespace is not a change)."""
    old, new = re.findall(r"\S+", before), re.findall(r"\S+", after)
    # autojunk off: it would treat frequent words ("de", "la") as noise in long bodies
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(context):
        changes: list[Change] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                changes.append(Change("=", " ".join(old[i1:i2])))
                continue
            if i2 > i1:
                changes.append(Change("-", " ".join(old[i1:i2])))
            if j2 > j1:
                changes.append(Change("+", " ".join(new[j1:j2])))
        first, last = group[0], group[-1]
        hunks.append(Hunk(changes, at_start=first[1] == 0 and first[3] == 0,
                          at_end=last[2] == len(old) and last[4] == len(new)))
    return hunks
