"""re-key texts with zero-width spaces

`normalize_for_match` now drops U+200B (ZERO WIDTH SPACE) as `fold_whitespace` does; the dedup
keys stored for an article or a teaser whose text holds one were computed with it kept, so a
teaser and its article could miss each other. Those rows are made pending again: an article's
`dedup_hash` is reset (the next dedup step drops and rebuilds its keys and links), a teaser's
keys are deleted and it is marked unkeyed. No schema change; nothing to undo on downgrade (the
old code keys the rows again its own way only once they change, as before).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ZWSP = "%\u200b%"


def upgrade() -> None:
    pattern = sa.literal(ZWSP)
    articles = sa.table("articles", sa.column("lead"), sa.column("body"),
                        sa.column("dedup_hash"))
    teasers = sa.table("teasers", sa.column("id"), sa.column("text"), sa.column("keyed"))
    teaser_keys = sa.table("teaser_keys", sa.column("teaser_id"))
    op.execute(articles.update()
               .where(sa.or_(articles.c.lead.like(pattern), articles.c.body.like(pattern)))
               .values(dedup_hash=None))
    with_zwsp = sa.select(teasers.c.id).where(teasers.c.text.like(pattern))
    op.execute(teaser_keys.delete().where(teaser_keys.c.teaser_id.in_(with_zwsp)))
    op.execute(teasers.update().where(teasers.c.text.like(pattern)).values(keyed=False))


def downgrade() -> None:
    pass
