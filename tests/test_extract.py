"""Extraction from parsed pages: layered fields, body hygiene, site versions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.config import load_config
from crawler.extract import SourceParser, block_paragraphs
from crawler.page import Page
from crawler.sources.lessor import EssorWordPress
from crawler.sources.lessor import Parser as LessorParser

ROOT = Path(__file__).resolve().parent.parent
# What a naive scraper took from one L'Essor page: six paragraphs, the byline, six related
# teasers (copied from ../shared/samples/lessor-naive-scrape.txt, which lives outside the repo).
NAIVE_SCRAPE = (Path(__file__).parent / "data" / "lessor-naive-scrape.txt").read_text("utf-8")


@pytest.fixture(scope="module")
def config():
    return load_config(ROOT / "sources.yaml")


def naive_page(paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<html lang="fr"><head><meta property="og:title" content="Lessor"></head><body>
    <h1>Mali-Russie : la coopération bilatérale passée en revue</h1>
    <div class="post-content">{body}</div></body></html>"""


def test_naive_scrape_shape_keeps_article_and_moves_byline_and_teasers_out(config):
    lines = [line for line in NAIVE_SCRAPE.split("\n") if line.strip()]
    article_paragraphs, byline, teasers = lines[:6], lines[6], lines[7:]
    url = "https://lessor.ml/posts/mali-russie-cooperation-6939a7b1e3f90"
    article = LessorParser(config.source("lessor")).parse(Page.from_html(url, naive_page(lines)))
    assert article is not None
    assert article.body.split("\n\n") == article_paragraphs
    assert article.body.endswith(article_paragraphs[-1])
    assert article.authors == [byline] == ["Aboubacar TRAORE"]
    for teaser in teasers:
        assert teaser[:60] not in article.body
    assert [t.text for t in article.teasers] == teasers
    assert article.title == "Mali-Russie : la coopération bilatérale passée en revue"
    # No date line on this page: the date comes from the URL's uniqid suffix.
    assert article.published_at == datetime(2025, 12, 10, 17, 2, 41, tzinfo=UTC)


def test_hard_line_breaks_inside_a_paragraph_are_rejoined():
    page = Page.from_html("https://x.ml/a", "<div><p>La cérémonie s’est déroulée<br>\n"
                          "en présence d’une délégation de la<br>Direction générale.<br>"
                          "Deuxième paragraphe.</p><p>Fin.</p></div>")
    lines = block_paragraphs(page.first("div"))
    assert lines == [
        "La cérémonie s’est déroulée en présence d’une délégation de la Direction générale.",
        "Deuxième paragraphe.", "Fin."]


WORDPRESS_PAGE = """<html lang="fr-FR"><head>
<link rel="canonical" href="https://www.journaldumali.com/2025/12/01/un-titre/">
<meta property="og:title" content="Un titre - Journal du Mali">
<meta property="og:image" content="https://www.journaldumali.com/img.jpg">
<meta property="article:tag" content="Coton"><meta property="article:tag" content="CMDT">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebPage","@id":"https://www.journaldumali.com/2025/12/01/un-titre/"},
 {"@type":"NewsArticle","headline":"Un titre","datePublished":"2025-12-01T09:30:00+01:00",
  "author":{"@type":"Person","name":"Aminata Keïta"},"articleSection":["Economie"]}]}</script>
<script type="application/ld+json">{ broken json</script>
</head><body><article><h1 class="entry-title">Un titre</h1>
<div class="entry-content"><p>Premier paragraphe de l’article.</p>
<div class="sharedaddy"><p>Partager :</p></div>
<p>LIRE AUSSI : Un autre article</p><p>Second paragraphe.</p></div></article></body></html>"""


def test_generic_layers_read_json_ld_then_meta_and_drop_boilerplate(config):
    parser = SourceParser(config.source("journaldumali"))
    page = Page.from_html("https://www.journaldumali.com/2025/12/01/un-titre/?utm_source=x",
                          WORDPRESS_PAGE)
    article = parser.parse(page)
    assert article is not None
    assert article.title == "Un titre"
    assert article.authors == ["Aminata Keïta"]
    assert article.published_at == datetime(2025, 12, 1, 8, 30, tzinfo=UTC)
    assert article.section == "Economie"
    assert article.tags == ["Coton", "CMDT"]
    assert article.image == "https://www.journaldumali.com/img.jpg"
    assert article.url == "https://www.journaldumali.com/2025/12/01/un-titre/"
    assert article.body == "Premier paragraphe de l’article.\n\nSecond paragraphe."


def test_page_without_body_is_not_an_article(config):
    parser = SourceParser(config.source("journaldumali"))
    page = Page.from_html("https://www.journaldumali.com/x/", "<html><head><title>T</title>"
                          "</head><body><h1>T</h1></body></html>")
    assert parser.parse(page) is None


@pytest.mark.parametrize(("html", "missing", "why"), [
    ("<h1>T</h1>", ("body",), "no body"),
    ("<article><p>Un paragraphe du corps de l’article.</p></article>", ("title",), "no title"),
    ("", ("title", "body"), "no title and no body"),
])
def test_find_says_what_a_page_without_an_article_lacks(config, html, missing, why):
    parser = SourceParser(config.source("journaldumali"))
    found = parser.find(Page.from_html("https://www.journaldumali.com/x/",
                                       f"<html><body>{html}</body></html>"))
    assert (found.article, found.copy, found.found) == (None, None, None)
    assert (found.missing, found.why) == (missing, why)


def test_find_gives_an_article_as_an_article_and_nothing_missing(config):
    parser = SourceParser(config.source("journaldumali"))
    found = parser.find(Page.from_html("https://www.journaldumali.com/x/",
                                       "<html><body><h1>T</h1><article><p>Un paragraphe du "
                                       "corps de l’article.</p></article></body></html>"))
    assert found.copy is None and found.missing == () and found.why == ""
    assert found.found is found.article and found.article.title == "T"


def test_find_keeps_the_url_as_served_and_keys_it_once_for_the_crawl(config):
    parser = SourceParser(config.source("journaldumali"))
    page = Page.from_html(
        "https://www.journaldumali.com/2025/12/01/titre/",
        '<html><head><link rel="canonical" href="https://www.journaldumali.com/2025/12/01/'
        'titre/?utm_source=facebook#haut"></head><body><h1>T</h1><article><p>Un paragraphe '
        "du corps de l’article.</p></article></body></html>")
    article = parser.find(page).article
    assert article.url == "https://www.journaldumali.com/2025/12/01/titre/"
    assert article.url_key == "journaldumali.com/2025/12/01/titre/"


def test_lessor_picks_the_wordpress_version_for_old_essor_pages(config):
    html = """<html><body><h1 class="entry-title">Ancien article</h1>
    <time class="entry-date" datetime="2019-03-04T10:00:00+00:00">4 mars 2019</time>
    <div class="entry-content"><p>Texte de l’ancien site essor.ml.</p></div></body></html>"""
    parser = LessorParser(config.source("lessor"))
    page = Page.from_html("https://lessor.ml/posts/ancien-5c7cf8a000000", html)
    assert isinstance(parser.version_for(page), EssorWordPress)
    article = parser.parse(page)
    assert article is not None
    assert article.title == "Ancien article"
    assert article.body == "Texte de l’ancien site essor.ml."
    assert article.published_at == datetime(2019, 3, 4, 10, 0, tzinfo=UTC)


def test_listing_links_carry_title_teaser_and_uniqid_date(config):
    html = """<html><body><div class="post-card"><h3><a href="/posts/un-article-693a8b5d0c4e7">
    Un article</a></h3><p class="extrait">Le début du chapeau..</p></div>
    <a href="/categorie/politique">Politique</a><a href="https://autre.ml/posts/x-693a8b5d0c4e7">x</a>
    </body></html>"""
    parser = LessorParser(config.source("lessor"))
    links = parser.listing_links(Page.from_html("https://lessor.ml/", html))
    assert [(link.url, link.title, link.teaser) for link in links] == [
        ("https://lessor.ml/posts/un-article-693a8b5d0c4e7", "Un article", "Le début du chapeau..")
    ]
    assert links[0].published_at == datetime(2025, 12, 11, 9, 14, 5, tzinfo=UTC)


def test_listing_links_mend_mojibake_in_titles_and_teasers(config):
    # Pages are decoded without ftfy over the whole page: a listing whose CMS stored UTF-8
    # read as Latin-1 ("DÃ©cret", "Ã©tÃ©") is mended field by field.
    html = """<html><body><div class="post-card"><h3><a href="/posts/decret-693a8b5d0c4e7">
    DÃ©cret de nomination</a></h3><p class="extrait">Le ministre a Ã©tÃ© reÃ§u hier..</p></div>
    </body></html>"""
    parser = LessorParser(config.source("lessor"))
    [link] = parser.listing_links(Page.from_html("https://lessor.ml/", html))
    assert (link.title, link.teaser) == ("Décret de nomination", "Le ministre a été reçu hier..")


def test_related_teasers_are_mended_and_a_cut_inside_a_two_byte_letter_is_kept_as_cut(config):
    # L'Essor cuts teasers at 300 bytes: on a CMS that stored UTF-8 read as Latin-1, the cut can
    # fall between the two characters of one mojibake letter ("Ã" of "Ã©"). The rest of the
    # teaser is mended; the cut fragment stays as it is (the matcher compares whole words only).
    html = """<html><body><h1>T</h1><div class="post-content"><p>Corps.</p></div>
    <div class="articles-similaires"><div class="similaire"><a href="/posts/b-693a8b5d0c4e7">
    Le prÃ©sident reÃ§oit</a><p class="extrait">Le prÃ©sident de la TransiÃ.</p></div>
    <div class="similaire"><a href="/posts/c-693a8b5d0c4e7">Sans</a><p class="extrait">
    Le Premier ministre a reçu les partenaires.</p></div></div></body></html>"""
    parser = LessorParser(config.source("lessor"))
    page = Page.from_html("https://lessor.ml/posts/a-693a8b5d0c4e7", html)
    teasers = parser.related_teasers(page)
    assert [(t.title, t.text) for t in teasers] == [
        ("Le président reçoit", "Le président de la TransiÃ."),
        ("Sans", "Le Premier ministre a reçu les partenaires."),
    ]


def test_malijet_cards_give_each_link_its_own_cards_date_read_once_per_card(config):
    # Malijet's card: the paper on the first line of p.card-text, the date on the next. A card
    # without a date gives none (not the next card's), and a card inside a card reads its own.
    from crawler.sources.malijet import Parser as MalijetParser

    def card(slug: str, text: str, inner: str = "") -> str:
        return (f'<div class="card"><a href="/actualite/{slug}.html">T {slug}</a>'
                f'<p class="card-text">{text}</p>{inner}</div>')

    html = "<html><body>" + card("1-a", "L'Essor<br>12 décembre 2025") + card(
        "2-b", "Studio Tamani") + card("3-c", "Le Républicain<br>ao\ufffdt 2025 ? non<br>"
                                       "3 août 2025", inner=card("4-d", "Info-Matin<br>"
                                                                   "1 septembre 2025"))
    parser = MalijetParser(config.source("malijet"))
    links = {link.url.rsplit("/", 1)[-1]: link.published_at
             for link in parser.listing_links(Page.from_html("https://malijet.com/", html))}
    assert links == {
        "1-a.html": datetime(2025, 12, 12, tzinfo=UTC),
        "2-b.html": None,
        "3-c.html": datetime(2025, 8, 3, tzinfo=UTC),
        "4-d.html": datetime(2025, 9, 1, tzinfo=UTC),
    }


def test_page_scan_finds_what_each_selector_finds():
    """Page.scanned reads <meta>, JSON-LD, <time datetime>, the canonical link and <h1> in one
    pass over the tree: each list is what its own selector finds, with lexbor's matching (rel
    and type values in any case, <meta> inside <svg>, a <meta> without content)."""
    html = (
        "<html><head><meta CONTENT=a name=x><meta content name=y><meta property=article:tag>"
        "<meta property=article:tag content=t><meta property=ARTICLE:TAG content=u>"
        "<link rel=alternate href=0><link REL=Canonical href=1><link rel=canonical href=2>"
        '<script type="Application/LD+JSON">{"a": 1}</script><script>{}</script>'
        '<script type="application/ld+json">{"b": 2}</script></head><body><h1>One</h1>'
        "<time>no</time><time DATETIME=1>x</time><svg><time datetime=2></time>"
        "<meta content=z></meta></svg><h1 class=standfirst>Two</h1><time datetime=3></time>"
        "</body></html>")
    page = Page.from_html("https://example.invalid/a", html)
    tree = page.tree

    def ids(nodes):
        return [n.mem_id for n in nodes]

    assert ids(n for n in page.metas if "content" in n.attributes) == ids(
        tree.css("meta[content]"))
    assert ids(n for n in page.metas if n.attributes.get("property") == "article:tag") == ids(
        tree.css('meta[property="article:tag"]'))
    assert ids(page.scanned["script"]) == ids(tree.css('script[type="application/ld+json"]'))
    assert ids(page.scanned["h1"]) == ids(tree.css("h1"))
    assert page.first_scanned("time").mem_id == tree.css_first("time[datetime]").mem_id
    assert page.first_scanned("link").mem_id == tree.css_first('link[rel="canonical"]').mem_id
    assert page.first_scanned("link").attributes["href"] == "1"
    assert len(page.scanned["script"]) == 2 and len(page.json_ld) == 2
    assert ids(page.scanned["time"]) == ids(tree.css("time[datetime]"))
    assert page.meta == {"x": "a", "article:tag": "t"}
    # the chapeau's selectors share the pass: the <h1 class=standfirst> is in both lists, once
    assert [n.text() for n in page.scanned["chapeau"]] == ["Two"]


@pytest.mark.parametrize(("text", "word", "whole"), [
    ("le président parle", "président", True),
    ("les présidents parlent", "président", False),  # inside a longer word
    ("vice_président, 2024", "président", False),  # "_" is a word character, as for re's \w
    ("président2024", "président", False),
    ("un président; puis le président.", "président", True),  # the second one is whole
    ("", "président", False),
])
def test_a_description_word_counts_as_the_articles_only_as_a_whole_word(text, word, whole):
    from crawler.extract import _has_word
    assert _has_word(text, word) is whole


def test_a_description_whose_words_the_body_lacks_is_not_in_the_body():
    from crawler.extract import _not_in_body
    body = ["HANOI (AP) — The storm hit the coast on Monday.", "Thousands fled."]
    assert not _not_in_body("HANOI (AP) - The storm hit the coast on Monday.", body)
    assert _not_in_body("The typhoon hit the coast on Monday.", body)  # "typhoon" is not there
    assert _not_in_body("On Monday the storm hit the coast.", body)  # each word there, not the run
