"""Core statements run through the driver (`Connection.exec_driver_sql`), compiled once per
dialect, with the value conversions SQLAlchemy itself applies: the same SQL and the same values
in and out, without SQLAlchemy's per-execution work. The dedup step and the upsert run these
thousands of times a crawl; building and compiling a statement again, and SQLAlchemy's work on
each row's parameters, cost more than SQLite takes to run it (issue 17).

Two shapes: `Read`, a SELECT (or a DELETE ... RETURNING) whose one parameter is a list of
integers (an expanding IN), its rows as named tuples; `Write`, an INSERT or UPDATE run once
per row (an executemany).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Connection


def mark(db: Connection) -> str:
    """The driver's parameter marker: "?" (sqlite3) or "%s" (psycopg)."""
    return "?" if db.dialect.paramstyle == "qmark" else "%s"


class Read:
    """A SELECT (or DELETE ... RETURNING) whose only parameter, `parameter`, is one list of
    integers. Its rows are named tuples read by attribute like SQLAlchemy's, each value passed
    through the result processor SQLAlchemy applies to its column (UTC datetimes)."""

    def __init__(self, statement: Any, parameter: str) -> None:
        self.statement, self.parameter = statement, parameter
        # (dialect, driver) -> (SQL before the list, SQL after it, row type, converted columns)
        self._compiled: dict[tuple[str, str], tuple[str, str, Any, list[tuple[int, Any]]]] = {}

    def _for(self, dialect: Any) -> tuple[str, str, Any, list[tuple[int, Any]]]:
        found = self._compiled.get((dialect.name, dialect.driver))
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            marker = f"__[POSTCOMPILE_{self.parameter}]"
            if set(compiled.binds) != {self.parameter} or compiled.string.count(marker) != 1:
                raise ValueError("Read: a statement with other parameters than one list")
            before, after = compiled.string.split(marker)
            columns = self.statement.exported_columns  # a SELECT's, or what DML RETURNs
            row = namedtuple("Row", list(columns.keys()))  # type: ignore[misc]
            processors = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                          for column in columns]
            found = self._compiled[(dialect.name, dialect.driver)] = (
                before, after, row,
                [(i, process) for i, process in enumerate(processors) if process is not None])
        return found

    def __call__(self, db: Connection, values: Sequence[int]) -> list[Any]:
        before, after, row, converted = self._for(db.dialect)
        sql = before + ", ".join([mark(db)] * len(values)) + after
        found = db.exec_driver_sql(sql, tuple(values)).fetchall()
        make = row._make
        if not converted:
            return [make(values) for values in found]
        rows = []
        for values in found:
            values = list(values)
            for i, process in converted:
                values[i] = process(values[i])
            rows.append(make(values))
        return rows


_REQUIRED = object()


def _bind_processor(bind: Any, dialect: Any) -> Any:
    """What SQLAlchemy applies to a parameter's value before the driver sees it, or None."""
    return bind.type.dialect_impl(dialect).bind_processor(dialect)


class Write:
    """An INSERT or UPDATE run as one executemany, each row's values passed through the bind
    processors SQLAlchemy itself would apply (JSON, UTC datetimes, booleans). A parameter the
    statement gives a value (`.values(keyed=True)`) takes it when a row has none; a row missing
    any other parameter is a KeyError, as SQLAlchemy refuses it."""

    def __init__(self, statement: Any) -> None:
        self.statement = statement
        # (dialect, driver) -> (SQL, positional, [(name, processor, default)])
        self._compiled: dict[tuple[str, str], tuple[str, bool, list[tuple[str, Any, Any]]]] = {}

    def _for(self, dialect: Any) -> tuple[str, bool, list[tuple[str, Any, Any]]]:
        found = self._compiled.get((dialect.name, dialect.driver))
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            if compiled.escaped_bind_names or compiled.literal_execute_params \
                    or compiled.post_compile_params:
                raise ValueError("Write: a statement with escaped or expanding parameters")
            names = (list(compiled.positiontup or ()) if compiled.positional
                     else list(compiled.params))  # the SQL's, in order
            binds = [(name, _bind_processor(compiled.binds[name], dialect),
                      _REQUIRED if compiled.binds[name].required else compiled.binds[name].value)
                     for name in names]
            found = self._compiled[(dialect.name, dialect.driver)] = (
                compiled.string, compiled.positional, binds)
        return found

    def execute_many(self, db: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        sql, positional, binds = self._for(db.dialect)
        params = [[value if processor is None else processor(value)
                   for name, processor, default in binds
                   for value in (row[name] if default is _REQUIRED else row.get(name, default),)]
                  for row in rows]
        if positional:
            db.exec_driver_sql(sql, [tuple(values) for values in params])
        else:
            names = [name for name, _, _ in binds]
            db.exec_driver_sql(sql, [dict(zip(names, values, strict=True))
                                     for values in params])
