"""A database as an earlier revision left it, for the tests of the upgrades that follow."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, Table
from sqlalchemy.engine import Connection

from crawler.store import MIGRATIONS

CONFIG = Config()
CONFIG.set_main_option("script_location", str(MIGRATIONS))


def at_revision(connection: Connection, revision: str) -> dict[str, Table]:
    """Upgrade to `revision`; its tables as they were then (reflected: the old JSON and
    datetime storage, not today's models)."""
    CONFIG.attributes["connection"] = connection
    try:
        command.upgrade(CONFIG, revision)
    finally:
        CONFIG.attributes.pop("connection")
    metadata = MetaData()
    metadata.reflect(connection)
    return metadata.tables
