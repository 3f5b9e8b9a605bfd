"""A mapped platform event into the utterance stream, checked as the API checks a desk's.

Everything that can reject an event (its mapping, then the utterance rules) runs before
anything is stored, so a rejected event changes nothing.
"""

from collections.abc import Callable

from marshmallow import ValidationError

from assist_api.connectors.base import EventInvalid, Mapped
from assist_api.errors import InvalidFields, flatten_messages
from assist_api.schemas.utterances import UtteranceSchema
from assist_api.services.customers.stream import StreamDependencies, receive

UTTERANCES = UtteranceSchema(many=True)


def ingest(map_event: Callable[[dict], Mapped], event: object, deps: StreamDependencies) -> dict:
    """Map, check and merge one event; a receipt for the platform's forwarder (the new
    guidance itself goes to the desks waiting on the long-poll, not to the platform)."""
    try:
        mapped = map_event(event)
    except EventInvalid as exc:
        raise InvalidFields({exc.path: [exc.reason]}) from exc
    try:
        utterances = UTTERANCES.load(mapped.utterances)
    except ValidationError as exc:
        raise InvalidFields(flatten_messages(exc.messages, "utterances")) from exc
    answer = receive(mapped.interaction_id, utterances, deps) if utterances else None
    return {
        "interaction_id": mapped.interaction_id,
        "utterances": len(utterances),
        "new_guidance": answer is not None,
    }
