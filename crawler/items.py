"""Data crossing stage boundaries: discover yields Links, extract returns Articles and Teasers."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

# What no text field keeps: C0 controls other than tab and newline (PostgreSQL refuses NUL in
# text; the rest is noise from a site's CMS), and UTF-16 surrogates, which UTF-8 cannot encode
# (a feed's "&#xD800;", a JSON-LD "\ud800"): neither database could store the item.
_UNSTORABLE = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` fit to store: a surrogate pair becomes its character and a lone surrogate U+FFFD,
    a carriage return a newline, and every other control character but tab and newline goes."""
    if not _UNSTORABLE.search(text):
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _SURROGATES.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _CONTROLS.sub("", text)


def _clean_fields(item: Any) -> None:
    """clean_text every text field of a dataclass item, and every text of its list fields: the
    one place where text from a page, a feed or an API enters what is stored."""
    for spec in fields(item):
        value = getattr(item, spec.name)
        if isinstance(value, str):
            cleaned: Any = clean_text(value)
        elif isinstance(value, list) and any(isinstance(v, str) for v in value):
            cleaned = [clean_text(v) if isinstance(v, str) else v for v in value]
        else:
            continue
        if cleaned != value:
            object.__setattr__(item, spec.name, cleaned)  # Link and Teaser are frozen


@dataclass(frozen=True)
class Link:
    """A pointer to an article found by discovery (feed item, sitemap entry, listing card)."""

    url: str
    title: str | None = None
    teaser: str | None = None  # the truncated text shown next to the link, if any
    published_at: datetime | None = None  # aware UTC, when the discovery source gives one
    seen_on: str | None = None  # the feed/listing/sitemap URL where the link was found

    def __post_init__(self) -> None:
        _clean_fields(self)


@dataclass(frozen=True)
class Teaser:
    """What a listing page, feed or related block said about an article. Never an article."""

    source: str  # source key of the page where it was seen
    seen_on: str  # URL of that page
    text: str  # the truncated text as shown (marker included)
    url: str | None = None  # the URL it links to (crawler.urls.served_url), if any
    title: str | None = None
    url_key: str | None = None  # crawler.urls.url_key of `url`; None: computed from it alone

    def __post_init__(self) -> None:
        _clean_fields(self)


@dataclass
class Article:
    """One clean article record, ready to store. `url` is the address as served; `url_key`
    says which article it is (see crawler.urls)."""

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
    url_key: str | None = None  # crawler.urls.url_key of `url`; None: computed from it alone
    published_precision: str | None = None  # "minute" or "day" (a date without a time)
    # Which layer filled each field: {"title": "selector", "authors": "json-ld", ...}
    # (selector, json-ld, meta, fallback, code; see crawler.extract).
    field_sources: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _clean_fields(self)

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
