"""INSERT … ON CONFLICT DO UPDATE for SQLite and PostgreSQL.

The statement carries no values: the real-time path compiles it once
(assist_api.store.prepared) and executes it with each row's parameters, where building a
statement with `.values(**row)` would cost more than the database write itself.
"""

from sqlalchemy.dialects import postgresql, sqlite


def upsert_statement(
    dialect: str, table, keys: tuple[str, ...], update: tuple[str, ...], where=None
):
    """Insert a row, or update its `update` columns when a row with the same `keys` exists
    and `where(excluded)` (if given: a condition on the existing row and the proposed one,
    `excluded`) holds; otherwise nothing is written."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: statement.excluded[name] for name in update},
        where=None if where is None else where(statement.excluded),
    )
