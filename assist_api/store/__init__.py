"""The service's store: SQLAlchemy 2.0 tables, the engine, the unit of work, migrations."""

# Every table module registers on the shared Base when the store package is first used, so
# Base.metadata is whole wherever tables are used (migrations, the schema test).
from assist_api.store import learning_tables  # noqa: F401
