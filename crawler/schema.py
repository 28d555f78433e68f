"""A new database's schema, made in one transaction without Alembic.

An empty database is given what the migrations would leave at HEAD_REVISION: the models'
tables (SQLModel's create_all), then what the models cannot declare (the search index and the
triggers that keep it and the article revisions in step, as revision 0005 made them), then
Alembic's version table, stamped at HEAD_REVISION, so that later revisions upgrade it as any
other. Running the migrations instead (eight of them then) cost a first crawl 0.13-0.17 s of
CPU and 11 MB for Alembic and its imports (issue 17); tests/test_migrations.py checks that both
ways make the same schema, on SQLite and PostgreSQL.

The statements below are this module's own, not read from the migrations: a migration is
frozen when it ships, while these follow the models. A revision that changes the triggers or
the search index changes them here too (the comparison test fails until it does).
"""

from __future__ import annotations

from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import crawler.models  # noqa: F401 (the tables, registered on SQLModel.metadata)

# The newest revision under crawler/migrations (tests/test_migrations.py checks it is Alembic's
# head): a database at it is opened without importing Alembic.
HEAD_REVISION = "0009"

# The version table as Alembic creates it.
VERSION_TABLE = ("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                 "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")

# An edit changed the text: the condition of every trigger that reacts to one.
_SQLITE_TEXT_CHANGED = ("old.title IS NOT new.title OR old.lead IS NOT new.lead"
                        " OR old.body IS NOT new.body")
_POSTGRESQL_TEXT_CHANGED = ("OLD.title IS DISTINCT FROM NEW.title OR OLD.lead IS DISTINCT FROM"
                            " NEW.lead OR OLD.body IS DISTINCT FROM NEW.body")

# What the models do not declare, by dialect (crawler.search reads the index; a trigger copies
# an article's previous title, lead and body to article_revisions when an edit changes one).
BEYOND_THE_MODELS = {
    "sqlite": [
        # External content: the text stays in `articles`, the index holds only tokens, accents
        # folded. content="articles" in double quotes: Datasette recognises the index of
        # `articles` by that spelling.
        """CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, lead, body, content="articles", content_rowid='id',
            tokenize='unicode61 remove_diacritics 2')""",
        """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, lead, body)
            VALUES (new.id, new.title, new.lead, new.body);
        END""",
        # FTS5 removes a row's tokens only when told the text it indexed.
        """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, lead, body)
            VALUES ('delete', old.id, old.title, old.lead, old.body);
        END""",
        f"""CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, lead, body ON articles
        WHEN {_SQLITE_TEXT_CHANGED} BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, lead, body)
            VALUES ('delete', old.id, old.title, old.lead, old.body);
            INSERT INTO articles_fts (rowid, title, lead, body)
            VALUES (new.id, new.title, new.lead, new.body);
        END""",
        f"""CREATE TRIGGER article_revisions_keep AFTER UPDATE OF title, lead, body ON articles
        WHEN {_SQLITE_TEXT_CHANGED} BEGIN
            INSERT INTO article_revisions
                (article_id, seen_at, replaced_at, title, lead, body, updated_at, content_hash)
            VALUES (old.id, old.last_seen_at, new.last_seen_at, old.title, old.lead, old.body,
                    old.updated_at, old.content_hash);
        END""",
    ],
    "postgresql": [
        # French stemming with `unaccent` in front ("kone" finds "KONÉ"); unaccent is a
        # trusted extension (PostgreSQL 13+): the database owner may create it.
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        "CREATE TEXT SEARCH CONFIGURATION crawler_french (COPY = pg_catalog.french)",
        """ALTER TEXT SEARCH CONFIGURATION crawler_french
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem""",
        # A word of the title weighs more than one of the lead, which weighs more than one of
        # the body (ts_rank's defaults: A 1.0, B 0.4, D 0.1).
        """CREATE FUNCTION crawler_search_document(title text, lead text, body text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT setweight(to_tsvector('crawler_french'::regconfig, coalesce(title, '')), 'A')
                || setweight(to_tsvector('crawler_french'::regconfig, coalesce(lead, '')), 'B')
                || setweight(to_tsvector('crawler_french'::regconfig, coalesce(body, '')), 'D')
        $$""",
        """CREATE TABLE articles_fts (
            article_id integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            document tsvector NOT NULL)""",
        "CREATE INDEX ix_articles_fts_document ON articles_fts USING gin (document)",
        """CREATE FUNCTION crawler_articles_fts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO articles_fts (article_id, document)
            VALUES (NEW.id, crawler_search_document(NEW.title, NEW.lead, NEW.body))
            ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document;
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles
        FOR EACH ROW EXECUTE FUNCTION crawler_articles_fts_sync()""",
        f"""CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, lead, body ON articles
        FOR EACH ROW WHEN ({_POSTGRESQL_TEXT_CHANGED})
        EXECUTE FUNCTION crawler_articles_fts_sync()""",
        """CREATE FUNCTION crawler_keep_article_revision() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO article_revisions
                (article_id, seen_at, replaced_at, title, lead, body, updated_at, content_hash)
            VALUES (OLD.id, OLD.last_seen_at, NEW.last_seen_at, OLD.title, OLD.lead, OLD.body,
                    OLD.updated_at, OLD.content_hash);
            RETURN NULL;
        END $$""",
        f"""CREATE TRIGGER article_revisions_keep AFTER UPDATE OF title, lead, body ON articles
        FOR EACH ROW WHEN ({_POSTGRESQL_TEXT_CHANGED})
        EXECUTE FUNCTION crawler_keep_article_revision()""",
    ],
}


def create_schema(connection: Connection) -> None:
    """Make the schema of HEAD_REVISION on `connection`'s empty database, in its transaction
    (the caller holds the lock that keeps a second process from doing the same)."""
    SQLModel.metadata.create_all(connection)
    for statement in BEYOND_THE_MODELS[connection.dialect.name]:
        connection.exec_driver_sql(statement)
    connection.exec_driver_sql(VERSION_TABLE)
    connection.exec_driver_sql(f"INSERT INTO alembic_version (version_num) "
                               f"VALUES ('{HEAD_REVISION}')")
