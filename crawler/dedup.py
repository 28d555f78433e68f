"""Teaser matching (find the full article a truncated teaser was cut from) and republished
copies (near-duplicate texts across sources, and which of them is the original).

No database here: crawler.store persists the stable keys these functions compute.

Both sides are normalised (normalize_for_match, accents stripped: that comparison is implied by
the accented one and also absorbs "decembre"/"décembre"), the truncation marker is removed, and
the teaser, up to its last word (which may be cut), must be a prefix of the article's lead or
of its body's start, followed by a space; the last word must begin the article's next word.
L'Essor's cut (first 300 UTF-8 bytes of the chapeau + ".") needs no rule of its own:
strip_truncation drops the "." and a lone lead byte ("Ã", "\ufffd"), and the last word may be cut.
A false merge loses an article, so anything ambiguous or too short answers None.
Copies: see the section "republished copies" below. Their MinHash is datasketch's (DESIGN.md),
computed here with numpy instead of imported: datasketch imports scipy, 0.45 s of CPU and 40 MB
on a crawl's first fingerprint (issue 17); the values are the same (tests/test_minhash.py).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
import string
import unicodedata
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from crawler.text import (
    broken_byte_remnant,
    fold_whitespace,
    is_boilerplate,
    looks_like_byline,
    normalize_for_match,
    repair_mojibake,
    strip_truncation,
)

# numpy is imported where copies are fingerprinted or the teaser index is built: the parsing
# workers import this module for split_trailing_teasers and is_truncation_of only, and numpy
# is 20 MB of each worker's memory (issue 17).
if TYPE_CHECKING:
    import numpy as np

# lessor.ml related-articles list: first 300 UTF-8 bytes of the chapeau, then a literal ".".
LESSOR_TEASER_BYTES = 300
MIN_WORDS = 6  # a teaser shorter than this (or MIN_CHARS) is not distinctive enough to match
MIN_CHARS = 30
MIN_WHOLE_LEAD_WORDS = 3  # even a whole-lead match needs this much ("-." must not match "-")
# Index levels: an article is filed under the first 240, 120, 60 and 24 characters of its
# normalised lead and body; a teaser is looked up at the longest level its whole words fill.
_KEY_CHARS = (240, 120, 60, 24)
# Normalised opening kept per text. L'Essor's 300 bytes and feed excerpts (~55 words) fit; a
# longer teaser is verified on these first characters, which are proof enough.
_OPENING_CHARS = 600
_STRONG_ENDINGS = ("..", "…", "[…]", "[...]")
_Opening = tuple[str, bool]  # (normalised accent-stripped opening, was it cut at _OPENING_CHARS)
_Texts = tuple[_Opening | None, _Opening | None]  # (lead, body)


@dataclass(slots=True)
class _Probe:
    raw: str
    text: str  # normalised, marker removed
    core: str  # text up to its last word, which is complete in the article too
    partial: str  # the last word (maybe cut), trailing punctuation removed

    @classmethod
    def of(cls, teaser_text: str) -> _Probe:
        stripped, _ = strip_truncation(teaser_text)
        text = _norm(stripped)
        core, _, last = text.rpartition(" ")
        return cls(teaser_text, text, core, last.rstrip(".,;:!?\"')]-"))

    @property
    def distinctive(self) -> bool:
        return _distinctive(self.text)

    def whole_forms(self) -> set[str]:
        """What the whole lead is if the teaser shows all of it (L'Essor: lead + ".")."""
        raw = fold_whitespace(self.raw)
        forms = {self.text, _norm(raw), _norm(raw[:-1]) if raw.endswith(".") else ""}
        return {f for f in forms if len(f.split()) >= MIN_WHOLE_LEAD_WORDS}

    def opening(self) -> str:
        """The opening to look up: the core cut at the longest key level it fills."""
        return self.core[: next(n for n in _KEY_CHARS if n <= len(self.core))]

    def lookups(self) -> set[str]:
        """What to look up: the opening, or the whole-lead forms of a short teaser."""
        if self.distinctive:
            return {self.opening()}
        return {_WHOLE + form for form in self.whole_forms()}

    def fits(self, opening: _Opening) -> bool:
        """The teaser is a truncation of the text this opening starts."""
        text, capped = opening
        core = self.core
        if len(core) >= len(text):
            return capped and core.startswith(text)
        if not text.startswith(core) or text[len(core)] != " ":
            return False
        rest = text[len(core) + 1 :]
        return rest.startswith(self.partial) or (capped and self.partial.startswith(rest))


def stable_key(text: str) -> int:
    """A signed 64-bit key, the same in every process (keys are stored; hash() is salted)."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


_WHOLE = "\n="  # marks a whole-lead key; "\n" never survives normalisation: no opening collides


def _distinctive(text: str) -> bool:
    """Long enough to match by text; the part before the last word must fill a key level."""
    words = text.count(" ") + 1
    return len(text) >= MIN_CHARS and words >= MIN_WORDS and text.rfind(" ") >= _KEY_CHARS[-1]


def _norm(text: str) -> str:
    return normalize_for_match(text, keep_accents=False)


def _opening(text: str | None) -> _Opening | None:
    if not text or not text.strip():
        return None
    budget = 2 * _OPENING_CHARS  # normalise only the start of a long body; cut at a space
    head = text if len(text) <= budget else text[:budget].rsplit(None, 1)[0]
    norm = _norm(head)
    return norm[:_OPENING_CHARS], len(head) < len(text) or len(norm) > _OPENING_CHARS


def _entry(lead: str | None, body: str | None) -> tuple[_Texts, set[str]]:
    """An article's openings and the prefixes it is filed under."""
    texts = (_opening(lead), _opening(body))
    filed: set[str] = set()
    for opening in texts:
        if opening:
            filed.update(opening[0][:n] for n in _KEY_CHARS if len(opening[0]) > n)
    if texts[0] and not _distinctive(texts[0][0]):
        filed.add(_WHOLE + texts[0][0])
    return texts, filed


# In memory TeaserIndex hashes with hash(), fast; what is stored uses stable_key.
def article_keys(lead: str | None, body: str | None) -> set[int]:
    """The keys TeaserIndex files an article under, stable across processes (to be stored)."""
    return {stable_key(prefix) for prefix in _entry(lead, body)[1]}


def teaser_keys(teaser_text: str) -> set[int]:
    """The stable keys a teaser is looked up under (empty when it is too short to match)."""
    return {stable_key(lookup) for lookup in _Probe.of(teaser_text).lookups()}


def is_truncation_of(teaser_text: str, full_text: str) -> bool:
    """True if the teaser shows the start of full_text (a lead or a body), cut or whole."""
    probe = _Probe.of(teaser_text)
    if not probe.distinctive:
        return _norm(full_text) in probe.whole_forms()
    return probe.fits((_norm(full_text), False))


# A TeaserIndex of a million articles must fit in well under 1 GB, where a Python dict entry,
# int or str costs ~100 bytes: what it keeps per article lives in arrays and one byte store.
_PRESENT, _CAPPED, _DEFLATED = 1, 2, 4  # an opening's flag bits; a slot's lead in bits 0-2
_CHUNK_BITS = 20  # openings are stored in 1 MB chunks: appending never copies what is stored
_MIN_DEFLATE = 64  # deflate does not shorten a text shorter than this
# Each opening also keeps one byte per length here: a mark of its first n characters (1-255;
# 0 when it is shorter than n: it is then always read). A teaser whose core starts with
# characters of another mark cannot fit: its candidates sharing only a key's prefix (articles
# that open alike) are turned down without reading, or inflating, their openings.
_MARK_CHARS = (24, 60, 120, 180, 240, 300, 400, 500)
_MARKS = len(_MARK_CHARS)


def _mark(text: str) -> int:
    return hash(text) % 255 + 1


def _marks(opening: _Opening | None) -> list[int]:
    """The marks of an opening's first _MARK_CHARS characters (an absent one: 0s)."""
    text = opening[0] if opening else ""
    return [_mark(text[:n]) if len(text) >= n else 0 for n in _MARK_CHARS]


class _SlotTable:
    """A multimap of 64-bit keys to slots: two sorted numpy arrays (12 bytes a pair), the
    pairs added since the last merge kept in a dict that stays small (1/32 of the arrays)."""

    _MIN_PENDING = 1 << 15

    def __init__(self) -> None:
        import numpy as np

        self._keys = np.empty(0, np.int64)
        self._slots = np.empty(0, np.int32)
        self._pending: dict[int, int | list[int]] = {}
        self._pending_pairs = 0

    def get(self, key: int) -> list[int]:
        """The slots filed under key."""
        keys = self._keys
        i = int(keys.searchsorted(key))
        found = []
        while i < len(keys) and keys.item(i) == key:
            found.append(self._slots.item(i))
            i += 1
        pending = self._pending.get(key)
        if pending is not None:
            found.extend(pending) if isinstance(pending, list) else found.append(pending)
        return found

    def add(self, key: int, slot: int) -> None:
        pending = self._pending.get(key)
        if pending is None:
            self._pending[key] = slot
        elif isinstance(pending, list):
            pending.append(slot)
        else:
            self._pending[key] = [pending, slot]
        self._pending_pairs += 1
        if self._pending_pairs > max(self._MIN_PENDING, len(self._keys) >> 5):
            self._merge()

    def _merge(self) -> None:
        """Move the pending pairs into the sorted arrays."""
        import numpy as np

        pairs = [(key, slot) for key, slots in self._pending.items()
                 for slot in (slots if isinstance(slots, list) else (slots,))]
        keys = np.fromiter((key for key, _ in pairs), np.int64, len(pairs))
        slots = np.fromiter((slot for _, slot in pairs), np.int32, len(pairs))
        order = np.argsort(keys, kind="stable")
        keys, slots = keys[order], slots[order]
        at = self._keys.searchsorted(keys, side="right")
        self._keys = np.insert(self._keys, at, keys)
        self._slots = np.insert(self._slots, at, slots)
        self._pending.clear()
        self._pending_pairs = 0


class _Blobs:
    """Byte strings appended to 1 MB chunks, read back by address (chunk and offset)."""

    def __init__(self) -> None:
        self._chunks: list[bytes | bytearray] = [bytearray()]

    def append(self, data: bytes) -> int:
        chunk = self._chunks[-1]
        if chunk and len(chunk) + len(data) > 1 << _CHUNK_BITS:
            self._chunks[-1] = bytes(chunk)  # exact size: a bytearray keeps spare room
            chunk = bytearray()
            self._chunks.append(chunk)
        address = (len(self._chunks) - 1) << _CHUNK_BITS | len(chunk)
        chunk += data
        return address

    def read(self, address: int, size: int) -> bytes | bytearray:
        start = address & ((1 << _CHUNK_BITS) - 1)
        return self._chunks[address >> _CHUNK_BITS][start : start + size]


def _packed(opening: _Opening | None, deflate: bool) -> tuple[bytes, int]:
    """An opening as stored: its UTF-8, deflated if asked and shorter so, and its flag bits."""
    if opening is None:
        return b"", 0
    text, capped = opening
    data, bits = text.encode("utf-8"), _PRESENT | (_CAPPED if capped else 0)
    if deflate and len(data) >= _MIN_DEFLATE:
        deflated = zlib.compress(data, wbits=-15)  # raw deflate: no header, no checksum
        if len(deflated) < len(data):
            return deflated, bits | _DEFLATED
    return data, bits


class TeaserIndex:
    """Articles filed under the first characters of their normalised lead and body.

    match() looks up one key and verifies the few articles filed under it, so its cost does
    not grow with the index. Ids are the caller's (database primary keys, 64-bit).

    Each article has a slot in arrays: its id, where its openings are stored (in one byte
    store) and their flags; the hashes of its filed prefixes map to slots in a _SlotTable.
    The opening verified first (the lead, else the body) is stored as is, the other deflated:
    inflating would cost a lookup about as much again, and most teasers are verified on the
    first. About 850 bytes an article with leads of 400 characters.
    """

    def __init__(self) -> None:
        self._keys = _SlotTable()  # hash of a filed prefix -> slots
        self._slots = _SlotTable()  # article id -> its slot
        self._ids = array("q")  # slot -> article id
        self._at = array("Q")  # slot -> address of its openings: lead's bytes, then body's
        self._sizes = array("I")  # slot -> lead's byte count, body's byte count
        self._flags = array("B")  # slot -> lead's flag bits | body's << 3
        self._marks = array("B")  # slot -> the lead's _MARKS marks, then the body's
        self._blobs = _Blobs()

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, article_id: int, lead: str | None, body: str | None) -> None:
        """Index an article by its lead and its body's start. Re-adding an id replaces its text."""
        texts, filed = _entry(lead, body)
        lead_data, lead_bits = _packed(texts[0], deflate=False)
        body_data, body_bits = _packed(texts[1], deflate=texts[0] is not None)
        data, flags = lead_data + body_data, lead_bits | body_bits << 3
        marks = _marks(texts[0]) + _marks(texts[1])
        known = self._slots.get(article_id)
        if known:
            slot = known[0]
            if flags == self._flags[slot] and self._stored(slot) == data:
                return
            # The old text's bytes stay in the store, unreferenced: an id is rarely re-added.
            self._at[slot] = self._blobs.append(data)
            self._sizes[2 * slot], self._sizes[2 * slot + 1] = len(lead_data), len(body_data)
            self._flags[slot] = flags
            self._marks[2 * _MARKS * slot : 2 * _MARKS * (slot + 1)] = array("B", marks)
        else:
            slot = len(self._ids)
            self._ids.append(article_id)  # first: an id that is not 64-bit fails here
            self._slots.add(article_id, slot)
            self._at.append(self._blobs.append(data))
            self._sizes.extend((len(lead_data), len(body_data)))
            self._flags.append(flags)
            self._marks.extend(marks)
        for key in map(hash, filed):
            # A re-added id may be filed already (keys of old text stay: match() verifies).
            if not known or slot not in self._keys.get(key):
                self._keys.add(key, slot)

    def _stored(self, slot: int) -> bytes | bytearray:
        return self._blobs.read(self._at[slot], self._sizes[2 * slot] + self._sizes[2 * slot + 1])

    def _opening(self, slot: int, body: bool) -> _Opening | None:
        """The slot's lead or body opening, as _entry made it."""
        bits = self._flags[slot] >> 3 * body
        if not bits & _PRESENT:
            return None
        address = self._at[slot] + self._sizes[2 * slot] * body
        data = self._blobs.read(address, self._sizes[2 * slot + body])
        if bits & _DEFLATED:
            data = zlib.decompress(data, wbits=-15, bufsize=4 * _OPENING_CHARS)
        return data.decode("utf-8"), bool(bits & _CAPPED)

    def _fits(self, slot: int, probe: _Probe, level: int, mark: int) -> bool:
        """probe.fits the slot's lead or body; `mark` is the mark of the probe's core at
        _MARK_CHARS[level]: an opening with another mark there does not fit (see _marks)."""
        at = 2 * _MARKS * slot + level
        stored = self._marks[at]
        if stored in (0, mark) and (lead := self._opening(slot, False)) and probe.fits(lead):
            return True
        stored = self._marks[at + _MARKS]
        return stored in (0, mark) and bool(
            (body := self._opening(slot, True)) and probe.fits(body))

    def _fitting(self, teaser_text: str) -> Iterator[int]:
        """Each indexed article this teaser was cut from (once)."""
        probe = _Probe.of(teaser_text)
        seen: set[int] = set()
        if probe.distinctive:
            # The longest marked length the core fills (a distinctive core fills the first).
            level = bisect.bisect_right(_MARK_CHARS, len(probe.core)) - 1
            mark = _mark(probe.core[: _MARK_CHARS[level]])
            for slot in self._keys.get(hash(probe.opening())):
                if slot not in seen and self._fits(slot, probe, level, mark):
                    seen.add(slot)
                    yield self._ids[slot]
        else:
            forms = probe.whole_forms()
            for form in forms:
                for slot in self._keys.get(hash(_WHOLE + form)):
                    lead = self._opening(slot, False)
                    if slot not in seen and lead and lead[0] in forms:
                        seen.add(slot)
                        yield self._ids[slot]

    def match(self, teaser_text: str) -> int | None:
        """The id of the one article this teaser was cut from; None if none or several fit."""
        found = None
        for article_id in self._fitting(teaser_text):
            if found is not None:
                return None
            found = article_id
        return found

    def matches(self, teaser_text: str) -> set[int]:
        """Every indexed article this teaser fits (a caller may know that several are one story)."""
        return set(self._fitting(teaser_text))


def _strong_teaser_signal(paragraph: str) -> bool:
    text = paragraph.strip()
    if text.endswith(_STRONG_ENDINGS):
        return True
    return text.endswith(".") and (
        broken_byte_remnant(text[:-1]) or len(text[:-1].encode("utf-8")) == LESSOR_TEASER_BYTES
    )


def split_trailing_teasers(paragraphs: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Cut the related-article teasers a naive scrape glues after the byline.

    Returns (body, bylines, teasers). After the last byline, the run is cut when most of it
    carries a strong sign (L'Essor's ".." or byte-cut endings, an ellipsis); without a byline
    only a run of two or more strong paragraphs at the very end is cut. Otherwise the
    paragraphs come back whole.
    """
    paragraphs = list(paragraphs)
    for i in range(len(paragraphs) - 1, -1, -1):
        # the byline test first: it turns down a paragraph of more than six words at once
        if looks_like_byline(paragraphs[i]) and not is_boilerplate(paragraphs[i]):
            run = [p for p in paragraphs[i + 1 :] if not is_boilerplate(p)]
            if run and 2 * sum(map(_strong_teaser_signal, run)) > len(run):
                return paragraphs[:i], [paragraphs[i]], run
            break
    n = 0
    while n < len(paragraphs) and _strong_teaser_signal(paragraphs[-1 - n]):
        n += 1
    if n >= 2:
        return paragraphs[:-n], [], paragraphs[-n:]
    return paragraphs, [], []


# ---- republished copies -------------------------------------------------------------------
# Texts are compared as sets of hashed 4-word shingles of lead + body, in two forms: accents
# folded ("décembre" -> "decembre") and accented letters dropped ("décembre" -> "dcembre", what
# a copy that lost its accents shows); mojibake is repaired first (ftfy), and the better score of
# the two forms counts. MinHash LSH (datasketch's MinHash, computed in numpy) over both forms'
# shingles proposes candidates, with keys on the opening of lead + body and of the body alone
# (a copy without the chapeau); the exact shingle sets decide: a copy shares half of all
# shingles (Jaccard) or lies almost whole inside the other text (a trimmed copy). Two conditions
# veto a link whatever the similarity: a same-context fact that differs (template texts:
# "gasoil à 725 francs" against "gasoil à 750 francs", "le décès de Moussa Traoré, survenu"
# against "... de Awa Diarra, survenu") and, for a lower bar, dates far apart (COPY_NEAR_DAYS).
SHINGLE_WORDS = 4
NUM_PERM = 128
# 32 bands of 4 rows: a pair becomes a candidate with probability 1-(1-J^4)^32, which is 0.87
# at Jaccard 0.5, 0.98 at 0.6, and 0.05 at 0.2 (unrelated news shares well under 0.1).
BANDS, ROWS = 32, 4
COPY_JACCARD = 0.5
COPY_CONTAINMENT = 0.8  # of the smaller text's shingles found in the larger one
# Published further apart than this, a copy must be whole or nearly (an aggregator that
# republishes weeks later copies the text as is; a template reissued weeks later is new).
COPY_NEAR_DAYS = 3.0
FAR_JACCARD = 0.85
FAR_CONTAINMENT = 0.95
MIN_SHINGLES = 20  # below this (about 23 words) a text is too short to call a copy
_COPY_OPENING_CHARS = _KEY_CHARS[0]  # a trimmed copy keeps the opening: one more candidate key
# A trimmed copy's cut ("le ministre Abdoulaye…") reads as another name: the facts in the
# last tokens of a text that ends as a cut one does need not be in the other text.
_FACT_TAIL_WORDS = 10
_COMMON_MARKS = re.compile("[\u0300-\u036f]")
# What a copy that lost its accents lost: every non-ASCII character, apostrophes ("l’armée"
# -> "larme") and quotes included; "?" standing for one ("d?cembre", "l?arm?e").
_NON_ASCII_QUOTES = b"'`"
_LOST_LETTER = re.compile(r"(?<=[a-z0-9])[?](?=[a-z0-9])")
# The words of ASCII bytes are their runs of [a-z0-9]: this table makes every other byte a
# space for split(). A table and split cost a quarter of a regex's findall over the text.
_SPACES_BUT_WORDS = bytes(
    byte if chr(byte) in string.ascii_lowercase + string.digits else ord(" ")
    for byte in range(256))
_MOJIBAKE_HINTS = ("Ã", "Â", "â€", "Å")


# The MinHash is datasketch's (MinHash(num_perm=128, seed=1), scheme "affine32", hashfunc=int)
# computed here with numpy: importing datasketch imports scipy (0.45 s of CPU and 40 MB on the
# first fingerprint of a crawl), for arithmetic numpy does in a few lines. The band keys are
# stored (article_keys), so the values must stay datasketch's, bit for bit: tests/test_minhash.py
# compares them with datasketch's on many texts and pins some. Each input hash is mixed by the
# MurmurHash3 32-bit finalizer, then permutation k maps it to a_k * h + b_k mod 2^32 (a_k odd);
# the signature is each permutation's minimum over the set.
@functools.cache
def _permutations(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) of the NUM_PERM permutations, drawn as datasketch draws them for `seed` (numpy's
    RandomState streams are frozen: the same values in every numpy version). Drawn on first
    use: numpy.random is an import that `crawl --help` need not pay."""
    import numpy as np

    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(values: np.ndarray) -> np.ndarray:
    """The MurmurHash3 finalizer on uint32 values (a bijection; arithmetic wraps mod 2^32)."""
    import numpy as np

    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def minhash_signature(hashes: np.ndarray) -> np.ndarray:
    """The NUM_PERM uint32 MinHash values of a non-empty set of uint32 hashes: every
    permutation of every value at once, then each permutation's minimum."""
    import numpy as np

    a, b = _permutations()
    mixed = _fmix32(np.asarray(hashes, dtype=np.uint32))
    permuted = np.multiply.outer(mixed, a)
    permuted += b
    return permuted.min(axis=0)


@functools.cache
def _mixes() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(shingle mix, band mix, band salt): numpy constants, made on first use."""
    import numpy as np

    return (np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F], dtype=np.uint64),
            np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                      0xD6E8FEB86659FD93], dtype=np.uint64),
            np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0xFF51AFD7ED558CCD))


class _WordHashes(dict[str, int]):
    """crc32 of each word's UTF-8, kept: words repeat a lot. Read with __getitem__, a known
    word costs no Python call (a function with dict.get cost twice as much, issue 17)."""

    def __missing__(self, word: str) -> int:
        if len(self) > 1_000_000:  # a bound for long processes
            self.clear()
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


_word_hashes = _WordHashes()


def _repaired(text: str) -> str:
    """Mojibake repaired ("dÃ©cembre" -> "décembre"); ftfy runs only where it may be needed."""
    if any(hint in text for hint in _MOJIBAKE_HINTS):
        text = repair_mojibake(text)
    return text


def _folded(text: str) -> str:
    """Only the words of the text, case and accents folded; any other character separates
    words ("l’œuvre" and "l'oeuvre" differ only in one word)."""
    latin = _latin_words(text, _unicode_folded)
    return _unicode_folded(text) if latin is None else latin


def _unicode_folded(text: str) -> str:
    """_folded of any text."""
    text = _COMMON_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    # any other non-ASCII character becomes "?", which separates words as the rest does
    return _words(text.encode("ascii", "replace"))


def _accents_dropped(text: str) -> str:
    """The words with every accented letter dropped, as a copy that lost them shows them."""
    # A "?" is read with its neighbours ("l?arm?e"), which the Latin-1 table cannot do.
    latin = None if "?" in text else _latin_words(text, _unicode_accents_dropped)
    return _unicode_accents_dropped(text) if latin is None else latin


def _unicode_accents_dropped(text: str) -> str:
    """_accents_dropped of any text."""
    text = unicodedata.normalize("NFC", text.casefold())
    if "?" in text:  # before the other characters go: "l?arm?e" is read on the text as it is
        text = _LOST_LETTER.sub("", text)
    return _words(text.encode("ascii", "ignore"), delete=_NON_ASCII_QUOTES)


# A French text is Latin-1 but for these characters, which both forms read as they read "«"
# (it separates words when folded, goes when dropped, and combines with nothing).
_SEPARATORS = "’‘“”…–—\u202f\u2009"
_SEVERAL = b"\xff"  # in a _latin_table: a character that becomes several ("ß" -> "ss")


def _latin_words(text: str, form: Callable[[str], str]) -> str | None:
    """form(text) (_unicode_folded or _unicode_accents_dropped) for Latin-1 text (after
    _SEPARATORS), else None. No Latin-1 character combines with another under casefold, NFKD
    or NFC, so the form of Latin-1 text is its characters' forms one after the other: one
    bytes.translate, a C loop, where the Unicode passes cost ~4x as much (issue 17)."""
    for char in _SEPARATORS:
        text = text.replace(char, "«")  # ~free when the text has no such character
    try:
        latin = text.encode("latin-1")
    except UnicodeEncodeError:
        return None
    table, dropped = _latin_table(form)
    latin = latin.translate(table, dropped)
    if _SEVERAL in latin:
        return None
    return b" ".join(latin.split()).decode("ascii")


@functools.cache
def _latin_table(form: Callable[[str], str]) -> tuple[bytes, bytes]:
    """form of each Latin-1 character as a bytes.translate table and the bytes it deletes,
    read off form itself: a character between two "x" comes out as "xx" (it goes), "x x" (it
    separates words), "xcx" (it is c) or else several characters (_SEVERAL)."""
    table, dropped = bytearray(_SEVERAL * 256), bytearray()
    for byte in range(256):
        formed = form(f"x{chr(byte)}x")
        if formed == "xx":
            dropped.append(byte)
        elif formed == "x x":
            table[byte] = ord(" ")
        elif len(formed) == 3 and formed[0] == formed[2] == "x":
            table[byte] = ord(formed[1])
    return bytes(table), bytes(dropped)


def _words(text: bytes, delete: bytes = b"") -> str:
    """The runs of [a-z0-9] of ASCII text, one space between them; `delete` goes first."""
    return b" ".join(text.translate(_SPACES_BUT_WORDS, delete).split()).decode("ascii")


def copy_text(lead: str | None, body: str | None) -> str:
    """The text compared for copies: lead then body (an aggregator may fold the chapeau into
    its body or drop it), mojibake repaired, case and accents folded."""
    return _folded(_repaired(f"{lead or ''} {body or ''}"))


def shingles(text: str) -> np.ndarray:
    """Sorted unique 32-bit hashes of the 4-word shingles of a copy_text."""
    import numpy as np

    shingle_mix = _mixes()[0]
    split = text.split()
    words = np.fromiter(map(_word_hashes.__getitem__, split), dtype=np.uint64, count=len(split))
    n = len(words) - SHINGLE_WORDS + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint32)
    # In place: an article's arrays are small, each new array costs more than its arithmetic.
    mixed = words[:n] * shingle_mix[0]
    for i in range(1, SHINGLE_WORDS):
        mixed += words[i : i + n] * shingle_mix[i]
    mixed ^= mixed >> np.uint64(29)
    mixed &= np.uint64(0xFFFFFFFF)
    hashes = mixed.astype(np.uint32)
    hashes.sort()
    # np.unique's result; unique itself costs twice as much on arrays this small
    return hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]


# ---- facts: what template texts differ in -------------------------------------------------
# A fact is a number, or a run of capitalised words (a name), with the tokens around it: the
# two before and the one after (words or punctuation such as "," "/" "°"), within the same
# sentence. Keyed by that context (written as _skeleton writes words, which a damaged copy
# does not change), its values are what the text says there. A copy says the
# same things, or (trimmed) some of them, or (with an ad inserted) more: one text's values at
# a context are among the other's. Two template texts do not.
_TOKEN = re.compile(
    # What is skipped before the token: whitespace, and "°", "«", "…" (see mark). findall then
    # gives it with the token, cheaper than a match object's start(); "12 500" is one figure
    # only when this is whitespace. At the end of the text it matches with no token.
    r"([^\w!-/:-@\[-`{-~\ufffd]*)(?:"
    # "Ke?ta", "Tour?", "?" ("à"): a lost letter. So a question mark is a word, not a stop.
    r"([^\W_]+(?:[?\ufffd][^\W_]+)*[?\ufffd]?|[?\ufffd])"  # a word
    r"|([.!;:]+)"  # a stop: ends a sentence or a heading ("Mali :")
    # a mark, punctuation that is context: "," "/" "(" "%". Not "°", "«" or "…": a copy that
    # lost its accents lost them too.
    r"|([!-/:-@\[-`{-~])"
    r"|\Z)"
)
# Capitalised because they open a sentence, not because they are names.
_SENTENCE_OPENERS = ("le la les l un une des du de d au aux en dans pour sur selon ce cette ces "
                     "il elle ils elles nous on a à et mais par avec lors après avant depuis "
                     "outre ainsi enfin c qu que")
# and units written in capitals: "Gasoil : 725 FCFA" keys 725 by its unit, as "725 francs" does
_NOT_NAMES = frozenset(_SENTENCE_OPENERS.split() + ["fcfa", "cfa"])
_MONTH_NAMES = ("janvier février mars avril mai juin juillet août septembre octobre novembre "
                "décembre janv févr fév avr juil sept oct nov déc")
# as _accents_dropped writes them, with the accents lost ("dcembre") or folded ("decembre")
_MONTHS = frozenset(form(month) for month in _MONTH_NAMES.split()
                    for form in (lambda m: "".join(c for c in m if c.isascii()),
                                 lambda m: unicodedata.normalize("NFKD", m).encode(
                                     "ascii", "ignore").decode()))
# A text that ends like this was cut: its last words may be a cut name or figure.
_CUT_MARKERS = ("…", "...", "[…]", "[...]", "(...)")
_READ_ON = re.compile(r"(?:lire la suite|suite de l['’]article)", re.I)
_FULL_STOPS = tuple('.!?»"”)')


def _looks_cut(text: str) -> bool:
    """A marker ends the text, or a long last paragraph stops without a full stop (a short one
    is a signature: "La Direction")."""
    last = text[text.rfind("\n") + 1:].rstrip()
    if last.endswith(_CUT_MARKERS) or _READ_ON.search(last[-100:]):
        return True
    return not last.endswith(_FULL_STOPS) and last.count(" ") >= 7


_SIGNATURE_WORDS = 6
_SIGNATURE_LINES = 2  # a byline and the reporter's post; more short lines make a list
# A credit line: what an aggregator or a paper appends to a text it carries.
_CREDIT = re.compile(r"(?:sources?\b|avec\b|lire la suite|suite sur\b|copyright\b|©|\(c\)"
                     r"|cr[ée]?dits?\b)", re.I)
# context -> (values outside the text's last words, all values)
Facts = dict[tuple[str, str, str], tuple[frozenset[str], frozenset[str]]]


def _facts(text: str) -> Facts:
    """The text's facts keyed by their context."""
    tokens: list[str | None] = []  # context words as _skeleton writes them; None: a break
    spelt: list[str] = []  # the words as values are compared: accented letters dropped
    kinds: list[str] = []  # "n" number, "N" capitalised, "" other (context), "." a break
    glued: list[bool] = []  # a figure's part that continues the one before: "12 500", "12 mars"
    starts: list[int] = []  # where each run of facts of one kind starts: "Moussa Traoré", "12 500"
    spaced = False  # only whitespace since the token before ("725 à 750": "à" is not one)
    # A name is the context of the fact right after it, on its line and in its clause ("Kayes :
    # 41"); these tokens end the reach: a stop but a colon, or a line break before the token.
    apart: list[bool] = []
    newline = False  # a line break since the token before
    for skipped, token, stop, mark in _TOKEN.findall(text):
        newline = newline or "\n" in skipped
        if token:
            word, value, kind = _word_fact(token)
            if not word:  # "à", "y" and a lost "?" are no words: a copy drops them
                spaced = False
                continue
            apart.append(newline)
            if kind and kinds[-1:] != [kind]:
                starts.append(len(tokens))
            glued.append(kind == "n" and kinds[-1:] == ["n"] and _one_figure(spelt[-1], value)
                         and spaced and skipped.isspace())
            tokens.append(word)
            spelt.append(value)
            kinds.append(kind)
        elif stop or mark:
            apart.append(newline or (bool(stop) and stop != ":"))
            glued.append(False)
            tokens.append(mark or None)
            spelt.append("")
            kinds.append("" if mark else ".")
        else:
            break  # the end of the text
        spaced, newline = True, False
    tail = len(tokens) - _FACT_TAIL_WORDS
    # A value said twice at a context is kept twice ("41", "41#2"): "41 °C / 41 °C" against
    # "41 °C / 40 °C" differ, though both say 41.
    core: dict[tuple[str, str, str], set[str]] = {}
    every: dict[tuple[str, str, str], set[str]] = {}
    seen: dict[tuple[tuple[str, str, str], str], int] = {}

    def add(key: tuple[str, str, str], value: str, whole: bool) -> None:
        seen[key, value] = times = seen.get((key, value), 0) + 1
        told = value if times == 1 else f"{value}#{times}"
        every.setdefault(key, set()).add(told)
        core.setdefault(key, set())
        if whole:
            core[key].add(told)

    name_end, name = -1, ""  # where the last name ended, and its context form
    for i in starts:
        kind = kinds[i]
        j = i + 1
        while j < len(tokens) and kinds[j] == kind:
            j += 1  # a run: "Moussa Traoré", "12 500"
        # "12 500" and "12500" are one figure, "725 à 750" two ("725~750": "1 à 15" is not
        # "11 à 5"); a name's words stay apart
        if kind == "n":
            value = "".join(("" if glued[k] or k == i else "~") + spelt[k] for k in range(i, j))
        else:
            value = " ".join(spelt[i:j])
        before, after = _context(tokens, kinds, i, j)
        if any(before) or after:  # no context, nothing to compare it with
            add((before[0], before[1], after), value, j <= tail)
        if name_end >= 0 and i - name_end <= 1 and not any(apart[name_end:i + 1]) and all(
                kinds[k] == "." or not tokens[k].isalnum()  # type: ignore[union-attr]
                for k in range(name_end, i)):
            # The name right before a fact, with at most a colon or a comma between them on
            # one line, is its context too: "Kayes : 41 degrés", "Stade Malien 45 points",
            # "ministre des Mines, Moussa Koné". Two bulletins that swap two towns' figures
            # say other things; the context above, which skips facts so that a town and its
            # figure may change together, keeps both figures alike.
            add(("\0", name, ""), value, j <= tail)
        if kind == "N":
            name_end, name = j, "".join(tokens[i:j])  # type: ignore[arg-type]
    return {key: (frozenset(core[key]), frozenset(values)) for key, values in every.items()}


def _one_figure(before: str, part: str) -> bool:
    """"12" then "500" (a thousands group) or "12" then "mars" (a date) make one figure."""
    return (before.isdigit() and part.isdigit() and len(part) == 3) or (
        before in _MONTHS or part in _MONTHS)


def _context(tokens: list[str | None], kinds: list[str], start: int,
             end: int) -> tuple[list[str], str]:
    """The two words before a fact and the one after, within its sentence. Other facts are
    skipped: in "Douentza 23 °C, Mopti 25 °C" the figures and names change together."""
    before: list[str] = []
    i = start - 1
    while i >= 0 and len(before) < 2 and kinds[i] != ".":
        if not kinds[i]:
            before.insert(0, tokens[i])  # type: ignore[arg-type]
        i -= 1
    after = ""
    while end < len(tokens) and kinds[end] != ".":
        if not kinds[end]:
            after = tokens[end]  # type: ignore[assignment]
            break
        end += 1
    return ["", ""][: 2 - len(before)] + before, after


def _without_signature(text: str) -> str:
    """The text without its signature: a byline, "Source : L'Essor", "Lire la suite sur ...",
    which copies add or drop (and which hide where a trimmed copy was cut).

    Credit lines ("Source :", "Avec", "Lire la suite") ending it are always a signature. A short
    last line where a trimmed copy was cut ("Gao : 4…") goes too: what is before it is whole.
    Otherwise at most _SIGNATURE_LINES short lines after a longer one ("Moussa KONE" / "Envoyé
    spécial à Kidal") are a signature, unless one has a figure. A text made of short lines (a
    weather bulletin, a price list: "Kayes : 41 degrés") is a list, kept whole: its figures are
    what it says."""
    lines = text.strip().split("\n")
    end, read_on = len(lines), False
    while end > 1 and (not lines[end - 1].strip() or _is_credit(lines[end - 1])):
        read_on = read_on or bool(_READ_ON.search(lines[end - 1]))
        end -= 1
    last = lines[end - 1].rstrip()
    if end > 1 and len(last.split()) <= _SIGNATURE_WORDS and (
            read_on or last.endswith(_CUT_MARKERS)):
        return "\n".join(lines[: end - 1]).rstrip()
    start, short = end, 0
    while start > 0 and len(lines[start - 1].split()) <= _SIGNATURE_WORDS:
        short += bool(lines[start - 1].strip())
        start -= 1
    if start and short <= _SIGNATURE_LINES and not any(map(_DIGIT.search, lines[start:end])):
        end = start
    return "\n".join(lines[:end]).rstrip()


def _is_credit(line: str) -> bool:
    """"Source : Maliweb", "Avec L'Essor", "Lire la suite sur ...", "© Malijet 2025"."""
    return len(line.split()) <= _SIGNATURE_WORDS and bool(_CREDIT.match(line.strip()))


def _contradicts(a: Facts, b: Facts, a_cut: bool, b_cut: bool) -> bool:
    """Some context holds values in one text that the other does not, and the other way round.
    The last words of a cut text are left out of what it must share."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    small_cut, large_cut = (a_cut, b_cut) if small is a else (b_cut, a_cut)
    for key, (small_core, small_all) in small.items():
        other = large.get(key)
        if other is None:
            continue
        large_core, large_all = other
        if not (_among(small_core if small_cut else small_all, large_all)
                or _among(large_core if large_cut else large_all, small_all)):
            return True
    return False


def _among(these: frozenset[str], those: frozenset[str]) -> bool:
    """Each of these values is one of those, written alike but for lost accented letters."""
    return these <= those or all(
        value in those or any(_alike(value, other) for other in those) for value in these)


def _alike(a: str, b: str) -> bool:
    """"kante" (accent folded) and "kant" (accent lost): one is the other with vowels
    dropped. "kidal" and "kadiolo" are not, though their consonants are the same."""
    if a == b or len(a) == len(b) or _skeleton(a) != _skeleton(b):
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    rest = iter(long_)
    return all(char in rest for char in short)  # a subsequence


_VOWELS = str.maketrans("", "", "aeiouy?")
_DIGIT = re.compile(r"\d")


@functools.lru_cache(maxsize=100_000)
def _word_fact(token: str) -> tuple[str, str, str]:
    """(context form, value form, kind) of a word: kind "n" for a figure or a date ("12
    décembre 2025" is one value), "N" for a capitalised word, "" otherwise."""
    value = _accents_dropped(token)
    if _DIGIT.search(token) or value in _MONTHS:
        kind = "n"
    elif token[0].isupper() and len(token) > 1 and token.casefold() not in _NOT_NAMES:
        kind = "N"
    else:
        kind = ""
    return _consonants(value), value, kind


@functools.lru_cache(maxsize=100_000)
def _skeleton(word: str) -> str:
    """A word as facts compare it: its ASCII consonants and digits. "Koné", "Kone", "Kon" and
    "Kon?" (a copy that folded, lost or replaced the accent) are all "kn"."""
    return _consonants(_accents_dropped(word))


def _consonants(dropped: str) -> str:
    """_skeleton of a word from its _accents_dropped form (_word_fact has that already)."""
    return dropped.translate(_VOWELS).replace(" ", "")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What copy detection keeps of one article.

    Its facts are read from its text when it is first compared with a candidate: most
    articles have none (_facts was a third of Fingerprint.of, issue 17), and the text takes
    less memory than its facts (a dict of frozensets)."""

    shingles: np.ndarray  # sorted unique shingle hashes, accents folded
    dropped: np.ndarray  # the same with accented letters dropped (the same array if none)
    cut: bool  # the text ends as a trimmed copy does ("…", "Lire la suite", mid-sentence)
    keys: tuple[int, ...]  # candidate keys: the LSH bands and the text's openings
    told: str  # the text without its signature, what the facts are read from
    # _facts of `told` once read: a list that copies of the fingerprint (copy.copy) share, so
    # that the facts of a text republished word for word are read once, not once a copy
    _facts_read: list[Facts] = field(default_factory=list, repr=False, compare=False)

    @property
    def facts(self) -> Facts:
        """_facts of the text, read on first use."""
        if not self._facts_read:
            self._facts_read.append(_facts(self.told))
        return self._facts_read[0]

    @classmethod
    def of(cls, lead: str | None, body: str | None) -> Fingerprint | None:
        """None for a text too short to be called a copy of anything."""
        import numpy as np

        _, band_mix, band_salt = _mixes()
        raw = _repaired(f"{lead or ''}\n\n{body or ''}")
        text = _folded(raw)
        hashes = shingles(text)
        if len(hashes) < MIN_SHINGLES:
            return None
        dropped_text = _accents_dropped(raw)
        dropped = hashes if dropped_text == text else shingles(dropped_text)
        # One MinHash of both forms' shingles: a copy in either form shares most of them. A
        # shingle of both forms is there twice, which changes no minimum: concatenating costs
        # a twentieth of np.union1d.
        both = hashes if dropped is hashes else np.concatenate((hashes, dropped))
        signature = minhash_signature(both)
        # Each band's 4 values mixed into one 64-bit key, its band number included.
        rows = signature[: BANDS * ROWS].astype(np.uint64).reshape(BANDS, ROWS)
        mixed = rows @ band_mix  # each band's sum of products, wrapping as uint64 arithmetic does
        mixed += band_salt
        mixed ^= mixed >> np.uint64(31)
        keys = mixed.view(np.int64).tolist()
        body_raw = _repaired((body or "")[: 3 * _COPY_OPENING_CHARS])  # its opening is enough
        openings = {text, dropped_text, _folded(body_raw), _accents_dropped(body_raw)}
        keys.extend(stable_key("\n^" + opening[:_COPY_OPENING_CHARS])
                    for opening in sorted(openings) if len(opening) > _COPY_OPENING_CHARS)
        told = _without_signature(raw)
        return cls(hashes, dropped, _looks_cut(told), tuple(dict.fromkeys(keys)), told)


def _similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    import numpy as np

    # One array: the same text's (linker.Computed gives every word-for-word copy the shingles
    # of the first): all of it is common, as intersect1d would find for a unique array, at no
    # cost. A copy verified against the story it joins is mostly that (issue 17).
    common = len(a) if a is b else len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - common
    return common / union, common / min(len(a), len(b))


def copy_similarity(a: Fingerprint, b: Fingerprint) -> tuple[float, float]:
    """(Jaccard, containment of the smaller in the larger) of the exact shingle sets, the
    better of the accents-folded and the accents-dropped forms."""
    folded = _similarity(a.shingles, b.shingles)
    if a.dropped is a.shingles and b.dropped is b.shingles:
        return folded
    dropped = _similarity(a.dropped, b.dropped)
    return max(folded[0], dropped[0]), max(folded[1], dropped[1])


def contradicts(a: Fingerprint, b: Fingerprint) -> bool:
    """The texts state different facts in the same context."""
    return _contradicts(a.facts, b.facts, a.cut, b.cut)


def is_copy(a: Fingerprint, b: Fingerprint, days_apart: float = 0.0) -> bool:
    """One text republishes the other: whole, lightly edited, or trimmed; published within
    COPY_NEAR_DAYS unless nearly whole; and nowhere stating a different fact."""
    jaccard, containment = copy_similarity(a, b)
    if days_apart > COPY_NEAR_DAYS:
        similar = jaccard >= FAR_JACCARD or containment >= FAR_CONTAINMENT
    else:
        similar = jaccard >= COPY_JACCARD or containment >= COPY_CONTAINMENT
    return similar and not contradicts(a, b)


class CopyIndex:
    """Near-duplicate finder over many articles: LSH candidates, verified on exact shingles.

    The same keys are what the store persists (crawler.store), so a run looks up what earlier
    runs stored. Ids are the caller's.
    """

    def __init__(self) -> None:
        self._buckets: dict[int, int | list[int]] = {}
        self._prints: dict[int, Fingerprint] = {}

    def __len__(self) -> int:
        return len(self._prints)

    def add(self, article_id: int, lead: str | None, body: str | None) -> Fingerprint | None:
        """Index an article (a text too short to compare is not indexed); return its print."""
        fingerprint = Fingerprint.of(lead, body)
        if fingerprint is not None:
            self.add_fingerprint(article_id, fingerprint)
        return fingerprint

    def add_fingerprint(self, article_id: int, fingerprint: Fingerprint) -> None:
        self._prints[article_id] = fingerprint
        for key in fingerprint.keys:
            ids = self._buckets.get(key)
            if ids is None:
                self._buckets[key] = article_id
            elif isinstance(ids, int):
                self._buckets[key] = [ids, article_id]
            else:
                ids.append(article_id)

    def candidates(self, fingerprint: Fingerprint) -> set[int]:
        found: set[int] = set()
        for key in fingerprint.keys:
            ids = self._buckets.get(key)
            if ids is not None:
                found.update((ids,) if isinstance(ids, int) else ids)
        return found

    def copies_of(self, fingerprint: Fingerprint) -> list[int]:
        """Ids of the indexed articles that this text copies or that copy it, ascending."""
        return sorted(i for i in self.candidates(fingerprint)
                      if is_copy(fingerprint, self._prints[i]))


# ---- which copy is the original ----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CopyMember:
    """One article of a group of copies, as choose_original sees it."""

    id: int
    source: str
    date: datetime  # published, else first seen
    credits: str | None = None  # the source key its attribution names


def choose_original(members: Sequence[CopyMember]) -> int:
    """The original publisher's record where an attribution names a source we hold a copy
    from; otherwise the earliest (then the smallest id, so the choice is stable)."""
    credited = {m.credits for m in members if m.credits and m.credits != m.source}
    pool = [m for m in members if m.source in credited] or list(members)
    return min(pool, key=lambda m: (m.date, m.id)).id
