"""POST /v1/interactions/{id}/utterances: partials, finals, repeats and order."""

import random

from sqlalchemy import select

from assist_api.services.customers.utterances import final_utterances, transcript_lines
from assist_api.store.customer_tables import Utterance
from assist_api.store.tables import Interaction
from features.text import TEXT_SIGNAL_NAMES, parse_transcript, text_signals
from tests.customers.conftest import PROFILE, offered, open_interaction

CONVERSATION = [
    {"utterance_id": "a1", "speaker": "agent", "text": "Thanks for calling, how can I help?",
     "is_final": True, "offset_ms": 500},
    {"utterance_id": "c1", "speaker": "customer", "text": "Hi I bought", "is_final": False,
     "offset_ms": 4000},
    {"utterance_id": "c1", "speaker": "customer",
     "text": "Hi, I bought the premium plan and I want to share calendars with my team.",
     "is_final": True, "offset_ms": 4000},
    {"utterance_id": "a2", "speaker": "agent",
     "text": "I'm so frustrated with this terrible awful system, I hate it.",
     "is_final": True, "offset_ms": 9000},
    {"utterance_id": "s1", "speaker": "system", "text": "This call may be recorded.",
     "is_final": True, "offset_ms": 100},
    {"utterance_id": "c2", "speaker": "customer",
     "text": "Is there a new feature for scheduling too?", "is_final": True,
     "offset_ms": 12000},
]  # fmt: skip


def post(client, auth, interaction_id, utterances, role="agent"):
    return client.post(
        f"/v1/interactions/{interaction_id}/utterances",
        json={"utterances": utterances},
        headers=auth(role),
    )


def transcript(app, interaction_id):
    with app.extensions["store"].uow() as uow:
        return transcript_lines(final_utterances(uow.session, interaction_id), 10_000)


def rows(app, interaction_id):
    with app.extensions["store"].uow() as uow:
        return sorted(
            (u.utterance_id, u.speaker, u.text, u.is_final, u.offset_ms)
            for u in uow.session.scalars(
                select(Utterance).where(Utterance.interaction_id == interaction_id)
            )
        )


def guidance(answer):
    return (
        answer["openness"]["score"],
        [(c["card_id"], c["score"]) for c in answer["cards"]],
        answer["route"]["pool"],
    )


def feed(client, auth, interaction_id, utterances):
    """One utterance per request, as a platform would deliver them; the last answer."""
    last = None
    for item in utterances:
        response = post(client, auth, interaction_id, [item])
        assert response.status_code in (200, 204), response.get_json()
        if response.status_code == 200:
            last = response.get_json()
    return last


def test_finals_make_the_labelled_transcript_in_offset_order(app, client, auth, settings):
    open_interaction(client, auth, "i-s1", offered(settings))
    feed(client, auth, "i-s1", CONVERSATION)
    assert transcript(app, "i-s1") == [
        "System: This call may be recorded.",
        "Agent: Thanks for calling, how can I help?",
        "Customer: Hi, I bought the premium plan and I want to share calendars with my team.",
        "Agent: I'm so frustrated with this terrible awful system, I hate it.",
        "Customer: Is there a new feature for scheduling too?",
    ]


def test_only_a_new_final_customer_utterance_answers_with_guidance(client, auth, settings):
    open_interaction(client, auth, "i-s2", offered(settings))
    statuses = [post(client, auth, "i-s2", [u]).status_code for u in CONVERSATION]
    assert statuses == [204, 204, 200, 204, 204, 200]
    assert post(client, auth, "i-s2", [CONVERSATION[2]]).status_code == 204  # a repeat


def test_order_and_repeats_change_neither_the_stream_nor_the_guidance(app, client, auth, settings):
    customers = [offered(settings, "order", skip=k) for k in range(3)]
    for customer in customers:
        client.put(f"/v1/customers/{customer}", json=PROFILE, headers=auth("system"))
    shuffled = CONVERSATION[:]
    random.Random(7).shuffle(shuffled)
    repeated = CONVERSATION + CONVERSATION[::-1]
    runs = {}
    for name, customer, order in zip(
        ("in order", "shuffled", "repeated"),
        customers,
        (CONVERSATION, shuffled, repeated),
        strict=True,
    ):
        interaction_id = f"i-order-{name}"
        open_interaction(client, auth, interaction_id, customer)
        feed(client, auth, interaction_id, order)
        board = app.extensions["stream"].board
        runs[name] = (
            [row[1:] for row in rows(app, interaction_id)],
            transcript(app, interaction_id),
            guidance(board.latest(interaction_id, 0)),
        )
    assert runs["in order"] == runs["shuffled"] == runs["repeated"]


def test_agent_lines_are_not_read_as_the_customers(app, client, auth, settings):
    """The agent's angry words must not raise the customer's negative cues."""
    open_interaction(client, auth, "i-s4", offered(settings))
    feed(client, auth, "i-s4", CONVERSATION)
    with app.extensions["store"].uow() as uow:
        text = uow.session.get(Interaction, "i-s4").transcript
    values = text_signals(parse_transcript(text))
    signals = dict(zip(TEXT_SIGNAL_NAMES, values, strict=True))
    assert signals["customer_utterances"] == 2
    assert signals["negative_cues"] == 0 and signals["goal_cues"] >= 1


def test_utterances_before_the_interaction_is_opened_count_later(client, auth, settings):
    assert post(client, auth, "i-s5", CONVERSATION[:3]).status_code == 204
    open_interaction(client, auth, "i-s5", offered(settings))
    answer = post(client, auth, "i-s5", [CONVERSATION[5]]).get_json()
    assert answer["sequence"] == 2


def test_a_bad_utterance_is_named_and_nothing_is_stored(app, client, auth):
    bad = {**CONVERSATION[2], "speaker": "supervisor"}
    response = post(client, auth, "i-s6", [CONVERSATION[0], bad])
    assert response.status_code == 422
    assert "utterances.1.speaker" in response.get_json()["error"]["details"]["fields"]
    assert rows(app, "i-s6") == []


def test_the_stream_keeps_the_latest_words_within_the_size_limit():
    class Row:
        def __init__(self, i):
            self.speaker, self.text = "customer", f"line {i} " + "x" * 90

    lines = transcript_lines([Row(i) for i in range(50)], max_chars=1_000)
    assert len(lines) == 9 and lines[-1].startswith("Customer: line 49")
