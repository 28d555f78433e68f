"""The dedup step's pending articles and teasers found by source and pending marker together

At every step (after each batch a source stores) the dedup step reads the source's pending rows:
`articles WHERE source = ? AND dedup_hash IS NULL`, `teasers WHERE source = ? AND keyed IS
false`. SQLite answered both through the index on source alone, reading every article and teaser
the source ever had (each article up to dedup_hash, past its body), so a step cost more the
longer a source had been crawled: 0.76 ms a step at 2,000 articles a source, and a source
with years of articles has tens of thousands. The index on source becomes one on (source,
dedup_hash), and on teasers (source, keyed): both terms of the step's read are in the index,
which SQLite then prefers whatever the order the indexes were made in, and which still serves
every query by source alone. The index on dedup_hash alone, used by nothing else, goes: one
index less to write when a step marks its rows. Issue 17.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 13:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_articles_dedup_hash", table_name="articles")
    op.drop_index("ix_articles_source", table_name="articles")
    op.create_index("ix_articles_source_dedup_hash", "articles", ["source", "dedup_hash"])
    op.drop_index("ix_teasers_source", table_name="teasers")
    op.create_index("ix_teasers_source_keyed", "teasers", ["source", "keyed"])


def downgrade() -> None:
    op.drop_index("ix_teasers_source_keyed", table_name="teasers")
    op.create_index("ix_teasers_source", "teasers", ["source"])
    op.drop_index("ix_articles_source_dedup_hash", table_name="articles")
    op.create_index("ix_articles_source", "articles", ["source"])
    op.create_index("ix_articles_dedup_hash", "articles", ["dedup_hash"])
