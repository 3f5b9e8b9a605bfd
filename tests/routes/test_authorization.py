"""Access by object, in one authorization layer (issue 22, findings 2 and 7).

Before: any agent key could read and overwrite another agent's merged outcome, overwrite
another contact's stored CLV, transcript and agent through /v1/assist (the interaction
then kept its old customer while the new decision named another), set any pool's
capacity, and send retention; `Bearer session:<id>` was taken for an API key.
"""

from datetime import UTC, datetime

from sqlalchemy import func, select

from assist_api.services.access.keys import create_key
from assist_api.store.tables import Decision, Interaction
from tests.helpers.app import bearer
from tests.helpers.assist_requests import assist_request, offered_customer


def _key(app, role="agent", **binding) -> dict:
    with app.extensions["store"].uow() as uow:
        key = create_key(
            uow.session,
            role=role,
            name=f"{role} {binding}",
            actor="t",
            now=datetime.now(UTC),
            **binding,
        )
        uow.commit()
    return bearer(key)


def _stored(app, interaction_id):
    with app.extensions["store"].uow() as uow:
        row = uow.session.get(Interaction, interaction_id)
        decisions = uow.session.scalar(
            select(func.count())
            .select_from(Decision)
            .where(Decision.interaction_id == interaction_id)
        )
        return row and (row.customer_id, row.clv, row.transcript, row.agent_id), decisions


def _open(app, client, headers, interaction_id="i-own", **changes):
    customer = offered_customer(app.config["SETTINGS"])
    body = assist_request(interaction_id=interaction_id, customer_id=customer, **changes)
    response = client.post("/v1/assist", json=body, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return body


def test_another_agents_outcome_can_be_neither_read_nor_written(app, client):
    mine, theirs = _key(app), _key(app)
    _open(app, client, mine)
    post = {"interaction_id": "i-own", "csat": 5}
    stranger = client.post("/v1/outcomes", json=post, headers=theirs)
    assert stranger.status_code == 404
    assert "i-own" not in stranger.get_data(as_text=True)
    assert client.post("/v1/outcomes", json=post, headers=mine).status_code == 200
    assert client.get("/v1/interactions/i-own", headers=theirs).status_code == 404
    assert client.get("/v1/interactions/i-own", headers=mine).status_code == 200


def test_another_agents_contact_cannot_be_overwritten_through_assist(app, client):
    mine, theirs = _key(app), _key(app)
    body = _open(app, client, mine, clv=1200.0, agent_id="a-1")
    before = _stored(app, "i-own")
    hijack = {**body, "customer": {**body["customer"], "clv": 1.0}, "agent_id": "a-9"}
    hijack["transcript"] = ["overwritten"]
    response = client.post("/v1/assist", json=hijack, headers=theirs)
    assert response.status_code == 403
    assert _stored(app, "i-own") == before


def test_an_interaction_id_cannot_be_reused_for_another_customer(app, client):
    mine = _key(app)
    body = _open(app, client, mine)
    before = _stored(app, "i-own")
    other = {**body, "customer": {**body["customer"], "customer_id": "c-someone-else"}}
    response = client.post("/v1/assist", json=other, headers=mine)
    assert response.status_code == 409
    assert _stored(app, "i-own") == before  # no decision naming the other customer either


def test_retention_and_wallet_come_only_from_a_feed_a_lead_or_an_admin(app, client):
    mine = _key(app)
    _open(app, client, mine)
    refused = client.post(
        "/v1/outcomes", json={"interaction_id": "i-own", "retained_60d": True}, headers=mine
    )
    assert refused.status_code == 403
    assert "retained_60d" in refused.get_json()["error"]["message"]
    for role in ("system", "lead", "admin"):
        body = {"interaction_id": "i-own", "wallet_change": 3.5}
        assert client.post("/v1/outcomes", json=body, headers=_key(app, role)).status_code == 200


def test_only_a_feed_a_lead_or_an_admin_sets_pool_capacity(app, client):
    path, body = "/v1/pools/standard/capacity", {"free": 3}
    assert client.put(path, json=body, headers=_key(app)).status_code == 403
    assert client.put(path, json=body, headers=_key(app, "system")).status_code in (200, 404)


def test_a_key_bound_to_an_agent_speaks_only_for_that_agent(app, client):
    bound = _key(app, agent_id="a-7")
    refused = client.post(
        "/v1/assist", json=assist_request(interaction_id="i-b", agent_id="a-8"), headers=bound
    )
    assert refused.status_code == 403
    _open(app, client, bound, interaction_id="i-b")
    assert _stored(app, "i-b")[0][3] == "a-7"  # the key's agent, even when none was sent
    # a second key of the same agent (a new desk) reaches the same contact
    again = _key(app, agent_id="a-7")
    body = {"interaction_id": "i-b", "csat": 4}
    assert client.post("/v1/outcomes", json=body, headers=again).status_code == 200
    assert client.post("/v1/outcomes", json=body, headers=_key(app)).status_code == 404


def test_a_key_bound_to_a_team_reaches_its_pools_contacts(app, client):
    opener = _key(app)
    _open(app, client, opener)
    with app.extensions["store"].uow() as uow:
        pool = uow.session.get(Interaction, "i-own").pool
    body = {"interaction_id": "i-own", "csat": 3}
    assert client.post("/v1/outcomes", json=body, headers=_key(app, team=pool)).status_code == 200
    other = _key(app, team=f"{pool}-other")
    assert client.post("/v1/outcomes", json=body, headers=other).status_code == 404


def test_a_session_id_is_not_an_api_key(app, client, keys):
    """Finding 7: the key cache also held page sessions, under "session:<id>"."""
    page = client.get("/ui/login")
    assert page.status_code == 200
    with client.session_transaction() as flask_session:
        csrf = flask_session["login_csrf"]
    signed_in = client.post(
        "/ui/login", data={"api_key": keys["lead"], "csrf_token": csrf}, follow_redirects=False
    )
    assert signed_in.status_code == 302
    session_id = next(c.value for c in client._cookies.values() if c.key == "va_session")
    assert client.get("/ui/playbooks").status_code == 200  # the session itself works
    fresh = app.test_client()
    for path in ("/v1/models/current", "/v1/playbooks"):
        forged = {"Authorization": f"Bearer session:{session_id}"}
        assert fresh.get(path, headers=forged).status_code == 401, path
