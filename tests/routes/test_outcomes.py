"""POST /v1/outcomes: partial posts over time, idempotent retries, unknown ids, bad values.

Storage behaviour runs on SQLite and PostgreSQL (the `database_url` fixture), because the
concurrency guarantees are the databases' own; input validation runs on SQLite only.
"""

import threading

import pytest
from sqlalchemy import func, select

from assist_api.services.outcomes.imports import import_files
from assist_api.store.tables import Outcome, OutcomeEvent
from tests.helpers.app import bearer, build_app, make_keys, make_test_settings
from tests.helpers.records import interaction, write_csv

CONCURRENT_POSTS = 6


def app_with_interactions(tmp_path, database_url=None):
    """An app whose store holds interactions i-1 .. i-5."""
    application = build_app(make_test_settings(tmp_path, database_url))
    rows = write_csv(tmp_path / "i.csv", [interaction(i) for i in range(1, 6)])
    assert import_files(application.extensions["store"], rows).committed
    return application


def close(application) -> None:
    application.extensions["scorer"].stop()
    application.extensions["store"].close()


@pytest.fixture
def db_app(tmp_path, database_url):
    application = app_with_interactions(tmp_path, database_url)
    yield application
    close(application)


@pytest.fixture
def sqlite_app(tmp_path):
    application = app_with_interactions(tmp_path)
    yield application
    close(application)


@pytest.fixture
def feed(request):
    """A data feed's key (role system) of whichever app the test uses: the interactions
    here are imported, and an agent key may post only for its own contacts."""
    name = "db_app" if "db_app" in request.fixturenames else "sqlite_app"
    return bearer(make_keys(request.getfixturevalue(name))["system"])


def post(client, headers, body, key=None):
    headers = {**headers, "Idempotency-Key": key} if key else headers
    return client.post("/v1/outcomes", json=body, headers=headers)


def stored(app) -> dict:
    with app.extensions["store"].uow() as uow:
        return {
            "events": uow.session.scalar(select(func.count()).select_from(OutcomeEvent)),
            "outcomes": uow.session.scalar(select(func.count()).select_from(Outcome)),
        }


def test_partial_posts_over_time_merge_into_one_outcome(db_app, feed):
    client = db_app.test_client()
    first = post(client, feed, {"interaction_id": "i-1", "ves_confidence": 6, "csat": 3})
    assert first.status_code == 200, first.get_json()
    body = first.get_json()
    assert body["retry"] is False and body["events"] == 1
    assert body["outcome"]["ves_confidence"] == 6
    assert body["outcome"]["ves_ability"] is None
    assert body["outcome"]["ve_success"] is None  # one VES item is not a verdict

    post(client, feed, {"interaction_id": "i-1", "ves_ability": 5, "csat": 5})
    last = post(client, feed, {"interaction_id": "i-1", "retained_60d": True})
    outcome = last.get_json()["outcome"]
    assert last.get_json()["events"] == 3
    assert outcome["ves_confidence"] == 6 and outcome["ves_ability"] == 5
    assert outcome["csat"] == 5  # the latest value wins
    assert outcome["retained_60d"] is True
    assert outcome["ve_success"] is True
    assert stored(db_app) == {"events": 3, "outcomes": 1}


def test_a_retried_post_changes_nothing(db_app, feed):
    client = db_app.test_client()
    body = {"interaction_id": "i-2", "csat": 4, "card_id_used": "educate_usage.better_way"}
    first = post(client, feed, body, key="survey-1").get_json()
    post(client, feed, {"interaction_id": "i-2", "csat": 2}, key="survey-2")
    before = stored(db_app)

    retried = post(client, feed, body, key="survey-1")
    assert retried.status_code == 200
    assert retried.get_json()["retry"] is True
    assert retried.get_json()["outcome"]["csat"] == 2  # the later post still stands
    assert retried.get_json()["events"] == 2
    assert stored(db_app) == before
    assert first["retry"] is False


def test_field_order_does_not_make_a_retry_new(db_app, feed):
    """Without a key, the body at the same observed_at is the same post."""
    client = db_app.test_client()
    at = "2026-03-02T10:00:00+00:00"
    post(client, feed, {"interaction_id": "i-3", "nps": 9, "ces": 2, "observed_at": at})
    again = post(client, feed, {"ces": 2, "nps": 9, "observed_at": at, "interaction_id": "i-3"})
    assert again.get_json()["retry"] is True


def test_an_outcome_for_an_unknown_interaction_is_a_404_that_says_so(db_app, feed):
    response = post(db_app.test_client(), feed, {"interaction_id": "i-404", "csat": 5})
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["code"] == "not_found"
    assert "no such interaction" in error["message"]
    assert "i-404" not in response.get_data(as_text=True)  # errors never echo the id
    assert stored(db_app) == {"events": 0, "outcomes": 0}


BAD_BODIES = [
    ({"interaction_id": "i-1", "ves_confidence": 8}, "ves_confidence", "less than or equal to 7"),
    ({"interaction_id": "i-1", "ves_ability": 0}, "ves_ability", "greater than or equal to 1"),
    ({"interaction_id": "i-1", "ves_confidence": 5.5}, "ves_confidence", "whole number"),
    ({"interaction_id": "i-1", "csat": 6}, "csat", "less than or equal to 5"),
    ({"interaction_id": "i-1", "csat": "5"}, "csat", "integer"),
    ({"interaction_id": "i-1", "nps": 11}, "nps", "less than or equal to 10"),
    ({"interaction_id": "i-1", "nps": -1}, "nps", "greater than or equal to 0"),
    ({"interaction_id": "i-1", "ces": 0}, "ces", "greater than or equal to 1"),
    ({"interaction_id": "i-1", "handle_seconds": -5}, "handle_seconds", "greater than"),
    ({"interaction_id": "i-1", "wallet_change": "lots"}, "wallet_change", "number"),
    ({"interaction_id": "i-1", "resolved": "maybe"}, "resolved", "boolean"),
    ({"interaction_id": "i-1", "retained_60d": None}, "retained_60d", "null"),
    ({"interaction_id": "i-1", "card_id_used": "upsell.bundle"}, "card_id_used", "activity"),
    (
        {"interaction_id": "i-1", "card_id_used": "educate_usage.Better Way"},
        "card_id_used",
        "lower",
    ),
    ({"interaction_id": "i-1\n", "csat": 4}, "interaction_id", "control characters"),
    ({"interaction_id": "i-1", "csat": 4, "mood": "good"}, "mood", "Unknown field"),
    ({"csat": 4}, "interaction_id", "required"),
    ({"interaction_id": "", "csat": 4}, "interaction_id", "Length"),
    ({"interaction_id": "i-1"}, "body", "at least one outcome field"),
]


@pytest.mark.parametrize(("body", "field", "reason"), BAD_BODIES)
def test_bad_values_are_a_422_naming_the_field_and_store_nothing(
    sqlite_app, feed, body, field, reason
):
    response = post(sqlite_app.test_client(), feed, body)
    assert response.status_code == 422, response.get_json()
    fields = response.get_json()["error"]["details"]["fields"]
    assert field in fields
    assert any(reason.lower() in message.lower() for message in fields[field]), fields
    assert stored(sqlite_app) == {"events": 0, "outcomes": 0}


def test_the_roles_that_post_outcomes(sqlite_app):
    keys = make_keys(sqlite_app)
    client = sqlite_app.test_client()
    body = {"interaction_id": "i-4", "csat": 4}
    assert post(client, bearer(keys["scientist"]), body).status_code == 403
    assert post(client, {}, body).status_code == 401
    for role in ("system", "lead", "admin"):
        assert post(client, bearer(keys[role]), body).status_code == 200, role


def test_concurrent_posts_for_a_new_interaction_all_count(db_app, feed):
    """Simultaneous first posts neither collide on the new outcome row nor lose fields."""
    posts = [
        {"interaction_id": "i-5", "ves_confidence": 6},
        {"interaction_id": "i-5", "ves_ability": 7},
        {"interaction_id": "i-5", "csat": 5},
        {"interaction_id": "i-5", "nps": 10},
        {"interaction_id": "i-5", "retained_60d": True},
        {"interaction_id": "i-5", "handle_seconds": 300},
    ]
    assert len(posts) == CONCURRENT_POSTS
    barrier = threading.Barrier(CONCURRENT_POSTS)
    statuses = []

    def send(body, key):
        client = db_app.test_client()
        barrier.wait()
        statuses.append(post(client, feed, body, key=key).status_code)

    threads = [threading.Thread(target=send, args=(body, f"k-{i}")) for i, body in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * CONCURRENT_POSTS
    final = post(db_app.test_client(), feed, posts[0], key="k-0").get_json()
    assert final["retry"] is True and final["events"] == CONCURRENT_POSTS
    outcome = final["outcome"]
    assert (outcome["ves_confidence"], outcome["ves_ability"], outcome["csat"]) == (6, 7, 5)
    assert (outcome["nps"], outcome["retained_60d"], outcome["handle_seconds"]) == (10, True, 300)
