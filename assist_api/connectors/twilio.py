"""Twilio real-time transcription callbacks -> utterances.

`<Start><Transcription statusCallbackUrl=".../v1/connectors/twilio">` makes Twilio POST
form-encoded events, signed with `X-Twilio-Signature` (checked by the route). Events:
`transcription-started`, `transcription-content`, `transcription-stopped`,
`transcription-error`. A content event carries `CallSid`, `TranscriptionSid`,
`SequenceId` (increasing per event), `Track` (`inbound_track`: the caller's audio, i.e.
the customer on a service call; `outbound_track`: the agent's), `Final` (`true`/`false`),
`LanguageCode`, `Timestamp` (ISO 8601) and `TranscriptionData`, a JSON string with
`transcript` and `confidence`.
Twilio's partial results carry no id linking them to the final that replaces them, so
this connector keeps finals only: a partial that never gets replaced would otherwise
stay in the stream. Offsets are the event's wall-clock time in epoch milliseconds.
"""

import json

from assist_api.connectors.base import (
    MAX_TEXT,
    EventInvalid,
    Mapped,
    epoch_ms,
    maybe,
    need,
    text,
    utterance,
)

EVENTS = (
    "transcription-started",
    "transcription-content",
    "transcription-stopped",
    "transcription-error",
)
TRACKS = {"inbound_track": "customer", "outbound_track": "agent"}
FLAGS = {"true": True, "false": False}


def map_event(params: dict) -> Mapped:
    """`params`: the form fields, one value each."""
    kind = need(params, "TranscriptionEvent", str, "")
    if kind not in EVENTS:
        raise EventInvalid("TranscriptionEvent", f"must be one of {', '.join(EVENTS)}")
    call_sid = need(params, "CallSid", str, "")
    language = maybe(params, "LanguageCode", str, "")
    if kind != "transcription-content":
        return Mapped(call_sid, [], language)
    final = need(params, "Final", str, "").lower()
    if final not in FLAGS:
        raise EventInvalid("Final", "must be true or false")
    if not FLAGS[final]:
        return Mapped(call_sid, [], language)
    track = need(params, "Track", str, "")
    if track not in TRACKS:
        raise EventInvalid("Track", f"must be one of {', '.join(TRACKS)}")
    sequence = need(params, "SequenceId", str, "")
    if not sequence.isdigit():
        raise EventInvalid("SequenceId", "must be a whole number")
    return Mapped(
        call_sid,
        [
            utterance(
                f"{need(params, 'TranscriptionSid', str, '')}-{int(sequence)}",
                TRACKS[track],
                _transcript(need(params, "TranscriptionData", str, "", 2 * MAX_TEXT)),
                is_final=True,
                offset_ms=epoch_ms(need(params, "Timestamp", str, ""), "Timestamp"),
                language=language,
            )
        ],
        language,
    )


def _transcript(raw: str) -> str:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise EventInvalid("TranscriptionData", "must be a JSON object") from exc
    return text(data, "transcript", "TranscriptionData")
