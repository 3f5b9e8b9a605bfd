"""Fixtures shared by every room's tests, and the Hypothesis profiles.

Profiles (HYPOTHESIS_PROFILE): `ci` (what `make test` and CI use) derandomizes every
property test, so a commit that changed nothing never turns red; `dev` (the default when
the variable is unset) draws new examples each run; `fuzz` (`make fuzz`) draws
FUZZ_FACTOR times the examples each test asks for, randomly, for a developer to run.
"""

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from assist_api.store.migrate import upgrade
from assist_api.store.store import Store
from tests.helpers.app import bearer, build_app, make_keys, make_test_settings
from tests.helpers.databases import temporary_database

hypothesis_settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile(
    "fuzz",
    deadline=None,
    print_blob=True,
    derandomize=False,  # random even where CI is set
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


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


# A real app on a throwaway SQLite store, its client, and keys per role (routes,
# services and CLI tests alike).
@pytest.fixture
def settings(tmp_path):
    return make_test_settings(tmp_path)


@pytest.fixture
def app(settings):
    application = build_app(settings)
    yield application
    application.extensions["scorer"].stop()
    application.extensions["store"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def keys(app):
    return make_keys(app)


@pytest.fixture
def auth(keys):
    """auth("agent") -> headers with that role's bearer key."""
    return lambda role: bearer(keys[role])
