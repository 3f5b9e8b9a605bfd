"""INSERT … ON CONFLICT DO UPDATE for SQLite and PostgreSQL, in one statement."""

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def upsert(session: Session, table, row: dict, keys: tuple[str, ...], update: tuple[str, ...]):
    """Insert `row`, or update the `update` columns of the row with the same `keys`."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table.__table__).values(**row)
    if update:
        statement = statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={name: statement.excluded[name] for name in update},
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    session.execute(statement)
