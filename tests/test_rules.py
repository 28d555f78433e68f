"""Rules that a hand-made mutation once broke without failing any test (issue 16, item 6).

Each test names the rule it guards and uses text a Malian paper could print, chosen to sit
right on the rule's edge: loosen the rule and the test fails.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.dedup import (
    CopyIndex,
    CopyMember,
    Fingerprint,
    TeaserIndex,
    choose_original,
    copy_similarity,
    is_copy,
    is_truncation_of,
    split_trailing_teasers,
)
from crawler.publishers import credited_source
from crawler.text import fix_text, fold_whitespace, looks_like_byline

# ---- teaser matching: the teaser's words end where the article's words end ----------------
# Two Conseil des ministres communiqués open alike for far more than a teaser shows; the
# figures are where they part. L'Essor cut the first one's chapeau inside "3 200".
COUNCIL = (
    "Le Conseil des ministres s’est réuni en session ordinaire, le mercredi 10 décembre 2025, "
    "dans sa salle de délibérations au Palais de Koulouba, sous la présidence du Général "
    "d’Armée Assimi GOITA, Président de la Transition, Chef de l’État. Le projet de loi de "
    "finances pour l’exercice 2026 adopté s’élève à "
)
BUDGET_2026 = COUNCIL + "3 200 milliards de francs CFA en recettes et en dépenses."
BUDGET_REVISED = COUNCIL + "3,2 milliards de francs CFA de crédits supplémentaires."
TEASER_CUT_IN_FIGURE = COUNCIL + "3 2…"  # the cut fell between "3" and "200"


def test_teaser_word_before_the_cut_must_end_where_the_article_word_ends():
    # "3" is followed by a space in the 2026 budget and by ",2" in the revised one: read
    # without the word boundary, "2…" would also begin "3,2" and the teaser would fit both.
    assert is_truncation_of(TEASER_CUT_IN_FIGURE, BUDGET_2026)
    assert not is_truncation_of(TEASER_CUT_IN_FIGURE, BUDGET_REVISED)


def test_teaser_cut_in_a_figure_matches_the_one_communique_it_was_cut_from():
    index = TeaserIndex()
    index.add(1, BUDGET_2026, "Le Conseil a ensuite procédé à des nominations.")
    index.add(2, BUDGET_REVISED, "Le Conseil a ensuite entendu des communications.")
    assert index.matches(TEASER_CUT_IN_FIGURE) == {1}
    assert index.match(TEASER_CUT_IN_FIGURE) == 1


# ---- copies: half of all shingles, or 80% of the smaller text -------------------------------
# Two papers quote the same army communiqué, each with as much reporting of its own: they share
# the communiqué, they are not copies of each other (Jaccard 0.45, containment 0.64).
ARMY_COMMUNIQUE = [
    "Le Gouvernement de la République du Mali informe l’opinion nationale et internationale que "
    "les Forces armées maliennes ont mené, dans la nuit du 3 au 4 décembre 2025, une opération "
    "de sécurisation dans le cercle de Niono, région de Ségou.",
    "Au cours de cette opération, plusieurs terroristes ont été neutralisés et d’importantes "
    "quantités d’armes, de munitions et de moyens roulants ont été récupérées. Aucune perte "
    "n’est à déplorer du côté des forces de défense et de sécurité.",
    "Le Gouvernement salue le professionnalisme et l’engagement des hommes sur le terrain et "
    "invite les populations à continuer de collaborer avec les forces en signalant tout "
    "mouvement suspect aux autorités compétentes.",
]
REPORT_FROM_DIABALY = (
    "Opération antiterroriste dans le cercle de Niono",
    "\n\n".join([
        *ARMY_COMMUNIQUE,
        "Joint au téléphone, un notable de la localité de Diabaly raconte que les habitants ont "
        "entendu des tirs nourris pendant plusieurs heures avant l’arrivée des renforts venus de "
        "Niono.",
        "Selon lui, les foires hebdomadaires de la zone tournaient au ralenti depuis plusieurs "
        "semaines, les commerçants craignant les enlèvements sur les axes routiers menant vers la "
        "frontière mauritanienne.",
    ]),
)
REPORT_FROM_SEGOU = (
    "Niono : l’armée annonce une opération réussie",
    "\n\n".join([
        *ARMY_COMMUNIQUE,
        "Dans les rues de Ségou, la nouvelle a été accueillie avec soulagement par les "
        "transporteurs, qui réclament depuis des mois une présence militaire renforcée sur la "
        "route nationale numéro six.",
        "Un responsable de la chambre régionale d’agriculture souligne pour sa part que la "
        "campagne de récolte du riz pourrait enfin se dérouler dans de meilleures conditions dans "
        "les périmètres irrigués de la zone.",
    ]),
)


def test_two_reports_quoting_one_communique_are_not_copies():
    diabaly, segou = Fingerprint.of(*REPORT_FROM_DIABALY), Fingerprint.of(*REPORT_FROM_SEGOU)
    jaccard, containment = copy_similarity(diabaly, segou)
    assert 0.3 < jaccard < 0.5 and 0.6 < containment < 0.8  # the texts this test is about
    assert not is_copy(diabaly, segou)
    index = CopyIndex()
    index.add(1, *REPORT_FROM_DIABALY)
    assert index.copies_of(segou) == []


def test_the_communique_alone_is_a_copy_of_a_report_quoting_it_whole():
    diabaly = Fingerprint.of(*REPORT_FROM_DIABALY)
    communique = Fingerprint.of(None, "\n\n".join(ARMY_COMMUNIQUE))
    assert copy_similarity(communique, diabaly)[1] > 0.8
    assert is_copy(communique, diabaly)


# ---- credits: a "Source : X" that names two sources names none --------------------------------
# The archive of essor.ml crawled as a source of its own: "L'Essor" names both.
TWO_ESSORS = {"lessor": "L'Essor", "essorarchives": "Essor", "amap": "AMAP"}


@pytest.mark.parametrize("credit", ["Source : L'Essor", "L’ESSOR", "Essor"])
def test_a_credit_naming_two_sources_names_none(credit):
    assert credited_source(credit, TWO_ESSORS) is None


def test_copies_under_an_ambiguous_credit_fall_back_to_the_earliest():
    day = [datetime(2025, 12, d, tzinfo=UTC) for d in (1, 2, 3)]
    credit = credited_source("Source : L'Essor", TWO_ESSORS)
    members = [CopyMember(1, "maliweb", day[0], credit), CopyMember(2, "lessor", day[1]),
               CopyMember(3, "essorarchives", day[2])]
    assert choose_original(members) == 1
    assert credited_source("Source : AMAP", TWO_ESSORS) == "amap"  # one source: named


# ---- the related teasers after a byline: cut when most of the run looks cut -----------------
BODY = [
    "Les Aigles du Mali ont battu les Étalons du Burkina Faso (2-1), samedi soir au stade du "
    "26 Mars, en match comptant pour la cinquième journée des éliminatoires.",
    "Menés au score dès la 12e minute, les hommes de Tom Saintfiet ont renversé la situation "
    "en seconde période grâce à Lassine Sinayoko et Kamory Doumbia.",
]
BYLINE = "Boubacar THIÉRO"
AFTER_WORD = "NB : Le match retour est prévu le 14 décembre à Ouagadougou, au stade du 4-Août."
RELATED = [
    "Coupe CAF : le Stade malien en quête d’un exploit à Tunis face au Club africain, "
    "dimanche…",
    "Basket-ball : les Aigles dames sacrées championnes d’Afrique pour la troisième fois de "
    "leur histoire après une finale..",
]


def test_a_byline_followed_by_one_teaser_and_one_paragraph_keeps_both():
    # a tie (one cut paragraph of two) is no majority: nothing after the byline is cut
    paragraphs = [*BODY, BYLINE, AFTER_WORD, RELATED[0]]
    assert split_trailing_teasers(paragraphs) == (paragraphs, [], [])


def test_a_byline_followed_by_two_teasers_and_two_paragraphs_keeps_them():
    paragraphs = [*BODY, BYLINE, AFTER_WORD, RELATED[0],
                  "Les supporters sont invités à se procurer leurs billets à l’avance.", RELATED[1]]
    body, bylines, teasers = split_trailing_teasers(paragraphs)
    assert (body, bylines, teasers) == (paragraphs, [], [])


def test_a_byline_followed_by_mostly_teasers_cuts_them():
    paragraphs = [*BODY, BYLINE, AFTER_WORD, *RELATED]
    assert split_trailing_teasers(paragraphs) == (BODY, [BYLINE], [AFTER_WORD, *RELATED])


# ---- bylines: at most six words --------------------------------------------------------------
@pytest.mark.parametrize(
    "line",
    [
        "Union Nationale des Travailleurs du Mali UNTM",  # 7 words
        "Ministère de la Santé et du Développement Social",  # 8
        "Agence Nationale de la Sécurité Routière du Mali ANASER",  # 9
        "Par Moussa KONÉ Aminata TRAORÉ Issa DIARRA Fatoumata COULIBALY",  # 8 after "Par"
    ],
)
def test_a_name_like_line_longer_than_six_words_is_no_byline(line):
    assert not looks_like_byline(line)


def test_a_communique_signed_by_a_ministry_has_no_byline_to_cut_after():
    # the ministry's name is no byline: the teaser-looking line after it is no run to cut
    paragraphs = [*BODY, "Ministère de la Santé et du Développement Social", RELATED[0]]
    assert split_trailing_teasers(paragraphs) == (paragraphs, [], [])


@pytest.mark.parametrize(
    "line", ["Moussa KONÉ", "Par Aminata Traoré", "Mahamadou Ag Ahmed ALMOUSTAPHA",
             "Par Moussa KONÉ Aminata TRAORÉ Issa DIARRA",  # 7 words, 6 after "Par"
             "Par Moussa\u200b KONÉ\u200b Aminata TRAORÉ Issa DIARRA"])  # the U+200B are no words
def test_a_name_line_of_six_words_or_fewer_is_a_byline(line):
    assert looks_like_byline(line)


# ---- whitespace: zero-width spaces are dropped ------------------------------------------------
# Word processors and some CMSs put U+200B inside names and after punctuation; str.split() does
# not see it as a space.
@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Assimi\u200b GOITA", "Assimi GOITA"),
        ("\u200bKoulouba\u200b", "Koulouba"),
        ("Le\u200b\u200b président de la Transition", "Le président de la Transition"),
        ("\u200b", ""),
    ],
)
def test_fold_whitespace_drops_zero_width_spaces(text, folded):
    assert fold_whitespace(text) == folded


def test_fix_text_of_a_paragraph_with_zero_width_spaces_is_the_clean_paragraph():
    clean = "Le Premier ministre a reçu les syndicats de l’éducation à la Primature."
    dirty = clean.replace(" les ", " les\u200b ").replace("Premier", "Pre\u200bmier")
    assert fix_text(dirty) == clean
