"""Article revisions: an article edited on its site between two crawls keeps its earlier
version in article_revisions; `crawl history` shows the versions and a word diff; stats count
the edited articles; export writes the revisions. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from httpserver import Story, TestServer, serve_site
from old_schema import at_revision
from sqlalchemy import create_engine, insert, select
from typer.testing import CliRunner

from crawler.cli import app
from crawler.history import word_diff
from crawler.items import Article
from crawler.models import ArticleRevision, ArticleRow
from crawler.search import search
from crawler.store import open_store

WHEN = datetime(2025, 12, 10, 17, 2, tzinfo=UTC)


def crawl(*args: str):
    return CliRunner().invoke(app, list(args))


def revisions(store) -> list:
    with store.engine.connect() as connection:
        return connection.execute(
            select(ArticleRevision.__table__).order_by(ArticleRevision.__table__.c.id)).all()


def write_config(path, server: TestServer) -> str:
    path.write_text(
        "settings: {delay: 0, timeout: 5}\n"
        "sources:\n"
        "  - name: journal\n"
        "    platform: rss\n"
        f"    base_url: {server.url('/')}\n"
        f"    entry_points: [{server.url('/feed')}]\n", "utf-8")
    return str(path)


def test_an_article_edited_between_two_crawls_keeps_both_versions(tmp_path, db_url):
    first = Story(
        "/actualite/nomination", "Moussa KONÉ nommé ministre de la Justice",
        ("Le président de la Transition a nommé Moussa KONÉ ministre de la Justice, "
         "garde des Sceaux, par décret lu hier soir à la télévision nationale.",
         "Il remplace Mamoudou Kassogué, en poste depuis 2021.",
         "La passation de service est prévue lundi à Koulouba."),
        datetime(2025, 12, 10, 8, tzinfo=UTC))
    other = Story.make("/actualite/autre", 7)
    # The site corrects a name, rewrites the second paragraph and the title
    edited = replace(first, title="Moussa KONÉ nommé ministre de la Justice et des Droits",
                     paragraphs=(first.paragraphs[0].replace("hier soir", "mardi soir"),
                                 "Il succède à Mamoudou Kassogué, ministre depuis 2021.",
                                 first.paragraphs[2]))
    with TestServer() as server:
        serve_site(server, [first, other])
        config = write_config(tmp_path / "sources.yaml", server)
        assert crawl("--config", config, "--db", db_url).exit_code == 0
        serve_site(server, [edited, other])
        again = crawl("--config", config, "--db", db_url, "--refresh", "--force")
        assert again.exit_code == 0, again.stderr
        url = server.url(first.path)

    store = open_store(db_url)
    [kept] = revisions(store)
    assert (kept.title, kept.body) == (first.title, first.body)
    assert kept.replaced_at >= kept.seen_at
    with store.engine.connect() as connection:
        current = connection.execute(select(ArticleRow.__table__).where(
            ArticleRow.__table__.c.id == kept.article_id)).one()
    assert (current.title, current.body) == (edited.title, edited.body)
    assert kept.content_hash != current.content_hash

    shown = crawl("history", url, "--db", db_url)
    assert shown.exit_code == 0, shown.stderr
    out = shown.stdout
    assert ": 2 versions" in out.splitlines()[0]
    assert "version 1: seen " in out and "version 2 (current): seen " in out
    assert "version 1 -> 2" in out
    assert "  title: … KONÉ nommé ministre de la Justice {+et des Droits+}\n" in out
    assert "[-hier-] {+mardi+} soir" in out
    assert "Il [-remplace-] {+succède à+} Mamoudou Kassogué, [-en poste-] {+ministre+} " \
           "depuis 2021." in out
    assert "Koulouba" not in out  # unchanged text further than the context stays out

    as_json = json.loads(crawl("history", url, "--db", db_url, "--json").stdout)
    assert [v["title"] for v in as_json["versions"]] == [first.title, edited.title]
    assert as_json["versions"][1]["current"] and not as_json["versions"][0]["current"]
    assert set(as_json["changes"][0]["fields"]) == {"title", "body"}

    stats = json.loads(crawl("stats", "--db", db_url, "--since", "2025-01-01", "--json").stdout)
    assert stats["sources"][0]["edited"] == 1 and stats["totals"]["edited"] == 1

    exported = crawl("export", "--db", db_url, "--table", "revisions", "-o", "-")
    assert exported.exit_code == 0, exported.stderr
    [record] = [json.loads(line) for line in exported.stdout.splitlines()]
    assert (record["title"], record["article_url"], record["source"]) == (
        first.title, current.url, "journal")

    # the search index holds the current text only
    assert [hit.id for hit in search(store, "succède")] == [kept.article_id]
    assert search(store, "remplace") == []
    store.engine.dispose()


def article(**changes) -> Article:
    fields = dict(source="lessor", url="https://lessor.ml/posts/a", title="Titre",
                  lead="Chapeau.", body="Un.\n\nDeux.", published_at=WHEN)
    return Article(**{**fields, **changes})


@pytest.fixture
def store(db_url):
    opened = open_store(db_url)
    yield opened
    opened.engine.dispose()


def test_every_version_is_kept_in_order_and_an_unchanged_refetch_adds_none(store):
    store.upsert_articles([article()])
    assert store.upsert_articles([article()]) == ["unchanged"]
    assert store.upsert_articles([article(body="Un.\n\nTrois.")]) == ["updated"]
    assert store.upsert_articles([article(body="Un.\n\nTrois.")]) == ["unchanged"]
    assert store.upsert_articles([article(body="Un.\n\nQuatre.", lead=None)]) == ["updated"]
    assert [(r.lead, r.body) for r in revisions(store)] == [
        ("Chapeau.", "Un.\n\nDeux."), ("Chapeau.", "Un.\n\nTrois.")]


def test_a_change_outside_the_text_is_an_update_but_not_a_revision(store):
    store.upsert_articles([article()])
    assert store.upsert_articles([article(tags=["Politique"], authors=["A. Traoré"])]) == [
        "updated"]
    assert revisions(store) == []


def test_a_database_at_revision_0003_keeps_revisions_after_upgrade(db_url):
    engine = create_engine(db_url)
    with engine.begin() as connection:
        old = at_revision(connection, "0003")  # the tables as 0003 made them
        connection.execute(insert(old["articles"]).values(
            source="lessor", url="https://lessor.ml/posts/a", title="Titre", lead="Chapeau.",
            body="Un.\n\nDeux.", authors=[], tags=[], content_hash="0" * 64,
            published_at=WHEN, first_seen_at=WHEN, last_seen_at=WHEN))
    engine.dispose()
    store = open_store(db_url)
    assert store.upsert_articles([article(body="Un.\n\nDeux bis.")]) == ["updated"]
    [kept] = revisions(store)
    assert (kept.body, kept.content_hash, kept.seen_at) == ("Un.\n\nDeux.", "0" * 64, WHEN)
    store.engine.dispose()


def test_history_of_an_unknown_url_is_one_line_exit_2(store, db_url):
    result = crawl("history", "https://lessor.ml/nulle-part", "--db", db_url)
    assert result.exit_code == 2
    assert result.stderr == "error: history: no article stored at https://lessor.ml/nulle-part\n"


def test_history_of_an_article_never_edited_is_one_version(store, db_url):
    store.upsert_articles([article()])
    result = crawl("history", "https://lessor.ml/posts/a", "--db", db_url)
    assert result.exit_code == 0, result.stderr
    assert "1 version\n" in result.stdout and "->" not in result.stdout


# -- the word diff ---------------------------------------------------------------------------


def test_word_diff_marks_removed_and_added_words_with_context():
    before = " ".join(f"mot{i}" for i in range(40))
    after = before.replace("mot20", "MOT20 nouveau")
    [hunk] = word_diff(before, after, context=3)
    assert hunk.text() == "… mot17 mot18 mot19 [-mot20-] {+MOT20 nouveau+} mot21 mot22 mot23 …"


def test_word_diff_ignores_spacing_and_paragraph_breaks():
    assert word_diff("Un  deux.\n\nTrois", "Un deux. Trois") == []


def test_word_diff_of_far_apart_changes_gives_two_hunks_and_frequent_words_stay_matched():
    words = ["de", "la"] * 150  # autojunk would call these noise and diff badly
    before = " ".join(["Début", *words, "fin"])
    after = " ".join(["Commencement", *words, "terme"])
    hunks = word_diff(before, after, context=2)
    assert [h.text() for h in hunks] == ["[-Début-] {+Commencement+} de la …",
                                         "… de la [-fin-] {+terme+}"]


def test_word_diff_from_or_to_nothing():
    assert [h.text() for h in word_diff("", "Nouveau chapeau.")] == ["{+Nouveau chapeau.+}"]
    assert [h.text() for h in word_diff("Ancien chapeau.", "")] == ["[-Ancien chapeau.-]"]


def test_a_change_of_paragraph_breaks_only_is_kept_and_said(store, db_url):
    store.upsert_articles([article(body="Un.\n\nDeux.")])
    assert store.upsert_articles([article(body="Un. Deux.")]) == ["updated"]
    assert len(revisions(store)) == 1
    result = crawl("history", "https://lessor.ml/posts/a", "--db", db_url)
    assert "  body: only spacing or paragraph breaks changed\n" in result.stdout
