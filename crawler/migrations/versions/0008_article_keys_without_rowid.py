"""article_keys as a WITHOUT ROWID table (SQLite)

The dedup step writes ~38 rows of article_keys per article, and reads those filed under the
copy keys of each article it links (issue 17). On SQLite a table with a composite primary key
keeps its rows twice: in the table, by a hidden rowid, and in the primary key's index. Made a
WITHOUT ROWID table, the primary key's B-tree is the table: an insert writes one B-tree fewer
(and the index on article_id), and less is written at each commit. The same columns, keys,
index and foreign key; the rows are copied (in a large database this takes a while: ~38 rows
an article), and the old table's pages are left free in the file, reused by later writes
(VACUUM gives them back to the disk). PostgreSQL has no rowid: nothing to do there.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:45:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = ('kind VARCHAR(1) NOT NULL, "key" BIGINT NOT NULL, article_id INTEGER NOT NULL, '
           'PRIMARY KEY (kind, "key", article_id), '
           "FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE")


def _rebuild(options: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"CREATE TABLE article_keys_rebuilt ({COLUMNS}){options}")
    op.execute('INSERT INTO article_keys_rebuilt (kind, "key", article_id) '
               'SELECT kind, "key", article_id FROM article_keys ORDER BY kind, "key", article_id')
    op.execute("DROP TABLE article_keys")  # and its index
    op.execute("ALTER TABLE article_keys_rebuilt RENAME TO article_keys")
    op.execute("CREATE INDEX ix_article_keys_article_id ON article_keys (article_id)")


def upgrade() -> None:
    _rebuild(" WITHOUT ROWID")


def downgrade() -> None:
    _rebuild("")
