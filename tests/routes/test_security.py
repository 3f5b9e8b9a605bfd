"""Keys, roles and hard edges, for every route the app has (new routes are covered as
they are added: the operations are read from the app's url_map, not listed here)."""

import re

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from assist_api.cli import main
from assist_api.errors import RateLimited
from assist_api.services.access.rate_limit import RateLimiter
from assist_api.store.tables import ApiKey, AuditEntry
from features.vocabulary import ROLES
from tests.helpers.app import bearer, build_app, make_keys, make_test_settings
from tests.helpers.databases import temporary_postgres_database
from tests.helpers.outage import store_outage

BODY_METHODS = {"POST", "PUT", "PATCH"}
SIGNED = ([{"twilioSignature": []}], [{"zendeskSignature": []}])  # platforms' own signatures
OPEN_PATHS = ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs")
LEAKS = re.compile(
    r"Traceback|File \"|sqlalchemy|psycopg|SELECT |INSERT |UPDATE |DELETE FROM", re.I
)
DEEP = [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def operations(app, prefix: str, signed: bool = False) -> list[tuple[str, str, object]]:
    """(method, concrete path, view function) for every route under `prefix`; the
    platform webhooks authenticated by their own signature (`signed_by`) only when
    `signed` (tests/customers/test_connector_routes.py checks them)."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(prefix):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "x", rule.rule)
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            handler = getattr(getattr(view, "view_class", None), method.lower(), view)
            if signed or not hasattr(handler, "signed_by"):
                found.append((method, path, handler))
    return found


def call(client, method: str, path: str, headers=None):
    body = {} if method in BODY_METHODS else None
    return client.open(path, method=method, json=body, headers=headers or {})


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, (response.status_code, response.get_data(True))
    assert response.is_json and response.get_json()["error"]["code"] == code
    assert not LEAKS.search(response.get_data(as_text=True))


# -- keys and roles ----------------------------------------------------------------------


def test_every_v1_operation_declares_its_roles(app):
    ops = operations(app, "/v1/", signed=True)
    assert len(ops) >= 4
    unsecured = [
        (m, p)
        for m, p, handler in ops
        if not hasattr(handler, "required_roles") and not hasattr(handler, "signed_by")
    ]
    assert unsecured == [], "every /v1 operation must use @secured (or @signature_secured)"


def test_every_v1_operation_without_a_valid_key_is_401(client, keys):
    for method, path, _ in operations(client.application, "/v1/"):
        assert_error(call(client, method, path), 401, "unauthenticated")
        assert_error(call(client, method, path, bearer("va_nope_wrong")), 401, "unauthenticated")
        assert_error(
            call(client, method, path, {"Authorization": "Basic a2V5"}), 401, "unauthenticated"
        )


def test_every_v1_operation_refuses_the_roles_it_does_not_allow(client, keys):
    refused = 0
    for method, path, handler in operations(client.application, "/v1/"):
        allowed = set(handler.required_roles) | {"admin"}
        for role in ROLES:
            response = call(client, method, path, bearer(keys[role]))
            if handler.required_roles and role not in allowed:
                assert_error(response, 403, "forbidden")
                refused += 1
            else:
                assert response.status_code not in (401, 403), (method, path, role)
    assert refused > 0


def test_openapi_documents_bearer_auth_and_401_403_for_every_v1_operation(client):
    spec = client.get("/openapi.json").get_json()
    for path, item in spec["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in item.items():
            if method == "parameters":
                continue
            if operation.get("security") in SIGNED:
                assert "401" in operation["responses"], (method, path)
                continue
            assert operation.get("security") == [{"bearerAuth": []}], (method, path)
            assert {"401", "403"} <= set(operation["responses"]), (method, path)


def test_health_metrics_and_docs_need_no_key(client):
    for path in OPEN_PATHS:
        response = client.get(path)
        assert response.status_code in (200, 503), path
        assert response.status_code == 200 or response.get_json()["ready"] is False


def test_pages_without_a_session_never_answer_2xx(client):
    for method, path, _ in operations(client.application, "/ui/"):
        if path in ("/ui/login", "/ui/logout"):
            continue
        response = client.open(path, method=method, data={})
        assert response.status_code in (302, 401, 403), (method, path, response.status_code)
        if response.status_code == 302:
            assert "/ui/login" in response.headers["Location"]


def test_a_revoked_key_stops_working_and_keys_are_audited(app, client, keys):
    key = keys["lead"]
    assert client.get("/v1/models/current", headers=bearer(key)).status_code == 200
    key_id = key.split("_")[1]
    store = app.extensions["store"]
    with store.uow() as uow:
        row = uow.session.get(ApiKey, key_id)
        assert row.last_used_at is not None
        assert key.split("_", 2)[2] not in (row.key_hash, row.salt)
    runner = CliRunner()
    env = {
        "VALUE_ASSIST_DATABASE_URL": app.config["SETTINGS"].database_url,
        "VALUE_ASSIST_DATA_DIR": str(app.config["SETTINGS"].data_dir),
    }
    result = runner.invoke(main, ["keys", "revoke", key_id], env=env)
    assert result.exit_code == 0, result.output
    app.extensions["key_cache"].clear()  # (otherwise within CACHE_SECONDS)
    assert_error(client.get("/v1/models/current", headers=bearer(key)), 401, "unauthenticated")
    with store.uow() as uow:
        actions = set(
            uow.session.execute(
                select(AuditEntry.action).where(AuditEntry.entity_id == key_id)
            ).scalars()
        )
    assert actions == {"create", "revoke"}


def test_the_cli_prints_a_new_key_once_and_stores_only_its_hash(app, client):
    settings = app.config["SETTINGS"]
    env = {
        "VALUE_ASSIST_DATABASE_URL": settings.database_url,
        "VALUE_ASSIST_DATA_DIR": str(settings.data_dir),
    }
    result = CliRunner().invoke(
        main, ["keys", "create", "--role", "agent", "--name", "desk 1"], env=env
    )
    assert result.exit_code == 0, result.output
    key = result.output.strip()
    assert re.fullmatch(r"va_[0-9a-f]{12}_[A-Za-z0-9_-]{40,}", key)
    assert client.get("/v1/models/current", headers=bearer(key)).status_code == 200
    listing = CliRunner().invoke(main, ["keys", "list"], env=env).output
    assert "desk 1" in listing and key.split("_", 2)[2] not in listing
    with app.extensions["store"].engine.connect() as connection:
        dump = " ".join(
            str(v) for row in connection.execute(text("SELECT * FROM api_keys")) for v in row
        )
    assert key.split("_", 2)[2] not in dump


def test_known_keys_keep_working_while_the_store_is_unreachable(tmp_path):
    with temporary_postgres_database() as url:
        app = build_app(make_test_settings(tmp_path, database_url=url, outbound_timeout_seconds=1))
        client = app.test_client()
        keys = make_keys(app)
        try:
            assert (
                client.get("/v1/models/current", headers=bearer(keys["agent"])).status_code == 200
            )
            with store_outage(url):
                seen = client.get("/v1/models/current", headers=bearer(keys["agent"]))
                unseen = client.get("/v1/models/current", headers=bearer(keys["lead"]))
            assert seen.status_code == 200
            assert_error(unseen, 503, "not_ready")
        finally:
            app.extensions["store"].close()


# -- hard edges ----------------------------------------------------------------------------


def test_security_headers_on_pages_and_api(client, auth):
    for response in (
        client.get("/ui/login"),
        client.get("/v1/models/current", headers=auth("agent")),
        client.get("/v1/models/current"),
    ):
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"


def test_database_errors_never_show_sql_or_a_stack_trace(app, client, auth):
    headers = auth("agent")
    with app.extensions["store"].engine.begin() as connection:
        connection.execute(text("ALTER TABLE interactions RENAME TO interactions_gone"))
    outcome = {"interaction_id": "i-1", "csat": 5}
    broken = client.post("/v1/outcomes", json=outcome, headers=headers)
    assert broken.status_code in (500, 503)
    assert_error(broken, broken.status_code, broken.get_json()["error"]["code"])
    assert "interactions" not in broken.get_data(as_text=True)


def test_a_locked_store_is_a_503_with_retry_after(tmp_path):
    app = build_app(make_test_settings(tmp_path, outbound_timeout_seconds=0.3))
    client = app.test_client()
    headers = bearer(make_keys(app)["agent"])
    outcome = {"interaction_id": "i-1", "csat": 5}
    try:
        client.get("/v1/models/current", headers=headers)  # the key is verified and cached
        with store_outage(app.config["SETTINGS"].database_url):
            # the write waits out the lock timeout, then the client is told to retry
            response = client.post("/v1/outcomes", json=outcome, headers=headers)
    finally:
        app.extensions["store"].close()
    assert_error(response, 503, "store_unavailable")
    assert int(response.headers["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"interaction_id": "i-1", "customer": {"persona": "x" * 30_000}}, 413, "customer.persona"),
        ({"interaction_id": "i-1", "transcript": ["ok", "y" * 30_000]}, 413, "transcript[1]"),
        (
            {
                "interaction_id": "i-1",
                "customer": {"a": {"b": {"c": [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]}}},
            },
            400,
            None,
        ),
    ],
)
def test_json_shape_limits_name_the_field(client, auth, body, status, field):
    response = client.post("/v1/assist", json=body, headers=auth("agent"))
    assert_error(response, status, "too_large" if status == 413 else "malformed_request")
    if field:
        assert response.get_json()["error"]["details"]["field"] == field


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000 + b"]" * 100_000,  # deeper than Python's parser recurses
        b'{"interaction_id": ' + b"9" * 5000 + b"}",  # more digits than int() reads
        b'{"interaction_id": "\xff\xfe"}',  # not UTF-8
        b'{"interaction_id": ',  # cut off: the one malformed-JSON test (the contract's 400)
    ],
)
def test_hostile_json_bodies_are_400_not_500(client, auth, raw):
    headers = {**auth("agent"), "Content-Type": "application/json"}
    response = client.post("/v1/assist", data=raw, headers=headers)
    assert_error(response, 400, "malformed_request")


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'{"interaction_id": "i-\\u0000"}', "interaction_id"),  # PostgreSQL refuses NUL
        (b'{"interaction_id": "i-\\ud800"}', "interaction_id"),  # no UTF-8 encoding exists
        (b'{"interaction_id": "i-1", "customer": {"clv": 9007199254740993}}', "customer.clv"),
    ],
)
def test_text_and_numbers_no_store_can_keep_are_422(client, auth, raw, field):
    headers = {**auth("agent"), "Content-Type": "application/json"}
    response = client.post("/v1/assist", data=raw, headers=headers)
    assert_error(response, 422, "invalid_fields")
    assert field in response.get_json()["error"]["details"]["fields"]


def test_rate_limit_per_key_is_429_with_retry_after(tmp_path):
    app = build_app(make_test_settings(tmp_path, rate_limit_per_minute=3))
    client = app.test_client()
    keys = make_keys(app)
    try:
        statuses = [
            client.get("/v1/models/current", headers=bearer(keys["agent"])).status_code
            for _ in range(4)
        ]
        limited = client.get("/v1/models/current", headers=bearer(keys["agent"]))
        other = client.get("/v1/models/current", headers=bearer(keys["lead"]))
    finally:
        app.extensions["store"].close()
    assert statuses == [200, 200, 200, 429]
    assert_error(limited, 429, "rate_limited")
    assert 1 <= int(limited.headers["Retry-After"]) <= 20
    assert other.status_code == 200


def test_the_token_bucket_refills_at_the_set_rate():
    now = [1000.0]
    limiter = RateLimiter(60, clock=lambda: now[0])  # one token per second
    for _ in range(60):
        limiter.check("k")
    with pytest.raises(RateLimited) as raised:
        limiter.check("k")
    assert raised.value.headers == {"Retry-After": "1"}
    now[0] += 1.0
    limiter.check("k")
    with pytest.raises(RateLimited):
        limiter.check("k")
    now[0] += 3600
    for _ in range(60):  # never more than a minute's allowance at once
        limiter.check("k")
    with pytest.raises(RateLimited):
        limiter.check("k")
    limiter.check("another key")


def test_a_key_name_too_long_for_the_audit_log_is_refused(app):
    settings = app.config["SETTINGS"]
    env = {
        "VALUE_ASSIST_DATABASE_URL": settings.database_url,
        "VALUE_ASSIST_DATA_DIR": str(settings.data_dir),
    }
    create = ["keys", "create", "--role", "scientist", "--name", "n" * 81]
    result = CliRunner().invoke(main, create, env=env)
    assert result.exit_code == 2 and "name: must be 1-80 characters" in result.output
