"""What the desk needs from the API (issue 21): nothing silent, nothing lost.

A language the cards are not written in, or a transcript in another script than the
`language` says, is named in `degraded`; whole-valued floats count as integers; the
conversation's resolved state holds "after resolution" cards back and the answer says
why each missing activity has no card; an agent's verdict on a card is stored with the
decision; a reloading desk gets its contact back.
"""

import pytest

from tests.helpers.app import make_test_settings
from tests.helpers.assist_requests import assist_request, offered_customer


@pytest.fixture
def settings(tmp_path):
    """Every card that passes its rules is shown, so a test sees which ones did."""
    return make_test_settings(tmp_path, cards_shown=20)


@pytest.fixture
def ask(client, auth, settings):
    def post(**changes):
        body = assist_request(customer_id=offered_customer(settings), **changes)
        answer = client.post("/v1/assist", json=body, headers=auth("agent"))
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()

    return post


@pytest.mark.parametrize(
    ("language", "transcript", "degraded"),
    [
        ("ja", ["設定方法を教えてください。"], []),
        ("en", ["設定方法を教えてください。"], ["language_mismatch"]),
        ("ko", ["설정 방법을 알려주세요"], ["language_unsupported"]),
        ("en", ["How do I set this up?"], []),
    ],
)
def test_a_language_problem_is_named_not_silent(ask, language, transcript, degraded):
    answer = ask(language=language, transcript=transcript)
    assert [code for code in answer["degraded"] if code.startswith("language_")] == degraded
    if language == "ko":
        assert answer["cards"] and {c["language"] for c in answer["cards"]} == {"en"}


def test_whole_valued_floats_are_integers_and_fractions_are_refused(client, auth, ask):
    answer = ask(days_since_purchase=12.0, products_owned=2.0)
    post = {"interaction_id": answer["interaction_id"], "csat": 4.0, "nps": 9.0, "ces": 2}
    recorded = client.post("/v1/outcomes", json=post, headers=auth("agent"))
    assert recorded.status_code == 200, recorded.get_json()
    assert recorded.get_json()["outcome"]["csat"] == 4
    refused = client.post(
        "/v1/outcomes",
        json={"interaction_id": answer["interaction_id"], "csat": 4.5, "ves_ability": True},
        headers=auth("agent"),
    )
    assert refused.status_code == 422
    fields = refused.get_json()["error"]["details"]["fields"]
    assert set(fields) == {"csat", "ves_ability"}
    assert "whole number" in fields["csat"][0]


RECAP = "validate_purchase.first_win_recap"


def test_after_resolution_cards_wait_and_missing_activities_say_why(ask):
    unsolved = ask(
        language="en",
        contact_reason="how_to",
        days_since_purchase=9,
        transcript=["Customer: How do I set up sharing?", "Agent: Let me check."],
    )
    assert unsolved["conversation"] == {"issue_resolved": None, "inferred": True}
    assert RECAP not in [card["card_id"] for card in unsolved["cards"]]
    why = {item["activity"]: item for item in unsolved["not_offered"]}
    assert why["advise_new_features"]["code"] == "days_since_purchase.below"
    assert "30" in why["advise_new_features"]["text"]
    offered = {card["activity"] for card in unsolved["cards"]}
    assert not offered & set(why), "an activity with a card is not 'not offered'"

    solved = ask(
        language="en",
        contact_reason="how_to",
        days_since_purchase=9,
        transcript=["Customer: How do I set up sharing?", "Customer: Oh, it works now!"],
    )
    assert solved["conversation"] == {"issue_resolved": True, "inferred": True}
    assert RECAP in [card["card_id"] for card in solved["cards"]]

    overruled = ask(
        language="ja",
        contact_reason="how_to",
        days_since_purchase=9,
        issue_resolved=False,
        transcript=["お客様：あ、直りました！"],
    )
    assert overruled["conversation"] == {"issue_resolved": False, "inferred": False}
    assert RECAP not in [card["card_id"] for card in overruled["cards"]]
    assert all(not item["text"].isascii() for item in overruled["not_offered"])


def test_card_feedback_is_stored_with_the_decision_and_reported(client, auth, ask):
    answer = ask()
    card = answer["cards"][0]["card_id"]
    path = f"/v1/decisions/{answer['decision_id']}/cards/{card}/feedback"
    stored = client.put(path, json={"verdict": "dismissed", "reason": "wrong_moment"},
                        headers=auth("agent"))  # fmt: skip
    assert stored.status_code == 200, stored.get_json()
    assert stored.get_json()["interaction_id"] == answer["interaction_id"]
    again = client.put(path, json={"verdict": "accepted"}, headers=auth("agent"))
    assert again.get_json()["verdict"] == "accepted"  # the latest verdict wins

    report = client.get("/v1/reports/feedback", headers=auth("lead")).get_json()
    assert report["total"] == 1
    assert report["cards"] == [
        {"card_id": card, "accepted": 1, "dismissed": 0, "reasons": {"accepted.none": 1}}
    ]

    refusals = {
        "no reason": (path, {"verdict": "dismissed"}, 422),
        "wrong kind of reason": (path, {"verdict": "accepted", "reason": "customer_upset"}, 422),
        "card not offered": (
            f"/v1/decisions/{answer['decision_id']}/cards/educate_usage.nowhere/feedback",
            {"verdict": "accepted"},
            409,
        ),
        "unknown decision": (
            f"/v1/decisions/d-nope/cards/{card}/feedback",
            {"verdict": "accepted"},
            404,
        ),  # fmt: skip
    }
    for case, (url, body, status) in refusals.items():
        assert client.put(url, json=body, headers=auth("agent")).status_code == status, case


def test_a_reloading_desk_gets_its_contact_back(client, auth, ask):
    answer = ask(transcript=["Customer: 設定方法を教えてください。", "Agent: 確認いたします。"])
    contact = client.get(f"/v1/interactions/{answer['interaction_id']}", headers=auth("agent"))
    assert contact.status_code == 200
    body = contact.get_json()
    assert body["transcript"] == ["Customer: 設定方法を教えてください。", "Agent: 確認いたします。"]
    assert body["last_sequence"] == answer["sequence"]
    assert body["customer"]["clv"] == 1200.0
    assert client.get("/v1/interactions/nope", headers=auth("agent")).status_code == 404


def test_a_reload_gets_the_stream_s_lines_even_after_the_last_decision(client, auth, ask):
    """An agent line makes no decision, so the interaction row does not hold it; the
    contact's transcript is the utterance stream's, so a reload keeps it."""
    answer = ask(transcript=["Customer: How do I share my calendar?"])
    path = f"/v1/interactions/{answer['interaction_id']}"
    lines = [
        ("u-1", "customer", "How do I share my calendar?", 1000),
        ("u-2", "agent", "Let me show you.", 2000),
    ]
    batch = {
        "utterances": [
            {"utterance_id": u, "speaker": who, "text": text, "is_final": True, "offset_ms": at}
            for u, who, text, at in lines
        ]
    }
    posted = client.post(f"{path}/utterances", json=batch, headers=auth("agent"))
    assert posted.status_code == 200  # the customer's line is new to the stream: guidance
    later = {"utterance_id": "u-3", "text": "Open Settings, then Share.", "offset_ms": 3000}
    agent_only = {"utterances": [{**batch["utterances"][1], **later}]}
    assert (
        client.post(f"{path}/utterances", json=agent_only, headers=auth("agent")).status_code == 204
    )
    body = client.get(path, headers=auth("agent")).get_json()
    assert body["transcript"] == [
        "Customer: How do I share my calendar?",
        "Agent: Let me show you.",
        "Agent: Open Settings, then Share.",
    ]
    assert body["last_sequence"] == posted.get_json()["sequence"]
