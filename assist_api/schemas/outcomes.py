"""`POST /v1/outcomes`: what happened after an interaction (CONTRACT.md).

The fields and their ranges come from `features.columns.OUTCOME_COLUMNS`, the same
definition the importer validates against, so a value the API accepts is one an import
would accept too.
"""

from datetime import UTC, datetime, timedelta

from marshmallow import ValidationError, fields, validate, validates, validates_schema

from assist_api.schemas.base import ID, BaseSchema
from assist_api.schemas.whole import WholeNumber
from features.columns import OUTCOME_COLUMNS, OUTCOME_FIELDS
from features.vocabulary import ACTIVITIES
from prompts_playbooks.schema import CARD_ID

COLUMNS = {c.name: c for c in OUTCOME_COLUMNS}
# a client's clock may run this far ahead of ours
MAX_CLOCK_SKEW = timedelta(minutes=5)


def _field(name: str, *, dump: bool = False) -> fields.Field:
    """A marshmallow field for the import-format outcome column `name`."""
    column = COLUMNS[name]
    options = {"allow_none": dump, "required": False}
    if column.kind == "int":
        limits = validate.Range(column.minimum, column.maximum)
        return WholeNumber(validate=limits, **options)
    if column.kind == "float":
        limits = validate.Range(column.minimum, column.maximum)
        return fields.Float(allow_nan=False, validate=limits, **options)
    if column.kind == "bool":
        return fields.Boolean(truthy={True}, falsy={False}, **options)
    return fields.String(validate=validate.Length(1, column.max_length), **options)


class OutcomeRequestSchema(BaseSchema):
    """Only `interaction_id` is required; send each field when it becomes known."""

    interaction_id = fields.String(required=True, validate=ID)
    card_id_used = _field("card_id_used")
    ves_confidence = _field("ves_confidence")
    ves_ability = _field("ves_ability")
    csat = _field("csat")
    nps = _field("nps")
    ces = _field("ces")
    resolved = _field("resolved")
    retained_60d = _field("retained_60d")
    wallet_change = _field("wallet_change")
    handle_seconds = _field("handle_seconds")
    observed_at = fields.AwareDateTime(
        load_default=None,
        default_timezone=UTC,
        metadata={
            "description": "When this was observed (ISO 8601; default: when the post "
            "arrives). The latest observation of a field wins, so a late retry of an "
            "older value never undoes a newer one."
        },
    )

    @validates("observed_at")
    def _not_in_the_future(self, value, **_kwargs) -> None:
        if value is not None and value > datetime.now(UTC) + MAX_CLOCK_SKEW:
            raise ValidationError("must not be in the future")

    @validates("card_id_used")
    def _card_id_names_an_activity(self, value: str, **_kwargs) -> None:
        match = CARD_ID.match(value)
        if not match or match["activity"] not in ACTIVITIES:
            raise ValidationError(
                "must be a card id '<activity>.<name>' (lower-case letters, digits, _) whose "
                "activity is one of " + ", ".join(ACTIVITIES)
            )

    @validates_schema
    def _at_least_one_outcome(self, data: dict, **_kwargs) -> None:
        if not any(name in data for name in OUTCOME_FIELDS):
            raise ValidationError(
                "send at least one outcome field: " + ", ".join(OUTCOME_FIELDS), "body"
            )


class CurrentOutcomeSchema(BaseSchema):
    """The interaction's outcome now: the latest value of each field (null: not yet known)."""

    card_id_used = _field("card_id_used", dump=True)
    ves_confidence = _field("ves_confidence", dump=True)
    ves_ability = _field("ves_ability", dump=True)
    csat = _field("csat", dump=True)
    nps = _field("nps", dump=True)
    ces = _field("ces", dump=True)
    resolved = _field("resolved", dump=True)
    retained_60d = _field("retained_60d", dump=True)
    wallet_change = _field("wallet_change", dump=True)
    handle_seconds = _field("handle_seconds", dump=True)
    ve_success = fields.Boolean(
        allow_none=True,
        metadata={"description": "both VES items >= 5; null until both are known"},
    )
    updated_at = fields.DateTime()


class OutcomeResponseSchema(BaseSchema):
    interaction_id = fields.String(required=True)
    retry = fields.Boolean(
        required=True,
        metadata={"description": "true: an identical post was already recorded; nothing changed"},
    )
    events = fields.Integer(
        required=True, metadata={"description": "distinct posts stored for this interaction"}
    )
    outcome = fields.Nested(CurrentOutcomeSchema, required=True)
