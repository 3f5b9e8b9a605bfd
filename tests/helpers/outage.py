"""Real store outages for fault tests: nothing is mocked, the database itself refuses.

- SQLite: another process takes the write lock (`BEGIN EXCLUSIVE`), as a long import or
  a backup would; reads go on (WAL), every write waits out its timeout and fails.
- PostgreSQL: the database stops accepting connections and every open one is
  terminated, as when the server restarts or the network drops.
"""

import sqlite3
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.helpers.databases import postgres_base_url


@contextmanager
def store_outage(database_url: str):
    if database_url.startswith("sqlite"):
        with _sqlite_locked(database_url.removeprefix("sqlite:///")):
            yield
    else:
        with _postgres_refusing(database_url):
            yield


@contextmanager
def _sqlite_locked(path: str):
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


@contextmanager
def _postgres_refusing(database_url: str):
    name = make_url(database_url).database
    base = postgres_base_url().replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
