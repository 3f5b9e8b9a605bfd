"""The service's store: SQLAlchemy 2.0 tables, the engine, the unit of work, migrations."""
