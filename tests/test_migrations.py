"""The Alembic migrations and the SQLModel tables agree, on SQLite and on PostgreSQL."""

from __future__ import annotations

import logging
import multiprocessing
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from old_schema import CONFIG, at_revision, downgrade
from sqlalchemy import create_engine, insert, inspect, select, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from crawler.items import Article
from crawler.models import ArticleRow, TeaserRow
from crawler.search import is_search_table
from crawler.store import HEAD_REVISION, open_store

TABLES = {"articles", "teasers", "fetch_state", "source_state", "crawl_runs", "article_keys",
          "teaser_keys", "source_runs", "robots_txt", "article_revisions"}
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


def test_the_head_the_store_knows_is_alembics():
    assert HEAD_REVISION == HEAD


def _imports_alembic_to_open(db_url: str) -> bool:
    probe = ("import sys; from crawler.store import open_store; "
             f"open_store({db_url!r}).engine.dispose(); print('alembic' in sys.modules)")
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    return ran.stdout.strip() == "True"


def test_a_new_database_and_one_at_head_are_opened_without_importing_alembic(db_url):
    """Alembic is imported to upgrade, not to make a new database (crawler.schema) nor to find
    there is nothing to do (issue 17); a database one revision behind is still upgraded by
    it."""
    assert not _imports_alembic_to_open(db_url)  # empty: made in one step
    engine = create_engine(db_url)
    assert version(engine) == HEAD
    assert not _imports_alembic_to_open(db_url)  # at head
    with engine.begin() as connection:
        downgrade(connection, "0006")
    assert version(engine) == "0006"
    assert _imports_alembic_to_open(db_url)
    assert version(engine) == HEAD
    engine.dispose()


# The schema as the database describes it, in forms both ways of making it can be compared by.
SQLITE_SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
POSTGRESQL_SCHEMA = {
    "columns": """SELECT table_name, ordinal_position, column_name, data_type,
            character_maximum_length, is_nullable, column_default
        FROM information_schema.columns WHERE table_schema = 'public'""",
    "constraints": """SELECT conrelid::regclass::text, conname, contype,
            pg_get_constraintdef(oid)
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace""",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    "triggers": "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal",
    "functions": """SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND NOT EXISTS (
            SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')""",
    "search configurations": """SELECT c.cfgname, m.maptokentype, m.mapseqno,
            m.mapdict::regdictionary::text
        FROM pg_ts_config c JOIN pg_ts_config_map m ON m.mapcfg = c.oid
        WHERE c.cfgnamespace = 'public'::regnamespace""",
    "extensions": "SELECT extname FROM pg_extension",
    "sequences": "SELECT sequencename, data_type FROM pg_sequences WHERE schemaname = 'public'",
}


def _words(sql: str | None) -> str | None:
    return None if sql is None else " ".join(sql.split())


def _schema(connection) -> dict:
    if connection.dialect.name == "postgresql":
        return {what: sorted(tuple(_words(v) if isinstance(v, str) else v for v in row)
                             for row in connection.exec_driver_sql(query))
                for what, query in POSTGRESQL_SCHEMA.items()}
    schema = {}
    for kind, name, table, sql in connection.exec_driver_sql(SQLITE_SCHEMA).all():
        if kind != "table":  # an index, a trigger: its statement (None: a constraint's)
            schema[kind, name] = (table, _words(sql))
            continue
        schema[kind, name] = {
            "columns": connection.exec_driver_sql(f'PRAGMA table_xinfo("{name}")').all(),
            "foreign keys": connection.exec_driver_sql(
                f'PRAGMA foreign_key_list("{name}")').all(),
            "indexes": sorted(
                (index, unique, origin, partial, connection.exec_driver_sql(
                    f'PRAGMA index_xinfo("{index}")').all())
                for _, index, unique, origin, partial in connection.exec_driver_sql(
                    f'PRAGMA index_list("{name}")')),
            "without rowid": "WITHOUT ROWID" in sql.upper(),
        }
    return schema


def _emptied(db_url: str) -> None:
    """Everything in the database dropped: an empty one at the same URL."""
    if db_url.startswith("sqlite"):
        path = make_url(db_url).database
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
        return
    engine = create_engine(db_url)
    with engine.begin() as connection:  # the extension and search configuration go with it
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def test_a_new_database_gets_the_schema_the_migrations_make(db_url):
    """crawler.schema makes an empty database in one step: the same tables, columns in the
    same order, types, defaults, keys, indexes, triggers, search index and functions as the
    migrations make, and the same version."""
    engine = create_engine(db_url)
    with engine.begin() as connection:
        at_revision(connection, "head")
        upgraded = _schema(connection)
    engine.dispose()
    _emptied(db_url)
    store = open_store(db_url)
    with store.engine.connect() as connection:
        created = _schema(connection)
    assert version(store.engine) == HEAD
    store.engine.dispose()
    if db_url.startswith("sqlite"):
        # SQLite cannot drop a default without rebuilding the table: revision 0002 added
        # url_key with DEFAULT '' to fill the rows then, and it stayed (PostgreSQL's was
        # dropped). Every INSERT names url_key, so no row sees it.
        articles = upgraded["table", "articles"]
        articles["columns"] = [(*c[:4], None, *c[5:]) if c[1] == "url_key" else c
                               for c in articles["columns"]]
    assert set(created) == set(upgraded)
    for part in upgraded:
        assert created[part] == upgraded[part], part


def test_a_database_with_rows_at_the_first_revision_is_upgraded_keeping_them(db_url):
    engine = create_engine(db_url)
    with engine.begin() as connection:
        old = at_revision(connection, "0001")
        article_id = connection.execute(insert(old["articles"]).values(
            source="lessor", url="https://lessor.ml/posts/a", title="Titre", body="Corps.",
            authors=["A"], tags=[], content_hash="0" * 64, published_at=SEEN,
            first_seen_at=SEEN, last_seen_at=SEEN,
        ).returning(old["articles"].c.id)).scalar_one()
        connection.execute(insert(old["teasers"]).values(
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


MIDNIGHT = datetime(2025, 12, 9, tzinfo=UTC)
JSON_COLUMNS = {("articles", "authors"), ("articles", "tags"), ("crawl_runs", "sources"),
                ("crawl_runs", "error_log"), ("source_runs", "fetch_ms")}


def test_rows_stored_at_revision_0003_are_rewritten_by_0004(db_url):
    """Escaped JSON, https forced on an http-only site, SQLite times without a zone: the
    upgrade turns them into UTF-8 JSON (jsonb on PostgreSQL), http URLs and zoned times, and a
    rerun of the same page still finds its row."""
    engine = create_engine(db_url)  # SQLAlchemy's own JSON serializer: escapes every accent
    with engine.begin() as connection:
        old = at_revision(connection, "0003")
        row = dict(source="journal", title="Titre", body="Corps.", content_hash="0" * 64,
                   first_seen_at=SEEN, last_seen_at=SEEN)
        connection.execute(insert(old["articles"]), [
            {**row, "url": "https://127.0.0.1:8081/articles/a", "authors": ["Moussa KONÉ"],
             "tags": ["Économie"], "published_at": SEEN},
            {**row, "url": "https://lessor.ml/posts/b", "authors": [], "tags": [],
             "published_at": MIDNIGHT, "source": "lessor"},
        ])
        connection.execute(insert(old["teasers"]).values(
            source="journal", seen_on="https://127.0.0.1:8081/articles/a",
            url="https://127.0.0.1:8081/articles/c", text="Début…", text_hash="1" * 64,
            first_seen_at=SEEN, last_seen_at=SEEN))
        # the only fetches recorded on 127.0.0.1:8081 went over http; lessor.ml's over https
        connection.execute(insert(old["fetch_state"]), [
            {"url": "http://127.0.0.1:8081/feed", "status": 200, "fetched_at": SEEN},
            {"url": "https://lessor.ml/", "status": 200, "fetched_at": SEEN}])
        connection.execute(insert(old["robots_txt"]).values(
            url="http://127.0.0.1:8081/robots.txt", body="", fetched_at=SEEN))
        connection.execute(insert(old["crawl_runs"]).values(
            mode="pass", sources=["journal"], started_at=SEEN, status="ok",
            error_log=["Kéniéba : délai dépassé"]))
        escaped = connection.execute(text(
            "select cast(authors as text) from articles where source = 'journal'")).scalar_one()
    assert escaped == '["Moussa KON\\u00c9"]'  # what revision 0003 stored
    engine.dispose()

    store = open_store(db_url)
    with store.engine.connect() as connection:
        rows = {r.source: r for r in connection.execute(select(ArticleRow.__table__))}
        teaser = connection.execute(select(TeaserRow.__table__)).one()
        if store.engine.dialect.name == "postgresql":
            types = dict(((t, c), d) for t, c, d in connection.execute(text(
                "select table_name, column_name, data_type from information_schema.columns "
                "where table_schema = 'public'")))
            assert {types[column] for column in JSON_COLUMNS} == {"jsonb"}
            found = connection.execute(text(
                "select url from articles where authors::text like '%KONÉ%'")).scalars().all()
        else:
            found = connection.execute(text(
                "select url from articles where authors like '%KONÉ%'")).scalars().all()
            raw = connection.execute(text(
                "select authors, tags, published_at from articles where source = 'journal'"
            )).one()
            assert raw == ('["Moussa KONÉ"]', '["Économie"]', "2025-12-10T17:02:00.000000+00:00")
            assert connection.execute(text("select error_log from crawl_runs")).scalar_one() == (
                '["Kéniéba : délai dépassé"]')
    assert found == ["http://127.0.0.1:8081/articles/a"]
    journal, lessor = rows["journal"], rows["lessor"]
    assert (journal.url, journal.url_key) == ("http://127.0.0.1:8081/articles/a",
                                              "127.0.0.1:8081/articles/a")
    assert (lessor.url, lessor.url_key) == ("https://lessor.ml/posts/b", "lessor.ml/posts/b")
    assert (journal.authors, journal.tags) == (["Moussa KONÉ"], ["Économie"])
    assert (journal.published_at, journal.first_seen_at, lessor.published_at) == (
        SEEN, SEEN, MIDNIGHT)
    assert journal.published_at.utcoffset() is not None
    # a time was given at 17:02; at midnight nobody can tell any more
    assert (journal.published_precision, lessor.published_precision) == ("minute", None)
    assert (teaser.seen_on, teaser.url, teaser.url_key) == (
        "http://127.0.0.1:8081/articles/a", "http://127.0.0.1:8081/articles/c",
        "127.0.0.1:8081/articles/c")
    # the same page fetched again over http is the same row, its URL as served
    again = Article(source="journal", url="http://127.0.0.1:8081/articles/a", title="Titre",
                    body="Corps.", authors=["Moussa KONÉ"], tags=["Économie"],
                    published_at=SEEN, published_precision="minute")
    assert store.upsert_articles([again]) == ["updated"]
    assert store.count_articles() == 2
    store.engine.dispose()


def test_0004_downgrades_to_0003_keeping_the_rows(db_url):
    store = open_store(db_url)
    store.upsert_articles([Article(source="journal", url="http://127.0.0.1:8081/a",
                                   title="Titre", body="Corps.", authors=["Moussa KONÉ"],
                                   published_at=SEEN, published_precision="minute")])
    store.engine.dispose()
    engine = create_engine(db_url)
    with engine.begin() as connection:
        downgrade(connection, "0003")
        columns = {c["name"] for c in inspect(connection).get_columns("articles")}
        [row] = connection.execute(text("select url, cast(authors as text) from articles"))
    assert "url_key" not in columns and "published_precision" not in columns
    assert tuple(row) == ("http://127.0.0.1:8081/a", '["Moussa KONÉ"]')
    assert version(engine) == "0003"
    engine.dispose()
    again = open_store(db_url)  # and up again
    assert again.count_articles() == 1 and version(again.engine) == HEAD
    again.engine.dispose()


def test_0007_makes_rows_keyed_with_zero_width_spaces_pending_so_the_teaser_finds_its_article(
        db_url):
    """Keys stored while normalize_for_match kept U+200B: the article's say "gouvernement\u200b",
    a teaser read from a listing without it does not find it. After 0007 the next dedup step
    keys both again, and the teaser is linked to its article."""
    opening = ("Le gouvernement\u200b a annoncé mardi un plan de soutien aux producteurs de "
               "coton de la région de Sikasso, après une campagne marquée par des pluies "
               "irrégulières et des intrants chers.")
    engine = create_engine(db_url)
    with engine.begin() as connection:
        old = at_revision(connection, "0006")
        article_id = connection.execute(insert(old["articles"]).values(
            source="journal", url="https://journal.ml/a", url_key="journal.ml/a",
            title="Un plan pour le coton", lead=None, body=opening + "\n\nLa suite.",
            content_hash="0" * 64, dedup_hash="0" * 64,  # keyed (its keys are stale)
            authors=[], tags=[], first_seen_at=SEEN, last_seen_at=SEEN,
        ).returning(old["articles"].c.id)).scalar_one()
        connection.execute(insert(old["teasers"]).values(
            source="aggregateur", seen_on="https://agg.ml/", url=None, keyed=True,
            text=opening.replace("\u200b", "\u200b\u200b")[:90] + "…", text_hash="1" * 64,
            first_seen_at=SEEN, last_seen_at=SEEN))
        connection.execute(insert(old["teaser_keys"]).values(key=1, teaser_id=1))
    engine.dispose()

    store = open_store(db_url)
    with store.engine.connect() as connection:
        assert connection.execute(text("select dedup_hash from articles")).scalar_one() is None
        assert connection.execute(text("select keyed from teasers")).scalar_one() in (False, 0)
        assert connection.execute(text("select count(*) from teaser_keys")).scalar_one() == 0
    store.dedup(window=timedelta(days=7))
    with store.engine.connect() as connection:
        assert connection.execute(text("select article_id, matched_by from teasers")).one() == (
            article_id, "text")
    store.engine.dispose()


def _article_keys_sql(connection) -> str:
    return connection.execute(text(
        "select sql from sqlite_master where type = 'table' and name = 'article_keys'"
    )).scalar_one()


def test_0008_keeps_the_article_keys_in_a_without_rowid_table_and_back(db_url, caplog):
    """0008 makes article_keys a WITHOUT ROWID table on SQLite (nothing to do on PostgreSQL):
    the keys stored before are kept and still found by the dedup step, its index and foreign
    key too; downgrading to 0007 keeps them as well."""
    lead = ("Le ministre de l'Agriculture a lancé lundi à Sikasso la campagne agricole "
            "2026-2027, avec des engrais subventionnés et de nouvelles semences de coton.")
    body = "\n\n".join([lead] + [f"Paragraphe {n} du compte rendu de la cérémonie de "
                                 f"lancement, avec les chiffres de la campagne {n}."
                                 for n in range(8)])
    store = open_store(db_url)
    store.upsert_articles([Article(source="lessor", url="https://lessor.ml/a", title="Campagne",
                                   body=body, published_at=SEEN)])
    store.dedup(window=timedelta(days=7))
    store.engine.dispose()
    engine = create_engine(db_url)
    with engine.begin() as connection:
        keys = set(connection.execute(text("select kind, key, article_id from article_keys")))
        downgrade(connection, "0007")
        assert set(connection.execute(text("select kind, key, article_id from article_keys"))) \
            == keys
        if connection.dialect.name == "sqlite":
            assert "WITHOUT ROWID" not in _article_keys_sql(connection)
    engine.dispose()
    assert keys and {kind for kind, _, _ in keys} == {"o", "c"}

    with caplog.at_level(logging.INFO, logger="crawler.store"):
        store = open_store(db_url)  # up again: 0008 and later
    assert f"upgrading the database schema from revision 0007 to {HEAD}" in caplog.text
    with store.engine.connect() as connection:
        assert set(connection.execute(text("select kind, key, article_id from article_keys"))) \
            == keys
        assert "ix_article_keys_article_id" in {
            index["name"] for index in inspect(connection).get_indexes("article_keys")}
        assert [fk["referred_table"] for fk in inspect(connection).get_foreign_keys(
            "article_keys")] == ["articles"]
        if connection.dialect.name == "sqlite":
            assert "WITHOUT ROWID" in _article_keys_sql(connection)
    # a copy stored now finds the original by the keys stored before
    store.upsert_articles([Article(source="maliweb", url="https://maliweb.net/a",
                                   title="Campagne", body=body, published_at=SEEN)])
    assert store.dedup(window=timedelta(days=7)).copies == 1
    assert version(store.engine) == HEAD
    store.engine.dispose()
