"""The Alembic migrations and the SQLModel tables agree, on SQLite and on PostgreSQL."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, insert, inspect, select, text
from sqlmodel import SQLModel

from crawler.items import Article
from crawler.models import ArticleRow, TeaserRow
from crawler.search import is_search_table
from crawler.store import MIGRATIONS, open_store

TABLES = {"articles", "teasers", "fetch_state", "source_state", "crawl_runs", "article_keys",
          "teaser_keys", "source_runs", "robots_txt", "article_revisions"}
CONFIG = Config()
CONFIG.set_main_option("script_location", str(MIGRATIONS))
HEAD = ScriptDirectory.from_config(CONFIG).get_current_head()
SEEN = datetime(2025, 12, 10, 17, 2, tzinfo=UTC)


def version(engine) -> str:
    with engine.connect() as connection:
        return connection.execute(text("select version_num from alembic_version")).scalar_one()


def test_upgrade_creates_exactly_the_model_tables_with_no_drift(db_url):
    store = open_store(db_url)
    tables = {name for name in inspect(store.engine).get_table_names()
              if not is_search_table(name)} - {"alembic_version"}
    assert tables == TABLES == set(SQLModel.metadata.tables)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_name": lambda name, kind, _: not (kind == "table" and is_search_table(name)),
        })
        assert compare_metadata(context, SQLModel.metadata) == []
    assert version(store.engine) == HEAD
    store.engine.dispose()


def test_opening_a_migrated_database_again_keeps_its_rows(db_url):
    store = open_store(db_url)
    store.upsert_articles([Article(source="s", url="https://s.ml/a", title="T", body="B")])
    store.engine.dispose()
    again = open_store(db_url)
    assert again.count_articles() == 1
    assert again.upsert_articles([Article(source="s", url="https://s.ml/a", title="T",
                                          body="B")]) == ["unchanged"]
    assert version(again.engine) == HEAD
    again.engine.dispose()


def test_a_database_with_rows_at_the_first_revision_is_upgraded_keeping_them(db_url):
    engine = create_engine(db_url)
    with engine.begin() as connection:
        CONFIG.attributes["connection"] = connection
        command.upgrade(CONFIG, "0001")
        CONFIG.attributes.pop("connection")
        article_id = connection.execute(insert(ArticleRow.__table__).values(
            source="lessor", url="https://lessor.ml/posts/a", title="Titre", body="Corps.",
            authors=["A"], tags=[], content_hash="0" * 64, published_at=SEEN,
            first_seen_at=SEEN, last_seen_at=SEEN,
        ).returning(ArticleRow.__table__.c.id)).scalar_one()
        connection.execute(insert(TeaserRow.__table__).values(
            source="lessor", seen_on="https://lessor.ml/", url="https://lessor.ml/posts/a",
            text="Corps..", text_hash="1" * 64, first_seen_at=SEEN, last_seen_at=SEEN,
            article_id=article_id))
    assert version(engine) == "0001"
    engine.dispose()
    store = open_store(db_url)
    assert version(store.engine) == HEAD
    with store.engine.connect() as connection:
        [row] = connection.execute(select(ArticleRow.__table__)).all()
        [teaser] = connection.execute(select(TeaserRow.__table__)).all()
    assert (row.url, row.title, row.authors, row.first_seen_at) == (
        "https://lessor.ml/posts/a", "Titre", ["A"], SEEN)
    assert (teaser.article_id, teaser.matched_by, teaser.keyed) == (article_id, "url", False)
    store.engine.dispose()


def test_an_empty_database_file_is_created_on_first_use(tmp_path):
    path = tmp_path / "nested" / "folder" / "crawl.db"
    open_store(f"sqlite:///{path}").engine.dispose()
    assert path.exists()
    engine = create_engine(f"sqlite:///{path}")
    assert {name for name in inspect(engine).get_table_names()
            if not is_search_table(name)} == TABLES | {"alembic_version"}
    engine.dispose()


def _open_in_a_process(db_url: str, start, results) -> None:
    start.wait()
    try:
        open_store(db_url).engine.dispose()
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 - the parent asserts on it
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_starting_together_on_an_empty_database_all_open_it(db_url):
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(3), spawn.Queue()
    workers = [spawn.Process(target=_open_in_a_process, args=(db_url, start, results))
               for _ in range(3)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert outcomes == ["ok"] * 3
    engine = create_engine(db_url)
    assert version(engine) == HEAD
    engine.dispose()
