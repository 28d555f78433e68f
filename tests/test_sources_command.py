"""`crawl sources` and `crawl sources check NAME`, run in-process over the replayed cassettes."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from typer.testing import CliRunner

from crawler.cli import app

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = str(ROOT / "cassettes")
runner = CliRunner()


def crawl(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def config_copy(tmp_path: Path, source: str, old: str, new: str) -> str:
    """A copy of sources.yaml where, inside `source`'s entry only, `old` becomes `new`."""
    text = (ROOT / "sources.yaml").read_text("utf-8")
    start = text.index(f"  - name: {source}\n")
    end = text.find("\n  - name: ", start + 1)
    end = len(text) if end < 0 else end
    block = text[start:end]
    assert block.count(old) == 1, (source, old)
    path = tmp_path / "sources.yaml"
    path.write_text(text[:start] + block.replace(old, new) + text[end:], "utf-8")
    return str(path)


def field_line(output: str, field: str) -> str:
    found = [line for line in output.splitlines() if re.match(rf"\s+{field}\s", line)]
    assert len(found) == 1, output
    return found[0]


def test_sources_lists_platform_parser_interval_enabled_last_success_and_article_count(tmp_path):
    db = f"sqlite:///{tmp_path}/crawl.db"
    assert crawl("--replay", CASSETTES, "--source", "lessor", "--db", db).exit_code == 0
    result = crawl("sources", "--db", db)
    assert result.exit_code == 0, result.output
    rows = {cells[0]: cells for cells in (
        [c.strip() for c in line.strip("│ ").split("│")]
        for line in result.output.splitlines() if line.startswith("│"))}
    assert rows["lessor"][2:] == [
        "listing", "lessor", "listing", "2h", "yes", "no", rows["lessor"][8], "3"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", rows["lessor"][8])
    assert rows["maliweb"][2:] == [
        "listing", "", "feed, listing", "1h", "yes", "yes", "never", "0"]
    assert {"malijet", "abamako", "bamada", "maliactu", "journaldumali"} <= set(rows)


def test_check_replays_the_entry_points_and_one_article_and_names_each_field():
    result = crawl("sources", "check", "maliweb", "--replay", CASSETTES)
    assert result.exit_code == 0, result.output
    assert "entry point https://www.maliweb.net/rss/latest-posts (feed): 2 article links" in (
        result.output)
    assert field_line(result.output, "title").split()[1] == "found"
    assert "selector `h1.entry-title`" in field_line(result.output, "title")
    assert "Info-Matin" in field_line(result.output, "publisher")  # the author field "InfoMatin"
    assert field_line(result.output, "lead").split()[1] == "EMPTY"
    assert result.output.rstrip().endswith("and the article has title, body and date")


def test_a_broken_date_selector_falls_back_to_the_date_shown_with_the_headline_and_says_so(
        tmp_path):
    # maliweb's page has no structured date: before the generic reader of the date shown
    # under the headline (crawler.extract.shown_with) the field went EMPTY and the check said
    # "not ready: empty published"; no replayed page of cassettes/ lacks a fallback date now
    config = config_copy(tmp_path, "maliweb", "      published: time.entry-date\n",
                         "      published: time.entry-date-renamed\n")
    result = crawl("sources", "check", "maliweb", "--replay", CASSETTES, "--config", config)
    assert result.exit_code == 0, result.output
    line = field_line(result.output, "published")
    assert line.split()[1] == "found"
    assert "[fallback (" in line
    assert "fell back: selector `time.entry-date-renamed` matches nothing on the page" in line


def test_a_broken_body_selector_falls_back_to_the_generic_block_and_says_so(tmp_path):
    config = config_copy(tmp_path, "maliweb", "body: div.td-post-content",
                         "body: div.td-post-content-renamed")
    result = crawl("sources", "check", "maliweb", "--replay", CASSETTES, "--config", config)
    assert result.exit_code == 0, result.output
    line = field_line(result.output, "body")
    assert line.split()[1:3] == ["found", "Le"]
    assert "[fallback (" in line
    assert "fell back: selector `div.td-post-content-renamed` matches nothing" in line


def test_a_broken_title_selector_falls_back_and_says_which_selector_failed(tmp_path):
    config = config_copy(tmp_path, "maliweb", "title: h1.entry-title", "title: h1.gone")
    result = crawl("sources", "check", "maliweb", "--replay", CASSETTES, "--config", config)
    assert result.exit_code == 0, result.output
    line = field_line(result.output, "title")
    assert line.split()[1] == "found"  # og:title still gives it
    assert "[meta (the page's <meta> tags)" in line
    assert "selector `h1.gone` matches nothing on the page" in line


def test_a_broken_links_selector_says_the_listing_gave_no_article_link(tmp_path):
    config = config_copy(tmp_path, "malijet", "parser: malijet", "parser: malijet\n    selectors:"
                         "\n      links: div.carte a[href]")
    result = crawl("sources", "check", "malijet", "--replay", CASSETTES, "--config", config)
    assert result.exit_code == 1, result.output
    assert "(listing): 0 article links" in result.output
    assert "`links` selector `div.carte a[href]` matches nothing" in result.output


def test_a_feed_url_that_answers_html_is_a_clear_error(tmp_path):
    config = config_copy(tmp_path, "maliweb", "https://www.maliweb.net/rss/latest-posts",
                         "https://www.maliweb.net/feed")
    result = crawl("sources", "check", "maliweb", "--replay", CASSETTES, "--config", config)
    assert "https://www.maliweb.net/feed (feed): " in result.output
    assert "not an RSS/Atom feed (text/html)" in result.output
    assert "it answers an HTML page, not a feed" in result.output


def test_a_partial_copy_is_reported_as_a_teaser(tmp_path):
    result = crawl("sources", "check", "abamako", "--replay", CASSETTES,
                   "--article", "https://news.abamako.com/h/318204.html")
    assert "a partial copy, stored as a teaser of https://www.22septembre.net/" in result.output


def test_check_of_an_unknown_source_is_a_usage_error():
    result = runner.invoke(app, ["sources", "check", "maliwbe", "--replay", CASSETTES])
    assert result.exit_code == 2
    assert "unknown source 'maliwbe'" in result.output


def test_an_article_with_no_date_anywhere_is_not_ready(tmp_path):
    # maliweb's recorded cassette, its article pages' dates taken out (a written change: the
    # date element and any date in their text), with the date selector broken: no layer has a
    # date to give, and the check says the source is not ready
    cassette = yaml.safe_load((ROOT / "cassettes" / "maliweb" / "maliweb.yaml").read_text("utf-8"))
    for exchange in cassette["interactions"]:
        if exchange["request"]["uri"].endswith(".html"):
            body = exchange["response"]["body"]
            body["string"] = re.sub(r"<time\b.*?</time>|\d{1,2} [A-Z][a-z]{2} \d{4}", "",
                                    body["string"], flags=re.DOTALL)
    cassettes = tmp_path / "cassettes"
    (cassettes / "maliweb").mkdir(parents=True)
    (cassettes / "maliweb" / "maliweb.yaml").write_text(yaml.safe_dump(cassette), "utf-8")
    config = config_copy(tmp_path, "maliweb", "      published: time.entry-date\n",
                         "      published: time.entry-date-renamed\n")
    result = crawl("sources", "check", "maliweb", "--replay", str(cassettes), "--config", config)
    assert result.exit_code == 1, result.output
    line = field_line(result.output, "published")
    assert line.split()[1] == "EMPTY"
    assert "selector `time.entry-date-renamed` matches nothing on the page" in line
    assert "not ready: empty published" in result.output
