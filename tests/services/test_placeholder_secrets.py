"""A service never starts on a secret copied from an example file, and is rate limited
out of the box (issue 22, finding 11)."""

from pathlib import Path

import pytest

from assist_api.config import Settings, load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "production.env.example"


def _example_values() -> dict[str, str]:
    values = {}
    for line in EXAMPLE.read_text().splitlines():
        if line.strip() and not line.startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_the_example_files_secret_key_is_refused_by_name(tmp_path):
    secret = _example_values()["VALUE_ASSIST_SECRET_KEY"]
    with pytest.raises(ValueError, match="VALUE_ASSIST_SECRET_KEY is a placeholder"):
        load_settings({"VALUE_ASSIST_SECRET_KEY": secret, "VALUE_ASSIST_DATA_DIR": str(tmp_path)})


def test_a_placeholder_database_password_is_refused_by_name(tmp_path):
    password = _example_values()["STORE_DB_PASSWORD"]
    url = f"postgresql://store:{password}@db:5432/value_assist"
    with pytest.raises(ValueError, match="VALUE_ASSIST_DATABASE_URL holds a placeholder"):
        Settings(data_dir=tmp_path, database_url=url)


def test_a_real_secret_starts(tmp_path):
    settings = Settings(data_dir=tmp_path, secret_key="f3" * 32)
    assert settings.secret_key == "f3" * 32


def test_requests_and_sign_ins_are_limited_by_default(tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert settings.rate_limit_per_minute > 0
    assert getattr(settings, "login_attempts_per_minute", 0) > 0


def test_sign_in_attempts_are_limited_per_address(tmp_path):
    from tests.helpers.app import build_app, make_test_settings

    app = build_app(make_test_settings(tmp_path, login_attempts_per_minute=3))
    client = app.test_client()
    client.get("/ui/login")
    with client.session_transaction() as flask_session:
        csrf = flask_session["login_csrf"]
    statuses = [
        client.post("/ui/login", data={"api_key": "va_x_guess", "csrf_token": csrf}).status_code
        for _ in range(5)
    ]
    app.extensions["scorer"].stop()
    app.extensions["store"].close()
    assert statuses[:3] == [401, 401, 401] and statuses[3:] == [429, 429]
