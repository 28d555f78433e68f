"""`crawl search`: accent-insensitive, ranked, filtered full-text search on SQLite (FTS5) and
PostgreSQL (tsvector), the index kept in step by triggers, and the query language's errors."""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from old_schema import at_revision
from sqlalchemy import create_engine, delete, insert, update
from typer.testing import CliRunner

from crawler.cli import app
from crawler.errors import UsageError
from crawler.items import Article
from crawler.models import ArticleRow
from crawler.search import fts5_match, parse_query, search, tsquery_text
from crawler.store import open_store

DAY = datetime(2025, 12, 10, 9, tzinfo=UTC)


def article(slug: str, title: str, body: str, *, source: str = "lessor", lead: str | None = None,
            day: int = 10) -> Article:
    return Article(source=source, url=f"https://{source}.ml/{slug}", title=title, body=body,
                   lead=lead, published_at=DAY.replace(day=day))


CORPUS = [
    article("nomination", "Moussa KONÉ nommé ministre de la Justice",
            "Le président de la Transition a nommé Moussa KONÉ.\n\nIl prend ses fonctions "
            "lundi à Koulouba.", lead="Un décret lu à la télévision nationale."),
    article("segou", "Les élections régionales à Ségou",
            "Les électeurs de Ségou ont voté dans le calme. Un certain Koné, observateur, "
            "a salué le scrutin.", source="maliweb", day=11),
    article("voeux", "Les vœux du Premier ministre",
            "Le Premier ministre a présenté ses vœux à la nation, au cœur de la crise "
            "énergétique.", day=12),
    article("essor", "Revue de presse",
            "Selon l’Essor, le G5-Sahel se réunira à 10:30 à Bamako.", source="maliweb",
            day=12),
    article("sport", "Les Aigles qualifiés", "Les Aigles du Mali battent le Niger 2-0.",
            day=13),
]


@pytest.fixture
def store(db_url):
    opened = open_store(db_url)
    opened.upsert_articles(CORPUS)
    yield opened
    opened.engine.dispose()


def urls(hits) -> list[str]:
    return [hit.url.rsplit("/", 1)[-1] for hit in hits]


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower())
                   if not unicodedata.combining(c))


@pytest.mark.parametrize("query", ["kone", "KONE", "Koné", "koné"])
def test_accents_and_case_are_ignored_both_ways(store, query):
    assert set(urls(search(store, query))) == {"nomination", "segou"}


def test_an_accented_query_finds_the_word_with_or_without_its_accents(store):
    assert urls(search(store, "Ségou")) == urls(search(store, "segou")) == ["segou"]
    assert urls(search(store, "electeurs")) == ["segou"]
    assert urls(search(store, "énergétique")) == ["voeux"]


def test_oe_and_the_ligature_find_each_other(store):
    assert urls(search(store, "voeux")) == ["voeux"]
    assert urls(search(store, "coeur")) == ["voeux"]
    assert urls(search(store, "VŒUX")) == ["voeux"]


def test_decomposed_accents_in_the_stored_text_are_folded_too(store):
    store.upsert_articles([article("nfd", "De\u0301pe\u0302che", "Awa Tounkara a\u0300 Gao.")])
    assert urls(search(store, "depeche")) == ["nfd"]
    assert urls(search(store, "tounkara à gao")) == ["nfd"]


def test_a_title_match_ranks_above_a_passing_mention(store):
    hits = search(store, "kone")
    assert urls(hits) == ["nomination", "segou"]
    assert hits[0].score > hits[1].score


def test_more_occurrences_rank_higher_than_one(store):
    store.upsert_articles([
        article("once", "Conseil", "Le conseil a parlé de la cotonnière une fois, puis "
                "d'autre chose pendant longtemps sans y revenir."),
        article("often", "Conseil", "La cotonnière, encore la cotonnière : la cotonnière "
                "recrute et la cotonnière exporte."),
    ])
    assert urls(search(store, "cotonnière")) == ["often", "once"]


def test_snippet_highlights_the_matched_word_as_written(store):
    [hit] = search(store, "tounkara OR prend kone -Ségou")
    assert hit.url.endswith("/nomination")
    marked = [hit.snippet[start:end] for start, end in hit.highlights]
    assert "KONÉ" in marked and all(fold(w) in ("kone", "prend") for w in marked)
    assert "\x02" not in hit.snippet and "\n" not in hit.snippet


def test_phrases_prefixes_exclusions_and_or(store):
    assert urls(search(store, '"Premier ministre"')) == ["voeux"]
    assert urls(search(store, '"ministre Premier"')) == []
    assert set(urls(search(store, "électeur*"))) == {"segou"}
    assert urls(search(store, "kone -observateur")) == ["nomination"]
    assert set(urls(search(store, "aigles OR vœux"))) == {"sport", "voeux"}
    assert urls(search(store, "ministre aigles OR justice")) == ["nomination"]


def test_punctuated_words_are_searched_as_phrases(store):
    for query in ("l'Essor", "l’essor", "G5-Sahel", "10:30", "essor:", "(bamako)", "^g5 +sahel"):
        assert urls(search(store, query)) == ["essor"], query


def test_source_and_date_filters(store):
    assert urls(search(store, "kone", sources=["maliweb"])) == ["segou"]
    assert urls(search(store, "les", sources=["lessor"], since=DAY.replace(day=12),
                       until=DAY.replace(day=13, hour=0))) == ["voeux"]
    assert urls(search(store, "kone", until=DAY.replace(day=11, hour=0))) == ["nomination"]


def test_limit_keeps_the_best(store):
    assert urls(search(store, "kone", limit=1)) == ["nomination"]


def test_copies_are_left_out_unless_asked_for(store):
    store.upsert_articles([article("copie", "Moussa KONÉ nommé", "Copie : KONÉ nommé.",
                                   source="maliweb")])
    articles = ArticleRow.__table__
    with store.engine.begin() as connection:
        original = connection.execute(articles.select().where(
            articles.c.url == "https://lessor.ml/nomination")).one().id
        connection.execute(update(articles).where(articles.c.url == "https://maliweb.ml/copie")
                           .values(duplicate_of=original))
    assert "copie" not in urls(search(store, "kone"))
    assert "copie" in urls(search(store, "kone", include_copies=True))


def test_the_index_follows_edits_and_deletions(store):
    store.upsert_articles([article("sport", "Les Aigles éliminés",
                                   "Les Aigles du Mali perdent contre le Niger.", day=13)])
    assert urls(search(store, "éliminés")) == ["sport"]
    assert urls(search(store, "qualifiés")) == []
    articles = ArticleRow.__table__
    with store.engine.begin() as connection:
        connection.execute(delete(articles).where(articles.c.url == "https://lessor.ml/sport"))
    assert urls(search(store, "aigles")) == []


def test_a_database_at_revision_0003_is_indexed_on_upgrade(db_url):
    engine = create_engine(db_url)
    with engine.begin() as connection:
        old = at_revision(connection, "0003")  # the tables as 0003 made them
        connection.execute(insert(old["articles"]).values(
            source="lessor", url="https://lessor.ml/ancien", title="Ancien article",
            body="Stocké avant la recherche : Kidal, Tombouctou.", authors=[], tags=[],
            content_hash="0" * 64, first_seen_at=DAY, last_seen_at=DAY))
    engine.dispose()
    store = open_store(db_url)
    assert urls(search(store, "tombouctou")) == ["ancien"]
    store.engine.dispose()


def test_postgresql_stems_french_and_refuses_a_query_of_stop_words_only(store):
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite matches whole words and has no stop words")
    assert urls(search(store, "élection")) == ["segou"]
    with pytest.raises(UsageError, match="too common"):
        search(store, "le OR de")


@pytest.mark.parametrize(("query", "why"), [
    ('"kone', "never closed"),
    ('kone "justice', "never closed"),
    ("OR kone", "OR needs a term on each side"),
    ("kone OR", "OR needs a term on each side"),
    ("kone OR OR mali", "OR needs a term on each side"),
    ("kone OR -mali", "OR cannot take an excluded term"),
    ("-kone", "every term is excluded"),
    ("kone AND mali", "AND is not an operator here"),
    ("kone NOT mali", "NOT is not an operator here"),
    ("NEAR(kone mali)", "NEAR is not an operator here"),
    ("*kone", "* ends a word"),
    ("ko*ne", "* ends a word"),
    ("' - ; ?", "no words to search for"),
    ('""', "no words to search for"),
])
def test_bad_queries_are_one_line_usage_errors(query, why):
    with pytest.raises(UsageError, match=re.escape(why)) as error:
        parse_query(query)
    assert "\n" not in str(error.value)


QUERY_TEXT = st.lists(st.sampled_from(
    list('"*-():^+{}., \'’') + ["OR", "AND", "NOT", "NEAR", "kone", "KONÉ", "a", "é", "œ",
                                 "10", "_", "\u0301", "\t", " OR ", " -"]),
    max_size=12).map("".join)


def test_any_text_is_a_query_or_a_usage_error_never_a_database_error(store):
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=QUERY_TEXT)
    def check(text):
        try:
            query = parse_query(text)
        except UsageError as error:
            assert "\n" not in str(error)
            return
        assert fts5_match(query) and tsquery_text(query)
        try:
            assert isinstance(search(store, text), list)
        except UsageError as error:  # PostgreSQL: only stop words ("a")
            assert "too common" in str(error)

    check()


# -- the command -------------------------------------------------------------------------------


def crawl(*args: str):
    """The command run in this process (stdout and stderr apart), as a user would run it."""
    return CliRunner().invoke(app, list(args))


def test_command_prints_ranked_results_with_marked_words_and_json(store, db_url):
    result = crawl("search", "kone", "--db", db_url)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "1. Moussa KONÉ nommé ministre de la Justice"
    assert lines[1] == "   lessor · 2025-12-10 · https://lessor.ml/nomination"
    assert "**KONÉ**" in lines[2]
    assert any(line.startswith("2. Les élections régionales à Ségou") for line in lines)

    result = crawl("search", "kone", "--db", db_url, "--json", "--source", "maliweb",
                   "--since", "2025-12-11", "--until", "2025-12-11")
    assert result.exit_code == 0, result.stderr
    [hit] = json.loads(result.stdout)
    assert (hit["url"], hit["source"], hit["published_at"]) == (
        "https://maliweb.ml/segou", "maliweb", "2025-12-11T09:00:00+00:00")
    [[start, end]] = hit["highlights"]
    assert hit["snippet"][start:end] == "Koné"


def test_command_errors_are_one_line_exit_2(store, db_url):
    for args, message in [
        (['"kone'], "error: query '\"kone': a \" is never closed"),
        (["kone", "--source", "nowhere"], "error: --source: unknown source 'nowhere'"),
        (["kone", "--since", "10/12/2025"], "error: --since: not a date"),
        (["kone", "--limit", "0"], "error: --limit: at least 1, not 0"),
    ]:
        result = crawl("search", *args, "--db", db_url)
        assert result.exit_code == 2, (args, result.stderr)
        assert result.stderr.startswith(message), result.stderr
        assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


def test_no_match_is_said_on_stderr_and_an_empty_json_list(store, db_url):
    result = crawl("search", "introuvable", "--db", db_url)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "no article matches\n")
    result = crawl("search", "introuvable", "--db", db_url, "--json")
    assert json.loads(result.stdout) == []


def test_datasette_recognises_the_index_of_the_articles_table(tmp_path):
    """Datasette offers a search box on a table when sqlite_master holds an FTS table whose SQL
    names it as content="table" or content=[table] (datasette.utils.detect_fts)."""
    path = tmp_path / "crawler.db"
    store = open_store(f"sqlite:///{path}")
    store.upsert_articles(CORPUS)
    store.engine.dispose()
    with sqlite3.connect(path) as connection:
        found = connection.execute(
            "select name from sqlite_master where rootpage = 0 and ("
            "sql like '%VIRTUAL TABLE%USING FTS%content=\"articles\"%' "
            "or sql like '%VIRTUAL TABLE%USING FTS%content=[articles]%')").fetchall()
        # and the query Datasette runs for ?_search=kone (rowid is articles.id)
        rows = connection.execute(
            "select title from articles where rowid in "
            "(select rowid from articles_fts where articles_fts match ?)", ('"kone"',)).fetchall()
    assert found == [("articles_fts",)]
    assert sorted(rows) == [("Les élections régionales à Ségou",),
                            ("Moussa KONÉ nommé ministre de la Justice",)]
