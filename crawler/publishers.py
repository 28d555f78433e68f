"""Papers' names: the attribution an aggregator prints ("Source : L'Essor", "Lire la suite
dans l'Indépendant", its publisher field) and how two spellings of one name are matched.

One parser for extraction (which cuts the line from a copy's body and names the paper as
configured) and for dedup (which reads the stored publisher, or the line an original source
kept, to find which copy is the original). Imports no configuration: config uses it too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from crawler.text import fix_text, fold_whitespace, normalize_for_match, split_paragraphs

if TYPE_CHECKING:
    from crawler.config import Source
    from crawler.extract import ParserSource

# An aggregator's attribution line: "Source : L'Essor", "Sources : INFO-MATIN",
# "(Source : INFO-MATIN)".
ATTRIBUTION = re.compile(r"^[(\[]?\s*sources?\s*:\s*(?P<name>[^:()\[\]]{2,80}?)[\s.)\]]*$",
                         re.IGNORECASE)
# A partial republication ends by sending the reader to the original: "Lire la suite dans
# l'Indépendant" (Bamada), "… suite de l'article sur Le 22 Septembre" (aBamako).
READ_ON = re.compile(
    r"(?:^|[\s…\[(«-])(?:(?:lire|voir) la suite (?:dans|sur)|suite de l['’]article sur)\s+"
    r"(?P<name>[^.!?]{2,80}?)[\s.)\]»]*$",
    re.IGNORECASE,
)
ATTRIBUTION_MAX_WORDS = 10
_NAME_PREFIX = re.compile(r"^(?:sources?\s*:|par\s|de\s|avec\s)\s*", re.IGNORECASE)
# Words a paper's name may carry or not: "Journal L'Essor", "Le Républicain", "lessor.ml".
_NAME_NOISE = frozenset({"journal", "quotidien", "le", "la", "les", "l", "www"})
_DOMAINS = frozenset({"ml", "com", "net", "org", "info", "fr"})
MIN_KEY_CHARS = 3


@functools.lru_cache(maxsize=4096)
def publisher_key(name: str) -> str:
    """How papers' names are compared: case, accents, spaces and punctuation dropped
    ("INFO-MATIN", "Info Matin", "InfoMatin" -> "infomatin"; "l'Indépendant" -> "lindependant")."""
    return re.sub(r"[^0-9a-z]", "", normalize_for_match(name, keep_accents=False))


def name_keys(name: str) -> set[str]:
    """The keys one name is known by: whole, and without its domain ("lessor.ml") and the
    leading words papers' names take or leave ("Journal L'Essor", "L'Essor": lessor, essor)."""
    return set(_name_keys(name))


@functools.lru_cache(maxsize=4096)  # the same few papers' names, page after page
def _name_keys(name: str) -> frozenset[str]:
    words = re.findall(r"[0-9a-z]+", normalize_for_match(name, keep_accents=False))
    while words and words[-1] in _DOMAINS:
        words.pop()
    keys = {publisher_key(name), "".join(words)}
    while words and words[0] in _NAME_NOISE:
        words.pop(0)
        keys.add("".join(words))
    return frozenset(k for k in keys if len(k) >= MIN_KEY_CHARS)


def publisher_keys(source: Source | ParserSource) -> set[str]:
    """Every key that names `source` as a paper: its title, its name, and the domain label of
    its hosts (lessor.ml -> lessor, news.abamako.com -> abamako)."""
    keys = name_keys(source.title or "") | name_keys(source.name)
    for host in source.all_hosts:
        labels = host.split(".")
        keys |= name_keys(labels[-2] if len(labels) >= 2 else labels[0])
    return keys


def clean_publisher(text: str | None) -> str | None:
    """A paper's name as an aggregator prints it, without "Source :" or "Par" and end marks."""
    if not text:
        return None
    marks = " .,;:-–—|()[]«»\""
    name = _NAME_PREFIX.sub("", fix_text(text).strip(marks)).strip(marks)
    return name or None


def name_publisher(text: str | None, known: Mapping[str, str]) -> str | None:
    """The configured title of the paper `text` names ({publisher key: title}, see
    publisher_keys), else the name as given: "INFO-MATIN" -> "Info-Matin"."""
    name = clean_publisher(text)
    if name is None:
        return None
    for key in sorted(name_keys(name), key=len, reverse=True):
        if key in known:
            return known[key]
    return name


def split_attribution(paragraphs: list[str]) -> tuple[list[str], str | None, str | None]:
    """Cut an aggregator's "Source : X" line from the body: (body, X, Y) where Y is the paper
    named by a "Lire la suite dans Y" ending (the page is a partial copy; that line stays).
    Only the first paragraph and the last three are looked at."""
    body, publisher, read_on = list(paragraphs), None, None
    for i in sorted({0, *range(len(body) - 3, len(body))} if body else (), reverse=True):
        if i < 0:
            continue
        text = body[i]
        if len(text.split()) <= ATTRIBUTION_MAX_WORDS and (found := ATTRIBUTION.match(text)):
            publisher = publisher or found["name"]
            del body[i]
        elif i == len(body) - 1 and (found := READ_ON.search(text)):
            read_on = found["name"]  # the marker stays: a teaser is kept as shown
    return body, publisher, read_on


def attribution(publisher: str | None, body: str | None) -> str | None:
    """The paper a stored article credits: its publisher field, else a "Source : X" line or a
    "suite de l'article sur X" ending still in its body."""
    if publisher and publisher.strip():
        return fold_whitespace(publisher)
    _, credited, read_on = split_attribution(split_paragraphs(body or ""))
    return credited or read_on


def credited_source(credit: str | None, titles: Mapping[str, str | None]) -> str | None:
    """The source key (of {key: title}) that an attribution names, if exactly one fits:
    "L'Essor", "Source : L'ESSOR", "lessor.ml" all name `lessor` (title "L'Essor")."""
    if not credit:
        return None
    keys = name_keys(clean_publisher(credit) or credit)
    found = {key for key, title in titles.items() if keys & _all_keys((key, title or ""))}
    return found.pop() if len(found) == 1 else None


def _all_keys(names: Iterable[str]) -> set[str]:
    return set().union(*map(name_keys, names))
