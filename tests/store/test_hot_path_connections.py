"""/v1/assist's store connections: one checkout per request, no pre-ping, a lost
connection recovered without a failed request, statements prepared on PostgreSQL."""

import pytest
from sqlalchemy import event, func, select, text

from assist_api.services.decisions.spooling import SPOOLED
from assist_api.store.prepared import request_checkout, run
from assist_api.store.tables import Decision
from tests.helpers.app import bearer, build_app, make_keys, make_test_settings
from tests.helpers.databases import temporary_postgres_database

BODY = {
    "customer": {
        "customer_id": "c-hot",
        "days_since_purchase": 12,
        "persona": "novice",
        "plan_tier": "standard",
        "products_owned": 2,
        "feature_adoption": 0.35,
        "prior_contacts_90d": 1,
        "clv": 1200.0,
        "switching_effort": "high",
    },
    "channel": "chat",
    "language": "en",
    "contact_reason": "how_to",
    "transcript": ["How do I share a report with my team?"],
}


# the per-worker refreshes (cards, pools) stay out of the request being counted
QUIET = {"playbook_refresh_seconds": 3600.0, "pool_refresh_seconds": 3600.0}


@pytest.fixture
def served(tmp_path, database_url):
    app = build_app(make_test_settings(tmp_path, database_url, **QUIET))
    yield app, app.test_client(), bearer(make_keys(app)["agent"])
    app.extensions["scorer"].stop()
    app.extensions["store"].close()


def checkouts(engine) -> list[int]:
    """A live count of the engine's pool checkouts."""
    counted = [0]
    event.listen(engine, "checkout", lambda *_: counted.__setitem__(0, counted[0] + 1))
    return counted


def test_one_assist_answer_checks_out_one_connection(served):
    app, client, headers = served
    engine = app.extensions["store"].engine
    first = client.post("/v1/assist", json={**BODY, "interaction_id": "i-1"}, headers=headers)
    assert first.status_code == 200 and first.json["cards"]  # the cap lookup ran
    counted = checkouts(engine)
    again = client.post("/v1/assist", json={**BODY, "interaction_id": "i-2"}, headers=headers)
    assert again.status_code == 200 and again.json["cards"]
    assert counted[0] == 1  # the cap lookup and the decision write shared it
    assert engine.pool.checkedout() == 0  # and it went back


def terminate_connections(url: str) -> None:
    """What a database restart does to the service's open connections."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
    admin.dispose()


def test_after_every_connection_is_killed_the_next_answer_is_stored_not_spooled(tmp_path):
    with temporary_postgres_database() as url:
        app = build_app(make_test_settings(tmp_path, url))
        try:
            client, headers = app.test_client(), bearer(make_keys(app)["agent"])
            for n in range(3):  # several pooled connections, all idle afterwards
                body = {**BODY, "interaction_id": f"i-{n}"}
                assert client.post("/v1/assist", json=body, headers=headers).status_code == 200
            terminate_connections(url)
            answers = [
                client.post(
                    "/v1/assist", json={**BODY, "interaction_id": f"j-{n}"}, headers=headers
                )
                for n in range(3)
            ]
            assert [a.status_code for a in answers] == [200, 200, 200]
            assert all(SPOOLED not in a.json["degraded"] for a in answers)
            assert all(a.json["sequence"] == 1 for a in answers)  # written, not spooled
            with app.extensions["store"].engine.connect() as connection:
                stored = connection.execute(select(func.count()).select_from(Decision)).scalar()
            assert stored == 6
        finally:
            app.extensions["scorer"].stop()
            app.extensions["store"].close()


def test_a_failure_at_commit_is_not_retried(store):
    """It may have committed: the caller (the spool) decides, not a blind second write."""
    attempts = []

    def fails_at_commit(connection):
        attempts.append(1)
        raise_lost = store.engine.dialect.loaded_dbapi.OperationalError
        connection.invalidate()
        raise _as_commit_error(raise_lost("server closed the connection"), store)

    with pytest.raises(Exception, match="COMMIT"):
        run(store.engine, fails_at_commit, commit=True)
    assert attempts == [1]


def _as_commit_error(error, store):
    from sqlalchemy import exc

    return exc.DBAPIError.instance(
        "COMMIT",
        None,
        error,
        store.engine.dialect.loaded_dbapi.Error,
        connection_invalidated=True,
        dialect=store.engine.dialect,
    )


def test_postgresql_prepares_the_hot_path_statements(tmp_path):
    with temporary_postgres_database() as url:
        app = build_app(make_test_settings(tmp_path, url))
        try:
            client, headers = app.test_client(), bearer(make_keys(app)["agent"])
            engine = app.extensions["store"].engine
            with request_checkout(engine):  # the requests below share this connection
                for n in range(3):
                    body = {**BODY, "interaction_id": f"i-{n}"}
                    assert client.post("/v1/assist", json=body, headers=headers).status_code == 200
                prepared = run(
                    engine,
                    lambda c: c.cursor().execute("SELECT statement FROM pg_prepared_statements"),
                )
                statements = [row[0] for row in prepared.fetchall()]
            assert any(s.startswith("INSERT INTO decisions") for s in statements), statements
        finally:
            app.extensions["scorer"].stop()
            app.extensions["store"].close()
