"""The cheaper ways crawler.dedup computes a text's forms (issue 17) give what the plain
definitions give: the accents-folded and accents-dropped words (regex passes over the Unicode
text), the shingles (np.unique), the MinHash of both forms (over their union), and the facts,
read when a fingerprint is first compared."""

from __future__ import annotations

import copy
import re
import unicodedata

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from crawler import dedup

_WORD = re.compile(r"[a-z0-9]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+|['`]|(?<=[a-z0-9])[?](?=[a-z0-9])")


def folded(text: str) -> str:
    """_folded as first written: NFKD, no combining marks, the runs of [a-z0-9]."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join(_WORD.findall(re.sub("[\u0300-\u036f]", "", text)))


def accents_dropped(text: str) -> str:
    """_accents_dropped as first written: NFC, no non-ASCII, quotes or lost letters."""
    text = unicodedata.normalize("NFC", text.casefold())
    return " ".join(_WORD.findall(_NON_ASCII.sub("", text)))


def shingles(text: str) -> np.ndarray:
    """shingles as first written: np.unique of the mixed hashes."""
    import zlib

    words = np.array([zlib.crc32(w.encode()) for w in text.split()], dtype=np.uint64)
    n = len(words) - dedup.SHINGLE_WORDS + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint32)
    mix = dedup._mixes()[0]
    mixed = sum(words[i : i + n] * mix[i] for i in range(dedup.SHINGLE_WORDS))
    return np.unique((mixed ^ (mixed >> np.uint64(29))) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


# What news text is made of, and what tells the forms apart: Latin-1 letters (the table path),
# the separators it reads as "«", letters that fold to several ("ß", "½"), combining marks,
# lost letters ("Ke?ta", "\ufffd"), Bambara letters, other scripts, digits and punctuation.
PIECES = [
    "a", "e", "K", "é", "È", "ç", "ô", "ï", "ÿ", "ß", "½", "²", "µ", "´", "¨", "æ", "×", "\xa0",
    "’", "‘", "“", "”", "…", "–", "—", "\u202f", "\u2009", "\u0301", "\u0338", "<", "?", "?",
    "\ufffd", "'", "`", "ɔ", "ɛ", "ɲ", "Ɛ", "œ", "ﬁ", "İ", "Σ", "ж", "日", "7", "12", " ", " ",
    "\n", ".", ",", ":", "-", "(", "°", "«", "»", "Ã©", "â€™"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@given(TEXTS)
def test_the_forms_are_the_plain_definitions(text):
    assert dedup._folded(text) == folded(text)
    assert dedup._accents_dropped(text) == accents_dropped(text)
    words = folded(text)
    assert dedup.shingles(words).tobytes() == shingles(words).tobytes()
    assert dedup.shingles(words).dtype == np.uint32


def test_each_pair_of_pieces_between_letters_gives_the_plain_forms():
    for one in PIECES:
        for other in PIECES:
            text = f"xa{one}{other}b?y"
            assert dedup._folded(text) == folded(text), text
            assert dedup._accents_dropped(text) == accents_dropped(text), text


def test_every_latin1_character_folds_as_the_unicode_passes_fold_it():
    for byte in range(256):
        char = chr(byte)
        for text in (char, f"x{char}x", f"Ke{char}ta 12{char}500 {char}{char}"):
            assert dedup._folded(text) == folded(text), hex(byte)
            assert dedup._accents_dropped(text) == accents_dropped(text), hex(byte)


def _text(n: int) -> tuple[str, str]:
    lead = f"Le ministre de la Santé a lancé hier à Ségou la campagne numéro {n} de vaccination."
    body = (f"Les agents de santé de Ségou ont reçu {n} 500 doses pour les enfants de moins de "
            "cinq ans dans les cercles de la région, selon le directeur régional Moussa Traoré."
            " La campagne durera dix jours et concerne aussi les villages les plus éloignés.")
    return lead, body


def test_the_minhash_of_both_forms_is_the_minhash_of_their_union():
    for n in range(20):
        lead, body = _text(n)
        raw = f"{lead}\n\n{body}"
        one, other = shingles(folded(raw)), shingles(accents_dropped(raw))
        print_ = dedup.Fingerprint.of(lead, body)
        assert print_ is not None
        band_keys = print_.keys[: dedup.BANDS]
        signature = dedup.minhash_signature(np.union1d(one, other))
        rows = signature.astype(np.uint64).reshape(dedup.BANDS, dedup.ROWS)
        _, band_mix, band_salt = dedup._mixes()
        mixed = (rows * band_mix).sum(axis=1, dtype=np.uint64) + band_salt
        assert list(band_keys) == (mixed ^ (mixed >> np.uint64(31))).view(np.int64).tolist()


def test_facts_are_read_when_asked_and_a_copy_reads_the_same():
    lead, body = _text(7)
    print_ = dedup.Fingerprint.of(lead, body)
    assert print_ is not None
    copied = copy.copy(print_)
    expected = dedup._facts(dedup._without_signature(f"{lead}\n\n{body}"))
    assert expected  # the text has facts: figures and names in context
    assert print_.facts == expected and copied.facts == expected
    other = dedup.Fingerprint.of(*_text(8))
    assert other is not None and dedup.contradicts(print_, other)
