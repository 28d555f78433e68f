"""crawler.prepared: statements run through the driver store and read what SQLAlchemy's own
execution of the same statements stores and reads (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

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
