"""`POST /v1/interactions/{id}/utterances` and the guidance long-poll's query."""

from marshmallow import fields, validate

from assist_api.connectors.base import SPEAKERS
from assist_api.schemas.base import ID, BaseSchema

LANGUAGE_TAG = validate.Regexp(
    r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*\Z", error="not a language tag"
)
MAX_BATCH = 200
MAX_TEXT = 20_000
MAX_OFFSET_MS = 10**14  # epoch milliseconds for a few thousand years: any real clock
EXAMPLE_UTTERANCE = {
    "utterance_id": "2b8d4f1a-3333-4e6c-a1d2-cust00000001",
    "speaker": "customer",
    "text": "I bought the premium plan last week and I want to set up shared calendars.",
    "is_final": True,
    "offset_ms": 5120,
    "language": "en-US",
}


class UtteranceSchema(BaseSchema):
    utterance_id = fields.String(
        required=True,
        validate=ID,
        metadata={
            "description": "the platform's id; a partial and the final replacing it share it",
            "example": EXAMPLE_UTTERANCE["utterance_id"],
        },
    )
    speaker = fields.String(
        required=True,
        validate=validate.OneOf(SPEAKERS),
        metadata={"description": "who spoke", "example": "customer"},
    )
    text = fields.String(
        required=True,
        validate=validate.Length(1, MAX_TEXT),
        metadata={"description": "what was said", "example": EXAMPLE_UTTERANCE["text"]},
    )
    is_final = fields.Boolean(
        required=True,
        metadata={"description": "false: a partial result the final will replace", "example": True},
    )
    offset_ms = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(0, MAX_OFFSET_MS),
        metadata={
            "description": "when it was said, in ms from the interaction's start (or the "
            "Unix epoch, consistently within one interaction): orders the transcript",
            "example": 5120,
        },
    )
    language = fields.String(
        load_default=None,
        validate=[LANGUAGE_TAG, validate.Length(max=35)],
        metadata={"description": "language tag, when the platform knows it", "example": "en-US"},
    )


class UtteranceBatchSchema(BaseSchema):
    utterances = fields.List(
        fields.Nested(UtteranceSchema),
        required=True,
        validate=validate.Length(1, MAX_BATCH),
        metadata={"description": f"1 to {MAX_BATCH} utterances, in any order"},
    )


class GuidanceQuerySchema(BaseSchema):
    after = fields.Integer(
        load_default=0,
        validate=validate.Range(0, 2**31 - 1),
        metadata={
            "description": "the sequence of the newest answer the desk already shows",
            "example": 3,
        },
    )
    wait = fields.Float(
        load_default=None,
        validate=validate.Range(0.0, 60.0),
        metadata={
            "description": "longest wait in seconds (capped by the server's setting)",
            "example": 25,
        },
    )


class ConnectorReceiptSchema(BaseSchema):
    interaction_id = fields.String(
        required=True,
        metadata={
            "description": "the interaction the event belongs to (the connector's id rule)",
            "example": "5d3c7a0e-21f4-4b8e-9a61-0c2f1e7d9b44",
        },
    )
    utterances = fields.Integer(
        required=True,
        metadata={"description": "utterances the event carried (0: a session event)", "example": 1},
    )
    new_guidance = fields.Boolean(
        required=True,
        metadata={
            "description": "a new final customer utterance made a new decision (desks waiting "
            "on the guidance long-poll receive it)",
            "example": True,
        },
    )
