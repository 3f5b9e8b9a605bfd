"""The learning loop through the real app: policy on every answer and decision, the
decision-time training row, outcome integrity (409s) and test traffic left out."""

import numpy as np
import pytest
from sqlalchemy import select

from assist_api.services.access.keys import create_key
from assist_api.services.clock import utc_now
from assist_api.services.learning.snapshots import matrix_from_inputs
from assist_api.services.outcomes.training_data import load_import_frames
from assist_api.store.tables import Decision, Interaction
from tests.helpers.app import bearer, build_app, make_keys, make_test_settings
from tests.helpers.assist_requests import assist_request, holdout_customer, offered_customer
from tests.helpers.tiny_model import register_tiny_model

POST_CARD_LINE = "Thanks, I want to try the new feature you mentioned right away!"


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    folder = tmp_path_factory.mktemp("registry")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    return uri, register_tiny_model(uri, folder / "mlartifacts")


def _app(tmp_path, registry, **settings):
    application = build_app(
        make_test_settings(tmp_path, mlflow_tracking_uri=registry[0], **settings)
    )
    application.config["KEYS"] = make_keys(application)
    return application


@pytest.fixture
def app(tmp_path, registry):
    application = _app(tmp_path, registry, exploration_rate=0.05)
    yield application
    application.extensions["scorer"].stop()
    application.extensions["store"].close()


def ask(app, body, role="agent", key=None):
    headers = bearer(key or app.config["KEYS"][role])
    response = app.test_client().post("/v1/assist", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def outcome(app, body, role="agent"):
    headers = bearer(app.config["KEYS"][role])
    return app.test_client().post("/v1/outcomes", json=body, headers=headers)


def decisions(app) -> list:
    with app.extensions["store"].engine.connect() as connection:
        return connection.execute(select(Decision).order_by(Decision.sequence)).all()


def test_the_answer_and_the_decision_carry_the_policy_and_the_scored_inputs(app):
    body = assist_request(customer_id=offered_customer(app.config["SETTINGS"]))
    answer = ask(app, body)
    policy = answer["policy"]
    assert policy["name"] == "epsilon_greedy" and policy["arm"] in ("exploit", "explore")
    (row,) = decisions(app)
    eligible = row.policy["eligible"]
    assert len(eligible) >= len(answer["cards"]) >= 1
    assert sum(p for _c, _w, p in eligible) == pytest.approx(1.0, abs=1e-5)
    shown = [p for c, _w, p in eligible if c == answer["cards"][0]["card_id"]]
    assert shown == [pytest.approx(policy["propensity"])]
    # the stored inputs re-score to exactly the stored probabilities
    model = app.extensions["scorer"].current
    rescored = model.score(matrix_from_inputs(row.inputs))
    assert rescored.tolist() == pytest.approx(list(row.activity_scores.values()))
    assert row.as_of["transcript_lines"] == 1 and row.test is False


def test_a_re_ask_gives_the_same_answer_and_rate_one_always_explores(tmp_path, registry, app):
    settings = app.config["SETTINGS"]
    body = assist_request(customer_id=offered_customer(settings))
    first, again = ask(app, body), ask(app, body)
    assert [c["card_id"] for c in first["cards"]] == [c["card_id"] for c in again["cards"]]
    assert first["policy"] == again["policy"]
    always = _app(tmp_path / "always", registry, exploration_rate=1.0)
    asks = [
        assist_request(interaction_id=f"i-{k}", customer_id=offered_customer(settings, f"x{k}"))
        for k in range(5)
    ]
    assert {ask(always, b)["policy"]["arm"] for b in asks} == {"explore"}
    never = _app(tmp_path / "never", registry, exploration_rate=0.0)
    answer = ask(never, body)
    assert answer["policy"]["arm"] == "exploit" and answer["policy"]["propensity"] == 1.0
    for application in (always, never):
        application.extensions["store"].close()


def test_a_holdout_answer_says_so_in_its_policy(app):
    answer = ask(app, assist_request(customer_id=holdout_customer(app.config["SETTINGS"])))
    assert answer["policy"]["arm"] == "holdout" and answer["policy"]["propensity"] is None


def test_a_card_not_offered_or_on_a_control_group_interaction_is_a_409(app):
    settings = app.config["SETTINGS"]
    answer = ask(app, assist_request(customer_id=offered_customer(settings)))
    offered = answer["cards"][0]["card_id"]
    wrong = outcome(app, {"interaction_id": "i-1001", "card_id_used": "educate_usage.nope"})
    assert wrong.status_code == 409
    error = wrong.get_json()["error"]
    assert "educate_usage.nope" in error["message"] and offered in error["details"]["offered"]
    good = {"interaction_id": "i-1001", "card_id_used": offered, "ves_confidence": 6}
    assert outcome(app, good).status_code == 200
    ask(app, assist_request(interaction_id="i-h", customer_id=holdout_customer(settings)))
    control = outcome(app, {"interaction_id": "i-h", "card_id_used": offered})
    assert control.status_code == 409 and "control group" in control.get_json()["error"]["message"]
    organic = {"interaction_id": "i-h", "ves_confidence": 6, "ves_ability": 6}
    assert outcome(app, organic).status_code == 200
    assert len(decisions(app)) == 2  # nothing else was written by the refused posts


def test_a_post_card_utterance_never_reaches_the_training_row(app):
    body = assist_request(
        customer_id=offered_customer(app.config["SETTINGS"]),
        transcript=["How do I set up sharing?"],
        elapsed_seconds=None,
    )
    body.pop("elapsed_seconds")
    answer = ask(app, body)
    card = answer["cards"][0]["card_id"]
    used = {"interaction_id": "i-1001", "card_id_used": card, "ves_confidence": 6, "ves_ability": 6}
    assert outcome(app, used).status_code == 200
    # the desk asks again after "card used": the customer's reaction is in the transcript now
    ask(app, {**body, "transcript": [*body["transcript"], POST_CARD_LINE], "elapsed_seconds": 300})
    with app.extensions["store"].engine.connect() as connection:
        stored = connection.execute(select(Interaction.transcript)).scalar_one()
    assert POST_CARD_LINE in stored  # the row holds the latest text ...
    interactions, _ = load_import_frames(app.extensions["store"])
    row = interactions.iloc[0]
    assert POST_CARD_LINE not in row["transcript"]  # ... training sees the text as of the offer
    assert row["transcript"] == "How do I set up sharing?"
    assert np.isnan(row["elapsed_seconds"])  # missing at the offer: missing, not 0.0
    assert row["activity_attempted"] == card.split(".")[0]


def test_test_key_traffic_is_left_out_of_training(app):
    store = app.extensions["store"]
    with store.uow() as uow:
        test_key = create_key(
            uow.session, role="agent", name="desk trial", actor="tests", now=utc_now(), test=True
        )
        uow.commit()
    settings = app.config["SETTINGS"]
    ask(app, assist_request(interaction_id="i-real", customer_id=offered_customer(settings)))
    ask(
        app,
        assist_request(interaction_id="i-test", customer_id=offered_customer(settings)),
        key=test_key,
    )
    flags = {row.interaction_id: row.test for row in decisions(app)}
    assert flags == {"i-real": False, "i-test": True}
    interactions, _ = load_import_frames(store)
    assert interactions["interaction_id"].tolist() == ["i-real"]
