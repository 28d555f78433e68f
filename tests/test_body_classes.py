"""Failure classes of the generic body finder and lead found on real pages of public corpora
(issue 12, second round), each pinned by a small page written here in the shape of the real one.

The shapes come from pages of flairNLP/fundus's parser test data (tests/resources/parser/test_data),
scrapinghub/article-extraction-benchmark (html/) and adbar/trafilatura's evaluation pages
(tests/eval/), named in each test; their class names are
kept, their text is not (it is written here, about Mali, as the rest of the tests). Nothing below
was recorded from a site.
"""

from __future__ import annotations

import json
import re

from test_body import ARTICLE, URL  # the same article text as the single-class tests

from crawler.config import Source
from crawler.extract import SourceParser
from crawler.items import Article
from crawler.page import Page

TITLE = "Un plan de soutien aux producteurs de coton"
# the article's standfirst, as the written pages show it in one element or another
STANDFIRST = ("Sikasso : les producteurs de coton recevront la moitié du prix des engrais, a "
              "annoncé mardi le gouvernement.")
LONG_STANDFIRST = ("Sikasso : les producteurs de coton recevront la moitié du prix des engrais, "
                   "a annoncé mardi le gouvernement, avant la campagne qui commence en mai.")
PARAGRAPHS = "".join(f"<p>{p}</p>" for p in ARTICLE)


def parse(body: str, head: str = "") -> Article:
    source = Source(name="journal", platform="rss", base_url="https://journal.example.ml/",
                    entry_points=["https://journal.example.ml/feed/"])
    html = (f"<html lang='fr'><head><title>{TITLE} - Journal</title>{head}</head><body>"
            f"<header><a href='/'>Journal</a></header>{body}<footer><p>© 2025 Journal.</p>"
            "</footer></body></html>")
    found = SourceParser(source).parse(Page.from_html(URL, html))
    assert isinstance(found, Article)
    return found


def test_hidden_boxes_inside_the_article_are_not_read():
    """Postmedia's pages (Fundus ca/FinancialPost, ca/OttawaCitizen): the sign-in and
    subscription offers sit inside the article in `<div class="... hidden">`; Bootstrap's
    d-none, the hidden attribute and an inline display:none hide as well."""
    boxes = (
        "<div class='article-block article-content__sign-in-group hidden'><section><header>"
        "<div class='intro-body__premium hidden'><div class='h2'>CE CONTENU EST RÉSERVÉ AUX "
        "ABONNÉS</div><ul><li>Accès illimité à tous les articles du journal et de ses 15 "
        "titres régionaux, avec un seul compte.</li><li>L’édition numérique, une copie de "
        "l’édition imprimée, à lire sur tous vos appareils.</li></ul></div></header></section>"
        "</div>",
        "<div class='d-none'><p>Créez un compte ou connectez-vous pour continuer votre lecture "
        "et recevoir nos lettres d’information chaque matin.</p></div>",
        "<div hidden><p>Partagez votre avis et rejoignez la conversation dans les commentaires "
        "de nos articles, avec un compte gratuit.</p></div>",
        "<div style='display: none'><p>Recevez par courriel les derniers articles de vos "
        "auteurs préférés, dès leur parution sur le site.</p></div>",
    )
    html = (f"<article class='story-v2-article-content-story'><p>{ARTICLE[0]}</p>{boxes[0]}"
            f"<p>{ARTICLE[1]}</p>{boxes[1]}<p>{ARTICLE[2]}</p>{boxes[2]}<p>{ARTICLE[3]}</p>"
            f"{boxes[3]}</article>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_newsletter_box_named_after_its_content_slot_is_left_out():
    """Fundus ca/FinancialPost: the newsletter box is a `section.newsletter-widget__new-story-
    page` inside `div.article-content__widget-group`; "story" in the BEM element's name made
    it content, and a class's words after "__" name a part of the box, not what it is."""
    box = ("<div class='js-widget-content article-content__widget-group'>"
           "<section class='newsletter-widget__new-story-page fp-headlinenews'>"
           "<div class='newsletter-widget__header__new-story-page'><p>Recevez les titres du "
           "jour, l’actualité et les chroniques, chaque matin dans votre boîte.</p>"
           "<p>Une erreur s’est produite, veuillez saisir une adresse électronique valide.</p>"
           "<p>En vous inscrivant, vous acceptez de recevoir la lettre du Journal, éditeur "
           "de ce site.</p></div></section></div>")
    html = (f"<article><section class='story-v2-content-element'><p>{ARTICLE[0]}</p>"
            f"<p>{ARTICLE[1]}</p>{box}<p>{ARTICLE[2]}</p><p>{ARTICLE[3]}</p></section>"
            "</article>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_comment_thread_in_grid_columns_is_not_the_article():
    """Fundus de/Taz: a reader's comment, longer than the article and in a "text"-named
    wrapper, sits in `li.member column ... comment` of `ul.comments-list ... columns`;
    readability's "column" exempted it from the unlikely marks, and it was chosen."""
    long_comment = "".join(
        f"<p>Point {i} : je ne suis pas d’accord avec ce plan, les subventions n’arrivent "
        "jamais jusqu’aux petits producteurs, comme chaque année, et personne, ni l’État, ni "
        "la CMDT, ni les coopératives, ne contrôle la distribution des engrais.</p>"
        for i in range(8))
    comments = (
        "<li class='member column pt-0-tablet is-12-tablet comment' id='bb_message_1'>"
        "<div class='columns is-mobile'><div class='column is-7-tablet'>"
        "<div class='typo-short-text text pt-small message-text-container'>"
        f"{long_comment}</div></div></div></li>")
    html = (f"<main><section class='outerwrapper'><article class='module columns article'>"
            "<div class='column main-article-corpus is-12'><div class='columns is-multiline'>"
            f"{PARAGRAPHS}</div></div></article></section><section class='columns "
            "is-multiline'><div class='mini news community page column is-12'>"
            f"<ul class='comments-list comments-container columns is-multiline'>{comments}"
            "</ul></div></section></main>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_photo_gallery_and_caption_spans_inside_the_article_are_left_out():
    """Hearst's pages (scrapinghub db6b0816..., ecb46e3e..., eecd2575...): a gallery at the top
    of `div.article-body` repeats each caption three times with "Image 1 of / 8", "Caption",
    "Close"; MDR's and Express's pages (Fundus de/MDR, uk/Express) caption a photo in a
    `span.caption` inside the text's own wrapper."""
    caption = ("Des producteurs de coton déchargent leur récolte au marché de Koutiala, le 9 "
               "décembre 2025, avant la pesée par les agents de la CMDT.")
    gallery = (
        "<div class='asset_gallery'><div class='hst-resgallery-container non-grid'>"
        f"<ul class='hst-resgallery'><li><div class='caption'><div class='caption-full'>{caption}"
        "</div><span class='credit'>Photo : Journal</span></div></li></ul>"
        "<div class='control-bar'><div class='nav-stats'>Image <span>1</span> <span>of</span>"
        " <span>/</span> <span>8</span></div><div class='captionlink fade'><p class='open'>"
        f"Caption</p><p class='close'>Close</p></div></div><div class='caption'>"
        f"<div class='caption-remote'>{caption}</div></div></div></div>")
    html = (f"<div class='article-body'>{gallery}<p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p>"
            f"<div class='contentimage'><img src='/coton.jpg' alt=''><span class='caption small'>"
            f"{caption}</span></div><p>{ARTICLE[2]}</p><p>{ARTICLE[3]}</p></div>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_live_blog_entries_after_the_opening_are_joined():
    """Fundus uk/Express: a live blog's opening is `div.text-description`, its entries a
    sibling `div.live-events`, each entry's text four wrappers deep: readability's decaying
    share (a third, a sixth, a ninth per level) left them under the join threshold once their
    photo captions stopped counting; their photo captions are no text."""
    opening = ("<div class='text-description'>" + PARAGRAPHS
               + "<p>CECI EST UN DIRECT. LES DERNIÈRES INFORMATIONS CI-DESSOUS.</p></div>")
    entries = [
        (f"Entrée {i} : les producteurs de la zone de Fana ont reçu leurs premiers sacs "
         f"d’engrais subventionnés ce matin, selon la coopérative locale, numéro {i}.",
         f"Le directeur régional de l’agriculture a confirmé que la distribution se poursuivra "
         f"jusqu’à la fin de la semaine dans les villages de la zone {i}.")
        for i in range(4)]
    live = "<div class='live-events'><div class='live-events__entries'>" + "".join(
        f"<div class='live-events__entry' id='live-{i}'><div class='live-events__time'>"
        f"{i} min</div><div class='live-events__entry-text'><h2>Distribution à Fana, "
        f"jour {i}</h2><p>{a}</p><p><span class='newsCaption'><span class='caption'>(Image : "
        f"Journal)</span></span></p><p>{b}</p></div></div>"
        for i, (a, b) in enumerate(entries)) + "</div></div>"
    article = parse(f"<article><div class='ctx_content'>{opening}{live}</div></article>")
    paragraphs = article.body.split("\n\n")
    assert paragraphs[:4] == ARTICLE
    for a, b in entries:
        assert a in paragraphs and b in paragraphs
    assert "(Image : Journal)" not in paragraphs


def test_a_description_that_is_the_body_with_other_dashes_and_quotes_is_no_lead():
    """Hearst's AP pages (scrapinghub db6b0816..., ef2b3f26...): og:description is the whole
    body, paragraphs joined by " \\n ", with "-" where the page has "—" and "'" for "’", and the
    page shows the writer and an update time above the text: not the body's opening, it was read
    as a chapeau and the body was scored twice."""
    first = ("BAMAKO, Mali (AP) — Le gouvernement a annoncé mardi un plan de soutien aux "
             "producteurs de coton de la région de Sikasso, après une campagne difficile.")
    body = [first, *ARTICLE]
    described = " \n ".join(body).replace(" — ", " - ").replace("’", "'")
    head = f'<meta property="og:description" content="{described}">'
    above = ["Moussa Koné, correspondant du Journal à Sikasso",
             "Mis à jour à 5h27, mercredi 10 décembre 2025"]
    html = "<div class='article-body'>" + "".join(f"<p>{p}</p>" for p in above + body) + "</div>"
    article = parse(html, head)
    assert article.lead is None
    # the update time is no paragraph (see the test of date lines below)
    assert article.body.split("\n\n") == above[:1] + body


def test_promos_inside_an_article_on_a_page_wrapped_as_unlikely_are_left_out():
    """scrapinghub 8634d121...: the whole page sits in `div.Page-ad-margins` ("ad-": unlikely),
    so the retry without marks read everything, a `ps-promo.PromoSmall` inside the article's
    text included; the marks inside the chosen element now still hold."""
    promo = ("<div class='Enhancement'><ps-promo class='PromoSmall'><div class='PromoSmall-"
             "wrapper'><div class='PromoSmall-content'><div class='PromoSmall-description'>"
             "Les pigistes craignent que la nouvelle loi sur le travail indépendant les rende "
             "impossibles à employer.</div></div></div></ps-promo></div>")
    html = (f"<div class='Page-ad-margins'><main class='ArticlePage-main'><article class='"
            f"ArticlePage-mainContent'><div class='RichTextArticleBody-body'><p>{ARTICLE[0]}</p>"
            f"<p>{ARTICLE[1]}</p>{promo}<p>{ARTICLE[2]}</p><p>{ARTICLE[3]}</p></div></article>"
            "</main></div>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_next_and_previous_article_links_below_the_text_are_left_out():
    """scrapinghub aadb38e5...: `div.grid-container.next-prev` inside the article's cell holds
    the next and previous articles' excerpts, without links around them."""
    nav = ("<div class='grid-container next-prev'><div class='grid-x next'><div class='cell "
           "row-desc'><p class='row-excerpt'>La plus puissante des motos assemblées à Bamako "
           "compte 300 chevaux et un immense aileron arrière.</p></div></div><div class='grid-x "
           "prev'><div class='cell row-desc'><p class='row-excerpt'>Le dernier monospace de "
           "sept places mesure moins de quatre mètres de long.</p></div></div></div>")
    html = f"<div class='cell auto article' id='article'>{PARAGRAPHS}{nav}</div>"
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_paywalled_pages_free_opening_in_a_wrapper_of_its_own_is_joined():
    """Fundus de/SZ: the free opening paragraph is `div#sz-free-content-id` and the rest
    `div#metered-content`, siblings in `div.article-content`; one paragraph earns less than
    a fifth of the rest, so the opening was lost. A sibling of plain prose (no link, some
    length) before the article joins; after it, such a box is the author's bio and does not."""
    opening = ("Quand les premiers camions de coton sont arrivés mardi à l’usine d’égrenage de "
               "Koutiala, les producteurs attendaient depuis l’aube, assis à l’ombre des "
               "hangars, la pesée qui décide de leur revenu de l’année. Beaucoup avaient "
               "vendu une partie de leur récolte à crédit, faute de trésorerie, et comptaient "
               "sur l’annonce du gouvernement pour rembourser leurs dettes avant la fin du mois.")
    rest = [f"{p} ({n}e partie)".replace(". (", " (") + "." for n in range(1, 5)
            for p in ARTICLE]
    bio = ("Moussa Koné est correspondant du Journal à Sikasso depuis 2015. Il couvre "
           "l’agriculture, l’élevage et la vie des coopératives dans le sud du pays, et a "
           "publié un livre sur la filière cotonnière malienne, ses crises et ses réussites.")
    html = ("<article><div class='article-content'>"
            f"<div id='sz-free-content-id'><p>{opening}</p></div>"
            "<div id='metered-content'>" + "".join(f"<p>{p}</p>" for p in rest) + "</div>"
            f"<div class='writer'><p>{bio}</p></div></div></article>")
    assert parse(html).body.split("\n\n") == [opening, *rest]


def test_json_ld_article_body_is_read_when_it_says_more_not_when_it_repeats_itself():
    """Fundus it/CorriereDellaSera: articleBody holds the whole text twice over, in one line;
    longer than the page's body, it replaced it, and the body was read twice. A page that
    shows only the start of its article (the rest in articleBody) still gets the whole text."""
    def ld(text: str) -> str:
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
                "articleBody": text}
        return f"<script type='application/ld+json'>{json.dumps(data)}</script>"

    shown = f"<div class='article-body'>{PARAGRAPHS}</div>"
    twice = " ".join(ARTICLE * 2)
    assert parse(shown, ld(twice)).body.split("\n\n") == ARTICLE
    more = [f"{p} ({n}e partie)".replace(". (", " (") + "." for n in range(1, 3)
            for p in ARTICLE]
    start = f"<div class='article-body'><p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p></div>"
    assert parse(start, ld("\n".join(ARTICLE + more))).body.split("\n\n") == ARTICLE + more


# -- third round (issue 12): failure classes of the development halves ---------------------------


def test_camel_case_class_names_are_read_word_by_word():
    """CNBC's pages (scrapinghub 374ac9a5...): the photo caption and credit inside the article
    are `div.InlineImage-imageEmbedCaption` and `...Credit`; BKA's press releases (trafilatura's
    eval bka.de) close with `div.sectionRelated` ("Pressemitteilung als PDF" and its links), BfS's
    with `div.sectionRating`: a word that starts with a capital inside a name is a word."""
    caption = ("<div class='InlineImage-imageEmbed'><div class='InlineImage-imageEmbedCaption'>"
               "Des producteurs de coton déchargent leur récolte au marché de Koutiala, le 9 "
               "décembre 2025, avant la pesée par les agents de la CMDT.</div></div>")
    related = ("<div class='sectionRelated'><h2>Le communiqué en PDF, avec les chiffres de la "
               "campagne</h2><ul class='links'><li><a href='/c.pdf'>Communiqué du ministère de "
               "l’Agriculture sur la campagne cotonnière</a></li></ul></div>")
    rating = ("<div class='sectionRating'><h2>Comment jugez-vous cet article ?</h2><p>Votre "
              "avis nous aide à améliorer nos pages, merci de prendre une minute.</p></div>")
    html = (f"<div class='ArticleBody-articleBody'>{caption}<p>{ARTICLE[0]}</p>"
            f"<p>{ARTICLE[1]}</p><p>{ARTICLE[2]}</p><p>{ARTICLE[3]}</p>{related}{rating}</div>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_rating_widget_below_the_text_is_left_out():
    """WordPress's WP-PostRatings (trafilatura's eval aktion-hummelschutz.de, it-finanzmagazin
    .de): `span.post-ratings` inside the article's wrapper, "War der Artikel nützlich?" and the
    votes, then "Loading..."."""
    ratings = ("<span id='post-ratings-4373' class='post-ratings'><strong>Cet article vous "
               "a-t-il été utile ?</strong><br>(95 votes : 4,73 sur 5, merci de votre avis)"
               "</span><span class='post-ratings-loading'>Chargement...</span>")
    html = f"<div class='entry-content'>{PARAGRAPHS}<br>{ratings}</div>"
    assert parse(html).body.split("\n\n") == ARTICLE


def test_soft_hyphens_are_no_part_of_the_words():
    """Geschichte der Gegenwart's and weinkenner.de's pages (trafilatura's eval), FAZ's and
    Morgunblaðið's (Fundus): hyphenation points as U+00AD (&shy;) in every long word; the text
    read has the words whole."""
    hyphenated = [p.replace("producteurs", "pro&shy;duc&shy;teurs").replace(
        "subventions", "sub\u00adven\u00adtions") for p in ARTICLE]
    assert hyphenated != ARTICLE
    html = "<article>" + "".join(f"<p>{p}</p>" for p in hyphenated) + "</article>"
    assert parse(html).body.split("\n\n") == ARTICLE


def test_related_and_comment_headings_in_other_languages_end_or_skip_their_box():
    """gartenjournal.net (trafilatura's eval): "Lesen Sie auch" heads a box of links inside
    the text (`div.embed-article`), which is skipped, the text going on after it; MacTechNews
    (trafilatura's eval d43f330c...): an <h2> "Kommentieren" and the login line below the
    article's last paragraph end it."""
    box = ("<div class='embed-article'><h4>Lesen Sie auch</h4><ul><li><a href='/a'>Coton : la "
           "campagne précédente en chiffres, région par région</a></li></ul></div>")
    comment = ("<h2 class='Title'>Kommentieren</h2><h3>Sie müssen sich einloggen, um sich an "
               "einer Diskussion beteiligen zu können, und die Regeln beachten.</h3>")
    html = (f"<div class='single-post-body'><p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p>{box}"
            f"<p>{ARTICLE[2]}</p><p>{ARTICLE[3]}</p>{comment}</div>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_page_inside_an_open_noscript_is_read_from_there():
    """parcoabruzzo.it (trafilatura's eval): the page's whole markup follows a `<noscript>`
    opened at the top of <body> and never closed (the site's version without scripts); read
    with the <noscript> skipped, the page had no text at all."""
    html = (f"<html lang='fr'><head><title>{TITLE}</title></head><body><noscript>"
            f"<div id='main_group'><div id='bartop'><a href='/'>Accueil</a></div>"
            f"<div class='testo'>{PARAGRAPHS}</div></div></body></html>")
    source = Source(name="journal", platform="rss", base_url="https://journal.example.ml/",
                    entry_points=["https://journal.example.ml/feed/"])
    found = SourceParser(source).parse(Page.from_html(URL, html))
    assert isinstance(found, Article)
    assert found.body.split("\n\n") == ARTICLE
    # a page whose own text is outside its <noscript> does not read the <noscript>
    html = (f"<html><head><title>{TITLE}</title></head><body><noscript><p>Activez JavaScript "
            f"pour voir les vidéos et les commentaires de cette page, merci.</p></noscript>"
            f"<article>{PARAGRAPHS}</article></body></html>")
    found = SourceParser(source).parse(Page.from_html(URL, html))
    assert isinstance(found, Article) and found.body.split("\n\n") == ARTICLE


def test_a_newsletter_sign_up_box_inside_the_text_is_left_out():
    """Global News (Fundus ca/GlobalNews): between two paragraphs, `div.c-inlineSignup` with
    its title ("Get daily National news"), blurb and the terms line; "signup" names a
    sign-up box as "newsletter" does."""
    box = ("<div class='c-inlineSignup'><div class='c-inlineSignup__content'>"
           "<h2 class='c-inlineSignup__title'>Recevez l’actualité du Mali chaque jour</h2><div "
           "class='c-inlineSignup__blurb'>Les titres du jour dans votre boîte, chaque matin, pour "
           "ne rien manquer de l’essentiel.</div><p>En donnant votre adresse, vous acceptez nos "
           "conditions d’utilisation et notre politique de confidentialité.</p></div></div>")
    html = (f"<article class='l-article__text'><p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p>{box}"
            f"<p>{ARTICLE[2]}</p><p>{ARTICLE[3]}</p></article>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_an_article_that_is_only_its_standfirst_is_an_article_with_that_text():
    """Attac France (trafilatura's eval page france.attc.org-privatisations): SPIP's
    `div.chapo` holds the only paragraph, the text below is a line and an audio player. The
    chapeau was read as the lead, dropped from the body as its repeat, and the page gave no
    article ("no body"): its text is its body."""
    html = (f"<article><header class='cartouche'><h1>{TITLE}</h1></header><div class='main'>"
            f"<div class='crayon article-chapo-6869 chapo surlignable'><p>{ARTICLE[0]}</p></div>"
            "<div class='text'><div class='crayon article-texte-6869 texte surlignable'><p>"
            "Pour réécouter l’entretien, cliquez ici.<br><a href='/IMG/mp3/entretien.mp3'>"
            "<img alt='MP3' src='/mp3.png'></a></p></div></div></div></article>")
    article = parse(html)
    assert article.lead is None
    assert article.body.split("\n\n")[0] == ARTICLE[0]


SUBTITLE = ("Les producteurs de coton de Sikasso recevront la moitié du prix des engrais "
            "avant janvier")


def test_a_subtitle_heading_right_under_the_title_is_the_lead():
    """neues deutschland (trafilatura's eval page neues-deutschland.de.mietenstreik): the
    `<h2>` right after the `<h1>` is the standfirst, with no full stop and no description to
    match it; it was dropped. A short kicker there, or a heading further down, is no lead."""
    html = (f"<div class='Article'><article><h1>{TITLE}</h1>\n<!-- sous-titre -->\n"
            f"<h2>{SUBTITLE}</h2><ul class='Infoline'><li class='Author'>Par Moussa Koné</li>"
            f"</ul><div class='Content'>{PARAGRAPHS}</div></article></div>")
    article = parse(html)
    assert article.lead == SUBTITLE
    assert article.body.split("\n\n") == ARTICLE
    kicker = parse(html.replace(f"<h2>{SUBTITLE}</h2>", "<h2>Économie</h2>"))
    assert kicker.lead is None
    below = parse(html.replace(f"<h2>{SUBTITLE}</h2>", "<p>Par Moussa Koné</p>"
                               f"<h2>{SUBTITLE}</h2>"))
    assert below.lead is None


def test_a_content_slider_of_other_posts_is_not_the_article():
    """battery-news.de (trafilatura's eval page battery-news.de.ultium-cells): an Enfold
    `div.avia-content-slider` of the site's other posts, each slide with a long excerpt, outscored
    the article; "content" in its name kept it from being marked as the gallery it is. A slider,
    slideshow or carousel is one whatever else its name says."""
    excerpt = ("Les coopératives de la région de Koutiala ont livré leurs premières balles "
               "de coton à l’usine d’égrenage, avec une semaine d’avance sur le calendrier, "
               "selon la CMDT, qui prévoit une récolte abondante, de bonne qualité, et des "
               "prix fermes, alors que les cours mondiaux restent bas, que le fret coûte "
               "cher, que les engrais manquent encore dans plusieurs cercles, et que les "
               "producteurs attendent les paiements de la campagne passée, promis pour la "
               "fin du mois, sans date précise.")
    slides = "".join(
        f"<div class='slide-entry-wrap'><article class='slide-entry'><h3><a href='/p/{i}/'>"
        f"Autre article numéro {i}</a></h3><div class='slide-entry-excerpt'>{excerpt}</div>"
        "</article></div>" for i in range(6))
    html = (f"<main><section class='av_textblock_section'><div class='avia_textblock'>"
            f"{PARAGRAPHS}</div></section><div class='avia-content-slider avia-content-slider-"
            f"active'><div class='avia-content-slider-inner'>{slides}</div></div></main>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_list_of_references_under_a_short_text_is_not_the_article():
    """Annals of Internal Medicine (trafilatura's eval page acpjournals.org.3075): under the
    abstract, `div.article__references` lists forty `li.references__item`, each a line of
    authors and a journal, commas enough to outscore the abstract. References and a
    bibliography are read as the notes they are."""
    item = ("<li class='references__item'><span class='label'>{i}.</span><span>Traoré A, Keïta B, "
            "Diarra C, Coulibaly D, et al. Rendements du coton et engrais au Mali, 2000-2014. Rev "
            "Agron. 2013;31:5339-48. [PMID: 2405{i}]</span></li>")
    references = "".join(item.format(i=i) for i in range(1, 41))
    html = (f"<div class='article__body'><div class='hlFld-Abstract'>{PARAGRAPHS}</div>"
            f"<div class='article__references'><h2>Références</h2><ul class='rlist separator'>"
            f"{references}</ul></div></div>")
    body = parse(html).body
    assert body.split("\n\n")[:4] == ARTICLE and "Rev Agron" not in body


def test_a_subheading_inside_a_named_anchor_is_read():
    """MDR (Fundus de/MDR): each subheading is `<h3 class="subtitle"><a name="sprung1"
    class="jumpLabel">…</a></h3>`, a jump target that links nowhere; read as a link, the
    heading was all link text and dropped. An <a> without href or name (a script's button)
    still counts as a link."""
    html = (f"<div class='con'><div class='mod modA modParagraph'><p>{ARTICLE[0]}</p>"
            f"<p>{ARTICLE[1]}</p><h3 class='subtitle'><a name='sprung1' class='jumpLabel'>Les "
            f"<strong>paysans demandent leurs arriérés</strong></a></h3><p>{ARTICLE[2]}</p>"
            f"<p>{ARTICLE[3]}</p><p><a class='js-expand'>Cliquer pour agrandir</a></p></div></div>")
    assert parse(html).body.split("\n\n") == [
        *ARTICLE[:2], "Les paysans demandent leurs arriérés", *ARTICLE[2:]]


def test_an_opening_in_a_field_of_its_own_before_the_winning_field_is_joined():
    """Amnesty Deutschland (trafilatura's eval page amnesty.de-waffensysteme), a Drupal page:
    the opening paragraph is in the body field's block, the rest in the next block's field of
    paragraphs, a few wrappers deeper, which won; the opening is a sibling of the winner's
    outermost wrapper, not of the winner, and was left out."""
    rest = ("<div class='paragraph paragraph--type--text'><div class='text-formatted'>"
            + "".join(f"<p>{p}</p>" for p in ARTICLE[1:]) + "</div></div>")
    html = ("<div class='block-region-main'><div class='block block-ctools-block "
            "block-entity-fieldnodebody'><div class='clearfix text-formatted field--name-body'>"
            f"<p><strong>{ARTICLE[0]}</strong> Les producteurs en attendaient autant, et "
            "depuis longtemps, dans toutes les zones cotonnières du pays, de Koutiala à "
            "Bougouni.</p></div></div>"
            "<div class='block block-ctools-block block-entity-fieldnodefield-body-paragraphs'>"
            f"<div class='field field--name-field-body-paragraphs'>{rest}</div></div>"
            "<div class='block block-views'><h2>Autres actualités</h2><ul><li><a href='/a/'>"
            "Une autre actualité du jour</a></li></ul></div></div>")
    body = parse(html).body.split("\n\n")
    assert body[0].startswith(ARTICLE[0]) and body[1:] == ARTICLE[1:]


def test_the_title_shown_after_its_kicker_does_not_open_the_body():
    """rbb24 (Fundus de/RBB24): the article's heading inside the article reads "Premiere in
    Eisenhüttenstadt - <title>", kicker and title in one; not the title, it was kept as the
    body's first paragraph. A heading that only ends like the title is kept."""
    head = f'<meta property="og:title" content="{TITLE}">'
    html = (f"<article class='article'><h2>Campagne agricole - {TITLE}</h2>{PARAGRAPHS}"
            "</article>")
    article = parse(html, head)
    assert (article.title, article.body.split("\n\n")) == (TITLE, ARTICLE)
    other = parse(html.replace(f"- {TITLE}", f"et {TITLE.lower()}"), head)
    assert other.body.split("\n\n")[0] == f"Campagne agricole et {TITLE.lower()}"


def test_an_opening_paragraph_set_as_a_heading_is_read_as_prose():
    """Regenbogenportal (trafilatura's eval page regenbogenportal.de-intersex), TYPO3: the
    opening is `<h3><strong>` of two sentences in the title's frame, the rest in the next
    frame, each in a `div.ce-bodytext`; a heading earned nothing, so the opening's
    `ce-bodytext` was no part of the article and was lost. A heading of sentences at a
    paragraph's length scores as one."""
    opening = ("Le 8 décembre, le gouvernement a présenté aux organisations paysannes de Sikasso "
               "son plan pour la campagne cotonnière. Une réunion publique est prévue à "
               "Koutiala la semaine prochaine.")
    html = (f"<div class='page-thin'><div id='c3351' class='frame frame-default "
            f"frame-type-textpic'><header><h1>{TITLE}</h1></header><div class='ce-textpic'>"
            f"<div class='ce-bodytext'><h3><strong>{opening}</strong></h3></div></div></div>"
            f"<div id='c3350' class='frame frame-default frame-type-textpic'><div "
            f"class='ce-textpic ce-center'><div class='ce-bodytext'>{PARAGRAPHS}</div></div>"
            "</div></div>")
    assert parse(html).body.split("\n\n") == [opening, *ARTICLE]


def test_a_post_shown_only_in_a_closed_noscript_is_read_from_there():
    """Blogger's pages (trafilatura's eval page security.googleblog.com-protection): the
    post is in `<script type='text/template'>` for the page's script to show, and again in the
    `<noscript>` after it; outside them the page has its tagline and a cookie notice, short
    text that was taken for the article. When what the page shows is short and its
    <noscript> holds much more prose, that is read."""
    html = (f"<html lang='fr'><head><title>{TITLE}</title></head><body>"
            "<div class='header-outer'><div class='header-desc'>Les dernières nouvelles du "
            "journal sur le coton et l’agriculture au Mali</div></div>"
            "<div class='post'><h2 class='title'>Le plan coton</h2><div class='post-body'>"
            f"<div class='post-content'><script type='text/template'>{PARAGRAPHS}</script>"
            f"<noscript>{PARAGRAPHS}</noscript></div></div></div></body></html>")
    source = Source(name="journal", platform="rss", base_url="https://journal.example.ml/",
                    entry_points=["https://journal.example.ml/feed/"])
    found = SourceParser(source).parse(Page.from_html(URL, html))
    assert isinstance(found, Article) and found.body.split("\n\n") == ARTICLE


def test_an_advert_label_inside_the_article_is_left_out():
    """morebikes.co.uk (scrapinghub 30b771a4...) and rheinruhronline.de (trafilatura's eval):
    an advert between paragraphs is labelled "Advert" or "- Anzeige-" in a `<center>`, which
    no stray-label rule covered (a label is looked for in <div>/<span>...): left out whatever
    its tag, as the label's words only."""
    ads = ["<div class='Off5dpXq'><center><span style='font-size:0.7em'>Advert</span><br>"
           "</center></div>", "<center>- Anzeige- <br><br><a href='/x'><img src='/ad.png'></a>"
           "</center>", "<p>Publicité</p>"]
    html = (f"<article class='entry-content'><p>{ARTICLE[0]}</p>{ads[0]}<p>{ARTICLE[1]}</p>"
            f"{ads[1]}<p>{ARTICLE[2]}</p>{ads[2]}<p>{ARTICLE[3]}</p></article>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_related_and_comment_headings_in_spanish_and_a_call_to_comment_end_the_article():
    """El Nuevo Herald (trafilatura's eval page elnuevoherald.com-miami): "Artículos
    relacionados" heads the list of other articles; morebikes.co.uk (scrapinghub 30b771a4...):
    "Tell us what YOU think..." heads the comment box."""
    for heading in ("Artículos relacionados", "Noticias relacionadas",
                    "Tell us what YOU think..."):
        html = (f"<div class='story-body'>{PARAGRAPHS}<h3>{heading}</h3><p>Le prix du coton "
                "remonte sur les marchés mondiaux depuis le mois dernier, selon les analystes."
                "</p></div>")
        assert parse(html).body.split("\n\n") == ARTICLE, heading


def test_a_line_saying_when_the_article_was_published_or_updated_is_no_paragraph():
    """Hearst's and Gannett's pages (scrapinghub db6b0816..., c81e134e...), Postmedia's, the
    ARD's and T-Online's (Fundus ca/NationalPost, de/Tagesschau, de/TOnline), nationnews.com
    (trafilatura's eval): "Updated 5:27 am CST, Wednesday, November 20, 2019", "Stand:
    28.04.2023 17:23 Uhr", "Last updated 6 hours ago" sit in the article's wrapper above or
    below its text. A sentence that opens with such a word stays."""
    lines = ["Published 2:16 AM EST Nov 20, 2019", "Stand: 28.04.2023 17:23 Uhr",
             "Last updated 6 hours ago", "Mis à jour le 10 décembre 2025 à 17h23",
             "Posted on April 22, 2022 by Moussa Koné"]
    sentence = ("Publié en 2019, le rapport de la CMDT montrait déjà que les prix des intrants "
                "avaient doublé en cinq ans.")
    html = ("<div class='article-body'>" + "".join(f"<div class='date'>{line}</div>"
                                                   for line in lines[:3])
            + f"{PARAGRAPHS}<p>{sentence}</p><p>{lines[3]}</p><p>{lines[4]}</p></div>")
    assert parse(html).body.split("\n\n") == [*ARTICLE, sentence]


def test_a_photo_caption_or_credit_as_a_block_of_its_own_is_left_out():
    """golf.de, sportnews.bz, nnz-online.de, bondyblog.fr (trafilatura's eval), Seznam Zprávy
    and the Taipei Times (Fundus cz/SeznamZpravy, tw/TaipeiTimes): a photo's caption is a
    `<div>` or `<p>` after the image, not a <figcaption>, ending with its credit ("| ©
    Augusta National/Getty Images", "(Foto: Stadt Nordhausen)"), or the credit alone ("Photo:
    AFP"). A paragraph that names a photo in its text stays."""
    captions = ["Des producteurs de coton à Koutiala, le 9 décembre. | © Journal/Moussa Koné",
                "Photo: AFP", "La pesée du coton à l’usine d’égrenage (Foto: CMDT)",
                "Crédit photo : KB / Journal"]
    kept = ("Sur la photo publiée par la CMDT, on voit des producteurs de coton attendre "
            "la pesée à Koutiala, le 9 décembre.")
    html = ("<div class='article-text'>"
            f"<div class='img'><img src='/1.jpg'></div><div class='legend'>{captions[0]}</div>"
            f"<p>{ARTICLE[0]}</p><p>{captions[1]}</p><p>{ARTICLE[1]}</p><p>{kept}</p>"
            f"<div>{captions[2]}</div><p>{ARTICLE[2]}</p><p>{ARTICLE[3]}</p>"
            f"<p><em>{captions[3]}</em></p></div>")
    assert parse(html).body.split("\n\n") == [*ARTICLE[:2], kept, *ARTICLE[2:]]
    # the text and its credit in one element, a line apart: the credit alone goes (The
    # Economic Times's slideshows, trafilatura's eval page economictimes.indiatimes.com)
    html = ("<div class='slides'>" + "".join(
        f"<section class='slide'><h2>Partie {i}</h2><p class='s_des'>{p}<br><br><em>Image "
        "credit: www.journal.ml</em></p></section>" for i, p in enumerate(ARTICLE)) + "</div>")
    assert [p for p in parse(html).body.split("\n\n") if not p.startswith("Partie")] == ARTICLE


def test_a_line_of_fields_with_a_date_and_a_live_blogs_entry_times_are_no_paragraphs():
    """rbb24, MDR (Fundus de/RBB24, de/MDR, trafilatura's eval page mdr.de-autohaeuser): the
    date, time and author in one line of fields ("Do 25.04.24 | 14:07 Uhr | Von ..."), the
    programme that aired it ("MDR THÜRINGEN - Das Radio | Nachrichten | 28. April 2023 |
    10:00 Uhr", "Sendung: Antenne Brandenburg, 24.04.2024, 15:10 Uhr") and its photo credits
    ("Bildrechte: MDR/David Straub"); Express (Fundus uk/Express): a live blog entry's time
    line, "21 mins ago11:48 Jon King". A sentence with "|" in it stays."""
    lines = ["Ma 09.12.25 | 14:07 | Par Moussa Koné",
             "Radio Mali - Le journal | Actualités | 9 décembre 2025 | 10:00",
             "Sendung: Radio Mali, 09.12.2025, 15:10 Uhr", "Bildrechte: Journal/Moussa Koné",
             "21 mins ago11:48 Moussa Koné"]
    sentence = ("Les trois campagnes | 2021, 2022 et 2023 | ont toutes été marquées par des "
                "retards de paiement, selon les producteurs.")
    html = ("<div class='article-body'>" + f"<p>{lines[0]}</p>{PARAGRAPHS}<p>{sentence}</p>"
            + "".join(f"<p>{line}</p>" for line in lines[1:]) + "</div>")
    assert parse(html).body.split("\n\n") == [*ARTICLE, sentence]


def _interleaved(container: str, lines: list[str], kept: str) -> str:
    """ARTICLE's paragraphs in a <div class=container>, each followed by one of `lines` (as
    many), then the paragraph `kept`."""
    return (f"<div class='{container}'>" + "".join(
        f"<p>{p}</p><p>{line}</p>" for p, line in zip(ARTICLE, lines, strict=True))
            + f"<p>{kept}</p></div>")


def test_a_video_or_audio_label_between_paragraphs_is_left_out():
    """CBC News and T-Online (Fundus ca/CBCNews, de/TOnline), msn.com (trafilatura's eval),
    USA Today (scrapinghub 42aad16b...): a player embedded in the text leaves its label,
    "WATCH | <its title>:", "Video | <its title>", "Video: <its title>", or "More:" before a
    list of links. A paragraph that opens with "Video" in a sentence stays."""
    labels = ["WATCH | Les producteurs réagissent au plan de soutien :",
              "Video | La pesée du coton à Koutiala", "Vidéo : le ministre à Sikasso", "More:"]
    kept = ("Video et photos à l’appui, les producteurs ont montré au ministre l’état des "
            "champs après les pluies de septembre.")
    assert parse(_interleaved("story", labels, kept)).body.split("\n\n") == [*ARTICLE, kept]


def test_a_call_to_subscribe_share_or_follow_in_the_text_is_left_out():
    """The Nation (trafilatura's eval pages nationnews.com-schools, -tridents): "Subscribe now
    to our eNATION edition for the full story." closes the text; Wired (scrapinghub
    2f42ef1d...), Tages-Anzeiger (Fundus ch/TagesAnzeiger), aktion-hummelschutz.de,
    idw-online.de (trafilatura's eval): "Subscribe to WIRED and ...", "Jetzt abonnieren und
    ...", "Möchten Sie den Artikel teilen?", "Teilen:", each a paragraph of its own. A sentence
    that only mentions subscribers stays."""
    calls = ["Subscribe now to our e-edition for the full story.",
             "Jetzt abonnieren und von der Vorlesefunktion profitieren.",
             "Möchten Sie den Artikel teilen?", "Suivez-nous sur Facebook et Twitter"]
    kept = ("Les abonnés de la coopérative recevront leurs sacs d’engrais avant la fin du mois, "
            "a précisé son président.")
    assert parse(_interleaved("text", calls, kept)).body.split("\n\n") == [*ARTICLE, kept]


def test_a_digest_list_item_mostly_of_its_linked_headline_is_read():
    """Business Insider's morning digests (scrapinghub fde930b0...): the day's stories are an
    `<ol>` inside the text, each `<li>` a linked headline in bold, then a sentence of its own;
    when the headline is long, most of the item's words are in the link. Such an item ends a
    sentence and has words outside the link, as a paragraph citing its sources does; an item
    that is only a link (a list of other articles) stays out."""
    items = [
        ("La CMDT annonce une production de coton en hausse de 8 % pour la prochaine campagne "
         "dans la région de Sikasso", "Les pluies de septembre ont été bonnes."),
        ("Les producteurs de Koutiala réclament le paiement des arriérés de la campagne "
         "précédente avant toute nouvelle livraison", "Leur syndicat a écrit au ministre."),
    ]
    digest = "<ol>" + "".join(
        f"<li><strong><a href='/2025/12/{i}/'>{headline}</a>.</strong> {sentence}</li>"
        for i, (headline, sentence) in enumerate(items)) + "</ol>"
    others = ("<ul><li><a href='/autre/'>Les cours du coton remontent sur le marché mondial "
              "après trois mois de baisse continue.</a></li></ul>")
    html = f"<div class='post-content'>{PARAGRAPHS}{digest}{others}</div>"
    assert parse(html).body.split("\n\n") == [
        *ARTICLE, *(f"{headline}. {sentence}" for headline, sentence in items)]


def test_a_part_in_a_wrapper_of_the_tops_class_with_one_class_more_is_joined():
    """WPBakery's pages (trafilatura's eval page management-circle.de.glasses): the article is
    a run of `div.wpb_text_column` between video widgets; the builder adds a class of its own to
    a column whose spacing was edited ("wpb_text_column wpb_content_element  vc_custom_156..."),
    so its short last part, in a class that was not exactly the top's, was left out."""
    last = ("Les premiers versements arriveront dans les villages de la zone de Fana, a précisé "
            "le ministre, avant ceux de Koutiala.")

    def column(names: str, paragraphs: str) -> str:
        return f"<div class='{names}'><div class='wpb_wrapper'>{paragraphs}</div></div>"
    video = ("<div class='wpb_video_widget wpb_content_element vc_clearfix'><div class="
             "'wpb_wrapper'><div class='wpb_video_wrapper'><iframe src='/video'></iframe></div>"
             "</div></div>")
    html = ("<article class='single-blog-article'><div class='wpb_wrapper'>"
            + column("wpb_text_column wpb_content_element ", PARAGRAPHS) + video
            + column("wpb_text_column wpb_content_element  vc_custom_1563455446145",
                     f"<p>{last}</p>") + "</div></article>")
    assert parse(html).body.split("\n\n") == [*ARTICLE, last]
    # junge Welt's offer under the article (Fundus de/JungeWelt): one grid class more is
    # another box
    offer = ("<div class='col-md-8 mx-auto mt-4 bg-light'><p>2 semaines gratuites</p><p>Recevez "
             "le journal chez vous pendant deux semaines, sans engagement, l’offre prend fin "
             "d’elle-même.</p></div>")
    html = (f"<article><div class='row'><div class='col-md-8 mx-auto'>{PARAGRAPHS}</div></div>"
            f"<div class='row'>{offer}</div></article>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_short_sentence_mostly_of_links_is_read_a_labelled_link_or_breadcrumb_is_not():
    """BBC's and The Sun's pages (Fundus uk/BBC, uk/TheSun): a short paragraph of one sentence
    with most of its words in a link ("It also co-ordinates <a>military plans and carries out
    joint military exercises</a>.") was dropped as a link list under 80 characters. Lines that
    look the same are no prose: a labelled link to another article ending with its title's "?"
    (Polityka.pl in trafilatura's eval pages: "Czytaj też: <a>Czy grozi nam wojna
    atomowa?</a>"), a breadcrumb ending with "…" (scrapinghub b3c19dd5...) and a call to follow
    the site (BBC Newsbeat, scrapinghub 70cb2d5b...: "Follow Newsbeat on <a>Instagram</a>,
    ...")."""
    linked = [
        "Le plan est financé par <a href='/banque'>la Banque mondiale et ses partenaires</a>.",
        "Il couvre aussi <a href='/semences'>les semences et le transport du coton</a>.",
    ]
    others = [
        "<em>Notre reportage à Koutiala : <a href='/autre/'>Le coton malien peut-il encore "
        "séduire la Chine ?</a></em>",
        "<a href='/'>Accueil</a> » <a href='/economie/'>Économie et agriculture</a> » <a "
        "href='/economie/coton/'>Coton et cultures de rente</a> » Un plan de soutien…",
        "Suivez le Journal sur <a href='/fb'>Facebook</a>, <a href='/ig'>Instagram</a> et "
        "<a href='/x'>X</a>.",
    ]
    html = ("<div class='article-body'>" + "".join(
        f"<p>{p}</p><p>{line}</p>" for p, line in zip(ARTICLE, linked, strict=False))
        + "".join(f"<p>{p}</p>" for p in ARTICLE[2:]) + "".join(f"<p>{o}</p>" for o in others)
        + "</div>")
    plain = [re.sub("<[^>]+>", "", line) for line in linked]
    assert parse(html).body.split("\n\n") == [ARTICLE[0], plain[0], ARTICLE[1], plain[1],
                                              *ARTICLE[2:]]


def test_a_click_to_tweet_quote_is_read_without_its_button():
    """Click-to-tweet quotes (scrapinghub c582d3b7... and ec7fc408..., Social Warfare; Better
    Click To Tweet on trafilatura's eval pages): a sentence of the text set apart, all of it in
    a link that tweets it, with a "Click To Tweet" button inline after it. The link goes to no
    other page: the sentence was dropped as a link, and kept it would end with the button."""
    quotes = ["Chaque campagne de coton se joue sur les pluies de septembre, pas sur les prix.",
              "Une subvention versée en retard ne sert plus à rien au moment des semis."]
    tweet = "https://twitter.com/share?text=Chaque+campagne&amp;via=journal"
    social_warfare = (f"<a class='swp_CTT' href='{tweet}' rel='nofollow'><span class="
                      f"'sw-click-to-tweet'><span class='sw-ctt-text'>{quotes[0]}</span><span "
                      "class='sw-ctt-btn'>Click To Tweet<i class='sw'></i></span></span></a>")
    intent = "https://twitter.com/intent/tweet?url=https%3A%2F%2Fjournal.example.ml&amp;text=Une"
    better_click_to_tweet = (
        f"<span class='bctt-click-to-tweet'><span class='bctt-ctt-text'><a href='{intent}' "
        f"target='_blank'>{quotes[1]}</a></span><a href='{intent}' target='_blank' "
        "class='bctt-ctt-btn'>Click To Tweet</a></span>")
    html = (f"<div class='entry-content'><p>{ARTICLE[0]}</p>{social_warfare}<p>{ARTICLE[1]}</p>"
            f"<p>{ARTICLE[2]}</p>{better_click_to_tweet}<p>{ARTICLE[3]}</p></div>")
    assert parse(html).body.split("\n\n") == [ARTICLE[0], quotes[0], ARTICLE[1], ARTICLE[2],
                                              quotes[1], ARTICLE[3]]


def test_a_most_read_rail_inside_the_text_is_skipped_with_its_heading():
    """The Sun (Fundus uk/TheSun): a rail of the section's most read articles sits between two
    paragraphs, headed "Most read in Football" in an <h2> of its own section; its teasers are
    links (dropped), its heading was read as a paragraph. The text goes on after the rail."""
    rail = ("<div class='rail--classic rail-component'><div class='rail-body-container'><div>"
            "<section><h2 class='nk-headline-heading'>Most read in Football</h2></section></div>"
            "<div class='rail-content'><a href='/sport/1/'><h3>Le Stade malien change "
            "d’entraîneur à deux journées de la fin</h3></a><a href='/sport/2/'><h3>Les Aigles "
            "préparent la CAN à Bamako</h3></a></div></div></div>")
    german = "<h3>Meistgelesen</h3><ul><li><a href='/a'>Der Baumwollpreis steigt</a></li></ul>"
    html = (f"<div class='article__content'><p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p>{rail}"
            f"<p>{ARTICLE[2]}</p><div class='box'>{german}</div><p>{ARTICLE[3]}</p></div>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_related_heading_in_a_div_of_its_own_ends_the_article():
    """WIRED (scrapinghub d48aeb9c..., 2f42ef1d...): the text ends with `<div
    class="heading-h3">More Great WIRED Stories</div>` over a list whose items are half
    links ("The strange life and <a>mysterious death of a virtuoso coder</a>"); the heading,
    a few words in a <div>, was dropped as a stray label and the list read on. La Vanguardia
    (Fundus es/LaVanguardia): a "Lee también" label in <span>s among the text's own inline
    elements heads one card; the text goes on after it."""
    related = ("<hr><div class='heading-h3'>More Great WIRED Stories</div><ul>"
               "<li>Les producteurs de Sikasso et <a href='/a'>la crise des engrais de 2024</a>"
               "</li><li>Comment le coton malien <a href='/b'>a conquis le marché chinois</a>"
               "</li></ul>")
    html = f"<div class='article__body'>{PARAGRAPHS}{related}</div>"
    assert parse(html).body.split("\n\n") == ARTICLE
    card = ("<span class='content-related'><span class='module-supra-title'><span>Lee también"
            "</span></span><span class='module-details'><h2><a href='/c'>La campagne de coton en"
            " chiffres</a></h2></span></span>")
    html = (f"<div class='article-content'><p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p>{card}"
            f"<p>{ARTICLE[2]}</p><p>{ARTICLE[3]}</p></div>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_further_reading_heading_ends_the_article_and_a_call_to_get_the_app_is_dropped():
    """wirtschaftspsychologie-aktuell.de (trafilatura's eval): "Zum Weiterlesen:" in a <p> of
    its own heads the books the article advertises, after its last paragraph; The Nation
    (nationnews.com-schools, -tridents): "For the latest stories and breaking news updates
    download the Nationnews apps for iOS and Android." closes the text."""
    reading = ("<p><strong>Zum Weiterlesen:</strong></p><p>Traoré, A. (2022). <em><a href='/l'>"
               "Le coton au Mali</a></em>. Bamako : Éditions du Sahel.</p>")
    app = ("<p>For the latest news from Mali download the Journal apps for <a href='/ios'>iOS</a>"
           " and <a href='/android'>Android</a>.</p>")
    html = f"<div class='text-formatted'>{PARAGRAPHS}{app}{reading}</div>"
    assert parse(html).body.split("\n\n") == ARTICLE


def test_snake_case_class_names_are_read_word_by_word():
    """LBC Group (Fundus lb/LBCGroup): the next and previous articles' titles sit inside the
    article's wrapper in `div.prev_next_text`; "_" joins words into one for the regular
    expressions' word starts, so "prev_" named nothing, as "sectionRelated" did before
    camelCase names were split. A name whose words include the content's own stays content."""
    box = ("<div class='article_details_prev_next'><div class='prev_next_text'>Le coton malien "
           "à la conquête des marchés asiatiques, selon la CMDT</div><div class='prev_next_text'>"
           "Les producteurs de Fana reçoivent leurs premiers sacs d’engrais</div></div>")
    html = f"<div class='article_details_body'>{PARAGRAPHS}{box}</div>"
    assert parse(html).body.split("\n\n") == ARTICLE


def test_the_pages_headline_atop_the_article_and_its_kicker_are_not_body():
    """MDR, Merkur, Tagesschau, junge Welt (Fundus de/MDR, de/Merkur, ...): the chosen element
    is the whole <article>, its header first: a kicker ("Hitzefolgen") and the page's <h1>,
    whose words differ from the title the page's metadata gives (the body only dropped a first
    paragraph equal to the title). A later <h1>, or one after the page's first (a post's own
    heading, trafilatura's eval page 2gewinnt.wordpress.com.uns), is a heading of the text."""
    header = ("<header class='articlehead'><p class='topline'>Coton</p><h1>Sikasso : l’État "
              "paiera la moitié des engrais</h1></header>")
    html = f"<article class='articlepage'>{header}{PARAGRAPHS}</article>"
    assert parse(html).body.split("\n\n") == ARTICLE
    html = (f"<h1 class='page-title'>{TITLE}</h1><div class='page-content'><h1>Le contexte</h1>"
            f"{PARAGRAPHS}</div>")
    assert parse(html).body.split("\n\n") == ["Le contexte", *ARTICLE]


def test_a_byline_as_a_paragraph_of_its_own_is_no_body_and_names_the_author():
    """junge Welt, MDR, WDR, Börsen-Zeitung (Fundus de/...): "Von Karim Natour", "von Engin
    Haupt, MDR SACHSEN-ANHALT", "Von Anna Sleegers, Frankfurt" stand under the standfirst, in
    the chosen element; the Daily Mail's "By Tom Pyman for MailOnline", EFE's "Por Agencia EFE"
    (trafilatura's eval) likewise. Only a byline closing the body was taken out. A sentence that
    opens with the same word stays; a byline that is a name names the author when the page's
    metadata names none."""
    sentence = "By Monday, the ministry had paid the first farmers of Koutiala."
    html = (f"<article><p>{ARTICLE[0]}</p><p>Par Aminata Traoré</p><p>{ARTICLE[1]}</p>"
            f"<p>Von Anna Keita, Bamako</p><p>{sentence}</p><p>{ARTICLE[2]}</p>"
            f"<p>By Tom Pyman for MailOnline</p><p>{ARTICLE[3]}</p></article>")
    found = parse(html)
    assert found.body.split("\n\n") == [*ARTICLE[:2], sentence, *ARTICLE[2:]]
    assert found.authors == ["Aminata Traoré"]


def test_the_retry_for_a_short_text_never_picks_a_reviews_widget_or_a_cookie_banner():
    """A shop's product page (trafilatura's eval de.happycoffee.org.sidamo): the description is
    short, so readability's retry lifts the marks, and the customers' reviews under it
    ("jdgm-widget jdgm-review-widget", marked as a widget) won. A cookie banner ("eu-cookie-law"
    in a "widget_eu_cookie_law_widget", nurmeinstandpunkt.wordpress.com) won so on a post of
    link lists. Neither is ever the article, retry or not."""
    description = f"<div class='product-description'><p>{ARTICLE[0]}</p></div>"
    reviews = "".join(
        f"<div class='jdgm-rev'><div class='jdgm-rev__body'><p>{text}</p></div></div>"
        for text in (
            "Très bon coton, bien emballé, livré en trois jours à Bamako, je recommande ce "
            "vendeur à tous ceux qui cherchent de la qualité, sans hésiter, vraiment.",
            "Deuxième commande, toujours aussi satisfait : le tissu est solide, la couleur "
            "tient au lavage, et le service client répond vite, même le dimanche.",
            "Un peu cher, mais la qualité est là, et la livraison à Ségou a été rapide, avec un "
            "suivi du colis, des nouvelles à chaque étape, et un emballage soigné.",
        ))
    widget = (f"<div class='jdgm-widget jdgm-review-widget'><div class='jdgm-rev-widg__reviews'>"
              f"{reviews}</div></div>")
    assert parse(description + widget).body == ARTICLE[0]
    banner = ("<div class='widget widget_eu_cookie_law_widget'><div id='eu-cookie-law'>"
              "<p>Confidentialité et cookies : ce site utilise des cookies, des traceurs et des "
              "outils de mesure d’audience, pour vous proposer des contenus adaptés. En "
              "continuant à naviguer sur ce site, vous acceptez que nous en utilisions, et vous "
              "pouvez, à tout moment, en savoir plus, y compris sur la manière de contrôler les "
              "cookies, en lisant notre politique de confidentialité, ici.</p></div></div>")
    assert parse(description + banner).body == ARTICLE[0]


def test_a_box_that_opens_with_its_close_control_is_a_pop_up_not_the_article():
    """A wine shop's page (trafilatura's eval vinosytapas.de.rioja): the shipping terms are a
    box at the end of the page, `<div id="vkinfo"><div class="close">Schließen [X]</div>...`,
    hidden by the stylesheet and shown on a click; their one long paragraph of commas outscored
    the region's description. Le Monde's sign-in box inside the article opens so too (Fundus
    fr/LeMonde_2023_09_01)."""
    terms = ("<div id='vkinfo'><div class='close'>Fermer [X]</div><h3>Livraison</h3><p>Nos "
             "livraisons partent par transporteur, sauf accord contraire, franco de port à "
             "partir de 60 000 francs CFA, en dessous, nous facturons 5 000 francs CFA, nous "
             "nous réservons le droit de livrer en plusieurs fois, sans frais pour vous, et, si "
             "vous le souhaitez, chaque envoi partiel est traité comme une commande à part, "
             "avec sa facture, son suivi, et, pour Bamako, Ségou ou Sikasso, un coursier, une "
             "moto, un camion, ou un retrait au magasin, selon votre choix.</p></div>")
    html = f"<div class='description'>{'<br><br>'.join(ARTICLE)}</div>{terms}"
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_forum_thread_is_read_whole_not_the_quote_in_one_post():
    """A XenForo thread (trafilatura's eval villagersandheroes.com.forums.patchnotes): each post
    is an `article.message` whose text is a `div.bbWrapper`; one post quotes the announcement it
    answers in a `blockquote.bbCodeBlock--quote`, longer than its own words, and the quote won
    alone. A quote is a part of the text that quotes it: the thread is read, posts and quote."""
    announcement = ("Le ministère a publié la liste des zones retenues, avec les montants, les "
                    "dates de versement, les pièces à fournir, et, pour chaque coopérative, le "
                    "nom du responsable, son adresse, et le calendrier des réunions, qui "
                    "commenceront à Sikasso, puis à Koutiala, Bougouni et Kadiolo.")

    def post(text: str, quote: str = "") -> str:
        quoted = (f"<blockquote class='bbCodeBlock bbCodeBlock--quote'><div class='bbCodeBlock-"
                  f"content'><div class='bbCodeBlock-expandContent'>{quote}</div></div>"
                  "</blockquote>") if quote else ""
        return (f"<article class='message'><div class='message-inner'><div class='message-cell "
                "message-cell--user'><h4 class='message-name'>Aminata</h4></div><div class="
                "'message-cell message-cell--main'><div class='message-content'><article "
                f"class='message-body'><div class='bbWrapper'>{quoted}{text}</div></article>"
                "</div></div></div></article>")

    thread = (f"<div class='block-body'>{post(ARTICLE[0])}{post(ARTICLE[1], announcement)}"
              f"{post(ARTICLE[2])}</div>")
    body = parse(thread).body
    assert all(text in body for text in (ARTICLE[0], announcement, ARTICLE[1], ARTICLE[2]))


def test_typo3_news_teaser_and_an_article_excerpt_are_the_lead():
    """TYPO3's news extension shows the article's standfirst as `div.teaser-text` with the
    microdata `itemprop="description"`, inside `div.news.news-single` (trafilatura's eval
    ahlen.de, martinruetter.com, wind-energie.de, zoo-berlin.de); a list of other articles'
    teasers uses "teaser-text" without it, and is no standfirst. impulse.de's is a
    `p.article-excerpt` in the article's header. Both were missed: the lead then fell back to
    the page's description, or to nothing (the teaser is marked unlikely in the body)."""
    standfirst = STANDFIRST
    others = ("<ul class='list-entries'><li><div class='teaser-text'>Ségou : la foire du riz "
              "ouvre ses portes samedi avec deux cents exposants.</div></li></ul>")
    html = (f"{others}<div class='news news-single'><div class='article'><h1>{TITLE}</h1>"
            f"<div class='teaser-text' itemprop='description'><p>{standfirst}</p></div>"
            f"<div class='news-text-wrap' itemprop='articleBody'>{PARAGRAPHS}</div></div></div>")
    found = parse(html)
    assert (found.lead, found.body.split("\n\n")) == (standfirst, ARTICLE)
    html = (f"<article><div class='article-header'><h1>{TITLE}</h1><p class='article-excerpt'>"
            f"{standfirst}</p></div><div class='article-content'>{PARAGRAPHS}</div></article>")
    found = parse(html)
    assert (found.lead, found.body.split("\n\n")) == (standfirst, ARTICLE)


def test_an_abstract_or_a_sub_headline_under_the_headline_is_the_lead():
    """zfk.de's standfirst is `div.contentHeaderHeader__abstract`, ekd.de's an
    `h2.article--sub-headline` in the article's header (trafilatura's eval); a Practical
    Horseman page's a `div.m-detail--abstract` (scrapinghub's benchmark, whose expected body
    leaves standfirsts out). None of them was read: the lead stayed empty."""
    standfirst = STANDFIRST
    # ekd.de's names who speaks, in words of its own (the fallback for an <h2> right under
    # the <h1> wants the article's words)
    speaker = ("Aminata Traoré, directrice générale de la Compagnie malienne, à Bamako devant "
               "les délégués.")
    for element, lead in ((f"<div class='contentHeaderHeader__abstract'>{standfirst}</div>",
                           standfirst),
                          (f"<h2 class='article--sub-headline'>{speaker}</h2>", speaker)):
        html = (f"<article><header><h1>{TITLE}</h1>{element}</header>"
                f"<div class='article-text'>{PARAGRAPHS}</div></article>")
        found = parse(html)
        assert (found.lead, found.body.split("\n\n")) == (lead, ARTICLE)


def test_a_chapo_box_holding_the_date_and_author_under_it_gives_its_sentences():
    """aerobuzz.de (trafilatura's eval): `div.chapo` holds the standfirst, then the date and
    "par Bob Fischer"; read whole, it ended on the author's name, no sentence, and was no
    chapeau. Its sentences before those lines are."""
    standfirst = STANDFIRST
    html = (f"<article><div class='intro'><h1>{TITLE}</h1><div class='chapo widthfix'><div><p>"
            f"{standfirst}</p></div><div class='metas'><span class='date'>4.02.2025</span> "
            "<span class='auteurs'>par <a href='/author/aminata/'>Aminata Traoré</a></span>"
            f"</div></div></div><div class='entry-content'>{PARAGRAPHS}</div></article>")
    found = parse(html)
    assert (found.lead, found.body.split("\n\n")) == (standfirst, ARTICLE)


def test_an_embeds_two_click_consent_placeholder_is_no_paragraph():
    """German sites show an embedded video, post or chart only after a click, in its place a
    box of consent text inside the article (Fundus de/Tagesspiegel, de/Gamestar: "Empfohlener
    redaktioneller Inhalt", "An dieser Stelle finden Sie ... externen Inhalt", "Ich bin damit
    einverstanden, dass mir ... angezeigt wird"; de/ZDF: "Ein Klick für den Datenschutz", "Erst
    wenn Sie hier klicken, werden die Grafiken nachgeladen"). The box is read as text: its
    lines are no paragraphs of the article. (Fundus's expected body for ZDF keeps them.)"""
    tagesspiegel = (
        "<div class='B4br'><div class='Nbv'><p class='Nbw'>Empfohlener redaktioneller Inhalt</p>"
        "<p>An dieser Stelle finden Sie einen von unseren Redakteuren ausgewählten, externen "
        "Inhalt, der den Artikel für Sie mit zusätzlichen Informationen anreichert.</p><input "
        "type='checkbox' id='t1'><label for='t1'>Externen Inhalt anzeigen</label><p>Ich bin "
        "damit einverstanden, dass mir der externe Inhalt angezeigt wird. Damit können "
        "personenbezogene Daten an Drittplattformen übermittelt werden.</p></div></div>")
    zdf = ("<div class='bpl5ibi'><div class='hw4d47y'>Ein Klick für den Datenschutz</div><div>"
           "<div class='r1nj4qn5'>Für die Darstellung von Infografiken nutzen wir die Software "
           "von Datawrapper. Erst wenn Sie hier klicken, werden die Grafiken nachgeladen. Ihre "
           "IP-Adresse wird dabei an externe Server von Datawrapper übertragen.</div></div></div>")
    html = (f"<article class='article'><p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p>{tagesspiegel}"
            f"<p>{ARTICLE[2]}</p>{zdf}<p>{ARTICLE[3]}</p></article>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_long_call_to_follow_the_paper_closing_the_text_is_left_out():
    """The Gleaner (trafilatura's eval jamaica.gleaner.com) and Metro (Fundus uk/Metro) close
    the text with a call to follow them that goes on with where to write or what to sign up
    for: "Follow The Gleaner on Twitter and Instagram @JamaicaGleaner and on Facebook
    @GleanerJamaica. Send us a message on WhatsApp ... or email us at ...", over the 120
    characters a call to act was allowed."""
    call = ("Follow Le Journal on Twitter and Instagram @LeJournalML and on Facebook "
            "@LeJournalMali. Send us a message on WhatsApp at +223 20 22 00 00 or email us at "
            "redaction@journal.example.ml or lecteurs@journal.example.ml")
    html = f"<article><div class='article-body'>{PARAGRAPHS}<p>{call}</p></div></article>"
    assert parse(html).body.split("\n\n") == ARTICLE


# Classes found on the dev half of mozilla/readability's test pages (test/test-pages/<name>).

def test_a_subheading_linked_to_its_own_anchor_is_read_a_linked_teaser_title_is_not():
    """Sphinx's and blog engines' headings (readability mercurial, toc-missing): the heading's
    text is a link back to the table of contents (`a.toc-backref`) or to its own anchor, with
    a "¶" permalink after it; all link, it was dropped as a link list. A heading linked to
    another article (a teaser's title inside the text) stays out."""
    html = ("<div class='body' role='main'><div class='section' id='coton'>"
            "<h1>Le coton<a class='headerlink' href='#coton'>¶</a></h1>"
            "<div class='contents topic'><ul><li><a class='reference internal' href='#aides'>"
            "Les aides</a></li><li><a class='reference internal' href='#recolte'>La récolte</a>"
            f"</li></ul></div><p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p>"
            "<div class='section' id='aides'><h2><a class='toc-backref' href='#id1'>Les aides"
            "</a><a class='headerlink' href='#aides'>¶</a></h2>"
            f"<p>{ARTICLE[2]}</p></div><div class='section' id='recolte'><h2><a href='#recolte'"
            f" class='anchor'>La récolte</a></h2><p>{ARTICLE[3]}</p>"
            "<h3><a href='/2025/12/09/les-cours-du-coton/'>Les cours du coton remontent</a></h3>"
            "</div></div></div>")
    assert parse(html).body.split("\n\n") == [
        *ARTICLE[:2], "Les aides", ARTICLE[2], "La récolte", ARTICLE[3]]


def test_a_subheading_between_two_wrappers_of_the_text_is_read():
    """An article whose text is in `<div>`s of their own, its subheadings `<h2>` beside them
    (readability replace-font-tags, normalize-spaces, remove-extra-brs): the wrappers were
    joined, the heading between them left out. A related list's heading between two parts
    heads its list, no subheading."""
    related = ("<h3>Les plus lus</h3><ul><li><a href='/2025/12/09/les-cours-du-coton/'>Les "
               "cours du coton remontent après trois mois de baisse</a></li></ul>")
    html = (f"<article><h1>{TITLE}</h1><div>{ARTICLE[0]}<br><br>{ARTICLE[1]}<br><br>"
            f"{ARTICLE[2]}</div><h2>Une récolte en hausse</h2><div>{ARTICLE[3]}</div>"
            "</article>")
    assert parse(html).body.split("\n\n") == [
        *ARTICLE[:3], "Une récolte en hausse", ARTICLE[3]]
    html = html.replace("<h2>Une récolte en hausse</h2>", related)
    assert parse(html).body.split("\n\n") == ARTICLE


def test_an_article_shown_in_a_box_over_the_news_stream_is_read_a_pop_up_beside_it_is_not():
    """Yahoo's stories (readability yahoo-2) open in `div.render-target-modal` over the news
    stream they were clicked in: the marks meant for pop-ups left the story out, and the
    stream's summaries, more text than the story, were read. A box over the page that holds
    the page's headline is the article; a long pop-up beside the article (acpjournals.org's
    authors' disclosures in `div.modal__body`, trafilatura's eval pages) is not."""
    summaries = [
        f"Les producteurs de la zone {i} ont reçu leurs premiers sacs d’engrais subventionnés "
        "ce matin, selon la coopérative locale, qui attend la suite de la livraison la semaine "
        "prochaine, avant les premières pluies de la saison."
        for i in range(8)]
    stream = "<ul class='Mb(0) Ov(h) P(0)'>" + "".join(
        f"<li class='js-stream-content'><div class='Cf'><div class='Ov(h) Pend(44px)'><h3>"
        f"<a href='/news/zone-{i}.html'>Distribution d’engrais dans la zone {i}</a></h3>"
        f"<p>{summary}</p></div></div></li>" for i, summary in enumerate(summaries)) + "</ul>"
    story = (f"<div class='render-target-active render-target-modal D(n) modal-open_D(b)'>"
             f"<div class='YDC-MainCanvas Bxsh(modalShadow)'><article><header><h1>{TITLE}</h1>"
             f"</header><div class='canvas-body'>{PARAGRAPHS}</div></article></div></div>")
    html = f"<div id='YDC-Stream'>{stream}</div>{story}"
    assert parse(html).body.split("\n\n") == ARTICLE
    disclosures = ("<div class='modal disclosures-modal'><div class='modal__dialog'>"
                   "<div class='modal__header'>Déclarations des auteurs</div><div "
                   "class='modal__body'>" + "".join(
                       f"<p>Auteur {i} : honoraires de la CMDT, de l’Office du Niger, de la "
                       "Banque mondiale, du ministère de l’Agriculture, de la FAO, de "
                       "l’IER, de l’AFD et de la coopérative de Koutiala, hors du travail "
                       "présenté.</p>" for i in range(8)) + "</div></div></div>")
    html = (f"<main><article><h1>{TITLE}</h1><div class='abstract'>{PARAGRAPHS}</div>"
            f"</article></main>{disclosures}")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_how_tos_steps_in_wrappers_like_its_opening_but_one_class_are_joined():
    """eHow's pages (readability ehow-1): each step of a how-to is `div.mod.step >
    div.stepContent > div.content`, its opening the same with one class more
    (`div.content.lead`); the opening, longest, won, and the steps, cousins in a class not
    exactly its own, were left out."""
    steps = [
        "Mesurez la surface du champ et divisez-la en parcelles égales.",
        "Répandez l’engrais subventionné sur chaque parcelle avant les pluies.",
        "Semez les graines de coton en lignes, à un mètre d’écart, puis arrosez.",
    ]
    html = ("<section id='Body'><div class='col-main'><div class='mod step'>"
            f"<div class='stepContent mod'><div class='content lead'><p>{ARTICLE[0]} "
            f"{ARTICLE[1]}</p></div></div></div>" + "".join(
                f"<div class='mod step'><div class='headline'><h3>Étape {i + 1}</h3></div>"
                f"<div class='stepContent'><div class='content'><p>{step}</p></div></div></div>"
                for i, step in enumerate(steps)) + "</div></section>")
    assert parse(html).body.split("\n\n") == [f"{ARTICLE[0]} {ARTICLE[1]}", *steps]


def test_a_tables_short_values_in_wrappers_of_their_own_are_read():
    """A table pasted from a document editor (readability links-in-tables, a Blogger post):
    each cell's text is in a `<div dir="ltr">` of its own, and the short values ("71,1 t",
    "-81 %") were dropped as stray labels, while a cell holding its text directly was read."""
    rows = [("Région", "Récolte 2024", "Récolte 2025"), ("Sikasso", "312 000 t", "337 000 t"),
            ("Koutiala", "201 000 t", "-4 %")]
    table = "<table><tbody>" + "".join(
        "<tr>" + "".join(f"<td><div dir='ltr'><span>{cell}</span></div></td>" for cell in row)
        + "</tr>" for row in rows) + "</tbody></table>"
    html = (f"<div class='post-body entry-content'><p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p>"
            f"{table}<p>{ARTICLE[2]}</p><p>{ARTICLE[3]}</p></div>")
    assert parse(html).body.split("\n\n") == [
        *ARTICLE[:2], *(cell for row in rows for cell in row), *ARTICLE[2:]]


def test_a_perex_under_the_headline_is_the_lead():
    """Czech and Slovak sites call the standfirst "perex" (readability aktualne:
    `div.article__perex` between the headline and the text, longer than the page's
    description, which shortens it) was no chapeau element: read as the body's first
    paragraph here, lost on aktualne's page, where it stands apart from the text's wrapper."""
    perex = ("Les producteurs de coton de Sikasso verront la moitié du prix des engrais payée "
             "par l’État, a annoncé mardi le gouvernement, et les premiers versements "
             "arriveront avant la fin du mois de janvier.")
    head = "<meta name='description' content='Sikasso : l’État paiera la moitié des engrais.'>"
    html = (f"<div class='article'><h1>{TITLE}</h1><div class='article__perex'>{perex}</div>"
            f"<div class='article__content'>{PARAGRAPHS}</div></div>")
    found = parse(html, head)
    assert (found.lead, found.body.split("\n\n")) == (perex, ARTICLE)


def test_an_opening_with_links_in_a_wrapper_of_its_own_before_the_rest_is_joined():
    """Engadget's reviews (readability engadget): the opening paragraph, naming the products
    it links to, is an `div.o-article_block` of its own before the wrapper of the rest; with
    four tenths of its words in links it was no plain prose, and was left out. A paragraph
    with links (no block mostly of links) before the article joins as one without does."""
    opening = ("<a href='/tag/cmdt/'>Le plan de la CMDT pour la campagne de coton</a> "
               "rappelle celui de l’année dernière avec des engrais bien moins chers et des "
               "semences certifiées pour tous. Il place le Mali parmi les premiers "
               "producteurs du continent cette année devant <a href='/tag/burkina-faso/'>le "
               "Burkina Faso et la Côte d’Ivoire</a> selon <a href='/tag/icac/'>le comité "
               "international du coton</a>.")
    block = ("<div class='o-article_block'><div class='grid'><div class='grid__cell col-8'>"
             "<div class='article-text'>{}</div></div></div></div>")
    html = ("<div class='flush-top'>" + block.format(f"<p>{opening}</p>")
            + "<div class='js-body'>" + "".join(block.format(f"<p>{p}</p>") for p in ARTICLE)
            + "</div></div>")
    paragraphs = parse(html).body.split("\n\n")
    assert paragraphs[1:] == ARTICLE
    assert paragraphs[0].startswith("Le plan de la CMDT pour la campagne")


def test_an_excerpt_under_the_headline_is_the_lead():
    """Börsen-Zeitung's pages (Fundus de/BoersenZeitung): the standfirst is the post's
    excerpt, WordPress's name for it, a `div.excerpt` in the article's header beside the
    text's wrapper; it was no chapeau element (only `.article-excerpt` was), and was lost."""
    standfirst = LONG_STANDFIRST
    html = (f"<div class='pxp-view article'><div class='pxp-section post-content'>"
            f"<div class='pxp-section article-header'><h1>{TITLE}</h1>"
            f"<div class='pxp-html excerpt'>{standfirst}</div></div>"
            f"<div class='pxp-section article-body'>{PARAGRAPHS}</div></div></div>")
    found = parse(html)
    assert (found.lead, found.body.split("\n\n")) == (standfirst, ARTICLE)


def test_an_abstract_in_a_teaser_box_of_the_article_header_is_the_lead():
    """gdp.de (trafilatura's eval gdp.de-Wertschätzung): the standfirst is `p.abstract` in a
    `div.teaser` of the article's `<header>`; a chapeau inside a "teaser" was skipped as a
    teaser of another article, which links to it. A teaser box that links nowhere is the
    article's own; one with a link stays skipped."""
    standfirst = LONG_STANDFIRST
    other = ("<div class='teaser'><p class='abstract'><a href='/2025/12/foire/'>Ségou</a> : la "
             "foire du riz ouvre ses portes samedi avec deux cents exposants venus de tout le "
             "pays.</p></div>")
    html = (f"<article class='col-xs-12' id='main-content'><header class='content-detail-header'>"
            f"<h1>{TITLE}</h1><div class='teaser'><p class='abstract abstract-bold'>{standfirst}"
            f"</p></div></header><div class='content-text'>{PARAGRAPHS}</div></article>")
    found = parse(html)
    assert (found.lead, found.body.split("\n\n")) == (standfirst, ARTICLE)
    found = parse(f"<div class='col'>{other}</div>" + html.replace(
        f"<div class='teaser'><p class='abstract abstract-bold'>{standfirst}</p></div>", ""))
    assert found.lead is None


def test_a_standfirst_in_a_page_wrapped_as_a_menu_or_sidebar_is_the_lead():
    """Pages wrapped whole in a box whose class names a menu or a sidebar (a WordPress menu
    plugin's `div.wsmenucontainer`, trafilatura's eval 0afd671f...; haus.de's
    `div.site__main--no-sidebar`; Rolling Stone's `div.a-article-grid ...`, Fundus
    us/RollingStone): every chapeau element was taken for one in another article's box. A box
    holding the article itself is no other block."""
    standfirst = LONG_STANDFIRST
    for wrapper in ("wsmenucontainer clearfix", "site__main site__main--no-sidebar"):
        html = (f"<div class='{wrapper}'><main><article class='post'><h1>{TITLE}</h1>"
                f"<p class='standfirst'>{standfirst}</p><div class='entry-content'>"
                f"{PARAGRAPHS}</div></article></main></div>")
        found = parse(html)
        assert (found.lead, found.body.split("\n\n")) == (standfirst, ARTICLE)


def test_an_articles_intro_box_is_the_lead():
    """Standfirsts named as the article's intro (trafilatura's eval pages): a news theme's
    `div.tb-article-intro` (0afd671f...), haus.de's `div.intro-text`, UIkit's
    `div.uk-text-lead` (evref.ch) were no chapeau elements, and were lost or read as the
    body's first paragraph."""
    standfirst = LONG_STANDFIRST
    for names in ("tb-article-intro", "intro-text", "uk-text-lead"):
        html = (f"<article class='post'><div class='container'><h1>{TITLE}</h1>"
                f"<div class='{names}'>{standfirst}</div></div><div class='tb-article-content'>"
                f"{PARAGRAPHS}</div></article>")
        found = parse(html)
        assert (found.lead, found.body.split("\n\n")) == (standfirst, ARTICLE)


def test_a_subheading_before_each_part_in_a_wrapper_of_its_own_is_read():
    """forstpraxis.de (trafilatura's eval palletsauslaub): each part of the text is a
    `div.paragraph` holding its subheading, `h2.paragraph_subline` (the words in a `<div>`),
    then `div.paragraph-text`; the parts were joined as cousins, their subheadings left out,
    and a heading's words in a `<div>` of their own were a stray label when short. The
    heading before the first part is no subheading (a kicker here)."""
    parts = [("Une campagne difficile", ARTICLE[:2]), ("Des engrais moins chers", ARTICLE[2:3]),
             ("Une récolte en hausse", ARTICLE[3:])]
    html = "<div class='article'>" + "".join(
        f"<div><div class='paragraph paragraph_wrapper left mb-8'><h2 class='paragraph_subline'>"
        f"<div>{heading}</div></h2><div class='paragraph-text'><div>"
        + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div></div></div></div>"
        for heading, paragraphs in parts) + "</div>"
    assert parse(html).body.split("\n\n") == [
        *ARTICLE[:2], "Des engrais moins chers", ARTICLE[2], "Une récolte en hausse", ARTICLE[3]]


def test_parts_of_the_article_too_deep_for_cousins_are_read_from_the_prose_run():
    """A shop's product text (trafilatura's eval de.happycoffee.org.sidamo): an opening in
    `div.description`, then each part in an image-with-text module six wrappers deep, its
    title a link (left out as one). The part scoring best won alone: the others are no
    siblings, and too far for cousins (the opening another module still). The page's run of
    prose holds all of it: read from the element holding that run (the safeguard against a
    part of the article chosen)."""
    def module(number: int, heading: str, text: str) -> str:
        return (f"<div class='block__image_with_text block_{number}'><div class='container'>"
                f"<div class='image-with-text clearfix'><section class='featured section-"
                f"{number}'><div class='featured-link--half'><img src='/{number}.jpg'></div>"
                f"<div class='featured-link--half'><div class='info'><a class='title'>{heading}"
                f"</a><div class='description'><p>{text}</p></div></div></div></section></div>"
                "</div></div>")
    html = (f"<div class='product-details'><h1>{TITLE}</h1><div class='description'>"
            f"<p>{ARTICLE[0]}</p></div><div class='product-details__blocks'>"
            f"{module(1, 'Une campagne difficile', ARTICLE[1] + ' ' + ARTICLE[2])}"
            f"{module(2, 'Une récolte en hausse', ARTICLE[3])}</div></div>")
    assert parse(html).body.split("\n\n") == [ARTICLE[0], f"{ARTICLE[1]} {ARTICLE[2]}",
                                               ARTICLE[3]]


def test_a_short_article_beside_a_long_list_of_related_stories_stays_alone():
    """The safeguard's other side: a short article (two paragraphs) in the same wrapper as a
    longer list of other stories' excerpts, unmarked (`div.more`). The excerpts are prose, but
    each follows its linked title: no run of the article's prose, which is read alone."""
    others = [
        ("Bamako : la saison des pluies commence tôt", "Les premières pluies sont tombées "
         "samedi sur la capitale, deux semaines plus tôt que l’an dernier, selon la météo."),
        ("Kayes : une nouvelle route vers le Sénégal", "Le chantier de la route nationale, "
         "long de 120 kilomètres, doit s’achever avant la fin de l’année prochaine."),
        ("Mopti : le port rouvre aux pinasses", "Après trois mois de travaux, le port accueille "
         "de nouveau les pinasses qui relient la ville aux villages du fleuve Niger."),
        ("Ségou : le festival sur le Niger revient", "Le festival reprendra en février, avec des "
         "concerts sur les berges du fleuve et un marché des artisans de toute la région."),
    ]
    more = "".join(f"<div class='item'><h3><a href='/{n}'>{title}</a></h3><p>{text}</p></div>"
                   for n, (title, text) in enumerate(others))
    html = (f"<main><article><h1>{TITLE}</h1><div class='text'><p>{ARTICLE[0]}</p>"
            f"<p>{ARTICLE[1]}</p></div></article><div class='more'>{more}</div></main>")
    assert parse(html).body.split("\n\n") == ARTICLE[:2]


def test_a_short_article_before_an_unmarked_thread_of_comments_stays_alone():
    """The safeguard's other side: a short article followed, in its wrapper, by a longer thread
    of readers' comments in a list named for nothing the marks know (`ol.reactions`), each a
    paragraph of prose under its author's line."""
    comments = [
        "Enfin une bonne nouvelle pour les producteurs, mais il faudra voir si les versements "
        "arrivent vraiment avant la fin du mois de janvier, comme promis chaque année.",
        "Les engrais sont devenus trop chers depuis deux campagnes, et la moitié du prix reste "
        "encore beaucoup pour les petites exploitations de la région de Sikasso.",
        "Il faudrait aussi parler des semences, qui manquent dans plusieurs villages de la zone, "
        "et des pistes rurales qui ne sont plus praticables pendant la saison des pluies.",
        "Merci pour cet article clair. Est-ce que le plan concerne aussi les producteurs de la "
        "région de Koutiala, ou seulement ceux du cercle de Sikasso et des environs ?",
    ]
    thread = "".join(f"<li><div class='author'><a href='/u/{n}'>Lecteur {n}</a> · 10 décembre "
                     f"2025</div><p>{text}</p></li>" for n, text in enumerate(comments))
    html = (f"<main><article><h1>{TITLE}</h1><div class='text'><p>{ARTICLE[0]}</p>"
            f"<p>{ARTICLE[1]}</p></div></article>"
            f"<ol class='reactions'>{thread}</ol></main>")
    assert parse(html).body.split("\n\n") == ARTICLE[:2]


def test_the_article_goes_on_after_a_box_of_related_links_at_its_own_level():
    """A guide of the modern corpus (tiptopjaw's benchmark, a design studio's blog): a "Read
    More" heading and its four linked titles at the article's own level, then the article's
    conclusion and FAQ under subheadings of their own. The related list ended the article; it
    runs to a subheading that opens a paragraph of prose (written page)."""
    related = ("<h4>Read More</h4>" + "".join(
        f"<div class='card'><a href='/blog/{n}'>{title}</a></div>" for n, title in enumerate(
            ("Les marchés du coton en Afrique de l’Ouest", "Le prix des engrais en 2025",
             "Les pluies de la saison passée"))))
    html = (f"<div class='ArticleContent'><h2>Le plan</h2><p>{ARTICLE[0]}</p><p>{ARTICLE[1]}"
            f"</p>{related}<h3>Conclusion</h3><p>{ARTICLE[2]}</p><h3>Et la production ?</h3>"
            f"<p>{ARTICLE[3]}</p></div>")
    assert parse(html).body.split("\n\n") == ["Le plan", *ARTICLE[:2], "Conclusion",
                                               ARTICLE[2], "Et la production ?", ARTICLE[3]]


def test_a_list_of_related_stories_with_excerpts_still_ends_the_article():
    """The rule's other side: after a "Related articles" heading, each story's unlinked title
    and its one-sentence excerpt are no part of the article that ends there (written page)."""
    cards = "".join(
        f"<div class='card'><h3>{title}</h3><p>{text}</p></div>" for title, text in (
            ("Bamako : la saison des pluies", "Les premières pluies sont tombées samedi."),
            ("Kayes : une nouvelle route", "Le chantier doit s’achever l’an prochain.")))
    html = (f"<div class='ArticleContent'>{PARAGRAPHS}<h2>Related articles</h2>{cards}</div>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_the_part_of_the_article_holding_its_table_of_contents_is_no_list_of_teasers():
    """A guide built with a page builder (Elementor, modern corpus dev page 0336): the article's
    opening and its table of contents in one widget, the rest in another, each in a wrapper of
    the same class. The opening's widget was left out as a list of teasers (more linked entries than
    paragraphs); entries that link to the page's own anchors are no teasers' titles. The table
    of contents itself stays out of the text (written page)."""
    def widget(inner: str) -> str:
        return f"<div class='e-element e-text'><div class='e-element__inner'>{inner}</div></div>"
    toc = ("<div class='toc'><div class='toc-title'>Sommaire</div><ul>" + "".join(
        f"<li><a href='#part-{n}'>{n} {title}</a></li>" for n, title in enumerate(
            ("Le plan de soutien", "Les subventions aux engrais", "Les retards de paiement",
             "La production attendue"), start=1)) + "</ul></div>")
    parts = "".join(f"<h2 id='part-{n}'>Partie {n}</h2><p>{paragraph}</p>"
                    for n, paragraph in enumerate(ARTICLE[1:], start=2))
    html = (f"<div class='e-con'>{widget(f'<p>{ARTICLE[0]}</p>{toc}')}"
            f"<div class='e-con-inner'>{widget(parts)}</div></div>")
    assert parse(html).body.split("\n\n") == [
        ARTICLE[0], "Partie 2", ARTICLE[1], "Partie 3", ARTICLE[2], "Partie 4", ARTICLE[3]]


def test_paragraphs_beside_the_wrapper_that_holds_only_the_article_are_read():
    """A post of the modern corpus (dev page 0061, a Webflow blog): its opening paragraphs are
    `<p>` children of the rich-text block (`div.rich-text-block`), and the rest, which won, sits
    in an embed's wrappers inside it (`div.w-embed > div.responsive-table`). readability joins
    a top's `<p>` siblings when the top is the only child of its parent, taken upwards; the
    opening was lost. A short `<p>` without a full stop (a paywall's label) is still no
    paragraph (written page)."""
    html = (f"<div class='rte'><p>Article réservé aux abonnés</p>"
            f"<p>{ARTICLE[0]}</p><div class='w-embed'><div class='responsive-table'>"
            f"<p>{ARTICLE[1]}</p><p>{ARTICLE[2]}</p><p>{ARTICLE[3]}</p></div></div></div>")
    assert parse(html).body.split("\n\n") == ARTICLE


def _sections_page(second: list[str]) -> str:
    """An article in two sections, each in a stack of layout wrappers, the first deeper (a
    magazine's year in review of the modern corpus, dev page 0428: `div.acf-content > ... >
    div.post__content.wysiwyg` per section, the first under three wrappers more), each
    closing with a link to the story it sums up: no run of prose across the sections."""
    def section(paragraphs: list[str]) -> str:
        return ("<section class='outer'><div class='flex-auto'><div class='post__content__"
                "section'><div class='post__content wysiwyg'>"
                + "".join(f"<p>{p}</p>" for p in paragraphs)
                + "<p><a href='/dossier'>Lire tout le dossier sur le coton malien</a></p>"
                "</div></div></div></section>")
    return (f"<div id='postBody'><div class='acf-content'><div class='post__wrapper'>"
            f"<div class='mha'><div class='post__content relative'>{section(ARTICLE[:2])}</div>"
            f"</div></div></div><div class='acf-content'>{section(second)}</div></div>")


def test_sections_in_wrappers_of_the_tops_class_further_up_are_read():
    """The second section's wrapper is of the top's tag and class, but more than five levels
    above the top's parent: no cousin, and lost. Parts of the top's kind are looked for up to
    ten levels, joined there on prose of their own (written page)."""
    assert parse(_sections_page(ARTICLE[2:])).body.split("\n\n") == ARTICLE


def test_a_copy_of_the_article_further_up_is_not_read_twice():
    """The other side: the article shown a second time (for small screens) in a wrapper of
    the top's kind further up is no part of it (written page)."""
    assert parse(_sections_page(ARTICLE[:2])).body.split("\n\n") == ARTICLE[:2]


def test_every_marked_name_starts_with_a_lowercase_letter():
    # _ANY_MARK looks ahead for one after \b: a name starting otherwise would never be found
    from crawler import body
    for pattern in (body._OVERLAY, body._UNLIKELY):
        names = pattern.pattern.removeprefix(r"\b(?:").removesuffix(")").split("|")
        assert names and all(re.match(r"[a-z]", name) for name in names), pattern.pattern


def test_an_opening_in_a_module_numbered_as_another_instance_of_the_tops_is_joined():
    """Avada's pages (the modern benchmark's ischool.syracuse.edu page, dev half): each text
    module is `div.fusion-text` with its instance's number beside it ("fusion-text
    fusion-text-1", "fusion-text fusion-text-3"), each deep in its builder row; the article's
    opening, in the first, was no cousin of the rest, in the third, for the number alone.
    (Written for this change: failed before it.) A grid column of another width is another
    box still (see the test above: "col-md-8 mx-auto mt-4 bg-light")."""
    def row(number: int, inner: str) -> str:
        return (f"<div class='fusion-fullwidth fullwidth-box fusion-builder-row-{number}'><div "
                f"class='fusion-builder-row fusion-row'><div class='fusion-layout-column "
                f"fusion_builder_column-{number}'><div class='fusion-column-wrapper'>{inner}"
                "</div></div></div></div>")
    html = ("<div class='post-content'>"
            + row(1, f"<div class='fusion-text fusion-text-1'><p>{ARTICLE[0]}</p></div>")
            + row(2, "<div class='fusion-image-element'><img src='/champ.jpg'></div>")
            + row(3, "<div class='fusion-title title'><h2>Des engrais moins chers</h2></div>"
                     "<div class='fusion-text fusion-text-3'>"
                     + "".join(f"<p>{p}</p>" for p in ARTICLE[1:]) + "</div>")
            + "</div>")
    assert parse(html).body.split("\n\n") == [ARTICLE[0], *ARTICLE[1:]]


def test_an_issue_of_a_newsletter_in_a_box_named_so_with_the_headline_is_read():
    """A newsletter's issue published as a page (the modern benchmark's hubermanlab.com page,
    dev half): headline and text sit in `section.cc-newsletter > div.newsletter-wrapper`, the
    names of a sign-up box, and the readers' quotes below, unmarked, were read instead (long
    enough for no retry). A box holding the page's headline is the article when, read without
    the marks, it scores far above what won, whatever mark it has (the overlays' rule, above,
    for any box but comments and cookie banners). (Written for this change: failed before
    it.)"""
    quotes = "".join(
        f"<div class='testimonial-card'><blockquote class='paragraph-x-large'>Une lettre que "
        f"je lis chaque mois, claire et utile pour toute la famille, merci à l’équipe {i}."
        f"</blockquote><p class='author'>Lecteur {i}</p></div>" for i in range(6))
    issue = (f"<section class='section-hero cc-newsletter'><h1>{TITLE}</h1>"
             f"<div class='newsletter-wrapper'><article class='newsletter-content'>"
             f"<div class='rich-text-newsletter-cms'>{PARAGRAPHS}</div></article></div>"
             "</section>")
    html = f"<main>{issue}<section class='testimonials'>{quotes}</section></main>"
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_part_of_the_article_holding_a_table_of_linked_names_is_no_list_of_teasers():
    """A ranking (the modern benchmark's siteline.com page, dev half): the article's opening
    and its table of companies, each name a link, in one `div.rich-text`, the rest in the next
    `div.rich-text`; the linked names counted as teasers' titles, and the opening, in the top's
    own class, was left out as a list of teasers. A link alone in a table cell is a table's
    value, no teaser's title. (Written for this change: failed before it.)"""
    rows = "".join(
        f"<tr><td><a href='/cooperatives/{i}'>Coopérative cotonnière numéro {i}</a></td>"
        f"<td>{1000 + 100 * i} t</td></tr>" for i in range(10))
    opening = (f"<div class='rich-text w-richtext'><p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p>"
               f"<div class='w-embed'><table class='ranking'><tbody>{rows}</tbody></table>"
               "</div></div>")
    rest = "".join(f"<p>{p}</p>" for p in ARTICLE[2:]) * 2
    html = (f"<div class='post_body' id='content'>{opening}<div class='rich-text w-richtext'>"
            f"{rest}</div></div>")
    body = parse(html).body.split("\n\n")
    assert body[:2] == ARTICLE[:2]
    assert body[-4:] == ARTICLE[2:] * 2


def test_an_opening_in_a_column_named_with_another_hash_of_the_builder_is_joined():
    """Spectra's columns (the modern benchmark's learningrevolution.net page, dev half): each
    `div.wp-block-uagb-column` carries a hash of its own ("uagb-block-6b392fa1",
    "uagb-block-73db9de2"), each in a section of its own; the opening, in the first, was no
    cousin of the rest for the hash alone. A class ending in a run of hexadecimal digits and
    letters is generated, as one with five digits is. (Written for this change: failed before
    it.)"""
    def columns(block: str, inner: str) -> str:
        return (f"<section class='wp-block-uagb-columns uagb-columns__wrap'><div class="
                f"'uagb-columns__inner-wrap'><div class='wp-block-uagb-column uagb-column__wrap "
                f"uagb-block-{block}'>{inner}</div></div></section>")
    tools = ("<div class='course-finder'><ul>" + "".join(
        f"<li><a href='/outil-{i}'>Outil de comparaison numéro {i}</a></li>" for i in range(6))
        + "</ul></div>")
    html = ("<div class='entry-content clear'>" + columns("6b392fa1", f"<p>{ARTICLE[0]}</p>")
            + tools + columns("73db9de2", "".join(f"<p>{p}</p>" for p in ARTICLE[1:]))
            + "</div>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_parts_in_wrappers_like_a_top_with_the_shape_of_teasers_are_joined():
    """A page of webcams (the modern benchmark's nps.gov page, dev half): each view is a
    `div.Component.ArticleTextGroup` of its own, its description, a credit with a link, a
    linked call to donate and a "View Webcam" link; the best one won, its like wrappers were
    left out as lists of teasers (two link blocks to two of prose) though the top has that
    shape itself. A part like the top is no more a list of teasers than the top. (Written for
    this change: failed before it.)"""
    def view(number: int, text: str) -> str:
        return (f"<div class='cs_control CS_Element_Custom'><div class='Component "
                f"ArticleTextGroup TextWrapped clearfix'><p>{text}</p><p>Image fournie par <a "
                f"href='/partenaire'>l’association des amis</a>, mise à jour chaque heure.</p>"
                f"<p><a href='/don'>Soutenez l’avenir du parc par un don</a></p><a href="
                f"'/webcam/{number}'>Voir la webcam</a></div></div>")
    texts = [ARTICLE[0], "La vue sur les champs de Koutiala depuis le toit de la coopérative au "
             "lever du jour.", "Le marché de Sikasso vu depuis la route de Bamako en fin de "
             "journée."]
    html = ("<table class='CS_Layout_Table'><tbody><tr><td class='CS_Layout_TD'>"
            + "".join(view(i, text) for i, text in enumerate(texts))
            + "</td></tr></tbody></table>")
    body = parse(html).body
    assert all(text in body for text in texts)


def test_a_linked_name_in_a_table_cell_of_the_article_is_read():
    """A ranking or a comparison table in the text (the modern benchmark's siteline.com and
    carrental pages, readability's hukumusume, trafilatura's eval docs.docker.com.install):
    the names in its first column are links to the companies or pages they name, and each
    cell, a block mostly of links, was dropped as a link list: the table kept its figures and
    lost what they are figures of. A table cell's link is its value. (Written for this change:
    failed before it.)"""
    names = ["Coopérative de Fana", "Union des producteurs de Koutiala", "CMDT Sikasso"]
    rows = "".join(f"<tr><td><a href='/cooperatives/{i}'>{name}</a></td><td>{1000 + i} t</td>"
                   f"</tr>" for i, name in enumerate(names))
    html = (f"<article><h1>{TITLE}</h1><div class='entry-content'>{PARAGRAPHS}<table><thead>"
            f"<tr><th>Producteur</th><th>Récolte</th></tr></thead><tbody>{rows}</tbody>"
            "</table></div></article>")
    body = parse(html).body.split("\n\n")
    assert body[:4] == ARTICLE
    assert all(name in body for name in names)


def test_the_answers_of_a_collapsed_accordion_in_the_article_are_read():
    """A guide's questions and answers (the modern benchmark's pages of one family of
    education and tax guides, dev half): each answer is a `div.ss-accordion-content` that the
    page shows on a click, hidden until then by a Tailwind "hidden" class; the answers were
    left out as elements shown to nobody. A collapsed accordion's panel is shown on a click,
    as a hidden pop-up is not. (Written for this change: failed before it.)"""
    answers = [
        ("Qui reçoit la subvention ?", "Tous les producteurs inscrits auprès d’une coopérative "
         "de la zone cotonnière, quelle que soit la surface qu’ils cultivent cette année."),
        ("Quand sera-t-elle versée ?", "Les premiers versements sont prévus avant la fin du "
         "mois de janvier, les suivants au début de la campagne, selon le ministère."),
    ]
    faq = "".join(
        f"<div class='ss-accordion-item'><button class='ss-accordion-trigger'>{question}"
        f"</button><div class='ss-accordion-contentContainer'><div id='content-{i}' "
        f"class='ss-accordion-content pl-2 border-b {'block' if i == 0 else 'hidden'}'><p>"
        f"{answer}</p></div></div></div>" for i, (question, answer) in enumerate(answers))
    html = (f"<article><h1>{TITLE}</h1><div class='entry-content'>{PARAGRAPHS}"
            f"<h2>Questions fréquentes</h2>{faq}</div></article>")
    body = parse(html).body.split("\n\n")
    assert body[:4] == ARTICLE
    assert all(answer in body for _, answer in answers)


def test_a_line_giving_a_web_address_as_its_link_text_is_read():
    """A guide to tools (the modern benchmark's env0.com page, dev half; scrapinghub's
    klook/jeongdong theatre page): after each tool, "Website: https://code.visualstudio.com/"
    and "Official documentation: https://...", the link's text its own address; each line,
    mostly link, was dropped as a link list. A link showing its whole address is given to the
    reader, as no menu or teaser shows one; a profile on a social network is a contact line
    still. (Written for this change: failed before it.)"""
    tools = [("Portail de la CMDT", "https://www.cmdt.ml/"),
             ("Bulletin des prix agricoles", "https://prix.agriculture.gouv.ml/bulletin")]
    html = (f"<article><h1>{TITLE}</h1><div class='entry-content'>{PARAGRAPHS}"
            + "".join(f"<h3>{name}</h3><p>Site web : <a href='{url}'>{url}</a></p>"
                      for name, url in tools)
            + "<p>Twitter : <a href='https://twitter.com/journal_ml'>https://twitter.com/"
              "journal_ml</a></p></div></article>")
    body = parse(html).body.split("\n\n")
    assert body[:4] == ARTICLE
    assert [f"Site web : {url}" for _, url in tools] == [p for p in body if "Site web" in p]
    assert not any("twitter" in p for p in body)


def test_a_code_listing_does_not_outscore_the_article_around_it():
    """A tutorial's script in a `<pre>` (the modern benchmark's xda-developers page, held-dev):
    each of its lines, "subprocess.run(cmd, shell=shell, capture_output=True, text=True)",
    scored as a paragraph with a point per comma, and the box holding the listing won over the
    article around it: the body was the script alone. A listing scores as one paragraph, and
    its commas are no clauses. (Written for this change: failed before it.)"""
    lines = [f"result_{i} = run(command, shell=False, capture_output=True, text=True, "
             f"timeout={i}, check=False, cwd=folder, env=environment)" for i in range(40)]
    listing = ("<section class='custom-block'><div class='custom-block__title'>morning.py</div>"
               "<div class='custom-block__content'><pre>"
               + "<br>".join(lines) + "</pre></div></section>")
    html = (f"<article><h1>{TITLE}</h1><section class='article-body'><div class='content'>"
            f"{PARAGRAPHS}{listing}<p>{ARTICLE[0]}</p></div></section></article>")
    body = parse(html).body.split("\n\n")
    assert body[:4] == ARTICLE


def test_a_text_block_with_a_bem_modifier_is_the_same_kind_of_block():
    """The opening in a text block with a modifier class (scrapinghub's wday.ru page,
    held-dev): `div.block-text.block-text_initial-letter` for the first two paragraphs, an
    image block, then `div.block-text` with the rest, which won; the opening, no wrapper of
    the top's class, was left out. A BEM modifier ("_initial-letter", "--wide") after a class
    the element has is no other kind of wrapper. (Written for this change: failed before it.)"""
    more = [f"{sentence} Les agronomes de la région de Sikasso suivront la campagne de près, "
            f"avec des visites dans chaque coopérative, comme l’an dernier." for sentence in (
                "Les coopératives ont reçu les premières listes de bénéficiaires.",
                "Les semences seront distribuées au début du mois de mai.",
                "Les prix d’achat du coton graine seront annoncés en avril.",
                "Les producteurs de maïs demandent une aide comparable.",
                "Le budget de l’État prévoit une enveloppe de dix milliards.",
                "Les banques agricoles accorderont des prêts à taux réduit.")]
    html = (f"<article><h1>{TITLE}</h1><div class='article__content'>"
            "<div class='article__block article__block_text'>"
            "<div class='block-text block-text_initial-letter'>"
            f"<p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p></div></div>"
            "<div class='article__block article__block_image'><figure><img src='/c.jpg'>"
            "<figcaption>Un champ de coton près de Sikasso.</figcaption></figure></div>"
            "<div class='article__block article__block_text'><div class='block-text'>"
            + "".join(f"<p>{p}</p>" for p in more) + "</div></div></div></article>")
    body = parse(html).body.split("\n\n")
    assert body == ARTICLE[:2] + more


def test_an_article_in_a_layout_wrapper_named_sidebar_is_found_over_teasers():
    """LogRocket's blog (the modern benchmark, held-dev): the post sits in
    `div.sidebar-container` (the layout of a post with its sidebar), marked as a sidebar; what
    the marks left, four teaser cards below, won with a twentieth of the post's score, long
    enough (600 characters) for no retry. When the marked prose holds far more text than was
    read and its choice scores far more, the page is chosen again without the marks, the
    marks inside the choice still holding (the newsletter box in the post). (Written for this
    change: failed before it.)"""
    more = [f"{p} Les techniciens de la CMDT visiteront chaque coopérative avant les semis, "
            f"comme l’an dernier, pour vérifier les stocks d’engrais{end}." for p in ARTICLE
            for end in ("", " et de semences", " et l’état des pistes")]
    cards = "".join(
        f"<div class='post-card'><a href='/blog/{i}'><h3>Autre article {i}</h3></a>"
        f"<div class='post-card-subtitle'>Un résumé de l’autre article numéro {i}, en une "
        "phrase assez longue pour être lue comme de la prose par le lecteur.</div></div>"
        for i in range(5))
    html = (f"<h1>{TITLE}</h1><div class='sidebar-container'><div class='lr-content'>"
            f"{PARAGRAPHS}<div class='newsletter-signup'><p>Recevez chaque semaine nos "
            "meilleurs articles sur l’agriculture, directement dans votre boîte.</p></div>"
            + "".join(f"<p>{p}</p>" for p in more) + "</div></div>"
            f"<div class='post-list'>{cards}</div>")
    body = parse(html).body.split("\n\n")
    assert body == ARTICLE + more


def test_a_long_comment_thread_under_a_short_post_is_not_chosen_again_without_the_marks():
    """The other side of the rule above: readers' comments far longer than the post, under a
    mark, score far more than it; a comment thread is never chosen again so (a guard: passes
    before the rule, fails without its test of the mark's name)."""
    comments = "".join(
        f"<p>{p} Je ne suis pas d’accord avec cette analyse, qui oublie les producteurs du "
        f"nord, numéro {i}.</p>" for i in range(12) for p in ARTICLE)
    html = (f"<article><h1>{TITLE}</h1><div class='entry-content'>{PARAGRAPHS}</div>"
            f"</article><div class='comments-area'><div class='thread'>{comments}</div></div>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_short_posts_comments_are_not_its_article():
    """GiveWell's open thread (scrapinghub, held-dev): a post of two paragraphs, 460
    characters, and a thread of long readers' comments under it; the post was short enough for
    readability's retry without the marks, and the retry's choice, the comments, was taken.
    A post of some length is the article, however short: the comments under it are not.
    (Written for this change: failed before it.)"""
    comments = "".join(
        f"<li class='comment'><div class='comment-body' id='div-comment-{i}'>" + "".join(
            f"<p>{p} Merci pour cet article, mais je ne suis pas d’accord avec tout, qu’en "
            f"pensent les autres lecteurs, numéro {i}.</p>" for p in ARTICLE * 2)
        + "</div></li>" for i in range(3))
    html = (f"<article><h1>{TITLE}</h1><div class='entry-content'><p>{ARTICLE[0]}</p>"
            f"<p>{ARTICLE[1]}</p></div></article><div class='comments-area' id='comments'>"
            f"<ol class='comment-list'>{comments}</ol></div>")
    assert parse(html).body.split("\n\n") == ARTICLE[:2]


def test_the_short_sections_of_an_article_in_sections_are_joined():
    """Business.com's guide (the modern benchmark, held-dev): each part of the article in a
    `<section>` opening with its subheading, the longest one the top; the short parts earned
    less than a fifth of it and were left out, the article cut after its second part. A
    `<section>` opening with a heading beside a top of that shape is a part of the text.
    (Written for this change: failed before it.)"""
    long_part = "".join(
        f"<p>{p} Les agronomes suivront la campagne dans chaque coopérative, avec des visites, "
        f"des réunions et des rapports mensuels, numéro {i}.</p>"
        for i in range(4) for p in ARTICLE)
    html = (f"<article><h1>{TITLE}</h1><div class='content'>"
            f"<section id='le-plan'><h2>Le plan</h2>{long_part}</section>"
            f"<section id='les-critiques'><h2>Les critiques</h2><p>{ARTICLE[2]}</p></section>"
            f"<section id='la-suite'><h2>La suite</h2><p>{ARTICLE[3]}</p></section>"
            "</div></article>")
    body = parse(html).body.split("\n\n")
    assert body[-4:] == ["Les critiques", ARTICLE[2], "La suite", ARTICLE[3]]


def test_a_read_also_label_and_one_link_inside_the_text_end_with_the_link():
    """remember8090.it (scrapinghub, held-dev): "Leggi anche" in a `<p>` of its own, then one
    linked title, then the text goes on in the same element; the label ended the article, as
    it does before a list of other articles. A label and a single link among the text's own
    paragraphs, followed by prose, end with that link. (Written for this change: failed
    before it.)"""
    html = (f"<article><h1>{TITLE}</h1><div class='entry-content'><p>{ARTICLE[0]}</p>"
            f"<p>{ARTICLE[1]}</p><p>Lire aussi</p><h3><a href='/2025/11/02/engrais/'>Le prix "
            "des engrais a doublé en un an dans la région de Sikasso</a></h3>"
            f"<p>{ARTICLE[2]}</p><p>{ARTICLE[3]}</p></div></article>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_signup_box_inside_the_article_is_left_out_whatever_its_class():
    """Mashable's deals (the modern benchmark, held-dev): two signup boxes in the text, each a
    `<section>` of utility classes ("relative p-8 my-12 mx-auto") around a form asking for an
    email address or a telephone number, with a few lines about it; nothing in their names
    says newsletter, and their lines were read as paragraphs. A box of a few lines around a
    form with an email or telephone field is a signup box. (Written for this change: failed
    before it.)"""
    signup = ("<section class='relative p-8 my-12 mx-auto w-full max-w-3xl border'>"
              "<div class='absolute px-2 font-bold'>Journal Bons Plans</div>"
              "<div class='flex flex-col mx-auto'><div class='font-bold header-300'>Soyez les "
              "premiers informés !</div><div class='header-600'>Recevez nos meilleures offres "
              "par SMS, directement sur votre téléphone.</div><form class='flex flex-col mt-4'>"
              "<input type='tel' placeholder='Numéro de téléphone'><button type='submit'>"
              "Je m’inscris</button></form><p class='text-xs'>En vous inscrivant, vous "
              "acceptez de recevoir des messages automatiques. Répondez STOP pour vous "
              "désinscrire.</p></div></section>")
    html = (f"<article><h1>{TITLE}</h1><section class='mt-8 font-serif editor-content'>"
            f"<p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p>{signup}<p>{ARTICLE[2]}</p>"
            f"<p>{ARTICLE[3]}</p></section></article>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_a_typographic_utility_class_is_no_extra_box():
    """Tailwind's typography (the modern benchmark's agency guide, held-dev): each subheading
    an `<h3 class="font-bold leading-extra-tight">`, and readability's "extra" (a box of
    extras) marked it: the article lost all its subheadings. "extra-tight", "extra-bold",
    "extra-large" say how text is set, not what a box holds. (Written for this change: failed
    before it.)"""
    html = (f"<article><h1>{TITLE}</h1><div class='space-y-10'><p>{ARTICLE[0]}</p>"
            "<h3 class='font-sans font-bold tracking-tight leading-extra-tight mb-2'>Les "
            f"subventions</h3><p>{ARTICLE[1]}</p><h3 class='text-extra-large font-extrabold'>"
            f"La production</h3><p>{ARTICLE[3]}</p></div></article>")
    assert parse(html).body.split("\n\n") == [ARTICLE[0], "Les subventions", ARTICLE[1],
                                              "La production", ARTICLE[3]]


def test_a_date_line_after_the_agencys_name_is_no_paragraph():
    """CTV News (scrapinghub, held-dev): "The Associated Press Published Monday, November 18,
    2019 8:22AM EST" over the text, the agency's name before the date line, read as a
    paragraph. A few capitalised words (a byline) may open a "Published ..." line.
    (Written for this change: failed before it.)"""
    html = (f"<article><h1>{TITLE}</h1><div class='article-body'><div class='date'>Agence "
            "France-Presse Published Monday, November 18, 2025 8:22AM GMT</div>"
            f"{PARAGRAPHS}</div></article>")
    assert parse(html).body.split("\n\n") == ARTICLE


def test_an_affiliate_disclosure_is_no_paragraph():
    """Wired, The Telegraph (Fundus), ZDNet (scrapinghub), a dozen blogs and magazines (the
    modern benchmark): "If you buy something using links in our stories, we may earn a
    commission", "This article contains affiliate links", "As an Amazon Associate we earn
    from qualifying purchases", above the text or between its paragraphs, read as paragraphs
    of the article. A line disclosing that the page's links may earn the site a commission is
    no paragraph of it; a sentence of the article about commissions or affiliates is one.
    (Written for this change: failed before it.)"""
    about_commissions = ("Les coopératives affiliées à l’union perçoivent une commission sur "
                         "chaque tonne de coton vendue à la CMDT, versée en fin de campagne.")
    html = (f"<article><h1>{TITLE}</h1><div class='article-body'><p><em>Cet article contient "
            "des liens affiliés : si vous achetez un produit par ces liens, nous pouvons "
            f"percevoir une commission.</em></p><p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p>"
            "<p>If you buy something using links in our stories, we may earn a commission. "
            f"This helps support our journalism.</p><p>{about_commissions}</p>"
            f"<p>{ARTICLE[2]}</p><div class='note'>As an Amazon Associate we earn from "
            f"qualifying purchases.</div><p>{ARTICLE[3]}</p></div></article>")
    assert parse(html).body.split("\n\n") == [*ARTICLE[:2], about_commissions, *ARTICLE[2:]]


def test_a_standfirst_between_the_headline_and_the_article_is_the_lead_whatever_its_class():
    """Trafilatura's evaluation pages (L'Opinion's `div.article_faits`, Holzwerken's `div.intro`,
    Autosprint's `div.Post__lead`, Emotion's `div.field--summary`...), Fundus's El Mundo and
    20 Minuten: the standfirst in an element of its own between the headline and the article's
    wrapper, under a class no chapeau selector knows, was neither lead nor body. The first
    paragraph of prose in the headline's header that sums up the article is its lead; an
    author's biography there, which shares few of the article's words, is not. (Written for
    this change: failed before it.)"""
    standfirst = ("Les producteurs de coton de Sikasso recevront la moitié du prix des engrais, "
                  "a annoncé mardi le gouvernement, qui promet les premiers versements en "
                  "janvier.")
    html = (f"<article><header class='kopf'><h1>{TITLE}</h1><div class='kopf-text'>"
            f"{standfirst}</div><div class='autor'>Par Awa Traoré</div></header>"
            f"<div class='inhalt'><div class='inhalt-text'>{PARAGRAPHS}</div></div></article>")
    found = parse(html)
    assert found.lead == standfirst
    assert found.body.split("\n\n") == ARTICLE
    biography = ("Awa Traoré est journaliste au Journal depuis 2015. Elle a couvert la musique, "
                 "le football et la politique à Bamako avant de rejoindre la rédaction web.")
    html = html.replace(standfirst, biography)
    found = parse(html)
    assert found.lead != biography
    assert found.body.split("\n\n") == ARTICLE
