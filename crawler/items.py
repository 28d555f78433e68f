"""Data crossing stage boundaries: discover yields Links, extract returns Articles and Teasers."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Link:
    """A pointer to an article found by discovery (feed item, sitemap entry, listing card)."""

    url: str
    title: str | None = None
    teaser: str | None = None  # the truncated text shown next to the link, if any
    published_at: datetime | None = None  # aware UTC, when the discovery source gives one
    seen_on: str | None = None  # the feed/listing/sitemap URL where the link was found


@dataclass(frozen=True)
class Teaser:
    """What a listing page, feed or related block said about an article. Never an article."""

    source: str  # source key of the page where it was seen
    seen_on: str  # URL of that page
    text: str  # the truncated text as shown (marker included)
    url: str | None = None  # canonical URL it links to, if any
    title: str | None = None


@dataclass
class Article:
    """One clean article record, ready to store. URLs are canonical (see crawler.urls)."""

    source: str
    url: str
    title: str
    body: str  # clean text, paragraphs separated by a blank line
    lead: str | None = None  # the chapeau
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None  # original publisher named by an aggregator ("L'Essor")
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    language: str | None = None
    published_at: datetime | None = None  # aware UTC
    updated_at: datetime | None = None  # aware UTC
    teasers: list[Teaser] = field(default_factory=list)  # teasers found on this article's page
    # Which layer filled each field: {"title": "selector", "authors": "json-ld", ...}
    # (selector, json-ld, meta, fallback, code; see crawler.extract).
    field_sources: dict[str, str] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """sha256 over the fields a reader sees; a re-crawl counts as `updated` only if it moves."""
        payload = {
            "title": self.title,
            "lead": self.lead,
            "body": self.body,
            "authors": self.authors,
            "publisher": self.publisher,
            "section": self.section,
            "tags": self.tags,
            "image": self.image,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }
        blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()
