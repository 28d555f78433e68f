"""The package's import graph has no cycle: a module can be read, and tested, after the modules it
imports. Edges are module-level imports (`import crawler.x`, `from crawler.x import y`,
`from crawler import x`, relative forms); imports inside functions (kept lazy for start-up time)
and under `if TYPE_CHECKING:` (annotations only) are not edges."""

from __future__ import annotations

import ast
import graphlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "crawler"


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def module_level_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Import statements run when the module is imported: at the top level, or inside a
    top-level if/try/with, but not in a function, a class body's method, or TYPE_CHECKING."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from module_level_imports(node.body)
            yield from module_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from module_level_imports(block)
            for handler in node.handlers:
                yield from module_level_imports(handler.body)
        elif isinstance(node, ast.With):
            yield from module_level_imports(node.body)


def imported_names(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """Every dotted name an import statement may refer to: `from a import b` is `a` or `a.b`."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = module.split(".") if is_package else module.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """{module: the package's modules it imports at module level}."""
    files = {module_name(path, root): path for path in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        is_package = path.name == "__init__.py"
        edges = set()
        for node in module_level_imports(ast.parse(path.read_text("utf-8")).body):
            for name in imported_names(node, module, is_package):
                while name and name not in files:  # `from crawler.x import func`: crawler.x
                    name = name.rpartition(".")[0]
                if name and name != module:
                    edges.add(name)
        graph[module] = edges
    return graph


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        return list(error.args[1])
    return None


def test_the_package_import_graph_has_no_cycle():
    graph = import_graph()
    assert {"crawler.cli", "crawler.config", "crawler.http.client"} <= graph.keys()
    cycle = cycle_in(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cli_reaches_its_commands_by_plain_imports():
    # no importlib behind the graph's back: `crawl`'s commands are edges of the graph
    graph = import_graph()
    commands = {m for m in graph if m.startswith("crawler.commands.")}
    assert commands and commands - {"crawler.commands.shared"} <= graph["crawler.cli"]


def write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "crawler"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return package


@pytest.mark.parametrize("files", [
    {"__init__.py": "", "a.py": "from crawler.b import f\n", "b.py": "import crawler.a\n"},
    {"__init__.py": "", "a.py": "from crawler import b\n", "b.py": "from crawler import a\n"},
    {"__init__.py": "", "sub/__init__.py": "from . import x\n",
     "sub/x.py": "from crawler.sub import y\n", "sub/y.py": "from .. import sub\n"},
    {"__init__.py": "", "a.py": "try:\n    from crawler.b import f\nexcept ImportError:\n  pass\n",
     "b.py": "if True:\n    from crawler.a import g\n"},
], ids=["from-module", "from-package", "relative", "nested-blocks"])
def test_a_cycle_is_found(tmp_path, files):
    assert cycle_in(import_graph(write_package(tmp_path, files))) is not None


def test_lazy_and_type_checking_imports_are_not_edges(tmp_path):
    package = write_package(tmp_path, {
        "__init__.py": "",
        "a.py": "from crawler.b import f\n",
        "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from crawler.a import A\n"
                "def f():\n    from crawler import a\n",
    })
    graph = import_graph(package)
    assert graph["crawler.b"] == set()
    assert cycle_in(graph) is None


# ---- what the crawl's processes import (issue 17: memory) ------------------------------------
# Each parsing worker is a fresh interpreter; what it imports is its memory (about 20 MB for
# numpy, 15 MB for httpx and tenacity, 13 MB for apscheduler). A worker parsing an article page
# needs none of these: it decodes, parses and returns an Article.
# Nor pydantic and the configuration models (about 14 MB and 0.5 s of a worker's start): a
# parser reaches its worker with its source as plain data (extract.ParserSource).
NOT_FOR_PARSING = ("numpy", "httpx", "tenacity", "apscheduler", "sqlalchemy", "sqlmodel",
                   "alembic", "feedparser", "pydantic")


def parse_and_list_imports(parser, url: str, content: bytes, content_type: str):
    """Run in a worker: the page parsed as crawler.parsing parses it, and the heavy modules the
    worker has imported by then."""
    import sys

    from crawler.parsing import parse_page

    parsed = parse_page(parser, url, content, content_type)
    heavy = {name.split(".")[0] for name in sys.modules} & set(NOT_FOR_PARSING)
    return parsed.article, sorted(heavy)


def test_a_parsing_worker_imports_only_what_parsing_needs():
    import asyncio
    import gzip
    import json

    from crawler import parsing
    from crawler.config import load_config
    from crawler.items import Article
    from crawler.sources import parser_for

    folder = PACKAGE.parent / "tests" / "sources" / "lessor" / "pages"
    slug, meta = next(iter(json.loads((folder / "meta.json").read_text("utf-8")).items()))
    content = gzip.decompress((folder / f"{slug}.html.gz").read_bytes())
    parser = parser_for(load_config(PACKAGE.parent / "sources.yaml").source("lessor"))
    # fresh workers: those an earlier test of this process started may have read feeds (a
    # feed's Response brings httpx along)
    parsing.shutdown()
    try:
        article, heavy = asyncio.run(parsing.in_worker(
            parse_and_list_imports, parser, meta["url"], content, meta["content_type"],
            timeout=120))
    finally:
        parsing.shutdown()
    assert isinstance(article, Article) and article.title
    assert heavy == []


def parse_and_say_if_guessed(parser, url: str, content: bytes, content_type: str | None):
    """Run in a worker: the page parsed, and whether charset-normalizer was imported before and
    after it."""
    import sys

    from crawler.parsing import parse_page

    before = "charset_normalizer" in sys.modules
    parsed = parse_page(parser, url, content, content_type)
    return parsed.article, before, "charset_normalizer" in sys.modules


SITE = "http://127.0.0.2:8080"
SEGOU_PARAGRAPH = ("Les élèves de l'école sont à Ségou. Ça a été dur, dit-il « vraiment », "
                   "après une longue année. ") * 3


def site_parser():
    """The parser of one source at SITE with no selectors (the generic path)."""
    import yaml

    from crawler.config import parse_config
    from crawler.sources import parser_for

    config = parse_config(yaml.safe_dump({"sources": [{
        "name": "site", "platform": "rss", "base_url": f"{SITE}/",
        "entry_points": [f"{SITE}/feed"]}]}), "sources.yaml")
    return parser_for(config.sources[0])


def test_a_worker_parses_a_page_whose_charset_must_be_guessed():
    """charset-normalizer is imported on first use (crawler.http.charset._guess_codec): a
    worker given a page that declares no charset and is not UTF-8 imports it and reads the page
    as before."""
    import asyncio

    from crawler import parsing

    parser = site_parser()
    paragraph = SEGOU_PARAGRAPH
    html = ("<html><head><title>Rentrée à Ségou</title></head><body><article>"
            "<h1>Rentrée à Ségou : les élèves reprennent</h1>"
            + f"<p>{paragraph}</p>" * 4 + "</article></body></html>")
    parsing.shutdown()  # a fresh worker
    try:
        article, before, after = asyncio.run(parsing.with_parser(
            parse_and_say_if_guessed, parser, f"{SITE}/articles/1",
            html.encode("cp1252"), "text/html", timeout=120))
    finally:
        parsing.shutdown()
    assert (before, after) == (False, True)
    assert article.title == "Rentrée à Ségou : les élèves reprennent"
    assert article.body.startswith("Les élèves de l'école sont à Ségou. Ça a été dur, dit-il "
                                   "« vraiment », après une longue année.")


def parse_and_say_if_ftfy(parser, url: str, content: bytes, content_type: str | None):
    """Run in a worker: the page parsed, and whether ftfy was imported before and after it."""
    import sys

    from crawler.parsing import parse_page

    before = "ftfy" in sys.modules
    parsed = parse_page(parser, url, content, content_type)
    return parsed.article, before, "ftfy" in sys.modules


def test_a_worker_imports_ftfy_for_the_first_text_that_needs_it():
    """ftfy (3.3 MB a process) is imported on first use (crawler.text, crawler.dates,
    crawler.dedup: issue 17): a worker given a clean page (accented French, a French date) does
    not import it; given a page whose title and date are mojibake, it does, and repairs them."""
    import asyncio
    from datetime import UTC, datetime

    from crawler import parsing

    parser = site_parser()
    paragraph = SEGOU_PARAGRAPH

    def page(title: str, date: str) -> bytes:
        return (f'<html><head><meta charset="utf-8"><title>{title}</title>'
                f'<meta property="article:published_time" content="{date}"></head><body>'
                f"<article><h1>{title}</h1>"
                + f"<p>{paragraph}</p>" * 4 + "</article></body></html>").encode()

    parsing.shutdown()  # a fresh worker
    try:
        clean, before, after = asyncio.run(parsing.with_parser(
            parse_and_say_if_ftfy, parser, f"{SITE}/articles/1",
            page("Rentrée à Ségou : les élèves reprennent", "12 août 2025"),
            "text/html; charset=utf-8", timeout=120))
        assert (before, after) == (False, False)
        mended, before, after = asyncio.run(parsing.with_parser(
            parse_and_say_if_ftfy, parser, f"{SITE}/articles/2",
            page("RentrÃ©e Ã  SÃ©gou : les Ã©lÃ¨ves reprennent", "12 aoÃ»t 2025"),
            "text/html; charset=utf-8", timeout=120))
        assert (before, after) == (False, True)
    finally:
        parsing.shutdown()
    assert clean.title == mended.title == "Rentrée à Ségou : les élèves reprennent"
    assert clean.published_at == datetime(2025, 8, 12, tzinfo=UTC)
    assert mended.published_at == datetime(2025, 8, 12, tzinfo=UTC)


def imported_by(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running `code`."""
    script = code + "\nimport sys\nprint(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                         text=True).stdout
    return {name.split(".")[0] for name in out.split()}


def test_parsing_modules_import_no_http_client_database_or_numpy():
    # the modules a worker imports to parse a page (crawler.parsing and a source's parser)
    found = imported_by("import crawler.parsing, crawler.sources, crawler.sources.lessor, "
                        "crawler.http.charset, crawler.discover")
    assert found & set(NOT_FOR_PARSING) == set()
    assert "dateparser" not in found  # the dates' fallback, imported when a date needs it
    # the charset guess, for a page neither declared nor UTF-8, imported when one comes
    assert "charset_normalizer" not in found
    assert "crawler" in found


def test_the_cli_imports_no_crawl_machinery():
    # `crawl --help` and the nothing-due path; and a worker spawned under the `crawl` script
    # imports crawler.cli again as its main module
    found = imported_by("import crawler.cli")
    assert found & {"numpy", "httpx", "sqlalchemy", "sqlmodel", "alembic", "apscheduler",
                    "feedparser", "pydantic", "dateparser"} == set()


def test_the_crawling_process_imports_no_feed_reader():
    # the crawling process walks the listings; the parsing workers read the feeds (lxml and
    # feedparser: about 7 MB that the crawling process held for nothing, issue 17)
    found = imported_by("import crawler.cli, crawler.pipeline, crawler.discover")
    assert found & {"lxml", "feedparser"} == set()


def test_the_http_package_gives_its_names_on_first_use():
    import crawler.http
    from crawler.http.client import Response

    assert crawler.http.Response is Response
    with pytest.raises(AttributeError):
        crawler.http.no_such_name  # noqa: B018


def read_listing_and_list_imports(parser, kind, url: str, fetched, max_bytes: int):
    """Run in a worker: a feed read as walk_entry_point has it read, and the heavy modules the
    worker has imported by then (feedparser reads feeds: it is allowed here)."""
    import sys

    from crawler.discover import _read_listing

    read = _read_listing(parser, kind, url, fetched, max_bytes)
    heavy = {name.split(".")[0] for name in sys.modules} & set(NOT_FOR_PARSING)
    return [link.url for link in read.links], sorted(heavy - {"feedparser"})


def test_a_worker_reading_a_feed_imports_no_http_client():
    """A listing goes to the worker without httpx's Headers (discover._Fetched): unpickling a
    Response imported httpx, httpcore, anyio, tenacity and protego in every worker."""
    import asyncio

    import httpx
    from httpserver import Story, rss_feed

    from crawler import parsing
    from crawler.discover import _Fetched
    from crawler.http.client import Response

    stories = [Story.make(f"/articles/{n}", n) for n in range(3)]
    response = Response(url=f"{SITE}/feed", status=200, content=rss_feed(SITE, stories),
                        headers=httpx.Headers({"Content-Type": "application/rss+xml"}))
    parsing.shutdown()  # fresh workers
    try:
        urls, heavy = asyncio.run(parsing.with_parser(
            read_listing_and_list_imports, site_parser(), "feed", response.url,
            _Fetched.of(response), 5_000_000, timeout=120))
    finally:
        parsing.shutdown()
    assert urls == [f"{SITE}{story.path}" for story in stories]
    assert heavy == []
