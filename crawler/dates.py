"""Dates as Malian news sites print them, returned as aware UTC datetimes.

Bamako is UTC+0 all year, so a date or time without an offset is read as UTC. `parse_dated`
also says how precise the text was: "minute" when it gave a time, "day" when only a date
(the time is then 00:00, or the reference's for a relative day such as "hier").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Literal

from crawler.text import fix_text

# Accent-free, lower-case month words: French full names and abbreviations, English ones
# (Maliweb prints "29 Sep 2025 - 10:32", RSS uses RFC 2822), German ones.
MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "feb": 2, "february": 2,
    "mars": 3, "mar": 3, "march": 3,
    "avril": 4, "avr": 4, "apr": 4, "april": 4,
    "mai": 5, "may": 5,
    "juin": 6, "jun": 6, "june": 6,
    "juillet": 7, "juil": 7, "jul": 7, "july": 7,
    "aout": 8, "aug": 8, "august": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "decembre": 12, "dec": 12, "december": 12,
    # German ("23. Juli 2017", "3. März 2024"): the other words are spelt as above
    "januar": 1, "janner": 1, "februar": 2, "marz": 3, "maerz": 3, "juni": 6, "juli": 7,
    "oktober": 10, "okt": 10, "dezember": 12, "dez": 12,
}

# Year first: ISO 8601, and what CMSs print without zero padding or with slashes ("2022-5-5
# 22:17:36", "2022/05/10 17:36:11", "2025.12.17"); those went to dateparser (5-15 ms a call,
# ~0.3 s the first).
_ISO = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
# Day, month and a two-digit year with dots, as German sites print it ("25.04.24", "23.09.22"):
# not with slashes ("04/05/24" is a day first or a month first).
_NUMERIC_SHORT = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{2})(?![\d.])")
_TEXTUAL = re.compile(
    r"(?<!\d)(\d{1,2})(?:er|re|e|\.)?\s+([a-z\ufffd]+)\.?(?:,?\s+(\d{4})(?!\d))?")
# Month first, as English pages print it, with its year: "July 8, 2025", "Sep. 4 2025",
# "December 1st, 2025" (went to dateparser: 5-15 ms a call).
_MONTH_FIRST = re.compile(
    r"(?<![a-z])([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)")
# What may follow a date: "à 08:53", "- 10:32", "08h53", "à 08 h 53", "8h", "T08:53:00+01:00",
# "at 5:00 pm EST".
_TIME = re.compile(
    r"\s*(?:[,|@-]\s*)?(?:a\s+|at\s+|t)?(\d{1,2})\s*[h:]\s*(\d{2})?(?::(\d{2})(?:[.,]\d+)?)?"
    r"(?:\s*([ap])\.?m\.?)?\s*(z|gmt|utc|[+-]\d{2}:?\d{2}|[ecmp][sd]t|cest|cet|bst|wat)?(?!\w)"
)
# The zones named by the abbreviations _TIME reads, hours from UTC: North America's, Europe's
# and West Africa's (Nigeria, Niger: WAT).
_NAMED_ZONES = {"est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8,
                "pdt": -7, "cet": 1, "cest": 2, "bst": 1, "wat": 1}

_DATEPARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DATES_FROM": "past",
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TIMEZONE": "UTC",
    "TO_TIMEZONE": "UTC",
    # No Unix timestamps or "20250930" guessed from digit runs, and an absolute date needs
    # at least a day and a month: a bare "12" is not "the 12th of this month".
    "PARSERS": ["relative-time", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month"],
    "RETURN_TIME_AS_PERIOD": True,  # period "time" when the text gave one, else "day"
}
Precision = Literal["minute", "day"]


@dataclass(frozen=True)
class Dated:
    """A date read from a page, and whether the page gave its time ("minute") or not ("day")."""

    when: datetime  # aware UTC
    precision: Precision
    # the offset from UTC the text gave its time in ("+02:00", "EST"); zero when it gave none
    # (Bamako's time). `when` is the instant; `local_day` the day the page printed.
    offset: timedelta = timedelta(0)

    @property
    def local_day(self) -> date:
        """The day as the page gave it, in its own zone: a time given as
        "2020-04-07T20:10:46-04:00" is published on the 7th there, on the 8th in UTC."""
        return (self.when + self.offset).date()


# A time followed by its zone: "T08:53:00+01:00", "08:53:00.0Z", "08:53:00 +0000", "08:53 GMT",
# "5:00 PM PST".
_ZONED_TIME = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[ap]\.?m\.?)?"
    r"\s*(?:z|gmt|utc|[+-]\d{2}:?\d{2}|[ecmp][sd]t|cest|cet|bst|wat)(?![\w:])",
    re.IGNORECASE,
)


def gives_zone(text: str) -> bool:
    """True when `text` has a time with its zone or offset: only then is its instant known
    wherever the page comes from (a bare time is read as Bamako's, UTC)."""
    return _ZONED_TIME.search(text) is not None


def to_utc(dt: datetime) -> datetime:
    """A naive datetime is Bamako time, i.e. UTC; an aware one is converted to UTC."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def from_uniqid(hex13: str) -> datetime:
    """Time encoded by a PHP uniqid() (L'Essor slug suffixes): the first 8 hex digits are
    Unix seconds; the 5 microsecond digits are ignored."""
    if not re.fullmatch(r"[0-9a-fA-F]{13}", hex13):
        raise ValueError(f"not a 13-hex-digit PHP uniqid: {hex13!r}")
    return datetime.fromtimestamp(int(hex13[:8], 16), UTC)


def _month(word: str) -> int | None:
    if word in MONTHS:
        return MONTHS[word]
    if "\ufffd" in word:  # Malijet: "ao\ufffdt", one U+FFFD per lost accented letter
        pattern = re.compile(re.escape(word).replace("\ufffd", "."))
        return next((n for name, n in MONTHS.items() if pattern.fullmatch(name)), None)
    return None


def _offset(tz: str | None) -> timezone:
    if tz is None or tz in ("z", "gmt", "utc"):
        return UTC
    if tz in _NAMED_ZONES:
        return timezone(timedelta(hours=_NAMED_ZONES[tz]))
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _fold(text: str) -> str:
    """`text` without accents, in lower case: what the date forms are matched on."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()


def _full_year(two_digits: int) -> int:
    """The year "24" names: this century's, unless that is after next year."""
    year = 2000 + two_digits
    return year if year <= datetime.now(UTC).year + 1 else year - 100


def _find_date(s: str) -> tuple[int, int, int | None, int, int] | None:
    """(start, end, year or None, month, day) of the first date written in `s`."""
    found = []
    if m := _ISO.search(s):
        found.append((m.start(), m.end(), int(m[1]), int(m[3]), int(m[4])))
    if m := _NUMERIC.search(s):
        found.append((m.start(), m.end(), int(m[3]), int(m[2]), int(m[1])))
    if m := _NUMERIC_SHORT.search(s):
        found.append((m.start(), m.end(), _full_year(int(m[3])), int(m[2]), int(m[1])))
    for m in _TEXTUAL.finditer(s):
        if month := _month(m[2]):
            year = int(m[3]) if m[3] else None
            found.append((m.start(), m.end(), year, month, int(m[1])))
            break
    for m in _MONTH_FIRST.finditer(s):
        if month := _month(m[1]):
            found.append((m.start(), m.end(), int(m[3]), month, int(m[2])))
            break
    return min(found, key=lambda f: f[0], default=None)


def _build(
    s: str, found: tuple[int, int, int | None, int, int], reference: datetime
) -> Dated | None:
    """The datetime of the date `found` in `s` and the time after it; None if impossible."""
    _, end, year, month, day = found
    hour = minute = second = 0
    tz_text = None
    precision: Precision = "day"
    if t := _TIME.match(s, end):
        hour, minute, second, tz_text = int(t[1]), int(t[2] or 0), int(t[3] or 0), t[5]
        if t[4] and 1 <= hour <= 12:  # "5:00 pm", "12:30 am"
            hour = hour % 12 + (12 if t[4] == "p" else 0)
        precision = "minute"
    # A date without a year takes the latest year that keeps it at most a day after
    # `reference`; going back up to 8 years lets a 29 February find a leap year.
    years = [year] if year else range(reference.year + 1, reference.year - 8, -1)
    latest = reference + timedelta(days=1)
    for y in years:
        try:
            tz = _offset(tz_text)  # raises on an offset of 24 h or more
            dt = datetime(y, month, day, hour, minute, second, tzinfo=tz).astimezone(UTC)
        except (ValueError, OverflowError):
            continue
        if year or dt <= latest:
            return Dated(dt, precision, tz.utcoffset(None))
    return None


# What says that the date after it is not the publication's: "Updated on", "Last modified:",
# "Mis à jour le", "Aktualisiert am" (folded: no accents, lower case).
_UPDATE_LABEL = re.compile(
    r"(?:updated|modified|edited|revised|mise? a jour|actualise|aktualisiert|geandert|"
    r"actualizado|aggiornato)\W*(?:on|le|am|el|il|at|:)?\W*$")


# The words a text showing a date may have besides it: a label, a weekday, a name ("Posted by
# Jane Doe on Friday,", "Publié le mardi").
SHOWN_DATE_WORDS = 6
_WORD = re.compile(r"[^\W\d_]+")


def shown_date(text: str, before: str = "") -> Dated | None:
    """The date a short text shows with its year ("July 8, 2025", "Publié le 3 mars 2024 à
    10h", "By Jane Doe · 23.07.2025"), read by the fast forms only; None when the text has
    more than SHOWN_DATE_WORDS words besides the date and its time, or when the text, or
    `before` (the text just before it on the page), labels it an update ("Last updated:"):
    an update's date is no publication date."""
    folded = _fold(text)
    found = _find_date(folded)
    if found is None or found[2] is None:
        return None
    start, end = found[0], found[1]
    if t := _TIME.match(folded, end):
        end = t.end()
    if len(_WORD.findall(f"{folded[:start]} {folded[end:]}")) > SHOWN_DATE_WORDS:
        return None  # a sentence that names a day: "Le prochain rendez-vous est le 5 mars 2020"
    label = f"{_fold(before)} {folded[:start]}"
    if _UPDATE_LABEL.search(label.rstrip()):
        return None
    return _build(folded, found, datetime.now(UTC))


def parse_date(text: str | None, *, reference: datetime | None = None) -> datetime | None:
    """The first date (and time) in `text` as an aware UTC datetime, or None if there is none.

    Handles French and English day-month-year forms with or without year, weekday and
    prefix words ("Publié le", "Date :"), dd/mm/yyyy, ISO 8601 and RFC 2822; anything else
    goes to dateparser. `reference` (default: now) dates year-less and relative forms.
    """
    dated = parse_dated(text, reference=reference)
    return dated.when if dated else None


def parse_dated(text: str | None, *, reference: datetime | None = None) -> Dated | None:
    """parse_date, with the precision the text gave: "minute" with a time, else "day"."""
    if not text or not text.strip():
        return None
    reference = to_utc(reference) if reference else datetime.now(UTC)
    # "aoÃ»t" (UTF-8 read as Latin-1) -> "août", "&#233;" -> "é": ftfy only where fix_text's
    # hint sees mojibake or an entity, not on every French month (issue 17: ftfy's import)
    fixed = fix_text(text)
    folded = _fold(fixed)
    if found := _find_date(folded):
        return _build(folded, found, reference)
    from dateparser.date import DateDataParser  # the fallback: imported on first use

    try:
        settings = {**_DATEPARSER_SETTINGS, "RELATIVE_BASE": reference.replace(tzinfo=None)}
        parsed = DateDataParser(languages=["fr", "en"], settings=settings).get_date_data(fixed)
    except (ValueError, OverflowError):
        return None
    if parsed.date_obj is None:
        return None
    return Dated(to_utc(parsed.date_obj), "minute" if parsed.period == "time" else "day")
