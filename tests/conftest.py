"""Fixtures shared by every room's tests."""

import pytest

from assist_api.store.migrate import upgrade
from assist_api.store.store import Store
from tests.helpers.databases import temporary_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A migrated, empty database: once on SQLite and once on PostgreSQL."""
    with temporary_database(request.param, tmp_path) as url:
        upgrade(url)
        yield url


@pytest.fixture
def store(database_url):
    opened = Store.open(database_url)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade(url)
    opened = Store.open(url)
    yield opened
    opened.close()
