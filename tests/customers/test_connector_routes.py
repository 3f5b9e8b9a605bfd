"""Each connector end to end: its sample events in order, shuffled and repeated leave the
same stream and the same final guidance; bad signatures are 401; malformed events 422
naming the field; a rejected event changes nothing stored."""

import copy
import json
import random
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from assist_api.connectors.signatures import twilio_signature, zendesk_signature
from assist_api.store.customer_tables import Utterance
from tests.connectors.samples import sample_events
from tests.customers.conftest import (
    PROFILE,
    TWILIO_TOKEN,
    ZENDESK_SECRET,
    offered,
    open_interaction,
)
from tests.customers.test_stream import guidance, rows, transcript

TWILIO_URL = "https://assist.example.com/v1/connectors/twilio"


def renamed(platform, event, run):
    """The same event for another interaction (one database, several runs)."""
    event = copy.deepcopy(event)
    if platform == "amazon_connect":
        event["ContactId"] += f"-{run}"
    elif platform == "genesys":
        event["eventBody"]["conversationId"] += f"-{run}"
    elif platform == "twilio":
        event["CallSid"] += f"{run}"
    else:
        event["detail"]["id"] += f"{run}"
    return event


def interaction_of(platform, run):
    first = renamed(platform, sample_events(platform)[0], run)
    return {
        "amazon_connect": lambda e: e["ContactId"],
        "genesys": lambda e: e["eventBody"]["conversationId"],
        "twilio": lambda e: e["CallSid"],
        "zendesk": lambda e: f"zendesk-{e['detail']['id']}",
    }[platform](first)


def send(client, auth, platform, event, *, good_signature=True):
    if platform == "twilio":
        token = TWILIO_TOKEN if good_signature else "wrong"
        signature = twilio_signature(token, TWILIO_URL, event.items())
        return client.post(
            "/v1/connectors/twilio",
            data=urlencode(event),
            content_type="application/x-www-form-urlencoded",
            headers={"X-Twilio-Signature": signature},
        )
    if platform == "zendesk":
        body = json.dumps(event).encode()
        stamp = "2026-12-02T01:40:08Z"
        secret = ZENDESK_SECRET if good_signature else "wrong"
        return client.post(
            "/v1/connectors/zendesk",
            data=body,
            content_type="application/json",
            headers={
                "X-Zendesk-Webhook-Signature": zendesk_signature(secret, stamp, body),
                "X-Zendesk-Webhook-Signature-Timestamp": stamp,
            },
        )
    path = "amazon-connect" if platform == "amazon_connect" else platform
    return client.post(f"/v1/connectors/{path}", json=event, headers=auth("system"))


def stored_utterances(app) -> int:
    with app.extensions["store"].uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Utterance))


PLATFORMS = ("amazon_connect", "genesys", "twilio", "zendesk")


@pytest.mark.parametrize("platform", PLATFORMS)
def test_order_and_redelivery_change_nothing(app, client, auth, settings, platform):
    events = sample_events(platform)
    shuffled = events[:]
    random.Random(20).shuffle(shuffled)
    repeated = events + shuffled
    results = []
    for run, order in enumerate((events, shuffled, repeated)):
        customer = offered(settings, f"{platform}-{run}")
        client.put(f"/v1/customers/{customer}", json=PROFILE, headers=auth("system"))
        interaction_id = interaction_of(platform, run)
        open_interaction(client, auth, interaction_id, customer)
        for event in order:
            response = send(client, auth, platform, renamed(platform, event, run))
            assert response.status_code == 200, response.get_json()
            assert response.get_json()["interaction_id"] == interaction_id
        final = app.extensions["stream"].board.latest(interaction_id, 0)
        assert final is not None, "a final customer utterance made new guidance"
        results.append(
            (
                [row[1:] for row in rows(app, interaction_id)],
                transcript(app, interaction_id),
                guidance(final),
            )
        )
    assert results[0] == results[1] == results[2]
    assert any(line.startswith("Customer: ") for line in results[0][1])
    assert any(line.startswith("Agent: ") for line in results[0][1])


@pytest.mark.parametrize("platform", ["twilio", "zendesk"])
def test_a_bad_signature_is_401_and_stores_nothing(app, client, auth, platform):
    event = next(e for e in sample_events(platform) if "Final" in e or "event" in e)
    response = send(client, auth, platform, event, good_signature=False)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"
    assert stored_utterances(app) == 0


def test_a_system_key_does_not_replace_twilios_signature(app, client, auth):
    event = sample_events("twilio")[3]
    response = client.post(
        "/v1/connectors/twilio", data=urlencode(event),
        content_type="application/x-www-form-urlencoded", headers=auth("system"),
    )  # fmt: skip
    assert response.status_code == 401 and stored_utterances(app) == 0


@pytest.mark.parametrize("platform", ["amazon_connect", "genesys"])
def test_forwarded_platforms_need_a_system_key(client, auth, platform):
    path = "amazon-connect" if platform == "amazon_connect" else platform
    event = sample_events(platform)[1]
    assert client.post(f"/v1/connectors/{path}", json=event).status_code == 401
    response = client.post(f"/v1/connectors/{path}", json=event, headers=auth("agent"))
    assert response.status_code == 403


MALFORMED = [
    ("amazon_connect", 3, ("Segments", 0, "Transcript", "Content"), None,
     "Segments[0].Transcript.Content"),
    ("genesys", 2, ("eventBody", "transcripts", 0, "isFinal"), "yes",
     "eventBody.transcripts[0].isFinal"),
    ("twilio", 3, ("Track",), "sideways", "Track"),
    ("zendesk", 0, ("event", "comment", "author"), None, "event.comment.author"),
]  # fmt: skip


@pytest.mark.parametrize(("platform", "index", "path", "value", "named"), MALFORMED)
def test_a_malformed_event_is_422_naming_the_field_and_stores_nothing(
    app, client, auth, platform, index, path, value, named
):
    # a valid event for the same interaction first: the rejected one must not touch it
    assert send(client, auth, platform, sample_events(platform)[0]).status_code == 200
    before = stored_utterances(app)
    event = copy.deepcopy(sample_events(platform)[index])
    target = event
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    response = send(client, auth, platform, event)
    assert response.status_code == 422, response.get_json()
    assert named in response.get_json()["error"]["details"]["fields"]
    assert stored_utterances(app) == before


def test_an_unconfigured_signing_connector_is_closed(tmp_path, registry):
    from tests.helpers.app import build_app, make_test_settings

    application = build_app(make_test_settings(tmp_path, mlflow_tracking_uri=registry[0]))
    try:
        response = application.test_client().post(
            "/v1/connectors/twilio", data="CallSid=CA1",
            content_type="application/x-www-form-urlencoded",
        )  # fmt: skip
        assert response.status_code == 503
    finally:
        application.extensions["scorer"].stop()
        application.extensions["store"].close()
