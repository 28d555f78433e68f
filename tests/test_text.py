"""Text normalisation and cleaning: whitespace, mojibake, boilerplate, broken lines, markers."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.text import (
    _fold_chars,
    _may_say_suite,
    clean_paragraphs,
    fix_text,
    fold_whitespace,
    is_boilerplate,
    join_paragraphs,
    looks_like_byline,
    normalize_for_match,
    rejoin_broken_lines,
    split_paragraphs,
    strip_truncation,
)


def test_fold_whitespace_turns_nbsp_tabs_newlines_and_runs_into_one_space():
    assert fold_whitespace("  Bamako,\u00a0le\t30  septembre\n2025 :\u202fAMAP  ") == (
        "Bamako, le 30 septembre 2025 : AMAP"
    )


def test_fix_text_repairs_mojibake():
    assert fix_text("Ã©tÃ© Ã  Bamako") == "été à Bamako"


def test_fix_text_composes_letters_and_folds_whitespace():
    assert fix_text("la  se\u0301curite\u0301\n") == "la sécurité"


@pytest.mark.parametrize(
    "clean",
    [
        "L’État « souverain » a célébré l’événement – dit-il – à Kidal.",
        "Aboubacar TRAORE",
        "Fêtes de fin d’année : l’AMAP en toute convivialité",
    ],
)
def test_fix_text_leaves_clean_french_unchanged(clean):
    assert fix_text(clean) == clean


def test_fix_text_does_not_invent_a_lost_letter():
    # Malijet's "ao\ufffdt": the byte is gone; dates.py reads the month, text keeps what came.
    assert fix_text("29 ao\ufffdt 2025") == "29 ao\ufffdt 2025"


def test_join_and_split_paragraphs_round_trip():
    body = join_paragraphs(["  Premier  paragraphe. ", "", "Second\nparagraphe."])
    assert body == "Premier paragraphe.\n\nSecond paragraphe."
    assert split_paragraphs(body) == ["Premier paragraphe.", "Second paragraphe."]
    assert split_paragraphs("Un.\n \n\n  Deux.\n") == ["Un.", "Deux."]


def test_rejoin_broken_lines_joins_mid_sentence_breaks_and_keeps_paragraph_ends():
    lines = [
        "Les deux délégations ont également réaffirmé la volonté affichée de",
        "leur pays respectif à œuvrer davantage pour le raffermissement",
        "de leurs relations.",
        "Le ministre de la Justice,",
        "Mamoudou Kassogué, a présidé la séance",
        "(photo) et a déclaré :",
        "« Nous restons mobilisés. »",
        "Dans cette dynamique, elles ont passé en revue la coopération",
        "Bilatérale",
    ]
    assert rejoin_broken_lines(lines) == [
        "Les deux délégations ont également réaffirmé la volonté affichée de leur pays respectif"
        " à œuvrer davantage pour le raffermissement de leurs relations.",
        "Le ministre de la Justice, Mamoudou Kassogué, a présidé la séance",
        "(photo) et a déclaré :",
        "« Nous restons mobilisés. »",
        "Dans cette dynamique, elles ont passé en revue la coopération",
        "Bilatérale",
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        "",
        "   ",
        "Partager",
        "Partagez cet article",
        "Partager : Facebook Twitter WhatsApp",
        "Facebook | Twitter | WhatsApp | Telegram",
        "Tweet",
        "Lire aussi : Kayes : les orpailleurs reprennent le travail",
        "LIRE AUSSI",
        "À lire aussi",
        "Getting your Trinity Audio player ready…",
        "Abonnez-vous à notre newsletter",
        "Inscrivez-vous à notre newsletter pour recevoir nos alertes",
        "© 2025 L'Essor. Tous droits réservés.",
        "Tous droits réservés",
        "Copyright Studio Tamani 2024",
        "Rédaction Lessor",
        "Écouter l'article",
        "Écouter",
        "Télécharger le fichier audio",
        "https://www.studiotamani.org/wp-content/uploads/2025/10/journal-fr.mp3",
    ],
)
def test_is_boilerplate_flags_site_furniture(paragraph):
    assert is_boilerplate(paragraph)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Les participants ont décidé de partager les résultats de l'étude avec les communes.",
        "Partager le repas avec les voisins est une tradition du mois de carême à Ségou.",
        "Il a invité les jeunes à lire aussi les textes fondamentaux de la Transition.",
        "Le directeur a rappelé que les œuvres restent protégées, tous droits réservés "
        "aux auteurs, conformément à la loi sur la propriété littéraire et artistique.",
        "Écouter les populations reste la priorité du gouverneur, a-t-il souligné.",
        "La rédaction de L'Essor a reçu hier une délégation de l'Union des journalistes.",
        "Inscrivez-vous avant le 15 décembre au concours d'entrée à l'École normale.",
        "Le copyright des images appartient à l'AMAP, a précisé le directeur général.",
    ],
)
def test_is_boilerplate_keeps_ordinary_sentences(paragraph):
    assert not is_boilerplate(paragraph)


def test_clean_paragraphs_fixes_drops_boilerplate_and_rejoins():
    paragraphs = [
        "Getting your Trinity Audio player ready…",
        "La 29Ã¨ Ã©dition de l'Espace d'interpellation",
        "démocratique s'est tenue hier.",
        "Partager",
        "Les travaux ont duré trois jours.",
        "Tous droits réservés",
    ]
    assert clean_paragraphs(paragraphs) == [
        "La 29è édition de l'Espace d'interpellation démocratique s'est tenue hier.",
        "Les travaux ont duré trois jours.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L’État « souverain »", 'l\'état "souverain"'),
        ("l´Espace d‘interpellation ʼ `", "l'espace d'interpellation ' '"),
        ("gagnant–gagnant — dit‑il", "gagnant-gagnant - dit-il"),
        ("« Oui » : non ! “Peut-être” ?", '"oui": non! "peut-être"?'),
        ("  Trois\u00a0points…  ", "trois points..."),
        ("ﬁnancement MAJUSCULES", "financement majuscules"),
    ],
)
def test_normalize_for_match_unifies_typography_and_case(text, expected):
    assert normalize_for_match(text) == expected


def test_normalize_for_match_can_strip_accents():
    assert normalize_for_match("10 Décembre, l’Économie", keep_accents=False) == (
        "10 decembre, l'economie"
    )
    assert normalize_for_match("décembre", keep_accents=False) == normalize_for_match(
        "decembre", keep_accents=False
    )
    assert normalize_for_match("décembre") != normalize_for_match("decembre")


@given(text=st.text(), keep_accents=st.booleans())
def test_normalize_for_match_is_idempotent(text, keep_accents):
    once = normalize_for_match(text, keep_accents=keep_accents)
    assert normalize_for_match(once, keep_accents=keep_accents) == once


@pytest.mark.parametrize(
    ("teaser", "expected"),
    [
        (
            "Garde des Sceaux Mamoudou Kassogué, en prés.",
            ("Garde des Sceaux Mamoudou Kassogué, en prés", True),
        ),
        ("sur l’outil Cameli..", ("sur l’outil Cameli.", True)),
        ("Il est accompagnÃ.", ("Il est accompagn", True)),
        ("Il est accompagn\ufffd.", ("Il est accompagn", True)),
        ("de l\u00e2\u20ac.", ("de l", True)),
        ("an ka ɲɔgɔn dÉ.", ("an ka ɲɔgɔn d", True)),  # Bambara ɔ cut after its first byte
        ("les berges du Niger ðŸŽ.", ("les berges du Niger", True)),  # an emoji after 3 bytes
        ("les berges du Niger ð\x9f.", ("les berges du Niger", True)),  # read as Latin-1
        ("parle des .", ("parle des", True)),
        ("« stratégique »..", ("« stratégique ».", True)),
        ("Le ministre a présidé…", ("Le ministre a présidé", True)),
        ("Le ministre a présidé ...", ("Le ministre a présidé", True)),
        ("Le ministre a présidé […]", ("Le ministre a présidé", True)),
        ("Le ministre a présidé [...]", ("Le ministre a présidé", True)),
        (
            "Le ministre a présidé la séance. Lire la suite...",
            ("Le ministre a présidé la séance.", True),
        ),
        (
            "La séance est ouverte. Lire la suite dans l'Indépendant",
            ("La séance est ouverte.", True),
        ),
        ("Le ministre a… suite de l'article sur Le 22 Septembre", ("Le ministre a", True)),
        ("Le ministre a présidé la séance", ("Le ministre a présidé la séance", False)),
        ("La séance est ouverte. LIRE LA SUITE", ("La séance est ouverte.", True)),
        ("La séance est ouverte. Lire la ſuite", ("La séance est ouverte.", True)),  # long s
        # "İ" casefolds to "i" and a combining dot: no "suite", as before
        ("La séance est ouverte. Voir la SUİTE", ("La séance est ouverte. Voir la SUİTE", False)),
        ("Il est accompagné, dit-il […]", ("Il est accompagné, dit-il", True)),
        ("Pourquoi la séance ?", ("Pourquoi la séance ?", False)),
    ],
)
def test_strip_truncation_removes_markers_and_byte_cut_remnants(teaser, expected):
    assert strip_truncation(teaser) == expected


@pytest.mark.parametrize(
    "teaser",
    ["Les Aigles ont gagné.", "Le ministre est arrivé là.", "Il a rejoint la SOCIÉTÉ.",
     "Ein Gruß.", "À la une : ÇA."],
)
def test_strip_truncation_keeps_an_accented_last_letter(teaser):
    # only the appended dot goes: "é" and "à" are letters, not the lone byte of a cut letter;
    # "É" and "Ç" after an upper-case letter end an upper-case word; "ß" ends German words
    assert strip_truncation(teaser) == (teaser[:-1], True)


@pytest.mark.parametrize(
    "line",
    [
        "Aboubacar TRAORE",
        "Par Moussa Koné",
        "Fatoumata M. SIDIBÉ",
        "A. TRAORE",
        "Mohamed D. DIAWARA",
    ],
)
def test_looks_like_byline_accepts_name_lines(line):
    assert looks_like_byline(line)


@pytest.mark.parametrize(
    "line",
    [
        "Le Mali",
        "Bamako",
        "Cette réunion technique vise à préparer les documents.",
        "Les deux délégations ont salué la convergence de vue entre les autorités",
        "Aboubacar TRAORE a présidé la séance.",
        "Forte mobilisation des femmes",
        "",
    ],
)
def test_looks_like_byline_rejects_sentences_and_headings(line):
    assert not looks_like_byline(line)


@given(st.text(alphabet="suiteSUITEßİſẗẞﬁﬃﬅﬆ ılr.…", max_size=40))
def test_the_suite_hint_is_the_casefold_test_it_stands_for(tail):
    # strip_truncation's cheap test must say what "suite" in tail.casefold() says, on the
    # letters whose casefold holds one of "suite"'s (ß -> ss, ſ -> s, İ -> i + dot, ﬅ -> st)
    assert _may_say_suite(tail) == ("suite" in tail.casefold())


@pytest.mark.parametrize("keep_accents", [True, False])
@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Le\u200b Mali\u200b", "Le Mali"),
        ("Bama\u200bko, la capitale", "Bamako, la capitale"),
        ("l\u2019\u200bÉtat « souverain »", "l’État « souverain »"),  # the general path
        ("\u200b\u200b", ""),
    ],
)
def test_zero_width_spaces_are_dropped_for_matching_as_fold_whitespace_drops_them(
        text, plain, keep_accents):
    assert normalize_for_match(text, keep_accents=keep_accents) == normalize_for_match(
        plain, keep_accents=keep_accents)
    assert fold_whitespace(text) == fold_whitespace(plain)


@given(text=st.text(alphabet=st.characters(categories=["Mn", "Mc", "Ll", "Lo", "Zs"]), max_size=20))
def test_normalize_for_match_drops_every_nonspacing_mark_and_nothing_else(text):
    """Without accents, a character of category Mn left after NFD is dropped, whatever the
    script (the table of marks is filled as characters are met, not built for all Unicode)."""
    folded = unicodedata.normalize(
        "NFD", unicodedata.normalize("NFKC", text.replace("´", "'")).casefold())
    expected = unicodedata.normalize(
        "NFC", "".join(c for c in folded if unicodedata.category(c) != "Mn"))
    assert _fold_chars(text, keep_accents=False) == expected


def test_normalize_for_match_strips_marks_outside_the_latin_block():
    # U+0951 (Devanagari stress sign udatta), U+05B8 (Hebrew point qamats), U+1DC0: all Mn
    # outside U+0300-U+036F
    assert normalize_for_match("\u0905\u0951 \u05d0\u05b8 a\u1dc0", keep_accents=False) == (
        "\u0905 \u05d0 a")
    assert normalize_for_match("\u0905\u0951", keep_accents=True) == "\u0905\u0951"
