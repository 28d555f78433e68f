"""Shared fixtures. `db_url` runs a test on SQLite and on the PostgreSQL at 127.0.0.1:5432.

Each PostgreSQL test gets a database of its own, created for it and dropped after, so tests are
independent and can run twice. In CI (CI=true) an unreachable PostgreSQL fails the tests;
elsewhere they skip with the reason.
"""

from __future__ import annotations

import os
import uuid

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

# No per-example deadline: under `-n auto` on a loaded machine a first example that imports or
# compiles something takes a second, and Hypothesis would call that a failure ("Unreliable test
# timings"); the properties are about results, not speed.
settings.register_profile("crawler", deadline=None)
settings.load_profile("crawler")

POSTGRES_URL = os.environ.get(
    "CRAWLER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _admin_engine():
    return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    try:
        engine = _admin_engine()
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception as exc:  # noqa: BLE001 - any connection failure means "not available"
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {POSTGRES_URL} is required in CI: {exc}")
        return False


@pytest.fixture
def postgres_url(postgres_available):
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if not postgres_available:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}")
    name = f"crawler_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/test.db"
    return request.getfixturevalue("postgres_url")
