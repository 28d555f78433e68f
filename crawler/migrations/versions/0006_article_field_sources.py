"""article field sources

Per article, which layer filled each field (selector, json-ld, meta, fallback, code), as
`crawl sources check` prints it; rows stored before get {}.

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-30 19:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, no batch mode: SQLite adds a NOT NULL column that has a default in place,
# while a batch copy would drop the old table and so null every teaser's article_id (ON DELETE
# SET NULL).


def upgrade() -> None:
    # jsonb on PostgreSQL, as every JSON column since 0004
    json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    op.add_column("articles", sa.Column("field_sources", json, nullable=False,
                                        server_default=sa.text("'{}'")))


def downgrade() -> None:
    op.drop_column("articles", "field_sources")
