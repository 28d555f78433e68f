"""Edge cases of crawler/dedup.py that a mutation run (mutmut) found unguarded: each test pins a
rule a user relies on (copy thresholds, containment, teaser matching, credits, MinHash/LSH
parameters, normalisation)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

import crawler.dedup as dedup
from crawler.dedup import (
    COPY_CONTAINMENT,
    CopyIndex,
    CopyMember,
    Fingerprint,
    TeaserIndex,
    _Blobs,
    _SlotTable,
    article_keys,
    choose_original,
    contradicts,
    copy_similarity,
    copy_text,
    is_copy,
    is_truncation_of,
    minhash_signature,
    shingles,
    split_trailing_teasers,
    teaser_keys,
)

# ---- which teasers are long enough to match by their opening --------------------------------
# A teaser matches an article's opening when it has 30 characters, 6 words, and the part before
# its last word fills 24 characters; otherwise it must be the whole lead.
ON_THE_EDGE = "Kayes Mopti Gao Ségou et Kidal…"  # normalised: 30 chars, 6 words, last space at 24
ALERT = "Kayes Mopti Gao Ségou et Kidal sont placées en alerte orange jusqu’à lundi."
FIVE_NAMES = "Tombouctou, Kayes, Koulikoro, Sikasso, Bama…"  # 43 chars but 5 words
EXAMS = "Tombouctou, Kayes, Koulikoro, Sikasso, Bamako : les examens commencent lundi."


def test_a_teaser_of_exactly_six_words_and_thirty_characters_matches_by_its_opening():
    assert is_truncation_of(ON_THE_EDGE, ALERT)
    index = TeaserIndex()
    index.add(7, ALERT, None)
    assert index.match(ON_THE_EDGE) == 7


def test_a_five_word_teaser_matches_only_a_lead_it_shows_whole():
    assert not is_truncation_of(FIVE_NAMES, EXAMS)
    index = TeaserIndex()
    index.add(7, EXAMS, None)
    assert index.match(FIVE_NAMES) is None


def test_a_three_word_lead_shown_whole_matches():
    # MIN_WHOLE_LEAD_WORDS: three words are enough when the teaser is the whole lead.
    assert is_truncation_of("Bamako accueille Dakar.", "Bamako accueille Dakar")
    index = TeaserIndex()
    index.add(3, "Bamako accueille Dakar", "Le match se joue samedi au stade du 26-Mars.")
    assert index.match("Bamako accueille Dakar.") == 3


# ---- L'Essor's 300-byte cut inside a two-byte letter ---------------------------------------
def _lead_cut_inside_an_accent() -> tuple[str, bytes]:
    """A chapeau whose 300th UTF-8 byte is the first byte of "é" in a word after the cut."""
    opening = ("Le ministre de la Santé a présidé ce lundi à Bamako la cérémonie de lancement "
               "de la campagne nationale de vaccination contre la rougeole, qui vise plus de trois "
               "millions d’enfants âgés de neuf mois à cinq ans dans toutes les régions du pays, "
               "en particulier dans celles de ")
    for town in ("Kati", "Ségou", "Sikasso", "Koulikoro", "Tombouctou", "Kidal", "Mopti", "Gao",
                 "Kayes", "Bougouni", "Nioro", "San"):
        for word in ("réfugiés", "déplacés", "sinistrés", "éleveurs"):
            lead = opening + f"{town} et aux {word} des camps du centre du pays."
            raw = lead.encode("utf-8")
            if raw[299] == 0xC3:  # the cut keeps the lead byte of "é" and drops the other
                return lead, raw[:300]
    raise AssertionError("no lead puts the cut inside an accented letter")


def test_lessor_teaser_showing_the_cut_byte_as_latin1_or_a_replacement_matches():
    lead, head = _lead_cut_inside_an_accent()
    text = head[:-1].decode("utf-8")
    for shown in ("Ã", "\ufffd"):  # the lone byte read as Latin-1, or replaced
        teaser = text + shown + "."
        assert is_truncation_of(teaser, lead), shown
        index = TeaserIndex()
        index.add(9, lead, None)
        assert index.match(teaser) == 9, shown


# ---- a long article's opening is kept capped: the teaser's words must still agree -----------
def _long_lead(sentences: int) -> str:
    return " ".join(
        f"Au {n}e jour de la campagne, les équipes ont vacciné {n * 1000} enfants à Ségou."
        for n in range(1, sentences + 1))


LONG_LEAD = _long_lead(12)  # ~950 characters: longer than the 600 kept, all of it normalised


@pytest.mark.parametrize("lead", [LONG_LEAD, _long_lead(20)], ids=["950", "1600"])
def test_a_long_teaser_differing_after_the_stored_opening_still_matches_only_if_it_agrees(lead):
    index = TeaserIndex()
    index.add(1, lead, None)
    words = lead.split()
    assert index.match(" ".join(words[:120]) + "…") == 1  # longer than the kept opening
    wrong_start = "Au 2e jour " + " ".join(words[3:120]) + "…"
    assert index.match(wrong_start) is None


def test_a_teaser_of_a_capped_opening_whose_last_word_is_another_does_not_match():
    index = TeaserIndex()
    index.add(1, LONG_LEAD, None)
    words = LONG_LEAD.split()
    assert index.match(" ".join(words[:30]) + "…") == 1
    assert index.match(" ".join(words[:30] + ["Kidal"]) + "…") is None


# ---- the copy thresholds, right on their edges ----------------------------------------------
@pytest.mark.parametrize(("jaccard", "containment", "days", "copy"), [
    (0.5, 0.0, 0.0, True), (0.49, 0.79, 0.0, False), (0.0, 0.8, 0.0, True),
    (0.5, 0.0, 3.0, True),  # three days apart is still near
    (0.84, 0.94, 3.5, False), (0.85, 0.0, 3.5, True), (0.0, 0.95, 3.5, True),
])
def test_copy_thresholds_hold_at_their_edges(monkeypatch, jaccard, containment, days, copy):
    monkeypatch.setattr(dedup, "copy_similarity", lambda a, b: (jaccard, containment))
    monkeypatch.setattr(dedup, "contradicts", lambda a, b: False)
    assert is_copy(None, None, days_apart=days) is copy  # type: ignore[arg-type]


# ---- the copy index: several copies, and a text whose words are all in its lead -------------
STORY = ("Le Gouvernement de la Transition informe l’opinion nationale que la rentrée scolaire "
         "est fixée au lundi 6 octobre 2025 sur toute l’étendue du territoire national, y "
         "compris dans les académies de Kidal, Ménaka et Tombouctou, où les enseignants ont "
         "été redéployés.")


def test_three_copies_of_one_text_are_all_found():
    index = CopyIndex()
    for i in (1, 2, 3):
        assert index.add(i, STORY, None) is not None
    assert index.copies_of(Fingerprint.of(STORY, None)) == [1, 2, 3]


def test_a_copy_index_reads_the_lead_too():
    index = CopyIndex()
    assert index.add(1, STORY, "") is not None
    assert index.copies_of(Fingerprint.of(None, STORY)) == [1]


def test_a_paper_crediting_itself_is_not_made_the_original_by_that():
    members = [
        CopyMember(1, "lessor", datetime(2025, 10, 2, tzinfo=UTC), credits="lessor"),
        CopyMember(2, "maliweb", datetime(2025, 10, 1, tzinfo=UTC)),
    ]
    assert choose_original(members) == 2


# ---- the related-teaser run at the very end, without a byline -------------------------------
def test_two_teasers_at_the_end_are_cut_without_a_byline():
    paragraphs = ["La rentrée aura lieu lundi.", "Les enseignants redéployés à Kidal..",
                  "Ménaka : la route rouverte…"]
    assert split_trailing_teasers(paragraphs) == (paragraphs[:1], [], paragraphs[1:])


def test_a_page_of_teasers_only_is_cut_whole():
    paragraphs = ["Les enseignants redéployés à Kidal..", "Ménaka : la route rouverte…"]
    assert split_trailing_teasers(paragraphs) == ([], [], paragraphs)


def test_a_teaser_like_paragraph_before_the_last_is_kept():
    paragraphs = ["La rentrée aura lieu lundi.", "Les enseignants redéployés à Kidal..",
                  "Le ministre a appelé au calme."]
    assert split_trailing_teasers(paragraphs) == (paragraphs, [], [])


def test_teasers_cut_at_a_byte_end_in_a_lone_byte_are_cut():
    paragraphs = ["La rentrée aura lieu lundi.", "Les enseignants redéployés à KÃ.",
                  "Ménaka : la route rouverte aux camions \ufffd."]
    assert split_trailing_teasers(paragraphs) == (paragraphs[:1], [], paragraphs[1:])


def test_a_byline_second_is_found():
    paragraphs = ["La rentrée aura lieu lundi.", "Moussa KONE", "Les enseignants à Kidal..",
                  "Ménaka : la route rouverte…"]
    assert split_trailing_teasers(paragraphs) == (
        paragraphs[:1], paragraphs[1:2], paragraphs[2:])


# ---- a cut text (its last words may be a cut name) ------------------------------------------
@pytest.mark.parametrize(("last", "cut"), [
    ("Les enseignants ont été redéployés dans les académies du", True),  # 8 words, no stop
    ("Les enseignants ont été redéployés dans les académies.", False),
    ("Les enseignants ont été redéployés dans sept", False),  # 7 words, 6 spaces: not cut
    ("Lire la suite de cet article et les réactions sur le site de Maliweb.", True),
    ("Le ministre a également annoncé de nouvelles mesures pour les écoles…", True),
])
def test_a_text_is_cut_when_its_last_paragraph_stops_short(last, cut):
    text = STORY + "\n\n" + ("Le ministre de l’Éducation a rappelé que les cours commenceront à "
                             "huit heures dans toutes les écoles.")
    print_ = Fingerprint.of(None, text + "\n\n" + last)
    assert print_ is not None and print_.cut is cut


def test_a_one_paragraph_text_stopping_mid_sentence_is_cut():
    print_ = Fingerprint.of(None, STORY.rstrip(".") + " et dans les académies du")
    assert print_ is not None and print_.cut


def test_a_first_paragraph_stopping_short_does_not_make_the_text_cut():
    text = ("Les enseignants ont été redéployés dans les académies du\n\n" + STORY)
    print_ = Fingerprint.of(None, text)
    assert print_ is not None and not print_.cut


# ---- the teaser index's storage: big indexes and ids added again ----------------------------
def test_slot_table_keeps_every_slot_across_merges():
    table = _SlotTable()
    table._MIN_PENDING = 4  # merge often
    expected: dict[int, list[int]] = {}
    for slot in range(60):
        key = (slot * 7919) % 11 - 5  # negative, zero and positive keys, each many times
        table.add(key, slot)
        expected.setdefault(key, []).append(slot)
    for key, slots in expected.items():
        assert sorted(table.get(key)) == slots
    assert table.get(99) == []


def test_blobs_read_back_across_chunks():
    blobs = _Blobs()
    parts = [bytes([i % 251]) * 300_000 for i in range(9)]  # 2.7 MB: three chunks
    addresses = [blobs.append(part) for part in parts]
    for address, part in zip(addresses, parts, strict=True):
        assert blobs.read(address, len(part)) == part


def test_re_added_ids_are_matched_on_their_new_text_only():
    index = TeaserIndex()
    leads = {i: f"Le conseil de cercle de Kati a tenu sa {i}e session ordinaire ce lundi, sous la "
             f"présidence du préfet, avec {i * 3} points inscrits à l’ordre du jour."
             for i in range(1, 6)}
    for i, lead in leads.items():
        index.add(i, lead, f"Les débats ont porté sur le budget de {2020 + i}.")
    index.add(3, "Le marché de Kati rouvre ses portes après trois mois de travaux de réfection.",
              "Les commerçants saluent la fin du chantier.")
    assert len(index) == 5
    for i, lead in leads.items():
        assert index.match(" ".join(lead.split()[:16]) + "…") == (None if i == 3 else i)
    assert index.match("Le marché de Kati rouvre ses portes après trois…") == 3
    assert index.match("Les débats ont porté sur le budget de 2024.") == 4


def test_a_teaser_longer_than_the_whole_article_does_not_match_it():
    lead = "Les examens du DEF débutent ce lundi dans les académies de Kidal et Ménaka."
    for extra in ("dès…", "dès huit heures…", "Les candidats…", "Les candidats sont…"):
        teaser = (lead.rstrip(".") if extra.islower() else lead) + " " + extra
        assert not is_truncation_of(teaser, lead)
        index = TeaserIndex()
        index.add(1, lead, None)
        assert index.match(teaser) is None


def test_a_teaser_of_the_body_is_found_by_the_stored_keys():
    lead = "Le conseil de cercle de Kati a tenu sa session ordinaire."
    body = ("Les débats ont porté sur le budget de 2026, adopté à l’unanimité des conseillers "
            "présents après deux jours d’échanges.")
    teaser = "Les débats ont porté sur le budget de 2026, adopté…"
    assert teaser_keys(teaser) & article_keys(lead, body)


def test_copy_text_repairs_folds_and_joins_lead_and_body():
    assert copy_text("L’Essor", "DÃ©cembre à Kidal") == "l essor decembre a kidal"
    assert copy_text(None, "Kidal") == copy_text("Kidal", None) == "kidal"  # nothing for None


# ---- copies that lost their accents, and facts in a text's last words ----------------------
PUMP = ("Le ministère de l’Économie et des Finances a annoncé que les prix à la pompe étaient "
        "révisés dès le 1er décembre : le gasoil passe à 725 francs, l’essence à 775 francs, après "
        "la réunion de la commission chargée de la régulation, présidée par le ministre délégué, "
        "en présence des opérateurs pétroliers, des représentants des consommateurs et des élus "
        "régionaux de Ségou, Sikasso et Mopti.")


def test_a_copy_that_lost_its_accents_is_a_copy_whichever_side_it_is_on():
    lost = "".join(c for c in PUMP if c.isascii())
    original, damaged = Fingerprint.of(PUMP, None), Fingerprint.of(lost, None)
    assert is_copy(damaged, original) and is_copy(original, damaged)


@pytest.mark.parametrize("first", ["Kanté", "Kante"])
def test_a_name_with_its_accent_folded_or_lost_is_the_same_name(first):
    second = "Kante" if first == "Kanté" else "Kanté"
    ending = "de Ségou, Sikasso et Mopti."
    a = Fingerprint.of(PUMP.replace(ending, f", selon Moussa {first}."), None)
    b = Fingerprint.of(PUMP.replace(ending, f", selon Moussa {second}."), None)
    assert not contradicts(a, b)


def test_a_different_figure_in_the_last_words_of_a_whole_text_contradicts():
    a = Fingerprint.of(PUMP + " Le litre de gasoil est vendu à 725 francs.", None)
    b = Fingerprint.of(PUMP + " Le litre de gasoil est vendu à 750 francs.", None)
    assert not a.cut and not b.cut
    assert contradicts(a, b) and not is_copy(a, b)


# ---- facts: a figure written with or without its thousands space is one figure; a value said
# twice at one context is said twice; a name is its run of capitalised words ----------------
PRICES = ("Le ministère de l’Économie a annoncé les nouveaux prix à la pompe après la réunion "
          "de la commission chargée de la régulation, présidée par le ministre délégué, en "
          "présence des opérateurs pétroliers et des représentants des consommateurs. ")


@pytest.mark.parametrize(("one", "other", "differ"), [
    ("Le stock atteint 12 500 tonnes de gasoil selon la direction.",
     "Le stock atteint 12500 tonnes de gasoil selon la direction.", False),
    ("À Kayes, il fait 41 °C ce lundi. À Nioro, il fait 41 °C ce lundi. Les écoles ferment.",
     "À Kayes, il fait 41 °C ce lundi. À Nioro, il fait 40 °C ce lundi. Les écoles ferment.",
     True),
    ("Le décès de Moussa Traoré, survenu lundi, a été annoncé par la famille.",
     "Le décès de Awa Diarra, survenu lundi, a été annoncé par la famille.", True),
    ("Le décès de Moussa Traoré, survenu lundi, a été annoncé par la famille.",
     "Le décès de Moussa Traore, survenu lundi, a été annoncé par la famille.", False),
])
def test_facts_compare_figures_names_and_repeats(one, other, differ):
    a, b = Fingerprint.of(PRICES + one, None), Fingerprint.of(PRICES + other, None)
    assert contradicts(a, b) is differ
    assert contradicts(b, a) is differ


# ---- where a text is cut: the last paragraph as the page gives it --------------------------
SCHOOLS = ("Le ministre de l’Éducation a rappelé que les cours commenceront à huit heures dans "
           "toutes les écoles.")


@pytest.mark.parametrize(("text", "cut"), [
    # a no-break space (a CMS's "&nbsp;") after the full stop, then the byline
    (STORY + "\n\n" + SCHOOLS + "\u00a0\n\nMoussa KONE", False),
    # L'Essor's hard-broken lines, each ending in a space: the last line has 7 words
    (STORY + " \n" + SCHOOLS + " \nLes enseignants ont été redéployés dans sept", False),
    # 8 words without a full stop: a sentence cut short, not a signature
    (STORY + "\n\nLes enseignants ont été redéployés dans les académies", True),
])
def test_where_the_last_paragraph_stops(text, cut):
    print_ = Fingerprint.of(None, text)
    assert print_ is not None and print_.cut is cut


def test_lire_la_suite_inside_a_sentence_is_text_not_a_link():
    # "lire la suite" near the end is a read-on link; further back it is a sentence
    last = ("Les candidats pourront lire la suite des consignes sur le site du ministère, qui "
            "publie les horaires et les salles du lycée.")
    assert len(last) - last.index("lire la suite") == 101
    print_ = Fingerprint.of(None, STORY + "\n\n" + last)
    assert print_ is not None and not print_.cut
    print_ = Fingerprint.of(None, STORY + "\n\n" + last[:-1] + " Lire la suite sur Maliweb.")
    assert print_ is not None and print_.cut


# ---- facts: sentence breaks, punctuation and the text's first word are context --------------
def _prices(text: str) -> Fingerprint:
    return Fingerprint.of(PRICES + text, None)


def test_a_figure_opening_a_sentence_is_compared_whatever_ended_the_one_before():
    # an edited copy ("le ministre délégué" -> "le ministre") of a template with another price
    a = _prices("La séance était présidée par le ministre délégué. 725 francs : c’est le nouveau "
                "prix du litre de gasoil.")
    b = _prices("La séance était présidée par le ministre. 750 francs : c’est le nouveau prix du "
                "litre de gasoil.")
    assert contradicts(a, b) and contradicts(b, a)


def test_punctuation_after_a_figure_is_its_context():
    a = _prices("Le taux de réussite au DEF est de 62 %, selon le ministère de l’Éducation.")
    b = _prices("Le taux de réussite au DEF est de 58 %, d’après le ministère de l’Éducation.")
    assert contradicts(a, b) and contradicts(b, a)


def test_a_copy_writing_fcfa_for_francs_cfa_is_still_a_copy():
    a = _prices("Le litre de gasoil passe à 725 francs CFA le litre dès lundi dans tout le pays.")
    b = _prices("Le litre de gasoil passe à 725 FCFA le litre dès lundi dans tout le pays.")
    assert not contradicts(a, b) and is_copy(a, b)


@pytest.mark.parametrize("where", ["lead", "body"])
def test_the_dateline_opening_a_text_is_a_fact(where):
    # one regional press release, sent from two towns: two stories, not copies
    text = (", le 2 octobre 2025. Le gouverneur de la région a présidé la cérémonie de remise des "
            "kits scolaires aux élèves des écoles de la ville, en présence des autorités locales, "
            "des parents d’élèves et des représentants des organisations partenaires.")
    a, b = ((Fingerprint.of(town + text, None) if where == "lead"
             else Fingerprint.of(None, town + text)) for town in ("Kayes", "Sikasso"))
    assert contradicts(a, b) and not is_copy(a, b)


def test_swapped_figures_in_one_sentence_contradict():
    # the same budget template with its two rates swapped: another year's figures
    a = _prices("Les recettes sont en hausse de 12 % et les dépenses en baisse de 8 % cette année.")
    b = _prices("Les recettes sont en hausse de 8 % et les dépenses en baisse de 12 % cette année.")
    assert contradicts(a, b) and contradicts(b, a)


def test_a_figure_is_compared_by_the_two_words_nearest_it():
    # "douanières" / "fiscales" three words back: the same "augmentent de" rate, another figure
    a = _prices("Les recettes douanières augmentent de 12 % cette année.")
    b = _prices("Les recettes fiscales augmentent de 8 % cette année.")
    assert contradicts(a, b) and contradicts(b, a)


def test_a_copy_filed_under_another_rubric_is_still_a_copy():
    # "Économie :" and "Société :" are capitalised words with no context: not compared
    a, b = Fingerprint.of("Économie : " + PRICES, None), Fingerprint.of("Société : " + PRICES, None)
    assert not contradicts(a, b) and is_copy(a, b)


def test_a_name_ending_a_sentence_is_compared_whatever_follows():
    a = _prices("Le président de la Transition a reçu en audience Moussa Traoré. Le ministre était "
                "présent.")
    b = _prices("Le président de la Transition a reçu en audience Awa Diarra. Les élèves étaient "
                "présents.")
    assert contradicts(a, b) and contradicts(b, a)


def test_a_value_said_three_times_differs_from_one_said_twice():
    bulletin = ("Températures maximales relevées lundi. Kayes : 41 degrés. Nioro : 41 degrés. "
                "Diéma : {} degrés.")
    a, b = _prices(bulletin.format(41)), _prices(bulletin.format(40))
    assert contradicts(a, b) and contradicts(b, a)


@pytest.mark.parametrize(("after", "differ"), [
    # a cut copy's last 10 tokens may be a cut figure: "750" followed by 9 tokens is not checked
    ("francs dans toutes les stations du pays dans toutes", False),
    # followed by 10 tokens it is outside the cut tail, and 750 against 725 contradicts
    ("francs dans toutes les stations du pays dans toutes les", True),
])
def test_the_cut_tail_of_a_trimmed_copy_is_its_last_ten_tokens(after, differ):
    cut = _prices(f"Le gasoil passe à 750 {after}…")
    whole = _prices(f"Le gasoil passe à 725 {after} stations du pays.")
    assert cut.cut and not whole.cut
    assert contradicts(cut, whole) is differ


def test_an_excerpt_whose_body_is_a_read_on_link_is_cut():
    print_ = Fingerprint.of(PRICES + "Le gasoil passe à 725 francs le litre et l’essence à 775 "
                            "francs dans…", "Lire la suite sur Maliweb")
    assert print_ is not None and print_.cut


def test_a_copy_signed_by_the_aggregator_is_still_a_copy():
    # six-word signatures: the reporter's, and the aggregator's own
    text = "Le gasoil passe à 725 francs le litre.\n\n"
    a = Fingerprint.of(PRICES, text + "Moussa KONE, envoyé spécial à Kidal")
    b = Fingerprint.of(PRICES, text + "Mali Actu, avec L’Essor à Kidal")
    assert not contradicts(a, b) and is_copy(a, b)


# ---- shingles and the shortest text that gets a fingerprint --------------------------------
@pytest.mark.parametrize(("text", "count"), [
    ("", 0), ("kidal", 0), ("kidal est liberee", 0),
    ("kidal est liberee lundi", 1), ("kidal est liberee ce lundi", 2),
])
def test_a_text_has_one_32_bit_shingle_per_run_of_four_words(text, count):
    found = shingles(text)
    assert len(found) == count and found.dtype == np.uint32
    assert Fingerprint.of(text, None) is None  # far too short to be called a copy


def test_twenty_shingles_are_enough_for_a_fingerprint():
    budget = ("Le conseil de cercle de Kati a adopté lundi son budget annuel après deux jours de "
              "débats entre les élus et le préfet.")
    assert len(shingles(copy_text(budget, None))) == 20
    assert Fingerprint.of(budget, None) is not None
    assert Fingerprint.of(budget.replace(" annuel", ""), None) is None  # 19


def test_a_lead_folded_into_the_body_gives_the_same_shingles():
    # an aggregator that puts the chapeau in its body, or drops the body: the same words
    lead_only, body_only = Fingerprint.of(PRICES, None), Fingerprint.of(None, PRICES)
    assert copy_similarity(lead_only, body_only) == (1.0, 1.0)


def test_a_mojibake_copy_of_a_template_keeps_its_curly_apostrophe():
    # the repaired "d’Awa" must read as the clean "d’Amadou" does: the name is compared
    clean = Fingerprint.of(PRICES + "Le décès d’Amadou Koné, survenu lundi, a été annoncé par "
                           "la famille.", None)
    garbled = Fingerprint.of(PRICES.encode("utf-8").decode("cp1252") + "Le dÃ©cÃ¨s dâ€™Awa "
                             "Diarra, survenu lundi, a Ã©tÃ© annoncÃ© par la famille.", None)
    assert contradicts(clean, garbled) and contradicts(garbled, clean)


def test_minhash_of_plain_integers_is_that_of_their_uint32_array():
    # a caller may pass CRC32 values as Python ints (as datasketch's update takes them)
    values = [1, 2, 3, 4_000_000_000]
    assert np.array_equal(minhash_signature(values),
                          minhash_signature(np.array(values, dtype=np.uint32)))


# ---- texts made of short lines: a bulletin, a price list. Only a real signature is dropped --
TOWNS = ["Kayes", "Nioro du Sahel", "Kita", "Bamako", "Ségou", "San", "Mopti", "Tombouctou",
         "Gao", "Kidal", "Ménaka", "Sikasso", "Bougouni", "Koutiala"]
MAXIMA = [43, 42, 40, 39, 40, 41, 42, 44, 45, 43, 44, 36, 37, 38]
METEO_LEAD = "Mali-Météo : les températures maximales prévues ce mardi 14 avril 2026"


def _bulletin(maxima: list[int]) -> str:
    """Mali-Météo's daily maxima, one town a line, as the papers print them."""
    return "\n".join(f"{town} : {value} degrés" for town, value in zip(TOWNS, maxima, strict=True))


def lost_accents(text: str) -> str:
    return "".join(c for c in text if c.isascii())


def _one_changed(at: int, value: int) -> list[int]:
    return [value if i == at else v for i, v in enumerate(MAXIMA)]


@pytest.mark.parametrize("lead", [METEO_LEAD, None])
@pytest.mark.parametrize("at", [0, 5, 13])  # the first line, one in the middle, the last
def test_two_bulletins_of_short_lines_differing_in_one_town_are_not_copies(lead, at):
    # Gao's 45 and Kayes' 43 become 44, Koutiala's 38 becomes 39: another day's bulletin
    a = Fingerprint.of(lead, _bulletin(MAXIMA))
    b = Fingerprint.of(lead, _bulletin(_one_changed(at, MAXIMA[at] + 1)))
    assert copy_similarity(a, b)[1] > COPY_CONTAINMENT  # the wording alone says "copy"
    assert contradicts(a, b) and contradicts(b, a)
    assert not is_copy(a, b)


def _trimmed(text: str, lines: int) -> str:
    """A copy cut inside its `lines`th line, as an aggregator's excerpt ends."""
    kept = text.split("\n")[:lines]
    return "\n".join(kept[:-1] + [kept[-1][: kept[-1].index(":") + 3] + "…"])


@pytest.mark.parametrize(("copy", "told_apart"), [
    (lambda body: body + "\n\nSource : Maliweb", True),
    (lambda body: lost_accents(body), True),
    (lambda body: lost_accents(body) + "\n\nSource : Maliweb", True),
    (lambda body: _trimmed(body, 9), True),  # "Gao : 4…"
    (lambda body: _trimmed(body, 12) + "\n\nLire la suite sur Maliweb", True),
], ids=["source line", "accents lost", "accents lost + source", "trimmed", "trimmed + read on"])
@pytest.mark.parametrize("lead", [METEO_LEAD, None])
def test_a_copy_of_a_bulletin_of_short_lines_is_still_a_copy(copy, told_apart, lead):
    original = Fingerprint.of(lead, _bulletin(MAXIMA))
    copied = Fingerprint.of(lead and lost_accents(lead), copy(_bulletin(MAXIMA)))
    assert not contradicts(original, copied) and is_copy(original, copied)
    # and the copy still tells the bulletin from the next day's
    other = Fingerprint.of(lead, _bulletin(_one_changed(1, 43)))
    if told_apart:
        assert not is_copy(copied, other)


def test_a_trimmed_bulletin_loses_its_cut_line_only():
    # "Gao : 4…" is not Gao's 45; the eight lines before it are whole and compared as such
    whole = Fingerprint.of(METEO_LEAD, _bulletin(MAXIMA))
    cut = Fingerprint.of(METEO_LEAD, _trimmed(_bulletin(MAXIMA), 9))
    assert not contradicts(whole, cut)
    eight_lines = "\n".join(_bulletin(MAXIMA).split("\n")[:8])
    assert dedup._without_signature(_trimmed(_bulletin(MAXIMA), 9)) == eight_lines
    # Nioro's 42 told 43 in the next day's bulletin, another 42 later: still another bulletin
    assert contradicts(cut, Fingerprint.of(METEO_LEAD, _bulletin(_one_changed(1, 43))))


def test_a_short_signature_after_a_bulletin_is_dropped_not_compared():
    # two papers crediting the same bulletin to different sources: the same bulletin
    a = Fingerprint.of(METEO_LEAD, _bulletin(MAXIMA) + "\n\nSource : L’Essor")
    b = Fingerprint.of(METEO_LEAD, _bulletin(MAXIMA) + "\n\nSource : L’Indépendant")
    assert not contradicts(a, b) and is_copy(a, b)


def test_two_short_lines_of_figures_after_a_paragraph_are_text_not_a_signature():
    # a fuel notice closing on its two prices: the figures are what the notice says
    a = Fingerprint.of(None, PUMP + "\n\nGasoil : 725 francs le litre\nSuper : 775 francs le litre")
    b = Fingerprint.of(None, PUMP + "\n\nGasoil : 725 francs le litre\nSuper : 780 francs le litre")
    assert contradicts(a, b) and not is_copy(a, b)


def test_a_byline_and_a_credit_after_a_paragraph_are_a_signature():
    a = Fingerprint.of(None, PUMP + "\n\nMoussa KONE\nEnvoyé spécial à Kidal\n\nSource : L’Essor")
    b = Fingerprint.of(None, PUMP + "\n\nAwa DIARRA\nCorrespondante à Ségou\n\nAvec Maliweb")
    assert not contradicts(a, b) and is_copy(a, b)


# ---- figures side by side: a range is two figures, "12 500" one ------------------------------
MARKET = ("Au marché de Médine, à Bamako, les prix des céréales relevés ce lundi 13 avril 2026 "
          "sont en légère hausse par rapport à la semaine dernière, selon les commerçants "
          "grossistes. ")


def _market(rice: str, millet: str = "de 250 à 275") -> Fingerprint:
    return Fingerprint.of(MARKET, f"Le kilogramme de riz local se vend {rice} francs CFA et "
                                  f"celui du mil {millet} francs CFA au détail.")


@pytest.mark.parametrize(("one", "other"), [
    ("de 725 à 750", "de 725 à 760"),
    ("de 725 à 750", "de 700 à 750"),
    # the same digits, split elsewhere: joined, both read "115"
    ("de 1 à 15", "de 11 à 5"),
    ("de 750 à 725", "de 725 à 750"),
])
def test_price_ranges_differing_in_a_bound_contradict(one, other):
    a, b = _market(one), _market(other)
    assert contradicts(a, b) and contradicts(b, a) and not is_copy(a, b)


@pytest.mark.parametrize("damage", [lost_accents, lambda text: text.replace(" à ", " a "),
                                    lambda text: text.replace("à", "?")])
def test_a_range_in_a_damaged_copy_is_the_same_range(damage):
    a = _market("de 725 à 750")
    b = Fingerprint.of(damage(MARKET), damage("Le kilogramme de riz local se vend de 725 à 750 "
                                              "francs CFA et celui du mil de 250 à 275 francs CFA "
                                              "au détail."))
    assert not contradicts(a, b) and is_copy(a, b)


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", "\u2009"])
def test_a_thousands_space_of_any_kind_is_one_figure(space):
    # "12 500 FCFA" as typed, as a CMS's &nbsp;, as French typography's narrow no-break space
    spaced = _market(f"à 12{space}500", millet=f"à 9{space}750")
    retyped = _market("à 12500", millet="à 9750")
    assert not contradicts(spaced, retyped) and is_copy(spaced, retyped)
    assert dedup._facts(f"Le sac se vend à 12{space}500 FCFA.") == dedup._facts(
        "Le sac se vend à 12500 FCFA.")
    assert contradicts(spaced, _market(f"à 12{space}600", millet=f"à 9{space}750"))


def test_figures_side_by_side_that_are_no_thousands_are_apart():
    # PMU'B's arrival order: "1 15 7" and "11 5 7" are other horses, though the digits match
    results = ("Le Pari mutuel urbain (PMU-Mali) a publié les résultats de la course de ce "
               "dimanche disputée à l’hippodrome de Bamako devant un public nombreux. ")
    a = Fingerprint.of(results, "L’arrivée du Quinté est la suivante : 1 15 7 4 9, selon le PMU.")
    b = Fingerprint.of(results, "L’arrivée du Quinté est la suivante : 11 5 7 4 9, selon le PMU.")
    assert contradicts(a, b) and not is_copy(a, b)


def _price_list(gasoil: int) -> str:
    """ONAP's monthly price notice as some papers print it: a title, one product a short line
    (6 words or fewer: each line was taken for a signature and dropped)."""
    return "\n".join([
        "Prix plafonds des produits pétroliers à Bamako à compter du 1er décembre 2025",
        "Super : 775 francs le litre",
        f"Gasoil : {gasoil} francs le litre",
        "Pétrole lampant : 650 francs",
        "Fuel : 600 francs le litre",
        "Gaz butane : 3 500 francs",
        "Source : ONAP",
    ])


@pytest.mark.parametrize("lead", ["Carburants : les nouveaux prix", None])
def test_fuel_price_lists_differing_in_one_price_are_not_copies(lead):
    a, b = Fingerprint.of(lead, _price_list(725)), Fingerprint.of(lead, _price_list(750))
    assert contradicts(a, b) and not is_copy(a, b)
    # the same list, accents lost and credited to an aggregator, is the same notice
    copied = Fingerprint.of(lead, lost_accents(_price_list(725)) + "\n\nAvec Maliweb")
    assert not contradicts(a, copied) and is_copy(a, copied)


def test_a_price_list_in_fcfa_keys_its_figures_by_the_unit():
    # "FCFA" is a unit, not a name: without it "Gasoil : 725 FCFA" followed by "Super : ..." had
    # no context at all (":" ends a sentence, capitalised words are facts, not context)
    notice = ("Prix plafonds des produits pétroliers à Bamako à compter du 1er décembre 2025\n"
              "Gasoil : {} FCFA\nSuper : 775 FCFA\nPétrole : 650 FCFA\nFuel : 600 FCFA\n"
              "Gaz butane : 3 500 FCFA\nSource : ONAP")
    a, b = Fingerprint.of(None, notice.format(725)), Fingerprint.of(None, notice.format(750))
    assert contradicts(a, b) and not is_copy(a, b)


# ---- where a trimmed copy was cut, and what ends a text: the rest of its lines are whole --------
def test_a_copy_cut_inside_a_name_before_a_read_on_link_is_still_a_copy():
    # an aggregator's excerpt cut at "Ména" (for "Ménaka") with no "…", then its read-on link:
    # the cut line goes, as "Gao : 4…" does; kept, "Ména" reads as another town than "Ménaka"
    lines = _bulletin(MAXIMA).split("\n")
    excerpt = "\n".join(lines[:10] + ["Ména"]) + "\n\nLire la suite sur Maliweb"
    original, copied = Fingerprint.of(METEO_LEAD, _bulletin(MAXIMA)), Fingerprint.of(METEO_LEAD,
                                                                                   excerpt)
    assert not contradicts(original, copied) and is_copy(original, copied)


def test_a_credit_right_under_the_last_line_leaves_that_line_compared():
    # ONAP's notice with "Source : ONAP" on the line after the butane price: only the credit goes
    butane = _price_list(725).replace("3 500", "3 750")
    a, b = Fingerprint.of(None, _price_list(725)), Fingerprint.of(None, butane)
    assert contradicts(a, b) and not is_copy(a, b)


@pytest.mark.parametrize("cut", [
    "Gaz butane : 3 500 fr…",  # a cut line of six words
    "Gaz butane : 3 5…\u00a0\n\nSource : Maliweb",  # a CMS's &nbsp; after the "…", then a credit
], ids=["six words", "no-break space"])
def test_the_line_before_a_trimmed_copy_s_cut_is_compared_whole(cut):
    # the fuel price just above the cut is whole: another month's notice (fuel at 625 francs) is
    # another notice, though the excerpt stops before its butane price
    lines = _price_list(725).split("\n")
    excerpt = Fingerprint.of(None, "\n".join(lines[:5] + [cut]))
    assert not contradicts(excerpt, Fingerprint.of(None, _price_list(725)))
    other = Fingerprint.of(None, _price_list(725).replace("600", "625"))
    assert contradicts(excerpt, other) and not is_copy(excerpt, other)


@pytest.mark.parametrize("lead", [None, "Kidal : la rentrée scolaire fixée au 6 octobre"])
def test_a_dispatch_signed_by_two_reporters_is_one_text(lead):
    # AMAP's dispatch as two papers print it, each under the reporter who filed it to them: the
    # byline and the reporter's post are a signature, not the text's names
    a = Fingerprint.of(lead, STORY + "\n\nMoussa KONE\nEnvoyé spécial à Kidal")
    b = Fingerprint.of(lead, STORY + "\n\nAwa DIARRA\nEnvoyée spéciale à Kidal")
    assert not contradicts(a, b) and is_copy(a, b)


GOVERNMENT = ("Le président de la Transition a signé ce lundi le décret portant nomination des "
              "membres du gouvernement, qui compte vingt-huit ministres dont six femmes. En voici "
              "les premiers noms :")


def _government(security: str) -> str:
    return "\n".join([GOVERNMENT, "Mahamane Touré, Premier ministre",
                      "Bakary Sangaré, ministre de la Défense",
                      "Fatoumata Keïta, ministre des Affaires étrangères",
                      f"{security}, ministre de la Sécurité",
                      "Ousmane Cissé, ministre de l’Économie"])


def test_two_lists_of_names_in_short_lines_differing_in_one_name_are_not_copies():
    # a list of short lines without a figure is what the text says, not a signature to drop
    a = Fingerprint.of(None, _government("Moussa Koné"))
    b = Fingerprint.of(None, _government("Awa Diarra"))
    assert contradicts(a, b) and not is_copy(a, b)


# ---- a text of one paragraph and one line under it (an aggregator's excerpt, a feed's text) --
def test_a_dated_credit_right_under_a_one_paragraph_text_is_not_compared():
    # two aggregators crediting L'Essor, one with the date, one with the day it was read
    a = Fingerprint.of(None, PUMP + "\nSource : L’Essor, 2 décembre 2025")
    b = Fingerprint.of(None, PUMP + "\nSource : L’Essor, 3 décembre 2025")
    assert not contradicts(a, b) and is_copy(a, b)


def test_a_cut_line_right_under_a_one_paragraph_text_leaves_the_paragraph_whole():
    # the paragraph's last name is compared: the same notice for Kayes is another notice
    excerpt = Fingerprint.of(None, PUMP + "\nLe gasoil passe à 7…")
    assert not excerpt.cut
    other = Fingerprint.of(None, PUMP.replace("et Mopti", "et Kayes"))
    assert contradicts(excerpt, other) and not is_copy(excerpt, other)


# ---- a name is the context of the figure or name right after it -----------------------------
# Facts are keyed by the words around them, other facts skipped, so that "Douentza 23 °C" and
# "Mopti 25 °C" compare their figures. Texts that keep every figure and name but pair them
# otherwise were linked as copies: these are other bulletins, other standings, other roles.
def _standings(teams: list[str]) -> str:
    points = (45, 43, 40, 38, 36, 33)
    lines = [f"{rank}. {team} {score} points"
             for rank, (team, score) in enumerate(zip(teams, points, strict=True), 1)]
    return "\n".join(["Ligue 1 : le classement après la 20e journée du championnat national.",
                      *lines, "La 21e journée se jouera le week-end prochain au stade Modibo "
                      "Keïta, où les deux premiers du classement se retrouveront samedi soir."])


MINISTERS = ("Le ministre des Mines, Amadou Keïta, a annoncé une production d’or de 65 tonnes "
             "pour l’année écoulée, un record depuis l’ouverture des premières mines industrielles "
             "du pays, et la société a versé 120 milliards de FCFA à l’État au titre des impôts et "
             "des dividendes. Le ministre des Finances, Alousseni Sanou, a présenté le budget de "
             "l’année prochaine aux députés, qui l’examineront en commission dès la semaine "
             "prochaine avant le vote en séance plénière.")


def _swapped(text: str, a: str, b: str) -> str:
    return text.replace(a, "\0").replace(b, a).replace("\0", b)


@pytest.mark.parametrize("original, other", [
    (_bulletin(MAXIMA), _bulletin([42, 43, *MAXIMA[2:]])),  # two towns' figures swapped
    (_standings(["Stade Malien", "Djoliba AC", "Real de Bamako", "AS Police", "Onze Créateurs",
                 "AS Bakaridjan"]),
     _standings(["Djoliba AC", "Stade Malien", "Real de Bamako", "AS Police", "Onze Créateurs",
                 "AS Bakaridjan"])),
    (MINISTERS, _swapped(MINISTERS, "Amadou Keïta", "Alousseni Sanou")),
])
def test_the_same_facts_paired_otherwise_are_another_text(original, other):
    a, b = Fingerprint.of(None, original), Fingerprint.of(None, other)
    assert copy_similarity(a, b)[1] > COPY_CONTAINMENT  # the wording alone says "copy"
    assert contradicts(a, b) and contradicts(b, a) and not is_copy(a, b)


def _reordered_with_ads(text: str) -> str:
    first, second = text.split(". Le ministre")
    return (f"Le ministre{second}\n\nPUBLICITÉ : Orange Money, 10 % offerts\n\n{first}."
            "\n\nSource : L’Essor")


@pytest.mark.parametrize("copy_of", [
    lambda text: text.encode("ascii", "ignore").decode(),  # accented letters lost
    lambda text: text.replace("é", "?").replace("ï", "?"),  # lost as question marks
    lambda text: text.replace("\n", " \n "),  # spaces around the line breaks
])
@pytest.mark.parametrize("original", [_bulletin(MAXIMA), MINISTERS])
def test_a_copy_keeps_its_pairs(original, copy_of):
    a, b = Fingerprint.of(None, original), Fingerprint.of(None, copy_of(original))
    assert not contradicts(a, b) and is_copy(a, b)


def test_a_name_ending_a_paragraph_is_no_context_of_the_next_one():
    # an aggregator moved the paragraphs and put an ad between them: the same text
    a, b = Fingerprint.of(None, MINISTERS), Fingerprint.of(None, _reordered_with_ads(MINISTERS))
    assert not contradicts(a, b) and is_copy(a, b)


def test_a_name_is_no_context_across_a_full_stop():
    # "... à Gao. 12 blessés" and "... à Gao. 15 morts": the figures are compared by their own
    # words ("blessés", "morts" after them), not as Gao's
    a = _prices("Un accident a eu lieu près de Gao. 12 blessés sont soignés à l’hôpital.")
    b = _prices("Un accident a eu lieu près de Gao. 12 blessés sont soignés à l’hôpital régional.")
    assert not contradicts(a, b)
