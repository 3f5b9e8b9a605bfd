"""App fixtures for the assist_api room: a real app, its client, keys per role."""

import pytest

from tests.helpers.app import bearer, build_app, make_keys, make_test_settings


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
