"""Bodies and answers of /v1/playbooks.

The card document itself is validated by `prompts_playbooks` (the same schema as card
files, unknown keys rejected), so its errors name fields exactly as a file's would
(`texts.ja.title`); these schemas carry what surrounds it.
"""

import marshmallow as ma
from marshmallow import fields, post_load, validate

from assist_api.schemas.base import BaseSchema
from assist_api.schemas.whole import WholeNumber
from features.vocabulary import CHANNELS, CONTACT_REASONS

CARD_DOC = "the card document, as in a card file: id, activity, weight, rules, texts"
NOTE_CHARS = 500


class DraftSchema(BaseSchema):
    """PUT body: the card document's fields plus `base_version` (and an optional note)."""

    class Meta(BaseSchema.Meta):
        unknown = ma.INCLUDE  # the card's own fields; prompts_playbooks rejects unknown ones

    base_version = WholeNumber(
        required=True,
        validate=validate.Range(min=0),
        metadata={"description": "the version you edited (latest_version); 0 creates the card"},
    )
    note = fields.String(
        load_default=None, validate=validate.Length(max=NOTE_CHARS), metadata={"description": "why"}
    )

    @post_load
    def split(self, data: dict, **kwargs) -> dict:
        base_version, note = data.pop("base_version"), data.pop("note")
        return {"base_version": base_version, "note": note, "card": data}


class PublishSchema(BaseSchema):
    version = WholeNumber(
        required=True,
        validate=validate.Range(min=1),
        metadata={"description": "the version to publish (the one you previewed)"},
    )


class RollbackSchema(BaseSchema):
    to_version = WholeNumber(
        required=True,
        validate=validate.Range(min=1),
        metadata={"description": "an earlier version to publish again"},
    )


class SampleSchema(BaseSchema):
    """Fields of the sample interaction to change; the rest come from the built-in one."""

    days_since_purchase = WholeNumber(validate=validate.Range(min=0))
    persona = fields.String(validate=validate.Length(min=1, max=64))
    plan_tier = fields.String(validate=validate.Length(min=1, max=64))
    products_owned = WholeNumber(validate=validate.Range(min=0))
    feature_adoption = fields.Float(validate=validate.Range(0, 1))
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    contact_reason = fields.String(allow_none=True, validate=validate.OneOf(CONTACT_REASONS))
    customer_sentiment = fields.Float(allow_none=True, validate=validate.Range(-1, 1))
    complaint_unresolved = fields.Boolean(allow_none=True)
    issue_resolved = fields.Boolean(allow_none=True)


class PreviewRequestSchema(BaseSchema):
    card = fields.Dict(required=True, metadata={"description": CARD_DOC})
    sample = fields.Nested(SampleSchema, load_default=None)


class CardStateSchema(BaseSchema):
    card_id = fields.String(required=True)
    activity = fields.String(required=True)
    latest_version = fields.Integer(required=True)
    published_version = fields.Integer(
        required=True, allow_none=True, metadata={"description": "the version agents see"}
    )
    updated_at = fields.DateTime(required=True)
    card = fields.Dict(
        required=True, allow_none=True, metadata={"description": "the published document"}
    )


class VersionSchema(BaseSchema):
    card_id = fields.String(required=True)
    version = fields.Integer(required=True)
    base_version = fields.Integer(allow_none=True)
    author = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    note = fields.String(allow_none=True)
    published_at = fields.DateTime(
        allow_none=True, metadata={"description": "when first published"}
    )
    published_by = fields.String(allow_none=True)
    live = fields.Boolean(required=True, metadata={"description": "the published version"})


class VersionHistorySchema(VersionSchema):
    card = fields.Dict(required=True, metadata={"description": CARD_DOC})
    yaml = fields.String(required=True, metadata={"description": "the document as a card file"})
    diff = fields.String(
        required=True, metadata={"description": "unified diff from the version before"}
    )


class RenderedSchema(BaseSchema):
    title = fields.String(required=True)
    body = fields.String(required=True)
    talk_track = fields.List(fields.String(), required=True)
    evidence = fields.List(fields.String(), required=True)
    avoid = fields.List(fields.String(), required=True)
    self_service_text = fields.String(allow_none=True)
    language = fields.String(required=True)
    passes = fields.Boolean(
        required=True, metadata={"description": "the card's rules allow it for this sample"}
    )
    reason = fields.String(allow_none=True, metadata={"description": "why not, when not"})
    reason_code = fields.String(
        allow_none=True, metadata={"description": "the rule that holds it back, when not"}
    )


class CardEventSchema(BaseSchema):
    action = fields.String(required=True, metadata={"description": "publish or rollback"})
    version = fields.Integer(required=True, metadata={"description": "the version made live"})
    previous_version = fields.Integer(
        allow_none=True, metadata={"description": "the version live before (null: none)"}
    )
    actor = fields.String(required=True, metadata={"description": "who did it"})
    at = fields.DateTime(required=True, metadata={"description": "when (UTC)"})


class PreviewSchema(BaseSchema):
    card_id = fields.String(required=True)
    sample = fields.Dict(required=True, metadata={"description": "the interaction rendered for"})
    rendered = fields.Dict(
        keys=fields.String(), values=fields.Nested(RenderedSchema), required=True
    )
