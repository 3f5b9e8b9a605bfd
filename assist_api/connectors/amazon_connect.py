"""Amazon Connect Contact Lens real-time segment events -> utterances.

Contact Lens publishes one JSON event per message to the contact's segment stream
(Kinesis); a forwarder (Lambda, or Kinesis Firehose's HTTP endpoint) posts each to
`/v1/connectors/amazon-connect` with a `system` key. Event types:
- `STARTED`, `COMPLETED`, `FAILED`: the session's edges; nothing to store.
- `SEGMENTS`: a list of segments, each an object with exactly one of `Utterance`,
  `Transcript`, `Categories`, `PostContactSummary`, ... Only the first two carry text.
  An `Utterance` is partial content whose `TranscriptId` names the `Transcript` it will
  become; the `Transcript` is the final text (its `Id`). Both carry `ParticipantRole` and
  `BeginOffsetMillis` from the start of the contact.
Segment types we do not read (categories, summaries, issues) are skipped, not rejected:
the stream adds new ones over time.
"""

from assist_api.connectors.base import EventInvalid, Mapped, maybe, need, text, utterance

ROLES = {
    "CUSTOMER": "customer",
    "AGENT": "agent",
    "SUPERVISOR": "agent",  # barging in: still not the customer
    "SYSTEM": "system",
    "CUSTOM_BOT": "bot",
}
EVENT_TYPES = ("STARTED", "SEGMENTS", "COMPLETED", "FAILED")


def map_event(event: dict) -> Mapped:
    event_type = need(event, "EventType", str, "")
    if event_type not in EVENT_TYPES:
        raise EventInvalid("EventType", f"must be one of {', '.join(EVENT_TYPES)}")
    contact_id = need(event, "ContactId", str, "")
    language = maybe(event, "LanguageCode", str, "")
    if event_type != "SEGMENTS":
        return Mapped(contact_id, [], language)
    segments = need(event, "Segments", list, "")
    utterances = []
    for index, segment in enumerate(segments):
        path = f"Segments[{index}]"
        if not isinstance(segment, dict):
            raise EventInvalid(path, "must be an object")
        if "Transcript" in segment:
            utterances.append(_transcript(segment, f"{path}", language))
        elif "Utterance" in segment:
            utterances.append(_partial(segment, f"{path}", language))
    return Mapped(contact_id, utterances, language)


def _transcript(segment: dict, path: str, language: str | None) -> dict:
    path = f"{path}.Transcript"
    item = need(segment, "Transcript", dict, path.rsplit(".", 1)[0])
    return utterance(
        need(item, "Id", str, path),
        _speaker(item, path),
        text(item, "Content", path),
        is_final=True,
        offset_ms=need(item, "BeginOffsetMillis", int, path),
        language=language,
    )


def _partial(segment: dict, path: str, language: str | None) -> dict:
    path = f"{path}.Utterance"
    item = need(segment, "Utterance", dict, path.rsplit(".", 1)[0])
    return utterance(
        need(item, "TranscriptId", str, path),
        _speaker(item, path),
        text(item, "PartialContent", path),
        is_final=False,
        offset_ms=need(item, "BeginOffsetMillis", int, path),
        language=language,
    )


def _speaker(item: dict, path: str) -> str:
    role = need(item, "ParticipantRole", str, path)
    if role not in ROLES:
        raise EventInvalid(f"{path}.ParticipantRole", f"must be one of {', '.join(ROLES)}")
    return ROLES[role]
