"""full-text search and article revisions

Search: on SQLite an FTS5 index of the articles' title, lead and body (external content: the
text stays in `articles`, the index holds only tokens), accents folded by the unicode61
tokenizer; on PostgreSQL a table of tsvectors under a GIN index, built with `crawler_french`,
the `french` configuration with the `unaccent` dictionary in front of its stemmer (so "kone"
finds "KONÉ", and ts_headline highlights the accented word). Triggers on `articles` keep both
in step with every insert, edit and delete, whichever program writes; rows stored before this
revision are indexed here.

Revisions: a trigger copies an article's previous title, lead and body to `article_revisions`
whenever an update changes one of them, so no writer can lose an earlier version.

On SQLite a later migration that recreates `articles` (batch mode "recreate") drops these
triggers with the old table: it must create them again.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-30 19:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import crawler.models

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The text changed: the condition of every trigger that reacts to an edit.
TEXT_CHANGED = {
    "sqlite": "old.title IS NOT new.title OR old.lead IS NOT new.lead OR old.body IS NOT new.body",
    "postgresql": "OLD.title IS DISTINCT FROM NEW.title OR OLD.lead IS DISTINCT FROM NEW.lead"
                  " OR OLD.body IS DISTINCT FROM NEW.body",
}

SQLITE_UPGRADE = [
    # content="articles" in double quotes: Datasette recognises the index of `articles` by
    # that spelling and then offers a search box on the table.
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, lead, body, content="articles", content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, lead, body)
        VALUES (new.id, new.title, new.lead, new.body);
    END""",
    # External content: FTS5 removes a row's tokens only when told the text it indexed.
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, lead, body)
        VALUES ('delete', old.id, old.title, old.lead, old.body);
    END""",
    f"""CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, lead, body ON articles
    WHEN {TEXT_CHANGED["sqlite"]} BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, lead, body)
        VALUES ('delete', old.id, old.title, old.lead, old.body);
        INSERT INTO articles_fts (rowid, title, lead, body)
        VALUES (new.id, new.title, new.lead, new.body);
    END""",
    "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
    f"""CREATE TRIGGER article_revisions_keep AFTER UPDATE OF title, lead, body ON articles
    WHEN {TEXT_CHANGED["sqlite"]} BEGIN
        INSERT INTO article_revisions
            (article_id, seen_at, replaced_at, title, lead, body, updated_at, content_hash)
        VALUES (old.id, old.last_seen_at, new.last_seen_at, old.title, old.lead, old.body,
                old.updated_at, old.content_hash);
    END""",
]

POSTGRESQL_UPGRADE = [
    # unaccent is a trusted extension (PostgreSQL 13+): the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION crawler_french (COPY = pg_catalog.french)",
    """ALTER TEXT SEARCH CONFIGURATION crawler_french
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem""",
    # Weights: a word of the title counts more than one of the lead, which counts more than
    # one of the body (ts_rank's defaults: A 1.0, B 0.4, D 0.1).
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
    FOR EACH ROW WHEN ({TEXT_CHANGED["postgresql"]})
    EXECUTE FUNCTION crawler_articles_fts_sync()""",
    """INSERT INTO articles_fts (article_id, document)
    SELECT id, crawler_search_document(title, lead, body) FROM articles""",
    """CREATE FUNCTION crawler_keep_article_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO article_revisions
            (article_id, seen_at, replaced_at, title, lead, body, updated_at, content_hash)
        VALUES (OLD.id, OLD.last_seen_at, NEW.last_seen_at, OLD.title, OLD.lead, OLD.body,
                OLD.updated_at, OLD.content_hash);
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER article_revisions_keep AFTER UPDATE OF title, lead, body ON articles
    FOR EACH ROW WHEN ({TEXT_CHANGED["postgresql"]})
    EXECUTE FUNCTION crawler_keep_article_revision()""",
]

SQLITE_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS article_revisions_keep",
    "DROP TRIGGER IF EXISTS articles_fts_update",
    "DROP TRIGGER IF EXISTS articles_fts_delete",
    "DROP TRIGGER IF EXISTS articles_fts_insert",
    "DROP TABLE IF EXISTS articles_fts",
]

POSTGRESQL_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS article_revisions_keep ON articles",
    "DROP FUNCTION IF EXISTS crawler_keep_article_revision()",
    "DROP TRIGGER IF EXISTS articles_fts_update ON articles",
    "DROP TRIGGER IF EXISTS articles_fts_insert ON articles",
    "DROP FUNCTION IF EXISTS crawler_articles_fts_sync()",
    "DROP TABLE IF EXISTS articles_fts",
    "DROP FUNCTION IF EXISTS crawler_search_document(text, text, text)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS crawler_french",
    # the unaccent extension stays: something else in the database may use it
]


def upgrade() -> None:
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", crawler.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", crawler.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("lead", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", crawler.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("article_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_revisions_article_id"), ["article_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_article_revisions_replaced_at"), ["replaced_at"],
                              unique=False)
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UPGRADE if dialect == "sqlite" else POSTGRESQL_UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWNGRADE if dialect == "sqlite" else POSTGRESQL_DOWNGRADE:
        op.execute(statement)
    with op.batch_alter_table("article_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_revisions_replaced_at"))
        batch_op.drop_index(batch_op.f("ix_article_revisions_article_id"))
    op.drop_table("article_revisions")
