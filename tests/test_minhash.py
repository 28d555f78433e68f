"""The MinHash computed in numpy is datasketch's, value for value: the LSH band keys it makes
are stored (article_keys), and keys stored by an earlier version must still be found. And a
fingerprint imports neither datasketch nor scipy."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pytest

from crawler.dedup import (
    BANDS,
    NUM_PERM,
    ROWS,
    Fingerprint,
    _mixes,
    minhash_signature,
)

LEAD = ("Le ministre de la Santé a lancé hier à Ségou la campagne de vaccination contre la "
        "rougeole.")
BODY = (" ".join(["Les agents de santé ont reçu les doses nécessaires pour les enfants de moins "
                  "de cinq ans dans les cercles de la région."] * 2)
        + " Selon le directeur régional, Moussa Traoré, plus de 120 000 enfants sont concernés."
        " Éducation, sécurité, économie : la région se prépare.")
# Fingerprint.of(LEAD, BODY).keys as datasketch 2.0 computed them (before numpy did): stored
# keys must stay findable, with or without datasketch installed.
STORED_KEYS = (
    -5061165078380118342, -8946001156511127286, -7035830482077804411, -6499258981944493986,
    -8713178614340909587, 5764420765882703338, 3647434288514342394, 1186610634668728110,
    3004330692248022036, -3918803036704592151, -1152304336210103456, 5858092676730734953,
    -5555045492254299763, 6781862654732405755, 4167685240498364186, 6025408740596470,
    -4408281976548187607, 1279242557463181453, 2040158129600123364, 8504346095896110206,
    -5126770817944909298, 4045378996436391820, 7658467388049958262, 3832753983075758943,
    7896180093656060921, -1107245323566484367, -6238287163900993057, 5063008284887299919,
    6692585611455856922, -4724430320234873882, 492305034465409726, 1931964787354758479,
    -7520262764806899669, 6746505397184722142, 4615823439355742014, -8592746791157462735,
)
_WORDS = ("le la les du de des un une à Mali Bamako Ségou ministre santé région armée "
          "sécurité coopération développement marché coton école élection transition paix "
          "accord village cercle récolte prix 2025 12 500 Traoré Koné Diarra l'armée décembre "
          "Kon? d?cembre")
WORDS = _WORDS.split()
MOJIBAKE = ["Ã©tÃ©", "dÃ©cembre"]  # repaired by ftfy before shingling


def texts(n: int, seed: int) -> list[tuple[str, str]]:
    """(lead, body) of n texts of 10 to 300 words, accented, some damaged."""
    rng = random.Random(seed)
    made = []
    for k in range(n):
        words = WORDS + MOJIBAKE if k % 10 == 0 else WORDS
        made.append((" ".join(rng.choices(words, k=rng.randint(0, 40))),
                     " ".join(rng.choices(words, k=rng.randint(10, 300)))))
    return made


def test_fingerprint_keys_are_the_ones_stored_before():
    assert Fingerprint.of(LEAD, BODY).keys == STORED_KEYS


def test_signature_of_extreme_values_is_datasketchs():
    # datasketch 2.0: MinHash(num_perm=128, seed=1, hashfunc=int), update_batch([0, 1, 2, max])
    signature = minhash_signature(np.array([0, 1, 2, 0xFFFFFFFF], dtype=np.uint32))
    assert signature.dtype == np.uint32 and signature.shape == (NUM_PERM,)
    assert signature[:6].tolist() == [214548472, 2248242908, 1105757534, 194758406, 520608637,
                                      209199632]


def test_signature_is_each_permutations_minimum_whatever_the_order():
    values = np.random.default_rng(3).integers(0, 2**32, 500, dtype=np.uint32)
    signature = minhash_signature(values)
    assert np.array_equal(signature, minhash_signature(values[::-1]))
    parts = np.minimum(minhash_signature(values[:200]), minhash_signature(values[200:]))
    assert np.array_equal(signature, parts)  # a MinHash of a union is the minimum of the parts


datasketch = pytest.importorskip("datasketch", reason="the [test] extra installs datasketch")


def datasketch_signature(hashes: np.ndarray) -> np.ndarray:
    """What crawler.dedup computed before numpy did (datasketch 2.0, scheme affine32)."""
    permutations = datasketch.MinHash(num_perm=NUM_PERM, seed=1).permutations
    minhash = datasketch.MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=permutations,
                                 scheme="affine32")
    minhash.update_batch(hashes.tolist())
    return minhash.hashvalues


def datasketch_band_keys(fingerprint: Fingerprint) -> list[int]:
    signature = datasketch_signature(np.union1d(fingerprint.shingles, fingerprint.dropped))
    rows = signature[: BANDS * ROWS].astype(np.uint64).reshape(BANDS, ROWS)
    _, band_mix, band_salt = _mixes()
    mixed = (rows * band_mix).sum(axis=1, dtype=np.uint64) + band_salt
    return (mixed ^ (mixed >> np.uint64(31))).view(np.int64).tolist()


def test_signatures_equal_datasketchs_on_random_sets():
    rng = np.random.default_rng(1)
    for size in [1, 2, 20, 300, 5000, *rng.integers(1, 3000, 300)]:
        values = np.unique(rng.integers(0, 2**32, int(size), dtype=np.uint32))
        assert np.array_equal(minhash_signature(values), datasketch_signature(values)), size


def test_band_keys_equal_datasketchs_on_many_texts():
    compared = 0
    for lead, body in texts(1000, seed=2):
        fingerprint = Fingerprint.of(lead, body)
        if fingerprint is None:
            continue
        compared += 1
        bands = datasketch_band_keys(fingerprint)
        assert list(fingerprint.keys[:BANDS]) == list(dict.fromkeys(bands)), (lead, body)
    assert compared > 900


def test_fingerprint_imports_neither_datasketch_nor_scipy():
    code = ("import sys; from crawler.dedup import Fingerprint; "
            f"assert Fingerprint.of({LEAD!r}, {BODY!r}) is not None; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'datasketch')))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


def test_a_fingerprints_copies_read_its_facts_once(monkeypatch):
    """linker.Computed hands each article of a text republished word for word its own copy
    (copy.copy) of the text's fingerprint: the copies share the facts read from the text,
    read once, whichever copy asks first."""
    import copy

    from crawler import dedup

    reads: list[str] = []
    read = dedup._facts
    monkeypatch.setattr(dedup, "_facts", lambda told: reads.append(told) or read(told))
    original = Fingerprint.of(LEAD, BODY)
    assert original is not None
    copies = [copy.copy(original) for _ in range(3)]
    assert all(c is not original and c == original for c in copies)
    facts = copies[1].facts
    assert facts == read(original.told) and facts  # the figures, the name
    assert copies[0].facts is facts and original.facts is facts
    assert len(reads) == 1


def test_the_openings_of_a_text_republished_word_for_word_are_computed_once(monkeypatch):
    """linker.Computed.openings: dedup.article_keys of a row, computed once per text (lead and
    body; a missing one read as empty, as article_keys reads it) whatever the row."""
    from types import SimpleNamespace

    from crawler import linker

    calls: list[tuple[str | None, str | None]] = []
    keys = linker.article_keys
    monkeypatch.setattr(linker, "article_keys",
                        lambda lead, body: calls.append((lead, body)) or keys(lead, body))
    cache = linker.Computed()
    row = SimpleNamespace(id=1, lead=LEAD, body=BODY)
    found = cache.openings(row)
    assert found == keys(LEAD, BODY) and found
    assert cache.openings(SimpleNamespace(id=2, lead=LEAD, body=BODY)) == found
    assert len(calls) == 1
    without_lead = cache.openings(SimpleNamespace(id=3, lead=None, body=BODY))
    assert cache.openings(SimpleNamespace(id=4, lead="", body=BODY)) == without_lead
    assert without_lead == keys(None, BODY) != found
    assert len(calls) == 2
    # the lead's end is part of the text: the same characters split otherwise differ
    assert cache.openings(SimpleNamespace(id=5, lead=LEAD[:-1], body=LEAD[-1] + BODY)) \
        == keys(LEAD[:-1], LEAD[-1] + BODY)
    assert len(calls) == 3
