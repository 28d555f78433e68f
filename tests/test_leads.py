"""Leads (chapeaux) from the page's own markup and descriptions, never from a teaser; the
precision of the publication date ("minute", or "day" for a date-only page)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from crawler.config import Config
from crawler.dates import parse_dated
from crawler.extract import SourceParser
from crawler.page import Page

URL = "https://journal.ml/2025/12/09/elevage-les-pasteurs-de-nara/"
TITLE = "Élevage : les pasteurs de Nara face au manque de pâturage"
FIRST = ("Dans le cercle de Nara, les éleveurs commencent la transhumance plus tôt que "
         "d’habitude, faute de pâturage après une saison des pluies déficitaire. Les "
         "premiers troupeaux ont pris la route de la Mauritanie dès la fin d’octobre.")
SECOND = ("Selon le service local des productions animales, près de 40 000 têtes de bétail "
          "ont déjà quitté le cercle, deux mois plus tôt que l’an dernier.")
THIRD = "Les éleveurs demandent la reprise des forages pastoraux abandonnés depuis 2012."
CHAPEAU = ("Faute de pluies suffisantes, les éleveurs du cercle de Nara partent en "
           "transhumance deux mois plus tôt, et réclament des forages pastoraux.")


@pytest.fixture(scope="module")
def parser() -> SourceParser:
    config = Config.model_validate({"sources": [{
        "name": "journal", "platform": "wordpress", "base_url": "https://journal.ml/",
        "entry_points": ["https://journal.ml/feed/"]}]}, context={})
    return SourceParser(config.sources[0])


def page(*, head: str = "", before: str = "", paragraphs: tuple[str, ...] = (
        f"<p>{FIRST}</p>", f"<p>{SECOND}</p>", f"<p>{THIRD}</p>"), after: str = "") -> Page:
    return Page.from_html(URL, (
        f'<html lang="fr"><head><title>{TITLE}</title>{head}</head><body><article>'
        f'<h1>{TITLE}</h1>{before}<div class="entry-content">{"".join(paragraphs)}</div>'
        f"{after}</article></body></html>"))


def described(text: str, *, key: str = "og:description") -> str:
    return f'<meta property="{key}" content="{text}">'


def ld(description: str, published: str = "2025-12-09T08:40:00+00:00") -> str:
    data = {"@context": "https://schema.org", "@graph": [{
        "@type": "NewsArticle", "headline": TITLE, "datePublished": published,
        "description": description}]}
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


# The chapeau as many themes show it, under the title and outside the body's block, in an
# element no chapeau selector names (the subtitle of the JNews and Newspaper themes is an <h2>).
SHOWN = f"<h2>{CHAPEAU}</h2>"


def test_a_json_ld_description_that_is_a_chapeau_shown_on_the_page_is_the_lead(parser):
    article = parser.parse(page(head=ld(CHAPEAU), before=SHOWN))
    assert article.lead == CHAPEAU
    assert article.body == "\n\n".join([FIRST, SECOND, THIRD])


def test_an_og_description_that_is_a_chapeau_shown_on_the_page_is_the_lead(parser):
    assert parser.parse(page(head=described(CHAPEAU), before=SHOWN)).lead == CHAPEAU
    # shown in other words here and there: still the chapeau (the description's text is kept)
    reworded = SHOWN.replace("deux mois", "2 mois")
    assert parser.parse(page(head=described(CHAPEAU), before=reworded)).lead == CHAPEAU


def test_a_description_shown_nowhere_on_the_page_is_no_lead(parser):
    """A summary written for search engines (Süddeutsche's `googleTeaserText`, Fundus de/SZ;
    most of the scrapinghub benchmark's and Fundus's descriptions) is no chapeau: the chapeaux
    of the Malian sites are shown on the page (L'Essor: title, chapeau, date, body; Malijet's
    `p.article_abstract`), and their teasers are cut from what is shown."""
    for head in (ld(CHAPEAU), described(CHAPEAU), described(CHAPEAU, key="description")):
        article = parser.parse(page(head=head))
        assert article.lead is None, head
        assert article.body == "\n\n".join([FIRST, SECOND, THIRD])


def test_a_description_made_of_the_bodys_sentences_shortened_is_no_lead(parser):
    """Fundus au/WestAustralian, de/Stern, scrapinghub 5a822960...: the description is the
    body's opening sentence cut down ("said on Tuesday, after years of debate" dropped); it
    is shown, but as the body: no chapeau."""
    shortened = ("Dans le cercle de Nara, les éleveurs commencent la transhumance plus tôt que "
                 "d’habitude. Les premiers troupeaux ont pris la route de la Mauritanie.")
    assert parser.parse(page(head=ld(shortened))).lead is None


@pytest.mark.parametrize("teaser", [
    FIRST[:150] + "…",  # cut with an ellipsis
    FIRST[:150].rsplit(" ", 1)[0] + " [...]",
    FIRST.split(". ")[0] + ".",  # the body's first sentence: cut at a sentence end
    FIRST,  # the whole first paragraph
    FIRST + " " + SECOND[:40],  # into the second paragraph, mid-word
    FIRST.split(". ")[0] + "..",  # L'Essor's marker
    CHAPEAU[:-1] + " Lire la suite",
    CHAPEAU[:-1] + "…",  # not the body, but cut all the same
    FIRST.split(". ")[0].replace("é", "e") + ".",  # accents lost on the way
], ids=["ellipsis", "bracket", "first-sentence", "first-paragraph", "word-cut", "lessor-dots",
        "lire-la-suite", "cut-chapeau", "accents-lost"])
def test_a_description_cut_from_the_body_or_cut_at_all_is_a_teaser_not_a_lead(parser, teaser):
    for head in (described(teaser), ld(teaser), described(teaser, key="description")):
        article = parser.parse(page(head=head))
        assert article.lead is None, head
        assert article.body.startswith(FIRST)


def test_a_site_tagline_shown_on_every_page_is_not_a_lead(parser):
    tagline = ("Journal du Mali, toute l’actualité politique, économique, sportive et "
               "culturelle du Mali et de la sous-région en continu.")
    assert parser.parse(page(head=described(tagline))).lead is None


def test_a_chapo_element_is_the_lead_and_leaves_the_body(parser):
    inside = page(paragraphs=(f'<p class="article-chapo">{CHAPEAU}</p>', f"<p>{FIRST}</p>",
                              f"<p>{SECOND}</p>"))
    article = parser.parse(inside)
    assert (article.lead, article.body) == (CHAPEAU, f"{FIRST}\n\n{SECOND}")
    above = page(before=f'<div class="chapeau"><p>{CHAPEAU}</p></div>')
    assert parser.parse(above).lead == CHAPEAU
    inline = ("Le ministre de l’<em>Élevage</em> a reçu hier les pasteurs de <b>Nara</b>, "
              "venus réclamer des forages.")
    article = parser.parse(page(paragraphs=(f'<p class="chapo">{inline}</p>', f"<p>{FIRST}</p>")))
    assert (article.lead, article.body) == (
        "Le ministre de l’Élevage a reçu hier les pasteurs de Nara, venus réclamer des forages.",
        FIRST)


def test_a_chapo_of_another_article_or_an_author_bio_is_not_the_lead(parser):
    related = (f'<div class="related-posts"><a href="/autre/"><p class="chapo">{CHAPEAU}</p>'
               "</a></div>")
    bio = ('<div class="saboxplugin-desc"><div itemprop="description"><p>Journaliste, il '
           "couvre l’élevage et l’agriculture dans la région de Koulikoro depuis dix ans.</p>"
           "</div></div>")
    for after in (related, bio):
        assert parser.parse(page(after=after)).lead is None


def test_a_first_paragraph_all_in_bold_is_the_lead(parser):
    article = parser.parse(page(paragraphs=(
        f"<p><strong>{CHAPEAU}</strong></p>", f"<p>{FIRST}</p>", f"<p>{SECOND}</p>")))
    assert (article.lead, article.body) == (CHAPEAU, f"{FIRST}\n\n{SECOND}")


@pytest.mark.parametrize("first", [
    "<p><strong>Par Moussa KONÉ</strong></p>",  # a byline
    "<p><strong>Lire aussi : Nara, les forages pastoraux à l’abandon depuis 2012</strong></p>",
    f"<p><strong>{CHAPEAU[:60]}</strong>{CHAPEAU[60:]}</p>",  # only its start in bold
    "<p><b>BAMAKO, 9 décembre</b></p>",  # a dateline
])
def test_a_bold_byline_dateline_or_partly_bold_paragraph_is_not_the_lead(parser, first):
    article = parser.parse(page(paragraphs=(first, f"<p>{FIRST}</p>", f"<p>{SECOND}</p>")))
    assert article.lead is None


def test_a_site_selector_for_the_lead_still_wins(parser):
    configured = Config.model_validate({"sources": [{
        "name": "journal", "platform": "wordpress", "base_url": "https://journal.ml/",
        "entry_points": ["https://journal.ml/feed/"],
        "selectors": {"lead": ".intro"}}]}, context={})
    html = page(before='<p class="intro">Un chapeau court.</p>', head=ld(CHAPEAU))
    assert SourceParser(configured.sources[0]).parse(html).lead == "Un chapeau court."


@pytest.mark.parametrize(("published", "when", "precision"), [
    ("2025-12-09T08:40:00+01:00", datetime(2025, 12, 9, 7, 40, tzinfo=UTC), "minute"),
    ("2025-12-09T00:00:00+00:00", datetime(2025, 12, 9, tzinfo=UTC), "minute"),  # said 00:00
    ("2025-12-09", datetime(2025, 12, 9, tzinfo=UTC), "day"),
    ("mardi 9 décembre 2025", datetime(2025, 12, 9, tzinfo=UTC), "day"),
    ("Publié le 9 décembre 2025 à 08h40", datetime(2025, 12, 9, 8, 40, tzinfo=UTC), "minute"),
])
def test_the_date_is_stored_with_the_precision_the_page_gave(parser, published, when,
                                                             precision):
    article = parser.parse(page(head=ld(CHAPEAU, published=published)))
    assert (article.published_at, article.published_precision) == (when, precision)


def test_dates_read_by_dateparser_say_whether_they_had_a_time():
    reference = datetime(2025, 12, 10, 12, tzinfo=UTC)
    assert parse_dated("il y a 3 heures", reference=reference).precision == "minute"
    assert parse_dated("hier à 14h30", reference=reference).precision == "minute"
    assert parse_dated("hier", reference=reference).precision == "day"
    assert parse_dated("December 10, 2025").precision == "day"
    assert parse_dated("sans date") is None


@pytest.mark.parametrize(("text", "when"), [
    ("2022-5-5 22:17:36", datetime(2022, 5, 5, 22, 17, 36, tzinfo=UTC)),
    ("2022/05/10 17:36:11", datetime(2022, 5, 10, 17, 36, 11, tzinfo=UTC)),
    ("2023-1-26", datetime(2023, 1, 26, tzinfo=UTC)),
])
def test_year_first_dates_without_padding_or_with_slashes_are_read_without_dateparser(
        text, when, monkeypatch):
    """Dates CMSs print (trafilatura's evaluation pages): read by the regexes, not dateparser."""
    import dateparser.date

    def refused(*args, **kwargs):
        raise AssertionError("dateparser called")

    monkeypatch.setattr(dateparser.date.DateDataParser, "get_date_data", refused)
    assert parse_dated(text).when == when


def test_a_description_shown_whole_above_the_article_is_the_lead_however_it_ends(parser):
    """vegolosi.it, grazia-magazin.de, ekd.de (trafilatura's eval), Fundus fr/EuronewsFR: the
    standfirst under the title is the page's description, shown whole in a block of its own,
    but it has no full stop, ends with a stylistic "...", or shares under 60% of its longer
    words with the body; shown whole above the article, it is the lead all the same."""
    for chapeau in (CHAPEAU[:-1], CHAPEAU[:-1] + "...",
                    "Le préfet de Nara, représentant de l’État dans le cercle, a reçu lundi les "
                    "délégués des pasteurs venus réclamer des forages pastoraux."):
        article = parser.parse(page(head=described(chapeau), before=f"<h2>{chapeau}</h2>"))
        assert article.lead == chapeau, chapeau
        assert article.body == "\n\n".join([FIRST, SECOND, THIRD])
    # shown in the page's header, the site's tagline (which it also gives as every page's
    # description) shares hardly a word with the article: no lead
    tagline = ("Journal du Mali, toute l’actualité politique, économique, sportive et "
               "culturelle du Mali et de la sous-région en continu")
    shown = Page.from_html(URL, (
        f'<html lang="fr"><head><title>{TITLE}</title>{described(tagline)}</head><body>'
        f'<header><p class="site-description">{tagline}</p></header><article><h1>{TITLE}</h1>'
        f'<div class="entry-content"><p>{FIRST}</p><p>{SECOND}</p><p>{THIRD}</p></div>'
        "</article></body></html>"))
    assert parser.parse(shown).lead is None
