"""POST /v1/assist: every field and error of the contract, with a real (tiny) model."""

import pytest
from sqlalchemy import func, select

from assist_api.schemas.assist import AssistRequestSchema, AssistResponseSchema
from assist_api.services.assist.pipeline import assist
from assist_api.store.tables import Decision, Interaction
from features.vocabulary import ACTIVITIES
from tests.helpers.app import build_app, make_test_settings
from tests.helpers.assist_requests import (
    assist_request,
    holdout_customer,
    offered_customer,
)
from tests.helpers.tiny_model import register_tiny_model


def is_japanese(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff"


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    """One MLflow store with a registered tiny champion, shared by this module's apps."""
    folder = tmp_path_factory.mktemp("registry")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    return uri, register_tiny_model(uri, folder / "mlartifacts")


@pytest.fixture
def model_app(tmp_path, registry):
    uri, version = registry
    settings = make_test_settings(tmp_path, mlflow_tracking_uri=uri)
    application = build_app(settings)
    application.config["TINY_MODEL_VERSION"] = version
    yield application
    application.extensions["scorer"].stop()
    application.extensions["store"].close()


@pytest.fixture
def model_client(model_app):
    return model_app.test_client()


def decisions(app) -> list[Decision]:
    with app.extensions["store"].uow() as uow:
        rows = list(uow.session.scalars(select(Decision).order_by(Decision.created_at)))
        uow.session.expunge_all()
        return rows


def test_answer_has_every_contract_field(model_app, model_client, auth):
    settings = model_app.config["SETTINGS"]
    body = assist_request(customer_id=offered_customer(settings))
    response = model_client.post("/v1/assist", json=body, headers=auth("agent"))

    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["interaction_id"] == "i-1001"
    assert answer["decision_id"].startswith("d-")
    assert 0.0 < answer["openness"]["score"] < 1.0
    assert answer["openness"]["band"] in ("low", "medium", "high")
    reasons = answer["openness"]["reasons"]
    assert 1 <= len(reasons) <= settings.reasons_shown
    assert all(r["feature"] and r["text"] for r in reasons)
    assert answer["cards"], "an offered customer gets cards"
    assert [c["rank"] for c in answer["cards"]] == list(range(1, len(answer["cards"]) + 1))
    scores = [c["score"] for c in answer["cards"]]
    assert scores == sorted(scores, reverse=True)
    for card in answer["cards"]:
        assert card["activity"] in ACTIVITIES
        assert card["card_id"].startswith(card["activity"] + ".")
        assert card["version"] >= 1 and card["title"] and card["body"] and card["talk_track"]
        assert card["language"] == "ja"
    # no pools are configured here: the band rule names the pool, and that is no fallback
    assert answer["route"]["pool"] in ("ve_champions", "standard")
    assert answer["route"]["reason"]
    assert answer["route"]["fallback"] is False
    assert answer["holdout"] is False
    assert answer["model"] == {
        "name": "ve-openness",
        "version": model_app.config["TINY_MODEL_VERSION"],
    }
    assert answer["degraded"] == []


@pytest.mark.parametrize("with_model", [True, False])
def test_the_answer_is_built_in_the_response_schemas_shape(model_app, app, with_model):
    """The route sends `assist`'s answer without dumping it: dumping must change nothing."""
    served = model_app if with_model else app
    settings = served.config["SETTINGS"]
    deps = served.extensions["assist_dependencies"]
    schema = AssistResponseSchema()
    bodies = [
        assist_request(customer_id=offered_customer(settings)),
        assist_request(customer_id=offered_customer(settings)),  # the interaction's second call
        assist_request(
            interaction_id="i-en", language="en", customer_id=offered_customer(settings)
        ),
        assist_request(interaction_id="i-hold", customer_id=holdout_customer(settings)),
    ]
    for body in bodies:
        answer = assist(AssistRequestSchema().load(body), deps)
        assert schema.dump(answer) == answer
        assert schema.validate(answer) == {}


def test_openness_is_the_best_activity_probability(model_app, model_client, auth):
    settings = model_app.config["SETTINGS"]
    body = assist_request(customer_id=offered_customer(settings))
    model_client.post("/v1/assist", json=body, headers=auth("agent"))
    (decision,) = decisions(model_app)
    assert decision.score == pytest.approx(max(decision.activity_scores.values()))
    assert set(decision.activity_scores) == set(ACTIVITIES)


def test_japanese_and_english_answers_speak_the_customers_language(model_client, model_app, auth):
    settings = model_app.config["SETTINGS"]
    customer = offered_customer(settings)
    ja = model_client.post(
        "/v1/assist", json=assist_request(customer_id=customer), headers=auth("agent")
    )
    en = model_client.post(
        "/v1/assist",
        json=assist_request(
            customer_id=customer,
            interaction_id="i-2",
            language="en-GB",
            transcript=["Hi, how do I set up sharing?"],
        ),
        headers=auth("agent"),
    )
    ja_text = " ".join(r["text"] for r in ja.get_json()["openness"]["reasons"])
    en_text = " ".join(r["text"] for r in en.get_json()["openness"]["reasons"])
    assert any(is_japanese(ch) for ch in ja_text)
    assert en_text and not any(is_japanese(ch) for ch in en_text)
    assert {c["language"] for c in en.get_json()["cards"]} == {"en"}


def test_unknown_language_falls_back_to_english_cards(model_client, model_app, auth):
    settings = model_app.config["SETTINGS"]
    body = assist_request(customer_id=offered_customer(settings), language="ko")
    answer = model_client.post("/v1/assist", json=body, headers=auth("agent")).get_json()
    assert {c["language"] for c in answer["cards"]} == {"en"}


def test_holdout_customer_gets_same_kind_of_route_but_no_cards(model_client, model_app, auth):
    settings = model_app.config["SETTINGS"]
    body = assist_request(customer_id=holdout_customer(settings))
    answer = model_client.post("/v1/assist", json=body, headers=auth("agent")).get_json()
    assert answer["holdout"] is True
    assert answer["cards"] == []
    assert answer["route"]["pool"]
    assert answer["openness"]["score"] is not None
    (decision,) = decisions(model_app)
    assert decision.holdout is True and decision.cards == []


def test_each_call_is_the_next_decision_of_the_interaction(model_client, model_app, auth):
    settings = model_app.config["SETTINGS"]
    body = assist_request(customer_id=offered_customer(settings))
    first = model_client.post("/v1/assist", json=body, headers=auth("agent")).get_json()
    body["transcript"].append("ところで、新機能についても知りたいです。")
    second = model_client.post("/v1/assist", json=body, headers=auth("agent")).get_json()
    assert (first["sequence"], second["sequence"]) == (1, 2)
    assert first["top_card_changed"] is False
    top_changed = first["cards"][0]["card_id"] != second["cards"][0]["card_id"]
    assert second["top_card_changed"] is top_changed
    stored = decisions(model_app)
    assert [d.sequence for d in stored] == [1, 2]
    assert stored[0].cards[0]["version"] >= 1
    with model_app.extensions["store"].uow() as uow:
        snapshot = uow.session.get(Interaction, "i-1001")
        assert "新機能" in snapshot.transcript


def test_without_any_model_cards_are_rule_ranked_and_degraded(client, app, auth):
    body = assist_request(customer_id=offered_customer(app.config["SETTINGS"]))
    answer = client.post("/v1/assist", json=body, headers=auth("agent")).get_json()
    assert answer["degraded"] == ["model_unavailable"]
    assert answer["openness"] == {"score": None, "band": None, "reasons": []}
    assert answer["cards"] and all(c["score"] is None for c in answer["cards"])
    assert answer["model"]["version"] is None


def test_contact_reason_is_inferred_when_missing(model_client, model_app, auth):
    settings = model_app.config["SETTINGS"]
    body = assist_request(customer_id=offered_customer(settings))
    del body["contact_reason"]
    response = model_client.post("/v1/assist", json=body, headers=auth("agent"))
    assert response.status_code == 200
    with model_app.extensions["store"].uow() as uow:
        assert uow.session.get(Interaction, "i-1001").contact_reason is None
    reason = response.get_json()["understood"]["contact_reason"]
    assert reason["inferred"] is True and reason["source"] == "lexicon"  # tiny model: no text
    # "設定方法を教えてください" asks how to set something up: inferred, not defaulted
    assert reason["value"] == "how_to"
    assert any("設定方法" in quoted for quoted in reason["evidence"]), reason["evidence"]
    assert 0 <= reason["confidence"] < 1 and isinstance(reason["evidence"], list)


def test_understood_says_what_was_given(model_client, model_app, auth):
    settings = model_app.config["SETTINGS"]
    body = assist_request(customer_id=offered_customer(settings), customer_sentiment=-0.4)
    answer = model_client.post("/v1/assist", json=body, headers=auth("agent")).get_json()
    assert answer["understood"] == {
        "contact_reason": {"value": body["contact_reason"], "inferred": False,
                           "confidence": 1.0, "evidence": [], "source": "given"},
        "sentiment": {"value": -0.4, "inferred": False},
    }  # fmt: skip
    del body["customer_sentiment"]
    again = model_client.post("/v1/assist", json=body, headers=auth("agent")).get_json()
    assert again["understood"]["sentiment"] == {"value": None, "inferred": False}


INVALID = [
    ({"channel": "fax"}, "channel"),
    ({"contact_reason": "gossip"}, "contact_reason"),
    ({"switching_effort": "medium"}, "customer.switching_effort"),
    ({"days_since_purchase": -1}, "customer.days_since_purchase"),
    ({"days_since_purchase": 2.5}, "customer.days_since_purchase"),
    ({"feature_adoption": 1.2}, "customer.feature_adoption"),
    ({"feature_adoption": "lots"}, "customer.feature_adoption"),
    ({"products_owned": -2}, "customer.products_owned"),
    ({"clv": -5}, "customer.clv"),
    ({"customer_sentiment": 3}, "customer_sentiment"),
    ({"language": "日本語"}, "language"),
    ({"interaction_id": ""}, "interaction_id"),
    ({"transcript": "not a list"}, "transcript"),
    ({"surprise": 1}, "surprise"),
]


@pytest.mark.parametrize(("changes", "field"), INVALID)
def test_each_invalid_field_is_named_and_nothing_is_logged(client, app, auth, changes, field):
    response = client.post("/v1/assist", json=assist_request(**changes), headers=auth("agent"))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_fields"
    assert field in error["details"]["fields"]
    assert decisions(app) == []


def test_every_missing_required_field_is_named_at_once(client, auth):
    """Only the desk's own facts are required: the CRM fields may come from a profile."""
    body = assist_request()
    del body["channel"]
    del body["customer"]["customer_id"]
    del body["customer"]["clv"]
    response = client.post("/v1/assist", json=body, headers=auth("agent"))
    fields = set(response.get_json()["error"]["details"]["fields"])
    assert fields == {"channel", "customer.customer_id"}


def test_transcript_over_the_limit_is_413(tmp_path, auth):
    settings = make_test_settings(tmp_path, max_transcript_chars=100)
    application = build_app(settings)
    from tests.helpers.app import bearer, make_keys

    key = make_keys(application)["agent"]
    body = assist_request(transcript=["あ" * 60, "い" * 60])
    response = application.test_client().post("/v1/assist", json=body, headers=bearer(key))
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert decisions(application) == []
    application.extensions["store"].close()


def test_body_over_the_byte_limit_is_413(client, auth):
    body = assist_request(transcript=["x" * 300_000])
    response = client.post("/v1/assist", json=body, headers=auth("agent"))
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


def test_wrong_content_type_is_415(client, auth):
    headers = {**auth("agent"), "Content-Type": "text/plain"}
    response = client.post("/v1/assist", data="hello", headers=headers)
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/v1/assist", 405), ("GET", "/v1/unknown", 404), ("DELETE", "/v1/assist", 405)],
)
def test_routing_errors_are_json_too(client, auth, method, path, status):
    response = client.open(path, method=method, headers=auth("agent"))
    assert response.status_code == status
    assert response.is_json and response.get_json()["error"]["code"]


def test_decision_count_matches_answers(model_client, model_app, auth):
    settings = model_app.config["SETTINGS"]
    for i in range(5):
        body = assist_request(interaction_id=f"i-{i}", customer_id=offered_customer(settings))
        assert model_client.post("/v1/assist", json=body, headers=auth("agent")).status_code == 200
    with model_app.extensions["store"].uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Decision)) == 5


def test_simultaneous_calls_for_one_interaction_get_distinct_sequences(tmp_path, database_url):
    """Two desktops (or retries) asking at once: every answer stored, numbered 1..n."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.helpers.app import bearer, make_keys

    application = build_app(make_test_settings(tmp_path, database_url=database_url))
    key = make_keys(application)["agent"]
    body = assist_request(customer_id=offered_customer(application.config["SETTINGS"]))

    def ask(_):
        response = application.test_client().post("/v1/assist", json=body, headers=bearer(key))
        return response.status_code, response.get_json()["degraded"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(ask, range(12)))
    assert results == [(200, ["model_unavailable"])] * 12
    assert sorted(d.sequence for d in decisions(application)) == list(range(1, 13))
    application.extensions["scorer"].stop()
    application.extensions["store"].close()
