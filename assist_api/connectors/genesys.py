"""Genesys Cloud transcription notifications -> utterances.

Genesys publishes `v2.conversations.{id}.transcription` messages on a notification
channel (a WebSocket, or EventBridge); a relay posts each message, as received, to
`/v1/connectors/genesys` with a `system` key. The message is either the notification
envelope (`topicName`, `eventBody`, `metadata`) or its `eventBody` alone.
`eventBody.transcripts[]` holds a batch of results: `utteranceId` (a partial and its
final share it), `isFinal`, `channel` (`EXTERNAL`: the customer's audio, `INTERNAL`: the
agent's), `alternatives[]` (one today; the first is the engine's best) with `transcript`,
`decoratedTranscript` (the same words with casing and punctuation: read when present,
since question marks are a text signal) and `offsetMs`, and the `dialect` (`en-US`).
Status-only messages (session started, heartbeats every five minutes, session ended)
carry no transcripts and store nothing.
"""

from assist_api.connectors.base import (
    MAX_TEXT,
    EventInvalid,
    Mapped,
    maybe,
    need,
    text,
    utterance,
)

CHANNELS = {"EXTERNAL": "customer", "INTERNAL": "agent"}


def map_event(event: dict) -> Mapped:
    if isinstance(event, dict) and "eventBody" in event:
        body, path = need(event, "eventBody", dict, ""), "eventBody"
    else:
        body, path = event, ""
    conversation_id = need(body, "conversationId", str, path)
    transcripts = maybe(body, "transcripts", list, path) or []
    utterances = []
    language = None
    for index, item in enumerate(transcripts):
        where = f"{path}.transcripts[{index}]" if path else f"transcripts[{index}]"
        mapped = _transcript(item, where)
        language = language or mapped.get("language")
        utterances.append(mapped)
    return Mapped(conversation_id, utterances, language)


def _transcript(item: object, path: str) -> dict:
    if not isinstance(item, dict):
        raise EventInvalid(path, "must be an object")
    channel = need(item, "channel", str, path)
    if channel not in CHANNELS:
        raise EventInvalid(f"{path}.channel", f"must be one of {', '.join(CHANNELS)}")
    alternatives = need(item, "alternatives", list, path)
    if not alternatives:
        raise EventInvalid(f"{path}.alternatives", "must hold at least one alternative")
    best = alternatives[0]
    best_path = f"{path}.alternatives[0]"
    if not isinstance(best, dict):
        raise EventInvalid(best_path, "must be an object")
    return utterance(
        need(item, "utteranceId", str, path),
        CHANNELS[channel],
        _text(best, best_path),
        is_final=need(item, "isFinal", bool, path),
        offset_ms=need(best, "offsetMs", int, best_path),
        language=maybe(item, "dialect", str, path),
    )


def _text(best: dict, path: str) -> str:
    decorated = maybe(best, "decoratedTranscript", str, path, MAX_TEXT)
    return decorated or text(best, "transcript", path)
