"""Many-row inserts and updates as single executemany calls (imports of 100k+ rows).

The ORM's bulk helpers fall back to one statement per row in some cases; Core statements
with a list of parameter sets always reach the driver's executemany.
"""

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

BATCH = 5000


def bulk_insert(session: Session, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(table.__table__.insert(), rows[start : start + BATCH])


def bulk_update(session: Session, table, rows: list[dict], *, key: str) -> None:
    """Update each row's columns where `key` matches; every row must have the same keys."""
    if not rows:
        return
    core = table.__table__
    columns = [name for name in rows[0] if name != key]
    statement = (
        update(core)
        .where(core.c[key] == bindparam(f"_{key}"))
        .values({name: bindparam(f"_{name}") for name in columns})
    )
    renamed = [{f"_{name}": value for name, value in row.items()} for row in rows]
    for start in range(0, len(renamed), BATCH):
        session.connection().execute(statement, renamed[start : start + BATCH])
