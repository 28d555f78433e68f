"""Edges of crawler.text's rules that mutmut found unguarded (issue 16, item 6): each case sits
where a changed comparison, flag or keyword would give the other answer."""

from __future__ import annotations

import pytest

from crawler.text import fix_text, is_boilerplate, looks_like_byline, rejoin_broken_lines


@pytest.mark.parametrize(("line", "byline"), [
    # "Par"/"par" opens a byline in any case, and one name after it is enough
    ("par Koné", True),
    ("PAR Koné", True),
    # one word in capitals of two letters or more is a surname signature; an initial is not
    ("DIALLO", True),
    ("BA", True),
    ("A.", False),
    # two capitalised names make a byline without capitals or "Par"
    ("Moussa Koné", True),
    # particles sit between names, are not names themselves, and never end a byline
    ("Mohamed ag Intalla", True),
    ("Moussa Koné de", False),
    # a sentence opener is not a first name even before a capitalised word
    ("Dans Bamako", False),
    ("Avec Moussa Koné", False),
    # at most six words after "Par"
    ("Mamadou Lamine Sidiki Fousseyni Bakary DIARRA", True),
    ("Mamadou Lamine Sidiki Fousseyni Bakary Seydou DIARRA", False),
])
def test_looks_like_byline_at_its_edges(line, byline):
    assert looks_like_byline(line) is byline


def test_fix_text_keeps_curly_quotes_and_composes_accents():
    # L'Essor prints typographic apostrophes and quotes: they are kept, not made ASCII
    assert fix_text("l’État a dit « non » et “oui”") == "l’État a dit « non » et “oui”"
    # a decomposed é (e + combining acute, as some CMS exports give it) is stored composed
    assert fix_text("Se\u0301gou") == "S\u00e9gou"
    # the same two rules where mojibake sends the text through the repair: the repaired ’
    # stays curly, and the decomposed é is composed there too
    assert fix_text("lâ€™accord signÃ© Ã  Se\u0301gou") == "l’accord signé à S\u00e9gou"


def test_boilerplate_limits_are_inclusive():
    # "La rédaction de l'Essor" is a signature line of exactly the rule's four words
    assert is_boilerplate("La rédaction de l'Essor")
    assert not is_boilerplate("La rédaction de l'Essor remercie ses lecteurs")


def test_rejoin_skips_blank_lines_and_keeps_going():
    assert rejoin_broken_lines(["Le conseil s'est réuni.", "", "   ", "Il a adopté le budget."]
                               ) == ["Le conseil s'est réuni.", "Il a adopté le budget."]
