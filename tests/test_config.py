"""sources.yaml loading: models, derived helpers, and one clear line per mistake."""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from crawler import config as config_module
from crawler.config import (
    Config,
    EntryPoint,
    Source,
    json_schema,
    load_config,
    parse_config,
)
from crawler.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent

FULL = """\
settings:
  user_agent: "TestBot/1.0"
  delay: 2.5
  concurrency: 3
  max_pages: 7
sources:
  - name: lessor
    title: "L'Essor"
    platform: rss
    base_url: https://lessor.ml/
    hosts: [www.lessor.ml, Journalessor.ML]
    entry_points:
      - https://lessor.ml/feed
      - url: https://lessor.ml/categorie/politique
        type: listing
        page_url: "https://lessor.ml/categorie/politique?page={page}"
    article_url_pattern: '^/posts/[a-z0-9-]+-[0-9a-f]{13}$'
    selectors:
      title: h1
      lead: .chapeau
      links: article h2 a
      remove: [.share, .related]
    every: 30m
    delay: 0.5
  - name: maliweb
    title: Maliweb
    platform: wordpress
    base_url: https://www.maliweb.net/
    entry_points: [https://www.maliweb.net/feed]
    aggregator: true
    cron: "*/20 6-22 * * *"
    concurrency: 1
  - name: bamada
    platform: sitemap
    base_url: https://bamada.net/
    entry_points: [https://bamada.net/sitemap.xml]
    enabled: false
  - name: abamako
    platform: listing
    base_url: https://news.abamako.com/
    entry_points: [https://news.abamako.com/]
    every: 90
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.problems


def test_full_file_loads_with_settings_and_derived_helpers(tmp_path):
    config = load_config(write(tmp_path, FULL))

    assert config.path == tmp_path / "sources.yaml"
    assert config.names() == ["lessor", "maliweb", "bamada", "abamako"]
    assert config.settings.user_agent == "TestBot/1.0"
    assert config.settings.timeout == 20.0  # default kept
    assert [s.name for s in config.enabled_sources()] == ["lessor", "maliweb", "abamako"]

    lessor = config.source("lessor")
    assert lessor.title == "L'Essor"
    assert lessor.host == "lessor.ml"
    assert lessor.all_hosts == frozenset({"lessor.ml", "www.lessor.ml", "journalessor.ml"})
    assert (lessor.platform, lessor.parser) == ("rss", None)
    assert lessor.every == timedelta(minutes=30)
    assert lessor.selectors.lead == ".chapeau"
    assert lessor.selectors.remove == (".share", ".related")
    assert lessor.delay_seconds(config.settings) == 0.5
    assert lessor.concurrency_value(config.settings) == 3
    feed, listing = lessor.entry_points
    assert feed == EntryPoint(url="https://lessor.ml/feed", type="feed")
    assert listing.type == "listing"
    assert listing.page(3) == "https://lessor.ml/categorie/politique?page=3"
    assert feed.page(3) == "https://lessor.ml/feed"

    maliweb = config.source("maliweb")
    assert maliweb.aggregator is True
    assert maliweb.cron == "*/20 6-22 * * *"
    assert maliweb.every is None  # a cron source has no interval
    assert maliweb.delay_seconds(config.settings) == 2.5
    assert maliweb.concurrency_value(config.settings) == 1
    assert maliweb.entry_points[0].type == "feed"

    assert config.source("bamada").entry_points[0].type == "sitemap"
    assert config.source("bamada").every == timedelta(hours=1)
    assert config.source("abamako").entry_points[0].type == "listing"
    assert config.source("abamako").every == timedelta(seconds=90)


def test_is_article_url_checks_host_aliases_and_path_pattern(tmp_path):
    config = load_config(write(tmp_path, FULL))
    lessor = config.source("lessor")
    article = "/posts/le-president-recoit-0123456789abc"
    assert lessor.is_article_url(f"https://lessor.ml{article}")
    assert lessor.is_article_url(f"https://journalessor.ml{article}?utm_source=x")
    assert not lessor.is_article_url(f"https://maliweb.net{article}")
    assert not lessor.is_article_url("https://lessor.ml/categorie/politique")
    # no pattern: any URL on the source's hosts counts
    assert config.source("bamada").is_article_url("https://bamada.net/anything")
    assert not config.source("bamada").is_article_url("https://www.bamada.net/anything")


def test_unknown_source_name_raises_key_error(tmp_path):
    config = load_config(write(tmp_path, FULL))
    with pytest.raises(KeyError):
        config.source("nope")


@pytest.mark.parametrize(
    ("every", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("90s", timedelta(seconds=90)),
        ("1h30m", timedelta(minutes=90)),
        ("3600", timedelta(hours=1)),  # YAML int
    ],
)
def test_every_is_parsed_to_timedelta(tmp_path, every, expected):
    path = write(tmp_path, f"""\
        sources:
          - name: a
            platform: rss
            base_url: https://a.ml/
            entry_points: [https://a.ml/feed]
            every: {every}
        """)
    assert load_config(path).sources[0].every == expected


def test_x_keys_hold_anchors_and_merged_keys_can_be_overridden(tmp_path):
    path = write(tmp_path, """\
        x-wordpress: &wp
          platform: wordpress
          selectors: {title: h1.entry-title}
          every: 2h
        sources:
          - <<: *wp
            name: a
            base_url: https://a.ml/
            entry_points: [https://a.ml/feed]
          - <<: *wp
            name: b
            base_url: https://b.ml/
            entry_points: [https://b.ml/feed]
            every: 15m
        """)
    a, b = load_config(path).sources
    assert (a.platform, a.selectors.title) == ("wordpress", "h1.entry-title")
    assert a.every == timedelta(hours=2)
    assert (b.platform, b.every) == ("wordpress", timedelta(minutes=15))


def test_error_inside_an_anchor_points_at_the_anchor(tmp_path):
    path = write(tmp_path, """\
        x-wordpress: &wp
          platform: wordpress
          selectors: {title: 'h1['}
        sources:
          - <<: *wp
            name: a
            base_url: https://a.ml/
            entry_points: [https://a.ml/feed]
        """)
    assert problems_of(path) == [
        f"{path}:3: sources[0].selectors.title: not a valid CSS selector: 'h1['"
    ]


def test_a_parser_module_is_accepted_when_it_exists(tmp_path):
    path = write(tmp_path, """\
        sources:
          - name: lessor
            platform: listing
            parser: lessor
            base_url: https://lessor.ml/
            entry_points: [https://lessor.ml/]
        """)
    source = load_config(path).source("lessor")
    assert (source.platform, source.parser) == ("listing", "lessor")
    assert source.entry_points[0].type == "listing"


@pytest.mark.parametrize(("platform", "entry_type"), [
    ("rss", "feed"), ("wordpress", "feed"), ("sitemap", "sitemap"), ("listing", "listing")])
def test_a_platform_gives_its_entry_points_their_default_type(tmp_path, platform, entry_type):
    path = write(tmp_path, BASE.replace("platform: rss", f"platform: {platform}"))
    source = load_config(path).sources[0]
    assert (source.platform, source.parser) == (platform, None)
    assert source.entry_points[0].type == entry_type


def test_an_api_platform_reads_its_entry_points_with_its_parser(tmp_path):
    path = write(tmp_path, BASE.replace("platform: rss", "platform: api\n    parser: abamako"))
    source = load_config(path).sources[0]
    assert (source.platform, source.parser, source.entry_points[0].type) == (
        "api", "abamako", "api")


# -- the old form, `kind:`: still read, with one deprecation line naming the file and sources ----

OLD = """\
sources:
  - name: lessor
    kind: lessor
    base_url: https://lessor.ml/
    entry_points: [https://lessor.ml/]
  - name: amap
    kind: wordpress
    base_url: https://amap.ml/
    entry_points: [https://amap.ml/feed/]
  - name: bamada
    platform: wordpress
    base_url: https://bamada.net/
    entry_points: [https://bamada.net/feed]
"""


def test_an_old_file_with_kind_loads_as_platform_and_parser(tmp_path, caplog):
    path = write(tmp_path, OLD)
    with caplog.at_level("WARNING", logger="crawler.config"):
        config = load_config(path)
    lessor, amap, bamada = config.sources
    # a module kind was read on listing pages: its entry points keep that default
    assert (lessor.platform, lessor.parser, lessor.entry_points[0].type) == (
        "listing", "lessor", "listing")
    assert (amap.platform, amap.parser, amap.entry_points[0].type) == ("wordpress", None, "feed")
    assert (bamada.platform, bamada.parser) == ("wordpress", None)
    warnings = [r for r in caplog.records if r.name == "crawler.config"]
    assert len(warnings) == 1 and warnings[0].levelname == "WARNING"
    line = warnings[0].getMessage()
    assert "\n" not in line and line.startswith(f"{path}: `kind:` is deprecated")
    assert "sources lessor, amap)" in line and "bamada" not in line
    assert "`platform:`" in line and "`parser:`" in line


def test_an_old_file_gives_the_same_sources_as_its_new_form(tmp_path):
    old = load_config(write(tmp_path, OLD))
    new = load_config(write(tmp_path, OLD.replace(
        "kind: lessor", "platform: listing\n    parser: lessor").replace(
        "kind: wordpress", "platform: wordpress")))
    assert [s.model_dump() for s in old.sources] == [s.model_dump() for s in new.sources]


def test_a_new_file_says_nothing_about_kind(tmp_path, caplog):
    with caplog.at_level("WARNING", logger="crawler.config"):
        load_config(REPO / "sources.yaml")
        load_config(write(tmp_path, BASE))
    assert [r.getMessage() for r in caplog.records if r.name == "crawler.config"] == []


def test_the_command_line_prints_the_deprecation_line_on_stderr(tmp_path):
    path = write(tmp_path, OLD)
    result = subprocess.run(
        [sys.executable, "-c", "from crawler.cli import main; main()", "sources",
         "--config", str(path), "--db", f"sqlite:///{tmp_path}/c.db"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "deprecated" in line]
    assert len(lines) == 1 and "WARNING" in lines[0] and str(path) in lines[0], result.stderr
    assert "lessor, amap" in lines[0]


# Each case: a file with one mistake, the line and field path it must be reported at, and a
# fragment of the reason.
BASE = """\
sources:
  - name: lessor
    platform: rss
    base_url: https://lessor.ml/
    entry_points: [https://lessor.ml/feed]
"""

MISTAKES = {
    "unknown_key": (
        BASE.replace("entry_points:", "entry_point:"),
        5, "sources[0].entry_point", "unknown key (did you mean 'entry_points'?)",
    ),
    "missing_required_field": (
        BASE + "  - name: second\n    base_url: https://b.ml/\n    entry_points: [https://b.ml/]\n",
        6, "sources[1].platform", "missing required field",
    ),
    "missing_entry_points_in_later_mapping": (
        BASE + "  - platform: rss\n    name: second\n    base_url: https://b.ml/\n",
        6, "sources[1].entry_points", "missing required field",
    ),
    "wrong_type": (
        BASE + "    concurrency: many\n",
        6, "sources[0].concurrency", "Input should be a valid integer",
    ),
    "wrong_type_settings": (
        "settings:\n  delay: -1\n" + BASE,
        2, "settings.delay", "greater than or equal to 0",
    ),
    "bad_name": (
        BASE.replace("name: lessor", "name: L'Essor"),
        2, "sources[0].name", "String should match pattern",
    ),
    "bad_base_url": (
        BASE.replace("https://lessor.ml/\n", "htp:/x\n"),
        4, "sources[0].base_url", "not an http(s) URL: 'htp:/x'",
    ),
    "bad_entry_point_url": (
        BASE.replace("entry_points: [https://lessor.ml/feed]",
                     "entry_points:\n      - https://lessor.ml/feed\n      - lessor.ml/rss"),
        7, "sources[0].entry_points[1].url", "not an http(s) URL: 'lessor.ml/rss'",
    ),
    "page_url_without_page": (
        BASE.replace("entry_points: [https://lessor.ml/feed]",
                     "entry_points:\n      - url: https://lessor.ml/c\n"
                     "        page_url: https://lessor.ml/c?page=2"),
        7, "sources[0].entry_points[0].page_url", "must contain {page}",
    ),
    "bad_entry_point_type": (
        BASE.replace("entry_points: [https://lessor.ml/feed]",
                     "entry_points:\n      - url: https://lessor.ml/c\n        type: rss"),
        7, "sources[0].entry_points[0].type", "Input should be 'feed', 'sitemap', 'listing'",
    ),
    "host_not_a_hostname": (
        BASE + "    hosts:\n      - www.lessor.ml\n      - https://journalessor.ml/\n",
        8, "sources[0].hosts[1]", "not a hostname: 'https://journalessor.ml/'",
    ),
    "bad_css_selector": (
        BASE + "    selectors:\n      title: h1\n      body: 'div[class='\n",
        8, "sources[0].selectors.body", "not a valid CSS selector: 'div[class='",
    ),
    "bad_css_selector_in_remove_list": (
        BASE + "    selectors:\n      remove:\n        - .share\n        - '>>'\n",
        9, "sources[0].selectors.remove[1]", "not a valid CSS selector: '>>'",
    ),
    "bad_regex": (
        BASE + "    article_url_pattern: '^/posts/([a-z'\n",
        6, "sources[0].article_url_pattern", "not a valid regex",
    ),
    "bad_every": (
        BASE + "    every: 5 parsecs\n",
        6, "sources[0].every", "not an interval (like 30m, 2h, 1d, 90s): '5 parsecs'",
    ),
    "zero_every": (
        BASE + "    every: 0m\n",
        6, "sources[0].every", "interval must be positive",
    ),
    "every_not_a_string_or_int": (
        BASE + "    every: true\n",
        6, "sources[0].every", "not an interval (like 30m, 2h, 1d, 90s): True",
    ),
    "every_and_cron": (
        BASE + "    every: 2h\n    cron: '0 * * * *'\n",
        7, "sources[0].cron", "either `every` or `cron`, not both",
    ),
    "bad_cron": (
        BASE + "    cron: '61 * * * *'\n",
        6, "sources[0].cron", "not a cron expression",
    ),
    "duplicate_source_name": (
        BASE + BASE.removeprefix("sources:\n"),
        6, "sources[1].name", "duplicate source name 'lessor'",
    ),
    "unknown_platform": (
        BASE.replace("platform: rss", "platform: wordpres"),
        3, "sources[0].platform",
        "unknown platform 'wordpres' (did you mean 'wordpress'?): one of rss, wordpress, "
        "sitemap, listing, api",
    ),
    "unknown_parser": (
        BASE + "    parser: lessorr\n",
        6, "sources[0].parser",
        "unknown parser 'lessorr' (did you mean 'lessor'?): no module crawler/sources/lessorr.py",
    ),
    "parser_that_is_no_module_name": (
        BASE + "    parser: ../config\n",
        6, "sources[0].parser", "unknown parser '../config'",
    ),
    "api_without_parser": (
        BASE.replace("platform: rss", "platform: api"),
        2, "sources[0]", "platform 'api' needs a `parser:`",
    ),
    "old_unknown_module_kind": (
        BASE.replace("platform: rss", "kind: lessorr"),
        3, "sources[0].kind", "unknown parser 'lessorr' (did you mean 'lessor'?)",
    ),
    "old_unknown_platform_kind": (
        BASE.replace("platform: rss", "kind: 5"),
        3, "sources[0].kind", "Input should be a valid string",
    ),
    "kind_and_platform": (
        BASE + "    kind: rss\n",
        2, "sources[0]", "`kind` is the old form of `platform` and `parser`: keep only those",
    ),
    "duplicate_yaml_key": (
        BASE + "    selectors:\n      title: h1\n      title: h2\n",
        8, "sources[0].selectors.title", "duplicate key",
    ),
    "path_is_not_a_key": (
        "path: /etc/passwd\n" + BASE,
        1, "path", "unknown key",
    ),
    "source_not_a_mapping": (
        BASE + "  - maliweb\n",
        6, "sources[1]", "Input should be a valid dictionary or instance of Source: 'maliweb'",
    ),
    "missing_sources": (
        "settings:\n  delay: 1\n",
        1, "sources", "missing required field",
    ),
    "sources_not_a_list": (
        "sources:\n  name: lessor\n",
        2, "sources", "Input should be a valid list",
    ),
}


@pytest.mark.parametrize("case", MISTAKES.values(), ids=MISTAKES.keys())
def test_each_mistake_is_one_line_naming_file_line_and_field(tmp_path, case):
    text, line, field, why = case
    path = write(tmp_path, text)
    problems = problems_of(path)
    assert len(problems) == 1, problems
    prefix = f"{path}:{line}: {field}: "
    assert problems[0].startswith(prefix), problems
    assert why in problems[0].removeprefix(prefix)


def test_yaml_syntax_error_reports_the_line_of_the_mark(tmp_path):
    path = write(tmp_path, BASE + "    selectors: {title: h1\n    every: 1h\n")
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:7: (document): YAML syntax error: ")


def test_a_list_as_mapping_key_is_a_yaml_error(tmp_path):
    path = write(tmp_path, BASE + "    ? [a, b]\n    : x\n")
    assert problems_of(path) == [
        f"{path}:6: (document): YAML syntax error: a key must be a plain value"
    ]


def test_a_file_that_is_not_a_mapping_is_one_problem(tmp_path):
    path = write(tmp_path, "- name: lessor\n  platform: rss\n")
    expected = f"{path}:1: (document): not a mapping with `sources:` (got a list)"
    assert problems_of(path) == [expected]


def test_an_empty_file_is_not_a_mapping(tmp_path):
    path = write(tmp_path, "# nothing yet\n")
    expected = f"{path}:1: (document): not a mapping with `sources:` (got nothing)"
    assert problems_of(path) == [expected]


def test_missing_file_is_one_problem(tmp_path):
    path = tmp_path / "absent.yaml"
    assert problems_of(path) == [f"{path}:0: (file): cannot read: No such file or directory"]


def test_three_mistakes_give_three_lines_in_file_order(tmp_path):
    path = write(tmp_path, """\
        sources:
          - name: lessor
            platform: rss
            base_url: https://lessor.ml/
            entry_points: [https://lessor.ml/feed]
            every: soon
          - name: essor2
            platform: rss
            base_url: ftp://lessor.ml/
            entry_points: [https://lessor.ml/feed]
            selectors:
              titel: h1
        """)
    assert problems_of(path) == [
        f"{path}:6: sources[0].every: not an interval (like 30m, 2h, 1d, 90s): 'soon'",
        f"{path}:9: sources[1].base_url: not an http(s) URL: 'ftp://lessor.ml/'",
        f"{path}:12: sources[1].selectors.titel: unknown key (did you mean 'title'?)",
    ]


def test_config_error_message_joins_its_problems(tmp_path):
    path = write(tmp_path, BASE + "    every: never\n    enabled: maybe\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == "\n".join(caught.value.problems)
    assert len(caught.value.problems) == 2
    assert caught.value.exit_code == 2


def test_config_built_in_code_rejects_duplicate_names():
    source = Source(name="a", platform="rss", base_url="https://a.ml/",
                    entry_points=["https://a.ml/feed"])
    with pytest.raises(ValidationError, match="duplicate source names: a"):
        Config(sources=[source, source])


def test_models_are_frozen(tmp_path):
    source = load_config(write(tmp_path, BASE)).sources[0]
    with pytest.raises(ValidationError):
        source.name = "other"


def test_committed_schema_matches_the_models():
    committed = json.loads((REPO / "sources.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema()
    assert committed["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert committed["title"] == "sources.yaml"
    source = committed["$defs"]["Source"]
    assert set(source["required"]) == {"name", "platform", "base_url", "entry_points"}
    assert source["properties"]["kind"]["deprecated"] is True  # an editor: deprecated, not unknown
    assert source["additionalProperties"] is False
    assert "path" not in committed["properties"]


def test_write_schema_check_fails_on_a_stale_file(tmp_path, capsys):
    script = runpy.run_path(str(REPO / "scripts" / "write_schema.py"))
    target = tmp_path / "schema.json"
    target.write_text("{}\n", encoding="utf-8")
    assert script["main"](["--check", "--path", str(target)]) == 1
    assert script["main"](["--path", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json_schema()
    assert script["main"](["--check", "--path", str(target)]) == 0


def test_schema_accepts_a_valid_file_and_flags_a_typo_as_an_editor_would(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(json_schema())
    good = yaml.safe_load(FULL)
    assert list(validator.iter_errors(good)) == []
    typo = yaml.safe_load(BASE.replace("entry_points:", "entry_point:") + "x-shared: {a: 1}\n")
    messages = [e.message for e in validator.iter_errors(typo)]
    assert any("'entry_point' was unexpected" in m for m in messages), messages
    assert any("'entry_points' is a required property" in m for m in messages), messages
    assert not any("x-shared" in m for m in messages)


# -- hostile files: one line, exit 2, at once; linear validation ---------------------------------

BOMB = """\
x-lol:
  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
  h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
  i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def short_sources(count: int, start: int = 0) -> str:
    """`count` sources in the short form (name, platform, base_url, one entry point, every)."""
    return "".join(
        f"  - name: source_{n}\n    platform: rss\n    base_url: https://site{n}.example.ml/\n"
        f"    entry_points: [https://site{n}.example.ml/feed]\n    every: 2h\n"
        for n in range(start, start + count))


# name -> (file content, the line and reason of its one problem)
HOSTILE = {
    "nul_byte": (BASE.replace("name: lessor", "name: les\x00sor"), 2,
                 "YAML syntax error: character U+0000 is not allowed in YAML"),
    "bell_in_a_title": (BASE + "    title: \"L'Essor\x07\"\n", 6,
                        "YAML syntax error: character U+0007 is not allowed in YAML"),
    "integer_of_5000_digits": ("settings:\n  max_pages: " + "9" * 5000 + "\n" + BASE, 2,
                               "YAML error: an integer of 5000 characters (at most 20)"),
    "100000_nested_brackets": ("x-deep: " + "[" * 100_000 + "\n" + BASE, 1,
                               "YAML syntax error: exceeded maximum nesting depth"),
    "nested_25_deep": ("x-deep: " + "[" * 25 + "]" * 25 + "\n" + BASE, 1,
                       "YAML error: nested more than 20 levels deep"),
    "alias_bomb_under_an_x_key": (BOMB + BASE, 7,
                                  "YAML error: more than 1,000,000 nodes once aliases are "
                                  "expanded (an alias bomb?)"),
    "alias_bomb_in_a_source": (BOMB + BASE + "    selectors: {remove: *i}\n", 7,
                               "YAML error: more than 1,000,000 nodes"),
    "alias_inside_its_own_anchor": ("x-loop: &loop [1, *loop]\n" + BASE, 1,
                                    "YAML error: an alias stands for a node that holds it"),
    "deep_anchor_aliased_deep_down": (
        "x-a: &deep " + "[" * 12 + "]" * 12 + "\nx-b: " + "[" * 12 + "*deep" + "]" * 12 + "\n"
        + BASE, 1, "YAML error: nested more than 20 levels deep"),
    "impossible_date": (BASE + "    title: 2025-02-30\n", 6,
                        "YAML error: day is out of range for month"),
    "file_over_4_mb": ("sources:\n" + short_sources(30_000), 0,
                       "larger than 4,000,000 bytes: not a sources file"),
}


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_file_is_one_line_and_exit_2_from_the_real_cli(tmp_path, case):
    content, line, reason = case
    path = tmp_path / "sources.yaml"
    path.write_text(content, encoding="utf-8")
    db = tmp_path / "untouched.db"
    result = subprocess.run(
        [sys.executable, "-c", "from crawler.cli import main; main()", "--config", str(path),
         "--db", f"sqlite:///{db}"],
        capture_output=True, text=True, timeout=60, cwd=REPO)
    assert result.returncode == 2, result.stderr
    [problem] = result.stderr.strip().splitlines()
    where = "(file)" if line == 0 else "(document)"
    assert problem.startswith(f"{path}:{line}: {where}: "), problem
    assert reason in problem
    assert not db.exists()


@pytest.mark.parametrize("case", [c for n, c in HOSTILE.items() if n != "file_over_4_mb"],
                         ids=[n for n in HOSTILE if n != "file_over_4_mb"])
def test_pyyaml_without_libyaml_refuses_the_same_files(case):
    content, line, reason = case
    with pytest.raises(ConfigError) as caught:
        parse_config(content, "sources.yaml", loader=config_module._PythonLineLoader)
    [problem] = caught.value.problems
    if "[" * 1000 in content:
        # PyYAML's own parser has no nesting limit: its recursion gives out first, and the line
        # is not known
        assert problem == ("sources.yaml:1: (document): YAML syntax error: nested more than 20 "
                           "levels deep")
        return
    reason = reason.replace("exceeded maximum nesting depth", "nested more than 20")
    assert problem.startswith(f"sources.yaml:{line}: (document): "), problem
    assert reason in problem


def test_anchors_shared_by_many_sources_are_not_a_bomb(tmp_path):
    sources = "".join(
        f"  - <<: *wp\n    name: s{n}\n    base_url: https://s{n}.ml/\n"
        f"    entry_points: [https://s{n}.ml/feed]\n" for n in range(2000))
    path = write(tmp_path, "x-wp: &wp\n  platform: wordpress\n  selectors:\n    remove: ["
                 + ", ".join(f".share-{n}" for n in range(100)) + "]\n" + "sources:\n" + sources)
    config = load_config(path)
    assert len(config.sources) == 2000
    assert len(config.sources[-1].selectors.remove) == 100


def test_10000_sources_load_and_a_duplicate_among_them_is_named_with_its_line(tmp_path):
    path = write(tmp_path, "sources:\n" + short_sources(10_000))
    config = load_config(path)
    assert len(config.sources) == 10_000
    assert config.source("source_9999").base_url == "https://site9999.example.ml/"
    duplicate = write(tmp_path, "sources:\n" + short_sources(10_000) + short_sources(1, 5000))
    assert problems_of(duplicate) == [
        f"{duplicate}:50002: sources[10000].name: duplicate source name 'source_5000'"]


LONG_FIELDS = {
    "name": (BASE.replace("name: lessor", "name: " + "n" * 65), 2, "sources[0].name",
             "String should have at most 64 characters"),
    "title": (BASE + "    title: " + "T" * 257 + "\n", 6, "sources[0].title",
              "String should have at most 256 characters"),
    "base_url": (BASE.replace("base_url: https://lessor.ml/", "base_url: https://lessor.ml/"
                              + "a" * 2040), 4, "sources[0].base_url",
                 "URL of 2058 characters: at most 2048"),
}


@pytest.mark.parametrize("case", LONG_FIELDS.values(), ids=LONG_FIELDS.keys())
def test_names_titles_and_urls_fit_their_columns(tmp_path, case):
    """The database's columns hold 64 characters of a source's name, 256 of its title, 2,048 of
    a URL."""
    text, line, field, reason = case
    path = write(tmp_path, text)
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:{line}: {field}: {reason}")
