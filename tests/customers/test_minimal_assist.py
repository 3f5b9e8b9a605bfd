"""/v1/assist with only what the desk knows: the profile fills in, the request overrides,
and a customer the CRM does not know still gets an answer."""

from sqlalchemy import select

from assist_api.services.customers.profiles import PROFILE_MISSING
from assist_api.store.tables import Decision, Interaction
from tests.customers.conftest import PROFILE, offered, open_interaction


def stored(app, interaction_id):
    with app.extensions["store"].uow() as uow:
        decision = uow.session.scalars(
            select(Decision)
            .where(Decision.interaction_id == interaction_id)
            .order_by(Decision.sequence.desc())
        ).first()
        snapshot = uow.session.get(Interaction, interaction_id)
        uow.session.expunge_all()
    return decision, snapshot


def test_customer_id_alone_is_scored_from_the_stored_profile(app, client, auth, settings):
    customer = offered(settings)
    client.put(f"/v1/customers/{customer}", json=PROFILE, headers=auth("system"))
    answer = open_interaction(client, auth, "i-min-1", customer)
    assert answer["degraded"] == [] and answer["openness"]["score"] is not None
    decision, snapshot = stored(app, "i-min-1")
    assert decision.profile_version == 1
    assert snapshot.persona == "novice" and snapshot.clv == 1200.0


def test_a_field_in_the_request_overrides_the_profile_for_that_decision(
    app, client, auth, settings
):
    customer = offered(settings)
    client.put(f"/v1/customers/{customer}", json=PROFILE, headers=auth("system"))
    body = {
        "interaction_id": "i-min-2",
        "customer": {"customer_id": customer, "plan_tier": "premium"},
        "channel": "chat",
        "language": "en",
    }
    assert client.post("/v1/assist", json=body, headers=auth("agent")).status_code == 200
    _, snapshot = stored(app, "i-min-2")
    assert (snapshot.plan_tier, snapshot.persona) == ("premium", "novice")
    again = client.get(f"/v1/customers/{customer}", headers=auth("lead")).get_json()
    assert again["plan_tier"] == "standard"  # the stored profile is untouched


def test_no_profile_and_no_fields_is_an_answer_marked_degraded(app, client, auth, settings):
    answer = open_interaction(client, auth, "i-min-3", offered(settings, "unknown"))
    assert PROFILE_MISSING in answer["degraded"]
    assert answer["openness"]["score"] is not None  # scored from what is known
    decision, snapshot = stored(app, "i-min-3")
    assert decision.profile_version is None and snapshot.persona is None


def test_no_profile_but_every_field_sent_is_not_degraded(client, auth, settings):
    body = {
        "interaction_id": "i-min-4",
        "customer": {"customer_id": offered(settings, "walkin"), **PROFILE},
        "channel": "phone",
        "language": "ja",
    }
    answer = client.post("/v1/assist", json=body, headers=auth("agent")).get_json()
    assert answer["degraded"] == []


def test_a_bad_customer_field_is_still_a_422(client, auth):
    body = {
        "interaction_id": "i-min-5",
        "customer": {"customer_id": "c-1", "feature_adoption": 3},
        "channel": "phone",
        "language": "en",
    }
    response = client.post("/v1/assist", json=body, headers=auth("agent"))
    assert response.status_code == 422
    assert "customer.feature_adoption" in response.get_json()["error"]["details"]["fields"]


def test_the_profile_is_read_once_per_cache_period(app, client, auth, settings):
    customer = offered(settings)
    client.put(f"/v1/customers/{customer}", json=PROFILE, headers=auth("system"))
    open_interaction(client, auth, "i-min-6", customer)
    with app.extensions["store"].engine.connect() as connection:
        connection.exec_driver_sql("DELETE FROM customer_profiles")
        connection.commit()
    answer = open_interaction(client, auth, "i-min-7", customer)
    assert answer["degraded"] == []  # still the cached profile: no read per request
