"""Alembic environment: migrates the database behind the connection that store.py hands over,
or the URL in alembic.ini / -x url=... when run from the alembic command line."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import crawler.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from crawler.search import is_search_table

config = context.config
target_metadata = SQLModel.metadata


def include_name(name, type_, parent_names) -> bool:
    """The search index (migration 0005, not a model) is left out of autogenerate."""
    return not (type_ == "table" and is_search_table(name))


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url")
    engine = create_engine(url)
    with engine.connect() as conn:
        run_migrations(conn)
        conn.commit()
