"""TeaserIndex in its compact form: what the arrays, the byte store and the deflated second
opening must keep of the plain dict version's behaviour."""

from __future__ import annotations

import pytest

from crawler.dedup import TeaserIndex, _SlotTable

LEAD = ("Le Conseil des ministres s'est réuni hier au palais de Koulouba sous la présidence du "
        "chef de l'État, qui a adopté trois projets de décret relatifs aux marchés publics.")
BODY = ("La commission de régulation de l'électricité et de l'eau a publié mardi les nouveaux "
        "tarifs applicables aux abonnés domestiques de Bamako, Kayes et Sikasso à partir de mars.")


def cut(text: str, words: int) -> str:
    return " ".join(text.split()[:words]) + "…"


def test_a_readded_id_answers_for_its_new_text_only():
    index = TeaserIndex()
    index.add(7, LEAD, "Corps.")
    index.add(7, "Un tout autre chapeau sur la campagne agricole à Ségou et ses rendements "
                 "attendus par les producteurs de riz.", "Corps.")
    assert index.match(cut(LEAD, 14)) is None
    assert index.match("Un tout autre chapeau sur la campagne agricole à Ségou et ses…") == 7
    assert len(index) == 1


def test_an_article_without_lead_is_found_by_its_body():
    index = TeaserIndex()
    index.add(3, None, BODY)
    assert index.match(cut(BODY, 15)) == 3
    assert index.match(cut(LEAD, 15)) is None


def test_an_article_is_found_by_its_body_when_the_teaser_is_not_its_lead():
    # the body is the second opening (stored deflated), read only when the lead does not fit
    index = TeaserIndex()
    index.add(4, LEAD, BODY)
    assert index.match(cut(BODY, 16)) == 4
    assert index.match(cut(LEAD, 16)) == 4


def test_ids_beyond_64_bits_are_refused():
    with pytest.raises(OverflowError):
        TeaserIndex().add(1 << 64, LEAD, BODY)


def test_lookups_hold_across_the_merge_of_pending_keys_into_the_arrays(monkeypatch):
    # past _MIN_PENDING new keys the pending dict is merged into the sorted arrays (lowered
    # here so that a few hundred articles merge many times): articles added before and after
    # each merge are all found, and none is found for another's teaser
    monkeypatch.setattr(_SlotTable, "_MIN_PENDING", 16)
    index = TeaserIndex()
    total = 400
    for article_id in range(1, total + 1):
        index.add(article_id, f"Communiqué numéro {article_id} du gouvernement de transition "
                              f"sur la session ordinaire {article_id * 7} du conseil national.",
                  None)
    assert len(index._keys._keys) > 0 and len(index._slots._keys) > 0  # merged, not all pending
    for article_id in (1, 2, total // 2, total - 1, total):
        teaser = (f"Communiqué numéro {article_id} du gouvernement de transition sur la "
                  f"session ordinaire {article_id * 7} du…")
        assert index.match(teaser) == article_id
    assert index.match("Communiqué numéro 999999 du gouvernement de transition sur la "
                       "session ordinaire 12 du…") is None


def test_articles_that_open_alike_are_told_apart_by_lead_and_by_body():
    # 40 articles share their first ~150 characters, so every teaser's key finds them all;
    # each teaser must still find its own article (by lead or by body, the body's opening
    # turned down by its mark or read), and a sibling not indexed must find none
    shared = ("Le gouvernement de la transition informe l'opinion nationale et internationale "
              "que le conseil des ministres s'est réuni ce mercredi en session ordinaire")
    index = TeaserIndex()

    def lead(n: int) -> str:
        return f"{shared} pour examiner le dossier numéro {n} relatif aux travaux de la région."

    def body(n: int) -> str:
        return (f"{shared}, et le ministre du dossier {n} a présenté les conclusions de "
                f"la commission chargée de la session budgétaire {n * 3}.")

    for n in range(40):
        index.add(n, lead(n), body(n))
    for n in (0, 17, 39):
        assert index.match(cut(lead(n), 28)) == n
        assert index.match(cut(body(n), 28)) == n
    assert index.match(cut(lead(99), 28)) is None
    assert index.match(cut(body(99), 28)) is None
