"""INSERT … ON CONFLICT DO UPDATE for SQLite and PostgreSQL, built once per table.

The statement carries no values: callers execute it with a parameter dict, so SQLAlchemy
compiles it once and every later call skips statement construction (this matters on
the real-time path, where building a statement with `.values(**row)` costs more than
the database write itself).
"""

from functools import lru_cache

from sqlalchemy.dialects import postgresql, sqlite


@lru_cache(maxsize=64)
def upsert_statement(dialect: str, table, keys: tuple[str, ...], update: tuple[str, ...]):
    """Insert a row, or update its `update` columns when a row with the same `keys` exists."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table)
    if update:
        return statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={name: statement.excluded[name] for name in update},
        )
    return statement.on_conflict_do_nothing(index_elements=list(keys))


def upsert(connection, table, row: dict, keys: tuple[str, ...], update: tuple[str, ...]):
    """Upsert `row` into `table` (a Core Table) over an open connection or session."""
    dialect = (
        connection.get_bind().dialect.name
        if hasattr(connection, "get_bind")
        else (connection.dialect.name)
    )
    connection.execute(upsert_statement(dialect, table, keys, update), row)
