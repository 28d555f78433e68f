"""A database as an earlier revision left it, for the tests of the upgrades that follow."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, Table
from sqlalchemy.engine import Connection

from crawler.store import MIGRATIONS

CONFIG = Config()
CONFIG.set_main_option("script_location", str(MIGRATIONS))


def _on(connection: Connection, step, revision: str) -> None:
    """Alembic's `step` (command.upgrade or downgrade) to `revision`, on `connection`."""
    CONFIG.attributes["connection"] = connection
    try:
        step(CONFIG, revision)
    finally:
        CONFIG.attributes.pop("connection")


def downgrade(connection: Connection, revision: str) -> None:
    """Downgrade to `revision` on `connection`."""
    _on(connection, command.downgrade, revision)


def at_revision(connection: Connection, revision: str) -> dict[str, Table]:
    """Upgrade to `revision`; its tables as they were then (reflected: the old JSON and
    datetime storage, not today's models)."""
    _on(connection, command.upgrade, revision)
    metadata = MetaData()
    metadata.reflect(connection)
    return metadata.tables
