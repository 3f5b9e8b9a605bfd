"""Interactions no key created: opened before migration 0004, or imported.

The rule (services/access/authorization.py): such an interaction belongs to the data feed,
not to an agent. The system feed, leads and admins reach it; an agent key reaches it only
when bound to the interaction's agent or team (its `agent_id` or `pool`); an unbound agent
key is a stranger to it (404 on reads and outcomes, 403 on /v1/assist, nothing written),
and no call makes an agent key its owner afterwards.
"""

from datetime import UTC, datetime

from sqlalchemy import update

from assist_api.services.access.keys import create_key
from assist_api.store.tables import Interaction
from tests.helpers.app import bearer
from tests.helpers.assist_requests import assist_request, offered_customer

ID = "i-before-0004"


def _key(app, role="agent", **binding) -> dict:
    with app.extensions["store"].uow() as uow:
        key = create_key(uow.session, role=role, name=f"{role} {binding}", actor="t",
                         now=datetime.now(UTC), **binding)  # fmt: skip
        uow.commit()
    return bearer(key)


def _owner_key_id(app):
    with app.extensions["store"].uow() as uow:
        row = uow.session.get(Interaction, ID)
        return row.owner_key_id, row.agent_id, row.clv


def _ownerless(app, client) -> dict:
    """An interaction of agent a-7 as a row from before migration 0004 holds it: no owner."""
    customer = offered_customer(app.config["SETTINGS"])
    body = assist_request(interaction_id=ID, customer_id=customer, agent_id="a-7")
    assert client.post("/v1/assist", json=body, headers=_key(app, "admin")).status_code == 200
    with app.extensions["store"].uow() as uow:
        uow.session.execute(update(Interaction).values(owner_key_id=None))
        uow.commit()
    return body


def test_an_unbound_agent_key_is_a_stranger_to_it(app, client):
    body = _ownerless(app, client)
    agent = _key(app)
    assert client.get(f"/v1/interactions/{ID}", headers=agent).status_code == 404
    outcome = client.post("/v1/outcomes", json={"interaction_id": ID, "csat": 5}, headers=agent)
    assert outcome.status_code == 404
    changed = {**body, "customer": {**body["customer"], "clv": 1.0}}
    assert client.post("/v1/assist", json=changed, headers=agent).status_code == 403
    assert _owner_key_id(app) == (None, "a-7", body["customer"]["clv"])  # not written, not claimed


def test_the_feed_leads_admins_and_its_agents_bound_key_reach_it(app, client):
    _ownerless(app, client)
    post = {"interaction_id": ID, "csat": 4}
    for headers in (_key(app, "system"), _key(app, "lead"), _key(app, "admin"),
                    _key(app, agent_id="a-7")):  # fmt: skip
        assert client.post("/v1/outcomes", json=post, headers=headers).status_code == 200
    assert client.get(f"/v1/interactions/{ID}", headers=_key(app, "lead")).status_code == 200
    bound = _key(app, agent_id="a-7")
    assert client.get(f"/v1/interactions/{ID}", headers=bound).status_code == 200
    other = _key(app, agent_id="a-8")
    assert client.get(f"/v1/interactions/{ID}", headers=other).status_code == 404
    assert _owner_key_id(app)[0] is None  # still the feed's
