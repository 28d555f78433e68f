"""sources.yaml -> validated pydantic models; a mistake reads "file:line: field: why"."""

from __future__ import annotations

import difflib
import importlib.util
import re
from collections.abc import Hashable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from crawler.errors import ConfigError
from crawler.publishers import publisher_keys
from crawler.urls import host_of

GENERIC_KINDS = ("rss", "wordpress", "sitemap", "listing")
DEFAULT_ENTRY_TYPE = {"rss": "feed", "wordpress": "feed", "sitemap": "sitemap"}  # else listing
DEFAULT_EVERY = timedelta(hours=1)
SCHEMA_DRAFT = "http://json-schema.org/draft-07/schema#"  # yaml-language-server speaks draft-07

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")
_INTERVAL = re.compile(r"^(?:\d+[smhd])+$")
_INTERVAL_PART = re.compile(r"(\d+)([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_CSS_PROBE = LexborHTMLParser("<p></p>")


def _hostname(value: str) -> str:
    host = value.strip().lower()
    if not _HOSTNAME.match(host):
        raise ValueError(f"not a hostname: {value!r}")
    return host


def _http_url(value: str) -> str:
    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        ok = False
    if not ok or any(c.isspace() for c in value):
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value


def _css(value: str) -> str:
    try:
        _CSS_PROBE.css(value)
    except SelectolaxError:
        raise ValueError(f"not a valid CSS selector: {value!r}") from None
    return value


def _interval(value: Any) -> Any:
    """'30m', '2h', '1d', '90s', '1h30m' or an int of seconds -> timedelta."""
    if value is None or isinstance(value, timedelta):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        interval = timedelta(seconds=value)
    elif isinstance(value, str) and _INTERVAL.match(value.strip()):
        parts = _INTERVAL_PART.findall(value)
        interval = sum((timedelta(**{_UNITS[unit]: int(n)}) for n, unit in parts), timedelta())
    else:
        raise ValueError(f"not an interval (like 30m, 2h, 1d, 90s): {value!r}")
    if interval <= timedelta(0):
        raise ValueError(f"interval must be positive: {value!r}")
    return interval


Css = Annotated[str, AfterValidator(_css)]
Hostname = Annotated[str, AfterValidator(_hostname)]
WebUrl = Annotated[str, AfterValidator(_http_url)]
Interval = Annotated[
    timedelta | None,
    BeforeValidator(_interval),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 1},
                              {"type": "string", "pattern": _INTERVAL.pattern}, {"type": "null"}],
                    "description": 'Interval: "30m", "2h", "1d", "90s" or seconds; default 1h'}),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Settings(_Model):
    """Crawl-wide defaults."""

    user_agent: str = "MaliPressCrawler/0.1 (+https://github.com/malipress/crawler)"
    delay: float = Field(1.0, ge=0, description="Seconds between two requests to one host")
    concurrency: int = Field(2, ge=1, description="Parallel requests per host")
    timeout: float = Field(20.0, gt=0)
    max_bytes: int = Field(5_000_000, gt=0)
    max_pages: int = Field(50, ge=1, description="Pagination cap per entry point in a backfill")
    copy_window_days: int = Field(60, ge=0)


class Selectors(_Model):
    """CSS selectors; all optional. `links`/`teaser`/`next_page` apply to listing pages."""

    title: Css | None = None
    lead: Css | None = None
    body: Css | None = None
    authors: Css | None = None
    published: Css | None = None
    updated: Css | None = None
    section: Css | None = None
    tags: Css | None = None
    image: Css | None = None
    publisher: Css | None = None
    links: Css | None = None
    teaser: Css | None = None
    next_page: Css | None = None
    remove: tuple[Css, ...] = ()


class EntryPoint(_Model):
    """Where discovery starts. `type` defaults from the source's kind."""

    url: WebUrl
    type: Literal["feed", "sitemap", "listing", "api"] | None = None
    page_url: str | None = Field(None, description="URL of page N, with a {page} placeholder")

    @field_validator("page_url")
    @classmethod
    def _check_page_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if "{page}" not in value:
            raise ValueError(f"must contain {{page}}: {value!r}")
        _http_url(value.replace("{page}", "1"))
        return value

    def page(self, number: int) -> str:
        """URL of page `number` (the entry URL itself when there is no page_url)."""
        return self.page_url.replace("{page}", str(number)) if self.page_url else self.url


def _entry_point(value: Any) -> Any:
    return {"url": value} if isinstance(value, str) else value


EntryPointOrUrl = Annotated[
    EntryPoint, BeforeValidator(_entry_point, json_schema_input_type=str | EntryPoint)
]


class Source(_Model):
    """One site to crawl."""

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str | None = None
    kind: str = Field(description="rss | wordpress | sitemap | listing | a crawler.sources module",
                      examples=list(GENERIC_KINDS))
    base_url: WebUrl
    hosts: tuple[Hostname, ...] = Field(
        (), description="Host aliases serving the same paths: their URLs are rewritten to "
        "base_url's host")
    other_hosts: tuple[Hostname, ...] = Field(
        (), description="The paper's other sites with paths of their own (an older site): "
        "followed and fetched, their URLs kept as they are")
    entry_points: tuple[EntryPointOrUrl, ...] = Field(min_length=1)
    article_url_pattern: str | None = Field(None, description="Regex searched in the URL path")
    selectors: Selectors = Selectors()
    language: str = Field("fr", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
    every: Interval = None
    cron: str | None = Field(None, description="5-field cron expression; exclusive with every")
    enabled: bool = True
    aggregator: bool = Field(False, description="Republishes other papers")
    title_prefix: str | None = Field(
        None, description='Regex of what the site puts before every title ("^Mali\\s*:")')
    delay: float | None = Field(None, ge=0)
    concurrency: int | None = Field(None, ge=1)
    # Every source's names in the same config (see Config), so an aggregator's parser can name
    # the original publisher as configured: {publisher_key: title}.
    _publishers: dict[str, str] = PrivateAttr(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _default_every(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("every") is None and data.get("cron") is None:
            return {**data, "every": DEFAULT_EVERY}
        return data

    @field_validator("name")
    @classmethod
    def _unique_name(cls, value: str, info: ValidationInfo) -> str:
        seen = info.context.setdefault("names", set()) if info.context is not None else set()
        if value in seen:
            raise ValueError(f"duplicate source name {value!r}")
        seen.add(value)
        return value

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value in GENERIC_KINDS:
            return value
        if re.fullmatch(r"[a-z0-9_]+", value):
            try:
                if importlib.util.find_spec(f"crawler.sources.{value}") is not None:
                    return value
            except ModuleNotFoundError:
                pass
        raise ValueError(f"unknown kind {value!r}: not one of {', '.join(GENERIC_KINDS)} "
                         f"and no module crawler/sources/{value}.py")

    @field_validator("entry_points")
    @classmethod
    def _default_types(
        cls, value: tuple[EntryPoint, ...], info: ValidationInfo
    ) -> tuple[EntryPoint, ...]:
        default = DEFAULT_ENTRY_TYPE.get(info.data.get("kind", ""), "listing")
        return tuple(ep if ep.type else ep.model_copy(update={"type": default}) for ep in value)

    @field_validator("article_url_pattern", "title_prefix")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        try:
            return value if value is None else re.compile(value).pattern
        except re.error as e:
            raise ValueError(f"not a valid regex ({e}): {value!r}") from None

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        if info.data.get("every") is not None:
            raise ValueError("give either `every` or `cron`, not both")
        try:
            CronTrigger.from_crontab(value, timezone="UTC")
        except ValueError as e:
            raise ValueError(f"not a cron expression ({e}): {value!r}") from None
        return value

    @property
    def host(self) -> str:
        return host_of(self.base_url)

    @property
    def all_hosts(self) -> frozenset[str]:
        """Every host whose article pages are this source's."""
        return frozenset((self.host, *self.hosts, *self.other_hosts))

    def next_after(self, crawled_at: datetime, *, slack: float = 1.0) -> datetime:
        """When the source is due again after a crawl started at `crawled_at`: `every` later
        (times `slack`, < 1 for triggers that fire a little early), or the next time its
        `cron` fires after it."""
        if self.cron:
            trigger = CronTrigger.from_crontab(self.cron, timezone=UTC)
            return trigger.get_next_fire_time(None, crawled_at + timedelta(seconds=1))
        return crawled_at + self.every * slack

    @property
    def alias_hosts(self) -> frozenset[str]:
        """The hosts whose URLs are rewritten to `host` (same paths)."""
        return frozenset((self.host, *self.hosts))

    @property
    def is_module(self) -> bool:
        """True when the kind names a module under crawler/sources/ rather than a generic kind."""
        return self.kind not in GENERIC_KINDS

    @property
    def known_publishers(self) -> dict[str, str]:
        """{publisher_key(name): title} for every source of the config this one came from."""
        return self._publishers

    def is_article_url(self, url: str) -> bool:
        """True for a URL on one of our hosts whose path matches article_url_pattern (if any)."""
        if host_of(url) not in self.all_hosts:
            return False
        pattern = self.article_url_pattern
        return pattern is None or re.search(pattern, urlsplit(url).path) is not None

    def delay_seconds(self, settings: Settings) -> float:
        return settings.delay if self.delay is None else self.delay

    def concurrency_value(self, settings: Settings) -> int:
        return settings.concurrency if self.concurrency is None else self.concurrency


class Config(_Model):
    """The whole of sources.yaml. `path` is where it was read from (not a YAML key); top-level
    keys starting with `x-` are ignored, to hold YAML anchors shared by several sources."""

    model_config = ConfigDict(json_schema_extra={"patternProperties": {"^x-": {}}})
    settings: Settings = Settings()
    sources: tuple[Source, ...]
    path: SkipJsonSchema[Path | None] = Field(None, exclude=True)

    @model_validator(mode="after")
    def _unique_names(self) -> Config:
        names = self.names()
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:  # load_config reports these per source, with lines; this guards direct use
            raise ValueError(f"duplicate source names: {', '.join(dupes)}")
        return self

    @model_validator(mode="after")
    def _share_publishers(self) -> Config:
        known: dict[str, str] = {}
        for source in self.sources:
            for key in publisher_keys(source):
                known.setdefault(key, source.title or source.name)
        for source in self.sources:
            source._publishers = known
        return self

    def names(self) -> list[str]:
        return [s.name for s in self.sources]

    def enabled_sources(self) -> list[Source]:
        return [s for s in self.sources if s.enabled]

    def source(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)


# --- loading with line numbers ---------------------------------------------------------------


class _Map(dict):
    """A YAML mapping that remembers its first line and the lines of its keys and values."""

    def __init__(self, line: int):
        super().__init__()
        self.line, self.key_lines, self.value_lines, self.duplicates = line, {}, {}, []


class _Seq(list):
    def __init__(self, line: int):
        super().__init__()
        self.line, self.item_lines = line, []


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences carry the (1-based) line of every node."""

    def construct_yaml_map(self, node: yaml.MappingNode):
        data = _Map(node.start_mark.line + 1)
        yield data
        explicit = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
        self.flatten_mapping(node)  # merged pairs (<<: *anchor) first, then the explicit ones
        first_explicit, seen = len(node.value) - explicit, set()
        for i, (key_node, value_node) in enumerate(node.value):
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                raise yaml.MarkedYAMLError(problem="a key must be a plain value",
                                           problem_mark=key_node.start_mark)
            if i >= first_explicit:  # an explicit key overrides a merged one; twice is a mistake
                if key in seen:
                    data.duplicates.append((key, key_node.start_mark.line + 1))
                seen.add(key)
            data[key] = self.construct_object(value_node, deep=True)
            data.key_lines[key] = key_node.start_mark.line + 1
            data.value_lines[key] = value_node.start_mark.line + 1

    def construct_yaml_seq(self, node: yaml.SequenceNode):
        data = _Seq(node.start_mark.line + 1)
        yield data
        data.extend(self.construct_sequence(node, deep=True))
        data.item_lines.extend(item.start_mark.line + 1 for item in node.value)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_yaml_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_yaml_seq)

_FIELD_NAMES = sorted({f for m in (Settings, Selectors, EntryPoint, Source, Config)
                       for f in m.model_fields} - {"path"})


def _suggest(key: Any) -> str | None:
    close = difflib.get_close_matches(str(key), _FIELD_NAMES, n=1)
    return close[0] if close else None


def _field_path(loc: tuple[Any, ...]) -> str:
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    return text or "(document)"


def _line_of(data: Any, loc: tuple[Any, ...], *, key: bool = False) -> int:
    """Line of the node at `loc`: the key's line if `key`, else its value's, else the deepest
    enclosing node that exists (a missing field points at the mapping that lacks it)."""
    node, line = data, getattr(data, "line", 1)
    for i, part in enumerate(loc):
        if isinstance(node, _Map) and part in node:
            last = i == len(loc) - 1
            line = node.key_lines[part] if key and last else node.value_lines[part]
            node = node[part]
        elif isinstance(node, _Seq) and isinstance(part, int) and 0 <= part < len(node):
            line, node = node.item_lines[part], node[part]
        else:
            break
    return line


def _why(error: Any) -> str:
    kind, msg = error["type"], error["msg"]
    if kind == "missing":
        return "missing required field"
    if kind == "extra_forbidden":
        close = _suggest(error["loc"][-1])
        return "unknown key" + (f" (did you mean {close!r}?)" if close else "")
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    shown = repr(error["input"])
    return f"{msg.replace('valid tuple', 'valid list')}: {shown[:60]}"


def _root_causes(errors: list[Any]) -> list[Any]:
    """Drop errors that only echo another: a list 'too short' because its one item failed, and
    'missing entry_points' next to the unknown key 'entry_point' (one typo, one mistake)."""
    locs = [e["loc"] for e in errors]
    typos = {(*e["loc"][:-1], _suggest(e["loc"][-1])) for e in errors
             if e["type"] == "extra_forbidden"}
    return [e for e in errors
            if not (e["type"] == "missing" and e["loc"] in typos)
            and not any(len(o) > len(e["loc"]) and o[: len(e["loc"])] == e["loc"] for o in locs)]


def _duplicate_keys(node: Any, loc: tuple[Any, ...], name: str) -> list[tuple[int, str]]:
    found = []
    if isinstance(node, _Map):
        found += [(line, f"{name}:{line}: {_field_path((*loc, key))}: duplicate key")
                  for key, line in node.duplicates]
        for key, value in node.items():
            found += _duplicate_keys(value, (*loc, key), name)
    elif isinstance(node, _Seq):
        for i, value in enumerate(node):
            found += _duplicate_keys(value, (*loc, i), name)
    return found


def load_config(path: str | Path) -> Config:
    """Read and validate sources.yaml; raise ConfigError listing every problem found."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        reason = getattr(e, "strerror", None) or e
        raise ConfigError([f"{name}:0: (file): cannot read: {reason}"]) from None
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise ConfigError([f"{name}:{line}: (document): YAML syntax error: {e.problem}"]) from None
    if not isinstance(data, _Map):
        got = "nothing" if data is None else "a list" if isinstance(data, list) else repr(data)
        raise ConfigError([f"{name}:1: (document): not a mapping with `sources:` (got {got})"])
    problems = _duplicate_keys(data, (), name)
    if "path" in data:  # Config.path is set by the loader, never by the file
        problems.append((line := data.key_lines["path"], f"{name}:{line}: path: unknown key"))
    try:
        own = {k: v for k, v in data.items() if not str(k).startswith("x-")}
        config = Config.model_validate({**own, "path": Path(path)}, context={})
    except ValidationError as e:
        for error in _root_causes(e.errors()):
            loc = error["loc"]
            line = _line_of(data, loc, key=error["type"] == "extra_forbidden")
            problems.append((line, f"{name}:{line}: {_field_path(loc)}: {_why(error)}"))
    if problems:
        raise ConfigError([text for _, text in sorted(problems, key=lambda p: p[0])])
    return config


def json_schema() -> dict[str, Any]:
    """JSON Schema of sources.yaml, for editors (yaml-language-server) and sources.schema.json."""
    schema = Config.model_json_schema()
    return {"$schema": SCHEMA_DRAFT, **schema, "title": "sources.yaml",
            "description": "Sites crawled by the Malian press crawler"}
