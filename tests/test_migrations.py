"""The Alembic migrations and the SQLModel tables agree, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

from crawler.items import Article
from crawler.store import open_store

TABLES = {"articles", "teasers", "fetch_state", "source_state", "crawl_runs"}


def test_upgrade_creates_exactly_the_model_tables_with_no_drift(db_url):
    store = open_store(db_url)
    tables = set(inspect(store.engine).get_table_names()) - {"alembic_version"}
    assert tables == TABLES == set(SQLModel.metadata.tables)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    store.engine.dispose()


def test_opening_a_migrated_database_again_keeps_its_rows(db_url):
    store = open_store(db_url)
    store.upsert_articles([Article(source="s", url="https://s.ml/a", title="T", body="B")])
    store.engine.dispose()
    again = open_store(db_url)
    assert again.count_articles() == 1
    with again.engine.connect() as connection:
        head = connection.execute(text("select version_num from alembic_version")).scalar_one()
    assert head == "0001"
    again.engine.dispose()


def test_an_empty_database_file_is_created_on_first_use(tmp_path):
    path = tmp_path / "nested" / "folder" / "crawl.db"
    open_store(f"sqlite:///{path}").engine.dispose()
    assert path.exists()
    engine = create_engine(f"sqlite:///{path}")
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()
