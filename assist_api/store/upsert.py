"""INSERT … ON CONFLICT DO UPDATE for SQLite and PostgreSQL.

The statement carries no values: the real-time path compiles it once
(assist_api.store.prepared) and executes it with each row's parameters, where building a
statement with `.values(**row)` would cost more than the database write itself.
"""

from sqlalchemy.dialects import postgresql, sqlite


def upsert_statement(dialect: str, table, keys: tuple[str, ...], update: tuple[str, ...]):
    """Insert a row, or update its `update` columns when a row with the same `keys` exists."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: statement.excluded[name] for name in update},
    )
