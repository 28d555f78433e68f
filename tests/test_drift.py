"""A site changes its markup: the author and date selectors miss, and the crawl says so.

A real server on 127.0.0.1 serves a small site whose pages give the author and the date only
through the elements the source's selectors name (no JSON-LD, no <meta> date, no <time>). The
first crawl stores four articles with both fields; then the site renames those elements and
publishes four new articles. The second crawl warns (one WARNING line, and a line after the
summary), the metrics file's fill ratio drops, and `crawl stats` shows the window below the
history.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from httpserver import Reply, TestServer, feed_reply

from crawler.stats import FieldFill, drift

ROOT = Path(__file__).resolve().parent.parent
FIRST_DAY = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)


def article_page(number: int, *, redesigned: bool, structured: bool = False) -> bytes:
    """An article whose author and date sit in span.auteur / span.date, or, after the
    redesign, in elements of other names, the date under the text (where the generic date
    shown with the headline, crawler.extract.shown_with, does not look); `structured`: the
    redesign also gives both in JSON-LD, which the generic layers read."""
    author, date = ("p.signature", "div.horodatage") if redesigned else ("span.auteur",
                                                                         "span.date")
    when = FIRST_DAY + timedelta(hours=number)
    prose = "".join(f"<p>{html.escape(p)}</p>" for p in (
        f"Le conseil communal de Kati a examiné mardi le dossier numéro {number} du marché.",
        f"Les commerçants du secteur {number} ont obtenu un délai supplémentaire de deux mois.",
    ))
    tag = {"span.auteur": "span", "p.signature": "p"}[author]
    date_tag = {"span.date": "span", "div.horodatage": "div"}[date]
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "author": {"@type": "Person", "name": "Aminata KONATÉ"},
                     "datePublished": f"{when:%Y-%m-%dT%H:%M:%S+00:00}"})
    head = f'<script type="application/ld+json">{ld}</script>' if structured else ""
    return (
        f'<html lang="fr"><head><meta charset="utf-8"><title>Dossier {number}</title>{head}'
        '</head>'
        f'<body><article><h1>Kati : le dossier {number} du marché</h1>'
        f'<{tag} class="{author.split(".")[1]}">Aminata KONATÉ</{tag}>'
        + (prose if redesigned else "")
        + f'<{date_tag} class="{date.split(".")[1]}">Publié le {when:%d/%m/%Y à %H:%M}</{date_tag}>'
        + ("" if redesigned else prose) + "</article></body></html>"
    ).encode()


class Site:
    def __init__(self, server: TestServer) -> None:
        self.server = server
        self.paths: list[str] = []

    def publish(self, numbers: range, *, redesigned: bool, structured: bool = False) -> None:
        for n in numbers:
            path = f"/2025/kati-dossier-{n}/"
            self.paths.insert(0, path)
            page = article_page(n, redesigned=redesigned, structured=structured)
            self.server.route(path, Reply(body=page, headers={
                "Content-Type": "text/html; charset=utf-8"}))
        items = "".join(
            f"<item><title>Dossier</title><link>{self.server.base_url}{p}</link></item>"
            for p in self.paths)
        self.server.route("/feed", feed_reply(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Le Journal</title>'
            f"{items}</channel></rss>".encode()))


def crawl(config: Path | None, db: str, *args: str) -> subprocess.CompletedProcess:
    options = ("--config", str(config)) if config else ()
    return subprocess.run(
        [sys.executable, "-c", "from crawler.cli import main; main()", *args, *options,
         "--db", db],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)


def fill_ratios(metrics: Path) -> dict[str, float]:
    return {m["field"]: float(m["value"]) for m in re.finditer(
        r'^crawler_field_fill_ratio\{field="(?P<field>\w+)",source="lejournal"\} (?P<value>\S+)$',
        metrics.read_text("utf-8"), re.MULTILINE)}


def write_config(tmp_path: Path, server: TestServer) -> Path:
    """sources.yaml of the site, its author and date read by the selectors the first pages
    match."""
    config = tmp_path / "sources.yaml"
    config.write_text(yaml.safe_dump({
        "settings": {"user_agent": "test", "delay": 0},
        "sources": [{"name": "lejournal", "platform": "rss", "base_url": server.url("/"),
                     "entry_points": [server.url("/feed")],
                     "selectors": {"authors": "span.auteur", "published": "span.date"}}],
    }), "utf-8")
    return config


def crawl_before_redesign(tmp_path: Path, server: TestServer,
                          *args: str) -> tuple[Site, Path, str]:
    """The site's first four articles, as published before the redesign, crawled once into a
    fresh database without a drift warning: (the site, its sources.yaml, the database URL)."""
    site = Site(server)
    site.publish(range(1, 5), redesigned=False)
    config = write_config(tmp_path, server)
    db = f"sqlite:///{tmp_path}/drift.db"
    first = crawl(config, db, *args)
    assert first.returncode == 0, first.stderr
    assert "stopped filling" not in first.stderr + first.stdout
    return site, config, db


def test_renamed_author_and_date_elements_warn_drop_the_metric_and_show_in_stats(tmp_path):
    with TestServer() as server:
        site, config, db = crawl_before_redesign(
            tmp_path, server, "--metrics-file", str(tmp_path / "first.prom"))
        before = fill_ratios(tmp_path / "first.prom")
        assert before["authors"] == before["published"] == before["title"] == 1.0

        site.publish(range(5, 9), redesigned=True)
        second = crawl(config, db, "--force", "--metrics-file", str(tmp_path / "second.prom"))

    assert second.returncode == 0, second.stderr
    warnings = [line for line in second.stderr.splitlines() if " WARNING " in line]
    assert len(warnings) == 1, second.stderr
    assert "lejournal: fields stopped filling: authors filled in 0% of 4 articles (was 100% of " \
           "4); published filled in 0% of 4 articles (was 100% of 4)" in warnings[0]
    summary = [line for line in second.stdout.splitlines() + second.stderr.splitlines()
               if line.startswith("lejournal: fields stopped filling")]
    assert len(summary) == 1, second.stdout
    after = fill_ratios(tmp_path / "second.prom")
    assert (after["authors"], after["published"], after["title"], after["body"]) == (
        0.0, 0.0, 1.0, 1.0)

    # The new articles have no date: they are dated by when they were first seen, today; the
    # first four are dated three days ago, outside a window of today alone.
    today = f"{datetime.now(UTC):%Y-%m-%d}"
    stats = crawl(None, db, "stats", "--since", today, "--json")
    assert stats.returncode == 0, stats.stderr
    [one] = json.loads(stats.stdout)["sources"]
    assert (one["fill"]["window"]["articles"], one["fill"]["history"]["articles"]) == (4, 8)
    assert one["fill"]["window"]["authors"] == one["fill"]["window"]["published"] == 0.0
    assert one["fill"]["history"]["authors"] == one["fill"]["history"]["published"] == 0.5
    table = crawl(None, db, "stats", "--since", today)
    # title, lead, body, authors, published: window / history
    assert re.search(r"lejournal\s*│\s*100% / 100%\s*│\s*0% / 0%\s*│\s*100% / 100%\s*│"
                     r"\s*0% / 50%\s*│\s*0% / 50%\s*│", table.stdout), table.stdout


def test_selectors_that_stop_matching_warn_though_the_generic_layers_fill_the_fields(tmp_path):
    # the redesign renames the elements but gives author and date in JSON-LD: every field
    # stays filled, and the operator still learns that the source's selectors broke
    with TestServer() as server:
        site, config, db = crawl_before_redesign(tmp_path, server)
        site.publish(range(5, 9), redesigned=True, structured=True)
        second = crawl(config, db, "--force", "--metrics-file", str(tmp_path / "second.prom"))

    assert second.returncode == 0, second.stderr
    warnings = [line for line in second.stderr.splitlines() if " WARNING " in line]
    assert len(warnings) == 1, second.stderr
    assert ("lejournal: fields stopped filling: authors filled by its selector in 0% of 4 "
            "articles (was 100% of 4), by the generic layers in 100%; published filled by its "
            "selector in 0% of 4 articles (was 100% of 4), by the generic layers in 100%"
            ) in warnings[0]
    after = fill_ratios(tmp_path / "second.prom")
    assert (after["authors"], after["published"]) == (1.0, 1.0)  # filled all the same


class Filled:
    def __init__(self, body: str = "x" * 100, **fields) -> None:
        self.title, self.lead, self.body = "T", None, body
        self.authors = fields.get("authors", ["A"])
        self.published_at = fields.get("published_at", FIRST_DAY)
        self.section = self.image = None
        self.field_sources = fields.get("field_sources", {})


def fill(*articles: Filled) -> FieldFill:
    found = FieldFill()
    for article in articles:
        found.add(article)
    return found


def test_drift_needs_a_field_that_was_filled_nearly_always_and_enough_articles():
    always, half = fill(*[Filled()] * 10), fill(*[Filled()] * 5, *[Filled(authors=[])] * 5)
    none = fill(*[Filled(authors=[])] * 4)
    assert drift(always, none) == ["authors filled in 0% of 4 articles (was 100% of 10)"]
    assert drift(half, none) == []  # filled in half the articles before: no promise broken
    assert drift(always, fill(Filled(authors=[]), Filled(authors=[]))) == []  # two say nothing
    assert drift(fill(*[Filled()] * 2), none) == []
    assert drift(always, fill(*[Filled(authors=[])] * 2, *[Filled()] * 2)) == []  # 50% is not
    #                                                                                under 50%


def test_a_body_median_that_halves_is_drift():
    assert drift(fill(*[Filled()] * 5), fill(*[Filled(body="x" * 49)] * 5)) == [
        "median body 49 chars (was 100)"]
    assert drift(fill(*[Filled()] * 5), fill(*[Filled(body="x" * 50)] * 5)) == []


def test_a_field_left_by_its_selector_to_the_generic_layers_is_drift():
    by_selector = {"authors": "selector", "published": "json-ld"}
    earlier = fill(*[Filled(field_sources=by_selector)] * 5)
    assert drift(earlier, fill(*[Filled(field_sources={"authors": "meta"})] * 5)) == [
        "authors filled by its selector in 0% of 5 articles (was 100% of 5), by the generic "
        "layers in 100%"]
    # a field its selector never filled (JSON-LD's date) is not watched that way
    assert drift(earlier, fill(*[Filled(field_sources=by_selector)] * 5)) == []
    assert drift(earlier, fill(*[Filled(field_sources=by_selector)] * 3,
                               *[Filled(field_sources={})] * 2)) == []  # 60%: not under 50%
