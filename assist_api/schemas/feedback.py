"""Bodies and answers of the agent's card feedback (PUT …/cards/{card_id}/feedback)."""

from marshmallow import ValidationError, fields, validate, validates_schema

from assist_api.schemas.base import BaseSchema
from assist_api.services.decisions.feedback import REASONS, VERDICTS

ALL_REASONS = sorted({reason for reasons in REASONS.values() for reason in reasons})
NOTE_CHARS = 300


class FeedbackRequestSchema(BaseSchema):
    verdict = fields.String(
        required=True,
        validate=validate.OneOf(VERDICTS),
        metadata={"description": "accepted (the agent used the card) or dismissed"},
    )
    reason = fields.String(
        load_default=None,
        validate=validate.OneOf(ALL_REASONS),
        metadata={
            "description": "why: accepted — customer_asked, fits_the_moment, other; "
            "dismissed — not_relevant, wrong_moment, customer_upset, already_covered, "
            "other. Required when dismissed."
        },
    )
    note = fields.String(
        load_default=None,
        validate=validate.Length(max=NOTE_CHARS),
        metadata={"description": "the agent's own words (optional; no personal data)"},
    )

    @validates_schema
    def _reason_fits_the_verdict(self, data: dict, **_kwargs) -> None:
        verdict, reason = data.get("verdict"), data.get("reason")
        if verdict not in REASONS:
            return
        if reason is None and verdict == "dismissed":
            raise ValidationError("say why the card was dismissed", "reason")
        if reason is not None and reason not in REASONS[verdict]:
            raise ValidationError(
                f"{reason!r} is not a reason to {verdict[:-2]}; one of: "
                + ", ".join(REASONS[verdict]),
                "reason",
            )


class FeedbackSchema(BaseSchema):
    decision_id = fields.String(required=True, metadata={"description": "the decision"})
    interaction_id = fields.String(required=True, metadata={"description": "its contact"})
    card_id = fields.String(required=True, metadata={"description": "the card judged"})
    verdict = fields.String(required=True, metadata={"description": "accepted or dismissed"})
    reason = fields.String(allow_none=True, metadata={"description": "why (a reason code)"})
    note = fields.String(allow_none=True, metadata={"description": "the agent's own words"})
    recorded_at = fields.DateTime(required=True, metadata={"description": "when (UTC)"})


class CardFeedbackSummarySchema(BaseSchema):
    card_id = fields.String(required=True, metadata={"description": "the card"})
    accepted = fields.Integer(required=True, metadata={"description": "times accepted"})
    dismissed = fields.Integer(required=True, metadata={"description": "times dismissed"})
    reasons = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "`<verdict>.<reason>` → count"},
    )


class FeedbackReportSchema(BaseSchema):
    total = fields.Integer(required=True, metadata={"description": "verdicts in the period"})
    cards = fields.List(
        fields.Nested(CardFeedbackSummarySchema),
        required=True,
        metadata={"description": "per card, most dismissed first"},
    )
