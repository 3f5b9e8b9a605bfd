"""Each connector maps its platform's sample events to our utterances, names the field of
a malformed event, and the signature helpers agree with the platforms' own definitions."""

import base64
import copy
import hashlib
import hmac
import importlib

import pytest

from assist_api.connectors.base import EventInvalid
from assist_api.connectors.signatures import matches, twilio_signature, zendesk_signature
from tests.connectors.samples import PLATFORMS, sample_events


def mapper(platform):
    return importlib.import_module(f"assist_api.connectors.{platform}").map_event


def mapped(platform):
    return [mapper(platform)(event) for event in sample_events(platform)]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_one_interaction_per_sample_conversation(platform):
    assert len({m.interaction_id for m in mapped(platform)}) == 1


def test_amazon_connect_partials_share_their_transcripts_id():
    utterances = [u for m in mapped("amazon_connect") for u in m.utterances]
    partials = {u["utterance_id"] for u in utterances if not u["is_final"]}
    finals = {u["utterance_id"]: u for u in utterances if u["is_final"]}
    assert partials and partials <= set(finals)  # every partial has its final
    assert [u["speaker"] for u in sorted(finals.values(), key=lambda u: u["offset_ms"])] == [
        "agent",
        "customer",
        "agent",
        "customer",
    ]
    assert mapped("amazon_connect")[0].language == "en-US"


def test_genesys_channels_and_decorated_text():
    utterances = [u for m in mapped("genesys") for u in m.utterances]
    final_customer = [u for u in utterances if u["is_final"] and u["speaker"] == "customer"]
    assert len(final_customer) == 2
    assert final_customer[1]["text"].endswith("?")  # decoratedTranscript, punctuated
    assert {u["speaker"] for u in utterances if u["is_final"]} == {"agent", "customer"}


def test_twilio_keeps_finals_only_with_tracks_as_speakers():
    utterances = [u for m in mapped("twilio") for u in m.utterances]
    assert all(u["is_final"] for u in utterances)
    assert [u["speaker"] for u in utterances] == ["agent", "customer", "agent", "customer"]
    assert utterances[0]["utterance_id"] == "GT9a8b7c6d5e4f30211234567890abcdef-2"


def test_zendesk_skips_internal_notes_and_orders_by_time():
    utterances = [u for m in mapped("zendesk") for u in m.utterances]
    assert [u["speaker"] for u in utterances] == ["customer", "agent", "customer"]
    assert "accountant" not in utterances[1]["text"]  # the private note is not there
    offsets = [u["offset_ms"] for u in utterances]
    assert offsets == sorted(offsets) and offsets[0] % 1000 == 672  # nanoseconds trimmed


def _drop(path):
    def mutate(event):
        *parents, last = path
        target = event
        for key in parents:
            target = target[key]
        del target[last]

    return mutate


def _set(path, value):
    def mutate(event):
        *parents, last = path
        target = event
        for key in parents:
            target = target[key]
        target[last] = value

    return mutate


MALFORMED = [
    ("amazon_connect", 3, _drop(["Segments", 0, "Transcript", "Content"]),
     "Segments[0].Transcript.Content"),
    ("amazon_connect", 3, _set(["Segments", 0, "Transcript", "ParticipantRole"], "ROBOT"),
     "Segments[0].Transcript.ParticipantRole"),
    ("amazon_connect", 2, _set(["Segments", 0, "Utterance", "BeginOffsetMillis"], "soon"),
     "Segments[0].Utterance.BeginOffsetMillis"),
    ("amazon_connect", 0, _set(["EventType"], "PAUSED"), "EventType"),
    ("amazon_connect", 0, _drop(["ContactId"]), "ContactId"),
    ("genesys", 1, _set(["eventBody", "transcripts", 0, "channel"], "LEFT"),
     "eventBody.transcripts[0].channel"),
    ("genesys", 1, _set(["eventBody", "transcripts", 1, "isFinal"], "yes"),
     "eventBody.transcripts[1].isFinal"),
    ("genesys", 1, _set(["eventBody", "transcripts", 0, "alternatives"], []),
     "eventBody.transcripts[0].alternatives"),
    ("genesys", 0, _drop(["eventBody", "conversationId"]), "eventBody.conversationId"),
    ("twilio", 3, _set(["TranscriptionData"], "not json"), "TranscriptionData"),
    ("twilio", 3, _set(["Track"], "both_tracks"), "Track"),
    ("twilio", 3, _set(["Timestamp"], "yesterday"), "Timestamp"),
    ("twilio", 3, _set(["Final"], "maybe"), "Final"),
    ("zendesk", 0, _drop(["event", "comment", "author", "is_staff"]),
     "event.comment.author.is_staff"),
    ("zendesk", 0, _set(["type"], "zen:event-type:ticket.created"), "type"),
    ("zendesk", 0, _set(["event", "comment", "body"], "x" * 20_001), "event.comment.body"),
    ("zendesk", 0, _set(["detail", "id"], "9" * 129), "detail.id"),
]  # fmt: skip


@pytest.mark.parametrize(("platform", "index", "mutate", "path"), MALFORMED)
def test_a_malformed_event_names_its_field(platform, index, mutate, path):
    event = copy.deepcopy(sample_events(platform)[index])
    mutate(event)
    with pytest.raises(EventInvalid) as raised:
        mapper(platform)(event)
    assert raised.value.path == path


def test_twilio_signature_matches_twilios_published_example():
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    expected = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert twilio_signature("12345", url, params.items()) == expected
    assert twilio_signature("12345", url, reversed(params.items())) == expected
    assert twilio_signature("12345", url, {**params, "Digits": "9999"}.items()) != expected


def test_zendesk_signature_signs_timestamp_then_body():
    body = b'{"type": "zen:event-type:ticket.comment_added"}'
    stamp = "2026-12-02T01:40:07Z"
    digest = hmac.new(b"whsec", stamp.encode() + body, hashlib.sha256).digest()
    assert zendesk_signature("whsec", stamp, body) == base64.b64encode(digest).decode()
    assert zendesk_signature("whsec", stamp, body + b" ") != zendesk_signature("whsec", stamp, body)


def test_signatures_compare_safely():
    assert matches("abc", "abc")
    assert not matches("abc", None)
    assert not matches("abc", "abd")
    assert not matches("abc", "äbc")  # non-ASCII: refused, not a TypeError
