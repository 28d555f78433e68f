"""The upsert's batched statements: prebuilt UPDATEs store what SQLAlchemy's would, and teasers
are linked by URL over more than one chunk of a batch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from crawler.items import Article, Teaser
from crawler.linker import CHUNK
from crawler.models import ArticleRow, TeaserRow
from crawler.store import _Q, open_store

WHEN = datetime(2025, 12, 10, 17, 2, tzinfo=UTC)


@pytest.fixture
def store(db_url):
    opened = open_store(db_url)
    yield opened
    opened.engine.dispose()


def article(i: int, **changes) -> Article:
    fields = dict(source="lessor", url=f"https://lessor.ml/posts/{i}", title=f"Titre {i}",
                  body="Un.\n\nDeux.", lead="Chapeau.", authors=["Aboubacar TRAORÉ"],
                  tags=["société"], published_at=WHEN, field_sources={"title": "selector"})
    fields.update(changes)
    return Article(**fields)


def test_a_prebuilt_rewrite_stores_what_sqlalchemy_stores(store):
    store.upsert_articles([article(1), article(2)])
    a = ArticleRow.__table__
    with store.engine.begin() as db:
        ids = dict(db.execute(select(a.c.url, a.c.id)).all())
        values = dict(source="autre", title="Nouveau", lead=None, body="Trois.",
                      authors=["Kadiatou KONÉ", "X"], publisher="Éditeur", section=None,
                      tags=["économie"], image=None, language="fr",
                      published_at=datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
                      published_precision="minute", updated_at=None,
                      last_seen_at=datetime(2026, 2, 1, tzinfo=UTC), content_hash="h" * 64,
                      field_sources={"body": "json-ld"})
        db.execute(_Q.rewrite_article.statement, [{"row_id": ids["https://lessor.ml/posts/1"],
                                         "url": "https://lessor.ml/posts/1", **values}])
        _Q.rewrite_article.execute_many(
            db, [{"row_id": ids["https://lessor.ml/posts/2"], "url": "https://lessor.ml/posts/2",
                  **values}])
        # the database's own text of each column, not read back through SQLAlchemy's types
        stored = [tuple(str(v) for v in row) for row in db.execute(text(
            "SELECT source, title, lead, body, authors, publisher, section, tags, image, language,"
            " published_at, published_precision, updated_at, last_seen_at, content_hash,"
            " field_sources, dedup_hash FROM articles ORDER BY id"))]
    assert stored[0] == stored[1]
    assert "KONÉ" in stored[1][4]  # UTF-8 JSON, not \u escapes (crawler.models.UTF8JSON)


def test_a_prebuilt_statement_refuses_a_row_missing_a_column(store):
    with store.engine.begin() as db, pytest.raises(KeyError):
        _Q.touch_article.execute_many(db, [{"row_id": 1}])


def test_teasers_are_linked_by_url_over_more_than_one_chunk(store):
    n = CHUNK + 7
    teasers = [Teaser(source="lessor", seen_on="https://lessor.ml/", text=f"Le début {i}..",
                      url=f"https://lessor.ml/posts/{i}") for i in range(n)]
    assert store.add_teasers(teasers) == n
    store.upsert_articles([article(i) for i in range(n)])
    t, a = TeaserRow.__table__, ArticleRow.__table__
    with store.engine.connect() as db:
        linked = db.execute(select(t.c.url, a.c.url, t.c.matched_by)
                            .join(a, a.c.id == t.c.article_id)).all()
    assert len(linked) == n
    assert all(teaser_url == article_url and by == "url" for teaser_url, article_url, by in linked)
