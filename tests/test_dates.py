"""crawler.dates: French/English news dates, ISO 8601, RFC 2822, PHP uniqid slugs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.dates import from_uniqid, gives_zone, parse_date, parse_dated, shown_date, to_utc

REF = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


FORMS = [
    # L'Essor date line, aBamako source line, prefixes and weekday ignored
    ("Publié mardi 30 septembre 2025 à 08:53", utc(2025, 9, 30, 8, 53)),
    ("Publié le lundi 1 novembre 2021 | Le 22 Septembre", utc(2021, 11, 1)),
    ("lundi 1 novembre 2021", utc(2021, 11, 1)),
    ("Date : 12 octobre 2025", utc(2025, 10, 12)),
    ("Mis à jour le 2 mars 2024 à 14:05", utc(2024, 3, 2, 14, 5)),
    ("1er décembre 2025", utc(2025, 12, 1)),
    ("10 DÉCEMBRE 2025", utc(2025, 12, 10)),
    # abbreviations, with and without dot
    ("12 janv. 2025", utc(2025, 1, 12)),
    ("3 févr. 2024", utc(2024, 2, 3)),
    ("4 fév 2024", utc(2024, 2, 4)),
    ("5 avr. 2024", utc(2024, 4, 5)),
    ("6 juil. 2024", utc(2024, 7, 6)),
    ("7 sept. 2024", utc(2024, 9, 7)),
    ("8 oct. 2024", utc(2024, 10, 8)),
    ("9 nov. 2024", utc(2024, 11, 9)),
    ("9 nov 2024", utc(2024, 11, 9)),
    ("11 déc. 2024", utc(2024, 12, 11)),
    ("11 dec 2024", utc(2024, 12, 11)),
    # Maliweb
    ("29 Sep 2025 - 10:32", utc(2025, 9, 29, 10, 32)),
    # Malijet's Latin-1/UTF-8 mix-ups
    ("12 ao\ufffdt 2025", utc(2025, 8, 12)),
    ("12 aoÃ»t 2025", utc(2025, 8, 12)),
    ("12 aout 2025", utc(2025, 8, 12)),
    ("3 f\ufffdvrier 2025", utc(2025, 2, 3)),
    ("3 d\ufffdcembre 2025 à 10h15", utc(2025, 12, 3, 10, 15)),
    # numeric day-month-year
    ("30/09/2025", utc(2025, 9, 30)),
    ("30/09/2025 à 08:53", utc(2025, 9, 30, 8, 53)),
    ("30-09-2025 08:53", utc(2025, 9, 30, 8, 53)),
    ("30.09.2025", utc(2025, 9, 30)),
    ("Date : 1/2/2025", utc(2025, 2, 1)),
    # ISO 8601 (JSON-LD, meta tags)
    ("2025-09-30T08:53:00+00:00", utc(2025, 9, 30, 8, 53)),
    ("2025-09-30T09:53:00+01:00", utc(2025, 9, 30, 8, 53)),
    ("2025-09-30T08:53:00Z", utc(2025, 9, 30, 8, 53)),
    ("2025-09-30T08:53:00.250Z", utc(2025, 9, 30, 8, 53)),
    ("2025-09-30T07:53:00-0100", utc(2025, 9, 30, 8, 53)),
    ("2025-09-30", utc(2025, 9, 30)),
    ("2025-09-30 08:53:33", utc(2025, 9, 30, 8, 53, 33)),
    # RFC 2822 (RSS)
    ("Tue, 30 Sep 2025 08:53:00 +0000", utc(2025, 9, 30, 8, 53)),
    ("Tue, 30 Sep 2025 08:53:00 GMT", utc(2025, 9, 30, 8, 53)),
    ("Tue, 30 Sep 2025 10:53:00 +0200", utc(2025, 9, 30, 8, 53)),
    # time spellings
    ("30 septembre 2025 08h53", utc(2025, 9, 30, 8, 53)),
    ("30 septembre 2025 8h", utc(2025, 9, 30, 8)),
    ("30 septembre 2025 à 08 h 53", utc(2025, 9, 30, 8, 53)),
    ("30 septembre 2025 à 8H05", utc(2025, 9, 30, 8, 5)),
    # English month names first, with the year (read without dateparser)
    ("September 29, 2025", utc(2025, 9, 29)),
    ("Friday, December 19, 2025", utc(2025, 12, 19)),
    ("Sep. 4 2025", utc(2025, 9, 4)),
    ("December 1st, 2025", utc(2025, 12, 1)),
    # German day-month-year, the day with its dot
    ("23. Juli 2017", utc(2017, 7, 23)),
    ("3. März 2024", utc(2024, 3, 3)),
    # a two-digit year after a day and a month with dots (couchstyle.de in trafilatura's dev
    # pages, RBB24 in Fundus's)
    ("Do 25.04.24 | 14:07 Uhr", utc(2024, 4, 25, 14, 7)),
    ("23.09.22", utc(2022, 9, 23)),
    ("3.5.99", utc(1999, 5, 3)),
    # a comma before the year (wirtschaftspsychologie-aktuell.de, trafilatura's dev pages)
    ("07 Dezember, 2022", utc(2022, 12, 7)),
    ("12 March, 2024 10:30", utc(2024, 3, 12, 10, 30)),
    # year first with dots
    ("Published: 2025.12.17", utc(2025, 12, 17)),
    # twelve-hour times and the zones named by their abbreviations
    ("December 20, 2025 at 6:20 pm", utc(2025, 12, 20, 18, 20)),
    ("December 20, 2025 at 12:05 a.m.", utc(2025, 12, 20, 0, 5)),
    ("Nov 25, 2025 5:00 am PST", utc(2025, 11, 25, 13, 0)),
    ("Tue, 25 Nov 2025 17:00:00 EST", utc(2025, 11, 25, 22, 0)),
    ("3 mars 2024 à 10h15 WAT", utc(2024, 3, 3, 9, 15)),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_parse_date_reads_each_form_as_utc(text: str, expected: datetime) -> None:
    got = parse_date(text, reference=REF)
    assert got == expected
    assert got.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("28 déc.", utc(2026, 1, 5), utc(2025, 12, 28)),
        ("10 decembre", utc(2025, 12, 11), utc(2025, 12, 10)),
        ("1er déc.", utc(2025, 12, 11), utc(2025, 12, 1)),
        # one day of slack: tomorrow's date still counts as this year
        ("12 décembre", utc(2025, 12, 11), utc(2025, 12, 12)),
        ("13 décembre", utc(2025, 12, 11), utc(2024, 12, 13)),
        ("1er janv. à 00:30", utc(2025, 12, 31, 23, 0), utc(2026, 1, 1, 0, 30)),
        ("29 février", utc(2026, 3, 1), utc(2024, 2, 29)),
        ("10 decembre 08:53", utc(2025, 12, 11), utc(2025, 12, 10, 8, 53)),
    ],
)
def test_date_without_year_takes_latest_year_not_after_reference(
    text: str, reference: datetime, expected: datetime
) -> None:
    assert parse_date(text, reference=reference) == expected


def test_naive_reference_is_read_as_utc() -> None:
    assert parse_date("28 déc.", reference=datetime(2026, 1, 5)) == utc(2025, 12, 28)


def test_date_without_year_defaults_to_now() -> None:
    got = parse_date("1er janvier")
    now = datetime.now(UTC)
    assert got is not None and got.month == 1 and got.day == 1
    assert now - timedelta(days=366) < got <= now + timedelta(days=1)


@pytest.mark.parametrize(
    "text",
    [
        None, "", "   ", "31/02/2025", "45 septembre", "45 septembre 2025", "30 février",
        "31 avril 2024", "2025-13-01", "30/09/2025 à 25:00", "Rédaction Lessor", "12", "2025",
        "Source : L'Essor",
        "2025-09-30T08:53:00+24:00",
        "2025-09-30T08:53:00+99:00",
    ],
)
def test_missing_or_impossible_dates_give_none(text: str | None) -> None:
    assert parse_date(text, reference=REF) is None


def test_relative_words_go_to_dateparser_against_reference() -> None:
    assert parse_date("hier", reference=REF) == REF - timedelta(days=1)


@given(st.text(max_size=60))
def test_parse_date_never_raises(text: str) -> None:
    got = parse_date(text, reference=REF)
    assert got is None or got.utcoffset() == timedelta(0)


WEEKDAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]
AWARE_2000_2035 = st.datetimes(
    min_value=datetime(2000, 1, 2), max_value=datetime(2035, 12, 30), timezones=st.timezones()
)


@given(AWARE_2000_2035)
def test_french_long_date_round_trips_to_the_minute(dt: datetime) -> None:
    u = dt.astimezone(UTC)
    text = f"{WEEKDAYS_FR[u.weekday()]} {u.day} {MONTHS_FR[u.month - 1]} {u.year} à {u:%H:%M}"
    assert parse_date(text) == u.replace(second=0, microsecond=0)


@given(AWARE_2000_2035)
def test_numeric_date_round_trips_to_the_minute(dt: datetime) -> None:
    u = dt.astimezone(UTC)
    assert parse_date(f"{u:%d/%m/%Y %H:%M}") == u.replace(second=0, microsecond=0)


# Every row of /work/shared/samples/lessor_ml-url-suffix-timestamps.tsv (suffix, uniqid time).
LESSOR_SUFFIXES = [
    ("68db9a8de8d76", "2025-09-30T08:53:33Z"),
    ("68d958208bf14", "2025-09-28T15:45:36Z"),
    ("68ff3bd69b349", "2025-10-27T09:31:02Z"),
    ("645921e5ad544", "2023-05-08T16:23:01Z"),
    ("63b5376eabbc0", "2023-01-04T08:23:10Z"),
    ("631aeeb1deeea", "2022-09-09T07:43:45Z"),
    ("6747854304ad0", "2024-11-27T20:46:59Z"),
    ("658d3688072c0", "2023-12-28T08:49:12Z"),
]


@pytest.mark.parametrize(("suffix", "expected"), LESSOR_SUFFIXES)
def test_from_uniqid_reads_lessor_slug_suffix(suffix: str, expected: str) -> None:
    assert from_uniqid(suffix) == datetime.fromisoformat(expected)
    assert from_uniqid(suffix.upper()) == datetime.fromisoformat(expected)


def test_uniqid_agrees_with_date_shown_on_lessor_page() -> None:
    shown = parse_date("Publié mardi 30 septembre 2025 à 08:53")
    assert from_uniqid("68db9a8de8d76").replace(second=0) == shown


@pytest.mark.parametrize(
    "bad", ["", "68db9a8de8d7", "68db9a8de8d766", "68db9a8de8d7g", " 68db9a8de8d7"]
)
def test_from_uniqid_rejects_anything_but_13_hex_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        from_uniqid(bad)


def test_to_utc_reads_naive_as_utc_and_converts_aware() -> None:
    assert to_utc(datetime(2025, 9, 30, 8, 53)) == utc(2025, 9, 30, 8, 53)
    assert to_utc(datetime(2025, 9, 30, 8, 53)).tzinfo is UTC
    plus_one = datetime(2025, 9, 30, 9, 53, tzinfo=timezone(timedelta(hours=1)))
    assert to_utc(plus_one) == utc(2025, 9, 30, 8, 53)
    assert to_utc(plus_one).utcoffset() == timedelta(0)


def test_a_named_zone_is_a_zone_given():
    assert gives_zone("Oct 20, 2025 at 5:00 PM PST")
    assert not gives_zone("Oct 20, 2025 at 5:00 PM")


@pytest.mark.parametrize(("text", "before", "expected"), [
    ("July 8, 2025", "", utc(2025, 7, 8)),
    ("Par Awa Sidibé · 3 mars 2024 à 10h15", "", utc(2024, 3, 3, 10, 15)),
    ("Posted by Jane Doe on Friday, December 19, 2025", "", utc(2025, 12, 19)),
    ("August 16, 2019 - Updated July 9, 2025", "", utc(2019, 8, 16)),
    ("July 9, 2025", "Published:", utc(2025, 7, 9)),
    # an update's date, labelled in the text or just before it
    ("Last updated: November 13, 2025", "", None),
    ("Mis à jour le 2 mars 2024", "", None),
    ("July 9, 2025", "Last Updated:", None),
    ("2 mars 2024", "Mis à jour le", None),
    ("Aktualisiert am 3. März 2024", "", None),
    # a sentence that names a day, a date without its year, no date
    ("Der nächste Stammtisch findet am Mi. 5. Februar 2020 ab 19 Uhr im", "", None),
    ("3 mars", "", None),
    ("5 min read", "", None),
])
def test_shown_date_reads_a_short_texts_date_unless_an_update_or_a_sentence(
        text: str, before: str, expected: datetime | None) -> None:
    found = shown_date(text, before)
    assert (found.when if found else None) == expected


def test_the_day_the_page_gave_is_kept_with_the_instant():
    """The instant is stored in UTC; the day the page printed is that of the zone it gave."""
    dated = parse_dated("2020-04-07T20:10:46-04:00")
    assert dated.when == utc(2020, 4, 8, 0, 10, 46)
    assert dated.local_day.isoformat() == "2020-04-07"
    assert parse_dated("Sat, 19 Oct 2019 00:04:00 +0200").local_day.isoformat() == "2019-10-19"
    assert parse_dated("8 juillet 2025 à 23:30").local_day.isoformat() == "2025-07-08"  # Bamako
