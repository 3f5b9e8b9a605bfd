"""`POST /v1/assist`: the live interaction in, the guidance out (CONTRACT.md)."""

from marshmallow import fields, validate

from assist_api.schemas.base import ID, BaseSchema
from assist_api.schemas.customers import customer_fields
from features.columns import MAX_SECONDS
from features.vocabulary import (
    ACTIVITIES,
    CHANNELS,
    CONTACT_REASONS,
    OPENNESS_BANDS,
)

LANGUAGE_TAG = validate.Regexp(
    r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*\Z", error="not a language tag"
)
MAX_UTTERANCES = 500


# Only the id is required: the CRM fields come from the customer's stored profile, and any
# field sent here overrides it for this decision (null or absent: use the profile).
CustomerSchema = BaseSchema.from_dict(
    {
        "customer_id": fields.String(
            required=True,
            validate=ID,
            metadata={"description": "the CRM's id of the customer", "example": "example-c-77"},
        ),
        **customer_fields(allow_none=True),
    },
    name="CustomerSchema",
)


class AssistRequestSchema(BaseSchema):
    interaction_id = fields.String(required=True, validate=ID)
    customer = fields.Nested(CustomerSchema, required=True)
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    language = fields.String(required=True, validate=[LANGUAGE_TAG, validate.Length(max=35)])
    contact_reason = fields.String(load_default=None, validate=validate.OneOf(CONTACT_REASONS))
    transcript = fields.List(
        fields.String(), load_default=list, validate=validate.Length(max=MAX_UTTERANCES)
    )
    customer_sentiment = fields.Float(load_default=None, validate=validate.Range(-1.0, 1.0))
    elapsed_seconds = fields.Float(load_default=None, validate=validate.Range(0.0, MAX_SECONDS))
    agent_id = fields.String(load_default=None, validate=ID)
    issue_resolved = fields.Boolean(load_default=None, allow_none=True)


class ReasonSchema(BaseSchema):
    feature = fields.String(required=True)
    contribution = fields.Float(required=True)
    text = fields.String(required=True)


class OpennessSchema(BaseSchema):
    score = fields.Float(required=True, allow_none=True)
    band = fields.String(required=True, allow_none=True, validate=validate.OneOf(OPENNESS_BANDS))
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)


class CardSchema(BaseSchema):
    card_id = fields.String(required=True)
    activity = fields.String(required=True, validate=validate.OneOf(ACTIVITIES))
    version = fields.Integer(required=True)
    title = fields.String(required=True)
    body = fields.String(required=True)
    talk_track = fields.List(fields.String(), required=True)
    evidence = fields.List(fields.String())
    avoid = fields.List(fields.String())
    self_service_text = fields.String(allow_none=True)
    language = fields.String()
    score = fields.Float(required=True, allow_none=True)
    rank = fields.Integer(required=True)


class NotOfferedSchema(BaseSchema):
    activity = fields.String(required=True, validate=validate.OneOf(ACTIVITIES))
    code = fields.String(required=True, allow_none=True)
    text = fields.String(required=True)


class ConversationSchema(BaseSchema):
    issue_resolved = fields.Boolean(required=True, allow_none=True)
    inferred = fields.Boolean(required=True)


class RetentionGainSchema(BaseSchema):
    value = fields.Float(
        required=True,
        metadata={"description": "retained share one VE success adds", "example": 0.17},
    )
    source = fields.String(
        required=True,
        validate=validate.OneOf(("measured", "published")),
        metadata={"description": "measured: this centre's card control group (ITT retention "
                  "/ ITT VE success); published: DOMAIN.md's 17 points, until enough data",
                  "example": "published"},
    )  # fmt: skip
    ci90 = fields.List(
        fields.Float(),
        allow_none=True,
        metadata={"description": "Fieller 90 % interval when measured", "example": None},
    )


class RouteSchema(BaseSchema):
    pool = fields.String(required=True)
    reason = fields.String(required=True)
    fallback = fields.Boolean(required=True)
    detail = fields.String()
    retention_gain = fields.Nested(
        RetentionGainSchema,
        allow_none=True,
        metadata={"description": "what value routing weighed pools with; null when the "
                  "customer was routed by the plain rule"},
    )  # fmt: skip


class UnderstoodReasonSchema(BaseSchema):
    value = fields.String(
        required=True,
        validate=validate.OneOf(CONTACT_REASONS),
        metadata={"description": "the contact reason the score used", "example": "billing"},
    )
    inferred = fields.Boolean(
        required=True,
        metadata={"description": "true when it was inferred from the transcript, false when "
                  "the request gave it", "example": True},
    )  # fmt: skip
    confidence = fields.Float(
        required=True,
        metadata={"description": "1 when given; else the inferred reason's probability "
                  "(learned text model) or the lexicon's evidence share", "example": 0.93},
    )  # fmt: skip
    evidence = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "phrases of the customer's that point to the reason",
                  "example": ["charged twice", "refund"]},
    )  # fmt: skip
    source = fields.String(
        required=True,
        validate=validate.OneOf(("given", "model", "lexicon")),
        metadata={"description": "given by the request; `model`: the model version's text "
                  "model learned from this centre's data; `lexicon`: the built-in phrase "
                  "lists (no text model yet)", "example": "model"},
    )  # fmt: skip


class UnderstoodSentimentSchema(BaseSchema):
    value = fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "the sentiment the score used, -1 to 1; null when neither "
                  "given nor estimable", "example": -0.62},
    )  # fmt: skip
    inferred = fields.Boolean(
        required=True,
        metadata={"description": "true when estimated from the transcript", "example": True},
    )


class UnderstoodSchema(BaseSchema):
    contact_reason = fields.Nested(
        UnderstoodReasonSchema,
        required=True,
        metadata={"description": "the contact reason the score used, and how it was found"},
    )
    sentiment = fields.Nested(
        UnderstoodSentimentSchema,
        required=True,
        metadata={"description": "the customer sentiment the score used, and whether it was "
                  "estimated from the transcript"},
    )  # fmt: skip


class ModelRefSchema(BaseSchema):
    name = fields.String(required=True)
    version = fields.String(required=True, allow_none=True)


class PolicySchema(BaseSchema):
    name = fields.String(
        required=True,
        metadata={
            "description": "the policy that chose the first card",
            "example": "epsilon_greedy",
        },
    )
    version = fields.String(required=True, metadata={"example": "1"})
    arm = fields.String(
        required=True,
        metadata={
            "description": "exploit: the model's top card first; explore: the first card drawn "
            "at random from the eligible cards; holdout: the control group (no cards)",
            "enum": ["exploit", "explore", "holdout"],
            "example": "exploit",
        },
    )
    propensity = fields.Float(
        required=True,
        allow_none=True,
        metadata={
            "description": "the probability that the card shown first was shown first "
            "(null when no card is shown)",
            "example": 0.99,
        },
    )


class AssistResponseSchema(BaseSchema):
    decision_id = fields.String(required=True)
    interaction_id = fields.String(required=True)
    sequence = fields.Integer(
        allow_none=True,
        metadata={"description": "1 for the first call; null while the decision is spooled"},
    )
    openness = fields.Nested(OpennessSchema, required=True)
    understood = fields.Nested(
        UnderstoodSchema,
        metadata={
            "description": "what the score was built on: the contact reason (given or inferred "
            "from the transcript, with confidence and evidence) and the sentiment (given or "
            "estimated)",
            "example": {
                "contact_reason": {"value": "billing", "inferred": True, "confidence": 0.93,
                                   "evidence": ["charged twice", "refund"], "source": "model"},
                "sentiment": {"value": -0.62, "inferred": True},
            },
        },
    )  # fmt: skip
    cards = fields.List(fields.Nested(CardSchema), required=True)
    not_offered = fields.List(fields.Nested(NotOfferedSchema))
    conversation = fields.Nested(ConversationSchema)
    top_card_changed = fields.Boolean(
        metadata={"description": "the top card differs from this interaction's last answer"}
    )
    route = fields.Nested(RouteSchema, required=True)
    holdout = fields.Boolean(required=True)
    model = fields.Nested(ModelRefSchema, required=True)
    degraded = fields.List(fields.String(), required=True)
    policy = fields.Nested(
        PolicySchema,
        metadata={
            "description": "how the first card was chosen, with its probability: a small "
            "share of decisions explores so that other cards keep being tried and any new "
            "model can be evaluated on the logged decisions",
            "example": {
                "name": "epsilon_greedy",
                "version": "1",
                "arm": "exploit",
                "propensity": 0.99,
            },
        },
    )
