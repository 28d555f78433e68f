"""Teaser matching: the L'Essor byte rule, other sites' markers, ambiguity, the naive scrape."""

from __future__ import annotations

import copy
import dataclasses
import unicodedata

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from crawler.dedup import TeaserIndex, is_truncation_of, split_trailing_teasers

# lessor-naive-scrape.txt (samples/): six article paragraphs, the byline, six related teasers.
NAIVE_SCRAPE = [
    (
        "Selon une note d'information du département en charge des Affaires étrangères, au "
        "cours de cette séance de travail élargie aux délégations des deux pays, la partie "
        "malienne a exprimé la gratitude des autorités et du peuple du Mali aux autorités et au"
        " peuple de la Russie, pour le soutien multiforme apporté aux efforts du gouvernement "
        "de Transition en vue de la souveraineté et de la restauration de l’autorité de l’Etat "
        "sur l’ensemble du territoire du national."
    ),
    (
        "Les ministres Diop et Camara ont notamment rappelé les succès enregistrés dans le "
        "cadre de la mission régalienne des Forces de défense et de sécurité maliennes de "
        "sécurisation des personnes et des biens. Les responsables maliens se sont félicités du"
        " renforcement de l’outil de défense, fruit du partenariat stratégique entre la "
        "République du Mali et la Fédération de Russie, rapporte le document."
    ),
    (
        "En outre, les délégations malienne et russe ont salué la convergence de vue entre les "
        "autorités des deux pays, notamment sur les questions politiques majeures et ont "
        "dénoncé l’instrumentalisation de la question des droits de l’Homme à des fins "
        "politiques. De même que l’ingérence dans les affaires intérieures des États et le "
        "recours contreproductif aux mesures coercitives telles que les sanctions comme mode de"
        " règlement de crises."
    ),
    (
        "Les deux parties se sont par ailleurs félicitées de l’excellence de leur partenariat "
        "stratégique, basé sur une solidarité sincère, le respect mutuel et des échanges "
        "réguliers à différents niveaux de responsabilité, couvrant tous les domaines "
        "prioritaires."
    ),
    (
        "Dans cette dynamique, ajoute le note ministérielle, elles ont passé en revue les "
        "grands axes de la coopération bilatérale avec un accent particulier sur les questions "
        "de défense et de sécurité, l’intensification de la coopération économique et "
        "commerciale. S'y ajoutent la concrétisation diligente des projets de développement, "
        "les questions humanitaires ainsi que le renforcement de la coopération dans le domaine"
        " de l’Éducation."
    ),
    (
        "Les deux délégations ont également réaffirmé la volonté affichée de leur pays "
        "respectif à œuvrer davantage pour le raffermissement de leurs relations d’amitié et de"
        " coopération gagnant-gagnant. Ce, conformément aux ambitions des présidents Malien et "
        "Russe et aux aspirations des deux peuples."
    ),
    ("Aboubacar TRAORE"),
    (
        "La 29è édition de l´Espace d'interpellation démocratique ( EID) s'est tenue, ce "
        "mercredi 10 decembre au Centre international de conférences de Bamako. L'ouverture des"
        " travaux était présidée par le ministre de la Justice et des Droits de l´Homme, Garde "
        "des Sceaux Mamoudou Kassogué, en prés."
    ),
    (
        "Dans le cadre des opérations de surveillance du territoire menées le 9 décembre 2025, "
        "des vecteurs aériens des Forces armées maliennes (FAMa) ont, dans la matinée, "
        "neutralisé un pick-up camouflé sous un couvert végétal et contenant des fûts d’essence"
        " dans la localité de Sebabougou, Cer."
    ),
    (
        "Le ministère des Affaires étrangères et de la Coopération internationale, en "
        "partenariat avec l’Organisation des Nations unies pour l’éducation, la science et la "
        "culture (Unesco), a organisé, hier à l’École de maintien de la paix Alioune Blondin "
        "Bèye (EMP-ABB), un atelier de consultat."
    ),
    (
        "Le Projet de promotion de l’accès au financement, de l’entrepreneuriat et de l’emploi "
        "au Mali (Pafeem) a organisé hier, dans un hôtel de la capitale, une session de "
        "formation des agents de la direction de la microfinance sur l’outil Cameli.."
    ),
    (
        "Cette réunion technique vise à préparer les documents à soumettre aux ministres, qui "
        "devront consacrer l’acte constitutif de la banque avant sa transmission aux Chefs "
        "d’État pour validation finale."
    ),
    (
        "Le blanchiment des capitaux et le financement du terrorisme sont des menaces graves "
        "pour la stabilité financière mondiale et la sécurité internationale. Dans ce "
        "décryptage, le magistrat Yaya Traoré, membre de la Cellule nationale de traitement des"
        " informations financières (Centif), parle des ."
    ),
]
ARTICLE, BYLINE, TEASERS = NAIVE_SCRAPE[:6], NAIVE_SCRAPE[6], NAIVE_SCRAPE[7:]


def lessor_teaser(lead: str, display: str = "ignore") -> str:
    """What L'Essor's related-articles list shows: the first 300 UTF-8 bytes, then "."."""
    head = lead.encode("utf-8")[:300]
    text = head.decode("utf-8", errors="replace" if display == "replace" else "ignore")
    if display == "latin-1":  # the lone lead byte of a cut letter, read as Latin-1 ("Ã")
        text += head[len(text.encode("utf-8")) :].decode("latin-1")
    return text + "."


# The sample's first teaser is the first 300 bytes of this chapeau ("… en prés" + ".").
KASSOGUE_LEAD = TEASERS[0][:-1] + "ence de plusieurs membres du gouvernement."
# Byte 300 is the first of the two bytes of the "é" in "accompagné".
ACCOMPAGNE_LEAD = (
    "Dans le cadre de l’opérationnalisation de la Confédération des États du Sahel, le "
    "ministre de l’Économie et des Finances a effectué, hier, une visite de travail à la "
    "Banque confédérale pour l’investissement et le développement, à Bamako, en commune III "
    "du district. Il est accompagné de ses homologues du Burkina Faso et du Niger."
)
MINISTER_A = (
    "Le ministre de la Justice a présidé hier la cérémonie de rentrée judiciaire de la Cour "
    "suprême, en présence des magistrats et des auxiliaires de justice."
)
MINISTER_B = (
    "Le ministre de la Justice a présidé hier la réunion du comité de pilotage de la réforme "
    "pénitentiaire, en présence des directeurs régionaux."
)


def index_of(*leads: str) -> TeaserIndex:
    index = TeaserIndex()
    for article_id, lead in enumerate(leads, start=1):
        index.add(article_id, lead, f"Corps de l'article {article_id}.")
    return index


def test_naive_scrape_splits_into_article_byline_and_six_teasers():
    body, bylines, teasers = split_trailing_teasers(NAIVE_SCRAPE)
    assert body == ARTICLE
    assert bylines == ["Aboubacar TRAORE"]
    assert teasers == TEASERS


def test_split_drops_the_redaction_line_between_byline_and_teasers():
    body, bylines, teasers = split_trailing_teasers(
        [*ARTICLE, BYLINE, "Rédaction Lessor", *TEASERS]
    )
    assert (body, bylines, teasers) == (ARTICLE, [BYLINE], TEASERS)


@pytest.mark.parametrize(
    "paragraphs",
    [
        ARTICLE,
        [*ARTICLE, BYLINE],
        # one paragraph ending with an ellipsis is a writer's style, not a teaser run
        [
            *ARTICLE,
            "Et le ministre de conclure : « nous verrons bien… »",
            "La suite au prochain numéro…",
        ],
        # after the byline, an editor's note that looks like a sentence stays
        [*ARTICLE, BYLINE, "Cet article a été mis à jour le 11 décembre à 10 heures."],
    ],
)
def test_split_returns_an_article_without_teaser_run_whole(paragraphs):
    assert split_trailing_teasers(paragraphs) == (paragraphs, [], [])


def test_split_without_byline_cuts_a_trailing_run_of_marked_teasers():
    run = [TEASERS[0], TEASERS[3], "Les autorités ont annoncé la tenue d’un forum […]"]
    assert split_trailing_teasers([*ARTICLE, *run]) == (ARTICLE, [], run)


def test_naive_scrape_teasers_match_their_leads():
    index = index_of(KASSOGUE_LEAD, MINISTER_A)
    assert lessor_teaser(KASSOGUE_LEAD) == TEASERS[0]
    assert index.match(TEASERS[0]) == 1
    assert index.match(TEASERS[1]) is None  # its article is not in the index


word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèêàâçîôûùœ", min_size=2, max_size=10)
french_word = st.one_of(word, word, word, word.map(lambda w: "l’" + w))


def _folded(word: str) -> str:
    stripped = unicodedata.normalize("NFD", word.casefold().replace("œ", "oe"))
    return "".join(c for c in stripped if not unicodedata.combining(c))


@given(
    words=st.lists(french_word, min_size=8, max_size=70),
    ending=st.sampled_from(["", ".", "!", " ?", "»."]),
    continuations=st.lists(st.lists(french_word, min_size=3, max_size=40), min_size=1, max_size=3),
    display=st.sampled_from(["ignore", "latin-1", "replace"]),
)
def test_lessor_teaser_matches_its_lead_and_no_lead_sharing_its_first_words(
    words, ending, continuations, display
):
    lead = " ".join([words[0].capitalize(), *words[1:]]) + ending
    for other in continuations:
        assume(_folded(other[0]) != _folded(words[5]))
    siblings = [
        " ".join([words[0].capitalize(), *words[1:5], *other]) + "." for other in continuations
    ]
    teaser = lessor_teaser(lead, display)

    index = TeaserIndex()
    for article_id, sibling in enumerate(siblings, start=10):
        index.add(article_id, sibling, None)
    index.add(1, lead, None)

    assert index.match(teaser) == 1
    assert is_truncation_of(teaser, lead)
    assert not any(is_truncation_of(teaser, sibling) for sibling in siblings)


def test_lead_ending_in_a_period_shows_two_dots_and_matches():
    lead = (
        "Le Projet de promotion de l'accès au financement a organisé hier, dans un hôtel de la "
        "capitale, une session de formation sur l’outil Cameli."
    )
    teaser = lessor_teaser(lead)
    assert teaser.endswith("Cameli..")
    assert index_of(MINISTER_A, lead).match(teaser) == 2


@pytest.mark.parametrize("display", ["latin-1", "replace"])
def test_teaser_cut_inside_two_byte_letter_matches(display):
    teaser = lessor_teaser(ACCOMPAGNE_LEAD, display)
    assert teaser.endswith(
        "Il est accompagnÃ." if display == "latin-1" else "Il est accompagn\ufffd."
    )
    assert is_truncation_of(teaser, ACCOMPAGNE_LEAD)
    assert index_of(MINISTER_A, ACCOMPAGNE_LEAD).match(teaser) == 2


# Bambara's ɔ, ɛ, ɲ (two bytes, the first read as "É"), Ɔ ("Æ"), ŋ ("Å"), a curly apostrophe
# (three bytes) and an emoji (four): L'Essor's cut can fall after any byte of each.
BAMBARA_LEAD = (
    "Le festival de Ségou a ouvert hier sur les berges du Niger 🎉 et les griots ont chanté "
    "l’hymne « an ka ɲɔgɔn dɛmɛ, Ɔ ŋaniya » devant les visiteurs venus de Bamako, de Mopti "
    "et de Sikasso, et les autorités régionales ont salué une édition qui réunit trois jours "
    "durant les troupes de tout le pays."
)


def _cuts_inside_letters(lead: str) -> list[tuple[str, str]]:
    """(remnant, teaser) for every 300-byte-style cut falling inside a letter of `lead`: the
    remnant as cp1252 shows it, as Latin-1 does, and as a replacement character."""
    raw, teasers = lead.encode("utf-8"), []
    for kept in range(len(lead[:40].encode("utf-8")), len(raw)):
        whole = raw[:kept].decode("utf-8", "ignore")
        remnant = raw[len(whole.encode("utf-8")):kept]
        if not remnant:
            continue
        cp1252 = "".join(bytes([b]).decode("cp1252", "replace").replace("\ufffd", chr(b))
                         for b in remnant)
        for shown in (cp1252, remnant.decode("latin-1"), "\ufffd"):
            teasers.append((shown, whole + shown + "."))
    return teasers


def test_teaser_cut_inside_bambara_letters_and_emoji_matches():
    # before, only a lone "Ã", "Â", "Ä", "Å", "â" (with its second byte) or U+FFFD was
    # dropped: a cut inside ɔ left "dÉ", one inside the emoji "ðŸŽ", and neither matched
    index = index_of(MINISTER_A, BAMBARA_LEAD)
    teasers = _cuts_inside_letters(BAMBARA_LEAD)
    shown = {remnant for remnant, _ in teasers}
    assert {"ð", "ðŸ", "ð\x9f", "ðŸŽ", "â", "â€", "É", "Æ", "Å", "Ã", "Â"} <= shown
    for remnant, teaser in teasers:
        assert is_truncation_of(teaser, BAMBARA_LEAD), (remnant, teaser[-8:])
        assert index.match(teaser) == 2, (remnant, teaser[-8:])


@pytest.mark.parametrize(
    "teaser",
    [
        "Le ministre de la Justice a présidé hier la cérémonie de rentrée judiciaire…",
        "Le ministre de la Justice a présidé hier la cérémonie de rentrée judiciaire de la Co...",
        "Le ministre de la Justice a présidé hier la cérémonie de rentrée judiciaire […]",
        "Le ministre de la Justice a présidé hier la cérémonie de rentrée judiciaire [...]",
        "Le ministre de la Justice a présidé hier la cérémonie de rentrée. Lire la suite",
        "Le ministre de la Justice a présidé hier la cérémonie de rentrée judiciaire de la Cour "
        "suprême… suite de l'article sur Le 22 Septembre",
        # accents lost on the listing page, apostrophes and case differ
        "LE MINISTRE DE LA JUSTICE A PRESIDE HIER LA CEREMONIE DE RENTREE JUDICIAIRE…",
    ],
)
def test_other_sites_truncation_markers_match(teaser):
    assert is_truncation_of(teaser, MINISTER_A)
    assert index_of(MINISTER_B, MINISTER_A).match(teaser) == 2


def test_teaser_cut_before_two_articles_diverge_is_ambiguous():
    index = index_of(MINISTER_A, MINISTER_B)
    assert index.match("Le ministre de la Justice a présidé hier la…") is None
    assert index.match("Le ministre de la Justice a présidé hier la réunion du comité…") == 2
    assert index.match("Le ministre de la Justice a présidé hier la cérémonie de…") == 1


def test_teaser_of_an_unindexed_article_sharing_the_opening_does_not_match():
    index = index_of(MINISTER_A)
    # the cut falls inside the word where the two articles part: "réu…" is not "cérémonie"
    assert index.match("Le ministre de la Justice a présidé hier la réu…") is None
    assert not is_truncation_of("Le ministre de la Justice a présidé hier la réu…", MINISTER_A)


def test_teaser_too_short_to_be_distinctive_never_matches():
    index = index_of(MINISTER_A)
    assert index.match("Le ministre de la…") is None
    assert not is_truncation_of("Le ministre de la…", MINISTER_A)


def test_short_teaser_equal_to_the_whole_lead_matches():
    index = index_of(MINISTER_A, "Le VIH tue encore.", "-")
    assert index.match("Le VIH tue encore..") == 2
    assert index.match("Le VIH tue encore.") == 2
    assert index.match("-.") is None  # a placeholder lead is not evidence


def test_teaser_matches_the_start_of_the_body_when_there_is_no_lead():
    index = TeaserIndex()
    index.add(5, None, MINISTER_B + "\n\nLe ministre a rappelé les priorités de la réforme.")
    assert index.match("Le ministre de la Justice a présidé hier la réunion du comité de…") == 5


def test_match_before_add_is_none_and_after_add_finds_it():
    index = index_of(MINISTER_B)
    teaser = "Le ministre de la Justice a présidé hier la cérémonie de rentrée judiciaire…"
    assert index.match(teaser) is None
    index.add(9, MINISTER_A, None)
    assert index.match(teaser) == 9


def test_adding_the_same_article_twice_keeps_one_entry():
    index = TeaserIndex()
    index.add(3, MINISTER_A, "Corps.")
    index.add(3, MINISTER_A, "Corps.")
    assert len(index) == 1
    assert index.match(lessor_teaser(MINISTER_A)) == 3


def test_readding_an_article_with_new_text_forgets_the_old_text():
    index = TeaserIndex()
    index.add(3, MINISTER_A, None)
    index.add(3, MINISTER_B, None)
    assert len(index) == 1
    assert index.match(lessor_teaser(MINISTER_A)) is None
    assert index.match(lessor_teaser(MINISTER_B)) == 3


def test_teaser_of_another_article_is_not_a_truncation():
    assert not is_truncation_of(lessor_teaser(MINISTER_B), MINISTER_A)
    assert not is_truncation_of(TEASERS[0], ACCOMPAGNE_LEAD)


# ---- keys, copies, attribution ------------------------------------------------------------
from crawler.dedup import (  # noqa: E402
    COPY_CONTAINMENT,
    COPY_JACCARD,
    CopyIndex,
    CopyMember,
    Fingerprint,
    article_keys,
    choose_original,
    contradicts,
    copy_similarity,
    is_copy,
    teaser_keys,
)
from crawler.publishers import attribution, credited_source  # noqa: E402

STORY = "\n\n".join(ARTICLE)


def test_teaser_keys_are_among_the_keys_of_its_article_and_stable():
    assert teaser_keys(TEASERS[0]) <= article_keys(KASSOGUE_LEAD, None)
    assert teaser_keys(TEASERS[0]) == {7337457227351025874}  # stored: must not change per process
    assert teaser_keys("-.") == set()  # too short to look up


def test_matches_returns_every_fitting_article():
    index = index_of(MINISTER_A, MINISTER_B)
    assert index.matches("Le ministre de la Justice a présidé hier la…") == {1, 2}
    assert index.match("Le ministre de la Justice a présidé hier la…") is None


def test_whole_trimmed_and_lightly_edited_copies_are_copies():
    original = Fingerprint.of(None, STORY)
    trimmed = Fingerprint.of(None, "\n\n".join(ARTICLE[:2]) + "\n\nLire la suite")
    edited = Fingerprint.of("Mali :", STORY.replace("Russie", "Russie,").replace("’", "'")
                            .replace("ministres", "ministre"))
    assert copy_similarity(original, Fingerprint.of(None, STORY)) == (1.0, 1.0)
    assert is_copy(original, trimmed) and is_copy(trimmed, original)
    assert is_copy(original, edited)


def test_a_print_sharing_its_shingles_compares_as_one_computed_apart_does():
    # linker.Computed gives a word-for-word copy a copy.copy of the first print: the same
    # arrays, which copy_similarity takes as wholly common without intersecting them
    accented = Fingerprint.of(None, STORY)
    assert accented.dropped is not accented.shingles  # both forms compared
    for words in (STORY, "\n\n".join(ARTICLE[:2]) + "\n\nLire la suite"):
        first = Fingerprint.of(None, words)
        shared = copy.copy(first)
        assert shared.shingles is first.shingles
        assert copy_similarity(first, shared) == copy_similarity(first, Fingerprint.of(None, words))
        assert copy_similarity(first, shared) == (1.0, 1.0)
    # a print sharing one form's array and not the other's: each form compared on its own
    trimmed = Fingerprint.of(None, "\n\n".join(ARTICLE[:2]) + "\n\nLire la suite")
    mixed = dataclasses.replace(trimmed, shingles=accented.shingles)
    assert copy_similarity(accented, mixed) == copy_similarity(
        accented, dataclasses.replace(trimmed, shingles=accented.shingles.copy()))
    assert copy_similarity(accented, mixed)[0] == 1.0 > copy_similarity(accented, trimmed)[0]


def test_texts_that_only_share_their_opening_are_not_copies():
    opening = "Le ministre de la Justice a présidé hier la cérémonie de rentrée judiciaire. "
    a = Fingerprint.of(None, opening + ARTICLE[0] + ARTICLE[1])
    b = Fingerprint.of(None, opening + " ".join(TEASERS))
    assert not is_copy(a, b)


def test_text_too_short_has_no_fingerprint():
    assert Fingerprint.of(None, "Bamako, 8 déc (AMAP) Une brève de vingt mots à peine.") is None


def test_copy_index_finds_copies_and_not_other_articles():
    index = CopyIndex()
    index.add(1, None, STORY)
    index.add(2, None, " ".join(TEASERS))
    index.add(3, None, "\n\n".join(reversed(ARTICLE)))  # same paragraphs, another order
    copy = Fingerprint.of(ARTICLE[0], "\n\n".join(ARTICLE[1:]) + "\n\nSource : L'Essor")
    assert index.copies_of(copy) == [1, 3]
    assert len(index) == 3


@pytest.mark.parametrize(
    ("publisher", "body", "expected"),
    [
        ("L'Essor", "Texte.", "L'Essor"),
        (None, "Texte.\n\nSource : L’Essor", "L’Essor"),
        (None, "(Source : INFO-MATIN)\n\nTexte.", "INFO-MATIN"),
        (None, "Début… suite de l'article sur Le 22 Septembre", "Le 22 Septembre"),
        (None, "Texte sans source.\n\nAutre paragraphe.", None),
    ],
)
def test_attribution_reads_the_publisher_field_or_a_source_line(publisher, body, expected):
    assert attribution(publisher, body) == expected


@pytest.mark.parametrize(
    ("credit", "expected"),
    [("L'Essor", "lessor"), ("L’ESSOR", "lessor"), ("Journal L'Essor", "lessor"),
     ("lessor.ml", "lessor"), ("Journal du Mali", "journaldumali"), ("Info-Matin", "infomatin"),
     ("Le Républicain", None), (None, None)],
)
def test_credited_source_maps_a_paper_name_to_a_source_key(credit, expected):
    titles = {"lessor": "L'Essor", "journaldumali": "Journal du Mali", "infomatin": "Info Matin"}
    assert credited_source(credit, titles) == expected


def test_original_is_the_credited_source_else_the_earliest():
    from datetime import UTC, datetime

    day = [datetime(2025, 12, d, tzinfo=UTC) for d in (1, 2, 3)]
    members = [CopyMember(1, "maliweb", day[0], "lessor"), CopyMember(2, "lessor", day[2]),
               CopyMember(3, "malijet", day[1])]
    assert choose_original(members) == 2
    uncredited = [CopyMember(1, "maliweb", day[1]), CopyMember(2, "malijet", day[0]),
                  CopyMember(3, "bamada", day[0])]
    assert choose_original(uncredited) == 2  # earliest, then smallest id
    # credited paper not among the copies: the earliest
    assert choose_original([CopyMember(1, "maliweb", day[1], "infomatin"),
                            CopyMember(2, "malijet", day[0])]) == 2


# ---- copies of template texts, damaged copies -----------------------------------------------
def fuel_notice(gasoil: int, super_: int = 775, month: str = "décembre 2025",
                director: str = "Ibrahim TOGOLA") -> tuple[str, str]:
    """A fuel price notice as the papers print it each month: only the figures change."""
    lead = (f"L’Office national des produits pétroliers (ONAP) a rendu publics les prix à la "
            f"pompe applicables au mois de {month}.")
    body = "\n\n".join([
        f"À Bamako, le litre de gasoil est fixé à {gasoil} francs CFA et le litre de super à "
        f"{super_} francs CFA. Le pétrole lampant est cédé à 650 francs CFA le litre.",
        f"Dans les régions, un différentiel de transport de 25 francs CFA par litre s’ajoute à "
        f"ces prix, précise le communiqué signé du directeur général de l’ONAP, {director}.",
        "L’Office rappelle que ces prix sont des plafonds et que tout contrevenant s’expose aux "
        "sanctions prévues par la réglementation en vigueur. Les consommateurs sont invités à "
        "signaler toute pratique abusive aux services de la Direction générale du commerce, de "
        "la consommation et de la concurrence.",
        f"Ces prix entrent en vigueur à compter du 1er {month} sur toute l’étendue du territoire.",
    ])
    return lead, body


def prints(*texts: tuple[str | None, str]) -> list[Fingerprint]:
    return [Fingerprint.of(lead, body) for lead, body in texts]


def lost_accents(text: str) -> str:
    return "".join(c for c in text if c.isascii())


def test_fuel_notices_whose_figures_differ_are_not_copies_however_alike():
    a, b = prints(fuel_notice(725), fuel_notice(750))
    jaccard, containment = copy_similarity(a, b)
    assert jaccard > 0.8 and containment > 0.9  # the wording alone says "copy"
    assert contradicts(a, b)
    assert not is_copy(a, b)


@pytest.mark.parametrize("changed", [
    {"director": "Hawa SANGARÉ"},  # a name after a comma
    {"month": "janvier 2026"},  # the date, twice
    {"super_": 780},
])
def test_template_texts_differing_in_one_name_or_date_are_not_copies(changed):
    a, b = prints(fuel_notice(725), fuel_notice(725, **changed))
    assert not is_copy(a, b)


def test_weather_table_changing_one_city_or_one_figure_is_another_bulletin():
    table = ("Prévisions par ville : Kayes 24 °C / 41 °C, Kidal 17 °C / 45 °C, Mopti 23 °C / "
             "41 °C, Ségou 22 °C / 40 °C, Sikasso 20 °C / 34 °C.")
    intro = ("Mali-Météo prévoit un temps chaud et sec sur la majeure partie du pays, avec une "
             "visibilité réduite par la poussière dans le nord, selon le bulletin de l’Agence.")
    base, = prints((intro, table))
    # Kidal and Kadiolo share their consonants; the second 41 is not the first.
    for other in ("Kidal 17", "Kadiolo 17"), ("Mopti 23 °C / 41", "Mopti 23 °C / 40"):
        assert not is_copy(base, Fingerprint.of(intro, table.replace(*other)))


def test_figures_retyped_and_signature_changed_still_agree():
    lead, body = fuel_notice(725)
    a, b = prints((lead, body.replace("650", "650") + "\n\nLa Direction"),
                  (lead, body.replace("francs CFA", "francs  CFA") + "\n\nSource : L’Essor"))
    assert not contradicts(a, b) and is_copy(a, b)
    thousands = [Fingerprint.of(lead, body.replace("650 francs", f"{n} francs") + " Fin du texte.")
                 for n in ("12 500", "12500")]
    assert not contradicts(*thousands)


@pytest.mark.parametrize("damage", [
    lost_accents,  # "dcembre", "SANGAR"
    lambda text: text.encode("utf-8").decode("cp1252", errors="replace"),  # "dÃ©cembre"
    lambda text: "".join(c if c.isascii() or not c.isalpha() else "?" for c in text),
    lambda text: unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode(),
])
def test_damaged_copy_is_a_copy_on_the_repaired_or_accent_free_form(damage):
    lead, body = fuel_notice(725, director="Hawa SANGARÉ")
    original, copy = prints((lead, body), (damage(lead), damage(body)))
    assert is_copy(original, copy)
    assert not is_copy(copy, Fingerprint.of(*fuel_notice(750, director="Hawa SANGARÉ")))


def test_accent_lost_copy_scores_on_the_accent_free_form():
    original, copy = prints((None, STORY), (None, lost_accents(STORY)))
    folded_only = len(np.intersect1d(original.shingles, copy.shingles)) / len(original.shingles)
    assert folded_only < COPY_CONTAINMENT  # on the accent-folded words alone: no copy
    assert copy_similarity(original, copy) == (1.0, 1.0)


def test_a_copy_folded_and_a_copy_that_lost_its_accents_agree_on_the_names():
    lead, body = fuel_notice(725, director="Moussa KANTÉ")
    folded = unicodedata.normalize("NFKD", body).encode("ascii", "ignore").decode()
    a, b = prints((None, folded), (None, lost_accents(body)))
    assert not contradicts(a, b)


def test_chapeau_dropped_copy_shares_a_candidate_key_with_its_original():
    original, copy = prints((ARTICLE[0], "\n\n".join(ARTICLE[1:])),
                            (None, "\n\n".join(ARTICLE[1:3]) + " … Lire la suite"))
    assert set(original.keys) & set(copy.keys)
    assert is_copy(original, copy)


def test_trimmed_copy_cut_inside_a_name_is_a_copy():
    lead, body = fuel_notice(725, director="Ibrahim TOGOLA")
    cut = body[: body.index("TOGOLA")] + "…"
    original, copy = prints((lead, body), (lead, cut))
    assert copy.cut and not contradicts(original, copy) and is_copy(original, copy)


def test_a_copy_far_from_its_original_in_time_must_be_nearly_whole():
    # a paragraph swapped for other text: Jaccard 0.64, containment 0.81
    edited_text = "\n\n".join([*ARTICLE[:4], " ".join(TEASERS[:2]), *ARTICLE[5:]])
    original, edited, whole = prints(
        (None, STORY), (None, edited_text), (None, STORY + "\n\nSource : L’Essor"))
    assert is_copy(original, edited, days_apart=1)
    assert not is_copy(original, edited, days_apart=30)
    assert is_copy(original, whole, days_apart=30)


# Two reports of one press conference: the same two quotes, told around differently. No
# figures or names differ, so only the similarity thresholds keep them apart.
QUOTES = [
    "« Le Mali ne cédera pas au chantage et la sécurité de nos populations reste notre priorité "
    "absolue, quel que soit le prix à payer pour la reconquête de notre territoire »",
    "« Les résultats obtenus sur le terrain sont le fruit des sacrifices consentis par nos "
    "soldats et par l’ensemble du peuple malien, que je salue ici avec beaucoup d’émotion »",
]
# Both open on the quotes (so the store is given the pair to verify: the opening key).
_QUOTED = QUOTES[0] + ", a martelé le ministre face à la presse. " + QUOTES[1] + ", a-t-il ajouté. "
REPORT = (_QUOTED + "Devant une cinquantaine de journalistes, le ministre a dressé le bilan des "
          "opérations menées ces derniers mois par les forces armées dans le centre et le nord "
          "du pays. Il a ensuite répondu aux questions sur la libre circulation des personnes et "
          "des biens, ainsi que sur l’approvisionnement des régions du nord en carburant et en "
          "vivres.")
BRIEF = (_QUOTED + "La conférence de presse portait sur la situation sécuritaire et sur les "
         "relations avec les pays voisins, que le gouvernement juge tendues depuis plusieurs "
         "semaines, selon les observateurs présents dans la salle.")


def test_two_reports_sharing_their_quotes_are_not_copies():
    a, b = prints((None, REPORT), (None, BRIEF))
    jaccard, containment = copy_similarity(a, b)
    # Between the old thresholds and lower ones: lowering either one links them.
    assert 0.3 <= jaccard < COPY_JACCARD and 0.6 <= containment < COPY_CONTAINMENT
    assert set(a.keys) & set(b.keys)  # proposed as candidates
    assert not contradicts(a, b)
    assert not is_copy(a, b)


# ---- the dedup step in the database: bulk reads, the links of one article at a time ----------
import random  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

from sqlalchemy import event, text  # noqa: E402

from crawler import linker  # noqa: E402
from crawler.items import Article, Teaser  # noqa: E402
from crawler.store import open_store  # noqa: E402

_SYLLABLE_TEXT = ("ba ko ma li sa ne ré pu bli mi nis tre jus ti ce si dé con fé ren ve lop pe "
                  "ment cu ri té no mie par te nai ac cord ca pi gion ar mée")
_SYLLABLES = _SYLLABLE_TEXT.split()
_SOURCES = ("lessor", "maliweb", "malijet", "bamada")


def _stories(count: int, seed: int = 5) -> list[Article]:
    """Articles in order of arrival: per story an original and two or three copies (whole with
    a source line, trimmed, chapeau dropped) from other sources, and an unrelated article;
    each carries a teaser of an earlier story's lead (no URL: linked by text) and one with
    the URL of the next article (linked once that one arrives)."""
    rng = random.Random(seed)
    words = ["".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4))) for _ in range(3000)]
    start = datetime(2025, 3, 1, 8, tzinfo=UTC)
    made: list[Article] = []
    leads: list[str] = []
    for k in range(count):
        lead = " ".join(rng.choices(words, k=30)).capitalize() + "."
        body = "\n\n".join(" ".join(rng.choices(words, k=60)) + "." for _ in range(3))
        trimmed = body[: int(len(body) * 0.7)].rsplit(" ", 1)[0] + " Lire la suite"
        versions = [(lead, body), (lead, body + "\n\nSource : L'Essor"),
                    (lead, trimmed), (None, lead + "\n\n" + body)][: rng.randint(3, 4)]
        other = " ".join(rng.choices(words, k=150))
        versions.append((other[:100], other[100:]))
        for n, (lead_, body_) in enumerate(versions):
            source = _SOURCES[(k + n) % len(_SOURCES)]
            made.append(Article(source=source, url=f"https://{source}.ml/{k}-{n}",
                                title=f"{k}-{n}", lead=lead_, body=body_,
                                published_at=start + timedelta(hours=6 * k + n)))
        leads.append(lead)
    for n, item in enumerate(made):
        earlier = leads[rng.randrange(len(leads))][:120].rsplit(" ", 1)[0] + "…"
        item.teasers = [Teaser(source=item.source, seen_on=item.url, text=earlier)]
        if n + 1 < len(made):
            item.teasers.append(Teaser(source=item.source, seen_on=item.url,
                                       text=f"À lire aussi {n}", url=made[n + 1].url))
    return made


def _links(store) -> tuple[dict[str, str | None], list[tuple[str, str, str | None, str | None]]]:
    """(article title -> title of its original, (page, teaser, article title, how) sorted)."""
    with store.engine.connect() as db:
        titles = dict(db.execute(text("SELECT id, title FROM articles")).all())
        copies = {titles[i]: titles.get(d) for i, d in db.execute(
            text("SELECT id, duplicate_of FROM articles"))}
        teasers = sorted((seen_on, text_, titles.get(article_id), how)
                         for seen_on, text_, article_id, how in db.execute(text(
                             "SELECT seen_on, text, article_id, matched_by FROM teasers")))
    return copies, teasers


def _dedup(store, source=None):
    return store.dedup(source, window=timedelta(days=60), title=None)


def _linked_in_steps(store, items: list[Article], step: int):
    """Store the items `step` at a time, a dedup step after each; return the links and
    forget everything (the next call starts from an empty database)."""
    for first in range(0, len(items), step):
        store.upsert_articles(items[first:first + step])
        _dedup(store)
    links = _links(store)
    with store.engine.begin() as db:
        for table in ("teaser_keys", "article_keys", "teasers", "article_revisions", "articles"):
            db.execute(text(f"DELETE FROM {table}"))
    return links


def test_a_step_links_as_steps_of_one_article_each(db_url, monkeypatch):
    """A step keys its articles in bulk, yet each finds only the copies keyed before it, as
    if the articles came one step each; so too across its chunks (moves written between)."""
    items = _stories(8)
    store = open_store(db_url)
    try:
        one_by_one = _linked_in_steps(store, items, 1)
        assert _linked_in_steps(store, items, len(items)) == one_by_one
        monkeypatch.setattr(linker, "CHUNK", 3)
        assert _linked_in_steps(store, items, len(items)) == one_by_one
        assert _linked_in_steps(store, items, 7) == one_by_one
    finally:
        store.engine.dispose()
    copies, teasers = one_by_one
    assert sum(original is not None for original in copies.values()) >= 2 * 8
    assert {how for *_, how in teasers} == {"text", "url"}


def test_a_step_runs_statements_per_chunk_not_per_article(db_url):
    """Twice the articles in a step, a few statements more, not several per article (the
    step used to run about 7 per article)."""
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    items = _stories(24)
    small = [item for item in items if int(item.title.split("-")[0]) < 8]
    large = [item for item in items if int(item.title.split("-")[0]) >= 8]
    store = open_store(db_url)
    try:
        event.listen(store.engine, "before_cursor_execute", count)
        counts = []
        for batch in (small, large):  # 8 stories, then 16 more
            store.upsert_articles(batch)
            statements = 0
            assert _dedup(store).copies
            counts.append(statements)
    finally:
        store.engine.dispose()
    assert counts[1] - counts[0] < len(large) - len(small), counts
    assert counts[1] < len(large) / 2, counts


def test_in_one_step_a_trimmed_copy_sees_only_the_template_text_keyed_before_it(db_url):
    """A notice, a copy trimmed before the director's name, then the same notice signed by
    another director, all in one step: the copy joins the first notice (it was keyed when the
    copy was); the second notice is not its story (the copy fits both). (A step takes its rows
    by id, and a batch is stored in the order of its URL keys: these sort in order of arrival.)
    """
    when = datetime(2025, 12, 1, 9, tzinfo=UTC)
    lead, body = fuel_notice(725, director="Ibrahim TOGOLA")
    other = fuel_notice(725, director="Hawa SANGARÉ")
    trimmed = body[: body.index("TOGOLA")] + "…"
    items = [Article(source=source, url=f"https://{source}.ml/onap", title=source, lead=lead_,
                     body=body_, published_at=when + timedelta(hours=n))
             for n, (source, lead_, body_) in enumerate([
                 ("lessor", lead, body), ("maliweb", lead, trimmed), ("studiotamani", *other)])]
    store = open_store(db_url)
    try:
        one_by_one = _linked_in_steps(store, items, 1)
        assert _linked_in_steps(store, items, 3) == one_by_one
    finally:
        store.engine.dispose()
    assert one_by_one[0] == {"lessor": None, "maliweb": "lessor", "studiotamani": None}
