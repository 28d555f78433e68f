"""sources.yaml -> validated pydantic models; a mistake reads "file:line: field: why"."""

from __future__ import annotations

import difflib
import gc
import logging
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
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
from crawler.urls import host_of, is_article_url

# What a site is built on, which says how its links are found: a feed (rss; wordpress, whose feed
# pages back with ?paged=N), a sitemap, listing pages read by CSS selectors, or a JSON API (read
# by a parser module).
PLATFORMS = ("rss", "wordpress", "sitemap", "listing", "api")
DEFAULT_ENTRY_TYPE = {"rss": "feed", "wordpress": "feed", "sitemap": "sitemap", "api": "api"}
PARSERS = Path(__file__).with_name("sources")  # crawler/sources/<parser>.py, found without import
log = logging.getLogger(__name__)
DEFAULT_EVERY = timedelta(hours=1)
SCHEMA_DRAFT = "http://json-schema.org/draft-07/schema#"  # yaml-language-server speaks draft-07

URL_CHARS = 2048  # the URL columns' size (crawler.models)
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")
_INTERVAL = re.compile(r"^(?:\d+[smhd])+$")
_INTERVAL_PART = re.compile(r"(\d+)([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_CSS_PROBE = LexborHTMLParser("<p></p>")
_SPACE = re.compile(r"\s")
# What sources.yaml may hold, so that a mistake (or a hostile file) ends in one line at once:
# - its size: the repository's 15 sources take 8.6 KB; 4 MB is some 7,000 of them, or 28,000
#   short ones (name, platform, base_url, entry point), and validates in seconds;
MAX_CONFIG_BYTES = 4_000_000
# - its nesting: sources[0].selectors.remove[0] is 5 levels deep; past 20 is never a config;
MAX_YAML_DEPTH = 20
# - its nodes, each alias counted as the nodes it stands for: an "alias bomb" of 500 bytes
#   expands to a billion. A million is 75,000 short sources;
MAX_YAML_NODES = 1_000_000
# - an integer's length: no setting needs 20 digits (Python refuses past 4,300, with advice
#   meant for programmers).
MAX_INT_CHARS = 20
# Characters YAML forbids in a file (YAML 1.1, 5.1): said with their line, before parsing.
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _did_you_mean(value: Any, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(value), list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


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
    if not ok or _SPACE.search(value):
        raise ValueError(f"not an http(s) URL: {value!r}")
    if len(value) > URL_CHARS:
        raise ValueError(f"URL of {len(value)} characters: at most {URL_CHARS}")
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
    max_pages: int = Field(50, ge=1, description="Pages (sitemap indexes included) walked per "
                           "entry point: the pagination cap of a backfill")
    copy_window_days: int = Field(60, ge=0)
    max_crawl_delay: float = Field(30.0, ge=0, description="Largest robots.txt Crawl-delay "
                                   "obeyed, in seconds; a site asking for more is skipped")
    source_time_budget: float = Field(3600.0, gt=0, description="Seconds one source's pass may "
                                      "take; then it stops, keeps what it stored, and says so")
    page_parse_timeout: float = Field(20.0, gt=0, description="Seconds one article page may take "
                                      "to parse; then that page fails alone")


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
    """Where discovery starts. `type` defaults from the source's platform."""

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


def _old_kind_in_schema(schema: dict[str, Any]) -> None:
    """Editors accept the old `kind:` too, and say what replaced it."""
    schema["properties"]["kind"] = {
        "type": "string", "deprecated": True,
        "description": "Deprecated: write `platform:` and, for a module under crawler/sources/, "
                       "`parser:`. Still read: a platform's name, or a parser's (on listing "
                       "pages)"}


class Source(_Model):
    """One site to crawl."""

    model_config = ConfigDict(json_schema_extra=_old_kind_in_schema)

    name: str = Field(pattern=r"^[a-z0-9_]+$", max_length=64)  # the source columns' size
    title: str | None = Field(None, max_length=256)
    platform: str = Field(description="What the site is built on, which says how its links are "
                          "found: " + " | ".join(PLATFORMS), json_schema_extra={"enum": PLATFORMS})
    parser: str | None = Field(None, description="A module under crawler/sources/ with a Parser "
                               "class, for a site that needs code (none: the YAML selectors)")
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
    _publishers: _Publishers | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _from_kind(cls, data: Any) -> Any:
        """The old form: `kind:` named either a platform or a parser module (on listing pages)."""
        if not isinstance(data, dict) or "kind" not in data:
            return data
        if "platform" in data or "parser" in data:
            raise ValueError("`kind` is the old form of `platform` and `parser`: keep only those")
        kind, rest = data["kind"], {k: v for k, v in data.items() if k != "kind"}
        if kind in PLATFORMS or not isinstance(kind, str):
            return {**rest, "platform": kind}
        return {**rest, "platform": "listing", "parser": kind}

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

    @field_validator("platform")
    @classmethod
    def _known_platform(cls, value: str) -> str:
        if value in PLATFORMS:
            return value
        raise ValueError(f"unknown platform {value!r}{_did_you_mean(value, PLATFORMS)}: "
                         f"one of {', '.join(PLATFORMS)}")

    @field_validator("parser")
    @classmethod
    def _known_parser(cls, value: str | None) -> str | None:
        if value is None or (re.fullmatch(r"[a-z0-9_]+", value)
                             and (PARSERS / f"{value}.py").is_file()):
            return value
        known = sorted(p.stem for p in PARSERS.glob("[a-z0-9]*.py"))
        raise ValueError(f"unknown parser {value!r}{_did_you_mean(value, known)}: no module "
                         f"crawler/sources/{value}.py (there are {', '.join(known)})")

    @field_validator("entry_points")
    @classmethod
    def _default_types(
        cls, value: tuple[EntryPoint, ...], info: ValidationInfo
    ) -> tuple[EntryPoint, ...]:
        default = DEFAULT_ENTRY_TYPE.get(info.data.get("platform", ""), "listing")
        return tuple(ep if ep.type else ep.model_copy(update={"type": default}) for ep in value)

    @model_validator(mode="after")
    def _api_has_a_parser(self) -> Source:
        if self.platform == "api" and self.parser is None:
            raise ValueError("platform 'api' needs a `parser:`, a module under crawler/sources/ "
                             "that reads the API")
        return self

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
        from apscheduler.triggers.cron import CronTrigger  # 13 MB, for sources with a cron only

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
            from apscheduler.triggers.cron import CronTrigger

            trigger = CronTrigger.from_crontab(self.cron, timezone=UTC)
            return trigger.get_next_fire_time(None, crawled_at + timedelta(seconds=1))
        return crawled_at + self.every * slack

    @property
    def alias_hosts(self) -> frozenset[str]:
        """The hosts whose URLs are rewritten to `host` (same paths)."""
        return frozenset((self.host, *self.hosts))

    @property
    def known_publishers(self) -> dict[str, str]:
        """{publisher_key(name): title} for every source of the config this one came from."""
        return self._publishers.known() if self._publishers else {}

    def is_article_url(self, url: str) -> bool:
        """True for a URL on one of our hosts whose path matches article_url_pattern (if any)."""
        return is_article_url(url, self.all_hosts, self.article_url_pattern)

    def delay_seconds(self, settings: Settings) -> float:
        return settings.delay if self.delay is None else self.delay

    def concurrency_value(self, settings: Settings) -> int:
        return settings.concurrency if self.concurrency is None else self.concurrency


class _Publishers:
    """{publisher_key: title} of every source of one config, worked out when first asked for:
    only aggregators' parsers ask, and for 10,000 sources it is a fifth of the validation's time
    (0.28 of 1.37 CPU seconds)."""

    def __init__(self, sources: tuple[Source, ...]) -> None:
        self._sources, self._known = sources, None

    def known(self) -> dict[str, str]:
        if self._known is None:
            from crawler.publishers import publisher_keys

            known: dict[str, str] = {}
            for source in self._sources:
                for key in publisher_keys(source):
                    known.setdefault(key, source.title or source.name)
            self._known = known
        return self._known


class Config(_Model):
    """The whole of sources.yaml. `path` is where it was read from (not a YAML key); top-level
    keys starting with `x-` are ignored, to hold YAML anchors shared by several sources."""

    model_config = ConfigDict(json_schema_extra={"patternProperties": {"^x-": {}}})
    settings: Settings = Settings()
    sources: tuple[Source, ...]
    path: SkipJsonSchema[Path | None] = Field(None, exclude=True)

    @model_validator(mode="after")
    def _unique_names(self) -> Config:
        dupes = sorted(name for name, count in Counter(self.names()).items() if count > 1)
        if dupes:  # load_config reports these per source, with lines; this guards direct use
            raise ValueError(f"duplicate source names: {', '.join(dupes)}")
        return self

    @model_validator(mode="after")
    def _share_publishers(self) -> Config:
        publishers = _Publishers(self.sources)
        for source in self.sources:
            source._publishers = publishers
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


class _Lines:
    """A YAML loader whose mappings and sequences carry the (1-based) line of every node, and that
    refuses a document too deep or too large once its aliases are expanded (MAX_YAML_DEPTH,
    MAX_YAML_NODES), before anything is built from it."""

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        _check_size(node)
        return self.construct_document(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as e:  # "2025-02-30" read as a date, and the like
            raise yaml.constructor.ConstructorError(
                problem=str(e), problem_mark=node.start_mark) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        if len(node.value) > MAX_INT_CHARS:
            raise yaml.constructor.ConstructorError(
                problem=f"an integer of {len(node.value)} characters (at most {MAX_INT_CHARS})",
                problem_mark=node.start_mark)
        return super().construct_yaml_int(node)

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


# libyaml's parser (PyYAML's C extension) is some 5 times faster than PyYAML's own, and refuses
# nesting past 1,000 levels where PyYAML's own recurses until Python gives up.
class _LineLoader(_Lines, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


class _PythonLineLoader(_Lines, yaml.SafeLoader):
    """The same in pure Python, where PyYAML was built without libyaml."""


for _loader in (_LineLoader, _PythonLineLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _Lines.construct_yaml_map)
    _loader.add_constructor("tag:yaml.org,2002:seq", _Lines.construct_yaml_seq)
    _loader.add_constructor("tag:yaml.org,2002:int", _Lines.construct_yaml_int)


class _Refused(yaml.MarkedYAMLError):
    """A document well-formed but too deep or too large to load (_check_size)."""


def _check_size(root: yaml.Node) -> None:
    """Raise _Refused where the document nests deeper than MAX_YAML_DEPTH, where an
    alias stands for a node that holds it, or where it grows past MAX_YAML_NODES with each alias
    counted as the nodes it stands for. An alias is the very node its anchor names, so each node
    is measured once and its (nodes, height) remembered: linear in the document's size."""
    measured: dict[int, tuple[int, int]] = {}
    open_nodes: set[int] = set()

    def refuse(node: yaml.Node, problem: str) -> _Refused:
        return _Refused(problem=problem, problem_mark=node.start_mark)

    def measure(node: yaml.Node, depth: int) -> tuple[int, int]:
        known = measured.get(id(node))
        if known is None:
            if id(node) in open_nodes:
                raise refuse(node, "an alias stands for a node that holds it")
            if depth > MAX_YAML_DEPTH:
                raise refuse(node, f"nested more than {MAX_YAML_DEPTH} levels deep")
            open_nodes.add(id(node))
            nodes, height = 1, 0
            children = (node.value if isinstance(node, yaml.SequenceNode) else
                        [n for pair in node.value for n in pair]
                        if isinstance(node, yaml.MappingNode) else ())
            for child in children:
                child_nodes, child_height = measure(child, depth + 1)
                nodes, height = nodes + child_nodes, max(height, child_height + 1)
                if nodes > MAX_YAML_NODES:
                    raise refuse(child, f"more than {MAX_YAML_NODES:,} nodes once aliases are "
                                 "expanded (an alias bomb?)")
            open_nodes.discard(id(node))
            known = measured[id(node)] = (nodes, height)
        if depth + known[1] > MAX_YAML_DEPTH:  # an alias deep down to a deep anchor
            raise refuse(node, f"nested more than {MAX_YAML_DEPTH} levels deep")
        return known

    measure(root, 0)


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
        with open(path, "rb") as file:
            raw = file.read(MAX_CONFIG_BYTES + 1)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        reason = getattr(e, "strerror", None) or e
        raise ConfigError([f"{name}:0: (file): cannot read: {reason}"]) from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError([f"{name}:0: (file): larger than {MAX_CONFIG_BYTES:,} bytes: "
                           "not a sources file"])
    return parse_config(text, name, path=Path(path))


def parse_config(text: str, name: str, *, path: Path | None = None,
                 loader: type[yaml.SafeLoader] = _LineLoader) -> Config:
    """Validate the text of a sources file (`name` is how messages call it): load_config's
    work past reading the file and checking its size. Linear in the text's size."""
    with _cyclic_gc_paused():
        return _parse_config(text, name, path=path, loader=loader)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the while: it would go over every node and
    model made so far again and again (a file of 10,000 sources took 1.8 times as long, and
    the more sources, the more per source), and parsing leaves next to no cycles to collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse_config(text: str, name: str, *, path: Path | None, loader: type[yaml.SafeLoader],
                  ) -> Config:
    bad = _NOT_YAML.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ConfigError([f"{name}:{line}: (document): YAML syntax error: character "
                           f"U+{ord(bad.group()):04X} is not allowed in YAML"])
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        what = ("YAML error" if isinstance(e, _Refused | yaml.constructor.ConstructorError)
                else "YAML syntax error")
        raise ConfigError([f"{name}:{line}: (document): {what}: {e.problem}"]) from None
    except yaml.YAMLError as e:  # a ReaderError; the character check above finds those first
        raise ConfigError([f"{name}:1: (document): YAML error: {str(e).splitlines()[0]}"]) from None
    except RecursionError:  # PyYAML's own parser, nesting thousands deep
        raise ConfigError([f"{name}:1: (document): YAML syntax error: nested more than "
                           f"{MAX_YAML_DEPTH} levels deep"]) from None
    if not isinstance(data, _Map):
        got = "nothing" if data is None else "a list" if isinstance(data, list) else repr(data)
        raise ConfigError([f"{name}:1: (document): not a mapping with `sources:` (got {got})"])
    problems = _duplicate_keys(data, (), name)
    if "path" in data:  # Config.path is set by the loader, never by the file
        problems.append((line := data.key_lines["path"], f"{name}:{line}: path: unknown key"))
    try:
        own = {k: v for k, v in data.items() if not str(k).startswith("x-")}
        config = Config.model_validate({**own, "path": path}, context={})
    except ValidationError as e:
        for error in _root_causes(e.errors()):
            loc = _as_written(data, error["loc"])
            line = _line_of(data, loc, key=error["type"] == "extra_forbidden")
            problems.append((line, f"{name}:{line}: {_field_path(loc)}: {_why(error)}"))
    if problems:
        raise ConfigError([text for _, text in sorted(problems, key=lambda p: p[0])])
    if old := _sources_with_kind(data):
        log.warning("%s: `kind:` is deprecated (sources %s): write `platform:` (%s) and, for a "
                    "module under crawler/sources/, `parser:`", name, ", ".join(old),
                    " | ".join(PLATFORMS), extra={"event": "config_deprecated"})
    return config


def _sources_with_kind(data: _Map) -> list[str]:
    """The names of the sources written in the old form, with `kind:`."""
    sources = data.get("sources")
    return [str(source.get("name", f"#{i}")) for i, source in enumerate(sources)
            if isinstance(source, dict) and "kind" in source] if isinstance(sources, list) else []


def _as_written(data: _Map, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """A source's `platform` or `parser` reported as its `kind` where the file wrote that."""
    if len(loc) == 3 and loc[0] == "sources" and loc[2] in ("platform", "parser"):
        sources = data.get("sources")
        source = sources[loc[1]] if isinstance(sources, list) and isinstance(loc[1], int) and (
            loc[1] < len(sources)) else None
        if isinstance(source, dict) and "kind" in source and loc[2] not in source:
            return (*loc[:2], "kind")
    return loc


def json_schema() -> dict[str, Any]:
    """JSON Schema of sources.yaml, for editors (yaml-language-server) and sources.schema.json."""
    schema = Config.model_json_schema()
    return {"$schema": SCHEMA_DRAFT, **schema, "title": "sources.yaml",
            "description": "Sites crawled by the Malian press crawler"}
