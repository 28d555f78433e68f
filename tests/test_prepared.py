"""crawler.prepared: statements run through the driver store and read what SQLAlchemy's own
execution of the same statements stores and reads (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, or_, select, text, update

from crawler import linker
from crawler.items import Teaser
from crawler.models import TeaserKey, TeaserRow
from crawler.prepared import Read
from crawler.store import open_store


@pytest.fixture
def store(db_url):
    opened = open_store(db_url)
    yield opened
    opened.engine.dispose()


def teasers(store, n: int) -> list[int]:
    store.add_teasers([Teaser(source="lessor", seen_on="https://lessor.ml/", text=f"Début {i}..",
                              url=f"https://lessor.ml/posts/{i}") for i in range(n)])
    t = TeaserRow.__table__
    with store.engine.connect() as db:
        return sorted(db.execute(select(t.c.id)).scalars())


def test_a_write_through_the_driver_stores_what_sqlalchemy_stores(store):
    """The dedup step's teaser link: None stored as NULL, and the statement's own value
    (keyed=True) given to every row, as SQLAlchemy's executemany gives it."""
    first, second, third, fourth = teasers(store, 4)
    link = linker._Q.link_teaser
    rows = [[{"teaser_id": first, "target": None, "how": None}],
            [{"teaser_id": third, "target": None, "how": "text"}]]
    with store.engine.begin() as db:
        db.execute(link.statement, rows[0])
        link.execute_many(db, [{**rows[0][0], "teaser_id": second}])
        db.execute(link.statement, rows[1])
        link.execute_many(db, [{**rows[1][0], "teaser_id": fourth}])
        stored = [tuple(str(v) for v in row) for row in db.execute(text(
            "SELECT article_id, matched_by, keyed FROM teasers ORDER BY id"))]
    assert stored[0] == stored[1] and stored[2] == stored[3]
    assert stored[0] != stored[2]
    assert stored[1][0] == "None"


def test_a_write_refuses_a_row_missing_a_parameter(store):
    (teaser_id,) = teasers(store, 1)
    with store.engine.begin() as db:
        linker._Q.add_teaser_keys.execute_many(db, [{"key": 7, "teaser_id": teaser_id}])
        with pytest.raises(KeyError):
            linker._Q.add_teaser_keys.execute_many(db, [{"teaser_id": teaser_id}])
        assert db.execute(select(TeaserKey.__table__.c.key)).scalars().all() == [7]


def test_a_read_without_conversions_gives_sqlalchemys_rows(store):
    ids = teasers(store, 3)
    t = TeaserRow.__table__
    statement = select(t.c.id, t.c.text).where(t.c.id.in_(linker._many("ids")))
    read = Read(statement, "ids")
    with store.engine.connect() as db:
        expected = [tuple(r) for r in db.execute(statement, {"ids": ids[1:]})]
        got = read(db, ids[1:])
    assert [tuple(r) for r in got] == expected
    assert [r.text for r in got] == ["Début 1..", "Début 2.."]


def test_a_read_converts_only_the_columns_sqlalchemy_converts(store):
    ids = teasers(store, 2)
    t = TeaserRow.__table__
    statement = (select(t.c.first_seen_at, t.c.id, t.c.url, t.c.keyed)
                 .where(t.c.id.in_(linker._many("ids"))).order_by(t.c.id))
    with store.engine.connect() as db:
        expected = [tuple(r) for r in db.execute(statement, {"ids": ids})]
        got = Read(statement, "ids")(db, ids)
    assert [tuple(r) for r in got] == expected
    assert all(isinstance(r.first_seen_at, datetime) and r.first_seen_at.tzinfo is UTC
               for r in got)
    assert [type(r.keyed) for r in got] == [type(r[3]) for r in expected]


def test_a_read_refuses_a_statement_with_other_parameters(store):
    t = TeaserRow.__table__
    statement = select(t.c.id).where(t.c.id.in_(linker._many("ids")), t.c.source == "lessor")
    with store.engine.connect() as db, pytest.raises(ValueError):
        Read(statement, "ids")(db, [1])


def test_a_read_of_a_delete_returning_deletes_and_gives_what_it_deleted(store):
    """The dedup step drops a row's article keys and reads the opening ones back (Read of
    linker._Q.drop_keys): the deleted rows, named as the RETURNING clause names them."""
    ids = teasers(store, 3)
    k = TeaserKey.__table__
    statement = (delete(k).where(k.c.teaser_id.in_(linker._many("ids")))
                 .returning(k.c.teaser_id, k.c.key))
    with store.engine.begin() as db:
        linker._Q.add_teaser_keys.execute_many(
            db, [{"key": 10 * i + n, "teaser_id": i} for i in ids for n in (1, 2)])
        got = Read(statement, "ids")(db, ids[:2])
        left = db.execute(select(k.c.teaser_id, k.c.key).order_by(k.c.key)).all()
    assert sorted((r.teaser_id, r.key) for r in got) == [
        (i, 10 * i + n) for i in ids[:2] for n in (1, 2)]
    assert [tuple(r) for r in left] == [(ids[2], 10 * ids[2] + 1), (ids[2], 10 * ids[2] + 2)]


def test_the_dedup_steps_reads_by_text_match_only_teasers_linked_by_text(store):
    """linker._Q.linked_by_text / teasers_by_keys have 'text' written in their SQL (a Read's
    one parameter is its list): what they find is what the same query with it bound finds."""
    first, second, third = teasers(store, 3)
    t, k = TeaserRow.__table__, TeaserKey.__table__
    with store.engine.begin() as db:
        store_article = db.exec_driver_sql(
            "INSERT INTO articles (source, url, url_key, title, body, authors, tags, "
            "first_seen_at, last_seen_at, content_hash, field_sources) VALUES ('lessor', "
            "'https://lessor.ml/a', 'lessor.ml/a', 'A', 'B', '[]', '[]', "
            "'2026-12-01 00:00:00', '2026-12-01 00:00:00', 'h', '{}') RETURNING id").scalar()
        for teaser_id, how in ((first, "text"), (second, "url"), (third, None)):
            db.execute(update(t).where(t.c.id == teaser_id).values(
                article_id=store_article if how else None, matched_by=how))
        linker._Q.add_teaser_keys.execute_many(
            db, [{"key": 5, "teaser_id": i} for i in (first, second, third)])
        by_text = [r.id for r in linker._linked_by_text(db, [store_article])]
        by_keys = sorted(r.teaser_id for r in linker._teasers_by_keys(db, [5, 6]))
        bound = db.execute(select(t.c.id).where(t.c.article_id.in_([store_article]),
                                                t.c.matched_by == "text")).scalars().all()
        bound_keys = sorted(db.execute(
            select(k.c.teaser_id).join(t, t.c.id == k.c.teaser_id).where(
                k.c.key.in_([5, 6]), or_(t.c.matched_by.is_(None), t.c.matched_by == "text"))
        ).scalars())
    assert by_text == bound == [first]
    assert by_keys == bound_keys == [first, third]
