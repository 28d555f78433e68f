"""Data crossing stage boundaries: discover yields Links, extract returns what it Parsed (an
Article, a partial copy as a Teaser, or nothing and why) and Teasers."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import Field, dataclass, field, fields
from datetime import datetime
from functools import cache
from typing import Any, Literal

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
    # `url` as kept (crawler.urls.served_url: no tracking tags, no fragment) and its key
    # (url_key, with the source's hosts), set where discovery reads the page
    # (crawler.discover, SourceParser.address). `url` stays as linked: it is what is fetched.
    kept: str | None = None
    key: str | None = None

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


# ---- the field list ------------------------------------------------------------------------
# Every Article field says what it is to the rest of the package in its metadata (a Role), and
# each consumer reads the list from here: the content hash, the stored row (crawler.store), the
# column limits (crawler.limits), the export columns (crawler.export), parse's plain fields and
# provenance (crawler.extract), `crawl sources check` and the expected records of the source
# tests. tests/test_field_list.py checks that each consumer covers what its flag says.

ROLE = "article"  # the metadata key
Action = Literal["cut", "drop", "skip"]  # what crawler.limits does with a value over its column


@dataclass(frozen=True)
class Role:
    """What an Article field is to the rest of the package."""

    hashed: bool = False  # in content_hash: a change of it makes a re-crawl `updated`
    column: bool = True  # stored in the `articles` column of the same name
    exported: bool = True  # a column of `crawl export --table articles` (a stored field only)
    recorded: bool = True  # in a source's expected records (tests/sources/<source>/)
    # Its name where fields are filled layer by layer (selector, JSON-LD, <meta>, fallback):
    # the key of field_sources, the Selectors attribute, the line of `crawl sources check`.
    layer: str | None = None
    read: str | None = None  # the SourceParser method whose value parse() stores as it is
    too_long: Action | None = None  # over its column's size: cut, drop or skip (crawler.limits)


def _role(role: Role, **kwargs: Any) -> Any:
    return field(metadata={ROLE: role}, **kwargs)


_CONTENT = Role(hashed=True)  # what a reader sees: in the hash, stored, exported, recorded

# Layers a field can come from, as `Article.field_sources` records them: the source's
# configured selector, the page's JSON-LD, its <meta> tags, the generic fallback (the page's
# markup read without a selector), or a source module's own code.
SELECTOR, JSON_LD, META, FALLBACK, CODE = "selector", "json-ld", "meta", "fallback", "code"


@dataclass(kw_only=True)
class Article:
    """One clean article record, ready to store. `url` is the address as served; `url_key`
    says which article it is (see crawler.urls). The order of the fields is the order of the
    export's columns and of the records."""

    source: str = _role(Role(too_long="skip"))
    url: str = _role(Role(too_long="skip"))
    title: str = _role(Role(hashed=True, layer="title"))
    lead: str | None = _role(Role(hashed=True, layer="lead"), default=None)  # the chapeau
    # clean text, paragraphs separated by a blank line
    body: str = _role(Role(hashed=True, layer="body"))
    authors: list[str] = _role(Role(hashed=True, layer="authors"), default_factory=list)
    # original publisher named by an aggregator ("L'Essor")
    publisher: str | None = _role(Role(hashed=True, layer="publisher", too_long="cut"),
                                  default=None)
    section: str | None = _role(Role(hashed=True, layer="section", read="section",
                                     too_long="cut"), default=None)
    tags: list[str] = _role(Role(hashed=True, layer="tags", read="tags"), default_factory=list)
    image: str | None = _role(Role(hashed=True, layer="image", read="image", too_long="drop"),
                              default=None)
    language: str | None = _role(Role(read="language", too_long="drop"), default=None)
    published_at: datetime | None = _role(Role(hashed=True, layer="published"),
                                          default=None)  # aware UTC
    # "minute" or "day" (a date without a time)
    published_precision: str | None = _role(Role(recorded=False, too_long="drop"),
                                            default=None)
    updated_at: datetime | None = _role(Role(hashed=True, layer="updated", read="updated"),
                                        default=None)  # aware UTC
    # Which layer filled each field: {"title": "selector", "authors": "json-ld", ...}
    # (selector, json-ld, meta, fallback, code; see crawler.extract). Recorded in the page
    # fixtures only (scripts/record_cassettes.py), with the teasers.
    field_sources: dict[str, str] = _role(Role(recorded=False), default_factory=dict)
    # teasers found on this article's page: stored as teasers (crawler.store.add_teasers)
    teasers: list[Teaser] = _role(Role(column=False, exported=False, recorded=False),
                                  default_factory=list)
    # crawler.urls.url_key of `url`; None: computed from it alone
    url_key: str | None = _role(Role(exported=False, recorded=False, too_long="skip"),
                                default=None)

    def __post_init__(self) -> None:
        _clean_fields(self)

    @property
    def content_hash(self) -> str:
        """sha256 over the fields a reader sees (Role.hashed); a re-crawl counts as `updated`
        only if it moves."""
        payload = {spec.name: json_value(getattr(self, spec.name))
                   for spec in article_fields("hashed")}
        blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()


@dataclass(frozen=True)
class Parsed:
    """What parsing an article page found (crawler.extract.SourceParser.find), said outright:
    an `article`; a `copy`, an aggregator's page giving only the start of another paper's
    article, kept as a Teaser of the original (never an Article); or neither, and then
    `missing` names what the page lacked ("title", "body" or both)."""

    article: Article | None = None
    copy: Teaser | None = None
    missing: tuple[str, ...] = ()

    @property
    def found(self) -> Article | Teaser | None:
        """The article, else the partial copy, else None."""
        return self.article if self.article is not None else self.copy

    @property
    def why(self) -> str:
        """Why there is no article: "no title", "no body" or "no title and no body"."""
        return " and ".join(f"no {what}" for what in self.missing)


def role(spec: Field[Any]) -> Role:
    """The Role of one of Article's fields."""
    return spec.metadata[ROLE]


@cache
def article_fields(flag: str | None = None) -> tuple[Field[Any], ...]:
    """Article's fields in order; with `flag` ("hashed", "column", "exported", "recorded",
    "layer", "read", "too_long"), those whose Role sets it. An exported field is a stored one."""
    specs = fields(Article)
    if flag is None:
        return specs
    return tuple(spec for spec in specs if getattr(role(spec), flag)
                 and (flag != "exported" or role(spec).column))


def json_value(value: Any) -> Any:
    """A field's value as JSON holds it (a date in ISO 8601)."""
    return value.isoformat() if isinstance(value, datetime) else value
