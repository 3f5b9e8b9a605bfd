"""The migrations build exactly the schema the ORM tables describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from assist_api.store.tables import Base


def test_migrated_schema_matches_the_tables(store):
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
