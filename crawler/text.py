"""Normalisation and cleaning shared by extraction and dedup."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

_SENTENCE_END = tuple('.!?…:»"”')
_CONTINUATION_START = re.compile(r"[a-zà-ÿœæ,;)\]»”%]")
_OPEN_ENDING = tuple(",;([«“")

# One apostrophe, one quote style, one dash: typography differs between a site and its copies.
_MATCH_CHARS = {
    **dict.fromkeys("’‘´`ʼ′", "'"),
    **dict.fromkeys("«»“”„‟", '"'),
    **dict.fromkeys("‐‑‒–—―−﹘﹣", "-"),
}
_MATCH_PUNCT = re.compile("[" + "".join(_MATCH_CHARS) + "]")
# French spacing ("« oui » :") is typography too: drop spaces inside quotes and before : ; ! ?
_TIGHT = [(f"{c} ", c) for c in "«“"] + [(f" {c}", c) for c in "»”:;!?"]
_COMMON_MARKS = re.compile("[\u0300-\u036f]")

_SHARE_WORDS = "partager|partagez|tweet|tweeter|whatsapp|facebook|twitter|x|linkedin|telegram|email"
# (pattern on the folded paragraph, the most words a paragraph may have to be flagged)
_BOILERPLATE = [
    (re.compile(pattern, re.I), max_words)
    for pattern, max_words in [
        (r"^(?:partager|partagez|share)(?:\s+(?:cet|ce|sur|via|l['’]|this|on)\b|\W*$)", 8),
        (rf"^(?:(?:{_SHARE_WORDS}|messenger|pinterest|e-mail|imprimer|print)\W*)+$", 12),
        (r"^(?:à\s+)?lire\s+(?:aussi|également)\b", 60),
        (r"^getting your trinity audio player ready", 12),
        (
            r"^(?:abonnez|inscrivez|suivez|rejoignez)-(?:vous|nous)\b.*"
            r"\b(?:newsletter|lettre d'information|notre|nos|chaîne|page)\b",
            20,
        ),
        (r"^(?:©|\(c\)\s*\d{4}|copyright\b)", 20),
        (r"\btous droits réservés\b", 12),
        (r"^(?:la\s+)?rédaction\s+(?:de\s+)?l['’´]?\s?essor\.?$", 4),
        (r"^(?:écouter|télécharger)\b.*\b(?:audio|mp3|l['’]article|podcast|émission)\b", 10),
        (r"^écouter\W*$", 2),
        (r"\.mp3\b", 12),
    ]
]

# the patterns, the most words first: a text is searched by those up to the first too short
_BOILERPLATE_BY_WORDS = sorted(_BOILERPLATE, key=lambda pattern: -pattern[1])

# Endings that mean "this text was cut": a phrase with what follows it, "[…]", "…" (_TAIL_MARKERS).
# The lookahead changes no match: it lets re skip quickly to where a phrase can start.
_TAIL_PHRASE = re.compile(
    r"(?=[lvs])(?:suite de l['’]article sur\b.{0,80}|(?:lire|voir) la suite\b.{0,60})$", re.I
)
_TAIL_PHRASE_SPAN = 110  # a phrase starts at most 22 + 80 characters before the end
# Spaces, brackets, quotes and dashes before the phrase go with it; matched on the reversed text.
_TAIL_LEAD_REVERSED = re.compile(r"[\s\[(«\"…-]*")
_TAIL_CHARS = 200


def _shown_as_cp1252(first: int, last: int) -> str:
    """Bytes first..last as a page read as cp1252 shows them (its five holes as C1 controls)."""
    return "".join(bytes([b]).decode("cp1252", "replace").replace("\ufffd", chr(b))
                   for b in range(first, last + 1))


# What a byte cut leaves of a UTF-8 letter, read as cp1252 ("accompagnÃ") or replaced (U+FFFD).
# A two-byte letter leaves its lead byte: "Ã", "Â", "Ä", "Å" (é, «, ä, ŋ), "É" (Bambara ɔ, ɛ,
# ɲ), "Æ" (Ɔ, Ɛ), "Ø"-"Û" (Arabic)...: each an upper-case letter, so "É" to "Þ" are taken as
# the letter itself after another upper-case one ("SOCIÉTÉ"). "ß" (N'Ko) ends German words: left.
# Of three-byte letters only "â" (U+2000-2FFF: ’ … – €) is taken, with or without its second
# byte: "é" and "è" end French words. A four-byte emoji leaves "ð", "ðŸ" or "ðŸ˜".
_TWO_BYTE_LEADS = _shown_as_cp1252(0xC2, 0xDE)
# A second or third byte, read as cp1252 or as Latin-1 (0x80-0x9F as C1 controls).
_CONTINUATION = re.escape(_shown_as_cp1252(0x80, 0xBF)) + "\x80-\x9f"
_BROKEN_BYTE = re.compile(
    f"(?:[{_TWO_BYTE_LEADS}]|â[{_CONTINUATION}]?|ð(?:[\u0178\x9f][{_CONTINUATION}]?)?|\ufffd)$")
_BROKEN_LAST = frozenset(_TWO_BYTE_LEADS + "âðŸ\x9f\ufffd")  # in a remnant's last two
# Taken as a letter after an upper-case letter; "Ã", "Â", "Ä", "Å" end no upper-case word.
_LEADS_OR_LETTERS = frozenset(_TWO_BYTE_LEADS) - set("ÃÂÄÅ")


def broken_byte_remnant(text: str) -> int:
    """How many characters at the end of `text` are what a byte cut left of a letter (0: none)."""
    if text[-3:].isascii() or not _BROKEN_LAST.intersection(text[-2:]):
        return 0
    found = _BROKEN_BYTE.search(text, max(0, len(text) - 3))
    if found is None:
        return 0
    start = found.start()
    if text[start] in _LEADS_OR_LETTERS and start > 0 and text[start - 1].isupper():
        return 0  # "SOCIÉTÉ": an upper-case word's own last letter
    return len(text) - start


_PARTICLES = {"de", "du", "des", "la", "le", "ben", "ould", "ag", "dit", "el", "al", "et", "&"}
# Capitalised words that open a sentence or heading, not a name ("Le Mali", "Pour la paix").
_NOT_A_FIRST_NAME = frozenset(
    ("le", "la", "les", "un", "une", "des", "du", "de", "au", "aux", "en", "dans", "pour", "sur")
    + ("avec", "sans", "ce", "cette", "il", "elle", "nous", "mali")
)
_NAME = re.compile(r"^(?:[A-ZÀ-Þ][a-zà-ÿ'’-]+(?:-[A-ZÀ-Þ][a-zà-ÿ'’]+)*|[A-ZÀ-Þ'’-]{2,}"
                   r"|[A-ZÀ-Þ]\.(?:-?[A-ZÀ-Þ]\.)*)$")  # "Pieczewski-Freimuth" too


def fold_whitespace(text: str) -> str:
    """Fold NBSP, tabs, newlines and runs of spaces to one space; strip the ends."""
    return " ".join(text.replace("\u200b", "").split())


# What UTF-8 read as Windows-1252 or Latin-1 always shows: a lead byte (0xC2-0xF4: "Â".."ô")
# followed by a continuation byte (0x80-0xBF: C1 controls, "¡".."¿", or cp1252's "€‚ƒ„…†‡ˆ‰Š‹Œ
# Ž‘’“”•–—˜™š›œžŸ" there). Clean text almost never has that pair: only where it does, or where
# an entity or a control character is, does ftfy (~1 ms per 1,000 characters) look at it.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122]|&#?\\w+;|[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufb00-\ufb06]"
)


def repair_mojibake(text: str) -> str:
    """ftfy's repair ("Ã©" -> "é", entities, NFC; quotes left curly), for text a caller's hint
    says may need it. ftfy is imported on first use: 3.3 MB a process that never needs it
    keeps (issue 17)."""
    import ftfy

    return ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")


def fix_text(text: str) -> str:
    """Repair mojibake ("Ã©" -> "é") and HTML entities, NFC, then fold whitespace.

    ftfy runs only on text where _MOJIBAKE_HINT finds something to repair. Most paragraphs are
    ASCII without "&" nor a control character, where the hint has nothing to find (its search,
    ~3 us a paragraph, costs ten times these three tests)."""
    if text.isascii() and "&" not in text and text.isprintable():
        return fold_whitespace(text)
    if _MOJIBAKE_HINT.search(text):
        return fold_whitespace(repair_mojibake(text))
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return fold_whitespace(text)


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """The body format: folded, non-empty paragraphs separated by a blank line."""
    return "\n\n".join(p for p in map(fold_whitespace, paragraphs) if p)


def split_paragraphs(body: str) -> list[str]:
    """Inverse of join_paragraphs: split on blank lines; single newlines inside fold to spaces."""
    return [p for p in map(fold_whitespace, re.split(r"\n\s*\n", body)) if p]


def rejoin_broken_lines(lines: list[str]) -> list[str]:
    """Join lines that L'Essor hard-broke mid-sentence; keep real paragraph ends."""
    return _rejoin_folded(map(fold_whitespace, lines))


def _rejoin_folded(lines: Iterable[str]) -> list[str]:
    """rejoin_broken_lines of lines already folded (fix_text's)."""
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        if out and _continues(out[-1], line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def ends_sentence(text: str) -> bool:
    """The text ends a sentence (so a line break after it may be a paragraph end)."""
    return text.rstrip().endswith(_SENTENCE_END)


def _continues(previous: str, line: str) -> bool:
    if previous.endswith(_OPEN_ENDING):
        return True
    return not previous.endswith(_SENTENCE_END) and bool(_CONTINUATION_START.match(line))


def is_boilerplate(paragraph: str) -> bool:
    """True for share bars, "Lire aussi", player/newsletter prompts, copyright and audio lines."""
    return _is_folded_boilerplate(fold_whitespace(paragraph))


def _is_folded_boilerplate(text: str) -> bool:
    """is_boilerplate of a folded text: its words are one space apart (counted without a
    split), and a text longer than every pattern's limit is searched by none."""
    if not text:
        return True
    words = text.count(" ") + 1
    for pattern, limit in _BOILERPLATE_BY_WORDS:
        if words > limit:
            return False
        if pattern.search(text):
            return True
    return False


def clean_paragraphs(paragraphs: Iterable[str]) -> list[str]:
    """fix_text each paragraph, drop boilerplate, rejoin lines broken mid-sentence (fix_text
    folds: the two steps after it read the folded text as is)."""
    return _rejoin_folded(p for p in map(fix_text, paragraphs) if not _is_folded_boilerplate(p))


class _MarkTable(dict[int, int | None]):
    """A str.translate table that drops combining marks (category Mn) and keeps every other
    character, filled as characters are met: the table of all Unicode took ~0.3 s of CPU to
    build, paid by every process that read one non-Latin character."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)) == "Mn" else code
        self[code] = kept
        return kept


_MARKS = _MarkTable()


def word_trigrams(text: str) -> set[tuple[str, ...]]:
    """The runs of three words of `text`, case-folded."""
    words = _WORD.findall(text.casefold())
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


_WORD = re.compile(r"\w+")


def normalize_for_match(text: str, *, keep_accents: bool = True) -> str:
    """NFKC, one apostrophe/quote/dash, folded whitespace, casefold; optionally no accents.

    Zero-width spaces are dropped, as fold_whitespace drops them."""
    text = text.replace("\u200b", "")
    fast = _normalize_latin(text, keep_accents)
    if fast is not None:
        return fast
    text = _tighten(" ".join(_fold_chars(text, keep_accents).split()))
    return _MATCH_PUNCT.sub(lambda m: _MATCH_CHARS[m.group()], text)


def _fold_chars(text: str, keep_accents: bool) -> str:
    """NFKC, casefold and, unless keep_accents, no combining marks; NFC."""
    # "´" goes first: NFKC would turn it into a space plus a combining accent.
    text = unicodedata.normalize("NFKC", text.replace("´", "'")).casefold()
    if not keep_accents:
        text = _COMMON_MARKS.sub("", unicodedata.normalize("NFD", text))
        if not text.isascii():  # the full table is slower; Latin accents are all in the block
            text = text.translate(_MARKS)
    return unicodedata.normalize("NFC", text)


def _tighten(text: str) -> str:
    """Apply _TIGHT to folded text."""
    for spaced, tight in _TIGHT:
        if tight in text:  # this 1-character search costs a tenth of replace()'s 2-character one
            text = text.replace(spaced, tight)
    return text


# The fast path, for Latin-1 text. Outside Latin-1, French text mostly has these characters;
# each is swapped for a Latin-1 stand-in that normalize_for_match treats alike: NFKC makes "…"
# "..." and the two spaces " ", the last step maps ’ to ' and “ ” « » to '"', and _TIGHT treats
# “ as « and ” as ».
_LATIN_STAND_INS = tuple(
    {"’": "'", "‘": "'", "“": "«", "”": "»", "…": "...", "–": "-", "—": "-"}.items()
) + (("\u202f", " "), ("\u2009", " "))  # narrow no-break space, thin space
_LATIN_MATCH_CHARS = tuple((char, plain) for char, plain in _MATCH_CHARS.items() if char <= "\xff")


@functools.cache
def _latin_table(keep_accents: bool) -> tuple[bytes, int]:
    """_fold_chars of each Latin-1 character as a bytes.translate table, and its "unsafe" byte."""
    folds = [_fold_chars(chr(byte), keep_accents) for byte in range(256)]
    # split() treats all whitespace alike: every kind becomes a space (which frees the tab byte)
    folds = [" " if folded.isspace() else folded for folded in folds]
    # A character that does not fold to one Latin-1 character (ß -> ss, ½ -> 1⁄2) maps to a byte
    # that nothing else maps to; _normalize_latin leaves text with it to the general path.
    unsafe = min(set(range(256)) - {ord(f) for f in folds if len(f) == 1})
    return bytes(ord(f) if len(f) == 1 and f <= "\xff" else unsafe for f in folds), unsafe


def _normalize_latin(text: str, keep_accents: bool) -> str | None:
    """normalize_for_match for text in Latin-1 (after _LATIN_STAND_INS), else None.

    No Latin-1 character combines with its neighbours under NFKC, NFD or NFC, so on such text
    _fold_chars acts on each character alone and is one bytes.translate: a C loop, ~10x
    faster than the Unicode passes and the regex.
    """
    for char, stand_in in _LATIN_STAND_INS:
        text = text.replace(char, stand_in)  # ~free when the text has no such character
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return None
    table, unsafe = _latin_table(keep_accents)
    raw = raw.translate(table)
    if unsafe in raw:
        return None
    text = raw.decode("latin-1")
    if "  " in text or text.startswith(" ") or text.endswith(" "):  # else already folded
        text = " ".join(text.split())
    text = _tighten(text)
    for char, plain in _LATIN_MATCH_CHARS:
        if char in text:
            text = text.replace(char, plain)
    return text


def strip_truncation(teaser: str) -> tuple[str, bool]:
    """Remove the truncation marker (and a byte-cut remnant); say whether one was found.

    L'Essor appends "." to the first 300 bytes of the chapeau, so a final "." counts as a
    marker: one dot is removed ("Cameli.." -> "Cameli.", "en prés." -> "en prés").
    Only the ends are stripped; inner whitespace is left for normalize_for_match to fold.
    """
    text = teaser.strip()
    # Markers sit in the last words: look at the tail only, teasers are matched in bulk.
    head, tail = text[:-_TAIL_CHARS], text[-_TAIL_CHARS:]
    found = False
    for hint, cut_marker in _TAIL_MARKERS:
        if hint(tail) and (cut := cut_marker(tail).rstrip()) != tail:
            tail, found = cut, True
    if tail.endswith(".") and not found:
        tail, found = tail[:-1], True
    if found and (remnant := broken_byte_remnant(tail)):
        tail = tail[:-remnant]
    text = head + tail
    return text.rstrip(), found


# The markers are anchored at the end, but re tries a pattern at every position of the tail
# (~10 µs a marker): the cuts below look near the end only and return the text before the marker.
def _cut_phrase(tail: str) -> str:
    """Remove "Lire la suite…", "suite de l'article sur …" and the lead-in marks before it."""
    # The phrase starts in the last _TAIL_PHRASE_SPAN characters; the marks before it, however
    # many, are counted on the reversed text (re cannot search backwards).
    found = _TAIL_PHRASE.search(tail, max(0, len(tail) - _TAIL_PHRASE_SPAN))
    if found is None:
        return tail
    start = found.start() - _TAIL_LEAD_REVERSED.match(tail[: found.start()][::-1]).end()
    return tail[:start] + tail[found.end() :]


def _cut_ellipsis(tail: str) -> str:
    """Remove a final "…" or "..." (the caller strips the spaces before it)."""
    if tail.endswith("…"):
        return tail[:-1]
    return tail[:-3] if tail.endswith("...") else tail


def _cut_bracket(tail: str) -> str:
    """Remove a final "[…]", "(...)" or the like, spaces inside allowed ("]" or ")" is last)."""
    inside = tail[:-1].rstrip()
    dots = _cut_ellipsis(inside)
    opening = dots.rstrip()
    if dots != inside and opening.endswith(("[", "(")):
        return opening[:-1]
    return tail


def _may_say_suite(tail: str) -> bool:
    """ "suite" in tail.casefold(), its casefold (~1 µs) skipped when no "ui" can be there: the
    casefold's "u" comes from "u" or "U" alone and its "i", before a "t", from "i" or "I" alone
    (İ folds to "i" and a combining dot)."""
    return ("ui" in tail or "uI" in tail or "Ui" in tail or "UI" in tail) and (
        "suite" in tail.casefold())


_TAIL_MARKERS = (  # in this order; each with a cheap test that says whether it can apply at all
    (_may_say_suite, _cut_phrase),
    (lambda tail: tail.endswith(("]", ")")), _cut_bracket),
    (lambda tail: tail.endswith(("…", "...")), _cut_ellipsis),
)


_BYLINE_MAX_WORDS = 6  # besides a "Par"


def looks_like_byline(paragraph: str) -> bool:
    """True for a short name-like line: "Aboubacar TRAORE", "Par Moussa Koné", "A. TRAORE"."""
    # fold_whitespace's words, split no further than a byline's most words: a paragraph of
    # more is none (called on each paragraph of a body, from its end, until one is a byline)
    words = paragraph.replace("\u200b", "").split(maxsplit=_BYLINE_MAX_WORDS + 1)
    if len(words) > _BYLINE_MAX_WORDS + 1:
        return False
    if words[:1] and words[0].lower() == "par":
        words, prefixed = words[1:], True
    else:
        prefixed = False
    if not 1 <= len(words) <= _BYLINE_MAX_WORDS or words[0].lower() in _NOT_A_FIRST_NAME:
        return False
    names = [w for w in words if w.lower() not in _PARTICLES]
    if not names or not all(_NAME.match(w) for w in names) or words[-1].lower() in _PARTICLES:
        return False
    has_surname = any(w.isupper() and len(w.strip(".'’-")) >= 2 for w in names)
    return prefixed or has_surname or len(names) >= 2
