"""Teaser matching: find the full article a truncated teaser was cut from.

Both sides are normalised (normalize_for_match, accents stripped: that comparison is implied by
the accented one and also absorbs "decembre"/"décembre"), the truncation marker is removed, and
the teaser, up to its last word (which may be cut), must be a prefix of the article's lead or
of its body's start, followed by a space; the last word must begin the article's next word.
L'Essor's rule (first 300 UTF-8 bytes of the chapeau + ".") is also checked exactly.
A false merge loses an article, so anything ambiguous or too short answers None.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.text import (
    fold_whitespace,
    is_boilerplate,
    looks_like_byline,
    normalize_for_match,
    strip_truncation,
)

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
_LONE_BYTES = ("Ã", "Â", "Ä", "Å", "\ufffd")
_Opening = tuple[str, bool]  # (normalised accent-stripped opening, was it cut at _OPENING_CHARS)


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

    def key(self) -> int:
        return hash(self.core[: next(n for n in _KEY_CHARS if n <= len(self.core))])

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


def _opening_keys(opening: _Opening) -> set[int]:
    text = opening[0]
    return {hash(text[:n]) for n in _KEY_CHARS if len(text) > n}


def _lessor_renderings(lead: str) -> set[str]:
    """The teaser L'Essor shows for this lead, with each way a byte cut can be displayed."""
    head = lead.encode("utf-8")[:LESSOR_TEASER_BYTES]
    text = head.decode("utf-8", errors="ignore")
    lone = head[len(text.encode("utf-8")) :]
    shown = {"", lone.decode("latin-1"), "\ufffd" if lone else ""}
    return {fold_whitespace(text + s) + "." for s in shown}


def is_truncation_of(teaser_text: str, full_text: str) -> bool:
    """True if the teaser shows the start of full_text (a lead or a body), cut or whole."""
    probe = _Probe.of(teaser_text)
    if not probe.distinctive:
        return _norm(full_text) in probe.whole_forms()
    if fold_whitespace(teaser_text) in _lessor_renderings(full_text):
        return True
    return probe.fits((_norm(full_text), False))


class TeaserIndex:
    """Articles filed under the first characters of their normalised lead and body.

    match() looks up one key and verifies the few articles filed under it, so its cost does
    not grow with the index. Ids are the caller's (database primary keys).
    """

    def __init__(self) -> None:
        self._buckets: dict[int, int | list[int]] = {}  # one id stored bare: most keys have one
        self._texts: dict[int, tuple[_Opening | None, _Opening | None]] = {}

    def __len__(self) -> int:
        return len(self._texts)

    def add(self, article_id: int, lead: str | None, body: str | None) -> None:
        """Index an article by its lead and its body's start. Re-adding an id replaces its text."""
        texts = (_opening(lead), _opening(body))
        previous = self._texts.get(article_id)
        if previous == texts:
            return
        self._texts[article_id] = texts
        keys: set[int] = set()
        for opening in texts:
            if opening:
                keys |= _opening_keys(opening)
        lead_opening = texts[0]
        if lead_opening and not _distinctive(lead_opening[0]):
            keys.add(hash(("=", lead_opening[0])))
        for key in keys:
            ids = self._buckets.get(key)
            if ids is None:
                self._buckets[key] = article_id
            elif isinstance(ids, int):
                if ids != article_id:
                    self._buckets[key] = [ids, article_id]
            # A re-added id may be filed already (keys of old text stay: match() verifies).
            elif previous is None or article_id not in ids:
                ids.append(article_id)

    def _candidates(self, key: int) -> list[int]:
        ids = self._buckets.get(key)
        return [] if ids is None else [ids] if isinstance(ids, int) else ids

    def match(self, teaser_text: str) -> int | None:
        """The id of the one article this teaser was cut from; None if none or several fit."""
        probe = _Probe.of(teaser_text)
        found: set[int] = set()
        if probe.distinctive:
            for article_id in self._candidates(probe.key()):
                lead, body = self._texts[article_id]
                if (lead and probe.fits(lead)) or (body and probe.fits(body)):
                    found.add(article_id)
                    if len(found) > 1:
                        return None
        else:
            for form in probe.whole_forms():
                for article_id in self._candidates(hash(("=", form))):
                    lead = self._texts[article_id][0]
                    if lead and lead[0] == form:
                        found.add(article_id)
        return found.pop() if len(found) == 1 else None


def _strong_teaser_signal(paragraph: str) -> bool:
    text = paragraph.strip()
    if text.endswith(_STRONG_ENDINGS):
        return True
    return text.endswith(".") and (
        text[:-1].endswith(_LONE_BYTES) or len(text[:-1].encode("utf-8")) == LESSOR_TEASER_BYTES
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
        if not is_boilerplate(paragraphs[i]) and looks_like_byline(paragraphs[i]):
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
