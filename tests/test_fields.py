"""Authors and dates from structured data as sites publish it, and where each field came from."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlmodel import Session

from crawler.config import Source
from crawler.errors import StoreError
from crawler.extract import SourceParser, split_names
from crawler.items import Article
from crawler.models import ArticleRow
from crawler.page import Page
from crawler.stats import stored_fill
from crawler.store import open_store

BODY = "<p>Le conseil des ministres s'est réuni mercredi au palais de Koulouba à Bamako.</p>"


def source(**selectors) -> Source:
    return Source.model_validate({
        "name": "lejournal", "title": "Le Journal", "platform": "rss",
        "base_url": "https://lejournal.ml/", "entry_points": ["https://lejournal.ml/feed/"],
        "selectors": selectors,
    })


def page(ld=None, head: str = "", body: str = BODY, above: str = "") -> Page:
    script = (f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}'
              "</script>" if ld is not None else "")
    html = (f"<html><head><title>T</title>{head}{script}</head><body><h1>Titre</h1>"
            f"{above}<article>{body}</article></body></html>")
    return Page.from_html("https://lejournal.ml/2025/10/01/titre/", html)


def graph(*nodes) -> dict:
    return {"@context": "https://schema.org", "@graph": list(nodes)}


ARTICLE = {"@type": "NewsArticle", "@id": "https://lejournal.ml/a#article", "headline": "Titre"}


def test_author_given_as_an_id_reference_is_read_from_the_graph():
    ld = graph({**ARTICLE, "author": [{"@id": "https://lejournal.ml/#/person/1"},
                                      {"@id": "https://lejournal.ml/#/person/2"}]},
               {"@type": "Person", "@id": "https://lejournal.ml/#/person/2", "name": "Awa Sidibé"},
               {"@type": "Person", "@id": "https://lejournal.ml/#/person/1",
                "name": "Jean-Pierre Dupont"})
    the_page = page(ld)
    assert SourceParser(source()).authors(the_page) == ["Jean-Pierre Dupont", "Awa Sidibé"]
    assert the_page.field_sources["authors"] == "json-ld"


def test_article_nested_as_a_webpage_main_entity_wins_over_the_webpage():
    ld = {"@context": "https://schema.org", "@type": "WebPage", "headline": "Page",
          "datePublished": "2020-01-01T00:00:00+00:00",
          "mainEntity": {"@type": "NewsArticle", "headline": "Titre",
                         "datePublished": "2025-10-01T08:53:00+02:00",
                         "author": {"@type": "Person", "givenName": "Marie-Claire",
                                    "familyName": "Traoré"}}}
    the_page = page(ld)
    parser = SourceParser(source())
    assert parser.published(the_page).when == datetime(2025, 10, 1, 6, 53, tzinfo=UTC)
    assert parser.authors(the_page) == ["Marie-Claire Traoré"]


@pytest.mark.parametrize("name", [
    "Jean-Pierre Dupont", "Marie-Claire Traoré", "von der Leyen", "Ursula von der Leyen",
    "牛镛", "Андрей Колесников", "구현모", "Dr. Max Kolter", "Aïssata N'Diaye", "O'Neil-McCarthy",
])
def test_names_from_structured_data_are_kept_as_published(name):
    assert SourceParser(source()).authors(page({**ARTICLE, "author": {"name": name}})) == [name]


@pytest.mark.parametrize("name", [
    "Rédaction", "La Rédaction", "la rédaction", "Redaction Le Journal", "Le Journal",
    "LE JOURNAL", "lejournal.ml", "contact@lejournal.ml", "https://lejournal.ml/auteur/x/",
    "Le Quotidien du Sahel",  # the page's own publisher and og:site_name
])
def test_the_newsroom_a_mail_address_or_the_site_itself_is_no_author(name):
    ld = {**ARTICLE, "author": [{"name": name}, {"name": "Awa Sidibé"}],
          "publisher": {"@type": "Organization", "name": "Le Quotidien du Sahel"}}
    assert SourceParser(source()).authors(page(ld)) == ["Awa Sidibé"]


def test_several_names_in_one_author_string_are_split_only_when_each_is_a_name():
    assert split_names("Mamokete Modiba, Claire Benit-Gbaffou and Tanya Zack") == [
        "Mamokete Modiba", "Claire Benit-Gbaffou", "Tanya Zack"]
    assert split_names("Awa Sidibé et Moussa Koné") == ["Awa Sidibé", "Moussa Koné"]
    assert split_names("Felix Schröder und Jörg Soldwisch, dpa") == [
        "Felix Schröder", "Jörg Soldwisch", "dpa"]
    assert split_names("srf/hosb;kesm") == ["srf/hosb", "kesm"]
    long = "Povilas Aleksandravičius, professeur à la faculté des sciences sociales, Lrt.lt"
    assert split_names(long) == [long]
    assert split_names("Dupont, le correspondant") == ["Dupont, le correspondant"]
    assert split_names("hessenschau.de, Frankfurt") == ["hessenschau.de, Frankfurt"]
    assert split_names("Jean Dupont") == ["Jean Dupont"]


@pytest.mark.parametrize("written", ["Aminata Traor&eacute;", "Aminata TraorÃ©",
                                     "Par  Aminata\u00a0Traoré", "By Aminata Traoré"])
def test_a_name_escaped_garbled_or_prefixed_in_json_ld_comes_out_clean(written):
    ld = {**ARTICLE, "author": {"@type": "Person", "name": written}}
    assert SourceParser(source()).authors(page(ld)) == ["Aminata Traoré"]


def test_initials_in_parentheses_after_a_name_are_dropped():
    ld = {**ARTICLE, "author": [{"name": "Elena Oberholzer (obe)"}, {"name": "(AFP)"}]}
    assert SourceParser(source()).authors(page(ld)) == ["Elena Oberholzer", "(AFP)"]


def test_a_time_without_offset_is_read_by_the_candidate_that_states_its_zone():
    ld = {**ARTICLE, "datePublished": "2023-04-28 18:11:01.0"}
    head = '<meta property="article:published_time" content="2023-04-28T18:11:01+02:00">'
    the_page = page(ld, head)
    assert SourceParser(source()).published(the_page).when == datetime(2023, 4, 28, 16, 11, 1,
                                                                  tzinfo=UTC)
    assert the_page.field_sources["published"] == "meta"


def test_a_time_without_offset_and_nothing_else_is_bamako_time_that_is_utc():
    the_page = page({**ARTICLE, "datePublished": "2025-10-01T08:53:00"})
    found = SourceParser(source()).published(the_page)
    assert found.when == datetime(2025, 10, 1, 8, 53, tzinfo=UTC)
    assert the_page.field_sources["published"] == "json-ld"


def test_an_offset_given_is_kept():
    the_page = page({**ARTICLE, "datePublished": "2024-10-13T17:41:47+09:00"})
    found = SourceParser(source()).published(the_page).when
    assert found == datetime(2024, 10, 13, 17, 41, 47, tzinfo=timezone(timedelta(hours=9)))


def test_the_configured_date_selector_wins_over_structured_data():
    the_page = page({**ARTICLE, "datePublished": "2020-01-01T00:00:00Z"},
                    body=BODY + '<span class="date">Publié le 30 septembre 2025 à 08:53</span>')
    parser = SourceParser(source(published="span.date"))
    assert parser.published(the_page).when == datetime(2025, 9, 30, 8, 53, tzinfo=UTC)
    assert the_page.field_sources["published"] == "selector"


def test_selectors_that_match_nothing_fall_back_and_the_article_says_from_where():
    ld = {**ARTICLE, "author": {"@type": "Person", "name": "Awa Sidibé"},
          "datePublished": "2025-10-01T08:53:00Z"}
    head = '<meta property="og:image" content="/img/une.jpg">'
    parser = SourceParser(source(title="h1.gone", authors=".byline-gone", published=".date-gone",
                                 image=".photo-gone img", body="div.gone", section=".cat-gone"))
    article = parser.parse(page(ld, head))
    assert isinstance(article, Article)
    assert (article.title, article.authors, article.image) == (
        "Titre", ["Awa Sidibé"], "https://lejournal.ml/img/une.jpg")
    assert article.published_at == datetime(2025, 10, 1, 8, 53, tzinfo=UTC)
    assert article.body.startswith("Le conseil des ministres")
    assert article.field_sources == {"title": "json-ld", "authors": "json-ld",
                                     "published": "json-ld", "image": "meta",
                                     "body": "fallback"}


def test_a_body_byline_is_recorded_as_the_fallback_and_a_matching_selector_as_the_selector():
    body = BODY + "<p>Deuxième paragraphe du texte, assez long pour compter.</p><p>Awa SIDIBÉ</p>"
    article = SourceParser(source(body="article", title="h1")).parse(page(body=body))
    assert article.authors == ["Awa SIDIBÉ"]
    assert article.field_sources == {"title": "selector", "body": "selector",
                                     "authors": "fallback",
                                     "published": "fallback"}  # the URL's /2025/10/01/


def test_the_field_sources_are_stored_with_the_article(db_url):
    store = open_store(db_url)
    article = Article(source="s", url="https://s.ml/a", title="T", body="B",
                      field_sources={"title": "selector", "authors": "json-ld"})
    assert store.upsert_articles([article]) == ["new"]
    article.field_sources = {"title": "meta", "authors": "json-ld"}  # same text, other layer
    assert store.upsert_articles([article]) == ["unchanged"]
    with Session(store.engine) as session:
        row = session.exec(select(ArticleRow)).scalars().one()
    assert row.field_sources == {"title": "meta", "authors": "json-ld"}
    store.engine.dispose()


def test_an_author_reference_missing_from_the_graph_falls_back_to_meta():
    ld = graph({**ARTICLE, "author": {"@id": "https://lejournal.ml/#/person/404"}})
    the_page = page(ld, '<meta name="author" content="Awa Sidibé">')
    assert SourceParser(source()).authors(the_page) == ["Awa Sidibé"]
    assert the_page.field_sources["authors"] == "meta"


def test_a_broken_json_ld_block_beside_a_good_one_and_a_list_of_types():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
            '<script type="application/ld+json">[{"@type": ["Article", "NewsArticle"], '
            '"headline": "Titre", "datePublished": "2025-10-01T08:53:00+00:00", '
            '"author": [{"@type": "Person", "name": "Awa Sidibé"}, '
            '{"@type": "Person", "name": "Moussa Koné"}]}]</script>')
    the_page = page(head=head)
    parser = SourceParser(source())
    assert parser.authors(the_page) == ["Awa Sidibé", "Moussa Koné"]
    assert parser.published(the_page).when == datetime(2025, 10, 1, 8, 53, tzinfo=UTC)


def test_a_reference_to_an_object_that_refers_back_does_not_loop():
    ld = graph({**ARTICLE, "author": {"@id": "#p"}},
               {"@type": "Person", "@id": "#p", "name": "Awa Sidibé", "knows": {"@id": "#p"}})
    assert SourceParser(source()).authors(page(ld)) == ["Awa Sidibé"]


CHAPEAU = ("Le gouvernement a adopté hier en Conseil des ministres un projet de loi de finances "
           "rectificative qui relève les crédits de la santé et de l'éducation.")
# the body tells the same story in other words: a description must be the article's own
LONG_BODY = BODY + ("<p>Ce projet de loi de finances rectificative, adopté par le gouvernement, "
                    "relève de 12 milliards les crédits de la santé et ceux de l'éducation, a "
                    "précisé le porte-parole à la sortie du Conseil des ministres.</p>")


@pytest.mark.parametrize(("selectors", "head", "chapo", "layer"), [
    ({"lead": ".chapeau"}, "", f'<p class="chapeau">{CHAPEAU}</p>', "selector"),
    ({"lead": ".chapeau-gone"}, "", f'<p class="chapo">{CHAPEAU}</p>', "fallback"),
    ({}, "", f'<p class="chapo">{CHAPEAU}</p>', "fallback"),
    ({}, f'<meta property="og:description" content="{CHAPEAU}">', "", "meta"),
])
def test_the_lead_says_which_layer_found_it_and_a_missed_selector_falls_back(
        selectors, head, chapo, layer):
    # a description is the chapeau only when the page shows it (here under the title)
    above = f"<h2>{CHAPEAU}</h2>" if layer == "meta" else ""
    the_page = page(None, head, body=chapo + LONG_BODY, above=above)
    article = SourceParser(source(**selectors)).parse(the_page)
    assert isinstance(article, Article)
    assert (article.lead, article.field_sources.get("lead")) == (CHAPEAU, layer)


def test_the_fill_history_fails_as_the_database_does_not_as_the_driver(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/gone.db")
    with store.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE articles RENAME TO articles_gone")
    with pytest.raises(StoreError, match="no such table: articles"):
        stored_fill(store, "lejournal")
    store.engine.dispose()


# -- dates besides the structured ones (written pages) -----------------------------------------

SENTENCE = ("<p>Le conseil des ministres s'est réuni mercredi au palais de Koulouba à Bamako, "
            "sous la présidence du chef de l'État, pour examiner plusieurs projets de texte.</p>")


def published_on(html_body: str, head: str = "",
                 url: str = "https://lejournal.ml/politique/titre-de-l-article") -> tuple:
    """(day published or None, the layer that gave it) of a written page without JSON-LD."""
    the_page = Page.from_html(url, f"<html><head><title>Titre de l'article - Le Journal</title>"
                                   f"{head}</head><body>{html_body}</body></html>")
    found = SourceParser(source()).published(the_page)
    return (found.when.date().isoformat() if found else None,
            the_page.field_sources.get("published"))


def test_an_instant_given_in_utc_keeps_the_day_the_site_gave_it_elsewhere():
    # written page (class: nachrichten.at in trafilatura's dev pages): JSON-LD gives the
    # instant in UTC, the <meta> the same instant in the site's zone, on the next day there
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "T",'
          ' "datePublished": "2019-10-18T22:04:00Z"}</script>')
    head = ld + '<meta name="date" content="Sat, 19 Oct 2019 00:04:00 +0200">'
    the_page = Page.from_html("https://lejournal.ml/a", f"<html><head>{head}</head><body>"
                              f"<h1>T</h1>{SENTENCE}</body></html>")
    found = SourceParser(source()).published(the_page)
    assert found.when == datetime(2019, 10, 18, 22, 4, tzinfo=UTC)  # the instant, as stored
    assert found.local_day.isoformat() == "2019-10-19"
    # another instant in the site's zone leaves the UTC one as it is
    other = head.replace("00:04:00", "09:00:00")
    the_page = Page.from_html("https://lejournal.ml/a", f"<html><head>{other}</head><body>"
                              f"<h1>T</h1>{SENTENCE}</body></html>")
    assert SourceParser(source()).published(the_page).local_day.isoformat() == "2019-10-18"


@pytest.mark.parametrize("meta", [
    '<meta name="published" content="July 17, 2025">',
    '<meta name="w-published-date" content="2025-07-17T06:03:43.274Z">',
    '<meta name="parsely-pub-date" content="2025-07-17T10:00:00Z">',
    '<meta name="DC.date.issued" content="2025-07-17">',
])
def test_a_meta_named_for_the_publication_date_is_read(meta):
    assert published_on("<h1>Titre de l'article</h1>" + SENTENCE, meta) == ("2025-07-17", "meta")


def test_dublin_cores_date_is_read_last():
    # written page (class: buero-hoppe.de in trafilatura's dev pages): DC.Date, any date of
    # the document's life, is read where the page gives no other date, after the date shown
    head = '<meta name="DC.Date" content="2006-12-16T08:00+01:00">'
    assert published_on("<h1>Titre de l'article</h1>" + SENTENCE, head) == ("2006-12-16", "meta")
    shown = "<h1>Titre de l'article</h1><p>3 mars 2024</p>" + SENTENCE
    assert published_on(shown, head) == ("2024-03-03", "fallback")


@pytest.mark.parametrize("meta", [
    '<meta name="publication" content="Le Journal">',  # a name, not a date
    '<meta name="last-published-update" content="2025-03-03">',
])
def test_a_meta_that_names_no_publication_date_is_not_read(meta):
    assert published_on("<h1>Titre de l'article</h1>" + SENTENCE, meta) == (None, None)


@pytest.mark.parametrize(("url", "day"), [
    ("https://blog.ml/2016/02/09/ce-qui-change/", "2016-02-09"),
    ("https://blog.ml/articles/2025-12-15+backend", "2025-12-15"),
    # a segment opening with the day's eight digits (bundesrat.de, bundespraesident.de in
    # trafilatura's dev pages)
    ("https://www.bundesrat.de/texte/22/20220127-weremember-gedenkstunde.html", "2022-01-27"),
    ("https://bundespraesident.de/Reden/2003/03/20030331_Rede2.html", "2003-03-31"),
    ("https://blog.ml/news/20221399-impossible", None),
    ("https://blog.ml/photo/20220127.jpg", None),  # digits alone: an id as well as a day
    ("https://blog.ml/2025/13/40/impossible/", None),
    ("https://blog.ml/blog/2025-12_un-mois", None),  # a month is no day
    # day first (weisser-ring.de, biathlon-antholz.it, regenbogenportal.de in trafilatura's
    # dev pages)
    ("https://verein.de/media-news/meldungen/29-10-2021", "2021-10-29"),
    ("https://verein.de/de/newsroom/23-01-2022-dorothea-wierer-darf", "2022-01-23"),
    ("https://verein.de/aktuelles/08112021-online-fachtag", "2021-11-08"),
    ("https://verein.de/aktuelles/31132021-impossible", None),
    ("https://verein.de/produkt/12345678-id", None),  # no year at its end
])
def test_the_day_in_the_urls_path_is_read_after_the_structured_dates(url, day):
    found = published_on("<h1>Titre de l'article</h1>" + SENTENCE, url=url)
    assert found == ((day, "fallback") if day else (None, None))


@pytest.mark.parametrize("related", [
    "<time datetime='2009-04-11 18:06:36'>11. April 2009</time>",
    "<time class='published updated' datetime='2009-04-11T18:06:36'>11. April 2009</time>",
])
def test_a_date_element_far_from_the_urls_day_is_another_articles(related):
    # written page (class: limespace.de in trafilatura's dev pages): the only <time> elements
    # are the related posts' under the article; the URL gives the article's day
    html = ("<h1>Titre de l'article</h1>" + SENTENCE + "<aside><p>Related</p><p>"
            + related + "</p></aside>")
    assert published_on(html, url="https://blog.ml/2019/10/22/titre/") == (
        "2019-10-22", "fallback")


def test_a_date_element_of_the_urls_day_keeps_its_time():
    html = ("<h1>Titre de l'article</h1><time datetime='2019-10-22T08:30:00+02:00'>22.10.2019"
            "</time>" + SENTENCE)
    the_page = Page.from_html("https://blog.ml/2019/10/22/titre/",
                              f"<html><body>{html}</body></html>")
    found = SourceParser(source()).published(the_page)
    assert found.when == datetime(2019, 10, 22, 6, 30, tzinfo=UTC)


def test_structured_dates_win_over_the_urls():
    head = '<meta property="article:published_time" content="2016-02-10T08:00:00Z">'
    assert published_on("<h1>T</h1>", head, "https://blog.ml/2016/02/09/a/")[0] == "2016-02-10"


@pytest.mark.parametrize("shown", [
    "<p class='meta'>Par <a href='/awa'>Awa Sidibé</a> · 3 mars 2024 à 10h15</p>",
    "<div><span>Posted by</span> <a>Jane Doe</a></div><div>Published:</div><div>July 8, 2025</div>",
    "<p>Essay - Published: 2025.12.17 |</p>",
    "<p>23. Juli 2017</p>",
    "<p>August 16, 2019 - Updated July 9, 2025</p>",  # the first one is the publication
])
def test_the_date_shown_between_the_headline_and_the_text_is_read(shown):
    day, layer = published_on("<h1>Titre de l'article</h1>" + shown + SENTENCE)
    assert layer == "fallback" and day in ("2024-03-03", "2025-07-08", "2025-12-17",
                                           "2017-07-23", "2019-08-16")


def test_the_date_after_a_long_standfirst_under_the_headline_is_read():
    # written page (class: dw.com in trafilatura's dev pages, AnadoluAjansi in Fundus's): a
    # standfirst of two lines under the headline, then the byline and date
    standfirst = ("<p class='intro'>Les services partagés sont devenus un pilier des fonctions"
                  " support des entreprises maliennes, qui y gagnent en rapidité, en coûts et en"
                  " qualité de service pour leurs employés.</p>")
    html = ("<h1>Titre de l'article</h1>" + standfirst + "<p><span>Awa Sidibé</span>"
            "<span>23.07.2025</span></p>" + SENTENCE)
    # the page's description opens as the standfirst does: the standfirst is passed over
    head = "<meta name='description' content='Les services partagés sont devenus un pilier'>"
    assert published_on(html, head) == ("2025-07-23", "fallback")
    # no description says so: a long text under the headline is the article's first
    assert published_on(html) == (None, None)
    # the article's second long paragraph ends what is read: a date after it is the text's
    assert published_on("<h1>Titre de l'article</h1>" + standfirst + SENTENCE
                        + "<p>23.07.2025</p>", head) == (None, None)


@pytest.mark.parametrize("html", [
    # no <h1>: the headline an <h2> (einfachspanien.de in trafilatura's dev pages), an <h4>
    # with the date above it (idw-online.de)
    "<h3>Suche</h3><h2>Allgemein</h2><h2>Titre de l'article</h2><p>Yngrid · November 22, "
    "2011 ·</p>" + SENTENCE,
    "<h2>Le Journal</h2><p><em>22.11.2011 11:35</em></p><h4>Titre de l'article</h4>" + SENTENCE,
    # an <h1> that is the site's, today's date under it, the headline an <h2> (the title
    # given by og:title)
    "<h1><a href='/'>LJ</a></h1><nav>Accueil · 1 décembre 2026</nav><h2>Titre de l'article</h2>"
    "<p>22 novembre 2011</p>" + SENTENCE,
    # an <h1> that is no title (an album's name), the date under it; the <h2> holding the
    # title shows none (mix1.de; passed before: a guard)
    "<h2>Titre de l'article</h2><h1>Brave New Woman</h1><p>Veröffentlichung: 22.11.2011</p>"
    + SENTENCE,
])
def test_without_an_h1_holding_the_title_the_date_is_read_by_the_heading_that_holds_it(html):
    head = "<meta property='og:title' content=\"Titre de l'article\">"
    assert published_on(html, head) == ("2011-11-22", "fallback")


def test_a_headline_hyphenated_with_soft_hyphens_is_the_headline():
    # written page (class: bka.de in trafilatura's dev pages): the site's name an <h1> with
    # today's date under it, the article's <h1> hyphenated with U+00AD
    html = ("<h1><a href='/'>LJ</a></h1><nav>Accueil · 1 décembre 2026</nav>"
            "<h1>Ti\u00adtre de l'ar\u00adti\u00adcle</h1><ul><li><span>Datum:</span>"
            "22. November 2011</li></ul>" + SENTENCE)
    head = "<meta property='og:title' content=\"Titre de l'article\">"
    assert published_on(html, head) == ("2011-11-22", "fallback")


def ld_published_on(ld: dict, html_body: str) -> tuple:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    return published_on(html_body, script)


def test_a_json_ld_date_written_as_text_comes_after_the_date_shown():
    # written page (class: hubermanlab.com, siteline.com in the modern dev pages, Webflow
    # sites): the template writes its CMS's last publication day as text into the JSON-LD
    ld = {"@context": "https://schema.org", "@type": "BlogPosting",
          "headline": "Titre de l'article", "datePublished": "Jun 24, 2025"}
    html = "<h1>Titre de l'article</h1><p>Nov 2, 2022</p>" + SENTENCE
    assert ld_published_on(ld, html) == ("2022-11-02", "fallback")
    assert ld_published_on(ld, "<h1>Titre de l'article</h1>" + SENTENCE) == (
        "2025-06-24", "json-ld")  # nothing else: still read


def test_a_json_ld_date_written_as_text_yields_to_another_objects_iso_date():
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "datePublished": "2019-08-11T18:59:51+00:00"},
        {"@type": "Article", "headline": "Titre de l'article", "datePublished": "August 12, 2019"}]}
    html = "<h1>Titre de l'article</h1><p>November 21, 2025</p>" + SENTENCE
    assert ld_published_on(ld, html) == ("2019-08-11", "json-ld")


@pytest.mark.parametrize("wrapped", [
    "<![CDATA[ {} ]]>",
    "//<![CDATA[\n{}\n//]]>",
])
def test_json_ld_wrapped_in_cdata_markers_is_read(wrapped):
    # written page (class: medium-3, wikipedia-2 in Readability's dev pages): XHTML-style
    # CDATA markers around the JSON-LD made it unreadable JSON
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": "Titre de l'article", "datePublished": "2015-10-15T02:19:15Z"})
    head = ('<meta property="article:published_time" content="2015-12-11T14:28:34Z">'
            '<script type="application/ld+json">' + wrapped.format(ld) + "</script>")
    assert published_on("<h1>Titre de l'article</h1>" + SENTENCE, head) == (
        "2015-10-15", "json-ld")


def test_a_social_media_posting_is_an_article_of_the_json_ld():
    # written page (class: tumblr in Readability's dev pages): schema.org's other Article
    # types (SocialMediaPosting, TechArticle, ScholarlyArticle, Report)
    ld = {"@type": "SocialMediaPosting", "headline": "Titre de l'article",
          "datePublished": "2014-09-02T08:35:27-04:00"}
    assert ld_published_on(ld, "<h1>Titre de l'article</h1>" + SENTENCE) == (
        "2014-09-02", "json-ld")


def test_a_date_shown_with_a_two_digit_year_is_read():
    # written page (class: couchstyle.de in trafilatura's dev pages, RBB24 in Fundus's)
    html = ("<h1>Titre de l'article</h1><div class='sub-title'><div>23.09.22</div><div>-</div>"
            "<div>Saarland</div></div>" + SENTENCE)
    assert published_on(html) == ("2022-09-23", "fallback")


def test_a_date_shown_in_the_headlines_block_above_it_is_read():
    html = ("<header><div class='eyebrow'><span>Summer Swann</span> - <span>June 12, 2025</span>"
            "</div><h1>Titre de l'article</h1></header>" + SENTENCE)
    assert published_on(html) == ("2025-06-12", "fallback")


def test_a_date_above_a_long_text_above_the_headline_is_not_the_headlines():
    html = ("<div><span>Mardi 1 décembre 2026</span></div><nav>" + SENTENCE + "</nav>"
            "<h1>Titre de l'article</h1>" + SENTENCE)
    assert published_on(html) == (None, None)


@pytest.mark.parametrize("shown", [
    "<p>Last updated: November 13, 2025</p>",
    "<div><strong>Mis à jour le</strong></div><div>2 mars 2024</div>",
    "<span>Updated on <!-- --> July 9, 2025</span>",
])
def test_an_updates_date_is_no_publication_date(shown):
    assert published_on("<h1>Titre de l'article</h1>" + shown + SENTENCE) == (None, None)


def test_a_date_after_the_first_sentence_of_the_text_is_not_read():
    html = "<h1>Titre de l'article</h1>" + SENTENCE + "<p>Le 3 mars 2020.</p>"
    assert published_on(html) == (None, None)


def test_a_short_text_that_is_a_sentence_naming_a_day_is_not_read():
    html = ("<h1>Titre de l'article</h1><p>Le prochain conseil des ministres se tiendra le "
            "mercredi 5 février 2020 à Koulouba</p>" + SENTENCE)
    assert published_on(html) == (None, None)


def test_a_year_less_date_shown_is_not_read():
    assert published_on("<h1>Titre de l'article</h1><p>3 mars</p>" + SENTENCE) == (None, None)


def test_the_headline_is_the_h1_that_holds_the_title_not_the_sites_logo():
    html = ("<header><h1>Le Journal</h1><nav>Accueil · 1 décembre 2026</nav></header>"
            "<main><h1>Titre de l'article</h1><p>3 mars 2024</p>" + SENTENCE + "</main>")
    head = "<meta property='og:title' content=\"Titre de l'article\">"
    assert published_on(html, head) == ("2024-03-03", "fallback")


def test_a_date_after_a_standfirst_is_read_and_after_the_texts_short_paragraphs_is_not():
    standfirst = "<p>New to the gym? Learn how to use every machine with this guide.</p>"
    assert published_on("<h1>Titre de l'article</h1>" + standfirst + "<p>August 16, 2019</p>"
                        + SENTENCE) == ("2019-08-16", "fallback")
    paragraphs = ("<p>Aminata KONATÉ</p><p>Le conseil communal de Kati a examiné mardi le "
                  "dossier du marché.</p><p>Les commerçants ont obtenu un délai de deux mois.</p>")
    assert published_on("<h1>Titre de l'article</h1>" + paragraphs
                        + "<p>Publié le 01/12/2026 à 10:00</p>") == (None, None)


# -- authors shown under the headline (written pages) ------------------------------------------

def authors_on(html_body: str, head: str = "", ld=None) -> tuple:
    """(authors, the layer that gave them) of a written page."""
    script = (f'<script type="application/ld+json">{json.dumps(ld)}</script>'
              if ld is not None else "")
    the_page = Page.from_html("https://lejournal.ml/politique/titre", (
        f"<html><head><title>Titre de l'article</title>{head}{script}</head>"
        f"<body>{html_body}</body></html>"))
    found = SourceParser(source()).authors(the_page)
    return found, the_page.field_sources.get("authors")


@pytest.mark.parametrize("byline", [
    "<p>By <a href='/staff/awa'>Awa Sidibé</a> · 3 mars 2024</p>",
    "<p>Par Awa Sidibé</p>",
    "<div>Written by</div><div><a>Awa Sidibé</a></div>",
    "<div class='text__author'>Awa Sidibé</div><div class='text__date'>3 mars 2024</div>",
    "<span class='author'><a class='authors'>Awa Sidibé</a></span>",
])
def test_the_byline_shown_under_the_headline_is_read_after_the_structured_authors(byline):
    assert authors_on("<h1>Titre de l'article</h1>" + byline + SENTENCE) == (
        ["Awa Sidibé"], "fallback")


def test_a_shown_byline_comes_after_the_structured_authors():
    head = '<meta name="author" content="Moussa Koné">'
    assert authors_on("<h1>Titre de l'article</h1><p>Par Awa Sidibé</p>" + SENTENCE, head) == (
        ["Moussa Koné"], "meta")


@pytest.mark.parametrize("head", [
    # written pages (classes: parsely-metadata in Readability's dev pages, thenation.com in
    # Fundus's, boersen-zeitung.de's mail address as "author" with the name elsewhere)
    '<meta name="parsely-author" content="Awa Sidibé">',
    '<meta name="sailthru.author" content="Awa Sidibé">',
    '<meta name="author" content="a.sidibe@lejournal.ml">'
    '<meta name="twitter:misc:Written by" content="Awa Sidibé">',
])
def test_the_authors_meta_of_analytics_and_share_tools_is_read_after_the_others(head):
    assert authors_on("<h1>Titre de l'article</h1><p>Par Moussa Koné</p>" + SENTENCE, head) == (
        ["Awa Sidibé"], "meta")


@pytest.mark.parametrize(("name", "kept"), [
    ("awa.sidibe", None), ("awa-sidibe", None),  # a CMS user's slug, not the name printed
    ("Awa Sidibé @asidibe", "Awa Sidibé"),  # the name and the account
])
def test_a_slug_is_no_author_and_an_account_after_a_name_is_dropped(name, kept):
    found = SourceParser(source()).authors(page({**ARTICLE, "author": {"name": name}}))
    assert found == ([kept] if kept else [])


def test_the_byline_after_a_standfirst_printed_twice_is_read():
    # written page (class: glossgenius.com in the modern corpus's dev pages): the template
    # prints the standfirst twice (one shown on wide screens, one on narrow), then the byline
    standfirst = ("Les services partagés sont devenus un pilier des fonctions support des "
                  "entreprises maliennes, qui y gagnent en rapidité, en coûts et en qualité de "
                  "service pour leurs employés.")
    html = (f"<h1>Titre de l'article</h1><p class='summary'>{standfirst}</p><p class='summary-"
            f"narrow'>{standfirst}</p><div class='text__author'>Awa Sidibé</div>" + SENTENCE)
    head = f"<meta name='description' content=\"{standfirst}\">"
    assert authors_on(html, head) == (["Awa Sidibé"], "fallback")


def test_the_author_of_a_readers_comment_is_no_author():
    # written page (class: madame.lefigaro.fr in trafilatura's dev pages): the only microdata
    # author is a comment's; the byline under the headline names the article's
    comment = ("<section id='comments'><div class='comment-author' itemprop='author' itemscope>"
               "<span itemprop='name'>link78</span></div><p>Super article !</p></section>")
    html = "<h1>Titre de l'article</h1><p>Par Awa Sidibé</p>" + SENTENCE + comment
    assert authors_on(html) == (["Awa Sidibé"], "fallback")


def test_bylines_of_a_list_under_the_text_are_no_authors():
    # written page (class: nytimes-5 in Readability's dev pages): the stories listed under the
    # article each show their byline; one byline closing the text is the article's
    def authors(tail: str) -> list[str]:
        html = (f"<html><head><title>Titre</title></head><body><article><h1>Titre</h1>"
                f"{SENTENCE * 4}{tail}</article></body></html>")
        return SourceParser(source()).parse(Page.from_html(
            "https://lejournal.ml/politique/titre", html)).authors
    assert authors("<p>Par Awa Sidibé</p>") == ["Awa Sidibé"]
    assert authors("<p>Par Awa Sidibé</p><p>Par Moussa Koné</p><p>Par Fatou Diarra</p>") == []


@pytest.mark.parametrize("shown", [
    "<p>By the end of the week</p>",  # no name
    "<p>Par la rédaction</p>",
    SENTENCE + "<p>Par Awa Sidibé</p>",  # under the text's first sentence: no byline of it
])
def test_what_is_no_byline_under_the_headline_gives_no_author(shown):
    assert authors_on("<h1>Titre de l'article</h1>" + shown + SENTENCE + SENTENCE) == ([], None)


def test_an_author_who_is_also_the_blogs_publisher_is_kept():
    person = {"@type": ["Person", "Organization"], "@id": "#me", "name": "Gabby Boucher"}
    ld = {"@context": "https://schema.org", "@graph": [person, {
        "@type": "BlogPosting", "headline": "Titre", "author": {"@id": "#me"},
        "publisher": {"@id": "#me"}}]}
    assert authors_on("<h1>Titre</h1>" + SENTENCE, ld=ld) == (["Gabby Boucher"], "json-ld")


def test_a_publisher_organisation_named_as_author_is_still_no_author():
    ld = {"@type": "NewsArticle", "headline": "Titre", "author": {"name": "Le Journal"},
          "publisher": {"@type": "Organization", "name": "Le Journal"}}
    assert authors_on("<h1>Titre</h1>" + SENTENCE, ld=ld) == ([], None)


def test_an_author_string_escaped_as_html_is_split_at_its_names_not_its_entities():
    head = '<meta name="author" content="Maria &amp;amp; Katerina">'
    assert authors_on("<h1>Titre</h1>" + SENTENCE, head)[0] == ["Maria", "Katerina"]


@pytest.mark.parametrize("marked", [
    "<p class='date' itemprop='datePublished' content='2022-01-14 10:31:00'>Januar 2022</p>",
    "<abbr class='published' title='2009-08-06T14:12:32+0200'>6. August 2009</abbr>",
    "<time class='dt-published' datetime='2022-01-14'>14 janvier</time>",
    "<span itemprop='datePublished'>14 janvier 2022</span>",
])
def test_an_element_marked_as_the_publication_date_is_read_before_the_url(marked):
    # the URL's day is the next one: a marked date more than a day from it is another
    # article's (test_a_date_element_far_from_the_urls_day_is_another_articles)
    url = "https://blog.ml/2022/01/15/a/" if "2022" in marked else "https://blog.ml/2009/08/07/a/"
    found = published_on(SENTENCE + marked, url=url)
    assert found == ("2022-01-14" if "2022" in marked else "2009-08-06", "fallback")


# Written pages (class: silvias.net, disfunctions.de, livenet.ch, erzbistum-koeln.de in
# trafilatura's dev pages, thesoftwarereport.com in the modern one): no structured date, none
# by the headline; the post's metadata, or a sidebar's box, shows it in an element whose class
# names a date.
@pytest.mark.parametrize("shown", [
    "<aside><h4>Published</h4><div class='single-post-date'>July 8, 2025</div></aside>",
    "<p class='date'>Erstellt von Fabian am Dienstag 8. Juli 2025</p>",
    "<div class='liveArticleAuthorDateBlock'><span>Datum:</span> 08.07.2025<br>"
    "<span>Autor:</span> Daniel</div>",
])
def test_a_date_in_an_element_whose_class_names_a_date_is_read_last(shown):
    html = "<h1>Titre de l'article</h1>" + SENTENCE + SENTENCE + shown
    assert published_on(html) == ("2025-07-08", "fallback")


def test_a_date_class_shown_twice_with_the_same_date_is_read_before_a_json_ld_text_date():
    # written page (class: glossgenius.com in the modern dev pages): the author's box is
    # printed twice (desktop, mobile), the JSON-LD date is a template's text
    box = ("<div class='staff__wrap'><div class='text__author'>Shauna Mitchell</div>"
           "<div class='text__date'>August 25, 2024</div></div>")
    ld = {"@context": "https://schema.org", "@type": "BlogPosting",
          "headline": "Titre de l'article", "datePublished": "Jun 24, 2025"}
    html = "<h1>Titre de l'article</h1>" + SENTENCE + SENTENCE + box + box
    assert ld_published_on(ld, html) == ("2024-08-25", "fallback")


@pytest.mark.parametrize("shown", [
    # teaser cards, related posts, a wiki's references: a class several dates share
    "<ul><li><a>Autre</a><span class='post-date'>05/10/2018</span></li>"
    "<li><a>Encore</a><span class='post-date'>01/10/2018</span></li></ul>",
    "<p class='updated'>Stand 27.01.2022</p>",  # an update's class
    "<p class='date'>Le conseil des ministres se tiendra à Koulouba et à Kati le mercredi 5 "
    "février 2020</p>",  # a sentence
])
def test_a_date_classed_element_of_a_list_an_update_or_a_sentence_is_not_read(shown):
    html = "<h1>Titre de l'article</h1>" + SENTENCE + SENTENCE + shown
    assert published_on(html) == (None, None)


@pytest.mark.parametrize(("written", "name"), [
    ("Von Vanessa Franke", "Vanessa Franke"),
    ("Zeige alle Beiträge von Petra Ruland", "Petra Ruland"),
    ("View all posts by Jane Doe", "Jane Doe"),
    ("von der Leyen", "von der Leyen"),  # a name's particle, not a byline's word
])
def test_a_bylines_word_or_an_author_links_text_before_a_name_is_dropped(written, name):
    ld = {**ARTICLE, "author": {"@type": "Person", "name": written}}
    assert SourceParser(source()).authors(page(ld)) == [name]


@pytest.mark.parametrize("byline", [
    "<p><span>Veröffentlicht von</span> <a>Chris Jung</a></p>",
    "<p>Publié par <a>Awa Sidibé</a></p>",
    "<p>By</p><p>|</p><p>Daniel</p>",  # one name after the word
    # the word with a colon, a surname of two joined names (hpd.de in trafilatura's dev pages)
    "<p class='authors'>Von: <a class='author-name'>Moritz Pieczewski-Freimuth</a></p>",
    "<p>Von <a>Moritz Pieczewski-Freimuth</a></p>",
])
def test_a_bylines_words_in_other_languages_and_one_name_after_them(byline):
    names, layer = authors_on("<h1>Titre de l'article</h1>" + byline + SENTENCE)
    assert layer == "fallback" and names in (["Chris Jung"], ["Awa Sidibé"], ["Daniel"],
                                             ["Moritz Pieczewski-Freimuth"])


def test_a_job_or_a_tag_link_in_the_authors_box_is_no_author():
    html = ("<h1>Titre de l'article</h1><div class='byline'><a class='tag'>CSP</a>"
            "<span class='author-title'>Games Editor</span></div>" + SENTENCE)
    assert authors_on(html) == ([], None)


def test_an_hcard_author_is_read_unless_it_links_to_the_sites_home():
    html = ("<h1 class='vcard author'><a href='/' class='fn'>Krimiblog-Archiv</a></h1>"
            "<div class='hentry'><h3>Titre</h3><h4 class='vcard author'>vom "
            "<span class='fn'>Krimiblogger</span></h4>" + SENTENCE + "</div>")
    assert authors_on(html) == (["Krimiblogger"], "fallback")
