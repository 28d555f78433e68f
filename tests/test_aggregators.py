"""Aggregators: the original publisher named as configured, attribution lines out of the body,
partial copies kept as teasers, title prefixes, and copies end to end over the cassettes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from crawler.config import Config, Source, load_config
from crawler.discover import feed_links
from crawler.extract import SourceParser
from crawler.http import HttpClient, Response
from crawler.items import Article, Teaser
from crawler.models import ArticleRow, TeaserRow
from crawler.page import Page
from crawler.pipeline import crawl
from crawler.publishers import name_publisher, publisher_key, split_attribution
from crawler.replay import CassetteTransport
from crawler.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def source(name: str, title: str, base: str, **extra) -> dict:
    return dict(name=name, title=title, platform="wordpress", base_url=base,
                entry_points=[base + "feed/"], **extra)


@pytest.fixture
def config() -> Config:
    return Config(sources=[
        source("infomatin", "Info-Matin", "https://info-matin.ml/"),
        source("lindependant", "L'Indépendant", "https://lindependant.ml/"),
        source("lessor", "L'Essor", "https://lessor.ml/", hosts=["journalessor.ml"]),
        source("bamada", "Bamada", "https://bamada.net/", aggregator=True),
        source("maliactu", "Maliactu", "https://maliactu.net/", aggregator=True,
               title_prefix=r"^\s*Mali\s*:\s*"),
    ])


@pytest.mark.parametrize(("shown", "configured"), [
    ("INFO-MATIN", "Info-Matin"), ("Info Matin", "Info-Matin"), ("InfoMatin", "Info-Matin"),
    ("Source : info-matin.", "Info-Matin"), ("l'Indépendant", "L'Indépendant"),
    ("l’Indépendant", "L'Indépendant"), ("L'INDEPENDANT", "L'Indépendant"),
    ("Lessor", "L'Essor"), ("Essor", "L'Essor"), ("Journal L'Essor", "L'Essor"),
    ("lessor.ml", "L'Essor"), ("(Source : INFO-MATIN)", "Info-Matin"),
    ("Le 22 Septembre", "Le 22 Septembre"),
])
def test_a_paper_is_named_as_configured_where_it_is_a_known_source(config, shown, configured):
    known = config.source("bamada").known_publishers
    assert name_publisher(shown, known) == configured


def test_publisher_key_ignores_case_accents_spaces_and_punctuation():
    assert {publisher_key(n) for n in ("INFO-MATIN", "Info Matin", "infomatin")} == {"infomatin"}


def test_attribution_line_leaves_the_body_and_names_the_paper():
    body, paper, read_on = split_attribution(
        ["Premier paragraphe.", "Deuxième paragraphe.", "Seydou KONÉ", "Source : l’Indépendant"])
    assert (body, paper, read_on) == (
        ["Premier paragraphe.", "Deuxième paragraphe.", "Seydou KONÉ"], "l’Indépendant", None)


def test_a_source_line_inside_a_long_paragraph_is_left_alone():
    text = "Source : selon le ministère, la production a augmenté de dix pour cent cette année."
    assert split_attribution(["Un.", text]) == (["Un.", text], None, None)


def page(url: str, title: str, paragraphs: list[str]) -> Page:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return Page.from_html(url, f"<html><head><title>x</title></head><body><h1>{title}</h1>"
                               f'<div class="entry-content">{body}</div></body></html>')


def test_a_partial_copy_is_a_teaser_of_the_original_not_an_article(config):
    parser = SourceParser(config.source("bamada"))
    parsed = parser.find(page("https://bamada.net/chambres", "Chambres consulaires", [
        "L’assemblée générale des chambres consulaires s’est ouverte hier à Bamako…",
        "Lire la suite dans l’Indépendant"]))
    found = parsed.copy
    assert isinstance(found, Teaser) and parsed.article is None and parsed.found is found
    assert found.seen_on == "https://bamada.net/chambres" and found.url is None
    assert found.text.endswith("Lire la suite dans l’Indépendant")


def test_a_whole_copy_carries_its_publisher_and_drops_the_site_account_as_author(config):
    parser = SourceParser(config.source("bamada"))
    html = page("https://bamada.net/mangue", "Sikasso : la mangue", [
        "Le gouverneur a lancé la campagne.", "Les exportateurs espèrent plus.",
        "Seydou KONÉ", "Source : l’Indépendant"]).html.replace(
        "<title>x</title>", '<meta name="author" content="Bamada">')
    article = parser.parse(Page.from_html("https://bamada.net/mangue", html))
    assert isinstance(article, Article)
    assert article.publisher == "L'Indépendant"
    assert article.authors == ["Seydou KONÉ"]
    assert article.body == "Le gouverneur a lancé la campagne.\n\nLes exportateurs espèrent plus."


def test_an_original_keeps_a_source_line_in_its_body(config):
    parser = SourceParser(config.source("infomatin"))
    article = parser.parse(page("https://info-matin.ml/a", "Titre", [
        "Les chiffres du recensement sont publiés.", "Source : INSTAT"]))
    assert article.publisher is None and article.body.endswith("Source : INSTAT")


def test_title_prefix_is_stripped_and_the_rest_capitalised(config):
    parser = SourceParser(config.source("maliactu"))
    article = parser.parse(page("https://maliactu.net/k", "Mali : kidal : les écoles rouvrent", [
        "Getting your Trinity Audio player ready...", "Six écoles ont rouvert."]))
    assert article.title == "Kidal : les écoles rouvrent"
    assert article.body == "Six écoles ont rouvert."


def test_wordpress_feed_footer_is_not_part_of_the_teaser():
    rss = ("<?xml version='1.0'?><rss version='2.0'><channel><title>B</title><item><title>T</title>"
           "<link>https://bamada.net/t</link><description><![CDATA[<p>Le début du texte "
           "[&#8230;]</p><p>The post <a href='https://bamada.net/t'>T</a> appeared first on "
           "<a href='https://bamada.net'>Bamada.net</a>.</p>]]></description></item>"
           "</channel></rss>")
    response = Response(url="https://bamada.net/feed", status=200, headers={},  # type: ignore[arg-type]
                        content=rss.encode(), not_modified=False, elapsed=0.0)
    assert [link.teaser for link in feed_links(response)] == ["Le début du texte […]"]


def test_known_publishers_are_shared_by_every_source_of_a_config(config):
    assert isinstance(config.source("lessor"), Source)
    assert config.source("lessor").known_publishers["journalessor"] == "L'Essor"


def test_replayed_aggregators_store_copies_with_their_publisher_and_partials_as_teasers(tmp_path):
    cfg = load_config(ROOT / "sources.yaml")
    store = open_store(f"sqlite:///{tmp_path}/crawl.db")
    names = ["lessor", "journaldumali", "maliweb", "malijet", "abamako", "bamada", "maliactu"]

    async def go():
        async with HttpClient(user_agent="test", transport=CassetteTransport(ROOT / "cassettes"),
                              delay_per_host=0) as client:
            return await crawl(cfg, [cfg.source(n) for n in names], store=store, client=client,
                               force=True)

    report = asyncio.run(go())
    assert [r.status for r in report.sources] == ["ok"] * len(names)
    with Session(store.engine) as session:
        rows = session.exec(select(ArticleRow)).scalars().all()
        teasers = session.exec(select(TeaserRow)).scalars().all()
    by_title = {}
    for row in rows:
        by_title.setdefault(row.title, {})[row.source] = row.publisher
    # The same story from L'Essor and from aggregators: each copy names L'Essor.
    assert by_title["Mali-Russie : les deux délégations passent en revue la coopération "
                    "bilatérale"] == {"lessor": None, "maliweb": "L'Essor"}
    assert by_title["Frappes aériennes : un pick-up camouflé neutralisé près de Sebabougou"] == {
        "lessor": None, "maliactu": "L'Essor"}
    assert by_title["Pafeem : les agents de la microfinance formés sur l’outil Cameli"] == {
        "lessor": None, "malijet": "L'Essor"}
    assert by_title["Bamako : la saison des pluies 2025 a dépassé les prévisions"] == {
        "journaldumali": None, "bamada": "Journal du Mali"}
    partial_urls = {"https://news.abamako.com/h/318204.html",
                    "https://bamada.net/assemblee-des-chambres-consulaires-le-budget-2026-en-debat"}
    assert not partial_urls & {row.url for row in rows}
    assert partial_urls <= {t.seen_on for t in teasers}
    assert all(row.title and row.body and row.published_at for row in rows)
